// error: E0205

fn f(x: f32[2, 3]) -> f32 {
    x.size
}
