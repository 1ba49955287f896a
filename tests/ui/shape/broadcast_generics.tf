// error: E0302

fn f(a: f32[N], b: f32[M]) -> f32[N] {
    a * b
}
