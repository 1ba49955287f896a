//! The `tfc` pipeline as a library: loading files and the stdlib, running the stages, and
//! rendering diagnostics, so that the CLI, tests and later the LSP share one implementation.

pub mod build;
pub mod cli;
pub mod compile;
pub mod load;
pub mod order;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod run;
pub mod stdlib;

pub use load::{load, load_sources, LoadError, Loaded};
pub use pipeline::{check_files, check_loaded, check_sources, Compiled};
pub use stdlib::{find_stdlib, StdlibError};
