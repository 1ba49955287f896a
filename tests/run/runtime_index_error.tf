// exit: 3
// An index known only at run time is checked, and the error points at it.

fn main() {
    let x: f32[2, 3] = ones()
    for k in 0..3 {
        print("row {k}: {x[k]}")
    }
}
