// error: E0303

fn head(x: f32[B, 10]) -> f32[B, 5] {
    x
}
