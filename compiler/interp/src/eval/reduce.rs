//! Ops that combine many elements into one: `Reduce`, `ArgReduce` and `MatMul`. Sums start
//! from the identity and add in row-major order of the combined elements, in the operands'
//! dtype; compiled code may associate differently, so comparisons against it use tolerances.

use tf_ir::{ArgReduceOp, BinaryOp, DType, ReduceOp};

use super::elementwise::{dtype_mismatch, undefined, Arith, Undefined};
use super::layout::if_empty;
use crate::error::{RunError, RunErrorKind};
use crate::value::{dispatch, dispatch2, numel, strides, Data, Elem, Tensor};

/// The binary op a reduction folds with (`Max` propagates NaN, as elementwise `max` does).
fn combine(op: ReduceOp) -> BinaryOp {
    match op {
        ReduceOp::Sum => BinaryOp::Add,
        ReduceOp::Prod => BinaryOp::Mul,
        ReduceOp::Max => BinaryOp::Max,
        ReduceOp::Min => BinaryOp::Min,
        ReduceOp::All => BinaryOp::And,
        ReduceOp::Any => BinaryOp::Or,
    }
}

/// The shape with `axes` set to 1 (kept) or removed.
fn reduced_shape(shape: &[usize], axes: &[usize], keepdims: bool) -> Vec<usize> {
    let kept = shape.iter().enumerate().map(|(i, &d)| if axes.contains(&i) { 1 } else { d });
    if keepdims {
        kept.collect()
    } else {
        shape.iter().enumerate().filter(|(i, _)| !axes.contains(i)).map(|(_, &d)| d).collect()
    }
}

/// Folds `op` over `axes`. Reducing an empty axis gives the identity: 0 for sum, 1 for
/// product, -inf (or the least integer, or `false`) for max, and so on.
pub(super) fn reduce(
    op: ReduceOp,
    axes: &[usize],
    keepdims: bool,
    x: &Tensor,
    out: &[usize],
) -> Result<Tensor, RunError> {
    fn go<T: Arith>(op: ReduceOp, v: &[T], shape: &[usize], axes: &[usize]) -> Result<Data, RunError> {
        let init = T::identity(op).ok_or_else(|| undefined(op, T::DTYPE, Undefined::NotForDtype))?;
        let kept = reduced_shape(shape, axes, true);
        // Each input element's position in the output: its index with the reduced axes zeroed.
        let mut to_out = strides(&kept);
        for &a in axes {
            to_out[a] = 0;
        }
        let mut out = vec![init; numel(&kept).unwrap_or(0)];
        let positions = super::layout::strided_positions(shape, 0, &to_out);
        for (&x, p) in v.iter().zip(positions) {
            let slot = out.get_mut(p).ok_or_else(|| RunError::internal("reduce out of range"))?;
            *slot = T::binary(combine(op), *slot, x).map_err(|why| undefined(op, T::DTYPE, why))?;
        }
        Ok(T::wrap(out))
    }
    check_axes(axes, x.rank())?;
    // Checked before `go` allocates: the result type bounds the result's size.
    let shape = reduced_shape(&x.shape, axes, keepdims);
    if shape != out {
        return Err(RunError::internal(format!("reduce gives {shape:?}, its type says {out:?}")));
    }
    let data = dispatch!(&x.data, v => go(op, v, &x.shape, axes))?;
    Tensor::new(shape, data).map_err(RunError::internal)
}

fn check_axes(axes: &[usize], rank: usize) -> Result<(), RunError> {
    let distinct = axes.iter().enumerate().all(|(i, a)| !axes[..i].contains(a));
    if distinct && axes.iter().all(|&a| a < rank) {
        Ok(())
    } else {
        Err(RunError::internal(format!("axes {axes:?} for rank {rank}")))
    }
}

