//! Automatic differentiation as an IR → IR pass: it adds derivative functions to a module, made
//! of ordinary IR, so they are verified, optimised, interpreted and compiled like any other
//! code — and can be differentiated again.
//!
//! - `rules.rs` is the table: one entry per op kind, pointing at a VJP and a JVP rule in
//!   `rules_elementwise.rs`, `rules_shape.rs`, `rules_index.rs` and `rules_window.rs`, or
//!   saying the op stops gradients, or is structural (regions, calls), or is unsupported.
//! - `reverse.rs` is the reverse-mode driver: copy the primal forwards, then walk it backwards
//!   accumulating adjoints (`x_adj`); `reverse_flow.rs` reverses loops, branches and calls.
//! - `forward.rs` is the forward-mode driver, including loops, branches and calls.
//! - `activity.rs` finds the values that depend on the differentiated parameters; `copy.rs`
//!   copies primal code; `emit.rs` is the vocabulary the rules write IR with.
//!
//! Values that are integers or booleans (sizes, indices, masks) have no derivative: ops that
//! produce them from floats (`Compare`, `ArgReduce`, `Cast` to an integer, `SizeOf`, `Iota`)
//! stop gradients, which is exact for these piecewise-constant functions.
//!
//! Conventions at non-differentiable points: `max`/`min` (binary, reductions, max-pooling)
//! share the gradient evenly between tied elements; `abs`, `sign`, `floor`, `ceil`, `round`
//! use the one-sided value (0 for the jumps); `pow`'s exponent gradient is 0 where the base is
//! 0. `Reduce Prod` uses `Π/xᵢ`, undefined where an element is 0. `Random` is a constant (no
//! gradient to its mean or spread).
//!
//! Not supported: reverse mode through `while` (forward mode works), recursive functions, and
//! `vjp` of a function whose result types use sizes computed inside it (a cotangent parameter
//! could not name them).

mod activity;
mod copy;
mod custom;
mod emit;
mod forward;
mod reverse;
mod reverse_flow;
pub mod rules;
mod rules_elementwise;
mod rules_index;
mod rules_shape;
mod rules_window;

use std::collections::HashMap;

use tf_ir::verify::{verify_function, VerifyError};
use tf_ir::*;

#[derive(Clone, Debug, PartialEq)]
pub enum AdError {
    /// A parameter listed in `wrt` cannot be differentiated (not a float tensor, or absent).
    NotDifferentiable { param: usize, reason: String },
    /// `grad` needs exactly one result, a float scalar.
    NotScalar { reason: String },
    /// An op on the differentiated path whose derivative is not available.
    Unsupported { op: String, reason: String },
    /// The module did not verify before differentiation.
    Invalid(Vec<VerifyError>),
    /// A bug in a derivative rule (an op it emitted did not type).
    Internal(String),
}

impl std::fmt::Display for AdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdError::NotDifferentiable { param, reason } => {
                write!(f, "cannot differentiate with respect to parameter {param}: {reason}")
            }
            AdError::NotScalar { reason } => write!(f, "grad needs one float scalar result: {reason}"),
            AdError::Unsupported { op, reason } => write!(f, "cannot differentiate `{op}`: {reason}"),
            AdError::Invalid(errors) => {
                write!(f, "the module does not verify")?;
                errors.iter().try_for_each(|e| write!(f, "\n  {e}"))
            }
            AdError::Internal(message) => write!(f, "internal autodiff error: {message}"),
        }
    }
}

impl std::error::Error for AdError {}

/// Reverse mode. Adds `<name>_vjp(params..., cotangents...) -> (results..., adjoints...)`: the
/// parameters of `func`, then one cotangent per result (of the result's type); it returns the
/// results, then the adjoint of each parameter in `wrt` (of that parameter's type), i.e.
/// `Σ_k <cotangent_k, ∂result_k/∂param>`.
pub fn vjp(module: &mut Module, func: FuncId, wrt: &[usize]) -> Result<FuncId, AdError> {
    vjp_with_rules(module, func, wrt, &HashMap::new())
}

/// `vjp`, where calls of functions in `rules` (function → hand-written rule) use the rule.
pub fn vjp_with_rules(
    module: &mut Module,
    func: FuncId,
    wrt: &[usize],
    rules: &HashMap<FuncId, FuncId>,
) -> Result<FuncId, AdError> {
    check_input(module, func)?;
    let mut session = Session { rules: rules.clone(), ..Session::default() };
    if rules.contains_key(&func) {
        return session.callee_vjp(module, func, wrt);
    }
    reverse::build(module, &mut session, func, wrt, reverse::Seed::Cotangents)
}

/// Value and gradient of a function with one float scalar result. Adds
/// `<name>_grad(params...) -> (value, gradients...)`: `vjp` with the cotangent 1. A caller that
/// wants the gradient only drops the first result.
pub fn grad(module: &mut Module, func: FuncId, wrt: &[usize]) -> Result<FuncId, AdError> {
    grad_with_rules(module, func, wrt, &HashMap::new())
}

