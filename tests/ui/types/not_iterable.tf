// error: E0410

fn f() {
    for c in "abc" {
        print(c)
    }
}
