// error: E0106

fn f(x: f32) -> f32 {
    x
}
}
