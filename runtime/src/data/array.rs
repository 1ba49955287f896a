//! What a data file holds before the program's types are applied: the file's own element type
//! (files have more of them than TensorForge: u8, f16, ...), a C-order shape and little-endian
//! bytes, borrowed from the file when possible. Conversion to a [`Tensor`] of a declared dtype
//! lives here too, with the rules for which conversions are allowed.

use std::borrow::Cow;
use std::fmt;

use crate::buffer::Tensor;
use crate::dtype::{DType, Element};

use super::error::{DataError, DataErrorKind};

/// An element type as stored in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElemType {
    Bool,
    U8,
    I8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F16,
    BF16,
    F32,
    F64,
}

impl ElemType {
    /// Bytes per element.
    pub const fn size(self) -> usize {
        match self {
            ElemType::Bool | ElemType::U8 | ElemType::I8 => 1,
            ElemType::I16 | ElemType::U16 | ElemType::F16 | ElemType::BF16 => 2,
            ElemType::I32 | ElemType::U32 | ElemType::F32 => 4,
            ElemType::I64 | ElemType::U64 | ElemType::F64 => 8,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            ElemType::Bool => "bool",
            ElemType::U8 => "u8",
            ElemType::I8 => "i8",
            ElemType::I16 => "i16",
            ElemType::U16 => "u16",
            ElemType::I32 => "i32",
            ElemType::U32 => "u32",
            ElemType::I64 => "i64",
            ElemType::U64 => "u64",
            ElemType::F16 => "f16",
            ElemType::BF16 => "bf16",
            ElemType::F32 => "f32",
            ElemType::F64 => "f64",
        }
    }

    pub const fn is_float(self) -> bool {
        matches!(self, ElemType::F16 | ElemType::BF16 | ElemType::F32 | ElemType::F64)
    }

    /// Whether data of this type may load as `to`, and if not, why. Allowed: the same type;
    /// integers and bools to any float (u8 images to f32); integers and bools to an integer type
    /// that holds every value of theirs (u8 labels to i32); floats to floats (f64 to f32 rounds).
    /// Refused: floats to integers, integers that might not fit, anything but bool to bool.
    pub fn converts_to(self, to: DType) -> Result<(), String> {
        use ElemType::*;
        let ok = match to {
            DType::F32 | DType::F64 => true,
            DType::I32 => matches!(self, Bool | U8 | I8 | I16 | U16 | I32),
            DType::I64 => matches!(self, Bool | U8 | I8 | I16 | U16 | I32 | U32 | I64),
            DType::Bool => self == Bool,
        };
        if ok {
            Ok(())
        } else if to == DType::Bool {
            Err(format!("only bool data loads as bool, not {}", self.name()))
        } else if self.is_float() {
            Err(format!("{} values do not convert to the integer type {to} (that would drop fractions)", self.name()))
        } else {
            Err(format!("{} values may not fit in {to}; declare a wider type or store the data as {to}", self.name()))
        }
    }
}

impl fmt::Display for ElemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The element count of `shape` times `size`, if it fits in memory at all.
pub(crate) fn byte_len(shape: &[usize], size: usize) -> Option<usize> {
    shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .and_then(|n| n.checked_mul(size))
        .filter(|&b| b <= isize::MAX as usize)
}

/// `u8[60000, 28, 28]`.
pub(crate) fn describe(name: &str, shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("{name}[{}]", dims.join(", "))
}

/// An array read from a file: C order, little-endian, `data.len() == product(shape) * size`.
#[derive(Clone, Debug, PartialEq)]
pub struct Array<'a> {
    elem: ElemType,
    shape: Vec<usize>,
    data: Cow<'a, [u8]>,
}

