//! The checking stage: names, types and symbolic shapes of a whole program, as pure functions
//! of parsed modules (the driver does all file I/O).

mod program;

pub use program::{check, Checked, Module, ModuleId, Program, RuntimeCheck, Signature};
