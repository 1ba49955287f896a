//! JIT against the interpreter on one dense-layer training-style step: `relu(x @ w + b)` for a
//! 256×784 batch and 784×512 weights, its mean, and a gradient-like `xᵀ @ relu` (784×256 @
//! 256×512). Prints median wall times (compile time separately) and the speed-up.
//!
//! `cargo bench -p tf-codegen --bench step` (release build; `TFC_THREADS` sets the pool size).

use std::time::{Duration, Instant};

use tf_interp::value::Data;
use tf_ir::*;

fn c(n: i64) -> Size {
    Size::constant(n)
}

fn step_module() -> Module {
    let mut b = FunctionBuilder::new("step");
    let r = b.body();
    let f32t = |s: &[i64]| Type::new(DType::F32, s.iter().map(|&d| c(d)).collect());
    let x = b.param(r, f32t(&[256, 784]), Some("x"));
    let w = b.param(r, f32t(&[784, 512]), Some("w"));
    let bias = b.param(r, f32t(&[512]), Some("b"));
    let xw = b.op1(r, OpKind::MatMul, vec![x, w]).unwrap();
    let bb = b.op_typed(r, OpKind::Broadcast, vec![bias], vec![f32t(&[256, 512])], vec![])[0];
    let pre = b.op1(r, OpKind::Binary(BinaryOp::Add), vec![xw, bb]).unwrap();
    let zero = b.constant(r, Literal::Float(0.0), DType::F32);
    let zb = b.op_typed(r, OpKind::Broadcast, vec![zero], vec![f32t(&[256, 512])], vec![])[0];
    let h = b.op1(r, OpKind::Binary(BinaryOp::Max), vec![pre, zb]).unwrap();
    let total = b.op1(r, OpKind::Reduce { op: ReduceOp::Sum, axes: vec![0, 1], keepdims: false }, vec![h]).unwrap();
    let xt = b.op1(r, OpKind::Transpose { perm: vec![1, 0] }, vec![x]).unwrap();
    let g = b.op1(r, OpKind::MatMul, vec![xt, h]).unwrap();
    b.set_yields(r, vec![total, g]);
    Module { functions: vec![b.finish()], main: None }
}

fn noise(n: usize, seed: u64) -> Vec<f32> {
    let mut s = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) as f32 * 0.1
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

struct Quiet;

impl tf_interp::Host for Quiet {
    fn print(&mut self, _: &str) {}
    fn format_tensor(&self, _: &tf_interp::Tensor) -> String {
        String::new()
    }
    fn load(&mut self, _: &DataSource, _: &Type) -> Result<tf_interp::Tensor, String> {
        Err("no data".into())
    }
}

fn main() {
    let m = step_module();
    let shapes: [&[usize]; 3] = [&[256, 784], &[784, 512], &[512]];
    let data: Vec<Vec<f32>> = shapes.iter().enumerate().map(|(i, s)| noise(s.iter().product(), i as u64)).collect();
    let interp_args: Vec<tf_interp::Tensor> = shapes
        .iter()
        .zip(&data)
        .map(|(s, d)| tf_interp::Tensor { shape: s.to_vec(), data: Data::F32(d.clone()) })
        .collect();
    let jit_args = || -> Vec<tf_runtime::Tensor> {
        shapes.iter().zip(&data).map(|(s, d)| tf_runtime::Tensor::from_slice(s, d).unwrap()).collect()
    };

    let interp_times: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            tf_interp::run(&m, FuncId::new(0), interp_args.clone(), &mut Quiet).unwrap();
            t.elapsed()
        })
        .collect();

    let t = Instant::now();
    let jit_times = tf_codegen::with_jit(&m, |jit| {
        let compiled = t.elapsed();
        let times: Vec<Duration> = (0..30)
            .map(|_| {
                let args = jit_args();
                let t = Instant::now();
                jit.call(FuncId::new(0), args).unwrap();
                t.elapsed()
            })
            .collect();
        (compiled, times)
    })
    .unwrap();
    let (compile, times) = jit_times;
    let (i, j) = (median(interp_times), median(times));
    println!("step: relu(x @ w + b) with x 256×784, w 784×512; sum; xᵀ @ h (2 × 103 MFLOP-pairs)");
    println!("  interpreter  {:>10.2?} (median of 3)", i);
    println!("  jit          {:>10.2?} (median of 30; compile + load {:.2?})", j, compile);
    println!("  speed-up     {:>10.0}×", i.as_secs_f64() / j.as_secs_f64());
}
