//! Unification of types and symbolic shapes: binds call-site unknowns, proves dimensions equal,
//! records run-time checks where only the running program can tell, and words the mismatches.

use std::collections::HashMap;

use tf_base::{Code, Diagnostic, Span};

use crate::body::FnChecker;
use crate::dim::{Dim, SymId};
use crate::symbols::SymKind;
use crate::types::{DType, FnType, ParamType, Shape, ShapeItem, TensorType, Type};

/// Why two types could not be made equal.
#[derive(Clone, Debug)]
pub enum Mismatch {
    Kind,
    DType(DType, DType),
    Rank,
    /// A dimension differs; `conflict` names a generic already bound elsewhere.
    Dim {
        want: Dim,
        got: Dim,
        conflict: Option<(SymId, Span)>,
    },
}

/// The outcome of comparing two dimensions without binding anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DimCmp {
    Equal,
    /// Only the running program can tell; a check has been recorded.
    AtRuntime,
    Unequal,
}

impl FnChecker<'_, '_> {
    /// Compares two dimensions; where runtime-sized symbols make it undecidable, records a check.
    pub fn dims_cmp(&mut self, a: &Dim, b: &Dim, span: Span) -> DimCmp {
        let (a, b) = (self.subst.dim(a), self.subst.dim(b));
        let diff = a.sub(&b);
        if diff.is_zero() {
            return DimCmp::Equal;
        }
        if diff.as_constant().is_some() {
            return DimCmp::Unequal;
        }
        if diff.symbols().any(|s| self.cx.symbols.kind(s) == SymKind::Runtime) {
            let text = format!("{} == {}", self.show_dim(&a), self.show_dim(&b));
            self.runtime_check(span, text);
            self.refine(&diff);
            return DimCmp::AtRuntime;
        }
        DimCmp::Unequal
    }

    /// After a recorded check `diff == 0`, later code may rely on it: solve for a runtime symbol.
    fn refine(&mut self, diff: &Dim) {
        let runtime: Vec<SymId> = diff.symbols().filter(|s| self.cx.symbols.kind(*s) == SymKind::Runtime).collect();
        for s in runtime.into_iter().rev() {
            if let Some((c, rest)) = diff.linear_in(s) {
                if let Some(value) = rest.neg().div_exact(c) {
                    if !value.symbols().any(|x| x == s) {
                        self.subst.bind_dim(s, value, None);
                        return;
                    }
                }
            }
        }
    }

    pub fn unify_dim(&mut self, want: &Dim, got: &Dim, at: Span) -> Result<(), Mismatch> {
        let (w, g) = (self.subst.dim(want), self.subst.dim(got));
        let diff = w.sub(&g);
        if diff.is_zero() {
            return Ok(());
        }
        let flex: Vec<SymId> = diff.symbols().filter(|s| self.cx.symbols.kind(*s) == SymKind::Flex).collect();
        for s in &flex {
            if let Some((c, rest)) = diff.linear_in(*s) {
                if let Some(value) = rest.neg().div_exact(c) {
                    self.subst.bind_dim(*s, value, Some(at));
                    return Ok(());
                }
            }
        }
        if flex.is_empty() && self.dims_cmp(&w, &g, at) == DimCmp::AtRuntime {
            return Ok(());
        }
        let conflict = want
            .as_symbol()
            .filter(|s| self.cx.symbols.kind(*s) == SymKind::Flex)
            .and_then(|s| self.subst.bound_at.get(&s).map(|span| (s, *span)));
        Err(Mismatch::Dim { want: w, got: g, conflict })
    }

