//! Human-readable diagnostics: source snippets with labels, drawn by ariadne, under a
//! rustc-style `error[E0301]: message` header.
//!
//! ariadne's layout is not semver-stable, so the exact output is pinned by Cargo.lock and the
//! golden UI tests; re-bless them after upgrading it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::ops::Range;

use ariadne::{Cache, CharSet, Color, Config, IndexType, Label, Report, ReportKind, Source};
use tf_base::{Diagnostic, FileId, Severity, SourceMap};

use super::{clamp, file_of};

/// A span as ariadne takes it: the file and a byte range.
type AriadneSpan = (FileId, Range<usize>);

/// Renders diagnostics against one source map, keeping ariadne's per-file line tables between
/// diagnostics.
pub struct TerminalRenderer<'a> {
    cache: SourceCache<'a>,
    color: bool,
}

impl<'a> TerminalRenderer<'a> {
    pub fn new(sources: &'a SourceMap, color: bool) -> TerminalRenderer<'a> {
        TerminalRenderer { cache: SourceCache { map: sources, built: HashMap::new() }, color }
    }

    /// The diagnostic as text, ending with a newline.
    pub fn render(&mut self, diagnostic: &Diagnostic) -> String {
        let mut out = header(diagnostic, self.color);
        let body = self.body(diagnostic);
        // ariadne writes its own header line (`[E0301] Error: ...`); ours replaces it. It also
        // pads lines with spaces, which editors strip from golden files; drop them here.
        if let Some((_, rest)) = body.split_once('\n') {
            for line in rest.lines() {
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        out
    }

    pub fn write(&mut self, w: &mut dyn Write, diagnostic: &Diagnostic) -> io::Result<()> {
        w.write_all(self.render(diagnostic).as_bytes())
    }

    fn body(&mut self, diagnostic: &Diagnostic) -> String {
        let primary_file = diagnostic.primary.span.file;
        let primary = self.locate(diagnostic.primary.span);
        let report_span = primary.clone().unwrap_or((primary_file, 0..0));
        let config =
            Config::default().with_color(self.color).with_char_set(CharSet::Unicode).with_index_type(IndexType::Byte);
        let mut report = Report::build(ReportKind::Error, report_span).with_config(config);
        let primary_color = match diagnostic.severity {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Note => Color::Cyan,
        };
        let mut labels: Vec<(AriadneSpan, &str, Color)> = Vec::new();
        labels.extend(primary.map(|span| (span, diagnostic.primary.message.as_str(), primary_color)));
        for secondary in &diagnostic.secondary {
            if let Some(span) = self.locate(secondary.span) {
                labels.push((span, secondary.message.as_str(), Color::Blue));
            }
        }
        // ariadne starts a new snippet whenever a label lies above the previous one, so labels go
        // in source order (by end, which keeps their lines ascending), the primary file first:
        // then each file gets one snippet.
        labels.sort_by_key(|((file, range), _, _)| (*file != primary_file, *file, range.end, range.start));
        for (order, (span, message, color)) in labels.into_iter().enumerate() {
            // ariadne draws underlines only for labels with a message; an empty one still counts.
            let mut label = Label::new(span).with_message(message).with_order(order as i32);
            if self.color {
                label = label.with_color(color);
            }
            report = report.with_label(label);
        }
        if let Some(help) = &diagnostic.help {
            report = report.with_help(help);
        }
        for note in &diagnostic.notes {
            report = report.with_note(note);
        }
        let mut buffer = Vec::new();
        // Writing to a Vec cannot fail, and a failure would only lose the snippet.
        let _ = report.finish().write(&mut self.cache, &mut buffer);
        String::from_utf8_lossy(&buffer).into_owned()
    }

    /// The span in ariadne's terms, or `None` when it points into no known file.
    fn locate(&self, span: tf_base::Span) -> Option<AriadneSpan> {
        let file = file_of(self.cache.map, span.file)?;
        Some((span.file, clamp(&file.text, span)))
    }
}

/// Renders one diagnostic; prefer [`TerminalRenderer`] for many.
pub fn render(diagnostic: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    TerminalRenderer::new(sources, color).render(diagnostic)
}

/// `error[E0301]: message`, bold and coloured like rustc's when colour is on.
fn header(diagnostic: &Diagnostic, color: bool) -> String {
    let kind = format!("{}[{}]", diagnostic.severity.as_str(), diagnostic.code.as_str());
    if !color {
        return format!("{kind}: {}\n", diagnostic.message);
    }
    let ansi = match diagnostic.severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Note => "\x1b[1;36m",
    };
    format!("{ansi}{kind}\x1b[0m\x1b[1m: {}\x1b[0m\n", diagnostic.message)
}

/// ariadne's view of the source map: `Source` line tables built on first use.
struct SourceCache<'a> {
    map: &'a SourceMap,
    built: HashMap<FileId, Source<Cow<'a, str>>>,
}

impl<'a> Cache<FileId> for SourceCache<'a> {
    type Storage = Cow<'a, str>;

