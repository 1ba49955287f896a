// error: E0414

fn f(x: f32) {
    sqrt(x) = 3.0
}
