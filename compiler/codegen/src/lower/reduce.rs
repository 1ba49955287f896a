//! Ops that combine many elements: `Reduce`, `ArgReduce`, `MatMul`. Reductions visit the
//! operand in row-major order and fold into each output slot from the identity, as the
//! interpreter does, so even float results agree bit for bit; when the reduced axes are the
//! trailing ones (the common case) each output is folded in a register. Float matmul calls
//! the runtime's GEMM once per batch (it associates differently: compare with tolerances);
//! integer and bool matmul are loops summing in order of `p`.

use inkwell::values::{BasicValueEnum, IntValue};
use inkwell::FloatPredicate;
use tf_ir::{ArgReduceOp, BinaryOp, CmpOp, DType, Literal, Op, ReduceOp};

use super::{FnGen, Val, R};
use crate::error::CodegenError;
use crate::sites::Reason;

/// The binary op a reduction folds with, and its identity (what an empty axis reduces to).
fn fold(op: ReduceOp, d: DType) -> R<(BinaryOp, Literal)> {
    let big = |negative: bool| match d {
        DType::F32 | DType::F64 => Literal::Float(if negative { f64::NEG_INFINITY } else { f64::INFINITY }),
        DType::I32 => Literal::Int(if negative { i64::from(i32::MIN) } else { i64::from(i32::MAX) }),
        DType::I64 => Literal::Int(if negative { i64::MIN } else { i64::MAX }),
        DType::Bool => Literal::Bool(!negative),
    };
    Ok(match (op, d) {
        (ReduceOp::Sum, DType::Bool) | (ReduceOp::Prod, DType::Bool) => {
            return Err(CodegenError::Invalid(format!("{op:?} of bool")))
        }
        (ReduceOp::Sum, _) => (BinaryOp::Add, Literal::Int(0)),
        (ReduceOp::Prod, _) => (BinaryOp::Mul, Literal::Int(1)),
        (ReduceOp::Max, _) => (BinaryOp::Max, big(true)),
        (ReduceOp::Min, _) => (BinaryOp::Min, big(false)),
        (ReduceOp::All, _) => (BinaryOp::And, Literal::Bool(true)),
        (ReduceOp::Any, _) => (BinaryOp::Or, Literal::Bool(false)),
    })
}

