//! Typing rules of elementwise, reduction and tensor-creation primitives.

use tf_base::{Code, Diagnostic};

use crate::body::FnChecker;
use crate::builtins::BuiltinCall;
use crate::calls::ArgVal;
use crate::dim::Dim;
use crate::ops::ordinal;
use crate::types::{DType, Shape, ShapeItem, Type};

pub fn unary_float(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    fc.float_arg(&x).map_or(Type::Error, Type::Tensor)
}

pub fn unary_numeric(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    match fc.tensor_arg(&x, "a numeric tensor") {
        Some(t) if t.dtype.is_numeric() => Type::Tensor(t),
        Some(_) => {
            fc.error(
                Diagnostic::error(Code::InvalidOperand, x.span, format!("`{}` needs a numeric tensor", call.name))
                    .with_label("this is bool"),
            );
            Type::Error
        }
        None => Type::Error,
    }
}

/// Joins element types and broadcasts shapes of several arguments.
pub fn broadcast_args(fc: &mut FnChecker, args: &[ArgVal], span: tf_base::Span) -> Option<(DType, Shape)> {
    let mut dtype: Option<DType> = None;
    let mut shape = Shape::scalar();
    let mut first_span = span;
    for (i, a) in args.iter().enumerate() {
        let t = fc.tensor_arg(a, "a tensor")?;
        dtype = match dtype {
            None => {
                first_span = a.span;
                Some(t.dtype)
            }
            Some(d) => match DType::join(d, t.dtype) {
                Some(j) => Some(j),
                None => {
                    fc.error(
                        Diagnostic::error(
                            Code::DtypeMismatch,
                            a.span,
                            format!("mismatched element types {} and {}", d.name(), t.dtype.name()),
                        )
                        .with_label(format!("this is {}", t.dtype.name()))
                        .with_secondary(first_span, format!("this is {}", d.name())),
                    );
                    return None;
                }
            },
        };
        shape = match fc.broadcast(&shape, &t.shape, span) {
            Ok(s) => s,
            Err((pos, x, y)) => {
                let (x, y) = (fc.show_dim(&x), fc.show_dim(&y));
                fc.error(
                    Diagnostic::error(Code::BroadcastMismatch, a.span, "arguments cannot be broadcast together")
                        .with_label(format!("argument {} is {}", i + 1, fc.show(&a.ty)))
                        .with_note(format!(
                            "dimension {x} and {y} ({} from the end) must be equal, or one of them 1",
                            ordinal(pos + 1)
                        )),
                );
                return None;
            }
        };
    }
    Some((dtype.unwrap_or(DType::F32), shape))
}

pub fn binary_numeric(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let args: Vec<ArgVal> = call.args.iter().flatten().cloned().collect();
    match broadcast_args(fc, &args, call.span) {
        Some((d, s)) if d.is_numeric() => Type::tensor(d, s),
        Some(_) => {
            fc.error(
                Diagnostic::error(Code::InvalidOperand, call.span, format!("`{}` needs numeric tensors", call.name))
                    .with_label("bool operands"),
            );
            Type::Error
        }
        None => Type::Error,
    }
}

pub fn clip(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    binary_numeric(fc, call)
}

pub fn select(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let (Some(c), Some(a), Some(b)) = (call.arg(0).cloned(), call.arg(1).cloned(), call.arg(2).cloned()) else {
        return Type::Error;
    };
    let Some(ct) = fc.tensor_arg(&c, "a bool tensor") else {
        return Type::Error;
    };
    if ct.dtype != DType::Bool {
        fc.error(
            Diagnostic::error(Code::TypeMismatch, c.span, "the condition of `where` must be a bool tensor")
                .with_label(format!("this is {}", fc.show(&c.ty))),
        );
        return Type::Error;
    }
    let Some((dtype, ab)) = broadcast_args(fc, &[a, b], call.span) else {
        return Type::Error;
    };
    let Ok(shape) = fc.broadcast(&ct.shape, &ab, call.span) else {
        fc.error(
            Diagnostic::error(
                Code::BroadcastMismatch,
                c.span,
                "the condition of `where` cannot be broadcast with its values",
            )
            .with_label(format!("this is {}", fc.show(&c.ty))),
        );
        return Type::Error;
    };
    Type::tensor(dtype, shape)
}

