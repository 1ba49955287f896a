// Linear regression by gradient descent, with gradients derived at compile time.
// The data is synthetic: y = x·[2, -3, 0.5] + 1 + noise, so the fit should recover those numbers.

model Linear {
    param w: f32[3] = zeros()
    param b: f32 = zeros()

    fn apply(self, x: f32[N, 3]) -> f32[N] {
        x @ self.w + self.b
    }
}

/// Mean squared error of the model on a batch.
fn loss(m: Linear, x: f32[N, 3], y: f32[N]) -> f32 {
    mean((m(x) - y) ** 2)
}

fn main() {
    let x: f32[256, 3] = random_normal(seed: 1)
    let w_true = stack([2.0, -3.0, 0.5])
    let noise: f32[256] = random_normal(seed: 2, std: 0.01)
    let y = x @ w_true + 1.0 + noise
    var m = Linear.init(seed: 0)
    for step in 0..200 {
        let (l, g) = value_and_grad(loss)(m, x, y)
        m = m - 0.1 * g
        if step % 50 == 0 {
            print("step {step}: loss {l}")
        }
    }
    print("final loss {loss(m, x, y)}")
    print("w = {m.w}, b = {m.b}")
}
