// error: E0103

fn f(x: f32) -> f32 {
    let y = while
    x
}
