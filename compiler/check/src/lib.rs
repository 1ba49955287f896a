//! The checking stage: names, types and symbolic shapes of a whole program, as pure functions
//! of parsed modules (the driver does all file I/O).

pub mod body;
mod builtin_misc;
mod builtin_rules;
mod builtin_shapes;
mod builtin_table;
pub mod builtins;
pub mod calls;
pub mod checker;
pub mod dim;
mod display;
mod expr;
mod index;
mod items;
mod lower_ty;
mod ops;
mod program;
mod signature;
pub mod symbols;
pub mod typed;
pub mod types;
mod unify;

pub use program::{analyse, check, summarise, Checked, Module, ModuleId, Program, RuntimeCheck, Signature};
