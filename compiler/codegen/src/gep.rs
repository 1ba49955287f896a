//! Address arithmetic, the one unsafe builder call of code generation: inkwell marks `GEP`
//! unsafe because generated code could compute an address outside its buffer. The lowering
//! only indexes elements it has bounds for (shapes from the IR, indices checked first).

use inkwell::builder::{Builder, BuilderError};
use inkwell::types::BasicTypeEnum;
use inkwell::values::{IntValue, PointerValue};

/// `&ptr[index]` for elements of type `elem`.
pub(crate) fn element<'ctx>(
    b: &Builder<'ctx>,
    elem: BasicTypeEnum<'ctx>,
    ptr: PointerValue<'ctx>,
    index: IntValue<'ctx>,
) -> Result<PointerValue<'ctx>, BuilderError> {
    // SAFETY: building the instruction cannot cause undefined behaviour in this process; the
    // address it computes in generated code lies within (or one past) the buffer, because every
    // caller derives `index` from the buffer's own shape or from an index checked against it.
    unsafe { b.build_in_bounds_gep(elem, ptr, &[index], "") }
}