    pub fn unify_shape(&mut self, want: &Shape, got: &Shape, at: Span) -> Result<(), Mismatch> {
        let (want, got) = (self.subst.expand_packs(want), self.subst.shape(got));
        let pack_at = want.0.iter().position(|i| matches!(i, ShapeItem::Pack(_)));
        match pack_at {
            None => {
                if got.has_pack() || want.0.len() != got.0.len() {
                    return Err(Mismatch::Rank);
                }
                for (w, g) in want.0.iter().zip(&got.0) {
                    if let (ShapeItem::Dim(w), ShapeItem::Dim(g)) = (w, g) {
                        self.unify_dim(w, g, at)?;
                    }
                }
                Ok(())
            }
            Some(p) => {
                let suffix = want.0.len() - p - 1;
                if got.0.len() < p + suffix {
                    return Err(Mismatch::Rank);
                }
                let middle = got.0[p..got.0.len() - suffix].to_vec();
                for (w, g) in want.0[..p]
                    .iter()
                    .zip(&got.0[..p])
                    .chain(want.0[p + 1..].iter().zip(&got.0[got.0.len() - suffix..]))
                {
                    match (w, g) {
                        (ShapeItem::Dim(w), ShapeItem::Dim(g)) => self.unify_dim(w, g, at)?,
                        _ => return Err(Mismatch::Rank),
                    }
                }
                let ShapeItem::Pack(sym) = want.0[p] else {
                    return Err(Mismatch::Rank);
                };
                if self.cx.symbols.kind(sym) == SymKind::Flex && !self.subst.is_bound(sym) {
                    self.subst.bind_pack(sym, middle);
                    Ok(())
                } else if middle == [ShapeItem::Pack(sym)] {
                    Ok(())
                } else {
                    Err(Mismatch::Rank)
                }
            }
        }
    }

    pub fn unify(&mut self, want: &Type, got: &Type, at: Span) -> Result<(), Mismatch> {
        match (want, got) {
            (Type::Error, _) | (_, Type::Error) => Ok(()),
            (Type::Tensor(w), Type::Tensor(g)) => {
                let dtype_ok = w.dtype == g.dtype
                    || (g.dtype == DType::IntLit && w.dtype.is_numeric())
                    || (g.dtype == DType::FloatLit && w.dtype.is_float())
                    || (w.dtype.is_literal() && DType::join(w.dtype, g.dtype).is_some());
                if !dtype_ok {
                    return Err(Mismatch::DType(w.dtype, g.dtype));
                }
                self.unify_shape(&w.shape, &g.shape, at)
            }
            (Type::Tensor(_), Type::DynTensor) => {
                let shown = self.show(want);
                self.runtime_check(at, format!("data matches {shown}"));
                Ok(())
            }
            (Type::Tuple(ws), Type::Tuple(gs)) if ws.len() == gs.len() => {
                for (w, g) in ws.iter().zip(gs) {
                    self.unify(w, g, at)?;
                }
                Ok(())
            }
            (Type::List(w, n), Type::List(g, m)) if n == m => self.unify(w, g, at),
            (Type::Model(a, wd), Type::Model(b, gd)) | (Type::Struct(a, wd), Type::Struct(b, gd)) if a == b => {
                for (w, g) in wd.iter().zip(gd) {
                    self.unify_dim(w, g, at)?;
                }
                Ok(())
            }
            (Type::Fn(_), Type::Fn(_) | Type::Builtin(_)) => Ok(()),
            (Type::Str, Type::Str) | (Type::Unit, Type::Unit) | (Type::Archive, Type::Archive) => Ok(()),
            (Type::Range(a), Type::Range(b)) if DType::join(*a, *b).is_some() => Ok(()),
            _ => Err(Mismatch::Kind),
        }
    }

    /// Requires `got` to be usable where `want` is; reports a mismatch at `span`, with the
    /// place that required `want` as a secondary label. Returns whether it matched.
    pub fn expect_type(&mut self, want: &Type, got: &Type, span: Span, required_by: Option<(Span, &str)>) -> bool {
        match self.unify(want, got, span) {
            Ok(()) => true,
            Err(m) => {
                let d = self.mismatch_diagnostic(m, want, got, span, required_by);
                self.error(d);
                false
            }
        }
    }

