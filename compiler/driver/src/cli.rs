//! The `tfc` command line: argument definitions and the subcommands, written against plain
//! writers so that they can be run in-process by tests and by `main`.
//!
//! Exit statuses: 0 success (warnings allowed), 1 the program has errors, 2 the command could
//! not do its job (bad usage, unreadable files, no stdlib). `run`, `build`, `fmt`, `graph` and
//! `lsp` will be further variants of [`Command`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tf_base::{Code, Severity};

use crate::pipeline::{check_files, Compiled};
use crate::render::{self, json, terminal::TerminalRenderer};
use crate::stdlib::find_stdlib;

pub const EXIT_OK: i32 = 0;
pub const EXIT_ERRORS: i32 = 1;
pub const EXIT_FAILURE: i32 = 2;

#[derive(Debug, Parser)]
#[command(name = "tfc", version, about = "The TensorForge compiler")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check programs for syntax, name, type and shape errors.
    Check(CheckArgs),
    /// Explain a diagnostic code, such as E0301.
    Explain(ExplainArgs),
    /// Compile a program and write a compiled form (`--emit ir`).
    Build(crate::build::BuildArgs),
    /// Compile a program and run its `main`.
    Run(crate::run::RunArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The files to check; the modules they `use` and the standard library are loaded too.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print the inferred signature of every function and method of the given files.
    #[arg(long)]
    pub print_signatures: bool,
    /// Print the facts that can only be checked while the program runs.
    #[arg(long)]
    pub runtime_checks: bool,
    /// How to print diagnostics: for people on stderr, or as JSON lines on stdout.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// When to colour human-readable diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The code, such as E0301 (case does not matter).
    #[arg(required_unless_present = "list", value_name = "CODE")]
    pub code: Option<String>,
    /// List every code with its title.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// `auto` colours only a terminal, and respects the `NO_COLOR` convention.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                is_terminal && !no_color
            }
        }
    }
}

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let status = match cli.command {
        Command::Check(args) => {
            let color = args.color.enabled(std::io::stderr().is_terminal());
            check(&args, color, out, err)
        }
        Command::Explain(args) => explain(&args, out, err),
        Command::Build(args) => {
            let color = args.color.enabled(std::io::stderr().is_terminal());
            crate::build::build(&args, color, out, err)
        }
        Command::Run(args) => {
            let color = args.color.enabled(std::io::stderr().is_terminal());
            crate::run::run(&args, color, out, err)
        }
    };
    // Output that cannot be written (a closed pipe, a full disk) is not worth a panic; there is
    // nowhere left to report it either.
    status.unwrap_or(EXIT_FAILURE)
}

/// Prints diagnostics for people (stderr, with a summary line) or tools (JSON lines on stdout).
pub fn print_diagnostics(
    diagnostics: &[tf_base::Diagnostic],
    sources: &tf_base::SourceMap,
    format: MessageFormat,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        MessageFormat::Human => {
            let mut renderer = TerminalRenderer::new(sources, color);
            for d in diagnostics {
                renderer.write(err, d)?;
                writeln!(err)?;
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            if errors > 0 {
                writeln!(err, "error: {errors} error{} reported", if errors == 1 { "" } else { "s" })?;
            }
        }
        MessageFormat::Json => {
            for d in diagnostics {
                json::write(out, d, sources)?;
            }
        }
    }
    Ok(())
}

/// `tfc check`.
pub fn check(args: &CheckArgs, color: bool, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let stdlib = match find_stdlib() {
        Ok(dir) => dir,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_FAILURE);
        }
    };
    let compiled = match check_files(&args.files, &stdlib) {
        Ok(compiled) => compiled,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_FAILURE);
        }
    };
    match args.message_format {
        MessageFormat::Human => {
            let mut renderer = TerminalRenderer::new(&compiled.sources, color);
            for diagnostic in &compiled.diagnostics {
                renderer.write(err, diagnostic)?;
                writeln!(err)?;
            }
            if let Some(line) = summary(&compiled) {
                writeln!(err, "{line}")?;
            }
        }
        MessageFormat::Json => {
            for diagnostic in &compiled.diagnostics {
                json::write(out, diagnostic, &compiled.sources)?;
            }
        }
    }
    if args.print_signatures {
        print_signatures(&compiled, out)?;
    }
    if args.runtime_checks {
        print_runtime_checks(&compiled, out)?;
    }
    Ok(if compiled.has_errors() { EXIT_ERRORS } else { EXIT_OK })
}

/// `error: 2 errors reported`, or the warnings-only form; nothing for a clean program.
fn summary(compiled: &Compiled) -> Option<String> {
    let errors = compiled.error_count();
    let warnings = compiled.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    let plural = |n: usize, what: &str| {
        if n == 1 {
            format!("1 {what}")
        } else {
            format!("{n} {what}s")
        }
    };
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(format!("warning: {} reported", plural(w, "warning"))),
        (e, 0) => Some(format!("error: {} reported", plural(e, "error"))),
        (e, w) => Some(format!("error: {} and {} reported", plural(e, "error"), plural(w, "warning"))),
    }
}

/// `file.tf: fn loss[B](...) -> f32`, for the user's modules in the checker's order.
fn print_signatures(compiled: &Compiled, out: &mut dyn Write) -> std::io::Result<()> {
    for signature in &compiled.checked.signatures {
        if !compiled.user_modules.contains(&signature.module) {
            continue;
        }
        let file = compiled.module_file_name(signature.module).unwrap_or("<unknown>");
        writeln!(out, "{file}: {}", signature.text)?;
    }
    Ok(())
}

/// `file:line:col: runtime check: N == 64`, for the user's files (the stdlib's are generic).
fn print_runtime_checks(compiled: &Compiled, out: &mut dyn Write) -> std::io::Result<()> {
    let user_files: Vec<_> =
        compiled.user_modules.iter().map(|m| compiled.program.modules[m.0 as usize].file).collect();
    for check in compiled.checked.runtime_checks.iter().filter(|c| user_files.contains(&c.span.file)) {
        let location = render::location(&compiled.sources, check.span);
        writeln!(out, "{location}: runtime check: {}", check.description)?;
    }
    Ok(())
}

/// `tfc explain`.
pub fn explain(args: &ExplainArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    if args.list {
        for code in Code::ALL {
            writeln!(out, "{}  {}", code.as_str(), code.title())?;
        }
        return Ok(EXIT_OK);
    }
    let text = args.code.as_deref().unwrap_or_default();
    match Code::parse(text) {
        Some(code) => {
            writeln!(out, "{}: {}\n\n{}", code.as_str(), code.title(), code.explanation())?;
            Ok(EXIT_OK)
        }
        None => {
            writeln!(err, "error: `{text}` is not a TensorForge diagnostic code")?;
            writeln!(err, "help: run `tfc explain --list` to see every code")?;
            Ok(EXIT_FAILURE)
        }
    }
}
