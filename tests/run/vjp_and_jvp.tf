// Reverse and forward mode on a vector function, against calculus: f(x) = x², so the
// pull-back of v is 2·x·v and the push-forward of u is 2·x·u.

fn square(x: f32[3]) -> f32[3] {
    x * x
}

fn main() {
    let x = stack([1.0, -2.0, 3.0])
    let v = stack([1.0, 1.0, 0.5])
    let (y, pulled) = vjp(square)(x, v)
    let (y2, pushed) = jvp(square)(x, v)
    print("y {y} vjp {pulled}")
    print("y {y2} jvp {pushed}")
}
