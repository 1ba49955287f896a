// error: E0103
// error: E0201

model M {
    param w f32[3] = zeros()
    param b: f32[3] = zeros()
}

fn ok(x: f32[3]) -> f32[3] {
    x
}

fn broken( {
}

fn after(x: f32[3]) -> f32[3] {
    undefined_thing(x)
}
