// check-pass

/// Dense layer.
model Lin[I, O] {
    param w: f32[I, O] = glorot_uniform(seed)
    param b: f32[O] = zeros()
    fn apply(self, x: f32[B, I]) -> f32[B, O] {
        x @ self.w + self.b
    }
}

model Mlp {
    l1: Lin[64, 128]
    l2: Lin[128, 10]
    fn apply(self, x: f32[B, 64]) -> f32[B, 10] {
        self.l2(relu(self.l1(x)))
    }
}

fn loss(m: Mlp, x: f32[B, 64], y: i32[B]) -> f32 {
    mean(cross_entropy(m(x), y))
}
