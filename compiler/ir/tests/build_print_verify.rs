//! Builds small functions with the builder, checks the verifier accepts them (and rejects broken
//! ones), and pins the text form.

use tf_ir::print::print_module;
use tf_ir::verify::verify_module;
use tf_ir::*;

/// `fn loss(%n, %x: f32[%n, 3], %w: f32[3, 1], %y: f32[%n, 1]) -> f32`: mean squared error.
fn mse_module() -> Module {
    let mut b = FunctionBuilder::new("loss");
    let body = b.body();
    let n = b.param(body, Type::scalar(DType::I64), Some("n"));
    let sn = Size::symbol(n);
    let x = b.param(body, Type::new(DType::F32, vec![sn.clone(), Size::constant(3)]), Some("x"));
    let w = b.param(body, Type::new(DType::F32, vec![Size::constant(3), Size::constant(1)]), Some("w"));
    let y = b.param(body, Type::new(DType::F32, vec![sn.clone(), Size::constant(1)]), Some("y"));
    let p = b.op1(body, OpKind::MatMul, vec![x, w]).unwrap();
    let d = b.op1(body, OpKind::Binary(BinaryOp::Sub), vec![p, y]).unwrap();
    let sq = b.op1(body, OpKind::Binary(BinaryOp::Mul), vec![d, d]).unwrap();
    let s = b.op1(body, OpKind::Reduce { op: ReduceOp::Sum, axes: vec![0, 1], keepdims: false }, vec![sq]).unwrap();
    let nf = b.op_typed(body, OpKind::Cast, vec![n], vec![Type::scalar(DType::F32)], vec![])[0];
    let m = b.op1(body, OpKind::Binary(BinaryOp::Div), vec![s, nf]).unwrap();
    b.set_yields(body, vec![m]);
    Module { functions: vec![b.finish()], main: None }
}

#[test]
fn straight_line_function_verifies_and_prints() {
    let m = mse_module();
    verify_module(&m).unwrap();
    let text = print_module(&m);
    let expected = "\
fn loss(%n.0: i64, %x.1: f32[%n.0, 3], %w.2: f32[3, 1], %y.3: f32[%n.0, 1]) -> (f32) {
    %4: f32[%n.0, 1] = matmul %x.1, %w.2
    %5: f32[%n.0, 1] = sub %4, %y.3
    %6: f32[%n.0, 1] = mul %5, %5
    %7: f32 = reduce.sum[0, 1] %6
    %8: f32 = cast %n.0
    %9: f32 = div %7, %8
    yield %9
}
";
    assert_eq!(text, expected);
}

#[test]
fn loops_with_stacked_outputs_verify() {
    let mut b = FunctionBuilder::new("rnn");
    let body = b.body();
    let t = b.param(body, Type::scalar(DType::I64), Some("T"));
    let xs = b.param(body, Type::new(DType::F32, vec![Size::symbol(t), Size::constant(4)]), Some("xs"));
    let h0 = b.param(body, Type::new(DType::F32, vec![Size::constant(4)]), Some("h0"));
    let loop_body = b.new_region();
    let i = b.param(loop_body, Type::scalar(DType::I64), Some("i"));
    let h = b.param(loop_body, Type::new(DType::F32, vec![Size::constant(4)]), Some("h"));
    let x = b.op1(loop_body, OpKind::Index { axis: 0 }, vec![xs, i]).unwrap();
    let s = b.op1(loop_body, OpKind::Binary(BinaryOp::Add), vec![h, x]).unwrap();
    let next = b.op1(loop_body, OpKind::Unary(UnaryOp::Tanh), vec![s]).unwrap();
    b.set_yields(loop_body, vec![next, h]);
    let four = Type::new(DType::F32, vec![Size::constant(4)]);
    let saved = Type::new(DType::F32, vec![Size::symbol(t), Size::constant(4)]);
    let r = b.op_typed(body, OpKind::For { stacked: 1 }, vec![t, h0], vec![four, saved], vec![loop_body]);
    b.set_yields(body, vec![r[0], r[1]]);
    let m = Module { functions: vec![b.finish()], main: None };
    verify_module(&m).unwrap();
    assert!(print_module(&m).contains("for stacked=1 %T.0, %h0.2 {\n    ^(%i.3: i64, %h.4: f32[4]):"));
}

#[test]
fn verifier_rejects_broken_functions() {
    let mut m = mse_module();
    // Use a value before its definition: swap the first two ops.
    let f = &mut m.functions[0];
    let body = f.body;
    f.regions[body.index()].ops.swap(0, 1);
    let errors = verify_module(&m).unwrap_err();
    assert!(errors[0].message.contains("not defined before its use"), "{errors:?}");

    let mut m = mse_module();
    // A result type that disagrees with the op.
    m.functions[0].values[4].ty = Type::new(DType::F32, vec![Size::constant(2), Size::constant(1)]);
    let errors = verify_module(&m).unwrap_err();
    assert!(errors.iter().any(|e| e.message.contains("results should be")), "{errors:?}");
}
