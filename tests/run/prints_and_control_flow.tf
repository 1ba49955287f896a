// Values, interpolation, loops carrying variables, `if` and `while`.

fn main() {
    let x: f32[2, 3] = ones()
    var h = zeros[3]()
    var count = 0
    for t in 0..5 {
        h = h + x[t % 2] * 0.5
        if t % 2 == 0 {
            count += 1
        }
    }
    while count < 10 {
        count += 4
    }
    print("h = {h}, count = {count}")
    print("sum {sum(x)} mean {mean(x, axis: 1)} max {max(h)}")
}
