//! Reductions (any axes, keepdims, empty axes, NaN), arg-reductions (first index of the
//! extreme) and matrix products (plain, batched, integer, and a 100×100 one that must be fast).

mod common;

use std::time::{Duration, Instant};

use common::*;
use tf_interp::{RunErrorKind, Tensor};
use tf_ir::*;

fn reduce(op: ReduceOp, axes: &[usize], keepdims: bool, x: Tensor) -> Tensor {
    eval_ok(OpKind::Reduce { op, axes: axes.to_vec(), keepdims }, vec![x], None)
}

#[test]
fn sums_over_any_axes_with_and_without_keepdims() {
    let x = ramp(&[2, 3, 4], 1.0, 0.0);
    let xv = x.to_f64_vec();
    let at = |a: usize, b: usize, c: usize| xv[(a * 3 + b) * 4 + c] as f32;
    // Over axes 0 and 2: one sum per middle index.
    let want: Vec<f32> =
        (0..3).map(|b| (0..2).flat_map(|a| (0..4).map(move |c| (a, c))).map(|(a, c)| at(a, b, c)).sum()).collect();
    assert_eq!(reduce(ReduceOp::Sum, &[0, 2], false, x.clone()), f32s(&[3], &want));
    assert_eq!(reduce(ReduceOp::Sum, &[0, 2], true, x.clone()), f32s(&[1, 3, 1], &want));
    assert_eq!(reduce(ReduceOp::Sum, &[0, 1, 2], false, x.clone()), Tensor::scalar(276.0f32));
    assert_eq!(reduce(ReduceOp::Sum, &[], false, x.clone()), x);
    let rows = reduce(ReduceOp::Max, &[2], true, x.clone());
    assert_eq!(rows, f32s(&[2, 3, 1], &[3.0, 7.0, 11.0, 15.0, 19.0, 23.0]));
    assert_eq!(reduce(ReduceOp::Min, &[1], false, x).shape, vec![2, 4]);
}

#[test]
fn products_extremes_and_logic() {
    let x = i64s(&[2, 3], &[1, -2, 3, 4, 5, -6]);
    assert_eq!(reduce(ReduceOp::Prod, &[1], false, x.clone()), i64s(&[2], &[-6, -120]));
    assert_eq!(reduce(ReduceOp::Max, &[0], false, x.clone()), i64s(&[3], &[4, 5, 3]));
    assert_eq!(reduce(ReduceOp::Min, &[0, 1], false, x), Tensor::scalar(-6i64));
    let b = bools(&[2, 2], &[true, false, true, true]);
    assert_eq!(reduce(ReduceOp::All, &[1], false, b.clone()), bools(&[2], &[false, true]));
    assert_eq!(reduce(ReduceOp::Any, &[0], false, b), bools(&[2], &[true, true]));
    // Integer sums wrap.
    assert_eq!(reduce(ReduceOp::Sum, &[0], false, i32s(&[2], &[i32::MAX, 1])), Tensor::scalar(i32::MIN));
}

#[test]
fn max_propagates_nan_and_empty_axes_give_the_identity() {
    let x = f32s(&[2, 2], &[1.0, f32::NAN, 2.0, 3.0]);
    let m = reduce(ReduceOp::Max, &[1], false, x);
    assert!(m.as_slice::<f32>().unwrap()[0].is_nan());
    assert_eq!(m.as_slice::<f32>().unwrap()[1], 3.0);
    let empty = f32s(&[2, 0], &[]);
    assert_eq!(reduce(ReduceOp::Sum, &[1], false, empty.clone()), f32s(&[2], &[0.0, 0.0]));
    assert_eq!(reduce(ReduceOp::Prod, &[1], false, empty.clone()), f32s(&[2], &[1.0, 1.0]));
    assert_eq!(reduce(ReduceOp::Max, &[1], false, empty.clone()), f32s(&[2], &[f32::NEG_INFINITY; 2]));
    assert_eq!(reduce(ReduceOp::Min, &[0], true, empty), f32s(&[1, 0], &[]));
    assert_eq!(reduce(ReduceOp::All, &[0], false, bools(&[0], &[])), Tensor::scalar(true));
}

