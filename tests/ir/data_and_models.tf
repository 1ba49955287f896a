// Data of runtime size, a model with its initialisers, slicing with symbolic lengths.

model Linear {
    param w: f32[3] = normal(seed, std: 0.1)
    param b: f32 = zeros()
    fn apply(self, x: f32[N, 3]) -> f32[N] {
        x @ self.w + self.b
    }
}

fn main() {
    let d = load_npz("data.npz")
    let x: f32[N, 3] = d["x"]
    let m = Linear.init(seed: 7)
    let half = N / 2
    let p = m(x[:half])
    print("{p}")
}
