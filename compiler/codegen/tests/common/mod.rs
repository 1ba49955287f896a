//! Shared by the code generator's tests: building one-op and small functions, deterministic
//! pseudo-random inputs, converting tensors between the interpreter and the runtime, and the
//! oracle comparison (run on the interpreter and on the JIT, compare within a tolerance).

#![allow(dead_code)]

use tf_base::{FileId, Span};
use tf_interp::value::Data;
use tf_interp::{Host, RunError, Tensor};
use tf_ir::*;

/// The span every test op carries, so errors can be checked to point at it.
pub const SPAN: Span = Span { file: FileId(0), start: 3, end: 9 };

pub fn dims(ds: &[usize]) -> Vec<Size> {
    ds.iter().map(|&d| Size::constant(d as i64)).collect()
}

pub fn ty(dtype: DType, ds: &[usize]) -> Type {
    Type::new(dtype, dims(ds))
}

pub fn module(f: Function) -> Module {
    Module { functions: vec![f], main: None }
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

/// A tensor of `shape` and `dtype` with pseudo-random elements: floats in `[-scale, scale)`,
/// integers in `[-scale, scale]`, bools about half true.
pub fn random(dtype: DType, shape: &[usize], seed: u64, scale: f64) -> Tensor {
    let n: usize = shape.iter().product();
    let v = noise(n, seed);
    let data = match dtype {
        DType::F32 => Data::F32(v.iter().map(|x| (x * scale) as f32).collect()),
        DType::F64 => Data::F64(v.iter().map(|x| x * scale).collect()),
        DType::I32 => Data::I32(v.iter().map(|x| (x * (scale + 1.0)).floor() as i32).collect()),
        DType::I64 => Data::I64(v.iter().map(|x| (x * (scale + 1.0)).floor() as i64).collect()),
        DType::Bool => Data::Bool(v.iter().map(|x| *x > 0.0).collect()),
    };
    Tensor { shape: shape.to_vec(), data }
}

pub fn scalar_i64(x: i64) -> Tensor {
    Tensor::scalar(x)
}

pub fn to_runtime(t: &Tensor) -> tf_runtime::Tensor {
    let s = &t.shape;
    match &t.data {
        Data::F32(v) => tf_runtime::Tensor::from_slice(s, v),
        Data::F64(v) => tf_runtime::Tensor::from_slice(s, v),
        Data::I32(v) => tf_runtime::Tensor::from_slice(s, v),
        Data::I64(v) => tf_runtime::Tensor::from_slice(s, v),
        Data::Bool(v) => tf_runtime::Tensor::from_bools(s, v),
    }
    .unwrap()
}

pub fn from_runtime(t: &tf_runtime::Tensor) -> Tensor {
    let shape = t.shape().to_vec();
    let data = match t.dtype() {
        tf_runtime::DType::F32 => Data::F32(t.as_f32().unwrap().to_vec()),
        tf_runtime::DType::F64 => Data::F64(t.as_f64().unwrap().to_vec()),
        tf_runtime::DType::I32 => Data::I32(t.as_i32().unwrap().to_vec()),
        tf_runtime::DType::I64 => Data::I64(t.as_i64().unwrap().to_vec()),
        tf_runtime::DType::Bool => Data::Bool(t.as_bool().unwrap().iter().map(|&b| b != 0).collect()),
    };
    Tensor { shape, data }
}

/// The interpreter's view of a test: output captured, values formatted as `tfc run` formats
/// them (through the runtime's printer, like compiled code).
#[derive(Default)]
pub struct TestHost {
    pub lines: Vec<String>,
}

impl Host for TestHost {
    fn print(&mut self, line: &str) {
        self.lines.push(line.to_string());
    }

    fn format_tensor(&self, t: &Tensor) -> String {
        let r = to_runtime(t);
        tf_runtime::print::format_values(r.view(), r.shape())
    }

    fn load(&mut self, source: &DataSource, _declared: &Type) -> Result<Tensor, String> {
        Err(format!("no data for {source:?}"))
    }
}

pub fn interp(m: &Module, args: &[Tensor]) -> Result<Vec<Tensor>, RunError> {
    tf_interp::run(m, FuncId::new(0), args.to_vec(), &mut TestHost::default())
}

pub fn jit(m: &Module, args: &[Tensor]) -> Result<Vec<Tensor>, tf_codegen::JitError> {
    let args = args.iter().map(to_runtime).collect();
    tf_codegen::run_jit(m, FuncId::new(0), args).map(|r| r.iter().map(from_runtime).collect())
}

/// Relative tolerance for comparing a dtype's results (exact for integers and bools).
pub fn rtol(d: DType) -> f64 {
    match d {
        DType::F32 => 1e-5,
        DType::F64 => 1e-6,
        _ => 0.0,
    }
}

/// Runs function 0 on both back ends and compares every result (`rtol` of its dtype, and the
/// same absolute tolerance near zero).
pub fn agree(m: &Module, args: &[Tensor]) {
    let want = interp(m, args).unwrap_or_else(|e| panic!("interpreter: {e}"));
    let got = jit(m, args).unwrap_or_else(|e| panic!("jit: {e}"));
    assert_eq!(want.len(), got.len());
    for (w, g) in want.iter().zip(&got) {
        let tol = rtol(w.dtype());
        tf_interp::check_close(g, w, tol, tol).unwrap_or_else(|e| panic!("{e}\njit:    {g:?}\ninterp: {w:?}"));
    }
}

/// Both back ends fail, with errors of the same kind at the same span.
pub fn both_fail(m: &Module, args: &[Tensor]) -> (RunError, tf_codegen::JitError) {
    let want = interp(m, args).expect_err("the interpreter should fail");
    let got = jit(m, args).expect_err("the JIT should fail");
    assert_eq!(format!("{:?}", want.kind), format!("{:?}", got.kind), "{want:?} vs {got:?}");
    assert_eq!(want.span, got.span, "{want:?} vs {got:?}");
    (want, got)
}

/// A function of one op on parameters of the given types, yielding its results (types inferred
/// unless given).
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

pub fn type_of(t: &Tensor) -> Type {
    ty(t.dtype(), &t.shape)
}

/// Shapes every elementwise test runs on: empty, one element, sizes around vector widths.
pub const SHAPES: &[&[usize]] = &[&[], &[0], &[1], &[7], &[8], &[33], &[3, 5], &[2, 0, 3], &[2, 3, 17]];

/// A module of one function `f` built by `body` (which adds parameters, ops and yields; every
/// op carries [`SPAN`]).
pub fn func(body: impl FnOnce(&mut FunctionBuilder, RegionId) -> Vec<ValueId>) -> Module {
    let mut b = FunctionBuilder::new("f");
    b.span = Some(SPAN);
    let r = b.body();
    let ys = body(&mut b, r);
    b.set_yields(r, ys);
    module(b.finish())
}

/// An `i64` size parameter and its symbolic size.
pub fn size_param(b: &mut FunctionBuilder, r: RegionId, name: &str) -> (ValueId, Size) {
    let v = b.param(r, Type::scalar(DType::I64), Some(name));
    (v, Size::symbol(v))
}

/// Compiles once, then compares the back ends on every argument list.
pub fn agree_all(m: &Module, cases: &[Vec<Tensor>]) {
    tf_codegen::with_jit(m, |j| {
        for args in cases {
            let want = interp(m, args).unwrap_or_else(|e| panic!("interpreter: {e}"));
            let rt = args.iter().map(to_runtime).collect();
            let got: Vec<Tensor> =
                j.call(FuncId::new(0), rt).unwrap_or_else(|e| panic!("jit: {e}")).iter().map(from_runtime).collect();
            assert_eq!(want.len(), got.len());
            for (k, (w, g)) in want.iter().zip(&got).enumerate() {
                let tol = rtol(w.dtype());
                tf_interp::check_close(g, w, tol, tol)
                    .unwrap_or_else(|e| panic!("result {k}: {e}\njit:    {g:?}\ninterp: {w:?}\nargs: {args:?}"));
            }
        }
    })
    .unwrap_or_else(|e| panic!("compile: {e}"));
}

/// Like `agree_all`, but bit-for-bit (NaNs match NaNs) whatever the dtype.
pub fn identical_all(m: &Module, cases: &[Vec<Tensor>]) {
    tf_codegen::with_jit(m, |j| {
        for args in cases {
            let want = interp(m, args).unwrap_or_else(|e| panic!("interpreter: {e}"));
            let rt = args.iter().map(to_runtime).collect();
            let got: Vec<Tensor> =
                j.call(FuncId::new(0), rt).unwrap_or_else(|e| panic!("jit: {e}")).iter().map(from_runtime).collect();
            for (k, (w, g)) in want.iter().zip(&got).enumerate() {
                let same = w.shape == g.shape
                    && w.dtype() == g.dtype()
                    && w.to_f64_vec()
                        .iter()
                        .zip(g.to_f64_vec())
                        .all(|(a, b)| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
                assert!(same, "result {k} differs\njit:    {g:?}\ninterp: {w:?}\nargs: {args:?}");
            }
        }
    })
    .unwrap_or_else(|e| panic!("compile: {e}"));
}

/// A rank-1 tensor whose first elements are `specials`, then pseudo-random ones, `n` in all.
pub fn with_specials(dtype: DType, n: usize, specials: &[f64], seed: u64, scale: f64) -> Tensor {
    let mut t = random(dtype, &[n], seed, scale);
    for (i, &x) in specials.iter().enumerate().take(n) {
        match &mut t.data {
            Data::F32(v) => v[i] = x as f32,
            Data::F64(v) => v[i] = x,
            Data::I32(v) => v[i] = x as i32,
            Data::I64(v) => v[i] = x as i64,
            Data::Bool(v) => v[i] = x != 0.0,
        }
    }
    t
}

/// Vector lengths the rank-1 tests run with: empty, one, around the vector widths, large.
pub const LENGTHS: &[usize] = &[0, 1, 7, 8, 9, 33, 1000];
