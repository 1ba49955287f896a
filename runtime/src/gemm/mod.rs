//! Dense matrix multiply, `C = alpha * op(A) · op(B) + beta * C`, row-major, f32 and f64, in the
//! BLAS calling convention the code generator emits.
//!
//! Our own packed kernels rather than a crate: measured side by side on this machine they beat
//! `gemm` 0.19 and `faer` 0.24 and keep the runtime free of dependencies (runtime/README.md has
//! the figures). Large products are split across the pool; small ones run a plain loop, since
//! packing and thread wake-ups would cost more than the arithmetic.

#[allow(unsafe_code)]
mod driver;
#[allow(unsafe_code)]
mod kernel;
#[allow(unsafe_code)]
mod pack;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod x86;

use driver::Problem;
use kernel::{Kernel, Scalar};
use pack::MatRef;

use crate::error::RuntimeError;
use crate::pool::Pool;

/// Which micro-kernels to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// Plain Rust loops; works everywhere.
    Portable,
    /// AVX2 + FMA (x86-64 since Haswell; every AMD Zen).
    Avx2Fma,
}

impl Isa {
    /// The best kernels this CPU supports.
    pub fn detect() -> Isa {
        if Isa::Avx2Fma.available() {
            Isa::Avx2Fma
        } else {
            Isa::Portable
        }
    }

    /// Whether this CPU can run `self`.
    pub fn available(self) -> bool {
        match self {
            Isa::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2Fma => x86::available(),
            #[cfg(not(target_arch = "x86_64"))]
            Isa::Avx2Fma => false,
        }
    }
}

/// Picks the kernel tables for an ISA. Only hands out SIMD kernels the CPU can run.
trait Kernels: Scalar {
    fn kernel(isa: Isa) -> &'static Kernel<Self>;
}

impl Kernels for f32 {
    fn kernel(isa: Isa) -> &'static Kernel<f32> {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2Fma if isa.available() => &x86::F32_AVX2,
            _ => &kernel::F32_PORTABLE,
        }
    }
}

impl Kernels for f64 {
    fn kernel(isa: Isa) -> &'static Kernel<f64> {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2Fma if isa.available() => &x86::F64_AVX2,
            _ => &kernel::F64_PORTABLE,
        }
    }
}

/// Products with at most this many multiply-adds use the plain loop.
const SMALL_FLOPS: usize = 16 * 16 * 16;

/// A GEMM configuration: which pool to split work across and which kernels to use.
#[derive(Clone, Copy, Debug)]
pub struct Gemm<'p> {
    pool: &'p Pool,
    isa: Isa,
}

impl Default for Gemm<'static> {
    fn default() -> Self {
        Gemm { pool: Pool::global(), isa: Isa::detect() }
    }
}

impl<'p> Gemm<'p> {
    /// The global pool and the best kernels for this CPU.
    pub fn new() -> Gemm<'static> {
        Gemm::default()
    }

    /// The same configuration on another pool (e.g. a fixed thread count for benchmarks).
    pub fn with_pool(self, pool: &Pool) -> Gemm<'_> {
        Gemm { pool, isa: self.isa }
    }

    /// The same configuration with other kernels; an ISA the CPU lacks falls back to portable.
    pub fn with_isa(self, isa: Isa) -> Gemm<'p> {
        Gemm { isa: if isa.available() { isa } else { Isa::Portable }, ..self }
    }

    /// The kernels in use, e.g. `"avx2+fma 6x16"` (for benchmark reports).
    pub fn kernel_name(&self) -> &'static str {
        f32::kernel(self.isa).name
    }

    /// Single-precision GEMM; see [`sgemm`].
    #[allow(clippy::too_many_arguments)] // the BLAS signature
    pub fn sgemm(
        &self,
        m: usize,
        n: usize,
        k: usize,
        alpha: f32,
        a: &[f32],
        lda: usize,
        trans_a: bool,
        b: &[f32],
        ldb: usize,
        trans_b: bool,
        beta: f32,
        c: &mut [f32],
        ldc: usize,
    ) -> Result<(), RuntimeError> {
        self.run((m, n, k), alpha, (a, lda, trans_a), (b, ldb, trans_b), beta, (c, ldc))
    }

    /// Double-precision GEMM; see [`dgemm`].
    #[allow(clippy::too_many_arguments)] // the BLAS signature
    pub fn dgemm(
        &self,
        m: usize,
        n: usize,
        k: usize,
        alpha: f64,
        a: &[f64],
        lda: usize,
        trans_a: bool,
        b: &[f64],
        ldb: usize,
        trans_b: bool,
        beta: f64,
        c: &mut [f64],
        ldc: usize,
    ) -> Result<(), RuntimeError> {
        self.run((m, n, k), alpha, (a, lda, trans_a), (b, ldb, trans_b), beta, (c, ldc))
    }

    fn run<T: Kernels>(
        &self,
        (m, n, k): (usize, usize, usize),
        alpha: T,
        (a, lda, trans_a): (&[T], usize, bool),
        (b, ldb, trans_b): (&[T], usize, bool),
        beta: T,
        (c, ldc): (&mut [T], usize),
    ) -> Result<(), RuntimeError> {
        // op(A) is m×k: stored m×k (lda ≥ k) or, transposed, k×m (lda ≥ m).
        let a_ref = operand("A", a, lda, trans_a, m, k)?;
        let b_ref = operand("B", b, ldb, trans_b, k, n)?;
        check_extent("C", c.len(), m, n, ldc)?;
        if m == 0 || n == 0 {
            return Ok(());
        }
        if k == 0 || alpha == T::ZERO {
            scale_c(c, m, n, ldc, beta);
            return Ok(());
        }
        let p = Problem { m, n, k, alpha, a: a_ref, b: b_ref, beta, c: c.as_mut_ptr(), ldc };
        if m.saturating_mul(n).saturating_mul(k) <= SMALL_FLOPS {
            small(&p, a, b, c);
            return Ok(());
        }
        driver::parallel(self.pool, T::kernel(self.isa), &p)
    }
}

