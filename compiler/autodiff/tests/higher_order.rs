//! Gradients of gradients: the output of `grad` is ordinary IR, so differentiating it again
//! (both modes) gives Hessian-vector products, checked against finite differences of the
//! gradient. Also `grad` of a function that calls a gradient.

mod common;

use common::*;
use tf_autodiff::grad;
use tf_ir::*;

/// Function 0 is `<f>_grad` of the function `f` builds (function 1 is `f` itself).
fn gradient_of(f: impl Fn(DType) -> Module, wrt: &'static [usize]) -> impl Fn(DType) -> Module {
    move |dt| {
        let mut m = f(dt);
        let g = grad(&mut m, FuncId::new(0), wrt).unwrap();
        // Put the gradient first: no function calls another here, so ids need no fixing.
        m.functions.swap(0, g.index());
        m
    }
}

fn sum_tanh(dt: DType) -> Module {
    let mut f = Fb::new("f", dt);
    let x = f.param("x", &[2, 3]);
    let y = f.un(UnaryOp::Tanh, x);
    let s = f.sum_all(y);
    f.finish(vec![s])
}

fn sum_mul(dt: DType) -> Module {
    // sum(a * a * b)
    let mut f = Fb::new("f", dt);
    let a = f.param("a", &[3]);
    let b = f.param("b", &[3]);
    let aa = f.bin(BinaryOp::Mul, a, a);
    let y = f.bin(BinaryOp::Mul, aa, b);
    let s = f.sum_all(y);
    f.finish(vec![s])
}

fn sum_tanh_matmul(dt: DType) -> Module {
    // sum(tanh(a @ w)) * sum(w)
    let mut f = Fb::new("f", dt);
    let a = f.param("a", &[2, 3]);
    let w = f.param("w", &[3, 2]);
    let aw = f.op(OpKind::MatMul, vec![a, w]);
    let t = f.un(UnaryOp::Tanh, aw);
    let s = f.sum_all(t);
    let sw = f.sum_all(w);
    let y = f.bin(BinaryOp::Mul, s, sw);
    f.finish(vec![y])
}

#[test]
fn grad_of_grad_tanh() {
    check(gradient_of(sum_tanh, &[0]), &[floats(&[2, 3])], &[0]);
}

#[test]
fn grad_of_grad_mul() {
    check(gradient_of(sum_mul, &[0, 1]), &[floats(&[3]), floats(&[3])], &[0, 1]);
}

#[test]
fn grad_of_grad_matmul() {
    check(gradient_of(sum_tanh_matmul, &[0, 1]), &[floats(&[2, 3]), floats(&[3, 2])], &[0, 1]);
}

#[test]
fn grad_of_grad_through_a_loop() {
    // The reverse of a loop is loops, indexing and scatters: differentiable again.
    let build = |dt: DType| {
        let mut f = Fb::new("f", dt);
        let t = f.int_param("T");
        let x = f.param("x", &[2]);
        let body = f.b.new_region();
        f.b.param(body, Type::scalar(DType::I64), None);
        let h = f.b.param(body, f.ty(&[2]), Some("h"));
        let hx = f.b.op1(body, OpKind::Binary(BinaryOp::Mul), vec![h, x]).unwrap();
        let next = f.b.op1(body, OpKind::Unary(UnaryOp::Sin), vec![hx]).unwrap();
        f.b.set_yields(body, vec![next]);
        let r = f.b.op_typed(f.body, OpKind::For { stacked: 0 }, vec![t, x], vec![f.ty(&[2])], vec![body]);
        let s = f.sum_all(r[0]);
        f.finish(vec![s])
    };
    check(gradient_of(build, &[1]), &[Arg::Int(3), floats(&[2])], &[1]);
}

#[test]
fn grad_of_a_function_calling_a_gradient() {
    // h(x) = sum(∇f(x) * ∇f(x)) with f = sum(tanh(x)), through a call of f_grad.
    let build = |dt: DType| {
        let mut m = sum_tanh(dt);
        let g = grad(&mut m, FuncId::new(0), &[0]).unwrap();
        let mut h = Fb::new("h", dt);
        let x = h.param("x", &[2, 3]);
        let r = h.b.op_typed(h.body, OpKind::Call(g), vec![x], vec![Type::scalar(dt), h.ty(&[2, 3])], vec![]);
        let sq = h.bin(BinaryOp::Mul, r[1], r[1]);
        let s = h.sum_all(sq);
        let hf = h.finish(vec![s]).functions.remove(0);
        m.functions.push(hf);
        m
    };
    check_fn(build, 2, &[floats(&[2, 3])], &[0]);
}
