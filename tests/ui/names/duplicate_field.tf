// error: E0204

struct Pair {
    a: f32
    a: i32
}
