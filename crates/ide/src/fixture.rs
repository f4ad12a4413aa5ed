//! Corpora for tests, written inline the way rust-analyzer writes them:
//!
//! ```text
//! //- a.txt
//! Bundeskanzler Olaf Scholz sprach in Berlin. Scholz$0 sagte …
//! //- b.txt
//! Scholz' Rede …
//! //- gazette.toml
//! [[entity]]
//! name = "Olaf Scholz"
//! kind = "person"
//! ```
//!
//! `//- NAME` starts a file (without any header the text is `a.txt`);
//! `gazette.toml` is the knowledge base. One `$0` marks the cursor; two
//! `$0` in one file mark a selection (the cursor is its start).
//!
//! The corpus is built the way `gazette entities` builds it: every article
//! decoded and analysed with the knowledge base's overrides
//! (`corpus::build::add_all`), then the knowledge base added as a document.

use crate::{Location, TextSource};
use gazette_core::analysis::analyze_decoded_at;
use gazette_core::annotations::{self, Annotations};
use gazette_core::corpus::build::{add_all, FileResult};
use gazette_core::corpus::{Corpus, DocId};
use gazette_core::kb::{self, KnowledgeBase};
use gazette_core::model::Span;
use gazette_core::workspace::decode;
use std::collections::HashMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

const CURSOR: &str = "$0";
const ROOT: &str = "/fixture";

/// Document texts as the editor would hand them over.
pub struct Texts(HashMap<DocId, Arc<str>>);

impl TextSource for Texts {
    fn text(&self, _: &Corpus, doc: DocId) -> Option<Arc<str>> {
        self.0.get(&doc).cloned()
    }
}

pub struct Fixture {
    pub corpus: Corpus,
    pub texts: Texts,
    /// The document holding the cursor (the first file when there is none).
    pub doc: DocId,
    /// The cursor's byte offset (0 when there is none).
    pub offset: usize,
    /// The selection between two cursors (empty at the cursor otherwise).
    pub range: Span,
    /// The knowledge base's text (`None` without a `gazette.toml`).
    pub kb_text: Option<String>,
    names: HashMap<DocId, String>,
}

impl Fixture {
    pub fn parse(fixture: &str) -> Fixture {
        let fixture = trim_indent(fixture);
        let mut files: Vec<(String, String)> = Vec::new();
        for line in fixture.split_inclusive('\n') {
            if let Some(name) = line.strip_prefix("//- ") {
                files.push((name.trim().to_string(), String::new()));
                continue;
            }
            if files.is_empty() {
                files.push(("a.txt".into(), String::new()));
            }
            files.last_mut().unwrap().1.push_str(line);
        }
        let mut cursor: Option<(String, Span)> = None;
        for (name, text) in &mut files {
            let marks: Vec<usize> = text.match_indices(CURSOR).map(|(i, _)| i).collect();
            let span = match marks[..] {
                [] => continue,
                [at] => Span::new(at, at),
                [a, b] => Span::new(a, b - CURSOR.len()),
                _ => panic!("{name}: more than two {CURSOR}"),
            };
            assert!(cursor.is_none(), "{CURSOR} in more than one file");
            *text = text.replace(CURSOR, "");
            cursor = Some((name.clone(), span));
        }
        let path = |name: &str| PathBuf::from(ROOT).join(name);

        let kb_text = files
            .iter()
            .find(|(n, _)| n == kb::FILE_NAME)
            .map(|(_, t)| t.clone());
        // A knowledge base that does not parse is not in the corpus: a
        // fixture that has one means it to be.
        let parsed = kb_text.as_deref().map(|t| match kb::parse(t) {
            (Some(k), _) => Arc::new(k),
            (None, errors) => panic!("gazette.toml does not parse: {errors:?}"),
        });
        let overrides = parsed.as_ref().map(|k| k.overrides()).unwrap_or_default();
        // The annotation store, in force as in the server.
        let store = files
            .iter()
            .find(|(n, _)| n == annotations::FILE_NAME)
            .map(|(_, t)| Annotations::parse(Some(std::path::Path::new(ROOT)), t));
        let overrides = match store {
            Some(s) => overrides.with_annotations(Arc::new(s)),
            None => overrides,
        };
        let results: Vec<FileResult> = files
            .iter()
            .filter(|(n, _)| n != kb::FILE_NAME && n != annotations::FILE_NAME)
            .map(|(name, text)| FileResult {
                path: path(name),
                outcome: decode(text.as_bytes()).map(|d| {
                    let a = analyze_decoded_at(&path(name), &d, &overrides);
                    (d, a)
                }),
                stamp: None,
            })
            .collect();
        let mut corpus = Corpus::new();
        let skipped = add_all(&mut corpus, results);
        assert!(skipped.is_empty(), "skipped: {skipped:?}");
        if let (Some(k), Some(t)) = (&parsed, &kb_text) {
            corpus.set_knowledge_base(path(kb::FILE_NAME), t, k.clone());
        }

        let mut texts = HashMap::new();
        let mut names = HashMap::new();
        for (name, text) in &files {
            if let Some(id) = corpus.doc_id(&path(name)) {
                texts.insert(id, Arc::from(text.as_str()));
                names.insert(id, name.clone());
            }
        }
        let (cursor_file, range) = cursor.unwrap_or_else(|| (files[0].0.clone(), Span::default()));
        let doc = corpus
            .doc_id(&path(&cursor_file))
            .unwrap_or_else(|| panic!("{cursor_file} is not in the corpus"));
        Fixture {
            corpus,
            texts: Texts(texts),
            doc,
            offset: range.start as usize,
            range,
            kb_text,
            names,
        }
    }

