//! Structured control flow: `for` with stacked outputs (a tanh recurrence, a zero-trip loop, a
//! 1000-iteration loop, nested loops), `while`, `if`, and calls (recursion and its depth limit).

mod common;

use std::time::{Duration, Instant};

use common::*;
use tf_base::{FileId, Span};
use tf_interp::{run, CaptureHost, RunErrorKind, Tensor};
use tf_ir::*;

fn i64_ty() -> Type {
    Type::scalar(DType::I64)
}

fn int(b: &mut FunctionBuilder, r: RegionId, v: i64) -> ValueId {
    b.constant(r, Literal::Int(v), DType::I64)
}

fn bin(b: &mut FunctionBuilder, r: RegionId, op: BinaryOp, x: ValueId, y: ValueId) -> ValueId {
    b.op1(r, OpKind::Binary(op), vec![x, y]).unwrap()
}

fn cmp(b: &mut FunctionBuilder, r: RegionId, op: CmpOp, x: ValueId, y: ValueId) -> ValueId {
    b.op1(r, OpKind::Compare(op), vec![x, y]).unwrap()
}

/// `fn rnn(%T, xs: f32[T, 4], h0: f32[4], w: f32[4]) -> (f32[4], f32[T, 4])`:
/// `h = tanh(h * w + xs[i])` for each `i`, returning the last state and every state.
fn rnn() -> Module {
    let mut b = FunctionBuilder::new("rnn");
    let body = b.body();
    let t = b.param(body, i64_ty(), Some("T"));
    let four = Type::new(DType::F32, dims(&[4]));
    let xs = b.param(body, Type::new(DType::F32, vec![Size::symbol(t), Size::constant(4)]), Some("xs"));
    let h0 = b.param(body, four.clone(), Some("h0"));
    let w = b.param(body, four.clone(), Some("w"));
    let lb = b.new_region();
    let i = b.param(lb, i64_ty(), Some("i"));
    let h = b.param(lb, four.clone(), Some("h"));
    let x = b.op1(lb, OpKind::Index { axis: 0 }, vec![xs, i]).unwrap();
    let hw = bin(&mut b, lb, BinaryOp::Mul, h, w);
    let s = bin(&mut b, lb, BinaryOp::Add, hw, x);
    let next = b.op1(lb, OpKind::Unary(UnaryOp::Tanh), vec![s]).unwrap();
    b.set_yields(lb, vec![next, next]);
    let stacked = Type::new(DType::F32, vec![Size::symbol(t), Size::constant(4)]);
    let r = b.op_typed(body, OpKind::For { stacked: 1 }, vec![t, h0], vec![four, stacked], vec![lb]);
    b.set_yields(body, r);
    module(b.finish())
}

#[test]
fn a_tanh_recurrence_with_stacked_states() {
    let steps = 5;
    let xs: Vec<f32> = noise(steps * 4, 7).iter().map(|&v| v as f32).collect();
    let h0 = [0.1f32, -0.2, 0.3, 0.0];
    let w = [0.5f32, 1.5, -1.0, 2.0];
    let out =
        run_first(&rnn(), vec![Tensor::scalar(steps as i64), f32s(&[steps, 4], &xs), f32s(&[4], &h0), f32s(&[4], &w)])
            .unwrap();
    // The same recurrence in f32 by hand.
    let mut h = h0;
    let mut states = Vec::new();
    for step in 0..steps {
        for k in 0..4 {
            h[k] = (h[k] * w[k] + xs[step * 4 + k]).tanh();
        }
        states.extend(h);
    }
    assert_eq!(out, vec![f32s(&[4], &h), f32s(&[steps, 4], &states)]);
}

#[test]
fn a_zero_trip_loop_returns_its_inputs_and_empty_stacks() {
    let h0 = f32s(&[4], &[1.0, 2.0, 3.0, 4.0]);
    let out = run_first(&rnn(), vec![Tensor::scalar(0i64), f32s(&[0, 4], &[]), h0.clone(), h0.clone()]).unwrap();
    assert_eq!(out, vec![h0, f32s(&[0, 4], &[])]);
}

