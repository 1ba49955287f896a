//! Derivatives of slice, index, gather, scatter-add and concat, and of paths through the
//! integer ops that stop gradients (arg-max, size-of, iota), against finite differences.

mod common;

use common::*;
use tf_ir::*;

#[test]
fn slices_with_constant_and_runtime_starts() {
    for (step, len) in [(1, 3), (2, 2), (3, 2)] {
        // y = slice(x, start, axis 1) * 2 + slice(x, 0, axis 0)-derived term.
        let build = |dt| {
            let mut f = Fb::new("f", dt);
            let start = f.int_param("start");
            let x = f.param("x", &[2, 7]);
            let y = f.typed(OpKind::Slice { axis: 1, step }, vec![x, start], f.ty(&[2, len]));
            let zero = f.int(0);
            let row = f.typed(OpKind::Slice { axis: 0, step: 1 }, vec![x, zero], f.ty(&[1, 7]));
            let sq = f.bin(BinaryOp::Mul, row, row);
            f.finish(vec![y, sq])
        };
        check(build, &[Arg::Int(1), floats(&[2, 7])], &[1]);
    }
}

#[test]
fn index_at_a_runtime_position() {
    for axis in [0, 1, 2] {
        let build = |dt| {
            let mut f = Fb::new("f", dt);
            let i = f.int_param("i");
            let x = f.param("x", &[2, 3, 2]);
            let y = f.op(OpKind::Index { axis }, vec![x, i]);
            let e = f.un(UnaryOp::Exp, y);
            f.finish(vec![e])
        };
        check(build, &[Arg::Int(1), floats(&[2, 3, 2])], &[1]);
    }
}

#[test]
fn gather_with_repeated_indices() {
    // Rows 2, 0, 2, 1 of x (row 2 twice: its adjoint accumulates), and a 2-d index on axis 1.
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let idx = f.param_ty("idx", Type::new(DType::I64, vec![c(4)]));
        let idx2 = f.param_ty("idx2", Type::new(DType::I64, vec![c(2), c(2)]));
        let x = f.param("x", &[3, 2]);
        let rows = f.op(OpKind::Gather { axis: 0 }, vec![x, idx]);
        let cols = f.op(OpKind::Gather { axis: 1 }, vec![x, idx2]);
        let sq = f.bin(BinaryOp::Mul, rows, rows);
        f.finish(vec![sq, cols])
    };
    let args = [Arg::Ints(vec![4], vec![2, 0, 2, 1]), Arg::Ints(vec![2, 2], vec![1, 1, 0, 1]), floats(&[3, 2])];
    check(build, &args, &[2]);
}

#[test]
fn scatter_add_into_a_target() {
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let idx = f.param_ty("idx", Type::new(DType::I64, vec![c(3)]));
        let t = f.param("t", &[4, 2]);
        let u = f.param("u", &[3, 2]);
        let uu = f.bin(BinaryOp::Mul, u, u);
        let y = f.op(OpKind::ScatterAdd { axis: 0 }, vec![t, idx, uu]);
        let z = f.un(UnaryOp::Sin, y);
        f.finish(vec![z])
    };
    check(build, &[Arg::Ints(vec![3], vec![3, 0, 3]), floats(&[4, 2]), floats(&[3, 2])], &[1, 2]);
}

#[test]
fn concat_with_a_runtime_size() {
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let n = f.int_param("n");
        let a = f.param_ty("a", Type::new(dt, vec![c(2), s(n)]));
        let b = f.param("b", &[2, 1]);
        let d = f.param("d", &[2, 2]);
        let y = f.op(OpKind::Concat { axis: 1 }, vec![a, b, d]);
        let e = f.un(UnaryOp::Tanh, y);
        f.finish(vec![e])
    };
    check(build, &[Arg::Int(3), floats(&[2, 3]), floats(&[2, 1]), floats(&[2, 2])], &[1, 2, 3]);
}

#[test]
fn integer_ops_on_the_path_stop_gradients() {
    // x[argmax(x)] * size_of(x) + sum(x * cast(iota)): the index, the size and iota are constants.
    let build = |dt| {
        let mut f = Fb::new("f", dt);
        let x = f.param("x", &[5]);
        let am = f.op(OpKind::ArgReduce { op: ArgReduceOp::ArgMax, axis: 0, keepdims: false }, vec![x]);
        let top = f.op(OpKind::Index { axis: 0 }, vec![x, am]);
        let n = f.op(OpKind::SizeOf { axis: 0 }, vec![x]);
        let nf = f.typed(OpKind::Cast, vec![n], Type::scalar(dt));
        let scaled = f.bin(BinaryOp::Mul, top, nf);
        let iota = f.typed(OpKind::Iota { axis: 0 }, vec![], Type::new(DType::I64, vec![c(5)]));
        let iota_f = f.typed(OpKind::Cast, vec![iota], f.ty(&[5]));
        let w = f.bin(BinaryOp::Mul, x, iota_f);
        let total = f.sum_all(w);
        let y = f.bin(BinaryOp::Add, scaled, total);
        f.finish(vec![y])
    };
    check(build, &[floats(&[5])], &[0]);
}
