//! Collects every module's declarations, resolves imports, and lowers signatures and fields
//! before any body is checked (so items may be used before they are defined).

use std::collections::HashMap;

use tf_base::{Code, Diagnostic, Span};
use tf_syntax::ast::{self, ItemKind, MemberKind};

use crate::checker::{BodyState, Checker, DeclInfo, DeclKind, FieldInfo, FnId, FnInfo, ItemRef};
use crate::dim::SymId;
use crate::lower_ty::{DimScope, NewDims};
use crate::program::ModuleId;
use crate::symbols::SymKind;
use crate::types::{DeclId, FnType, ParamType, Type};

impl<'a> Checker<'a> {
    /// Registers every item's name; reports duplicates and bad imports.
    pub fn collect_items(&mut self) {
        let program = self.program;
        let mut def_spans: HashMap<(usize, String), Span> = HashMap::new();
        for (mi, module) in program.modules.iter().enumerate() {
            let mid = ModuleId(mi as u32);
            for item in &module.ast.items {
                let (name, item_ref) = match &item.kind {
                    ItemKind::Use(u) => {
                        if let Some((_, target)) = module.imports.iter().find(|(s, _)| *s == item.span) {
                            let names = u.names.as_ref().map(|ns| ns.iter().map(|n| n.name.clone()).collect());
                            self.imports[mi].push((*target, names));
                        }
                        continue;
                    }
                    ItemKind::Fn(f) => (&f.name, ItemRef::Fn(self.add_fn(mid, f, None))),
                    ItemKind::Model(m) => {
                        (&m.name, ItemRef::Decl(self.add_decl(mid, &m.name, DeclKind::Model, item.span)))
                    }
                    ItemKind::Struct(s) => {
                        (&s.name, ItemRef::Decl(self.add_decl(mid, &s.name, DeclKind::Struct, item.span)))
                    }
                    ItemKind::Derivative(f) => {
                        self.derivatives.push((mid, f));
                        continue;
                    }
                    ItemKind::Error => continue,
                };
                let key = (mi, name.name.clone());
                if let Some(prev) = def_spans.get(&key) {
                    self.error(duplicate(&name.name, name.span, *prev));
                    continue;
                }
                def_spans.insert(key, name.span);
                self.namespaces[mi].insert(name.name.clone(), item_ref);
            }
        }
        self.check_selected_imports();
    }

    fn check_selected_imports(&mut self) {
        let program = self.program;
        for module in &program.modules {
            for item in &module.ast.items {
                let ItemKind::Use(u) = &item.kind else {
                    continue;
                };
                let Some((_, target)) = module.imports.iter().find(|(s, _)| *s == item.span) else {
                    continue;
                };
                for n in u.names.iter().flatten() {
                    if !self.namespaces[target.0 as usize].contains_key(&n.name) {
                        let candidates: Vec<&str> =
                            self.namespaces[target.0 as usize].keys().map(String::as_str).collect();
                        let mut d = Diagnostic::error(
                            Code::NotInModule,
                            n.span,
                            format!("module `{}` has no item `{}`", program.modules[target.0 as usize].name, n.name),
                        )
                        .with_label("not defined there");
                        if let Some(s) = tf_base::suggest::closest(&n.name, candidates) {
                            d = d.with_help(format!("did you mean `{s}`?"));
                        }
                        self.diagnostics.push(d);
                    }
                }
            }
        }
    }

    fn add_fn(&mut self, module: ModuleId, decl: &'a ast::FnDecl, owner: Option<DeclId>) -> FnId {
        self.fns.push(FnInfo {
            module,
            decl,
            owner,
            sig: FnType {
                name: decl.name.name.clone(),
                origin: None,
                generics: Vec::new(),
                params: Vec::new(),
                ret: Type::Unit,
            },
            has_self: false,
            declared_ret: decl.ret.is_some(),
            state: BodyState::NotChecked,
            dim_scope: HashMap::new(),
            param_spans: Vec::new(),
            derivative_of: None,
            custom_vjp: None,
        });
        FnId(self.fns.len() as u32 - 1)
    }

