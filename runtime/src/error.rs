//! Run-time errors as data. A failing operation returns a `RuntimeError` (a kind plus the
//! `SiteId` of the `.tf` expression, when known); generated code cannot return Rust values, so it
//! records its error in a per-thread slot that the host reads after the call returns.
//!
//! The runtime stores source sites but never renders them: the compiler registers each site
//! (file, byte range, line/column, message) and its driver renders run-time errors with the same
//! renderer as compile-time diagnostics.

use std::cell::RefCell;
use std::fmt;
use std::sync::{PoisonError, RwLock};

use crate::dtype::DType;

/// An index into the table of source sites the compiler registered. Stable for the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteId(pub u32);

impl SiteId {
    /// The ABI's encoding of "no site".
    pub const NONE_CODE: u32 = u32::MAX;

    /// Decodes an ABI site code.
    pub fn from_code(code: u32) -> Option<SiteId> {
        (code != Self::NONE_CODE).then_some(SiteId(code))
    }
}

/// Where in the source a run-time check lives, as the compiler describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub file: String,
    /// Byte range in the file.
    pub start: u32,
    pub end: u32,
    /// 1-based line and column of `start`, for renderers that do not reread the file.
    pub line: u32,
    pub col: u32,
    /// What the check is, in the compiler's words (e.g. "rows of `x` must equal `N`").
    pub message: String,
}

static SITES: RwLock<Vec<Site>> = RwLock::new(Vec::new());

/// Registers a site and returns its id. Ids are dense and never reused within a process.
pub fn register_site(site: Site) -> SiteId {
    let mut sites = SITES.write().unwrap_or_else(PoisonError::into_inner);
    // More than u32::MAX - 1 sites cannot come from real programs; saturate rather than wrap
    // so an id never aliases another site.
    let id = u32::try_from(sites.len()).unwrap_or(SiteId::NONE_CODE - 1).min(SiteId::NONE_CODE - 1);
    sites.push(site);
    SiteId(id)
}

/// The site registered under `id`.
pub fn site(id: SiteId) -> Option<Site> {
    SITES.read().unwrap_or_else(PoisonError::into_inner).get(id.0 as usize).cloned()
}

/// What went wrong. The ABI code of each kind (`code()`) is stable; see `runtime/ABI.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A dimension known only at run time differs from what the program requires.
    DimensionMismatch { expected: u64, found: u64 },
    /// An index outside `0..size` (negative indices are reported as written).
    IndexOutOfRange { index: i64, size: u64 },
    /// A data file is missing, unreadable or malformed.
    DataFile { path: String, reason: String },
    /// A tensor of one element type where another was required.
    DTypeMismatch { expected: DType, found: DType },
    /// A shape whose element count or byte size does not fit in the address space.
    SizeOverflow { dims: Vec<usize> },
    /// The allocator refused a request.
    OutOfMemory { bytes: usize },
    /// A caller broke an API contract (bad leading dimension, null pointer, unknown code).
    InvalidArgument { reason: String },
    /// An error raised by the program itself, with its message.
    User { message: String },
    /// A bug in the runtime, caught at the C boundary instead of unwinding through generated code.
    Panic { message: String },
}

impl ErrorKind {
    /// The stable ABI code of this kind (0 means "no error" and is never returned).
    pub fn code(&self) -> u32 {
        match self {
            ErrorKind::DimensionMismatch { .. } => 1,
            ErrorKind::IndexOutOfRange { .. } => 2,
            ErrorKind::DataFile { .. } => 3,
            ErrorKind::DTypeMismatch { .. } => 4,
            ErrorKind::SizeOverflow { .. } => 5,
            ErrorKind::OutOfMemory { .. } => 6,
            ErrorKind::InvalidArgument { .. } => 7,
            ErrorKind::User { .. } => 8,
            ErrorKind::Panic { .. } => 9,
        }
    }
}

/// A run-time error: what happened and, when generated code raised it, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeError {
    pub kind: ErrorKind,
    pub site: Option<SiteId>,
}

impl RuntimeError {
    pub fn new(kind: ErrorKind) -> Self {
        RuntimeError { kind, site: None }
    }

    /// The same error, attributed to `site`.
    pub fn at(mut self, site: SiteId) -> Self {
        self.site = Some(site);
        self
    }

    pub fn invalid(reason: impl Into<String>) -> Self {
        RuntimeError::new(ErrorKind::InvalidArgument { reason: reason.into() })
    }

    pub fn size_overflow(dims: &[usize]) -> Self {
        RuntimeError::new(ErrorKind::SizeOverflow { dims: dims.to_vec() })
    }
}

/// The message, without location: the driver adds the site when it renders.
impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::DimensionMismatch { expected, found } => {
                write!(f, "dimension mismatch: expected {expected}, found {found}")
            }
            ErrorKind::IndexOutOfRange { index, size } => {
                write!(f, "index {index} is out of range for a dimension of size {size}")
            }
            ErrorKind::DataFile { path, reason } => write!(f, "cannot use data file `{path}`: {reason}"),
            ErrorKind::DTypeMismatch { expected, found } => {
                write!(f, "element type mismatch: expected {expected}, found {found}")
            }
            ErrorKind::SizeOverflow { dims } => {
                write!(f, "a tensor of shape {dims:?} is too large for this machine's address space")
            }
            ErrorKind::OutOfMemory { bytes } => write!(f, "out of memory allocating {bytes} bytes"),
            ErrorKind::InvalidArgument { reason } => write!(f, "invalid argument: {reason}"),
            ErrorKind::User { message } => f.write_str(message),
            ErrorKind::Panic { message } => write!(f, "internal runtime error: {message}"),
        }
    }
}

impl std::error::Error for RuntimeError {}

thread_local! {
    static SLOT: RefCell<Option<RuntimeError>> = const { RefCell::new(None) };
}

/// Records `err` in this thread's error slot. The first error wins: later ones are usually
/// consequences of it, and the first is what the user needs to see.
pub fn raise(err: RuntimeError) {
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = Some(err);
        }
    });
}

/// Whether this thread's slot holds an error.
pub fn has_error() -> bool {
    SLOT.with(|slot| slot.borrow().is_some())
}

/// Removes and returns this thread's pending error.
pub fn take_error() -> Option<RuntimeError> {
    SLOT.with(|slot| slot.borrow_mut().take())
}

/// A copy of this thread's pending error, leaving it in place.
pub fn peek_error() -> Option<RuntimeError> {
    SLOT.with(|slot| slot.borrow().clone())
}
