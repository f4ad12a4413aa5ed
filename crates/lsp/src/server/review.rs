//! Review mode and learning in the server: `gazette/nextReview`,
//! `gazette/reviewProgress`, and the tagger adapted to the annotation
//! store in the background ([`gazette_core::learn`]), put in
//! force (every article analysed again) when it is ready.

use super::kb::kb_changed;
use super::publish::PublishQueue;
use super::request::guarded;
use super::Backend;
use crate::convert::{self, uri_to_path};
use crate::state::State;
use parking_lot::RwLock;
use serde::Deserialize;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Position, TextDocumentIdentifier};

/// `gazette/nextReview`'s params: where the cursor is (both optional).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NextReviewParams {
    pub text_document: Option<TextDocumentIdentifier>,
    pub position: Option<Position>,
}

/// `gazette/nextReview`: the next mention to review in queue order from
/// the cursor (see [`gazette_ide::review::next_review`]), as a `Location`,
/// or `null` when nothing is left to review.
pub(super) fn next_review(b: &Backend, params: Option<NextReviewParams>) -> Result<Value> {
    let p = params.unwrap_or_default();
    let s = b.state.read();
    guarded("gazette/nextReview", || {
        let at = p.text_document.as_ref().and_then(|td| {
            let doc = s.corpus.doc_id(&uri_to_path(&td.uri))?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            Some((doc, convert::offset(li, p.position?, s.encoding)))
        });
        gazette_ide::review::next_review(&s.corpus, at)
            .and_then(|(item, _, _)| {
                let loc = gazette_ide::Location {
                    doc: item.doc,
                    span: item.span,
                };
                super::to_proto::location(&s, loc)
            })
            .and_then(|l| serde_json::to_value(l).ok())
            .unwrap_or(Value::Null)
    })
}

/// `gazette/reviewProgress`: how far the review has come, with the line
/// editors show ("312 of 1,204 mentions reviewed, 12 of 40 articles done").
pub(super) fn review_progress(b: &Backend, _: Option<Value>) -> Result<Value> {
    let s = b.state.read();
    guarded("gazette/reviewProgress", || {
        let p = gazette_ide::review::review_progress(&s.corpus);
        serde_json::json!({
            "reviewedMentions": p.reviewed_mentions,
            "mentions": p.mentions,
            "doneArticles": p.done_articles,
            "articles": p.articles,
            "message": p.to_string(),
            "adaptedModel": s.overrides.tagger_fingerprint().is_some(),
        })
    })
}

/// Adapts the tagger to the store's annotations in the background (from
/// the cache when it holds this store's model: milliseconds; else
/// seconds of training), then puts it in force and analyses every article
/// again. A store changed meanwhile makes the result stale: it is dropped
/// (the change started its own run). Requests are answered throughout.
pub(super) fn spawn_learning(state_arc: &Arc<RwLock<State>>, s: &State, tx: &PublishQueue) {
    let annotations = s.overrides.annotations().clone();
    if annotations.is_empty() && s.overrides.tagger_fingerprint().is_none() {
        return;
    }
    let fingerprint = annotations.fingerprint();
    let adapt = adaptation(s, annotations);
    let (state, tx) = (state_arc.clone(), tx.clone());
    tokio::spawn(async move {
        let (done, result) = tokio::sync::oneshot::channel();
        crate::background::spawn("adapt the tagger to the annotations", move || {
            let _ = done.send(adapt());
        });
        if let Ok(tagger) = result.await {
            put_in_force(&state, &tx, fingerprint, tagger);
        }
    });
}

/// The tagger adapted to the store's annotations and its fingerprint.
type Adapted = Option<(Arc<gazette_core::tagger::Tagger>, u64)>;

/// The work of adapting the tagger to `annotations`, for a background
/// thread. Open articles are read from their buffers, the others from disk.
fn adaptation(
    s: &State,
    annotations: Arc<gazette_core::annotations::Annotations>,
) -> impl FnOnce() -> Adapted + Send + 'static {
    let (machine, index_file) = (s.overrides.clone(), s.cache_file.clone());
    let (root, max) = (s.root.clone(), s.config.max_file_size);
    let open: std::collections::HashMap<PathBuf, String> = annotations
        .iter()
        .filter_map(|(_, a)| {
            let p = root.as_ref()?.join(&a.path);
            Some((p.clone(), s.open.get(&p)?.rope.to_string()))
        })
        .collect();
    move || {
        let read = |p: &std::path::Path| {
            open.get(p).cloned().or_else(|| {
                let read = gazette_core::workspace::read_text(p, max, root.as_deref());
                read.ok().map(|d| d.text)
            })
        };
        let index_file = index_file.as_deref();
        gazette_core::learn::adapted_tagger(&annotations, &machine, index_file, &read)
    }
}

/// Puts an adapted `tagger` in force and analyses every article again,
/// unless the store changed since `fingerprint` (that change started its
/// own run) or the tagger in force is the same.
fn put_in_force(state: &Arc<RwLock<State>>, tx: &PublishQueue, fingerprint: u64, tagger: Adapted) {
    let mut s = state.write();
    if s.shutdown || s.overrides.annotations().fingerprint() != fingerprint {
        return;
    }
    if s.overrides.tagger_fingerprint() == tagger.as_ref().map(|t| t.1) {
        return;
    }
    s.overrides = s.overrides.clone().with_tagger(tagger);
    s.kb.generation += 1;
    kb_changed(state, &mut s, tx, true);
}
