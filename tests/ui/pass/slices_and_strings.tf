// check-pass

fn f(x: f32[B, T, D]) -> f32[B, T - 1, D] {
    let a = x[:, 1:]
    let last = x[..., -1]
    print("shape ok {sum(last)} {{braces}}")
    a
}
