// error: E0205

model Lin[I, O] {
    param w: f32[I, O] = zeros()
}

fn f(l: Lin[2, 3]) -> f32[2, 3] {
    l.weight
}
