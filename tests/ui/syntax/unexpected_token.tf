// error: E0103
// A binary operator with nothing on its left: the parser reports the operator and carries on.

fn double(x: f32[4]) -> f32[4] {
    x * 2.0
}

fn half(x: f32[4]) -> f32[4] {
    let y = * x
    x / 2.0
}
