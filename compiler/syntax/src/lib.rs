//! The syntax stage: source text to AST, never failing — errors come back as diagnostics.

pub mod ast;
pub mod depth;
pub mod lexer;
pub mod parse;
pub mod token;

pub use parse::{parse_file, Parsed};