/// `C = alpha * op(A)·op(B) + beta * C` in single precision, row-major.
///
/// `op(A)` is m×k: `a` holds A as m×k rows of stride `lda`, or with `trans_a` as k×m rows of
/// stride `lda` (so `op(A) = Aᵀ`); likewise B (k×n, or n×k with `trans_b`) and C (m×n, stride
/// `ldc`). When `beta == 0`, C's old contents are ignored (NaN does not propagate).
/// Bad leading dimensions or slices too short for them are `InvalidArgument` errors.
/// Runs on the global pool with the best kernels for this CPU.
#[allow(clippy::too_many_arguments)] // the BLAS signature
pub fn sgemm(
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: &[f32],
    lda: usize,
    trans_a: bool,
    b: &[f32],
    ldb: usize,
    trans_b: bool,
    beta: f32,
    c: &mut [f32],
    ldc: usize,
) -> Result<(), RuntimeError> {
    Gemm::new().sgemm(m, n, k, alpha, a, lda, trans_a, b, ldb, trans_b, beta, c, ldc)
}

/// [`sgemm`] in double precision.
#[allow(clippy::too_many_arguments)] // the BLAS signature
pub fn dgemm(
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: &[f64],
    lda: usize,
    trans_a: bool,
    b: &[f64],
    ldb: usize,
    trans_b: bool,
    beta: f64,
    c: &mut [f64],
    ldc: usize,
) -> Result<(), RuntimeError> {
    Gemm::new().dgemm(m, n, k, alpha, a, lda, trans_a, b, ldb, trans_b, beta, c, ldc)
}

/// Checks a rows×cols matrix with row stride `ld` fits in `len` elements.
fn check_extent(name: &str, len: usize, rows: usize, cols: usize, ld: usize) -> Result<(), RuntimeError> {
    if rows == 0 || cols == 0 {
        return Ok(());
    }
    if ld < cols {
        return Err(RuntimeError::invalid(format!("{name}: leading dimension {ld} is less than the {cols} columns")));
    }
    let need = (rows - 1).checked_mul(ld).and_then(|x| x.checked_add(cols));
    match need {
        Some(need) if need <= len => Ok(()),
        _ => Err(RuntimeError::invalid(format!(
            "{name}: {rows}×{cols} with leading dimension {ld} needs more than the {len} elements given"
        ))),
    }
}

/// Validates an operand and describes op(X) (rows×cols) by strides.
fn operand<T>(
    name: &str,
    x: &[T],
    ld: usize,
    trans: bool,
    rows: usize,
    cols: usize,
) -> Result<MatRef<T>, RuntimeError> {
    if trans {
        check_extent(name, x.len(), cols, rows, ld)?;
        Ok(MatRef { ptr: x.as_ptr(), rs: 1, cs: ld })
    } else {
        check_extent(name, x.len(), rows, cols, ld)?;
        Ok(MatRef { ptr: x.as_ptr(), rs: ld, cs: 1 })
    }
}

/// `C = beta * C` (zero when beta is 0, whatever C held).
fn scale_c<T: Scalar>(c: &mut [T], m: usize, n: usize, ldc: usize, beta: T) {
    for row in c.chunks_mut(ldc).take(m) {
        for x in &mut row[..n] {
            *x = if beta == T::ZERO { T::ZERO } else { beta * *x };
        }
    }
}

/// The plain triple loop for tiny products, on the validated slices (bounds-checked).
fn small<T: Scalar>(p: &Problem<T>, a: &[T], b: &[T], c: &mut [T]) {
    for i in 0..p.m {
        for j in 0..p.n {
            let mut s = T::ZERO;
            for q in 0..p.k {
                s = s + a[i * p.a.rs + q * p.a.cs] * b[q * p.b.rs + j * p.b.cs];
            }
            let cij = &mut c[i * p.ldc + j];
            *cij = if p.beta == T::ZERO { p.alpha * s } else { p.alpha * s + p.beta * *cij };
        }
    }
}
