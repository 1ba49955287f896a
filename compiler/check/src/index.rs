//! Indexing and slicing (`x[i]`, `x[:, 1:5]`, `x[..., -1]`, `embed[tokens]`) with result shapes
//! computed symbolically, plus indexing of tuples, lists, archives and generic declarations.

use tf_base::{Code, Diagnostic, Span};
use tf_syntax::ast::{Expr, IndexArg};

use crate::body::FnChecker;
use crate::dim::Dim;
use crate::lower_ty::plural;
use crate::symbols::SymKind;
use crate::types::{DType, Shape, ShapeItem, TensorType, Type};

impl FnChecker<'_, '_> {
    pub fn index(&mut self, base: &Expr, indices: &[IndexArg], span: Span) -> Type {
        let t = self.expr(base, None);
        match &t {
            Type::Error => {
                self.skip_indices(indices);
                Type::Error
            }
            Type::Tensor(tt) => {
                let tt = tt.clone();
                self.index_tensor(&tt, base.span, indices, span)
            }
            Type::Archive => {
                for i in indices {
                    if let IndexArg::Expr(e) = i {
                        let k = self.expr(e, None);
                        if k != Type::Str && !k.is_error() {
                            let shown = self.show(&k);
                            self.error(
                                Diagnostic::error(
                                    Code::TypeMismatch,
                                    e.span,
                                    format!("an archive is indexed by name, found {shown}"),
                                )
                                .with_label("expected a string"),
                            );
                        }
                    }
                }
                Type::DynTensor
            }
            Type::Tuple(_) | Type::List(..) if indices.len() == 1 => {
                let elems: Vec<Type> = match &t {
                    Type::Tuple(ts) => ts.clone(),
                    Type::List(e, n) => vec![(**e).clone(); *n],
                    _ => unreachable!("matched above"),
                };
                let IndexArg::Expr(e) = &indices[0] else {
                    self.error(
                        Diagnostic::error(Code::TypeMismatch, span, "tuples and lists cannot be sliced")
                            .with_label("use a single constant index"),
                    );
                    return Type::Error;
                };
                self.expr(e, None);
                match self.size_of(e).and_then(|d| d.as_constant()) {
                    Some(k) if k >= 0 && (k as usize) < elems.len() => elems[k as usize].clone(),
                    Some(k) => {
                        self.error(
                            Diagnostic::error(
                                Code::IndexOutOfBounds,
                                e.span,
                                format!("index {k} is out of bounds for {} elements", elems.len()),
                            )
                            .with_label("out of bounds"),
                        );
                        Type::Error
                    }
                    None => match &t {
                        Type::List(e, _) => (**e).clone(),
                        _ => {
                            self.error(
                                Diagnostic::error(Code::DynamicDimension, e.span, "a tuple index must be a constant")
                                    .with_label("not a constant"),
                            );
                            Type::Error
                        }
                    },
                }
            }
            Type::DeclValue(id, dims) if dims.is_empty() => {
                let dims = self.explicit_dims(indices);
                let want = self.cx.decl(*id).generics.len();
                if dims.len() != want {
                    let name = self.cx.decl(*id).name.clone();
                    self.error(
                        Diagnostic::error(
                            Code::GenericArgCount,
                            span,
                            format!("`{name}` takes {want} dimension argument{}, {} given", plural(want), dims.len()),
                        )
                        .with_label(format!("expected {want}")),
                    );
                    return Type::Error;
                }
                Type::DeclValue(*id, dims)
            }
            other => {
                let shown = self.show(other);
                self.skip_indices(indices);
                self.error(
                    Diagnostic::error(Code::TypeMismatch, base.span, format!("{shown} cannot be indexed"))
                        .with_label(format!("this is {shown}")),
                );
                Type::Error
            }
        }
    }

    fn skip_indices(&mut self, indices: &[IndexArg]) {
        for i in indices {
            match i {
                IndexArg::Expr(e) => {
                    self.expr(e, None);
                }
                IndexArg::Slice { start, end, step, .. } => {
                    for e in [start, end, step].into_iter().flatten() {
                        self.expr(e, None);
                    }
                }
                IndexArg::Ellipsis(_) => {}
            }
        }
    }

    fn index_tensor(&mut self, tt: &TensorType, base_span: Span, indices: &[IndexArg], span: Span) -> Type {
        let shape = self.subst.shape(&tt.shape);
        let consuming = indices.iter().filter(|i| !matches!(i, IndexArg::Ellipsis(_))).count();
        let ellipses = indices.len() - consuming;
        let rank = shape.0.len();
        if ellipses > 1 {
            self.error(
                Diagnostic::error(Code::InvalidSlice, span, "at most one `...` per index").with_label("several `...`"),
            );
            return Type::Error;
        }
        if consuming > rank && !shape.has_pack() {
            let shown = self.show(&Type::Tensor(tt.clone()));
            self.error(
                Diagnostic::error(
                    Code::RankMismatch,
                    span,
                    format!("too many indices: {consuming} for a tensor of {rank} dimension{}", plural(rank)),
                )
                .with_label(format!("{consuming} indices"))
                .with_secondary(base_span, format!("this is {shown}")),
            );
            self.skip_indices(indices);
            return Type::Error;
        }
        let mut out: Vec<ShapeItem> = Vec::new();
        let mut pos = 0usize;
        for (k, idx) in indices.iter().enumerate() {
            if let IndexArg::Ellipsis(_) = idx {
                let after = indices.len() - k - 1;
                let skip_to = rank.saturating_sub(after);
                out.extend(shape.0[pos..skip_to.max(pos)].iter().cloned());
                pos = skip_to.max(pos);
                continue;
            }
            let Some(item) = shape.0.get(pos).cloned() else {
                break;
            };
            pos += 1;
            let ShapeItem::Dim(dim) = item else {
                self.error(
                    Diagnostic::error(Code::InvalidRank, span, "cannot index into a `..` pack of dimensions")
                        .with_label("use `...` to skip the pack"),
                );
                self.skip_indices(indices);
                return Type::Error;
            };
            match idx {
                IndexArg::Expr(e) => {
                    if let Some(items) = self.index_one(e, &dim) {
                        out.extend(items);
                    } else {
                        return Type::Error;
                    }
                }
                IndexArg::Slice { start, end, step, span } => {
                    match self.slice(start.as_ref(), end.as_ref(), step.as_ref(), &dim, *span) {
                        Some(d) => out.push(ShapeItem::Dim(d)),
                        None => return Type::Error,
                    }
                }
                IndexArg::Ellipsis(_) => {}
            }
        }
        out.extend(shape.0[pos.min(rank)..].iter().cloned());
        Type::tensor(tt.dtype, Shape(out))
    }

