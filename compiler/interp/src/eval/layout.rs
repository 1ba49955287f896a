//! Ops that move elements without computing on them: `Broadcast`, `Reshape`, `Transpose`,
//! `Slice`, `Index`, `Gather`, `Concat`, `Iota`, and `ScatterAdd` (which adds, but is
//! `Gather`'s adjoint and shares its indexing). Most compute, for every result element, the
//! position of the operand element it copies, and one bounds-checked `Data::take` copies.
//!
//! Many view a shape around one axis as `[outer, dim, inner]`: the element at
//! `(o, j, k)` is at flat position `(o * dim + j) * inner + k`.

use tf_ir::DType;

use super::elementwise::{dtype_mismatch, from_int, Arith};
use crate::error::{RunError, RunErrorKind};
use crate::value::{dispatch, dispatch2, numel, strides, Data, Elem, Tensor};

/// `(outer, dim, inner)` of `shape` around `axis`.
fn around(shape: &[usize], axis: usize) -> Result<(usize, usize, usize), RunError> {
    let &dim = shape.get(axis).ok_or_else(|| RunError::internal(format!("axis {axis} of rank {}", shape.len())))?;
    let too_large = || RunError::of(RunErrorKind::SizeLimit, format!("shape {shape:?} is too large"));
    let outer = numel(&shape[..axis]).ok_or_else(too_large)?;
    let inner = numel(&shape[axis + 1..]).ok_or_else(too_large)?;
    Ok((outer, dim, inner))
}

/// For every index of `shape` in row-major order, `base + sum(index[i] * strides[i])`: the
/// positions of a strided view (a transpose, broadcast, slice or index of a tensor).
pub(super) fn strided_positions(shape: &[usize], base: usize, strides: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(numel(shape).unwrap_or(0));
    if shape.contains(&0) {
        return out;
    }
    let mut index = vec![0; shape.len()];
    let mut pos = base;
    loop {
        out.push(pos);
        // Advance the index like an odometer, last axis fastest.
        let mut axis = shape.len();
        loop {
            if axis == 0 {
                return out;
            }
            axis -= 1;
            index[axis] += 1;
            pos += strides[axis];
            if index[axis] < shape[axis] {
                break;
            }
            pos -= strides[axis] * shape[axis];
            index[axis] = 0;
        }
    }
}

/// The empty result of a kernel, when `shape` has no elements. Kernels return it before
/// computing any position: an empty tensor's other dimensions may be huge, and looping over
/// them (or multiplying their strides) would hang or overflow for nothing.
pub(super) fn if_empty(shape: &[usize], dtype: DType) -> Option<Tensor> {
    (numel(shape) == Some(0)).then(|| Tensor { shape: shape.to_vec(), data: Data::empty(dtype) })
}

/// The tensor of `shape` whose elements are `x`'s at `positions`.
fn take(x: &Tensor, positions: &[usize], shape: Vec<usize>) -> Result<Tensor, RunError> {
    let data = x.data.take(positions).ok_or_else(|| RunError::internal("a read past the end of a tensor"))?;
    Tensor::new(shape, data).map_err(RunError::internal)
}

/// NumPy broadcasting: operand axes align with the result's last axes; an operand axis of
/// length 1 repeats (stride 0).
pub(super) fn broadcast(x: &Tensor, out: Vec<usize>) -> Result<Tensor, RunError> {
    let offset = out.len().checked_sub(x.rank()).ok_or_else(|| RunError::internal("broadcast to a lower rank"))?;
    let mut from = vec![0; out.len()];
    for (i, (&d, s)) in x.shape.iter().zip(strides(&x.shape)).enumerate() {
        if d == out[i + offset] {
            from[i + offset] = s;
        } else if d != 1 {
            return Err(RunError::internal(format!("cannot broadcast {:?} to {out:?}", x.shape)));
        }
    }
    take(x, &strided_positions(&out, 0, &from), out)
}

pub(super) fn reshape(x: &Tensor, out: Vec<usize>) -> Result<Tensor, RunError> {
    Tensor::new(out, x.data.clone()).map_err(RunError::internal)
}

/// Result axis `i` is operand axis `perm[i]`.
pub(super) fn transpose(x: &Tensor, perm: &[usize]) -> Result<Tensor, RunError> {
    let mut sorted = perm.to_vec();
    sorted.sort_unstable();
    if sorted != (0..x.rank()).collect::<Vec<_>>() {
        return Err(RunError::internal(format!("{perm:?} does not permute {} axes", x.rank())));
    }
    let from = strides(&x.shape);
    let shape: Vec<usize> = perm.iter().map(|&p| x.shape[p]).collect();
    let steps: Vec<usize> = perm.iter().map(|&p| from[p]).collect();
    take(x, &strided_positions(&shape, 0, &steps), shape)
}

