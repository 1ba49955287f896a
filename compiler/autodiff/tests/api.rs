//! The public API: `grad` on a loss, signatures and names of the functions added, `x_adj`
//! naming, and the errors for what cannot be differentiated.

mod common;

use common::*;
use tf_autodiff::{grad, jvp, vjp, AdError};
use tf_interp::Tensor;
use tf_ir::print::print_module;
use tf_ir::verify::verify_module;
use tf_ir::*;

/// `loss(n, x: [n, 3], w: [3, 1], y: [n, 1]) = sum((x @ w - y)²) / n`.
fn mse(dt: DType) -> Module {
    let mut f = Fb::new("loss", dt);
    let n = f.int_param("n");
    let x = f.param_ty("x", Type::new(dt, vec![s(n), c(3)]));
    let w = f.param("w", &[3, 1]);
    let y = f.param_ty("y", Type::new(dt, vec![s(n), c(1)]));
    let p = f.op(OpKind::MatMul, vec![x, w]);
    let d = f.bin(BinaryOp::Sub, p, y);
    let sq = f.bin(BinaryOp::Mul, d, d);
    let total = f.sum_all(sq);
    let nf = f.typed(OpKind::Cast, vec![n], Type::scalar(dt));
    let m = f.bin(BinaryOp::Div, total, nf);
    f.b.name_value(m, "mse");
    f.finish(vec![m])
}

#[test]
fn grad_returns_the_value_and_the_gradients() {
    let mut m = mse(DType::F64);
    let g = grad(&mut m, FuncId::new(0), &[2]).unwrap();
    verify_module(&m).unwrap();
    let gf = m.func(g);
    assert_eq!(gf.name, "loss_grad");
    assert_eq!(gf.params().len(), 4);
    assert_eq!(gf.result_types().len(), 2);
    // x = [[1, 0, 0], [0, 1, 0]], w = 0, y = [[1], [2]]: d = -y, grad_w = 2/n xᵀ d = [-1, -2, 0].
    let x = Tensor::from_vec(vec![2, 3], vec![1.0f64, 0.0, 0.0, 0.0, 1.0, 0.0]).unwrap();
    let w = Tensor::zeros(DType::F64, vec![3, 1]).unwrap();
    let y = Tensor::from_vec(vec![2, 1], vec![1.0f64, 2.0]).unwrap();
    let out = run_f(&m, g, vec![Tensor::scalar(2i64), x, w, y]);
    assert_eq!(out[0].to_f64_vec(), vec![2.5]);
    assert_eq!(out[1].to_f64_vec(), vec![-1.0, -2.0, 0.0]);
}

#[test]
fn the_loss_is_checked_against_differences_too() {
    check(mse, &[Arg::Int(4), floats(&[4, 3]), floats(&[3, 1]), floats(&[4, 1])], &[1, 2, 3]);
}

#[test]
fn adjoints_are_named_after_their_primals() {
    let mut m = mse(DType::F32);
    vjp(&mut m, FuncId::new(0), &[1, 2]).unwrap();
    jvp(&mut m, FuncId::new(0), &[2]).unwrap();
    let text = print_module(&m);
    for name in ["fn loss_vjp(", "%mse_adj.", "%w_adj.", "%x_adj.", "fn loss_jvp(", "%w_tan.", "%mse_tan."] {
        assert!(text.contains(name), "no {name} in\n{text}");
    }
}

#[test]
fn names_do_not_collide() {
    let mut m = mse(DType::F32);
    let a = vjp(&mut m, FuncId::new(0), &[2]).unwrap();
    let b = vjp(&mut m, FuncId::new(0), &[1]).unwrap();
    assert_eq!(m.func(a).name, "loss_vjp");
    assert_eq!(m.func(b).name, "loss_vjp2");
    verify_module(&m).unwrap();
}

#[test]
fn parameters_without_derivatives_are_refused() {
    let mut m = mse(DType::F32);
    let f = FuncId::new(0);
    let size = vjp(&mut m, f, &[0]).unwrap_err();
    assert!(matches!(size, AdError::NotDifferentiable { param: 0, .. }), "{size}");
    assert!(size.to_string().contains("size"), "{size}");
    let missing = jvp(&mut m, f, &[9]).unwrap_err();
    assert!(matches!(missing, AdError::NotDifferentiable { param: 9, .. }), "{missing}");
    let twice = vjp(&mut m, f, &[1, 1]).unwrap_err();
    assert!(matches!(twice, AdError::NotDifferentiable { param: 1, .. }), "{twice}");

    let mut g = Fb::new("g", DType::F32);
    let idx = g.param_ty("idx", Type::new(DType::I64, vec![c(2)]));
    let fi = g.typed(OpKind::Cast, vec![idx], g.ty(&[2]));
    let mut m = g.finish(vec![fi]);
    let ints = vjp(&mut m, FuncId::new(0), &[0]).unwrap_err();
    assert!(matches!(ints, AdError::NotDifferentiable { param: 0, .. }), "{ints}");
}

#[test]
fn grad_needs_one_scalar_result() {
    let mut f = Fb::new("f", DType::F32);
    let x = f.param("x", &[3]);
    let y = f.un(UnaryOp::Exp, x);
    let mut m = f.finish(vec![y]);
    let err = grad(&mut m, FuncId::new(0), &[0]).unwrap_err();
    assert!(matches!(err, AdError::NotScalar { .. }), "{err}");
}

#[test]
fn unsupported_ops_fail_only_on_the_path() {
    // f(x, z) = (exp(z), while h < 10 { h * x } from 1): reverse mode cannot replay a while.
    let mut f = Fb::new("f", DType::F64);
    let x = f.param("x", &[]);
    let z = f.param("z", &[2]);
    let one = f.constant(1.0);
    let cond = f.b.new_region();
    let ch = f.b.param(cond, Type::scalar(DType::F64), None);
    let ten = f.b.constant(cond, Literal::Float(10.0), DType::F64);
    let lt = f.b.op1(cond, OpKind::Compare(CmpOp::Lt), vec![ch, ten]).unwrap();
    f.b.set_yields(cond, vec![lt]);
    let body = f.b.new_region();
    let h = f.b.param(body, Type::scalar(DType::F64), None);
    let hx = f.b.op1(body, OpKind::Binary(BinaryOp::Mul), vec![h, x]).unwrap();
    f.b.set_yields(body, vec![hx]);
    let w = f.b.op_typed(f.body, OpKind::While, vec![one], vec![Type::scalar(DType::F64)], vec![cond, body])[0];
    let ez = f.un(UnaryOp::Exp, z);
    let mut m = f.finish(vec![ez, w]);
    let f = FuncId::new(0);
    let err = vjp(&mut m, f, &[0]).unwrap_err();
    assert!(matches!(err, AdError::Unsupported { .. }), "{err}");
    // Forward mode handles it; reverse mode is fine while the loop is off the path.
    jvp(&mut m, f, &[0]).unwrap();
    vjp(&mut m, f, &[1]).unwrap();
    verify_module(&m).unwrap();
}

#[test]
fn an_invalid_module_is_refused() {
    let mut m = mse(DType::F32);
    m.functions[0].values[5].ty = Type::new(DType::F32, vec![c(7)]);
    assert!(matches!(grad(&mut m, FuncId::new(0), &[2]), Err(AdError::Invalid(_))));
}
