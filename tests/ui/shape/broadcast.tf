// error: E0302

fn f(a: f32[B, 3], b: f32[4]) -> f32[B, 3] {
    a + b
}
