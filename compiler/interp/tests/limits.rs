//! Extreme sizes: tensors too large to hold are `SizeLimit` errors, and empty tensors with huge
//! dimensions beside their zero go through every op quickly, without overflow or panic.

mod common;

use std::time::{Duration, Instant};

use common::*;
use tf_interp::{format_numpy, Data, RunErrorKind, Tensor};
use tf_ir::*;

fn i64_ty() -> Type {
    Type::scalar(DType::I64)
}

#[test]
fn tensors_beyond_the_limit_are_errors() {
    // fn f(%n) -> f32[n, n] = broadcast(1.0)
    let mut b = FunctionBuilder::new("f");
    b.span = Some(SPAN);
    let body = b.body();
    let n = b.param(body, i64_ty(), Some("n"));
    let one = b.constant(body, Literal::Float(1.0), DType::F32);
    let sn = Size::symbol(n);
    let big = b.op_typed(body, OpKind::Broadcast, vec![one], vec![Type::new(DType::F32, vec![sn.clone(), sn])], vec![]);
    b.set_yields(body, big);
    let m = module(b.finish());
    assert_eq!(run_first(&m, vec![Tensor::scalar(2i64)]).unwrap()[0], f32s(&[2, 2], &[1.0; 4]));
    for n in [1i64 << 20, 1 << 40, i64::MAX] {
        let e = run_first(&m, vec![Tensor::scalar(n)]).unwrap_err();
        assert_eq!((e.kind, e.span), (RunErrorKind::SizeLimit, Some(SPAN)), "{n}: {e}");
    }
}

#[test]
fn empty_tensors_with_huge_dimensions() {
    let n = 1usize << 40;
    let sn = || Size::symbol(ValueId::new(0));
    let f32_of = |shape: Vec<Size>| Type::new(DType::F32, shape);
    let mut b = FunctionBuilder::new("f");
    let body = b.body();
    let np = b.param(body, i64_ty(), Some("n"));
    assert_eq!(np, ValueId::new(0));
    let x = b.param(body, f32_of(vec![Size::constant(0), sn(), sn()]), Some("x"));
    let start = b.constant(body, Literal::Int(1 << 39), DType::I64);
    let idx = b.op_typed(body, OpKind::Iota { axis: 0 }, vec![], vec![Type::new(DType::I64, dims(&[3]))], vec![])[0];
    let mut outs = Vec::new();
    outs.push(b.op1(body, OpKind::Transpose { perm: vec![2, 1, 0] }, vec![x]).unwrap());
    outs.push(b.op1(body, OpKind::Reduce { op: ReduceOp::Sum, axes: vec![1, 2], keepdims: false }, vec![x]).unwrap());
    outs.push(b.op1(body, OpKind::Index { axis: 1 }, vec![x, start]).unwrap());
    let sliced = f32_of(vec![Size::constant(0), sn(), Size::constant(1)]);
    outs.push(b.op_typed(body, OpKind::Slice { axis: 2, step: 1 }, vec![x, start], vec![sliced], vec![])[0]);
    outs.push(b.op1(body, OpKind::Gather { axis: 2 }, vec![x, idx]).unwrap());
    outs.push(b.op1(body, OpKind::Concat { axis: 1 }, vec![x, x]).unwrap());
    outs.push(b.op1(body, OpKind::MatMul, vec![x, x]).unwrap());
    let flat = b.op_typed(body, OpKind::Reshape, vec![x], vec![f32_of(vec![Size::constant(0)])], vec![])[0];
    outs.push(flat);
    b.set_yields(body, outs);
    let m = module(b.finish());
    let x = Tensor { shape: vec![0, n, n], data: Data::F32(vec![]) };
    let start = Instant::now();
    let out = run_first(&m, vec![Tensor::scalar(n as i64), x.clone()]).unwrap();
    assert!(start.elapsed() < Duration::from_secs(1));
    let shapes: Vec<Vec<usize>> = out.iter().map(|t| t.shape.clone()).collect();
    let want =
        [vec![n, n, 0], vec![0], vec![0, n], vec![0, n, 1], vec![0, n, 3], vec![0, 2 * n, n], vec![0, n, n], vec![0]];
    assert_eq!(shapes, want);
    assert!(out.iter().all(|t| t.numel() == 0));
    assert_eq!(format_numpy(&x), "[]");
}

#[test]
fn the_argmax_of_many_empty_axes_is_an_error_not_a_hang() {
    let x = Tensor { shape: vec![1 << 20, 0, 4], data: Data::F32(vec![]) };
    let kind = OpKind::ArgReduce { op: ArgReduceOp::ArgMax, axis: 1, keepdims: false };
    let e = eval(kind, vec![x], None).unwrap_err();
    assert_eq!(e.kind, RunErrorKind::IndexOutOfRange);
}
