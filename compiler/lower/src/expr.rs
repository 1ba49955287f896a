//! Lowering expressions: literals, names, operators (with explicit broadcasts and casts),
//! fields, `if` and blocks. Calls and indexing have their own files.

use tf_base::Span;
use tf_check::types::{DType as CType, Type as CheckType};
use tf_ir::{BinaryOp, CmpOp, DType, Literal, OpKind, Size, Type, UnaryOp, ValueId};
use tf_syntax::ast::{self, BinOp, Block, Expr, ExprKind, StmtKind, UnOp};

use crate::env::Bound;
use crate::func::{FnLowerer, Res};
use crate::types::{dtype, field_types, width};

impl FnLowerer<'_, '_, '_> {
    pub fn expr(&mut self, e: &Expr) -> Res<Vec<ValueId>> {
        self.b.span = Some(e.span);
        match &e.kind {
            ExprKind::Int(v) => Ok(vec![self.literal(e, Literal::Int(*v))?]),
            ExprKind::Float(x) => Ok(vec![self.literal(e, Literal::Float(*x))?]),
            ExprKind::Bool(x) => Ok(vec![self.konst(Literal::Bool(*x), DType::Bool)]),
            ExprKind::Name(n) => self.name(n, e.span),
            ExprKind::SelfValue => self.name(&ast::Ident { name: "self".into(), span: e.span }, e.span),
            ExprKind::Tuple(items) => {
                let mut out = Vec::new();
                for i in items {
                    out.extend(self.expr(i)?);
                }
                Ok(out)
            }
            ExprKind::Unary { op, expr } => {
                let vs = self.expr(expr)?;
                let u = if *op == UnOp::Neg { UnaryOp::Neg } else { UnaryOp::Not };
                vs.into_iter().map(|v| self.op(OpKind::Unary(u), vec![v], e.span)).collect()
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(e, *op, lhs, rhs),
            ExprKind::Call { callee, args } => self.call(e, callee, args),
            ExprKind::Field { expr, name } => self.field(e, expr, name),
            ExprKind::Index { expr, indices } => self.index(e, expr, indices),
            ExprKind::If { cond, then, els } => self.if_expr(e, cond, then, els.as_deref()),
            ExprKind::Block(b) => self.block(b),
            ExprKind::Str(_) => self.fail(crate::unsupported(e.span, "a string outside `print` and file paths")),
            ExprKind::List(_) => self.fail(crate::unsupported(e.span, "a list outside the arguments of a primitive")),
            ExprKind::Range { .. } => self.fail(crate::unsupported(e.span, "a range outside `for`")),
            ExprKind::Error => self.internal(e.span, "an erroneous expression"),
        }
    }

    /// The single tensor an expression evaluates to.
    pub fn tensor(&mut self, e: &Expr) -> Res<ValueId> {
        let vs = self.expr(e)?;
        match vs[..] {
            [v] => Ok(v),
            _ => self.internal(e.span, "expected one tensor"),
        }
    }

    fn literal(&mut self, e: &Expr, lit: Literal) -> Res<ValueId> {
        let d = match self.type_of(e) {
            CheckType::Tensor(t) => dtype(t.dtype).unwrap_or(DType::F32),
            _ => DType::F32,
        };
        let lit = match (lit, d.is_float()) {
            (Literal::Int(v), true) => Literal::Float(v as f64),
            (l, _) => l,
        };
        Ok(self.konst(lit, d))
    }

    fn name(&mut self, n: &ast::Ident, span: Span) -> Res<Vec<ValueId>> {
        match self.env.get(&n.name) {
            Some(Bound::Values(vs)) => Ok(vs.clone()),
            Some(_) => self.fail(crate::unsupported(span, "a string or archive used as a value")),
            None => match self.env.dim_names.get(&n.name).and_then(|s| self.env.sizes.get(s)) {
                Some(&v) => Ok(vec![v]),
                None => self.fail(crate::unsupported(span, format!("`{}` as a value", n.name))),
            },
        }
    }

    fn binary(&mut self, e: &Expr, op: BinOp, lhs: &Expr, rhs: &Expr) -> Res<Vec<ValueId>> {
        let (lt, rt, result) = (self.type_of(lhs), self.type_of(rhs), self.type_of(e));
        let a = self.expr(lhs)?;
        let b = self.expr(rhs)?;
        if matches!(result, CheckType::Model(..) | CheckType::Struct(..)) {
            return self.structural(op, &lt, a, &rt, b, &result, e.span);
        }
        let want = self.flat(&result, e.span)?;
        let (Some(want), [a], [b]) = (want.first().cloned(), &a[..], &b[..]) else {
            return self.internal(e.span, "binary operator on non-tensors");
        };
        let v = match op {
            BinOp::MatMul => self.matmul(*a, *b, &want, e.span)?,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let common = common_dtype(&lt, &rt);
                let t = Type::new(common, want.shape.clone());
                let (x, y) = (self.coerce(*a, &t)?, self.coerce(*b, &t)?);
                self.op(OpKind::Compare(cmp(op)), vec![x, y], e.span)?
            }
            _ => {
                let (x, y) = (self.coerce(*a, &want)?, self.coerce(*b, &want)?);
                self.op(OpKind::Binary(arith(op)), vec![x, y], e.span)?
            }
        };
        Ok(vec![v])
    }

    /// `model ± model`, `scalar * model`: the operator on every tensor of the model.
    #[allow(clippy::too_many_arguments)]
    fn structural(
        &mut self,
        op: BinOp,
        lt: &CheckType,
        a: Vec<ValueId>,
        rt: &CheckType,
        b: Vec<ValueId>,
        result: &CheckType,
        span: Span,
    ) -> Res<Vec<ValueId>> {
        let want = self.flat(result, span)?;
        let is_whole = |t: &CheckType| matches!(t, CheckType::Model(..) | CheckType::Struct(..));
        let mut out = Vec::new();
        for (i, t) in want.iter().enumerate() {
            let x = if is_whole(lt) { a[i] } else { a[0] };
            let y = if is_whole(rt) { b[i] } else { b[0] };
            let (x, y) = (self.coerce(x, t)?, self.coerce(y, t)?);
            out.push(self.op(OpKind::Binary(arith(op)), vec![x, y], span)?);
        }
        Ok(out)
    }

    /// `a @ b` with NumPy's vector promotion and batch broadcasting, as reshapes and broadcasts
    /// around one batched `MatMul`.
    pub fn matmul(&mut self, a: ValueId, b: ValueId, want: &Type, span: Span) -> Res<ValueId> {
        let dt = want.dtype;
        let (ta, tb) = (self.b.func.ty(a).clone(), self.b.func.ty(b).clone());
        let (a_vec, b_vec) = (ta.rank() == 1, tb.rank() == 1);
        let a2 = if a_vec { self.reshape(a, vec![Size::constant(1), ta.shape[0].clone()]) } else { a };
        let b2 = if b_vec { self.reshape(b, vec![tb.shape[0].clone(), Size::constant(1)]) } else { b };
        let (ta, tb) = (self.b.func.ty(a2).clone(), self.b.func.ty(b2).clone());
        let batch_rank = want.rank() - usize::from(!a_vec) - usize::from(!b_vec);
        let batch: Vec<Size> = want.shape[..batch_rank].to_vec();
        let (m, k, n) =
            (ta.shape[ta.rank() - 2].clone(), ta.shape[ta.rank() - 1].clone(), tb.shape[tb.rank() - 1].clone());
        let with = |tail: [Size; 2]| {
            let mut s = batch.clone();
            s.extend(tail);
            s
        };
        let a3 = self.coerce(a2, &Type::new(dt, with([m.clone(), k.clone()])))?;
        let b3 = self.coerce(b2, &Type::new(dt, with([k, n.clone()])))?;
        let full = self.op(OpKind::MatMul, vec![a3, b3], span)?;
        if *self.b.func.ty(full) == *want {
            return Ok(full);
        }
        Ok(self.reshape(full, want.shape.clone()))
    }

    pub fn reshape(&mut self, v: ValueId, shape: Vec<Size>) -> ValueId {
        let d = self.b.func.ty(v).dtype;
        if self.b.func.ty(v).shape == shape {
            return v;
        }
        self.op_typed(OpKind::Reshape, vec![v], Type::new(d, shape))
    }

    fn field(&mut self, e: &Expr, base: &Expr, name: &ast::Ident) -> Res<Vec<ValueId>> {
        let bt = self.value_type(base);
        let vs = self.expr(base)?;
        match &bt {
            CheckType::Model(id, dims) | CheckType::Struct(id, dims) => {
                let cx = self.l.cx;
                let Some(k) = cx.decl(*id).fields.iter().position(|f| f.name == name.name) else {
                    return self.fail(crate::unsupported(e.span, "a method used as a value"));
                };
                let types = field_types(cx, *id, dims);
                let start: usize = types[..k].iter().map(|t| width(cx, t)).sum();
                let n = width(cx, &types[k]);
                Ok(vs[start..start + n].to_vec())
            }
            CheckType::Tuple(ts) => {
                let cx = self.l.cx;
                let k: usize = name.name.parse().unwrap_or(0);
                let start: usize = ts[..k].iter().map(|t| width(cx, t)).sum();
                Ok(vs[start..start + width(cx, &ts[k])].to_vec())
            }
            CheckType::Tensor(_) if name.name == "T" => {
                let rank = self.b.func.ty(vs[0]).rank();
                let perm: Vec<usize> = (0..rank).rev().collect();
                Ok(vec![self.op(OpKind::Transpose { perm }, vec![vs[0]], e.span)?])
            }
            _ => self.internal(e.span, "field of a value without fields"),
        }
    }

    pub fn block(&mut self, b: &Block) -> Res<Vec<ValueId>> {
        self.env.push();
        let mut value = Vec::new();
        let last = b.stmts.len().saturating_sub(1);
        for (i, s) in b.stmts.iter().enumerate() {
            match &s.kind {
                StmtKind::Expr(e) if i == last => value = self.expr(e)?,
                _ => self.stmt(s)?,
            }
        }
        self.env.pop();
        Ok(value)
    }
}

fn common_dtype(a: &CheckType, b: &CheckType) -> DType {
    let d = |t: &CheckType| match t {
        CheckType::Tensor(t) => t.dtype,
        _ => CType::F32,
    };
    let j = CType::join(d(a), d(b)).unwrap_or(CType::F32);
    dtype(j).unwrap_or(DType::F32)
}

pub fn arith(op: BinOp) -> BinaryOp {
    match op {
        BinOp::Add => BinaryOp::Add,
        BinOp::Sub => BinaryOp::Sub,
        BinOp::Mul => BinaryOp::Mul,
        BinOp::Div => BinaryOp::Div,
        BinOp::Rem => BinaryOp::Rem,
        BinOp::Pow => BinaryOp::Pow,
        BinOp::And => BinaryOp::And,
        BinOp::Or => BinaryOp::Or,
        _ => BinaryOp::Add,
    }
}

fn cmp(op: BinOp) -> CmpOp {
    match op {
        BinOp::Eq => CmpOp::Eq,
        BinOp::Ne => CmpOp::Ne,
        BinOp::Lt => CmpOp::Lt,
        BinOp::Le => CmpOp::Le,
        BinOp::Gt => CmpOp::Gt,
        _ => CmpOp::Ge,
    }
}
