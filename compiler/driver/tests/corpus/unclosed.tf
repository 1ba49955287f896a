fn f(x: f32[4]) -> f32[4] {
    let y = (x * 2.0
    y[0:
