//! What the checker learnt about each expression, kept for the stages after it: the lowering to
//! IR (types, call targets, generic instantiations) and the language server (types for hover).

use std::collections::HashMap;

use tf_base::FileId;
use tf_syntax::ast::ExprId;

use crate::calls::Source;
use crate::dim::SymId;
use crate::types::{DType, DeclId, ShapeItem, Type};

/// An expression of the program: its file and its id within the file.
pub type ExprKey = (FileId, ExprId);

/// What a call calls.
#[derive(Clone, Debug, PartialEq)]
pub enum Callee {
    /// A function or method of the program (index into the checker's function table); a
    /// method's `self` is the receiver of the call or, for `m(x)`, the called model itself.
    Fn(u32),
    /// A primitive (index into the builtin table).
    Builtin(u32),
    ModelInit(DeclId),
    Struct(DeclId),
    Cast(DType),
    /// A function-typed value (`value_and_grad(loss)(m, x, y)`): see the callee expression.
    Value,
}

/// A call: its target, how its generic parameters were instantiated (callee symbol → the
/// caller's dimensions, packs as lists), and which argument fills each parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct CallInfo {
    pub callee: Callee,
    pub generics: Vec<(SymId, Vec<ShapeItem>)>,
    pub slots: Vec<Option<Source>>,
}

/// Facts per expression; types are fully resolved (no call-site unknowns remain).
#[derive(Clone, Debug, Default)]
pub struct Typed {
    pub types: HashMap<ExprKey, Type>,
    pub calls: HashMap<ExprKey, CallInfo>,
    /// Integer expressions whose value is a size: `let` values (`N * 4 / 5`) and the iterated
    /// range of a `for` (the loop index's symbol).
    pub sizes: HashMap<ExprKey, crate::dim::Dim>,
}
