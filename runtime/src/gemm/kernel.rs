//! Micro-kernels: the innermost MR×NR tile update that GEMM spends its time in, one per
//! (element type, instruction set), with the cache-blocking sizes tuned for it.
//!
//! Contract of every kernel: given `kc` steps of a packed A panel (MR values per step) and a
//! packed B panel (NR values per step, 64-byte aligned), it computes the tile
//! `C = alpha * (A·B) + beta * C` where C has row stride `rs_c` and unit column stride. When
//! `beta == 0`, C is not read (so NaN/garbage in C does not leak, as in BLAS).

use std::ops::{Add, Mul};

use crate::dtype::Element;

/// Element types GEMM supports.
pub(crate) trait Scalar: Element + Add<Output = Self> + Mul<Output = Self> {
    const ZERO: Self;
    const ONE: Self;
}

impl Scalar for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
}

impl Scalar for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
}

/// `kernel(kc, a_panel, b_panel, c, rs_c, alpha, beta)`; see the module doc for the contract.
pub(crate) type KernelFn<T> = unsafe fn(usize, *const T, *const T, *mut T, usize, T, T);

/// A micro-kernel and the blocking it is tuned for.
#[derive(Debug)]
pub(crate) struct Kernel<T: 'static> {
    pub name: &'static str,
    /// Tile rows and columns.
    pub mr: usize,
    pub nr: usize,
    /// Depth of one packed block (A panel and B panel stay in L1).
    pub kc: usize,
    /// Rows of A packed at once (stays in L2); a multiple of `mr`.
    pub mc: usize,
    /// Columns of B packed at once (stays in L3); a multiple of `nr`.
    pub nc: usize,
    pub run: KernelFn<T>,
}

/// The portable kernel: plain loops the compiler vectorises for the baseline target. Used when
/// the CPU lacks AVX2+FMA, and as a second implementation in tests.
///
/// # Safety
/// `a` and `b` are valid for `kc * MR` and `kc * NR` reads; `c` for an MR×NR tile with row
/// stride `rs_c` (reads only when `beta != 0`).
unsafe fn portable<T: Scalar, const MR: usize, const NR: usize>(
    kc: usize,
    a: *const T,
    b: *const T,
    c: *mut T,
    rs_c: usize,
    alpha: T,
    beta: T,
) {
    // SAFETY: the caller guarantees the panels hold kc steps of MR and NR values.
    let (a, b) = unsafe { (std::slice::from_raw_parts(a, kc * MR), std::slice::from_raw_parts(b, kc * NR)) };
    let mut acc = [[T::ZERO; NR]; MR];
    for (ap, bp) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        for (row, &ai) in acc.iter_mut().zip(ap) {
            for (x, &bj) in row.iter_mut().zip(bp) {
                *x = *x + ai * bj;
            }
        }
    }
    for (i, row) in acc.iter().enumerate() {
        for (j, &x) in row.iter().enumerate() {
            // SAFETY: (i, j) lies in the MR×NR tile the caller guarantees.
            let cij = unsafe { &mut *c.add(i * rs_c + j) };
            *cij = if beta == T::ZERO { alpha * x } else { alpha * x + beta * *cij };
        }
    }
}

pub(crate) static F32_PORTABLE: Kernel<f32> =
    Kernel { name: "portable 4x8", mr: 4, nr: 8, kc: 256, mc: 128, nc: 2048, run: portable::<f32, 4, 8> };

pub(crate) static F64_PORTABLE: Kernel<f64> =
    Kernel { name: "portable 4x4", mr: 4, nr: 4, kc: 256, mc: 128, nc: 2048, run: portable::<f64, 4, 4> };
