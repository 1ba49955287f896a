// A small convolutional network for 28×28 grey-scale digits:
// conv 3×3 (32) → ReLU → max-pool 2 → conv 3×3 (64) → ReLU → max-pool 2 → dense 128 → dense 10.

model Cnn {
    c1: Conv2d[1, 32, 3]
    c2: Conv2d[32, 64, 3]
    d1: Dense[1600, 128]
    d2: Dense[128, 10]

    fn apply(self, x: f32[B, 1, 28, 28]) -> f32[B, 10] {
        let h1 = max_pool2d(relu(self.c1(x)), 2)      // f32[B, 32, 13, 13]
        let h2 = max_pool2d(relu(self.c2(h1)), 2)     // f32[B, 64, 5, 5]
        self.d2(relu(self.d1(flatten(h2))))
    }
}

fn loss(m: Cnn, x: f32[B, 1, 28, 28], y: i32[B]) -> f32 {
    mean(cross_entropy(m(x), y))
}

fn main() {
    // Fashion-MNIST from Debian's `dataset-fashion-mnist`; IDX bytes become the declared f32/i32.
    let images: f32[N, 28, 28] = load_idx("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
    let labels: i32[N] = load_idx("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz")
    let x = reshape[N, 1, 28, 28](images / 255.0)
    var m = Cnn.init(seed: 1)
    let batch = 64
    for epoch in 0..2 {
        for i in 0..N / batch {
            let xb = x[i * batch:(i + 1) * batch]
            let yb = labels[i * batch:(i + 1) * batch]
            let (l, g) = value_and_grad(loss)(m, xb, yb)
            m = m - 0.05 * g
            if i % 100 == 0 {
                print("epoch {epoch} step {i}: loss {l}")
            }
        }
    }
}
