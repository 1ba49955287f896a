//! The lexer facade: runs the `logos` token set, reports bad characters and strings, splits
//! interpolated strings, keeps comments aside as trivia and drops line breaks that cannot end a
//! statement, so that the grammar only sees meaningful newlines.

use logos::Logos;
use tf_base::{Code, Diagnostic, FileId, Span};

use crate::token::Tok;

/// A lexical problem found while tokenising; carried through LALRPOP's `User` error type.
#[derive(Clone, Debug, PartialEq)]
pub struct LexError {
    pub start: usize,
    pub end: usize,
}

/// A comment kept aside for doc attachment and the formatter.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub span: Span,
    pub text: String,
    pub is_doc: bool,
}

pub type Spanned = (usize, Tok, usize);

/// Tokens ready for the grammar, plus the trivia and the lexical diagnostics.
#[derive(Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Spanned>,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses an integer literal the lexer has already validated (overflow reported there).
pub fn int_value(text: &str) -> i64 {
    text.replace('_', "").parse().unwrap_or(0)
}

pub fn float_value(text: &str) -> f64 {
    text.replace('_', "").parse().unwrap_or(0.0)
}

pub fn lex(file: FileId, text: &str) -> Lexed {
    let mut out = Lexed::default();
    let mut raw = Vec::new();
    raw_tokens(file, text, 0, &mut raw, &mut out);
    let unterminated: Vec<usize> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnterminatedString)
        .map(|d| d.primary.span.end as usize)
        .collect();
    if !unterminated.is_empty() {
        raw = close_unterminated_lines(raw, &unterminated, text);
    }
    check_delimiters(file, &raw, &mut out.diagnostics);
    out.tokens = significant_newlines(raw);
    out
}

/// Tokenises `text` (which starts at byte `base` of the file) into `raw`, newlines included.
fn raw_tokens(file: FileId, text: &str, base: usize, raw: &mut Vec<Spanned>, out: &mut Lexed) {
    let mut lexer = Tok::lexer(text);
    let mut bad_run: Option<(usize, usize)> = None;
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let (start, end) = (base + range.start, base + range.end);
        let tok = match result {
            Ok(tok) => tok,
            Err(()) => {
                bad_run = match bad_run {
                    Some((s, e)) if e == start => Some((s, end)),
                    Some(run) => {
                        report_bad_chars(file, text, base, run, out);
                        Some((start, end))
                    }
                    None => Some((start, end)),
                };
                continue;
            }
        };
        if let Some(run) = bad_run.take() {
            report_bad_chars(file, text, base, run, out);
        }
        match tok {
            Tok::Comment(text) => out.comments.push(Comment { span: Span::new(file, start, end), text, is_doc: false }),
            Tok::DocComment(text) => {
                out.comments.push(Comment { span: Span::new(file, start, end), text, is_doc: true })
            }
            Tok::Semi => raw.push((start, Tok::Newline, end)),
            Tok::Int(ref digits) => {
                if digits.replace('_', "").parse::<i64>().is_err() {
                    out.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidNumber,
                            Span::new(file, start, end),
                            "integer literal is too large",
                        )
                        .with_label("does not fit in a 64-bit integer"),
                    );
                }
                raw.push((start, tok, end));
            }
            Tok::UnterminatedStr(s) => {
                out.diagnostics.push(
                    Diagnostic::error(
                        Code::UnterminatedString,
                        Span::new(file, start, end),
                        "unterminated string literal",
                    )
                    .with_label("this string is not closed")
                    .with_help("add a closing `\"` before the end of the line"),
                );
                let body = unescape(&s[1..]);
                raw.push((start, Tok::StrFull(body), end));
            }
            Tok::Str(s) => split_string(file, &s, start, raw, out),
            other => raw.push((start, other, end)),
        }
    }
    if let Some(run) = bad_run {
        report_bad_chars(file, text, base, run, out);
    }
}

fn report_bad_chars(file: FileId, text: &str, base: usize, (s, e): (usize, usize), out: &mut Lexed) {
    let chars = text.get(s - base..e - base).unwrap_or("?");
    let what =
        if chars.chars().count() == 1 { format!("character `{chars}`") } else { format!("characters `{chars}`") };
    out.diagnostics.push(
        Diagnostic::error(Code::InvalidToken, Span::new(file, s, e), format!("invalid {what}"))
            .with_label("not part of any token"),
    );
}

