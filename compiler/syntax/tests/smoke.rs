//! Parses representative programs and checks the shape of the resulting tree and errors.

use tf_base::FileId;
use tf_syntax::ast::*;
use tf_syntax::parse_file;

fn parse_ok(src: &str) -> File {
    let p = parse_file(FileId(0), src);
    assert!(p.diagnostics.is_empty(), "unexpected diagnostics: {:#?}", p.diagnostics);
    p.file
}

fn codes(src: &str) -> Vec<(&'static str, usize)> {
    let p = parse_file(FileId(0), src);
    p.diagnostics
        .iter()
        .map(|d| {
            let line = src[..d.primary.span.start as usize].matches('\n').count() + 1;
            (d.code.as_str(), line)
        })
        .collect()
}

const BRIEF: &str = r#"
use layers

/// Dense layer: parameters are declared with their shapes and initialisers.
model Dense[I, O] {
    /// The weights.
    param w: f32[I, O] = glorot_uniform()
    param b: f32[O] = zeros()
    fn apply(self, x: f32[B, I]) -> f32[B, O] {
        x @ self.w + self.b
    }
}

struct Pair[N] { a: f32[N], b: i32[N] }

fn loss(m: Mlp, x: f32[B, 64], y: i32[B]) -> f32 {
    mean(cross_entropy(m(x), y))
}

fn main() {
    let data = load_npz("examples/data/digits.npz")
    let x: f32[N, 64] = data["x"]
    let (train, test) = split((x, y), 0.8, seed: 0)
    var m = Mlp.init(seed: 42)
    for epoch in 0..20 {
        for (xb, yb) in batches(train, 64, shuffle: true) {
            let (l, g) = value_and_grad(loss)(m, xb, yb)
            m = opt.step(m, g)
        }
        print("epoch {epoch}: test accuracy {accuracy(m(test.x), test.y)}")
    }
    let y = if a > 1 and not b { x[:, 1:5] } else { x[..., -1] }
    let z = -x ** 2 * 1.5e-3 + t.0
    while i < T - 1 { i += 1; continue }
    return
}
"#;

#[test]
fn parses_the_brief() {
    let file = parse_ok(BRIEF);
    assert_eq!(file.items.len(), 5);
    let ItemKind::Model(m) = &file.items[1].kind else { panic!() };
    assert_eq!(file.items[1].docs, vec!["Dense layer: parameters are declared with their shapes and initialisers."]);
    assert_eq!(m.members.len(), 3);
    assert_eq!(m.members[0].docs, vec!["The weights."]);
    let ItemKind::Struct(s) = &file.items[2].kind else { panic!() };
    assert_eq!(s.fields.len(), 2);
}

#[test]
fn power_binds_tighter_than_negation() {
    let file = parse_ok("fn f() { -x ** 2 }");
    let ItemKind::Fn(f) = &file.items[0].kind else { panic!() };
    let StmtKind::Expr(e) = &f.body.stmts[0].kind else { panic!() };
    assert!(matches!(e.kind, ExprKind::Unary { op: UnOp::Neg, .. }));
}

#[test]
fn interpolation_spans_point_into_the_string() {
    let src = "fn f() { print(\"a {x + 1} b\") }";
    let file = parse_ok(src);
    let ItemKind::Fn(f) = &file.items[0].kind else { panic!() };
    let StmtKind::Expr(call) = &f.body.stmts[0].kind else { panic!() };
    let ExprKind::Call { args, .. } = &call.kind else { panic!() };
    let ExprKind::Str(parts) = &args[0].value.kind else { panic!() };
    let StrPart::Expr(inner) = &parts[1] else { panic!() };
    assert_eq!(&src[inner.span.range()], "x + 1");
}

#[test]
fn several_errors_are_each_reported_once() {
    let src = "fn a() {\n    let x = *\n    let y = 3\n    let z = + \n}\nfn b( {\n}\nfn c() { 1 }\n";
    assert_eq!(codes(src), vec![("E0103", 2), ("E0103", 4), ("E0103", 6)]);
}

#[test]
fn lexical_errors() {
    assert_eq!(codes("fn f() { let x = 3 $ 4 }"), vec![("E0101", 1)]);
    assert_eq!(codes("fn f() { print(\"abc) }\n"), vec![("E0102", 1)]);
    assert_eq!(codes("fn f() { f(x] }"), vec![("E0106", 1)]);
    assert_eq!(codes("fn f() { 99999999999999999999 }"), vec![("E0105", 1)]);
    assert_eq!(codes("fn f() { \"{x\" }"), vec![("E0107", 1)]);
    assert_eq!(codes("fn f() {\n  let x = 1\n"), vec![("E0104", 3)]);
}

#[test]
fn very_deep_expressions_are_cut_without_overflowing_the_stack() {
    let sum = vec!["x"; 200_000].join(" + ");
    let src = format!("fn f(x: f32) -> f32 {{\n    {sum}\n}}\n");
    assert_eq!(codes(&src), vec![("E0108", 2)]);
    let negs = "- ".repeat(100_000);
    assert_eq!(codes(&format!("fn f(x: f32) -> f32 {{ {negs}x }}")), vec![("E0108", 1)]);
}
