//! The gradient checker shared by the autodiff tests: builds a function in f64 and f32, runs
//! its VJP and JVP on the reference interpreter, and compares them with central finite
//! differences of the f64 function, plus the consistency `<v, J u> = <Jᵀ v, u>`.
//!
//! Error measure: norm-wise relative, `‖got − want‖∞ / max(‖got‖∞, ‖want‖∞, 1e-3)`.
//! Tolerances: [`TOL_F64`] for f64 derivatives against f64 differences, [`TOL_F32`] for f32
//! derivatives against the same f64 reference.

#![allow(dead_code)]

use tf_autodiff::{jvp, vjp};
use tf_interp::{run, CaptureHost, Tensor};
use tf_ir::print::print_module;
use tf_ir::verify::verify_module;
use tf_ir::*;

pub const TOL_F64: f64 = 1e-6;
pub const TOL_F32: f64 = 1e-4;
/// Finite-difference step (scaled by `max(1, |x|)` per element).
const H: f64 = 1e-5;

/// An argument of a function under test.
#[derive(Clone, Debug)]
pub enum Arg {
    /// An `i64` size or index scalar.
    Int(i64),
    /// Uniform floats in `[lo, hi]`.
    Floats(Vec<usize>, f64, f64),
    /// Magnitudes uniform in `[lo, hi]` with random signs (away from a kink at 0).
    Away(Vec<usize>, f64, f64),
    /// An `i64` tensor.
    Ints(Vec<usize>, Vec<i64>),
}

pub fn floats(shape: &[usize]) -> Arg {
    Arg::Floats(shape.to_vec(), -1.0, 1.0)
}

pub fn positive(shape: &[usize]) -> Arg {
    Arg::Floats(shape.to_vec(), 0.5, 2.0)
}

/// A small deterministic generator, so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407))
    }

    /// Uniform in [0, 1), rounded to f32 precision so f32 and f64 runs see the same numbers.
    pub fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) as f32 as f64
    }

    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo + (hi - lo) * self.unit()) as f32 as f64
    }

    pub fn values(&mut self, n: usize, lo: f64, hi: f64) -> Vec<f64> {
        (0..n).map(|_| self.uniform(lo, hi)).collect()
    }
}

/// A float tensor of `dtype` holding `values`.
pub fn tensor(dtype: DType, shape: &[usize], values: &[f64]) -> Tensor {
    match dtype {
        DType::F32 => Tensor::from_vec(shape.to_vec(), values.iter().map(|&x| x as f32).collect()).unwrap(),
        DType::F64 => Tensor::from_vec(shape.to_vec(), values.to_vec()).unwrap(),
        _ => panic!("not a float dtype"),
    }
}

/// Concrete arguments: floats as f64 values (converted per run), integers as they are.
#[derive(Clone)]
pub enum Value {
    Float(Vec<usize>, Vec<f64>),
    Other(Tensor),
}

impl Value {
    pub fn tensor(&self, dtype: DType) -> Tensor {
        match self {
            Value::Float(shape, v) => tensor(dtype, shape, v),
            Value::Other(t) => t.clone(),
        }
    }
}

pub fn materialise(args: &[Arg], rng: &mut Rng) -> Vec<Value> {
    args.iter()
        .map(|a| match a {
            Arg::Int(i) => Value::Other(Tensor::scalar(*i)),
            Arg::Ints(shape, v) => Value::Other(Tensor::from_vec(shape.clone(), v.clone()).unwrap()),
            Arg::Floats(shape, lo, hi) => Value::Float(shape.clone(), rng.values(shape.iter().product(), *lo, *hi)),
            Arg::Away(shape, lo, hi) => {
                let n = shape.iter().product();
                let v = (0..n).map(|_| rng.uniform(*lo, *hi) * if rng.unit() < 0.5 { -1.0 } else { 1.0 }).collect();
                Value::Float(shape.clone(), v)
            }
        })
        .collect()
}

