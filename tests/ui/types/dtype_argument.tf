// error: E0402

fn scale(x: f64[3]) -> f64[3] {
    x * 2.0
}

fn f(x: f32[3]) -> f64[3] {
    scale(x)
}
