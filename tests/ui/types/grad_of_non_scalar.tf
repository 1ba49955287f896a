// error: E0417

fn f(x: f32[3]) -> f32[3] {
    x * 2.0
}

fn main() {
    let g = grad(f)
}
