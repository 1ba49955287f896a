// Layers as models: parameters with shapes and initialisers, and an `apply` method.

/// Fully connected layer: `x @ w + b`.
model Dense[I, O] {
    /// Weights, Glorot-uniform initialised.
    param w: f32[I, O] = glorot_uniform(seed)
    /// Bias, zero initialised.
    param b: f32[O] = zeros()

    fn apply(self, x: f32[B, I]) -> f32[B, O] {
        x @ self.w + self.b
    }
}

/// 2-D convolution with a square K×K kernel, stride 1 and no padding, over `[N, C, H, W]`.
model Conv2d[C, O, K] {
    param w: f32[O, C, K, K] = he_normal_conv(seed)
    param b: f32[O] = zeros()

    fn apply(self, x: f32[N, C, H, W]) -> f32[N, O, H - K + 1, W - K + 1] {
        conv2d(x, self.w) + reshape[1, O, 1, 1](self.b)
    }
}

/// Token embedding: looks up a D-dimensional row of a V-row table for each token.
model Embedding[V, D] {
    param table: f32[V, D] = normal(seed, std: 0.1)

    fn apply(self, tokens: i32[..S]) -> f32[..S, D] {
        self.table[tokens]
    }
}

/// Gated recurrent unit cell: one step from input `x` and state `h` to the next state.
model GruCell[I, H] {
    param wz: f32[I, H] = glorot_uniform(seed)
    param uz: f32[H, H] = glorot_uniform(seed)
    param bz: f32[H] = zeros()
    param wr: f32[I, H] = glorot_uniform(seed)
    param ur: f32[H, H] = glorot_uniform(seed)
    param br: f32[H] = zeros()
    param wn: f32[I, H] = glorot_uniform(seed)
    param un: f32[H, H] = glorot_uniform(seed)
    param bn: f32[H] = zeros()

    fn apply(self, x: f32[I], h: f32[H]) -> f32[H] {
        let z = sigmoid(x @ self.wz + h @ self.uz + self.bz)
        let r = sigmoid(x @ self.wr + h @ self.ur + self.br)
        let n = tanh(x @ self.wn + (r * h) @ self.un + self.bn)
        (1.0 - z) * n + z * h
    }
}
