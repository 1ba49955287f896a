//! Derivative rules of the elementwise ops (unary, binary, select, cast). Each op's local
//! derivative is written once, as a [`Partial`] per operand; the VJP multiplies the result's
//! adjoint by it and the JVP sums tangents times it. The partials use only differentiable ops
//! (arithmetic, select, compare, constants), so gradients of gradients work.

use tf_ir::*;

use crate::emit::Emitter;
use crate::rules::{dense, Contributions, ResultTangents};
use crate::rules::{sum_partials, Partial, Prim};
use crate::AdError;

/// `∂y/∂x` for `y = op(x)`.
fn unary_partial(e: &mut Emitter, op: UnaryOp, x: ValueId, y: ValueId) -> Result<Partial, AdError> {
    use UnaryOp::*;
    Ok(match op {
        Neg => Partial::NegOne,
        // Piecewise constant: zero almost everywhere (and at the jumps, by convention).
        Not | Sign | Floor | Ceil | Round => Partial::Zero,
        Abs => Partial::Times(e.unary(Sign, x)?),
        Exp => Partial::Times(y),
        Log => Partial::Over(x),
        Log1p => {
            let one = e.fill_like(1.0, x);
            Partial::Over(e.add(one, x)?)
        }
        Expm1 => {
            let one = e.fill_like(1.0, y);
            Partial::Times(e.add(y, one)?)
        }
        Sqrt => Partial::Over(e.add(y, y)?),
        Rsqrt => {
            // d/dx x^(-1/2) = -x^(-3/2) / 2 = -y / (2x)
            let half = e.fill_like(-0.5, y);
            let r = e.div(y, x)?;
            Partial::Times(e.mul(half, r)?)
        }
        Tanh => {
            let one = e.fill_like(1.0, y);
            let sq = e.mul(y, y)?;
            Partial::Times(e.sub(one, sq)?)
        }
        Sigmoid => {
            let one = e.fill_like(1.0, y);
            let rest = e.sub(one, y)?;
            Partial::Times(e.mul(y, rest)?)
        }
        Sin => Partial::Times(e.unary(Cos, x)?),
        Cos => {
            let s = e.unary(Sin, x)?;
            Partial::Times(e.neg(s)?)
        }
        Erf => {
            // 2/sqrt(pi) * exp(-x^2)
            let sq = e.mul(x, x)?;
            let negsq = e.neg(sq)?;
            let ex = e.unary(Exp, negsq)?;
            let c = e.fill_like(std::f64::consts::FRAC_2_SQRT_PI, x);
            Partial::Times(e.mul(c, ex)?)
        }
    })
}

/// `[∂y/∂a, ∂y/∂b]` for `y = op(a, b)`; a partial that is not `need`ed may be left `Zero`.
fn binary_partials(
    e: &mut Emitter,
    op: BinaryOp,
    (a, b, y): (ValueId, ValueId, ValueId),
    need: &[bool],
) -> Result<[Partial; 2], AdError> {
    use BinaryOp::*;
    Ok(match op {
        Add => [Partial::One, Partial::One],
        Sub => [Partial::One, Partial::NegOne],
        Mul => [Partial::Times(b), Partial::Times(a)],
        Div => {
            // d(a/b)/db = -a/b² = -y/b
            let pb = if need[1] {
                let r = e.div(y, b)?;
                Partial::Times(e.neg(r)?)
            } else {
                Partial::Zero
            };
            [Partial::Over(b), pb]
        }
        Rem => {
            // y = a - b*q with q the (integral) quotient, so dy/db = -q; `round` makes q
            // exactly integral and piecewise constant.
            let pb = if need[1] {
                let d = e.sub(a, y)?;
                let q = e.div(d, b)?;
                let q = e.unary(UnaryOp::Round, q)?;
                Partial::Times(e.neg(q)?)
            } else {
                Partial::Zero
            };
            [Partial::One, pb]
        }
        Pow => {
            let pa = if need[0] {
                let one = e.fill_like(1.0, b);
                let bm1 = e.sub(b, one)?;
                let p = e.binary(Pow, a, bm1)?;
                Partial::Times(e.mul(b, p)?)
            } else {
                Partial::Zero
            };
            // d(a^b)/db = a^b log a, taken as 0 where a = 0 (as PyTorch does) rather than NaN.
            let pb = if need[1] {
                let log = e.unary(UnaryOp::Log, a)?;
                let full = e.mul(y, log)?;
                let zero = e.fill_like(0.0, a);
                let at_zero = e.compare(CmpOp::Eq, a, zero)?;
                Partial::Times(e.select(at_zero, zero, full)?)
            } else {
                Partial::Zero
            };
            [pa, pb]
        }
        Max | Min => {
            // The winner takes the gradient; a tie splits it evenly (like torch.maximum).
            let wins = if op == Max { CmpOp::Gt } else { CmpOp::Lt };
            let (one, half, zero) = (e.fill_like(1.0, a), e.fill_like(0.5, a), e.fill_like(0.0, a));
            let a_wins = e.compare(wins, a, b)?;
            let tie = e.compare(CmpOp::Eq, a, b)?;
            let tie_share = e.select(tie, half, zero)?;
            let pa = e.select(a_wins, one, tie_share)?;
            let pb = if need[1] { Partial::Times(e.sub(one, pa)?) } else { Partial::Zero };
            [Partial::Times(pa), pb]
        }
        And | Or => [Partial::Zero, Partial::Zero],
    })
}

