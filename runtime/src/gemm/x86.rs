//! AVX2+FMA micro-kernels for x86-64 (Haswell and later, every Zen). Zen 4 executes AVX-512
//! FMAs double-pumped on 256-bit units, so these reach the same FLOP/cycle there as an AVX-512
//! kernel would (see runtime/README.md). Selected at run time after feature detection.
//!
//! f32: a 6×16 tile in 12 ymm accumulators (6 rows × 2 vectors of 8); f64: 6×8 (6 × 2 of 4).
//! Each step does 2 aligned B loads, 6 A broadcasts and 12 FMAs: enough independent chains to
//! cover the FMA latency on both pipes. Steps are unrolled by 4 with a software prefetch of the
//! panels ahead, and the C tile is prefetched before the loop (both measured a few % faster).

use std::arch::x86_64::*;

use super::kernel::Kernel;

/// Whether the CPU can run these kernels.
pub(crate) fn available() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

/// Expands the 6-row body once per element type. `$lanes` is the vector width in elements.
macro_rules! kernel_6x2v {
    ($name:ident, $t:ty, $lanes:expr, $zero:ident, $load:ident, $loadu:ident, $storeu:ident,
     $set1:ident, $fmadd:ident, $mul:ident) => {
        /// # Safety
        /// Requires AVX2 and FMA. `a` holds `kc * 6` values, `b` holds `kc * 2 * lanes` values
        /// and is 32-byte aligned; `c` is a 6 × (2 * lanes) tile with row stride `rs_c`.
        #[target_feature(enable = "avx2,fma")]
        pub(crate) unsafe fn $name(
            kc: usize,
            a: *const $t,
            b: *const $t,
            c: *mut $t,
            rs_c: usize,
            alpha: $t,
            beta: $t,
        ) {
            const NR: usize = 2 * $lanes;
            // Start fetching the C tile now; it is needed only after the kc loop.
            for i in 0..6 {
                let row = c.wrapping_add(i * rs_c).cast::<i8>();
                // Prefetch never faults, whatever the address (a safe intrinsic here).
                _mm_prefetch::<_MM_HINT_T0>(row);
                _mm_prefetch::<_MM_HINT_T0>(row.wrapping_add(NR * std::mem::size_of::<$t>() - 1));
            }
            let mut acc = [[$zero(); 2]; 6];
            // One step of the update; the loop below runs it 4 times per iteration so the
            // loop overhead and the B prefetch are amortised.
            let step = |acc: &mut [[_; 2]; 6], p: usize| {
                // SAFETY: p < kc, so the B loads stay inside the panel (aligned: panels start at
                // 64-byte boundaries and each step is NR * size_of = 64 bytes) and the A reads
                // inside its panel.
                unsafe {
                    let b0 = $load(b.add(p * NR));
                    let b1 = $load(b.add(p * NR + $lanes));
                    let ap = a.add(p * 6);
                    for (i, row) in acc.iter_mut().enumerate() {
                        let ai = $set1(*ap.add(i));
                        row[0] = $fmadd(ai, b0, row[0]);
                        row[1] = $fmadd(ai, b1, row[1]);
                    }
                }
            };
            let mut p = 0;
            while p + 4 <= kc {
                _mm_prefetch::<_MM_HINT_T0>(b.wrapping_add((p + 8) * NR).cast::<i8>());
                _mm_prefetch::<_MM_HINT_T0>(a.wrapping_add((p + 8) * 6).cast::<i8>());
                step(&mut acc, p);
                step(&mut acc, p + 1);
                step(&mut acc, p + 2);
                step(&mut acc, p + 3);
                p += 4;
            }
            while p < kc {
                step(&mut acc, p);
                p += 1;
            }
            let va = $set1(alpha);
            for (i, row) in acc.iter().enumerate() {
                // SAFETY: row i < 6 and columns 0..NR are inside the caller's tile.
                unsafe {
                    let ci = c.add(i * rs_c);
                    if beta == 0.0 {
                        $storeu(ci, $mul(va, row[0]));
                        $storeu(ci.add($lanes), $mul(va, row[1]));
                    } else {
                        let vb = $set1(beta);
                        $storeu(ci, $fmadd(vb, $loadu(ci), $mul(va, row[0])));
                        $storeu(ci.add($lanes), $fmadd(vb, $loadu(ci.add($lanes)), $mul(va, row[1])));
                    }
                }
            }
        }
    };
}

kernel_6x2v!(
    sgemm_6x16,
    f32,
    8,
    _mm256_setzero_ps,
    _mm256_load_ps,
    _mm256_loadu_ps,
    _mm256_storeu_ps,
    _mm256_set1_ps,
    _mm256_fmadd_ps,
    _mm256_mul_ps
);
kernel_6x2v!(
    dgemm_6x8,
    f64,
    4,
    _mm256_setzero_pd,
    _mm256_load_pd,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_set1_pd,
    _mm256_fmadd_pd,
    _mm256_mul_pd
);

// The fn-pointer casts drop `#[target_feature]`, which is sound because these tables are only
// handed out after `available()` returned true (see `select` in mod.rs).
pub(crate) static F32_AVX2: Kernel<f32> =
    Kernel { name: "avx2+fma 6x16", mr: 6, nr: 16, kc: 384, mc: 120, nc: 4080, run: sgemm_6x16 };

pub(crate) static F64_AVX2: Kernel<f64> =
    Kernel { name: "avx2+fma 6x8", mr: 6, nr: 8, kc: 256, mc: 72, nc: 4080, run: dgemm_6x8 };
