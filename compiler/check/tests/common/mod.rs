//! Helpers shared by the checker's integration tests: check one source text in memory.

use tf_base::FileId;
use tf_check::{check, Checked, Module, Program};

pub fn check_src(src: &str) -> Checked {
    let parsed = tf_syntax::parse_file(FileId(0), src);
    assert!(parsed.diagnostics.is_empty(), "syntax errors: {:#?}", parsed.diagnostics);
    let program = Program {
        modules: vec![Module {
            name: "main".into(),
            file: FileId(0),
            ast: parsed.file,
            imports: vec![],
            is_stdlib: false,
        }],
    };
    check(&program)
}

/// `(code, line)` of every diagnostic.
pub fn codes(src: &str) -> Vec<(String, usize)> {
    check_src(src)
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str().to_string(), src[..d.primary.span.start as usize].matches('\n').count() + 1))
        .collect()
}
