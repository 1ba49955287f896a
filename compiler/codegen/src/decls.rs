//! The functions generated code calls but does not define: the runtime's C ABI (`tf_rt_*`),
//! this crate's helpers (`tfcg_*`, Rust functions mapped into the JIT, see `jit/helpers.rs`)
//! and libm. Declared on first use, by name, with one signature table.

use inkwell::attributes::AttributeLoc;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum};
use inkwell::values::FunctionValue;
use inkwell::AddressSpace;

use crate::error::CodegenError;

/// Libm functions generated code calls for transcendental ops, f64 then f32, as `(op, f64
/// name, f32 name)`. Calling libm (not LLVM intrinsics that expand differently) keeps results
/// identical to the interpreter's, which calls the same functions through Rust's `std`.
pub const LIBM: &[(&str, &str, &str)] = &[
    ("exp", "exp", "expf"),
    ("log", "log", "logf"),
    ("log1p", "log1p", "log1pf"),
    ("expm1", "expm1", "expm1f"),
    ("tanh", "tanh", "tanhf"),
    ("sin", "sin", "sinf"),
    ("cos", "cos", "cosf"),
    ("pow", "pow", "powf"),
];

/// Declares `name` in `module` (once) and returns it.
pub(crate) fn declare<'ctx>(
    cx: &'ctx Context,
    module: &Module<'ctx>,
    name: &str,
) -> Result<FunctionValue<'ctx>, CodegenError> {
    if let Some(f) = module.get_function(name) {
        return Ok(f);
    }
    let ptr: BasicTypeEnum = cx.ptr_type(AddressSpace::default()).into();
    let (i32t, i64t, f32t, f64t): (BasicTypeEnum, BasicTypeEnum, BasicTypeEnum, BasicTypeEnum) =
        (cx.i32_type().into(), cx.i64_type().into(), cx.f32_type().into(), cx.f64_type().into());
    // (return type, None for void; parameters)
    let (ret, params): (Option<BasicTypeEnum>, Vec<BasicTypeEnum>) = match name {
        "tfcg_alloc" => (Some(ptr), vec![i32t, ptr, i64t, i32t]),
        "tf_rt_free" => (None, vec![ptr]),
        "tf_rt_sgemm" => (Some(i32t), vec![i64t, i64t, i64t, f32t, ptr, i64t, i32t, ptr, i64t, i32t, f32t, ptr, i64t]),
        "tf_rt_dgemm" => (Some(i32t), vec![i64t, i64t, i64t, f64t, ptr, i64t, i32t, ptr, i64t, i32t, f64t, ptr, i64t]),
        "tf_rt_print_str" => (Some(i32t), vec![ptr, i64t]),
        "tf_rt_parallel_for" => (Some(i32t), vec![i64t, i64t, i64t, ptr, ptr]),
        "tfcg_print_value" => (None, vec![ptr, i32t, i32t, ptr]),
        "tfcg_fail" => (None, vec![i32t, i32t, i64t, i64t, i64t, i64t]),
        "tfcg_locate" => (None, vec![i32t]),
        "tfcg_random" => (None, vec![i32t, i64t, ptr, i32t, i64t, ptr, i32t, i64t, ptr, i32t, i64t]),
        "tfcg_ipow_i32" => (Some(i32t), vec![i32t, i32t]),
        "tfcg_ipow_i64" => (Some(i64t), vec![i64t, i64t]),
        "tfcg_erf" => (Some(f64t), vec![f64t]),
        _ => match LIBM.iter().find(|(_, d, s)| *d == name || *s == name) {
            Some((op, d, _)) => {
                let t = if *d == name { f64t } else { f32t };
                (Some(t), if *op == "pow" { vec![t, t] } else { vec![t] })
            }
            None => return Err(CodegenError::Llvm(format!("no declaration for `{name}`"))),
        },
    };
    let params: Vec<BasicMetadataTypeEnum> = params.into_iter().map(Into::into).collect();
    let fn_type = match ret {
        Some(r) => r.fn_type(&params, false),
        None => cx.void_type().fn_type(&params, false),
    };
    let f = module.add_function(name, fn_type, Some(Linkage::External));
    let nounwind = cx.create_enum_attribute(inkwell::attributes::Attribute::get_named_enum_kind_id("nounwind"), 0);
    f.add_attribute(AttributeLoc::Function, nounwind);
    if name == "tfcg_alloc" {
        // Fresh memory aliases nothing: lets LLVM vectorise loops writing it without checks.
        let noalias = cx.create_enum_attribute(inkwell::attributes::Attribute::get_named_enum_kind_id("noalias"), 0);
        f.add_attribute(AttributeLoc::Return, noalias);
    }
    Ok(f)
}