/// The axes an `axis` argument names, normalised to `0..rank`; `None` after an error.
pub fn axes(fc: &mut FnChecker, a: Option<&ArgVal>, rank: usize) -> Option<Vec<usize>> {
    let Some(a) = a else {
        return Some((0..rank).collect());
    };
    let raw: Vec<(Option<i64>, tf_base::Span)> = match &a.list {
        Some(items) => items.iter().map(|d| (d.as_ref().and_then(Dim::as_constant), a.span)).collect(),
        None => vec![(a.size.as_ref().and_then(Dim::as_constant), a.span)],
    };
    let mut out = Vec::new();
    for (k, span) in raw {
        let Some(k) = k else {
            fc.error(
                Diagnostic::error(Code::DynamicDimension, span, "an axis must be a constant")
                    .with_label("not a constant"),
            );
            return None;
        };
        let r = rank as i64;
        if k >= r || k < -r {
            fc.error(
                Diagnostic::error(
                    Code::AxisOutOfRange,
                    span,
                    format!(
                        "axis {k} is out of range for a tensor of {rank} dimension{}",
                        crate::lower_ty::plural(rank)
                    ),
                )
                .with_label(if rank == 0 {
                    "a scalar has no axes".to_string()
                } else {
                    format!("valid axes are {} to {}", -r, r - 1)
                }),
            );
            return None;
        }
        let n = if k < 0 { (k + r) as usize } else { k as usize };
        if out.contains(&n) {
            fc.error(
                Diagnostic::error(Code::AxisOutOfRange, span, format!("axis {k} is given twice"))
                    .with_label("repeated axis"),
            );
            return None;
        }
        out.push(n);
    }
    Some(out)
}

pub fn reduce(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    let Some(t) = fc.tensor_arg(&x, "a tensor") else {
        return Type::Error;
    };
    let dtype = match call.name {
        "argmax" | "argmin" => DType::I64,
        "all" | "any" => {
            if t.dtype != DType::Bool {
                fc.error(
                    Diagnostic::error(Code::TypeMismatch, x.span, format!("`{}` needs a bool tensor", call.name))
                        .with_label(format!("this is {}", fc.show(&x.ty))),
                );
                return Type::Error;
            }
            DType::Bool
        }
        "mean" if !t.dtype.is_float() => {
            fc.error(
                Diagnostic::error(Code::DtypeMismatch, x.span, "`mean` needs a floating-point tensor")
                    .with_label(format!("this is {}", fc.show(&x.ty)))
                    .with_help("convert it first, e.g. `mean(f32(x))`"),
            );
            return Type::Error;
        }
        _ if t.dtype == DType::Bool => {
            fc.error(
                Diagnostic::error(Code::InvalidOperand, x.span, format!("`{}` needs a numeric tensor", call.name))
                    .with_label("this is bool"),
            );
            return Type::Error;
        }
        _ => t.dtype,
    };
    let keepdims = match call.arg(2) {
        Some(k) if !matches!(&k.ty, Type::Tensor(tt) if tt.dtype == DType::Bool) => {
            fc.error(
                Diagnostic::error(Code::TypeMismatch, k.span, "`keepdims` must be a bool")
                    .with_label(format!("this is {}", fc.show(&k.ty))),
            );
            return Type::Error;
        }
        Some(_) => true_literal(call),
        None => false,
    };
    if t.shape.has_pack() {
        return reduce_packed(fc, call, dtype, t.shape, keepdims);
    }
    let rank = t.shape.0.len();
    let axis_arg = match call.arg(1).cloned() {
        Some(a) => match named_axes(fc, &a, &t.shape) {
            Some(a) => Some(a),
            None => return Type::Error,
        },
        None => None,
    };
    let Some(axes) = axes(fc, axis_arg.as_ref(), rank) else {
        return Type::Error;
    };
    Type::tensor(dtype, reduced(&t.shape, &axes, keepdims))
}

