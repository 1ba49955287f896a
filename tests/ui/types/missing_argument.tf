// error: E0406

fn scale(x: f32[N], by: f32) -> f32[N] {
    x * by
}

fn g(v: f32[3]) -> f32[3] {
    scale(v)
}