    fn add_decl(&mut self, module: ModuleId, name: &ast::Ident, kind: DeclKind, span: Span) -> DeclId {
        self.decls.push(DeclInfo {
            name: name.name.clone(),
            module,
            kind,
            generics: Vec::new(),
            dim_scope: HashMap::new(),
            fields: Vec::new(),
            methods: HashMap::new(),
            span: name.span.to(span),
            name_span: name.span,
        });
        DeclId(self.decls.len() as u32 - 1)
    }

    /// Lowers model and struct fields and every function signature.
    pub fn resolve_signatures(&mut self) {
        let program = self.program;
        // Generic parameters first, so that fields may name declarations from anywhere.
        let mut decl_index = 0u32;
        for module in &program.modules {
            for item in &module.ast.items {
                let generics = match &item.kind {
                    ItemKind::Model(m) => &m.generics,
                    ItemKind::Struct(s) => &s.generics,
                    _ => continue,
                };
                let id = DeclId(decl_index);
                decl_index += 1;
                self.declare_generics(id, generics);
            }
        }
        let mut decl_index = 0u32;
        for (mi, module) in program.modules.iter().enumerate() {
            let mid = ModuleId(mi as u32);
            for item in &module.ast.items {
                match &item.kind {
                    ItemKind::Model(m) => {
                        let id = next_decl(&mut decl_index);
                        self.resolve_decl(mid, id, model_fields(m));
                        for member in &m.members {
                            if let MemberKind::Method(f) = &member.kind {
                                if let Some(prev) = self.decl(id).methods.get(&f.name.name).copied() {
                                    let prev_span = self.func(prev).decl.name.span;
                                    self.error(duplicate(&f.name.name, f.name.span, prev_span));
                                    continue;
                                }
                                if self.decl(id).fields.iter().any(|fi| fi.name == f.name.name) {
                                    let prev_span = self
                                        .decl(id)
                                        .fields
                                        .iter()
                                        .find(|fi| fi.name == f.name.name)
                                        .map_or(f.name.span, |fi| fi.span);
                                    self.error(duplicate(&f.name.name, f.name.span, prev_span));
                                    continue;
                                }
                                let fid = self.add_fn(mid, f, Some(id));
                                self.decls[id.0 as usize].methods.insert(f.name.name.clone(), fid);
                            }
                        }
                    }
                    ItemKind::Struct(s) => {
                        let id = next_decl(&mut decl_index);
                        let fields = s.fields.iter().map(|f| (f.name.clone(), &f.ty, false, None, f.span)).collect();
                        self.resolve_decl(mid, id, fields);
                    }
                    _ => {}
                }
            }
        }
        for i in 0..self.fns.len() {
            self.resolve_fn_signature(FnId(i as u32));
        }
        for (module, decl) in std::mem::take(&mut self.derivatives) {
            self.resolve_derivative(module, decl);
        }
    }

    #[allow(clippy::type_complexity)]
    fn resolve_decl(
        &mut self,
        module: ModuleId,
        id: DeclId,
        fields: Vec<(ast::Ident, &'a ast::TypeExpr, bool, Option<&'a ast::Expr>, Span)>,
    ) {
        let mut names = self.decl(id).dim_scope.clone();
        let mut lowered = Vec::new();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for (name, ty, is_param, init, span) in fields {
            if let Some(prev) = seen.get(&name.name) {
                self.error(duplicate(&name.name, name.span, *prev));
                continue;
            }
            seen.insert(name.name.clone(), name.span);
            let mut scope = DimScope { names: &mut names, new_dims: NewDims::Forbidden, introduced: Vec::new() };
            let t = self.lower_type(module, ty, &mut scope);
            if is_param && !matches!(&t, Type::Tensor(tt) if tt.dtype.is_float()) && !t.is_error() {
                self.error(
                    Diagnostic::error(Code::TypeMismatch, ty.span, "a `param` must be a floating-point tensor")
                        .with_label("trainable parameters are differentiated, so they need a float type")
                        .with_help("declare a plain field (without `param`) for other values"),
                );
            }
            lowered.push(FieldInfo { name: name.name.clone(), ty: t, is_param, span, init });
        }
        self.decls[id.0 as usize].fields = lowered;
    }

