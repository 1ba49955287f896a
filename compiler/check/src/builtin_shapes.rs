//! Typing rules of layout primitives: matmul, transpose, permute, reshape, concat, stack,
//! convolution and pooling.

use tf_base::{Code, Diagnostic, Span};

use crate::body::FnChecker;
use crate::builtin_rules::axes;
use crate::builtins::BuiltinCall;
use crate::dim::Dim;
use crate::types::{DType, Shape, ShapeItem, TensorType, Type};
use crate::unify::DimCmp;

fn dims_of(fc: &mut FnChecker, t: &TensorType, span: Span, what: &str) -> Option<Vec<Dim>> {
    match t.shape.dims() {
        Some(d) => Some(d),
        None => {
            fc.error(
                Diagnostic::error(Code::InvalidRank, span, format!("{what} needs a tensor of known rank"))
                    .with_label("rank unknown here"),
            );
            None
        }
    }
}

pub fn matmul(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let (Some(a), Some(b)) = (call.arg(0).cloned(), call.arg(1).cloned()) else {
        return Type::Error;
    };
    let (Some(x), Some(y)) = (fc.tensor_arg(&a, "a tensor"), fc.tensor_arg(&b, "a tensor")) else {
        return Type::Error;
    };
    let Some(dtype) = DType::join(x.dtype, y.dtype) else {
        fc.error(
            Diagnostic::error(Code::DtypeMismatch, b.span, "mismatched element types in `matmul`")
                .with_label(format!("this is {}", fc.show(&b.ty))),
        );
        return Type::Error;
    };
    fc.matmul(&x, a.span, &y, b.span, dtype)
}

pub fn transpose(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    let Some(t) = fc.tensor_arg(&x, "a tensor") else {
        return Type::Error;
    };
    let Some(mut dims) = dims_of(fc, &t, x.span, "`transpose`") else {
        return Type::Error;
    };
    match (call.arg(1).cloned(), call.arg(2).cloned()) {
        (None, None) => dims.reverse(),
        (Some(a), Some(b)) => {
            let Some(i) = axes(fc, Some(&a), dims.len()) else {
                return Type::Error;
            };
            let Some(j) = axes(fc, Some(&b), dims.len()) else {
                return Type::Error;
            };
            dims.swap(i[0], j[0]);
        }
        _ => {
            fc.error(
                Diagnostic::error(Code::MissingArgument, call.span, "`transpose` takes no axes or two axes")
                    .with_label("one axis given"),
            );
            return Type::Error;
        }
    }
    Type::tensor(t.dtype, Shape::of(dims))
}

pub fn permute(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let (Some(x), Some(p)) = (call.arg(0).cloned(), call.arg(1).cloned()) else {
        return Type::Error;
    };
    let Some(t) = fc.tensor_arg(&x, "a tensor") else {
        return Type::Error;
    };
    let Some(dims) = dims_of(fc, &t, x.span, "`permute`") else {
        return Type::Error;
    };
    let Some(list) = &p.list else {
        fc.error(
            Diagnostic::error(Code::InvalidPermutation, p.span, "`permute` needs a list of axes, e.g. `[0, 2, 1]`")
                .with_label("not a list"),
        );
        return Type::Error;
    };
    let order: Option<Vec<i64>> = list.iter().map(|d| d.as_ref().and_then(Dim::as_constant)).collect();
    let Some(order) = order else {
        fc.error(
            Diagnostic::error(Code::DynamicDimension, p.span, "permutation axes must be constants")
                .with_label("not constants"),
        );
        return Type::Error;
    };
    let n = dims.len() as i64;
    let norm: Vec<i64> = order.iter().map(|&k| if k < 0 { k + n } else { k }).collect();
    let mut sorted = norm.clone();
    sorted.sort();
    if sorted != (0..n).collect::<Vec<_>>() {
        fc.error(
            Diagnostic::error(
                Code::InvalidPermutation,
                p.span,
                format!("{order:?} is not a permutation of the {n} axes"),
            )
            .with_label(format!("each of 0..{n} must appear exactly once")),
        );
        return Type::Error;
    }
    Type::tensor(t.dtype, Shape::of(norm.iter().map(|&k| dims[k as usize].clone()).collect()))
}

