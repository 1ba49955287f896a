// error: E0304
// A rule returns the cotangent of the function's parameter, with that parameter's type.

fn total(x: f32[N]) -> f32 {
    sum(x)
}

derivative total(x, g) {
    g
}
