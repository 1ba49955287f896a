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