/// `keepdims` must be a literal: it changes the result's rank.
fn true_literal(call: &BuiltinCall) -> bool {
    call.arg(2).and_then(|a| a.flag).unwrap_or(true)
}

/// The shape of a created tensor: explicit dimension arguments, else the expected type.
fn target(fc: &mut FnChecker, call: &BuiltinCall) -> Option<(DType, Shape)> {
    let expected = call.expected.as_ref().and_then(|t| match t {
        Type::Tensor(tt) => Some((tt.dtype, fc.subst.shape(&tt.shape))),
        _ => None,
    });
    if let Some((dims, _)) = &call.explicit {
        let dtype = expected.map_or(DType::F32, |e| e.0);
        return Some((dtype, Shape::of(dims.clone())));
    }
    if let Some(e) = expected {
        return Some(e);
    }
    fc.error(
        Diagnostic::error(
            Code::CannotInferDimension,
            call.span,
            format!("cannot infer the shape created by `{}`", call.name),
        )
        .with_label("no dimension arguments and no expected type")
        .with_help(format!("give the shape explicitly, e.g. `{}[128]()`, or annotate the binding's type", call.name)),
    );
    None
}

pub fn filled(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some((mut dtype, shape)) = target(fc, call) else {
        return Type::Error;
    };
    if let Some(d) = call.arg(0) {
        match d.ty {
            Type::DTypeValue(t) => dtype = t,
            _ => {
                fc.error(
                    Diagnostic::error(Code::TypeMismatch, d.span, "`dtype` must be an element type such as `f32`")
                        .with_label(format!("this is {}", fc.show(&d.ty))),
                );
                return Type::Error;
            }
        }
    }
    Type::tensor(dtype.defaulted(), shape)
}

pub fn full(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(v) = call.arg(0).cloned() else {
        return Type::Error;
    };
    let Some(vt) = fc.tensor_arg(&v, "a scalar") else {
        return Type::Error;
    };
    let Some((dtype, shape)) = target(fc, call) else {
        return Type::Error;
    };
    let dtype = if vt.dtype.is_literal() { dtype } else { vt.dtype };
    Type::tensor(dtype.defaulted(), shape)
}

pub fn like(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    fc.tensor_arg(&x, "a tensor").map_or(Type::Error, |t| Type::tensor(t.dtype.defaulted(), t.shape))
}

pub fn random(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    if let Some(seed) = call.arg(0).cloned() {
        fc.int_scalar(&seed.ty, seed.span);
    }
    for a in call.args[1..].iter().flatten().cloned().collect::<Vec<_>>() {
        fc.float_arg(&a);
    }
    let Some((dtype, shape)) = target(fc, call) else {
        return Type::Error;
    };
    let dtype = if dtype.is_float() { dtype.defaulted() } else { DType::F32 };
    Type::tensor(dtype, shape)
}

pub fn one_hot(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(y) = call.arg(0).cloned() else {
        return Type::Error;
    };
    let Some(t) = fc.tensor_arg(&y, "an integer tensor") else {
        return Type::Error;
    };
    if !t.dtype.is_int() {
        fc.error(
            Diagnostic::error(Code::TypeMismatch, y.span, "`one_hot` needs integer labels")
                .with_label(format!("this is {}", fc.show(&y.ty))),
        );
        return Type::Error;
    }
    let classes = match &call.explicit {
        Some((dims, _)) if dims.len() == 1 => dims[0].clone(),
        _ => match &call.expected {
            Some(Type::Tensor(e)) => match fc.subst.shape(&e.shape).0.last() {
                Some(ShapeItem::Dim(d)) => d.clone(),
                _ => return missing_classes(fc, call),
            },
            _ => return missing_classes(fc, call),
        },
    };
    let mut shape = t.shape;
    shape.0.push(ShapeItem::Dim(classes));
    Type::tensor(DType::F32, shape)
}

