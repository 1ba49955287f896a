// error: E0401

model M {
    param steps: i32[3] = zeros()
}
