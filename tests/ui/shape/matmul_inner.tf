// error: E0301

model Dense[I, O] {
    param w: f32[I, O] = zeros()
    param b: f32[O] = zeros()
}

fn apply(d: Dense[128, 10], x: f32[B, 64]) -> f32[B, 10] {
    x @ d.w + d.b
}
