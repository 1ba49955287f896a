// Reads token sequences of any length, one token at a time, with a GRU — no padding.
// `T` differs from sentence to sentence; one compiled `encode` serves every length.

model Encoder {
    embed: Embedding[10000, 64]
    cell: GruCell[64, 128]
    head: Dense[128, 2]

    /// The final hidden state after reading every token.
    fn encode(self, tokens: i32[T]) -> f32[128] {
        var h = zeros[128]()
        for t in 0..T {
            h = self.cell(self.embed(tokens[t]), h)
        }
        h
    }

    /// Class logits for one sentence.
    fn apply(self, tokens: i32[T]) -> f32[2] {
        let h = reshape[1, 128](self.encode(tokens))
        reshape[2](self.head(h))
    }
}

fn loss(m: Encoder, tokens: i32[T], label: i32) -> f32 {
    let logits = reshape[1, 2](m(tokens))
    mean(cross_entropy(logits, reshape[1](label)))
}

fn main() {
    let data = load_npz("examples/data/sentences.npz")
    let tokens: i32[L] = data["tokens"]        // every sentence, end to end
    let offsets: i64[S] = data["offsets"]      // sentence s is tokens[offsets[s]:offsets[s + 1]]
    let labels: i32[S] = data["labels"]
    var m = Encoder.init(seed: 7)
    for epoch in 0..5 {
        var total = 0.0
        for s in 0..S - 1 {
            let sentence = tokens[offsets[s]:offsets[s + 1]]
            let (l, g) = value_and_grad(loss)(m, sentence, labels[s])
            m = m - 0.05 * g
            total += l
        }
        print("epoch {epoch}: mean loss {total / f32(S - 1)}")
    }
}