impl<'a> Array<'a> {
    /// An array over `data`, which must hold exactly the shape's elements.
    pub fn new(elem: ElemType, shape: Vec<usize>, data: Cow<'a, [u8]>) -> Result<Array<'a>, DataError> {
        let want = byte_len(&shape, elem.size())
            .ok_or_else(|| DataError::malformed(format!("shape {shape:?} is too large for this machine")))?;
        if data.len() != want {
            return Err(DataError::malformed(format!(
                "{} needs {want} bytes of data, found {}",
                describe(elem.name(), &shape),
                data.len()
            )));
        }
        Ok(Array { elem, shape, data })
    }

    /// The array whose bytes start at `start` of `data` (an error if `data` is too short; bytes
    /// after the array are dropped), byte-swapped if `big_endian`. Owned data is cut in place.
    pub(crate) fn from_part(
        elem: ElemType,
        shape: Vec<usize>,
        data: Cow<'a, [u8]>,
        start: usize,
        big_endian: bool,
    ) -> Result<Array<'a>, DataError> {
        let len = byte_len(&shape, elem.size()).unwrap_or(usize::MAX);
        let end = start.checked_add(len).filter(|&e| e <= data.len());
        let Some(end) = end else {
            return Err(DataError::malformed(format!(
                "truncated: {} needs {len} bytes of data, the file has {}",
                describe(elem.name(), &shape),
                data.len().saturating_sub(start)
            )));
        };
        let mut data = match data {
            Cow::Borrowed(b) => Cow::Borrowed(&b[start..end]),
            Cow::Owned(mut v) => {
                v.truncate(end);
                v.drain(..start);
                Cow::Owned(v)
            }
        };
        let size = elem.size();
        if big_endian && size > 1 {
            data.to_mut().chunks_exact_mut(size).for_each(<[u8]>::reverse);
        }
        Array::new(elem, shape, data)
    }

    pub fn elem(&self) -> ElemType {
        self.elem
    }

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// Little-endian element bytes in C order.
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// `u8[60000, 28, 28]`.
    pub fn describe(&self) -> String {
        describe(self.elem.name(), &self.shape)
    }

    /// The same array owning its bytes.
    pub fn into_owned(self) -> Array<'static> {
        Array { elem: self.elem, shape: self.shape, data: Cow::Owned(self.data.into_owned()) }
    }

    /// The same elements under another shape of the same element count.
    pub fn reshape(self, shape: Vec<usize>) -> Result<Array<'a>, DataError> {
        Array::new(self.elem, shape, self.data)
    }

    /// Reorders the elements of a Fortran-order (column-major) array of this shape into C order.
    pub(crate) fn fortran_to_c(self) -> Array<'static> {
        let size = self.elem.size();
        let rank = self.shape.len();
        let n = self.data.len() / size;
        let mut out = Vec::with_capacity(self.data.len());
        if rank >= 2 && n > 0 {
            // Column-major strides (in elements) of each axis, and a C-order index counter.
            let mut fstride = vec![1usize; rank];
            for k in 1..rank {
                fstride[k] = fstride[k - 1] * self.shape[k - 1];
            }
            let mut index = vec![0usize; rank];
            let mut src = 0usize;
            for _ in 0..n {
                out.extend_from_slice(&self.data[src * size..(src + 1) * size]);
                for k in (0..rank).rev() {
                    index[k] += 1;
                    src += fstride[k];
                    if index[k] < self.shape[k] {
                        break;
                    }
                    src -= fstride[k] * index[k];
                    index[k] = 0;
                }
            }
        } else {
            out.extend_from_slice(&self.data);
        }
        Array { elem: self.elem, shape: self.shape, data: Cow::Owned(out) }
    }

    /// The elements as a tensor of `dtype`, if [`ElemType::converts_to`] allows it.
    pub fn to_tensor(&self, dtype: DType) -> Result<Tensor, DataError> {
        self.elem.converts_to(dtype).map_err(|why| DataError::new(DataErrorKind::DType, why))?;
        let mut t = Tensor::zeros(dtype, &self.shape)
            .map_err(|e| DataError::new(DataErrorKind::Memory, e.to_string()).with_holds(self.describe()))?;
        let (elem, d) = (self.elem, &self.data[..]);
        // `as` rounds integers to the nearest float, and the integer casts below only widen
        // (`converts_to` refused the rest), so every conversion is exact or rounds once.
        if let Some(out) = t.as_slice_mut::<f32>() {
            fill(elem, d, out, |v| match v {
                Value::Int(i) => i as f32,
                Value::U64(u) => u as f32,
                Value::F32(x) => x,
                Value::F64(x) => x as f32,
            });
        } else if let Some(out) = t.as_slice_mut::<f64>() {
            fill(elem, d, out, |v| match v {
                Value::Int(i) => i as f64,
                Value::U64(u) => u as f64,
                Value::F32(x) => f64::from(x),
                Value::F64(x) => x,
            });
        } else if let Some(out) = t.as_slice_mut::<i32>() {
            fill(elem, d, out, |v| if let Value::Int(i) = v { i as i32 } else { 0 });
        } else if let Some(out) = t.as_slice_mut::<i64>() {
            fill(elem, d, out, |v| if let Value::Int(i) = v { i } else { 0 });
        } else if let Some(out) = t.as_slice_mut::<u8>() {
            out.iter_mut().zip(d).for_each(|(o, &b)| *o = u8::from(b != 0));
        }
        Ok(t)
    }
}

