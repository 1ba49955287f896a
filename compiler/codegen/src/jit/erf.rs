//! The error function, the interpreter's definition (`tf-interp`'s `eval/math.rs`, which is
//! private) step for step, so compiled code and the interpreter agree to the last bit: a series
//! below 3, a continued fraction for `erfc` up to 6, and 1 beyond.

use std::f64::consts::PI;

pub(crate) fn erf(x: f64) -> f64 {
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
        1.0
    }
}

/// A&S 7.1.6: every term positive, summed until below a quarter ulp of the sum.
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

/// A&S 7.1.14, 60 levels evaluated from the inside out.
fn erfc_continued_fraction(x: f64) -> f64 {
    let mut tail = x;
    for k in (1..=60).rev() {
        tail = x + (k as f64 / 2.0) / tail;
    }
    (-x * x).exp() / PI.sqrt() / tail
}
