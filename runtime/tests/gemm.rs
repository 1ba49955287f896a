//! GEMM against a naive triple loop: random sizes (1, primes, non-multiples of every kernel
//! tile), all four transpositions, alpha/beta, padded leading dimensions, both kernel sets and
//! 1 and 2 threads; plus bitwise determinism across thread counts and argument validation.

use tf_runtime::error::ErrorKind;
use tf_runtime::gemm::{dgemm, sgemm, Gemm, Isa};
use tf_runtime::Pool;

/// xorshift64*: deterministic test data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
    fn vec(&mut self, len: usize) -> Vec<f64> {
        (0..len).map(|_| self.unit()).collect()
    }
}

/// One test case: op(A) is m×k, op(B) is k×n, with leading dimensions padded by `pad`.
#[derive(Clone, Copy, Debug)]
struct Case {
    m: usize,
    n: usize,
    k: usize,
    ta: bool,
    tb: bool,
    alpha: f64,
    beta: f64,
    pad: usize,
}

struct Data {
    a: Vec<f64>,
    lda: usize,
    b: Vec<f64>,
    ldb: usize,
    c: Vec<f64>,
    ldc: usize,
}

fn data(case: Case, rng: &mut Rng) -> Data {
    let Case { m, n, k, ta, tb, pad, .. } = case;
    let (a_rows, a_cols) = if ta { (k, m) } else { (m, k) };
    let (b_rows, b_cols) = if tb { (n, k) } else { (k, n) };
    let (lda, ldb, ldc) = (a_cols + pad, b_cols + pad, n + pad);
    Data { a: rng.vec(a_rows * lda), lda, b: rng.vec(b_rows * ldb), ldb, c: rng.vec(m * ldc), ldc }
}

/// The reference, in f64 with the obvious loop.
fn naive(case: Case, d: &Data) -> Vec<f64> {
    let Case { m, n, k, ta, tb, alpha, beta, .. } = case;
    let mut c = d.c.clone();
    for i in 0..m {
        for j in 0..n {
            let mut s = 0.0;
            for p in 0..k {
                let a = if ta { d.a[p * d.lda + i] } else { d.a[i * d.lda + p] };
                let b = if tb { d.b[j * d.ldb + p] } else { d.b[p * d.ldb + j] };
                s += a * b;
            }
            let old = c[i * d.ldc + j];
            c[i * d.ldc + j] = alpha * s + if beta == 0.0 { 0.0 } else { beta * old };
        }
    }
    c
}

fn check_close(case: Case, got: &[f64], want: &[f64], tol: f64) {
    for (idx, (g, w)) in got.iter().zip(want).enumerate() {
        // Error grows with k; entries are sums of k products of values in [-1, 1].
        let bound = tol * (case.k as f64 + 1.0) * (case.alpha.abs() + case.beta.abs() + 1.0);
        assert!((g - w).abs() <= bound, "{case:?}: element {idx} is {g}, expected {w}");
    }
}

fn run_f32(g: &Gemm, case: Case, d: &Data) -> Vec<f64> {
    let f = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
    let (a, b, mut c) = (f(&d.a), f(&d.b), f(&d.c));
    let Case { m, n, k, ta, tb, alpha, beta, .. } = case;
    g.sgemm(m, n, k, alpha as f32, &a, d.lda, ta, &b, d.ldb, tb, beta as f32, &mut c, d.ldc).unwrap();
    c.iter().map(|&x| f64::from(x)).collect()
}

fn run_f64(g: &Gemm, case: Case, d: &Data) -> Vec<f64> {
    let mut c = d.c.clone();
    let Case { m, n, k, ta, tb, alpha, beta, .. } = case;
    g.dgemm(m, n, k, alpha, &d.a, d.lda, ta, &d.b, d.ldb, tb, beta, &mut c, d.ldc).unwrap();
    c
}

/// Sizes that hit 1, primes, tile multiples and non-multiples, and blocks beyond KC/MC.
const SIZES: &[usize] = &[1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 31, 48, 97, 150, 263];

fn random_cases(rng: &mut Rng, count: usize) -> Vec<Case> {
    (0..count)
        .map(|i| {
            let pick = |rng: &mut Rng| SIZES[rng.below(SIZES.len())];
            let (alpha, beta) = [(1.0, 0.0), (1.0, 1.0), (-0.5, 2.0), (2.0, 0.0), (0.75, -1.0)][i % 5];
            Case {
                m: pick(rng),
                n: pick(rng),
                k: pick(rng),
                ta: i % 2 == 1,
                tb: (i / 2) % 2 == 1,
                alpha,
                beta,
                pad: [0, 0, 3][i % 3],
            }
        })
        .collect()
}

