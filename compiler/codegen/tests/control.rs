//! `Call`, `For` (with stacked outputs), `While`, `If` against the interpreter: size arguments
//! through calls, loops that never run, carried tensors swapped or passed through, values from
//! enclosing regions, recursion (and its limit), and failures inside loops and callees located
//! where the interpreter locates them. Debug builds also check that no buffer leaks.

mod common;
use common::*;
use tf_codegen::JitErrorKind;
use tf_interp::Tensor;
use tf_ir::*;

fn c(n: i64) -> Size {
    Size::constant(n)
}

fn i64t() -> Type {
    Type::scalar(DType::I64)
}

/// `scale(N, x: f32[N], k: f32) -> (f32[N], i64)`: `x * k + 1` and `2 * N`.
fn scale_fn() -> Function {
    let mut b = FunctionBuilder::new("scale");
    b.span = Some(SPAN);
    let r = b.body();
    let n = b.param(r, i64t(), Some("N"));
    let t = Type::new(DType::F32, vec![Size::symbol(n)]);
    let x = b.param(r, t.clone(), Some("x"));
    let k = b.param(r, Type::scalar(DType::F32), Some("k"));
    let kb = b.op_typed(r, OpKind::Broadcast, vec![k], vec![t.clone()], vec![])[0];
    let y = b.op1(r, OpKind::Binary(BinaryOp::Mul), vec![x, kb]).unwrap();
    let one = b.constant(r, Literal::Float(1.0), DType::F32);
    let ob = b.op_typed(r, OpKind::Broadcast, vec![one], vec![t], vec![])[0];
    let z = b.op1(r, OpKind::Binary(BinaryOp::Add), vec![y, ob]).unwrap();
    let two = b.constant(r, Literal::Int(2), DType::I64);
    let n2 = b.op1(r, OpKind::Binary(BinaryOp::Mul), vec![two, n]).unwrap();
    b.set_yields(r, vec![z, n2]);
    b.finish()
}

#[test]
fn calls_pass_sizes_scalars_and_tensors() {
    let mut main = FunctionBuilder::new("main");
    main.span = Some(SPAN);
    let r = main.body();
    let n = main.param(r, i64t(), Some("N"));
    let t = Type::new(DType::F32, vec![Size::symbol(n)]);
    let x = main.param(r, t.clone(), None);
    let k = main.constant(r, Literal::Float(0.5), DType::F32);
    let callee = FuncId::new(1);
    let first = main.op_typed(r, OpKind::Call(callee), vec![n, x, k], vec![t.clone(), i64t()], vec![]);
    // Twice, the second time on the first's result (whose buffer the caller owns and frees).
    let second = main.op_typed(r, OpKind::Call(callee), vec![n, first[0], k], vec![t, i64t()], vec![]);
    main.set_yields(r, vec![second[0], first[1], x]);
    let m = Module { functions: vec![main.finish(), scale_fn()], main: None };
    let cases: Vec<Vec<Tensor>> =
        LENGTHS.iter().map(|&n| vec![scalar_i64(n as i64), random(DType::F32, &[n], 3, 2.0)]).collect();
    agree_all(&m, &cases);
}

/// `f(N, x: f32[N], steps)`: a `for` carrying `(acc, x, k)` that swaps tensors, passes one
/// through, uses an outer value, and stacks `acc` and `k` per iteration.
fn looping() -> Module {
    func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let t = Type::new(DType::F32, vec![n.clone()]);
        let x = b.param(r, t.clone(), Some("x"));
        let steps = b.param(r, i64t(), Some("steps"));
        let zero = b.constant(r, Literal::Float(0.0), DType::F32);
        let acc0 = b.op_typed(r, OpKind::Broadcast, vec![zero], vec![t.clone()], vec![])[0];
        let k0 = b.constant(r, Literal::Int(1), DType::I64);
        let body = b.new_region();
        let i = b.param(body, i64t(), Some("i"));
        let acc = b.param(body, t.clone(), Some("acc"));
        let y = b.param(body, t.clone(), Some("y"));
        let k = b.param(body, i64t(), Some("k"));
        let fi = b.op_typed(body, OpKind::Cast, vec![i], vec![Type::scalar(DType::F32)], vec![])[0];
        let fb = b.op_typed(body, OpKind::Broadcast, vec![fi], vec![t.clone()], vec![])[0];
        let sum = b.op1(body, OpKind::Binary(BinaryOp::Add), vec![acc, y]).unwrap();
        let next = b.op1(body, OpKind::Binary(BinaryOp::Add), vec![sum, fb]).unwrap();
        let k2 = b.op1(body, OpKind::Binary(BinaryOp::Add), vec![k, k]).unwrap();
        // Yields: the new accumulator; the old one where `y` was (a swap); `k`; stacked: the
        // new accumulator again, `x` from outside the loop, and the scalar `k`.
        b.set_yields(body, vec![next, acc, k2, next, x, k]);
        let mut stacked_ty = vec![Size::symbol(steps)];
        stacked_ty.push(n.clone());
        b.op_typed(
            r,
            OpKind::For { stacked: 3 },
            vec![steps, acc0, x, k0],
            vec![
                t.clone(),
                t.clone(),
                i64t(),
                Type::new(DType::F32, stacked_ty.clone()),
                Type::new(DType::F32, stacked_ty),
                Type::new(DType::I64, vec![Size::symbol(steps)]),
            ],
            vec![body],
        )
    })
}

