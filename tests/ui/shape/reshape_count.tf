// error: E0305

fn f(x: f32[B, 7, 7, 64]) -> f32[B, 3000] {
    reshape[B, 3000](x)
}