    /// One index expression against one dimension: an integer drops it, an integer tensor gathers.
    fn index_one(&mut self, e: &Expr, dim: &Dim) -> Option<Vec<ShapeItem>> {
        let t = self.expr(e, None);
        match &t {
            Type::Error => None,
            Type::Tensor(it) if it.dtype.is_int() && self.subst.shape(&it.shape).is_scalar() => {
                match (self.size_of(e).and_then(|d| d.as_constant()), self.subst.dim(dim).as_constant()) {
                    (Some(k), Some(n)) if k >= n || k < -n => {
                        self.error(
                            Diagnostic::error(
                                Code::IndexOutOfBounds,
                                e.span,
                                format!("index {k} is out of bounds for a dimension of size {n}"),
                            )
                            .with_label(format!("valid indices are {} to {}", -n, n - 1)),
                        );
                        return None;
                    }
                    (Some(_), Some(_)) => {}
                    _ => {
                        let d = self.show_dim(dim);
                        self.runtime_check(e.span, format!("index within 0..{d}"));
                    }
                }
                Some(Vec::new())
            }
            Type::Tensor(it) if it.dtype.is_int() => {
                let d = self.show_dim(dim);
                self.runtime_check(e.span, format!("indices within 0..{d}"));
                Some(self.subst.shape(&it.shape).0)
            }
            other => {
                let shown = self.show(other);
                let mut d = Diagnostic::error(
                    Code::TypeMismatch,
                    e.span,
                    format!("index must be an integer or integer tensor, found {shown}"),
                )
                .with_label(format!("this is {shown}"));
                if matches!(other, Type::Tensor(it) if it.dtype == DType::Bool) {
                    d = d.with_help("boolean masks would make the shape depend on the data; use `where(mask, x, y)`");
                }
                self.error(d);
                None
            }
        }
    }

    fn slice(
        &mut self,
        start: Option<&Expr>,
        end: Option<&Expr>,
        step: Option<&Expr>,
        dim: &Dim,
        span: Span,
    ) -> Option<Dim> {
        let dim = self.subst.dim(dim);
        let bound = |fc: &mut Self, e: Option<&Expr>, default: Dim| -> Option<Option<Dim>> {
            let Some(e) = e else {
                return Some(Some(default));
            };
            let t = fc.expr(e, None);
            fc.int_scalar(&t, e.span)?;
            Some(fc.size_of(e).map(|s| match s.as_constant() {
                Some(k) if k < 0 => dim.add(&Dim::constant(k)),
                _ => s,
            }))
        };
        let s = bound(self, start, Dim::constant(0))?;
        let e = bound(self, end, dim.clone())?;
        let k = match step {
            None => 1,
            Some(st) => {
                let t = self.expr(st, None);
                self.int_scalar(&t, st.span)?;
                match self.size_of(st).and_then(|d| d.as_constant()) {
                    Some(k) if k > 0 => k,
                    Some(k) => {
                        self.error(
                            Diagnostic::error(
                                Code::InvalidSlice,
                                st.span,
                                format!("slice step must be positive, found {k}"),
                            )
                            .with_label("step"),
                        );
                        return None;
                    }
                    None => {
                        self.error(
                            Diagnostic::error(Code::DynamicDimension, st.span, "slice step must be a constant")
                                .with_label("not a constant"),
                        );
                        return None;
                    }
                }
            }
        };
        let consts = (s.as_ref().and_then(Dim::as_constant), e.as_ref().and_then(Dim::as_constant), dim.as_constant());
        match consts {
            (Some(a), Some(b), Some(n)) if a < 0 || b > n || a > b => {
                self.error(
                    Diagnostic::error(
                        Code::InvalidSlice,
                        span,
                        format!("slice {a}:{b} is outside a dimension of size {n}"),
                    )
                    .with_label(format!("valid bounds are 0 to {n}, start before end")),
                );
                return None;
            }
            (Some(_), Some(_), Some(_)) => {}
            _ => {
                let shown = self.show_dim(&dim);
                self.runtime_check(span, format!("slice bounds within 0..{shown}"));
            }
        }
        let len = match (s, e) {
            (Some(s), Some(e)) => e.sub(&s),
            _ => {
                return Some(Dim::symbol(self.cx.symbols.fresh(
                    format!("len{}", span.start),
                    SymKind::Runtime,
                    false,
                    Some(span),
                )))
            }
        };
        if k == 1 {
            return Some(len);
        }
        Some(match len.as_constant() {
            Some(n) => Dim::constant((n + k - 1) / k),
            None => {
                let text = format!("ceil(({}) / {k})", self.show_dim(&len));
                Dim::symbol(self.cx.symbols.opaque(text))
            }
        })
    }
}
