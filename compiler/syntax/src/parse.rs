//! The tolerant parser facade: parsing never fails. It returns an AST (with `Error` nodes where
//! the source is broken) and one diagnostic per syntax error, keeping LALRPOP out of the rest
//! of the compiler.

use lalrpop_util::{ErrorRecovery, ParseError};
use tf_base::{Code, Diagnostic, FileId, Span};

use crate::ast::{File, ItemKind, MemberKind};
use crate::lexer::{self, Comment, LexError};
use crate::token::Tok;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused_parens, unused_imports, dead_code)]
    grammar
);

/// The result of parsing one file.
#[derive(Debug)]
pub struct Parsed {
    pub file: File,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn parse_file(file: FileId, text: &str) -> Parsed {
    let lexed = lexer::lex(file, text);
    let mut recovered: Vec<ErrorRecovery<usize, Tok, LexError>> = Vec::new();
    let tokens = lexed.tokens.clone();
    let result = grammar::FileParser::new().parse(file, &mut recovered, tokens.into_iter().map(Ok::<_, LexError>));
    let mut ast = match result {
        Ok(ast) => ast,
        Err(error) => {
            recovered.push(ErrorRecovery { error, dropped_tokens: Vec::new() });
            File::default()
        }
    };
    let mut diagnostics = lexed.diagnostics;
    let syntax = syntax_diagnostics(file, text, &lexed.tokens, recovered, &diagnostics);
    diagnostics.extend(syntax);
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    diagnostics.extend(crate::depth::limit_depth(&mut ast));
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    attach_docs(&mut ast, text, &lexed.comments);
    Parsed { file: ast, comments: lexed.comments, diagnostics }
}

/// Turns LALRPOP's errors into diagnostics, one per broken region: an error that falls inside
/// the tokens skipped while recovering from the previous one, or on a line where the lexer
/// already complained, is a follow-on and is dropped.
fn syntax_diagnostics(
    file: FileId,
    text: &str,
    tokens: &[lexer::Spanned],
    recovered: Vec<ErrorRecovery<usize, Tok, LexError>>,
    lexical: &[Diagnostic],
) -> Vec<Diagnostic> {
    let lex_lines: Vec<usize> = lexical.iter().map(|d| line_of(text, d.primary.span.start as usize)).collect();
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut skipped_until = 0usize;
    let mut had_eof = false;
    for rec in recovered {
        let dropped_end = rec.dropped_tokens.last().map_or(0, |t| t.2);
        let diag = match rec.error {
            ParseError::UnrecognizedToken { token: (s, tok, e), expected } => {
                if s < skipped_until || lex_lines.contains(&line_of(text, s)) {
                    skipped_until = skipped_until.max(dropped_end);
                    continue;
                }
                let found = if tok == Tok::Newline { "end of line".to_string() } else { tok.describe() };
                let span = if tok == Tok::Newline { Span::new(file, s, s) } else { Span::new(file, s, e) };
                Some(
                    Diagnostic::error(Code::UnexpectedToken, span, format!("unexpected {found}"))
                        .with_label(expected_list(&expected)),
                )
            }
            ParseError::ExtraToken { token: (s, tok, e) } => Some(
                Diagnostic::error(
                    Code::UnexpectedToken,
                    Span::new(file, s, e),
                    format!("unexpected {}", tok.describe()),
                )
                .with_label("expected the end of the file"),
            ),
            ParseError::UnrecognizedEof { location, expected } => {
                if had_eof
                    || lexical.iter().any(|d| matches!(d.code, Code::UnbalancedDelimiter | Code::UnterminatedString))
                {
                    continue;
                }
                had_eof = true;
                let end = text.len().max(location);
                let mut d = Diagnostic::error(Code::UnexpectedEof, Span::new(file, end, end), "unexpected end of file")
                    .with_label("the file ends here");
                let wanted = expected_list(&expected);
                if wanted.starts_with("expected") {
                    d = d.with_note(wanted);
                }
                if let Some((s, tok, e)) = innermost_unclosed(tokens) {
                    d = d.with_secondary(Span::new(file, s, e), format!("this `{}` is never closed", tok.text()));
                }
                Some(d)
            }
            ParseError::InvalidToken { location } => {
                Some(Diagnostic::error(Code::InvalidToken, Span::new(file, location, location + 1), "invalid token"))
            }
            ParseError::User { error } => {
                Some(Diagnostic::error(Code::InvalidToken, Span::new(file, error.start, error.end), "invalid token"))
            }
        };
        skipped_until = skipped_until.max(dropped_end);
        out.extend(diag);
    }
    out
}

/// Zero-based line of a byte offset. Lines are found by binary search over line starts, which
/// are computed once per file (`attach_docs` asks for every item).
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset) - 1
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}

fn innermost_unclosed(tokens: &[lexer::Spanned]) -> Option<(usize, Tok, usize)> {
    let mut stack = Vec::new();
    for t in tokens {
        match t.1 {
            Tok::LParen | Tok::LBracket | Tok::LBrace => stack.push(t.clone()),
            Tok::RParen | Tok::RBracket | Tok::RBrace => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

/// "expected one of `)`, `,`" from LALRPOP's terminal names.
fn expected_list(expected: &[String]) -> String {
    let mut names: Vec<String> = Vec::new();
    for e in expected {
        let name = match e.as_str() {
            "IdentTok" => "identifier".to_string(),
            "IntTok" | "FloatTok" => "number".to_string(),
            "StrFull" | "StrHead" => "string".to_string(),
            "StrMid" | "StrTail" => continue,
            "\"\\n\"" => "end of line".to_string(),
            quoted => format!("`{}`", quoted.trim_matches('"')),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.len() {
        0 => "not expected here".to_string(),
        1 => format!("expected {}", names[0]),
        2..=6 => format!("expected one of {}", names.join(", ")),
        _ => "not expected here".to_string(),
    }
}

/// Gives each item, member and struct field the `///` lines directly above it.
fn attach_docs(file: &mut File, text: &str, comments: &[Comment]) {
    let lines = Lines::new(text);
    let docs_before = |span: Span| -> Vec<String> {
        let mut line = lines.of(span.start as usize);
        let mut found = Vec::new();
        for c in comments.iter().rev().filter(|c| c.span.start < span.start) {
            let cl = lines.of(c.span.start as usize);
            if !c.is_doc || cl + 1 != line {
                if cl + 1 >= line {
                    continue;
                }
                break;
            }
            found.push(c.text.strip_prefix(' ').unwrap_or(&c.text).to_string());
            line = cl;
        }
        found.reverse();
        found
    };
    for item in &mut file.items {
        item.docs = docs_before(item.span);
        match &mut item.kind {
            ItemKind::Fn(f) | ItemKind::Derivative(f) => f.docs = item.docs.clone(),
            ItemKind::Model(m) => {
                for member in &mut m.members {
                    member.docs = docs_before(member.span);
                    if let MemberKind::Method(f) = &mut member.kind {
                        f.docs = member.docs.clone();
                    }
                }
            }
            ItemKind::Struct(s) => {
                for field in &mut s.fields {
                    field.docs = docs_before(field.span);
                }
            }
            ItemKind::Use(_) | ItemKind::Error => {}
        }
    }
}
