// check-pass
// flags: --print-signatures --runtime-checks
// The signatures and run-time checks of a small program with data of runtime size.

fn center(x: f32[N, D]) -> f32[N, D] {
    x - mean(x, axis: 0, keepdims: true)
}

fn main() {
    let d = load_npz("data.npz")
    let x: f32[N, 64] = d["x"]
    let y: f32[M, 64] = d["y"]
    let both = concat([x, y])
    let z = center(x) + y
}
