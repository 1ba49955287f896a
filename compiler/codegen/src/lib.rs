//! LLVM code generation for the tensor IR (through inkwell, LLVM 19): every IR function becomes
//! a native function for the host CPU, which [`run_jit`] runs in-process (MCJIT) and
//! [`emit_asm`]/[`emit_object`] write out. The reference interpreter (`tf-interp`) defines what
//! the code must compute; the tests compare the two on pseudo-random inputs.
//!
//! # Calling convention
//!
//! IR function `index` named `name` becomes
//!
//! ```text
//! i32 @"tf.<index>.<name>"(ptr %args, ptr %results, i64 %depth)
//! ```
//!
//! - `args` holds one 8-byte slot per IR parameter, in order (size parameters first, as the IR
//!   orders them). A rank-0 parameter's value is stored in its slot (f32 and i32 in the low 4
//!   bytes, bool as one byte 0 or 1, f64 and i64 in all 8); a tensor parameter's slot holds a
//!   pointer to its dense row-major elements (64-byte aligned, bools as bytes). Tensor
//!   arguments are borrowed: the callee neither writes nor frees them. Shapes are not passed:
//!   they follow from the size values, as the IR types say.
//! - `results` receives one 8-byte slot per result, filled the same way; a tensor result is a
//!   fresh buffer from `tfcg_alloc` (i.e. `tf_rt_alloc`) that the caller owns and frees with
//!   `tf_rt_free`. After the result slots the callee writes every tensor result's dimensions
//!   (`i64` each, results in order), so a host learns shapes that only the callee knew.
//! - `depth` counts the active calls including this one (the host passes 1); beyond
//!   [`MAX_CALL_DEPTH`] the call fails with a recursion error, as the interpreter's does.
//! - The return value is 0, or non-zero after the error was recorded (in this crate's failure
//!   record for checks, in the runtime's error slot for runtime calls). Results are then
//!   undefined and buffers live at the failure are leaked (the program stops anyway).
//!
//! Every function carries the host's `target-cpu` and `target-features` and is optimised at
//! O2, so elementwise loops vectorise with AVX2 where the arithmetic allows. Large elementwise
//! loops that cannot fail are outlined into chunk functions and split across the runtime's
//! thread pool (`tf_rt_parallel_for`); the results do not depend on the thread count.
//!
//! # Memory
//!
//! Every tensor an op makes is a fresh buffer; each is freed after its last use, handed over
//! when a region yields it, or copied when what is yielded is not the region's to give (see
//! `lower/plan.rs`). A reshape whose operand dies takes its buffer over, as does a loop its
//! initial carried values. Debug builds of the JIT track every buffer and report a leak or a
//! double free as an error, so the tests check the plan on every run.
//!
//! # What generated code calls
//!
//! The runtime's `tf_rt_free`, `tf_rt_sgemm`/`tf_rt_dgemm`, `tf_rt_parallel_for` and
//! `tf_rt_print_str`; libm for
//! transcendental functions (the same functions the interpreter calls through `std`); and a few
//! helpers defined here (`tfcg_alloc`, `tfcg_fail`, `tfcg_locate`, `tfcg_print_value`,
//! `tfcg_random`, `tfcg_ipow_*`, `tfcg_erf`, see `jit/helpers.rs`) because the runtime lacks
//! them. The JIT maps all of these to their addresses in this process; an object file from
//! [`emit_object`] leaves them undefined, for a link with the runtime once the helpers move there.
//!
//! # Ops
//!
//! Supported: every op except `Conv2d`, `Pool2d` and `Load`, which fail to compile with
//! [`CodegenError::Unsupported`] (never wrong code).
//!
//! # Unsafe code
//!
//! Denied crate-wide; allowed on `jit` (calling generated code, and the helpers generated code
//! calls with raw pointers) and on `gep` (inkwell's address arithmetic builder is `unsafe`).

mod decls;
mod error;
#[allow(unsafe_code)]
mod gep;
#[allow(unsafe_code)]
mod jit;
mod lower;
mod sites;
mod target;

use std::path::Path;

use inkwell::context::Context;
use inkwell::targets::RelocMode;

pub use error::{CodegenError, JitError, JitErrorKind};
pub use jit::{run_jit, with_jit, Jit};
pub use sites::{Reason, SiteInfo};
pub use target::host_cpu;

/// Calls may nest this deep (the entry function counts as one), as in the interpreter.
pub const MAX_CALL_DEPTH: usize = 1000;

/// No tensor may have more elements (the interpreter's limit, so both fail alike).
pub const MAX_ELEMENTS: usize = 1 << 32;

/// A module compiled for the host: the optimised LLVM IR and the table of failure sites.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// Optimised LLVM IR, as text.
    pub llvm_ir: String,
    /// The LLVM symbol of each IR function, by `FuncId` index.
    pub symbols: Vec<String>,
    /// Site id (as generated code reports it) → where the failing op is.
    pub sites: Vec<SiteInfo>,
}

impl Compiled {
    pub fn site(&self, id: u32) -> Option<&SiteInfo> {
        self.sites.get(id as usize)
    }
}

/// Lowers and optimises every function of `module` for the host CPU.
pub fn compile(module: &tf_ir::Module) -> Result<Compiled, CodegenError> {
    let cx = Context::create();
    let machine = target::host_machine(RelocMode::Default)?;
    let (cpu, features) = host_cpu();
    let lowered = lower::lower_module(&cx, module, &cpu, &features)?;
    target::optimise(&lowered.module, &machine)?;
    Ok(Compiled { llvm_ir: lowered.module.print_to_string().to_string(), symbols: lowered.names, sites: lowered.sites })
}

/// The optimised LLVM IR of `module`, as text.
pub fn emit_llvm_ir(module: &tf_ir::Module) -> Result<String, CodegenError> {
    Ok(compile(module)?.llvm_ir)
}

/// Host assembly of `module` (position-independent, O2).
pub fn emit_asm(module: &tf_ir::Module) -> Result<String, CodegenError> {
    let cx = Context::create();
    let machine = target::host_machine(RelocMode::PIC)?;
    let (cpu, features) = host_cpu();
    let lowered = lower::lower_module(&cx, module, &cpu, &features)?;
    target::optimise(&lowered.module, &machine)?;
    target::assembly(&lowered.module, &machine)
}

/// Writes a host object file of `module` (position-independent, O2) to `path`.
pub fn emit_object(module: &tf_ir::Module, path: &Path) -> Result<(), CodegenError> {
    let cx = Context::create();
    let machine = target::host_machine(RelocMode::PIC)?;
    let (cpu, features) = host_cpu();
    let lowered = lower::lower_module(&cx, module, &cpu, &features)?;
    target::optimise(&lowered.module, &machine)?;
    target::object(&lowered.module, &machine, path)
}
