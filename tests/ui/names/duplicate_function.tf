// error: E0204

fn f(x: f32) -> f32 {
    x
}

fn f(x: f32) -> f32 {
    x * 2.0
}
