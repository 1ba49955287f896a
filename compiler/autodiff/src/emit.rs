//! The small vocabulary the derivative rules and drivers write IR with: typed constants, fills,
//! elementwise arithmetic, and the shape plumbing (un-broadcasting, keepdims reshapes) that
//! adjoints need. Every helper appends ordinary, differentiable ops to one region.

use tf_ir::infer::reduce_shape;
use tf_ir::*;

use crate::AdError;

/// Appends ops to `region` of the function being built.
pub struct Emitter<'a> {
    pub b: &'a mut FunctionBuilder,
    pub region: RegionId,
}

impl<'a> Emitter<'a> {
    pub fn new(b: &'a mut FunctionBuilder, region: RegionId) -> Emitter<'a> {
        Emitter { b, region }
    }

    pub fn ty(&self, v: ValueId) -> Type {
        self.b.func.ty(v).clone()
    }

    /// An op whose result type the IR infers; a failure here is a bug in a rule.
    pub fn op1(&mut self, kind: OpKind, operands: Vec<ValueId>) -> Result<ValueId, AdError> {
        let what = format!("{kind:?}");
        self.b.op1(self.region, kind, operands).map_err(|e| AdError::Internal(format!("{what}: {e}")))
    }

    pub fn typed(&mut self, kind: OpKind, operands: Vec<ValueId>, ty: Type) -> ValueId {
        self.b.op_typed(self.region, kind, operands, vec![ty], Vec::new())[0]
    }

    pub fn unary(&mut self, op: UnaryOp, x: ValueId) -> Result<ValueId, AdError> {
        self.op1(OpKind::Unary(op), vec![x])
    }

    pub fn binary(&mut self, op: BinaryOp, a: ValueId, b: ValueId) -> Result<ValueId, AdError> {
        self.op1(OpKind::Binary(op), vec![a, b])
    }

    pub fn add(&mut self, a: ValueId, b: ValueId) -> Result<ValueId, AdError> {
        self.binary(BinaryOp::Add, a, b)
    }

    pub fn sub(&mut self, a: ValueId, b: ValueId) -> Result<ValueId, AdError> {
        self.binary(BinaryOp::Sub, a, b)
    }

    pub fn mul(&mut self, a: ValueId, b: ValueId) -> Result<ValueId, AdError> {
        self.binary(BinaryOp::Mul, a, b)
    }

    pub fn div(&mut self, a: ValueId, b: ValueId) -> Result<ValueId, AdError> {
        self.binary(BinaryOp::Div, a, b)
    }

    pub fn neg(&mut self, a: ValueId) -> Result<ValueId, AdError> {
        self.unary(UnaryOp::Neg, a)
    }

    pub fn compare(&mut self, op: CmpOp, a: ValueId, b: ValueId) -> Result<ValueId, AdError> {
        self.op1(OpKind::Compare(op), vec![a, b])
    }

    pub fn select(&mut self, c: ValueId, a: ValueId, b: ValueId) -> Result<ValueId, AdError> {
        self.op1(OpKind::Select, vec![c, a, b])
    }

    /// A scalar constant of `dtype` (the literal kind follows the dtype).
    pub fn scalar(&mut self, value: f64, dtype: DType) -> ValueId {
        let lit = match dtype {
            DType::F32 | DType::F64 => Literal::Float(value),
            DType::I32 | DType::I64 => Literal::Int(value as i64),
            DType::Bool => Literal::Bool(value != 0.0),
        };
        self.b.constant(self.region, lit, dtype)
    }

    /// A tensor of type `ty` with every element `value`.
    pub fn fill(&mut self, value: f64, ty: &Type) -> ValueId {
        let s = self.scalar(value, ty.dtype);
        self.broadcast(s, ty)
    }

    pub fn zeros(&mut self, ty: &Type) -> ValueId {
        self.fill(0.0, ty)
    }

    /// `value` in the type of `like`.
    pub fn fill_like(&mut self, value: f64, like: ValueId) -> ValueId {
        let ty = self.ty(like);
        self.fill(value, &ty)
    }

    /// NumPy broadcast to `ty` (nothing when the type already is `ty`).
    pub fn broadcast(&mut self, x: ValueId, ty: &Type) -> ValueId {
        if self.ty(x) == *ty {
            return x;
        }
        self.typed(OpKind::Broadcast, vec![x], ty.clone())
    }

    /// Same elements, type `ty` (nothing when the type already is `ty`).
    pub fn reshape(&mut self, x: ValueId, ty: &Type) -> ValueId {
        if self.ty(x) == *ty {
            return x;
        }
        self.typed(OpKind::Reshape, vec![x], ty.clone())
    }

    pub fn cast(&mut self, x: ValueId, dtype: DType) -> ValueId {
        let ty = self.ty(x);
        if ty.dtype == dtype {
            return x;
        }
        self.typed(OpKind::Cast, vec![x], Type::new(dtype, ty.shape))
    }

    pub fn reduce(&mut self, op: ReduceOp, x: ValueId, axes: &[usize], keepdims: bool) -> Result<ValueId, AdError> {
        if axes.is_empty() {
            return Ok(x);
        }
        self.op1(OpKind::Reduce { op, axes: axes.to_vec(), keepdims }, vec![x])
    }

    /// The adjoint of a broadcast from `to` to `g`'s type: sum over the broadcast axes, then
    /// reshape to `to` (the kept size-1 axes and dropped leading axes line up in row-major order).
    pub fn sum_to(&mut self, g: ValueId, to: &Type) -> Result<ValueId, AdError> {
        let from = self.ty(g);
        if from == *to {
            return Ok(g);
        }
        let offset = from.rank() - to.rank();
        let one = Size::constant(1);
        let axes: Vec<usize> =
            (0..from.rank()).filter(|&i| i < offset || (to.shape[i - offset] == one && from.shape[i] != one)).collect();
        let summed = self.reduce(ReduceOp::Sum, g, &axes, true)?;
        Ok(self.reshape(summed, to))
    }

    /// `g`, the result of reducing `x_ty` over `axes`, reshaped to the keepdims form and
    /// broadcast back to `x_ty`.
    pub fn unreduce(&mut self, g: ValueId, x_ty: &Type, axes: &[usize]) -> ValueId {
        let kept = self.keepdims(g, x_ty, axes);
        self.broadcast(kept, &Type::new(self.ty(g).dtype, x_ty.shape.clone()))
    }

    /// `g` reshaped to the keepdims form of reducing `x_ty` over `axes`.
    pub fn keepdims(&mut self, g: ValueId, x_ty: &Type, axes: &[usize]) -> ValueId {
        let kept = Type::new(self.ty(g).dtype, reduce_shape(&x_ty.shape, axes, true));
        self.reshape(g, &kept)
    }

    /// Swaps the last two axes (the transpose of a batched matrix).
    pub fn transpose_last2(&mut self, x: ValueId) -> Result<ValueId, AdError> {
        let r = self.ty(x).rank();
        let mut perm: Vec<usize> = (0..r).collect();
        perm.swap(r - 2, r - 1);
        self.op1(OpKind::Transpose { perm }, vec![x])
    }

    /// An `i64` scalar holding `size`.
    pub fn size(&mut self, size: &Size) -> ValueId {
        self.b.size_value(self.region, size)
    }

    /// `start, start + step, ...` as an `i64` vector of length `len`: the positions a slice reads.
    pub fn positions(&mut self, start: ValueId, step: i64, len: &Size) -> Result<ValueId, AdError> {
        let ty = Type::new(DType::I64, vec![len.clone()]);
        let mut idx = self.typed(OpKind::Iota { axis: 0 }, Vec::new(), ty.clone());
        if step != 1 {
            let s = self.fill(step as f64, &ty);
            idx = self.mul(idx, s)?;
        }
        let start = self.broadcast(start, &ty);
        self.add(idx, start)
    }

    /// Names `v` after its primal (`x` → `x_adj`) unless it already has a name.
    pub fn name_after(&mut self, v: ValueId, primal: Option<&str>, suffix: &str) {
        if let Some(p) = primal {
            if self.b.func.value(v).name.is_none() {
                self.b.name_value(v, &format!("{p}_{suffix}"));
            }
        }
    }
}

/// The size of a `For`'s leading stacked axis, as the verifier computes it.
pub fn count_size(f: &Function, count: ValueId) -> Size {
    if let ValueDef::Result { op, .. } = f.value(count).def {
        if let OpKind::Const(Literal::Int(c)) = f.op(op).kind {
            return Size::constant(c);
        }
    }
    Size::symbol(count)
}
