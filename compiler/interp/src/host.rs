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

/// A value as NumPy's `str()` prints it, through the runtime's printer: the same text compiled
/// programs print.
pub fn format_numpy(t: &Tensor) -> String {
    use tf_runtime::buffer::TensorRef;
    let bools: Vec<u8>;
    let view = match &t.data {
        Data::F32(v) => TensorRef::F32(v),
        Data::F64(v) => TensorRef::F64(v),
        Data::I32(v) => TensorRef::I32(v),
        Data::I64(v) => TensorRef::I64(v),
        Data::Bool(v) => {
            bools = v.iter().map(|&b| u8::from(b)).collect();
            TensorRef::Bool(&bools)
        }
    };
    tf_runtime::print::format_values(view, &t.shape)
}