    fn fetch(&mut self, id: &FileId) -> Result<&Source<Cow<'a, str>>, impl fmt::Debug> {
        let map = self.map;
        match file_of(map, *id) {
            Some(file) => Ok(self.built.entry(*id).or_insert_with(|| Source::from(line_feeds_only(&file.text)))),
            None => Err(format!("no file {}", id.0)),
        }
    }

    fn display<'b>(&self, id: &'b FileId) -> Option<impl fmt::Display + 'b> {
        file_of(self.map, *id).map(|f| f.name.clone())
    }
}

/// ariadne also breaks lines at `\r`, vertical tab, form feed, U+0085, U+2028 and U+2029, but
/// the rest of the compiler counts only `\n`. Each of those becomes a blank of the same UTF-8
/// length, so byte offsets and character counts (and so the printed line:column) still agree
/// with the JSON output and the LSP.
fn line_feeds_only(text: &str) -> Cow<'_, str> {
    let separator = |c: char| matches!(c, '\r' | '\x0B' | '\x0C' | '\u{85}' | '\u{2028}' | '\u{2029}');
    if !text.contains(separator) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\r' | '\x0B' | '\x0C' => ' ',
                '\u{85}' => '\u{A0}',
                '\u{2028}' | '\u{2029}' => '\u{2002}',
                other => other,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tf_base::{Code, Span};

    fn one_file(text: &str) -> SourceMap {
        let mut map = SourceMap::new();
        map.add("t.tf", text);
        map
    }

    #[test]
    fn header_is_rustc_style() {
        let map = one_file("let x = 1\n");
        let d = Diagnostic::error(Code::UnexpectedToken, Span::new(FileId(0), 4, 5), "unexpected `x`");
        let text = render(&d, &map, false);
        assert!(text.starts_with("error[E0103]: unexpected `x`\n"), "{text}");
        assert!(text.contains("t.tf:1:5"), "{text}");
        assert!(!text.contains('\x1b'), "{text}");
    }

    #[test]
    fn empty_spans_render_anywhere() {
        for text in ["", "a", "a\n", "é", "a\r\nb", "x\u{2028}y\n\n"] {
            let map = one_file(text);
            for offset in 0..=text.len() + 2 {
                let span = Span::new(FileId(0), offset, offset);
                let d = Diagnostic::error(Code::UnexpectedEof, span, "eof").with_label("here");
                let out = render(&d, &map, false);
                assert!(out.starts_with("error[E0104]: eof\n"), "{out}");
            }
        }
    }

    #[test]
    fn unknown_files_do_not_panic() {
        let map = one_file("a");
        let d = Diagnostic::error(Code::UndefinedName, Span::new(FileId(7), 0, 1), "lost")
            .with_secondary(Span::new(FileId(9), 0, 1), "also lost")
            .with_note("n")
            .with_help("h");
        let out = render(&d, &map, true);
        assert!(out.contains("lost"), "{out}");
    }

    #[test]
    fn separators_keep_their_length() {
        let text = "a\rb\u{2028}c\u{85}";
        let cleaned = line_feeds_only(text);
        assert_eq!(cleaned.len(), text.len());
        assert_eq!(cleaned.chars().count(), text.chars().count());
        assert!(!cleaned.contains('\r'));
    }
}
