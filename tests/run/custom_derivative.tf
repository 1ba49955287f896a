// A hand-written derivative rule is used instead of the automatic one: this rule deliberately
// says d/dx x² = 10·x, so the gradient shows which one ran.

fn square(x: f32[N]) -> f32[N] {
    x * x
}

derivative square(x, dy) {
    10.0 * x * dy
}

fn loss(x: f32[3]) -> f32 {
    sum(square(x))
}

fn main() {
    let x = stack([1.0, 2.0, 3.0])
    print("rule {grad(loss)(x)}, value {loss(x)}")
}