    fn declare_generics(&mut self, id: DeclId, generics: &[ast::GenericParam]) {
        let mut names = HashMap::new();
        let mut syms = Vec::new();
        for g in generics {
            if let Some(&prev) = names.get(&g.name.name) {
                let prev_span = self.symbols.info(prev).span.unwrap_or(g.name.span);
                self.error(duplicate(&g.name.name, g.name.span, prev_span));
                continue;
            }
            let s = self.symbols.fresh(&g.name.name, SymKind::Generic, g.is_pack, Some(g.name.span));
            names.insert(g.name.name.clone(), s);
            syms.push(s);
        }
        let decl = &mut self.decls[id.0 as usize];
        decl.generics = syms;
        decl.dim_scope = names;
    }

    fn resolve_fn_signature(&mut self, id: FnId) {
        let info = self.func(id);
        let (decl, module, owner) = (info.decl, info.module, info.owner);
        let mut names: HashMap<String, SymId> = owner.map(|o| self.decl(o).dim_scope.clone()).unwrap_or_default();
        let mut generics = Vec::new();
        for g in &decl.generics {
            if names.contains_key(&g.name.name) && generics.iter().any(|s: &SymId| self.symbols.name(*s) == g.name.name)
            {
                self.error(duplicate(&g.name.name, g.name.span, g.name.span));
                continue;
            }
            let s = self.symbols.fresh(&g.name.name, SymKind::Generic, g.is_pack, Some(g.name.span));
            names.insert(g.name.name.clone(), s);
            generics.push(s);
        }
        let mut params = Vec::new();
        let mut spans = Vec::new();
        let mut has_self = false;
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for (i, p) in decl.params.iter().enumerate() {
            if let Some(prev) = seen.get(p.name.name.as_str()) {
                self.error(duplicate(&p.name.name, p.name.span, *prev));
            }
            seen.insert(&p.name.name, p.name.span);
            let Some(ty) = &p.ty else {
                if owner.is_none() || i != 0 {
                    self.error(
                        Diagnostic::error(
                            Code::SelfOutsideMethod,
                            p.span,
                            "`self` is only allowed as the first parameter of a model method",
                        )
                        .with_label("not allowed here"),
                    );
                } else {
                    has_self = true;
                }
                continue;
            };
            let mut scope = DimScope { names: &mut names, new_dims: NewDims::Generic, introduced: Vec::new() };
            let t = self.lower_type(module, ty, &mut scope);
            generics.extend(scope.introduced);
            params.push(ParamType {
                name: p.name.name.clone(),
                ty: t,
                has_default: p.default.is_some(),
                span: Some(ty.span),
            });
            spans.push(p.span);
        }
        let ret = match &decl.ret {
            Some(t) => {
                let mut scope = DimScope { names: &mut names, new_dims: NewDims::Generic, introduced: Vec::new() };
                let t = self.lower_type(module, t, &mut scope);
                generics.extend(scope.introduced);
                t
            }
            None => Type::Unit,
        };
        let info = &mut self.fns[id.0 as usize];
        info.sig = FnType { name: decl.name.name.clone(), origin: Some(id.0), generics, params, ret };
        info.has_self = has_self;
        info.dim_scope = names;
        info.param_spans = spans;
    }
}

type FieldRow<'a> = (ast::Ident, &'a ast::TypeExpr, bool, Option<&'a ast::Expr>, Span);

fn model_fields(m: &ast::ModelDecl) -> Vec<FieldRow<'_>> {
    m.members
        .iter()
        .filter_map(|member| match &member.kind {
            MemberKind::Param { name, ty, init } => Some((name.clone(), ty, true, init.as_ref(), member.span)),
            MemberKind::Field { name, ty, init } => Some((name.clone(), ty, false, init.as_ref(), member.span)),
            _ => None,
        })
        .collect()
}