fn unary_op(p: &Prim) -> UnaryOp {
    match p.kind {
        OpKind::Unary(op) => *op,
        other => unreachable!("unary rule applied to {other:?}"),
    }
}

fn binary_op(p: &Prim) -> BinaryOp {
    match p.kind {
        OpKind::Binary(op) => *op,
        other => unreachable!("binary rule applied to {other:?}"),
    }
}

pub fn unary_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], _: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None]) };
    let partial = unary_partial(e, unary_op(p), p.operands[0], p.results[0])?;
    dense(vec![partial.apply(e, g)?])
}

pub fn unary_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    let partial = unary_partial(e, unary_op(p), p.operands[0], p.results[0])?;
    Ok(vec![partial.apply(e, t)?])
}

pub fn binary_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None, None]) };
    let abc = (p.operands[0], p.operands[1], p.results[0]);
    let partials = binary_partials(e, binary_op(p), abc, need)?;
    let mut out = Vec::new();
    for (partial, &needed) in partials.iter().zip(need) {
        out.push(if needed { partial.apply(e, g)? } else { None });
    }
    dense(out)
}

pub fn binary_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let need: Vec<bool> = tangents.iter().map(Option::is_some).collect();
    let abc = (p.operands[0], p.operands[1], p.results[0]);
    let partials = binary_partials(e, binary_op(p), abc, &need)?;
    Ok(vec![sum_partials(e, &partials, tangents)?])
}

pub fn select_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None; 3]) };
    let c = p.operands[0];
    let zero = e.fill_like(0.0, g);
    let a = if need[1] { Some(e.select(c, g, zero)?) } else { None };
    let b = if need[2] { Some(e.select(c, zero, g)?) } else { None };
    dense(vec![None, a, b])
}

pub fn select_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    if tangents[1].is_none() && tangents[2].is_none() {
        return Ok(vec![None]);
    }
    let ty = e.ty(p.results[0]);
    let ta = tangents[1].unwrap_or_else(|| e.zeros(&ty));
    let tb = tangents[2].unwrap_or_else(|| e.zeros(&ty));
    Ok(vec![Some(e.select(p.operands[0], ta, tb)?)])
}

/// Casts between float types carry derivatives (in the other precision); casts from or to
/// integers and booleans stop them.
fn float_cast(e: &Emitter, p: &Prim) -> bool {
    e.ty(p.operands[0]).dtype.is_float() && e.ty(p.results[0]).dtype.is_float()
}

pub fn cast_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], _: &[bool]) -> Contributions {
    let (Some(g), true) = (adj[0], float_cast(e, p)) else { return dense(vec![None]) };
    let dtype = e.ty(p.operands[0]).dtype;
    dense(vec![Some(e.cast(g, dtype))])
}

pub fn cast_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let (Some(t), true) = (tangents[0], float_cast(e, p)) else { return Ok(vec![None]) };
    let dtype = e.ty(p.results[0]).dtype;
    Ok(vec![Some(e.cast(t, dtype))])
}
