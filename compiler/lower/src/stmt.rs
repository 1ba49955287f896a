//! Lowering statements and control flow. Mutable variables become SSA values: a loop or `if`
//! carries (or yields) the variables from outside it that its body assigns.

use std::collections::BTreeSet;

use tf_base::Span;
use tf_check::dim::Dim;
use tf_check::types::Type as CheckType;
use tf_ir::{BinaryOp, DType, Literal, OpKind, RegionId, Type, ValueId};
use tf_syntax::ast::{Block, Expr, ExprKind, Pattern, PatternKind, Stmt, StmtKind};

use crate::env::Bound;
use crate::func::{FnLowerer, Res};
use crate::types::width;

impl FnLowerer<'_, '_, '_> {
    pub fn stmt(&mut self, s: &Stmt) -> Res<()> {
        self.b.span = Some(s.span);
        match &s.kind {
            StmtKind::Let { pattern, value, .. } => self.let_stmt(pattern, value),
            StmtKind::Assign { target, op, value } => self.assign(target, *op, value, s.span),
            StmtKind::Expr(e) => self.expr(e).map(|_| ()),
            StmtKind::For { pattern, iter, body } => self.for_stmt(pattern, iter, body, s.span),
            StmtKind::While { cond, body } => self.while_stmt(cond, body, s.span),
            StmtKind::Return(_) => self.fail(crate::unsupported(s.span, "`return` before the end of a function")),
            StmtKind::Break | StmtKind::Continue => self.fail(crate::unsupported(s.span, "`break` and `continue`")),
            StmtKind::Error => self.internal(s.span, "an erroneous statement"),
        }
    }

    fn let_stmt(&mut self, pattern: &Pattern, value: &Expr) -> Res<()> {
        if let Some(b) = self.data_source(value)? {
            return self.bind(pattern, b, &CheckType::Unit);
        }
        let t = self.type_of(value);
        let vs = self.expr(value)?;
        // A size-valued binding (`let n = N * 4 / 5`) gives its symbol a value.
        if let (Some(size), [v]) = (self.l.cx.typed.sizes.get(&(value.span.file, value.id)), &vs[..]) {
            if let Some(sym) = size.as_symbol() {
                if !self.env.sizes.contains_key(&sym) {
                    let v = self.as_i64(*v);
                    self.env.sizes.insert(sym, v);
                }
            }
        }
        self.bind(pattern, Bound::Values(vs), &t)
    }

    pub fn bind(&mut self, p: &Pattern, b: Bound, t: &CheckType) -> Res<()> {
        match &p.kind {
            PatternKind::Wildcard => Ok(()),
            PatternKind::Name(n) => {
                self.env.bind(&n.name, b);
                Ok(())
            }
            PatternKind::Tuple(ps) => {
                let (Bound::Values(vs), CheckType::Tuple(ts)) = (b, t) else {
                    return self.internal(p.span, "destructuring a non-tuple");
                };
                let mut at = 0;
                for (p, t) in ps.iter().zip(ts) {
                    let n = width(self.l.cx, t);
                    self.bind(p, Bound::Values(vs[at..at + n].to_vec()), t)?;
                    at += n;
                }
                Ok(())
            }
        }
    }

    fn assign(&mut self, target: &Expr, op: Option<tf_syntax::ast::BinOp>, value: &Expr, span: Span) -> Res<()> {
        let ExprKind::Name(n) = &target.kind else {
            return self.fail(crate::unsupported(span, "assignment to a field or element"));
        };
        let t = self.type_of(target);
        let want = self.flat(&t, span)?;
        let new = self.expr(value)?;
        let new = match op {
            None => new,
            Some(op) => {
                let old = self.expr(target)?;
                let mut out = Vec::new();
                for (i, w) in want.iter().enumerate() {
                    let (x, y) = (self.coerce(old[i], w)?, self.coerce(*new.get(i).unwrap_or(&new[0]), w)?);
                    out.push(self.op(OpKind::Binary(crate::expr::arith(op)), vec![x, y], span)?);
                }
                out
            }
        };
        let mut coerced = Vec::new();
        for (v, w) in new.into_iter().zip(&want) {
            coerced.push(self.coerce(v, w)?);
        }
        if !self.env.assign(&n.name, Bound::Values(coerced)) {
            return self.internal(span, "assignment to an unknown variable");
        }
        Ok(())
    }

    /// Variables bound outside the current scope that a block assigns, in a stable order.
    pub fn assigned_outside(&self, blocks: &[&Block]) -> Vec<String> {
        let mut names = BTreeSet::new();
        for b in blocks {
            collect_assigned(b, &mut names);
        }
        names.into_iter().filter(|n| matches!(self.env.get(n), Some(Bound::Values(_)))).collect()
    }

    fn values_of(&self, names: &[String]) -> Vec<ValueId> {
        names
            .iter()
            .flat_map(|n| match self.env.get(n) {
                Some(Bound::Values(vs)) => vs.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// Rebinds `names` to consecutive values from `vs` (each takes as many as it had).
    fn rebind(&mut self, names: &[String], vs: &[ValueId]) {
        let mut at = 0;
        for n in names {
            let w = match self.env.get(n) {
                Some(Bound::Values(old)) => old.len(),
                _ => 0,
            };
            self.env.assign(n, Bound::Values(vs[at..at + w].to_vec()));
            at += w;
        }
    }

    /// Region parameters standing for `names` inside a loop body, bound in the environment.
    fn carry_into(&mut self, region: RegionId, names: &[String]) -> Vec<ValueId> {
        let outer = self.values_of(names);
        let params: Vec<ValueId> = outer
            .iter()
            .map(|v| {
                let ty = self.b.func.ty(*v).clone();
                let name = self.b.func.value(*v).name.clone();
                self.b.param(region, ty, name.as_deref())
            })
            .collect();
        self.rebind(names, &params);
        params
    }

    fn for_stmt(&mut self, pattern: &Pattern, iter: &Expr, body: &Block, span: Span) -> Res<()> {
        let names = self.assigned_outside(&[body]);
        let (count, start, over) = match &iter.kind {
            ExprKind::Range { start, end } => {
                let (a, b) = (self.tensor(start)?, self.tensor(end)?);
                let (a, b) = (self.as_i64(a), self.as_i64(b));
                let n = self.int_op(BinaryOp::Sub, b, a);
                let zero = self.konst(Literal::Int(0), DType::I64);
                let n = self.op(OpKind::Binary(BinaryOp::Max), vec![n, zero], span)?;
                (n, Some(a), None)
            }
            _ => {
                let x = self.tensor(iter)?;
                let n = self.op(OpKind::SizeOf { axis: 0 }, vec![x], span)?;
                (n, None, Some(x))
            }
        };
        let init = self.values_of(&names);
        let outer_region = self.region;
        let saved = self.env.clone();
        let region = self.b.new_region();
        let i = self.b.param(region, Type::scalar(DType::I64), Some("i"));
        let _ = self.carry_into(region, &names);
        self.region = region;
        self.env.push();
        let item = match (start, over) {
            (Some(a), _) => self.int_op(BinaryOp::Add, a, i),
            (_, Some(x)) => self.op(OpKind::Index { axis: 0 }, vec![x, i], span)?,
            _ => i,
        };
        if let Some(sym) = self.l.cx.typed.sizes.get(&(iter.span.file, iter.id)).and_then(Dim::as_symbol) {
            self.env.sizes.insert(sym, item);
        }
        let elem_t = match self.type_of(iter) {
            CheckType::Tensor(t) => {
                CheckType::tensor(t.dtype, tf_check::types::Shape(t.shape.0.get(1..).unwrap_or(&[]).to_vec()))
            }
            _ => CheckType::Unit,
        };
        self.bind(pattern, Bound::Values(vec![item]), &elem_t)?;
        self.block(body)?;
        self.env.pop();
        let next = self.values_of(&names);
        let next = self.coerce_all(next, &init)?;
        self.b.set_yields(region, next);
        self.region = outer_region;
        self.env = saved;
        let types: Vec<Type> = init.iter().map(|v| self.b.func.ty(*v).clone()).collect();
        let mut operands = vec![count];
        operands.extend(init);
        let results = self.b.op_typed(self.region, OpKind::For { stacked: 0 }, operands, types, vec![region]);
        self.rebind(&names, &results);
        Ok(())
    }

    /// Makes each value match the type of the corresponding one in `like` (loop-carried types).
    fn coerce_all(&mut self, vs: Vec<ValueId>, like: &[ValueId]) -> Res<Vec<ValueId>> {
        let mut out = Vec::new();
        for (v, l) in vs.into_iter().zip(like) {
            let t = self.b.func.ty(*l).clone();
            out.push(self.coerce(v, &t)?);
        }
        Ok(out)
    }

    fn while_stmt(&mut self, cond: &Expr, body: &Block, span: Span) -> Res<()> {
        let names = self.assigned_outside(&[body]);
        let init = self.values_of(&names);
        let outer_region = self.region;
        let saved = self.env.clone();
        let cond_region = self.b.new_region();
        self.carry_into(cond_region, &names);
        self.region = cond_region;
        let c = self.tensor(cond)?;
        self.b.set_yields(cond_region, vec![c]);
        self.env = saved.clone();
        let body_region = self.b.new_region();
        self.carry_into(body_region, &names);
        self.region = body_region;
        self.block(body)?;
        let next = self.values_of(&names);
        let next = self.coerce_all(next, &init)?;
        self.b.set_yields(body_region, next);
        self.region = outer_region;
        self.env = saved;
        let types: Vec<Type> = init.iter().map(|v| self.b.func.ty(*v).clone()).collect();
        self.b.span = Some(span);
        let results = self.b.op_typed(self.region, OpKind::While, init, types, vec![cond_region, body_region]);
        self.rebind(&names, &results);
        Ok(())
    }

    /// `if` as an op: each branch yields the expression's value, then the outer variables that
    /// either branch assigns.
    pub fn if_expr(&mut self, e: &Expr, cond: &Expr, then: &Block, els: Option<&Expr>) -> Res<Vec<ValueId>> {
        let else_block = match els.map(|x| &x.kind) {
            Some(ExprKind::Block(b)) => Some(b),
            _ => None,
        };
        let mut blocks = vec![then];
        blocks.extend(else_block);
        let names = self.assigned_outside(&blocks);
        let c = self.tensor(cond)?;
        let want = match els {
            Some(_) => self.flat(&self.type_of(e), e.span)?,
            None => Vec::new(),
        };
        let outer_region = self.region;
        let saved = self.env.clone();
        let branch = |f: &mut Self, which: Option<&Expr>, block: Option<&Block>| -> Res<RegionId> {
            let r = f.b.new_region();
            f.region = r;
            let value = match (block, which) {
                (Some(b), _) => f.block(b)?,
                (None, Some(x)) => f.expr(x)?,
                (None, None) => Vec::new(),
            };
            let mut yields = Vec::new();
            for (v, t) in value.into_iter().zip(&want) {
                yields.push(f.coerce(v, t)?);
            }
            yields.extend(f.values_of(&names));
            f.b.set_yields(r, yields);
            f.region = outer_region;
            f.env = saved.clone();
            Ok(r)
        };
        let then_r = branch(self, None, Some(then))?;
        let else_r = match els {
            Some(x) if else_block.is_none() => branch(self, Some(x), None)?,
            _ => branch(self, None, else_block)?,
        };
        let mut types = want.clone();
        types.extend(self.values_of(&names).iter().map(|v| self.b.func.ty(*v).clone()));
        self.b.span = Some(e.span);
        let results = self.b.op_typed(self.region, OpKind::If, vec![c], types, vec![then_r, else_r]);
        self.rebind(&names, &results[want.len()..]);
        Ok(results[..want.len()].to_vec())
    }
}

fn collect_assigned(b: &Block, out: &mut BTreeSet<String>) {
    for s in &b.stmts {
        match &s.kind {
            StmtKind::Assign { target, .. } => {
                if let ExprKind::Name(n) = &target.kind {
                    out.insert(n.name.clone());
                }
            }
            StmtKind::For { body, .. } | StmtKind::While { body, .. } => collect_assigned(body, out),
            StmtKind::Expr(e) | StmtKind::Let { value: e, .. } => collect_in_expr(e, out),
            _ => {}
        }
    }
}

fn collect_in_expr(e: &Expr, out: &mut BTreeSet<String>) {
    match &e.kind {
        ExprKind::If { then, els, .. } => {
            collect_assigned(then, out);
            if let Some(x) = els {
                collect_in_expr(x, out);
            }
        }
        ExprKind::Block(b) => collect_assigned(b, out),
        _ => {}
    }
}
