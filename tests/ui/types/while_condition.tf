// error: E0407

fn f() {
    var i = 0
    while i {
        i += 1
    }
}
