//! Lowers whole programs (with the stdlib) and checks the IR verifies and reads as expected.

use tf_base::FileId;
use tf_check::checker::FnId;
use tf_check::{analyse, Module, Program};
use tf_ir::print::print_module;
use tf_ir::verify::verify_module;

fn lower(src: &str) -> Result<tf_ir::Module, Vec<String>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../stdlib");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    paths.sort();
    let mut texts: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    texts.push(src.to_string());
    let modules = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let parsed = tf_syntax::parse_file(FileId(i as u32), t);
            assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
            Module {
                name: i.to_string(),
                file: FileId(i as u32),
                ast: parsed.file,
                imports: vec![],
                is_stdlib: i + 1 < texts.len(),
            }
        })
        .collect();
    let program = Program { modules };
    let cx = analyse(&program);
    assert!(cx.diagnostics.is_empty(), "{:#?}", cx.diagnostics);
    let main = (0..cx.fns.len()).find(|&i| cx.fns[i].decl.name.name == "main" && cx.fns[i].owner.is_none()).unwrap();
    let m = tf_lower::lower_program(&cx, FnId(main as u32))
        .map_err(|ds| ds.iter().map(|d| d.message.clone()).collect::<Vec<_>>())?;
    if let Err(errors) = verify_module(&m) {
        panic!("IR does not verify: {errors:#?}\n{}", print_module(&m));
    }
    Ok(m)
}

#[test]
fn linear_regression_lowers() {
    let src = r#"
model Linear {
    param w: f32[3] = zeros()
    param b: f32 = zeros()
    fn apply(self, x: f32[N, 3]) -> f32[N] {
        x @ self.w + self.b
    }
}

fn loss(m: Linear, x: f32[N, 3], y: f32[N]) -> f32 {
    mean((m(x) - y) ** 2)
}

fn main() {
    let d = load_npz("data.npz")
    let x: f32[N, 3] = d["x"]
    let y: f32[N] = d["y"]
    var m = Linear.init(seed: 0)
    for step in 0..100 {
        let l = loss(m, x, y)
        if step % 10 == 0 {
            print("step {step}: loss {l}")
        }
    }
}
"#;
    let m = lower(src).unwrap();
    let text = print_module(&m);
    assert!(text.contains("call @loss"), "{text}");
    assert!(text.contains("fn Linear.apply("), "{text}");
    assert!(text.contains("for stacked=0"), "{text}");
}

#[test]
fn generic_stdlib_functions_and_packs_lower() {
    let src = r#"
fn main() {
    let x: f32[2, 5] = random_normal(seed: 3)
    let p = softmax(x)
    let r = relu(x - 0.5)
    let y: i32[2] = zeros()
    let l = mean(cross_entropy(x, y))
    print("{p} {r} {l}")
}
"#;
    let m = lower(src).unwrap();
    let text = print_module(&m);
    assert!(text.contains("fn softmax<1>[2,5]("), "{text}");
    assert!(text.contains("fn relu<2>[2,5]("), "{text}");
}

#[test]
fn loops_carry_variables_and_slices_have_symbolic_lengths() {
    let src = r#"
fn main() {
    let d = load_npz("data.npz")
    let x: f32[N, 4] = d["x"]
    var total = zeros[4]()
    var i = 0
    while i < N / 2 {
        total = total + x[i]
        i += 1
    }
    let head = x[:N / 2]
    let tail = x[1:]
    for row in x {
        total = total * row
    }
    print("{total} {head} {tail}")
}
"#;
    let m = lower(src).unwrap();
    let text = print_module(&m);
    assert!(text.contains("while"), "{text}");
    assert!(text.contains("slice[axis 0, step 1]"), "{text}");
}

#[test]
fn size_arithmetic_passes_through_calls() {
    let src = r#"
fn double(x: f32[T]) -> f32[2 * T] {
    concat([x, x])
}

fn main() {
    let d = load_npz("data.npz")
    let x: f32[N] = d["x"]
    let y = double(double(x))
    print("{y}")
}
"#;
    let m = lower(src).unwrap();
    assert!(print_module(&m).contains("call @double"));
}
