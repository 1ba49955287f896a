//! Hand-written derivative rules (`derivative f(x, dy) { ... }` in `.tf`): a call of a function
//! with a rule is differentiated by calling the rule instead of differentiating the function's
//! body — for numerically delicate functions, or derivatives cheaper than the automatic ones.
//!
//! A rule function takes the function's parameters, then one cotangent per result, and returns
//! one cotangent per floating-point parameter, in order (size and integer parameters have none).

use tf_ir::{FuncId, FunctionBuilder, Module, OpKind, Type};

use crate::AdError;

/// Builds `<f>_rule_vjp(params..., cotangents...) -> (results..., adjoints of wrt...)`, the same
/// interface as a generated VJP, from `f` and its rule.
pub fn rule_vjp(module: &mut Module, f: FuncId, rule: FuncId, wrt: &[usize]) -> Result<FuncId, AdError> {
    let callee = module.func(f).clone();
    let params: Vec<Type> = callee.params().iter().map(|p| callee.ty(*p).clone()).collect();
    let results = callee.result_types();
    let rule_results = module.func(rule).result_types();
    // The rule's output for parameter p: the number of float parameters before it.
    let mut slot = Vec::new();
    for &p in wrt {
        let Some(t) = params.get(p) else {
            return Err(AdError::NotDifferentiable { param: p, reason: "no such parameter".into() });
        };
        if !t.dtype.is_float() {
            return Err(AdError::NotDifferentiable { param: p, reason: "not a floating-point tensor".into() });
        }
        let k = params[..p].iter().filter(|t| t.dtype.is_float()).count();
        if k >= rule_results.len() {
            return Err(AdError::Internal(format!("the rule for `{}` returns too few cotangents", callee.name)));
        }
        slot.push(k);
    }
    let mut b = FunctionBuilder::new(format!("{}_rule_vjp", callee.name));
    b.span = callee.span;
    let body = b.body();
    let mut args = Vec::new();
    for (i, t) in params.iter().enumerate() {
        let name = callee.value(callee.params()[i]).name.clone();
        args.push(b.param(body, t.clone(), name.as_deref()));
    }
    let cotangents: Vec<_> = results.iter().map(|t| b.param(body, t.clone(), Some("cotangent"))).collect();
    // Parameter types may refer to size parameters: the callee's own, now this function's.
    let values = b.op_typed(body, OpKind::Call(f), args.clone(), results.clone(), vec![]);
    let mut rule_args = args;
    rule_args.extend(cotangents);
    let adjoints = b.op_typed(body, OpKind::Call(rule), rule_args, rule_results, vec![]);
    let mut yields = values;
    yields.extend(slot.iter().map(|&k| adjoints[k]));
    b.set_yields(body, yields);
    let mut func = b.finish();
    // Types copied from the callee name its values; map its parameters to ours.
    remap_param_types(&callee, &mut func);
    module.functions.push(func);
    Ok(FuncId::new(module.functions.len() - 1))
}

/// Rewrites sizes in `func`'s types from the callee's parameter values to `func`'s parameters
/// (same positions), so the wrapper's types refer to its own size parameters.
fn remap_param_types(callee: &tf_ir::Function, func: &mut tf_ir::Function) {
    let from = callee.params().to_vec();
    let to = func.params().to_vec();
    let map = |s: tf_ir::ValueId| from.iter().position(|p| *p == s).map(|i| tf_ir::Size::symbol(to[i]));
    for v in &mut func.values {
        v.ty.shape = v.ty.shape.iter().map(|d| d.substitute(&map)).collect();
    }
}
