// error: E0303

fn f(x: f32[T]) -> f32[T] {
    let y: f32[T] = x[1:]
    y
}
