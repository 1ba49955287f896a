//! The host target: one `TargetMachine` for the CPU this process runs on, its name and features
//! stamped on every function (MCJIT ignores the host CPU otherwise and emits SSE-only code, see
//! toolchain.md), the O2 pipeline, and writing assembly and object files.

use std::path::Path;
use std::sync::Once;

use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine};
use inkwell::OptimizationLevel;

use crate::error::CodegenError;

static INIT: Once = Once::new();

fn init() -> Result<(), CodegenError> {
    let mut result = Ok(());
    INIT.call_once(|| {
        result = Target::initialize_native(&InitializationConfig::default()).map_err(CodegenError::Llvm);
    });
    result
}

/// The host CPU as LLVM names it (`znver3`) and its feature string (`+avx2,+fma,...`).
pub fn host_cpu() -> (String, String) {
    let name = TargetMachine::get_host_cpu_name().to_string_lossy().into_owned();
    let features = TargetMachine::get_host_cpu_features().to_string_lossy().into_owned();
    (name, features)
}

/// A machine for the host at O2. `PIC` for object files that go into shared libraries.
pub(crate) fn host_machine(reloc: RelocMode) -> Result<TargetMachine, CodegenError> {
    init()?;
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple).map_err(|e| CodegenError::Llvm(e.to_string()))?;
    let (cpu, features) = host_cpu();
    target
        .create_target_machine(&triple, &cpu, &features, OptimizationLevel::Default, reloc, CodeModel::Default)
        .ok_or_else(|| CodegenError::Llvm(format!("no target machine for {}", triple)))
}

/// Gives the module the machine's triple and data layout (the vectoriser's cost model needs
/// them), then runs LLVM's verifier and the standard O2 pipeline.
pub(crate) fn optimise(module: &Module<'_>, machine: &TargetMachine) -> Result<(), CodegenError> {
    module.set_triple(&machine.get_triple());
    module.set_data_layout(&machine.get_target_data().get_data_layout());
    module.verify().map_err(|e| CodegenError::Llvm(format!("the generated module does not verify: {e}")))?;
    // No loop unrolling: LLVM fully unrolls constant-shape reductions, which cost far more
    // compile time than they return (the vectoriser still runs).
    let options = PassBuilderOptions::create();
    options.set_loop_unrolling(false);
    module.run_passes("default<O2>", machine, options).map_err(|e| CodegenError::Llvm(e.to_string()))
}

pub(crate) fn assembly(module: &Module<'_>, machine: &TargetMachine) -> Result<String, CodegenError> {
    let buffer =
        machine.write_to_memory_buffer(module, FileType::Assembly).map_err(|e| CodegenError::Llvm(e.to_string()))?;
    Ok(String::from_utf8_lossy(buffer.as_slice()).into_owned())
}

pub(crate) fn object(module: &Module<'_>, machine: &TargetMachine, path: &Path) -> Result<(), CodegenError> {
    machine.write_to_file(module, FileType::Object, path).map_err(|e| CodegenError::Llvm(e.to_string()))
}
