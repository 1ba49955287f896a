//! The shape algebra seen through small programs: broadcasting, matmul, unification of
//! generic dimensions, linear dimension arithmetic, reshape, indexing and runtime checks.

mod common;

use common::{check_src, codes};

fn clean(src: &str) {
    let c = check_src(src);
    assert!(c.diagnostics.is_empty(), "expected no diagnostics, got {:#?}", c.diagnostics);
}

fn fails(src: &str, code: &str) {
    let got = codes(src);
    assert!(got.iter().any(|(c, _)| c == code), "expected {code}, got {got:?}");
    assert_eq!(got.len(), 1, "expected exactly one diagnostic, got {got:?}");
}

/// The inferred signature of function `name`.
fn sig(src: &str, name: &str) -> String {
    let c = check_src(src);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    c.signatures.iter().find(|s| s.name == name).map(|s| s.text.clone()).unwrap_or_default()
}

#[test]
fn broadcasting_follows_numpy() {
    clean("fn f(a: f32[B, 3], b: f32[3]) -> f32[B, 3] { a + b }");
    clean("fn f(a: f32[B, 1], b: f32[1, C]) -> f32[B, C] { a * b }");
    clean("fn f(a: f32[4, 1, 3], b: f32[5, 1]) -> f32[4, 5, 3] { a - b }");
    clean("fn f(a: f32[B, 3]) -> f32[B, 3] { a + 1 }");
    fails("fn f(a: f32[B, 3], b: f32[4]) -> f32[B, 3] { a + b }", "E0302");
    fails("fn f(a: f32[B], b: f32[C]) -> f32[B] { a + b }", "E0302");
    assert_eq!(sig("fn f(a: f32[B, 1], b: f32[C]) { a + b }", "f"), "fn f[B, C](a: f32[B, 1], b: f32[C]) -> f32[B, C]");
}

#[test]
fn broadcasting_with_packs() {
    clean("fn f[..S](a: f32[..S], b: f32[..S]) -> f32[..S] { a * b + 2.0 }");
    clean("fn f[..S, C](a: f32[..S, C], b: f32[C]) -> f32[..S, C] { a + b }");
}

#[test]
fn matmul_shapes() {
    assert_eq!(
        sig("fn f(a: f32[B, K], b: f32[K, N]) { a @ b }", "f"),
        "fn f[B, K, N](a: f32[B, K], b: f32[K, N]) -> f32[B, N]"
    );
    assert_eq!(sig("fn f(a: f32[K], b: f32[K, N]) { a @ b }", "f"), "fn f[K, N](a: f32[K], b: f32[K, N]) -> f32[N]");
    assert_eq!(sig("fn f(a: f32[M, K], b: f32[K]) { a @ b }", "f"), "fn f[M, K](a: f32[M, K], b: f32[K]) -> f32[M]");
    assert_eq!(sig("fn f(a: f32[K], b: f32[K]) { a @ b }", "f"), "fn f[K](a: f32[K], b: f32[K]) -> f32");
    assert_eq!(
        sig("fn f(a: f32[H, 1, M, K], b: f32[Z, K, N]) { a @ b }", "f"),
        "fn f[H, M, K, Z, N](a: f32[H, 1, M, K], b: f32[Z, K, N]) -> f32[H, Z, M, N]"
    );
    fails("fn f(x: f32[B, 64], w: f32[128, 10]) -> f32[B, 10] { x @ w }", "E0301");
    fails("fn f(x: f32, w: f32[3]) -> f32[3] { x @ w }", "E0312");
}

#[test]
fn generics_unify_at_calls() {
    let lib = "fn add[N](a: f32[N], b: f32[N]) -> f32[N] { a + b }\n";
    clean(&format!("{lib}fn g(x: f32[3]) -> f32[3] {{ add(x, x) }}"));
    fails(&format!("{lib}fn g(x: f32[3], y: f32[4]) -> f32[3] {{ add(x, y) }}"), "E0310");
    // `T - 1` in a parameter solves T from the argument.
    let shift = "fn tail(x: f32[T - 1]) -> f32[T] { concat([x, zeros[1]()]) }\n";
    clean(&format!("{shift}fn g(x: f32[9]) -> f32[10] {{ tail(x) }}"));
    fails(&format!("{shift}fn g(x: f32[9]) -> f32[9] {{ tail(x) }}"), "E0303");
}

#[test]
fn linear_dimension_arithmetic() {
    clean("fn f(x: f32[2 * H]) -> f32[H + H] { x }");
    clean("fn f(x: f32[T]) -> f32[T - 1] { x[1:] }");
    clean("fn f(x: f32[T]) -> f32[T - 2] { x[1:-1] }");
    fails("fn f(x: f32[T]) -> f32[T] { x[1:] }", "E0303");
    clean("fn f(a: f32[T], b: f32[T]) -> f32[2 * T] { concat([a, b]) }");
}

