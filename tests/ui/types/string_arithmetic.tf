// error: E0408

fn f() {
    let s = "a" * 2
}
