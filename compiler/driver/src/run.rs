//! `tfc run FILE`: compiles a program and runs its `main` as native code (LLVM JIT for the host
//! CPU). Programs using an op the code generator does not handle yet run on the reference
//! interpreter, with a note; `--interp` asks for the interpreter. Run-time errors are rendered at
//! their `.tf` span like compile errors, with exit status 3.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use tf_base::{Code, Diagnostic};
use tf_interp::{Host, Tensor};
use tf_ir::{DataSource, Type};

use crate::cli::{print_diagnostics, ColorChoice, MessageFormat, EXIT_FAILURE, EXIT_OK};
use crate::compile::compile_file;

/// The program stopped with a run-time error.
pub const EXIT_RUNTIME: i32 = 3;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The program to run (from its `main`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Run on the reference interpreter instead of native code (slow; a second opinion).
    #[arg(long)]
    pub interp: bool,
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &RunArgs, color: bool, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let (loaded, module) = match compile_file(&args.file, args.message_format, color, out, err)? {
        Ok(compiled) => compiled,
        Err(status) => return Ok(status),
    };
    let Some(main) = module.main else { return Ok(EXIT_FAILURE) };
    // Program output goes straight to this process's standard output (the interpreter runs on
    // its own thread, so the host must be `Send`), flushed line by line for progress output.
    out.flush()?;
    let native = if args.interp { None } else { Some(tf_codegen::run_jit(&module, main, Vec::new())) };
    let failure: Option<(Option<tf_base::Span>, String)> = match native {
        Some(Ok(_)) => None,
        Some(Err(e)) if e.kind != tf_codegen::JitErrorKind::Compile => Some((e.span, e.message)),
        fallback => {
            if let Some(Err(e)) = fallback {
                writeln!(err, "note: {}; running on the interpreter", e.message)?;
            }
            let mut host = ProcessHost { out: std::io::stdout(), failed: None };
            let result = tf_interp::run(&module, main, Vec::new(), &mut host);
            if let Some(e) = host.failed {
                writeln!(err, "error: cannot write the program's output: {e}")?;
                return Ok(EXIT_FAILURE);
            }
            result.err().map(|e| (e.span, e.message))
        }
    };
    match failure {
        None => Ok(EXIT_OK),
        Some((span, message)) => {
            out.flush()?;
            let span = span.unwrap_or_default();
            let d = Diagnostic::error(Code::RuntimeError, span, message).with_label("the program stopped here");
            print_diagnostics(&[d], &loaded.sources, args.message_format, color, out, err)?;
            Ok(EXIT_RUNTIME)
        }
    }
}

/// The interpreter's view of this process: standard output, NumPy-style formatting.
struct ProcessHost {
    out: std::io::Stdout,
    failed: Option<std::io::Error>,
}

impl Host for ProcessHost {
    fn print(&mut self, line: &str) {
        if self.failed.is_none() {
            if let Err(e) = writeln!(self.out, "{line}").and_then(|()| self.out.flush()) {
                self.failed = Some(e);
            }
        }
    }

    fn format_tensor(&self, t: &Tensor) -> String {
        tf_interp::format_numpy(t)
    }

    fn load(&mut self, source: &DataSource, declared: &Type) -> Result<Tensor, String> {
        load_data(source, declared)
    }
}

/// Reads a data file through the runtime's readers, as the declared type asks.
pub fn load_data(source: &DataSource, declared: &Type) -> Result<Tensor, String> {
    use tf_runtime::data::{CsvHeader, Format, LoadRequest};
    let (path, format) = match source {
        DataSource::Npz { path, key } => (path, Format::Npz { member: key.clone() }),
        DataSource::Safetensors { path, key } => (path, Format::Safetensors { key: key.clone() }),
        DataSource::Npy { path } => (path, Format::Npy),
        DataSource::Csv { path, header } => {
            (path, Format::Csv { header: if *header { CsvHeader::Auto } else { CsvHeader::Absent } })
        }
        DataSource::Idx { path } => (path, Format::Idx),
    };
    let dtype = match declared.dtype {
        tf_ir::DType::F32 => tf_runtime::DType::F32,
        tf_ir::DType::F64 => tf_runtime::DType::F64,
        tf_ir::DType::I32 => tf_runtime::DType::I32,
        tf_ir::DType::I64 => tf_runtime::DType::I64,
        tf_ir::DType::Bool => tf_runtime::DType::Bool,
    };
    let shape = declared.shape.iter().map(|d| d.as_constant().and_then(|c| usize::try_from(c).ok())).collect();
    let request = LoadRequest { path: path.into(), format, dtype, shape };
    let t = tf_runtime::data::load(&request).map_err(|e| e.to_string())?;
    let shape = t.shape().to_vec();
    let data = match t.dtype() {
        tf_runtime::DType::F32 => tf_interp::Data::F32(t.as_f32().unwrap_or_default().to_vec()),
        tf_runtime::DType::F64 => tf_interp::Data::F64(t.as_f64().unwrap_or_default().to_vec()),
        tf_runtime::DType::I32 => tf_interp::Data::I32(t.as_i32().unwrap_or_default().to_vec()),
        tf_runtime::DType::I64 => tf_interp::Data::I64(t.as_i64().unwrap_or_default().to_vec()),
        tf_runtime::DType::Bool => {
            tf_interp::Data::Bool(t.as_bool().unwrap_or_default().iter().map(|&b| b != 0).collect())
        }
    };
    Ok(Tensor { shape, data })
}
