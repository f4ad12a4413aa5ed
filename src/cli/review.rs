//! `gazette review DIR`: the review queue, the machine's mentions nobody
//! has reviewed yet, least certain first (see `gazette_core::review`).

use super::entities::Place;
use gazette_core::annotations::Label;
use gazette_core::corpus::DocId;
use gazette_core::review::{queue, Progress};
use gazette_core::text::escape;
use serde::Serialize;
use std::path::PathBuf;

/// One queue item as `--format json` prints it.
#[derive(Serialize)]
pub struct ReviewItem {
    /// `path`, `byte_start`, `byte_end` (UTF-8 byte offsets into the
    /// article), `text`.
    #[serde(flatten)]
    pub at: Place,
    /// The machine's label, as the annotation store spells it (`person`,
    /// `place`, `organisation`, `other`).
    pub label: &'static str,
    /// The machine's confidence in [0, 1]: the queue's order, lowest first.
    pub score: f32,
    /// What found it: `knowledgebase`, `gazetteer`, `rule`, `tagger`.
    pub source: gazette_core::model::Source,
}

/// The queue and the progress of the review of `paths`.
pub fn review(paths: &[PathBuf]) -> anyhow::Result<(Vec<ReviewItem>, Progress)> {
    let (corpus, texts) = super::corpus_with_texts(paths)?;
    let docs: Vec<(PathBuf, DocId)> = corpus
        .doc_ids()
        .into_iter()
        .filter(|&d| !corpus.is_kb_doc(d))
        .map(|d| (corpus.path(d).to_path_buf(), d))
        .collect();
    let analyses: Vec<(PathBuf, &gazette_core::analysis::DocAnalysis)> = docs
        .iter()
        .map(|(p, d)| (p.clone(), &*corpus.doc(*d).unwrap().analysis))
        .collect();
    let progress = Progress::of(analyses.iter().map(|(_, a)| *a));
    let ids: std::collections::HashMap<&PathBuf, DocId> =
        docs.iter().map(|(p, d)| (p, *d)).collect();
    let items = queue(&analyses)
        .into_iter()
        .map(|it| {
            let doc = ids[&it.doc];
            let text = texts
                .get(&doc)
                .and_then(|t| t.get(it.span.range()))
                .unwrap_or("")
                .to_string();
            ReviewItem {
                at: Place {
                    path: it.doc.to_string_lossy().into_owned(),
                    path_bytes: None,
                    byte_start: it.span.start,
                    byte_end: it.span.end,
                    text,
                },
                label: Label::from_kind(it.kind).as_str(),
                score: (it.score * 1000.0).round() / 1000.0,
                source: it.source,
            }
        })
        .collect();
    Ok((items, progress))
}

/// `gazette review`: the queue as JSON (an array, in order) or a table;
/// the progress line on stderr (JSON) or under the table.
pub fn run(paths: &[PathBuf], format: &str, limit: Option<usize>) -> anyhow::Result<i32> {
    let (mut items, progress) = review(paths)?;
    if let Some(n) = limit {
        items.truncate(n);
    }
    if format == "json" {
        eprintln!("gazette: {progress}");
    }
    super::print(format, &items, |w| {
        writeln!(
            w,
            "{:>5}  {:<12} {:<24} {:<40} SPAN (bytes)",
            "SCORE", "LABEL", "MENTION", "ARTICLE"
        )?;
        for it in &items {
            writeln!(
                w,
                "{:>5.3}  {:<12} {:<24} {:<40} {}..{}",
                it.score,
                it.label,
                escape::line(&it.at.text),
                escape::line(&it.at.path),
                it.at.byte_start,
                it.at.byte_end
            )?;
        }
        writeln!(w)?;
        writeln!(w, "{progress}")
    })?;
    Ok(0)
}
