//! Derivative rules of the ops that pick elements by position: slice, index, gather,
//! scatter-add and concat. Picking is linear; its adjoint puts the adjoint back at the picked
//! positions, which `ScatterAdd` does (with an `Iota`-built index for slices, a one-element
//! index for `Index`), so the IR needs no pad or scatter of its own for autodiff. These rules
//! return [`Contribution::Scatter`] and the driver scatters into the running adjoint.

use tf_ir::*;

use crate::emit::Emitter;
use crate::rules::Prim;
use crate::rules::{dense, Contribution, Contributions, ResultTangents};

pub fn slice_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let (Some(g), true) = (adj[0], need[0]) else { return dense(vec![None, None]) };
    let OpKind::Slice { axis, step } = *p.kind else { unreachable!("slice rule applied to {:?}", p.kind) };
    let len = e.ty(p.results[0]).shape[axis].clone();
    let indices = e.positions(p.operands[1], step, &len)?;
    Ok(vec![Some(Contribution::Scatter { axis, indices, updates: g }), None])
}

pub fn slice_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    let ty = e.ty(p.results[0]);
    Ok(vec![Some(e.typed(p.kind.clone(), vec![t, p.operands[1]], ty))])
}

pub fn index_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let (Some(g), true) = (adj[0], need[0]) else { return dense(vec![None, None]) };
    let OpKind::Index { axis } = *p.kind else { unreachable!("index rule applied to {:?}", p.kind) };
    let x_ty = e.ty(p.operands[0]);
    // Scatter one slab: the index as a one-element vector, the adjoint with the axis back as 1.
    let indices = e.broadcast(p.operands[1], &Type::new(DType::I64, vec![Size::constant(1)]));
    let mut slab_shape = e.ty(g).shape;
    slab_shape.insert(axis, Size::constant(1));
    let updates = e.reshape(g, &Type::new(x_ty.dtype, slab_shape));
    Ok(vec![Some(Contribution::Scatter { axis, indices, updates }), None])
}

pub fn index_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    Ok(vec![Some(e.op1(p.kind.clone(), vec![t, p.operands[1]])?)])
}

pub fn gather_vjp(_: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let (Some(g), true) = (adj[0], need[0]) else { return dense(vec![None, None]) };
    let OpKind::Gather { axis } = *p.kind else { unreachable!("gather rule applied to {:?}", p.kind) };
    Ok(vec![Some(Contribution::Scatter { axis, indices: p.operands[1], updates: g }), None])
}

pub fn gather_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let Some(t) = tangents[0] else { return Ok(vec![None]) };
    Ok(vec![Some(e.op1(p.kind.clone(), vec![t, p.operands[1]])?)])
}

pub fn scatter_add_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None; 3]) };
    let OpKind::ScatterAdd { axis } = *p.kind else { unreachable!("scatter rule applied to {:?}", p.kind) };
    let updates = if need[2] { Some(e.op1(OpKind::Gather { axis }, vec![g, p.operands[1]])?) } else { None };
    dense(vec![need[0].then_some(g), None, updates])
}

pub fn scatter_add_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    let (target, updates) = (tangents[0], tangents[2]);
    let Some(tu) = updates else { return Ok(vec![target]) };
    let tt = target.unwrap_or_else(|| e.zeros(&e.ty(p.results[0])));
    Ok(vec![Some(e.op1(p.kind.clone(), vec![tt, p.operands[1], tu])?)])
}

pub fn concat_vjp(e: &mut Emitter, p: &Prim, adj: &[Option<ValueId>], need: &[bool]) -> Contributions {
    let Some(g) = adj[0] else { return dense(vec![None; p.operands.len()]) };
    let OpKind::Concat { axis } = *p.kind else { unreachable!("concat rule applied to {:?}", p.kind) };
    let mut offset = Size::constant(0);
    let mut out = Vec::new();
    for (&x, &needed) in p.operands.iter().zip(need) {
        let ty = e.ty(x);
        out.push(if needed {
            let start = e.size(&offset);
            Some(e.typed(OpKind::Slice { axis, step: 1 }, vec![g, start], ty.clone()))
        } else {
            None
        });
        offset = offset.add(&ty.shape[axis]);
    }
    dense(out)
}

pub fn concat_jvp(e: &mut Emitter, p: &Prim, tangents: &[Option<ValueId>]) -> ResultTangents {
    if tangents.iter().all(Option::is_none) {
        return Ok(vec![None]);
    }
    let mut parts = Vec::new();
    for (&x, t) in p.operands.iter().zip(tangents) {
        parts.push(t.unwrap_or_else(|| e.zeros(&e.ty(x))));
    }
    Ok(vec![Some(e.op1(p.kind.clone(), parts)?)])
}
