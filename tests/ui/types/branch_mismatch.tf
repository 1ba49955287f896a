// error: E0416

fn f(x: f32[B, 128], train: bool) -> f32[B, 128] {
    let y = if train { x * 0.5 } else { (1, 2) }
    x
}
