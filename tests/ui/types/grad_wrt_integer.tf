// error: E0417

fn f(x: f32[3], k: i32) -> f32 {
    sum(x)
}

fn main() {
    let g = grad(f, wrt: 1)
}
