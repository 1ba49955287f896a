// check-pass

fn f(x: f32[T, 8], w: f32[8, 8]) -> f32[8] {
    var h = zeros[8]()
    var i = 0
    while i < 3 {
        i += 1
    }
    for t in 0..T {
        h = if t % 2 == 0 { tanh(x[t] @ w + h) } else { h }
    }
    for row in x {
        h = h + row
    }
    h
}
