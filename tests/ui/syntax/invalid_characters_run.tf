// error: E0101

fn f() {
    let a = 1 ## 2
}
