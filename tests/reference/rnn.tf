// Compile-time gradients through a loop with a run-time trip count (a tanh recurrence) against JAX.

fn loss(wx: f32[5, 6], wh: f32[6, 6], b: f32[6], xs: f32[T, 5]) -> f32 {
    var h = zeros[6]()
    for t in 0..T {
        h = tanh(xs[t] @ wx + h @ wh + b)
    }
    sum(h * h)
}

fn rel[..S](a: f32[..S], b: f32[..S]) -> f32 {
    max(abs(a - b)) / maximum(max(abs(b)), 1e-6)
}

fn main() {
    let d = load_npz("tests/reference/rnn.npz")
    let xs: f32[T, 5] = d["xs"]
    let wx: f32[5, 6] = d["wx"]
    let wh: f32[6, 6] = d["wh"]
    let b: f32[6] = d["b"]
    let want: f32 = d["loss"]
    let (l, g_wx) = value_and_grad(loss, wrt: 0)(wx, wh, b, xs)
    let g_wh = grad(loss, wrt: 1)(wx, wh, b, xs)
    let g_b = grad(loss, wrt: 2)(wx, wh, b, xs)
    let e_wx: f32[5, 6] = d["grad_wx"]
    let e_wh: f32[6, 6] = d["grad_wh"]
    let e_b: f32[6] = d["grad_b"]
    print("loss {rel(l, want)}")
    print("wx {rel(g_wx, e_wx)}")
    print("wh {rel(g_wh, e_wh)}")
    print("b {rel(g_b, e_b)}")
}
