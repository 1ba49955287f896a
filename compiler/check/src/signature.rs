//! Writes inferred signatures (`tfc check --print-signatures`): functions with their shapes,
//! and models with their fields and parameter counts.

use std::collections::HashMap;

use crate::checker::{Checker, DeclKind, FnId};
use crate::dim::SymId;
use crate::program::Signature;
use crate::symbols::Subst;
use crate::types::{DeclId, Type};
use crate::unify::instantiate;

impl Checker<'_> {
    pub fn fn_signature(&self, id: FnId) -> Signature {
        let info = self.func(id);
        let subst = Subst::default();
        let generics: Vec<String> = info
            .sig
            .generics
            .iter()
            .map(|g| {
                let i = self.symbols.info(*g);
                if i.is_pack {
                    format!("..{}", i.name)
                } else {
                    i.name.clone()
                }
            })
            .collect();
        let mut params: Vec<String> = Vec::new();
        if info.has_self {
            params.push("self".into());
        }
        params.extend(info.sig.params.iter().map(|p| format!("{}: {}", p.name, self.show(&p.ty, &subst))));
        let name = match info.owner {
            Some(o) => format!("{}.{}", self.decl(o).name, info.sig.name),
            None => info.sig.name.clone(),
        };
        let mut text = format!("fn {name}");
        if !generics.is_empty() {
            text.push_str(&format!("[{}]", generics.join(", ")));
        }
        text.push_str(&format!("({})", params.join(", ")));
        if info.sig.ret != Type::Unit {
            text.push_str(&format!(" -> {}", self.show(&info.sig.ret, &subst)));
        }
        Signature { module: info.module, name, text, span: info.decl.name.span }
    }

    pub fn decl_signature(&self, id: DeclId) -> Signature {
        let d = self.decl(id);
        let subst = Subst::default();
        let kw = if d.kind == DeclKind::Model { "model" } else { "struct" };
        let generics: Vec<String> = d.generics.iter().map(|g| self.symbols.name(*g)).collect();
        let mut text = format!("{kw} {}", d.name);
        if !generics.is_empty() {
            text.push_str(&format!("[{}]", generics.join(", ")));
        }
        let fields: Vec<String> = d
            .fields
            .iter()
            .map(|f| format!("{}{}: {}", if f.is_param { "param " } else { "" }, f.name, self.show(&f.ty, &subst)))
            .collect();
        text.push_str(&format!(" {{ {} }}", fields.join(", ")));
        if d.kind == DeclKind::Model && d.generics.is_empty() {
            if let Some(n) = self.param_count(id, &HashMap::new(), 0) {
                text.push_str(&format!("  // {} parameters", group_digits(n)));
            }
        }
        Signature { module: d.module, name: d.name.clone(), text, span: d.span }
    }

    /// Number of trainable scalars in a model instance, when every size is a constant.
    fn param_count(&self, id: DeclId, args: &HashMap<SymId, crate::dim::Dim>, depth: usize) -> Option<i64> {
        if depth > 16 {
            return None;
        }
        let mut total = 0i64;
        for f in &self.decl(id).fields {
            match instantiate(&f.ty, args, &HashMap::new()) {
                Type::Tensor(t) if f.is_param => {
                    let dims = t.shape.dims()?;
                    total += dims.iter().map(|d| d.as_constant()).product::<Option<i64>>()?;
                }
                Type::Model(sub, dims) => {
                    let map = self.decl(sub).generics.iter().copied().zip(dims).collect();
                    total += self.param_count(sub, &map, depth + 1)?;
                }
                _ => {}
            }
        }
        Some(total)
    }
}

fn group_digits(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