fn missing_classes(fc: &mut FnChecker, call: &BuiltinCall) -> Type {
    fc.error(
        Diagnostic::error(Code::CannotInferDimension, call.span, "cannot infer the number of classes of `one_hot`")
            .with_label("give it as a dimension argument")
            .with_help("write `one_hot[10](labels)`"),
    );
    Type::Error
}

pub fn arange(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(n) = call.arg(0).cloned() else {
        return Type::Error;
    };
    fc.int_scalar(&n.ty, n.span);
    let len = match n.size {
        Some(d) => d,
        None => Dim::symbol(fc.cx.symbols.fresh("n", crate::symbols::SymKind::Runtime, false, Some(n.span))),
    };
    Type::tensor(DType::I64, Shape::of(vec![len]))
}

/// Reductions over a shape with a `..` pack: all axes, or negative axes after the pack.
fn reduce_packed(fc: &mut FnChecker, call: &BuiltinCall, dtype: DType, shape: Shape, keepdims: bool) -> Type {
    let Some(a) = call.arg(1).cloned() else { return Type::scalar(dtype) };
    let pack = shape.0.iter().position(|i| matches!(i, ShapeItem::Pack(_))).unwrap_or(0);
    let suffix = shape.0.len() - pack - 1;
    let ks: Vec<Option<i64>> = match &a.list {
        Some(items) => items.iter().map(|d| d.as_ref().and_then(Dim::as_constant)).collect(),
        None => vec![a.size.as_ref().and_then(Dim::as_constant)],
    };
    let mut drop = Vec::new();
    for k in ks {
        match k {
            Some(k) if k < 0 && (-k) as usize <= suffix => drop.push(shape.0.len() - (-k) as usize),
            _ => {
                fc.error(
                    Diagnostic::error(
                        Code::AxisOutOfRange,
                        a.span,
                        "with a `..` pack in the shape, only negative axes after the pack can be reduced",
                    )
                    .with_label(format!("valid axes are -1 to -{suffix}")),
                );
                return Type::Error;
            }
        }
    }
    Type::tensor(dtype, reduced(&shape, &drop, keepdims))
}

/// The shape left after reducing `axes`: removed, or kept as 1 with `keepdims`.
fn reduced(shape: &Shape, axes: &[usize], keepdims: bool) -> Shape {
    let items = shape.0.iter().enumerate().filter_map(|(i, d)| match (axes.contains(&i), keepdims) {
        (false, _) => Some(d.clone()),
        (true, true) => Some(ShapeItem::Dim(Dim::constant(1))),
        (true, false) => None,
    });
    Shape(items.collect())
}

/// `axis: T` names the axis whose dimension is `T`; turns such names into axis numbers.
fn named_axes(fc: &mut FnChecker, a: &ArgVal, shape: &Shape) -> Option<ArgVal> {
    let find = |fc: &mut FnChecker, d: &Option<Dim>| -> Option<Option<Dim>> {
        let Some(d) = d else { return Some(None) };
        if d.as_constant().is_some() || d.as_symbol().is_none() {
            return Some(Some(d.clone()));
        }
        let want = fc.subst.dim(d);
        let hits: Vec<usize> = shape
            .0
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i, ShapeItem::Dim(x) if fc.subst.dim(x) == want))
            .map(|(k, _)| k)
            .collect();
        match hits.as_slice() {
            [k] => Some(Some(Dim::constant(*k as i64))),
            _ => {
                let name = fc.show_dim(&want);
                let why = if hits.is_empty() { "no axis has this size" } else { "several axes have this size" };
                fc.error(
                    Diagnostic::error(Code::AxisOutOfRange, a.span, format!("cannot tell which axis `{name}` names"))
                        .with_label(why)
                        .with_help("give the axis by number"),
                );
                None
            }
        }
    };
    let mut out = a.clone();
    out.size = find(fc, &a.size)?;
    if let Some(list) = &a.list {
        out.list = Some(list.iter().map(|d| find(fc, d)).collect::<Option<Vec<_>>>()?);
    }
    Some(out)
}
