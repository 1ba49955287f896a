// error: E0101, E0103
// Several broken statements and items in one file: each is reported once, and the items after
// them still parse.

fn a(x: f32[4]) -> f32[4] {
    let y = *
    let z = 3
    let w = x + # 1
    x
}

fn b( {
}

fn c() -> f32 { 1.0 }
