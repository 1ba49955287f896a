//! Running generated code in this process (MCJIT): compile a module for the host, map every
//! external symbol it calls to its address here (runtime entry points from
//! `tf_runtime::abi::symbols()`, this crate's helpers, libm wrappers), then call functions with
//! runtime tensors, checking the arguments against the IR types first.
//!
//! The only module that calls into generated code; unsafe is allowed here for that and for the
//! helpers generated code calls back with raw pointers.

mod helpers;

use std::collections::HashMap;

use inkwell::context::Context;
use inkwell::targets::RelocMode;
use inkwell::OptimizationLevel;
use tf_ir::{FuncId, ValueId};
use tf_runtime::{DType as RtDType, Tensor};

use crate::error::{JitError, JitErrorKind};
use crate::sites::{SiteInfo, NO_SITE};
use crate::{lower, target};

/// Generated code runs on a thread with this much stack, so deep recursion (up to
/// `MAX_CALL_DEPTH` calls) cannot overflow it.
const STACK_BYTES: usize = 64 << 20;

/// The type of every generated function (see the crate docs).
type Entry = unsafe extern "C" fn(*const u64, *mut u64, i64) -> i32;

/// A module compiled and loaded into this process, callable while `with_jit`'s closure runs.
pub struct Jit<'m> {
    module: &'m tf_ir::Module,
    entries: Vec<usize>,
    sites: Vec<SiteInfo>,
}

