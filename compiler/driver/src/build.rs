//! `tfc build --emit ir|llvm-ir|asm|obj FILE [-o OUT]`: writes a compiled form of a program —
//! the tensor IR, or what the LLVM code generator makes of it for the host CPU.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::cli::{ColorChoice, MessageFormat, EXIT_FAILURE, EXIT_OK};
use crate::compile::compile_file;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// The tensor IR as text.
    Ir,
    /// LLVM IR (optimised, for the host CPU).
    LlvmIr,
    /// Assembly for the host CPU.
    Asm,
    /// A relocatable object file for the host CPU (needs `-o`).
    Obj,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The program (its `main` is the entry point).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// What to produce.
    #[arg(long, value_enum, default_value_t = Emit::Ir)]
    pub emit: Emit,
    /// Where to write it (standard output when omitted).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn build(args: &BuildArgs, color: bool, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let (_, module) = match compile_file(&args.file, args.message_format, color, out, err)? {
        Ok(compiled) => compiled,
        Err(status) => return Ok(status),
    };
    let text = match args.emit {
        Emit::Ir => Ok(tf_ir::print::print_module(&module)),
        Emit::LlvmIr => tf_codegen::emit_llvm_ir(&module),
        Emit::Asm => tf_codegen::emit_asm(&module),
        Emit::Obj => {
            let Some(path) = &args.output else {
                writeln!(err, "error: `--emit obj` writes a file: give it with `-o PATH`")?;
                return Ok(EXIT_FAILURE);
            };
            // Written next to the destination, then renamed: never a half-written object.
            let tmp = path.with_extension("o.tmp");
            if let Err(e) = tf_codegen::emit_object(&module, &tmp) {
                let _ = std::fs::remove_file(&tmp);
                writeln!(err, "error: {e}")?;
                return Ok(EXIT_FAILURE);
            }
            if let Err(e) = std::fs::rename(&tmp, path) {
                let _ = std::fs::remove_file(&tmp);
                writeln!(err, "error: cannot write `{}`: {e}", path.display())?;
                return Ok(EXIT_FAILURE);
            }
            return Ok(EXIT_OK);
        }
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_FAILURE);
        }
    };
    match &args.output {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            if let Err(e) = write_atomically(path, text.as_bytes()) {
                writeln!(err, "error: cannot write `{}`: {e}", path.display())?;
                return Ok(EXIT_FAILURE);
            }
        }
    }
    Ok(EXIT_OK)
}

/// Writes through a temporary file in the same directory, then renames: an interrupted build
/// never leaves a half-written output.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
