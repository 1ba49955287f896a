// error: E0405

fn f(x: f32[B, 4]) -> f32[B] {
    sum(x, axes: 1)
}
