//! Lowering indexing and slicing: integer indices become `Index` (with a bounds check),
//! integer tensors `Gather`, slices `Slice` (with a bounds check and a symbolic length).

use tf_base::Span;
use tf_check::dim::Dim;
use tf_check::types::{ShapeItem, Type as CheckType};
use tf_ir::{BinaryOp, DType, Literal, OpKind, Size, Type, ValueId};
use tf_syntax::ast::{Expr, ExprKind, IndexArg, UnOp};

use crate::func::{FnLowerer, Res};
use crate::types::{size, width};

impl FnLowerer<'_, '_, '_> {
    pub fn index(&mut self, e: &Expr, base: &Expr, indices: &[IndexArg]) -> Res<Vec<ValueId>> {
        match self.type_of(base) {
            CheckType::Tensor(_) => {}
            CheckType::Tuple(ts) => {
                let vs = self.expr(base)?;
                let k = match indices {
                    [IndexArg::Expr(Expr { kind: ExprKind::Int(k), .. })] => *k as usize,
                    _ => return self.fail(crate::unsupported(e.span, "a non-constant tuple index")),
                };
                let cx = self.l.cx;
                let start: usize = ts[..k].iter().map(|t| width(cx, t)).sum();
                return Ok(vs[start..start + width(cx, &ts[k])].to_vec());
            }
            _ => return self.fail(crate::unsupported(e.span, "indexing this value")),
        }
        let result_type = self.type_of(e);
        let result_dims: Vec<Option<Dim>> = match &result_type {
            CheckType::Tensor(t) => t
                .shape
                .0
                .iter()
                .map(|i| match i {
                    ShapeItem::Dim(d) => Some(d.clone()),
                    ShapeItem::Pack(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut x = self.tensor(base)?;
        let mut axis = 0;
        for (k, idx) in indices.iter().enumerate() {
            let rank = self.b.func.ty(x).rank();
            match idx {
                IndexArg::Ellipsis(_) => {
                    let later = indices[k + 1..].iter().filter(|i| !matches!(i, IndexArg::Ellipsis(_))).count();
                    axis = rank.saturating_sub(later);
                }
                IndexArg::Expr(ie) => {
                    let it = self.type_of(ie);
                    let scalar = matches!(&it, CheckType::Tensor(t) if t.shape.is_scalar());
                    if scalar {
                        let n = self.dim_value(x, axis);
                        let i = self.bound(ie, n)?;
                        self.b.span = Some(ie.span);
                        self.b.op_typed(self.region, OpKind::CheckIndex, vec![i, n], vec![], vec![]);
                        x = self.op(OpKind::Index { axis }, vec![x, i], ie.span)?;
                    } else {
                        let idx = self.tensor(ie)?;
                        let idx_rank = self.b.func.ty(idx).rank();
                        x = self.op(OpKind::Gather { axis }, vec![x, idx], ie.span)?;
                        axis += idx_rank;
                    }
                }
                IndexArg::Slice { start, end, step, span } => {
                    let dim = result_dims.get(axis).cloned().flatten();
                    x = self.slice(x, axis, start.as_ref(), end.as_ref(), step.as_ref(), dim, *span)?;
                    axis += 1;
                }
            }
        }
        let want = self.flat(&result_type, e.span)?;
        let w = want.first().cloned().unwrap_or_else(|| self.b.func.ty(x).clone());
        if *self.b.func.ty(x) != w {
            return self.internal(e.span, "indexing produced an unexpected shape");
        }
        Ok(vec![x])
    }

    /// The size of `axis` of `x` as a value.
    fn dim_value(&mut self, x: ValueId, axis: usize) -> ValueId {
        let d = self.b.func.ty(x).shape[axis].clone();
        self.size_value(&d)
    }

    /// An index or bound as an `i64`; a negative constant counts from the end (`n + k`).
    fn bound(&mut self, e: &Expr, n: ValueId) -> Res<ValueId> {
        let negative =
            matches!(&e.kind, ExprKind::Unary { op: UnOp::Neg, expr } if matches!(expr.kind, ExprKind::Int(_)));
        let v = self.tensor(e)?;
        let v = self.as_i64(v);
        Ok(if negative { self.int_op(BinaryOp::Add, n, v) } else { v })
    }

    #[allow(clippy::too_many_arguments)]
    fn slice(
        &mut self,
        x: ValueId,
        axis: usize,
        start: Option<&Expr>,
        end: Option<&Expr>,
        step: Option<&Expr>,
        dim: Option<Dim>,
        span: Span,
    ) -> Res<ValueId> {
        let n = self.dim_value(x, axis);
        let s = match start {
            Some(e) => self.bound(e, n)?,
            None => self.konst(Literal::Int(0), DType::I64),
        };
        let t = match end {
            Some(e) => self.bound(e, n)?,
            None => n,
        };
        let k = match step.map(|e| &e.kind) {
            None => 1,
            Some(ExprKind::Int(k)) => *k,
            Some(_) => return self.fail(crate::unsupported(span, "a slice step that is not a literal")),
        };
        self.b.span = Some(span);
        self.b.op_typed(self.region, OpKind::CheckSlice, vec![s, t, n], vec![], vec![]);
        let mut len = self.int_op(BinaryOp::Sub, t, s);
        if k != 1 {
            let km1 = self.konst(Literal::Int(k - 1), DType::I64);
            let kk = self.konst(Literal::Int(k), DType::I64);
            let up = self.int_op(BinaryOp::Add, len, km1);
            len = self.int_op(BinaryOp::Div, up, kk);
        }
        // The checker's length for this axis; a size it could only name gets this value.
        if let Some(sym) = dim.as_ref().and_then(Dim::as_symbol) {
            self.env.sizes.entry(sym).or_insert(len);
        }
        let dim = match dim.map(|d| size(&d, &self.env)) {
            Some(Ok(d)) => d,
            _ => Size::symbol(len),
        };
        // The checker may have equated this length with another size (`x[a:b] + y`); the slice
        // must then really have that length, or it would read the wrong elements.
        if dim != Size::symbol(len) {
            let want = self.size_value(&dim);
            self.b.span = Some(span);
            self.b.op_typed(self.region, OpKind::CheckEq, vec![len, want], vec![], vec![]);
        }
        let mut shape = self.b.func.ty(x).shape.clone();
        shape[axis] = dim;
        let dtype = self.b.func.ty(x).dtype;
        Ok(self.b.op_typed(
            self.region,
            OpKind::Slice { axis, step: k },
            vec![x, s],
            vec![Type::new(dtype, shape)],
            vec![],
        )[0])
    }
}