/// Compiles `module` for the host, loads it, and runs `f` with it (the machine code lives as
/// long as the closure runs; compile once, call many times).
pub fn with_jit<R>(module: &tf_ir::Module, f: impl FnOnce(&Jit<'_>) -> R) -> Result<R, JitError> {
    let cx = Context::create();
    let machine = target::host_machine(RelocMode::Default)?;
    let (cpu, features) = target::host_cpu();
    let lowered = lower::lower_module(&cx, module, &cpu, &features)?;
    target::optimise(&lowered.module, &machine)?;
    let engine = lowered
        .module
        .create_jit_execution_engine(OptimizationLevel::Default)
        .map_err(|e| JitError::new(JitErrorKind::Compile, None, e.to_string()))?;
    let table: HashMap<&str, usize> = helpers::symbols().into_iter().collect();
    for function in lowered.module.get_functions() {
        if function.count_basic_blocks() > 0 {
            continue;
        }
        let name = function.get_name().to_string_lossy().into_owned();
        if name.starts_with("llvm.") {
            continue;
        }
        let &addr = table.get(name.as_str()).ok_or_else(|| {
            JitError::new(JitErrorKind::Internal, None, format!("generated code calls unknown `{name}`"))
        })?;
        engine.add_global_mapping(&function, addr);
    }
    let entries = lowered
        .names
        .iter()
        .map(|name| {
            engine.get_function_address(name).map_err(|e| JitError::new(JitErrorKind::Internal, None, e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let jit = Jit { module, entries, sites: lowered.sites };
    Ok(f(&jit))
}

/// Compiles `module` and runs `func` on `args` (size arguments first, as the parameters are).
pub fn run_jit(module: &tf_ir::Module, func: FuncId, args: Vec<Tensor>) -> Result<Vec<Tensor>, JitError> {
    with_jit(module, |jit| jit.call(func, args))?
}

fn rt_dtype(d: tf_ir::DType) -> RtDType {
    match d {
        tf_ir::DType::F32 => RtDType::F32,
        tf_ir::DType::F64 => RtDType::F64,
        tf_ir::DType::I32 => RtDType::I32,
        tf_ir::DType::I64 => RtDType::I64,
        tf_ir::DType::Bool => RtDType::Bool,
    }
}

/// A rank-0 tensor's element as slot bits (see the calling convention).
fn scalar_bits(t: &Tensor) -> u64 {
    let b = t.as_bytes();
    let mut raw = [0u8; 8];
    raw[..b.len().min(8)].copy_from_slice(&b[..b.len().min(8)]);
    u64::from_le_bytes(raw)
}

fn invalid(message: String) -> JitError {
    JitError::new(JitErrorKind::InvalidArgument, None, message)
}

impl Jit<'_> {
    /// Where each failure site id points.
    pub fn sites(&self) -> &[SiteInfo] {
        &self.sites
    }

    /// Runs `func` on `args`; the results as runtime tensors.
    pub fn call(&self, func: FuncId, args: Vec<Tensor>) -> Result<Vec<Tensor>, JitError> {
        let f = self.module.functions.get(func.index()).ok_or_else(|| invalid(format!("no function {func:?}")))?;
        let &entry = self.entries.get(func.index()).ok_or_else(|| invalid(format!("no function {func:?}")))?;
        let params = f.params();
        if params.len() != args.len() {
            return Err(invalid(format!("`{}` takes {} arguments, {} given", f.name, params.len(), args.len())));
        }
        // Size values first (any i64 scalar may be one), then every argument against its type.
        let mut sizes: HashMap<ValueId, i64> = HashMap::new();
        for (&p, a) in params.iter().zip(&args) {
            if *f.ty(p) == tf_ir::Type::scalar(tf_ir::DType::I64) && a.dtype() == RtDType::I64 && a.rank() == 0 {
                sizes.insert(p, scalar_bits(a) as i64);
            }
        }
        let mut slots = Vec::with_capacity(args.len());
        for (&p, a) in params.iter().zip(&args) {
            let ty = f.ty(p);
            let want: Option<Vec<usize>> = ty
                .shape
                .iter()
                .map(|d| d.eval(&|s| sizes.get(&s).copied()).and_then(|n| usize::try_from(n).ok()))
                .collect();
            if a.dtype() != rt_dtype(ty.dtype) || want.as_deref() != Some(a.shape()) {
                return Err(invalid(format!(
                    "calling `{}`: argument {} should be {}, is {}{:?}",
                    f.name,
                    slots.len(),
                    tf_ir::infer::show(ty),
                    a.dtype(),
                    a.shape()
                )));
            }
            slots.push(if ty.is_scalar() { scalar_bits(a) } else { a.as_ptr() as u64 });
        }
        let result_types = f.result_types();
        let dims: usize = result_types.iter().map(|t| t.rank()).sum();
        let mut results = vec![0u64; (result_types.len() + dims).max(1)];
        self.run(entry, &slots, &mut results, &result_types)
    }

    /// Calls generated code on a thread with a large stack, then collects the results there
    /// (where debug builds track every buffer, so a leak or double free is an error).
    fn run(
        &self,
        entry: usize,
        args: &[u64],
        results: &mut [u64],
        types: &[tf_ir::Type],
    ) -> Result<Vec<Tensor>, JitError> {
        std::thread::scope(|scope| {
            let worker = std::thread::Builder::new().name("tf-jit".into()).stack_size(STACK_BYTES).spawn_scoped(
                scope,
                move || {
                    helpers::clear();
                    // SAFETY: `entry` is the address of a function the JIT compiled with the
                    // `Entry` signature (crate docs); `args` holds a slot per parameter, checked
                    // against the IR types above (tensor slots point at live buffers of the right
                    // size and dtype, which outlive the call); `results` has a slot per result
                    // plus one per result dimension, as the convention requires.
                    let status = unsafe {
                        let f: Entry = std::mem::transmute::<usize, Entry>(entry);
                        f(args.as_ptr(), results.as_mut_ptr(), 1)
                    };
                    let out = if status != 0 { Err(self.error()) } else { self.collect(types, results) };
                    let leaked = helpers::live_buffers();
                    let late = tf_runtime::error::take_error();
                    helpers::clear();
                    match (out, late) {
                        (Ok(_), Some(e)) => Err(JitError::new(JitErrorKind::Internal, None, e.to_string())),
                        (Ok(_), None) if status == 0 && leaked > 0 => Err(JitError::new(
                            JitErrorKind::Internal,
                            None,
                            format!("generated code leaked {leaked} buffers"),
                        )),
                        (out, _) => out,
                    }
                },
            );
            let worker = worker.map_err(|e| JitError::new(JitErrorKind::Internal, None, e.to_string()))?;
            worker.join().map_err(|_| JitError::new(JitErrorKind::Internal, None, "generated code panicked"))?
        })
    }

    fn span(&self, site: u32) -> Option<tf_base::Span> {
        (site != NO_SITE).then(|| self.sites.get(site as usize).map(|s| s.span)).flatten()
    }

    /// The error recorded on this thread, as a `JitError` located at its span.
    fn error(&self) -> JitError {
        if let Some(f) = helpers::take_failure() {
            return JitError::new(f.reason.kind(), self.span(f.site), f.message);
        }
        let Some(e) = tf_runtime::error::take_error() else {
            return JitError::new(JitErrorKind::Internal, None, "generated code failed without recording an error");
        };
        use tf_runtime::ErrorKind as K;
        let kind = match e.kind {
            K::DimensionMismatch { .. } => JitErrorKind::DimensionMismatch,
            K::IndexOutOfRange { .. } => JitErrorKind::IndexOutOfRange,
            K::SizeOverflow { .. } => JitErrorKind::SizeLimit,
            K::OutOfMemory { .. } => JitErrorKind::OutOfMemory,
            K::InvalidArgument { .. } | K::Panic { .. } => JitErrorKind::Internal,
            _ => JitErrorKind::Runtime,
        };
        JitError::new(kind, e.site.and_then(|s| self.span(s.0)), e.to_string())
    }

    /// Runtime tensors from the result slots (buffers copied out, then freed).
    fn collect(&self, types: &[tf_ir::Type], slots: &[u64]) -> Result<Vec<Tensor>, JitError> {
        let mut dim_at = types.len();
        let mut out = Vec::new();
        for (k, ty) in types.iter().enumerate() {
            let dtype = rt_dtype(ty.dtype);
            let shape: Vec<usize> = slots[dim_at..dim_at + ty.rank()].iter().map(|&d| d as usize).collect();
            dim_at += ty.rank();
            let bytes: Vec<u8> = if ty.is_scalar() {
                slots[k].to_le_bytes()[..dtype.size()].to_vec()
            } else {
                let count: usize = shape.iter().product();
                let ptr = slots[k] as *mut u8;
                // SAFETY: generated code stored in slot k a buffer of `count` elements of the
                // result's dtype (its dimensions follow), which the caller now owns.
                let bytes = unsafe { std::slice::from_raw_parts(ptr, count * dtype.size()) }.to_vec();
                helpers::tfcg_free(ptr.cast());
                bytes
            };
            let t = Tensor::from_bytes(dtype, &shape, &bytes)
                .map_err(|e| JitError::new(JitErrorKind::Internal, None, e.to_string()))?;
            out.push(t);
        }
        Ok(out)
    }
}
