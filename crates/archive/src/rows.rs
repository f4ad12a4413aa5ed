//! The rows of one article's analysis, as `gazette analyze --jsonl` writes
//! them and as the archive's tables hold them before the corpus-level steps.
//!
//! Everything here is a pure function of one article (its path, text and
//! [`DocAnalysis`]): the same rows whether the binary runs alone
//! (`gazette archive build`) or inside a Spark partition. Rows carry the
//! article's path, not a document id: ids are given in path order once the
//! whole corpus is known.

use gazette_core::analysis::DocAnalysis;
use gazette_core::model::{EntityKind, FigureValue, Span};
use gazette_core::text::position::{Cursor, PositionEncoding};
use serde::{Deserialize, Serialize};

/// One output line of `gazette analyze --jsonl`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "table", rename_all = "lowercase")]
pub enum Row {
    Document(DocumentRow),
    Mention(MentionRow),
    Figure(FigureRow),
    /// An input line that could not be analysed (bad JSON, undecodable
    /// bytes): reported, never fatal for the batch.
    Error(ErrorRow),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub path: String,
    pub bytes: i64,
    pub tokens: i64,
    /// ISO date the text states ("2022-02-24"), if any.
    pub date: Option<String>,
    pub encoding_fallback: Option<String>,
}

/// Where a mention or a figure stands: its index in its article (span
/// order), its byte offsets, and line and UTF-16 column (the LSP default),
/// so that a server can answer without the text. Flattened into the rows'
/// JSON and spelled once for the tables ([`crate::load::AT_COLUMNS`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct At {
    pub idx: i32,
    pub start: i32,
    pub end: i32,
    pub start_line: i32,
    pub start_col: i32,
    pub end_line: i32,
    pub end_col: i32,
}

impl At {
    fn new(idx: usize, span: Span, cursor: &mut Cursor<'_>) -> At {
        let (s, e) = cursor.range(span.start as usize, span.end as usize);
        At {
            idx: idx as i32,
            start: span.start as i32,
            end: span.end as i32,
            start_line: s.line as i32,
            start_col: s.character as i32,
            end_line: e.line as i32,
            end_col: e.character as i32,
        }
    }
}

/// A name mention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionRow {
    pub path: String,
    #[serde(flatten)]
    pub at: At,
    /// The linking key ([`gazette_core::linking::link_key`]).
    pub key: String,
    pub kind: String,
    pub role: Option<String>,
    /// The spelling ([`gazette_core::linking::spelling`]).
    pub spelling: String,
    /// For a multi-word person key, its last word: the one-word mentions
    /// of that word may join this key's entity (the corpus-level step).
    pub last_word: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureRow {
    pub path: String,
    #[serde(flatten)]
    pub at: At,
    pub category: String,
    /// Plain notation ("8200000000", "2.5", "2022-02-16").
    pub value: String,
    pub unit: Option<String>,
    pub quantity_key: Option<String>,
    pub topic_key: Option<String>,
    pub approx: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorRow {
    pub path: Option<String>,
    pub line: u64,
    pub error: String,
}

/// The last word of a multi-word person key, `None` otherwise.
pub fn last_word(key: &str, kind: EntityKind) -> Option<&str> {
    (kind == EntityKind::Person && key.contains(' ')).then(|| key.rsplit(' ').next().unwrap())
}

/// The rows of one analysed article: its document row, then its mentions
/// and figures in span order.
pub fn rows_of(path: &str, a: &DocAnalysis) -> Vec<Row> {
    let enc = PositionEncoding::Utf16;
    let mut out = Vec::with_capacity(1 + a.mentions.len() + a.figures.len());
    out.push(Row::Document(DocumentRow {
        path: path.to_string(),
        bytes: a.len() as i64,
        tokens: a.token_count as i64,
        date: a.date.map(|d| d.date.to_string()),
        encoding_fallback: a.encoding_fallback.clone(),
    }));
    let mut cursor = a.line_index.cursor(enc);
    for (i, m) in a.mentions.iter().enumerate() {
        let key = gazette_core::linking::link_key(&m.norm, m.kind);
        out.push(Row::Mention(MentionRow {
            path: path.to_string(),
            at: At::new(i, m.span(), &mut cursor),
            last_word: last_word(&key, m.kind).map(str::to_string),
            key,
            kind: m.kind.as_str().to_string(),
            role: a.role(i).map(|r| r.to_string()),
            spelling: gazette_core::linking::spelling(&m.norm),
        }));
    }
    let mut cursor = a.line_index.cursor(enc);
    for (i, f) in a.figures.iter().enumerate() {
        out.push(Row::Figure(FigureRow {
            path: path.to_string(),
            at: At::new(i, f.span(), &mut cursor),
            category: f.category.as_str().to_string(),
            value: match &f.value {
                FigureValue::Number(n) => n.to_string(),
                FigureValue::Text(t) => t.to_string(),
            },
            unit: f.unit.map(|u| u.to_string()),
            quantity_key: f.quantity_key.map(|u| u.to_string()),
            topic_key: f.topic_key.map(|u| u.to_string()),
            approx: f.approx,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_flat_in_the_json() {
        let row = Row::Figure(FigureRow {
            path: "a.txt".into(),
            at: At {
                idx: 0,
                start: 4,
                end: 9,
                start_line: 1,
                start_col: 2,
                end_line: 1,
                end_col: 7,
            },
            category: "money".into(),
            value: "5".into(),
            unit: None,
            quantity_key: None,
            topic_key: None,
            approx: false,
        });
        let json = serde_json::to_string(&row).unwrap();
        assert!(
            json.starts_with(r#"{"table":"figure","path":"a.txt","idx":0,"start":4,"end":9,"start_line":1,"start_col":2,"end_line":1,"end_col":7,"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
    }
}
