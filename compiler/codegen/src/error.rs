//! What can go wrong: compiling (`CodegenError`: an op this back end does not support yet, a
//! module that does not verify, LLVM refusing something) and running (`JitError`: a failed
//! run-time check located at its `.tf` span, like the interpreter's `RunError`).

use std::fmt;

use tf_base::Span;

/// Why a module could not be compiled.
#[derive(Clone, Debug, PartialEq)]
pub enum CodegenError {
    /// The back end has no lowering for this op yet; no code is produced rather than wrong code.
    Unsupported { op: String, span: Option<Span> },
    /// The module breaks an IR invariant (`tf_ir::verify` fails, or a value is inconsistent).
    Invalid(String),
    /// LLVM refused something: a builder error, its verifier, the target, the optimiser.
    Llvm(String),
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodegenError::Unsupported { op, .. } => write!(f, "code generation does not support `{op}` yet"),
            CodegenError::Invalid(m) => write!(f, "invalid module: {m}"),
            CodegenError::Llvm(m) => write!(f, "LLVM: {m}"),
        }
    }
}

impl std::error::Error for CodegenError {}

impl From<inkwell::builder::BuilderError> for CodegenError {
    fn from(e: inkwell::builder::BuilderError) -> Self {
        CodegenError::Llvm(e.to_string())
    }
}

/// The kinds of [`JitError`]; the first ones match `tf_interp::RunErrorKind` one to one, so
/// tests and the driver treat both back ends alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JitErrorKind {
    /// A `CheckEq` failed, a dimension evaluated negative, or a trip count was negative.
    DimensionMismatch,
    /// A `CheckIndex`/`CheckSlice` failed, or an index, gather or slice read out of range.
    IndexOutOfRange,
    /// Integer division or remainder by zero.
    DivisionByZero,
    /// More than [`crate::MAX_CALL_DEPTH`] nested calls.
    RecursionLimit,
    /// A tensor with more than [`crate::MAX_ELEMENTS`] elements.
    SizeLimit,
    /// The arguments do not match the function's parameters.
    InvalidArgument,
    /// The allocator refused a request.
    OutOfMemory,
    /// Any other error the runtime recorded (its message says what).
    Runtime,
    /// The module could not be compiled (see the message, and `span` for an unsupported op).
    Compile,
    /// Generated code and the host disagree: a bug here.
    Internal,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JitError {
    pub kind: JitErrorKind,
    /// The span of the op that failed; when it has none, the nearest enclosing op's (through
    /// calls, as the interpreter does).
    pub span: Option<Span>,
    pub message: String,
}

impl JitError {
    pub(crate) fn new(kind: JitErrorKind, span: Option<Span>, message: impl Into<String>) -> JitError {
        JitError { kind, span, message: message.into() }
    }
}

impl fmt::Display for JitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for JitError {}

impl From<CodegenError> for JitError {
    fn from(e: CodegenError) -> Self {
        let span = match &e {
            CodegenError::Unsupported { span, .. } => *span,
            _ => None,
        };
        JitError::new(JitErrorKind::Compile, span, e.to_string())
    }
}
