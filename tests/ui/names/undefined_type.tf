// error: E0202

fn f(x: f23[4]) -> f32 {
    sum(x)
}
