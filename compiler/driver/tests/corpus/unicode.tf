fn f(x: f32[B, 64]) -> f32 {
	let é = x
    let y = x + 1
    sum(y, axis: -1) $ — 😀
}
