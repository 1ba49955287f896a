//! Decompression for the formats that use it: raw deflate (zip members of `np.savez_compressed`)
//! and gzip (`*-idx3-ubyte.gz`), with CRC-32 checks. The inflater is `miniz_oxide`; this module
//! bounds every output by what the input can produce, so a lying size cannot exhaust memory.

use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

use super::error::{DataError, DataErrorKind};

/// Deflate expands at most 1032:1 (a 258-byte match per 2 bits, give or take the block headers).
pub(crate) fn max_inflated(compressed: usize) -> usize {
    compressed.saturating_mul(1032).saturating_add(1024)
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 (IEEE, as zip and gzip use it) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |c, &b| CRC_TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8))
}

fn grow(out: &mut Vec<u8>, len: usize) -> Result<(), DataError> {
    out.try_reserve_exact(len.saturating_sub(out.len())).map_err(|_| {
        DataError::new(DataErrorKind::Memory, format!("cannot allocate {len} bytes to decompress into"))
    })?;
    out.resize(len, 0);
    Ok(())
}

/// Inflates the raw deflate stream at the start of `input` into at most `cap` bytes, starting
/// with a buffer of `hint` bytes. Returns the output and how many input bytes the stream used.
pub(crate) fn inflate(input: &[u8], hint: usize, cap: usize) -> Result<(Vec<u8>, usize), DataError> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut out = Vec::new();
    grow(&mut out, hint.min(cap))?;
    let mut state = Box::<DecompressorOxide>::default();
    let (mut in_pos, mut out_pos) = (0usize, 0usize);
    loop {
        let rest = input.get(in_pos..).unwrap_or(&[]);
        let (status, used, written) = decompress(&mut state, rest, &mut out, out_pos, flags);
        in_pos += used;
        out_pos += written;
        match status {
            TINFLStatus::Done => {
                out.truncate(out_pos);
                return Ok((out, in_pos));
            }
            TINFLStatus::HasMoreOutput => {
                let len = out.len().saturating_mul(2).max(out.len() + 4096).min(cap);
                if len <= out.len() {
                    return Err(DataError::malformed(format!("compressed data inflates to more than {cap} bytes")));
                }
                grow(&mut out, len)?;
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                return Err(DataError::malformed("compressed data is truncated"));
            }
            _ => return Err(DataError::malformed("compressed data is corrupt (invalid deflate stream)")),
        }
    }
}

/// Whether `bytes` start like a gzip file.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// The contents of a gzip file (RFC 1952), all members concatenated, each CRC and length checked.
pub fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    let bad = |what: &str| DataError::malformed(format!("malformed gzip file: {what}"));
    let cap = max_inflated(bytes.len());
    let mut out: Vec<u8> = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let member = &bytes[pos..];
        if !is_gzip(member) {
            return Err(bad(if pos == 0 { "wrong magic bytes" } else { "garbage after the compressed data" }));
        }
        if member.get(2) != Some(&8) {
            return Err(bad("compression method is not deflate"));
        }
        let flags = *member.get(3).ok_or_else(|| bad("truncated header"))?;
        let mut at = 10;
        if flags & 0x04 != 0 {
            // FEXTRA: a 2-byte length and that many bytes.
            let len = member.get(at..at + 2).ok_or_else(|| bad("truncated header"))?;
            at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
        }
        for bit in [0x08, 0x10] {
            // FNAME, FCOMMENT: zero-terminated.
            if flags & bit != 0 {
                let rest = member.get(at..).ok_or_else(|| bad("truncated header"))?;
                at += rest.iter().position(|&b| b == 0).ok_or_else(|| bad("truncated header"))? + 1;
            }
        }
        if flags & 0x02 != 0 {
            at += 2; // FHCRC
        }
        let body = member.get(at..).filter(|_| member.len() >= 10).ok_or_else(|| bad("truncated header"))?;
        let (data, used) = inflate(body, body.len().saturating_mul(4), cap.saturating_sub(out.len()))
            .map_err(|e| e.context("gzip"))?;
        let trailer = body.get(used..used + 8).ok_or_else(|| bad("truncated (no CRC and length trailer)"))?;
        let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let len = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        if crc != crc32(&data) || len != data.len() as u32 {
            return Err(bad("CRC or length check failed (the file is corrupt)"));
        }
        if out.is_empty() {
            out = data;
        } else {
            out.try_reserve(data.len()).map_err(|_| DataError::new(DataErrorKind::Memory, "out of memory"))?;
            out.extend_from_slice(&data);
        }
        pos += at + used + 8;
    }
    if pos == 0 {
        return Err(bad("empty file"));
    }
    Ok(out)
}