#[test]
fn argmax_and_argmin_take_the_first_extreme() {
    let x = f32s(&[2, 4], &[1.0, 5.0, 5.0, 0.0, 2.0, -1.0, 7.0, -1.0]);
    let arg = |op, axis, keepdims, x: Tensor| eval_ok(OpKind::ArgReduce { op, axis, keepdims }, vec![x], None);
    assert_eq!(arg(ArgReduceOp::ArgMax, 1, false, x.clone()), i64s(&[2], &[1, 2]));
    assert_eq!(arg(ArgReduceOp::ArgMin, 1, true, x.clone()), i64s(&[2, 1], &[3, 1]));
    assert_eq!(arg(ArgReduceOp::ArgMax, 0, false, x), i64s(&[4], &[1, 0, 1, 0]));
    let nan = f64s(&[4], &[1.0, f64::NAN, 9.0, f64::NAN]);
    assert_eq!(arg(ArgReduceOp::ArgMax, 0, false, nan.clone()), Tensor::scalar(1i64));
    assert_eq!(arg(ArgReduceOp::ArgMin, 0, false, nan), Tensor::scalar(1i64));
    assert_eq!(arg(ArgReduceOp::ArgMax, 0, false, bools(&[3], &[false, true, true])), Tensor::scalar(1i64));
    let e =
        eval(OpKind::ArgReduce { op: ArgReduceOp::ArgMax, axis: 1, keepdims: false }, vec![f32s(&[2, 0], &[])], None)
            .unwrap_err();
    assert_eq!((e.kind, e.span), (RunErrorKind::IndexOutOfRange, Some(SPAN)));
}

/// `a @ b` by the definition, in f64.
fn naive_matmul(a: &Tensor, b: &Tensor) -> Vec<f64> {
    let r = a.rank();
    let (m, k, n) = (a.shape[r - 2], a.shape[r - 1], b.shape[r - 1]);
    let batch: usize = a.shape[..r - 2].iter().product();
    let (av, bv) = (a.to_f64_vec(), b.to_f64_vec());
    let mut out = Vec::new();
    for t in 0..batch {
        for i in 0..m {
            for j in 0..n {
                out.push((0..k).map(|p| av[t * m * k + i * k + p] * bv[t * k * n + p * n + j]).sum());
            }
        }
    }
    out
}

#[test]
fn matmul_plain_and_batched() {
    let a = f32s(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let b = f32s(&[3, 2], &[7.0, 8.0, 9.0, 10.0, 11.0, 12.0]);
    assert_eq!(eval_ok(OpKind::MatMul, vec![a, b], None), f32s(&[2, 2], &[58.0, 64.0, 139.0, 154.0]));

    let a = f64s(&[2, 3, 2, 4], &noise(48, 3));
    let b = f64s(&[2, 3, 4, 5], &noise(120, 4));
    let c = eval_ok(OpKind::MatMul, vec![a.clone(), b.clone()], None);
    assert_close(&c, &f64s(&[2, 3, 2, 5], &naive_matmul(&a, &b)), 1e-12);

    let a = i64s(&[1, 2, 2], &[1, 2, 3, 4]);
    let b = i64s(&[1, 2, 1], &[5, 6]);
    assert_eq!(eval_ok(OpKind::MatMul, vec![a, b], None), i64s(&[1, 2, 1], &[17, 39]));
    // An empty inner dimension sums nothing.
    let z = eval_ok(OpKind::MatMul, vec![f32s(&[2, 0], &[]), f32s(&[0, 3], &[])], None);
    assert_eq!(z, f32s(&[2, 3], &[0.0; 6]));
}

#[test]
fn matmul_of_100_by_100_is_fast() {
    let a = f32s(&[100, 100], &noise(10_000, 1).iter().map(|&x| x as f32).collect::<Vec<_>>());
    let b = f32s(&[100, 100], &noise(10_000, 2).iter().map(|&x| x as f32).collect::<Vec<_>>());
    let start = Instant::now();
    let c = eval_ok(OpKind::MatMul, vec![a.clone(), b.clone()], None);
    assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
    let want: Vec<f32> = naive_matmul(&a, &b).iter().map(|&x| x as f32).collect();
    assert_close(&c, &f32s(&[100, 100], &want), 1e-4);
}
