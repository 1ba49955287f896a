// Gradients derived at compile time, checked against calculus by hand.

fn cube(x: f32[3]) -> f32 {
    sum(x * x * x)
}

fn main() {
    let x = stack([1.0, 2.0, -1.0])
    let (v, g) = value_and_grad(cube)(x)
    print("value {v}, gradient {g}")
    print("grad alone {grad(cube)(x)}")
}
