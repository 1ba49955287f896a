// error: E0411

fn f() {
    let (a, b) = (1, 2, 3)
}
