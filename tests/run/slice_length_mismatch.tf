// exit: 3
// A slice whose length is known only at run time must match the size it is combined with.

fn main() {
    let x: f32[6] = ones()
    let y: f32[3] = zeros()
    for a in 0..2 {
        let z = x[a:a + 3 + a] + y
        print("{z}")
    }
}
