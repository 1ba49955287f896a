//! Derivatives of `conv2d` (strides, paddings, rectangular kernels, a run-time batch) and of
//! max and average pooling against finite differences; and conv2d's gradient differentiated
//! again.

mod common;

use common::*;
use tf_autodiff::grad;
use tf_ir::*;

fn out_len(len: i64, k: i64, stride: i64, padding: i64) -> i64 {
    (len + 2 * padding - k) / stride + 1
}

fn conv(stride: usize, padding: usize, (kh, kw): (i64, i64)) -> impl Fn(DType) -> Module {
    move |dt| {
        let mut f = Fb::new("conv", dt);
        let n = f.int_param("n");
        let x = f.param_ty("x", Type::new(dt, vec![s(n), c(2), c(5), c(4)]));
        let w = f.param("w", &[3, 2, kh, kw]);
        let (oh, ow) = (out_len(5, kh, stride as i64, padding as i64), out_len(4, kw, stride as i64, padding as i64));
        let y = f.typed(OpKind::Conv2d { stride, padding }, vec![x, w], Type::new(dt, vec![s(n), c(3), c(oh), c(ow)]));
        let t = f.un(UnaryOp::Tanh, y);
        f.finish(vec![t])
    }
}

#[test]
fn conv2d() {
    for (stride, padding, kernel) in [(1, 0, (3, 3)), (1, 1, (3, 2)), (2, 1, (3, 3)), (2, 0, (2, 3)), (3, 2, (1, 1))] {
        check(
            conv(stride, padding, kernel),
            &[Arg::Int(2), floats(&[2, 2, 5, 4]), floats(&[3, 2, kernel.0 as usize, kernel.1 as usize])],
            &[1, 2],
        );
    }
}

#[test]
fn pooling() {
    for kind in [PoolKind::Max, PoolKind::Avg] {
        for (size, stride) in [(2, 2), (2, 1), (3, 2)] {
            let build = |dt| {
                let mut f = Fb::new("pool", dt);
                let x = f.param("x", &[2, 2, 5, 4]);
                let (oh, ow) = (out_len(5, size, stride, 0), out_len(4, size, stride, 0));
                let kind = OpKind::Pool2d { kind, size: size as usize, stride: stride as usize };
                let y = f.typed(kind, vec![x], f.ty(&[2, 2, oh, ow]));
                f.finish(vec![y])
            };
            check(build, &[floats(&[2, 2, 5, 4])], &[0]);
        }
    }
}

#[test]
fn grad_of_grad_conv2d() {
    // loss = sum(conv(x, w)²); function 0 is its gradient.
    let build = |dt| {
        let mut f = Fb::new("loss", dt);
        let x = f.param("x", &[1, 2, 5, 4]);
        let w = f.param("w", &[3, 2, 3, 3]);
        let y = f.typed(OpKind::Conv2d { stride: 2, padding: 1 }, vec![x, w], f.ty(&[1, 3, 3, 2]));
        let sq = f.bin(BinaryOp::Mul, y, y);
        let loss = f.sum_all(sq);
        let mut m = f.finish(vec![loss]);
        let g = grad(&mut m, FuncId::new(0), &[0, 1]).unwrap();
        m.functions.swap(0, g.index());
        m
    };
    check(build, &[floats(&[1, 2, 5, 4]), floats(&[3, 2, 3, 3])], &[0, 1]);
}
