//! Derivatives of broadcast, reductions, matrix products, reshape and transpose against finite
//! differences, with constant and run-time (symbolic) sizes.

mod common;

use common::*;
use tf_autodiff::grad;
use tf_interp::Tensor;
use tf_ir::*;

#[test]
fn broadcasts() {
    let cases: [(&[i64], &[i64]); 5] =
        [(&[3], &[4, 2, 3]), (&[1, 3], &[4, 2, 3]), (&[], &[2, 3]), (&[2, 1], &[2, 3]), (&[2, 1, 3], &[2, 4, 3])];
    for (from, to) in cases {
        let build = |dt| {
            let mut f = Fb::new("f", dt);
            let x = f.param("x", from);
            let shape = to.iter().map(|&d| c(d)).collect();
            let y = f.bcast(x, shape);
            // Multiply by a weight so every broadcast copy has a different cotangent path.
            let w = f.param("w", to);
            let y = f.bin(BinaryOp::Mul, y, w);
            f.finish(vec![y])
        };
        let to_dims: Vec<usize> = to.iter().map(|&d| d as usize).collect();
        let from_dims: Vec<usize> = from.iter().map(|&d| d as usize).collect();
        check(build, &[floats(&from_dims), floats(&to_dims)], &[0, 1]);
    }
}

#[test]
fn reductions() {
    let axes_list: [&[usize]; 5] = [&[0], &[1], &[2], &[0, 2], &[0, 1, 2]];
    for op in [ReduceOp::Sum, ReduceOp::Max, ReduceOp::Min, ReduceOp::Prod] {
        for axes in axes_list {
            for keepdims in [false, true] {
                let build = |dt| {
                    let mut f = Fb::new("f", dt);
                    let x = f.param("x", &[2, 3, 2]);
                    let y = f.op(OpKind::Reduce { op, axes: axes.to_vec(), keepdims }, vec![x]);
                    f.finish(vec![y])
                };
                // Prod: keep away from zero, where Π/xᵢ is undefined.
                let arg = if op == ReduceOp::Prod { Arg::Away(vec![2, 3, 2], 0.5, 1.5) } else { floats(&[2, 3, 2]) };
                check(build, &[arg], &[0]);
            }
        }
    }
}

#[test]
fn max_spreads_the_gradient_over_ties() {
    let mut f = Fb::new("f", DType::F64);
    let x = f.param("x", &[4]);
    let y = f.op(OpKind::Reduce { op: ReduceOp::Max, axes: vec![0], keepdims: false }, vec![x]);
    let mut m = f.finish(vec![y]);
    let g = grad(&mut m, FuncId::new(0), &[0]).unwrap();
    tf_ir::verify::verify_module(&m).unwrap();
    let out = run_f(&m, g, vec![Tensor::from_vec(vec![4], vec![1.0f64, 3.0, 3.0, 2.0]).unwrap()]);
    assert_eq!(out[1].to_f64_vec(), vec![0.0, 0.5, 0.5, 0.0]);
}

#[test]
fn reduction_over_a_runtime_size() {
    // sum(x * x, axis 0) with x: [n, 3], n given at run time.
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let n = f.int_param("n");
        let x = f.param_ty("x", Type::new(dt, vec![s(n), c(3)]));
        let sq = f.bin(BinaryOp::Mul, x, x);
        let y = f.op(OpKind::Reduce { op: ReduceOp::Sum, axes: vec![0], keepdims: true }, vec![sq]);
        let yb = f.bcast(y, vec![s(n), c(3)]);
        let z = f.bin(BinaryOp::Mul, yb, x);
        f.finish(vec![z])
    };
    check(build, &[Arg::Int(4), floats(&[4, 3])], &[1]);
}

#[test]
fn matmuls() {
    let cases: [(&[i64], &[i64]); 3] = [(&[2, 3], &[3, 4]), (&[1, 3], &[3, 1]), (&[2, 2, 3], &[2, 3, 2])];
    for (a_shape, b_shape) in cases {
        let build = |dt| {
            let mut f = Fb::new("f", dt);
            let a = f.param("a", a_shape);
            let b = f.param("b", b_shape);
            let y = f.op(OpKind::MatMul, vec![a, b]);
            f.finish(vec![y])
        };
        let dims = |s: &[i64]| s.iter().map(|&d| d as usize).collect::<Vec<_>>();
        check(build, &[floats(&dims(a_shape)), floats(&dims(b_shape))], &[0, 1]);
    }
}

#[test]
fn linear_layer_with_runtime_batch() {
    // tanh(x @ w + b) with x: [n, 3], w: [3, 2], b: [2].
    let build = |dt| {
        let mut f = Fb::new("layer", dt);
        let n = f.int_param("n");
        let x = f.param_ty("x", Type::new(dt, vec![s(n), c(3)]));
        let w = f.param("w", &[3, 2]);
        let b = f.param("b", &[2]);
        let xw = f.op(OpKind::MatMul, vec![x, w]);
        let bb = f.bcast(b, vec![s(n), c(2)]);
        let z = f.bin(BinaryOp::Add, xw, bb);
        let y = f.un(UnaryOp::Tanh, z);
        f.finish(vec![y])
    };
    check(build, &[Arg::Int(5), floats(&[5, 3]), floats(&[3, 2]), floats(&[2])], &[1, 2, 3]);
}

#[test]
fn reshape_and_transpose() {
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let x = f.param("x", &[2, 3, 4]);
        let t = f.op(OpKind::Transpose { perm: vec![2, 0, 1] }, vec![x]);
        let r = f.typed(OpKind::Reshape, vec![t], f.ty(&[4, 6]));
        let sq = f.bin(BinaryOp::Mul, r, r);
        let flat = f.typed(OpKind::Reshape, vec![sq], f.ty(&[24]));
        f.finish(vec![flat, t])
    };
    check(build, &[floats(&[2, 3, 4])], &[0]);
}
