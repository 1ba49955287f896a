//! Writers for the data-file tests: `.npy`, zip (stored, deflated, zip64), gzip, IDX and
//! safetensors bytes built by hand, so the readers are tested against the formats' definitions
//! and not only against themselves.

#![allow(dead_code)]

use std::path::PathBuf;

use tf_runtime::data::{crc32, load, Format, LoadRequest};
use tf_runtime::{DType, DataError, Tensor};

/// A `.npy` file of format `version` (1, 2 or 3) with the given header fields and data bytes.
pub fn npy(version: u8, descr: &str, fortran: bool, shape: &[usize], data: &[u8]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let shape = if shape.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    let order = if fortran { "True" } else { "False" };
    npy_with_header(version, &format!("{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape}, }}"), data)
}

/// A `.npy` file with a header dict written as given (padded as NumPy pads it).
pub fn npy_with_header(version: u8, dict: &str, data: &[u8]) -> Vec<u8> {
    let prefix = if version == 1 { 10 } else { 12 };
    let mut header = dict.to_string();
    while !(prefix + header.len() + 1).is_multiple_of(64) {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY".to_vec();
    out.extend_from_slice(&[version, 0]);
    if version == 1 {
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    }
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

/// A zip archive of `(name, contents, deflate)` members; `zip64` writes the sizes and offsets
/// in zip64 extra fields and a zip64 end record, as large archives have them.
pub fn zip(members: &[(&str, &[u8], bool)], zip64: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, contents, deflate) in members {
        let data = if *deflate { miniz_oxide::deflate::compress_to_vec(contents, 6) } else { contents.to_vec() };
        let offset = out.len() as u32;
        let (method, crc) = (if *deflate { 8u16 } else { 0 }, crc32(contents));
        let (csize, usize_) = (data.len() as u32, contents.len() as u32);
        let mut extra = Vec::new();
        if zip64 {
            extra.extend_from_slice(&1u16.to_le_bytes());
            extra.extend_from_slice(&24u16.to_le_bytes());
            extra.extend_from_slice(&(contents.len() as u64).to_le_bytes());
            extra.extend_from_slice(&(data.len() as u64).to_le_bytes());
            extra.extend_from_slice(&u64::from(offset).to_le_bytes());
        }
        let big = |v: u32| if zip64 { u32::MAX } else { v };
        // Local header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0]);
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&csize.to_le_bytes());
        out.extend_from_slice(&usize_.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&data);
        // Central directory entry.
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&[45, 3, 45, 0, 0, 0]);
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&[0; 4]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&big(csize).to_le_bytes());
        central.extend_from_slice(&big(usize_).to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 10]); // comment length, disk, attributes
        central.extend_from_slice(&big(offset).to_le_bytes());
        central.extend_from_slice(name.as_bytes());
        central.extend_from_slice(&extra);
    }
    let cd_offset = out.len();
    out.extend_from_slice(&central);
    let n = members.len();
    if zip64 {
        let eocd64 = out.len();
        out.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
        out.extend_from_slice(&44u64.to_le_bytes());
        out.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&(n as u64).to_le_bytes());
        out.extend_from_slice(&(n as u64).to_le_bytes());
        out.extend_from_slice(&(central.len() as u64).to_le_bytes());
        out.extend_from_slice(&(cd_offset as u64).to_le_bytes());
        out.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(eocd64 as u64).to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
    }
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    let count = if zip64 { u16::MAX } else { n as u16 };
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(if zip64 { u32::MAX } else { central.len() as u32 }).to_le_bytes());
    out.extend_from_slice(&(if zip64 { u32::MAX } else { cd_offset as u32 }).to_le_bytes());
    out.extend_from_slice(&5u16.to_le_bytes());
    out.extend_from_slice(b"hello");
    out
}

/// A one-member gzip file with a file name in its header.
pub fn gzip(contents: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3];
    out.extend_from_slice(b"data.idx\0");
    out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(contents, 9));
    out.extend_from_slice(&crc32(contents).to_le_bytes());
    out.extend_from_slice(&(contents.len() as u32).to_le_bytes());
    out
}

/// An IDX file: type code, dimensions and big-endian element bytes.
pub fn idx(code: u8, shape: &[u32], be_data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, code, shape.len() as u8];
    for d in shape {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(be_data);
    out
}

/// A safetensors file from its JSON header and data buffer.
pub fn safetensors(header: &str, data: &[u8]) -> Vec<u8> {
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

/// Little-endian bytes of each value.
pub fn le<const N: usize, T: Copy>(values: &[T], f: impl Fn(T) -> [u8; N]) -> Vec<u8> {
    values.iter().flat_map(|&v| f(v)).collect()
}

/// Writes `bytes` to a fresh file named `name` and returns its path.
pub fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("data-tests");
    std::fs::create_dir_all(&dir).expect("create the test directory");
    let path = dir.join(format!("{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("write a test file");
    path
}

/// A file of the runtime's committed fixtures.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// Loads `path` as `format`, declared `dtype` of `shape`.
pub fn load_as(path: PathBuf, format: Format, dtype: DType, shape: &[Option<usize>]) -> Result<Tensor, DataError> {
    load(&LoadRequest { path, format, dtype, shape: shape.to_vec() })
}

/// The free dimensions of a declaration of rank `n`.
pub fn free(n: usize) -> Vec<Option<usize>> {
    vec![None; n]
}
