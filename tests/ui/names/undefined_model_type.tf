// error: E0202

model Mlp {
    l1: Dnese[4, 4]
}