/// Element `j` along `axis` is `x`'s element `start + j * step`; the length is the result
/// type's. Reading outside the axis is an error; a slice of length 0 reads nothing, so any
/// start is accepted for it.
pub(super) fn slice(x: &Tensor, start: i64, axis: usize, step: i64, out: Vec<usize>) -> Result<Tensor, RunError> {
    let (_, dim, _) = around(&x.shape, axis)?;
    let len = out.get(axis).copied().unwrap_or(0);
    let same_elsewhere = out.len() == x.rank() && (0..out.len()).all(|i| i == axis || out[i] == x.shape[i]);
    if step <= 0 || !same_elsewhere {
        return Err(RunError::internal(format!("slice of {:?} to {out:?} with step {step}", x.shape)));
    }
    if len == 0 {
        return Tensor::new(out, Data::empty(x.dtype())).map_err(RunError::internal);
    }
    let last = (len as i128 - 1) * step as i128 + start as i128;
    if start < 0 || last >= dim as i128 {
        return Err(RunError::of(
            RunErrorKind::IndexOutOfRange,
            format!("slice out of range: {len} elements from {start} with step {step} on an axis of length {dim}"),
        ));
    }
    if let Some(empty) = if_empty(&out, x.dtype()) {
        return Ok(empty);
    }
    let mut steps = strides(&x.shape);
    let base = start as usize * steps[axis];
    // With two or more elements `step < dim`, so the stride cannot overflow; with one the step
    // is never taken (and may be huge).
    if len > 1 {
        steps[axis] *= step as usize;
    }
    take(x, &strided_positions(&out, base, &steps), out)
}

/// The sub-tensor at index `i` of `axis`, which is dropped.
pub(super) fn index(x: &Tensor, i: i64, axis: usize) -> Result<Tensor, RunError> {
    let (_, dim, _) = around(&x.shape, axis)?;
    let i = checked_index(i, dim)?;
    let mut shape = x.shape.clone();
    shape.remove(axis);
    if let Some(empty) = if_empty(&shape, x.dtype()) {
        return Ok(empty);
    }
    let mut steps = strides(&x.shape);
    let base = i * steps.remove(axis);
    take(x, &strided_positions(&shape, base, &steps), shape)
}

/// `i` as a position along an axis of length `dim`. Negative indices are out of range (there
/// is no wrap-around from the end in the IR; front ends normalise them).
fn checked_index(i: i64, dim: usize) -> Result<usize, RunError> {
    usize::try_from(i).ok().filter(|&i| i < dim).ok_or_else(|| {
        RunError::of(RunErrorKind::IndexOutOfRange, format!("index out of range: {i} is not in 0..{dim}"))
    })
}

/// The indices of a `Gather` or `ScatterAdd`, each checked against the axis length (all of
/// them, even when the elements they select are empty).
fn indices(idx: &Tensor, dim: usize) -> Result<Vec<usize>, RunError> {
    let raw: Vec<i64> = match &idx.data {
        Data::I64(v) => v.clone(),
        Data::I32(v) => v.iter().map(|&i| i64::from(i)).collect(),
        _ => return Err(RunError::internal("indices must be integers")),
    };
    raw.into_iter().map(|i| checked_index(i, dim)).collect()
}

/// `x`'s `axis` replaced by the indices' shape: `out[o, j, k] = x[o, indices[j], k]`.
pub(super) fn gather(x: &Tensor, idx: &Tensor, axis: usize, out: &[usize]) -> Result<Tensor, RunError> {
    let (outer, dim, inner) = around(&x.shape, axis)?;
    let mut shape = x.shape[..axis].to_vec();
    shape.extend(&idx.shape);
    shape.extend(&x.shape[axis + 1..]);
    if shape != out {
        return Err(RunError::internal(format!("gather gives {shape:?}, its type says {out:?}")));
    }
    let idx = indices(idx, dim)?;
    if let Some(empty) = if_empty(out, x.dtype()) {
        return Ok(empty);
    }
    let mut positions = Vec::with_capacity(numel(out).unwrap_or(0));
    for o in 0..outer {
        for &j in &idx {
            positions.extend((0..inner).map(|k| (o * dim + j) * inner + k));
        }
    }
    take(x, &positions, shape)
}

