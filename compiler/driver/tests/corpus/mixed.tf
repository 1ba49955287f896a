fn f(x: f32[3], w: f32[4, 2]) -> f32[2] {
    let h = x @ w
    for i in 0.. {
        while { break }
    }
    return h[99999999999999999999]
}
fn main() { f(zeros[3](), zeros[4, 2]()) = 1 }
