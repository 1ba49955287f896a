//! `Call`, `For`, `While`, `If`. Calls pass argument and result slot arrays (the crate's calling
//! convention) and propagate a failing status, locating the error at the call when the callee
//! had no span. Loop-carried values and branch results live in stack slots (promoted to
//! registers by LLVM); each iteration owns the buffers it is handed (see `plan`).

use inkwell::types::BasicTypeEnum;
use inkwell::values::{IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};
use tf_ir::{FuncId, Op, OpId, ValueId};

use super::util::elem_size;
use super::{FnGen, Val, R};
use crate::error::CodegenError;
use crate::sites::Reason;

impl<'ctx> FnGen<'_, 'ctx> {
    /// A stack slot able to hold `v`: its register type, or a buffer pointer.
    fn slot_for(&mut self, v: ValueId) -> R<PointerValue<'ctx>> {
        let ty = self.f.ty(v);
        let t: BasicTypeEnum =
            if ty.is_scalar() { self.reg_ty(ty.dtype) } else { self.cx.ptr_type(AddressSpace::default()).into() };
        self.alloca(t)
    }

    fn load_slot(&mut self, slot: PointerValue<'ctx>, v: ValueId) -> R<Val<'ctx>> {
        let ty = self.f.ty(v);
        Ok(if ty.is_scalar() {
            Val::Scalar(self.b.build_load(self.reg_ty(ty.dtype), slot, "")?)
        } else {
            Val::Tensor(self.b.build_load(self.cx.ptr_type(AddressSpace::default()), slot, "")?.into_pointer_value())
        })
    }

    fn store_slot(&mut self, slot: PointerValue<'ctx>, v: Val<'ctx>) -> R<()> {
        match v {
            Val::Scalar(s) => self.b.build_store(slot, s)?,
            Val::Tensor(p) => self.b.build_store(slot, p)?,
        };
        Ok(())
    }

    /// Slots holding a loop's initial carried values, each buffer owned by the loop: moved in
    /// when the op is the operand's last use, copied otherwise.
    fn carried_slots(&mut self, id: OpId, op: &Op, first: usize) -> R<Vec<PointerValue<'ctx>>> {
        let mut slots = Vec::new();
        for (k, &v) in op.operands.iter().enumerate().skip(first) {
            let slot = self.slot_for(v)?;
            let val = match self.val(v)? {
                Val::Tensor(p) if !self.is_moved(id, k) => {
                    let ty = self.f.ty(v).clone();
                    Val::Tensor(self.copy(&ty, p)?)
                }
                val => val,
            };
            self.store_slot(slot, val)?;
            slots.push(slot);
        }
        Ok(slots)
    }

    fn bind_params(&mut self, params: &[ValueId], slots: &[PointerValue<'ctx>]) -> R<()> {
        for (&p, &slot) in params.iter().zip(slots) {
            let v = self.load_slot(slot, p)?;
            self.bind(p, v);
        }
        Ok(())
    }

    fn store_all(&mut self, slots: &[PointerValue<'ctx>], vals: &[Val<'ctx>]) -> R<()> {
        for (&slot, &v) in slots.iter().zip(vals) {
            self.store_slot(slot, v)?;
        }
        Ok(())
    }

    fn load_all(&mut self, slots: &[PointerValue<'ctx>], values: &[ValueId]) -> R<Vec<Val<'ctx>>> {
        slots.iter().zip(values).map(|(&s, &v)| self.load_slot(s, v)).collect()
    }

    pub(super) fn call_op(&mut self, g: FuncId, op: &Op) -> R<Vec<Val<'ctx>>> {
        let callee = self.callee(g)?;
        let i64t = self.cx.i64_type();
        let args = self.alloca(i64t.array_type(op.operands.len().max(1) as u32).into())?;
        for (k, &v) in op.operands.iter().enumerate() {
            let val = self.val(v)?;
            self.write_slot(args, k, v, val)?;
        }
        let dims: usize = op.results.iter().map(|&v| self.f.ty(v).rank()).sum();
        let results = self.alloca(i64t.array_type((op.results.len() + dims).max(1) as u32).into())?;
        let depth = self.b.build_int_add(self.depth()?, self.i64c(1), "")?;
        let status = self.b.build_call(callee, &[args.into(), results.into(), depth.into()], "")?;
        let status = status.try_as_basic_value().basic().ok_or_else(|| CodegenError::Llvm("call".into()))?;
        self.check_status(status.into_int_value())?;
        op.results.iter().enumerate().map(|(k, &v)| self.read_slot(results, k, v)).collect()
    }

    pub(super) fn for_op(&mut self, id: OpId, stacked: usize, op: &Op) -> R<Vec<Val<'ctx>>> {
        let count = self.int(op.operands[0])?;
        let negative = self.b.build_int_compare(IntPredicate::SLT, count, self.i64c(0), "")?;
        self.fail_if(negative, Reason::NegativeTripCount, &[count])?;
        let slots = self.carried_slots(id, op, 1)?;
        let n = slots.len();
        // Each stacked output is `[count, ...]`; iteration `i` fills block `i`.
        let mut stacks: Vec<(PointerValue<'ctx>, IntValue<'ctx>, tf_ir::DType)> = Vec::new();
        for &v in &op.results[n..n + stacked] {
            let ty = self.f.ty(v).clone();
            let dims = self.dims(&ty)?;
            let inner = self.product(&dims[1..])?;
            stacks.push((self.alloc(&ty)?, inner, ty.dtype));
        }
        let body = op.regions[0];
        let params = self.f.region(body).params.clone();
        self.for_range(count, &mut |g, i| {
            g.bind(params[0], Val::Scalar(i.into()));
            g.bind_params(&params[1..], &slots)?;
            let ys = g.region(body)?;
            g.store_all(&slots, &ys[..n])?;
            for (k, &(stack, inner, d)) in stacks.iter().enumerate() {
                match ys[n + k] {
                    Val::Scalar(s) => g.store(d, stack, i, s)?,
                    Val::Tensor(p) => {
                        let elem = g.mem_ty(d);
                        let at = crate::gep::element(g.b, elem, stack, g.b.build_int_mul(i, inner, "")?)?;
                        let bytes = g.b.build_int_mul(inner, g.i64c(elem_size(d) as i64), "")?;
                        g.b.build_memcpy(at, 1, p, 64, bytes)?;
                        // The region handed this buffer over; its contents now live in the stack.
                        g.call("tf_rt_free", &[p.into()])?;
                    }
                }
            }
            Ok(())
        })?;
        let mut out = self.load_all(&slots, &op.results[..n])?;
        out.extend(stacks.iter().map(|&(p, _, _)| Val::Tensor(p)));
        Ok(out)
    }

    pub(super) fn while_op(&mut self, id: OpId, op: &Op) -> R<Vec<Val<'ctx>>> {
        let slots = self.carried_slots(id, op, 0)?;
        let (cond, body) = (op.regions[0], op.regions[1]);
        let cond_params = self.f.region(cond).params.clone();
        let body_params = self.f.region(body).params.clone();
        let header = self.cx.append_basic_block(self.fv, "while");
        let inner = self.cx.append_basic_block(self.fv, "while_body");
        let exit = self.cx.append_basic_block(self.fv, "while_done");
        self.b.build_unconditional_branch(header)?;
        self.b.position_at_end(header);
        self.bind_params(&cond_params, &slots)?;
        let go = self.region(cond)?;
        let go = match go.first() {
            Some(Val::Scalar(c)) => c.into_int_value(),
            _ => return Err(CodegenError::Invalid("a while condition yields one bool scalar".into())),
        };
        self.b.build_conditional_branch(go, inner, exit)?;
        self.b.position_at_end(inner);
        self.bind_params(&body_params, &slots)?;
        let ys = self.region(body)?;
        self.store_all(&slots, &ys)?;
        self.b.build_unconditional_branch(header)?;
        self.b.position_at_end(exit);
        self.load_all(&slots, &op.results)
    }

    pub(super) fn if_op(&mut self, op: &Op) -> R<Vec<Val<'ctx>>> {
        let cond = self.scalar(op.operands[0])?.into_int_value();
        let slots = op.results.iter().map(|&v| self.slot_for(v)).collect::<R<Vec<_>>>()?;
        let then = self.cx.append_basic_block(self.fv, "then");
        let els = self.cx.append_basic_block(self.fv, "else");
        let merge = self.cx.append_basic_block(self.fv, "endif");
        self.b.build_conditional_branch(cond, then, els)?;
        for (block, region) in [(then, op.regions[0]), (els, op.regions[1])] {
            self.b.position_at_end(block);
            let ys = self.region(region)?;
            self.store_all(&slots, &ys)?;
            self.b.build_unconditional_branch(merge)?;
        }
        self.b.position_at_end(merge);
        self.load_all(&slots, &op.results)
    }
}
