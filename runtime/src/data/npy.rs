//! NumPy `.npy` files (format versions 1, 2 and 3): the magic, the Python-literal header dict
//! (`descr`, `fortran_order`, `shape`), then the raw elements. Big-endian data is swapped and
//! Fortran-order data transposed, so every [`Array`] is little-endian C order.

use std::borrow::Cow;

use super::array::{byte_len, Array, ElemType};
use super::error::DataError;

const MAGIC: &[u8] = b"\x93NUMPY";

/// The header of a `.npy` file: what it holds and where its data starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub elem: ElemType,
    pub big_endian: bool,
    pub fortran_order: bool,
    pub shape: Vec<usize>,
    /// Offset of the first data byte.
    pub data_start: usize,
}

/// Parses a `.npy` file held in memory; the array borrows its bytes when no reordering is needed.
/// Bytes after the data are ignored, as NumPy ignores them.
pub fn parse(bytes: &[u8]) -> Result<Array<'_>, DataError> {
    parse_cow(Cow::Borrowed(bytes))
}

/// Like [`parse`], taking ownership of (or borrowing) the bytes.
pub fn parse_cow(bytes: Cow<'_, [u8]>) -> Result<Array<'_>, DataError> {
    let h = header(&bytes)?;
    let array = Array::from_part(h.elem, h.shape, bytes, h.data_start, h.big_endian)
        .map_err(|e| e.context("not a valid .npy file"))?;
    Ok(if h.fortran_order { array.fortran_to_c() } else { array })
}

/// Reads the header of a `.npy` file.
pub fn header(bytes: &[u8]) -> Result<Header, DataError> {
    let bad = |what: String| DataError::malformed(format!("not a valid .npy file: {what}"));
    if !bytes.starts_with(MAGIC) {
        return Err(bad("wrong magic bytes (a .npy file starts with \\x93NUMPY)".into()));
    }
    let (major, minor) = match bytes.get(6..8) {
        Some(v) => (v[0], v[1]),
        None => return Err(bad("truncated header".into())),
    };
    let (len, start): (Option<usize>, usize) = match major {
        1 => (bytes.get(8..10).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]]))), 10),
        2 | 3 => (bytes.get(8..12).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize), 12),
        _ => return Err(DataError::unsupported(format!(".npy format version {major}.{minor} is not supported"))),
    };
    let len = len.ok_or_else(|| bad("truncated header".into()))?;
    let text = start.checked_add(len).and_then(|end| bytes.get(start..end)).ok_or_else(|| {
        bad(format!("truncated header (it claims {len} bytes, the file has {})", bytes.len().saturating_sub(start)))
    })?;
    let text = std::str::from_utf8(text).map_err(|_| bad("the header is not text".into()))?;
    let dict = match Literal::parse(text).map_err(|e| bad(format!("header `{}`: {e}", text.trim())))? {
        Literal::Dict(d) => d,
        _ => return Err(bad(format!("header `{}` is not a dict", text.trim()))),
    };
    let get = |key: &str| dict.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let descr = match get("descr") {
        Some(Literal::Str(s)) => s.as_str(),
        Some(Literal::List(_)) => {
            return Err(DataError::unsupported("structured (record) arrays are not supported; save plain arrays"))
        }
        _ => return Err(bad("the header has no `descr` string".into())),
    };
    let (elem, big_endian) = dtype(descr)?;
    let fortran_order = match get("fortran_order") {
        Some(Literal::Bool(b)) => *b,
        _ => return Err(bad("the header has no `fortran_order` flag".into())),
    };
    let shape = match get("shape") {
        Some(Literal::Tuple(dims) | Literal::List(dims)) => dims
            .iter()
            .map(|d| match d {
                Literal::Int(n) => usize::try_from(*n).map_err(|_| bad(format!("dimension {n} is too large"))),
                _ => Err(bad("the shape holds something other than integers".into())),
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(bad("the header has no `shape` tuple".into())),
    };
    if byte_len(&shape, elem.size()).is_none() {
        return Err(bad(format!("shape {shape:?} is too large for this machine")));
    }
    Ok(Header { elem, big_endian, fortran_order, shape, data_start: start + len })
}

/// A NumPy dtype string (`<f4`, `|b1`, `>i8`): the element type and whether it is big-endian.
pub fn dtype(descr: &str) -> Result<(ElemType, bool), DataError> {
    let (order, code) = match descr.as_bytes().first() {
        Some(b'<' | b'|' | b'=') => (false, &descr[1..]),
        Some(b'>') => (true, &descr[1..]),
        _ => (false, descr),
    };
    let elem = match code {
        "b1" | "?" => ElemType::Bool,
        "u1" => ElemType::U8,
        "i1" => ElemType::I8,
        "i2" => ElemType::I16,
        "u2" => ElemType::U16,
        "i4" => ElemType::I32,
        "u4" => ElemType::U32,
        "i8" => ElemType::I64,
        "u8" => ElemType::U64,
        "f2" => ElemType::F16,
        "f4" => ElemType::F32,
        "f8" => ElemType::F64,
        _ => {
            let what = match code.as_bytes().first() {
                Some(b'c') => " (complex numbers)",
                Some(b'U' | b'S') => " (strings)",
                Some(b'O') => " (Python objects)",
                Some(b'M' | b'm') => " (dates and times)",
                Some(b'V') => " (raw bytes)",
                _ => "",
            };
            return Err(DataError::unsupported(format!("NumPy dtype `{descr}`{what} is not supported")));
        }
    };
    Ok((elem, order))
}

/// The Python literals a `.npy` header uses.
#[derive(Clone, Debug, PartialEq)]
enum Literal {
    Str(String),
    Int(u64),
    Bool(bool),
    None,
    Tuple(Vec<Literal>),
    List(Vec<Literal>),
    Dict(Vec<(String, Literal)>),
}

/// Nesting deeper than this is not a NumPy header (and would risk the stack).
const MAX_DEPTH: usize = 16;

impl Literal {
    fn parse(text: &str) -> Result<Literal, String> {
        let mut p = Parser { s: text.as_bytes(), at: 0 };
        let v = p.value(0)?;
        p.skip_ws();
        if p.at != p.s.len() {
            return Err(format!("unexpected `{}` after the dict", char::from(p.s[p.at])));
        }
        Ok(v)
    }
}

struct Parser<'s> {
    s: &'s [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.at += usize::from(hit);
        hit
    }

    fn value(&mut self, depth: usize) -> Result<Literal, String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                let mut items = Vec::new();
                while !self.eat(b'}') {
                    let Literal::Str(key) = self.value(depth + 1)? else {
                        return Err("a dict key is not a string".into());
                    };
                    if !self.eat(b':') {
                        return Err("expected `:` after a key".into());
                    }
                    items.push((key, self.value(depth + 1)?));
                    if !self.eat(b',') && self.peek() != Some(b'}') {
                        return Err("expected `,` or `}`".into());
                    }
                }
                Ok(Literal::Dict(items))
            }
            Some(open @ (b'(' | b'[')) => {
                self.at += 1;
                let close = if open == b'(' { b')' } else { b']' };
                let mut items = Vec::new();
                while !self.eat(close) {
                    items.push(self.value(depth + 1)?);
                    if !self.eat(b',') && self.peek() != Some(close) {
                        return Err(format!("expected `,` or `{}`", char::from(close)));
                    }
                }
                Ok(if open == b'(' { Literal::Tuple(items) } else { Literal::List(items) })
            }
            Some(q @ (b'\'' | b'"')) => {
                self.at += 1;
                let start = self.at;
                let len = self.s[start..].iter().position(|&c| c == q).ok_or("unterminated string")?;
                self.at = start + len + 1;
                Ok(Literal::Str(String::from_utf8_lossy(&self.s[start..start + len]).into_owned()))
            }
            Some(c) if c.is_ascii_digit() => {
                let start = self.at;
                while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
                    self.at += 1;
                }
                let digits = std::str::from_utf8(&self.s[start..self.at]).unwrap_or("");
                // Python 2 wrote long integers as `3L`.
                self.at += usize::from(self.s.get(self.at) == Some(&b'L'));
                digits.parse().map(Literal::Int).map_err(|_| format!("dimension {digits} is too large"))
            }
            Some(b'-') => Err("negative dimension".into()),
            Some(_) => {
                for (word, v) in
                    [("True", Literal::Bool(true)), ("False", Literal::Bool(false)), ("None", Literal::None)]
                {
                    if self.s[self.at..].starts_with(word.as_bytes()) {
                        self.at += word.len();
                        return Ok(v);
                    }
                }
                Err(format!("unexpected `{}`", char::from(self.s[self.at])))
            }
            None => Err("unexpected end".into()),
        }
    }
}
