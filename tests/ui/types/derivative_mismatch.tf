// error: E0418
// Derivative rules must name a function of the file and take its parameters plus a cotangent.

fn square(x: f32[N]) -> f32[N] {
    x * x
}

derivative square(x) {
    x
}

derivative cube(x, dy) {
    dy
}