/// `fn count(%n) -> (i64, i64[n])`: the sum of `0..n` and the stacked `2 * i`.
fn counting_loop() -> Module {
    let mut b = FunctionBuilder::new("count");
    let body = b.body();
    let n = b.param(body, i64_ty(), Some("n"));
    let zero = int(&mut b, body, 0);
    let lb = b.new_region();
    let i = b.param(lb, i64_ty(), Some("i"));
    let acc = b.param(lb, i64_ty(), Some("acc"));
    let next = bin(&mut b, lb, BinaryOp::Add, acc, i);
    let two = int(&mut b, lb, 2);
    let doubled = bin(&mut b, lb, BinaryOp::Mul, i, two);
    b.set_yields(lb, vec![next, doubled]);
    let results = vec![i64_ty(), Type::new(DType::I64, vec![Size::symbol(n)])];
    let r = b.op_typed(body, OpKind::For { stacked: 1 }, vec![n, zero], results, vec![lb]);
    b.set_yields(body, r);
    module(b.finish())
}

#[test]
fn a_thousand_iterations_are_fast() {
    let start = Instant::now();
    let out = run_first(&counting_loop(), vec![Tensor::scalar(1000i64)]).unwrap();
    assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
    assert_eq!(out[0], Tensor::scalar(499_500i64));
    assert_eq!(out[1], i64s(&[1000], &(0..1000).map(|i| 2 * i).collect::<Vec<_>>()));
}

#[test]
fn a_negative_trip_count_is_an_error() {
    let e = run_first(&counting_loop(), vec![Tensor::scalar(-1i64)]).unwrap_err();
    assert_eq!(e.kind, RunErrorKind::DimensionMismatch);
}

#[test]
fn nested_loops() {
    // acc = sum over i < 3, j < 4 of i * j = 3 * 6.
    let mut b = FunctionBuilder::new("nested");
    let body = b.body();
    let (three, four, zero) = (int(&mut b, body, 3), int(&mut b, body, 4), int(&mut b, body, 0));
    let outer = b.new_region();
    let i = b.param(outer, i64_ty(), None);
    let acc = b.param(outer, i64_ty(), None);
    let inner = b.new_region();
    let j = b.param(inner, i64_ty(), None);
    let acc2 = b.param(inner, i64_ty(), None);
    let ij = bin(&mut b, inner, BinaryOp::Mul, i, j);
    let next = bin(&mut b, inner, BinaryOp::Add, acc2, ij);
    b.set_yields(inner, vec![next]);
    let r = b.op_typed(outer, OpKind::For { stacked: 0 }, vec![four, acc], vec![i64_ty()], vec![inner]);
    b.set_yields(outer, r);
    let r = b.op_typed(body, OpKind::For { stacked: 0 }, vec![three, zero], vec![i64_ty()], vec![outer]);
    b.set_yields(body, r);
    assert_eq!(run_first(&module(b.finish()), vec![]).unwrap(), vec![Tensor::scalar(18i64)]);
}

/// `fn collatz(n: i64) -> i64`: steps until `n` reaches 1 (a `while` with an `if` inside).
#[test]
fn while_with_an_if_inside() {
    let mut b = FunctionBuilder::new("collatz");
    let body = b.body();
    let n = b.param(body, i64_ty(), Some("n"));
    let zero = int(&mut b, body, 0);
    let cond = b.new_region();
    let (cn, _) = (b.param(cond, i64_ty(), None), b.param(cond, i64_ty(), None));
    let one = int(&mut b, cond, 1);
    let go = cmp(&mut b, cond, CmpOp::Ne, cn, one);
    b.set_yields(cond, vec![go]);
    let step = b.new_region();
    let (sn, steps) = (b.param(step, i64_ty(), None), b.param(step, i64_ty(), None));
    let two = int(&mut b, step, 2);
    let rem = bin(&mut b, step, BinaryOp::Rem, sn, two);
    let zero2 = int(&mut b, step, 0);
    let even = cmp(&mut b, step, CmpOp::Eq, rem, zero2);
    let (then, els) = (b.new_region(), b.new_region());
    let half = bin(&mut b, then, BinaryOp::Div, sn, two);
    b.set_yields(then, vec![half]);
    let three = int(&mut b, els, 3);
    let one2 = int(&mut b, els, 1);
    let tripled = bin(&mut b, els, BinaryOp::Mul, sn, three);
    let up = bin(&mut b, els, BinaryOp::Add, tripled, one2);
    b.set_yields(els, vec![up]);
    let next = b.op_typed(step, OpKind::If, vec![even], vec![i64_ty()], vec![then, els])[0];
    let one3 = int(&mut b, step, 1);
    let more = bin(&mut b, step, BinaryOp::Add, steps, one3);
    b.set_yields(step, vec![next, more]);
    let r = b.op_typed(body, OpKind::While, vec![n, zero], vec![i64_ty(), i64_ty()], vec![cond, step]);
    b.set_yields(body, vec![r[1]]);
    let m = module(b.finish());
    let steps = |n: i64| run_first(&m, vec![Tensor::scalar(n)]).unwrap()[0].as_i64().unwrap();
    assert_eq!(steps(1), 0);
    assert_eq!(steps(6), 8);
    assert_eq!(steps(27), 111);
}

