//! Source sites of run-time failures. Generated code names a failing op by a small integer (its
//! index in [`Compiled::sites`](crate::Compiled)) and a [`Reason`]; the host turns the pair back
//! into a span and an error kind. Ids are local to one compiled module (the runtime's global
//! site table is left to the AOT path, which must register sites at load time).

use tf_base::Span;

use crate::error::JitErrorKind;

/// "No site": the failing op has no span, so the caller's call site will provide one.
pub const NO_SITE: u32 = u32::MAX;

/// Where a failing op is, for the host to render the error.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteInfo {
    pub span: Span,
    /// The IR function the op belongs to.
    pub function: String,
}

/// Why generated code stopped; passed to the failure helper with up to four numbers, which
/// are formatted exactly as the interpreter words the same error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Reason {
    /// `a != b`.
    CheckEq = 0,
    /// `i = a` not in `0..b`.
    CheckIndex = 1,
    /// `a..b` not within `0..c`.
    CheckSlice = 2,
    DivisionByZero = 3,
    /// An `Index`, `Gather` or `ScatterAdd` index `a` not in `0..b`.
    IndexRead = 4,
    /// A slice of `a` elements from `b` with step `c` on an axis of length `d`.
    SliceRead = 5,
    /// `ArgMax` (`a == 0`) or `ArgMin` of an empty axis.
    EmptyArgReduce = 6,
    /// A dimension evaluated to `a < 0`.
    NegativeDim = 7,
    /// A tensor of more than `MAX_ELEMENTS` elements (or whose size overflows).
    TooLarge = 8,
    /// A `For` trip count `a < 0`.
    NegativeTripCount = 9,
    /// More than `MAX_CALL_DEPTH` nested calls.
    RecursionLimit = 10,
}

impl Reason {
    pub fn from_code(code: u32) -> Option<Reason> {
        use Reason::*;
        [
            CheckEq,
            CheckIndex,
            CheckSlice,
            DivisionByZero,
            IndexRead,
            SliceRead,
            EmptyArgReduce,
            NegativeDim,
            TooLarge,
            NegativeTripCount,
            RecursionLimit,
        ]
        .into_iter()
        .find(|r| *r as u32 == code)
    }

    pub fn kind(self) -> JitErrorKind {
        match self {
            Reason::CheckEq | Reason::NegativeDim | Reason::NegativeTripCount => JitErrorKind::DimensionMismatch,
            Reason::CheckIndex
            | Reason::CheckSlice
            | Reason::IndexRead
            | Reason::SliceRead
            | Reason::EmptyArgReduce => JitErrorKind::IndexOutOfRange,
            Reason::DivisionByZero => JitErrorKind::DivisionByZero,
            Reason::TooLarge => JitErrorKind::SizeLimit,
            Reason::RecursionLimit => JitErrorKind::RecursionLimit,
        }
    }

    /// The interpreter's wording of the same failure.
    pub fn message(self, [a, b, c, d]: [i64; 4]) -> String {
        match self {
            Reason::CheckEq => format!("dimension mismatch: {a} != {b}"),
            Reason::CheckIndex | Reason::IndexRead => format!("index out of range: {a} is not in 0..{b}"),
            Reason::CheckSlice => format!("slice out of range: {a}..{b} is not within 0..{c}"),
            Reason::DivisionByZero => "integer division by zero".into(),
            Reason::SliceRead => {
                format!("slice out of range: {a} elements from {b} with step {c} on an axis of length {d}")
            }
            Reason::EmptyArgReduce => format!("{} of an empty axis", if a == 0 { "ArgMax" } else { "ArgMin" }),
            Reason::NegativeDim => format!("a dimension is negative: {a}"),
            Reason::TooLarge => format!("a tensor has more than {} elements", crate::MAX_ELEMENTS),
            Reason::NegativeTripCount => format!("negative trip count {a}"),
            Reason::RecursionLimit => format!("more than {} nested calls", crate::MAX_CALL_DEPTH),
        }
    }
}
