// Compile-time gradients of an MLP against JAX (fixture made by scripts/make_reference_fixtures.py).
// Prints the largest relative difference of the loss and of each gradient.

fn loss(w1: f32[8, 32], b1: f32[32], w2: f32[32, 4], b2: f32[4], x: f32[B, 8], y: i32[B]) -> f32 {
    let h = relu(x @ w1 + b1)
    mean(cross_entropy(h @ w2 + b2, y))
}

/// max |a - b| / max(max |b|, 1e-6)
fn rel[..S](a: f32[..S], b: f32[..S]) -> f32 {
    max(abs(a - b)) / maximum(max(abs(b)), 1e-6)
}

fn main() {
    let d = load_npz("tests/reference/mlp.npz")
    let x: f32[B, 8] = d["x"]
    let y: i32[B] = d["y"]
    let w1: f32[8, 32] = d["w1"]
    let b1: f32[32] = d["b1"]
    let w2: f32[32, 4] = d["w2"]
    let b2: f32[4] = d["b2"]
    let want: f32 = d["loss"]
    let (l, g_w1) = value_and_grad(loss, wrt: 0)(w1, b1, w2, b2, x, y)
    let g_b1 = grad(loss, wrt: 1)(w1, b1, w2, b2, x, y)
    let g_w2 = grad(loss, wrt: 2)(w1, b1, w2, b2, x, y)
    let g_b2 = grad(loss, wrt: 3)(w1, b1, w2, b2, x, y)
    let e_w1: f32[8, 32] = d["grad_w1"]
    let e_b1: f32[32] = d["grad_b1"]
    let e_w2: f32[32, 4] = d["grad_w2"]
    let e_b2: f32[4] = d["grad_b2"]
    print("loss {rel(l, want)}")
    print("w1 {rel(g_w1, e_w1)}")
    print("b1 {rel(g_b1, e_b1)}")
    print("w2 {rel(g_w2, e_w2)}")
    print("b2 {rel(g_b2, e_b2)}")
}