/// `fn f(n: i64) -> i64 = if n <= 0 { 1 } else { n * f(n - 1) }` (the factorial), or with
/// `depth`, `if n <= 0 { 0 } else { f(n - 1) + 1 }`; the recursive call carries `call_span`.
fn recursive(depth: bool, call_span: Span) -> Module {
    let mut b = FunctionBuilder::new(if depth { "depth" } else { "fact" });
    let body = b.body();
    let n = b.param(body, i64_ty(), Some("n"));
    let (zero, one) = (int(&mut b, body, 0), int(&mut b, body, 1));
    let base = cmp(&mut b, body, CmpOp::Le, n, zero);
    let (then, els) = (b.new_region(), b.new_region());
    b.set_yields(then, vec![if depth { zero } else { one }]);
    let m1 = bin(&mut b, els, BinaryOp::Sub, n, one);
    b.span = Some(call_span);
    let rec = b.op_typed(els, OpKind::Call(FuncId::new(0)), vec![m1], vec![i64_ty()], vec![])[0];
    b.span = None;
    let r = if depth { bin(&mut b, els, BinaryOp::Add, rec, one) } else { bin(&mut b, els, BinaryOp::Mul, n, rec) };
    b.set_yields(els, vec![r]);
    let out = b.op_typed(body, OpKind::If, vec![base], vec![i64_ty()], vec![then, els]);
    b.set_yields(body, out);
    module(b.finish())
}

#[test]
fn recursion() {
    let m = recursive(false, SPAN);
    let fact = |n: i64| run_first(&m, vec![Tensor::scalar(n)]).unwrap()[0].as_i64().unwrap();
    assert_eq!(fact(0), 1);
    assert_eq!(fact(1), 1);
    assert_eq!(fact(5), 120);
    assert_eq!(fact(20), 2_432_902_008_176_640_000);
}

#[test]
fn recursion_deeper_than_the_limit_is_an_error_at_the_call() {
    let call_span = Span::new(FileId(0), 40, 52);
    let m = recursive(true, call_span);
    // The interpreter runs on its own thread, so this works from a test thread's small stack.
    let depth = |n: i64| run(&m, FuncId::new(0), vec![Tensor::scalar(n)], &mut CaptureHost::new());
    let result =
        (depth(tf_interp::MAX_CALL_DEPTH as i64 - 1).unwrap(), depth(tf_interp::MAX_CALL_DEPTH as i64).unwrap_err());
    assert_eq!(result.0, vec![Tensor::scalar(999i64)]);
    assert_eq!((result.1.kind, result.1.span), (RunErrorKind::RecursionLimit, Some(call_span)));
}

#[test]
fn if_takes_one_branch() {
    let mut b = FunctionBuilder::new("pick");
    let body = b.body();
    let c = b.param(body, Type::scalar(DType::Bool), None);
    let x = b.param(body, Type::new(DType::F32, dims(&[2])), None);
    let (then, els) = (b.new_region(), b.new_region());
    let doubled = bin(&mut b, then, BinaryOp::Add, x, x);
    b.set_yields(then, vec![doubled]);
    let neg = b.op1(els, OpKind::Unary(UnaryOp::Neg), vec![x]).unwrap();
    b.set_yields(els, vec![neg]);
    let r = b.op_typed(body, OpKind::If, vec![c], vec![Type::new(DType::F32, dims(&[2]))], vec![then, els]);
    b.set_yields(body, r);
    let m = module(b.finish());
    let x = f32s(&[2], &[1.0, -3.0]);
    assert_eq!(run_first(&m, vec![Tensor::scalar(true), x.clone()]).unwrap(), vec![f32s(&[2], &[2.0, -6.0])]);
    assert_eq!(run_first(&m, vec![Tensor::scalar(false), x]).unwrap(), vec![f32s(&[2], &[-1.0, 3.0])]);
}
