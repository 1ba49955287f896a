// error: E0405

fn scale(x: f32, by: f32 = 2.0) -> f32 {
    x * by
}

fn g() -> f32 {
    scale(1.0, by: 2.0, by: 3.0)
}
