// Compile-time gradients through an `if` (the then branch is taken) against JAX.

fn loss(x: f32[5]) -> f32 {
    if sum(x) > 0.0 {
        sum(exp(x) * x)
    } else {
        sum(x * x * x)
    }
}

fn rel[..S](a: f32[..S], b: f32[..S]) -> f32 {
    max(abs(a - b)) / maximum(max(abs(b)), 1e-6)
}

fn main() {
    let d = load_npz("tests/reference/branch_then.npz")
    let x: f32[5] = d["x"]
    let want: f32 = d["loss"]
    let e_x: f32[5] = d["grad_x"]
    let (l, g_x) = value_and_grad(loss)(x)
    print("loss {rel(l, want)}")
    print("x {rel(g_x, e_x)}")
}
