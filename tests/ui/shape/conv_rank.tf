// error: E0312

fn f(x: f32[28, 28], w: f32[1, 1, 3, 3]) -> f32 {
    sum(conv2d(x, w))
}
