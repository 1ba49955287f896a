//! The primitive operations the compiler knows, each with a typing rule. Everything else
//! (activations, layers, losses) is written in `.tf` in the standard library.

use tf_base::{Code, Diagnostic, Span};

use crate::body::FnChecker;
use crate::calls::{ArgVal, CallSite, Source};
use crate::dim::Dim;
use crate::types::{DType, Type};

pub type Rule = fn(&mut FnChecker, &mut BuiltinCall) -> Type;

pub struct Builtin {
    pub name: &'static str,
    /// Parameter names; a trailing `?` marks an optional one; `["*"]` takes any arguments.
    pub params: &'static [&'static str],
    pub doc: &'static str,
    pub rule: Rule,
}

/// A builtin call with its arguments checked and matched to parameters.
pub struct BuiltinCall {
    pub name: &'static str,
    /// Which argument fills each parameter (for the lowering).
    pub slots: Vec<Option<Source>>,
    pub args: Vec<Option<ArgVal>>,
    pub explicit: Option<(Vec<Dim>, Span)>,
    pub expected: Option<Type>,
    pub span: Span,
}

impl BuiltinCall {
    pub fn new(fc: &mut FnChecker, name: &'static str, params: &[&'static str], site: CallSite) -> Option<BuiltinCall> {
        let specs: Vec<(String, bool)> =
            params.iter().map(|p| (p.trim_end_matches('?').to_string(), p.ends_with('?'))).collect();
        let slots = if params == ["*"] {
            (0..site.args.len()).map(|i| Some(Source::Arg(i))).collect()
        } else {
            fc.match_args(&specs, &site, &format!("`{name}`"))?
        };
        let mut args = Vec::new();
        for slot in slots.clone() {
            args.push(match slot {
                None => None,
                Some(Source::Receiver) => site.receiver.clone(),
                Some(Source::Arg(i)) => {
                    let e = &site.args[i].value;
                    let (ty, items) = match &e.kind {
                        // List elements are checked one by one: `concat` takes different shapes.
                        tf_syntax::ast::ExprKind::List(items) => {
                            let tys: Vec<(Type, Span)> = items.iter().map(|i| (fc.expr(i, None), i.span)).collect();
                            let first = tys.first().map_or(Type::scalar(DType::IntLit), |t| t.0.clone());
                            let any_error = tys.iter().any(|t| t.0.is_error());
                            (if any_error { Type::Error } else { Type::List(Box::new(first), tys.len()) }, Some(tys))
                        }
                        _ => (fc.expr(e, None), None),
                    };
                    let size = fc.size_of(e);
                    let list = match &e.kind {
                        tf_syntax::ast::ExprKind::List(items) => Some(items.iter().map(|i| fc.size_of(i)).collect()),
                        _ => None,
                    };
                    let flag = match &e.kind {
                        tf_syntax::ast::ExprKind::Bool(b) => Some(*b),
                        _ => None,
                    };
                    Some(ArgVal { ty, span: e.span, size, list, flag, items })
                }
            });
        }
        Some(BuiltinCall { name, slots, args, explicit: site.explicit, expected: site.expected, span: site.span })
    }

    pub fn arg(&self, i: usize) -> Option<&ArgVal> {
        self.args.get(i).and_then(Option::as_ref)
    }

    pub fn any_error(&self) -> bool {
        self.args.iter().flatten().any(|a| a.ty.contains_error())
    }
}

pub fn lookup(name: &str) -> Option<u32> {
    crate::builtin_table::TABLE.iter().position(|b| b.name == name).map(|i| i as u32)
}

pub fn name(i: u32) -> &'static str {
    crate::builtin_table::TABLE[i as usize].name
}

pub fn doc(i: u32) -> &'static str {
    crate::builtin_table::TABLE[i as usize].doc
}

pub fn names() -> impl Iterator<Item = &'static str> {
    crate::builtin_table::TABLE.iter().map(|b| b.name)
}

pub fn call(fc: &mut FnChecker, i: u32, site: CallSite) -> Type {
    let b = &crate::builtin_table::TABLE[i as usize];
    let key = site.key;
    let Some(mut call) = BuiltinCall::new(fc, b.name, b.params, site) else {
        return Type::Error;
    };
    call.name = b.name;
    fc.record_call(key, crate::typed::Callee::Builtin(i), Vec::new(), call.slots.clone());
    if call.any_error() {
        return Type::Error;
    }
    (b.rule)(fc, &mut call)
}

/// `f32(x)` and `x.to(f32)`: element type conversion, shape unchanged.
pub fn cast(fc: &mut FnChecker, call: &mut BuiltinCall, to: DType) -> Type {
    let Some(x) = call.arg(0) else {
        return Type::Error;
    };
    match &x.ty {
        Type::Tensor(t) => Type::tensor(to, t.shape.clone()),
        Type::Error => Type::Error,
        other => {
            let shown = fc.show(other);
            fc.error(
                Diagnostic::error(Code::TypeMismatch, x.span, format!("cannot convert {shown} to {}", to.name()))
                    .with_label(format!("this is {shown}")),
            );
            Type::Error
        }
    }
}

impl FnChecker<'_, '_> {
    /// The tensor type of an argument, or a reported error.
    pub fn tensor_arg(&mut self, a: &ArgVal, what: &str) -> Option<crate::types::TensorType> {
        match &a.ty {
            Type::Tensor(t) => Some(crate::types::TensorType { dtype: t.dtype, shape: self.subst.shape(&t.shape) }),
            Type::Error => None,
            other => {
                let shown = self.show(other);
                self.error(
                    Diagnostic::error(Code::TypeMismatch, a.span, format!("expected {what}, found {shown}"))
                        .with_label(format!("this is {shown}")),
                );
                None
            }
        }
    }

    pub fn float_arg(&mut self, a: &ArgVal) -> Option<crate::types::TensorType> {
        let t = self.tensor_arg(a, "a floating-point tensor")?;
        if t.dtype.is_float() || t.dtype == DType::IntLit {
            let dtype = if t.dtype == DType::IntLit { DType::FloatLit } else { t.dtype };
            return Some(crate::types::TensorType { dtype, shape: t.shape });
        }
        let shown = self.show(&a.ty);
        self.error(
            Diagnostic::error(Code::DtypeMismatch, a.span, format!("expected a floating-point tensor, found {shown}"))
                .with_label(format!("this is {shown}"))
                .with_help("convert it first, e.g. `f32(x)`"),
        );
        None
    }

    /// A constant integer argument (an axis, a kernel size).
    pub fn const_arg(&mut self, a: &ArgVal, what: &str) -> Option<i64> {
        if let Some(k) = a.size.as_ref().and_then(Dim::as_constant) {
            return Some(k);
        }
        if !a.ty.is_error() {
            self.error(
                Diagnostic::error(Code::DynamicDimension, a.span, format!("{what} must be a constant"))
                    .with_label("not known before the program runs"),
            );
        }
        None
    }
}