/// Splits `"a {x} b"` into `StrHead("a ") <tokens of x> StrTail(" b")`; `{{`/`}}` are literal braces.
fn split_string(file: FileId, lit: &str, start: usize, raw: &mut Vec<Spanned>, out: &mut Lexed) {
    let end = start + lit.len();
    let inner = &lit[1..lit.len() - 1];
    let bytes = inner.as_bytes();
    let mut text = String::new();
    let mut seg_start = start;
    let mut pieces = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if i + 1 < bytes.len() => {
                text.push_str(&unescape(&inner[i..i + 2]));
                i += 2;
            }
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                text.push('{');
                i += 2;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                text.push('}');
                i += 2;
            }
            b'{' => {
                let open = start + 1 + i;
                let Some(close) = matching_brace(bytes, i) else {
                    out.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidInterpolation,
                            Span::new(file, open, open + 1),
                            "unclosed `{` in string",
                        )
                        .with_label("this interpolation is never closed")
                        .with_help("close it with `}`, or write `{{` for a literal brace"),
                    );
                    text.push_str(&inner[i..]);
                    break;
                };
                let expr_text = &inner[i + 1..close];
                if expr_text.trim().is_empty() {
                    out.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidInterpolation,
                            Span::new(file, open, start + 2 + close),
                            "empty interpolation in string",
                        )
                        .with_label("no expression between the braces")
                        .with_help("write `{{}}` for literal braces"),
                    );
                    i = close + 1;
                    continue;
                }
                let piece = std::mem::take(&mut text);
                let tok = if pieces == 0 { Tok::StrHead(piece) } else { Tok::StrMid(piece) };
                raw.push((seg_start, tok, open));
                pieces += 1;
                let mut inner_raw = Vec::new();
                raw_tokens(file, expr_text, start + 2 + i, &mut inner_raw, out);
                // Inside an interpolation line breaks never end anything.
                raw.extend(inner_raw.into_iter().filter(|t| t.1 != Tok::Newline));
                i = close + 1;
                seg_start = start + 1 + close;
            }
            b'}' => {
                out.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidInterpolation,
                        Span::new(file, start + 1 + i, start + 2 + i),
                        "unmatched `}` in string",
                    )
                    .with_label("no `{` opens this")
                    .with_help("write `}}` for a literal brace"),
                );
                i += 1;
            }
            _ => {
                let ch_len = inner[i..].chars().next().map_or(1, char::len_utf8);
                text.push_str(&inner[i..i + ch_len]);
                i += ch_len;
            }
        }
    }
    let tok = if pieces == 0 { Tok::StrFull(text) } else { Tok::StrTail(text) };
    raw.push((seg_start, tok, end));
}

fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut in_str = false;
    for (j, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'"' => in_str = !in_str,
            b'{' if !in_str => depth += 1,
            b'}' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Reports closers that do not match their opener (E0106); the parser stays quiet about them.
fn check_delimiters(file: FileId, raw: &[Spanned], diags: &mut Vec<Diagnostic>) {
    let mut stack: Vec<(Tok, usize, usize)> = Vec::new();
    for (s, tok, e) in raw {
        match tok {
            Tok::LParen | Tok::LBracket | Tok::LBrace => stack.push((tok.clone(), *s, *e)),
            Tok::RParen | Tok::RBracket | Tok::RBrace => {
                let want = match tok {
                    Tok::RParen => Tok::LParen,
                    Tok::RBracket => Tok::LBracket,
                    _ => Tok::LBrace,
                };
                match stack.last() {
                    Some((open, _, _)) if *open == want => {
                        stack.pop();
                    }
                    Some((open, os, oe)) => {
                        diags.push(
                            Diagnostic::error(
                                Code::UnbalancedDelimiter,
                                Span::new(file, *s, *e),
                                format!("mismatched closing `{}`", tok.text()),
                            )
                            .with_label(format!("expected `{}` here", closer(open)))
                            .with_secondary(Span::new(file, *os, *oe), format!("`{}` opened here", open.text())),
                        );
                        // Resynchronise: drop the opener if this closer matches the one below it.
                        if stack.len() >= 2 && stack[stack.len() - 2].0 == want {
                            stack.pop();
                            stack.pop();
                        }
                        return;
                    }
                    None => {
                        diags.push(
                            Diagnostic::error(
                                Code::UnbalancedDelimiter,
                                Span::new(file, *s, *e),
                                format!("unexpected closing `{}`", tok.text()),
                            )
                            .with_label("nothing is open here"),
                        );
                        return;
                    }
                }
            }
            _ => {}
        }
    }
}

fn closer(open: &Tok) -> &'static str {
    match open {
        Tok::LParen => ")",
        Tok::LBracket => "]",
        _ => "}",
    }
}

