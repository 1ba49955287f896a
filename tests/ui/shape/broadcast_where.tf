// error: E0302

fn f(c: bool[3], a: f32[4]) -> f32[4] {
    where(c, a, 0.0)
}
