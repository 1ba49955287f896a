//! Numeric CSV: comma-separated numbers, one row per line, an optional header row. Text has no
//! element type of its own, so the content gives one: whole numbers make an `i32` (or `i64`)
//! matrix, anything else `f64`. A bad cell is reported by line and column.

use std::borrow::Cow;

use super::array::{Array, ElemType};
use super::error::DataError;

/// Whether the first row names the columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum CsvHeader {
    /// A header if the first non-blank line has a (non-empty) cell that is not a number.
    #[default]
    Auto,
    Present,
    Absent,
}

/// One cell's number.
enum Cell {
    Int(i64),
    Float(f64),
}

fn cell(text: &str) -> Option<Cell> {
    let t = text.trim();
    let t = t.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(t).trim();
    if let Ok(i) = t.parse::<i64>() {
        return Some(Cell::Int(i));
    }
    // Rust's float syntax: `1.5`, `-2e-3`, `.5`, `inf`, `NaN`.
    t.parse::<f64>().ok().map(Cell::Float)
}

/// Parses CSV text into a `[rows, columns]` array (`[rows]` when there is one column). Blank
/// lines and lines starting with `#` are skipped; cells may be quoted and padded with spaces.
pub fn parse(bytes: &[u8], header: CsvHeader) -> Result<Array<'static>, DataError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        DataError::malformed(format!("line {line} is not UTF-8 text"))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut floats: Vec<f64> = Vec::new();
    let mut ints: Option<Vec<i64>> = Some(Vec::new());
    let mut cols: Option<usize> = None;
    let mut rows = 0usize;
    let mut first = true;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split(',').collect();
        if first {
            first = false;
            let is_header = match header {
                CsvHeader::Present => true,
                CsvHeader::Absent => false,
                CsvHeader::Auto => cells.iter().any(|c| !c.trim().is_empty() && cell(c).is_none()),
            };
            if is_header {
                cols = Some(cells.len());
                continue;
            }
        }
        let want = *cols.get_or_insert(cells.len());
        if cells.len() != want {
            return Err(DataError::malformed(format!(
                "line {line_no} has {} columns where earlier rows have {want}",
                cells.len()
            )));
        }
        for (j, text) in cells.iter().enumerate() {
            let at = || format!("line {line_no}, column {}", j + 1);
            match cell(text) {
                Some(Cell::Int(v)) => {
                    floats.push(v as f64);
                    if let Some(ints) = &mut ints {
                        ints.push(v);
                    }
                }
                Some(Cell::Float(v)) => {
                    floats.push(v);
                    ints = None;
                }
                None if text.trim().is_empty() => {
                    return Err(DataError::malformed(format!("{} is empty (every cell must be a number)", at())))
                }
                None => {
                    return Err(DataError::malformed(format!("{}: `{}` is not a number", at(), text.trim())));
                }
            }
        }
        rows += 1;
    }
    let cols = cols.unwrap_or(0);
    let shape = if cols == 1 { vec![rows] } else { vec![rows, cols] };
    let (elem, data) = match ints {
        Some(v) if v.iter().all(|&x| i32::try_from(x).is_ok()) => {
            (ElemType::I32, v.iter().flat_map(|&x| (x as i32).to_le_bytes()).collect::<Vec<u8>>())
        }
        Some(v) => (ElemType::I64, v.iter().flat_map(|x| x.to_le_bytes()).collect()),
        None => (ElemType::F64, floats.iter().flat_map(|x| x.to_le_bytes()).collect()),
    };
    Array::new(elem, shape, Cow::Owned(data))
}
