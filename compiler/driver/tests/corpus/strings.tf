// Broken strings and interpolations.
fn f(e: i32) {
    print("epoch {e")
    print("loss: {}")
    print("open
    print("a {{ b }} {e + } c")
}
