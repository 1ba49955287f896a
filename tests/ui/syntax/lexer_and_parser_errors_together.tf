// error: E0101
// error: E0103

fn f(x: f32) -> f32 {
    let a = x ? 1.0
    let b = x + * 2.0
    a
}