/// `target` with `updates[o, j, k]` added to `target[o, indices[j], k]`, in row-major order of
/// the updates (so repeated indices accumulate in that order).
pub(super) fn scatter_add(target: &Tensor, idx: &Tensor, updates: &Tensor, axis: usize) -> Result<Tensor, RunError> {
    fn go<T: Arith>(t: &[T], u: &[T], idx: &[usize], (outer, dim, inner): (usize, usize, usize)) -> Option<Data> {
        let mut out = t.to_vec();
        for o in 0..outer {
            for (n, &j) in idx.iter().enumerate() {
                for k in 0..inner {
                    let update = *u.get((o * idx.len() + n) * inner + k)?;
                    let slot = out.get_mut((o * dim + j) * inner + k)?;
                    *slot = slot.add(update);
                }
            }
        }
        Some(T::wrap(out))
    }
    let view = around(&target.shape, axis)?;
    let mut want = target.shape[..axis].to_vec();
    want.extend(&idx.shape);
    want.extend(&target.shape[axis + 1..]);
    if updates.shape != want {
        return Err(RunError::internal(format!("scatter_add updates are {:?}, should be {want:?}", updates.shape)));
    }
    let idx = indices(idx, view.1)?;
    if updates.numel() == 0 {
        return Ok(target.clone());
    }
    let data = dispatch2!(&target.data, &updates.data, (t, u) => go(t, u, &idx, view), _ => None)
        .ok_or_else(|| dtype_mismatch(target, updates))?;
    Ok(Tensor { shape: target.shape.clone(), data })
}

/// The operands joined along `axis`: for each outer index, each operand's block in turn.
pub(super) fn concat(parts: &[&Tensor], axis: usize) -> Result<Tensor, RunError> {
    fn go<T: Elem>(first: &[T], parts: &[&Tensor], outer: usize, blocks: &[usize]) -> Option<Data> {
        let slices: Vec<&[T]> =
            std::iter::once(Some(first)).chain(parts[1..].iter().map(|p| p.as_slice::<T>())).collect::<Option<_>>()?;
        let mut out = Vec::new();
        for o in 0..outer {
            for (s, &b) in slices.iter().zip(blocks) {
                out.extend_from_slice(s.get(o * b..(o + 1) * b)?);
            }
        }
        Some(T::wrap(out))
    }
    let first = parts.first().ok_or_else(|| RunError::internal("concat of nothing"))?;
    let (outer, _, inner) = around(&first.shape, axis)?;
    let mut shape = first.shape.clone();
    shape[axis] = 0;
    for p in parts {
        let fits = p.rank() == first.rank() && (0..p.rank()).all(|i| i == axis || p.shape[i] == first.shape[i]);
        if !fits {
            return Err(RunError::internal(format!("concat of {:?} and {:?}", first.shape, p.shape)));
        }
        shape[axis] = shape[axis]
            .checked_add(p.shape[axis])
            .ok_or_else(|| RunError::of(RunErrorKind::SizeLimit, "concat overflows"))?;
    }
    if let Some(empty) = if_empty(&shape, first.dtype()) {
        return Ok(empty);
    }
    // The result is not empty, so `outer >= 1` and each block is within its part's elements.
    let blocks: Vec<usize> = parts.iter().map(|p| p.shape[axis] * inner).collect();
    let data = dispatch!(&first.data, v => go(v, parts, outer, &blocks))
        .ok_or_else(|| RunError::internal("concat of different dtypes"))?;
    Tensor::new(shape, data).map_err(RunError::internal)
}

/// `0, 1, 2, ...` along `axis`, repeated over the other axes.
pub(super) fn iota(dtype: DType, shape: Vec<usize>, axis: usize) -> Result<Tensor, RunError> {
    fn go<T: Elem>(outer: usize, dim: usize, inner: usize) -> Data {
        let mut out = Vec::with_capacity(outer * dim * inner);
        for _ in 0..outer {
            for j in 0..dim {
                out.resize(out.len() + inner, from_int::<T>(j as i64));
            }
        }
        T::wrap(out)
    }
    let (outer, dim, inner) = around(&shape, axis)?;
    if let Some(empty) = if_empty(&shape, dtype) {
        return Ok(empty);
    }
    let data = match dtype {
        DType::I32 => go::<i32>(outer, dim, inner),
        DType::I64 => go::<i64>(outer, dim, inner),
        _ => return Err(RunError::internal("iota has an integer result")),
    };
    Tensor::new(shape, data).map_err(RunError::internal)
}
