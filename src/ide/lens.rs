//! Code lenses ("23 mentions in 4 articles" on definitions), inlay hints
//! (normalised values after worded figures) and document links (URLs).

use super::Location;
use crate::corpus::{count_docs, Corpus, DocId, ItemRef, KeyId};
use crate::model::{FigureCategory, FigureValue, Span};
use crate::text::tokenize::{tokenize, TokenKind};
use std::collections::BTreeSet;

pub struct Lens {
    pub span: Span,
    pub title: String,
    /// Every mention of the entity, for the "show references" command.
    pub references: Vec<Location>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A lens on each entity definition in `doc`.
pub fn code_lenses(corpus: &Corpus, doc: DocId) -> Vec<Lens> {
    let Some(entry) = corpus.doc(doc) else {
        return Vec::new();
    };
    let mut seen: BTreeSet<KeyId> = BTreeSet::new();
    let mut out = Vec::new();
    for i in 0..entry.analysis.mentions.len() {
        let r = ItemRef { doc, idx: i as u32 };
        let e = corpus.entity_of(r);
        if !seen.insert(e) {
            continue;
        }
        // Cheap filter before building the entity: its definition is a
        // knowledge-base entry or the first mention of one of its keys.
        let here = |k: KeyId| corpus.first_mention_of_key(k).is_some_and(|f| f.doc == doc);
        if entry.kb.is_none() && !here(e) && !here(corpus.key_of(r)) {
            continue;
        }
        let info = corpus.entity_info(e);
        let Some(def) = corpus.definition(&info) else {
            continue;
        };
        if def.doc != doc {
            continue;
        }
        let articles = info.article_mentions(corpus);
        out.push(Lens {
            span: corpus.mention(def).span(),
            title: format!(
                "{} in {}",
                plural(articles.len(), "mention", "mentions"),
                plural(count_docs(&articles), "article", "articles")
            ),
            references: info
                .mentions
                .iter()
                .map(|&m| Location {
                    doc: m.doc,
                    span: corpus.mention(m).span(),
                })
                .collect(),
        });
    }
    out.sort_by_key(|l| l.span);
    out
}

/// The normalised value of a figure as a hint label ("2 %", "1500 Soldaten").
pub fn figure_label(value: &FigureValue, category: FigureCategory, unit: Option<&str>) -> String {
    match (value, category) {
        (FigureValue::Number(n), FigureCategory::Percent) => format!("{n} %"),
        (v, FigureCategory::Money) => match unit {
            Some(u) => format!("{v} {u}"),
            None => v.to_string(),
        },
        (v, _) => v.to_string(),
    }
}

/// Hints after figures written (partly) in words: "zwei Prozent ⟨2 %⟩".
/// Returns (offset to place the hint at, label).
pub fn inlay_hints(corpus: &Corpus, text: &str, doc: DocId, range: Span) -> Vec<(usize, String)> {
    let Some(entry) = corpus.doc(doc) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in &entry.analysis.figures {
        if !range.overlaps(f.span) && !range.contains_cursor(f.span.end as usize) {
            continue;
        }
        let Some(surface) = text.get(f.span.range()) else {
            continue;
        };
        // Worded: the number itself is not written in digits.
        let worded = !surface.chars().any(|c| c.is_ascii_digit())
            && surface.chars().any(char::is_alphabetic);
        if !worded {
            continue;
        }
        let label = figure_label(&f.value, f.category, f.unit.as_deref());
        out.push((f.span.end as usize, format!("⟨{label}⟩")));
    }
    out
}

/// Links in a document: URLs in the text; in the knowledge base also the
/// Wikidata ids.
pub fn document_links(corpus: &Corpus, text: &str, doc: DocId) -> Vec<(Span, String)> {
    let mut out: Vec<(Span, String)> = tokenize(text)
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Url)
        .map(|t| {
            let u = t.text(text).trim_end_matches(['.', ',', ')', '"', '\'']);
            let target = if u.starts_with("www.") {
                format!("https://{u}")
            } else {
                u.to_string()
            };
            (
                Span::new(t.span.start as usize, t.span.start as usize + u.len()),
                target,
            )
        })
        .collect();
    if let Some(kb) = corpus.doc(doc).and_then(|d| d.kb.clone()) {
        for e in &kb.entities {
            let Some(q) = &e.wikidata else { continue };
            let needle = format!("\"{q}\"");
            let from = e.span.start as usize;
            if let Some(i) = text.get(from..).and_then(|t| t.find(&needle)) {
                let s = from + i + 1;
                out.push((
                    Span::new(s, s + q.len()),
                    format!("https://www.wikidata.org/wiki/{q}"),
                ));
            }
        }
    }
    out.sort_by_key(|l| l.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Decimal;

    #[test]
    fn labels() {
        assert_eq!(
            figure_label(
                &FigureValue::Number(Decimal::from_int(2)),
                FigureCategory::Percent,
                Some("%")
            ),
            "2 %"
        );
        assert_eq!(
            figure_label(
                &FigureValue::Number(Decimal::parse("3.5").unwrap()),
                FigureCategory::Count,
                None
            ),
            "3.5"
        );
    }
}
