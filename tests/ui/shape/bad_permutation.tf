// error: E0313

fn f(x: f32[2, 3, 4]) -> f32[2, 2, 3] {
    permute(x, [0, 0, 1])
}
