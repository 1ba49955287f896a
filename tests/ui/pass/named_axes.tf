// check-pass
// flags: --print-signatures
// Reductions name their axis by number or by the dimension it has.

fn pool(x: f32[B, T, D]) -> f32[B, D] {
    mean(x, axis: T)
}

fn total(x: f32[B, T, D]) -> f32[D] {
    sum(x, axis: [B, -2])
}
