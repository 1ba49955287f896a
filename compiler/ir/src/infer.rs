//! Result types of the ops whose results follow from their operands; the builder uses it to
//! type new ops and the verifier to check existing ones. Ops whose result shape is a choice
//! (reshape, broadcast, slice length, casts, calls, loads, control flow) return `None` here.

use crate::ir::*;

/// The result types of an op, or an error saying which operand is wrong. `Err` with an empty
/// message means "not inferable: the result type must be given".
pub fn infer_results(f: &Function, kind: &OpKind, operands: &[ValueId]) -> Result<Vec<Type>, String> {
    let ty = |i: usize| -> Result<&Type, String> {
        operands.get(i).map(|v| f.ty(*v)).ok_or_else(|| format!("missing operand {i}"))
    };
    let arity = |n: usize| -> Result<(), String> {
        if operands.len() == n {
            Ok(())
        } else {
            Err(format!("expected {n} operands, found {}", operands.len()))
        }
    };
    let one = |t: Type| Ok(vec![t]);
    match kind {
        OpKind::Unary(op) => {
            arity(1)?;
            let t = ty(0)?;
            match op {
                UnaryOp::Not if t.dtype != DType::Bool => Err("`not` needs a bool operand".into()),
                UnaryOp::Not => one(t.clone()),
                _ if t.dtype == DType::Bool => Err(format!("{op:?} needs a numeric operand")),
                UnaryOp::Neg | UnaryOp::Abs | UnaryOp::Sign => one(t.clone()),
                _ if !t.dtype.is_float() => Err(format!("{op:?} needs a float operand")),
                _ => one(t.clone()),
            }
        }
        OpKind::Binary(op) => {
            arity(2)?;
            let (a, b) = (ty(0)?, ty(1)?);
            if a != b {
                return Err(format!("operands differ: {} and {}", show(a), show(b)));
            }
            let logical = matches!(op, BinaryOp::And | BinaryOp::Or);
            if logical != (a.dtype == DType::Bool) {
                return Err(format!("{op:?} of {}", a.dtype.name()));
            }
            one(a.clone())
        }
        OpKind::Compare(_) => {
            arity(2)?;
            let (a, b) = (ty(0)?, ty(1)?);
            if a != b {
                return Err(format!("operands differ: {} and {}", show(a), show(b)));
            }
            one(Type::new(DType::Bool, a.shape.clone()))
        }
        OpKind::Select => {
            arity(3)?;
            let (c, a, b) = (ty(0)?, ty(1)?, ty(2)?);
            if c.dtype != DType::Bool || c.shape != a.shape || a != b {
                return Err(format!("select of {}, {}, {}", show(c), show(a), show(b)));
            }
            one(a.clone())
        }
        OpKind::Reduce { op, axes, keepdims } => {
            arity(1)?;
            let t = ty(0)?;
            check_axes(axes, t.rank())?;
            let logical = matches!(op, ReduceOp::All | ReduceOp::Any);
            if logical != (t.dtype == DType::Bool) {
                return Err(format!("{op:?} of {}", t.dtype.name()));
            }
            one(Type::new(t.dtype, reduce_shape(&t.shape, axes, *keepdims)))
        }
        OpKind::ArgReduce { axis, keepdims, .. } => {
            arity(1)?;
            let t = ty(0)?;
            check_axes(&[*axis], t.rank())?;
            one(Type::new(DType::I64, reduce_shape(&t.shape, &[*axis], *keepdims)))
        }
        OpKind::MatMul => {
            arity(2)?;
            let (a, b) = (ty(0)?, ty(1)?);
            let (ra, rb) = (a.rank(), b.rank());
            if ra < 2 || ra != rb || a.dtype != b.dtype || a.shape[..ra - 2] != b.shape[..rb - 2] {
                return Err(format!("matmul of {} and {}", show(a), show(b)));
            }
            if a.shape[ra - 1] != b.shape[rb - 2] {
                return Err(format!("matmul inner dimensions differ: {} and {}", show(a), show(b)));
            }
            let mut shape = a.shape[..ra - 1].to_vec();
            shape.push(b.shape[rb - 1].clone());
            one(Type::new(a.dtype, shape))
        }
        OpKind::Transpose { perm } => {
            arity(1)?;
            let t = ty(0)?;
            let mut sorted = perm.clone();
            sorted.sort();
            if sorted != (0..t.rank()).collect::<Vec<_>>() {
                return Err(format!("{perm:?} is not a permutation of {} axes", t.rank()));
            }
            one(Type::new(t.dtype, perm.iter().map(|&i| t.shape[i].clone()).collect()))
        }
        OpKind::Index { axis } => {
            arity(2)?;
            let (t, i) = (ty(0)?, ty(1)?);
            check_axes(&[*axis], t.rank())?;
            require_i64_scalar(i)?;
            let mut shape = t.shape.clone();
            shape.remove(*axis);
            one(Type::new(t.dtype, shape))
        }
        OpKind::Gather { axis } => {
            arity(2)?;
            let (t, idx) = (ty(0)?, ty(1)?);
            check_axes(&[*axis], t.rank())?;
            if !idx.dtype.is_int() {
                return Err("gather indices must be integers".into());
            }
            let mut shape = t.shape[..*axis].to_vec();
            shape.extend(idx.shape.iter().cloned());
            shape.extend(t.shape[axis + 1..].iter().cloned());
            one(Type::new(t.dtype, shape))
        }
        OpKind::ScatterAdd { axis } => {
            arity(3)?;
            let (t, idx, upd) = (ty(0)?, ty(1)?, ty(2)?);
            check_axes(&[*axis], t.rank())?;
            let mut want = t.shape[..*axis].to_vec();
            want.extend(idx.shape.iter().cloned());
            want.extend(t.shape[axis + 1..].iter().cloned());
            if !idx.dtype.is_int() || upd.dtype != t.dtype || upd.shape != want {
                return Err(format!("scatter_add of {} at {} with {}", show(t), show(idx), show(upd)));
            }
            one(t.clone())
        }
        OpKind::Concat { axis } => {
            let first = ty(0)?;
            check_axes(&[*axis], first.rank())?;
            let mut total = Size::constant(0);
            for v in operands {
                let t = f.ty(*v);
                let same_elsewhere = t.rank() == first.rank()
                    && t.dtype == first.dtype
                    && (0..t.rank()).all(|i| i == *axis || t.shape[i] == first.shape[i]);
                if !same_elsewhere {
                    return Err(format!("concat of {} and {}", show(first), show(t)));
                }
                total = total.add(&t.shape[*axis]);
            }
            let mut shape = first.shape.clone();
            shape[*axis] = total;
            one(Type::new(first.dtype, shape))
        }
        OpKind::SizeOf { axis } => {
            arity(1)?;
            check_axes(&[*axis], ty(0)?.rank())?;
            one(Type::scalar(DType::I64))
        }
        OpKind::CheckEq | OpKind::CheckIndex => {
            arity(2)?;
            require_i64_scalar(ty(0)?)?;
            require_i64_scalar(ty(1)?)?;
            Ok(vec![])
        }
        OpKind::CheckSlice => {
            arity(3)?;
            for i in 0..3 {
                require_i64_scalar(ty(i)?)?;
            }
            Ok(vec![])
        }
        OpKind::Print(pieces) => {
            for p in pieces {
                if let PrintPiece::Value(i) = p {
                    ty(*i)?;
                }
            }
            Ok(vec![])
        }
        _ => Err(String::new()),
    }
}

fn require_i64_scalar(t: &Type) -> Result<(), String> {
    if t.dtype == DType::I64 && t.is_scalar() {
        Ok(())
    } else {
        Err(format!("expected an i64 scalar, found {}", show(t)))
    }
}

fn check_axes(axes: &[usize], rank: usize) -> Result<(), String> {
    let mut seen = Vec::new();
    for &a in axes {
        if a >= rank || seen.contains(&a) {
            return Err(format!("axes {axes:?} invalid for rank {rank}"));
        }
        seen.push(a);
    }
    Ok(())
}

pub fn reduce_shape(shape: &[Size], axes: &[usize], keepdims: bool) -> Vec<Size> {
    shape
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match (axes.contains(&i), keepdims) {
            (false, _) => Some(d.clone()),
            (true, true) => Some(Size::constant(1)),
            (true, false) => None,
        })
        .collect()
}

/// A type without value names, for messages.
pub fn show(t: &Type) -> String {
    let dims: Vec<String> = t.shape.iter().map(|d| d.display(&|v| format!("%{}", v.index()))).collect();
    if dims.is_empty() {
        t.dtype.name().to_string()
    } else {
        format!("{}[{}]", t.dtype.name(), dims.join(", "))
    }
}
