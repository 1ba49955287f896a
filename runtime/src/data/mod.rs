//! Reading tensors from data files: NumPy `.npy`/`.npz`, CSV, MNIST IDX (plain or gzip) and
//! safetensors, into a [`Tensor`] of the element type and shape the program declared.
//!
//! Each format's module parses bytes into an [`Array`] (the file's own element type, C order,
//! little-endian); [`load`] reads the file, picks the member, checks the array against the
//! declaration and converts it. Malformed files are errors, never panics, and no allocation is
//! larger than the file's contents can justify.

mod array;
pub mod csv;
mod error;
pub mod idx;
mod inflate;
mod json;
pub mod npy;
pub mod npz;
pub mod safetensors;

use std::fmt::Write as _;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::buffer::Tensor;
use crate::dtype::DType;

pub use array::{f16_to_f32, Array, ElemType};
pub use csv::CsvHeader;
pub use error::{DataError, DataErrorKind};
pub use inflate::{crc32, gunzip};

/// A file format, with what it needs to pick one array.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Npy,
    /// The array `member` (`x` for the member `x.npy`) of an archive.
    Npz {
        member: String,
    },
    Csv {
        header: CsvHeader,
    },
    /// Plain or gzip-compressed (recognised by its magic bytes).
    Idx,
    Safetensors {
        key: String,
    },
}

/// What a program asks of a data file: where and in which format, and the type it declares for
/// the result. A declared dimension is fixed (`Some(n)`: the file must agree) or free (`None`:
/// learnt from the file).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoadRequest {
    pub path: PathBuf,
    pub format: Format,
    pub dtype: DType,
    pub shape: Vec<Option<usize>>,
}

impl LoadRequest {
    /// `f32[_, 784]`: the declaration as messages show it, `_` for a free dimension.
    pub fn declared(&self) -> String {
        let mut s = format!("{}[", self.dtype);
        for (i, d) in self.shape.iter().enumerate() {
            let sep = if i > 0 { ", " } else { "" };
            let _ = match d {
                Some(n) => write!(s, "{sep}{n}"),
                None => write!(s, "{sep}_"),
            };
        }
        s.push(']');
        s
    }
}

/// Reads the array `request` names, checks it against the declared type and converts it.
///
/// Conversions follow [`ElemType::converts_to`]: same type; integers and bools to floats; integers
/// to a wider integer type; f64 to f32. A CSV file with one column loads as `[rows]` or, when the
/// declaration has rank 2, as `[rows, 1]`.
pub fn load(request: &LoadRequest) -> Result<Tensor, DataError> {
    let declared = request.declared();
    let fail = |e: DataError| e.with_path(request.path.display().to_string()).with_declared(declared.clone());
    let bytes = read_file(&request.path).map_err(fail)?;
    let mut array = parse(&bytes, &request.format).map_err(fail)?;
    if matches!(request.format, Format::Csv { .. }) && request.shape.len() == 2 && array.shape().len() == 1 {
        let rows = array.shape()[0];
        array = array.reshape(vec![rows, 1]).map_err(fail)?;
    }
    let holds = array.describe();
    let member = match &request.format {
        Format::Npz { member: name } | Format::Safetensors { key: name } => Some(name.clone()),
        _ => None,
    };
    let mismatch = |kind, detail: String| {
        let e = DataError::new(kind, detail).with_holds(holds.clone());
        fail(DataError { member: member.clone().map(String::into_boxed_str), ..e })
    };
    array.elem().converts_to(request.dtype).map_err(|why| mismatch(DataErrorKind::DType, why))?;
    check_shape(array.shape(), &request.shape).map_err(|why| mismatch(DataErrorKind::Shape, why))?;
    array.to_tensor(request.dtype).map_err(fail)
}

/// Why `shape` does not fit the declaration, if it does not.
fn check_shape(shape: &[usize], declared: &[Option<usize>]) -> Result<(), String> {
    if shape.len() != declared.len() {
        return Err(format!("the file has rank {}, the declaration rank {}", shape.len(), declared.len()));
    }
    for (axis, (&n, d)) in shape.iter().zip(declared).enumerate() {
        if let Some(want) = *d {
            if n != want {
                return Err(format!("axis {axis} has size {n} in the file, {want} in the declaration"));
            }
        }
    }
    Ok(())
}

/// Parses `bytes` in `format`, picking the member or key the format names.
pub fn parse<'a>(bytes: &'a [u8], format: &Format) -> Result<Array<'a>, DataError> {
    match format {
        Format::Npy => npy::parse(bytes),
        Format::Npz { member } => npz::Archive::parse(bytes)?.get(member),
        Format::Csv { header } => csv::parse(bytes, *header),
        Format::Idx => idx::parse(bytes),
        Format::Safetensors { key } => safetensors::File::parse(bytes)?.get(key),
    }
}

/// Reads the array `format` names from the file at `path`, in the file's own element type.
pub fn read(path: &Path, format: &Format) -> Result<Array<'static>, DataError> {
    let fail = |e: DataError| e.with_path(path.display().to_string());
    let bytes = read_file(path).map_err(fail)?;
    parse(&bytes, format).map(Array::into_owned).map_err(fail)
}

/// The names of the arrays in an `.npz` archive (without `.npy`) or the tensors of a
/// safetensors file, in file order. Other formats hold one unnamed array: an empty list.
pub fn names(path: &Path, format: &Format) -> Result<Vec<String>, DataError> {
    let fail = |e: DataError| e.with_path(path.display().to_string());
    match format {
        Format::Npz { .. } => npz::Archive::parse(&read_file(path).map_err(fail)?).map(|a| a.names()).map_err(fail),
        Format::Safetensors { .. } => {
            safetensors::File::parse(&read_file(path).map_err(fail)?).map(|f| f.names()).map_err(fail)
        }
        _ => Ok(Vec::new()),
    }
}

/// The whole file, allocated fallibly (a file larger than memory is an error, not an abort).
fn read_file(path: &Path) -> Result<Vec<u8>, DataError> {
    let io = |e: std::io::Error| DataError::new(DataErrorKind::Io, format!("cannot read the file: {e}"));
    let mut file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut bytes = Vec::new();
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    bytes
        .try_reserve_exact(len)
        .map_err(|_| DataError::new(DataErrorKind::Memory, format!("the file's {len} bytes do not fit in memory")))?;
    file.read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// `a, b, c` or `a, b, ... and 37 more`, for messages listing an archive's names.
pub(crate) fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut s = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        let _ = write!(s, " and {} more", names.len() - SHOWN);
    }
    s
}