#[test]
fn for_loops_carry_swap_and_stack() {
    let m = looping();
    let cases: Vec<Vec<Tensor>> = [(0usize, 0i64), (1, 1), (7, 3), (9, 0), (33, 5)]
        .iter()
        .map(|&(n, steps)| vec![scalar_i64(n as i64), random(DType::F32, &[n], 3, 2.0), scalar_i64(steps)])
        .collect();
    agree_all(&m, &cases);
}

#[test]
fn a_negative_trip_count_fails() {
    let (_, got) = both_fail(&looping(), &[scalar_i64(2), random(DType::F32, &[2], 3, 2.0), scalar_i64(-1)]);
    assert_eq!(got.kind, JitErrorKind::DimensionMismatch);
}

/// `f(x: f64[3], limit: f64)`: doubles `x` while its sum is below `limit`, counting steps;
/// the condition region computes a tensor of its own.
fn doubling() -> Module {
    func(|b, r| {
        let t = Type::new(DType::F64, vec![c(3)]);
        let x = b.param(r, t.clone(), None);
        let limit = b.param(r, Type::scalar(DType::F64), None);
        let n0 = b.constant(r, Literal::Int(0), DType::I64);
        let cond = b.new_region();
        let cx = b.param(cond, t.clone(), None);
        let _cn = b.param(cond, i64t(), None);
        let sq = b.op1(cond, OpKind::Binary(BinaryOp::Mul), vec![cx, cx]).unwrap();
        let s = b.op1(cond, OpKind::Reduce { op: ReduceOp::Sum, axes: vec![0], keepdims: false }, vec![sq]).unwrap();
        let go = b.op1(cond, OpKind::Compare(CmpOp::Lt), vec![s, limit]).unwrap();
        b.set_yields(cond, vec![go]);
        let body = b.new_region();
        let bx = b.param(body, t.clone(), None);
        let bn = b.param(body, i64t(), None);
        let twice = b.op1(body, OpKind::Binary(BinaryOp::Add), vec![bx, bx]).unwrap();
        let one = b.constant(body, Literal::Int(1), DType::I64);
        let n1 = b.op1(body, OpKind::Binary(BinaryOp::Add), vec![bn, one]).unwrap();
        b.set_yields(body, vec![twice, n1]);
        b.op_typed(r, OpKind::While, vec![x, n0], vec![t, i64t()], vec![cond, body])
    })
}

#[test]
fn while_loops() {
    let cases: Vec<Vec<Tensor>> = [0.5, 10.0, 1e6, -1.0]
        .iter()
        .map(|&limit| vec![random(DType::F64, &[3], 2, 1.0), Tensor::scalar(limit)])
        .collect();
    agree_all(&doubling(), &cases);
}

#[test]
fn ifs_yield_new_outer_and_scalar_values() {
    let m = func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let t = Type::new(DType::I32, vec![n]);
        let x = b.param(r, t.clone(), None);
        let flag = b.param(r, Type::scalar(DType::Bool), None);
        let then = b.new_region();
        let neg = b.op1(then, OpKind::Unary(UnaryOp::Neg), vec![x]).unwrap();
        let one = b.constant(then, Literal::Int(1), DType::I64);
        b.set_yields(then, vec![neg, x, one]);
        let els = b.new_region();
        let two = b.constant(els, Literal::Int(2), DType::I64);
        b.set_yields(els, vec![x, x, two]);
        b.op_typed(r, OpKind::If, vec![flag], vec![t.clone(), t, i64t()], vec![then, els])
    });
    let mut cases = Vec::new();
    for &n in &[0usize, 5] {
        for flag in [true, false] {
            cases.push(vec![scalar_i64(n as i64), random(DType::I32, &[n], 1, 50.0), Tensor::scalar(flag)]);
        }
    }
    identical_all(&m, &cases);
}

