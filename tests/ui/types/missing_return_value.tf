// error: E0409

fn f(x: f32[3]) -> f32[3] {
    let y = x * 2.0
}