/// The index (`i64`) of the first extreme element along `axis`. A NaN counts as more extreme
/// than any number (the first NaN wins), consistently with `max` propagating NaN. An empty
/// axis has no extreme: an error, unless the result is empty too.
pub(super) fn arg_reduce(op: ArgReduceOp, axis: usize, keepdims: bool, x: &Tensor) -> Result<Tensor, RunError> {
    fn go<T: Elem>(op: ArgReduceOp, v: &[T], outer: usize, dim: usize, inner: usize) -> Option<Vec<i64>> {
        let better = |new: T, best: T| {
            if best.is_nan() {
                false
            } else if new.is_nan() {
                true
            } else {
                match op {
                    ArgReduceOp::ArgMax => new > best,
                    ArgReduceOp::ArgMin => new < best,
                }
            }
        };
        let mut out = Vec::with_capacity(outer * inner);
        for o in 0..outer {
            for k in 0..inner {
                let at = |j: usize| v.get((o * dim + j) * inner + k).copied();
                let mut best = 0;
                for j in 1..dim {
                    if better(at(j)?, at(best)?) {
                        best = j;
                    }
                }
                out.push(best as i64);
            }
        }
        Some(out)
    }
    check_axes(&[axis], x.rank())?;
    let (outer, dim, inner) = (numel(&x.shape[..axis]), x.shape[axis], numel(&x.shape[axis + 1..]));
    let (Some(outer), Some(inner)) = (outer, inner) else { return Err(RunError::internal("shape overflow")) };
    if dim == 0 && outer > 0 && inner > 0 {
        return Err(RunError::of(RunErrorKind::IndexOutOfRange, format!("{op:?} of an empty axis")));
    }
    let shape = reduced_shape(&x.shape, &[axis], keepdims);
    if let Some(empty) = if_empty(&shape, DType::I64) {
        return Ok(empty);
    }
    let out = dispatch!(&x.data, v => go(op, v, outer, dim, inner)).ok_or_else(|| RunError::internal("argreduce"))?;
    Tensor::from_vec(shape, out).map_err(RunError::internal)
}

/// `[..., m, k] @ [..., k, n] → [..., m, n]`: `c[i, j] = sum_p a[i, p] * b[p, j]`, summed from
/// zero in order of `p`. For bool it is the (or, and) product.
pub(super) fn matmul(a: &Tensor, b: &Tensor, out: &[usize]) -> Result<Tensor, RunError> {
    fn go<T: Arith>(x: &[T], y: &[T], batch: usize, m: usize, k: usize, n: usize) -> Data {
        let mut c = Vec::with_capacity(batch * m * n);
        for bt in 0..batch {
            let (xb, yb) = (&x[bt * m * k..(bt + 1) * m * k], &y[bt * k * n..(bt + 1) * k * n]);
            for i in 0..m {
                let row = &xb[i * k..(i + 1) * k];
                for j in 0..n {
                    let mut acc = T::zero();
                    for (p, &r) in row.iter().enumerate() {
                        acc = acc.add(r.mul(yb[p * n + j]));
                    }
                    c.push(acc);
                }
            }
        }
        T::wrap(c)
    }
    let rank = a.rank();
    let fits = rank >= 2
        && b.rank() == rank
        && a.shape[..rank - 2] == b.shape[..rank - 2]
        && a.shape[rank - 1] == b.shape[rank - 2]
        && out.len() == rank
        && out[..rank - 1] == a.shape[..rank - 1]
        && out[rank - 1] == b.shape[rank - 1]
        && a.is_consistent()
        && b.is_consistent();
    if !fits {
        return Err(RunError::internal(format!("matmul of {:?} and {:?} into {out:?}", a.shape, b.shape)));
    }
    let batch = numel(&a.shape[..rank - 2]).ok_or_else(|| RunError::internal("shape overflow"))?;
    let (m, k, n) = (a.shape[rank - 2], a.shape[rank - 1], b.shape[rank - 1]);
    if let Some(empty) = if_empty(out, a.dtype()) {
        return Ok(empty);
    }
    // The checks above make every slice and index in `go` lie within the operands.
    let data = dispatch2!(&a.data, &b.data, (x, y) => go(x, y, batch, m, k, n), _ => return Err(dtype_mismatch(a, b)));
    Tensor::new(out.to_vec(), data).map_err(RunError::internal)
}