/// `fact(n: i64) -> i64` by recursion, failing a `CheckIndex` (no span of its own) when
/// `n < floor`.
fn factorial(floor: i64) -> Module {
    let mut b = FunctionBuilder::new("fact");
    let r = b.body();
    let n = b.param(r, i64t(), Some("n"));
    let f = b.constant(r, Literal::Int(floor), DType::I64);
    let above = b.op1(r, OpKind::Binary(BinaryOp::Sub), vec![n, f]).unwrap();
    let big = b.constant(r, Literal::Int(1 << 40), DType::I64);
    b.op_typed(r, OpKind::CheckIndex, vec![above, big], vec![], vec![]);
    let one = b.constant(r, Literal::Int(1), DType::I64);
    let small = b.op1(r, OpKind::Compare(CmpOp::Le), vec![n, one]).unwrap();
    let then = b.new_region();
    let one_t = b.constant(then, Literal::Int(1), DType::I64);
    b.set_yields(then, vec![one_t]);
    let els = b.new_region();
    let one_e = b.constant(els, Literal::Int(1), DType::I64);
    let m1 = b.op1(els, OpKind::Binary(BinaryOp::Sub), vec![n, one_e]).unwrap();
    b.span = Some(SPAN);
    let rec = b.op_typed(els, OpKind::Call(FuncId::new(0)), vec![m1], vec![i64t()], vec![])[0];
    b.span = None;
    let prod = b.op1(els, OpKind::Binary(BinaryOp::Mul), vec![n, rec]).unwrap();
    b.set_yields(els, vec![prod]);
    let out = b.op_typed(r, OpKind::If, vec![small], vec![i64t()], vec![then, els])[0];
    b.set_yields(r, vec![out]);
    module(b.finish())
}

#[test]
fn recursion_and_its_limit() {
    let m = factorial(-10);
    identical_all(&m, &[vec![scalar_i64(0)], vec![scalar_i64(1)], vec![scalar_i64(20)], vec![scalar_i64(1000)]]);
    let (_, got) = both_fail(&m, &[scalar_i64(1001)]);
    assert_eq!(got.kind, JitErrorKind::RecursionLimit);
    assert_eq!(got.span, Some(SPAN));
}

#[test]
fn a_failure_without_a_span_is_located_at_the_call() {
    // The check fails at n = 2: in the outermost call when entered at 2 (no span at all), and
    // eight calls deep when entered at 10 (located at the recursive call).
    let m = factorial(3);
    let (_, got) = both_fail(&m, &[scalar_i64(2)]);
    assert_eq!((got.kind, got.span), (JitErrorKind::IndexOutOfRange, None));
    let (_, got) = both_fail(&m, &[scalar_i64(10)]);
    assert_eq!((got.kind, got.span), (JitErrorKind::IndexOutOfRange, Some(SPAN)));
}

#[test]
fn nested_loops_free_what_they_make() {
    // for i in 0..a { for j in 0..b { acc = acc + exp(x) * i } }, with a temporary per step.
    let m = func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let t = Type::new(DType::F32, vec![n]);
        let x = b.param(r, t.clone(), None);
        let a = b.param(r, i64t(), None);
        let bb = b.param(r, i64t(), None);
        let outer = b.new_region();
        let _i = b.param(outer, i64t(), None);
        let acc_o = b.param(outer, t.clone(), None);
        let inner = b.new_region();
        let j = b.param(inner, i64t(), None);
        let acc_i = b.param(inner, t.clone(), None);
        let e = b.op1(inner, OpKind::Unary(UnaryOp::Exp), vec![x]).unwrap();
        let jf = b.op_typed(inner, OpKind::Cast, vec![j], vec![Type::scalar(DType::F32)], vec![])[0];
        let jb = b.op_typed(inner, OpKind::Broadcast, vec![jf], vec![t.clone()], vec![])[0];
        let p = b.op1(inner, OpKind::Binary(BinaryOp::Mul), vec![e, jb]).unwrap();
        let s = b.op1(inner, OpKind::Binary(BinaryOp::Add), vec![acc_i, p]).unwrap();
        b.set_yields(inner, vec![s]);
        let after = b.op_typed(outer, OpKind::For { stacked: 0 }, vec![bb, acc_o], vec![t.clone()], vec![inner])[0];
        b.set_yields(outer, vec![after]);
        b.op_typed(r, OpKind::For { stacked: 0 }, vec![a, x], vec![t], vec![outer])
    });
    let cases: Vec<Vec<Tensor>> = [(3usize, 2i64, 4i64), (17, 0, 3), (1, 3, 0)]
        .iter()
        .map(|&(n, a, b)| vec![scalar_i64(n as i64), random(DType::F32, &[n], 1, 1.0), scalar_i64(a), scalar_i64(b)])
        .collect();
    identical_all(&m, &cases);
}