impl<'ctx> FnGen<'_, 'ctx> {
    pub(super) fn reduce(&mut self, rop: ReduceOp, axes: &[usize], op: &Op) -> R<Val<'ctx>> {
        let (x_ty, to) = (self.f.ty(op.operands[0]).clone(), self.f.ty(op.results[0]).clone());
        let d = x_ty.dtype;
        let (bop, identity) = fold(rop, d)?;
        let init = self.const_value(identity, d);
        let src = match self.val(op.operands[0])? {
            Val::Scalar(x) => return Ok(Val::Scalar(self.binary_scalar(bop, d, init, x)?)),
            Val::Tensor(p) => p,
        };
        let dims = self.dims(&x_ty)?;
        let out = self.out_buffer(&to)?;
        let rank = dims.len();
        let trailing = axes.iter().enumerate().all(|(i, &a)| a == rank - axes.len() + i);
        if trailing {
            // Output `o` folds the contiguous block `o * inner .. (o + 1) * inner`.
            let n_out = self.product(&dims[..rank - axes.len()])?;
            let inner = self.product(&dims[rank - axes.len()..])?;
            self.for_range(n_out, &mut |g, o| {
                let acc = g.alloca(g.reg_ty(d))?;
                g.b.build_store(acc, init)?;
                let row = g.b.build_int_mul(o, inner, "")?;
                g.for_range(inner, &mut |g, k| {
                    let x = g.load(d, src, g.b.build_int_add(row, k, "")?)?;
                    let a = g.b.build_load(g.reg_ty(d), acc, "")?;
                    let r = g.binary_scalar(bop, d, a, x)?;
                    g.b.build_store(acc, r)?;
                    Ok(())
                })?;
                let a = g.b.build_load(g.reg_ty(d), acc, "")?;
                g.store(d, out, o, a)
            })?;
            return self.finish(&to, out);
        }
        // Each input element's output slot: its index with the reduced axes zeroed.
        let kept: Vec<IntValue> =
            dims.iter().enumerate().map(|(i, &n)| if axes.contains(&i) { self.i64c(1) } else { n }).collect();
        let mut to_out = self.strides(&kept)?;
        for &a in axes {
            to_out[a] = self.i64c(0);
        }
        let in_strides = self.strides(&dims)?;
        let n_out = self.product(&kept)?;
        self.for_range(n_out, &mut |g, o| g.store(d, out, o, init))?;
        self.for_nest(&dims, &mut |g, idx| {
            let (mut from, mut at) = (g.i64c(0), g.i64c(0));
            for (a, &i) in idx.iter().enumerate() {
                from = g.b.build_int_add(from, g.b.build_int_mul(i, in_strides[a], "")?, "")?;
                at = g.b.build_int_add(at, g.b.build_int_mul(i, to_out[a], "")?, "")?;
            }
            let x = g.load(d, src, from)?;
            let acc = g.load(d, out, at)?;
            let r = g.binary_scalar(bop, d, acc, x)?;
            g.store(d, out, at, r)
        })?;
        self.finish(&to, out)
    }

    /// Whether `new` beats `best`: a NaN beats any number and nothing beats a NaN (the first
    /// NaN wins), otherwise strictly greater (argmax) or smaller, so the first extreme wins.
    fn better(
        &mut self,
        aop: ArgReduceOp,
        d: DType,
        new: BasicValueEnum<'ctx>,
        best: BasicValueEnum<'ctx>,
    ) -> R<IntValue<'ctx>> {
        let cmp = if aop == ArgReduceOp::ArgMax { CmpOp::Gt } else { CmpOp::Lt };
        let strictly = self.compare_scalar(cmp, d, new, best)?;
        if !d.is_float() {
            return Ok(strictly);
        }
        let b = self.b;
        let (n, bst) = (new.into_float_value(), best.into_float_value());
        let best_ok = b.build_float_compare(FloatPredicate::ORD, bst, bst, "")?;
        let new_nan = b.build_float_compare(FloatPredicate::UNO, n, n, "")?;
        Ok(b.build_and(best_ok, b.build_or(new_nan, strictly, "")?, "")?)
    }

    pub(super) fn arg_reduce(&mut self, aop: ArgReduceOp, axis: usize, op: &Op) -> R<Val<'ctx>> {
        let (x_ty, to) = (self.f.ty(op.operands[0]).clone(), self.f.ty(op.results[0]).clone());
        let d = x_ty.dtype;
        let src = self.tensor(op.operands[0])?;
        let dims = self.dims(&x_ty)?;
        let [outer, dim, inner] = self.around(&dims, axis)?;
        let b = self.b;
        let zero = self.i64c(0);
        let empty = b.build_int_compare(inkwell::IntPredicate::EQ, dim, zero, "")?;
        let outer_some = b.build_int_compare(inkwell::IntPredicate::SGT, outer, zero, "")?;
        let inner_some = b.build_int_compare(inkwell::IntPredicate::SGT, inner, zero, "")?;
        let bad = b.build_and(empty, b.build_and(outer_some, inner_some, "")?, "")?;
        let which = self.i64c(if aop == ArgReduceOp::ArgMax { 0 } else { 1 });
        self.fail_if(bad, Reason::EmptyArgReduce, &[which])?;
        let out = self.out_buffer(&to)?;
        let best_at = self.alloca(self.cx.i64_type().into())?;
        let best_v = self.alloca(self.reg_ty(d))?;
        let rest = self.b.build_int_sub(dim, self.i64c(1), "")?;
        self.for_range(outer, &mut |g, o| {
            g.for_range(inner, &mut |g, k| {
                let base = g.b.build_int_add(g.b.build_int_mul(g.b.build_int_mul(o, dim, "")?, inner, "")?, k, "")?;
                let first = g.load(d, src, base)?;
                g.b.build_store(best_at, g.i64c(0))?;
                g.b.build_store(best_v, first)?;
                g.for_range(rest, &mut |g, j| {
                    let j = g.b.build_int_add(j, g.i64c(1), "")?;
                    let at = g.b.build_int_add(base, g.b.build_int_mul(j, inner, "")?, "")?;
                    let v = g.load(d, src, at)?;
                    let best = g.b.build_load(g.reg_ty(d), best_v, "")?;
                    let better = g.better(aop, d, v, best)?;
                    let i_old = g.b.build_load(g.cx.i64_type(), best_at, "")?;
                    let i_new = g.b.build_select(better, j.into(), i_old, "")?;
                    let v_new = g.b.build_select(better, v, best, "")?;
                    g.b.build_store(best_at, i_new)?;
                    g.b.build_store(best_v, v_new)?;
                    Ok(())
                })?;
                let i = g.b.build_load(g.cx.i64_type(), best_at, "")?;
                g.store(DType::I64, out, g.b.build_int_add(g.b.build_int_mul(o, inner, "")?, k, "")?, i)
            })
        })?;
        self.finish(&to, out)
    }

    pub(super) fn matmul(&mut self, op: &Op) -> R<Val<'ctx>> {
        let (a_ty, b_ty, to) =
            (self.f.ty(op.operands[0]).clone(), self.f.ty(op.operands[1]).clone(), self.f.ty(op.results[0]).clone());
        let d = a_ty.dtype;
        let (pa, pb) = (self.tensor(op.operands[0])?, self.tensor(op.operands[1])?);
        let (a_dims, b_dims) = (self.dims(&a_ty)?, self.dims(&b_ty)?);
        let r = a_dims.len();
        let batch = self.product(&a_dims[..r - 2])?;
        let (m, k, n) = (a_dims[r - 2], a_dims[r - 1], b_dims[r - 1]);
        let b = self.b;
        let (mk, kn, mn) = (b.build_int_mul(m, k, "")?, b.build_int_mul(k, n, "")?, b.build_int_mul(m, n, "")?);
        let out = self.alloc(&to)?;
        let elem = self.mem_ty(d);
        self.for_range(batch, &mut |g, bt| {
            let at = |g: &mut Self, p, size| -> R<_> {
                Ok(crate::gep::element(g.b, elem, p, g.b.build_int_mul(bt, size, "")?)?)
            };
            let (x, y, z) = (at(g, pa, mk)?, at(g, pb, kn)?, at(g, out, mn)?);
            if d.is_float() {
                let (name, ft) =
                    if d == DType::F32 { ("tf_rt_sgemm", g.cx.f32_type()) } else { ("tf_rt_dgemm", g.cx.f64_type()) };
                let (one, zero) = (ft.const_float(1.0), ft.const_float(0.0));
                let no = g.i32c(0);
                let args = [
                    m.into(),
                    n.into(),
                    k.into(),
                    one.into(),
                    x.into(),
                    k.into(),
                    no.into(),
                    y.into(),
                    n.into(),
                    no.into(),
                    zero.into(),
                    z.into(),
                    n.into(),
                ];
                let status = g.call(name, &args)?.ok_or_else(|| CodegenError::Llvm("gemm".into()))?;
                g.check_status(status.into_int_value())
            } else {
                g.int_matmul(d, (x, y, z), (m, k, n))
            }
        })?;
        Ok(Val::Tensor(out))
    }

    /// `z[i, j] = sum_p x[i, p] * y[p, j]` from zero, in order of `p` (wrapping; or/and for bool).
    fn int_matmul(
        &mut self,
        d: DType,
        (x, y, z): (
            inkwell::values::PointerValue<'ctx>,
            inkwell::values::PointerValue<'ctx>,
            inkwell::values::PointerValue<'ctx>,
        ),
        (m, k, n): (IntValue<'ctx>, IntValue<'ctx>, IntValue<'ctx>),
    ) -> R<()> {
        let zero = self.const_value(Literal::Int(0), d);
        let mul = if d == DType::Bool { BinaryOp::And } else { BinaryOp::Mul };
        let acc = self.alloca(self.reg_ty(d))?;
        self.for_range(m, &mut |g, i| {
            g.for_range(n, &mut |g, j| {
                g.b.build_store(acc, zero)?;
                g.for_range(k, &mut |g, p| {
                    let xv = g.load(d, x, g.b.build_int_add(g.b.build_int_mul(i, k, "")?, p, "")?)?;
                    let yv = g.load(d, y, g.b.build_int_add(g.b.build_int_mul(p, n, "")?, j, "")?)?;
                    let prod = g.binary_scalar(mul, d, xv, yv)?;
                    let a = g.b.build_load(g.reg_ty(d), acc, "")?;
                    let s = g.accumulate(d, a, prod)?;
                    g.b.build_store(acc, s)?;
                    Ok(())
                })?;
                let a = g.b.build_load(g.reg_ty(d), acc, "")?;
                g.store(d, z, g.b.build_int_add(g.b.build_int_mul(i, n, "")?, j, "")?, a)
            })
        })
    }
}
