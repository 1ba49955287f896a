// Variables carried through `for`, `while` and `if`.

fn main() {
    var h = zeros[4]()
    var steps = 0
    for t in 0..10 {
        h = tanh(h + 0.1)
        if t % 2 == 0 {
            steps += 1
        }
    }
    while steps < 20 {
        steps += 3
    }
    print("{h} {steps}")
}
