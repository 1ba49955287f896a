// Losses and metrics.

/// Mean squared error over all elements.
fn mse[..S](pred: f32[..S], target: f32[..S]) -> f32 {
    mean((pred - target) ** 2)
}

/// Cross-entropy of each example, from unnormalised logits and integer class labels.
fn cross_entropy[B, C](logits: f32[B, C], labels: i32[B]) -> f32[B] {
    -sum(log_softmax(logits) * one_hot[C](labels), axis: 1)
}

/// Cross-entropy of each example, from logits and one-hot (or soft) target distributions.
fn cross_entropy_onehot[B, C](logits: f32[B, C], targets: f32[B, C]) -> f32[B] {
    -sum(log_softmax(logits) * targets, axis: 1)
}

/// Binary cross-entropy from logits, elementwise; stable for large |logits|.
fn binary_cross_entropy[..S](logits: f32[..S], targets: f32[..S]) -> f32[..S] {
    maximum(logits, 0.0) - logits * targets + log1p(exp(-abs(logits)))
}

/// Fraction of examples whose highest logit is the label.
fn accuracy[B, C](logits: f32[B, C], labels: i32[B]) -> f32 {
    mean(f32(argmax(logits, axis: 1) == i64(labels)))
}
