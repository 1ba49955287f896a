//! Derivatives through loops with run-time trip counts (0, 1, 5), nested loops, branches,
//! calls and (forward mode only) while loops, against finite differences.

mod common;

use common::*;
use tf_autodiff::{vjp, AdError};
use tf_interp::{run, CaptureHost, Tensor};
use tf_ir::print::print_module;
use tf_ir::*;

/// `h ← tanh(w h + xs[i])` for `i < T`, yielding the final state and every state (stacked).
fn rnn(dt: DType) -> Module {
    let mut f = Fb::new("rnn", dt);
    let t = f.int_param("T");
    let xs = f.param_ty("xs", Type::new(dt, vec![s(t), c(3)]));
    let w = f.param("w", &[3, 3]);
    let h0 = f.param("h0", &[3]);
    let body = f.b.new_region();
    let i = f.b.param(body, Type::scalar(DType::I64), Some("i"));
    let h = f.b.param(body, f.ty(&[3]), Some("h"));
    let op1 = |f: &mut Fb, kind, operands| f.b.op1(body, kind, operands).unwrap();
    let x = op1(&mut f, OpKind::Index { axis: 0 }, vec![xs, i]);
    let hc = f.b.op_typed(body, OpKind::Reshape, vec![h], vec![f.ty(&[3, 1])], vec![])[0];
    let wh = op1(&mut f, OpKind::MatMul, vec![w, hc]);
    let wh = f.b.op_typed(body, OpKind::Reshape, vec![wh], vec![f.ty(&[3])], vec![])[0];
    let z = op1(&mut f, OpKind::Binary(BinaryOp::Add), vec![wh, x]);
    let next = op1(&mut f, OpKind::Unary(UnaryOp::Tanh), vec![z]);
    f.b.set_yields(body, vec![next, next]);
    let results = f.b.op_typed(
        f.body,
        OpKind::For { stacked: 1 },
        vec![t, h0],
        vec![f.ty(&[3]), Type::new(dt, vec![s(t), c(3)])],
        vec![body],
    );
    f.finish(results)
}

#[test]
fn loops_with_runtime_trip_counts() {
    for count in [0usize, 1, 5] {
        let args = [Arg::Int(count as i64), floats(&[count, 3]), floats(&[3, 3]), floats(&[3])];
        check(rnn, &args, &[1, 2, 3]);
    }
}

#[test]
fn nested_loops_and_a_loop_counter_in_the_arithmetic() {
    // for i < T: for j < K: h ← sin(h * w) + cast(i + j) * x
    let build = |dt: DType| {
        let mut f = Fb::new("nested", dt);
        let t = f.int_param("T");
        let k = f.int_param("K");
        let x = f.param("x", &[2]);
        let w = f.param("w", &[2]);
        let outer = f.b.new_region();
        let i = f.b.param(outer, Type::scalar(DType::I64), Some("i"));
        let h = f.b.param(outer, f.ty(&[2]), Some("h"));
        let inner = f.b.new_region();
        let j = f.b.param(inner, Type::scalar(DType::I64), Some("j"));
        let g = f.b.param(inner, f.ty(&[2]), Some("g"));
        let mut op = |kind, operands| f.b.op1(inner, kind, operands).unwrap();
        let gw = op(OpKind::Binary(BinaryOp::Mul), vec![g, w]);
        let sn = op(OpKind::Unary(UnaryOp::Sin), vec![gw]);
        let ij = op(OpKind::Binary(BinaryOp::Add), vec![i, j]);
        let ijf = f.b.op_typed(inner, OpKind::Cast, vec![ij], vec![Type::scalar(dt)], vec![])[0];
        let ijb = f.b.op_typed(inner, OpKind::Broadcast, vec![ijf], vec![f.ty(&[2])], vec![])[0];
        let sx = f.b.op1(inner, OpKind::Binary(BinaryOp::Mul), vec![ijb, x]).unwrap();
        let next = f.b.op1(inner, OpKind::Binary(BinaryOp::Add), vec![sn, sx]).unwrap();
        f.b.set_yields(inner, vec![next]);
        let r = f.b.op_typed(outer, OpKind::For { stacked: 0 }, vec![k, h], vec![f.ty(&[2])], vec![inner]);
        f.b.set_yields(outer, vec![r[0]]);
        let r = f.b.op_typed(f.body, OpKind::For { stacked: 0 }, vec![t, x], vec![f.ty(&[2])], vec![outer]);
        f.finish(r)
    };
    for (t, k) in [(0, 2), (3, 2), (2, 0)] {
        check(build, &[Arg::Int(t), Arg::Int(k), floats(&[2]), floats(&[2])], &[2, 3]);
    }
}

