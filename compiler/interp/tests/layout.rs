//! Ops that move elements: broadcast, reshape, transpose, slice (with edge cases and
//! out-of-range starts), index, gather, scatter_add (and the adjoint relation between the two),
//! concat and iota.

mod common;

use common::*;
use tf_interp::{RunErrorKind, Tensor};
use tf_ir::*;

#[test]
fn broadcast_aligns_at_the_last_axis() {
    let row = f32s(&[3], &[1.0, 2.0, 3.0]);
    let b = |x: Tensor, to: &[usize]| eval_ok(OpKind::Broadcast, vec![x], Some(vec![ty(DType::F32, to)]));
    assert_eq!(b(row, &[2, 3]), f32s(&[2, 3], &[1.0, 2.0, 3.0, 1.0, 2.0, 3.0]));
    let col = f32s(&[2, 1], &[1.0, 2.0]);
    assert_eq!(b(col, &[2, 3]), f32s(&[2, 3], &[1.0, 1.0, 1.0, 2.0, 2.0, 2.0]));
    assert_eq!(b(Tensor::scalar(7.0f32), &[2, 2]), f32s(&[2, 2], &[7.0; 4]));
    let mid = f32s(&[2, 1, 2], &[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(b(mid, &[3, 2, 2, 2]).as_slice::<f32>().unwrap()[..8], [1.0, 2.0, 1.0, 2.0, 3.0, 4.0, 3.0, 4.0]);
    assert_eq!(b(f32s(&[1], &[5.0]), &[0]), f32s(&[0], &[]));
}

#[test]
fn reshape_keeps_row_major_order() {
    let x = ramp(&[2, 3], 1.0, 0.0);
    let r = eval_ok(OpKind::Reshape, vec![x], Some(vec![ty(DType::F32, &[3, 1, 2])]));
    assert_eq!(r, f32s(&[3, 1, 2], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]));
}

#[test]
fn transpose_permutes_axes() {
    let x = ramp(&[2, 3], 1.0, 0.0);
    let t = eval_ok(OpKind::Transpose { perm: vec![1, 0] }, vec![x], None);
    assert_eq!(t, f32s(&[3, 2], &[0.0, 3.0, 1.0, 4.0, 2.0, 5.0]));

    // Result axis i is operand axis perm[i]: out[a, b, c] = x[b, c, a].
    let x = ramp(&[2, 3, 4], 1.0, 0.0);
    let t = eval_ok(OpKind::Transpose { perm: vec![2, 0, 1] }, vec![x.clone()], None);
    assert_eq!(t.shape, vec![4, 2, 3]);
    let (xv, tv) = (x.as_slice::<f32>().unwrap(), t.as_slice::<f32>().unwrap());
    for a in 0..4 {
        for b in 0..2 {
            for c in 0..3 {
                assert_eq!(tv[(a * 2 + b) * 3 + c], xv[(b * 3 + c) * 4 + a]);
            }
        }
    }
}

fn slice(x: Tensor, start: i64, axis: usize, step: i64, len: usize) -> Result<Tensor, tf_interp::RunError> {
    let mut shape = x.shape.clone();
    shape[axis] = len;
    let result = ty(x.dtype(), &shape);
    eval(OpKind::Slice { axis, step }, vec![x, Tensor::scalar(start)], Some(vec![result]))
}

#[test]
fn slices() {
    let x = ramp(&[2, 6], 1.0, 0.0);
    assert_eq!(slice(x.clone(), 1, 1, 2, 3).unwrap(), f32s(&[2, 3], &[1.0, 3.0, 5.0, 7.0, 9.0, 11.0]));
    assert_eq!(slice(x.clone(), 1, 0, 1, 1).unwrap(), f32s(&[1, 6], &[6.0, 7.0, 8.0, 9.0, 10.0, 11.0]));
    // The last element alone, a whole axis, and empty slices at either end.
    assert_eq!(slice(x.clone(), 5, 1, 1, 1).unwrap(), f32s(&[2, 1], &[5.0, 11.0]));
    assert_eq!(slice(x.clone(), 0, 1, 1, 6).unwrap(), x);
    assert_eq!(slice(x.clone(), 6, 1, 1, 0).unwrap(), f32s(&[2, 0], &[]));
    assert_eq!(slice(x.clone(), 0, 1, 3, 0).unwrap(), f32s(&[2, 0], &[]));
    // One element with an enormous step reads only the start.
    assert_eq!(slice(x.clone(), 2, 1, i64::MAX, 1).unwrap(), f32s(&[2, 1], &[2.0, 8.0]));
}

#[test]
fn slices_out_of_range_are_errors_at_the_op() {
    let x = ramp(&[2, 6], 1.0, 0.0);
    for (start, step, len) in [(-1, 1, 2), (5, 1, 2), (1, 2, 4), (6, 1, 1), (i64::MAX, 1, 2), (0, i64::MAX, 2)] {
        let e = slice(x.clone(), start, 1, step, len).unwrap_err();
        assert_eq!(e.kind, RunErrorKind::IndexOutOfRange, "{start} {step} {len}: {e}");
        assert_eq!(e.span, Some(SPAN));
    }
}

#[test]
fn index_drops_the_axis() {
    let x = ramp(&[2, 3], 1.0, 0.0);
    let at = |i: i64, axis| eval(OpKind::Index { axis }, vec![x.clone(), Tensor::scalar(i)], None);
    assert_eq!(at(1, 0).unwrap(), f32s(&[3], &[3.0, 4.0, 5.0]));
    assert_eq!(at(2, 1).unwrap(), f32s(&[2], &[2.0, 5.0]));
    for (i, axis) in [(-1, 0), (2, 0), (3, 1)] {
        let e = at(i, axis).unwrap_err();
        assert_eq!((e.kind, e.span), (RunErrorKind::IndexOutOfRange, Some(SPAN)));
        assert!(e.message.contains(&i.to_string()), "{}", e.message);
    }
    let v = i64s(&[3], &[4, 5, 6]);
    assert_eq!(eval_ok(OpKind::Index { axis: 0 }, vec![v, Tensor::scalar(2i64)], None), Tensor::scalar(6i64));
}

#[test]
fn gather_replaces_the_axis_by_the_indices_shape() {
    let x = ramp(&[3, 2], 1.0, 0.0);
    let idx = i64s(&[2, 2], &[2, 0, 2, 2]);
    let g = eval_ok(OpKind::Gather { axis: 0 }, vec![x.clone(), idx], None);
    assert_eq!(g, f32s(&[2, 2, 2], &[4.0, 5.0, 0.0, 1.0, 4.0, 5.0, 4.0, 5.0]));
    let g = eval_ok(OpKind::Gather { axis: 1 }, vec![x.clone(), i32s(&[3], &[1, 1, 0])], None);
    assert_eq!(g, f32s(&[3, 3], &[1.0, 1.0, 0.0, 3.0, 3.0, 2.0, 5.0, 5.0, 4.0]));
    let e = eval(OpKind::Gather { axis: 1 }, vec![x, i64s(&[2], &[0, 2])], None).unwrap_err();
    assert_eq!((e.kind, e.span), (RunErrorKind::IndexOutOfRange, Some(SPAN)));
}

#[test]
fn scatter_add_accumulates_repeated_indices() {
    let target = f32s(&[3, 2], &[1.0; 6]);
    let idx = i64s(&[3], &[2, 0, 2]);
    let upd = f32s(&[3, 2], &[1.0, 2.0, 10.0, 20.0, 100.0, 200.0]);
    let s = eval_ok(OpKind::ScatterAdd { axis: 0 }, vec![target.clone(), idx, upd], None);
    assert_eq!(s, f32s(&[3, 2], &[11.0, 21.0, 1.0, 1.0, 102.0, 203.0]));
    let e = eval(OpKind::ScatterAdd { axis: 0 }, vec![target, i64s(&[1], &[-1]), f32s(&[1, 2], &[0.0; 2])], None)
        .unwrap_err();
    assert_eq!((e.kind, e.span), (RunErrorKind::IndexOutOfRange, Some(SPAN)));
}

/// `<scatter_add(0, i, g), x> == <g, gather(x, i)>`: scatter_add is gather's adjoint.
#[test]
fn scatter_add_is_the_adjoint_of_gather() {
    let dot = |a: &Tensor, b: &Tensor| a.to_f64_vec().iter().zip(b.to_f64_vec()).map(|(p, q)| p * q).sum::<f64>();
    for axis in 0..3 {
        let shape = [4, 5, 3];
        let x = f64s(&shape, &noise(60, 1 + axis as u64));
        let idx_shape = [2, 3];
        let idx: Vec<i64> = noise(6, 9).iter().map(|v| ((v + 1.0) * 0.5 * shape[axis] as f64) as i64).collect();
        let idx = i64s(&idx_shape, &idx);
        let gathered = eval_ok(OpKind::Gather { axis }, vec![x.clone(), idx.clone()], None);
        let g = f64s(&gathered.shape, &noise(gathered.numel(), 5));
        let zeros = Tensor::zeros(DType::F64, shape.to_vec()).unwrap();
        let scattered = eval_ok(OpKind::ScatterAdd { axis }, vec![zeros, idx, g.clone()], None);
        let (lhs, rhs) = (dot(&scattered, &x), dot(&g, &gathered));
        assert!((lhs - rhs).abs() < 1e-12, "axis {axis}: {lhs} vs {rhs}");
    }
}

#[test]
fn concat_joins_along_an_axis() {
    let a = ramp(&[2, 1], 1.0, 0.0);
    let b = ramp(&[2, 2], 1.0, 10.0);
    let empty = f32s(&[2, 0], &[]);
    let c = eval_ok(OpKind::Concat { axis: 1 }, vec![a.clone(), empty, b], None);
    assert_eq!(c, f32s(&[2, 3], &[0.0, 10.0, 11.0, 1.0, 12.0, 13.0]));
    let c = eval_ok(OpKind::Concat { axis: 0 }, vec![a.clone(), a], None);
    assert_eq!(c, f32s(&[4, 1], &[0.0, 1.0, 0.0, 1.0]));
}

#[test]
fn iota_counts_along_its_axis() {
    let iota = |axis, dtype, shape: &[usize]| eval_ok(OpKind::Iota { axis }, vec![], Some(vec![ty(dtype, shape)]));
    assert_eq!(iota(1, DType::I32, &[2, 3]), i32s(&[2, 3], &[0, 1, 2, 0, 1, 2]));
    assert_eq!(iota(0, DType::I64, &[2, 3]), i64s(&[2, 3], &[0, 0, 0, 1, 1, 1]));
    assert_eq!(iota(0, DType::I64, &[0]), i64s(&[0], &[]));
}

/// Random slices of random small shapes (zeros included) against the definition: succeed with
/// `x[.., start + j * step, ..]` when every read is inside the axis, fail with
/// `IndexOutOfRange` otherwise.
#[test]
fn random_slices_match_the_definition() {
    let r = noise(2000, 21);
    let mut pick = r.iter().map(|v| (v + 1.0) / 2.0);
    let mut int = |lo: i64, hi: i64| lo + (pick.next().unwrap() * (hi - lo + 1) as f64) as i64;
    for _ in 0..250 {
        let rank = int(1, 3) as usize;
        let shape: Vec<usize> = (0..rank).map(|_| int(0, 4) as usize).collect();
        let axis = int(0, rank as i64 - 1) as usize;
        let (start, step, len) = (int(-2, 5), int(1, 3), int(0, 3) as usize);
        let x = ramp(&shape, 1.0, 0.0);
        let got = slice(x.clone(), start, axis, step, len);
        let dim = shape[axis] as i64;
        let in_range = len == 0 || (start >= 0 && start + (len as i64 - 1) * step < dim);
        if !in_range {
            assert_eq!(got.unwrap_err().kind, RunErrorKind::IndexOutOfRange);
            continue;
        }
        let got = got.unwrap();
        let mut want_shape = shape.clone();
        want_shape[axis] = len;
        assert_eq!(got.shape, want_shape);
        // Check every element through its multi-index.
        let xv = x.as_slice::<f32>().unwrap();
        let gv = got.as_slice::<f32>().unwrap();
        let stride = |s: &[usize], a: usize| s[a + 1..].iter().product::<usize>();
        for (flat, &g) in gv.iter().enumerate() {
            let mut src = 0;
            for a in 0..rank {
                let i = flat / stride(&want_shape, a) % want_shape[a];
                let i = if a == axis { (start + i as i64 * step) as usize } else { i };
                src += i * stride(&shape, a);
            }
            assert_eq!(g, xv[src]);
        }
    }
}
