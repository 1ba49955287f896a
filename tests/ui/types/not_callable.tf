// error: E0403

fn f() -> f32 {
    let x = 3.0
    x(2)
}
