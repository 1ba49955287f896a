//! What every op's lowering shares: LLVM types of dtypes, element loads and stores (bools are
//! bytes in memory and `i1` in registers), sizes evaluated from the size values in scope,
//! allocation through the runtime, loops, argument slots, and the failure path (record the
//! error through a helper, then return a non-zero status).

use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};
use tf_ir::{DType, Size, Type, ValueId};

use super::{FnGen, Val, R};
use crate::decls::declare;
use crate::error::CodegenError;
use crate::gep;
use crate::sites::Reason;

/// Bytes per element in memory.
pub(crate) fn elem_size(d: DType) -> u64 {
    match d {
        DType::F32 | DType::I32 => 4,
        DType::F64 | DType::I64 => 8,
        DType::Bool => 1,
    }
}

/// The runtime's dtype code (runtime/ABI.md).
pub(crate) fn dtype_code(d: DType) -> u64 {
    match d {
        DType::F32 => 0,
        DType::F64 => 1,
        DType::I32 => 2,
        DType::I64 => 3,
        DType::Bool => 4,
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The type of an element in memory.
    pub(crate) fn mem_ty(&self, d: DType) -> BasicTypeEnum<'ctx> {
        match d {
            DType::F32 => self.cx.f32_type().into(),
            DType::F64 => self.cx.f64_type().into(),
            DType::I32 => self.cx.i32_type().into(),
            DType::I64 => self.cx.i64_type().into(),
            DType::Bool => self.cx.i8_type().into(),
        }
    }

    pub(crate) fn i64c(&self, v: i64) -> IntValue<'ctx> {
        self.cx.i64_type().const_int(v as u64, true)
    }

    pub(crate) fn i32c(&self, v: u32) -> IntValue<'ctx> {
        self.cx.i32_type().const_int(u64::from(v), false)
    }

    pub(crate) fn scalar(&self, v: ValueId) -> R<BasicValueEnum<'ctx>> {
        match self.val(v)? {
            Val::Scalar(s) => Ok(s),
            Val::Tensor(_) => Err(CodegenError::Invalid(format!("%{} should be a scalar", v.index()))),
        }
    }

    pub(crate) fn int(&self, v: ValueId) -> R<IntValue<'ctx>> {
        Ok(self.scalar(v)?.into_int_value())
    }

    pub(crate) fn tensor(&self, v: ValueId) -> R<PointerValue<'ctx>> {
        match self.val(v)? {
            Val::Tensor(p) => Ok(p),
            Val::Scalar(_) => Err(CodegenError::Invalid(format!("%{} should be a tensor", v.index()))),
        }
    }

    /// A dimension's value, from the size values it mentions.
    pub(crate) fn size(&mut self, s: &Size) -> R<IntValue<'ctx>> {
        let mut total: Option<IntValue> = None;
        for (monomial, coefficient) in s.terms() {
            let mut term = self.i64c(coefficient);
            for &sym in monomial {
                let x = self.int(sym)?;
                term = self.b.build_int_mul(term, x, "")?;
            }
            total = Some(match total {
                None => term,
                Some(t) => self.b.build_int_add(t, term, "")?,
            });
        }
        Ok(total.unwrap_or_else(|| self.i64c(0)))
    }

    pub(crate) fn dims(&mut self, ty: &Type) -> R<Vec<IntValue<'ctx>>> {
        ty.shape.iter().map(|d| self.size(d)).collect()
    }

    pub(crate) fn product(&mut self, dims: &[IntValue<'ctx>]) -> R<IntValue<'ctx>> {
        let mut n = self.i64c(1);
        for &d in dims {
            n = self.b.build_int_mul(n, d, "")?;
        }
        Ok(n)
    }

    pub(crate) fn numel(&mut self, ty: &Type) -> R<IntValue<'ctx>> {
        let dims = self.dims(ty)?;
        self.product(&dims)
    }

    /// A stack slot, allocated once in the entry block.
    pub(crate) fn alloca(&mut self, ty: BasicTypeEnum<'ctx>) -> R<PointerValue<'ctx>> {
        Ok(self.allocas.build_alloca(ty, "")?)
    }

    /// `dims` stored in the function's scratch array (for helpers taking a shape).
    pub(crate) fn scratch_dims(&mut self, dims: &[IntValue<'ctx>]) -> R<PointerValue<'ctx>> {
        let scratch = match self.scratch {
            Some(p) => p,
            None => {
                let most = self.f.values.iter().map(|v| v.ty.rank()).max().unwrap_or(0).max(1);
                let p = self.alloca(self.cx.i64_type().array_type(most as u32).into())?;
                self.scratch = Some(p);
                p
            }
        };
        for (i, &d) in dims.iter().enumerate() {
            let at = gep::element(self.b, self.cx.i64_type().into(), scratch, self.i64c(i as i64))?;
            self.b.build_store(at, d)?;
        }
        Ok(scratch)
    }

    pub(crate) fn call(
        &mut self,
        name: &str,
        args: &[BasicMetadataValueEnum<'ctx>],
    ) -> R<Option<BasicValueEnum<'ctx>>> {
        let f = declare(self.cx, self.m, name)?;
        Ok(self.b.build_call(f, args, "")?.try_as_basic_value().basic())
    }

    /// A fresh buffer for a tensor of type `ty`, failing (negative or huge dimensions, no
    /// memory) at the current op.
    pub(crate) fn alloc(&mut self, ty: &Type) -> R<PointerValue<'ctx>> {
        let dims = self.dims(ty)?;
        self.alloc_dims(ty.dtype, &dims)
    }

    pub(crate) fn alloc_dims(&mut self, d: DType, dims: &[IntValue<'ctx>]) -> R<PointerValue<'ctx>> {
        let scratch = self.scratch_dims(dims)?;
        let site = self.site();
        let args = [
            self.i32c(dims.len() as u32).into(),
            scratch.into(),
            self.i64c(elem_size(d) as i64).into(),
            self.i32c(site).into(),
        ];
        let p = self.call("tfcg_alloc", &args)?.ok_or_else(|| CodegenError::Llvm("tfcg_alloc".into()))?;
        let p = p.into_pointer_value();
        let null = self.b.build_is_null(p, "")?;
        self.return_if(null)?;
        Ok(p)
    }

    /// A copy of a tensor of type `ty` in a fresh buffer.
    pub(crate) fn copy(&mut self, ty: &Type, src: PointerValue<'ctx>) -> R<PointerValue<'ctx>> {
        let dst = self.alloc(ty)?;
        let n = self.numel(ty)?;
        let bytes = self.b.build_int_mul(n, self.i64c(elem_size(ty.dtype) as i64), "")?;
        self.b.build_memcpy(dst, 64, src, 64, bytes)?;
        Ok(dst)
    }

    pub(crate) fn free(&mut self, v: ValueId) -> R<()> {
        if let Val::Tensor(p) = self.val(v)? {
            self.call("tf_rt_free", &[p.into()])?;
        }
        Ok(())
    }

    /// Element `index` of a buffer, in register form.
    pub(crate) fn load(&mut self, d: DType, ptr: PointerValue<'ctx>, index: IntValue<'ctx>) -> R<BasicValueEnum<'ctx>> {
        let ty = self.mem_ty(d);
        let at = gep::element(self.b, ty, ptr, index)?;
        let v = self.b.build_load(ty, at, "")?;
        self.mem_to_reg(d, v)
    }

    pub(crate) fn store(
        &mut self,
        d: DType,
        ptr: PointerValue<'ctx>,
        index: IntValue<'ctx>,
        v: BasicValueEnum<'ctx>,
    ) -> R<()> {
        let at = gep::element(self.b, self.mem_ty(d), ptr, index)?;
        let v = self.reg_to_mem(d, v)?;
        self.b.build_store(at, v)?;
        Ok(())
    }

    /// A bool byte (0 or 1) as `i1`; other dtypes as they are.
    pub(crate) fn mem_to_reg(&mut self, d: DType, v: BasicValueEnum<'ctx>) -> R<BasicValueEnum<'ctx>> {
        Ok(match d {
            DType::Bool => {
                let zero = self.cx.i8_type().const_zero();
                self.b.build_int_compare(IntPredicate::NE, v.into_int_value(), zero, "")?.into()
            }
            _ => v,
        })
    }

    pub(crate) fn reg_to_mem(&mut self, d: DType, v: BasicValueEnum<'ctx>) -> R<BasicValueEnum<'ctx>> {
        Ok(match d {
            DType::Bool => self.b.build_int_z_extend(v.into_int_value(), self.cx.i8_type(), "")?.into(),
            _ => v,
        })
    }

    /// `for i in 0..n { body(i) }`.
    pub(crate) fn for_range(
        &mut self,
        n: IntValue<'ctx>,
        body: &mut dyn FnMut(&mut Self, IntValue<'ctx>) -> R<()>,
    ) -> R<()> {
        self.for_between(self.i64c(0), n, body)
    }

    /// `for i in lo..hi { body(i) }`.
    pub(crate) fn for_between(
        &mut self,
        lo: IntValue<'ctx>,
        n: IntValue<'ctx>,
        body: &mut dyn FnMut(&mut Self, IntValue<'ctx>) -> R<()>,
    ) -> R<()> {
        let before = self.b.get_insert_block().ok_or_else(|| CodegenError::Llvm("no insert block".into()))?;
        let header = self.cx.append_basic_block(self.fv, "loop");
        let inner = self.cx.append_basic_block(self.fv, "body");
        let exit = self.cx.append_basic_block(self.fv, "done");
        self.b.build_unconditional_branch(header)?;
        self.b.position_at_end(header);
        let i = self.b.build_phi(self.cx.i64_type(), "i")?;
        i.add_incoming(&[(&lo, before)]);
        let iv = i.as_basic_value().into_int_value();
        let go = self.b.build_int_compare(IntPredicate::SLT, iv, n, "")?;
        self.b.build_conditional_branch(go, inner, exit)?;
        self.b.position_at_end(inner);
        body(self, iv)?;
        let next = self.b.build_int_nsw_add(iv, self.i64c(1), "")?;
        let end = self.b.get_insert_block().ok_or_else(|| CodegenError::Llvm("no insert block".into()))?;
        self.b.build_unconditional_branch(header)?;
        i.add_incoming(&[(&next, end)]);
        self.b.position_at_end(exit);
        Ok(())
    }

    /// A loop nest over every index of `dims` in row-major order; `body` gets the index.
    pub(crate) fn for_nest(
        &mut self,
        dims: &[IntValue<'ctx>],
        body: &mut dyn FnMut(&mut Self, &[IntValue<'ctx>]) -> R<()>,
    ) -> R<()> {
        fn go<'a, 'ctx>(
            g: &mut FnGen<'a, 'ctx>,
            dims: &[IntValue<'ctx>],
            index: &mut Vec<IntValue<'ctx>>,
            body: &mut dyn FnMut(&mut FnGen<'a, 'ctx>, &[IntValue<'ctx>]) -> R<()>,
        ) -> R<()> {
            if index.len() == dims.len() {
                return body(g, index);
            }
            let n = dims[index.len()];
            g.for_range(n, &mut |g, i| {
                index.push(i);
                let r = go(g, dims, index, body);
                index.pop();
                r
            })
        }
        go(self, dims, &mut Vec::new(), body)
    }

    /// Returns status 1 from the function when `cond` holds (the error is already recorded).
    pub(crate) fn return_if(&mut self, cond: IntValue<'ctx>) -> R<()> {
        let fail = self.cx.append_basic_block(self.fv, "fail");
        let ok = self.cx.append_basic_block(self.fv, "ok");
        self.b.build_conditional_branch(cond, fail, ok)?;
        self.b.position_at_end(fail);
        self.b.build_return(Some(&self.cx.i32_type().const_int(1, false)))?;
        self.b.position_at_end(ok);
        Ok(())
    }

    /// When `cond` holds: records `reason` with up to four numbers at the current op, returns.
    pub(crate) fn fail_if(&mut self, cond: IntValue<'ctx>, reason: Reason, nums: &[IntValue<'ctx>]) -> R<()> {
        let fail = self.cx.append_basic_block(self.fv, "fail");
        let ok = self.cx.append_basic_block(self.fv, "ok");
        self.b.build_conditional_branch(cond, fail, ok)?;
        self.b.position_at_end(fail);
        let site = self.site();
        let mut args: Vec<BasicMetadataValueEnum> = vec![self.i32c(site).into(), self.i32c(reason as u32).into()];
        for k in 0..4 {
            let n = nums.get(k).copied().unwrap_or_else(|| self.i64c(0));
            args.push(n.into());
        }
        self.call("tfcg_fail", &args)?;
        self.b.build_return(Some(&self.cx.i32_type().const_int(1, false)))?;
        self.b.position_at_end(ok);
        Ok(())
    }

    /// After a call that returns a status: on non-zero, locate the error at the current op
    /// (unless it has a site already) and return the status.
    pub(crate) fn check_status(&mut self, status: IntValue<'ctx>) -> R<()> {
        let failed = self.b.build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "")?;
        let fail = self.cx.append_basic_block(self.fv, "fail");
        let ok = self.cx.append_basic_block(self.fv, "ok");
        self.b.build_conditional_branch(failed, fail, ok)?;
        self.b.position_at_end(fail);
        let site = self.site();
        self.call("tfcg_locate", &[self.i32c(site).into()])?;
        self.b.build_return(Some(&status))?;
        self.b.position_at_end(ok);
        Ok(())
    }

    /// Slot `k` (8 bytes) of an argument or result array.
    pub(crate) fn slot(&mut self, array: PointerValue<'ctx>, k: usize) -> R<PointerValue<'ctx>> {
        Ok(gep::element(self.b, self.cx.i64_type().into(), array, self.i64c(k as i64))?)
    }

    /// The value of `v`'s type held in slot `k`: the scalar itself, or a tensor's pointer.
    pub(crate) fn read_slot(&mut self, array: PointerValue<'ctx>, k: usize, v: ValueId) -> R<Val<'ctx>> {
        let slot = self.slot(array, k)?;
        let ty = self.f.ty(v);
        if ty.is_scalar() {
            let d = ty.dtype;
            let raw = self.b.build_load(self.mem_ty(d), slot, "")?;
            Ok(Val::Scalar(self.mem_to_reg(d, raw)?))
        } else {
            let p = self.b.build_load(self.cx.ptr_type(AddressSpace::default()), slot, "")?;
            Ok(Val::Tensor(p.into_pointer_value()))
        }
    }

    pub(crate) fn write_slot(&mut self, array: PointerValue<'ctx>, k: usize, v: ValueId, val: Val<'ctx>) -> R<()> {
        let slot = self.slot(array, k)?;
        match val {
            Val::Scalar(s) => {
                let s = self.reg_to_mem(self.f.ty(v).dtype, s)?;
                self.b.build_store(slot, s)?;
            }
            Val::Tensor(p) => {
                self.b.build_store(slot, p)?;
            }
        }
        Ok(())
    }
}
