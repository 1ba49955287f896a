// error: E0209

fn f(x: f32) -> f32 {
    self
}
