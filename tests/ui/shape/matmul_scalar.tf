// error: E0312

fn f(a: f32, b: f32[3]) -> f32[3] {
    a @ b
}
