// error: E0314

fn f(x: f32[B, 10], k: i64) -> f32[B] {
    sum(x, axis: k)
}
