//! The front end must survive any input: random token soups, every truncation of real files and
//! random edits of them go through load, parse, check and both renderers, and every diagnostic
//! must point inside its file. Deterministic (fixed seed) so that a failure reproduces.
//!
//! Most cases run against an empty stdlib to stay fast in debug builds; one property runs
//! against the repository's stdlib so that user code meets real library modules.

mod support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use support::{files_under, repo_root, stdlib_dir};
use tf_base::{Code, Diagnostic, FileId, SourceMap, Span};
use tf_driver::check_sources;
use tf_driver::render::{json, terminal::TerminalRenderer};

/// Lexemes of the language (and a few that are not), for token soups and insertions.
const TOKENS: &[&str] = &[
    "use",
    "fn",
    "model",
    "struct",
    "param",
    "let",
    "var",
    "if",
    "else",
    "for",
    "in",
    "while",
    "return",
    "break",
    "continue",
    "true",
    "false",
    "and",
    "or",
    "not",
    "self",
    "x",
    "y",
    "B",
    "N",
    "f32",
    "i32",
    "bool",
    "Dense",
    "Mlp",
    "relu",
    "sum",
    "zeros",
    "grad",
    "axis",
    "0",
    "1",
    "64",
    "3.5",
    "1e-3",
    "99999999999999999999",
    "\"s\"",
    "\"a {x} b\"",
    "\"{\"",
    "\"open",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ";",
    ".",
    "..",
    "...",
    "->",
    "=",
    "+=",
    "-=",
    "*=",
    "/=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "**",
    "/",
    "%",
    "@",
    "_",
    "\n",
    "\n",
    " ",
    " ",
    "// c\n",
    "/// d\n",
    "\t",
    "\r\n",
    "$",
    "é",
    "#",
    "\u{2028}",
];

/// Characters for single-character edits: delimiters, operators, multi-byte and line breaks.
const CHARS: &[char] =
    &['(', ')', '[', ']', '{', '}', ',', ':', '.', '"', '\n', ' ', '@', '*', '-', '=', 'x', '1', 'é', '😀', '\r', '\\'];

fn empty_stdlib() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(support::empty_stdlib)
}

/// Files to truncate and mutate: the seed corpus, the UI cases, the examples and the stdlib.
fn samples() -> &'static [(String, String)] {
    static SAMPLES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let root = repo_root();
        let dirs = [
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("corpus"),
            root.join("tests").join("ui"),
            root.join("examples"),
            root.join("stdlib"),
        ];
        let mut out = Vec::new();
        for dir in dirs {
            for rel in files_under(&dir, "tf") {
                let path = root.join(&rel);
                // Not UTF-8 is the loader's business, tested elsewhere; skip such a file here.
                if let Ok(text) = std::fs::read_to_string(&path) {
                    out.push((rel, text));
                }
            }
        }
        assert!(!out.is_empty(), "no sample files found");
        out
    })
}

/// Runs the whole front end on one in-memory file and checks every diagnostic's spans.
fn check_text(text: &str, stdlib: &Path) -> Result<(), String> {
    let compiled = check_sources(vec![("case.tf".to_string(), text.to_string())], stdlib)
        .map_err(|e| format!("loading failed: {e}"))?;
    let files: Vec<&str> = compiled.sources.iter().map(|(_, f)| f.text.as_str()).collect();
    for d in &compiled.diagnostics {
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            let span = label.span;
            let Some(file) = files.get(span.file.0 as usize) else {
                return Err(format!("{} `{}`: span in unknown file {:?}", d.code, d.message, span));
            };
            let (start, end) = (span.start as usize, span.end as usize);
            let valid = start <= end && end <= file.len() && file.is_char_boundary(start) && file.is_char_boundary(end);
            if !valid {
                return Err(format!(
                    "{} `{}`: bad span {start}..{end} in a file of {} bytes",
                    d.code,
                    d.message,
                    file.len()
                ));
            }
        }
    }
    let mut renderer = TerminalRenderer::new(&compiled.sources, false);
    let mut sink = Vec::new();
    for d in &compiled.diagnostics {
        renderer.render(d);
        json::write(&mut sink, d, &compiled.sources).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// [`check_text`] with panics turned into errors that show the input.
fn survives(text: &str, stdlib: &Path) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(|| check_text(text, stdlib))) {
        Ok(result) => result.map_err(|e| format!("{e}\ninput: {text:?}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {message}\ninput: {text:?}"))
        }
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x7f_c0de),
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, &'static str),
    Delete(usize),
    Replace(usize, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(at, t)| Edit::Insert(at, t)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), prop::sample::select(CHARS)).prop_map(|(at, c)| Edit::Replace(at, c)),
    ]
}

