//! Bounds the nesting depth of the syntax tree (and numbers its expressions on the way). Every later stage walks the tree recursively, so
//! a pathological input (a thousand nested minus signs, a 50,000-term sum) would overflow the
//! stack; deeper parts are cut out, reported once per item, and freed without recursion.

use tf_base::{Code, Diagnostic, Span};

use crate::ast::*;

/// Deeper than this, a subtree is replaced by an `Error` node.
pub const MAX_DEPTH: usize = 1000;

/// Numbers every expression and cuts every subtree below [`MAX_DEPTH`]; returns one diagnostic
/// per item that was cut.
pub fn limit_depth(file: &mut File) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut next_id = 1;
    for item in &mut file.items {
        let mut cut = Cutter { removed: Vec::new(), first: None, next_id };
        match &mut item.kind {
            ItemKind::Fn(f) | ItemKind::Derivative(f) => cut.func(f),
            ItemKind::Model(m) => {
                for member in &mut m.members {
                    match &mut member.kind {
                        MemberKind::Param { ty, init, .. } | MemberKind::Field { ty, init, .. } => {
                            cut.ty(ty, 1);
                            if let Some(e) = init {
                                cut.expr(e, 1);
                            }
                        }
                        MemberKind::Method(f) => cut.func(f),
                        MemberKind::Error => {}
                    }
                }
            }
            ItemKind::Struct(s) => s.fields.iter_mut().for_each(|f| cut.ty(&mut f.ty, 1)),
            ItemKind::Use(_) | ItemKind::Error => {}
        }
        if let Some(span) = cut.first {
            diagnostics.push(
                Diagnostic::error(Code::NestingTooDeep, span, format!("nested more than {MAX_DEPTH} levels deep"))
                    .with_label("too deep from here on")
                    .with_help("split the expression with intermediate `let` bindings"),
            );
        }
        next_id = cut.next_id;
        dismantle(cut.removed);
    }
    diagnostics
}

struct Cutter {
    removed: Vec<Expr>,
    first: Option<Span>,
    /// The next expression id: ids are given in this walk, in source order.
    next_id: u32,
}

impl Cutter {
    fn func(&mut self, f: &mut FnDecl) {
        for p in &mut f.params {
            if let Some(t) = &mut p.ty {
                self.ty(t, 1);
            }
            if let Some(d) = &mut p.default {
                self.expr(d, 1);
            }
        }
        if let Some(t) = &mut f.ret {
            self.ty(t, 1);
        }
        self.block(&mut f.body, 1);
    }

    fn note(&mut self, span: Span) {
        self.first.get_or_insert(span);
    }

    fn block(&mut self, b: &mut Block, depth: usize) {
        for s in &mut b.stmts {
            self.stmt(s, depth + 1);
        }
    }

    fn stmt(&mut self, s: &mut Stmt, depth: usize) {
        match &mut s.kind {
            StmtKind::Let { ty, value, .. } => {
                if let Some(t) = ty {
                    self.ty(t, depth);
                }
                self.expr(value, depth);
            }
            StmtKind::Assign { target, value, .. } => {
                self.expr(target, depth);
                self.expr(value, depth);
            }
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => self.expr(e, depth),
            StmtKind::For { iter, body, .. } => {
                self.expr(iter, depth);
                self.block(body, depth);
            }
            StmtKind::While { cond, body } => {
                self.expr(cond, depth);
                self.block(body, depth);
            }
            StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Error => {}
        }
    }

