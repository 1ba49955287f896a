//! Sliding-window ops on `[N, C, H, W]` tensors: `Conv2d` (cross-correlation, as PyTorch's
//! `conv2d`, with zero padding) and `Pool2d` (max or average, no padding). Output sizes are
//! `(H + 2 * padding - KH) / stride + 1`, rounded down; the result type must agree.

use tf_ir::{BinaryOp, PoolKind, ReduceOp};

use super::elementwise::{dtype_mismatch, from_int, undefined, Arith, Undefined};
use super::layout::if_empty;
use crate::error::{RunError, RunErrorKind};
use crate::value::{dispatch, dispatch2, Data, Tensor};

fn dims4(t: &Tensor, what: &str) -> Result<[usize; 4], RunError> {
    match t.shape[..] {
        [a, b, c, d] if t.is_consistent() => Ok([a, b, c, d]),
        _ => Err(RunError::internal(format!("{what} must have rank 4, has shape {:?}", t.shape))),
    }
}

/// Positions of a window along one axis: `(len + 2 * padding - window) / stride + 1`.
fn out_len(len: usize, window: usize, stride: usize, padding: usize) -> Result<usize, RunError> {
    if stride == 0 {
        return Err(RunError::internal("a window stride of 0"));
    }
    let padded = padding.checked_mul(2).and_then(|p| p.checked_add(len));
    match padded {
        Some(padded) if padded >= window => Ok((padded - window) / stride + 1),
        _ => Err(RunError::of(
            RunErrorKind::DimensionMismatch,
            format!("a window of {window} does not fit an input of {len} with padding {padding}"),
        )),
    }
}

fn expect(shape: [usize; 4], out: &[usize]) -> Result<(), RunError> {
    if out == shape {
        Ok(())
    } else {
        Err(RunError::internal(format!("the operands give shape {shape:?}, the result type {out:?}")))
    }
}

/// `out[b, o, y, x] = sum over c, i, j of x[b, c, y*s + i - p, x*s + j - p] * w[o, c, i, j]`,
/// summed in order of `(c, i, j)`. Positions in the padding are skipped rather than multiplied
/// by zero (the two differ only when a weight is infinite or NaN).
pub(super) fn conv2d(x: &Tensor, w: &Tensor, stride: usize, padding: usize, out: &[usize]) -> Result<Tensor, RunError> {
    struct Dims {
        n: usize,
        c: usize,
        h: usize,
        w: usize,
        o: usize,
        kh: usize,
        kw: usize,
        oh: usize,
        ow: usize,
        stride: usize,
        padding: usize,
    }
    fn go<T: Arith>(x: &[T], w: &[T], d: &Dims) -> Data {
        // Input row `y * stride + i` of the padded image, or `None` in the padding.
        let unpad = |at: usize, len: usize| at.checked_sub(d.padding).filter(|&a| a < len);
        let mut out = Vec::with_capacity(d.n * d.o * d.oh * d.ow);
        for b in 0..d.n {
            for o in 0..d.o {
                for y in 0..d.oh {
                    for xo in 0..d.ow {
                        let mut acc = T::zero();
                        for c in 0..d.c {
                            for i in 0..d.kh {
                                let Some(iy) = unpad(y * d.stride + i, d.h) else { continue };
                                for j in 0..d.kw {
                                    let Some(ix) = unpad(xo * d.stride + j, d.w) else { continue };
                                    let input = x[((b * d.c + c) * d.h + iy) * d.w + ix];
                                    acc = acc.add(input.mul(w[((o * d.c + c) * d.kh + i) * d.kw + j]));
                                }
                            }
                        }
                        out.push(acc);
                    }
                }
            }
        }
        T::wrap(out)
    }
    let [n, c, h, wd] = dims4(x, "the conv2d input")?;
    let [o, c2, kh, kw] = dims4(w, "the conv2d weights")?;
    if c != c2 {
        return Err(RunError::of(
            RunErrorKind::DimensionMismatch,
            format!("conv2d: the input has {c} channels, the weights {c2}"),
        ));
    }
    let (oh, ow) = (out_len(h, kh, stride, padding)?, out_len(wd, kw, stride, padding)?);
    expect([n, o, oh, ow], out)?;
    if let Some(empty) = if_empty(out, x.dtype()) {
        return Ok(empty);
    }
    let d = Dims { n, c, h, w: wd, o, kh, kw, oh, ow, stride, padding };
    // `dims4` checked both operands hold exactly their shapes' elements, and `unpad` keeps
    // every input position inside the image, so the indexing in `go` stays in range.
    let data = dispatch2!(&x.data, &w.data, (xs, ws) => go(xs, ws, &d), _ => return Err(dtype_mismatch(x, w)));
    Tensor::new(out.to_vec(), data).map_err(RunError::internal)
}

/// The maximum (NaN-propagating) or the mean of each `size × size` window; an integer mean is
/// truncated toward zero like integer division.
pub(super) fn pool2d(
    x: &Tensor,
    kind: PoolKind,
    size: usize,
    stride: usize,
    out: &[usize],
) -> Result<Tensor, RunError> {
    fn go<T: Arith>(
        v: &[T],
        kind: PoolKind,
        [n, c, h, w]: [usize; 4],
        size: usize,
        stride: usize,
    ) -> Result<Data, RunError> {
        let (oh, ow) = ((h - size) / stride + 1, (w - size) / stride + 1);
        let fold = match kind {
            PoolKind::Max => BinaryOp::Max,
            PoolKind::Avg => BinaryOp::Add,
        };
        let init = match kind {
            PoolKind::Max => T::identity(ReduceOp::Max),
            PoolKind::Avg => Some(T::zero()),
        };
        let fail = |why| undefined(kind, T::DTYPE, why);
        let init = init.ok_or_else(|| fail(Undefined::NotForDtype))?;
        let count = from_int::<T>((size * size) as i64);
        let mut out = Vec::with_capacity(n * c * oh * ow);
        for plane in 0..n * c {
            for y in 0..oh {
                for xo in 0..ow {
                    let mut acc = init;
                    for i in 0..size {
                        for j in 0..size {
                            let value = v[(plane * h + y * stride + i) * w + xo * stride + j];
                            acc = T::binary(fold, acc, value).map_err(fail)?;
                        }
                    }
                    if kind == PoolKind::Avg {
                        acc = T::binary(BinaryOp::Div, acc, count).map_err(fail)?;
                    }
                    out.push(acc);
                }
            }
        }
        Ok(T::wrap(out))
    }
    let dims @ [n, c, h, w] = dims4(x, "the pool2d input")?;
    if size == 0 {
        return Err(RunError::internal("a pooling window of size 0"));
    }
    let (oh, ow) = (out_len(h, size, stride, 0)?, out_len(w, size, stride, 0)?);
    expect([n, c, oh, ow], out)?;
    if let Some(empty) = if_empty(out, x.dtype()) {
        return Ok(empty);
    }
    // `dims4` checked the element count and `out_len` that every window lies inside the image.
    let data = dispatch!(&x.data, v => go(v, kind, dims, size, stride))?;
    Tensor::new(out.to_vec(), data).map_err(RunError::internal)
}
