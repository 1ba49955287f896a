//! NumPy `.npz` archives: zip files of `.npy` members, stored (`np.savez`) or deflated
//! (`np.savez_compressed`). The zip central directory (with zip64 records) is read here; only
//! the member asked for is inflated, and its CRC is checked.

use std::borrow::Cow;

use super::array::Array;
use super::error::{DataError, DataErrorKind};
use super::inflate::{crc32, inflate, max_inflated};
use super::npy;

/// One member of the central directory.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Member {
    name: String,
    method: u16,
    flags: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// A zip archive held in memory, its directory read.
#[derive(Clone, Debug)]
pub struct Archive<'a> {
    bytes: &'a [u8],
    members: Vec<Member>,
}

fn bad(what: impl std::fmt::Display) -> DataError {
    DataError::malformed(format!("not a valid .npz (zip) file: {what}"))
}

fn field<const N: usize>(b: &[u8], at: usize) -> Result<[u8; N], DataError> {
    let s = at.checked_add(N).and_then(|end| b.get(at..end)).ok_or_else(|| bad("truncated"))?;
    let mut a = [0u8; N];
    a.copy_from_slice(s);
    Ok(a)
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, DataError> {
    field(b, at).map(u16::from_le_bytes)
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, DataError> {
    field(b, at).map(u32::from_le_bytes)
}

fn u64_at(b: &[u8], at: usize) -> Result<u64, DataError> {
    field(b, at).map(u64::from_le_bytes)
}

/// `x` for a member `x.npy`: the name NumPy's `NpzFile.files` shows.
fn array_name(member: &str) -> &str {
    member.strip_suffix(".npy").unwrap_or(member)
}

const EOCD: u32 = 0x0605_4b50;
const EOCD64: u32 = 0x0606_4b50;
const EOCD64_LOCATOR: u32 = 0x0706_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;

impl<'a> Archive<'a> {
    /// Reads the central directory of the zip archive `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Archive<'a>, DataError> {
        // The end record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
        let last = bytes.len().checked_sub(22).ok_or_else(|| bad("too short to be a zip file"))?;
        let first = last.saturating_sub(0xffff);
        let eocd = bytes[first..last + 4]
            .windows(4)
            .rposition(|w| w == EOCD.to_le_bytes())
            .map(|p| first + p)
            .ok_or_else(|| bad("no end-of-central-directory record (wrong magic bytes, or truncated)"))?;
        let mut count = u64::from(u16_at(bytes, eocd + 10)?);
        let mut cd_size = u64::from(u32_at(bytes, eocd + 12)?);
        let mut cd_offset = u64::from(u32_at(bytes, eocd + 16)?);
        if count == 0xffff || cd_size == 0xffff_ffff || cd_offset == 0xffff_ffff {
            // Zip64: a locator just before the end record points at the zip64 end record.
            let loc = eocd.checked_sub(20).ok_or_else(|| bad("missing zip64 locator"))?;
            if u32_at(bytes, loc)? != EOCD64_LOCATOR {
                return Err(bad("missing zip64 locator"));
            }
            let at = usize::try_from(u64_at(bytes, loc + 8)?).map_err(|_| bad("zip64 record out of range"))?;
            if u32_at(bytes, at)? != EOCD64 {
                return Err(bad("zip64 end record not found"));
            }
            count = u64_at(bytes, at + 32)?;
            cd_size = u64_at(bytes, at + 40)?;
            cd_offset = u64_at(bytes, at + 48)?;
        }
        let cd = usize::try_from(cd_offset)
            .ok()
            .zip(usize::try_from(cd_size).ok())
            .and_then(|(o, s)| bytes.get(o..o.checked_add(s)?))
            .ok_or_else(|| bad("the central directory lies outside the file"))?;
        // Each entry takes at least 46 bytes: a count beyond that is a lie, not an allocation.
        if count > (cd.len() / 46) as u64 {
            return Err(bad(format!("{count} entries cannot fit a {cd_size}-byte central directory")));
        }
        let mut members = Vec::with_capacity(count as usize);
        let mut at = 0usize;
        for _ in 0..count {
            if u32_at(cd, at)? != CENTRAL {
                return Err(bad("corrupt central directory"));
            }
            let name_len = usize::from(u16_at(cd, at + 28)?);
            let extra_len = usize::from(u16_at(cd, at + 30)?);
            let comment_len = usize::from(u16_at(cd, at + 32)?);
            let name = cd.get(at + 46..at + 46 + name_len).ok_or_else(|| bad("truncated central directory"))?;
            let extra = cd
                .get(at + 46 + name_len..at + 46 + name_len + extra_len)
                .ok_or_else(|| bad("truncated central directory"))?;
            let mut m = Member {
                name: String::from_utf8_lossy(name).into_owned(),
                flags: u16_at(cd, at + 8)?,
                method: u16_at(cd, at + 10)?,
                crc: u32_at(cd, at + 16)?,
                compressed: u64::from(u32_at(cd, at + 20)?),
                size: u64::from(u32_at(cd, at + 24)?),
                offset: u64::from(u32_at(cd, at + 42)?),
            };
            zip64_extra(&mut m, extra)?;
            members.push(m);
            at += 46 + name_len + extra_len + comment_len;
        }
        Ok(Archive { bytes, members })
    }

    /// The arrays' names, in archive order, without `.npy` (as NumPy's `NpzFile.files`).
    pub fn names(&self) -> Vec<String> {
        self.members.iter().map(|m| array_name(&m.name).to_string()).collect()
    }

    /// The array named `name` (member `name.npy`, or a member named exactly `name`).
    pub fn get(&self, name: &str) -> Result<Array<'a>, DataError> {
        let member = self
            .members
            .iter()
            .find(|m| m.name == name)
            .or_else(|| self.members.iter().find(|m| array_name(&m.name) == name))
            .ok_or_else(|| {
                let names = self.names();
                let list = if names.is_empty() {
                    "it is empty".to_string()
                } else {
                    format!("it holds {}", super::name_list(&names))
                };
                DataError::new(DataErrorKind::Missing, format!("no array `{name}` in this archive; {list}"))
            })?;
        self.read(member).map_err(|e| e.context(&format!("array `{name}`")))
    }

    fn read(&self, m: &Member) -> Result<Array<'a>, DataError> {
        if m.flags & 1 != 0 {
            return Err(DataError::unsupported("the member is encrypted"));
        }
        let offset = usize::try_from(m.offset).map_err(|_| bad("member offset out of range"))?;
        if u32_at(self.bytes, offset)? != LOCAL {
            return Err(bad("no local header where the directory points"));
        }
        let start =
            offset + 30 + usize::from(u16_at(self.bytes, offset + 26)?) + usize::from(u16_at(self.bytes, offset + 28)?);
        let data = usize::try_from(m.compressed)
            .ok()
            .and_then(|n| self.bytes.get(start..start.checked_add(n)?))
            .ok_or_else(|| bad("the member's data is truncated"))?;
        let size = usize::try_from(m.size).map_err(|_| bad("member too large for this machine"))?;
        let contents = match m.method {
            0 if data.len() == size => Cow::Borrowed(data),
            0 => return Err(bad("a stored member's sizes disagree")),
            8 => {
                if size > max_inflated(data.len()) {
                    return Err(bad(format!("{} compressed bytes cannot inflate to the claimed {size}", data.len())));
                }
                let (out, _) = inflate(data, size, size)?;
                if out.len() != size {
                    return Err(bad(format!("the member inflates to {} bytes, the directory says {size}", out.len())));
                }
                Cow::Owned(out)
            }
            other => {
                return Err(DataError::unsupported(format!("zip compression method {other} (only stored and deflate)")))
            }
        };
        if crc32(&contents) != m.crc {
            return Err(bad("CRC check failed (the file is corrupt)"));
        }
        npy::parse_cow(contents)
    }
}

/// Applies the zip64 extended-information extra field (id 1): 64-bit values for exactly those
/// fields whose 32-bit slot holds 0xffffffff, in the order size, compressed size, offset.
fn zip64_extra(m: &mut Member, mut extra: &[u8]) -> Result<(), DataError> {
    while extra.len() >= 4 {
        let id = u16_at(extra, 0)?;
        let len = usize::from(u16_at(extra, 2)?);
        let body = extra.get(4..4 + len).ok_or_else(|| bad("truncated extra field"))?;
        if id == 1 {
            let mut at = 0;
            for field in [&mut m.size, &mut m.compressed, &mut m.offset] {
                if *field == 0xffff_ffff {
                    *field = u64_at(body, at)?;
                    at += 8;
                }
            }
        }
        extra = &extra[4 + len..];
    }
    Ok(())
}