fn product(dims: &[Dim]) -> Dim {
    dims.iter().fold(Dim::constant(1), |acc, d| acc.mul(d))
}

pub fn reshape(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    let Some(t) = fc.tensor_arg(&x, "a tensor") else {
        return Type::Error;
    };
    let Some(src) = dims_of(fc, &t, x.span, "`reshape`") else {
        return Type::Error;
    };
    let target: Vec<Dim> = match (&call.explicit, &call.expected) {
        (Some((dims, _)), _) => dims.clone(),
        (None, Some(Type::Tensor(e))) => match fc.subst.shape(&e.shape).dims() {
            Some(d) => d,
            None => return Type::Error,
        },
        _ => {
            fc.error(
                Diagnostic::error(Code::CannotInferDimension, call.span, "`reshape` needs the new shape")
                    .with_label("no dimension arguments and no expected type")
                    .with_help("write `reshape[B, 3136](x)`"),
            );
            return Type::Error;
        }
    };
    let (a, b) = (product(&src), product(&target));
    if fc.dims_cmp(&a, &b, call.span) == DimCmp::Unequal {
        let (sa, sb) = (fc.show(&x.ty), fc.show(&Type::tensor(t.dtype, Shape::of(target.clone()))));
        fc.error(
            Diagnostic::error(
                Code::ReshapeMismatch,
                call.span,
                format!("cannot reshape {sa} into {}", sb.trim_start_matches(t.dtype.name())),
            )
            .with_label(format!("{} elements into {}", fc.show_dim(&a), fc.show_dim(&b)))
            .with_secondary(x.span, format!("this is {sa}")),
        );
        return Type::Error;
    }
    Type::tensor(t.dtype, Shape::of(target))
}

pub fn flatten(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    let Some(t) = fc.tensor_arg(&x, "a tensor") else {
        return Type::Error;
    };
    let Some(dims) = dims_of(fc, &t, x.span, "`flatten`") else {
        return Type::Error;
    };
    if dims.is_empty() {
        fc.error(
            Diagnostic::error(Code::InvalidRank, x.span, "`flatten` needs at least one dimension")
                .with_label("this is a scalar"),
        );
        return Type::Error;
    }
    Type::tensor(t.dtype, Shape::of(vec![dims[0].clone(), product(&dims[1..])]))
}

/// The tensors in a list argument, with their spans.
fn list_tensors(fc: &mut FnChecker, call: &BuiltinCall) -> Option<Vec<(TensorType, Span)>> {
    let xs = call.arg(0)?.clone();
    let Some(items) = &xs.items else {
        fc.error(
            Diagnostic::error(
                Code::TypeMismatch,
                xs.span,
                format!("`{}` takes a list of tensors: `[a, b]`", call.name),
            )
            .with_label("not a list literal"),
        );
        return None;
    };
    if items.is_empty() {
        fc.error(Diagnostic::error(Code::ConcatMismatch, xs.span, "nothing to join").with_label("empty list"));
        return None;
    }
    let mut out = Vec::new();
    for (ty, span) in items {
        let a = crate::calls::ArgVal { ty: ty.clone(), span: *span, size: None, list: None, flag: None, items: None };
        let t = fc.tensor_arg(&a, "a tensor")?;
        let dims = dims_of(fc, &t, *span, &format!("`{}`", call.name))?;
        out.push((TensorType { dtype: t.dtype, shape: Shape::of(dims) }, *span));
    }
    Some(out)
}

