// A shape-generic function called at two sizes, and a reduction.

fn scale(x: f32[N], by: f32 = 2.0) -> f32[N] {
    x * by
}

fn main() {
    let a: f32[3] = ones()
    let b = scale(a) + 1.0
    print("total {sum(scale(b, by: 0.5))}")
}