/// One decoded element: every integer type but u64 fits an `i64`.
#[derive(Clone, Copy)]
enum Value {
    Int(i64),
    U64(u64),
    F32(f32),
    F64(f64),
}

/// Decodes every element of `data` (of type `elem`) into `out` through `f`. Monomorphised per
/// source type, so `f`'s match folds away and the loops vectorise.
fn fill<T: Element>(elem: ElemType, data: &[u8], out: &mut [T], f: impl Fn(Value) -> T) {
    fn each<const N: usize, T>(data: &[u8], out: &mut [T], g: impl Fn([u8; N]) -> T) {
        for (o, c) in out.iter_mut().zip(data.chunks_exact(N)) {
            let mut b = [0u8; N];
            b.copy_from_slice(c);
            *o = g(b);
        }
    }
    let f = &f;
    match elem {
        ElemType::Bool => each(data, out, |[b]| f(Value::Int(i64::from(b != 0)))),
        ElemType::U8 => each(data, out, |[b]| f(Value::Int(i64::from(b)))),
        ElemType::I8 => each(data, out, |b| f(Value::Int(i64::from(i8::from_le_bytes(b))))),
        ElemType::I16 => each(data, out, |b| f(Value::Int(i64::from(i16::from_le_bytes(b))))),
        ElemType::U16 => each(data, out, |b| f(Value::Int(i64::from(u16::from_le_bytes(b))))),
        ElemType::I32 => each(data, out, |b| f(Value::Int(i64::from(i32::from_le_bytes(b))))),
        ElemType::U32 => each(data, out, |b| f(Value::Int(i64::from(u32::from_le_bytes(b))))),
        ElemType::I64 => each(data, out, |b| f(Value::Int(i64::from_le_bytes(b)))),
        ElemType::U64 => each(data, out, |b| f(Value::U64(u64::from_le_bytes(b)))),
        ElemType::F16 => each(data, out, |b| f(Value::F32(f16_to_f32(u16::from_le_bytes(b))))),
        ElemType::BF16 => each(data, out, |b| f(Value::F32(f32::from_bits(u32::from(u16::from_le_bytes(b)) << 16)))),
        ElemType::F32 => each(data, out, |b| f(Value::F32(f32::from_le_bytes(b)))),
        ElemType::F64 => each(data, out, |b| f(Value::F64(f64::from_le_bytes(b)))),
    }
}

/// IEEE binary16 to binary32, exactly (every f16 is an f32).
pub fn f16_to_f32(h: u16) -> f32 {
    let negative = h & 0x8000 != 0;
    let exp = u32::from((h >> 10) & 0x1f);
    let man = u32::from(h & 0x3ff);
    let magnitude = match exp {
        // Zero and subnormals: man * 2^-24, exact in f32.
        0 => man as f32 / 16_777_216.0,
        31 => f32::from_bits(0x7f80_0000 | (man << 13)),
        _ => f32::from_bits(((exp + 112) << 23) | (man << 13)),
    };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}
