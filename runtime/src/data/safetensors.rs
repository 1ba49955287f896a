//! Hugging Face safetensors files: an 8-byte little-endian header length, a JSON header mapping
//! each tensor's name to its dtype, shape and byte range, then the little-endian data. Tensors
//! are borrowed from the file's bytes; f16 and bf16 load as f32 (see `array.rs`).

use std::borrow::Cow;

use super::array::{byte_len, describe, Array, ElemType};
use super::error::{DataError, DataErrorKind};
use super::json::Json;

/// One tensor's entry in the header.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    name: String,
    elem: ElemType,
    shape: Vec<usize>,
    begin: usize,
    end: usize,
}

/// A safetensors file held in memory, its header read and checked.
#[derive(Clone, Debug)]
pub struct File<'a> {
    data: &'a [u8],
    entries: Vec<Entry>,
    metadata: Vec<(String, String)>,
}

fn bad(what: impl std::fmt::Display) -> DataError {
    DataError::malformed(format!("not a valid safetensors file: {what}"))
}

/// The element type of a safetensors dtype name.
pub fn elem_type(dtype: &str) -> Option<ElemType> {
    Some(match dtype {
        "BOOL" => ElemType::Bool,
        "U8" => ElemType::U8,
        "I8" => ElemType::I8,
        "I16" => ElemType::I16,
        "U16" => ElemType::U16,
        "I32" => ElemType::I32,
        "U32" => ElemType::U32,
        "I64" => ElemType::I64,
        "U64" => ElemType::U64,
        "F16" => ElemType::F16,
        "BF16" => ElemType::BF16,
        "F32" => ElemType::F32,
        "F64" => ElemType::F64,
        _ => return None,
    })
}

impl<'a> File<'a> {
    /// Reads and checks the header of the safetensors file `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<File<'a>, DataError> {
        let len = bytes.get(..8).ok_or_else(|| bad("shorter than its 8-byte header length"))?;
        let mut n = [0u8; 8];
        n.copy_from_slice(len);
        let n = u64::from_le_bytes(n);
        let header = usize::try_from(n)
            .ok()
            .and_then(|n| bytes.get(8..8usize.checked_add(n)?))
            .ok_or_else(|| bad(format!("the header claims {n} bytes, the file has {}", bytes.len() - 8)))?;
        let data = &bytes[8 + header.len()..];
        let json = Json::parse(header).map_err(|e| bad(format!("header JSON: {e}")))?;
        let Json::Object(members) = json else { return Err(bad("the header is not a JSON object")) };
        let mut entries = Vec::with_capacity(members.len());
        let mut metadata = Vec::new();
        for (name, v) in members {
            if name == "__metadata__" {
                if let Json::Object(pairs) = v {
                    metadata = pairs
                        .into_iter()
                        .filter_map(|(k, v)| if let Json::String(s) = v { Some((k, s)) } else { None })
                        .collect();
                }
                continue;
            }
            let entry = Self::entry(name, &v, data.len())?;
            entries.push(entry);
        }
        Ok(File { data, entries, metadata })
    }

    fn entry(name: String, v: &Json, data_len: usize) -> Result<Entry, DataError> {
        let here = |what: &str| bad(format!("tensor `{name}`: {what}"));
        let dtype = match v.get("dtype") {
            Some(Json::String(s)) => s.as_str(),
            _ => return Err(here("no dtype")),
        };
        let elem = elem_type(dtype).ok_or_else(|| {
            DataError::unsupported(format!("tensor `{name}` has dtype {dtype}, which is not supported"))
        })?;
        let numbers = |key: &str| -> Result<Vec<usize>, DataError> {
            match v.get(key) {
                Some(Json::Array(items)) => items
                    .iter()
                    .map(|x| x.as_u64().and_then(|n| usize::try_from(n).ok()))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| here(&format!("`{key}` holds something other than non-negative integers"))),
                _ => Err(here(&format!("no `{key}` list"))),
            }
        };
        let shape = numbers("shape")?;
        let offsets = numbers("data_offsets")?;
        let [begin, end] = offsets[..] else { return Err(here("`data_offsets` is not two numbers")) };
        let holds = describe(elem.name(), &shape);
        let want = byte_len(&shape, elem.size()).ok_or_else(|| here(&format!("{holds} is too large")))?;
        if begin > end || end > data_len {
            return Err(here(&format!("bytes {begin}..{end} lie outside the {data_len} bytes of data")));
        }
        if end - begin != want {
            return Err(here(&format!("{holds} needs {want} bytes, its range has {}", end - begin)));
        }
        Ok(Entry { name, elem, shape, begin, end })
    }

    /// The tensors' names in header order.
    pub fn names(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.name.clone()).collect()
    }

    /// The `__metadata__` string pairs.
    pub fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }

    /// The tensor named `name`, borrowing the file's bytes.
    pub fn get(&self, name: &str) -> Result<Array<'a>, DataError> {
        let e = self.entries.iter().find(|e| e.name == name).ok_or_else(|| {
            let names = self.names();
            let list = if names.is_empty() {
                "it has none".to_string()
            } else {
                format!("it holds {}", super::name_list(&names))
            };
            DataError::new(DataErrorKind::Missing, format!("no tensor `{name}` in this file; {list}"))
        })?;
        Array::new(e.elem, e.shape.clone(), Cow::Borrowed(&self.data[e.begin..e.end]))
    }
}
