//! NumPy's float formatting: the array mode (`FloatingFormat` with precision 8, `maxprec`: one
//! shared positional or scientific layout for every element) and the scalar `str()` mode.
//!
//! Digits come from Rust's formatter: `{}`/`{:e}` give the shortest string that round-trips
//! (what NumPy's Dragon4 gives with `unique=True`), and `{:.8}`/`{:.8e}` the exactly rounded
//! string used when the shortest one has more than 8 fractional digits.

use std::fmt::{Display, LowerExp};

/// f32 or f64. NumPy compares against its layout thresholds (1e8, 1e-4, 1000) in f64, after
/// computing max/min in the element's own precision; so do we.
pub(crate) trait PrintFloat: Copy + Display + LowerExp + PartialOrd {
    fn finite(self) -> bool;
    fn is_nan(self) -> bool;
    fn is_neg(self) -> bool;
    fn abs(self) -> Self;
    fn is_zero(self) -> bool;
    fn to_f64(self) -> f64;
    fn div(self, other: Self) -> Self;
}

macro_rules! print_float {
    ($t:ty) => {
        impl PrintFloat for $t {
            fn finite(self) -> bool {
                self.is_finite()
            }
            fn is_nan(self) -> bool {
                self.is_nan()
            }
            fn is_neg(self) -> bool {
                self < 0.0
            }
            fn abs(self) -> Self {
                self.abs()
            }
            fn is_zero(self) -> bool {
                self == 0.0
            }
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
            fn div(self, other: Self) -> Self {
                self / other
            }
        }
    };
}
print_float!(f32);
print_float!(f64);

const PRECISION: usize = 8;

/// Shortest positional digits split at the point, at most `PRECISION` fractional digits
/// (rounded, then trailing zeros trimmed): `("-1", "25")`, `("3", "")`.
fn positional<T: PrintFloat>(x: T) -> (String, String) {
    let mut s = x.to_string();
    if s.split_once('.').is_some_and(|(_, f)| f.len() > PRECISION) {
        s = format!("{x:.PRECISION$}");
        s.truncate(s.trim_end_matches('0').len());
    }
    match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (s, String::new()),
    }
}

/// Shortest scientific digits, at most `PRECISION` fractional mantissa digits:
/// `("-1", "5", -5)` for -1.5e-5.
fn scientific<T: PrintFloat>(x: T) -> (String, String, i32) {
    let mut s = format!("{x:e}");
    let (mant, _) = s.split_once('e').unwrap_or((&s, ""));
    if mant.split_once('.').is_some_and(|(_, f)| f.len() > PRECISION) {
        s = format!("{x:.PRECISION$e}");
    }
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp = exp.parse().unwrap_or(0);
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    (int.to_string(), frac.trim_end_matches('0').to_string(), exp)
}

/// `e+05`, `e-123`: sign always, at least `digits` digits.
fn exponent(exp: i32, digits: usize) -> String {
    format!("e{}{:0digits$}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs())
}

fn non_finite<T: PrintFloat>(x: T) -> &'static str {
    if x.is_nan() {
        "nan"
    } else if x.is_neg() {
        "-inf"
    } else {
        "inf"
    }
}

/// One layout shared by all elements of an array (NumPy's `FloatingFormat`).
pub(crate) struct FloatFormat {
    exp: Option<ExpLayout>,
    pad_left: usize,
    pad_right: usize,
}

struct ExpLayout {
    precision: usize,
    exp_digits: usize,
}

impl FloatFormat {
    /// Chooses the layout from the values that will be printed.
    pub(crate) fn new<T: PrintFloat>(values: &[T]) -> FloatFormat {
        let finite: Vec<T> = values.iter().copied().filter(|x| x.finite()).collect();
        let nonzero = finite.iter().map(|x| x.abs()).filter(|x| !x.is_zero());
        let (max, min) = nonzero.fold((None, None), |(mx, mn): (Option<T>, Option<T>), x| {
            (Some(mx.map_or(x, |m| if x > m { x } else { m })), Some(mn.map_or(x, |m| if x < m { x } else { m })))
        });
        let exp_mode = match (max, min) {
            (Some(max), Some(min)) => max.to_f64() >= 1e8 || min.to_f64() < 1e-4 || max.div(min).to_f64() > 1000.0,
            _ => false,
        };
        let mut f = if finite.is_empty() {
            FloatFormat { exp: None, pad_left: 0, pad_right: 0 }
        } else if exp_mode {
            let parts: Vec<_> = finite.iter().map(|&x| scientific(x)).collect();
            let precision = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
            // NumPy's exponent width: at least 2 digits, more if some exponent needs them.
            let exp_digits = parts.iter().map(|p| p.2.unsigned_abs().to_string().len()).max().unwrap_or(2).max(2);
            let pad_left = parts.iter().map(|p| p.0.len()).max().unwrap_or(1);
            FloatFormat {
                exp: Some(ExpLayout { precision, exp_digits }),
                pad_left,
                pad_right: exp_digits + 2 + precision,
            }
        } else {
            let parts: Vec<_> = finite.iter().map(|&x| positional(x)).collect();
            let pad_left = parts.iter().map(|p| p.0.len()).max().unwrap_or(1);
            let pad_right = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
            FloatFormat { exp: None, pad_left, pad_right }
        };
        if finite.len() != values.len() {
            // Room for "nan" / "inf" / "-inf" in the same width as the numbers.
            let neg_inf = values.iter().any(|x| !x.finite() && !x.is_nan() && x.is_neg());
            let offset = f.pad_right + 1;
            f.pad_left =
                f.pad_left.max(3usize.saturating_sub(offset)).max((3 + usize::from(neg_inf)).saturating_sub(offset));
        }
        f
    }

    pub(crate) fn format<T: PrintFloat>(&self, x: T) -> String {
        if !x.finite() {
            let s = non_finite(x);
            let width = self.pad_left + self.pad_right + 1;
            return format!("{s:>width$}");
        }
        let pad_left = self.pad_left;
        match &self.exp {
            Some(layout) => {
                let (int, frac, exp) = scientific(x);
                let precision = layout.precision;
                format!("{int:>pad_left$}.{frac:0<precision$}{}", exponent(exp, layout.exp_digits))
            }
            None => {
                let (int, frac) = positional(x);
                let pad_right = self.pad_right;
                format!("{int:>pad_left$}.{frac:<pad_right$}")
            }
        }
    }
}

/// NumPy's `str()` of a float scalar: positional with at least one fractional digit between
/// 1e-4 and 1e16 (`1.0`, `0.001`), scientific otherwise (`1e+20`, `1.5e-07`).
pub(crate) fn scalar<T: PrintFloat>(x: T) -> String {
    if !x.finite() {
        return non_finite(x).to_string();
    }
    let a = x.abs().to_f64();
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        let s = x.to_string();
        if s.contains('.') {
            s
        } else {
            s + ".0"
        }
    } else {
        let s = format!("{x:e}");
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        format!("{mant}{}", exponent(exp.parse().unwrap_or(0), 2))
    }
}
