// error: E0408

fn f(x: f32) -> f32 {
    let y = not x
    x
}
