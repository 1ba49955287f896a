// error: E0101
// `$` starts no token; the lexer reports it once and the parser does not add a second error.

fn scale(x: f32[3]) -> f32[3] {
    x $ 2.0
}
