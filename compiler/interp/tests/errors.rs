//! Run-time errors carry their kind and the span of the op that failed (checks, loads), bad
//! arguments are refused, unverifiable modules are reported; and the host: printing, loading.

mod common;

use common::*;
use tf_interp::{run, CaptureHost, RunErrorKind, Tensor};
use tf_ir::*;

fn check(kind: OpKind, values: &[i64]) -> Result<Vec<Tensor>, tf_interp::RunError> {
    let types = vec![Type::scalar(DType::I64); values.len()];
    let m = one_op(kind, &types, None);
    run_first(&m, values.iter().map(|&v| Tensor::scalar(v)).collect())
}

#[test]
fn check_eq_names_both_numbers() {
    assert_eq!(check(OpKind::CheckEq, &[4, 4]).unwrap(), vec![]);
    let e = check(OpKind::CheckEq, &[5, 3]).unwrap_err();
    assert_eq!((e.kind, e.span), (RunErrorKind::DimensionMismatch, Some(SPAN)));
    assert_eq!(e.message, "dimension mismatch: 5 != 3");
}

#[test]
fn check_index_and_check_slice() {
    assert!(check(OpKind::CheckIndex, &[0, 3]).is_ok());
    assert!(check(OpKind::CheckIndex, &[2, 3]).is_ok());
    for bad in [[3, 3], [-1, 3], [0, 0]] {
        let e = check(OpKind::CheckIndex, &bad).unwrap_err();
        assert_eq!((e.kind, e.span), (RunErrorKind::IndexOutOfRange, Some(SPAN)));
        assert!(e.message.contains(&bad[0].to_string()) && e.message.contains(&bad[1].to_string()), "{}", e.message);
    }
    for good in [[0, 0, 0], [1, 3, 3], [2, 2, 5]] {
        assert!(check(OpKind::CheckSlice, &good).is_ok(), "{good:?}");
    }
    for bad in [[-1, 2, 5], [3, 2, 5], [0, 6, 5]] {
        let e = check(OpKind::CheckSlice, &bad).unwrap_err();
        assert_eq!((e.kind, e.span), (RunErrorKind::IndexOutOfRange, Some(SPAN)));
    }
}

#[test]
fn arguments_must_match_the_parameters() {
    let m = one_op(OpKind::Unary(UnaryOp::Neg), &[ty(DType::F32, &[2])], None);
    let wrong = [
        vec![],
        vec![f32s(&[3], &[0.0; 3])],
        vec![f64s(&[2], &[0.0; 2])],
        vec![Tensor { shape: vec![2], data: tf_interp::Data::F32(vec![1.0]) }],
    ];
    for args in wrong {
        let e = run_first(&m, args).unwrap_err();
        assert_eq!(e.kind, RunErrorKind::InvalidArgument, "{e}");
    }
}

#[test]
fn a_module_that_does_not_verify_is_refused() {
    let mut m = one_op(OpKind::Unary(UnaryOp::Neg), &[ty(DType::F32, &[2])], None);
    // The result claims another shape than its operand's.
    let r = m.functions[0].regions[0].yields[0];
    m.functions[0].values[r.index()].ty = ty(DType::F32, &[3]);
    if cfg!(debug_assertions) {
        let e = run_first(&m, vec![f32s(&[2], &[1.0, 2.0])]).unwrap_err();
        assert_eq!(e.kind, RunErrorKind::Internal);
        assert!(e.message.contains("does not verify"), "{}", e.message);
    }
}

#[test]
fn print_formats_values_through_the_host() {
    let pieces = vec![
        PrintPiece::Text("x = ".into()),
        PrintPiece::Value(0),
        PrintPiece::Text(", n = ".into()),
        PrintPiece::Value(1),
    ];
    let m = one_op(OpKind::Print(pieces), &[ty(DType::F32, &[2, 2]), Type::scalar(DType::I64)], None);
    let mut host = CaptureHost::new();
    let out = run(&m, FuncId::new(0), vec![f32s(&[2, 2], &[1.0, 2.5, -3.0, 4.0]), Tensor::scalar(7i64)], &mut host);
    assert_eq!(out.unwrap(), vec![]);
    assert_eq!(host.lines, vec!["x = [[ 1.   2.5]\n [-3.   4. ]], n = 7"]);
}

#[test]
fn formatting_matches_numpy() {
    use tf_interp::format_numpy;
    assert_eq!(format_numpy(&Tensor::scalar(0.1f32)), "0.1");
    assert_eq!(format_numpy(&f64s(&[3], &[1.0, f64::NAN, f64::NEG_INFINITY])), "[  1.  nan -inf]");
    assert_eq!(format_numpy(&bools(&[2], &[true, false])), "[ True False]");
    assert_eq!(format_numpy(&i64s(&[2, 1, 2], &[1, 2, 3, 40])), "[[[ 1  2]]\n\n [[ 3 40]]]");
    assert_eq!(format_numpy(&f32s(&[0], &[])), "[]");
    let big = format_numpy(&i64s(&[2000], &(0..2000).collect::<Vec<_>>()));
    assert_eq!(big, "[   0    1    2 ... 1997 1998 1999]");
}

/// `fn f() -> (f32[%rows, 3], i64)`: loads a matrix whose row count comes from the data.
fn loader() -> (Module, DataSource) {
    let source = DataSource::Npy { path: "x.npy".into() };
    let mut b = FunctionBuilder::new("f");
    b.span = Some(SPAN);
    let body = b.body();
    // The tensor's type refers to the op's own second result, its row count.
    let rows = ValueId::new(1);
    let t = Type::new(DType::F32, vec![Size::symbol(rows), Size::constant(3)]);
    let r = b.op_typed(body, OpKind::Load(source.clone()), vec![], vec![t, Type::scalar(DType::I64)], vec![]);
    assert_eq!(r[1], rows);
    b.set_yields(body, r);
    (module(b.finish()), source)
}

#[test]
fn load_learns_sizes_from_the_data() {
    let (m, source) = loader();
    let x = ramp(&[4, 3], 1.0, 0.0);
    let mut host = CaptureHost::new().with_data(source, x.clone());
    let out = run(&m, FuncId::new(0), vec![], &mut host).unwrap();
    assert_eq!(out, vec![x, Tensor::scalar(4i64)]);
}

#[test]
fn load_failures_are_data_errors_at_the_op() {
    let (m, source) = loader();
    let cases = [
        CaptureHost::new(),
        CaptureHost::new().with_data(source.clone(), ramp(&[4, 2], 1.0, 0.0)),
        CaptureHost::new().with_data(source.clone(), f64s(&[1, 3], &[0.0; 3])),
        CaptureHost::new().with_data(source, ramp(&[3], 1.0, 0.0)),
    ];
    for mut host in cases {
        let e = run(&m, FuncId::new(0), vec![], &mut host).unwrap_err();
        assert_eq!((e.kind, e.span), (RunErrorKind::DataLoad, Some(SPAN)), "{e}");
    }
}
