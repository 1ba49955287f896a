// A gradient derived at compile time: `value_and_grad` calls a generated `_grad` function.

fn f(x: f32[3]) -> f32 {
    sum(tanh(x) * x)
}

fn main() {
    let x: f32[3] = ones()
    let (v, g) = value_and_grad(f)(x)
    print("{v} {g}")
}
