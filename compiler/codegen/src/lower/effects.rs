//! Ops with effects or run-time facts: `SizeOf`, the three checks (which fail with a site), and
//! `Print` and `Random`, which call helpers: printing goes through the runtime's NumPy-style
//! formatter, and random numbers through `tf_ir::rng` itself, so they agree with the
//! interpreter value for value.

use inkwell::values::{BasicMetadataValueEnum, PointerValue};
use inkwell::IntPredicate;
use tf_ir::{DType, Distribution, Op, OpKind, PrintPiece, ValueId};

use super::util::dtype_code;
use super::{FnGen, Val, R};
use crate::error::CodegenError;
use crate::sites::Reason;

impl<'ctx> FnGen<'_, 'ctx> {
    pub(super) fn size_of(&mut self, axis: usize, op: &Op) -> R<Val<'ctx>> {
        let ty = self.f.ty(op.operands[0]).clone();
        let d = ty.shape.get(axis).ok_or_else(|| CodegenError::Invalid("size_of a missing axis".into()))?;
        Ok(Val::Scalar(self.size(d)?.into()))
    }

    pub(super) fn check(&mut self, kind: &OpKind, op: &Op) -> R<Vec<Val<'ctx>>> {
        let nums = op.operands.iter().map(|&v| self.int(v)).collect::<R<Vec<_>>>()?;
        let b = self.b;
        let zero = self.i64c(0);
        let (bad, reason) = match kind {
            OpKind::CheckEq => (b.build_int_compare(IntPredicate::NE, nums[0], nums[1], "")?, Reason::CheckEq),
            OpKind::CheckIndex => {
                let below = b.build_int_compare(IntPredicate::SLT, nums[0], zero, "")?;
                let beyond = b.build_int_compare(IntPredicate::SGE, nums[0], nums[1], "")?;
                (b.build_or(below, beyond, "")?, Reason::CheckIndex)
            }
            _ => {
                let (start, end, n) = (nums[0], nums[1], nums[2]);
                let below = b.build_int_compare(IntPredicate::SLT, start, zero, "")?;
                let reversed = b.build_int_compare(IntPredicate::SGT, start, end, "")?;
                let beyond = b.build_int_compare(IntPredicate::SGT, end, n, "")?;
                (b.build_or(below, b.build_or(reversed, beyond, "")?, "")?, Reason::CheckSlice)
            }
        };
        self.fail_if(bad, reason, &nums)?;
        Ok(Vec::new())
    }

    /// A pointer to the elements of `v`: its buffer, or a stack copy of a scalar.
    fn data_of(&mut self, v: ValueId) -> R<PointerValue<'ctx>> {
        match self.val(v)? {
            Val::Tensor(p) => Ok(p),
            Val::Scalar(s) => {
                let d = self.f.ty(v).dtype;
                let slot = self.alloca(self.mem_ty(d))?;
                let s = self.reg_to_mem(d, s)?;
                self.b.build_store(slot, s)?;
                Ok(slot)
            }
        }
    }

    fn print_text(&mut self, text: &str) -> R<()> {
        if text.is_empty() {
            return Ok(());
        }
        let global = self.b.build_global_string_ptr(text, "text")?;
        let len = self.i64c(text.len() as i64);
        self.call("tf_rt_print_str", &[global.as_pointer_value().into(), len.into()])?;
        Ok(())
    }

    /// The pieces in order, then a newline; a value prints as NumPy's `str()` of it.
    pub(super) fn print(&mut self, pieces: &[PrintPiece], op: &Op) -> R<Vec<Val<'ctx>>> {
        for piece in pieces {
            match piece {
                PrintPiece::Text(t) => self.print_text(t)?,
                PrintPiece::Value(i) => {
                    let v = *op
                        .operands
                        .get(*i)
                        .ok_or_else(|| CodegenError::Invalid("print of a missing operand".into()))?;
                    let ty = self.f.ty(v).clone();
                    let data = self.data_of(v)?;
                    let dims = self.dims(&ty)?;
                    let dims = self.scratch_dims(&dims)?;
                    let args = [
                        data.into(),
                        self.i32c(dtype_code(ty.dtype) as u32).into(),
                        self.i32c(ty.rank() as u32).into(),
                        dims.into(),
                    ];
                    self.call("tfcg_print_value", &args)?;
                }
            }
        }
        self.print_text("\n")?;
        Ok(Vec::new())
    }

    pub(super) fn random(&mut self, dist: Distribution, op: &Op) -> R<Val<'ctx>> {
        let to = self.f.ty(op.results[0]).clone();
        let seed = self.int(op.operands[0])?;
        let mut args: Vec<BasicMetadataValueEnum> = vec![self.i32c(dist as u32).into(), seed.into()];
        for &p in &op.operands[1..3] {
            let ty = self.f.ty(p).clone();
            let data = self.data_of(p)?;
            let n = self.numel(&ty)?;
            let more: [BasicMetadataValueEnum; 3] =
                [data.into(), self.i32c(dtype_code(ty.dtype) as u32).into(), n.into()];
            args.extend(more);
        }
        let out = self.out_buffer(&to)?;
        let n = self.numel(&to)?;
        let more: [BasicMetadataValueEnum; 3] = [out.into(), self.i32c(dtype_code(to.dtype) as u32).into(), n.into()];
        args.extend(more);
        self.call("tfcg_random", &args)?;
        if to.dtype != DType::F32 && to.dtype != DType::F64 {
            return Err(CodegenError::Invalid("random has a float result".into()));
        }
        self.finish(&to, out)
    }
}
