//! LSP ↔ core conversions: positions, ranges, severities, URIs.
//! The only LSP code that knows about encodings; it defers to
//! [`crate::text::position`] for the arithmetic.

use crate::ide::Severity;
use crate::model::Span;
use crate::text::position::{LineIndex, LinePos, PositionEncoding};
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

pub fn position(li: &LineIndex, offset: usize, enc: PositionEncoding) -> Position {
    let p = li.position(offset, enc);
    Position {
        line: p.line,
        character: p.character,
    }
}

pub fn range(li: &LineIndex, span: Span, enc: PositionEncoding) -> Range {
    Range {
        start: position(li, span.start as usize, enc),
        end: position(li, span.end as usize, enc),
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

/// The JSON string (quotes included) of a file's URI, built directly for the
/// common case of a path made only of unreserved characters (where
/// percent-encoding changes nothing); other paths go through [`Uri`].
/// Large reference lists name tens of thousands of files.
pub fn path_to_uri_json(path: &Path) -> Option<String> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let plain = bytes.first() == Some(&b'/')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~'));
    if plain && !bytes.windows(2).any(|w| w == b"//") {
        let mut s = String::with_capacity(bytes.len() + 9);
        s.push_str("\"file://");
        s.push_str(path.to_str()?);
        s.push('"');
        return Some(s);
    }
    serde_json::to_string(&path_to_uri(path)?).ok()
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
            let general = serde_json::to_string(&path_to_uri(path).unwrap()).unwrap();
            assert_eq!(path_to_uri_json(path).unwrap(), general, "{p}");
        }
    }
}
