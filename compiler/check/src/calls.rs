//! Calls: functions, methods (and any function called as a method), models (their `apply`),
//! `Model.init`, struct constructors and casts; argument matching and generic instantiation.

use std::collections::HashMap;

use tf_base::{Code, Diagnostic, Span};
use tf_syntax::ast::{Arg, Expr, ExprKind, Ident, IndexArg};

use crate::body::FnChecker;
use crate::checker::{DeclKind, ItemRef};
use crate::dim::{Dim, SymId};
use crate::lower_ty::plural;
use crate::symbols::SymKind;
use crate::typed::Callee;
use crate::types::{DeclId, FnType, ParamType, Shape, ShapeItem, Type};
use crate::unify::instantiate;

/// An evaluated argument.
#[derive(Clone, Debug)]
pub struct ArgVal {
    pub ty: Type,
    pub span: Span,
    /// Its value as a size, for constant or size-valued integers (`axis: 1`, `k`).
    pub size: Option<Dim>,
    /// For list literals: each element as a size.
    pub list: Option<Vec<Option<Dim>>>,
    /// For `true`/`false` literals: the value.
    pub flag: Option<bool>,
    /// For list literals: each element's type and span.
    pub items: Option<Vec<(Type, Span)>>,
}

/// Where each parameter's argument comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Receiver,
    Arg(usize),
}

/// Everything a call site contributes, before arguments are checked.
pub struct CallSite<'e> {
    /// The call expression, for the side table of call targets.
    pub key: crate::typed::ExprKey,
    pub args: &'e [Arg],
    pub receiver: Option<ArgVal>,
    pub explicit: Option<(Vec<Dim>, Span)>,
    pub span: Span,
    pub callee_span: Span,
    pub expected: Option<Type>,
}

impl FnChecker<'_, '_> {
    pub fn call(&mut self, e: &Expr, callee: &Expr, args: &[Arg], expected: Option<&Type>) -> Type {
        let (base, explicit) = match &callee.kind {
            ExprKind::Index { expr, indices } if self.is_generic_callee(expr) => {
                (&**expr, Some((self.explicit_dims(indices), callee.span)))
            }
            _ => (callee, None),
        };
        let mut site = CallSite {
            key: (e.span.file, e.id),
            args,
            receiver: None,
            explicit,
            span: e.span,
            callee_span: base.span,
            expected: expected.cloned(),
        };
        if let ExprKind::Field { expr: recv, name } = &base.kind {
            let rt = self.expr(recv, None);
            return self.method_call(rt, recv, name, site);
        }
        let ct = self.expr(base, None);
        site.callee_span = base.span;
        self.call_value(ct, site)
    }

