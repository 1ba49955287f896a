// error: E0201

fn f(x: f32[B, 10]) -> f32[B, 10] {
    sofmax(x)
}
