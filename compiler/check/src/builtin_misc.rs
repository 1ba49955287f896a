//! Typing rules of conversions, sizes, differentiation and input/output primitives.

use tf_base::{Code, Diagnostic};

use crate::body::FnChecker;
use crate::builtins::{cast, BuiltinCall};
use crate::types::{DType, FnType, ParamType, Type};

pub fn to(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(d) = call.arg(1).cloned() else {
        return Type::Error;
    };
    match d.ty {
        Type::DTypeValue(t) => cast(fc, call, t),
        other => {
            let shown = fc.show(&other);
            fc.error(
                Diagnostic::error(
                    Code::TypeMismatch,
                    d.span,
                    format!("expected an element type such as `f32`, found {shown}"),
                )
                .with_label("not an element type"),
            );
            Type::Error
        }
    }
}

pub fn size(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let (Some(x), Some(a)) = (call.arg(0).cloned(), call.arg(1).cloned()) else {
        return Type::Error;
    };
    let Some(t) = fc.tensor_arg(&x, "a tensor") else {
        return Type::Error;
    };
    match t.shape.rank() {
        Some(r) => crate::builtin_rules::axes(fc, Some(&a), r).map_or(Type::Error, |_| Type::scalar(DType::I64)),
        None => Type::scalar(DType::I64),
    }
}

pub fn len(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    match &x.ty {
        Type::Tensor(t) if !fc.subst.shape(&t.shape).is_scalar() => Type::scalar(DType::I64),
        Type::List(..) | Type::Tuple(_) | Type::Str => Type::scalar(DType::I64),
        Type::Error => Type::Error,
        other => {
            let shown = fc.show(other);
            fc.error(
                Diagnostic::error(Code::TypeMismatch, x.span, format!("`len` of {shown}"))
                    .with_label("has no first dimension"),
            );
            Type::Error
        }
    }
}

/// Whether values of a type have derivatives (floating tensors, and models/structs of them).
fn differentiable(t: &Type) -> bool {
    match t {
        Type::Tensor(tt) => tt.dtype.is_float(),
        Type::Model(..) | Type::Struct(..) => true,
        Type::Tuple(ts) => ts.iter().all(differentiable),
        Type::Error => true,
        _ => false,
    }
}

/// The function being differentiated and the parameter chosen by `wrt`.
fn differentiate(fc: &mut FnChecker, call: &BuiltinCall) -> Option<(FnType, usize)> {
    let f = call.arg(0)?.clone();
    let Type::Fn(sig) = &f.ty else {
        let shown = fc.show(&f.ty);
        fc.error(
            Diagnostic::error(
                Code::TypeMismatch,
                f.span,
                format!("`{}` differentiates a function, found {shown}", call.name),
            )
            .with_label(format!("this is {shown}")),
        );
        return None;
    };
    let wrt = match call.arg(1).cloned() {
        Some(a) => fc.const_arg(&a, "`wrt`")?,
        None => 0,
    };
    let Some(p) = usize::try_from(wrt).ok().and_then(|i| sig.params.get(i)) else {
        let span = call.arg(1).map_or(call.span, |a| a.span);
        fc.error(
            Diagnostic::error(Code::AxisOutOfRange, span, format!("`{}` has no argument {wrt}", sig.name)).with_label(
                format!("it takes {} argument{}", sig.params.len(), crate::lower_ty::plural(sig.params.len())),
            ),
        );
        return None;
    };
    if !differentiable(&p.ty) {
        let shown = fc.show(&p.ty);
        fc.error(
            Diagnostic::error(
                Code::NotDifferentiable,
                call.arg(1).map_or(f.span, |a| a.span),
                format!("cannot differentiate with respect to `{}`: it is {shown}", p.name),
            )
            .with_label(format!("argument {wrt} of `{}` has no derivative", sig.name))
            .with_help("differentiate with respect to a floating-point tensor, model or struct (`wrt: N`)"),
        );
        return None;
    }
    let float_out = matches!(&sig.ret, Type::Tensor(t) if t.dtype.is_float()) || sig.ret.is_error();
    let scalar_out = float_out && matches!(&sig.ret, Type::Tensor(t) if t.shape.is_scalar()) || sig.ret.is_error();
    let wants_scalar = matches!(call.name, "grad" | "value_and_grad");
    if !float_out {
        let shown = fc.show(&sig.ret);
        fc.error(
            Diagnostic::error(
                Code::NotDifferentiable,
                f.span,
                format!("`{}` needs a function with a float tensor result; `{}` returns {shown}", call.name, sig.name),
            )
            .with_label("no derivative"),
        );
        return None;
    }
    if wants_scalar && !scalar_out {
        let shown = fc.show(&sig.ret);
        fc.error(
            Diagnostic::error(
                Code::NotDifferentiable,
                f.span,
                format!("`{}` needs a function returning a float scalar; `{}` returns {shown}", call.name, sig.name),
            )
            .with_label("not a scalar loss")
            .with_help("reduce the result first, e.g. with `mean(...)` or `sum(...)`"),
        );
        return None;
    }
    Some(((**sig).clone(), wrt as usize))
}

