//! Diagnostics publishing: computed under the state lock right after a
//! change, queued on one channel and published by a single task, so they
//! reach the client in version order; refreshes of many documents run in
//! the background in chunks under the read lock.

use super::{convert, to_proto};
use crate::state::State;
use gazette_core::corpus::DocId;
use parking_lot::RwLock;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{Diagnostic, Uri};
use tower_lsp_server::Client;

/// How long typing must pause before other documents' diagnostics are refreshed.
const DIAGNOSTICS_DEBOUNCE_MS: u64 = 200;
/// The longest a closed article's diagnostics wait for requests to be
/// answered (an edited article's diagnostics may be queued behind them).
const PUBLISH_PAUSE: std::time::Duration = std::time::Duration::from_millis(10);

/// Diagnostics computed for one document, not yet recorded or sent.
struct PendingDiagnostics {
    path: PathBuf,
    /// `None`: the document has no diagnostics.
    fingerprint: Option<u64>,
    publish: Publish,
}

/// One diagnostics publication, queued in the order edits were applied.
pub(super) struct Publish {
    pub uri: Uri,
    pub version: Option<i32>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The one ordered queue of diagnostics to publish, with the number still
/// waiting: background refreshes wait for the client to catch up
/// ([`PublishQueue::wait_for_room`]) instead of queuing the diagnostics of
/// the whole corpus in memory when the client reads slowly.
#[derive(Clone)]
pub(super) struct PublishQueue {
    tx: mpsc::UnboundedSender<Publish>,
    waiting: Arc<std::sync::atomic::AtomicUsize>,
}

impl PublishQueue {
    /// Publications a background refresh lets wait before it pauses.
    const ROOM: usize = 256;

