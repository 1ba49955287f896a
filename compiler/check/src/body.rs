//! Checks function bodies: locals and scopes, statements, blocks and return values.

use std::collections::HashMap;

use tf_base::{Code, Diagnostic, Span};
use tf_syntax::ast::{Block, Pattern, PatternKind, Stmt, StmtKind};

use crate::checker::{BodyState, Checker, FnId};
use crate::dim::{Dim, SymId};
use crate::lower_ty::{DimScope, NewDims};
use crate::program::{ModuleId, RuntimeCheck};
use crate::symbols::{Subst, SymKind};
use crate::typed::{CallInfo, Callee, ExprKey};
use crate::types::{DType, DeclId, Type};

#[derive(Clone, Debug)]
pub struct Local {
    pub ty: Type,
    pub mutable: bool,
    pub span: Span,
    /// For integer scalars whose value is a known size expression (`let k = T - 1`, loop indices).
    pub size: Option<Dim>,
}

/// The state of checking one body.
pub struct FnChecker<'c, 'a> {
    pub cx: &'c mut Checker<'a>,
    pub module: ModuleId,
    pub subst: Subst,
    scopes: Vec<HashMap<String, Local>>,
    pub dims: HashMap<String, SymId>,
    pub self_ty: Option<Type>,
    /// The declared return type and where it was written.
    pub ret: Option<(Type, Span)>,
    pub returns: Vec<Type>,
    pub loop_depth: usize,
    /// Set once the body contains a syntax error: names it would have defined may be missing,
    /// so "undefined name" and "no value" errors would be follow-ons and are not reported.
    pub broken: bool,
    /// Every expression's type as checked, resolved when the body is done.
    recorded: Vec<(ExprKey, Type)>,
    pending_calls: Vec<(ExprKey, CallInfo)>,
    pending_sizes: Vec<(ExprKey, Dim)>,
}

impl<'c, 'a> FnChecker<'c, 'a> {
    pub fn new(cx: &'c mut Checker<'a>, module: ModuleId, dims: HashMap<String, SymId>) -> Self {
        FnChecker {
            cx,
            module,
            subst: Subst::default(),
            scopes: vec![HashMap::new()],
            dims,
            self_ty: None,
            ret: None,
            returns: Vec::new(),
            loop_depth: 0,
            broken: false,
            recorded: Vec::new(),
            pending_calls: Vec::new(),
            pending_sizes: Vec::new(),
        }
    }

    pub fn record_type(&mut self, key: ExprKey, ty: &Type) {
        self.recorded.push((key, ty.clone()));
    }

    pub fn record_call(
        &mut self,
        key: ExprKey,
        callee: Callee,
        generics: Vec<(SymId, Vec<crate::types::ShapeItem>)>,
        slots: Vec<Option<crate::calls::Source>>,
    ) {
        self.pending_calls.push((key, CallInfo { callee, generics, slots }));
    }

    /// Moves what this body learnt into the checker's side tables, resolved through the
    /// substitution (call-site unknowns are solved by the time the body is done).
    pub fn finish(self) {
        let FnChecker { cx, subst, recorded, pending_calls, pending_sizes, .. } = self;
        for (key, size) in pending_sizes {
            cx.typed.sizes.insert(key, subst.dim(&size));
        }
        for (key, ty) in recorded {
            let ty = resolve_type(&subst, &ty);
            cx.typed.types.insert(key, ty);
        }
        for (key, mut info) in pending_calls {
            for (_, items) in &mut info.generics {
                *items = subst.shape(&crate::types::Shape(std::mem::take(items))).0;
            }
            cx.typed.calls.insert(key, info);
        }
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.cx.error(d);
    }

    pub fn show(&self, t: &Type) -> String {
        self.cx.show(t, &self.subst)
    }

    pub fn show_dim(&self, d: &Dim) -> String {
        self.cx.show_dim(d, &self.subst)
    }

    pub fn runtime_check(&mut self, span: Span, description: String) {
        self.cx.runtime_checks.push(RuntimeCheck { span, description });
    }

    pub fn push_scope(&mut self) {
        self.scopes.push(HashMap::new());
    }