/// Keeps only the newlines that end a statement: not inside `()`/`[]`, not after a token that
/// continues the line, not before `}`, `)`, `]`, `.` or `else`, and never two in a row.
fn significant_newlines(raw: Vec<Spanned>) -> Vec<Spanned> {
    let mut out: Vec<Spanned> = Vec::with_capacity(raw.len());
    let mut nesting: Vec<bool> = Vec::new(); // true for a brace
    let starts_statement: Vec<bool> = raw
        .iter()
        .skip(1)
        .map(|t| {
            matches!(
                t.1,
                Tok::Fn
                    | Tok::Model
                    | Tok::Struct
                    | Tok::Use
                    | Tok::Let
                    | Tok::Var
                    | Tok::For
                    | Tok::While
                    | Tok::Return
            )
        })
        .chain(std::iter::once(false))
        .collect();
    for (i, (s, tok, e)) in raw.into_iter().enumerate() {
        match tok {
            Tok::Newline => {
                // A line starting with `fn`, `let`, ... cannot continue a parenthesised
                // expression: the `(` or `[` was left open, so stop waiting for its closer.
                if starts_statement[i] {
                    while nesting.last() == Some(&false) {
                        nesting.pop();
                    }
                }
                let in_parens = nesting.last() == Some(&false);
                let keep = !in_parens
                    && out.last().is_some_and(|(_, prev, _)| *prev != Tok::Newline && !prev.continues_line());
                if keep {
                    out.push((s, tok, e));
                }
                continue;
            }
            Tok::LParen | Tok::LBracket => nesting.push(false),
            Tok::LBrace => nesting.push(true),
            Tok::RParen | Tok::RBracket | Tok::RBrace => {
                nesting.pop();
            }
            _ => {}
        }
        if matches!(tok, Tok::RBrace | Tok::RParen | Tok::RBracket | Tok::Dot | Tok::Else | Tok::DotDot)
            && out.last().is_some_and(|t| t.1 == Tok::Newline)
        {
            out.pop();
        }
        out.push((s, tok, e));
    }
    if out.last().is_some_and(|t| t.1 == Tok::Newline) {
        out.pop();
    }
    out
}

/// An unterminated string swallows the rest of its line, closers included; close the
/// delimiters opened on that line right after it, so that one mistake gives one error.
fn close_unterminated_lines(raw: Vec<Spanned>, ends: &[usize], text: &str) -> Vec<Spanned> {
    let line_of = |offset: usize| text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::with_capacity(raw.len());
    let mut open: Vec<(Tok, usize)> = Vec::new();
    for (s, tok, e) in raw {
        match tok {
            Tok::LParen | Tok::LBracket | Tok::LBrace => open.push((tok.clone(), line_of(s))),
            Tok::RParen | Tok::RBracket | Tok::RBrace => {
                open.pop();
            }
            _ => {}
        }
        let is_cut = matches!(tok, Tok::StrFull(_) | Tok::StrTail(_)) && ends.contains(&e);
        out.push((s, tok, e));
        if is_cut {
            let line = line_of(s);
            while open.last().is_some_and(|(_, l)| *l == line) {
                let (opener, _) = open.pop().expect("checked non-empty");
                let closer = match opener {
                    Tok::LParen => Tok::RParen,
                    Tok::LBracket => Tok::RBracket,
                    _ => Tok::RBrace,
                };
                out.push((e, closer, e));
            }
        }
    }
    out
}
