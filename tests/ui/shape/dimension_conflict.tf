// error: E0310

fn add[N](a: f32[N], b: f32[N]) -> f32[N] {
    a + b
}

fn f() -> f32[3] {
    add(zeros[3](), zeros[4]())
}
