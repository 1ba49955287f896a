//! Elementwise ops against hand-computed values: the arithmetic of each dtype (f32 in f32,
//! wrapping and truncating integers, IEEE floats), comparisons, select, casts and constants.

mod common;

use common::*;
use tf_interp::{RunErrorKind, Tensor};
use tf_ir::*;

fn unary(op: UnaryOp, x: Tensor) -> Tensor {
    eval_ok(OpKind::Unary(op), vec![x], None)
}

fn binary(op: BinaryOp, a: Tensor, b: Tensor) -> Tensor {
    eval_ok(OpKind::Binary(op), vec![a, b], None)
}

#[test]
fn float_unary_ops_compute_in_their_own_dtype() {
    let xs = [-2.5f32, -0.3, 0.0, 0.7, 3.0];
    let x = f32s(&[5], &xs);
    type Reference = fn(f32) -> f32;
    let cases: [(UnaryOp, Reference); 9] = [
        (UnaryOp::Neg, |x| -x),
        (UnaryOp::Abs, f32::abs),
        (UnaryOp::Exp, f32::exp),
        (UnaryOp::Expm1, f32::exp_m1),
        (UnaryOp::Tanh, f32::tanh),
        (UnaryOp::Sin, f32::sin),
        (UnaryOp::Cos, f32::cos),
        (UnaryOp::Floor, f32::floor),
        (UnaryOp::Ceil, f32::ceil),
    ];
    for (op, f) in cases {
        let want = f32s(&[5], &xs.map(f));
        assert_eq!(unary(op, x.clone()), want, "{op:?}");
    }
    let pos = f32s(&[3], &[0.25, 1.0, 9.0]);
    assert_eq!(unary(UnaryOp::Sqrt, pos.clone()), f32s(&[3], &[0.5, 1.0, 3.0]));
    assert_eq!(unary(UnaryOp::Rsqrt, pos.clone()), f32s(&[3], &[2.0, 1.0, 1.0 / 3.0]));
    assert_eq!(unary(UnaryOp::Log, pos.clone()), f32s(&[3], &[0.25f32.ln(), 0.0, 9f32.ln()]));
    assert_eq!(unary(UnaryOp::Log1p, pos), f32s(&[3], &[0.25f32.ln_1p(), 1f32.ln_1p(), 9f32.ln_1p()]));
}

#[test]
fn sign_round_sigmoid_and_erf() {
    let x = f32s(&[5], &[-3.0, -0.0, 0.0, 2.0, f32::NAN]);
    let s = unary(UnaryOp::Sign, x);
    let s = s.as_slice::<f32>().unwrap();
    assert_eq!(&s[..4], &[-1.0, 0.0, 0.0, 1.0]);
    assert!(s[1].is_sign_negative() && s[4].is_nan());

    // Halves round to even.
    let r = unary(UnaryOp::Round, f64s(&[6], &[0.5, 1.5, 2.5, -0.5, -1.5, 2.4]));
    assert_eq!(r, f64s(&[6], &[0.0, 2.0, 2.0, -0.0, -2.0, 2.0]));

    let sig = unary(UnaryOp::Sigmoid, f32s(&[4], &[-200.0, 0.0, 2.0, 200.0]));
    assert_eq!(sig, f32s(&[4], &[0.0, 0.5, 1.0 / (1.0 + (-2f32).exp()), 1.0]));

    let e = unary(UnaryOp::Erf, f64s(&[4], &[0.0, 0.5, -1.0, 4.0]));
    assert_close(&e, &f64s(&[4], &[0.0, 0.5204998778130465, -0.8427007929497149, 0.9999999845827421]), 1e-15);
    let e32 = unary(UnaryOp::Erf, f32s(&[1], &[0.5]));
    assert_eq!(e32, f32s(&[1], &[0.5204998778130465f64 as f32]));
}

#[test]
fn f32_arithmetic_rounds_like_f32() {
    let sum = binary(BinaryOp::Add, f32s(&[1], &[0.1]), f32s(&[1], &[0.2]));
    assert_eq!(sum, f32s(&[1], &[0.1f32 + 0.2f32]));
    let q = binary(BinaryOp::Div, f32s(&[1], &[1.0]), f32s(&[1], &[3.0]));
    assert_eq!(q, f32s(&[1], &[1.0f32 / 3.0f32]));
}