/// `if c > 0 { x * w } else { sin(x) + w * w }`.
fn branch(dt: DType) -> Module {
    let mut f = Fb::new("branch", dt);
    let cnd = f.param("c", &[]);
    let x = f.param("x", &[3]);
    let w = f.param("w", &[3]);
    let zero = f.constant(0.0);
    let pos = f.op(OpKind::Compare(CmpOp::Gt), vec![cnd, zero]);
    let then = f.b.new_region();
    let xw = f.b.op1(then, OpKind::Binary(BinaryOp::Mul), vec![x, w]).unwrap();
    f.b.set_yields(then, vec![xw, x]);
    let els = f.b.new_region();
    let sx = f.b.op1(els, OpKind::Unary(UnaryOp::Sin), vec![x]).unwrap();
    let ww = f.b.op1(els, OpKind::Binary(BinaryOp::Mul), vec![w, w]).unwrap();
    let y = f.b.op1(els, OpKind::Binary(BinaryOp::Add), vec![sx, ww]).unwrap();
    f.b.set_yields(els, vec![y, w]);
    let r = f.b.op_typed(f.body, OpKind::If, vec![pos], vec![f.ty(&[3]), f.ty(&[3])], vec![then, els]);
    f.finish(r)
}

#[test]
fn both_branches_of_an_if() {
    for c in [0.5, -0.5] {
        // The condition's input is differentiated too: its gradient is zero.
        check(branch, &[Arg::Floats(vec![], c, c), floats(&[3]), floats(&[3])], &[0, 1, 2]);
    }
}

/// `f(m, x, w) = g(m, x, w) * x + g(m, w, x)` with `g(n, a, b) = tanh(a * b)`.
fn with_call(dt: DType) -> Module {
    let mut g = Fb::new("g", dt);
    let n = g.int_param("n");
    let a = g.param_ty("a", Type::new(dt, vec![s(n)]));
    let b = g.param_ty("b", Type::new(dt, vec![s(n)]));
    let ab = g.bin(BinaryOp::Mul, a, b);
    let y = g.un(UnaryOp::Tanh, ab);
    let callee = g.finish(vec![y]).functions.remove(0);

    let mut f = Fb::new("f", dt);
    let m = f.int_param("m");
    let ty = Type::new(dt, vec![s(m)]);
    let x = f.param_ty("x", ty.clone());
    let w = f.param_ty("w", ty.clone());
    let g1 = f.typed(OpKind::Call(FuncId::new(1)), vec![m, x, w], ty.clone());
    let g2 = f.typed(OpKind::Call(FuncId::new(1)), vec![m, w, x], ty);
    let gx = f.bin(BinaryOp::Mul, g1, x);
    let y = f.bin(BinaryOp::Add, gx, g2);
    let mut module = f.finish(vec![y]);
    module.functions.push(callee);
    module
}

#[test]
fn calls_differentiate_the_callee() {
    check(with_call, &[Arg::Int(4), floats(&[4]), floats(&[4])], &[1, 2]);
    check(with_call, &[Arg::Int(4), floats(&[4]), floats(&[4])], &[2]);
    // Both calls differentiate g with respect to both arguments: one `g_vjp` serves them.
    let mut m = with_call(DType::F32);
    vjp(&mut m, FuncId::new(0), &[1, 2]).unwrap();
    let names: Vec<&str> = m.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["f", "g", "g_vjp", "f_vjp"]);
}