/// Declarations are numbered in the order `collect_items` registered them (duplicates included).
fn next_decl(next: &mut u32) -> DeclId {
    let id = DeclId(*next);
    *next += 1;
    id
}

pub fn duplicate(name: &str, span: Span, prev: Span) -> Diagnostic {
    let mut d = Diagnostic::error(Code::DuplicateDefinition, span, format!("`{name}` is defined more than once"))
        .with_label("redefined here");
    if prev != span {
        d = d.with_secondary(prev, "first defined here");
    }
    d
}

impl<'a> Checker<'a> {
    /// A `derivative f(x, dy)` rule: its signature follows from `f`'s (same generics and
    /// parameter types, then the result's cotangent; returns the float parameters' cotangents).
    fn resolve_derivative(&mut self, module: ModuleId, decl: &'a ast::FnDecl) {
        let mismatch = |span: Span, msg: String| Diagnostic::error(Code::DerivativeMismatch, span, msg);
        let primal = match self.namespaces[module.0 as usize].get(&decl.name.name) {
            Some(ItemRef::Fn(p)) if self.func(*p).owner.is_none() => *p,
            _ => {
                let d =
                    mismatch(decl.name.span, format!("no function `{}` in this file to differentiate", decl.name.name))
                        .with_label("rules name a top-level function of the same file");
                self.error(d);
                return;
            }
        };
        let p = self.func(primal);
        if let Some(prev) = p.custom_vjp {
            let prev_span = self.func(prev).decl.name.span;
            self.error(
                duplicate(&decl.name.name, decl.name.span, prev_span)
                    .with_note("a function has at most one derivative rule"),
            );
            return;
        }
        let want = p.sig.params.len() + 1;
        if decl.params.len() != want {
            let d = mismatch(
                decl.params.first().map_or(decl.name.span, |x| x.span).to(decl.name.span),
                format!(
                "the rule for `{}` takes {want} parameters ({} of the function, then the result's cotangent), {} given",
                decl.name.name,
                want - 1,
                decl.params.len()
            ),
            )
            .with_label(format!("expected {want}"));
            self.error(d);
            return;
        }
        let floats: Vec<Type> = p.sig.params.iter().map(|q| q.ty.clone()).filter(differentiable).collect();
        if floats.is_empty() {
            self.error(
                mismatch(
                    decl.name.span,
                    format!("`{}` has no floating-point parameter to differentiate", decl.name.name),
                )
                .with_label("nothing to differentiate"),
            );
            return;
        }
        let ret = if floats.len() == 1 { floats[0].clone() } else { Type::Tuple(floats) };
        let mut params: Vec<ParamType> = p
            .sig
            .params
            .iter()
            .zip(&decl.params)
            .map(|(q, n)| ParamType { name: n.name.name.clone(), ty: q.ty.clone(), has_default: false, span: q.span })
            .collect();
        let cot = &decl.params[want - 1];
        params.push(ParamType { name: cot.name.name.clone(), ty: p.sig.ret.clone(), has_default: false, span: None });
        let sig = FnType {
            name: format!("derivative {}", decl.name.name),
            origin: None,
            generics: p.sig.generics.clone(),
            params,
            ret,
        };
        let dim_scope = p.dim_scope.clone();
        let id = self.add_fn(module, decl, None);
        let spans = decl.params.iter().map(|x| x.span).collect();
        let info = &mut self.fns[id.0 as usize];
        info.sig = FnType { origin: Some(id.0), ..sig };
        info.declared_ret = true;
        info.dim_scope = dim_scope;
        info.param_spans = spans;
        info.derivative_of = Some(primal);
        self.fns[primal.0 as usize].custom_vjp = Some(id);
    }
}

/// Whether a parameter type has a derivative (floating-point tensors, models, structs).
fn differentiable(t: &Type) -> bool {
    match t {
        Type::Tensor(tt) => tt.dtype.is_float(),
        Type::Model(..) | Type::Struct(..) => true,
        Type::Tuple(ts) => ts.iter().all(differentiable),
        _ => false,
    }
}
