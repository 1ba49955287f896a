// error: E0107

fn main() {
    print("a set: {}")
}
