// error: E0409

fn f(n: i64) {
    f(n - 1)
}
