//! Review mode: the queue of the machine's mentions nobody has reviewed
//! yet, least certain first ([`gazette_core::review`]), across the corpus:
//! the next one to review from the cursor, and how far the review has come.

use gazette_core::corpus::{Corpus, DocId};
use gazette_core::review::{queue, Item, Progress};

/// The review queue of the corpus's articles (the knowledge base is no
/// article), in order.
pub fn review_queue(corpus: &Corpus) -> Vec<Item<DocId>> {
    let docs: Vec<(DocId, &gazette_core::analysis::DocAnalysis)> = corpus
        .doc_ids()
        .into_iter()
        .filter(|&d| !corpus.is_kb_doc(d))
        .filter_map(|d| Some((d, &*corpus.doc(d)?.analysis)))
        .collect();
    // In path order for ties, as `gazette review` orders them.
    let mut by_path = docs.clone();
    by_path.sort_by(|a, b| corpus.path(a.0).cmp(corpus.path(b.0)));
    let rank: std::collections::HashMap<DocId, usize> =
        by_path.iter().enumerate().map(|(i, d)| (d.0, i)).collect();
    let ranked: Vec<(usize, &gazette_core::analysis::DocAnalysis)> =
        by_path.iter().map(|(d, a)| (rank[d], *a)).collect();
    queue(&ranked)
        .into_iter()
        .map(|it| Item {
            doc: by_path[it.doc].0,
            mention: it.mention,
            span: it.span,
            kind: it.kind,
            source: it.source,
            score: it.score,
        })
        .collect()
}

/// The next mention to review: the one after the mention at `offset` of
/// `doc` in queue order when the cursor is on a queued mention, else the
/// first of the queue. `None` when nothing is left to review. Also returns
/// the item's place in the queue (0-based) and the queue's length.
pub fn next_review(
    corpus: &Corpus,
    at: Option<(DocId, usize)>,
) -> Option<(Item<DocId>, usize, usize)> {
    let q = review_queue(corpus);
    let here = at.and_then(|(doc, offset)| {
        let m = corpus.doc(doc)?.analysis.mention_at(offset)?;
        q.iter().position(|it| it.doc == doc && it.mention == m)
    });
    let i = match here {
        Some(i) if i + 1 < q.len() => i + 1,
        Some(_) => 0,
        None => 0,
    };
    let total = q.len();
    q.into_iter().nth(i).map(|it| (it, i, total))
}

/// How far the review of the corpus's articles has come.
pub fn review_progress(corpus: &Corpus) -> Progress {
    Progress::of(
        corpus
            .doc_ids()
            .into_iter()
            .filter(|&d| !corpus.is_kb_doc(d))
            .filter_map(|d| corpus.doc(d).map(|e| &*e.analysis)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use crate::semantic_tokens::{semantic_tokens_in, UNREVIEWED};
    use gazette_core::annotations::{Annotation, Label, Status};
    use gazette_core::model::Span;

    const A: &str = "Bundeskanzler Olaf Scholz traf in Berlin Vertreter der Europäischen Union.\n";
    const B: &str = "Später sprach Scholz in Paris mit Emmanuel Macron.\n";

    /// Two articles; "Olaf Scholz" in a.txt is confirmed in the store.
    fn fixture(cursor_in_b: Option<&str>) -> Fixture {
        let s = A.find("Olaf Scholz").unwrap();
        let line = Annotation::new(
            "a.txt",
            A,
            Span::new(s, s + "Olaf Scholz".len()),
            Label::Person,
            None,
            Status::Confirmed,
        )
        .to_line();
        let b = match cursor_in_b {
            Some(w) => B.replacen(w, &format!("{w}$0"), 1),
            None => B.to_string(),
        };
        Fixture::parse(&format!(
            "//- a.txt\n{A}//- b.txt\n{b}//- gazette.annotations.jsonl\n{line}\n"
        ))
    }

    #[test]
    fn review_mode_marks_the_machine_mentions_only() {
        let f = fixture(None);
        let a = f.doc_named("a.txt");
        let marked: Vec<(&str, bool)> = semantic_tokens_in(&f.corpus, a, None, true)
            .iter()
            .filter(|t| t.token_type != 3)
            .map(|t| (&A[t.span.range()], t.modifiers & UNREVIEWED != 0))
            .collect();
        assert!(marked.contains(&("Olaf Scholz", false)), "{marked:?}");
        assert!(marked.contains(&("Berlin", true)), "{marked:?}");
        // Outside review mode nothing is marked.
        assert!(semantic_tokens_in(&f.corpus, a, None, false)
            .iter()
            .all(|t| t.modifiers & UNREVIEWED == 0));
    }

    #[test]
    fn next_review_walks_the_queue_in_order() {
        let f = fixture(None);
        let q = review_queue(&f.corpus);
        assert!(q.len() >= 4, "{q:?}");
        // Never the annotated mention; least certain first.
        assert!(q.iter().all(
            |it| f.text(it.doc).get(it.span.range()) != Some("Olaf Scholz")
                || it.doc != f.doc_named("a.txt")
        ));
        assert!(q.windows(2).all(|w| w[0].score <= w[1].score));
        let (first, i, n) = next_review(&f.corpus, None).unwrap();
        assert_eq!(
            (first.doc, first.span, i, n),
            (q[0].doc, q[0].span, 0, q.len())
        );
        // From the first item the next one is the second.
        let at = Some((first.doc, first.span.start as usize));
        let (second, i, _) = next_review(&f.corpus, at).unwrap();
        assert_eq!((second.doc, second.span, i), (q[1].doc, q[1].span, 1));
        // From a word that is no queued mention: the queue's start.
        let f = fixture(Some("sprach"));
        let (start, i, _) = next_review(&f.corpus, Some((f.doc, f.offset))).unwrap();
        assert_eq!((start.span, i), (review_queue(&f.corpus)[0].span, 0));
    }

    #[test]
    fn progress_counts_reviewed_mentions_and_done_articles() {
        let f = fixture(None);
        let p = review_progress(&f.corpus);
        assert_eq!(p.reviewed_mentions, 1);
        assert_eq!(p.articles, 2);
        assert_eq!(p.done_articles, 0);
        assert_eq!(
            p.mentions,
            p.reviewed_mentions + review_queue(&f.corpus).len()
        );
        assert!(p.to_string().starts_with("1 of "), "{p}");
    }
}