#[test]
fn matches_naive_on_random_cases_all_kernels_and_thread_counts() {
    let mut rng = Rng(0x1234_5678);
    let pools = [Pool::new(1), Pool::new(2)];
    for case in random_cases(&mut rng, 48) {
        let d = data(case, &mut rng);
        let want = naive(case, &d);
        for pool in &pools {
            for isa in [Isa::Portable, Isa::detect()] {
                let g = Gemm::new().with_pool(pool).with_isa(isa);
                check_close(case, &run_f32(&g, case, &d), &want, 1e-6);
                check_close(case, &run_f64(&g, case, &d), &want, 1e-14);
            }
        }
    }
}

#[test]
fn large_enough_to_split_across_threads() {
    // Above the parallel threshold, tall and wide so both split directions run.
    let mut rng = Rng(99);
    let pool = Pool::new(2);
    // Also: depth beyond two KC blocks, and width beyond one NC block.
    for (m, n, k) in [(300, 97, 130), (61, 301, 257), (129, 130, 131), (50, 40, 800), (7, 4100, 3)] {
        for (ta, tb) in [(false, false), (true, true)] {
            let case = Case { m, n, k, ta, tb, alpha: 1.5, beta: 0.5, pad: 1 };
            let d = data(case, &mut rng);
            let want = naive(case, &d);
            let g = Gemm::new().with_pool(&pool);
            check_close(case, &run_f32(&g, case, &d), &want, 1e-6);
            check_close(case, &run_f64(&g, case, &d), &want, 1e-14);
        }
    }
}

#[test]
fn bitwise_identical_for_every_thread_count() {
    let mut rng = Rng(7);
    let case = Case { m: 203, n: 190, k: 300, ta: false, tb: true, alpha: 1.0, beta: 1.0, pad: 0 };
    let d = data(case, &mut rng);
    let results: Vec<Vec<f64>> = [1, 2, 3]
        .iter()
        .map(|&t| {
            let pool = Pool::new(t);
            run_f32(&Gemm::new().with_pool(&pool), case, &d)
        })
        .collect();
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn beta_zero_ignores_nan_in_c_and_k_zero_scales() {
    let a = [1.0f32, 2.0, 3.0, 4.0];
    let b = [1.0f32, 0.0, 0.0, 1.0];
    let mut c = [f32::NAN; 4];
    sgemm(2, 2, 2, 1.0, &a, 2, false, &b, 2, false, 0.0, &mut c, 2).unwrap();
    assert_eq!(c, [1.0, 2.0, 3.0, 4.0]);
    // k = 0: C = beta * C.
    let mut c = [1.0f64, 2.0, 3.0, 4.0];
    dgemm(2, 2, 0, 1.0, &[], 0, false, &[], 2, false, 3.0, &mut c, 2).unwrap();
    assert_eq!(c, [3.0, 6.0, 9.0, 12.0]);
    // alpha = 0 and beta = 0: C = 0 whatever it held.
    let mut c = [f64::NAN; 4];
    dgemm(2, 2, 2, 0.0, &[1.0; 4], 2, false, &[1.0; 4], 2, false, 0.0, &mut c, 2).unwrap();
    assert_eq!(c, [0.0; 4]);
}

#[test]
fn bad_arguments_are_errors_not_panics() {
    let mut c = [0f32; 4];
    let err = sgemm(2, 2, 2, 1.0, &[0.0; 3], 2, false, &[0.0; 4], 2, false, 0.0, &mut c, 2).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::InvalidArgument { .. }), "{err}");
    let err = sgemm(2, 2, 2, 1.0, &[0.0; 4], 1, false, &[0.0; 4], 2, false, 0.0, &mut c, 2).unwrap_err();
    assert!(err.to_string().contains("leading dimension"), "{err}");
    let huge = usize::MAX / 2;
    assert!(sgemm(huge, 2, 2, 1.0, &[0.0; 4], 2, false, &[0.0; 4], 2, false, 0.0, &mut c, 2).is_err());
    // Empty products touch nothing and succeed.
    sgemm(0, 5, 5, 1.0, &[], 5, false, &[0.0; 25], 5, false, 0.0, &mut [], 5).unwrap();
}
