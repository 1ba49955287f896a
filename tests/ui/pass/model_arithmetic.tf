// check-pass

model Lin {
    param w: f32[4, 4] = zeros()
}

fn loss(m: Lin, x: f32[4]) -> f32 {
    sum(x @ m.w)
}

fn main() {
    var m = Lin.init(seed: 1)
    let (l, g) = value_and_grad(loss)(m, ones[4]())
    m = m - 0.1 * g
    print("loss {l}")
}