    /// The document called `name` in the fixture.
    pub fn doc_named(&self, name: &str) -> DocId {
        *self
            .names
            .iter()
            .find(|(_, n)| *n == name)
            .unwrap_or_else(|| panic!("no file {name}"))
            .0
    }

    pub fn name(&self, doc: DocId) -> &str {
        &self.names[&doc]
    }

    pub fn text(&self, doc: DocId) -> &str {
        &self.texts.0[&doc]
    }

    /// The knowledge base as parsed (`None` without one, or when it does
    /// not parse).
    pub fn kb(&self) -> Option<Arc<KnowledgeBase>> {
        let doc = self
            .corpus
            .doc_ids()
            .into_iter()
            .find(|&d| self.corpus.is_kb_doc(d))?;
        self.corpus.doc(doc)?.kb.clone()
    }

    /// The cursor's document's text.
    pub fn cursor_text(&self) -> &str {
        self.text(self.doc)
    }

    /// `a.txt 12..20 "Olaf Scholz"`.
    pub fn location(&self, doc: DocId, span: Span) -> String {
        format!(
            "{} {}..{} {:?}",
            self.name(doc),
            span.start,
            span.end,
            &self.text(doc)[span.range()]
        )
    }

    /// One [`Fixture::location`] a line.
    pub fn locations(&self, locs: &[Location]) -> String {
        locs.iter()
            .map(|l| self.location(l.doc, l.span) + "\n")
            .collect()
    }

    /// The text of `doc` with each span in brackets, only the lines that
    /// have one.
    pub fn marked(&self, doc: DocId, spans: &[Span]) -> String {
        marked_lines(self.text(doc), spans)
    }
}

impl Fixture {
    /// Each edited document as it reads after its edits (`//- NAME` and
    /// the whole text), in corpus order.
    pub fn apply(&self, edits: &[(DocId, Span, &str)]) -> String {
        let mut docs: Vec<DocId> = edits.iter().map(|e| e.0).collect();
        docs.sort_by_key(|&d| self.corpus.path(d).to_path_buf());
        docs.dedup();
        let mut out = String::new();
        for doc in docs {
            let mut text = self.text(doc).to_string();
            let mut mine: Vec<_> = edits.iter().filter(|e| e.0 == doc).collect();
            mine.sort_by_key(|e| std::cmp::Reverse(e.1.start));
            for (_, span, new) in mine {
                text.replace_range(span.range(), new);
            }
            let _ = write!(out, "//- {}\n{text}", self.name(doc));
        }
        out
    }
}

/// The lines of `text` that hold a span, each span in brackets, "" when
/// there is none. Overlapping spans nest.
pub fn marked_lines(text: &str, spans: &[Span]) -> String {
    // At one offset spans close before others open, an empty span opens
    // and closes there, and a longer span opens first.
    let mut marks: Vec<(usize, u8, std::cmp::Reverse<u32>, bool)> = spans
        .iter()
        .flat_map(|s| {
            let close = if s.is_empty() { 2 } else { 0 };
            [
                (s.start as usize, 1, std::cmp::Reverse(s.end), true),
                (s.end as usize, close, std::cmp::Reverse(0), false),
            ]
        })
        .collect();
    marks.sort();
    let mut out = String::new();
    let mut line_start = 0;
    let mut marks = marks.into_iter().peekable();
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let mut marked = String::new();
        let mut any = false;
        let mut at = line_start;
        while let Some(&(m, _, _, open)) = marks.peek() {
            if m > line_end || (m == line_end && line.ends_with('\n') && open) {
                break;
            }
            let m = m.min(line_end - usize::from(line.ends_with('\n')));
            marked.push_str(&text[at..m]);
            marked.push(if open { '[' } else { ']' });
            at = m;
            any = true;
            marks.next();
        }
        marked.push_str(&text[at..line_end]);
        if any {
            let _ = writeln!(out, "{}", marked.trim_end_matches('\n'));
        }
        line_start = line_end;
    }
    out
}

/// Removes the indentation the fixture's first line has from every line,
/// and the line break after the opening quote.
fn trim_indent(s: &str) -> String {
    let s = s.strip_prefix('\n').unwrap_or(s);
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in s.split_inclusive('\n') {
        out.push_str(line.get(indent..).unwrap_or(line.trim_start_matches(' ')));
    }
    // The closing quote's indentation.
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_cursors_and_marks() {
        let f = Fixture::parse(
            r#"
            //- a.txt
            Olaf Scholz sprach.
            //- b.txt
            Dann sagte Sch$0olz etwas.
            "#,
        );
        assert_eq!(f.name(f.doc), "b.txt");
        assert_eq!(f.cursor_text(), "Dann sagte Scholz etwas.\n");
        assert_eq!(f.offset, "Dann sagte Sch".len());
        assert_eq!(f.text(f.doc_named("a.txt")), "Olaf Scholz sprach.\n");
        assert_eq!(
            marked_lines("ab\ncd\nef\n", &[Span::new(1, 4), Span::new(7, 7)]),
            "a[b\nc]d\ne[]f\n"
        );
        let f = Fixture::parse("Ein $0Satz$0.");
        assert_eq!(f.name(f.doc), "a.txt");
        assert_eq!(&f.cursor_text()[f.range.range()], "Satz");
    }
}
