// error: E0413

model Dense[I, O] {
    param w: f32[I, O] = zeros()
}

fn f(d: Dense[4]) {
}
