// Classifies 8×8 handwritten digits with a two-layer perceptron trained by plain SGD.
// The data (1,797 images of 64 pixels, labels 0–9) is read from a NumPy archive; its shapes
// are declared below and checked against the file when the program runs.

model Mlp {
    l1: Dense[64, 128]
    l2: Dense[128, 10]

    fn apply(self, x: f32[B, 64]) -> f32[B, 10] {
        self.l2(relu(self.l1(x)))
    }
}

/// Mean cross-entropy of a batch.
fn loss(m: Mlp, x: f32[B, 64], y: i32[B]) -> f32 {
    mean(cross_entropy(m(x), y))
}

fn main() {
    let data = load_npz("examples/data/digits.npz")
    let x: f32[N, 64] = data["x"]
    let y: i32[N] = data["y"]
    let n_train = N * 4 / 5
    let (x_train, y_train) = (x[:n_train], y[:n_train])
    let (x_test, y_test) = (x[n_train:], y[n_train:])

    var m = Mlp.init(seed: 42)
    let lr = 0.1
    let batch = 64
    for epoch in 0..20 {
        for i in 0..n_train / batch {
            let xb = x_train[i * batch:(i + 1) * batch]
            let yb = y_train[i * batch:(i + 1) * batch]
            let (l, g) = value_and_grad(loss)(m, xb, yb)
            m = m - lr * g
        }
        print("epoch {epoch}: test accuracy {accuracy(m(x_test), y_test)}")
    }
}