#[test]
fn float_binary_ops_follow_ieee() {
    let a = f64s(&[4], &[1.0, -7.5, 2.0, 0.0]);
    let b = f64s(&[4], &[0.0, 2.0, 10.0, 0.0]);
    let q = binary(BinaryOp::Div, a.clone(), b.clone());
    let q = q.as_slice::<f64>().unwrap();
    assert_eq!(&q[..3], &[f64::INFINITY, -3.75, 0.2]);
    assert!(q[3].is_nan());
    // The remainder has the dividend's sign (C's fmod).
    let r = binary(BinaryOp::Rem, f64s(&[2], &[-7.5, 7.5]), f64s(&[2], &[2.0, -2.0]));
    assert_eq!(r, f64s(&[2], &[-1.5, 1.5]));
    assert_eq!(binary(BinaryOp::Pow, f64s(&[2], &[2.0, 9.0]), f64s(&[2], &[10.0, 0.5])), f64s(&[2], &[1024.0, 3.0]));
    assert_eq!(binary(BinaryOp::Sub, a.clone(), b.clone()), f64s(&[4], &[1.0, -9.5, -8.0, 0.0]));
    assert_eq!(binary(BinaryOp::Mul, a, b), f64s(&[4], &[0.0, -15.0, 20.0, 0.0]));
}

#[test]
fn max_and_min_propagate_nan() {
    let a = f32s(&[3], &[1.0, f32::NAN, 5.0]);
    let b = f32s(&[3], &[2.0, 0.0, f32::NAN]);
    let mx = binary(BinaryOp::Max, a.clone(), b.clone());
    let mn = binary(BinaryOp::Min, a, b);
    let (mx, mn) = (mx.as_slice::<f32>().unwrap(), mn.as_slice::<f32>().unwrap());
    assert_eq!((mx[0], mn[0]), (2.0, 1.0));
    assert!(mx[1].is_nan() && mx[2].is_nan() && mn[1].is_nan() && mn[2].is_nan());
}

#[test]
fn integer_arithmetic_wraps_and_truncates() {
    let a = i64s(&[4], &[-7, 7, -7, i64::MIN]);
    let b = i64s(&[4], &[2, -2, -2, -1]);
    assert_eq!(binary(BinaryOp::Div, a.clone(), b.clone()), i64s(&[4], &[-3, -3, 3, i64::MIN]));
    assert_eq!(binary(BinaryOp::Rem, a.clone(), b.clone()), i64s(&[4], &[-1, 1, -1, 0]));
    assert_eq!(binary(BinaryOp::Mul, a, b), i64s(&[4], &[-14, -14, 14, i64::MIN]));
    let m = i32s(&[2], &[i32::MAX, 5]);
    assert_eq!(binary(BinaryOp::Add, m.clone(), i32s(&[2], &[1, -9])), i32s(&[2], &[i32::MIN, -4]));
    assert_eq!(binary(BinaryOp::Max, m.clone(), i32s(&[2], &[0, 9])), i32s(&[2], &[i32::MAX, 9]));
    assert_eq!(unary(UnaryOp::Neg, i32s(&[2], &[i32::MIN, 3])), i32s(&[2], &[i32::MIN, -3]));
    assert_eq!(unary(UnaryOp::Abs, i32s(&[2], &[-4, 3])), i32s(&[2], &[4, 3]));
    assert_eq!(unary(UnaryOp::Sign, i64s(&[3], &[-4, 0, 9])), i64s(&[3], &[-1, 0, 1]));
}

#[test]
fn integer_powers() {
    let a = i64s(&[6], &[2, 3, 3, -1, 1, 2]);
    let b = i64s(&[6], &[10, 0, -1, -3, -5, 64]);
    // 2^64 wraps to 0.
    assert_eq!(binary(BinaryOp::Pow, a, b), i64s(&[6], &[1024, 1, 0, -1, 1, 0]));
    let e = eval(OpKind::Binary(BinaryOp::Pow), vec![i32s(&[1], &[0]), i32s(&[1], &[-1])], None).unwrap_err();
    assert_eq!(e.kind, RunErrorKind::DivisionByZero);
}

#[test]
fn integer_division_by_zero_is_an_error_at_the_op() {
    for op in [BinaryOp::Div, BinaryOp::Rem] {
        let e = eval(OpKind::Binary(op), vec![i32s(&[2], &[1, 2]), i32s(&[2], &[1, 0])], None).unwrap_err();
        assert_eq!(e.kind, RunErrorKind::DivisionByZero);
        assert_eq!(e.span, Some(SPAN));
    }
}

