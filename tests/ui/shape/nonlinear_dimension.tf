// error: E0314

fn f(x: f32[H * W]) -> f32 {
    sum(x)
}
