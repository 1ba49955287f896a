// Parameter initialisers. Each takes an explicit seed; inside a `param` initialiser the name
// `seed` is that parameter's own seed, derived from the model's seed and the parameter's path.

/// Normally distributed values with mean 0 and standard deviation `std`.
fn normal[..S](seed: i64, std: f32 = 0.01) -> f32[..S] {
    random_normal(seed, 0.0, std)
}

/// Uniformly distributed values in `[-limit, limit)`.
fn uniform[..S](seed: i64, limit: f32 = 0.05) -> f32[..S] {
    random_uniform(seed, -limit, limit)
}

/// Glorot/Xavier uniform for a weight matrix: limit `sqrt(6 / (fan_in + fan_out))`.
fn glorot_uniform[I, O](seed: i64) -> f32[I, O] {
    let limit = sqrt(6.0 / f32(I + O))
    random_uniform[I, O](seed, -limit, limit)
}

/// Glorot/Xavier normal for a weight matrix: std `sqrt(2 / (fan_in + fan_out))`.
fn glorot_normal[I, O](seed: i64) -> f32[I, O] {
    random_normal[I, O](seed, 0.0, sqrt(2.0 / f32(I + O)))
}

/// He/Kaiming normal for a weight matrix feeding a ReLU: std `sqrt(2 / fan_in)`.
fn he_normal[I, O](seed: i64) -> f32[I, O] {
    random_normal[I, O](seed, 0.0, sqrt(2.0 / f32(I)))
}

/// He/Kaiming normal for a convolution kernel `[out, in, kh, kw]`: fan_in is `in * kh * kw`.
fn he_normal_conv[O, C, KH, KW](seed: i64) -> f32[O, C, KH, KW] {
    random_normal[O, C, KH, KW](seed, 0.0, sqrt(2.0 / f32(C * KH * KW)))
}
