//! Lowering: a checked program (the checker's side tables over the AST) becomes tensor IR.
//! Functions are lowered on demand from `main`; each generic function is lowered once per
//! instantiation of its `..` packs, with its dimensions as `i64` size parameters, so one IR
//! function serves every size.

mod builtins;
mod calls;
mod env;
mod expr;
mod func;
mod grad;
mod index;
mod stmt;
mod types;

use std::collections::HashMap;

use tf_base::{Code, Diagnostic, Span};
use tf_check::checker::{Checker, FnId};
use tf_ir::{FuncId, Module};

pub use func::FnKey;

/// Lowers the program's `main` and everything it reaches.
pub fn lower_program(cx: &Checker<'_>, main: FnId) -> Result<Module, Vec<Diagnostic>> {
    let mut l = Lowerer {
        cx,
        module: Module::default(),
        funcs: HashMap::new(),
        queue: Vec::new(),
        diagnostics: Vec::new(),
        grads: Vec::new(),
        rules: HashMap::new(),
    };
    let entry = l.request(FnKey { func: main, packs: Vec::new(), consts: Vec::new() });
    l.module.main = Some(entry);
    while let Some((key, id)) = l.queue.pop() {
        l.lower_function(&key, id);
    }
    if l.diagnostics.is_empty() {
        l.differentiate();
    }
    if !l.diagnostics.is_empty() {
        return Err(l.diagnostics);
    }
    // Every IR the compiler makes verifies (ARCHITECTURE.md); a failure here is a compiler bug,
    // reported at `main` rather than handed to a back end.
    if let Err(errors) = tf_ir::verify::verify_module(&l.module) {
        let span = cx.func(main).decl.name.span;
        let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        return Err(vec![crate::unsupported(span, format!("internal: the IR does not verify ({})", all.join("; ")))]);
    }
    Ok(l.module)
}

pub(crate) struct Lowerer<'c, 'a> {
    pub cx: &'c Checker<'a>,
    pub module: Module,
    pub funcs: HashMap<FnKey, FuncId>,
    pub queue: Vec<(FnKey, FuncId)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Calls of `grad`/`value_and_grad` to point at derivative functions once every function
    /// is lowered: the caller, the call op, the function and its parameters to differentiate.
    pub grads: Vec<PendingGrad>,
    /// Hand-written derivative rules of lowered functions: function → rule.
    pub rules: HashMap<FuncId, FuncId>,
}

/// Which derivative function a call needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Mode {
    /// `(value, gradients...)` of a scalar function.
    Grad,
    /// `(results..., adjoints...)` from cotangents.
    Vjp,
    /// `(results..., tangents...)` from parameter tangents.
    Jvp,
}

pub(crate) struct PendingGrad {
    pub mode: Mode,
    pub caller: FuncId,
    pub op: tf_ir::OpId,
    pub func: FuncId,
    pub wrt: Vec<usize>,
    pub span: Span,
}

impl Lowerer<'_, '_> {
    /// The IR function for a source function at an instantiation, queued for lowering if new.
    pub fn request(&mut self, key: FnKey) -> FuncId {
        if let Some(&id) = self.funcs.get(&key) {
            return id;
        }
        let id = FuncId::new(self.module.functions.len());
        let name = self.function_name(&key);
        self.module.functions.push(tf_ir::FunctionBuilder::new(name).finish());
        self.funcs.insert(key.clone(), id);
        self.queue.push((key, id));
        id
    }

    /// Generates each requested derivative function (once per function and parameter set) and
    /// points the calls at it.
    fn differentiate(&mut self) {
        let mut made: HashMap<(Mode, FuncId, Vec<usize>), FuncId> = HashMap::new();
        for g in std::mem::take(&mut self.grads) {
            let key = (g.mode, g.func, g.wrt.clone());
            let made_now = match g.mode {
                _ if made.contains_key(&key) => Ok(made[&key]),
                Mode::Grad => tf_autodiff::grad_with_rules(&mut self.module, g.func, &g.wrt, &self.rules),
                Mode::Vjp => tf_autodiff::vjp_with_rules(&mut self.module, g.func, &g.wrt, &self.rules),
                Mode::Jvp => tf_autodiff::jvp(&mut self.module, g.func, &g.wrt),
            };
            let id = match made.get(&key) {
                Some(id) => *id,
                None => match made_now {
                    Ok(id) => {
                        made.insert(key, id);
                        id
                    }
                    Err(e) => {
                        let code = match e {
                            tf_autodiff::AdError::NotDifferentiable { .. } | tf_autodiff::AdError::NotScalar { .. } => {
                                Code::NotDifferentiable
                            }
                            _ => Code::Unsupported,
                        };
                        self.diagnostics
                            .push(Diagnostic::error(code, g.span, e.to_string()).with_label("differentiated here"));
                        continue;
                    }
                },
            };
            self.module.functions[g.caller.index()].ops[g.op.index()].kind = tf_ir::OpKind::Call(id);
        }
    }

    fn function_name(&self, key: &FnKey) -> String {
        let info = self.cx.func(key.func);
        let base = match info.owner {
            Some(o) => format!("{}.{}", self.cx.decl(o).name, info.decl.name.name),
            None => info.decl.name.name.clone(),
        };
        let mut name = if info.derivative_of.is_some() { format!("{base}.rule") } else { base };
        if !key.packs.is_empty() {
            let ranks: Vec<String> = key.packs.iter().map(|n| n.to_string()).collect();
            name = format!("{name}<{}>", ranks.join(","));
        }
        if key.consts.iter().any(Option::is_some) {
            let sizes: Vec<String> = key.consts.iter().map(|c| c.map_or("_".to_string(), |c| c.to_string())).collect();
            name = format!("{name}[{}]", sizes.join(","));
        }
        name
    }
}

/// A construct the compiler checks but cannot run yet.
pub(crate) fn unsupported(span: Span, what: impl Into<String>) -> Diagnostic {
    let what = what.into();
    Diagnostic::error(Code::Unsupported, span, format!("{what} is not supported by the compiler yet"))
        .with_label("checked, but cannot be compiled")
}