#[test]
fn reshape_compares_element_counts() {
    clean("fn f(x: f32[B, 7, 7, 64]) -> f32[B, 3136] { reshape[B, 3136](x) }");
    clean("fn f(x: f32[B, 7, 7, 64]) -> f32[B, 3136] { flatten(x) }");
    fails("fn f(x: f32[B, 7, 7, 64]) -> f32[B, 3000] { reshape[B, 3000](x) }", "E0305");
}

#[test]
fn reductions_and_axes() {
    assert_eq!(sig("fn f(x: f32[B, C]) { sum(x, axis: 1) }", "f"), "fn f[B, C](x: f32[B, C]) -> f32[B]");
    assert_eq!(
        sig("fn f(x: f32[B, C]) { max(x, axis: -1, keepdims: true) }", "f"),
        "fn f[B, C](x: f32[B, C]) -> f32[B, 1]"
    );
    assert_eq!(sig("fn f(x: f32[B, C, D]) { mean(x, axis: [0, 2]) }", "f"), "fn f[B, C, D](x: f32[B, C, D]) -> f32[C]");
    assert_eq!(sig("fn f(x: f32[B, C]) { argmax(x, axis: 1) }", "f"), "fn f[B, C](x: f32[B, C]) -> i64[B]");
    fails("fn f(x: f32[B, 10]) -> f32[B] { sum(x, axis: 2) }", "E0306");
}

#[test]
fn indexing_and_slicing() {
    assert_eq!(sig("fn f(x: f32[B, T, D]) { x[:, 1:5] }", "f"), "fn f[B, T, D](x: f32[B, T, D]) -> f32[B, 4, D]");
    assert_eq!(sig("fn f(x: f32[B, T, D]) { x[..., -1] }", "f"), "fn f[B, T, D](x: f32[B, T, D]) -> f32[B, T]");
    assert_eq!(sig("fn f(x: f32[B, T, D]) { x[0] }", "f"), "fn f[B, T, D](x: f32[B, T, D]) -> f32[T, D]");
    assert_eq!(
        sig("fn f(e: f32[V, D], t: i32[B, T]) { e[t] }", "f"),
        "fn f[V, D, B, T](e: f32[V, D], t: i32[B, T]) -> f32[B, T, D]"
    );
    assert_eq!(sig("fn f(x: f32[10]) { x[::3] }", "f"), "fn f(x: f32[10]) -> f32[4]");
    fails("fn f(x: f32[3]) -> f32 { x[3] }", "E0307");
    fails("fn f(x: f32[10]) -> f32[4] { x[8:12] }", "E0308");
    fails("fn f(x: f32[4, 4]) -> f32 { x[0, 1, 2] }", "E0304");
}

#[test]
fn runtime_sized_dimensions_become_checks() {
    let src = "fn main() {\n  let d = load_npz(\"a.npz\")\n  let x: f32[N, 64] = d[\"x\"]\n  let y: f32[M, 64] = d[\"y\"]\n  let z = x + y\n}";
    let c = check_src(src);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let descriptions: Vec<&str> = c.runtime_checks.iter().map(|r| r.description.as_str()).collect();
    assert!(descriptions.contains(&"N == M"), "{descriptions:?}");
    let at = c.runtime_checks.iter().find(|r| r.description == "N == M").unwrap().span;
    assert_eq!(&src[at.start as usize..at.end as usize], "x + y");
}

#[test]
fn runtime_dimension_against_a_constant_is_refined() {
    let src = "fn g(x: f32[64]) -> f32 { sum(x) }\nfn main() {\n  let x: f32[N] = load_npy(\"a.npy\")\n  let s = g(x)\n  let t: f32[64] = x\n}";
    let c = check_src(src);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    assert_eq!(c.runtime_checks.iter().filter(|r| r.description.contains("64")).count(), 1, "{:?}", c.runtime_checks);
}

#[test]
fn models_are_values() {
    let src = "model L { param w: f32[3, 4] = zeros() }\nfn step(m: L, g: L) -> L { m - 0.1 * g }\nfn bad(m: L) -> L { m + 1.0 * m.w }";
    assert_eq!(codes(src), vec![("E0408".to_string(), 3)]);
}

#[test]
fn untyped_data_must_be_declared() {
    fails("fn main() {\n  let x = load_npy(\"a.npy\")\n}", "E0412");
}

#[test]
fn axes_named_by_their_dimension() {
    assert_eq!(sig("fn f(x: f32[B, T, D]) { sum(x, axis: T) }", "f"), "fn f[B, T, D](x: f32[B, T, D]) -> f32[B, D]");
    assert_eq!(sig("fn f(x: f32[B, T, D]) { mean(x, axis: [B, T]) }", "f"), "fn f[B, T, D](x: f32[B, T, D]) -> f32[D]");
    fails("fn f(x: f32[T, T]) -> f32[T] { sum(x, axis: T) }", "E0306");
    fails("fn f(x: f32[B, D]) -> f32[B] { sum(x, axis: T) }", "E0201");
}
