//! How types and shapes are written in messages and signatures: `f32[B, 64]`, `Dense[64, 128]`.

use crate::checker::Checker;
use crate::dim::Dim;
use crate::symbols::Subst;
use crate::types::{Shape, ShapeItem, Type};

impl Checker<'_> {
    pub fn show_dim(&self, d: &Dim, subst: &Subst) -> String {
        subst.dim(d).display(&|s| self.symbols.name(s))
    }

    pub fn show_shape(&self, shape: &Shape, subst: &Subst) -> String {
        let shape = subst.shape(shape);
        let items: Vec<String> = shape
            .0
            .iter()
            .map(|i| match i {
                ShapeItem::Dim(d) => d.display(&|s| self.symbols.name(s)),
                ShapeItem::Pack(p) => format!("..{}", self.symbols.name(*p)),
            })
            .collect();
        format!("[{}]", items.join(", "))
    }

    pub fn show(&self, t: &Type, subst: &Subst) -> String {
        match t {
            Type::Tensor(tt) if tt.shape.is_scalar() => tt.dtype.name().to_string(),
            Type::Tensor(tt) => {
                let shape = subst.shape(&tt.shape);
                if shape.is_scalar() {
                    return tt.dtype.name().to_string();
                }
                format!("{}{}", tt.dtype.name(), self.show_shape(&shape, subst))
            }
            Type::Tuple(ts) => format!("({})", ts.iter().map(|t| self.show(t, subst)).collect::<Vec<_>>().join(", ")),
            Type::List(t, n) => format!("[{}; {n}]", self.show(t, subst)),
            Type::Model(id, dims) | Type::Struct(id, dims) | Type::DeclValue(id, dims) => {
                let name = &self.decl(*id).name;
                let shown = if dims.is_empty() {
                    name.clone()
                } else {
                    format!("{name}[{}]", dims.iter().map(|d| self.show_dim(d, subst)).collect::<Vec<_>>().join(", "))
                };
                if matches!(t, Type::DeclValue(..)) {
                    format!("type {shown}")
                } else {
                    shown
                }
            }
            Type::Fn(f) => {
                let params: Vec<String> =
                    f.params.iter().map(|p| format!("{}: {}", p.name, self.show(&p.ty, subst))).collect();
                format!("fn({}) -> {}", params.join(", "), self.show(&f.ret, subst))
            }
            Type::Builtin(i) => format!("builtin fn {}", crate::builtins::name(*i)),
            Type::DTypeValue(d) => format!("type {}", d.name()),
            Type::Str => "str".into(),
            Type::Range(d) => format!("range of {}", d.name()),
            Type::Archive => "archive (contents known at run time)".into(),
            Type::DynTensor => "tensor (type known at run time)".into(),
            Type::Unit => "()".into(),
            Type::Error => "{error}".into(),
        }
    }
}
