// error: E0309

fn f(a: f32[3], b: f32[4]) -> f32[2, 3] {
    stack([a, b])
}
