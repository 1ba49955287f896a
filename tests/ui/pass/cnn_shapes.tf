// check-pass

fn f(x: f32[B, 1, 28, 28], w1: f32[32, 1, 3, 3], w2: f32[64, 32, 3, 3]) -> f32[B, 1600] {
    let h = max_pool2d(relu(conv2d(x, w1)), 2)
    let h2 = max_pool2d(relu(conv2d(h, w2)), 2)
    flatten(h2)
}