/// `while k < 3 { h ← sin(h) * x; k += 1 }`: forward mode only.
fn with_while(dt: DType) -> Module {
    let mut f = Fb::new("w", dt);
    let x = f.param("x", &[3]);
    let k0 = f.int(0);
    let cond = f.b.new_region();
    let ck = f.b.param(cond, Type::scalar(DType::I64), None);
    f.b.param(cond, f.ty(&[3]), None);
    let three = f.b.constant(cond, Literal::Int(3), DType::I64);
    let lt = f.b.op1(cond, OpKind::Compare(CmpOp::Lt), vec![ck, three]).unwrap();
    f.b.set_yields(cond, vec![lt]);
    let body = f.b.new_region();
    let k = f.b.param(body, Type::scalar(DType::I64), None);
    let h = f.b.param(body, f.ty(&[3]), Some("h"));
    let one = f.b.constant(body, Literal::Int(1), DType::I64);
    let k1 = f.b.op1(body, OpKind::Binary(BinaryOp::Add), vec![k, one]).unwrap();
    let sh = f.b.op1(body, OpKind::Unary(UnaryOp::Sin), vec![h]).unwrap();
    let next = f.b.op1(body, OpKind::Binary(BinaryOp::Mul), vec![sh, x]).unwrap();
    f.b.set_yields(body, vec![k1, next]);
    let r =
        f.b.op_typed(f.body, OpKind::While, vec![k0, x], vec![Type::scalar(DType::I64), f.ty(&[3])], vec![cond, body]);
    f.finish(vec![r[1], r[0]])
}

#[test]
fn while_loops_in_forward_mode_and_a_clear_error_in_reverse() {
    let mut rng = Rng::new(5);
    let values = materialise(&[floats(&[3])], &mut rng);
    let f = FuncId::new(0);
    let r = reference(&with_while(DType::F64), f, &values, &[0], &mut rng);
    compare_jvp(&mut with_while(DType::F64), f, DType::F64, &values, &[0], &r, TOL_F64);
    compare_jvp(&mut with_while(DType::F32), f, DType::F32, &values, &[0], &r, TOL_F32);
    let err = vjp(&mut with_while(DType::F64), f, &[0]).unwrap_err();
    assert!(matches!(err, AdError::Unsupported { ref op, .. } if op == "while"), "{err}");
}

#[test]
fn the_reverse_of_a_loop_reads_saved_states_and_scatters_into_accumulators() {
    let mut m = rnn(DType::F32);
    vjp(&mut m, FuncId::new(0), &[1, 2, 3]).unwrap();
    let text = print_module(&m);
    // The forward loop stacks its carried state; the reverse loop walks i = T-1-j, reads the
    // saved state, and adds the adjoint of xs[i] into the carried accumulator in place.
    for expected in [
        "for stacked=2 %T.0, %h0.3",
        "%h_saved.16: f32[%T.0, 3]",
        "^(%j.21: i64, %h_adj.22: f32[3], %xs_adj.23: f32[%T.0, 3], %w_adj.24: f32[3, 3]):",
        "index[axis 0] %h_saved.16,",
        "scatter_add[axis 0] %xs_adj.23,",
    ] {
        assert!(text.contains(expected), "no `{expected}` in\n{text}");
    }
}

/// `for i < T { h ← if sum(h) > 0 { h * w } else { sin(h) + w } }` from `h = 1`: the loop's
/// state is active only through `w`, a value from outside.
fn branch_in_loop(dt: DType) -> Module {
    let mut f = Fb::new("f", dt);
    let t = f.int_param("T");
    let w = f.param("w", &[2]);
    let one = f.constant(1.0);
    let h0 = f.bcast(one, vec![c(2)]);
    let body = f.b.new_region();
    f.b.param(body, Type::scalar(DType::I64), None);
    let h = f.b.param(body, f.ty(&[2]), Some("h"));
    let sum = f.b.op1(body, OpKind::Reduce { op: ReduceOp::Sum, axes: vec![0], keepdims: false }, vec![h]).unwrap();
    let zero = f.b.constant(body, Literal::Float(0.0), dt);
    let pos = f.b.op1(body, OpKind::Compare(CmpOp::Gt), vec![sum, zero]).unwrap();
    let then = f.b.new_region();
    let hw = f.b.op1(then, OpKind::Binary(BinaryOp::Mul), vec![h, w]).unwrap();
    f.b.set_yields(then, vec![hw]);
    let els = f.b.new_region();
    let sh = f.b.op1(els, OpKind::Unary(UnaryOp::Sin), vec![h]).unwrap();
    let shw = f.b.op1(els, OpKind::Binary(BinaryOp::Add), vec![sh, w]).unwrap();
    f.b.set_yields(els, vec![shw]);
    let next = f.b.op_typed(body, OpKind::If, vec![pos], vec![f.ty(&[2])], vec![then, els])[0];
    // Also stack an integer per iteration: it has no adjoint and must not get in the way.
    let n = f.b.op1(body, OpKind::SizeOf { axis: 0 }, vec![h]).unwrap();
    f.b.set_yields(body, vec![next, next, n]);
    let types = vec![f.ty(&[2]), Type::new(dt, vec![s(t), c(2)]), Type::new(DType::I64, vec![s(t)])];
    let r = f.b.op_typed(f.body, OpKind::For { stacked: 2 }, vec![t, h0], types, vec![body]);
    f.finish(r)
}

