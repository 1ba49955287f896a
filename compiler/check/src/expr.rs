//! Checks expressions: names, literals, fields, `if`, ranges, assignments and size expressions.

use tf_base::suggest::closest;
use tf_base::{Code, Diagnostic, Span};
use tf_syntax::ast::{BinOp, Expr, ExprKind, Ident, StrPart, UnOp};

use crate::body::FnChecker;
use crate::checker::{DeclKind, ItemRef};
use crate::dim::Dim;
use crate::types::{DType, ShapeItem, Type};
use crate::unify::instantiate;

impl FnChecker<'_, '_> {
    pub fn expr(&mut self, e: &Expr, expected: Option<&Type>) -> Type {
        let t = self.expr_kind(e, expected);
        self.record_type((e.span.file, e.id), &t);
        t
    }

    fn expr_kind(&mut self, e: &Expr, expected: Option<&Type>) -> Type {
        match &e.kind {
            ExprKind::Int(_) => Type::scalar(DType::IntLit),
            ExprKind::Float(_) => Type::scalar(DType::FloatLit),
            ExprKind::Bool(_) => Type::scalar(DType::Bool),
            ExprKind::Str(parts) => {
                for p in parts {
                    if let StrPart::Expr(inner) = p {
                        self.expr(inner, None);
                    }
                }
                Type::Str
            }
            ExprKind::Name(n) => self.name(n),
            ExprKind::SelfValue => match self.local("self") {
                Some(l) => l.ty.clone(),
                None => {
                    self.error(
                        Diagnostic::error(Code::SelfOutsideMethod, e.span, "`self` outside a model method")
                            .with_label("there is no model here"),
                    );
                    Type::Error
                }
            },
            ExprKind::Tuple(items) => {
                if items.is_empty() {
                    return Type::Unit;
                }
                let hints: Vec<Option<&Type>> = match expected {
                    Some(Type::Tuple(ts)) if ts.len() == items.len() => ts.iter().map(Some).collect(),
                    _ => vec![None; items.len()],
                };
                Type::Tuple(items.iter().zip(hints).map(|(i, h)| self.expr(i, h)).collect())
            }
            ExprKind::List(items) => self.list(items),
            ExprKind::Unary { op, expr } => self.unary(*op, expr, e.span),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, e.span),
            ExprKind::Call { callee, args } => self.call(e, callee, args, expected),
            ExprKind::Field { expr, name } => {
                let t = self.expr(expr, None);
                self.field(&t, name, expr.span)
            }
            ExprKind::Index { expr, indices } => self.index(expr, indices, e.span),
            ExprKind::If { cond, then, els } => {
                let c = self.expr(cond, None);
                self.expect_condition(&c, cond.span);
                let t = self.block(then, expected);
                let Some(els) = els else { return Type::Unit };
                let f = self.expr(els, expected.or(Some(&t)));
                if let Err(m) = self.unify(&t, &f, els.span) {
                    if !matches!(m, crate::unify::Mismatch::Kind) || t != Type::Unit || f != Type::Unit {
                        let (a, b) = (self.show(&t), self.show(&f));
                        self.error(
                            Diagnostic::error(Code::BranchMismatch, els.span, "`if` branches have different types")
                                .with_label(format!("this branch is {b}"))
                                .with_secondary(then.span, format!("this branch is {a}")),
                        );
                        return Type::Error;
                    }
                }
                join_literal(t, f)
            }
            ExprKind::Block(b) => self.block(b, expected),
            ExprKind::Range { start, end } => {
                let a = self.expr(start, None);
                let b = self.expr(end, None);
                let ia = self.int_scalar(&a, start.span);
                let ib = self.int_scalar(&b, end.span);
                match (ia, ib) {
                    (Some(x), Some(y)) => Type::Range(DType::join(x, y).unwrap_or(DType::I64)),
                    _ => Type::Error,
                }
            }
            ExprKind::Error => {
                self.broken = true;
                Type::Error
            }
        }
    }

    /// The dtype of an integer scalar, or an error.
    pub fn int_scalar(&mut self, t: &Type, span: Span) -> Option<DType> {
        match t {
            Type::Tensor(tt) if tt.dtype.is_int() && self.subst.shape(&tt.shape).is_scalar() => Some(tt.dtype),
            Type::Error => None,
            other => {
                let shown = self.show(other);
                self.error(
                    Diagnostic::error(Code::TypeMismatch, span, format!("expected an integer, found {shown}"))
                        .with_label(format!("this is {shown}")),
                );
                None
            }
        }
    }

    fn name(&mut self, n: &Ident) -> Type {
        if let Some(l) = self.local(&n.name) {
            return l.ty.clone();
        }
        if self.dims.contains_key(&n.name) {
            return Type::scalar(DType::I64);
        }
        if let Some(d) = DType::from_name(&n.name) {
            return Type::DTypeValue(d);
        }
        match self.cx.lookup(self.module, &n.name) {
            Some(ItemRef::Fn(id)) => self.fn_type(id),
            Some(ItemRef::Decl(id)) => Type::DeclValue(id, Vec::new()),
            Some(ItemRef::Builtin(b)) => Type::Builtin(b),
            None if self.broken => Type::Error,
            None => {
                let mut names = self.local_names();
                names.extend(self.cx.visible_names(self.module));
                let mut d =
                    Diagnostic::error(Code::UndefinedName, n.span, format!("cannot find `{}` in this scope", n.name))
                        .with_label("not defined");
                if let Some(s) = closest(&n.name, names.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.error(d);
                Type::Error
            }
        }
    }

    fn list(&mut self, items: &[Expr]) -> Type {
        let mut elem: Option<Type> = None;
        for item in items {
            let t = self.expr(item, elem.as_ref());
            match &elem {
                None => elem = Some(t),
                Some(want) => {
                    let want = want.clone();
                    if !self.expect_type(&want, &t, item.span, None) {
                        return Type::Error;
                    }
                    elem = Some(join_literal(want, t));
                }
            }
        }
        match elem {
            Some(t) => Type::List(Box::new(t), items.len()),
            None => Type::List(Box::new(Type::scalar(DType::IntLit)), 0),
        }
    }

    fn unary(&mut self, op: UnOp, inner: &Expr, span: Span) -> Type {
        let t = self.expr(inner, None);
        let ok = match (&t, op) {
            (Type::Error, _) => true,
            (Type::Tensor(tt), UnOp::Neg) => tt.dtype.is_numeric(),
            (Type::Tensor(tt), UnOp::Not) => tt.dtype == DType::Bool,
            (Type::Model(..) | Type::Struct(..), UnOp::Neg) => true,
            _ => false,
        };
        if !ok {
            let shown = self.show(&t);
            let sym = if op == UnOp::Neg { "-" } else { "not" };
            self.error(
                Diagnostic::error(Code::InvalidOperand, span, format!("`{sym}` cannot be applied to {shown}"))
                    .with_label(format!("this is {shown}")),
            );
            return Type::Error;
        }
        t
    }

    /// Field access: model and struct fields, tuple elements, `.T`.
    pub fn field(&mut self, t: &Type, name: &Ident, span: Span) -> Type {
        match t {
            Type::Error => Type::Error,
            Type::Model(id, dims) | Type::Struct(id, dims) => {
                let decl = self.cx.decl(*id);
                let map: std::collections::HashMap<_, _> =
                    decl.generics.iter().copied().zip(dims.iter().cloned()).collect();
                if let Some(f) = decl.fields.iter().find(|f| f.name == name.name) {
                    return instantiate(&f.ty, &map, &Default::default());
                }
                if let Some(&m) = decl.methods.get(&name.name) {
                    let decl_name = decl.name.clone();
                    let mut sig = instantiate(&self.fn_type(m), &map, &Default::default());
                    if let Type::Fn(f) = &mut sig {
                        f.name = format!("{decl_name}.{}", name.name);
                    }
                    return sig;
                }
                let candidates: Vec<&str> = decl
                    .fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .chain(decl.methods.keys().map(String::as_str))
                    .collect();
                let kind = if decl.kind == DeclKind::Model { "model" } else { "struct" };
                let mut d = Diagnostic::error(
                    Code::NoSuchMember,
                    name.span,
                    format!("{kind} `{}` has no field or method `{}`", decl.name, name.name),
                )
                .with_label("unknown member")
                .with_secondary(decl.name_span, format!("`{}` declared here", decl.name));
                if let Some(s) = closest(&name.name, candidates) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.error(d);
                Type::Error
            }
            Type::Tuple(ts) => match name.name.parse::<usize>() {
                Ok(i) if i < ts.len() => ts[i].clone(),
                _ => {
                    let shown = self.show(t);
                    self.error(
                        Diagnostic::error(
                            Code::NoSuchMember,
                            name.span,
                            format!("{shown} has no element `{}`", name.name),
                        )
                        .with_label(format!("valid elements are 0 to {}", ts.len().saturating_sub(1))),
                    );
                    Type::Error
                }
            },
            Type::Tensor(tt) if name.name == "T" => {
                let mut shape = self.subst.shape(&tt.shape);
                if shape.has_pack() {
                    let n = shape.0.len();
                    if n >= 2 && shape.0[n - 2..].iter().all(|i| matches!(i, ShapeItem::Dim(_))) {
                        shape.0.swap(n - 2, n - 1);
                        return Type::tensor(tt.dtype, shape);
                    }
                    self.error(
                        Diagnostic::error(Code::InvalidRank, name.span, "`.T` needs two trailing dimensions")
                            .with_label("rank unknown here"),
                    );
                    return Type::Error;
                }
                shape.0.reverse();
                Type::tensor(tt.dtype, shape)
            }
            other => {
                let shown = self.show(other);
                let help = if matches!(other, Type::Tensor(_)) {
                    "tensors have `.T`; functions can be called as methods: `x.sum(axis: 1)`"
                } else {
                    ""
                };
                let mut d =
                    Diagnostic::error(Code::NoSuchMember, name.span, format!("{shown} has no field `{}`", name.name))
                        .with_label("unknown field")
                        .with_secondary(span, format!("this is {shown}"));
                if !help.is_empty() {
                    d = d.with_help(help);
                }
                self.error(d);
                Type::Error
            }
        }
    }

    pub fn assign(&mut self, target: &Expr, op: Option<BinOp>, value: &Expr) {
        let root = assign_root(target);
        let target_ty = match root {
            Some(n) => match self.local(&n.name).cloned() {
                Some(local) => {
                    if !local.mutable {
                        self.error(
                            Diagnostic::error(
                                Code::AssignToImmutable,
                                target.span,
                                format!("cannot assign twice to `{}`", n.name),
                            )
                            .with_label("assignment to an immutable binding")
                            .with_secondary(local.span, format!("`{}` is declared with `let` here", n.name))
                            .with_help(format!("declare it with `var {}` to make it mutable", n.name)),
                        );
                    }
                    self.expr(target, None)
                }
                None => self.expr(target, None),
            },
            None => {
                self.error(
                    Diagnostic::error(Code::InvalidAssignTarget, target.span, "invalid assignment target")
                        .with_label("only variables and their fields can be assigned"),
                );
                self.expr(value, None);
                return;
            }
        };
        let value_ty = match op {
            Some(op) => self.binary_types(op, &target_ty, target.span, value, target.span.to(value.span)),
            None => self.expr(value, Some(&target_ty)),
        };
        self.expect_type(&target_ty, &value_ty, value.span, Some((target.span, "required by the assigned variable")));
    }

    /// The value of an integer expression as a size, when it is one: literals, dimension names,
    /// loop indices and `let` bindings of such, under `+`, `-` and `*`.
    pub fn size_of(&mut self, e: &Expr) -> Option<Dim> {
        match &e.kind {
            ExprKind::Int(v) => Some(Dim::constant(*v)),
            ExprKind::Name(n) => {
                if let Some(l) = self.local(&n.name) {
                    return l.size.clone();
                }
                self.dims.get(&n.name).map(|s| Dim::symbol(*s))
            }
            ExprKind::Unary { op: UnOp::Neg, expr } => self.size_of(expr).map(|d| d.neg()),
            ExprKind::Binary { op, lhs, rhs } => {
                let (a, b) = (self.size_of(lhs)?, self.size_of(rhs)?);
                match op {
                    BinOp::Add => Some(a.add(&b)),
                    BinOp::Sub => Some(a.sub(&b)),
                    BinOp::Mul => Some(a.mul(&b)),
                    BinOp::Div => {
                        let k = b.as_constant().filter(|k| *k > 0)?;
                        a.div_exact(k).or_else(|| {
                            // Floor division that does not simplify: a symbol named by the expression.
                            let text = format!("({}) / {k}", self.show_dim(&a));
                            Some(Dim::symbol(self.cx.symbols.opaque(text)))
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

fn assign_root(e: &Expr) -> Option<&Ident> {
    match &e.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Field { expr, .. } | ExprKind::Index { expr, .. } => assign_root(expr),
        _ => None,
    }
}

/// Of two compatible types, the one that is not a bare literal.
pub fn join_literal(a: Type, b: Type) -> Type {
    match (&a, &b) {
        (Type::Tensor(x), Type::Tensor(y)) if x.dtype.is_literal() && !y.dtype.is_literal() => b,
        (Type::Tensor(x), Type::Tensor(y)) if x.dtype == DType::IntLit && y.dtype == DType::FloatLit => b,
        (Type::Error, _) => b,
        _ => a,
    }
}