#[test]
fn logical_ops() {
    let a = bools(&[4], &[false, false, true, true]);
    let b = bools(&[4], &[false, true, false, true]);
    assert_eq!(binary(BinaryOp::And, a.clone(), b.clone()), bools(&[4], &[false, false, false, true]));
    assert_eq!(binary(BinaryOp::Or, a.clone(), b), bools(&[4], &[false, true, true, true]));
    assert_eq!(unary(UnaryOp::Not, a), bools(&[4], &[true, true, false, false]));
}

#[test]
fn comparisons_and_select() {
    let a = f32s(&[4], &[1.0, 2.0, f32::NAN, 4.0]);
    let b = f32s(&[4], &[1.0, 3.0, f32::NAN, 3.0]);
    let cmp = |op| eval_ok(OpKind::Compare(op), vec![a.clone(), b.clone()], None);
    assert_eq!(cmp(CmpOp::Eq), bools(&[4], &[true, false, false, false]));
    assert_eq!(cmp(CmpOp::Ne), bools(&[4], &[false, true, true, true]));
    assert_eq!(cmp(CmpOp::Lt), bools(&[4], &[false, true, false, false]));
    assert_eq!(cmp(CmpOp::Le), bools(&[4], &[true, true, false, false]));
    assert_eq!(cmp(CmpOp::Gt), bools(&[4], &[false, false, false, true]));
    assert_eq!(cmp(CmpOp::Ge), bools(&[4], &[true, false, false, true]));
    let lt = eval_ok(OpKind::Compare(CmpOp::Lt), vec![bools(&[2], &[false, true]), bools(&[2], &[true, true])], None);
    assert_eq!(lt, bools(&[2], &[true, false]));

    let c = bools(&[2, 2], &[true, false, false, true]);
    let x = i64s(&[2, 2], &[1, 2, 3, 4]);
    let y = i64s(&[2, 2], &[10, 20, 30, 40]);
    assert_eq!(eval_ok(OpKind::Select, vec![c, x, y], None), i64s(&[2, 2], &[1, 20, 30, 4]));
}

fn cast(x: Tensor, to: DType) -> Tensor {
    let shape = x.shape.clone();
    eval_ok(OpKind::Cast, vec![x], Some(vec![ty(to, &shape)]))
}

#[test]
fn casts() {
    let x = f32s(&[6], &[-2.7, 2.7, f32::NAN, 1e10, -1e10, 0.0]);
    assert_eq!(cast(x.clone(), DType::I32), i32s(&[6], &[-2, 2, 0, i32::MAX, i32::MIN, 0]));
    assert_eq!(cast(x, DType::Bool), bools(&[6], &[true, true, true, true, true, false]));
    let big = i64s(&[2], &[(1 << 32) + 5, -1]);
    assert_eq!(cast(big, DType::I32), i32s(&[2], &[5, -1]));
    assert_eq!(cast(bools(&[2], &[true, false]), DType::F64), f64s(&[2], &[1.0, 0.0]));
    assert_eq!(cast(bools(&[2], &[true, false]), DType::I64), i64s(&[2], &[1, 0]));
    assert_eq!(cast(i64s(&[3], &[0, 3, -1]), DType::Bool), bools(&[3], &[false, true, true]));
    assert_eq!(cast(f64s(&[1], &[0.1]), DType::F32), f32s(&[1], &[0.1]));
    assert_eq!(cast(f32s(&[1], &[0.1]), DType::F64), f64s(&[1], &[0.1f32 as f64]));
    // Rounds to nearest: 2^24 + 1 is not an f32.
    assert_eq!(cast(i64s(&[1], &[(1 << 24) + 1]), DType::F32), f32s(&[1], &[16777216.0]));
}

#[test]
fn constants_convert_to_the_result_dtype() {
    let c = |lit, dtype| eval_ok(OpKind::Const(lit), vec![], Some(vec![Type::scalar(dtype)]));
    assert_eq!(c(Literal::Float(2.5), DType::F32), Tensor::scalar(2.5f32));
    assert_eq!(c(Literal::Float(-2.5), DType::I64), Tensor::scalar(-2i64));
    assert_eq!(c(Literal::Int(3), DType::F64), Tensor::scalar(3.0f64));
    assert_eq!(c(Literal::Int(7), DType::I32), Tensor::scalar(7i32));
    assert_eq!(c(Literal::Bool(true), DType::I32), Tensor::scalar(1i32));
    assert_eq!(c(Literal::Bool(false), DType::Bool), Tensor::scalar(false));
}
