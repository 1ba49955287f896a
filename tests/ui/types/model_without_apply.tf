// error: E0403

model Table {
    param t: f32[4] = zeros()
}

fn f(m: Table, x: f32[4]) -> f32[4] {
    m(x)
}
