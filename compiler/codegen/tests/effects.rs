//! Checks, `Print`, `Random`, `SizeOf`, and what the host refuses: checks pass or fail at their
//! span with the interpreter's kind and wording, printed lines match the interpreter's
//! (formatted by the runtime's printer, as `tfc run` does), random numbers match `tf_ir::rng`
//! value for value, negative sizes fail, unsupported ops refuse to compile.

mod common;
use common::*;
use tf_codegen::{CodegenError, JitErrorKind};
use tf_interp::Tensor;
use tf_ir::*;

fn c(n: i64) -> Size {
    Size::constant(n)
}

fn i64t() -> Type {
    Type::scalar(DType::I64)
}

fn checks() -> Module {
    func(|b, r| {
        let a = b.param(r, i64t(), None);
        let bb = b.param(r, i64t(), None);
        let n = b.param(r, i64t(), None);
        b.op_typed(r, OpKind::CheckEq, vec![a, a], vec![], vec![]);
        b.op_typed(r, OpKind::CheckSlice, vec![a, bb, n], vec![], vec![]);
        b.op_typed(r, OpKind::CheckIndex, vec![a, n], vec![], vec![]);
        b.op_typed(r, OpKind::CheckEq, vec![a, bb], vec![], vec![]);
        vec![n]
    })
}

#[test]
fn checks_pass_and_fail_like_the_interpreter() {
    identical_all(&checks(), &[vec![scalar_i64(2), scalar_i64(2), scalar_i64(5)]]);
    for (a, b, n, kind) in [
        (3, 2, 5, JitErrorKind::IndexOutOfRange),  // slice end before its start
        (-1, 2, 5, JitErrorKind::IndexOutOfRange), // slice start negative
        (2, 6, 5, JitErrorKind::IndexOutOfRange),  // slice beyond the end
        (5, 5, 5, JitErrorKind::IndexOutOfRange),  // index at the end
        (1, 3, 5, JitErrorKind::DimensionMismatch),
    ] {
        let (want, got) = both_fail(&checks(), &[scalar_i64(a), scalar_i64(b), scalar_i64(n)]);
        assert_eq!(got.kind, kind);
        assert_eq!(got.span, Some(SPAN));
        assert_eq!(got.message, want.message);
    }
}

/// Runs function 0 with output captured; what it printed.
fn jit_output(m: &Module, args: &[Tensor]) -> String {
    let rt = args.iter().map(to_runtime).collect();
    let (result, out) = tf_runtime::output::capture(|| tf_codegen::run_jit(m, FuncId::new(0), rt));
    result.unwrap();
    out
}

#[test]
fn prints_match_the_interpreter() {
    for dtype in [DType::F32, DType::F64, DType::I32, DType::I64, DType::Bool] {
        let m = func(|b, r| {
            let (nv, n) = size_param(b, r, "N");
            let x = b.param(r, Type::new(dtype, vec![n, c(3)]), None);
            let s = b.param(r, Type::scalar(dtype), None);
            let pieces = vec![
                PrintPiece::Text("x = ".into()),
                PrintPiece::Value(0),
                PrintPiece::Text(", s = ".into()),
                PrintPiece::Value(1),
                PrintPiece::Text(" (n = ".into()),
                PrintPiece::Value(2),
                PrintPiece::Text(") ünïcode".into()),
            ];
            b.op_typed(r, OpKind::Print(pieces), vec![x, s, nv], vec![], vec![]);
            b.op_typed(r, OpKind::Print(vec![]), vec![], vec![], vec![]);
            vec![]
        });
        for n in [0usize, 1, 4, 400] {
            let args = vec![
                scalar_i64(n as i64),
                random(dtype, &[n, 3], 1, 100.0),
                Tensor { shape: vec![], data: random(dtype, &[1], 2, 100.0).data },
            ];
            let mut host = TestHost::default();
            tf_interp::run(&m, FuncId::new(0), args.clone(), &mut host).unwrap();
            let want: String = host.lines.iter().map(|l| format!("{l}\n")).collect();
            assert_eq!(jit_output(&m, &args), want);
        }
    }
}

fn randoms() -> Module {
    func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let seed = b.param(r, i64t(), None);
        let mean = b.param(r, Type::scalar(DType::F32), None);
        let std = b.param(r, Type::new(DType::F64, vec![n.clone(), c(2)]), None);
        let low = b.param(r, Type::scalar(DType::I32), None);
        let one = b.constant(r, Literal::Float(1.0), DType::F64);
        let mut ys = Vec::new();
        for d in [DType::F32, DType::F64] {
            let t = Type::new(d, vec![n.clone(), c(2)]);
            ys.push(
                b.op_typed(r, OpKind::Random(Distribution::Normal), vec![seed, mean, std], vec![t.clone()], vec![])[0],
            );
            ys.push(b.op_typed(r, OpKind::Random(Distribution::Uniform), vec![seed, low, one], vec![t], vec![])[0]);
            ys.push(
                b.op_typed(
                    r,
                    OpKind::Random(Distribution::Normal),
                    vec![seed, mean, one],
                    vec![Type::scalar(d)],
                    vec![],
                )[0],
            );
        }
        ys
    })
}

