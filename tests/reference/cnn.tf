// Compile-time gradients of a small CNN (conv 3×3, ReLU, max-pool 2, dense) against JAX.

fn loss(w: f32[4, 1, 3, 3], b: f32[4], wd: f32[36, 3], bd: f32[3], x: f32[2, 1, 8, 8], y: i32[2]) -> f32 {
    let c = relu(conv2d(x, w) + reshape[1, 4, 1, 1](b))
    let p = max_pool2d(c, 2)
    mean(cross_entropy(reshape[2, 36](p) @ wd + bd, y))
}

fn rel[..S](a: f32[..S], b: f32[..S]) -> f32 {
    max(abs(a - b)) / maximum(max(abs(b)), 1e-6)
}

fn main() {
    let d = load_npz("tests/reference/cnn.npz")
    let x: f32[2, 1, 8, 8] = d["x"]
    let y: i32[2] = d["y"]
    let w: f32[4, 1, 3, 3] = d["w"]
    let b: f32[4] = d["b"]
    let wd: f32[36, 3] = d["wd"]
    let bd: f32[3] = d["bd"]
    let want: f32 = d["loss"]
    let (l, g_w) = value_and_grad(loss, wrt: 0)(w, b, wd, bd, x, y)
    let g_b = grad(loss, wrt: 1)(w, b, wd, bd, x, y)
    let g_wd = grad(loss, wrt: 2)(w, b, wd, bd, x, y)
    let g_bd = grad(loss, wrt: 3)(w, b, wd, bd, x, y)
    let e_w: f32[4, 1, 3, 3] = d["grad_w"]
    let e_b: f32[4] = d["grad_b"]
    let e_wd: f32[36, 3] = d["grad_wd"]
    let e_bd: f32[3] = d["grad_bd"]
    print("loss {rel(l, want)}")
    print("w {rel(g_w, e_w)}")
    print("b {rel(g_b, e_b)}")
    print("wd {rel(g_wd, e_wd)}")
    print("bd {rel(g_bd, e_bd)}")
}
