// error: E0104

fn f(x: f32[4]) -> f32[4] {
    x * 2.0