    fn expr(&mut self, e: &mut Expr, depth: usize) {
        if depth > MAX_DEPTH {
            self.note(e.span);
            let span = e.span;
            self.removed.push(std::mem::replace(e, Expr::error(span)));
            return;
        }
        e.id = ExprId(self.next_id);
        self.next_id += 1;
        let d = depth + 1;
        match &mut e.kind {
            ExprKind::Str(parts) => {
                for p in parts {
                    if let StrPart::Expr(x) = p {
                        self.expr(x, d);
                    }
                }
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => items.iter_mut().for_each(|x| self.expr(x, d)),
            ExprKind::Unary { expr, .. } | ExprKind::Field { expr, .. } => self.expr(expr, d),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs, d);
                self.expr(rhs, d);
            }
            ExprKind::Range { start, end } => {
                self.expr(start, d);
                self.expr(end, d);
            }
            ExprKind::Call { callee, args } => {
                self.expr(callee, d);
                args.iter_mut().for_each(|a| self.expr(&mut a.value, d));
            }
            ExprKind::Index { expr, indices } => {
                self.expr(expr, d);
                for i in indices {
                    match i {
                        IndexArg::Expr(x) => self.expr(x, d),
                        IndexArg::Slice { start, end, step, .. } => {
                            for x in [start, end, step].into_iter().flatten() {
                                self.expr(x, d);
                            }
                        }
                        IndexArg::Ellipsis(_) => {}
                    }
                }
            }
            ExprKind::If { cond, then, els } => {
                self.expr(cond, d);
                self.block(then, d);
                if let Some(x) = els {
                    self.expr(x, d);
                }
            }
            ExprKind::Block(b) => self.block(b, d),
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::Name(_)
            | ExprKind::SelfValue
            | ExprKind::Error => {}
        }
    }

    fn ty(&mut self, t: &mut TypeExpr, depth: usize) {
        if depth > MAX_DEPTH {
            self.note(t.span);
            // Types nest only through tuples; an over-deep one is dropped below the limit.
            *t = TypeExpr { kind: TypeKind::Error, span: t.span };
            return;
        }
        match &mut t.kind {
            TypeKind::Tuple(items) => items.iter_mut().for_each(|i| self.ty(i, depth + 1)),
            TypeKind::Named { args: Some(dims), .. } => dims.iter_mut().for_each(|d| self.dim(d, depth + 1)),
            TypeKind::Named { args: None, .. } | TypeKind::Error => {}
        }
    }

    fn dim(&mut self, d: &mut DimExpr, depth: usize) {
        if depth > MAX_DEPTH {
            self.note(d.span);
            *d = DimExpr { kind: DimKind::Error, span: d.span };
            return;
        }
        match &mut d.kind {
            DimKind::Add(a, b) | DimKind::Sub(a, b) | DimKind::Mul(a, b) => {
                self.dim(a, depth + 1);
                self.dim(b, depth + 1);
            }
            DimKind::Neg(a) => self.dim(a, depth + 1),
            DimKind::Int(_) | DimKind::Name(_) | DimKind::Pack(_) | DimKind::Error => {}
        }
    }
}

/// Frees expression trees of any depth with an explicit stack instead of recursion.
pub fn dismantle(mut stack: Vec<Expr>) {
    while let Some(e) = stack.pop() {
        match e.kind {
            ExprKind::Unary { expr, .. } | ExprKind::Field { expr, .. } => stack.push(*expr),
            ExprKind::Binary { lhs, rhs, .. } => stack.extend([*lhs, *rhs]),
            ExprKind::Range { start, end } => stack.extend([*start, *end]),
            ExprKind::Tuple(items) | ExprKind::List(items) => stack.extend(items),
            ExprKind::Call { callee, args } => {
                stack.push(*callee);
                stack.extend(args.into_iter().map(|a| a.value));
            }
            ExprKind::Index { expr, indices } => {
                stack.push(*expr);
                for i in indices {
                    match i {
                        IndexArg::Expr(x) => stack.push(x),
                        IndexArg::Slice { start, end, step, .. } => {
                            stack.extend([start, end, step].into_iter().flatten())
                        }
                        IndexArg::Ellipsis(_) => {}
                    }
                }
            }
            ExprKind::If { cond, then, els } => {
                let span = then.span;
                stack.extend([*cond, Expr { id: ExprId::default(), kind: ExprKind::Block(then), span }]);
                stack.extend(els.map(|x| *x));
            }
            ExprKind::Block(b) => dismantle_block(b, &mut stack),
            ExprKind::Str(parts) => stack.extend(parts.into_iter().filter_map(|p| match p {
                StrPart::Expr(x) => Some(x),
                StrPart::Text(_) => None,
            })),
            _ => {}
        }
    }
}

fn dismantle_block(b: Block, stack: &mut Vec<Expr>) {
    for s in b.stmts {
        match s.kind {
            StmtKind::Let { value, .. } => stack.push(value),
            StmtKind::Assign { target, value, .. } => stack.extend([target, value]),
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => stack.push(e),
            StmtKind::For { iter, body, .. } => {
                let span = body.span;
                stack.extend([iter, Expr { id: ExprId::default(), kind: ExprKind::Block(body), span }]);
            }
            StmtKind::While { cond, body } => {
                let span = body.span;
                stack.extend([cond, Expr { id: ExprId::default(), kind: ExprKind::Block(body), span }]);
            }
            _ => {}
        }
    }
}