    pub fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    pub fn define(&mut self, name: &str, local: Local) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), local);
        }
    }

    pub fn local(&self, name: &str) -> Option<&Local> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    pub fn local_names(&self) -> Vec<String> {
        self.scopes.iter().flat_map(|s| s.keys().cloned()).chain(self.dims.keys().cloned()).collect()
    }

    pub fn block(&mut self, block: &Block, expected: Option<&Type>) -> Type {
        self.push_scope();
        let mut ty = Type::Unit;
        let last = block.stmts.len().saturating_sub(1);
        for (i, stmt) in block.stmts.iter().enumerate() {
            ty = match &stmt.kind {
                StmtKind::Expr(e) if i == last => self.expr(e, expected),
                _ => {
                    self.stmt(stmt);
                    Type::Unit
                }
            };
        }
        self.pop_scope();
        ty
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Let { mutable, pattern, ty, value } => {
                let annotated = ty.as_ref().map(|t| {
                    let cx = &mut *self.cx;
                    let mut scope =
                        DimScope { names: &mut self.dims, new_dims: NewDims::Runtime, introduced: Vec::new() };
                    (cx.lower_type(self.module, t, &mut scope), t.span)
                });
                let value_ty = self.expr(value, annotated.as_ref().map(|a| &a.0));
                let bound = match annotated {
                    Some((want, span)) => {
                        if value_ty == Type::DynTensor {
                            // The lowering reads the file with the declared type.
                            self.record_type((value.span.file, value.id), &want);
                            let shown = self.show(&want);
                            self.runtime_check(value.span, format!("data matches the declared type {shown}"));
                        } else {
                            self.expect_type(&want, &value_ty, value.span, Some((span, "declared here")));
                        }
                        want
                    }
                    None => {
                        if matches!(value_ty, Type::DynTensor) {
                            self.error(
                                Diagnostic::error(Code::UntypedData, value.span, "the type of this data is only known when the program runs")
                                    .with_label("read from a file")
                                    .with_help("declare it, e.g. `let x: f32[N, 64] = ...`; the file is checked against the declaration at run time"),
                            );
                            Type::Error
                        } else {
                            value_ty
                        }
                    }
                };
                let size = if *mutable { None } else { self.size_of(value) };
                if let Some(s) = &size {
                    self.pending_sizes.push(((value.span.file, value.id), s.clone()));
                }
                self.bind_pattern(pattern, &bound, *mutable, size);
            }
            StmtKind::Assign { target, op, value } => self.assign(target, *op, value),
            StmtKind::Expr(e) => {
                self.expr(e, None);
            }
            StmtKind::Return(value) => {
                let want = self.ret.clone();
                let ty = match value {
                    Some(v) => self.expr(v, want.as_ref().map(|w| &w.0)),
                    None => Type::Unit,
                };
                match want {
                    Some((w, span)) => {
                        let at = value.as_ref().map_or(stmt.span, |v| v.span);
                        self.expect_type(&w, &ty, at, Some((span, "return type declared here")));
                    }
                    None => self.returns.push(ty),
                }
            }
            StmtKind::For { pattern, iter, body } => {
                let iter_ty = self.expr(iter, None);
                let (elem, size) = self.element_type(&iter_ty, iter.span);
                if let Some(s) = &size {
                    self.pending_sizes.push(((iter.span.file, iter.id), s.clone()));
                }
                self.push_scope();
                self.bind_pattern(pattern, &elem, false, size);
                self.loop_depth += 1;
                self.block(body, None);
                self.loop_depth -= 1;
                self.pop_scope();
            }
            StmtKind::While { cond, body } => {
                let t = self.expr(cond, None);
                self.expect_condition(&t, cond.span);
                self.loop_depth += 1;
                self.block(body, None);
                self.loop_depth -= 1;
            }
            StmtKind::Break | StmtKind::Continue => {
                if self.loop_depth == 0 {
                    self.error(
                        Diagnostic::error(Code::BreakOutsideLoop, stmt.span, "`break` or `continue` outside a loop")
                            .with_label("not inside `for` or `while`"),
                    );
                }
            }
            StmtKind::Error => self.broken = true,
        }
    }

    pub fn expect_condition(&mut self, t: &Type, span: Span) {
        let ok = match t {
            Type::Tensor(tt) => tt.dtype == DType::Bool && self.subst.shape(&tt.shape).is_scalar(),
            Type::Error => true,
            _ => false,
        };
        if !ok {
            let shown = self.show(t);
            let mut d = Diagnostic::error(Code::ConditionNotBool, span, "condition is not a `bool` scalar")
                .with_label(format!("this is {shown}"));
            if matches!(t, Type::Tensor(tt) if tt.dtype == DType::Bool) {
                d = d.with_help("reduce it with `all(...)` or `any(...)`, or use `where(cond, a, b)` elementwise");
            }
            self.error(d);
        }
    }

    /// The type of the loop variable when iterating over a value, and its size expression.
    fn element_type(&mut self, t: &Type, span: Span) -> (Type, Option<Dim>) {
        match t {
            Type::Range(d) => {
                let s = self.cx.symbols.fresh("i", SymKind::Runtime, false, Some(span));
                (Type::scalar(d.defaulted()), Some(Dim::symbol(s)))
            }
            Type::Tensor(tt) if !self.subst.shape(&tt.shape).is_scalar() => {
                let shape = self.subst.shape(&tt.shape);
                match shape.0.first() {
                    Some(crate::types::ShapeItem::Dim(_)) => {
                        let rest = crate::types::Shape(shape.0[1..].to_vec());
                        (Type::tensor(tt.dtype, rest), None)
                    }
                    _ => {
                        self.error(
                            Diagnostic::error(Code::NotIterable, span, "cannot iterate over a tensor of unknown rank")
                                .with_label(format!("this is {}", self.show(t))),
                        );
                        (Type::Error, None)
                    }
                }
            }
            Type::List(elem, _) => ((**elem).clone(), None),
            Type::Error => (Type::Error, None),
            other => {
                let shown = self.show(other);
                self.error(
                    Diagnostic::error(Code::NotIterable, span, format!("cannot iterate over {shown}"))
                        .with_label("not a range, tensor or list")
                        .with_help("iterate over a range `0..n`, or over a tensor's first dimension"),
                );
                (Type::Error, None)
            }
        }
    }

    fn bind_pattern(&mut self, p: &Pattern, ty: &Type, mutable: bool, size: Option<Dim>) {
        match &p.kind {
            PatternKind::Wildcard => {}
            PatternKind::Name(n) => {
                self.define(&n.name, Local { ty: ty.clone(), mutable, span: n.span, size });
            }
            PatternKind::Tuple(ps) => match ty {
                Type::Tuple(ts) if ts.len() == ps.len() => {
                    for (p, t) in ps.iter().zip(ts) {
                        self.bind_pattern(p, t, mutable, None);
                    }
                }
                Type::Error => {
                    for p in ps {
                        self.bind_pattern(p, &Type::Error, mutable, None);
                    }
                }
                other => {
                    let shown = self.show(other);
                    let n = match other {
                        Type::Tuple(ts) => format!("a tuple of {} elements", ts.len()),
                        _ => shown.clone(),
                    };
                    self.error(
                        Diagnostic::error(
                            Code::PatternMismatch,
                            p.span,
                            format!("pattern of {} names does not match {n}", ps.len()),
                        )
                        .with_label(format!("the value is {shown}")),
                    );
                    for p in ps {
                        self.bind_pattern(p, &Type::Error, mutable, None);
                    }
                }
            },
        }
    }
}

