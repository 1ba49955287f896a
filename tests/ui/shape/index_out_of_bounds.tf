// error: E0307

fn f(x: f32[3]) -> f32 {
    x[3]
}