pub fn run_f(m: &Module, f: FuncId, args: Vec<Tensor>) -> Vec<Tensor> {
    run(m, f, args, &mut CaptureHost::new())
        .unwrap_or_else(|e| panic!("running `{}`: {e}\n{}", m.func(f).name, print_module(m)))
}

fn run_values(m: &Module, f: FuncId, values: &[Value], dtype: DType) -> Vec<Tensor> {
    run_f(m, f, values.iter().map(|v| v.tensor(dtype)).collect())
}

pub fn rel_err(got: &[f64], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    let inf = |v: &[f64]| v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let diff: Vec<f64> = got.iter().zip(want).map(|(a, b)| a - b).collect();
    let e = inf(&diff) / inf(got).max(inf(want)).max(1e-3);
    if e.is_nan() {
        f64::INFINITY
    } else {
        e
    }
}

pub fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    let e = rel_err(got, want);
    assert!(e < tol, "{what}: relative error {e:e} ≥ {tol:e}\n got  {got:?}\n want {want:?}");
}

/// Derivatives of the f64 function at the arguments, by central differences.
pub struct Reference {
    pub values: Vec<Tensor>,
    /// Per result: a random cotangent (`None` for integer results).
    pub cotangents: Vec<Option<Vec<f64>>>,
    /// Per `wrt` parameter: a random tangent.
    pub tangents: Vec<Vec<f64>>,
    /// Per `wrt` parameter: ∂<v, f>/∂x.
    pub vjp: Vec<Vec<f64>>,
    /// Per float result: J u.
    pub jvp: Vec<Option<Vec<f64>>>,
}

fn floats_of(v: &Value) -> &[f64] {
    match v {
        Value::Float(_, x) => x,
        Value::Other(_) => panic!("wrt parameter is not a float"),
    }
}

fn with_float(values: &[Value], p: usize, f: impl Fn(&mut Vec<f64>)) -> Vec<Value> {
    let mut out = values.to_vec();
    if let Value::Float(_, x) = &mut out[p] {
        f(x);
    }
    out
}

