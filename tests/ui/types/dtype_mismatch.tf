// error: E0402

fn f(a: f32[3], b: i32[3]) -> f32[3] {
    a + b
}
