model Dense[I, O] {
    param w: f32[I, , O] = glorot_uniform(
    param b: f32[O = zeros()
    fn apply(self, x: f32[B, I]) -> f32[B, O] { x @ self.w + }
}
struct S[N] { a: f32[N, ..], b }
