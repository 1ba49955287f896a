//! GEMM throughput benchmark (not a test): GFLOP/s of `sgemm` at 1024³ on 1 and 2 threads,
//! median and min–max over repeats, so runtime/README.md can compare it with NumPy/OpenBLAS
//! (runtime/bench/gemm_vs_numpy.sh runs both in one go).
//!
//! Environment: `TFC_BENCH_4096=1` adds 4096³ (slow); `TFC_BENCH_SIZES=128,512` replaces the
//! sizes; `TFC_BENCH_REPEATS` (default 7); `TFC_BENCH_F64=1` also times dgemm;
//! `TFC_BENCH_RAW=1` also prints every repeat's seconds (`raw sgemm N THREADS t1 t2 ...`) for
//! scripts that pool repeats across runs.
//!
//! The machine is shared (other builds run on it), so before each measurement the benchmark
//! waits up to 30 s for the CPUs to be quiet (two 0.3 s samples of /proc/stat under 15% busy)
//! and says so when they never were.

use std::time::Instant;

use tf_runtime::gemm::Gemm;
use tf_runtime::Pool;

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// Deterministic pseudo-random values in [-1, 1).
fn fill(len: usize, seed: u64) -> Vec<f64> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 52) as f64 - 1.0
        })
        .collect()
}

/// Busy fraction of all CPUs over `ms` milliseconds, from /proc/stat (None off Linux).
fn busy(ms: u64) -> Option<f64> {
    let sample = || -> Option<(u64, u64)> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let v: Vec<u64> = stat.lines().next()?.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
        let idle = v.get(3)? + v.get(4)?;
        Some((v.iter().take(8).sum(), idle))
    };
    let (t0, i0) = sample()?;
    std::thread::sleep(std::time::Duration::from_millis(ms));
    let (t1, i1) = sample()?;
    let total = t1.saturating_sub(t0).max(1) as f64;
    Some(1.0 - i1.saturating_sub(i0) as f64 / total)
}

/// Waits until the machine is quiet, up to 30 s; returns whether it was.
fn wait_quiet() -> bool {
    let start = Instant::now();
    let mut calm = 0;
    while start.elapsed().as_secs() < 30 {
        match busy(300) {
            None => return true,
            Some(b) if b < 0.15 => calm += 1,
            Some(_) => calm = 0,
        }
        if calm >= 2 {
            return true;
        }
    }
    false
}

/// Times `f`: warms up for 0.3 s (caches, page faults, the core's clock), then takes `repeats`
/// samples, each the mean over enough calls to last at least 20 ms. Seconds per call, sorted.
fn time(repeats: usize, mut f: impl FnMut()) -> Vec<f64> {
    if !wait_quiet() {
        println!("note: the machine stayed busy for 30 s; timing anyway");
    }
    let warm = Instant::now();
    let mut calls = 0u32;
    while warm.elapsed().as_secs_f64() < 0.3 || calls == 0 {
        f();
        calls += 1;
    }
    let per_call = warm.elapsed().as_secs_f64() / f64::from(calls);
    let iters = ((0.02 / per_call).ceil() as u32).max(1);
    let mut ts: Vec<f64> = (0..repeats)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed().as_secs_f64() / f64::from(iters)
        })
        .collect();
    ts.sort_by(f64::total_cmp);
    ts
}

fn report(label: &str, n: usize, threads: usize, ts: &[f64]) {
    if env_usize("TFC_BENCH_RAW") == Some(1) {
        let raw: Vec<String> = ts.iter().map(|t| format!("{t:.6}")).collect();
        println!("raw {label} {n} {threads} {}", raw.join(" "));
    }
    let flop = 2.0 * (n as f64).powi(3);
    let gf = |t: f64| flop / t / 1e9;
    let median = ts[ts.len() / 2];
    println!(
        "{label} n={n} threads={threads}: median {:.1} GFLOP/s (min {:.1}, max {:.1}) over {} repeats",
        gf(median),
        gf(ts[ts.len() - 1]),
        gf(ts[0]),
        ts.len()
    );
}

fn main() {
    let sizes: Vec<usize> = match std::env::var("TFC_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) if env_usize("TFC_BENCH_4096") == Some(1) => vec![1024, 4096],
        Err(_) => vec![1024],
    };
    let repeats = env_usize("TFC_BENCH_REPEATS").unwrap_or(7).max(1);
    let f64_too = env_usize("TFC_BENCH_F64") == Some(1);
    let pools = [Pool::new(1), Pool::new(2)];
    println!("tf-runtime sgemm, kernel: {}", Gemm::new().kernel_name());
    for &n in &sizes {
        let a: Vec<f32> = fill(n * n, 1).into_iter().map(|x| x as f32).collect();
        let b: Vec<f32> = fill(n * n, 2).into_iter().map(|x| x as f32).collect();
        let mut c = vec![0f32; n * n];
        // Fewer repeats at large sizes keep the run under a minute or so.
        let reps = if n >= 4096 { repeats.min(3) } else { repeats };
        for pool in &pools {
            let g = Gemm::new().with_pool(pool);
            let ts =
                time(reps, || g.sgemm(n, n, n, 1.0, &a, n, false, &b, n, false, 0.0, &mut c, n).expect("valid sizes"));
            report("sgemm", n, pool.threads(), &ts);
        }
        if f64_too {
            let a: Vec<f64> = fill(n * n, 1);
            let b: Vec<f64> = fill(n * n, 2);
            let mut c = vec![0f64; n * n];
            for pool in &pools {
                let g = Gemm::new().with_pool(pool);
                let ts = time(reps, || {
                    g.dgemm(n, n, n, 1.0, &a, n, false, &b, n, false, 0.0, &mut c, n).expect("valid sizes")
                });
                report("dgemm", n, pool.threads(), &ts);
            }
        }
    }
}