/// `grad`, where calls of functions in `rules` (function → hand-written rule) use the rule.
pub fn grad_with_rules(
    module: &mut Module,
    func: FuncId,
    wrt: &[usize],
    rules: &HashMap<FuncId, FuncId>,
) -> Result<FuncId, AdError> {
    check_input(module, func)?;
    let results = module.func(func).result_types();
    match results.as_slice() {
        [t] if t.is_scalar() && t.dtype.is_float() => {}
        _ => {
            let shown: Vec<String> = results.iter().map(tf_ir::infer::show).collect();
            return Err(AdError::NotScalar { reason: format!("it returns ({})", shown.join(", ")) });
        }
    }
    let mut session = Session { rules: rules.clone(), ..Session::default() };
    reverse::build(module, &mut session, func, wrt, reverse::Seed::One)
}

/// Forward mode. Adds `<name>_jvp(params..., tangents...) -> (results..., result tangents...)`
/// with one tangent per parameter in `wrt` (of its type) and one per result (of its type).
pub fn jvp(module: &mut Module, func: FuncId, wrt: &[usize]) -> Result<FuncId, AdError> {
    check_input(module, func)?;
    forward::build(module, &mut Session::default(), func, wrt)
}

fn check_input(module: &Module, func: FuncId) -> Result<(), AdError> {
    if func.index() >= module.functions.len() {
        return Err(AdError::Internal(format!("no function {}", func.index())));
    }
    // Only what the derivative will copy must be valid: the function and the ones it calls
    // (callers elsewhere may still be under construction, waiting for this derivative).
    let mut errors = Vec::new();
    let mut seen = vec![func];
    let mut todo = vec![func];
    while let Some(f) = todo.pop() {
        let function = module.func(f);
        verify_function(function, module, &mut errors);
        for op in &function.ops {
            if let tf_ir::OpKind::Call(callee) = op.kind {
                if callee.index() < module.functions.len() && !seen.contains(&callee) {
                    seen.push(callee);
                    todo.push(callee);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AdError::Invalid(errors))
    }
}

/// Derivatives of callees made during one request, so each is made once.
#[derive(Default)]
pub(crate) struct Session {
    /// Hand-written reverse-mode rules: function → its rule (see `custom.rs`).
    pub(crate) rules: HashMap<FuncId, FuncId>,
    vjps: HashMap<(FuncId, Vec<usize>), FuncId>,
    jvps: HashMap<(FuncId, Vec<usize>), FuncId>,
    /// Functions being differentiated (a call back into one of them is recursion).
    in_progress: Vec<FuncId>,
}

impl Session {
    /// The VJP of a callee with respect to `wrt`, made on first use.
    pub(crate) fn callee_vjp(&mut self, module: &mut Module, f: FuncId, wrt: &[usize]) -> Result<FuncId, AdError> {
        if let Some(&d) = self.vjps.get(&(f, wrt.to_vec())) {
            return Ok(d);
        }
        let d = match self.rules.get(&f) {
            Some(&rule) => custom::rule_vjp(module, f, rule, wrt)?,
            None => reverse::build(module, self, f, wrt, reverse::Seed::Cotangents)?,
        };
        self.vjps.insert((f, wrt.to_vec()), d);
        Ok(d)
    }

    /// The JVP of a callee with respect to `wrt`, made on first use.
    pub(crate) fn callee_jvp(&mut self, module: &mut Module, f: FuncId, wrt: &[usize]) -> Result<FuncId, AdError> {
        if let Some(&d) = self.jvps.get(&(f, wrt.to_vec())) {
            return Ok(d);
        }
        let d = forward::build(module, self, f, wrt)?;
        self.jvps.insert((f, wrt.to_vec()), d);
        Ok(d)
    }

    /// Marks `f` as being differentiated, refusing recursion.
    pub(crate) fn enter(&mut self, module: &Module, f: FuncId) -> Result<(), AdError> {
        if self.in_progress.contains(&f) {
            return Err(AdError::Unsupported {
                op: format!("call @{}", module.func(f).name),
                reason: "recursive functions cannot be differentiated".into(),
            });
        }
        self.in_progress.push(f);
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.in_progress.pop();
    }

    /// Whether the function being differentiated is a callee (its derivative is called
    /// beside, not instead of, the primal call).
    pub(crate) fn in_callee(&self) -> bool {
        self.in_progress.len() > 1
    }
}

/// Checks `wrt` against the parameters of `f`: present, listed once, float tensors.
pub(crate) fn check_wrt(f: &Function, wrt: &[usize]) -> Result<(), AdError> {
    for (i, &param) in wrt.iter().enumerate() {
        let fail = |reason: String| Err(AdError::NotDifferentiable { param, reason });
        let Some(&p) = f.params().get(param) else {
            return fail(format!("`{}` has {} parameters", f.name, f.params().len()));
        };
        if wrt[..i].contains(&param) {
            return fail("it is listed twice".into());
        }
        let ty = f.ty(p);
        if !ty.dtype.is_float() {
            let what = if ty.dtype == DType::I64 && ty.is_scalar() {
                "a size or integer scalar"
            } else {
                "not a float tensor"
            };
            return fail(format!("it is {} ({})", what, tf_ir::infer::show(ty)));
        }
    }
    Ok(())
}

/// A function name not yet taken in the module: `base`, else `base2`, `base3`, ...
pub(crate) fn unique_name(module: &Module, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while module.find(&name).is_some() {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// Adds a finished function to the module.
pub(crate) fn add_function(module: &mut Module, f: Function) -> FuncId {
    module.functions.push(f);
    FuncId::new(module.functions.len() - 1)
}
