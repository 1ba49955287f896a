// error: E0401

model Mlp {
    param w: f32[3] = zeros()
}

fn f(m: Mlp) -> f32 {
    sum(m.w)
}

fn g() -> f32 {
    f(zeros[3]())
}
