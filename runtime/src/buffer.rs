//! Tensors: a dtype, a row-major shape and a 64-byte-aligned buffer holding exactly
//! `product(shape)` elements. Constructors check every size (an absurd shape from a data file is
//! an error, not a panic) and typed views hand out ordinary slices.

use crate::aligned::AlignedBuf;
use crate::dtype::{DType, Element};
use crate::error::{ErrorKind, RuntimeError};

/// The number of elements of `shape`, or `SizeOverflow` if it (or its size in bytes for the
/// widest dtype) does not fit the address space.
pub fn element_count(shape: &[usize]) -> Result<usize, RuntimeError> {
    shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n.checked_mul(8).is_some_and(|b| b <= isize::MAX as usize))
        .ok_or_else(|| RuntimeError::size_overflow(shape))
}

/// A dense row-major tensor. The invariant `data.len() == element_count(shape) * dtype.size()`
/// holds for every value, which is why the fields are private.
#[derive(Clone, Debug)]
pub struct Tensor {
    dtype: DType,
    shape: Vec<usize>,
    data: AlignedBuf,
}

/// A borrowed, typed view of a tensor's elements (row-major), for code that handles every dtype.
#[derive(Clone, Copy, Debug)]
pub enum TensorRef<'a> {
    F32(&'a [f32]),
    F64(&'a [f64]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    Bool(&'a [u8]),
}

impl TensorRef<'_> {
    pub fn dtype(&self) -> DType {
        match self {
            TensorRef::F32(_) => DType::F32,
            TensorRef::F64(_) => DType::F64,
            TensorRef::I32(_) => DType::I32,
            TensorRef::I64(_) => DType::I64,
            TensorRef::Bool(_) => DType::Bool,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            TensorRef::F32(s) => s.len(),
            TensorRef::F64(s) => s.len(),
            TensorRef::I32(s) => s.len(),
            TensorRef::I64(s) => s.len(),
            TensorRef::Bool(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Tensor {
    /// A tensor of zeros (`false` for bool).
    pub fn zeros(dtype: DType, shape: &[usize]) -> Result<Tensor, RuntimeError> {
        let n = element_count(shape)?;
        // element_count guarantees n * 8 fits, so n * size cannot overflow.
        let data = AlignedBuf::zeroed(n * dtype.size())?;
        Ok(Tensor { dtype, shape: shape.to_vec(), data })
    }

    /// A tensor holding a copy of `values`, which must have `product(shape)` elements.
    pub fn from_slice<T: Element>(shape: &[usize], values: &[T]) -> Result<Tensor, RuntimeError> {
        let n = element_count(shape)?;
        if values.len() != n {
            return Err(RuntimeError::new(ErrorKind::DimensionMismatch {
                expected: n as u64,
                found: values.len() as u64,
            }));
        }
        let mut t = Tensor::zeros(T::DTYPE, shape)?;
        t.data.view_mut::<T>().copy_from_slice(values);
        Ok(t)
    }

    /// Like `from_slice`; takes the vector for convenience (it is copied into aligned storage).
    pub fn from_vec<T: Element>(shape: &[usize], values: Vec<T>) -> Result<Tensor, RuntimeError> {
        Tensor::from_slice(shape, &values)
    }

    /// A bool tensor from `bool`s (stored as bytes 0/1).
    pub fn from_bools(shape: &[usize], values: &[bool]) -> Result<Tensor, RuntimeError> {
        let bytes: Vec<u8> = values.iter().map(|&b| u8::from(b)).collect();
        Tensor::from_slice(shape, &bytes)
    }

    /// A tensor from raw little-endian element bytes (native layout), as read from a file.
    pub fn from_bytes(dtype: DType, shape: &[usize], bytes: &[u8]) -> Result<Tensor, RuntimeError> {
        let n = element_count(shape)?;
        if bytes.len() != n * dtype.size() {
            return Err(RuntimeError::new(ErrorKind::DimensionMismatch {
                expected: (n * dtype.size()) as u64,
                found: bytes.len() as u64,
            }));
        }
        let mut t = Tensor::zeros(dtype, shape)?;
        t.data.as_bytes_mut().copy_from_slice(bytes);
        if dtype == DType::Bool {
            // Keep the 0/1 invariant whatever the file held.
            t.data.as_bytes_mut().iter_mut().for_each(|b| *b = u8::from(*b != 0));
        }
        Ok(t)
    }

    /// A rank-0 tensor.
    pub fn scalar<T: Element>(value: T) -> Result<Tensor, RuntimeError> {
        Tensor::from_slice(&[], &[value])
    }

    pub fn dtype(&self) -> DType {
        self.dtype
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    pub fn rank(&self) -> usize {
        self.shape.len()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.data.len() / self.dtype.size()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The same elements under another shape with the same element count.
    pub fn reshape(mut self, shape: &[usize]) -> Result<Tensor, RuntimeError> {
        let n = element_count(shape)?;
        if n != self.len() {
            return Err(RuntimeError::new(ErrorKind::DimensionMismatch {
                expected: self.len() as u64,
                found: n as u64,
            }));
        }
        self.shape = shape.to_vec();
        Ok(self)
    }

    /// The elements as `T`, or `None` if the dtype differs.
    pub fn as_slice<T: Element>(&self) -> Option<&[T]> {
        (self.dtype == T::DTYPE).then(|| self.data.view::<T>())
    }

    pub fn as_slice_mut<T: Element>(&mut self) -> Option<&mut [T]> {
        (self.dtype == T::DTYPE).then(|| self.data.view_mut::<T>())
    }

    /// The elements as `T`, or a `DTypeMismatch` error naming both dtypes.
    pub fn expect_slice<T: Element>(&self) -> Result<&[T], RuntimeError> {
        self.as_slice::<T>()
            .ok_or(RuntimeError::new(ErrorKind::DTypeMismatch { expected: T::DTYPE, found: self.dtype }))
    }

    pub fn as_f32(&self) -> Option<&[f32]> {
        self.as_slice()
    }
    pub fn as_f64(&self) -> Option<&[f64]> {
        self.as_slice()
    }
    pub fn as_i32(&self) -> Option<&[i32]> {
        self.as_slice()
    }
    pub fn as_i64(&self) -> Option<&[i64]> {
        self.as_slice()
    }
    /// Bool elements as bytes, each 0 or 1.
    pub fn as_bool(&self) -> Option<&[u8]> {
        self.as_slice()
    }
    pub fn as_f32_mut(&mut self) -> Option<&mut [f32]> {
        self.as_slice_mut()
    }
    pub fn as_f64_mut(&mut self) -> Option<&mut [f64]> {
        self.as_slice_mut()
    }
    pub fn as_i32_mut(&mut self) -> Option<&mut [i32]> {
        self.as_slice_mut()
    }
    pub fn as_i64_mut(&mut self) -> Option<&mut [i64]> {
        self.as_slice_mut()
    }

    /// The raw element bytes (native endianness), 64-byte aligned.
    pub fn as_bytes(&self) -> &[u8] {
        self.data.as_bytes()
    }

    pub fn as_ptr(&self) -> *const u8 {
        self.data.as_ptr()
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.data.as_mut_ptr()
    }

    /// A typed view for code that handles every dtype.
    pub fn view(&self) -> TensorRef<'_> {
        match self.dtype {
            DType::F32 => TensorRef::F32(self.data.view()),
            DType::F64 => TensorRef::F64(self.data.view()),
            DType::I32 => TensorRef::I32(self.data.view()),
            DType::I64 => TensorRef::I64(self.data.view()),
            DType::Bool => TensorRef::Bool(self.data.view()),
        }
    }
}
