// check-pass

struct Batch[B] {
    x: f32[B, 4]
    y: i32[B]
}

fn split(b: Batch[N]) -> (f32[N, 4], i32[N]) {
    (b.x, b.y)
}

fn g(x: f32[3, 4], y: i32[3]) -> f32[3, 4] {
    let (a, _) = split(Batch(x: x, y: y))
    a
}
