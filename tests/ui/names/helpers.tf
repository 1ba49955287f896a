// check-pass

/// Doubles its argument.
fn double(x: f32) -> f32 {
    x * 2.0
}

fn triple(x: f32) -> f32 {
    x * 3.0
}
