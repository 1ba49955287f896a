//! `--message-format json`: one JSON object per diagnostic per line, for editors, CI annotations
//! and scripts. The field names are a public interface; only add fields, never rename them.

use std::io::{self, Write};

use serde::Serialize;
use tf_base::{Diagnostic, Label, SourceMap, Span};

use super::{clamp, file_of};

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: &'a str,
    pub file: String,
    /// Byte offsets of the primary span.
    pub span: ByteSpan,
    pub range: Range,
    /// The primary label first, then the secondary ones.
    pub labels: Vec<JsonLabel<'a>>,
    pub notes: &'a [String],
    pub help: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct ByteSpan {
    pub start: usize,
    pub end: usize,
}

/// Start and end positions; 1-based lines and 1-based columns counted in characters.
#[derive(Debug, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    pub primary: bool,
    pub message: &'a str,
    pub file: String,
    pub range: Range,
}

/// The JSON form of a diagnostic.
pub fn to_json<'a>(diagnostic: &'a Diagnostic, sources: &SourceMap) -> JsonDiagnostic<'a> {
    let primary = &diagnostic.primary;
    let (file, byte_range, range) = locate(sources, primary.span);
    let labels = std::iter::once((true, primary))
        .chain(diagnostic.secondary.iter().map(|l| (false, l)))
        .map(|(is_primary, l): (bool, &'a Label)| {
            let (file, _, range) = locate(sources, l.span);
            JsonLabel { primary: is_primary, message: &l.message, file, range }
        })
        .collect();
    JsonDiagnostic {
        code: diagnostic.code.as_str(),
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        file,
        span: ByteSpan { start: byte_range.start, end: byte_range.end },
        range,
        labels,
        notes: &diagnostic.notes,
        help: diagnostic.help.as_deref(),
    }
}

/// Writes the diagnostic as one line of JSON.
pub fn write(w: &mut dyn Write, diagnostic: &Diagnostic, sources: &SourceMap) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &to_json(diagnostic, sources)).map_err(io::Error::from)?;
    writeln!(w)
}

/// File name, clamped byte range and line/column range of a span. A span into an unknown file
/// keeps its offsets and gets line and column 0, which no real position has.
fn locate(sources: &SourceMap, span: Span) -> (String, std::ops::Range<usize>, Range) {
    let Some(file) = file_of(sources, span.file) else {
        let zero = || Position { line: 0, column: 0 };
        return ("<unknown>".to_string(), span.range(), Range { start: zero(), end: zero() });
    };
    let bytes = clamp(&file.text, span);
    let position = |offset: usize| {
        let (line, column) = file.line_col(offset);
        Position { line: line + 1, column: column + 1 }
    };
    let range = Range { start: position(bytes.start), end: position(bytes.end) };
    (file.name.clone(), bytes, range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tf_base::{Code, FileId};

    #[test]
    fn one_line_with_one_based_positions() {
        let mut map = SourceMap::new();
        map.add("a.tf", "fn f() {\n  é x\n}\n");
        let d = Diagnostic::error(Code::UndefinedName, Span::new(FileId(0), 14, 15), "undefined `x`")
            .with_label("not found")
            .with_secondary(Span::new(FileId(0), 0, 2), "in here")
            .with_note("a note");
        let mut out = Vec::new();
        write(&mut out, &d, &map).expect("write to a Vec");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(v["code"], "E0201");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["file"], "a.tf");
        assert_eq!(v["span"]["start"], 14);
        assert_eq!(v["range"]["start"]["line"], 2);
        assert_eq!(v["range"]["start"]["column"], 5);
        assert_eq!(v["range"]["end"]["column"], 6);
        assert_eq!(v["labels"][0]["primary"], true);
        assert_eq!(v["labels"][1]["primary"], false);
        assert_eq!(v["labels"][1]["range"]["start"]["column"], 1);
        assert_eq!(v["notes"][0], "a note");
        assert!(v["help"].is_null());
    }
}
