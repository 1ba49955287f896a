//! The reference interpreter of the tensor IR: small and obviously correct, it defines what a
//! verified module computes. Compiled CPU code, gradients and GPU kernels are tested against it
//! on random inputs, and `tfc run --interp` runs whole programs on it.
//!
//! - `value`: tensors (a shape and a row-major vector of one dtype) and comparison helpers.
//! - `eval`: [`run`], one function per op family in its submodules.
//! - `host`: what the interpreter asks of its environment (printing, formatting, loading data).
//! - `error`: run-time errors, located at the `.tf` span of the op that failed.

pub mod error;
pub mod eval;
pub mod host;
pub mod value;

pub use error::{RunError, RunErrorKind};
pub use eval::{run, MAX_CALL_DEPTH, MAX_ELEMENTS};
pub use host::{format_numpy, CaptureHost, Host};
pub use value::{allclose, check_close, Data, Elem, Scalar, Tensor};
