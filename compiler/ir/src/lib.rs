//! The tensor IR: data structures (`ir`), construction (`builder`), result typing (`infer`),
//! the text form (`print`) and the verifier (`verify`).

pub mod builder;
pub mod infer;
pub mod ir;
pub mod math;
pub mod print;
pub mod rng;
pub mod verify;

pub use builder::FunctionBuilder;
pub use ir::*;
