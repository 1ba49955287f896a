//! MNIST's IDX format: a 4-byte magic (two zero bytes, an element-type code, the rank), one
//! big-endian u32 per dimension, then big-endian elements. Files are often gzip-compressed
//! (`train-images-idx3-ubyte.gz`); a gzip file is recognised by its magic bytes and inflated.

use std::borrow::Cow;

use super::array::{byte_len, describe, Array, ElemType};
use super::error::DataError;
use super::inflate::{gunzip, is_gzip};

/// The element type of an IDX type code.
pub fn elem_type(code: u8) -> Option<ElemType> {
    Some(match code {
        0x08 => ElemType::U8,
        0x09 => ElemType::I8,
        0x0b => ElemType::I16,
        0x0c => ElemType::I32,
        0x0d => ElemType::F32,
        0x0e => ElemType::F64,
        _ => return None,
    })
}

/// Parses an IDX file, plain or gzip-compressed. The data must fill the file exactly.
pub fn parse(bytes: &[u8]) -> Result<Array<'_>, DataError> {
    if is_gzip(bytes) {
        let inflated = gunzip(bytes)?;
        return parse_cow(Cow::Owned(inflated));
    }
    parse_cow(Cow::Borrowed(bytes))
}

fn parse_cow(bytes: Cow<'_, [u8]>) -> Result<Array<'_>, DataError> {
    let bad = |what: String| DataError::malformed(format!("not a valid IDX file: {what}"));
    let magic = bytes.get(..4).ok_or_else(|| bad("shorter than its 4-byte magic".into()))?;
    if magic[0] != 0 || magic[1] != 0 {
        return Err(bad(format!(
            "wrong magic bytes {:02x} {:02x} {:02x} {:02x} (an IDX file starts with 00 00)",
            magic[0], magic[1], magic[2], magic[3]
        )));
    }
    let elem = elem_type(magic[2]).ok_or_else(|| bad(format!("unknown element type code 0x{:02x}", magic[2])))?;
    let rank = usize::from(magic[3]);
    let start = 4 + 4 * rank;
    let dims =
        bytes.get(4..start).ok_or_else(|| bad(format!("truncated header ({rank} dimensions need {start} bytes)")))?;
    let shape: Vec<usize> =
        dims.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize).collect();
    let holds = describe(elem.name(), &shape);
    let len = byte_len(&shape, elem.size()).ok_or_else(|| bad(format!("{holds} is too large for this machine")))?;
    let have = bytes.len() - start;
    if have != len {
        let what = if have < len { "truncated" } else { "too long" };
        return Err(bad(format!("{what}: {holds} needs {len} bytes of data, the file has {have}")));
    }
    Array::from_part(elem, shape, bytes, start, true)
}
