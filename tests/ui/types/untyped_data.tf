// error: E0412

fn main() {
    let x = load_npy("x.npy")
}
