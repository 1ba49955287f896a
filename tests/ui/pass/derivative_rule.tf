// check-pass
// A derivative rule for a function of two float parameters and an integer one.

fn blend(a: f32[N], b: f32[N], k: i32) -> f32[N] {
    a * b
}

derivative blend(a, b, k, dy) {
    (dy * b, dy * a)
}
