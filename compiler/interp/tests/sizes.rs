//! Size values: one function serves every size. Shapes are evaluated from the `%n` parameters
//! at run time (n = 0, 1, 7), arguments must agree with them, and negative sizes are errors.

mod common;

use common::*;
use tf_interp::{RunErrorKind, Tensor};
use tf_ir::*;

/// `fn f(%n, x: f32[n, 3]) -> (f32[n], i64[2 * n], i64)`: row sums, `iota` over `2n`
/// (a shape that is a polynomial), and `size_of(x, 0) * 2`.
fn sized() -> Module {
    let mut b = FunctionBuilder::new("f");
    let body = b.body();
    let n = b.param(body, Type::scalar(DType::I64), Some("n"));
    let sn = Size::symbol(n);
    let x = b.param(body, Type::new(DType::F32, vec![sn.clone(), Size::constant(3)]), Some("x"));
    let sums = b.op1(body, OpKind::Reduce { op: ReduceOp::Sum, axes: vec![1], keepdims: false }, vec![x]).unwrap();
    let two_n = Size::constant(2).mul(&sn);
    let iota =
        b.op_typed(body, OpKind::Iota { axis: 0 }, vec![], vec![Type::new(DType::I64, vec![two_n.clone()])], vec![])[0];
    let rows = b.op1(body, OpKind::SizeOf { axis: 0 }, vec![x]).unwrap();
    let twice = b.size_value(body, &Size::constant(2).mul(&Size::symbol(rows)));
    b.set_yields(body, vec![sums, iota, twice]);
    module(b.finish())
}

#[test]
fn one_function_serves_every_size() {
    let m = sized();
    for n in [0usize, 1, 7] {
        let x = ramp(&[n, 3], 1.0, 0.0);
        let out = run_first(&m, vec![Tensor::scalar(n as i64), x]).unwrap();
        let sums: Vec<f32> = (0..n).map(|r| (3 * r * 3 + 3) as f32).collect();
        assert_eq!(out[0], f32s(&[n], &sums), "n = {n}");
        assert_eq!(out[1], i64s(&[2 * n], &(0..2 * n as i64).collect::<Vec<_>>()));
        assert_eq!(out[2], Tensor::scalar(2 * n as i64));
    }
}

#[test]
fn arguments_must_have_the_sizes_they_are_given() {
    let e = run_first(&sized(), vec![Tensor::scalar(3i64), ramp(&[2, 3], 1.0, 0.0)]).unwrap_err();
    assert_eq!(e.kind, RunErrorKind::InvalidArgument);
    let e = run_first(&sized(), vec![Tensor::scalar(-1i64), ramp(&[0, 3], 1.0, 0.0)]).unwrap_err();
    assert_eq!(e.kind, RunErrorKind::DimensionMismatch);
}

/// A slice of length `n - 3`: negative when `n < 3`.
#[test]
fn a_negative_dimension_is_an_error_at_the_op() {
    let mut b = FunctionBuilder::new("f");
    b.span = Some(SPAN);
    let body = b.body();
    let n = b.param(body, Type::scalar(DType::I64), Some("n"));
    let x = b.param(body, Type::new(DType::F32, vec![Size::symbol(n)]), Some("x"));
    let start = b.constant(body, Literal::Int(0), DType::I64);
    let len = Size::symbol(n).sub(&Size::constant(3));
    let s = b.op_typed(
        body,
        OpKind::Slice { axis: 0, step: 1 },
        vec![x, start],
        vec![Type::new(DType::F32, vec![len])],
        vec![],
    )[0];
    b.set_yields(body, vec![s]);
    let m = module(b.finish());
    let ok = run_first(&m, vec![Tensor::scalar(5i64), ramp(&[5], 1.0, 0.0)]).unwrap();
    assert_eq!(ok, vec![f32s(&[2], &[0.0, 1.0])]);
    let e = run_first(&m, vec![Tensor::scalar(2i64), ramp(&[2], 1.0, 0.0)]).unwrap_err();
    assert_eq!((e.kind, e.span), (RunErrorKind::DimensionMismatch, Some(SPAN)));
    assert!(e.message.contains("-1"), "{}", e.message);
}

/// A call substitutes the caller's sizes: `g(%m, y: f32[m]) -> f32[m]` called with `n`.
#[test]
fn calls_pass_sizes() {
    let mut g = FunctionBuilder::new("g");
    let gb = g.body();
    let m = g.param(gb, Type::scalar(DType::I64), Some("m"));
    let y = g.param(gb, Type::new(DType::F32, vec![Size::symbol(m)]), Some("y"));
    let doubled = g.op1(gb, OpKind::Binary(BinaryOp::Add), vec![y, y]).unwrap();
    g.set_yields(gb, vec![doubled]);

    let mut f = FunctionBuilder::new("f");
    let fb = f.body();
    let n = f.param(fb, Type::scalar(DType::I64), Some("n"));
    let x = f.param(fb, Type::new(DType::F32, vec![Size::symbol(n)]), Some("x"));
    let r = f.op_typed(
        fb,
        OpKind::Call(FuncId::new(1)),
        vec![n, x],
        vec![Type::new(DType::F32, vec![Size::symbol(n)])],
        vec![],
    );
    f.set_yields(fb, r);
    let module = Module { functions: vec![f.finish(), g.finish()], main: Some(FuncId::new(0)) };
    for n in [0usize, 3] {
        let out = run_first(&module, vec![Tensor::scalar(n as i64), ramp(&[n], 1.0, 1.0)]).unwrap();
        assert_eq!(out, vec![ramp(&[n], 2.0, 2.0)]);
    }
}
