// error: E0301

fn f(v: f32[3], m: f32[4, 5]) -> f32[5] {
    v @ m
}
