//! Benchmark: parse and check a generated 2,000-line program together with the stdlib, as
//! `tfc check` does. Prints the median and min–max of repeated runs (target: under 50 ms).
//! Run with `cargo bench -p tf-check --bench check_speed`.

use std::time::{Duration, Instant};

use tf_base::FileId;
use tf_check::{check, Module, Program};

/// A program of roughly `lines` lines: models, shape-generic functions, loops and a `main`.
fn generate(lines: usize) -> String {
    let mut src = String::new();
    let mut i = 0;
    while src.lines().count() < lines {
        src.push_str(&format!(
            "/// Block {i}.\nmodel Block{i} {{\n    l1: Dense[64, 128]\n    l2: Dense[128, 64]\n    fn apply(self, x: f32[B, 64]) -> f32[B, 64] {{\n        let h = relu(self.l1(x))\n        x + self.l2(h)\n    }}\n}}\n\n\
             fn score{i}(m: Block{i}, x: f32[B, 64], y: i32[B], w: f32[64, 10]) -> f32 {{\n    let h = m(x)\n    let logits = h @ w\n    let p = softmax(logits)\n    let s = sum(p * one_hot[10](y), axis: 1)\n    mean(cross_entropy(logits, y)) - 0.01 * mean(s)\n}}\n\n\
             fn seq{i}(x: f32[T, 64], w: f32[64, 64]) -> f32[64] {{\n    var h = zeros[64]()\n    for t in 0..T {{\n        h = tanh(x[t] @ w + h)\n    }}\n    let pooled = mean(x[1:], axis: 0)\n    h + pooled\n}}\n\n"
        ));
        i += 1;
    }
    src.push_str("fn main() {\n    let d = load_npz(\"data.npz\")\n    let x: f32[N, 64] = d[\"x\"]\n    print(\"{sum(x)}\")\n}\n");
    src
}

fn stdlib() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../stdlib");
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("stdlib directory").flatten().map(|e| e.path()).collect();
    files.sort();
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read_to_string(&p).expect("stdlib file"))).collect()
}

fn run(user: &str, lib: &[(String, String)]) -> usize {
    let mut modules = Vec::new();
    for (i, (name, text)) in lib.iter().enumerate() {
        let parsed = tf_syntax::parse_file(FileId(i as u32), text);
        modules.push(Module {
            name: name.clone(),
            file: FileId(i as u32),
            ast: parsed.file,
            imports: vec![],
            is_stdlib: true,
        });
    }
    let id = FileId(lib.len() as u32);
    let parsed = tf_syntax::parse_file(id, user);
    modules.push(Module { name: "main".into(), file: id, ast: parsed.file, imports: vec![], is_stdlib: false });
    let checked = check(&Program { modules });
    parsed.diagnostics.len() + checked.diagnostics.len()
}

fn main() {
    let src = generate(2000);
    let lib = stdlib();
    let errors = run(&src, &lib);
    assert_eq!(errors, 0, "the generated program must check clean");
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(run(&src, &lib));
            start.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "check of a {}-line program (+ stdlib): median {:.2} ms (min {:.2}, max {:.2}) over {} runs",
        src.lines().count(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
    if let Ok(path) = std::env::var("TFC_BENCH_WRITE") {
        std::fs::write(path, &src).expect("write the generated program");
    }
}