    fn is_generic_callee(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Name(n) => {
                self.local(&n.name).is_none()
                    && matches!(
                        self.cx.lookup(self.module, &n.name),
                        Some(ItemRef::Fn(_) | ItemRef::Builtin(_) | ItemRef::Decl(_))
                    )
            }
            _ => false,
        }
    }

    pub fn explicit_dims(&mut self, indices: &[IndexArg]) -> Vec<Dim> {
        let mut dims = Vec::new();
        for i in indices {
            let (size, span) = match i {
                IndexArg::Expr(e) => (self.size_of(e), e.span),
                IndexArg::Slice { span, .. } | IndexArg::Ellipsis(span) => (None, *span),
            };
            match size {
                Some(d) => dims.push(d),
                None => {
                    self.error(
                        Diagnostic::error(
                            Code::DynamicDimension,
                            span,
                            "a dimension argument must be a size known before the program runs",
                        )
                        .with_label("not a constant or dimension name"),
                    );
                    dims.push(Dim::constant(1));
                }
            }
        }
        dims
    }

    fn method_call(&mut self, rt: Type, recv: &Expr, name: &Ident, mut site: CallSite) -> Type {
        site.callee_span = name.span;
        match &rt {
            Type::Error => {
                self.skip_args(site.args);
                Type::Error
            }
            Type::Model(..) | Type::Struct(..) => {
                let member = self.field(&rt, name, recv.span);
                self.call_value(member, site)
            }
            Type::DeclValue(id, dims) if name.name == "init" && self.cx.decl(*id).kind == DeclKind::Model => {
                self.model_init(*id, dims.clone(), site)
            }
            _ => match self.cx.lookup(self.module, &name.name) {
                Some(item) => {
                    let size = self.size_of(recv);
                    site.receiver = Some(ArgVal { ty: rt, span: recv.span, size, list: None, flag: None, items: None });
                    let ft = match item {
                        ItemRef::Fn(id) => self.fn_type(id),
                        ItemRef::Builtin(b) => Type::Builtin(b),
                        ItemRef::Decl(id) => Type::DeclValue(id, Vec::new()),
                    };
                    self.call_value(ft, site)
                }
                None => {
                    self.field(&rt, name, recv.span);
                    self.skip_args(site.args);
                    Type::Error
                }
            },
        }
    }

    /// A function's type; a function whose result type is inferred is checked first.
    pub fn fn_type(&mut self, id: crate::checker::FnId) -> Type {
        if !self.cx.func(id).declared_ret {
            let ret = self.cx.check_fn(id);
            if ret.is_error() {
                return Type::Error;
            }
        }
        Type::Fn(Box::new(self.cx.func(id).sig.clone()))
    }

    pub fn skip_args(&mut self, args: &[Arg]) {
        for a in args {
            self.expr(&a.value, None);
        }
    }

    fn call_value(&mut self, ct: Type, site: CallSite) -> Type {
        match ct {
            Type::Error => {
                self.skip_args(site.args);
                Type::Error
            }
            Type::Fn(f) => {
                let callee = f.origin.map_or(Callee::Value, Callee::Fn);
                self.call_fn(&f, site, callee)
            }
            Type::Builtin(b) => crate::builtins::call(self, b, site),
            Type::Model(id, dims) => match self.cx.decl(id).methods.get("apply").copied() {
                Some(m) => {
                    let decl = self.cx.decl(id);
                    let map: HashMap<SymId, Dim> = decl.generics.iter().copied().zip(dims).collect();
                    let sig = instantiate(&self.fn_type(m), &map, &HashMap::new());
                    let Type::Fn(f) = sig else { return Type::Error };
                    self.call_fn(&f, site, Callee::Fn(m.0))
                }
                None => {
                    let name = self.cx.decl(id).name.clone();
                    self.error(
                        Diagnostic::error(
                            Code::NotCallable,
                            site.callee_span,
                            format!("model `{name}` cannot be called"),
                        )
                        .with_label("it has no `apply` method")
                        .with_secondary(self.cx.decl(id).name_span, format!("`{name}` declared here"))
                        .with_help("define `fn apply(self, ...)` in the model to make it callable"),
                    );
                    self.skip_args(site.args);
                    Type::Error
                }
            },
            Type::DeclValue(id, dims) if self.cx.decl(id).kind == DeclKind::Struct => self.construct(id, dims, site),
            Type::DTypeValue(d) => {
                let key = site.key;
                match crate::builtins::BuiltinCall::new(self, d.name(), &["x"], site) {
                    Some(mut call) => {
                        self.record_call(key, Callee::Cast(d), Vec::new(), call.slots.clone());
                        crate::builtins::cast(self, &mut call, d)
                    }
                    None => Type::Error,
                }
            }
            other => {
                let shown = self.show(&other);
                let mut d = Diagnostic::error(Code::NotCallable, site.callee_span, format!("{shown} is not callable"))
                    .with_label(format!("this is {shown}"));
                if matches!(other, Type::DeclValue(..)) {
                    d = d.with_help("create a model with `Name.init(seed: 0)`");
                }
                self.error(d);
                self.skip_args(site.args);
                Type::Error
            }
        }
    }

    /// Matches arguments to parameters; reports unknown, repeated, extra and missing ones.
    pub fn match_args(
        &mut self,
        params: &[(String, bool)],
        site: &CallSite,
        what: &str,
    ) -> Option<Vec<Option<Source>>> {
        let mut slots: Vec<Option<Source>> = vec![None; params.len()];
        let mut next = 0;
        let mut ok = true;
        if site.receiver.is_some() {
            if params.is_empty() {
                ok = false;
            } else {
                slots[0] = Some(Source::Receiver);
                next = 1;
            }
        }
        for (i, a) in site.args.iter().enumerate() {
            match &a.name {
                None => {
                    if next >= params.len() {
                        self.error(
                            Diagnostic::error(
                                Code::WrongArgCount,
                                a.value.span,
                                format!(
                                    "{what} takes {} argument{}, more were given",
                                    params.len(),
                                    plural(params.len())
                                ),
                            )
                            .with_label("unexpected argument")
                            .with_secondary(site.callee_span, format!("{what} called here")),
                        );
                        ok = false;
                        break;
                    }
                    slots[next] = Some(Source::Arg(i));
                    next += 1;
                }
                Some(n) => match params.iter().position(|p| p.0 == n.name) {
                    Some(p) if slots[p].is_none() => slots[p] = Some(Source::Arg(i)),
                    Some(_) => {
                        self.error(
                            Diagnostic::error(
                                Code::BadKeywordArgument,
                                n.span,
                                format!("argument `{}` given twice", n.name),
                            )
                            .with_label("already given"),
                        );
                        ok = false;
                    }
                    None => {
                        let mut d = Diagnostic::error(
                            Code::BadKeywordArgument,
                            n.span,
                            format!("{what} has no parameter `{}`", n.name),
                        )
                        .with_label("unknown keyword argument");
                        if let Some(s) = tf_base::suggest::closest(&n.name, params.iter().map(|p| p.0.as_str())) {
                            d = d.with_help(format!("did you mean `{s}`?"));
                        }
                        self.error(d);
                        ok = false;
                    }
                },
            }
        }
        let missing: Vec<&str> = params
            .iter()
            .zip(&slots)
            .filter(|((_, has_default), s)| s.is_none() && !has_default)
            .map(|((n, _), _)| n.as_str())
            .collect();
        if ok && !missing.is_empty() {
            let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            self.error(
                Diagnostic::error(
                    Code::MissingArgument,
                    site.span,
                    format!("missing argument{} {list} in call to {what}", plural(missing.len())),
                )
                .with_label(format!("{list} not given")),
            );
            ok = false;
        }
        if !ok {
            self.skip_args(site.args);
            return None;
        }
        Some(slots)
    }

    fn call_fn(&mut self, f: &FnType, site: CallSite, callee: Callee) -> Type {
        let what = format!("`{}`", f.name);
        let (mut dims, mut packs) = (HashMap::new(), HashMap::new());
        for &g in &f.generics {
            let info = self.cx.symbols.info(g).clone();
            let fresh = self.cx.symbols.fresh(info.name, SymKind::Flex, info.is_pack, info.span);
            if info.is_pack {
                packs.insert(g, fresh);
            } else {
                dims.insert(g, Dim::symbol(fresh));
            }
        }
        let Type::Fn(inst) = instantiate(&Type::Fn(Box::new(f.clone())), &dims, &packs) else {
            return Type::Error;
        };
        if let Some((explicit, span)) = &site.explicit {
            let plain: Vec<SymId> = f.generics.iter().filter(|g| !self.cx.symbols.info(**g).is_pack).copied().collect();
            if explicit.len() > plain.len() {
                self.error(
                    Diagnostic::error(
                        Code::GenericArgCount,
                        *span,
                        format!(
                            "{what} takes {} dimension argument{}, {} given",
                            plain.len(),
                            plural(plain.len()),
                            explicit.len()
                        ),
                    )
                    .with_label("too many dimension arguments"),
                );
            }
            for (g, d) in plain.iter().zip(explicit) {
                if let Some(s) = dims.get(g).and_then(Dim::as_symbol) {
                    self.subst.bind_dim(s, d.clone(), Some(*span));
                }
            }
        }
        let params: Vec<(String, bool)> = inst.params.iter().map(|p| (p.name.clone(), p.has_default)).collect();
        let Some(slots) = self.match_args(&params, &site, &what) else {
            return Type::Error;
        };
        let generics: Vec<(SymId, Vec<ShapeItem>)> = f
            .generics
            .iter()
            .map(|g| match (dims.get(g), packs.get(g)) {
                (Some(d), _) => (*g, vec![ShapeItem::Dim(d.clone())]),
                (None, Some(p)) => (*g, vec![ShapeItem::Pack(*p)]),
                (None, None) => (*g, Vec::new()),
            })
            .collect();
        self.record_call(site.key, callee, generics, slots.clone());
        let receiver = site.receiver.clone();
        for (p, slot) in inst.params.iter().zip(slots) {
            let (got, span) = match slot {
                None => continue,
                Some(Source::Receiver) => match &receiver {
                    Some(r) => (r.ty.clone(), r.span),
                    None => continue,
                },
                Some(Source::Arg(i)) => {
                    let e = &site.args[i].value;
                    let hint = self.resolve(&p.ty);
                    (self.expr(e, Some(&hint)), e.span)
                }
            };
            self.expect_arg(p, &got, span);
        }
        let ret = self.resolve(&inst.ret);
        if let Some(exp) = &site.expected {
            let mut trial = self.subst.clone();
            std::mem::swap(&mut trial, &mut self.subst);
            let fits = self.unify(&ret, exp, site.span).is_ok();
            std::mem::swap(&mut trial, &mut self.subst);
            if fits {
                self.subst = trial;
            }
        }
        let ret = self.resolve(&inst.ret);
        self.report_unsolved(&ret, &site, &what)
    }

    fn expect_arg(&mut self, p: &ParamType, got: &Type, span: Span) {
        if let Err(m) = self.unify(&p.ty, got, span) {
            let what = format!("required by parameter `{}`", p.name);
            let d = match p.span {
                Some(at) => self.mismatch_diagnostic(m, &p.ty, got, span, Some((at, &what))),
                None => {
                    self.mismatch_diagnostic(m, &p.ty, got, span, None).with_note(format!("for parameter `{}`", p.name))
                }
            };
            self.error(d);
        }
    }

    /// A result mentioning call-site unknowns that nothing determined is an error.
    pub fn report_unsolved(&mut self, ret: &Type, site: &CallSite, what: &str) -> Type {
        let unsolved: Vec<SymId> =
            type_symbols(ret).into_iter().filter(|s| self.cx.symbols.kind(*s) == SymKind::Flex).collect();
        if let Some(s) = unsolved.first() {
            let name = self.cx.symbols.name(*s);
            self.error(
                Diagnostic::error(
                    Code::CannotInferDimension,
                    site.span,
                    format!("cannot infer dimension `{name}` of the result of {what}"),
                )
                .with_label(format!("`{name}` is not determined by the arguments"))
                .with_help(format!(
                    "give it explicitly, e.g. `{}[...](...)`, or annotate the binding's type",
                    what.trim_matches('`')
                )),
            );
            return Type::Error;
        }
        ret.clone()
    }

    pub fn resolve(&self, t: &Type) -> Type {
        match t {
            Type::Tensor(tt) => Type::tensor(tt.dtype, self.subst.shape(&tt.shape)),
            Type::Tuple(ts) => Type::Tuple(ts.iter().map(|t| self.resolve(t)).collect()),
            Type::List(t, n) => Type::List(Box::new(self.resolve(t)), *n),
            Type::Model(id, ds) => Type::Model(*id, ds.iter().map(|d| self.subst.dim(d)).collect()),
            Type::Struct(id, ds) => Type::Struct(*id, ds.iter().map(|d| self.subst.dim(d)).collect()),
            other => other.clone(),
        }
    }

    fn model_init(&mut self, id: DeclId, dims: Vec<Dim>, site: CallSite) -> Type {
        let params = vec![("seed".to_string(), true)];
        let name = self.cx.decl(id).name.clone();
        let what = format!("`{name}.init`");
        let Some(slots) = self.match_args(&params, &site, &what) else {
            return Type::Error;
        };
        self.record_call(site.key, Callee::ModelInit(id), Vec::new(), slots.clone());
        if let Some(Source::Arg(i)) = slots[0] {
            let e = &site.args[i].value;
            let t = self.expr(e, None);
            self.int_scalar(&t, e.span);
        }
        let generics = self.cx.decl(id).generics.len();
        if dims.len() == generics {
            return Type::Model(id, dims);
        }
        if let Some(Type::Model(eid, edims)) = &site.expected {
            if *eid == id {
                return Type::Model(id, edims.clone());
            }
        }
        self.error(
            Diagnostic::error(
                Code::CannotInferDimension,
                site.span,
                format!("cannot infer the dimensions of model `{name}`"),
            )
            .with_label(format!("`{name}` takes {generics} dimension argument{}", plural(generics)))
            .with_help(format!("give them explicitly: `{name}[...].init(...)`, or annotate the binding's type")),
        );
        Type::Error
    }

    fn construct(&mut self, id: DeclId, explicit_dims: Vec<Dim>, site: CallSite) -> Type {
        let decl = self.cx.decl(id);
        let name = decl.name.clone();
        let generics = decl.generics.clone();
        let mut map = HashMap::new();
        for (i, g) in generics.iter().enumerate() {
            let d = match explicit_dims.get(i) {
                Some(d) => d.clone(),
                None => Dim::symbol(self.cx.symbols.fresh(self.cx.symbols.name(*g), SymKind::Flex, false, None)),
            };
            map.insert(*g, d);
        }
        let fields: Vec<ParamType> = self
            .cx
            .decl(id)
            .fields
            .iter()
            .map(|f| ParamType {
                name: f.name.clone(),
                ty: instantiate(&f.ty, &map, &HashMap::new()),
                has_default: false,
                span: Some(f.span),
            })
            .collect();
        let result = Type::Struct(id, generics.iter().map(|g| map[g].clone()).collect());
        let sig = FnType { name: name.clone(), origin: None, generics: Vec::new(), params: fields, ret: result };
        self.call_fn(&sig, site, Callee::Struct(id))
    }
}

/// Every dimension or pack symbol mentioned in a type.
pub fn type_symbols(t: &Type) -> Vec<SymId> {
    let mut out = Vec::new();
    collect_symbols(t, &mut out);
    out
}

fn collect_symbols(t: &Type, out: &mut Vec<SymId>) {
    match t {
        Type::Tensor(tt) => shape_symbols(&tt.shape, out),
        Type::Tuple(ts) => ts.iter().for_each(|t| collect_symbols(t, out)),
        Type::List(t, _) => collect_symbols(t, out),
        Type::Model(_, ds) | Type::Struct(_, ds) => ds.iter().for_each(|d| out.extend(d.symbols())),
        _ => {}
    }
}

fn shape_symbols(s: &Shape, out: &mut Vec<SymId>) {
    for i in &s.0 {
        match i {
            ShapeItem::Dim(d) => out.extend(d.symbols()),
            ShapeItem::Pack(p) => out.push(*p),
        }
    }
}
