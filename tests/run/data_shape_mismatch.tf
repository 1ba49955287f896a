// exit: 3
// A data file whose shape disagrees with the declaration stops the program at the declaration.

fn main() {
    let d = load_npz("tests/reference/mlp.npz")
    let x: f32[B, 9] = d["x"]
    print("{x}")
}
