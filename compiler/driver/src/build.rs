//! `tfc build --emit ir FILE [-o OUT]`: writes a compiled form of a program. The IR text is the
//! first form; LLVM IR, assembly and objects come with the code generator.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::cli::{ColorChoice, MessageFormat, EXIT_FAILURE, EXIT_OK};
use crate::compile::compile_file;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// The tensor IR as text.
    Ir,
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
        Emit::Ir => tf_ir::print::print_module(&module),
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
