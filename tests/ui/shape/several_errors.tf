// error: E0201, E0303
// Several independent errors in one file are all reported, in source order.

fn a(x: f32[3]) -> f32[4] {
    x
}

fn b(x: f32) -> f32 {
    y
}

fn c(x: f32[2]) -> f32[3] {
    x
}