#[test]
fn random_numbers_match_the_shared_definition() {
    let cases: Vec<Vec<Tensor>> = [(0usize, 0i64), (1, 42), (9, -7), (300, i64::MAX)]
        .iter()
        .map(|&(n, seed)| {
            vec![
                scalar_i64(n as i64),
                scalar_i64(seed),
                Tensor::scalar(0.5f32),
                random(DType::F64, &[n, 2], 3, 2.0),
                Tensor::scalar(-3i32),
            ]
        })
        .collect();
    identical_all(&randoms(), &cases);
    // And against tf_ir::rng directly: N(0, 1) element i of seed 11.
    let got = jit(
        &randoms(),
        &[
            scalar_i64(4),
            scalar_i64(11),
            Tensor::scalar(0.0f32),
            Tensor::from_vec(vec![4, 2], vec![1.0f64; 8]).unwrap(),
            Tensor::scalar(0i32),
        ],
    )
    .unwrap();
    let normal = got[3].to_f64_vec();
    for (i, x) in normal.iter().enumerate() {
        assert_eq!(x.to_bits(), rng::normal(11, i as u64).to_bits());
    }
    let uniform = got[4].to_f64_vec();
    for (i, x) in uniform.iter().enumerate() {
        assert_eq!(x.to_bits(), (0.0 + rng::unit(11, i as u64) * 1.0).to_bits());
    }
}

#[test]
fn size_of_and_negative_sizes() {
    // f(N, x: [N, 3]) -> sizes, and zeros of [N - 2] (negative for N < 2).
    let m = func(|b, r| {
        let (nv, n) = size_param(b, r, "N");
        let x = b.param(r, Type::new(DType::F32, vec![n.clone(), c(3)]), None);
        let s0 = b.op1(r, OpKind::SizeOf { axis: 0 }, vec![x]).unwrap();
        let s1 = b.op1(r, OpKind::SizeOf { axis: 1 }, vec![x]).unwrap();
        let zero = b.constant(r, Literal::Float(0.0), DType::F32);
        let z =
            b.op_typed(r, OpKind::Broadcast, vec![zero], vec![Type::new(DType::F32, vec![n.sub(&c(2))])], vec![])[0];
        vec![s0, s1, z, nv]
    });
    identical_all(
        &m,
        &[
            vec![scalar_i64(2), random(DType::F32, &[2, 3], 1, 1.0)],
            vec![scalar_i64(5), random(DType::F32, &[5, 3], 1, 1.0)],
        ],
    );
    let (_, got) = both_fail(&m, &[scalar_i64(1), random(DType::F32, &[1, 3], 1, 1.0)]);
    assert_eq!(got.kind, JitErrorKind::DimensionMismatch);
}

#[test]
fn arguments_are_checked_against_the_parameters() {
    let m = func(|b, r| {
        let (_, n) = size_param(b, r, "N");
        let x = b.param(r, Type::new(DType::F32, vec![n]), None);
        vec![x]
    });
    for args in [
        vec![scalar_i64(3)],
        vec![scalar_i64(3), random(DType::F32, &[4], 1, 1.0)],
        vec![scalar_i64(3), random(DType::F64, &[3], 1, 1.0)],
        vec![random(DType::I64, &[1], 1, 1.0), random(DType::F32, &[3], 1, 1.0)],
    ] {
        let got = jit(&m, &args).unwrap_err();
        assert_eq!(got.kind, JitErrorKind::InvalidArgument, "{got}");
    }
}

#[test]
fn unsupported_ops_refuse_to_compile() {
    let x = Type::new(DType::F32, vec![c(1), c(1), c(4), c(4)]);
    let w = Type::new(DType::F32, vec![c(1), c(1), c(3), c(3)]);
    let out = Type::new(DType::F32, vec![c(1), c(1), c(2), c(2)]);
    let cases = [
        one_op(OpKind::Conv2d { stride: 1, padding: 0 }, &[x.clone(), w], Some(vec![out.clone()])),
        one_op(OpKind::Pool2d { kind: PoolKind::Max, size: 3, stride: 1 }, &[x], Some(vec![out])),
        one_op(
            OpKind::Load(DataSource::Npy { path: "x.npy".into() }),
            &[],
            Some(vec![Type::new(DType::F32, vec![c(2)])]),
        ),
    ];
    for m in cases {
        match tf_codegen::compile(&m) {
            Err(CodegenError::Unsupported { span, .. }) => assert_eq!(span, Some(SPAN)),
            other => panic!("{other:?}"),
        }
        let e = jit(&m, &[]).unwrap_err();
        assert_eq!((e.kind, e.span), (JitErrorKind::Compile, Some(SPAN)));
    }
}
