// check-pass

fn scale(x: f32[N], by: f32 = 2.0, shift: f32 = 0.0) -> f32[N] {
    x * by + shift
}

fn g(v: f32[3]) -> f32[3] {
    scale(v) + scale(v, shift: 1.0) + v.scale(by: 3.0)
}
