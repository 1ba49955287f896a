// check-pass

fn main() {
    let d = load_npz("data.npz")
    let x: f32[N, 64] = d["x"]
    let w: f32[M, 10] = d["w"]
    let y = x @ w
    print("{y.T}")
}
