//! Times parsing of a file (a profiling aid): `cargo run --release --example time_parse FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: time_parse FILE");
    let text = std::fs::read_to_string(&path).expect("readable file");
    let start = std::time::Instant::now();
    for _ in 0..20 {
        std::hint::black_box(tf_syntax::lexer::lex(tf_base::FileId(0), &text));
    }
    println!("lex: {:.2} ms", start.elapsed().as_secs_f64() * 1e3 / 20.0);
    let start = std::time::Instant::now();
    for _ in 0..20 {
        std::hint::black_box(tf_syntax::parse_file(tf_base::FileId(0), &text));
    }
    println!("lex + parse: {:.2} ms", start.elapsed().as_secs_f64() * 1e3 / 20.0);
}
