// error: E0207

struct Batch {
    x: f32[B, 784]
    y: i32[B]
}
