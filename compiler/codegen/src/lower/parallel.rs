//! Splitting a loop across threads: the loop body is outlined into a chunk function
//! `void(ptr ctx, i64 start, i64 end)` that the runtime's `tf_rt_parallel_for` calls on disjoint
//! ranges (inline when the range is short). Only bodies that cannot fail are outlined: a chunk
//! has no status to return, and its errors would be recorded on a worker thread.

use inkwell::attributes::AttributeLoc;
use inkwell::module::Linkage;
use inkwell::values::{IntValue, PointerValue};
use inkwell::AddressSpace;

use super::{FnGen, R};
use crate::error::CodegenError;
use crate::gep;

/// Emits a chunk's loop: `(generator, captures, start, end)`.
pub(crate) type ChunkBody<'b, 'a, 'ctx> =
    dyn FnMut(&mut FnGen<'a, 'ctx>, &[PointerValue<'ctx>], IntValue<'ctx>, IntValue<'ctx>) -> R<()> + 'b;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `body(captures, 0, n)` inline when `n` is too short to split (the common case of small
    /// tensors pays no call), else [`Self::parallel_range`].
    pub(crate) fn parallel_or_inline(
        &mut self,
        n: IntValue<'ctx>,
        min_chunk: u64,
        captures: &[PointerValue<'ctx>],
        body: &mut ChunkBody<'_, 'a, 'ctx>,
    ) -> R<()> {
        let threshold = self.i64c(2 * min_chunk as i64);
        let big = self.b.build_int_compare(inkwell::IntPredicate::SGE, n, threshold, "")?;
        let (split, inline, join) = (
            self.cx.append_basic_block(self.fv, "split"),
            self.cx.append_basic_block(self.fv, "inline"),
            self.cx.append_basic_block(self.fv, "joined"),
        );
        self.b.build_conditional_branch(big, split, inline)?;
        self.b.position_at_end(split);
        self.parallel_range(n, min_chunk, captures, body)?;
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(inline);
        body(self, captures, self.i64c(0), n)?;
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(join);
        Ok(())
    }

    /// Runs `body(captures, start, end)` over chunks of `0..n` in parallel, each chunk at least
    /// `min_chunk` long. `captures` are pointers the body needs; inside it they are reloaded
    /// from the chunk function's context.
    pub(crate) fn parallel_range(
        &mut self,
        n: IntValue<'ctx>,
        min_chunk: u64,
        captures: &[PointerValue<'ctx>],
        body: &mut ChunkBody<'_, 'a, 'ctx>,
    ) -> R<()> {
        let ptr = self.cx.ptr_type(AddressSpace::default());
        let i64t = self.cx.i64_type();
        let chunk_type = self.cx.void_type().fn_type(&[ptr.into(), i64t.into(), i64t.into()], false);
        let name = format!("{}.chunk", self.fv.get_name().to_string_lossy());
        let chunk = self.m.add_function(&name, chunk_type, Some(Linkage::Internal));
        for attr in self.fv.attributes(AttributeLoc::Function) {
            chunk.add_attribute(AttributeLoc::Function, attr);
        }
        // Emit the chunk function with this generator's state pointed at it.
        let resume = self.b.get_insert_block().ok_or_else(|| CodegenError::Llvm("no insert block".into()))?;
        let entry = self.cx.append_basic_block(chunk, "entry");
        let start_block = self.cx.append_basic_block(chunk, "start");
        let allocas = self.cx.create_builder();
        allocas.position_at_end(entry);
        let saved_fv = std::mem::replace(&mut self.fv, chunk);
        let saved_entry = std::mem::replace(&mut self.entry, entry);
        let saved_allocas = std::mem::replace(&mut self.allocas, allocas);
        let saved_scratch = self.scratch.take();
        self.b.position_at_end(start_block);
        let result: R<()> = (|| {
            let param = |i: u32| chunk.get_nth_param(i).ok_or_else(|| CodegenError::Llvm("chunk parameter".into()));
            let (ctx, lo, hi) =
                (param(0)?.into_pointer_value(), param(1)?.into_int_value(), param(2)?.into_int_value());
            let mut inner = Vec::new();
            for k in 0..captures.len() {
                let at = gep::element(self.b, ptr.into(), ctx, self.i64c(k as i64))?;
                inner.push(self.b.build_load(ptr, at, "")?.into_pointer_value());
            }
            body(self, &inner, lo, hi)?;
            self.b.build_return(None)?;
            self.allocas.build_unconditional_branch(start_block)?;
            Ok(())
        })();
        self.fv = saved_fv;
        self.entry = saved_entry;
        self.allocas = saved_allocas;
        self.scratch = saved_scratch;
        self.b.position_at_end(resume);
        result?;
        // The call: context slots, then the pool.
        let ctx = self.alloca(ptr.array_type(captures.len().max(1) as u32).into())?;
        for (k, &p) in captures.iter().enumerate() {
            let at = gep::element(self.b, ptr.into(), ctx, self.i64c(k as i64))?;
            self.b.build_store(at, p)?;
        }
        let args = [
            self.i64c(0).into(),
            n.into(),
            self.i64c(min_chunk as i64).into(),
            chunk.as_global_value().as_pointer_value().into(),
            ctx.into(),
        ];
        let status =
            self.call("tf_rt_parallel_for", &args)?.ok_or_else(|| CodegenError::Llvm("parallel_for".into()))?;
        self.check_status(status.into_int_value())
    }
}
