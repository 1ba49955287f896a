// error: E0103, E0106
// Several broken statements: each is reported once, the rest still checked.

fn a() {
    let x = *
    let y = 3
    let z = + 
    let w = (1, )) 
}

fn b(x: f32) -> f32 {
    x +
}
