//! Turns written types (`f32[B, T - 1]`, `Dense[64, 128]`, `(f32, i32[N])`) into checker types.

use std::collections::HashMap;

use tf_base::suggest::closest;
use tf_base::{Code, Diagnostic};
use tf_syntax::ast::{DimExpr, DimKind, TypeExpr, TypeKind};

use crate::checker::{Checker, DeclKind, ItemRef};
use crate::dim::{Dim, SymId};
use crate::program::ModuleId;
use crate::symbols::SymKind;
use crate::types::{DType, Shape, ShapeItem, Type};

/// What an unknown dimension name means where a type is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewDims {
    /// In a function signature: an implicit generic parameter.
    Generic,
    /// In a `let` annotation: a runtime-sized dimension.
    Runtime,
    /// In a struct or model field: an error (generics must be declared).
    Forbidden,
}

pub struct DimScope<'s> {
    pub names: &'s mut HashMap<String, SymId>,
    pub new_dims: NewDims,
    /// Symbols introduced implicitly, in order (they become generics of a function).
    pub introduced: Vec<SymId>,
}

impl<'a> Checker<'a> {
    pub fn lower_type(&mut self, module: ModuleId, t: &TypeExpr, scope: &mut DimScope) -> Type {
        match &t.kind {
            TypeKind::Error => Type::Error,
            TypeKind::Tuple(items) => {
                if items.is_empty() {
                    return Type::Unit;
                }
                Type::Tuple(items.iter().map(|i| self.lower_type(module, i, scope)).collect())
            }
            TypeKind::Named { name, args } => {
                if let Some(dtype) = DType::from_name(&name.name) {
                    let shape = match args {
                        Some(dims) => self.lower_shape(dims, scope),
                        None => Shape::scalar(),
                    };
                    return Type::tensor(dtype, shape);
                }
                if name.name == "str" && args.is_none() {
                    return Type::Str;
                }
                match self.lookup(module, &name.name) {
                    Some(ItemRef::Decl(id)) => {
                        let dims: Vec<Dim> = args
                            .iter()
                            .flatten()
                            .filter_map(|d| match self.lower_dim_item(d, scope) {
                                ShapeItem::Dim(d) => Some(d),
                                ShapeItem::Pack(_) => None,
                            })
                            .collect();
                        let want = self.decl(id).generics.len();
                        if dims.len() != want {
                            let decl = self.decl(id);
                            let what = if decl.kind == DeclKind::Model { "model" } else { "struct" };
                            self.error(
                                Diagnostic::error(
                                    Code::GenericArgCount,
                                    t.span,
                                    format!(
                                        "{what} `{}` takes {want} dimension argument{}, {} given",
                                        name.name,
                                        plural(want),
                                        dims.len()
                                    ),
                                )
                                .with_label(format!("expected {want}"))
                                .with_secondary(decl.name_span, format!("`{}` declared here", name.name)),
                            );
                            return Type::Error;
                        }
                        match self.decl(id).kind {
                            DeclKind::Model => Type::Model(id, dims),
                            DeclKind::Struct => Type::Struct(id, dims),
                        }
                    }
                    _ => {
                        let mut candidates: Vec<String> = ["f32", "f64", "i32", "i64", "bool", "f16", "bf16", "str"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect();
                        candidates.extend(
                            self.visible_names(module)
                                .into_iter()
                                .filter(|n| matches!(self.lookup(module, n), Some(ItemRef::Decl(_)))),
                        );
                        let mut d = Diagnostic::error(
                            Code::UndefinedType,
                            name.span,
                            format!("undefined type `{}`", name.name),
                        )
                        .with_label("not a type in scope");
                        if let Some(s) = closest(&name.name, candidates.iter().map(String::as_str)) {
                            d = d.with_help(format!("did you mean `{s}`?"));
                        }
                        self.error(d);
                        Type::Error
                    }
                }
            }
        }
    }

    pub fn lower_shape(&mut self, dims: &[DimExpr], scope: &mut DimScope) -> Shape {
        let mut items = Vec::new();
        let mut seen_pack = false;
        for d in dims {
            let item = self.lower_dim_item(d, scope);
            if matches!(item, ShapeItem::Pack(_)) {
                if seen_pack {
                    self.error(
                        Diagnostic::error(Code::InvalidRank, d.span, "a shape may contain at most one `..` pack")
                            .with_label("second pack"),
                    );
                    continue;
                }
                seen_pack = true;
            }
            items.push(item);
        }
        Shape(items)
    }

    fn lower_dim_item(&mut self, d: &DimExpr, scope: &mut DimScope) -> ShapeItem {
        if let DimKind::Pack(name) = &d.kind {
            return match self.dim_name(&name.name, d, scope, true) {
                Some(s) => ShapeItem::Pack(s),
                None => ShapeItem::Dim(Dim::constant(1)),
            };
        }
        ShapeItem::Dim(self.lower_dim(d, scope))
    }

    pub fn lower_dim(&mut self, d: &DimExpr, scope: &mut DimScope) -> Dim {
        match &d.kind {
            DimKind::Int(v) => Dim::constant(*v),
            DimKind::Name(name) => match self.dim_name(&name.name, d, scope, false) {
                Some(s) => Dim::symbol(s),
                None => Dim::constant(1),
            },
            DimKind::Add(a, b) => self.lower_dim(a, scope).add(&self.lower_dim(b, scope)),
            DimKind::Sub(a, b) => self.lower_dim(a, scope).sub(&self.lower_dim(b, scope)),
            DimKind::Mul(a, b) => {
                let (x, y) = (self.lower_dim(a, scope), self.lower_dim(b, scope));
                if x.as_constant().is_none() && y.as_constant().is_none() {
                    self.error(
                        Diagnostic::error(Code::DynamicDimension, d.span, "dimension arithmetic must be linear")
                            .with_label("product of two dimension names")
                            .with_help("multiply a dimension name by a constant only, e.g. `2 * H`"),
                    );
                }
                x.mul(&y)
            }
            DimKind::Neg(a) => self.lower_dim(a, scope).neg(),
            DimKind::Pack(name) => {
                self.error(
                    Diagnostic::error(
                        Code::InvalidRank,
                        d.span,
                        format!("pack `..{}` inside dimension arithmetic", name.name),
                    )
                    .with_label("a pack stands for several dimensions"),
                );
                Dim::constant(1)
            }
            DimKind::Error => Dim::constant(1),
        }
    }

    fn dim_name(&mut self, name: &str, d: &DimExpr, scope: &mut DimScope, is_pack: bool) -> Option<SymId> {
        if let Some(&s) = scope.names.get(name) {
            if self.symbols.info(s).is_pack != is_pack {
                let (is, used) = if is_pack { ("a dimension", "a pack") } else { ("a pack", "a dimension") };
                self.error(
                    Diagnostic::error(Code::InvalidRank, d.span, format!("`{name}` is {is}, used as {used}"))
                        .with_label(if is_pack { "written `..` here" } else { "write `..` before a pack" }),
                );
                return None;
            }
            return Some(s);
        }
        let kind = match scope.new_dims {
            NewDims::Generic => SymKind::Generic,
            NewDims::Runtime => SymKind::Runtime,
            NewDims::Forbidden => {
                self.error(
                    Diagnostic::error(Code::UndeclaredDimension, d.span, format!("undeclared dimension `{name}`"))
                        .with_label("not a generic parameter of this declaration")
                        .with_help(format!("declare it: `[{name}]` after the declaration's name")),
                );
                return None;
            }
        };
        let s = self.symbols.fresh(name, kind, is_pack, Some(d.span));
        scope.names.insert(name.to_string(), s);
        scope.introduced.push(s);
        Some(s)
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
