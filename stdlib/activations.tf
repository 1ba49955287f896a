// Activation functions, elementwise or over the last axis, for tensors of any shape.

/// Rectified linear unit: `max(x, 0)`, elementwise.
fn relu[..S](x: f32[..S]) -> f32[..S] {
    maximum(x, 0.0)
}

/// Leaky ReLU: `x` where positive, `slope * x` elsewhere.
fn leaky_relu[..S](x: f32[..S], slope: f32 = 0.01) -> f32[..S] {
    where(x > 0.0, x, slope * x)
}

/// Gaussian error linear unit (tanh approximation).
fn gelu[..S](x: f32[..S]) -> f32[..S] {
    0.5 * x * (1.0 + tanh(0.7978845608 * (x + 0.044715 * x ** 3)))
}

/// Softmax over the last axis; each row sums to one. Shifted by the row maximum for stability.
fn softmax[..S, C](x: f32[..S, C]) -> f32[..S, C] {
    let e = exp(x - max(x, axis: -1, keepdims: true))
    e / sum(e, axis: -1, keepdims: true)
}

/// Logarithm of `softmax` over the last axis, computed without overflow.
fn log_softmax[..S, C](x: f32[..S, C]) -> f32[..S, C] {
    let z = x - max(x, axis: -1, keepdims: true)
    z - log(sum(exp(z), axis: -1, keepdims: true))
}

/// The derivative of `log_softmax`, written out: the cotangent minus `softmax(x)` times the
/// cotangent's sum over the last axis. Cheaper and better conditioned than differentiating the
/// shifted exponentials above.
derivative log_softmax(x, dy) {
    dy - softmax(x) * sum(dy, axis: -1, keepdims: true)
}
