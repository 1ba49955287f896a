// error: E0107

fn main() {
    let epoch = 3
    print("epoch {epoch")
}
