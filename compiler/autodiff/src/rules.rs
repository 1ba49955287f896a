//! The derivative table: for every op kind, what its derivative is — a VJP and a JVP rule, "no
//! derivative" (the op stops gradients), "the driver handles it" (regions and calls), or
//! "unsupported". The drivers (`reverse.rs`, `forward.rs`) consult only this table, so adding
//! an op's derivative is one line here and two functions in `rules_*.rs`. Every op kind of
//! the IR has an entry; none is `Unsupported` today, but the variant stays for ops to come.

use tf_ir::*;

use crate::emit::Emitter;
use crate::{rules_elementwise as ew, rules_index as ix, rules_shape as sh, rules_window as wn, AdError};

/// One op, seen from inside the function being built: its operands and results are values of
/// that function (the primal ops have already been copied there).
pub struct Prim<'a> {
    pub kind: &'a OpKind,
    pub operands: &'a [ValueId],
    pub results: &'a [ValueId],
}

/// What a VJP rule adds to an operand's adjoint.
pub enum Contribution {
    Dense(ValueId),
    /// `updates` added at `indices` along `axis` (the adjoint of picking elements). The driver
    /// emits one `ScatterAdd` into the adjoint accumulated so far (zeros if none), rather than
    /// scattering into zeros and adding: inside a reversed loop that is an in-place update of
    /// the accumulator instead of a full-size add per iteration.
    Scatter {
        axis: usize,
        indices: ValueId,
        updates: ValueId,
    },
}

pub type Contributions = Result<Vec<Option<Contribution>>, AdError>;

/// Dense contributions.
pub fn dense(values: Vec<Option<ValueId>>) -> Contributions {
    Ok(values.into_iter().map(|v| v.map(Contribution::Dense)).collect())
}

/// Given the adjoints of the results (`None`: zero) and which operands need an adjoint, the
/// adjoint contribution of each operand (`None`: zero or not needed).
pub type VjpRule = fn(&mut Emitter, &Prim, &[Option<ValueId>], &[bool]) -> Contributions;

/// Given the tangents of the operands (`None`: zero), the tangent of each result (`None`: zero).
pub type JvpRule = fn(&mut Emitter, &Prim, &[Option<ValueId>]) -> ResultTangents;

pub type ResultTangents = Result<Vec<Option<ValueId>>, AdError>;

pub enum Rule {
    Diff {
        vjp: VjpRule,
        jvp: JvpRule,
    },
    /// The results do not depend differentiably on the operands: constants, integer and boolean
    /// results (comparisons, arg-reductions, sizes, iota), checks, printing, loads, and random
    /// numbers (treated as constants: no reparameterisation gradient to `mean` or `std`).
    /// Gradients stop here, which is the right answer for a piecewise-constant function.
    Zero,
    /// Ops with regions and calls, which the drivers differentiate structurally.
    Driver,
    Unsupported(&'static str),
}

/// The table.
pub fn rule(kind: &OpKind) -> Rule {
    let diff = |vjp: VjpRule, jvp: JvpRule| Rule::Diff { vjp, jvp };
    match kind {
        OpKind::Unary(_) => diff(ew::unary_vjp, ew::unary_jvp),
        OpKind::Binary(_) => diff(ew::binary_vjp, ew::binary_jvp),
        OpKind::Select => diff(ew::select_vjp, ew::select_jvp),
        OpKind::Cast => diff(ew::cast_vjp, ew::cast_jvp),
        OpKind::Broadcast => diff(sh::broadcast_vjp, sh::broadcast_jvp),
        OpKind::Reduce { .. } => diff(sh::reduce_vjp, sh::reduce_jvp),
        OpKind::MatMul => diff(sh::matmul_vjp, sh::matmul_jvp),
        OpKind::Reshape => diff(sh::reshape_vjp, sh::reshape_jvp),
        OpKind::Transpose { .. } => diff(sh::transpose_vjp, sh::transpose_jvp),
        OpKind::Slice { .. } => diff(ix::slice_vjp, ix::slice_jvp),
        OpKind::Index { .. } => diff(ix::index_vjp, ix::index_jvp),
        OpKind::Gather { .. } => diff(ix::gather_vjp, ix::gather_jvp),
        OpKind::ScatterAdd { .. } => diff(ix::scatter_add_vjp, ix::scatter_add_jvp),
        OpKind::Concat { .. } => diff(ix::concat_vjp, ix::concat_jvp),
        OpKind::Const(_)
        | OpKind::Compare(_)
        | OpKind::ArgReduce { .. }
        | OpKind::Iota { .. }
        | OpKind::Random(_)
        | OpKind::SizeOf { .. }
        | OpKind::Load(_)
        | OpKind::CheckEq
        | OpKind::CheckIndex
        | OpKind::CheckSlice
        | OpKind::Print(_) => Rule::Zero,
        OpKind::For { .. } | OpKind::While | OpKind::If | OpKind::Call(_) => Rule::Driver,
        OpKind::Conv2d { .. } => diff(wn::conv2d_vjp, wn::conv2d_jvp),
        OpKind::Pool2d { .. } => diff(wn::pool2d_vjp, wn::pool2d_jvp),
    }
}

/// A local derivative of an elementwise op with respect to one operand, kept symbolic so that
/// the common cases (`+`, `-`, `/`) apply without multiplying by a constant.
pub enum Partial {
    Zero,
    One,
    NegOne,
    /// Multiply by this value.
    Times(ValueId),
    /// Divide by this value.
    Over(ValueId),
}

impl Partial {
    /// `g * ∂`, or `None` when that is zero.
    pub fn apply(&self, e: &mut Emitter, g: ValueId) -> Result<Option<ValueId>, AdError> {
        Ok(match *self {
            Partial::Zero => None,
            Partial::One => Some(g),
            Partial::NegOne => Some(e.neg(g)?),
            Partial::Times(d) => Some(e.mul(g, d)?),
            Partial::Over(d) => Some(e.div(g, d)?),
        })
    }
}

/// `Σ tᵢ ∂ᵢ` over the operands with a tangent: the JVP of an elementwise op.
pub fn sum_partials(
    e: &mut Emitter,
    partials: &[Partial],
    tangents: &[Option<ValueId>],
) -> Result<Option<ValueId>, AdError> {
    let mut total: Option<ValueId> = None;
    for (p, t) in partials.iter().zip(tangents) {
        let Some(t) = t else { continue };
        if let Some(term) = p.apply(e, *t)? {
            total = Some(match total {
                None => term,
                Some(acc) => e.add(acc, term)?,
            });
        }
    }
    Ok(total)
}
