// error: E0306

fn f(x: f32[B, 10]) -> f32 {
    sum(x, axis: [1, -1])
}
