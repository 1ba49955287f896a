//! The whole-program checker state: symbols, declarations, functions and module namespaces.

use std::collections::HashMap;

use tf_base::{Diagnostic, Span};
use tf_syntax::ast;

use crate::dim::SymId;
use crate::program::{ModuleId, Program, RuntimeCheck, Signature};
use crate::symbols::Symbols;
use crate::types::{DeclId, FnType, Type};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FnId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemRef {
    Fn(FnId),
    Decl(DeclId),
    Builtin(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyState {
    NotChecked,
    InProgress,
    Done,
}

pub struct FnInfo<'a> {
    pub module: ModuleId,
    pub decl: &'a ast::FnDecl,
    /// The model a method belongs to.
    pub owner: Option<DeclId>,
    pub sig: FnType,
    pub has_self: bool,
    pub declared_ret: bool,
    pub state: BodyState,
    /// Dimension names visible in the body (generics, explicit and implicit).
    pub dim_scope: HashMap<String, SymId>,
    /// Spans of each parameter (excluding `self`), for "declared here" labels.
    pub param_spans: Vec<Span>,
    /// For a `derivative` rule: the function it differentiates.
    pub derivative_of: Option<FnId>,
    /// For a function with a `derivative` rule: the rule.
    pub custom_vjp: Option<FnId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclKind {
    Model,
    Struct,
}

pub struct FieldInfo<'a> {
    pub name: String,
    pub ty: Type,
    pub is_param: bool,
    pub span: Span,
    pub init: Option<&'a ast::Expr>,
}

pub struct DeclInfo<'a> {
    pub name: String,
    pub module: ModuleId,
    pub kind: DeclKind,
    pub generics: Vec<SymId>,
    pub dim_scope: HashMap<String, SymId>,
    pub fields: Vec<FieldInfo<'a>>,
    pub methods: HashMap<String, FnId>,
    pub span: Span,
    pub name_span: Span,
}

pub struct Checker<'a> {
    pub program: &'a Program,
    pub symbols: Symbols,
    pub fns: Vec<FnInfo<'a>>,
    pub decls: Vec<DeclInfo<'a>>,
    /// Items each module defines.
    pub namespaces: Vec<HashMap<String, ItemRef>>,
    /// Modules each module imports, with the names selected (`None`: all of them).
    pub imports: Vec<Vec<(ModuleId, Option<Vec<String>>)>>,
    pub diagnostics: Vec<Diagnostic>,
    pub runtime_checks: Vec<RuntimeCheck>,
    pub signatures: Vec<Signature>,
    pub typed: crate::typed::Typed,
    /// `derivative` items, resolved after every signature.
    pub derivatives: Vec<(ModuleId, &'a ast::FnDecl)>,
}

impl<'a> Checker<'a> {
    pub fn new(program: &'a Program) -> Checker<'a> {
        let n = program.modules.len();
        Checker {
            program,
            symbols: Symbols::default(),
            fns: Vec::new(),
            decls: Vec::new(),
            namespaces: vec![HashMap::new(); n],
            imports: vec![Vec::new(); n],
            diagnostics: Vec::new(),
            runtime_checks: Vec::new(),
            signatures: Vec::new(),
            typed: Default::default(),
            derivatives: Vec::new(),
        }
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn decl(&self, id: DeclId) -> &DeclInfo<'a> {
        &self.decls[id.0 as usize]
    }

    pub fn func(&self, id: FnId) -> &FnInfo<'a> {
        &self.fns[id.0 as usize]
    }

    /// Resolves a name at module level: own items, imports, the stdlib, then builtins.
    pub fn lookup(&self, module: ModuleId, name: &str) -> Option<ItemRef> {
        if let Some(item) = self.namespaces[module.0 as usize].get(name) {
            return Some(*item);
        }
        for (m, names) in &self.imports[module.0 as usize] {
            if names.as_ref().is_none_or(|ns| ns.iter().any(|n| n == name)) {
                if let Some(item) = self.namespaces[m.0 as usize].get(name) {
                    return Some(*item);
                }
            }
        }
        for (i, m) in self.program.modules.iter().enumerate() {
            if m.is_stdlib {
                if let Some(item) = self.namespaces[i].get(name) {
                    return Some(*item);
                }
            }
        }
        crate::builtins::lookup(name).map(ItemRef::Builtin)
    }

    /// Every name visible at module level, for "did you mean" suggestions.
    pub fn visible_names(&self, module: ModuleId) -> Vec<String> {
        let mut names: Vec<String> = self.namespaces[module.0 as usize].keys().cloned().collect();
        for (m, selected) in &self.imports[module.0 as usize] {
            match selected {
                Some(ns) => names.extend(ns.iter().cloned()),
                None => names.extend(self.namespaces[m.0 as usize].keys().cloned()),
            }
        }
        for (i, m) in self.program.modules.iter().enumerate() {
            if m.is_stdlib {
                names.extend(self.namespaces[i].keys().cloned());
            }
        }
        names.extend(crate::builtins::names().map(String::from));
        names
    }
}
