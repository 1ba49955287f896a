//! The checker's input (parsed modules and their resolved imports) and output (diagnostics,
//! inferred signatures, run-time checks).

use tf_base::{Diagnostic, FileId, Span};
use tf_syntax::ast::{self, ItemKind};

use crate::checker::{Checker, FnId};
use crate::types::DeclId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);

/// One parsed source file.
#[derive(Debug, Clone)]
pub struct Module {
    /// Dotted module name (`layers`, `nn.rnn`); the file stem for a top-level file.
    pub name: String,
    pub file: FileId,
    pub ast: ast::File,
    /// For each `use` item that resolved to a file: the span of that `use` item and the module.
    pub imports: Vec<(Span, ModuleId)>,
    /// Standard-library modules are visible from every module without a `use`.
    pub is_stdlib: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Program {
    pub modules: Vec<Module>,
}

/// A function's or method's signature with the shapes the checker inferred.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub module: ModuleId,
    /// `loss` or `Dense.apply`.
    pub name: String,
    /// `fn loss[B](m: Mlp, x: f32[B, 64], y: i32[B]) -> f32`
    pub text: String,
    pub span: Span,
}

/// A fact that only the running program can establish, with the span that required it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeCheck {
    pub span: Span,
    /// `N == 64`, or `file data matches f32[N, 64]`.
    pub description: String,
}

#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub signatures: Vec<Signature>,
    pub runtime_checks: Vec<RuntimeCheck>,
}

/// Checks a whole program. Never fails: every problem is a diagnostic.
pub fn check(program: &Program) -> Checked {
    summarise(&mut analyse(program))
}

/// Checks a whole program and returns the checker's full state (declarations, functions,
/// symbols and the per-expression side tables), which the lowering to IR reads.
pub fn analyse(program: &Program) -> Checker<'_> {
    let mut cx = Checker::new(program);
    cx.collect_items();
    cx.resolve_signatures();
    for i in 0..cx.decls.len() {
        cx.check_decl_inits(DeclId(i as u32));
    }
    for i in 0..cx.fns.len() {
        cx.check_fn(FnId(i as u32));
    }
    cx
}

/// The user-facing summary of a finished check: its diagnostics (taken out of the checker),
/// signatures and run-time checks.
pub fn summarise(cx: &mut Checker<'_>) -> Checked {
    let program = cx.program;
    let mut signatures = Vec::new();
    for module in &program.modules {
        for item in &module.ast.items {
            let name = match &item.kind {
                ItemKind::Fn(f) => &f.name,
                ItemKind::Model(m) => &m.name,
                ItemKind::Struct(s) => &s.name,
                _ => continue,
            };
            if let Some(i) = cx.fns.iter().position(|f| f.owner.is_none() && std::ptr::eq(&f.decl.name, name)) {
                signatures.push(cx.fn_signature(FnId(i as u32)));
            } else if let Some(i) = cx.decls.iter().position(|d| d.name_span == name.span) {
                signatures.push(cx.decl_signature(DeclId(i as u32)));
                let mut methods: Vec<_> = cx.decls[i].methods.values().copied().collect();
                methods.sort_by_key(|m| cx.func(*m).decl.span.start);
                for m in methods {
                    signatures.push(cx.fn_signature(m));
                }
            }
        }
    }
    let mut diagnostics = std::mem::take(&mut cx.diagnostics);
    diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.primary.span.end));
    diagnostics.dedup();
    Checked { diagnostics, signatures, runtime_checks: std::mem::take(&mut cx.runtime_checks) }
}
