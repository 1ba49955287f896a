//! Ops that move elements: `Broadcast`, `Reshape`, `Transpose`, `Slice`, `Index` as strided
//! copies (the result written in row-major order, the operand read at `base + sum(i * stride)`),
//! and `Gather`, `ScatterAdd`, `Concat`, `Iota` as loops over `[outer, dim, inner]` views around
//! their axis. Indices from data are checked, all of them, before anything is read, as the
//! interpreter does.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;
use tf_ir::{DType, Op, OpId, Size, Type};

use super::{FnGen, Val, R};
use crate::sites::Reason;

/// Reads index `j` of a gather's or scatter's indices, as i64.
type IndexReader<'a, 'ctx> = Box<dyn Fn(&mut FnGen<'a, 'ctx>, IntValue<'ctx>) -> R<IntValue<'ctx>> + 'ctx>;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Row-major strides of `dims`.
    pub(crate) fn strides(&mut self, dims: &[IntValue<'ctx>]) -> R<Vec<IntValue<'ctx>>> {
        let mut out = vec![self.i64c(1); dims.len()];
        for i in (0..dims.len().saturating_sub(1)).rev() {
            out[i] = self.b.build_int_mul(out[i + 1], dims[i + 1], "")?;
        }
        Ok(out)
    }

    /// `(outer, dim, inner)` of `dims` around `axis`.
    pub(crate) fn around(&mut self, dims: &[IntValue<'ctx>], axis: usize) -> R<[IntValue<'ctx>; 3]> {
        let outer = self.product(&dims[..axis])?;
        let inner = self.product(&dims[axis + 1..])?;
        Ok([outer, dims[axis], inner])
    }

    /// Where a result of type `ty` is built: a fresh buffer, or a stack slot when it is rank 0.
    pub(crate) fn out_buffer(&mut self, ty: &Type) -> R<PointerValue<'ctx>> {
        if ty.is_scalar() {
            self.alloca(self.mem_ty(ty.dtype))
        } else {
            self.alloc(ty)
        }
    }

    /// The value built by `out_buffer`.
    pub(crate) fn finish(&mut self, ty: &Type, out: PointerValue<'ctx>) -> R<Val<'ctx>> {
        if ty.is_scalar() {
            Ok(Val::Scalar(self.load(ty.dtype, out, self.i64c(0))?))
        } else {
            Ok(Val::Tensor(out))
        }
    }

    /// A result of type `ty` whose element at index `idx` is `src[base + sum(idx * strides)]`.
    fn strided(
        &mut self,
        ty: &Type,
        src: PointerValue<'ctx>,
        base: IntValue<'ctx>,
        strides: &[IntValue<'ctx>],
    ) -> R<Val<'ctx>> {
        if ty.is_scalar() {
            return Ok(Val::Scalar(self.load(ty.dtype, src, base)?));
        }
        let d = ty.dtype;
        let dims = self.dims(ty)?;
        let out_strides = self.strides(&dims)?;
        let out = self.alloc(ty)?;
        self.for_nest(&dims, &mut |g, idx| {
            let (mut from, mut to) = (base, g.i64c(0));
            for (a, &i) in idx.iter().enumerate() {
                from = g.b.build_int_add(from, g.b.build_int_mul(i, strides[a], "")?, "")?;
                to = g.b.build_int_add(to, g.b.build_int_mul(i, out_strides[a], "")?, "")?;
            }
            let v = g.load(d, src, from)?;
            g.store(d, out, to, v)
        })?;
        Ok(Val::Tensor(out))
    }

    /// A tensor of type `ty` with every element `v`.
    fn fill(&mut self, ty: &Type, v: BasicValueEnum<'ctx>) -> R<Val<'ctx>> {
        if ty.is_scalar() {
            return Ok(Val::Scalar(v));
        }
        let out = self.alloc(ty)?;
        let n = self.numel(ty)?;
        self.for_range(n, &mut |g, i| g.store(ty.dtype, out, i, v))?;
        Ok(Val::Tensor(out))
    }

    pub(super) fn broadcast(&mut self, op: &Op) -> R<Val<'ctx>> {
        let (from, to) = (self.f.ty(op.operands[0]).clone(), self.f.ty(op.results[0]).clone());
        let src = match self.val(op.operands[0])? {
            Val::Scalar(v) => return self.fill(&to, v),
            Val::Tensor(p) => p,
        };
        let in_dims = self.dims(&from)?;
        let in_strides = self.strides(&in_dims)?;
        let offset = to.rank() - from.rank();
        let mut strides = vec![self.i64c(0); to.rank()];
        for (i, d) in from.shape.iter().enumerate() {
            // The verifier allows only a size-1 axis (repeated: stride 0) or the result's size.
            if *d != Size::constant(1) {
                strides[i + offset] = in_strides[i];
            }
        }
        self.strided(&to, src, self.i64c(0), &strides)
    }

    pub(super) fn reshape(&mut self, id: OpId, op: &Op) -> R<Val<'ctx>> {
        let to = self.f.ty(op.results[0]).clone();
        match self.val(op.operands[0])? {
            Val::Scalar(v) => self.fill(&to, v),
            Val::Tensor(p) if to.is_scalar() => Ok(Val::Scalar(self.load(to.dtype, p, self.i64c(0))?)),
            // The operand dies here: its buffer becomes the result's.
            Val::Tensor(p) if self.is_moved(id, 0) => Ok(Val::Tensor(p)),
            Val::Tensor(p) => Ok(Val::Tensor(self.copy(&to, p)?)),
        }
    }

    pub(super) fn transpose(&mut self, perm: &[usize], op: &Op) -> R<Val<'ctx>> {
        let (from, to) = (self.f.ty(op.operands[0]).clone(), self.f.ty(op.results[0]).clone());
        let src = match self.val(op.operands[0])? {
            Val::Scalar(v) => return Ok(Val::Scalar(v)),
            Val::Tensor(p) => p,
        };
        let in_dims = self.dims(&from)?;
        let in_strides = self.strides(&in_dims)?;
        let strides: Vec<IntValue> = perm.iter().map(|&p| in_strides[p]).collect();
        self.strided(&to, src, self.i64c(0), &strides)
    }

    pub(super) fn slice(&mut self, axis: usize, step: i64, op: &Op) -> R<Val<'ctx>> {
        let (from, to) = (self.f.ty(op.operands[0]).clone(), self.f.ty(op.results[0]).clone());
        let src = self.tensor(op.operands[0])?;
        let start = self.int(op.operands[1])?;
        let in_dims = self.dims(&from)?;
        let len = self.size(&to.shape[axis])?;
        // Out of range unless empty or `0 <= start` and `start + (len - 1) * step < dim`, in
        // 128 bits so that no product can wrap into range.
        let b = self.b;
        let wide = self.cx.i128_type();
        let w = |v: IntValue<'ctx>| b.build_int_s_extend(v, wide, "");
        let last = b.build_int_add(
            w(start)?,
            b.build_int_mul(
                b.build_int_sub(w(len)?, wide.const_int(1, false), "")?,
                wide.const_int(step as u64, true),
                "",
            )?,
            "",
        )?;
        let nonempty = b.build_int_compare(IntPredicate::SGT, len, self.i64c(0), "")?;
        let below = b.build_int_compare(IntPredicate::SLT, start, self.i64c(0), "")?;
        let beyond = b.build_int_compare(IntPredicate::SGE, last, w(in_dims[axis])?, "")?;
        let bad = b.build_and(nonempty, b.build_or(below, beyond, "")?, "")?;
        self.fail_if(bad, Reason::SliceRead, &[len, start, self.i64c(step), in_dims[axis]])?;
        let mut strides = self.strides(&in_dims)?;
        let base = self.b.build_int_mul(start, strides[axis], "")?;
        strides[axis] = self.b.build_int_mul(strides[axis], self.i64c(step), "")?;
        self.strided(&to, src, base, &strides)
    }

    /// Fails unless `0 <= i < dim` (one unsigned comparison covers both).
    fn check_index(&mut self, i: IntValue<'ctx>, dim: IntValue<'ctx>) -> R<()> {
        let bad = self.b.build_int_compare(IntPredicate::UGE, i, dim, "")?;
        self.fail_if(bad, Reason::IndexRead, &[i, dim])
    }

    pub(super) fn index(&mut self, axis: usize, op: &Op) -> R<Val<'ctx>> {
        let (from, to) = (self.f.ty(op.operands[0]).clone(), self.f.ty(op.results[0]).clone());
        let src = self.tensor(op.operands[0])?;
        let i = self.int(op.operands[1])?;
        let in_dims = self.dims(&from)?;
        self.check_index(i, in_dims[axis])?;
        let mut strides = self.strides(&in_dims)?;
        let base = self.b.build_int_mul(i, strides.remove(axis), "")?;
        self.strided(&to, src, base, &strides)
    }

    /// The indices of a gather or scatter: a count and a way to read index `j` as i64.
    fn indices(&mut self, v: tf_ir::ValueId) -> R<(IntValue<'ctx>, IndexReader<'a, 'ctx>)> {
        let ty = self.f.ty(v).clone();
        let d = ty.dtype;
        let wide = move |g: &mut Self, x: IntValue<'ctx>| -> R<IntValue<'ctx>> {
            Ok(if d == DType::I32 { g.b.build_int_s_extend(x, g.cx.i64_type(), "")? } else { x })
        };
        match self.val(v)? {
            Val::Scalar(s) => {
                let s = s.into_int_value();
                Ok((self.i64c(1), Box::new(move |g, _| wide(g, s))))
            }
            Val::Tensor(p) => {
                let n = self.numel(&ty)?;
                Ok((
                    n,
                    Box::new(move |g, j| {
                        let x = g.load(d, p, j)?.into_int_value();
                        wide(g, x)
                    }),
                ))
            }
        }
    }

    /// Checks every index against the axis length.
    fn check_all(
        &mut self,
        n: IntValue<'ctx>,
        read: &dyn Fn(&mut Self, IntValue<'ctx>) -> R<IntValue<'ctx>>,
        dim: IntValue<'ctx>,
    ) -> R<()> {
        self.for_range(n, &mut |g, j| {
            let i = read(g, j)?;
            g.check_index(i, dim)
        })
    }

    pub(super) fn gather(&mut self, axis: usize, op: &Op) -> R<Val<'ctx>> {
        let (from, to) = (self.f.ty(op.operands[0]).clone(), self.f.ty(op.results[0]).clone());
        let d = from.dtype;
        let src = self.tensor(op.operands[0])?;
        let (n, read) = self.indices(op.operands[1])?;
        let in_dims = self.dims(&from)?;
        let [outer, dim, inner] = self.around(&in_dims, axis)?;
        self.check_all(n, &*read, dim)?;
        let out = self.out_buffer(&to)?;
        self.for_range(outer, &mut |g, o| {
            g.for_range(n, &mut |g, j| {
                let i = read(g, j)?;
                let from_row =
                    g.b.build_int_mul(g.b.build_int_add(g.b.build_int_mul(o, dim, "")?, i, "")?, inner, "")?;
                let to_row = g.b.build_int_mul(g.b.build_int_add(g.b.build_int_mul(o, n, "")?, j, "")?, inner, "")?;
                g.for_range(inner, &mut |g, k| {
                    let v = g.load(d, src, g.b.build_int_add(from_row, k, "")?)?;
                    g.store(d, out, g.b.build_int_add(to_row, k, "")?, v)
                })
            })
        })?;
        self.finish(&to, out)
    }

    pub(super) fn scatter_add(&mut self, axis: usize, op: &Op) -> R<Val<'ctx>> {
        let ty = self.f.ty(op.operands[0]).clone();
        let d = ty.dtype;
        let target = self.tensor(op.operands[0])?;
        let (n, read) = self.indices(op.operands[1])?;
        let updates = self.val(op.operands[2])?;
        let dims = self.dims(&ty)?;
        let [outer, dim, inner] = self.around(&dims, axis)?;
        self.check_all(n, &*read, dim)?;
        let out = self.copy(&ty, target)?;
        // In row-major order of the updates, so repeated indices accumulate in that order.
        self.for_range(outer, &mut |g, o| {
            g.for_range(n, &mut |g, j| {
                let i = read(g, j)?;
                let to_row = g.b.build_int_mul(g.b.build_int_add(g.b.build_int_mul(o, dim, "")?, i, "")?, inner, "")?;
                let from_row = g.b.build_int_mul(g.b.build_int_add(g.b.build_int_mul(o, n, "")?, j, "")?, inner, "")?;
                g.for_range(inner, &mut |g, k| {
                    let u = match updates {
                        Val::Scalar(s) => s,
                        Val::Tensor(p) => g.load(d, p, g.b.build_int_add(from_row, k, "")?)?,
                    };
                    let at = g.b.build_int_add(to_row, k, "")?;
                    let old = g.load(d, out, at)?;
                    let sum = g.accumulate(d, old, u)?;
                    g.store(d, out, at, sum)
                })
            })
        })?;
        Ok(Val::Tensor(out))
    }

    /// Addition as sums compute it: wrapping for integers, `or` for bools.
    pub(crate) fn accumulate(
        &mut self,
        d: DType,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> R<BasicValueEnum<'ctx>> {
        let op = if d == DType::Bool { tf_ir::BinaryOp::Or } else { tf_ir::BinaryOp::Add };
        self.binary_scalar(op, d, a, b)
    }

    pub(super) fn concat(&mut self, axis: usize, op: &Op) -> R<Val<'ctx>> {
        let to = self.f.ty(op.results[0]).clone();
        let size = self.i64c(super::util::elem_size(to.dtype) as i64);
        let out_dims = self.dims(&to)?;
        let [outer, _, inner] = self.around(&out_dims, axis)?;
        let mut parts = Vec::new();
        for &v in &op.operands {
            let ty = self.f.ty(v).clone();
            let len = self.size(&ty.shape[axis])?;
            let block = self.b.build_int_mul(len, inner, "")?;
            parts.push((self.tensor(v)?, block));
        }
        let total = {
            let mut t = self.i64c(0);
            for &(_, block) in &parts {
                t = self.b.build_int_add(t, block, "")?;
            }
            t
        };
        let out = self.alloc(&to)?;
        let elem = self.mem_ty(to.dtype);
        self.for_range(outer, &mut |g, o| {
            let mut offset = g.b.build_int_mul(o, total, "")?;
            for &(src, block) in &parts {
                let from = crate::gep::element(g.b, elem, src, g.b.build_int_mul(o, block, "")?)?;
                let dst = crate::gep::element(g.b, elem, out, offset)?;
                g.b.build_memcpy(dst, 1, from, 1, g.b.build_int_mul(block, size, "")?)?;
                offset = g.b.build_int_add(offset, block, "")?;
            }
            Ok(())
        })?;
        Ok(Val::Tensor(out))
    }

    pub(super) fn iota(&mut self, axis: usize, op: &Op) -> R<Val<'ctx>> {
        let to = self.f.ty(op.results[0]).clone();
        let dims = self.dims(&to)?;
        let [outer, dim, inner] = self.around(&dims, axis)?;
        let out = self.alloc(&to)?;
        self.for_range(outer, &mut |g, o| {
            g.for_range(dim, &mut |g, j| {
                let v = g.cast_scalar(DType::I64, to.dtype, j.into())?;
                let row = g.b.build_int_mul(g.b.build_int_add(g.b.build_int_mul(o, dim, "")?, j, "")?, inner, "")?;
                g.for_range(inner, &mut |g, k| g.store(to.dtype, out, g.b.build_int_add(row, k, "")?, v))
            })
        })?;
        Ok(Val::Tensor(out))
    }
}
