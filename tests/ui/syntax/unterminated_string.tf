// error: E0102

fn main() {
    print("loss: {l}
}
