// error: E0311

fn f() {
    let h = zeros()
}