pub fn grad(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some((sig, wrt)) = differentiate(fc, call) else {
        return Type::Error;
    };
    let ret = sig.params[wrt].ty.clone();
    Type::Fn(Box::new(FnType {
        name: format!("grad({})", sig.name),
        origin: None,
        generics: sig.generics,
        params: sig.params,
        ret,
    }))
}

pub fn value_and_grad(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some((sig, wrt)) = differentiate(fc, call) else {
        return Type::Error;
    };
    let ret = Type::Tuple(vec![sig.ret.clone(), sig.params[wrt].ty.clone()]);
    let params: Vec<ParamType> = sig.params.clone();
    Type::Fn(Box::new(FnType {
        name: format!("value_and_grad({})", sig.name),
        origin: None,
        generics: sig.generics,
        params,
        ret,
    }))
}

pub fn print(_fc: &mut FnChecker, _call: &mut BuiltinCall) -> Type {
    Type::Unit
}

fn path_arg(fc: &mut FnChecker, call: &BuiltinCall) -> bool {
    match call.arg(0) {
        Some(p) if p.ty == Type::Str => true,
        Some(p) => {
            let shown = fc.show(&p.ty);
            fc.error(
                Diagnostic::error(Code::TypeMismatch, p.span, format!("expected a path string, found {shown}"))
                    .with_label(format!("this is {shown}")),
            );
            false
        }
        None => false,
    }
}

pub fn archive(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    if path_arg(fc, call) {
        Type::Archive
    } else {
        Type::Error
    }
}

pub fn data(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    if path_arg(fc, call) {
        Type::DynTensor
    } else {
        Type::Error
    }
}

/// `vjp(f, wrt: k)`: a function of `f`'s arguments and a cotangent of its result, returning the
/// result and the cotangent pulled back to argument `k`.
pub fn vjp(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some((sig, wrt)) = differentiate(fc, call) else {
        return Type::Error;
    };
    let mut params = sig.params.clone();
    params.push(ParamType { name: "cotangent".into(), ty: sig.ret.clone(), has_default: false, span: None });
    let ret = Type::Tuple(vec![sig.ret.clone(), sig.params[wrt].ty.clone()]);
    Type::Fn(Box::new(FnType { name: format!("vjp({})", sig.name), origin: None, generics: sig.generics, params, ret }))
}

/// `jvp(f, wrt: k)`: a function of `f`'s arguments and a tangent of argument `k`, returning the
/// result and its directional derivative.
pub fn jvp(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some((sig, wrt)) = differentiate(fc, call) else {
        return Type::Error;
    };
    let mut params = sig.params.clone();
    params.push(ParamType { name: "tangent".into(), ty: sig.params[wrt].ty.clone(), has_default: false, span: None });
    let ret = Type::Tuple(vec![sig.ret.clone(), sig.ret.clone()]);
    Type::Fn(Box::new(FnType { name: format!("jvp({})", sig.name), origin: None, generics: sig.generics, params, ret }))
}