    /// The queue, and its publisher task: it ends when the last queue is
    /// dropped.
    pub(super) fn start(client: Client) -> PublishQueue {
        let (queue, mut rx) = PublishQueue::new();
        // Not a sender: the task ends when the last sender is dropped.
        let waiting = queue.waiting.clone();
        tokio::spawn(async move {
            while let Some(p) = rx.recv().await {
                // Closed articles' diagnostics (after indexing: 20,000 of
                // them) are nobody's wait; a response being written is.
                if p.version.is_none() {
                    crate::background::leave_room_for_requests(PUBLISH_PAUSE).await;
                }
                client
                    .publish_diagnostics(p.uri, p.diagnostics, p.version)
                    .await;
                waiting.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        queue
    }

    fn new() -> (PublishQueue, mpsc::UnboundedReceiver<Publish>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let waiting = Arc::default();
        (PublishQueue { tx, waiting }, rx)
    }

    pub(super) fn send(
        &self,
        p: Publish,
    ) -> std::result::Result<(), mpsc::error::SendError<Publish>> {
        use std::sync::atomic::Ordering;
        self.waiting.fetch_add(1, Ordering::Relaxed);
        self.tx.send(p).inspect_err(|_| {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
        })
    }

    /// Waits (on a background thread, holding no lock) while more than
    /// [`Self::ROOM`] publications wait for the client; returns at once when
    /// the session is over.
    pub(super) fn wait_for_room(&self) {
        while self.waiting.load(std::sync::atomic::Ordering::Relaxed) > Self::ROOM
            && !self.tx.is_closed()
        {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// Computes diagnostics for `paths` and queues those that changed since
/// the last publication. Call with the state locked, right after the
/// change, so queue order = change order.
pub(super) fn queue_diagnostics(state: &mut State, tx: &PublishQueue, paths: &[PathBuf]) {
    queue_diagnostics_for(state, tx, paths, None)
}

/// As [`queue_diagnostics`]; `edited` (an open document that just
/// changed) is published even when its diagnostics did not change, so the
/// client gets one publication per version.
pub(super) fn queue_diagnostics_for(
    state: &mut State,
    tx: &PublishQueue,
    paths: &[PathBuf],
    edited: Option<&Path>,
) {
    let pending = compute_diagnostics(state, paths, edited, true);
    commit_diagnostics(state, tx, pending);
}

/// Refreshes the diagnostics of `paths`, `chunk` at a time, each under the
/// read lock: how many were published; `None` when an edit past
/// `generation` cancelled it.
fn refresh_in_chunks(
    state: &RwLock<State>,
    tx: &PublishQueue,
    paths: &[PathBuf],
    chunk: usize,
    generation: Option<u64>,
) -> Option<usize> {
    let mut published = 0;
    for chunk in paths.chunks(chunk) {
        crate::background::yield_to_requests();
        tx.wait_for_room();
        let s = state.read();
        if generation.is_some_and(|g| s.edit_generation != g) {
            return None;
        }
        let pending = compute_diagnostics(&s, chunk, None, false);
        published += pending.len();
        commit_diagnostics(&s, tx, pending);
    }
    Some(published)
}

/// Makes the hover cards of the most mentioned names ahead of the first
/// hover ([`gazette_ide::hover_cards_to_warm`]): after indexing (no
/// `generation`) all of them, after an edit those it made stale, most
/// mentioned first. A few at a time under the read lock, between requests;
/// false when an edit past `generation` cancelled it (the edit's own
/// refresh goes on with them).
fn warm_hover_cards(state: &RwLock<State>, generation: Option<u64>) -> bool {
    /// Cards made per read-lock hold: the largest takes milliseconds.
    const CHUNK: usize = 8;
    let t0 = std::time::Instant::now();
    let live = |s: &State| generation.is_none_or(|g| s.edit_generation == g);
    let Some(keys) = cards_to_warm(&state.read(), generation, live) else {
        return false;
    };
    for chunk in keys.chunks(CHUNK) {
        crate::background::yield_to_requests();
        let s = state.read();
        if !live(&s) {
            return false;
        }
        chunk
            .iter()
            .for_each(|&e| gazette_ide::warm_hover_card(&s.corpus, &*s, e));
    }
    if !keys.is_empty() {
        tracing::debug!(
            "{} hover cards made ahead in {:?}",
            keys.len(),
            t0.elapsed()
        );
    }
    true
}

/// Which cards to make, most mentioned first: every frequent key's (one
/// pass over a column of totals), or those changes made stale; `None` when
/// an edit past `generation` came first.
fn cards_to_warm(
    s: &State,
    generation: Option<u64>,
    live: impl Fn(&State) -> bool,
) -> Option<Vec<gazette_core::corpus::KeyId>> {
    live(s).then(|| match generation {
        None => gazette_ide::hover_cards_to_warm(&s.corpus),
        Some(_) => gazette_ide::stale_hover_cards(&s.corpus),
    })
}

/// Refreshes the diagnostics of many documents without the write lock:
/// they are computed and committed in chunks under the read lock, so
/// requests go on beside them, on one core, so they leave the other
/// cores to requests. With `generation`, a later edit cancels the
/// refresh (it schedules its own). With `trim`, the query caches are
/// dropped and the heap trimmed after the pass (after indexing, new
/// settings: not after a keystroke in gazette.toml, where trimming a
/// heap that held 10^5 entries locked the allocator under requests
/// for up to a quarter of a second).
pub(super) fn refresh_diagnostics_later(
    state: Arc<RwLock<State>>,
    tx: PublishQueue,
    paths: Vec<PathBuf>,
    generation: Option<u64>,
    trim: bool,
) {
    /// Documents per chunk: keeps each read-lock hold (which an edit waits
    /// for) to a few milliseconds.
    const CHUNK: usize = 16;
    crate::background::spawn("gazette diagnostics", move || {
        if !warm_hover_cards(&state, generation) {
            return;
        }
        let t0 = std::time::Instant::now();
        let Some(published) = refresh_in_chunks(&state, &tx, &paths, CHUNK, generation) else {
            return;
        };
        tracing::debug!(
            "diagnostics of {} documents refreshed in {:?} ({published} published)",
            paths.len(),
            t0.elapsed()
        );
        // After a pass over the whole corpus (not the refresh after an
        // edit: trimming a large heap locks the allocator for
        // milliseconds, stalling requests).
        if trim && generation.is_none() && paths.len() > CHUNK {
            state.read().corpus.drop_query_caches();
            crate::memory::release_free_memory();
        }
    });
}

/// The diagnostics of `paths` that changed since they were last
/// published (or belong to `edited`), computed from a read-only state
/// (on all cores when `parallel`).
fn compute_diagnostics(
    state: &State,
    paths: &[PathBuf],
    edited: Option<&Path>,
    parallel: bool,
) -> Vec<PendingDiagnostics> {
    use rayon::prelude::*;
    let one = |path: &PathBuf| pending_diagnostics(state, path, edited);
    if parallel && paths.len() >= 16 {
        paths.par_iter().filter_map(one).collect()
    } else {
        paths.iter().filter_map(one).collect()
    }
}

/// The diagnostics of `doc` at the levels the settings give (those turned
/// off left out).
fn leveled_diagnostics(state: &State, doc: DocId) -> Vec<gazette_ide::Diagnostic> {
    let leveled = gazette_ide::diagnostics(&state.corpus, doc).into_iter();
    let leveled = leveled.filter_map(|mut d| {
        d.severity = state.level(d.code)?;
        Some(d)
    });
    leveled.collect()
}

/// Does the client have these diagnostics of `path` (by their fingerprint;
/// none where nothing was published)?
fn published_already(state: &State, path: &Path, fingerprint: u64, empty: bool) -> bool {
    let published = state.published.lock();
    published.get(path) == Some(&fingerprint) || (empty && !published.contains_key(path))
}

/// The diagnostics of the article at `path` to publish: `None` when they
/// are what the client has (unless it is the document just edited, whose
/// version moved on) or it is no article.
fn pending_diagnostics(
    state: &State,
    path: &PathBuf,
    edited: Option<&Path>,
) -> Option<PendingDiagnostics> {
    if state.is_kb_path(path) {
        return None;
    }
    let doc = state.corpus.doc_id(path)?;
    let diags = leveled_diagnostics(state, doc);
    let fingerprint = fingerprint(&diags);
    let unchanged = published_already(state, path, fingerprint, diags.is_empty());
    if unchanged && edited != Some(path.as_path()) {
        return None;
    }
    let (uri, version) = match state.open.get(path) {
        Some(o) => (Some(o.uri.clone()), Some(o.version)),
        None => (convert::path_to_uri(path), None),
    };
    let uri = uri?;
    let diagnostics = to_proto::diagnostics(state, doc, &diags);
    Some(PendingDiagnostics {
        path: path.clone(),
        fingerprint: (!diags.is_empty()).then_some(fingerprint),
        publish: Publish {
            uri,
            version,
            diagnostics,
        },
    })
}

/// What diagnostics are compared by: the same list, the same fingerprint.
fn fingerprint(diags: &[gazette_ide::Diagnostic]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    diags.hash(&mut h);
    h.finish()
}

/// Records and queues computed diagnostics; a stale computation for an
/// open document (edited since) is dropped, so versions stay in order.
/// Any lock on the state will do: edits need the write lock, so the
/// versions cannot change while the caller holds it.
fn commit_diagnostics(state: &State, tx: &PublishQueue, pending: Vec<PendingDiagnostics>) {
    for p in pending {
        let current = state.open.get(&p.path).map(|o| o.version);
        if current != p.publish.version {
            continue;
        }
        match p.fingerprint {
            None => state.published.lock().remove(&p.path),
            Some(f) => state.published.lock().insert(p.path, f),
        };
        let _ = tx.send(p.publish);
    }
}

/// Publishes the knowledge base's own diagnostics (syntax errors, unknown
/// kinds, duplicates) against its current text.
pub(super) fn queue_kb_diagnostics(state: &mut State, tx: &PublishQueue) {
    let Some(path) = state.kb.path.clone() else {
        return;
    };
    let diags = to_proto::kb_diagnostics(state);
    state.kb.published = queue_file_diagnostics(state, &path, diags, state.kb.published, tx);
}

/// Publishes the annotation store's diagnostics (state locked).
pub(super) fn queue_store_diagnostics(state: &mut State, tx: &PublishQueue) {
    let Some(path) = state.store.path.clone() else {
        return;
    };
    let diags = to_proto::store_diagnostics(state);
    state.store.published = queue_file_diagnostics(state, &path, diags, state.store.published, tx);
}

/// Publishes `diags` for a file of the corpus's own (gazette.toml, the
/// annotation store), under the open buffer's URI and version if it is
/// open; nothing when there is nothing to show or to clear. `published`:
/// whether diagnostics are shown now; returns the same after this call.
fn queue_file_diagnostics(
    state: &State,
    path: &std::path::Path,
    diags: Vec<Diagnostic>,
    published: bool,
    tx: &PublishQueue,
) -> bool {
    let (uri, version) = match state.open.get(path) {
        Some(o) => (Some(o.uri.clone()), Some(o.version)),
        None => (convert::path_to_uri(path), None),
    };
    let Some(uri) = uri else { return published };
    if diags.is_empty() && !published {
        return false;
    }
    let shown = !diags.is_empty();
    let _ = tx.send(Publish {
        uri,
        version,
        diagnostics: diags,
    });
    shown
}

/// A new text of the annotation store (state locked): put in force, the
/// articles it changed analysed again, diagnostics published (the store's
/// now, the corpus's once the background refresh gets to them).
pub(super) fn store_changed(
    state_arc: &Arc<RwLock<State>>,
    s: &mut State,
    tx: &PublishQueue,
    text: String,
) {
    let changed = s.set_store_text(text);
    queue_store_diagnostics(s, tx);
    if changed.is_empty() {
        return;
    }
    // What the user taught: the tagger adapts in the background.
    super::review::spawn_learning(state_arc, s, tx);
    let open: Vec<PathBuf> = changed
        .iter()
        .filter(|p| s.open.contains_key(*p))
        .cloned()
        .collect();
    queue_diagnostics(s, tx, &open);
    let all = all_paths(s);
    refresh_diagnostics_later(state_arc.clone(), tx.clone(), all, None, false);
}

/// After `path` changed (state locked): its diagnostics now, those of
/// the other documents it may affect once changes pause.
pub(super) fn diagnostics_after_change(
    state_arc: &Arc<RwLock<State>>,
    s: &mut State,
    tx: &PublishQueue,
    path: &Path,
) {
    queue_diagnostics(s, tx, &[path.to_path_buf()]);
    if !s.overrides.annotations().for_path(path).is_empty() {
        queue_store_diagnostics(s, tx);
    }
    refresh_affected_after_pause(state_arc, s, tx, path);
}

/// Refreshes the diagnostics of the documents a change to `path` may
/// affect, once changes pause for [`DIAGNOSTICS_DEBOUNCE_MS`]; a later
/// change cancels it and schedules its own (so a burst of changes, say
/// a `git checkout` of a thousand files, costs one refresh, not one per
/// file). State locked, so the generation counts every change.
pub(super) fn refresh_affected_after_pause(
    state_arc: &Arc<RwLock<State>>,
    s: &mut State,
    tx: &PublishQueue,
    path: &Path,
) {
    s.edit_generation += 1;
    let generation = s.edit_generation;
    let (state, tx, path) = (state_arc.clone(), tx.clone(), path.to_path_buf());
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(DIAGNOSTICS_DEBOUNCE_MS)).await;
        let affected = {
            let s = state.read();
            if s.edit_generation != generation {
                return; // a later change schedules its own refresh
            }
            let mut a = affected(&s, &path);
            a.retain(|p| *p != path);
            a
        };
        refresh_diagnostics_later(state, tx, affected, Some(generation), false);
    });
}

/// The paths of every document in the corpus.
pub(super) fn all_paths(s: &State) -> Vec<PathBuf> {
    let path = |&d| s.corpus.path(d).to_path_buf();
    s.corpus.doc_ids().iter().map(path).collect()
}

/// Documents whose diagnostics may change after `changed` changed: open
/// documents, documents that currently show diagnostics, and the changed one.
pub(super) fn affected(state: &State, changed: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = state.open.keys().cloned().collect();
    out.extend(state.published.lock().keys().cloned());
    out.push(changed.to_path_buf());
    out.sort();
    out.dedup();
    out
}

/// Removes the documents that are no longer corpus files (the file
/// settings changed), and their diagnostics; open ones and the knowledge
/// base stay.
pub(super) fn drop_unlisted(s: &mut State, tx: &PublishQueue, listed: &[PathBuf]) {
    let keep: HashSet<&PathBuf> = listed.iter().collect();
    let stale: Vec<PathBuf> = s
        .corpus
        .doc_ids()
        .iter()
        .map(|&d| s.corpus.path(d).to_path_buf())
        .filter(|p| !keep.contains(p) && !s.open.contains_key(p) && !s.is_kb_path(p))
        .collect();
    for p in stale {
        s.corpus.remove_document(&p);
        forget(s, tx, &p, convert::path_to_uri(&p));
    }
}

/// `path` left the corpus: its diagnostics, if any are shown, are cleared
/// (published empty, at `uri`).
pub(super) fn forget(s: &State, tx: &PublishQueue, path: &Path, uri: Option<Uri>) {
    if s.published.lock().remove(path).is_some() {
        if let Some(uri) = uri {
            let _ = tx.send(Publish {
                uri,
                version: None,
                diagnostics: Vec::new(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_refreshes_wait_for_a_slow_client() {
        use std::sync::atomic::Ordering;
        let (q, rx) = PublishQueue::new();
        let publish = || Publish {
            uri: "file:///a.txt".parse().unwrap(),
            version: None,
            diagnostics: Vec::new(),
        };
        for _ in 0..PublishQueue::ROOM + 10 {
            q.send(publish()).unwrap();
        }
        let (done_tx, done) = std::sync::mpsc::channel();
        let q2 = q.clone();
        std::thread::spawn(move || {
            q2.wait_for_room();
            done_tx.send(()).unwrap();
        });
        let wait = std::time::Duration::from_millis(100);
        assert!(done.recv_timeout(wait).is_err(), "did not wait");
        // The client caught up.
        q.waiting.fetch_sub(20, Ordering::Relaxed);
        assert!(done.recv_timeout(std::time::Duration::from_secs(5)).is_ok());
        // The session ended: no waiting at all.
        q.waiting.fetch_add(100, Ordering::Relaxed);
        drop(rx);
        q.wait_for_room();
    }
}
