//! Run-time errors: what stopped a program, and the `.tf` span of the op that required the
//! failing check, so the driver can render them like any other diagnostic.

use std::fmt;

use tf_base::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RunErrorKind {
    /// A `CheckEq` failed, or sizes met at run time disagree (a negative dimension, a
    /// convolution kernel larger than its input, ...).
    DimensionMismatch,
    /// A `CheckIndex` or `CheckSlice` failed, or an index, gather or slice read out of range.
    IndexOutOfRange,
    /// Integer division or remainder by zero (float division follows IEEE and never fails).
    DivisionByZero,
    /// The host could not load data, or the data disagrees with its declared type.
    DataLoad,
    /// More than [`crate::MAX_CALL_DEPTH`] nested calls.
    RecursionLimit,
    /// A tensor larger than [`crate::MAX_ELEMENTS`] elements.
    SizeLimit,
    /// The arguments given to [`crate::run`] do not match the function's parameters.
    InvalidArgument,
    /// The interpreter found the module or a value inconsistent with the IR's rules: a bug in
    /// whatever produced the module, or in the interpreter.
    Internal,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunError {
    pub kind: RunErrorKind,
    /// The span of the op that failed; when that op has none, the nearest enclosing op's.
    pub span: Option<Span>,
    pub message: String,
}

impl RunError {
    pub fn new(kind: RunErrorKind, span: Option<Span>, message: impl Into<String>) -> RunError {
        RunError { kind, span, message: message.into() }
    }

    /// An error whose span is filled in by the op that reports it.
    pub(crate) fn of(kind: RunErrorKind, message: impl Into<String>) -> RunError {
        RunError::new(kind, None, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> RunError {
        RunError::of(RunErrorKind::Internal, message)
    }

    /// Locates the error at `span` unless an inner op already did.
    pub(crate) fn at(mut self, span: Option<Span>) -> RunError {
        if self.span.is_none() {
            self.span = span;
        }
        self
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for RunError {}
