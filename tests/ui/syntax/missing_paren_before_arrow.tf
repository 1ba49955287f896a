// error: E0103

fn f(x: f32[B, 4] -> f32[B] {
    sum(x, axis: 1)
}
