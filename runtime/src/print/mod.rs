//! Tensor printing in NumPy's `str()` layout, under a `f32[2, 3]` header line: the same values
//! print the same way in TensorForge and in NumPy, so users can compare outputs by eye and tests
//! can compare them by string. Arrays of more than 1000 elements are summarised with `...`
//! keeping 3 items at each edge; lines wrap at 75 columns; floats use NumPy's default
//! precision-8 layout (see `float.rs`).

mod float;

use crate::buffer::{Tensor, TensorRef};
use float::{FloatFormat, PrintFloat};

const LINE_WIDTH: usize = 75;
const THRESHOLD: usize = 1000;
const EDGE_ITEMS: usize = 3;

/// The header and the values, e.g. `"f32[2]\n[1.  0.25]"` (no trailing newline).
pub fn format_tensor(t: &Tensor) -> String {
    format_view(t.view(), t.shape())
}

/// `format_tensor` for borrowed data. `data.len()` must equal the product of `shape`; a
/// mismatch prints a note instead of values rather than panicking.
pub fn format_view(data: TensorRef<'_>, shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("{}[{}]\n{}", data.dtype(), dims.join(", "), format_values(data, shape))
}

/// The values alone, exactly as NumPy's `str(array)` prints them.
pub fn format_values(data: TensorRef<'_>, shape: &[usize]) -> String {
    let count = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
    if count != Some(data.len()) {
        return format!("<{} elements do not fill shape {shape:?}>", data.len());
    }
    if shape.is_empty() {
        return format_scalar(data, 0);
    }
    if data.is_empty() {
        return "[]".to_string();
    }
    let summarise = data.len() > THRESHOLD;
    let shown = shown_indices(shape, summarise);
    match data {
        TensorRef::F32(v) => floats(v, shape, summarise, &shown),
        TensorRef::F64(v) => floats(v, shape, summarise, &shown),
        TensorRef::I32(v) => ints(v, shape, summarise, &shown),
        TensorRef::I64(v) => ints(v, shape, summarise, &shown),
        TensorRef::Bool(v) => layout(shape, summarise, &|i| if v[i] != 0 { " True" } else { "False" }.to_string()),
    }
}

/// Element `index` alone, as NumPy's `str()` of a scalar prints it (`0.5`, `1.0`, `1e+20`,
/// `3`, `True`); used for rank-0 tensors and string interpolation. Out of range prints `?`.
pub fn format_scalar(data: TensorRef<'_>, index: usize) -> String {
    let s = match data {
        TensorRef::F32(v) => v.get(index).map(|&x| float::scalar(x)),
        TensorRef::F64(v) => v.get(index).map(|&x| float::scalar(x)),
        TensorRef::I32(v) => v.get(index).map(i32::to_string),
        TensorRef::I64(v) => v.get(index).map(i64::to_string),
        TensorRef::Bool(v) => v.get(index).map(|&b| if b != 0 { "True" } else { "False" }.to_string()),
    };
    s.unwrap_or_else(|| "?".to_string())
}

fn floats<T: PrintFloat>(v: &[T], shape: &[usize], summarise: bool, shown: &[usize]) -> String {
    let shown_values: Vec<T> = shown.iter().map(|&i| v[i]).collect();
    let f = FloatFormat::new(&shown_values);
    layout(shape, summarise, &|i| f.format(v[i]))
}

fn ints<T: Copy + ToString>(v: &[T], shape: &[usize], summarise: bool, shown: &[usize]) -> String {
    let width = shown.iter().map(|&i| v[i].to_string().len()).max().unwrap_or(1);
    layout(shape, summarise, &|i| format!("{:>width$}", v[i].to_string()))
}

/// Flat indices of the elements that will be printed (all, or the edges of every axis), which
/// is what NumPy chooses the column layout from.
fn shown_indices(shape: &[usize], summarise: bool) -> Vec<usize> {
    let mut out = vec![0usize];
    for &d in shape {
        let keep: Vec<usize> = if summarise && d > 2 * EDGE_ITEMS {
            (0..EDGE_ITEMS).chain(d - EDGE_ITEMS..d).collect()
        } else {
            (0..d).collect()
        };
        out = out.iter().flat_map(|&base| keep.iter().map(move |&i| base * d + i)).collect();
    }
    out
}

/// NumPy's `_formatArray` (non-legacy): nested brackets, rows wrapped at `LINE_WIDTH` with a
/// hanging indent, blank lines between blocks of rank > 2, `...` for summarised axes.
fn layout(shape: &[usize], summarise: bool, word: &dyn Fn(usize) -> String) -> String {
    let strides: Vec<usize> = (0..shape.len()).map(|a| shape[a + 1..].iter().product()).collect();
    let cx = Layout { shape, strides: &strides, summarise, word };
    cx.recurse(0, 0, " ", LINE_WIDTH)
}

struct Layout<'a> {
    shape: &'a [usize],
    strides: &'a [usize],
    summarise: bool,
    word: &'a dyn Fn(usize) -> String,
}

impl Layout<'_> {
    fn recurse(&self, axis: usize, offset: usize, hanging: &str, width: usize) -> String {
        let axes_left = self.shape.len() - axis;
        let len = self.shape[axis];
        let next_hanging = format!("{hanging} ");
        let next_width = width.saturating_sub(1);
        let summary = self.summarise && 2 * EDGE_ITEMS < len;
        let (leading, trailing) = if summary { (EDGE_ITEMS, EDGE_ITEMS) } else { (0, len) };
        // Indices in print order: the leading items, then (after `...`) the trailing ones.
        let indices: Vec<usize> = (0..leading).chain(len - trailing..len).collect();
        let at = |i: usize| offset + i * self.strides[axis];
        let mut s = String::new();
        if axes_left == 1 {
            let elem_width = width.saturating_sub(1); // room for the separator or ']'
            let mut line = hanging.to_string();
            for (n, &i) in indices.iter().enumerate() {
                if summary && n == leading {
                    extend_line(&mut s, &mut line, "...", elem_width, hanging);
                    line.push(' ');
                }
                let last = n + 1 == indices.len();
                extend_line(&mut s, &mut line, &(self.word)(at(i)), elem_width, hanging);
                if !last {
                    line.push(' ');
                }
            }
            s.push_str(&line);
        } else {
            let line_sep = "\n".repeat(axes_left - 1);
            for (n, &i) in indices.iter().enumerate() {
                if summary && n == leading {
                    s.push_str(hanging);
                    s.push_str("...");
                    s.push_str(&line_sep);
                }
                s.push_str(hanging);
                s.push_str(&self.recurse(axis + 1, at(i), &next_hanging, next_width));
                if n + 1 < indices.len() {
                    s.push_str(&line_sep);
                }
            }
        }
        format!("[{}]", &s[hanging.len()..])
    }
}

/// NumPy's `_extendLine`: start a new line (with the hanging indent) if `word` would pass
/// `width`, unless the line holds only the indent (wrapping would not help).
fn extend_line(s: &mut String, line: &mut String, word: &str, width: usize, hanging: &str) {
    if line.len() + word.len() > width && line.len() > hanging.len() {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = hanging.to_string();
    }
    line.push_str(word);
}
