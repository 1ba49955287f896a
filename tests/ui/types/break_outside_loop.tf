// error: E0415

fn f() {
    break
}
