//! The ops without regions or effects: fetches the operands and the concrete result shape, then
//! hands them to the op family's module. The result shape comes from the IR type, evaluated
//! before the kernel runs, so that a kernel can check its own arithmetic against it before it
//! allocates.

use tf_ir::{Op, OpKind};

use super::{elementwise, layout, random, reduce, window, Frame};
use crate::error::{RunError, RunErrorKind};
use crate::value::Tensor;

pub(super) fn eval(frame: &Frame<'_>, op: &Op) -> Result<Vec<Tensor>, RunError> {
    let args: Vec<&Tensor> = op.operands.iter().map(|&v| frame.get(v)).collect::<Result<_, _>>()?;
    let arg = |i: usize| args.get(i).copied().ok_or_else(|| RunError::internal(format!("missing operand {i}")));
    let int = |i: usize| frame.get_i64(*op.operands.get(i).ok_or_else(|| RunError::internal("missing operand"))?);
    let result = || {
        let v = op.results.first().ok_or_else(|| RunError::internal("op without a result"))?;
        let ty = frame.func.ty(*v);
        Ok::<_, RunError>((ty.dtype, frame.shape_of(ty)?))
    };
    let out = match &op.kind {
        OpKind::Const(lit) => elementwise::constant(*lit, result()?.0),
        OpKind::Unary(u) => elementwise::unary(*u, arg(0)?)?,
        OpKind::Binary(b) => elementwise::binary(*b, arg(0)?, arg(1)?)?,
        OpKind::Compare(c) => elementwise::compare(*c, arg(0)?, arg(1)?)?,
        OpKind::Select => elementwise::select(arg(0)?, arg(1)?, arg(2)?)?,
        OpKind::Cast => elementwise::cast(arg(0)?, result()?.0),
        OpKind::Broadcast => layout::broadcast(arg(0)?, result()?.1)?,
        OpKind::Reduce { op, axes, keepdims } => reduce::reduce(*op, axes, *keepdims, arg(0)?, &result()?.1)?,
        OpKind::ArgReduce { op, axis, keepdims } => reduce::arg_reduce(*op, *axis, *keepdims, arg(0)?)?,
        OpKind::MatMul => reduce::matmul(arg(0)?, arg(1)?, &result()?.1)?,
        OpKind::Reshape => layout::reshape(arg(0)?, result()?.1)?,
        OpKind::Transpose { perm } => layout::transpose(arg(0)?, perm)?,
        OpKind::Slice { axis, step } => layout::slice(arg(0)?, int(1)?, *axis, *step, result()?.1)?,
        OpKind::Index { axis } => layout::index(arg(0)?, int(1)?, *axis)?,
        OpKind::Gather { axis } => layout::gather(arg(0)?, arg(1)?, *axis, &result()?.1)?,
        OpKind::ScatterAdd { axis } => layout::scatter_add(arg(0)?, arg(1)?, arg(2)?, *axis)?,
        OpKind::Concat { axis } => layout::concat(&args, *axis)?,
        OpKind::Iota { axis } => {
            let (dtype, shape) = result()?;
            layout::iota(dtype, shape, *axis)?
        }
        OpKind::Random(dist) => {
            let (dtype, shape) = result()?;
            random::random(*dist, int(0)?, arg(1)?, arg(2)?, dtype, shape)?
        }
        OpKind::Conv2d { stride, padding } => window::conv2d(arg(0)?, arg(1)?, *stride, *padding, &result()?.1)?,
        OpKind::Pool2d { kind, size, stride } => window::pool2d(arg(0)?, *kind, *size, *stride, &result()?.1)?,
        OpKind::SizeOf { axis } => {
            let n = arg(0)?.shape.get(*axis).ok_or_else(|| RunError::internal("size_of a missing axis"))?;
            Tensor::scalar(*n as i64)
        }
        OpKind::CheckEq => {
            let (a, b) = (int(0)?, int(1)?);
            if a != b {
                return Err(RunError::of(RunErrorKind::DimensionMismatch, format!("dimension mismatch: {a} != {b}")));
            }
            return Ok(Vec::new());
        }
        OpKind::CheckIndex => {
            let (i, n) = (int(0)?, int(1)?);
            if !(0 <= i && i < n) {
                return Err(RunError::of(
                    RunErrorKind::IndexOutOfRange,
                    format!("index out of range: {i} is not in 0..{n}"),
                ));
            }
            return Ok(Vec::new());
        }
        OpKind::CheckSlice => {
            let (start, end, n) = (int(0)?, int(1)?, int(2)?);
            if !(0 <= start && start <= end && end <= n) {
                return Err(RunError::of(
                    RunErrorKind::IndexOutOfRange,
                    format!("slice out of range: {start}..{end} is not within 0..{n}"),
                ));
            }
            return Ok(Vec::new());
        }
        OpKind::Load(_) | OpKind::Print(_) | OpKind::Call(_) | OpKind::For { .. } | OpKind::While | OpKind::If => {
            return Err(RunError::internal(format!("{:?} is not a kernel", op.kind)));
        }
    };
    Ok(vec![out])
}
