//! `Random` follows `tf_ir::rng` element by element (so every back end can match it), is
//! deterministic in its seed, and has the requested mean and spread.

mod common;

use common::*;
use tf_interp::Tensor;
use tf_ir::*;

fn random(dist: Distribution, seed: i64, p: Tensor, q: Tensor, dtype: DType, shape: &[usize]) -> Tensor {
    eval_ok(OpKind::Random(dist), vec![Tensor::scalar(seed), p, q], Some(vec![ty(dtype, shape)]))
}

#[test]
fn element_i_is_the_rng_value_rounded_once() {
    let n = random(Distribution::Normal, 42, Tensor::scalar(1.0f32), Tensor::scalar(0.5f32), DType::F32, &[2, 3]);
    let want: Vec<f32> = (0..6).map(|i| (rng::normal(42, i) * 0.5 + 1.0) as f32).collect();
    assert_eq!(n, f32s(&[2, 3], &want));
    let u = random(Distribution::Uniform, 7, Tensor::scalar(-2.0f64), Tensor::scalar(3.0f64), DType::F64, &[5]);
    let want: Vec<f64> = (0..5).map(|i| -2.0 + rng::unit(7, i) * 5.0).collect();
    assert_eq!(u, f64s(&[5], &want));
}

#[test]
fn same_seed_same_numbers() {
    let draw =
        |seed| random(Distribution::Normal, seed, Tensor::scalar(0.0f64), Tensor::scalar(1.0f64), DType::F64, &[64]);
    assert_eq!(draw(3), draw(3));
    assert_ne!(draw(3), draw(4));
}

#[test]
fn parameters_may_be_tensors_of_the_result_shape() {
    let low = f64s(&[3], &[0.0, 10.0, 100.0]);
    let high = f64s(&[3], &[1.0, 11.0, 101.0]);
    let u = random(Distribution::Uniform, 1, low, high, DType::F64, &[3]);
    for (i, x) in u.to_f64_vec().into_iter().enumerate() {
        let base = [0.0, 10.0, 100.0][i];
        assert!(base <= x && x < base + 1.0, "{x}");
    }
}

#[test]
fn moments_of_ten_thousand_samples() {
    let n = 10_000;
    let moments = |t: &Tensor| {
        let v = t.to_f64_vec();
        let mean = v.iter().sum::<f64>() / n as f64;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        (
            mean,
            var.sqrt(),
            v.iter().cloned().fold(f64::INFINITY, f64::min),
            v.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        )
    };
    let normal =
        random(Distribution::Normal, 9, Tensor::scalar(2.0f32), Tensor::scalar(3.0f32), DType::F32, &[100, 100]);
    let (mean, std, _, _) = moments(&normal);
    // Standard errors: 3 / 100 for the mean, about 3 / 141 for the deviation.
    assert!((mean - 2.0).abs() < 0.12, "mean {mean}");
    assert!((std - 3.0).abs() < 0.1, "std {std}");
    let uniform = random(Distribution::Uniform, 9, Tensor::scalar(-1.0f64), Tensor::scalar(3.0f64), DType::F64, &[n]);
    let (mean, std, lo, hi) = moments(&uniform);
    assert!((mean - 1.0).abs() < 0.05, "mean {mean}");
    assert!((std - 4.0 / 12f64.sqrt()).abs() < 0.03, "std {std}");
    assert!(-1.0 <= lo && hi < 3.0);
}
