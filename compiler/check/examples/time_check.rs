//! Times parsing and checking of a file with the stdlib (a profiling aid):
//! `cargo run --release -p tf-check --example time_check FILE`.
use tf_base::FileId;
use tf_check::{check, Module, Program};

fn main() {
    let path = std::env::args().nth(1).expect("usage: time_check FILE");
    let user = std::fs::read_to_string(&path).expect("readable file");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../stdlib");
    let mut lib: Vec<_> = std::fs::read_dir(dir).expect("stdlib").flatten().map(|e| e.path()).collect();
    lib.sort();
    let mut texts: Vec<String> = lib.iter().map(|p| std::fs::read_to_string(p).expect("stdlib file")).collect();
    texts.push(user);
    let n = 20;
    let (mut parse, mut checking) = (0.0, 0.0);
    for _ in 0..n {
        let start = std::time::Instant::now();
        let modules: Vec<Module> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Module {
                name: i.to_string(),
                file: FileId(i as u32),
                ast: tf_syntax::parse_file(FileId(i as u32), t).file,
                imports: vec![],
                is_stdlib: i + 1 < texts.len(),
            })
            .collect();
        parse += start.elapsed().as_secs_f64();
        let program = Program { modules };
        let start = std::time::Instant::now();
        std::hint::black_box(check(&program));
        checking += start.elapsed().as_secs_f64();
    }
    println!("parse {:.2} ms, check {:.2} ms", parse * 1e3 / n as f64, checking * 1e3 / n as f64);
}