impl<'a> Checker<'a> {
    /// Checks one function body (once); returns its return type.
    pub fn check_fn(&mut self, id: FnId) -> Type {
        match self.func(id).state {
            BodyState::Done => return self.func(id).sig.ret.clone(),
            BodyState::InProgress => {
                if !self.func(id).declared_ret {
                    let decl = self.func(id).decl;
                    self.error(
                        Diagnostic::error(
                            Code::MissingReturnValue,
                            decl.name.span,
                            format!("recursive function `{}` needs a declared return type", decl.name.name),
                        )
                        .with_label("its result type depends on itself")
                        .with_help("write the return type: `fn f(...) -> f32[...]`"),
                    );
                    return Type::Error;
                }
                return self.func(id).sig.ret.clone();
            }
            BodyState::NotChecked => {}
        }
        self.fns[id.0 as usize].state = BodyState::InProgress;
        let info = self.func(id);
        let (decl, module, owner) = (info.decl, info.module, info.owner);
        let dims = info.dim_scope.clone();
        let sig = info.sig.clone();
        let declared = info.declared_ret;
        let has_self = info.has_self;
        let is_rule = info.derivative_of.is_some();
        let mut fc = FnChecker::new(self, module, dims);
        if let Some(owner) = owner {
            fc.self_ty = Some(self_type(fc.cx, owner));
        }
        let mut pi = 0;
        for p in &decl.params {
            if p.ty.is_none() && !is_rule {
                if has_self {
                    let t = fc.self_ty.clone().unwrap_or(Type::Error);
                    fc.define("self", Local { ty: t, mutable: false, span: p.span, size: None });
                }
                continue;
            }
            let Some(pt) = sig.params.get(pi) else { break };
            pi += 1;
            if let Some(default) = &p.default {
                let t = fc.expr(default, Some(&pt.ty));
                fc.expect_type(&pt.ty, &t, default.span, p.ty.as_ref().map(|t| (t.span, "parameter declared here")));
            }
            fc.define(&p.name.name, Local { ty: pt.ty.clone(), mutable: false, span: p.name.span, size: None });
        }
        if declared {
            fc.ret = Some((sig.ret.clone(), decl.ret.as_ref().map_or(decl.name.span, |t| t.span)));
        }
        let want = fc.ret.as_ref().map(|r| r.0.clone());
        let body_ty = fc.block(&decl.body, want.as_ref());
        let ret = match fc.ret.clone() {
            Some((want, span)) => {
                check_tail(&mut fc, &decl.body, &want, &body_ty, span);
                want
            }
            None => {
                let ends_in_return = matches!(decl.body.stmts.last().map(|s| &s.kind), Some(StmtKind::Return(_)));
                let mut t = if ends_in_return { fc.returns.first().cloned().unwrap_or(Type::Unit) } else { body_ty };
                if let Some(r) = fc.returns.first().cloned() {
                    if t == Type::Unit {
                        t = r;
                    }
                }
                default_literals(fc.subst.clone(), t)
            }
        };
        fc.finish();
        self.fns[id.0 as usize].sig.ret = ret.clone();
        self.fns[id.0 as usize].state = BodyState::Done;
        ret
    }

