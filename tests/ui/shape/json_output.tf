// error: E0301
// flags: --message-format json
// The JSON form of a diagnostic, for tools.

fn f(x: f32[B, 64], w: f32[128, 10]) -> f32[B, 10] {
    x @ w
}
