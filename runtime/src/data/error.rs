//! The one error type of data reading. A bad data file is a user's problem, so the message has to
//! say which file, what it holds and what the program declared, in one sentence.

use std::fmt;

use crate::error::{ErrorKind, RuntimeError};

/// What kind of problem a [`DataError`] reports, for callers that branch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataErrorKind {
    /// The file could not be opened or read.
    Io,
    /// The bytes are not a valid file of the format (wrong magic, truncated, inconsistent sizes).
    Malformed,
    /// A valid file using something this reader does not support (complex dtypes, encryption).
    Unsupported,
    /// The archive has no member or tensor of the requested name.
    Missing,
    /// The file's element type does not convert to the declared one.
    DType,
    /// The file's shape disagrees with the declared rank or a fixed dimension.
    Shape,
    /// The tensor is too large to allocate.
    Memory,
}

/// A data file that cannot be used: which file, what went wrong and, when known, what the file
/// holds (`u8[60000, 28, 28]`) and what the program declared (`f32[_, 784]`, `_` for a free
/// dimension). The optional parts are boxed to keep `Result<_, DataError>` small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    pub kind: DataErrorKind,
    /// The file's path as the program named it; empty when parsing bytes that came from no file.
    pub path: String,
    /// The archive member or tensor name, when the file holds several arrays.
    pub member: Option<Box<str>>,
    /// The array's element type and shape, when its header could be read.
    pub holds: Option<Box<str>>,
    /// The declared element type and shape, when the read came from [`super::load`].
    pub declared: Option<Box<str>>,
    /// The problem itself, without the path or the types above.
    pub detail: String,
}

impl DataError {
    pub fn new(kind: DataErrorKind, detail: impl Into<String>) -> DataError {
        DataError { kind, path: String::new(), member: None, holds: None, declared: None, detail: detail.into() }
    }

    pub(crate) fn malformed(detail: impl Into<String>) -> DataError {
        DataError::new(DataErrorKind::Malformed, detail)
    }

    pub(crate) fn unsupported(detail: impl Into<String>) -> DataError {
        DataError::new(DataErrorKind::Unsupported, detail)
    }

    /// The same error, about the file at `path` (kept if already set).
    pub fn with_path(mut self, path: impl Into<String>) -> DataError {
        if self.path.is_empty() {
            self.path = path.into();
        }
        self
    }

    /// The same error, noting what the program declared.
    pub fn with_declared(mut self, declared: impl Into<String>) -> DataError {
        self.declared = Some(declared.into().into_boxed_str());
        self
    }

    pub(crate) fn with_holds(mut self, holds: impl Into<String>) -> DataError {
        self.holds = Some(holds.into().into_boxed_str());
        self
    }

    /// The same error with `context` (e.g. "array `x`") put before the detail.
    pub(crate) fn context(mut self, context: &str) -> DataError {
        self.detail = format!("{context}: {}", self.detail);
        self
    }

    /// The message without the path: what [`ErrorKind::DataFile`] carries as its reason.
    pub fn reason(&self) -> String {
        let subject = self.member.as_ref().map_or("it".to_string(), |m| format!("`{m}`"));
        match (&self.holds, &self.declared) {
            (Some(h), Some(d)) => format!("{subject} holds {h} but the program declares {d}: {}", self.detail),
            (Some(h), None) => format!("{} ({subject} holds {h})", self.detail),
            (None, Some(d)) => format!("{} (the program declares {d})", self.detail),
            (None, None) => self.detail.clone(),
        }
    }
}

/// Worded as [`RuntimeError`]'s `DataFile` message, so both read the same.
impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "cannot use data: {}", self.reason())
        } else {
            write!(f, "cannot use data file `{}`: {}", self.path, self.reason())
        }
    }
}

impl std::error::Error for DataError {}

impl From<DataError> for RuntimeError {
    fn from(e: DataError) -> RuntimeError {
        RuntimeError::new(ErrorKind::DataFile { reason: e.reason(), path: e.path })
    }
}
