//! Diagnostic renderers: the same `Diagnostic` data printed for people (terminal) or for tools
//! (JSON lines).

pub mod json;
pub mod terminal;

use std::ops::Range;

use tf_base::{FileId, SourceFile, SourceMap, Span};

/// The file a span points into, or `None` for a file id from another compilation. Renderers
/// must not panic on a bad diagnostic, and `SourceMap::get` would.
pub(crate) fn file_of(sources: &SourceMap, file: FileId) -> Option<&SourceFile> {
    sources.iter().nth(file.0 as usize).map(|(_, f)| f)
}

/// `file:line:column` of a span's start, 1-based with columns in characters, as compilers print
/// locations for editors to jump to.
pub fn location(sources: &SourceMap, span: Span) -> String {
    match file_of(sources, span.file) {
        Some(file) => {
            let (line, column) = file.line_col(clamp(&file.text, span).start);
            format!("{}:{}:{}", file.name, line + 1, column + 1)
        }
        None => "<unknown>".to_string(),
    }
}

/// The span's byte range, shrunk into the text and widened to character boundaries, so that
/// slicing with it can never panic even if a stage produced a bad span.
pub(crate) fn clamp(text: &str, span: Span) -> Range<usize> {
    let mut start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_into_the_text() {
        let text = "aé b";
        let span = |s, e| Span { file: FileId(0), start: s, end: e };
        assert_eq!(clamp(text, span(0, 1)), 0..1);
        assert_eq!(clamp(text, span(2, 2)), 1..3);
        assert_eq!(clamp(text, span(1, 2)), 1..3);
        assert_eq!(clamp(text, span(4, 99)), 4..5);
        assert_eq!(clamp(text, span(99, 3)), 5..5);
    }
}
