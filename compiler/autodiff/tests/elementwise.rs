//! Reverse and forward derivatives of the elementwise ops (unary, binary with broadcasting,
//! select, casts) against finite differences, in f64 and f32.

mod common;

use common::*;
use tf_ir::*;

fn unary_case(op: UnaryOp, shape: &[i64], arg: Arg) {
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let x = f.param("x", shape);
        let y = f.un(op, x);
        f.finish(vec![y])
    };
    check(build, &[arg], &[0]);
}

#[test]
fn unary_ops() {
    use UnaryOp::*;
    let shapes: [&[i64]; 3] = [&[], &[3], &[2, 3]];
    let all = [
        (Neg, None),
        (Exp, None),
        (Expm1, None),
        (Tanh, None),
        (Sigmoid, None),
        (Sin, None),
        (Cos, None),
        (Erf, None),
        (Log, Some((0.5, 2.0))),
        (Sqrt, Some((0.5, 2.0))),
        (Rsqrt, Some((0.5, 2.0))),
        (Log1p, Some((-0.5, 1.0))),
        // Piecewise constant: the derivative is zero away from the jumps.
        (Floor, Some((0.1, 0.4))),
        (Ceil, Some((0.1, 0.4))),
        (Round, Some((0.1, 0.4))),
    ];
    for (op, range) in all {
        for shape in shapes {
            let dims: Vec<usize> = shape.iter().map(|&d| d as usize).collect();
            let (lo, hi) = range.unwrap_or((-1.0, 1.0));
            unary_case(op, shape, Arg::Floats(dims, lo, hi));
        }
    }
    // Kinks at zero: keep away from them.
    for op in [Abs, Sign] {
        unary_case(op, &[2, 3], Arg::Away(vec![2, 3], 0.2, 1.0));
    }
}

/// `op(a, broadcast(b))`, summed with a weight so the result is a scalar (grad-style) or left
/// as a tensor.
fn binary_case(op: BinaryOp, b_shape: &[i64], a_arg: Arg, b_arg: Arg) {
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let a = f.param("a", &[2, 3]);
        let b = f.param("b", b_shape);
        let bb = f.bcast(b, vec![c(2), c(3)]);
        let y = f.bin(op, a, bb);
        f.finish(vec![y])
    };
    check(build, &[a_arg, b_arg], &[0, 1]);
}

#[test]
fn binary_ops_with_broadcasting() {
    use BinaryOp::*;
    let b_shapes: [&[i64]; 4] = [&[2, 3], &[3], &[2, 1], &[]];
    for b_shape in b_shapes {
        let bd: Vec<usize> = b_shape.iter().map(|&d| d as usize).collect();
        for op in [Add, Sub, Mul, Max, Min] {
            binary_case(op, b_shape, floats(&[2, 3]), floats(&bd));
        }
        binary_case(Div, b_shape, floats(&[2, 3]), Arg::Away(bd.clone(), 0.5, 2.0));
        binary_case(Pow, b_shape, positive(&[2, 3]), floats(&bd));
        binary_case(Rem, b_shape, Arg::Floats(vec![2, 3], -3.0, 3.0), Arg::Away(bd.clone(), 0.7, 1.3));
    }
}

#[test]
fn a_value_used_twice_accumulates() {
    // y = x * x + sin(x) * x: every use of x contributes to x_adj.
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let x = f.param("x", &[4]);
        let sq = f.bin(BinaryOp::Mul, x, x);
        let s = f.un(UnaryOp::Sin, x);
        let sx = f.bin(BinaryOp::Mul, s, x);
        let y = f.bin(BinaryOp::Add, sq, sx);
        f.finish(vec![y, x])
    };
    check(build, &[floats(&[4])], &[0]);
}

#[test]
fn select_and_compare() {
    // where(a > b, a * b, exp(b)): the comparison stops gradients, the branches carry them.
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let a = f.param("a", &[3, 2]);
        let b = f.param("b", &[3, 2]);
        let gt = f.op(OpKind::Compare(CmpOp::Gt), vec![a, b]);
        let ab = f.bin(BinaryOp::Mul, a, b);
        let eb = f.un(UnaryOp::Exp, b);
        let y = f.op(OpKind::Select, vec![gt, ab, eb]);
        f.finish(vec![y])
    };
    check(build, &[floats(&[3, 2]), floats(&[3, 2])], &[0, 1]);
}

#[test]
fn casts_between_floats_carry_derivatives() {
    // x → `other` float type → square → back to x's type.
    let build = |dt: DType, other: DType| {
        let mut f = Fb::new("f", dt);
        let x = f.param("x", &[3]);
        let xo = f.typed(OpKind::Cast, vec![x], Type::new(other, vec![c(3)]));
        let sq = f.bin(BinaryOp::Mul, xo, xo);
        let back = f.typed(OpKind::Cast, vec![sq], Type::new(dt, vec![c(3)]));
        let y = f.bin(BinaryOp::Add, back, x);
        f.finish(vec![y])
    };
    // The reference stays in f64 (differences through an f32 rounding would be noise); the
    // f64 → f32 → f64 round trip rounds, so it is held to the f32 tolerance.
    let mut rng = Rng::new(3);
    let values = materialise(&[floats(&[3])], &mut rng);
    let r = reference(&build(DType::F64, DType::F64), FuncId::new(0), &values, &[0], &mut rng);
    compare(build(DType::F64, DType::F32), FuncId::new(0), DType::F64, &values, &[0], &r, TOL_F32);
    compare(build(DType::F32, DType::F64), FuncId::new(0), DType::F32, &values, &[0], &r, TOL_F32);
}

#[test]
fn casts_to_integers_stop_gradients() {
    // y = x * cast(cast(x, i64), f): the integer part is a constant.
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let x = f.param("x", &[4]);
        let xi = f.typed(OpKind::Cast, vec![x], Type::new(DType::I64, vec![c(4)]));
        let back = f.typed(OpKind::Cast, vec![xi], Type::new(dt, vec![c(4)]));
        let y = f.bin(BinaryOp::Mul, x, back);
        f.finish(vec![y])
    };
    check(build, &[Arg::Floats(vec![4], 1.2, 3.8)], &[0]);
}
