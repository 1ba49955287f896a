// error: E0311

model Lin[I, O] {
    param w: f32[I, O] = zeros()
}

fn main() {
    let m = Lin.init(seed: 0)
}
