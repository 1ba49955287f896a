//! From loaded files to IR: check, then lower the user's `main` and everything it reaches.
//! Shared by `tfc build` and `tfc run`.

use tf_base::{Code, Diagnostic, Span};
use tf_check::checker::FnId;

use crate::load::Loaded;

/// The IR of the program, or every diagnostic (of loading, checking or lowering) sorted.
pub fn lower_loaded(loaded: &Loaded) -> Result<tf_ir::Module, Vec<Diagnostic>> {
    let mut cx = tf_check::analyse(&loaded.program);
    let checked = tf_check::summarise(&mut cx);
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(checked.diagnostics);
    diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.primary.span.end));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let Some(&first) = loaded.user_modules.first() else { return Err(diagnostics) };
    let module = &loaded.program.modules[first.0 as usize];
    let main = cx.fns.iter().position(|f| f.owner.is_none() && f.module == first && f.decl.name.name == "main");
    let Some(main) = main else {
        let span = Span::new(module.file, 0, 0);
        return Err(vec![Diagnostic::error(Code::NoMain, span, "no `main` function to run")
            .with_label("the program starts here")
            .with_help("define `fn main() { ... }`")]);
    };
    tf_lower::lower_program(&cx, FnId(main as u32))
}

/// Loads, checks and lowers one program for `tfc build` and `tfc run`, printing what goes wrong.
/// `Ok(Err(status))`: the program did not compile; the diagnostics are printed.
pub fn compile_file(
    file: &std::path::Path,
    format: crate::cli::MessageFormat,
    color: bool,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> std::io::Result<Result<(Loaded, tf_ir::Module), i32>> {
    use crate::cli::{print_diagnostics, EXIT_ERRORS, EXIT_FAILURE};
    let stdlib = match crate::stdlib::find_stdlib() {
        Ok(dir) => dir,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(Err(EXIT_FAILURE));
        }
    };
    let loaded = match crate::load::load(&[file.to_path_buf()], &stdlib) {
        Ok(l) => l,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(Err(EXIT_FAILURE));
        }
    };
    match lower_loaded(&loaded) {
        Ok(module) => Ok(Ok((loaded, module))),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &loaded.sources, format, color, out, err)?;
            Ok(Err(EXIT_ERRORS))
        }
    }
}
