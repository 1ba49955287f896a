//! The random-number definition every back end follows, so that a seed gives the same numbers
//! on the interpreter, the CPU and the GPU: element `i` of a `Random` op's result is a pure
//! function of `(seed, i)` (counter-based, no state), computed with SplitMix64 mixing.

/// 64 random bits for element `index` of a tensor drawn with `seed`.
pub fn bits(seed: i64, index: u64) -> u64 {
    let mut z = (seed as u64) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform number in `[0, 1)` with 53 random bits (callers round to f32 when needed).
pub fn unit(seed: i64, index: u64) -> f64 {
    (bits(seed, index) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal number for element `index` (Box–Muller on two independent uniforms).
pub fn normal(seed: i64, index: u64) -> f64 {
    let u1 = unit(seed, 2 * index);
    let u2 = unit(seed, 2 * index + 1);
    // 1 - u1 lies in (0, 1], so the logarithm is finite.
    (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_plausible() {
        assert_eq!(bits(7, 3), bits(7, 3));
        assert_ne!(bits(7, 3), bits(8, 3));
        let n = 20_000u64;
        let mean: f64 = (0..n).map(|i| unit(1, i)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
        let m2: f64 = (0..n).map(|i| normal(1, i).powi(2)).sum::<f64>() / n as f64;
        assert!((m2 - 1.0).abs() < 0.05, "{m2}");
    }
}