    pub fn mismatch_diagnostic(
        &self,
        m: Mismatch,
        want: &Type,
        got: &Type,
        span: Span,
        required_by: Option<(Span, &str)>,
    ) -> Diagnostic {
        let (w, g) = (self.show(want), self.show(got));
        let mut d = match m {
            Mismatch::Kind => Diagnostic::error(Code::TypeMismatch, span, format!("expected {w}, found {g}"))
                .with_label(format!("this is {g}")),
            Mismatch::DType(a, b) => Diagnostic::error(
                Code::DtypeMismatch,
                span,
                format!("expected element type {}, found {}", a.name(), b.name()),
            )
            .with_label(format!("this is {g}"))
            .with_help(format!("convert explicitly: `{}(...)`", a.defaulted().name())),
            Mismatch::Rank => Diagnostic::error(Code::RankMismatch, span, format!("expected {w}, found {g}"))
                .with_label(format!("this is {g}"))
                .with_note(format!("expected {}, found {}", rank_text(want), rank_text(got))),
            Mismatch::Dim { want: wd, got: gd, conflict: Some((sym, first)) } => {
                let name = self.cx.symbols.name(sym);
                Diagnostic::error(Code::DimensionConflict, span, format!("conflicting values for dimension `{name}`"))
                    .with_label(format!("this is {g}, so `{name}` would be {}", self.show_dim(&gd)))
                    .with_secondary(first, format!("`{name}` = {} from here", self.show_dim(&wd)))
            }
            Mismatch::Dim { want: wd, got: gd, .. } => {
                Diagnostic::error(Code::ShapeMismatch, span, format!("mismatched shapes: expected {w}, found {g}"))
                    .with_label(format!("this is {g}"))
                    .with_note(format!("dimension {} differs from {}", self.show_dim(&gd), self.show_dim(&wd)))
            }
        };
        if let Some((s, what)) = required_by {
            d = d.with_secondary(s, format!("{w} {what}"));
        }
        d
    }
}

fn rank_text(t: &Type) -> String {
    match t {
        Type::Tensor(TensorType { shape, .. }) => match shape.rank() {
            Some(1) => "1 dimension".into(),
            Some(r) => format!("{r} dimensions"),
            None => "any number of dimensions".into(),
        },
        _ => "no dimensions".into(),
    }
}

/// Replaces generic symbols by the given dimensions and packs throughout a type.
pub fn instantiate(t: &Type, dims: &HashMap<SymId, Dim>, packs: &HashMap<SymId, SymId>) -> Type {
    let d = |x: &Dim| x.substitute(&|s| dims.get(&s).cloned());
    match t {
        Type::Tensor(tt) => {
            let items = tt
                .shape
                .0
                .iter()
                .map(|i| match i {
                    ShapeItem::Dim(x) => ShapeItem::Dim(d(x)),
                    ShapeItem::Pack(p) => ShapeItem::Pack(*packs.get(p).unwrap_or(p)),
                })
                .collect();
            Type::tensor(tt.dtype, Shape(items))
        }
        Type::Tuple(ts) => Type::Tuple(ts.iter().map(|t| instantiate(t, dims, packs)).collect()),
        Type::List(t, n) => Type::List(Box::new(instantiate(t, dims, packs)), *n),
        Type::Model(id, ds) => Type::Model(*id, ds.iter().map(d).collect()),
        Type::Struct(id, ds) => Type::Struct(*id, ds.iter().map(d).collect()),
        Type::DeclValue(id, ds) => Type::DeclValue(*id, ds.iter().map(d).collect()),
        Type::Fn(f) => Type::Fn(Box::new(FnType {
            name: f.name.clone(),
            origin: f.origin,
            generics: f.generics.clone(),
            params: f
                .params
                .iter()
                .map(|p| ParamType {
                    name: p.name.clone(),
                    ty: instantiate(&p.ty, dims, packs),
                    has_default: p.has_default,
                    span: p.span,
                })
                .collect(),
            ret: instantiate(&f.ret, dims, packs),
        })),
        other => other.clone(),
    }
}