/// The char boundary at or before `at % (len + 1)`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for edit in edits {
        match *edit {
            Edit::Insert(at, token) => text.insert_str(boundary(&text, at), token),
            Edit::Delete(at) => {
                let at = boundary(&text, at);
                if let Some(c) = text[at..].chars().next() {
                    text.replace_range(at..at + c.len_utf8(), "");
                }
            }
            Edit::Replace(at, with) => {
                let at = boundary(&text, at);
                let len = text[at..].chars().next().map_or(0, char::len_utf8);
                text.replace_range(at..at + len, with.encode_utf8(&mut [0; 4]));
            }
        }
    }
    text
}

fn sample_index() -> impl Strategy<Value = usize> {
    0..samples().len()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn token_soup(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..80)) {
        let text = tokens.concat();
        prop_assert_eq!(survives(&text, empty_stdlib()), Ok(()));
    }

    #[test]
    fn mutated_files(index in sample_index(), edits in prop::collection::vec(edit(), 1..8)) {
        let text = apply(&samples()[index].1, &edits);
        prop_assert_eq!(survives(&text, empty_stdlib()), Ok(()));
    }
}

/// A diagnostic with the given (possibly nonsensical) spans into one file.
fn diagnostic_with(spans: &[(u32, u32, bool)]) -> Diagnostic {
    let span = |&(start, end, _): &(u32, u32, bool)| Span { file: FileId(0), start, end };
    let mut d = Diagnostic::error(Code::ShapeMismatch, span(&spans[0]), "m").with_label("primary");
    for s in &spans[1..] {
        d = d.with_secondary(span(s), if s.2 { "secondary" } else { "" });
    }
    d.with_note("n").with_help("h")
}

proptest! {
    #![proptest_config(config(256))]

    /// The renderers on their own: any text, any spans (reversed, past the end, inside a
    /// character), with and without colour.
    #[test]
    fn renderers_take_any_span(
        text in "[a-z \n\r\t(){}é😀\u{2028}\u{0B}]{0,40}",
        spans in prop::collection::vec((0u32..48, 0u32..48, any::<bool>()), 1..5),
        color in any::<bool>(),
    ) {
        let mut sources = SourceMap::new();
        sources.add("any.tf", text);
        let d = diagnostic_with(&spans);
        let rendered = TerminalRenderer::new(&sources, color).render(&d);
        prop_assert!(rendered.contains("E0303"));
        let mut line = Vec::new();
        json::write(&mut line, &d, &sources).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(serde_json::from_slice::<serde_json::Value>(&line).is_ok());
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn mutated_files_with_the_stdlib(index in sample_index(), edits in prop::collection::vec(edit(), 1..4)) {
        let text = apply(&samples()[index].1, &edits);
        prop_assert_eq!(survives(&text, &stdlib_dir()), Ok(()));
    }
}

/// Every prefix of the seed corpus and of a spread of the other samples. Files are cut at every
/// char boundary up to a budget per file, beyond which the cuts are spread evenly.
#[test]
fn truncations() {
    const MAX_CUTS_PER_FILE: usize = 400;
    const MAX_OTHER_FILES: usize = 12;
    let all = samples();
    let (corpus, others): (Vec<_>, Vec<_>) = all.iter().partition(|(name, _)| name.contains("tests/corpus/"));
    let stride = others.len().div_ceil(MAX_OTHER_FILES).max(1);
    let chosen = corpus.into_iter().chain(others.into_iter().step_by(stride));
    let mut failures = Vec::new();
    for (name, text) in chosen {
        let cuts: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let step = cuts.len().div_ceil(MAX_CUTS_PER_FILE).max(1);
        for &cut in cuts.iter().step_by(step) {
            if let Err(e) = survives(&text[..cut], empty_stdlib()) {
                failures.push(format!("{name} cut at byte {cut}: {e}"));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
