// error: E0412

fn main() {
    let d = load_npz("data.npz")
    let x = d["x"]
}
