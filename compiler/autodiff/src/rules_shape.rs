//! Derivative rules of the ops that move or combine elements without indices: broadcast,
//! reductions, matrix product, reshape and transpose. Adjoints of shape ops are the inverse
//! shape op (broadcast ↔ sum, reshape ↔ reshape, transpose ↔ inverse transpose).

use tf_ir::infer::reduce_shape;
use tf_ir::*;

use crate::emit::Emitter;
use crate::rules::Prim;
use crate::rules::{dense, Contributions, ResultTangents};
use crate::AdError;

pub fn broadcast_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], _: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None]) };
    let to = e.ty(p.operands[0]);
    dense(vec![Some(e.sum_to(g, &to)?)])
}

pub fn broadcast_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    let ty = e.ty(p.results[0]);
    Ok(vec![Some(e.broadcast(t, &ty))])
}

fn reduce_parts<'a>(p: &Prim<'a>) -> (ReduceOp, &'a [usize], bool) {
    match p.kind {
        OpKind::Reduce { op, axes, keepdims } => (*op, axes, *keepdims),
        other => unreachable!("reduce rule applied to {other:?}"),
    }
}

/// For max and min: where `x` equals the extreme (a bool mask of `x`'s shape), and how many
/// elements share it, in the keepdims shape. The gradient is spread evenly over the tied
/// elements (like `torch.amax`), so the rule is symmetric and the VJP and JVP agree.
fn extreme_mask(e: &mut Emitter, p: &Prim, axes: &[usize]) -> Result<(ValueId, ValueId), AdError> {
    let (x, y) = (p.operands[0], p.results[0]);
    let x_ty = e.ty(x);
    let yb = e.unreduce(y, &x_ty, axes);
    let mask = e.compare(CmpOp::Eq, x, yb)?;
    let (one, zero) = (e.fill(1.0, &x_ty), e.fill(0.0, &x_ty));
    let ones = e.select(mask, one, zero)?;
    let count = e.reduce(ReduceOp::Sum, ones, axes, true)?;
    Ok((mask, count))
}

pub fn reduce_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], _: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None]) };
    let (op, axes, _) = reduce_parts(p);
    let x = p.operands[0];
    let x_ty = e.ty(x);
    let adj = match op {
        ReduceOp::Sum => e.unreduce(g, &x_ty, axes),
        ReduceOp::Max | ReduceOp::Min => {
            let (mask, count) = extreme_mask(e, p, axes)?;
            let gk = e.keepdims(g, &x_ty, axes);
            let share = e.div(gk, count)?;
            let share = e.broadcast(share, &x_ty);
            let zero = e.fill(0.0, &x_ty);
            e.select(mask, share, zero)?
        }
        ReduceOp::Prod => {
            // ∂(Πx)/∂xᵢ = Πx / xᵢ: exact when no element is zero (NaN/inf where one is).
            let gy = e.mul(g, p.results[0])?;
            let gy = e.unreduce(gy, &x_ty, axes);
            e.div(gy, x)?
        }
        ReduceOp::All | ReduceOp::Any => return dense(vec![None]),
    };
    dense(vec![Some(adj)])
}

pub fn reduce_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    let (op, axes, keepdims) = reduce_parts(p);
    let x = p.operands[0];
    let x_ty = e.ty(x);
    let result_ty = e.ty(p.results[0]);
    let tangent = match op {
        ReduceOp::Sum => e.reduce(ReduceOp::Sum, t, axes, keepdims)?,
        ReduceOp::Max | ReduceOp::Min => {
            let (mask, count) = extreme_mask(e, p, axes)?;
            let zero = e.fill(0.0, &x_ty);
            let picked = e.select(mask, t, zero)?;
            let total = e.reduce(ReduceOp::Sum, picked, axes, true)?;
            let mean = e.div(total, count)?;
            e.reshape(mean, &result_ty)
        }
        ReduceOp::Prod => {
            let ratio = e.div(t, x)?;
            let total = e.reduce(ReduceOp::Sum, ratio, axes, keepdims)?;
            e.mul(p.results[0], total)?
        }
        ReduceOp::All | ReduceOp::Any => return Ok(vec![None]),
    };
    debug_assert_eq!(e.ty(tangent).shape, reduce_shape(&x_ty.shape, axes, keepdims));
    Ok(vec![Some(tangent)])
}

pub fn matmul_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None, None]) };
    let (a, b) = (p.operands[0], p.operands[1]);
    // y = a b: ā = ȳ bᵀ, b̄ = aᵀ ȳ (batch axes ride along).
    let da = if need[0] {
        let bt = e.transpose_last2(b)?;
        Some(e.op1(OpKind::MatMul, vec![g, bt])?)
    } else {
        None
    };
    let db = if need[1] {
        let at = e.transpose_last2(a)?;
        Some(e.op1(OpKind::MatMul, vec![at, g])?)
    } else {
        None
    };
    dense(vec![da, db])
}

pub fn matmul_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let (a, b) = (p.operands[0], p.operands[1]);
    let left = match tangents[0] {
        Some(ta) => Some(e.op1(OpKind::MatMul, vec![ta, b])?),
        None => None,
    };
    let right = match tangents[1] {
        Some(tb) => Some(e.op1(OpKind::MatMul, vec![a, tb])?),
        None => None,
    };
    Ok(vec![match (left, right) {
        (Some(l), Some(r)) => Some(e.add(l, r)?),
        (l, r) => l.or(r),
    }])
}

pub fn reshape_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], _: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None]) };
    let ty = e.ty(p.operands[0]);
    dense(vec![Some(e.reshape(g, &ty))])
}

pub fn reshape_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    let ty = e.ty(p.results[0]);
    Ok(vec![Some(e.reshape(t, &ty))])
}

fn perm<'a>(p: &Prim<'a>) -> &'a [usize] {
    match p.kind {
        OpKind::Transpose { perm } => perm,
        other => unreachable!("transpose rule applied to {other:?}"),
    }
}

pub fn transpose_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], _: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None]) };
    let forward = perm(p);
    let mut inverse = vec![0; forward.len()];
    for (i, &j) in forward.iter().enumerate() {
        inverse[j] = i;
    }
    dense(vec![Some(e.op1(OpKind::Transpose { perm: inverse }, vec![g])?)])
}

pub fn transpose_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    Ok(vec![Some(e.op1(OpKind::Transpose { perm: perm(p).to_vec() }, vec![t])?)])
}
