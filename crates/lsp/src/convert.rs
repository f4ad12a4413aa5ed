//! LSP ↔ core conversions: positions, ranges, severities, URIs.
//! The only LSP code that knows about encodings; it defers to
//! [`gazette_core::text::position`] for the arithmetic.

use gazette_core::model::Span;
use gazette_core::text::position::{Cursor, LineIndex, LinePos, PositionEncoding};
use gazette_ide::Severity;
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types::{DiagnosticSeverity, Position, PositionEncodingKind, Range, Uri};

pub fn encoding_kind(enc: PositionEncoding) -> PositionEncodingKind {
    match enc {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// Picks the encoding: UTF-8 when the client offers it (our native unit),
/// else UTF-16, the protocol's default.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
    let offered = offered.unwrap_or(&[]);
    if offered.iter().any(|k| k.as_str() == "utf-8") {
        PositionEncoding::Utf8
    } else {
        PositionEncoding::Utf16
    }
}

pub fn to_linepos(p: Position) -> LinePos {
    LinePos {
        line: p.line,
        character: p.character,
    }
}

pub fn to_position(p: LinePos) -> Position {
    Position {
        line: p.line,
        character: p.character,
    }
}

pub fn position(li: &LineIndex, offset: usize, enc: PositionEncoding) -> Position {
    to_position(li.position(offset, enc))
}

pub fn range(li: &LineIndex, span: Span, enc: PositionEncoding) -> Range {
    to_range(li.range(span.start as usize, span.end as usize, enc))
}

/// [`range`] for spans in ascending order (see [`Cursor`]).
pub fn range_at(cursor: &mut Cursor<'_>, span: Span) -> Range {
    to_range(cursor.range(span.start as usize, span.end as usize))
}

fn to_range((start, end): (LinePos, LinePos)) -> Range {
    Range {
        start: to_position(start),
        end: to_position(end),
    }
}

pub fn offset(li: &LineIndex, p: Position, enc: PositionEncoding) -> usize {
    li.offset(to_linepos(p), enc)
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The corpus key of a document URI: its file path, or for other schemes
/// (`untitled:`) a pseudo-path that cannot collide with a real file.
pub fn uri_to_path(uri: &Uri) -> PathBuf {
    if uri.scheme().as_str() == "file" {
        if let Some(p) = uri.to_file_path() {
            return p.into_owned();
        }
    }
    PathBuf::from(format!("/\u{0}{}", uri.as_str()))
}

pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_string_lossy();
    if let Some(rest) = s.strip_prefix("/\u{0}") {
        return rest.parse().ok();
    }
    Uri::from_file_path(path)
}

/// Appends the JSON string (quotes included) of a file's URI to `out`,
/// built directly for the common case of a path made only of unreserved
/// characters (where percent-encoding changes nothing); other paths go
/// through [`Uri`]. Large reference lists name tens of thousands of files.
/// `false` (and nothing appended) when the path has no URI.
pub fn write_uri_json(path: &Path, out: &mut Vec<u8>) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    let plain = bytes.first() == Some(&b'/')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~'));
    if plain && !bytes.windows(2).any(|w| w == b"//") {
        out.extend_from_slice(b"\"file://");
        out.extend_from_slice(bytes);
        out.push(b'"');
        return true;
    }
    match path_to_uri(path).and_then(|u| serde_json::to_vec(&u).ok()) {
        Some(json) => {
            out.extend_from_slice(&json);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod uri_json_tests {
    use super::*;

    #[test]
    fn fast_uri_json_equals_the_general_one() {
        for p in [
            "/tmp/bc100k/0000/article-0000001.txt",
            "/home/u/Nachrichten/2024_01~x.txt",
            "/home/u/Nachrichten/Über uns.txt",
            "/home/u/a b/c#d%e?.txt",
            "/x//y.txt",
        ] {
            let path = Path::new(p);
            let general = serde_json::to_vec(&path_to_uri(path).unwrap()).unwrap();
            let mut fast = b"x".to_vec();
            assert!(write_uri_json(path, &mut fast));
            assert_eq!(fast[1..], general, "{p}");
        }
    }
}
