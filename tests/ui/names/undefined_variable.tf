// error: E0201

fn f(x: f32[3]) -> f32[3] {
    let hidden = x * 2.0
    hiden + 1.0
}
