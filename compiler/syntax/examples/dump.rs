//! Prints the syntax tree and diagnostics of a file (a debugging aid).
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let text = std::fs::read_to_string(&path).expect("readable file");
    let parsed = tf_syntax::parse_file(tf_base::FileId(0), &text);
    for item in &parsed.file.items {
        println!("{:?} {:?}", item.span, std::mem::discriminant(&item.kind));
    }
    for t in tf_syntax::lexer::lex(tf_base::FileId(0), &text).tokens {
        print!("{:?} ", t.1);
    }
    println!();
    for d in &parsed.diagnostics {
        println!("{} {} {:?}", d.code, d.message, d.primary.span);
    }
}
