//! Lowering calls of primitives to IR ops.

use tf_base::Span;
use tf_check::calls::Source;
use tf_check::typed::CallInfo;
use tf_ir::{
    ArgReduceOp, BinaryOp, CmpOp, DType, Distribution, Literal, OpKind, PoolKind, PrintPiece, ReduceOp, Size, Type,
    UnaryOp, ValueId,
};
use tf_syntax::ast::{Arg, Expr, ExprKind, StrPart, UnOp};

use crate::func::{FnLowerer, Res};

impl FnLowerer<'_, '_, '_> {
    pub fn builtin(&mut self, e: &Expr, callee: &Expr, args: &[Arg], info: &CallInfo, b: u32) -> Res<Vec<ValueId>> {
        let name = tf_check::builtins::name(b);
        let span = e.span;
        if name == "print" {
            return self.print(args, span).map(|_| Vec::new());
        }
        let want = self.flat(&self.type_of(e), span)?;
        let out = want.first().cloned().unwrap_or_else(|| Type::scalar(DType::F32));
        let arg_expr = |k: usize| -> Option<&Expr> {
            match info.slots.get(k).copied().flatten() {
                Some(Source::Arg(i)) => Some(&args[i].value),
                Some(Source::Receiver) => match &callee.kind {
                    ExprKind::Field { expr, .. } => Some(&**expr),
                    _ => None,
                },
                None => None,
            }
        };
        let unary = |n: &str| -> Option<UnaryOp> {
            Some(match n {
                "exp" => UnaryOp::Exp,
                "log" => UnaryOp::Log,
                "log1p" => UnaryOp::Log1p,
                "expm1" => UnaryOp::Expm1,
                "sqrt" => UnaryOp::Sqrt,
                "rsqrt" => UnaryOp::Rsqrt,
                "tanh" => UnaryOp::Tanh,
                "sigmoid" => UnaryOp::Sigmoid,
                "sin" => UnaryOp::Sin,
                "cos" => UnaryOp::Cos,
                "erf" => UnaryOp::Erf,
                "floor" => UnaryOp::Floor,
                "ceil" => UnaryOp::Ceil,
                "round" => UnaryOp::Round,
                "abs" => UnaryOp::Abs,
                "sign" => UnaryOp::Sign,
                _ => return None,
            })
        };
        if let Some(u) = unary(name) {
            let x = self.arg(info, args, callee, 0)?;
            let x = self.coerce(x, &out)?;
            return Ok(vec![self.op(OpKind::Unary(u), vec![x], span)?]);
        }
        let v = match name {
            "maximum" | "minimum" | "clip" => {
                let op = if name == "minimum" { BinaryOp::Min } else { BinaryOp::Max };
                let a = self.arg(info, args, callee, 0)?;
                let b = self.arg(info, args, callee, 1)?;
                let (a, b) = (self.coerce(a, &out)?, self.coerce(b, &out)?);
                let r = self.op(OpKind::Binary(op), vec![a, b], span)?;
                if name == "clip" {
                    let hi = self.arg(info, args, callee, 2)?;
                    let hi = self.coerce(hi, &out)?;
                    self.op(OpKind::Binary(BinaryOp::Min), vec![r, hi], span)?
                } else {
                    r
                }
            }
            "where" => {
                let c = self.arg(info, args, callee, 0)?;
                let c = self.coerce(c, &Type::new(DType::Bool, out.shape.clone()))?;
                let a = self.arg(info, args, callee, 1)?;
                let b = self.arg(info, args, callee, 2)?;
                let (a, b) = (self.coerce(a, &out)?, self.coerce(b, &out)?);
                self.op(OpKind::Select, vec![c, a, b], span)?
            }
            "sum" | "mean" | "prod" | "max" | "min" | "all" | "any" | "argmax" | "argmin" => {
                let x = self.arg(info, args, callee, 0)?;
                let rank = self.b.func.ty(x).rank();
                let axes = match arg_expr(1) {
                    Some(a) => self.axes(a, x, span)?,
                    None => (0..rank).collect(),
                };
                let keepdims = matches!(arg_expr(2).map(|e| &e.kind), Some(ExprKind::Bool(true)));
                self.reduce(name, x, axes, keepdims, &out, span)?
            }
            "matmul" => {
                let a = self.arg(info, args, callee, 0)?;
                let b = self.arg(info, args, callee, 1)?;
                self.matmul(a, b, &out, span)?
            }
            "transpose" | "permute" => {
                let x = self.arg(info, args, callee, 0)?;
                let rank = self.b.func.ty(x).rank();
                let perm = match (name, arg_expr(1), arg_expr(2)) {
                    ("permute", Some(p), _) => self.axes(p, x, span)?,
                    ("transpose", Some(a), Some(b)) => {
                        let (i, j) = (self.axes(a, x, span)?[0], self.axes(b, x, span)?[0]);
                        let mut p: Vec<usize> = (0..rank).collect();
                        p.swap(i, j);
                        p
                    }
                    _ => (0..rank).rev().collect(),
                };
                self.op(OpKind::Transpose { perm }, vec![x], span)?
            }
            "reshape" | "flatten" => {
                let x = self.arg(info, args, callee, 0)?;
                self.reshape(x, out.shape.clone())
            }
            "concat" | "stack" => {
                let Some(ExprKind::List(items)) = arg_expr(0).map(|e| &e.kind) else {
                    return self.fail(crate::unsupported(span, "joining something other than a list literal"));
                };
                let axis = match arg_expr(1) {
                    Some(a) => self.const_int(a, span)?,
                    None => 0,
                };
                let axis = if axis < 0 { (out.rank() as i64 + axis) as usize } else { axis as usize };
                let mut parts = Vec::new();
                for item in items {
                    let v = self.tensor(item)?;
                    let mut shape = self.b.func.ty(v).shape.clone();
                    if name == "stack" {
                        shape.insert(axis, Size::constant(1));
                    }
                    let v = self.coerce(v, &Type::new(out.dtype, self.b.func.ty(v).shape.clone()))?;
                    parts.push(self.reshape(v, shape));
                }
                self.op(OpKind::Concat { axis }, parts, span)?
            }
            "zeros" | "ones" | "full" | "zeros_like" | "ones_like" => {
                let value = match name {
                    "ones" | "ones_like" => self.konst(Literal::Float(1.0), out.dtype),
                    "full" => self.arg(info, args, callee, 0)?,
                    _ => self.konst(Literal::Float(0.0), out.dtype),
                };
                let value = self.coerce(value, &Type::scalar(out.dtype))?;
                self.coerce(value, &out)?
            }
            "random_normal" | "random_uniform" => {
                let seed = self.arg(info, args, callee, 0)?;
                let seed = self.as_i64(seed);
                // Defaults: mean 0 and std 1, or the unit interval.
                let (d0, d1) = (0.0, 1.0);
                let p = |f: &mut Self, k: usize, d: f64| -> Res<ValueId> {
                    let v = match arg_expr(k) {
                        Some(_) => f.arg(info, args, callee, k)?,
                        None => f.konst(Literal::Float(d), out.dtype),
                    };
                    f.coerce(v, &Type::scalar(out.dtype))
                };
                let (a, b) = (p(self, 1, d0)?, p(self, 2, d1)?);
                let dist = if name == "random_normal" { Distribution::Normal } else { Distribution::Uniform };
                self.op_typed(OpKind::Random(dist), vec![seed, a, b], out.clone())
            }
            "one_hot" => {
                let y = self.arg(info, args, callee, 0)?;
                let y = self.as_i64_tensor(y);
                let t = Type::new(DType::I64, out.shape.clone());
                let yb = self.broadcast_last(y, &t)?;
                let iota = self.op_typed(OpKind::Iota { axis: out.rank() - 1 }, vec![], t);
                let eq = self.op(OpKind::Compare(CmpOp::Eq), vec![yb, iota], span)?;
                self.op_typed(OpKind::Cast, vec![eq], out.clone())
            }
            "arange" => self.op_typed(OpKind::Iota { axis: 0 }, vec![], out.clone()),
            "to" => {
                let x = self.arg(info, args, callee, 0)?;
                self.op_typed(OpKind::Cast, vec![x], out.clone())
            }
            "size" | "len" => {
                let x = self.arg(info, args, callee, 0)?;
                let axis = match arg_expr(1) {
                    Some(a) => self.axes(a, x, span)?[0],
                    None => 0,
                };
                self.op(OpKind::SizeOf { axis }, vec![x], span)?
            }
            "conv2d" => {
                let x = self.arg(info, args, callee, 0)?;
                let w = self.arg(info, args, callee, 1)?;
                let stride = self.opt_const(arg_expr(2), 1, span)?;
                let padding = self.opt_const(arg_expr(3), 0, span)?;
                let (x, w) = (self.coerce_dtype(x, out.dtype), self.coerce_dtype(w, out.dtype));
                self.op_typed(OpKind::Conv2d { stride, padding }, vec![x, w], out.clone())
            }
            "max_pool2d" | "avg_pool2d" => {
                let x = self.arg(info, args, callee, 0)?;
                let size = self.opt_const(arg_expr(1), 2, span)?;
                let stride = self.opt_const(arg_expr(2), size, span)?;
                let kind = if name == "max_pool2d" { PoolKind::Max } else { PoolKind::Avg };
                self.op_typed(OpKind::Pool2d { kind, size, stride }, vec![x], out.clone())
            }
            _ => return self.fail(crate::unsupported(span, format!("the primitive `{name}`"))),
        };
        Ok(vec![v])
    }

    fn reduce(
        &mut self,
        name: &str,
        x: ValueId,
        axes: Vec<usize>,
        keepdims: bool,
        out: &Type,
        span: Span,
    ) -> Res<ValueId> {
        let mut sorted = axes.clone();
        sorted.sort();
        let op = match name {
            "argmax" | "argmin" => {
                let op = if name == "argmax" { ArgReduceOp::ArgMax } else { ArgReduceOp::ArgMin };
                return self.op(OpKind::ArgReduce { op, axis: sorted[0], keepdims }, vec![x], span);
            }
            "prod" => ReduceOp::Prod,
            "max" => ReduceOp::Max,
            "min" => ReduceOp::Min,
            "all" => ReduceOp::All,
            "any" => ReduceOp::Any,
            _ => ReduceOp::Sum,
        };
        let r = self.op(OpKind::Reduce { op, axes: sorted.clone(), keepdims }, vec![x], span)?;
        if name != "mean" {
            return Ok(r);
        }
        // mean = sum / (product of the reduced sizes)
        let shape = self.b.func.ty(x).shape.clone();
        let count = sorted.iter().fold(Size::constant(1), |acc, &a| acc.mul(&shape[a]));
        let n = self.size_value(&count);
        let n = self.op_typed(OpKind::Cast, vec![n], Type::scalar(out.dtype));
        let n = self.coerce(n, out)?;
        self.op(OpKind::Binary(BinaryOp::Div), vec![r, n], span)
    }

    /// Axis arguments: integer literals (negative from the end), lists of them, or dimension
    /// names (the one axis of that size).
    fn axes(&mut self, e: &Expr, x: ValueId, span: Span) -> Res<Vec<usize>> {
        let rank = self.b.func.ty(x).rank() as i64;
        let items: Vec<&Expr> = match &e.kind {
            ExprKind::List(items) => items.iter().collect(),
            _ => vec![e],
        };
        let mut out = Vec::new();
        for item in items {
            if let ExprKind::Name(n) = &item.kind {
                if let Some(&v) = self.env.dim_names.get(&n.name).and_then(|s| self.env.sizes.get(s)) {
                    let target = Size::symbol(v);
                    match self.b.func.ty(x).shape.iter().position(|d| *d == target) {
                        Some(p) => {
                            out.push(p);
                            continue;
                        }
                        None => return self.internal(span, "a named axis not found"),
                    }
                }
            }
            let k = self.const_int(item, span)?;
            out.push(if k < 0 { (rank + k) as usize } else { k as usize });
        }
        Ok(out)
    }

    fn const_int(&mut self, e: &Expr, span: Span) -> Res<i64> {
        match &e.kind {
            ExprKind::Int(k) => Ok(*k),
            ExprKind::Unary { op: UnOp::Neg, expr } => match expr.kind {
                ExprKind::Int(k) => Ok(-k),
                _ => self.fail(crate::unsupported(span, "a computed axis")),
            },
            _ => self.fail(crate::unsupported(span, "a computed axis")),
        }
    }

    fn opt_const(&mut self, e: Option<&Expr>, default: usize, span: Span) -> Res<usize> {
        match e {
            Some(e) => Ok(self.const_int(e, span)?.max(0) as usize),
            None => Ok(default),
        }
    }

    fn coerce_dtype(&mut self, v: ValueId, d: DType) -> ValueId {
        let t = self.b.func.ty(v).clone();
        if t.dtype == d {
            return v;
        }
        self.op_typed(OpKind::Cast, vec![v], Type::new(d, t.shape))
    }

    fn as_i64_tensor(&mut self, v: ValueId) -> ValueId {
        self.coerce_dtype(v, DType::I64)
    }

    /// `[..S]` broadcast to `[..S, C]`: reshape to `[..S, 1]`, then broadcast.
    fn broadcast_last(&mut self, v: ValueId, to: &Type) -> Res<ValueId> {
        let mut shape = self.b.func.ty(v).shape.clone();
        shape.push(Size::constant(1));
        let r = self.reshape(v, shape);
        self.coerce(r, to)
    }

    fn print(&mut self, args: &[Arg], span: Span) -> Res<()> {
        let mut pieces = Vec::new();
        let mut operands = Vec::new();
        for (k, a) in args.iter().enumerate() {
            if k > 0 {
                pieces.push(PrintPiece::Text(" ".into()));
            }
            match &a.value.kind {
                ExprKind::Str(parts) => {
                    for p in parts {
                        match p {
                            StrPart::Text(t) => pieces.push(PrintPiece::Text(t.clone())),
                            StrPart::Expr(x) => {
                                let vs = self.expr(x)?;
                                for v in vs {
                                    pieces.push(PrintPiece::Value(operands.len()));
                                    operands.push(v);
                                }
                            }
                        }
                    }
                }
                _ => {
                    for v in self.expr(&a.value)? {
                        pieces.push(PrintPiece::Value(operands.len()));
                        operands.push(v);
                    }
                }
            }
        }
        self.b.span = Some(span);
        self.b.op_typed(self.region, OpKind::Print(pieces), operands, vec![], vec![]);
        Ok(())
    }
}
