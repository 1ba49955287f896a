//! Helpers shared by the interpreter's tests: tensors from literals, one-op functions whose
//! parameter types come from the arguments, and running a module's first function.

#![allow(dead_code)]

use tf_base::{FileId, Span};
use tf_interp::{run, CaptureHost, RunError, Tensor};
use tf_ir::*;

/// The span every test op carries, so errors can be checked to point at it.
pub const SPAN: Span = Span { file: FileId(0), start: 3, end: 9 };

pub fn dims(ds: &[usize]) -> Vec<Size> {
    ds.iter().map(|&d| Size::constant(d as i64)).collect()
}

pub fn ty(dtype: DType, ds: &[usize]) -> Type {
    Type::new(dtype, dims(ds))
}

pub fn f32s(shape: &[usize], v: &[f32]) -> Tensor {
    Tensor::from_vec(shape.to_vec(), v.to_vec()).unwrap()
}

pub fn f64s(shape: &[usize], v: &[f64]) -> Tensor {
    Tensor::from_vec(shape.to_vec(), v.to_vec()).unwrap()
}

pub fn i32s(shape: &[usize], v: &[i32]) -> Tensor {
    Tensor::from_vec(shape.to_vec(), v.to_vec()).unwrap()
}

pub fn i64s(shape: &[usize], v: &[i64]) -> Tensor {
    Tensor::from_vec(shape.to_vec(), v.to_vec()).unwrap()
}

pub fn bools(shape: &[usize], v: &[bool]) -> Tensor {
    Tensor::from_vec(shape.to_vec(), v.to_vec()).unwrap()
}

/// `0, 1, 2, ...` scaled and shifted, as f32 of a shape: distinct, unremarkable test data.
pub fn ramp(shape: &[usize], scale: f32, shift: f32) -> Tensor {
    let n: usize = shape.iter().product();
    f32s(shape, &(0..n).map(|i| i as f32 * scale + shift).collect::<Vec<_>>())
}

/// Deterministic pseudo-random f64s in [-1, 1) (a small LCG, independent of the code tested).
pub fn noise(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        })
        .collect()
}

pub fn type_of(t: &Tensor) -> Type {
    ty(t.dtype(), &t.shape)
}

pub fn module(f: Function) -> Module {
    Module { functions: vec![f], main: None }
}

/// A function of one op on parameters of the given types, yielding its results; the results'
/// types are inferred unless given.
pub fn one_op(kind: OpKind, params: &[Type], results: Option<Vec<Type>>) -> Module {
    let mut b = FunctionBuilder::new("f");
    b.span = Some(SPAN);
    let body = b.body();
    let ps: Vec<ValueId> = params.iter().map(|t| b.param(body, t.clone(), None)).collect();
    let rs = match results {
        Some(types) => b.op_typed(body, kind, ps, types, vec![]),
        None => b.op(body, kind, ps).unwrap(),
    };
    b.set_yields(body, rs);
    module(b.finish())
}

/// Runs function 0 of `m` with a fresh [`CaptureHost`].
pub fn run_first(m: &Module, args: Vec<Tensor>) -> Result<Vec<Tensor>, RunError> {
    run(m, FuncId::new(0), args, &mut CaptureHost::new())
}

/// Evaluates one op on `args` (parameter types taken from the arguments' shapes).
pub fn eval(kind: OpKind, args: Vec<Tensor>, results: Option<Vec<Type>>) -> Result<Tensor, RunError> {
    let types: Vec<Type> = args.iter().map(type_of).collect();
    let m = one_op(kind, &types, results);
    run_first(&m, args).map(|mut r| r.remove(0))
}

pub fn eval_ok(kind: OpKind, args: Vec<Tensor>, results: Option<Vec<Type>>) -> Tensor {
    match eval(kind.clone(), args, results) {
        Ok(t) => t,
        Err(e) => panic!("{kind:?} failed: {e}"),
    }
}

pub fn assert_close(got: &Tensor, want: &Tensor, tol: f64) {
    if let Err(e) = tf_interp::check_close(got, want, tol, tol) {
        panic!("{e}\n got: {got}\nwant: {want}");
    }
}
