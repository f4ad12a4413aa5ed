//! The review queue: the machine's mentions the user has not reviewed yet,
//! least certain first (active learning, as Prodigy orders its queue).
//!
//! A mention is *reviewed* when an annotation of the store is in force on
//! it (its source is then [`Source::Annotation`]); every other mention is
//! the machine's and waits for review. How sure the machine is of a mention
//! ([`crate::tagger::confidence`]) comes from the tagger and from the rules:
//!
//! - the tagger proposed exactly this span with this kind: its margin
//!   (the best Viterbi path's score minus the best score of a path that
//!   leaves the span out, see [`crate::tagger::Tagger::spans`]), made
//!   surer when a rule or the knowledge base found it too;
//! - the tagger proposed another kind for the span, or a span that only
//!   overlaps it: the two disagree, the mention is uncertain;
//! - the tagger did not propose it: only the source vouches for it, and a
//!   mention only the tagger found is uncertain, one the user's knowledge
//!   base names is not;
//! - a capitalised word touches it (after it, or before it inside a
//!   sentence): its boundaries are in doubt ("[BMW] X1").
//!
//! Confidences are kept per mention in [`DocAnalysis::confidence`], one
//! byte each (0 = a guess, 255 = certain).

use crate::analysis::DocAnalysis;
use crate::model::{EntityKind, NameMention, Source, Span};

/// Is mention `m` the machine's, waiting for review?
pub fn unreviewed(m: &NameMention) -> bool {
    m.source != Source::Annotation
}

/// One mention waiting for review.
#[derive(Clone, Debug, PartialEq)]
pub struct Item<D> {
    /// The document (a path or an id: whatever the caller keys them by).
    pub doc: D,
    /// Index of the mention in its document's analysis.
    pub mention: usize,
    pub span: Span,
    pub kind: EntityKind,
    pub source: Source,
    /// The machine's confidence in [0, 1]: the queue's order, lowest first.
    pub score: f32,
}

/// The queue over `docs`: every unreviewed machine mention, least certain
/// first (ties: in document order, then by position).
pub fn queue<D: Clone + Ord>(docs: &[(D, &DocAnalysis)]) -> Vec<Item<D>> {
    let mut out = Vec::new();
    for (d, a) in docs {
        for (i, m) in a.mentions.iter().enumerate() {
            if !unreviewed(m) {
                continue;
            }
            out.push(Item {
                doc: d.clone(),
                mention: i,
                span: m.span(),
                kind: m.kind,
                source: m.source,
                score: f32::from(a.confidence(i).unwrap_or(255)) / 255.0,
            });
        }
    }
    out.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then_with(|| a.doc.cmp(&b.doc))
            .then_with(|| a.span.cmp(&b.span))
    });
    out
}

/// How far the review has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Mentions with an annotation in force (the user's word on them).
    pub reviewed_mentions: usize,
    /// Every mention: reviewed plus waiting.
    pub mentions: usize,
    /// Articles without a mention waiting for review.
    pub done_articles: usize,
    pub articles: usize,
}

impl Progress {
    /// Adds one article's analysis.
    pub fn add(&mut self, a: &DocAnalysis) {
        let waiting = a.mentions.iter().filter(|m| unreviewed(m)).count();
        self.mentions += a.mentions.len();
        self.reviewed_mentions += a.mentions.len() - waiting;
        self.articles += 1;
        if waiting == 0 {
            self.done_articles += 1;
        }
    }

    pub fn of<'a>(docs: impl IntoIterator<Item = &'a DocAnalysis>) -> Progress {
        let mut p = Progress::default();
        for a in docs {
            p.add(a);
        }
        p
    }
}

/// A count with thousands separators ("1,204").
fn grouped(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl std::fmt::Display for Progress {
    /// "312 of 1,204 mentions reviewed, 12 of 40 articles done".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} mentions reviewed, {} of {} articles done",
            grouped(self.reviewed_mentions),
            grouped(self.mentions),
            grouped(self.done_articles),
            grouped(self.articles)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sym;

    fn m(s: u32, e: u32, kind: EntityKind, source: Source) -> NameMention {
        NameMention::new(Span { start: s, end: e }, kind, sym("x"), source).unwrap()
    }

    #[test]
    fn progress_line_groups_thousands() {
        let p = Progress {
            reviewed_mentions: 312,
            mentions: 1204,
            done_articles: 12,
            articles: 40,
        };
        assert_eq!(
            p.to_string(),
            "312 of 1,204 mentions reviewed, 12 of 40 articles done"
        );
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn queue_orders_least_certain_first_and_skips_reviewed() {
        let per = EntityKind::Person;
        let a = DocAnalysis {
            mentions: vec![
                m(0, 3, per, Source::Tagger),
                m(5, 8, per, Source::Annotation),
                m(10, 13, per, Source::Rule),
            ],
            confidence: vec![200, 255, 40],
            ..DocAnalysis::default()
        };
        let b = DocAnalysis {
            mentions: vec![m(0, 3, per, Source::Rule)],
            confidence: vec![100],
            ..DocAnalysis::default()
        };
        let q = queue(&[("a", &a), ("b", &b)]);
        let order: Vec<(&str, usize)> = q.iter().map(|i| (i.doc, i.mention)).collect();
        assert_eq!(order, [("a", 2), ("b", 0), ("a", 0)]);
        let p = Progress::of([&a, &b]);
        assert_eq!((p.reviewed_mentions, p.mentions), (1, 4));
        assert_eq!((p.done_articles, p.articles), (0, 2));
    }
}
