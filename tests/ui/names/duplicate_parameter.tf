// error: E0204

fn f(x: f32, x: f32) -> f32 {
    x
}
