// error: E0404

fn f(a: f32) -> f32 {
    a
}

fn g() -> f32 {
    f(1.0, 2.0)
}
