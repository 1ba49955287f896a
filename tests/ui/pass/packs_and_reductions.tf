// check-pass

fn normalise[..S, C](x: f32[..S, C]) -> f32[..S, C] {
    let mu = mean(x, axis: -1, keepdims: true)
    let var_ = mean((x - mu) ** 2, axis: -1, keepdims: true)
    (x - mu) / sqrt(var_ + 1e-5)
}

fn g(x: f32[2, 3, 4]) -> f32[2, 3, 4] {
    normalise(x)
}
