// error: E0209

fn f(self, x: f32) -> f32 {
    x
}