    /// Checks the initialisers of a model's fields against their declared types.
    pub fn check_decl_inits(&mut self, id: DeclId) {
        let module = self.decl(id).module;
        let dims = self.decl(id).dim_scope.clone();
        let inits: Vec<(Type, &'a tf_syntax::ast::Expr)> =
            self.decl(id).fields.iter().filter_map(|f| f.init.map(|e| (f.ty.clone(), e))).collect();
        let seed_span = self.decl(id).name_span;
        let mut fc = FnChecker::new(self, module, dims);
        // Each parameter gets its own seed, derived from the model's seed and the field's path.
        fc.define("seed", Local { ty: Type::scalar(DType::I64), mutable: false, span: seed_span, size: None });
        for (ty, e) in inits {
            let t = fc.expr(e, Some(&ty));
            fc.expect_type(&ty, &t, e.span, None);
        }
        fc.finish();
    }
}

fn check_tail(fc: &mut FnChecker, body: &Block, want: &Type, got: &Type, ret_span: Span) {
    if *want == Type::Unit || fc.broken {
        return;
    }
    match body.stmts.last() {
        Some(Stmt { kind: StmtKind::Expr(e), .. }) => {
            fc.expect_type(want, got, e.span, Some((ret_span, "return type declared here")));
        }
        Some(Stmt { kind: StmtKind::Return(_), .. }) => {}
        Some(Stmt { kind: StmtKind::Error, .. }) => {}
        _ => {
            let shown = fc.show(want);
            fc.error(
                Diagnostic::error(
                    Code::MissingReturnValue,
                    body.stmts.last().map_or(body.span, |s| s.span),
                    format!("function body does not produce its declared {shown}"),
                )
                .with_label(if body.stmts.is_empty() {
                    "the body is empty"
                } else {
                    "the body ends here, without a value"
                })
                .with_secondary(ret_span, format!("{shown} declared here"))
                .with_help("end the body with an expression of the declared type"),
            );
        }
    }
}

/// A literal-typed result (`{float}`) becomes its default type once the function is done.
fn default_literals(subst: Subst, t: Type) -> Type {
    match t {
        Type::Tensor(tt) => Type::tensor(tt.dtype.defaulted(), subst.shape(&tt.shape)),
        Type::Tuple(ts) => Type::Tuple(ts.into_iter().map(|t| default_literals(subst.clone(), t)).collect()),
        other => other,
    }
}

pub fn self_type(cx: &Checker, owner: DeclId) -> Type {
    let dims = cx.decl(owner).generics.iter().map(|s| Dim::symbol(*s)).collect();
    Type::Model(owner, dims)
}

/// A type with every dimension resolved through the substitution.
pub fn resolve_type(subst: &Subst, t: &Type) -> Type {
    match t {
        Type::Tensor(tt) => Type::tensor(tt.dtype, subst.shape(&tt.shape)),
        Type::Tuple(ts) => Type::Tuple(ts.iter().map(|t| resolve_type(subst, t)).collect()),
        Type::List(t, n) => Type::List(Box::new(resolve_type(subst, t)), *n),
        Type::Model(id, ds) => Type::Model(*id, ds.iter().map(|d| subst.dim(d)).collect()),
        Type::Struct(id, ds) => Type::Struct(*id, ds.iter().map(|d| subst.dim(d)).collect()),
        Type::DeclValue(id, ds) => Type::DeclValue(*id, ds.iter().map(|d| subst.dim(d)).collect()),
        other => other.clone(),
    }
}
