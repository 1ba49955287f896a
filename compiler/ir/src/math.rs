//! The error function, which `std` lacks, defined once for every back end (the interpreter and
//! compiled code call this same function, so they agree to the last bit). Written for clarity with two textbook expansions,
//! each used where it converges fast and without cancellation; accurate to a few ulps of f64.

use std::f64::consts::PI;

/// `erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt`.
pub fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x < 0.0 {
        return -erf(-x);
    }
    if x < 3.0 {
        series(x)
    } else if x < 6.0 {
        1.0 - erfc_continued_fraction(x)
    } else {
        // erfc(6) < 3e-17: below half an ulp of 1.
        1.0
    }
}

/// `erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))` (Abramowitz and
/// Stegun 7.1.6). Every term is positive, so the sum loses no precision; for `x < 3` the terms
/// fall below an ulp within about 80 steps.
fn series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    let mut n = 0.0;
    while term > sum * f64::EPSILON / 4.0 {
        n += 1.0;
        term *= 2.0 * x2 / (2.0 * n + 1.0);
        sum += term;
    }
    2.0 / PI.sqrt() * (-x2).exp() * sum
}

/// `erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))`
/// (A&S 7.1.14), evaluated from a fixed depth inward; for `x >= 3` 60 levels are plenty.
fn erfc_continued_fraction(x: f64) -> f64 {
    let mut tail = x;
    for k in (1..=60).rev() {
        tail = x + (k as f64 / 2.0) / tail;
    }
    (-x * x).exp() / PI.sqrt() / tail
}

#[cfg(test)]
mod tests {
    use super::erf;

    #[test]
    fn matches_reference_values() {
        // Values from Abramowitz and Stegun, table 7.1, and mpmath.
        let table = [
            (0.0, 0.0),
            (0.1, 0.112_462_916_018_284_9),
            (0.5, 0.520_499_877_813_046_5),
            (1.0, 0.842_700_792_949_714_9),
            (2.0, 0.995_322_265_018_952_7),
            (2.9, 0.999_958_902_121_900_5),
            (3.0, 0.999_977_909_503_001_4),
            (4.0, 0.999_999_984_582_742_1),
            (5.5, 0.999_999_999_999_992_6),
        ];
        for (x, want) in table {
            let got = erf(x);
            assert!((got - want).abs() <= 4.0 * f64::EPSILON * want.max(1e-300), "erf({x}) = {got}, want {want}");
            assert_eq!(erf(-x), -got);
        }
        assert_eq!(erf(f64::INFINITY), 1.0);
        assert!(erf(f64::NAN).is_nan());
    }
}
