// error: E0304

fn dot(a: f32[N], b: f32[N]) -> f32 {
    sum(a * b)
}

fn f(m: f32[3, 3], v: f32[3]) -> f32 {
    dot(m, v)
}
