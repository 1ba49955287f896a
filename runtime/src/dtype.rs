//! The element types a tensor can hold, with the stable numeric codes the C ABI uses, and the
//! sealed `Element` trait that ties each Rust type to its `DType` (so byte views are sound).

use std::fmt;

/// An element type. The discriminants are the ABI's dtype codes and never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum DType {
    F32 = 0,
    F64 = 1,
    I32 = 2,
    I64 = 3,
    /// One byte per element, 0 or 1.
    Bool = 4,
}

impl DType {
    /// Bytes per element.
    pub const fn size(self) -> usize {
        match self {
            DType::F32 | DType::I32 => 4,
            DType::F64 | DType::I64 => 8,
            DType::Bool => 1,
        }
    }

    /// The dtype for an ABI code, or `None` for an unknown code.
    pub const fn from_code(code: u32) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::F64,
            2 => DType::I32,
            3 => DType::I64,
            4 => DType::Bool,
            _ => return None,
        })
    }

    /// The ABI code.
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The name used in source and in printed headers (`f32`, `bool`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            DType::F32 => "f32",
            DType::F64 => "f64",
            DType::I32 => "i32",
            DType::I64 => "i64",
            DType::Bool => "bool",
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    impl Sealed for u8 {}
}

/// A Rust type that is the storage of one `DType`. Sealed: every implementor is plain old data
/// (any bit pattern valid, no padding), which is what makes the byte-to-element views sound.
/// `bool` tensors are stored as `u8`.
pub trait Element: sealed::Sealed + Copy + Default + Send + Sync + PartialEq + fmt::Debug + 'static {
    const DTYPE: DType;
}

impl Element for f32 {
    const DTYPE: DType = DType::F32;
}
impl Element for f64 {
    const DTYPE: DType = DType::F64;
}
impl Element for i32 {
    const DTYPE: DType = DType::I32;
}
impl Element for i64 {
    const DTYPE: DType = DType::I64;
}
impl Element for u8 {
    const DTYPE: DType = DType::Bool;
}
