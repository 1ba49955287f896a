// error: E0208

fn f(x: f32[3]) -> f32[3] {
    let y = x
    y = y * 2.0
    y
}