fn join_check(
    fc: &mut FnChecker,
    call: &BuiltinCall,
    ts: &[(TensorType, Span)],
    skip_axis: Option<usize>,
) -> Option<DType> {
    let (first, first_span) = ts[0].clone();
    let mut dtype = first.dtype;
    for (t, span) in &ts[1..] {
        let (fs, ts_) = (fc.show(&Type::Tensor(first.clone())), fc.show(&Type::Tensor(t.clone())));
        dtype = match DType::join(dtype, t.dtype) {
            Some(d) => d,
            None => {
                fc.error(
                    Diagnostic::error(
                        Code::DtypeMismatch,
                        *span,
                        format!("`{}` of mismatched element types", call.name),
                    )
                    .with_label(format!("this is {ts_}"))
                    .with_secondary(first_span, format!("this is {fs}")),
                );
                return None;
            }
        };
        if t.shape.0.len() != first.shape.0.len() {
            fc.error(
                Diagnostic::error(
                    Code::ConcatMismatch,
                    *span,
                    format!("`{}` of tensors with different ranks", call.name),
                )
                .with_label(format!("this is {ts_}"))
                .with_secondary(first_span, format!("this is {fs}")),
            );
            return None;
        }
        for (i, (a, b)) in
            first.shape.dims().unwrap_or_default().iter().zip(t.shape.dims().unwrap_or_default()).enumerate()
        {
            if Some(i) != skip_axis && fc.dims_cmp(a, &b, *span) == DimCmp::Unequal {
                fc.error(
                    Diagnostic::error(Code::ConcatMismatch, *span, format!("cannot {} {fs} and {ts_}", call.name))
                        .with_label(format!("this is {ts_}"))
                        .with_secondary(first_span, format!("this is {fs}"))
                        .with_note(format!("they differ in dimension {i}: {} and {}", fc.show_dim(a), fc.show_dim(&b))),
                );
                return None;
            }
        }
    }
    Some(dtype)
}

pub fn concat(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(ts) = list_tensors(fc, call) else {
        return Type::Error;
    };
    let rank = ts[0].0.shape.0.len();
    let Some(ax) = axes(fc, Some(call.arg(1).cloned().as_ref().unwrap_or(&zero_axis(call.span))), rank) else {
        return Type::Error;
    };
    let axis = ax[0];
    let Some(dtype) = join_check(fc, call, &ts, Some(axis)) else {
        return Type::Error;
    };
    let mut dims = ts[0].0.shape.dims().unwrap_or_default();
    dims[axis] = ts.iter().fold(Dim::constant(0), |acc, (t, _)| acc.add(&t.shape.dims().unwrap_or_default()[axis]));
    Type::tensor(dtype, Shape::of(dims))
}

pub fn stack(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(ts) = list_tensors(fc, call) else {
        return Type::Error;
    };
    let rank = ts[0].0.shape.0.len();
    let Some(ax) = axes(fc, Some(call.arg(1).cloned().as_ref().unwrap_or(&zero_axis(call.span))), rank + 1) else {
        return Type::Error;
    };
    let Some(dtype) = join_check(fc, call, &ts, None) else {
        return Type::Error;
    };
    let mut dims = ts[0].0.shape.dims().unwrap_or_default();
    dims.insert(ax[0], Dim::constant(ts.len() as i64));
    Type::tensor(dtype, Shape::of(dims))
}

fn zero_axis(span: Span) -> crate::calls::ArgVal {
    crate::calls::ArgVal {
        ty: Type::scalar(DType::IntLit),
        span,
        size: Some(Dim::constant(0)),
        list: None,
        flag: None,
        items: None,
    }
}

/// Output size of a sliding window: `(n + 2*pad - k) / stride + 1`.
fn window(fc: &mut FnChecker, n: &Dim, k: &Dim, stride: i64, pad: i64, span: Span) -> Option<Dim> {
    let num = fc.subst.dim(n).add(&Dim::constant(2 * pad)).sub(&fc.subst.dim(k));
    if let Some(v) = num.as_constant() {
        if v < 0 {
            fc.error(
                Diagnostic::error(
                    Code::ShapeMismatch,
                    span,
                    format!("window of size {} does not fit in a dimension of size {}", fc.show_dim(k), fc.show_dim(n)),
                )
                .with_label("the window is larger than the (padded) input"),
            );
            return None;
        }
        return Some(Dim::constant(v / stride + 1));
    }
    if let Some(q) = num.div_exact(stride) {
        return Some(q.add(&Dim::constant(1)));
    }
    let text = format!("({}) / {stride} + 1", fc.show_dim(&num));
    Some(Dim::symbol(fc.cx.symbols.opaque(text)))
}

fn nchw(fc: &mut FnChecker, t: &TensorType, span: Span, what: &str) -> Option<Vec<Dim>> {
    let dims = dims_of(fc, t, span, what)?;
    if dims.len() != 4 {
        fc.error(
            Diagnostic::error(
                Code::InvalidRank,
                span,
                format!("{what} needs a 4-dimensional tensor [N, C, H, W], found {} dimensions", dims.len()),
            )
            .with_label(format!("this is {}", fc.show(&Type::Tensor(t.clone())))),
        );
        return None;
    }
    Some(dims)
}

fn const_or(fc: &mut FnChecker, call: &BuiltinCall, i: usize, default: i64, what: &str) -> Option<i64> {
    match call.arg(i).cloned() {
        None => Some(default),
        Some(a) => {
            let v = fc.const_arg(&a, what)?;
            if v < 0 || (v == 0 && what != "padding") {
                fc.error(
                    Diagnostic::error(Code::InvalidSlice, a.span, format!("{what} must be positive, found {v}"))
                        .with_label("invalid"),
                );
                return None;
            }
            Some(v)
        }
    }
}

pub fn conv2d(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let (Some(x), Some(w)) = (call.arg(0).cloned(), call.arg(1).cloned()) else {
        return Type::Error;
    };
    let (Some(xt), Some(wt)) = (fc.float_arg(&x), fc.float_arg(&w)) else {
        return Type::Error;
    };
    let (Some(xd), Some(wd)) = (nchw(fc, &xt, x.span, "`conv2d` input"), nchw(fc, &wt, w.span, "`conv2d` kernel"))
    else {
        return Type::Error;
    };
    let (Some(stride), Some(pad)) = (const_or(fc, call, 2, 1, "stride"), const_or(fc, call, 3, 0, "padding")) else {
        return Type::Error;
    };
    if fc.dims_cmp(&xd[1], &wd[1], call.span) == DimCmp::Unequal {
        let (sx, sw) = (fc.show(&x.ty), fc.show(&w.ty));
        fc.error(
            Diagnostic::error(Code::ShapeMismatch, w.span, "input and kernel channels differ")
                .with_label(format!("this kernel is {sw}"))
                .with_secondary(x.span, format!("this input is {sx}"))
                .with_note(format!(
                    "the input has {} channels, the kernel expects {}",
                    fc.show_dim(&xd[1]),
                    fc.show_dim(&wd[1])
                )),
        );
        return Type::Error;
    }
    let Some(h) = window(fc, &xd[2], &wd[2], stride, pad, call.span) else {
        return Type::Error;
    };
    let Some(wo) = window(fc, &xd[3], &wd[3], stride, pad, call.span) else {
        return Type::Error;
    };
    let dtype = DType::join(xt.dtype, wt.dtype).unwrap_or(xt.dtype);
    Type::tensor(
        dtype,
        Shape(vec![
            ShapeItem::Dim(xd[0].clone()),
            ShapeItem::Dim(wd[0].clone()),
            ShapeItem::Dim(h),
            ShapeItem::Dim(wo),
        ]),
    )
}

pub fn pool2d(fc: &mut FnChecker, call: &mut BuiltinCall) -> Type {
    let Some(x) = call.arg(0).cloned() else {
        return Type::Error;
    };
    let Some(xt) = fc.float_arg(&x) else {
        return Type::Error;
    };
    let Some(xd) = nchw(fc, &xt, x.span, &format!("`{}`", call.name)) else {
        return Type::Error;
    };
    let Some(k) = const_or(fc, call, 1, 2, "pool size") else {
        return Type::Error;
    };
    let Some(stride) = const_or(fc, call, 2, k, "stride") else {
        return Type::Error;
    };
    let kd = Dim::constant(k);
    let Some(h) = window(fc, &xd[2], &kd, stride, 0, call.span) else {
        return Type::Error;
    };
    let Some(w) = window(fc, &xd[3], &kd, stride, 0, call.span) else {
        return Type::Error;
    };
    Type::tensor(xt.dtype, Shape::of(vec![xd[0].clone(), xd[1].clone(), h, w]))
}
