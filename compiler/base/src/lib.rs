//! Foundation types every compiler stage shares: spans, the source map, diagnostics and their codes.

pub mod codes;
pub mod diag;
pub mod poly;
pub mod source;
pub mod span;
pub mod suggest;

pub use codes::Code;
pub use diag::{Diagnostic, Label, Severity};
pub use source::{SourceFile, SourceMap};
pub use span::{FileId, Span};