#[test]
fn branches_inside_loops() {
    for (count, lo, hi) in [(0, -1.0, 1.0), (4, 0.5, 1.5), (4, -1.5, -0.5), (5, -1.0, 1.0)] {
        check(branch_in_loop, &[Arg::Int(count), Arg::Floats(vec![2], lo, hi)], &[1]);
    }
}

/// `if c > 0 { for i < T: h ← h * x } else { x }`.
fn loop_in_branch(dt: DType) -> Module {
    let mut f = Fb::new("f", dt);
    let t = f.int_param("T");
    let cnd = f.param("c", &[]);
    let x = f.param("x", &[3]);
    let zero = f.constant(0.0);
    let pos = f.op(OpKind::Compare(CmpOp::Gt), vec![cnd, zero]);
    let then = f.b.new_region();
    let body = f.b.new_region();
    f.b.param(body, Type::scalar(DType::I64), None);
    let h = f.b.param(body, f.ty(&[3]), Some("h"));
    let hx = f.b.op1(body, OpKind::Binary(BinaryOp::Mul), vec![h, x]).unwrap();
    f.b.set_yields(body, vec![hx]);
    let r = f.b.op_typed(then, OpKind::For { stacked: 0 }, vec![t, x], vec![f.ty(&[3])], vec![body]);
    f.b.set_yields(then, vec![r[0]]);
    let els = f.b.new_region();
    f.b.set_yields(els, vec![x]);
    let y = f.b.op_typed(f.body, OpKind::If, vec![pos], vec![f.ty(&[3])], vec![then, els]);
    f.finish(y)
}

#[test]
fn loops_inside_branches() {
    for c in [1.0, -1.0] {
        check(loop_in_branch, &[Arg::Int(3), Arg::Floats(vec![], c, c), floats(&[3])], &[1, 2]);
    }
}

#[test]
fn recomputation_does_not_repeat_prints() {
    // f(T, x) = g(for i < T { print; h * x }) with g(y) = { print; sin(y) }.
    let mut g = Fb::new("g", DType::F64);
    let y = g.param("y", &[2]);
    g.b.op_typed(g.body, OpKind::Print(vec![PrintPiece::Text("in g".into())]), vec![], vec![], vec![]);
    let sy = g.un(UnaryOp::Sin, y);
    let callee = g.finish(vec![sy]).functions.remove(0);

    let mut f = Fb::new("f", DType::F64);
    let t = f.int_param("T");
    let x = f.param("x", &[2]);
    let body = f.b.new_region();
    let i = f.b.param(body, Type::scalar(DType::I64), Some("i"));
    let h = f.b.param(body, f.ty(&[2]), Some("h"));
    let pieces = vec![PrintPiece::Text("step ".into()), PrintPiece::Value(0)];
    f.b.op_typed(body, OpKind::Print(pieces), vec![i], vec![], vec![]);
    let hx = f.b.op1(body, OpKind::Binary(BinaryOp::Mul), vec![h, x]).unwrap();
    f.b.set_yields(body, vec![hx]);
    let r = f.b.op_typed(f.body, OpKind::For { stacked: 0 }, vec![t, x], vec![f.ty(&[2])], vec![body]);
    let out = f.typed(OpKind::Call(FuncId::new(1)), vec![r[0]], f.ty(&[2]));
    let mut m = f.finish(vec![out]);
    m.functions.push(callee);

    let d = vjp(&mut m, FuncId::new(0), &[1]).unwrap();
    let mut host = CaptureHost::new();
    let x = Tensor::from_vec(vec![2], vec![0.5f64, -0.25]).unwrap();
    let ct = Tensor::from_vec(vec![2], vec![1.0f64, 1.0]).unwrap();
    run(&m, d, vec![Tensor::scalar(3i64), x, ct], &mut host).unwrap();
    assert_eq!(host.lines, ["step 0", "step 1", "step 2", "in g"]);
}
