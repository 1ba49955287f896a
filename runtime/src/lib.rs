//! The run-time library that compiled TensorForge code links against: tensor storage, a thread
//! pool, GEMM, NumPy-like printing, data-file reading, run-time errors as data, and the
//! `extern "C"` entry points.
//!
//! It depends on no compiler crate: a deployed model links this library alone. The JIT host
//! (`tfc run`) uses the Rust API directly; generated code only ever calls the `tf_rt_*` functions
//! of [`abi`], documented in `runtime/ABI.md`.
//!
//! Unsafe code is denied crate-wide and allowed only in the modules below that need it
//! (aligned allocation, the pool's borrowed jobs, SIMD kernels and packing, the C ABI).

#[allow(unsafe_code)]
pub mod abi;
#[allow(unsafe_code)]
mod aligned;
pub mod buffer;
pub mod data;
pub mod dtype;
pub mod error;
pub mod gemm;
pub mod output;
#[allow(unsafe_code)]
pub mod pool;
pub mod print;

pub use aligned::{align_up, AlignedBuf, Arena, ALIGN};
pub use buffer::{element_count, Tensor, TensorRef};
pub use data::{load, DataError, LoadRequest};
pub use dtype::{DType, Element};
pub use error::{ErrorKind, RuntimeError, Site, SiteId};
pub use pool::Pool;
