//! What the interpreter asks of its environment: printing, formatting values for `print`, and
//! loading data. Keeping these behind a trait keeps the interpreter free of I/O (the driver
//! plugs in real files and the runtime's formatter); [`CaptureHost`] serves tests.

use std::collections::HashMap;

use tf_ir::{DataSource, Type};

use crate::value::{Data, Tensor};

/// `Send` because [`crate::run`] evaluates on a thread of its own (see there).
pub trait Host: Send {
    /// One line of program output (without its newline).
    fn print(&mut self, line: &str);
    /// How a value looks inside a `print`.
    fn format_tensor(&self, t: &Tensor) -> String;
    /// Reads a tensor. `declared` is the type the program declares: its dtype and rank must
    /// match; its constant dimensions must match, the others are learnt from the data. The
    /// interpreter checks the answer against `declared` again, so a host may be lax.
    fn load(&mut self, source: &DataSource, declared: &Type) -> Result<Tensor, String>;
}

/// A host for tests: collects printed lines, formats with [`format_numpy`], loads from memory.
#[derive(Debug, Default)]
pub struct CaptureHost {
    pub lines: Vec<String>,
    pub data: HashMap<DataSource, Tensor>,
}

impl CaptureHost {
    pub fn new() -> CaptureHost {
        CaptureHost::default()
    }

    /// Makes `tensor` the contents of `source`.
    pub fn with_data(mut self, source: DataSource, tensor: Tensor) -> CaptureHost {
        self.data.insert(source, tensor);
        self
    }
}

impl Host for CaptureHost {
    fn print(&mut self, line: &str) {
        self.lines.push(line.to_string());
    }

    fn format_tensor(&self, t: &Tensor) -> String {
        format_numpy(t)
    }

    fn load(&mut self, source: &DataSource, _declared: &Type) -> Result<Tensor, String> {
        self.data.get(source).cloned().ok_or_else(|| format!("no data for {source:?}"))
    }
}

/// Above this many elements, only the first and last [`EDGE_ITEMS`] of each axis are shown.
const SUMMARY_THRESHOLD: usize = 1000;
const EDGE_ITEMS: usize = 3;

/// A plain rendering in the style of NumPy's `str`: `[[1. 2.5]\n [3. 4.]]`, elements
/// right-aligned to a common width, `...` in long axes of large tensors. Floats print in their
/// shortest round-tripping form (`1.` for whole numbers, `nan`, `inf`); bools as `true`/`false`;
/// any empty tensor as `[]`.
pub fn format_numpy(t: &Tensor) -> String {
    if !t.is_consistent() {
        return format!("<inconsistent tensor of shape {:?}>", t.shape);
    }
    if t.numel() == 0 && t.rank() > 0 {
        // As NumPy prints every empty array (whose other dimensions may be huge).
        return "[]".into();
    }
    let summarise = t.numel() > SUMMARY_THRESHOLD;
    let shown: Vec<Vec<Option<usize>>> = t.shape.iter().map(|&n| shown_indices(n, summarise)).collect();
    let mut cells = Vec::new();
    collect_cells(&t.data, &t.shape, &shown, 0, 0, &mut cells);
    let width = cells.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    let mut cells = cells.into_iter();
    let mut out = String::new();
    render(&t.shape, &shown, 0, width, &mut cells, &mut out);
    out
}

/// The indices of an axis to show, `None` standing for the elided middle.
fn shown_indices(n: usize, summarise: bool) -> Vec<Option<usize>> {
    if summarise && n > 2 * EDGE_ITEMS {
        (0..EDGE_ITEMS).map(Some).chain([None]).chain((n - EDGE_ITEMS..n).map(Some)).collect()
    } else {
        (0..n).map(Some).collect()
    }
}

/// The formatted elements that will be shown, in the order `render` consumes them.
fn collect_cells(
    data: &Data,
    shape: &[usize],
    shown: &[Vec<Option<usize>>],
    axis: usize,
    offset: usize,
    out: &mut Vec<String>,
) {
    if axis == shape.len() {
        out.push(format_element(data, offset));
        return;
    }
    // Saturating: an empty tensor may have huge dimensions beside its zero (and no cells).
    let inner = shape[axis + 1..].iter().fold(1usize, |acc, &d| acc.saturating_mul(d));
    for i in shown[axis].iter().flatten() {
        collect_cells(data, shape, shown, axis + 1, offset + i * inner, out);
    }
}

fn render(
    shape: &[usize],
    shown: &[Vec<Option<usize>>],
    axis: usize,
    width: usize,
    cells: &mut impl Iterator<Item = String>,
    out: &mut String,
) {
    if axis == shape.len() {
        let cell = cells.next().unwrap_or_default();
        out.push_str(&format!("{cell:>width$}"));
        return;
    }
    // Rows of a matrix are separated by one newline, matrices of a 3-d tensor by two, and so on.
    let separator = if axis + 1 == shape.len() {
        " ".to_string()
    } else {
        format!("{}{}", "\n".repeat(shape.len() - axis - 1), " ".repeat(axis + 1))
    };
    out.push('[');
    for (k, index) in shown[axis].iter().enumerate() {
        if k > 0 {
            out.push_str(&separator);
        }
        match index {
            Some(_) => render(shape, shown, axis + 1, width, cells, out),
            None => out.push_str("..."),
        }
    }
    out.push(']');
}

/// Element `i` in its own dtype's shortest form (an `f32` prints as the f32 it is, `0.1`, not
/// as the f64 it widens to).
fn format_element(data: &Data, i: usize) -> String {
    let text = match data {
        Data::F32(v) => v.get(i).map(|x| format_float(*x as f64, format!("{x:?}"))),
        Data::F64(v) => v.get(i).map(|x| format_float(*x, format!("{x:?}"))),
        Data::I32(v) => v.get(i).map(|x| x.to_string()),
        Data::I64(v) => v.get(i).map(|x| x.to_string()),
        Data::Bool(v) => v.get(i).map(|x| x.to_string()),
    };
    text.unwrap_or_else(|| "?".into())
}

/// `debug` is `{:?}` of the float: the shortest string that reads back as the same number.
fn format_float(x: f64, debug: String) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        debug.strip_suffix(".0").map_or(debug.clone(), |whole| format!("{whole}."))
    }
}