pub fn reference(m64: &Module, f: FuncId, values: &[Value], wrt: &[usize], rng: &mut Rng) -> Reference {
    let base = run_values(m64, f, values, DType::F64);
    let cotangents: Vec<Option<Vec<f64>>> =
        base.iter().map(|t| t.dtype().is_float().then(|| rng.values(t.numel(), -1.0, 1.0))).collect();
    let phi = |vals: &[Value]| -> f64 {
        let out = run_values(m64, f, vals, DType::F64);
        out.iter().zip(&cotangents).filter_map(|(t, c)| c.as_ref().map(|c| dot(&t.to_f64_vec(), c))).sum()
    };
    let mut fd_vjp = Vec::new();
    for &p in wrt {
        let n = floats_of(&values[p]).len();
        let mut g = Vec::with_capacity(n);
        for i in 0..n {
            let h = H * floats_of(&values[p])[i].abs().max(1.0);
            let plus = phi(&with_float(values, p, |x| x[i] += h));
            let minus = phi(&with_float(values, p, |x| x[i] -= h));
            g.push((plus - minus) / (2.0 * h));
        }
        fd_vjp.push(g);
    }
    let tangents: Vec<Vec<f64>> = wrt.iter().map(|&p| rng.values(floats_of(&values[p]).len(), -1.0, 1.0)).collect();
    let shifted = |sign: f64| {
        let mut vals = values.to_vec();
        for (k, &p) in wrt.iter().enumerate() {
            vals = with_float(&vals, p, |x| x.iter_mut().zip(&tangents[k]).for_each(|(a, t)| *a += sign * H * t));
        }
        run_values(m64, f, &vals, DType::F64)
    };
    let (plus, minus) = (shifted(1.0), shifted(-1.0));
    let fd_jvp = plus
        .iter()
        .zip(&minus)
        .map(|(a, b)| {
            a.dtype()
                .is_float()
                .then(|| a.to_f64_vec().iter().zip(b.to_f64_vec()).map(|(x, y)| (x - y) / (2.0 * H)).collect())
        })
        .collect();
    Reference { values: base, cotangents, tangents, vjp: fd_vjp, jvp: fd_jvp }
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Differentiates `f` of `m` (built in `dtype`) both ways and compares with `r`.
pub fn compare(mut m: Module, f: FuncId, dtype: DType, values: &[Value], wrt: &[usize], r: &Reference, tol: f64) {
    let adjoints = compare_vjp(&mut m, f, dtype, values, wrt, r, tol);
    let tangents = compare_jvp(&mut m, f, dtype, values, wrt, r, tol);
    // <v, J u> from forward mode against <Jᵀ v, u> from reverse mode.
    let vju: f64 =
        tangents.iter().zip(&r.cotangents).filter_map(|(t, c)| c.as_ref().map(|c| dot(&t.to_f64_vec(), c))).sum();
    let jtvu: f64 = adjoints.iter().zip(&r.tangents).map(|(a, u)| dot(&a.to_f64_vec(), u)).sum();
    assert_close("<v, J u> against <J^T v, u>", &[vju], &[jtvu], tol);
}

fn verified(m: &Module) {
    if let Err(errors) = verify_module(m) {
        panic!("derivatives do not verify: {errors:?}\n{}", print_module(m));
    }
}

/// Reverse mode against the reference; returns the adjoints of the `wrt` parameters.
pub fn compare_vjp(
    m: &mut Module,
    f: FuncId,
    dtype: DType,
    values: &[Value],
    wrt: &[usize],
    r: &Reference,
    tol: f64,
) -> Vec<Tensor> {
    let nres = r.values.len();
    let d = vjp(m, f, wrt).unwrap_or_else(|e| panic!("vjp: {e}"));
    verified(m);
    let mut args: Vec<Tensor> = values.iter().map(|v| v.tensor(dtype)).collect();
    for (value, c) in r.values.iter().zip(&r.cotangents) {
        args.push(match c {
            Some(c) => tensor(dtype, &value.shape, c),
            None => Tensor::zeros(value.dtype(), value.shape.clone()).unwrap(),
        });
    }
    let out = run_f(m, d, args);
    assert_eq!(out.len(), nres + wrt.len());
    for (k, (got, want)) in out.iter().zip(&r.values).enumerate() {
        assert_close(&format!("vjp primal result {k}"), &got.to_f64_vec(), &want.to_f64_vec(), tol);
    }
    for (k, (got, want)) in out[nres..].iter().zip(&r.vjp).enumerate() {
        assert_eq!(got.dtype(), dtype);
        assert_close(&format!("vjp adjoint of parameter {}", wrt[k]), &got.to_f64_vec(), want, tol);
    }
    out[nres..].to_vec()
}

/// Forward mode against the reference; returns the tangents of the results.
pub fn compare_jvp(
    m: &mut Module,
    f: FuncId,
    dtype: DType,
    values: &[Value],
    wrt: &[usize],
    r: &Reference,
    tol: f64,
) -> Vec<Tensor> {
    let nres = r.values.len();
    let t = jvp(m, f, wrt).unwrap_or_else(|e| panic!("jvp: {e}"));
    verified(m);
    let mut args: Vec<Tensor> = values.iter().map(|v| v.tensor(dtype)).collect();
    for (k, &p) in wrt.iter().enumerate() {
        let Value::Float(shape, _) = &values[p] else { unreachable!() };
        args.push(tensor(dtype, shape, &r.tangents[k]));
    }
    let out = run_f(m, t, args);
    assert_eq!(out.len(), 2 * nres);
    for (k, (got, want)) in out.iter().zip(&r.values).enumerate() {
        assert_close(&format!("jvp primal result {k}"), &got.to_f64_vec(), &want.to_f64_vec(), tol);
    }
    for (k, (got, want)) in out[nres..].iter().zip(&r.jvp).enumerate() {
        if let Some(want) = want {
            assert_close(&format!("jvp tangent of result {k}"), &got.to_f64_vec(), want, tol);
        }
    }
    out[nres..].to_vec()
}

/// The full check of function 0: f64 derivatives against f64 differences (tolerance
/// [`TOL_F64`]) and f32 derivatives against the same reference ([`TOL_F32`]).
pub fn check(build: impl Fn(DType) -> Module, args: &[Arg], wrt: &[usize]) {
    check_fn(build, 0, args, wrt);
}

/// [`check`] of function `func` of the built module.
pub fn check_fn(build: impl Fn(DType) -> Module, func: usize, args: &[Arg], wrt: &[usize]) {
    let f = FuncId::new(func);
    let mut rng = Rng::new(17);
    let values = materialise(args, &mut rng);
    let m64 = build(DType::F64);
    verify_module(&m64).unwrap_or_else(|e| panic!("test function does not verify: {e:?}\n{}", print_module(&m64)));
    let r = reference(&m64, f, &values, wrt, &mut rng);
    compare(m64, f, DType::F64, &values, wrt, &r, TOL_F64);
    compare(build(DType::F32), f, DType::F32, &values, wrt, &r, TOL_F32);
}

/// Builds one-function modules for tests.
pub struct Fb {
    pub b: FunctionBuilder,
    pub body: RegionId,
    pub dt: DType,
}

pub fn c(n: i64) -> Size {
    Size::constant(n)
}

pub fn s(v: ValueId) -> Size {
    Size::symbol(v)
}

impl Fb {
    pub fn new(name: &str, dt: DType) -> Fb {
        let b = FunctionBuilder::new(name);
        let body = b.body();
        Fb { b, body, dt }
    }

    pub fn ty(&self, dims: &[i64]) -> Type {
        Type::new(self.dt, dims.iter().map(|&d| c(d)).collect())
    }

    /// An `i64` scalar parameter (a size or an index).
    pub fn int_param(&mut self, name: &str) -> ValueId {
        self.b.param(self.body, Type::scalar(DType::I64), Some(name))
    }

    pub fn param(&mut self, name: &str, dims: &[i64]) -> ValueId {
        let ty = self.ty(dims);
        self.b.param(self.body, ty, Some(name))
    }

    pub fn param_ty(&mut self, name: &str, ty: Type) -> ValueId {
        self.b.param(self.body, ty, Some(name))
    }

    pub fn op(&mut self, kind: OpKind, operands: Vec<ValueId>) -> ValueId {
        self.b.op1(self.body, kind, operands).unwrap()
    }

    pub fn typed(&mut self, kind: OpKind, operands: Vec<ValueId>, ty: Type) -> ValueId {
        self.b.op_typed(self.body, kind, operands, vec![ty], vec![])[0]
    }

    pub fn un(&mut self, op: UnaryOp, x: ValueId) -> ValueId {
        self.op(OpKind::Unary(op), vec![x])
    }

    pub fn bin(&mut self, op: BinaryOp, a: ValueId, b: ValueId) -> ValueId {
        self.op(OpKind::Binary(op), vec![a, b])
    }

    pub fn bcast(&mut self, x: ValueId, shape: Vec<Size>) -> ValueId {
        let ty = Type::new(self.b.func.ty(x).dtype, shape);
        self.typed(OpKind::Broadcast, vec![x], ty)
    }

    /// The sum of every element: a scalar.
    pub fn sum_all(&mut self, x: ValueId) -> ValueId {
        let axes = (0..self.b.func.ty(x).rank()).collect();
        self.op(OpKind::Reduce { op: ReduceOp::Sum, axes, keepdims: false }, vec![x])
    }

    pub fn constant(&mut self, value: f64) -> ValueId {
        self.b.constant(self.body, Literal::Float(value), self.dt)
    }

    pub fn int(&mut self, value: i64) -> ValueId {
        self.b.constant(self.body, Literal::Int(value), DType::I64)
    }

    pub fn finish(mut self, results: Vec<ValueId>) -> Module {
        self.b.set_yields(self.body, results);
        Module { functions: vec![self.b.finish()], main: None }
    }
}
