// error: E0303

fn norm(x: f32[64]) -> f32 {
    sqrt(sum(x * x))
}

fn f(v: f32[32]) -> f32 {
    norm(v)
}
