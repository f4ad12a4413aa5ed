//! LSP handlers.

use super::convert::{self, uri_to_path};
use super::output::Destination;
use super::state::{prepare_kb, OpenDoc, PreparedKb, State};
use gazette_core::corpus::build::{analyze_files, FileResult};
use gazette_core::text::position::Cursor;
use gazette_core::workspace::{discover, FileFilter};
use gazette_ide::TextSource;
use parking_lot::RwLock;
use ropey::Rope;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

/// How long typing must pause before other documents' diagnostics are refreshed.
const DIAGNOSTICS_DEBOUNCE_MS: u64 = 200;
/// The longest a closed article's diagnostics wait for requests to be
/// answered (an edited article's diagnostics may be queued behind them).
const PUBLISH_PAUSE: std::time::Duration = std::time::Duration::from_millis(10);

/// Files analysed per batch while indexing (progress granularity).
const INDEX_BATCH: usize = 256;

/// Diagnostics computed for one document, not yet recorded or sent.
struct PendingDiagnostics {
    path: PathBuf,
    /// `None`: the document has no diagnostics.
    fingerprint: Option<u64>,
    publish: Publish,
}

/// One diagnostics publication, queued in the order edits were applied.
struct Publish {
    uri: Uri,
    version: Option<i32>,
    diagnostics: Vec<Diagnostic>,
}

/// The one ordered queue of diagnostics to publish, with the number still
/// waiting: background refreshes wait for the client to catch up
/// ([`PublishQueue::wait_for_room`]) instead of queuing the diagnostics of
/// the whole corpus in memory when the client reads slowly.
#[derive(Clone)]
struct PublishQueue {
    tx: mpsc::UnboundedSender<Publish>,
    waiting: Arc<std::sync::atomic::AtomicUsize>,
}

impl PublishQueue {
    /// Publications a background refresh lets wait before it pauses.
    const ROOM: usize = 256;

    fn new() -> (PublishQueue, mpsc::UnboundedReceiver<Publish>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let waiting = Arc::default();
        (PublishQueue { tx, waiting }, rx)
    }

    fn send(&self, p: Publish) -> std::result::Result<(), mpsc::error::SendError<Publish>> {
        use std::sync::atomic::Ordering;
        self.waiting.fetch_add(1, Ordering::Relaxed);
        self.tx.send(p).inspect_err(|_| {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
        })
    }

    /// Waits (on a background thread, holding no lock) while more than
    /// [`Self::ROOM`] publications wait for the client; returns at once when
    /// the session is over.
    fn wait_for_room(&self) {
        while self.waiting.load(std::sync::atomic::Ordering::Relaxed) > Self::ROOM
            && !self.tx.is_closed()
        {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

pub struct Backend {
    client: Client,
    state: Arc<RwLock<State>>,
    publish_tx: PublishQueue,
    client_flags: RwLock<ClientFlags>,
}

/// Runs a query, turning a panic into a JSON-RPC internal error instead of
/// taking the server down.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Ok(v),
        Err(e) => {
            let msg = gazette_core::analysis::panic_message(&*e).unwrap_or_default();
            tracing::error!("panic in {what}: {msg}");
            let mut err = Error::internal_error();
            err.message = format!("gazette: internal error in {what}: {msg}").into();
            Err(err)
        }
    }
}

impl Backend {
    fn new(client: Client) -> Backend {
        let (publish_tx, mut rx) = PublishQueue::new();
        let c = client.clone();
        // Not a sender: the task ends when the last sender is dropped.
        let waiting = publish_tx.waiting.clone();
        tokio::spawn(async move {
            while let Some(p) = rx.recv().await {
                // Closed articles' diagnostics (after indexing: 20,000 of
                // them) are nobody's wait; a response being written is.
                if p.version.is_none() {
                    crate::background::leave_room_for_requests(PUBLISH_PAUSE).await;
                }
                c.publish_diagnostics(p.uri, p.diagnostics, p.version).await;
                waiting.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        Backend {
            client,
            state: Arc::new(RwLock::new(State::new())),
            publish_tx,
            client_flags: RwLock::new(ClientFlags::default()),
        }
    }

    /// Computes diagnostics for `paths` and queues those that changed since
    /// the last publication. Call with the state locked, right after the
    /// change, so queue order = change order.
    fn queue_diagnostics(state: &mut State, tx: &PublishQueue, paths: &[PathBuf]) {
        Self::queue_diagnostics_for(state, tx, paths, None)
    }

    /// As [`Self::queue_diagnostics`]; `edited` (an open document that just
    /// changed) is published even when its diagnostics did not change, so the
    /// client gets one publication per version.
    fn queue_diagnostics_for(
        state: &mut State,
        tx: &PublishQueue,
        paths: &[PathBuf],
        edited: Option<&Path>,
    ) {
        let pending = Self::compute_diagnostics(state, paths, edited, true);
        Self::commit_diagnostics(state, tx, pending);
    }

    /// Refreshes the diagnostics of many documents without the write lock:
    /// they are computed and committed in chunks under the read lock, so
    /// requests go on beside them, on one core, so they leave the other
    /// cores to requests. With `generation`, a later edit cancels the
    /// refresh (it schedules its own).
    fn refresh_diagnostics_later(
        state: Arc<RwLock<State>>,
        tx: PublishQueue,
        paths: Vec<PathBuf>,
        generation: Option<u64>,
    ) {
        /// Documents per chunk: keeps each read-lock hold (which an edit waits
        /// for) to a few milliseconds.
        const CHUNK: usize = 16;
        crate::background::spawn("gazette diagnostics", move || {
            let t0 = std::time::Instant::now();
            let mut published = 0;
            for chunk in paths.chunks(CHUNK) {
                crate::background::yield_to_requests();
                tx.wait_for_room();
                let s = state.read();
                if generation.is_some_and(|g| s.edit_generation != g) {
                    return;
                }
                let pending = Self::compute_diagnostics(&s, chunk, None, false);
                published += pending.len();
                Self::commit_diagnostics(&s, &tx, pending);
            }
            tracing::debug!(
                "diagnostics of {} documents refreshed in {:?} ({published} published)",
                paths.len(),
                t0.elapsed()
            );
            // After a pass over the whole corpus (not the refresh after an
            // edit: trimming a large heap locks the allocator for
            // milliseconds, stalling requests).
            if generation.is_none() && paths.len() > CHUNK {
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
        let one = |path: &PathBuf| -> Option<PendingDiagnostics> {
            if state.is_kb_path(path) {
                return None;
            }
            let doc = state.corpus.doc_id(path)?;
            let diags: Vec<gazette_ide::Diagnostic> = gazette_ide::diagnostics(&state.corpus, doc)
                .into_iter()
                .filter_map(|mut d| {
                    d.severity = state.level(d.code)?;
                    Some(d)
                })
                .collect();
            let fingerprint = {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                diags.hash(&mut h);
                h.finish()
            };
            let unchanged = {
                let published = state.published.lock();
                published.get(path) == Some(&fingerprint)
                    || (diags.is_empty() && !published.contains_key(path))
            };
            if unchanged && edited != Some(path.as_path()) {
                return None;
            }
            let (uri, version) = match state.open.get(path) {
                Some(o) => (Some(o.uri.clone()), Some(o.version)),
                None => (convert::path_to_uri(path), None),
            };
            let uri = uri?;
            let lsp = Self::lsp_diagnostics(state, doc, &diags);
            Some(PendingDiagnostics {
                path: path.clone(),
                fingerprint: (!diags.is_empty()).then_some(fingerprint),
                publish: Publish {
                    uri,
                    version,
                    diagnostics: lsp,
                },
            })
        };
        if parallel && paths.len() >= 16 {
            paths.par_iter().filter_map(one).collect()
        } else {
            paths.iter().filter_map(one).collect()
        }
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

    /// A document's diagnostics as LSP diagnostics.
    fn lsp_diagnostics(
        state: &State,
        doc: gazette_core::corpus::DocId,
        diags: &[gazette_ide::Diagnostic],
    ) -> Vec<Diagnostic> {
        let enc = state.encoding;
        let corpus = &state.corpus;
        let li = &corpus.doc(doc).unwrap().analysis.line_index;
        diags
            .iter()
            .map(|d| Diagnostic {
                range: convert::range(li, d.span, enc),
                severity: Some(convert::severity(d.severity)),
                code: Some(NumberOrString::String(d.code.as_str().to_string())),
                source: Some("gazette".into()),
                message: d.message.clone(),
                related_information: (!d.related.is_empty()).then(|| {
                    d.related
                        .iter()
                        .filter_map(|(loc, msg)| {
                            let p = corpus.path(loc.doc);
                            let li = &corpus.doc(loc.doc)?.analysis.line_index;
                            Some(DiagnosticRelatedInformation {
                                location: Location {
                                    uri: convert::path_to_uri(p)?,
                                    range: convert::range(li, loc.span, enc),
                                },
                                message: msg.clone(),
                            })
                        })
                        .collect()
                }),
                data: d.fix.as_ref().map(|f| serde_json::json!({ "fix": f })),
                ..Default::default()
            })
            .collect()
    }

    /// Publishes the knowledge base's own diagnostics (syntax errors, unknown
    /// kinds, duplicates) against its current text.
    fn queue_kb_diagnostics(state: &mut State, tx: &PublishQueue) {
        let Some(path) = state.kb.path.clone() else {
            return;
        };
        let (uri, version) = match state.open.get(&path) {
            Some(o) => (Some(o.uri.clone()), Some(o.version)),
            None => (convert::path_to_uri(&path), None),
        };
        let Some(uri) = uri else { return };
        let li = match &state.kb.line_index {
            Some(li) => li.clone(),
            None => Arc::new(gazette_core::text::position::LineIndex::new("")),
        };
        let enc = state.encoding;
        let diags: Vec<Diagnostic> = state
            .kb
            .errors
            .iter()
            .filter_map(|e| {
                let code = gazette_ide::DiagCode::from_kb(e.kind);
                let sev = state.level(code)?;
                let mut message = e.message.clone();
                if e.kind == gazette_core::kb::KbErrorKind::Syntax && state.kb.good.is_some() {
                    message.push_str(" (the last valid version stays in force)");
                }
                Some(Diagnostic {
                    range: convert::range(&li, e.span, enc),
                    severity: Some(convert::severity(sev)),
                    code: Some(NumberOrString::String(code.as_str().to_string())),
                    source: Some("gazette".into()),
                    message,
                    ..Default::default()
                })
            })
            .collect();
        if diags.is_empty() && !state.kb.published {
            return;
        }
        state.kb.published = !diags.is_empty();
        let _ = tx.send(Publish {
            uri,
            version,
            diagnostics: diags,
        });
    }

    /// Takes a new text of the knowledge base (state locked): its ticket and
    /// the recognition key in force, for [`prepare_kb`].
    fn kb_ticket(s: &mut State) -> (u64, Option<u64>) {
        s.kb.ticket += 1;
        (s.kb.ticket, s.kb.key)
    }

    /// Installs a knowledge base prepared off the lock, unless a newer text
    /// was taken meanwhile (that one is installed instead).
    fn install_kb(
        state: &Arc<RwLock<State>>,
        tx: &PublishQueue,
        ticket: u64,
        prepared: PreparedKb,
    ) {
        let mut s = state.write();
        if s.kb.ticket != ticket {
            return;
        }
        let changed = s.install_kb(prepared);
        Self::kb_changed(state, &mut s, tx, changed);
    }

    /// A new text of the knowledge base (an edit, open, close, a change on
    /// disk): parsed and
    /// prepared on a blocking thread while requests go on with the previous
    /// knowledge base, then swapped in (with 10^5 entries parsing under the
    /// state lock held every request up for seconds per keystroke).
    ///
    /// Not awaited by the notification that brought the text: messages are
    /// handled in order, and parsing 10^5 entries (~250 ms) would hold up
    /// every request behind the keystroke.
    fn update_kb(
        state: &Arc<RwLock<State>>,
        tx: &PublishQueue,
        (ticket, key): (u64, Option<u64>),
        text: Option<String>,
    ) {
        let (state, tx) = (state.clone(), tx.clone());
        tokio::spawn(async move {
            let Ok(prepared) = tokio::task::spawn_blocking(move || prepare_kb(text, key)).await
            else {
                return;
            };
            Self::install_kb(&state, &tx, ticket, prepared);
        });
    }

    /// After the knowledge base's text changed (state locked): publish its
    /// diagnostics and, when what the recognizer must know changed, analyse
    /// open articles again now and closed ones in the background.
    fn kb_changed(
        state_arc: &Arc<RwLock<State>>,
        s: &mut State,
        tx: &PublishQueue,
        recognition_changed: bool,
    ) {
        Self::queue_kb_diagnostics(s, tx);
        let mut all: Vec<PathBuf> = s
            .corpus
            .doc_ids()
            .iter()
            .map(|&d| s.corpus.path(d).to_path_buf())
            .filter(|p| !s.is_kb_path(p))
            .collect();
        let rediscover = std::mem::take(&mut s.kb.files_changed) && s.indexing_done;
        if !recognition_changed && !rediscover {
            Self::refresh_diagnostics_later(state_arc.clone(), tx.clone(), all, None);
            return;
        }
        let open: Vec<PathBuf> = s
            .open
            .keys()
            .filter(|p| !s.is_kb_path(p))
            .cloned()
            .collect();
        for p in &open {
            s.reanalyze_open(p);
        }
        let closed: Vec<PathBuf> = all
            .iter()
            .filter(|p| !s.open.contains_key(*p))
            .cloned()
            .collect();
        let gen = s.kb.generation;
        let overrides = s.overrides.clone();
        let max = s.config.max_file_size;
        let root = s.root.clone();
        let discover_in = rediscover
            .then(|| s.root.clone().map(|r| (r, s.config.clone())))
            .flatten();
        all.retain(|p| s.open.contains_key(p));
        Self::queue_diagnostics(s, tx, &all);
        let state = state_arc.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            // Background work (lower priority, see `background`): analysing
            // every closed article again must not slow the requests that
            // follow a keystroke in gazette.toml.
            let (done, result) = tokio::sync::oneshot::channel();
            crate::background::spawn("analyse articles for a new knowledge base", move || {
                // The knowledge base's [settings] changed the file selection:
                // list the articles again.
                let (paths, listed) = match discover_in {
                    Some((root, cfg)) => {
                        let l = discover(&root, &cfg).unwrap_or_default();
                        (l.clone(), Some(l))
                    }
                    None => (closed, None),
                };
                let results = crate::background::in_pool(|| {
                    analyze_files(&paths, max, root.as_deref(), &overrides)
                });
                let _ = done.send((results, listed));
            });
            let Ok((results, listed)) = result.await else {
                return;
            };
            let mut s = state.write();
            if s.kb.generation != gen {
                return; // a newer knowledge base is being applied
            }
            if let Some(listed) = listed {
                Self::drop_unlisted(&mut s, &tx, &listed);
            }
            for r in results {
                if s.open.contains_key(&r.path) || s.is_kb_path(&r.path) {
                    continue;
                }
                match r.outcome {
                    Ok((_, a)) => {
                        s.corpus.set_document(r.path, Arc::new(a));
                    }
                    Err(_) => {
                        s.corpus.remove_document(&r.path);
                    }
                }
            }
            let paths: Vec<PathBuf> = s
                .corpus
                .doc_ids()
                .iter()
                .map(|&d| s.corpus.path(d).to_path_buf())
                .collect();
            drop(s);
            Self::refresh_diagnostics_later(state.clone(), tx, paths, None);
        });
    }

    /// After `path` changed (state locked): its diagnostics now, those of
    /// the other documents it may affect once changes pause.
    fn diagnostics_after_change(
        state_arc: &Arc<RwLock<State>>,
        s: &mut State,
        tx: &PublishQueue,
        path: &Path,
    ) {
        Self::queue_diagnostics(s, tx, &[path.to_path_buf()]);
        Self::refresh_affected_after_pause(state_arc, s, tx, path);
    }

    /// Refreshes the diagnostics of the documents a change to `path` may
    /// affect, once changes pause for [`DIAGNOSTICS_DEBOUNCE_MS`]; a later
    /// change cancels it and schedules its own (so a burst of changes, say
    /// a `git checkout` of a thousand files, costs one refresh, not one per
    /// file). State locked, so the generation counts every change.
    fn refresh_affected_after_pause(
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
                let mut a = Self::affected(&s, &path);
                a.retain(|p| *p != path);
                a
            };
            Self::refresh_diagnostics_later(state, tx, affected, Some(generation));
        });
    }

    /// The debug log's account of memory after indexing: the index by
    /// table, interned strings, and the allocator's view.
    fn log_index_memory(corpus: &gazette_core::corpus::Corpus) {
        let report = corpus.heap_report();
        let total: usize = report.iter().map(|r| r.1).sum();
        tracing::debug!(
            "index in memory, about {} MB, and {} interned strings in {:.1} MB \
             ({:.1} MB reserved): {}; {}",
            total >> 20,
            ustr::num_entries(),
            ustr::total_allocated() as f64 / 1048576.0,
            ustr::total_capacity() as f64 / 1048576.0,
            report
                .iter()
                .map(|(k, n)| format!("{k} {:.1} MB", *n as f64 / 1048576.0))
                .collect::<Vec<_>>()
                .join(", "),
            crate::memory::heap_summary().unwrap_or_default()
        );
    }

    /// Documents whose diagnostics may change after `changed` changed: open
    /// documents, documents that currently show diagnostics, and the changed one.
    fn affected(state: &State, changed: &Path) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = state.open.keys().cloned().collect();
        out.extend(state.published.lock().keys().cloned());
        out.push(changed.to_path_buf());
        out.sort();
        out.dedup();
        out
    }

    /// Applies the editor's `gazette` settings; returns the problems found
    /// (shown to the user) and whether the file selection changed.
    fn apply_settings(state: &mut State, v: &Value) -> (Vec<String>, bool) {
        let before = (
            state.config.include.clone(),
            state.config.exclude.clone(),
            state.config.max_file_size,
        );
        let mut problems = Vec::new();
        if let Some(d) = v.get("diagnostics").and_then(Value::as_object) {
            state.client_levels.clear();
            for (k, val) in d {
                let Some(group) = gazette_core::kb::diagnostic_group(k) else {
                    problems.push(format!(
                        "unknown diagnostic setting gazette.diagnostics.{k}"
                    ));
                    continue;
                };
                match val.as_str().and_then(gazette_core::kb::Level::parse) {
                    Some(l) => {
                        state.client_levels.insert(group.to_string(), l);
                    }
                    None if val.is_null() => {}
                    None => problems.push(format!(
                        "gazette.diagnostics.{k}: use \"off\", \"hint\", \"information\", \"warning\" or \"error\""
                    )),
                }
            }
        }
        state.client_files = (
            state.client_files.0 || v.get("include").is_some_and(Value::is_array),
            state.client_files.1 || v.get("exclude").is_some_and(Value::is_array),
            state.client_files.2 || v.get("maxFileSize").is_some_and(Value::is_u64),
        );
        Self::apply_file_settings(state, v, &mut problems);
        let after = (
            state.config.include.clone(),
            state.config.exclude.clone(),
            state.config.max_file_size,
        );
        (problems, before != after)
    }

    fn apply_file_settings(state: &mut State, v: &Value, problems: &mut Vec<String>) {
        let get_list = |key: &str| -> Option<Vec<String>> {
            v.get(key)?.as_array().map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
        };
        if let Some(inc) = get_list("include") {
            state.config.include = inc;
        }
        if let Some(exc) = get_list("exclude") {
            state.config.exclude = exc;
        }
        if let Some(n) = v.get("maxFileSize").and_then(Value::as_u64) {
            state.config.max_file_size = gazette_core::workspace::size_limit(n);
        }
        // A glob that does not compile is reported and left out; the others
        // still select the articles.
        state.filter = FileFilter::new(&state.config);
        for p in state.filter.problems() {
            tracing::warn!("bad include/exclude setting: {p}");
            problems.push(format!("gazette.{p} (ignored)"));
        }
    }

    /// Removes the documents that are no longer corpus files (the file
    /// settings changed), and their diagnostics; open ones and the knowledge
    /// base stay.
    fn drop_unlisted(s: &mut State, tx: &PublishQueue, listed: &[PathBuf]) {
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
            if s.published.lock().remove(&p).is_some() {
                if let Some(uri) = convert::path_to_uri(&p) {
                    let _ = tx.send(Publish {
                        uri,
                        version: None,
                        diagnostics: Vec::new(),
                    });
                }
            }
        }
    }

    /// Indexes the workspace in the background, reporting `$/progress`.
    fn spawn_indexing(&self, progress_supported: bool) {
        Self::spawn_indexing_with(
            self.state.clone(),
            self.client.clone(),
            self.publish_tx.clone(),
            progress_supported,
        );
    }

    /// Indexes (or re-indexes, after the file settings changed) the workspace.
    fn spawn_indexing_with(
        state: Arc<RwLock<State>>,
        client: Client,
        tx: PublishQueue,
        progress_supported: bool,
    ) {
        let t_start = std::time::Instant::now();
        tokio::spawn(async move {
            let (root, config) = {
                let s = state.read();
                (s.root.clone(), s.config.clone())
            };
            let Some(root) = root else {
                state.write().indexing_done = true;
                return;
            };
            let token = NumberOrString::String("gazette/indexing".into());
            let progress_ok = progress_supported
                && client
                    .create_work_done_progress(token.clone())
                    .await
                    .is_ok();
            let progress = if progress_ok {
                Some(
                    client
                        .progress(token, "gazette: indexing")
                        .with_message("finding articles")
                        .with_percentage(0)
                        .begin()
                        .await,
                )
            } else {
                None
            };
            let cfg = config.clone();
            let r = root.clone();
            let paths = tokio::task::spawn_blocking(move || discover(&r, &cfg)).await;
            let paths = match paths {
                Ok(Ok(p)) => p,
                Ok(Err(e)) => {
                    client
                        .log_message(
                            MessageType::ERROR,
                            format!("gazette: cannot list {}: {e}", root.display()),
                        )
                        .await;
                    Vec::new()
                }
                Err(e) => {
                    tracing::error!("discover task failed: {e}");
                    Vec::new()
                }
            };
            // The knowledge base is not an article; documents no longer
            // selected (settings changed) leave the corpus.
            let paths: Vec<PathBuf> = {
                let mut s = state.write();
                let paths: Vec<PathBuf> = paths.into_iter().filter(|p| !s.is_kb_path(p)).collect();
                Self::drop_unlisted(&mut s, &tx, &paths);
                paths
            };
            let t_listed = std::time::Instant::now();
            let (cache_file, overrides_fp) = {
                let s = state.read();
                (
                    s.cache_file.clone(),
                    gazette_core::cache::overrides_fingerprint(&s.overrides),
                )
            };
            let total = paths.len();
            // The persistent index: analyses of files that did not change,
            // inserted while the rest of it is decoded.
            let mut from_index: HashSet<PathBuf> = HashSet::new();
            let mut index_current = false;
            if let Some(f) = cache_file.clone() {
                let loaded = Self::insert_from_index(
                    &state,
                    &f,
                    &root,
                    overrides_fp,
                    config.max_file_size,
                    &paths,
                    &mut from_index,
                    progress.as_ref(),
                )
                .await;
                match loaded {
                    Ok(l) => index_current = l.dropped == 0,
                    Err(why) => tracing::info!("{why}"),
                }
            }
            let t_loaded = std::time::Instant::now();
            let misses: Vec<PathBuf> = paths
                .into_iter()
                .filter(|p| !from_index.contains(p))
                .collect();
            index_current &= misses.is_empty();
            drop(from_index);
            let mut done = total - misses.len();
            let mut skipped = 0usize;
            let mut skipped_lines: Vec<String> = Vec::new();
            // Pipelined: the next batch is analysed (on the blocking pool,
            // all cores) while this one is inserted into the index.
            let mut in_flight: Option<(usize, tokio::task::JoinHandle<Vec<FileResult>>)> = None;
            let mut chunks = misses.chunks(INDEX_BATCH);
            loop {
                let next = chunks.next();
                let mut started = None;
                if let Some(chunk) = next {
                    let overrides = state.read().overrides.clone();
                    let max = config.max_file_size;
                    let n = chunk.len();
                    let chunk = chunk.to_vec();
                    let root = root.clone();
                    started = Some((
                        n,
                        tokio::task::spawn_blocking(move || {
                            analyze_files(&chunk, max, Some(&root), &overrides)
                        }),
                    ));
                }
                let Some((n, handle)) = std::mem::replace(&mut in_flight, started) else {
                    if in_flight.is_none() {
                        break;
                    }
                    continue;
                };
                let results = match handle.await {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::error!("indexing batch failed: {e}");
                        Vec::new()
                    }
                };
                {
                    let mut s = state.write();
                    for r in results {
                        // The editor's buffer is the truth for open documents.
                        if s.open.contains_key(&r.path) {
                            continue;
                        }
                        // Deleted or renamed while this batch was read: the
                        // watcher's event may already have been applied, and
                        // a stale analysis must not come back after it.
                        if !r.path.is_file() {
                            continue;
                        }
                        match r.outcome {
                            Ok((_, a)) => {
                                // The stamp of the bytes analysed: the key
                                // of this analysis in the persistent index.
                                match r.stamp {
                                    Some(st) => s.stamps.insert(r.path.clone(), st),
                                    None => s.stamps.remove(&r.path),
                                };
                                s.corpus.set_document(r.path, Arc::new(a));
                            }
                            Err(e) => {
                                skipped += 1;
                                tracing::info!("{}: {e}", r.path.display());
                                skipped_lines.push(format!("{}: {e}", r.path.display()));
                            }
                        }
                    }
                }
                done += n;
                if let Some(p) = &progress {
                    let pct = (done * 100 / total.max(1)) as u32;
                    p.report_with_message(format!("{done}/{total} articles"), pct)
                        .await;
                }
            }
            tracing::debug!(
                "{total} articles: listed in {:.2} s, {} taken from the index in {:.2} s, {} analysed in {:.2} s",
                t_listed.duration_since(t_start).as_secs_f64(),
                total - misses.len(),
                t_loaded.duration_since(t_listed).as_secs_f64(),
                misses.len(),
                t_loaded.elapsed().as_secs_f64()
            );
            // Write the persistent index (in the background; atomic replace),
            // unless it already holds exactly these analyses.
            if index_current {
                tracing::debug!("the index on disk is up to date");
            }
            if let Some(file) = cache_file.filter(|_| !index_current) {
                // What to write is fixed now: each article's analysis of its
                // file, as indexed (one the editor opens meanwhile is still
                // written, from the file). Paths and stamps are read from the
                // state a few at a time as the writer goes (a copy of every
                // path at once weighed ~10 MB at 10^5 articles, right when
                // memory peaks).
                let docs: Vec<(
                    gazette_core::corpus::DocId,
                    Arc<gazette_core::analysis::DocAnalysis>,
                )> = {
                    let s = state.read();
                    s.corpus
                        .doc_ids()
                        .into_iter()
                        .filter_map(|d| {
                            let e = s.corpus.doc(d)?;
                            let skip = s.open.contains_key(&e.path) || s.corpus.is_kb_doc(d);
                            (!skip).then(|| (d, e.analysis.clone()))
                        })
                        .collect()
                };
                let (r, state) = (root.clone(), state.clone());
                crate::background::spawn_lasting("gazette index writer", move || {
                    let it = docs.chunks(256).flat_map(|docs| {
                        crate::background::yield_to_requests();
                        let s = state.read();
                        docs.iter()
                            .filter_map(|(d, a)| {
                                // Still that analysis, or opened since: the same
                                // document. Otherwise it changed on disk (or was
                                // removed): the next start analyses it again.
                                let e = s.corpus.doc(*d)?;
                                let same =
                                    Arc::ptr_eq(&e.analysis, a) || s.open.contains_key(&e.path);
                                same.then_some(())?;
                                Some((e.path.clone(), *s.stamps.get(&e.path)?, a.clone()))
                            })
                            .collect::<Vec<_>>()
                    });
                    if let Err(e) = gazette_core::cache::save(&file, &r, overrides_fp, it) {
                        tracing::warn!("cannot write the index {}: {e}", file.display());
                    }
                });
            }
            // The index is complete; every article's diagnostics follow in
            // the background (requests are answered meanwhile).
            let paths: Vec<PathBuf> = {
                let mut s = state.write();
                s.indexing_done = true;
                s.corpus.shrink_to_fit();
                s.corpus
                    .doc_ids()
                    .iter()
                    .map(|&d| s.corpus.path(d).to_path_buf())
                    .collect()
            };
            Self::refresh_diagnostics_later(state.clone(), tx.clone(), paths, None);
            crate::memory::release_free_memory();
            let msg = format!(
                "{total} articles indexed{}",
                if skipped > 0 {
                    format!(", {skipped} skipped")
                } else {
                    String::new()
                }
            );
            if let Some(p) = progress {
                p.finish_with_message(msg.clone()).await;
            }
            if tracing::enabled!(tracing::Level::DEBUG) {
                Self::log_index_memory(&state.read().corpus);
            }
            client
                .log_message(MessageType::INFO, format!("gazette: {msg}"))
                .await;
            // Say which files were skipped and why (bounded: a corpus of junk
            // must not flood the client).
            let more = skipped_lines.len().saturating_sub(100);
            for line in skipped_lines.into_iter().take(100) {
                client
                    .log_message(MessageType::WARNING, format!("gazette: {line}"))
                    .await;
            }
            if more > 0 {
                client
                    .log_message(
                        MessageType::WARNING,
                        format!("gazette: {more} more files skipped"),
                    )
                    .await;
            }
        });
    }

    /// Inserts the analyses of the persistent index `file` whose files are
    /// listed in `paths` and unchanged on disk, while the rest of the index
    /// is decoded (on the blocking pool: decoding and checking files on all
    /// cores, inserting here). Records the paths taken in `taken`.
    #[allow(clippy::too_many_arguments)]
    async fn insert_from_index(
        state: &Arc<RwLock<State>>,
        file: &Path,
        root: &Path,
        overrides: u64,
        max_size: u64,
        paths: &[PathBuf],
        taken: &mut HashSet<PathBuf>,
        progress: Option<
            &tower_lsp_server::OngoingProgress<
                tower_lsp_server::Bounded,
                tower_lsp_server::NotCancellable,
            >,
        >,
    ) -> std::result::Result<gazette_core::cache::Loaded, String> {
        /// Documents inserted per hold of the state's lock (requests get
        /// it in between).
        const PER_LOCK: usize = 256;
        let total = paths.len();
        let wanted: Arc<HashSet<PathBuf>> = Arc::new(paths.iter().cloned().collect());
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<gazette_core::cache::Entry>>(2);
        let loader = {
            let (file, root, wanted) = (file.to_path_buf(), root.to_path_buf(), wanted.clone());
            tokio::task::spawn_blocking(move || {
                gazette_core::cache::load_each(
                    &file,
                    &root,
                    overrides,
                    |e| {
                        // Listed, within today's size limit, and still the
                        // content it was made from (read again when the
                        // times leave that in doubt).
                        wanted.contains(&e.path)
                            && e.stamp.size <= max_size
                            && e.stamp.matches(&e.path, |p| {
                                gazette_core::workspace::read_file(p, max_size, Some(&root))
                                    .ok()
                                    .map(|f| f.bytes)
                            })
                    },
                    |batch| tx.blocking_send(batch).is_ok(),
                )
            })
        };
        while let Some(batch) = rx.recv().await {
            let mut entries = batch.into_iter().peekable();
            while entries.peek().is_some() {
                {
                    let mut s = state.write();
                    for e in entries.by_ref().take(PER_LOCK) {
                        taken.insert(e.path.clone());
                        // The editor's buffer is the truth for open documents.
                        if s.open.contains_key(&e.path) {
                            continue;
                        }
                        s.stamps.insert(e.path.clone(), e.stamp);
                        s.corpus.set_document(e.path, Arc::new(e.analysis));
                    }
                }
                tokio::task::yield_now().await;
            }
            if let Some(p) = progress {
                let done = taken.len();
                let pct = (done * 100 / total.max(1)) as u32;
                p.report_with_message(format!("{done}/{total} articles"), pct)
                    .await;
            }
        }
        loader.await.unwrap_or_else(|e| Err(e.to_string()))
    }

    fn spawn_watch_registration(&self) {
        let client = self.client.clone();
        tokio::spawn(async move {
            let opts = DidChangeWatchedFilesRegistrationOptions {
                watchers: ["**/*.txt", "**/*.md", "**/gazette.toml"]
                    .iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g.to_string()),
                        kind: None,
                    })
                    .collect(),
            };
            let reg = Registration {
                id: "gazette-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(opts).ok(),
            };
            if let Err(e) = client.register_capability(vec![reg]).await {
                tracing::warn!("client refused file watching: {e}");
            }
        });
    }

    /// A fallback watcher (notify) for clients without didChangeWatchedFiles.
    fn spawn_fallback_watcher(&self, root: PathBuf) {
        use notify::{RecursiveMode, Watcher};
        let (tx, mut rx) = mpsc::unbounded_channel::<PathBuf>();
        let watcher =
            notify::recommended_watcher(move |ev: notify::Result<notify::Event>| match ev {
                Ok(ev) if changes_content(&ev.kind) => {
                    for p in ev.paths {
                        let _ = tx.send(p);
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::debug!("file watcher: {e}"),
            });
        let mut watcher = match watcher {
            Ok(w) => w,
            Err(e) => {
                tracing::warn!("no file watcher: {e}");
                return;
            }
        };
        if let Err(e) = watcher.watch(&root, RecursiveMode::Recursive) {
            tracing::warn!("cannot watch {}: {e}", root.display());
            return;
        }
        let state = self.state.clone();
        let tx_pub = self.publish_tx.clone();
        tokio::spawn(async move {
            let _keep = watcher;
            while let Some(p) = rx.recv().await {
                let s2 = state.clone();
                let t2 = tx_pub.clone();
                let _ =
                    tokio::task::spawn_blocking(move || Self::file_changed_on_disk(&s2, &t2, p))
                        .await;
            }
        });
    }

    /// A corpus file was created, changed or deleted on disk.
    fn file_changed_on_disk(state: &Arc<RwLock<State>>, tx: &PublishQueue, path: PathBuf) {
        {
            let mut s = state.write();
            if s.is_kb_path(&path) {
                if s.open.contains_key(&path) {
                    return; // the editor's buffer is the truth
                }
                let (text, _) = s.read_kb_file();
                if text == s.kb.text {
                    return;
                }
                let ticket = Self::kb_ticket(&mut s);
                drop(s);
                Self::update_kb(state, tx, ticket, text);
                return;
            }
        }
        // A new folder: its files may have been written before the watcher
        // saw the folder, so look inside — only a folder of the workspace
        // (an event naming `/usr` walked all of it).
        if path.is_dir() {
            let (root, cfg) = {
                let s = state.read();
                (s.root.clone(), s.config.clone())
            };
            let Some(root) =
                root.filter(|r| gazette_core::workspace::is_workspace_folder(r, &path))
            else {
                tracing::debug!("ignored a change outside the workspace: {}", path.display());
                return;
            };
            for f in discover(&path, &cfg).unwrap_or_default() {
                if f.starts_with(&root) {
                    Self::file_changed_on_disk(state, tx, f);
                }
            }
            return;
        }
        let (in_ws, is_open, max, root, overrides) = {
            let s = state.read();
            (
                s.in_workspace(&path),
                s.open.contains_key(&path),
                s.config.max_file_size,
                s.root.clone(),
                s.overrides.clone(),
            )
        };
        if !in_ws || is_open {
            return;
        }
        let analysed = match gazette_core::workspace::read_text(&path, max, root.as_deref()) {
            Ok(d) => Some(gazette_core::analysis::analyze_decoded(&d, &overrides)),
            Err(gazette_core::workspace::SkipReason::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound =>
            {
                None
            }
            Err(e) => {
                tracing::info!("{}: {e}", path.display());
                None
            }
        };
        let mut s = state.write();
        if s.open.contains_key(&path) {
            return;
        }
        match analysed {
            Some(a) => {
                s.corpus.set_document(path.clone(), Arc::new(a));
            }
            None => {
                s.corpus.remove_document(&path);
                if s.published.lock().remove(&path).is_some() {
                    if let Some(uri) = convert::path_to_uri(&path) {
                        let _ = tx.send(Publish {
                            uri,
                            version: None,
                            diagnostics: Vec::new(),
                        });
                    }
                }
            }
        }
        Self::diagnostics_after_change(state, &mut s, tx, &path);
    }

    /// Resolves a request's document and cursor to (doc id, byte offset).
    fn locate(
        state: &State,
        uri: &Uri,
        pos: Position,
    ) -> Option<(gazette_core::corpus::DocId, usize)> {
        let path = uri_to_path(uri);
        let doc = state.corpus.doc_id(&path)?;
        let li = &state.corpus.doc(doc)?.analysis.line_index;
        Some((doc, convert::offset(li, pos, state.encoding)))
    }

    /// The references a request asks for (in the core's terms).
    fn reference_locations(
        state: &State,
        params: &ReferenceParams,
    ) -> Option<Vec<gazette_ide::Location>> {
        let p = &params.text_document_position;
        let (doc, off) = Self::locate(state, &p.text_document.uri, p.position)?;
        Some(gazette_ide::references(
            &state.corpus,
            doc,
            off,
            params.context.include_declaration,
        ))
    }

    /// Many locations at once: each document's URI is built once.
    fn locations(state: &State, locs: Vec<gazette_ide::Location>) -> Vec<Location> {
        let mut uri_of: HashMap<gazette_core::corpus::DocId, Option<Uri>> = HashMap::new();
        locs.into_iter()
            .filter_map(|loc| {
                let uri = uri_of
                    .entry(loc.doc)
                    .or_insert_with(|| {
                        let path = state.corpus.path(loc.doc);
                        match state.open.get(path) {
                            Some(o) => Some(o.uri.clone()),
                            None => convert::path_to_uri(path),
                        }
                    })
                    .clone()?;
                let li = &state.corpus.doc(loc.doc)?.analysis.line_index;
                Some(Location {
                    uri,
                    range: convert::range(li, loc.span, state.encoding),
                })
            })
            .collect()
    }

    /// [`Self::locations`] written straight to JSON: the same array, with
    /// each document's URI serialised once.
    fn locations_json(state: &State, locs: &[gazette_ide::Location]) -> Vec<Vec<u8>> {
        /// Locations per part: large results are written on all cores.
        const PART: usize = 16 * 1024;
        Self::locations_json_in_parts(state, locs, PART)
    }

    /// [`Self::locations_json`] with `part` locations per part.
    fn locations_json_in_parts(
        state: &State,
        locs: &[gazette_ide::Location],
        part: usize,
    ) -> Vec<Vec<u8>> {
        use rayon::prelude::*;
        // Open documents have the client's URI; looked up by id, not by
        // hashing every document's path.
        let open: fxhash::FxHashMap<gazette_core::corpus::DocId, &Uri> = state
            .open
            .iter()
            .filter_map(|(p, o)| Some((state.corpus.doc_id(p)?, &o.uri)))
            .collect();
        let parts: Vec<Vec<u8>> = if locs.len() > part {
            locs.par_chunks(part)
                .map(|c| Self::locations_json_part(state, &open, c))
                .collect()
        } else {
            vec![Self::locations_json_part(state, &open, locs)]
        };
        let mut out = Vec::with_capacity(2 * parts.len() + 1);
        for p in parts.into_iter().filter(|p| !p.is_empty()) {
            out.push(if out.is_empty() {
                b"[".to_vec()
            } else {
                b",".to_vec()
            });
            out.push(p);
        }
        if out.is_empty() {
            out.push(b"[".to_vec());
        }
        out.push(b"]".to_vec());
        out
    }

    /// Locations as comma-separated JSON objects (no brackets).
    fn locations_json_part(
        state: &State,
        open: &fxhash::FxHashMap<gazette_core::corpus::DocId, &Uri>,
        locs: &[gazette_ide::Location],
    ) -> Vec<u8> {
        // Locations come grouped by document (corpus order), by offset within
        // one: the URI is written and the line index walked once per run of
        // a document; the run's other locations copy the URI from the output.
        struct Run<'a> {
            doc: gazette_core::corpus::DocId,
            /// The URI's JSON in `out`, and a cursor on the line index (None:
            /// no URI).
            found: Option<(std::ops::Range<usize>, Cursor<'a>)>,
        }
        let mut cur: Option<Run> = None;
        let mut num = itoa::Buffer::new();
        // ~130 bytes per location with a short path: reserved with room to
        // spare, so a part is not copied into a buffer twice its size.
        let mut out = Vec::with_capacity(locs.len() * 160);
        for loc in locs {
            if !out.is_empty() {
                out.push(b',');
            }
            let at = out.len();
            out.extend_from_slice(b"{\"uri\":");
            let uri_at = out.len();
            if cur.as_ref().is_none_or(|run| run.doc != loc.doc) {
                let found = state.corpus.doc(loc.doc).and_then(|d| {
                    let written = match open.get(&loc.doc) {
                        Some(uri) => serde_json::to_writer(&mut out, uri).is_ok(),
                        None => convert::write_uri_json(&d.path, &mut out),
                    };
                    let cursor = d.analysis.line_index.cursor(state.encoding);
                    written.then_some((uri_at..out.len(), cursor))
                });
                cur = Some(Run {
                    doc: loc.doc,
                    found,
                });
            } else if let Some((uri, _)) = cur.as_ref().and_then(|r| r.found.as_ref()) {
                out.extend_from_within(uri.clone());
            }
            let Some((_, cursor)) = cur.as_mut().and_then(|r| r.found.as_mut()) else {
                // No URI: leave the location out (and its comma).
                out.truncate(at.saturating_sub(1));
                continue;
            };
            let r = convert::range_at(cursor, loc.span);
            out.extend_from_slice(b",\"range\":{\"start\":{\"line\":");
            out.extend_from_slice(num.format(r.start.line).as_bytes());
            out.extend_from_slice(b",\"character\":");
            out.extend_from_slice(num.format(r.start.character).as_bytes());
            out.extend_from_slice(b"},\"end\":{\"line\":");
            out.extend_from_slice(num.format(r.end.line).as_bytes());
            out.extend_from_slice(b",\"character\":");
            out.extend_from_slice(num.format(r.end.character).as_bytes());
            out.extend_from_slice(b"}}}");
        }
        out
    }

    fn location(state: &State, loc: gazette_ide::Location) -> Option<Location> {
        let path = state.corpus.path(loc.doc);
        let uri = match state.open.get(path) {
            Some(o) => o.uri.clone(),
            None => convert::path_to_uri(path)?,
        };
        let li = &state.corpus.doc(loc.doc)?.analysis.line_index;
        Some(Location {
            uri,
            range: convert::range(li, loc.span, state.encoding),
        })
    }
}

impl Backend {
    /// `gazette/documentText`: the server's copy of an open document (for
    /// clients and tests that check text synchronisation).
    async fn document_text(&self, params: TextDocumentIdentifier) -> Result<Value> {
        let path = uri_to_path(&params.uri);
        let s = self.state.read();
        match s.open.get(&path) {
            Some(d) => Ok(serde_json::json!({ "text": d.rope.to_string(), "version": d.version })),
            None => Err(Error::invalid_params(format!(
                "{} is not open",
                params.uri.as_str()
            ))),
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = convert::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| uri_to_path(&f.uri))
            .or_else(|| params.root_uri.as_ref().map(uri_to_path))
            .or_else(|| params.root_path.as_ref().map(PathBuf::from));
        {
            let mut s = self.state.write();
            s.initialized = true;
            s.encoding = enc;
            s.root = root.map(|r| std::fs::canonicalize(&r).unwrap_or(r));
            s.cache_file = match std::env::var("GAZETTE_CACHE_DIR") {
                Ok(v) if v == "off" => None,
                _ => s
                    .root
                    .as_deref()
                    .and_then(|r| gazette_core::cache::cache_file(r, None)),
            };
            let mut problems = Vec::new();
            if let Some(opts) = &params.initialization_options {
                let opts = opts.get("gazette").unwrap_or(opts);
                problems = Self::apply_settings(&mut s, opts).0;
            }
            s.kb.path = s.root.as_ref().map(|r| r.join(gazette_core::kb::FILE_NAME));
            if s.kb.path.is_some() {
                let (text, problem) = s.read_kb_file();
                problems.extend(problem);
                s.set_kb_text(text);
                Self::queue_kb_diagnostics(&mut s, &self.publish_tx);
            }
            self.show_problems(problems);
        }
        let caps = &params.capabilities;
        let progress = caps
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        let dyn_watch = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let config_pull = caps
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        *self.client_flags.write() = ClientFlags {
            progress,
            dyn_watch,
            config_pull,
        };
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(enc)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: SemanticTokensLegend {
                                token_types: gazette_ide::semantic_tokens::TOKEN_TYPES
                                    .iter()
                                    .map(|t| SemanticTokenType::new(t))
                                    .collect(),
                                token_modifiers: gazette_ide::semantic_tokens::TOKEN_MODIFIERS
                                    .iter()
                                    .map(|t| SemanticTokenModifier::new(t))
                                    .collect(),
                            },
                            range: Some(true),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            ..Default::default()
                        },
                    ),
                ),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: None,
                    ..Default::default()
                }),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR,
                        ]),
                        ..Default::default()
                    },
                )),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "gazette".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let flags = *self.client_flags.read();
        if flags.dyn_watch {
            self.spawn_watch_registration();
        } else if let Some(root) = self.state.read().root.clone() {
            self.spawn_fallback_watcher(root);
        }
        self.spawn_indexing(flags.progress);
        if flags.config_pull {
            self.spawn_config_pull(false);
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.write().shutdown = true;
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let path = uri_to_path(&td.uri);
        let kb = {
            let mut s = self.state.write();
            let is_kb = s.is_kb_path(&path);
            let text = is_kb.then(|| td.text.clone());
            s.open.insert(
                path.clone(),
                OpenDoc {
                    uri: td.uri,
                    rope: Rope::from_str(&td.text),
                    version: td.version,
                },
            );
            if !is_kb {
                if !s.reanalyze_open(&path) {
                    // Opened as indexed: nothing changes for other articles (and
                    // this one's diagnostics are published only if they changed).
                    Self::queue_diagnostics(&mut s, &self.publish_tx, std::slice::from_ref(&path));
                    return;
                }
                Self::diagnostics_after_change(&self.state, &mut s, &self.publish_tx, &path);
                return;
            }
            (Self::kb_ticket(&mut s), text)
        };
        Self::update_kb(&self.state, &self.publish_tx, kb.0, kb.1);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let path = uri_to_path(&params.text_document.uri);
        let kb = {
            let mut s = self.state.write();
            if !s.apply_changes(&path, params.text_document.version, params.content_changes) {
                tracing::warn!(
                    "didChange for a document that is not open: {}",
                    path.display()
                );
                return;
            }
            if !s.is_kb_path(&path) {
                s.reanalyze_open(&path);
                // The edited document now; the others it may affect (open ones, those
                // showing diagnostics) once typing pauses, so a keystroke costs one
                // document's diagnostics, not the corpus's.
                Self::queue_diagnostics_for(
                    &mut s,
                    &self.publish_tx,
                    std::slice::from_ref(&path),
                    Some(&path),
                );
                Self::refresh_affected_after_pause(&self.state, &mut s, &self.publish_tx, &path);
                return;
            }
            let text = s.open.get(&path).map(|d| d.rope.to_string());
            (Self::kb_ticket(&mut s), text)
        };
        Self::update_kb(&self.state, &self.publish_tx, kb.0, kb.1);
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {}

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let path = uri_to_path(&params.text_document.uri);
        let kb = {
            let mut s = self.state.write();
            s.open.remove(&path);
            s.is_kb_path(&path)
                .then(|| (Self::kb_ticket(&mut s), s.read_kb_file().0))
        };
        if let Some((ticket, text)) = kb {
            Self::update_kb(&self.state, &self.publish_tx, ticket, text);
            return;
        }
        let mut s = self.state.write();
        // Back to the file on disk (or out of the corpus if it is not a corpus file).
        let on_disk = if s.in_workspace(&path) {
            gazette_core::workspace::read_text(&path, s.config.max_file_size, s.root.as_deref())
                .ok()
                .map(|d| gazette_core::analysis::analyze_decoded(&d, &s.overrides))
        } else {
            None
        };
        match on_disk {
            Some(a) => {
                s.corpus.set_document(path.clone(), Arc::new(a));
            }
            None => {
                s.corpus.remove_document(&path);
                if s.published.lock().remove(&path).is_some() {
                    let _ = self.publish_tx.send(Publish {
                        uri: params.text_document.uri,
                        version: None,
                        diagnostics: Vec::new(),
                    });
                }
            }
        }
        Self::diagnostics_after_change(&self.state, &mut s, &self.publish_tx, &path);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        for ev in params.changes {
            let path = uri_to_path(&ev.uri);
            Self::file_changed_on_disk(&self.state, &self.publish_tx, path);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let settings = params.settings.get("gazette").cloned();
        match settings {
            Some(v) if v.is_object() => self.settings_changed(&v),
            _ => {
                if self.client_flags.read().config_pull {
                    self.spawn_config_pull(true);
                }
            }
        }
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let s = self.state.read();
        let r = guarded("prepareRename", || {
            let (doc, off) = Self::locate(&s, &params.text_document.uri, params.position)
                .ok_or_else(|| "the document is not part of the corpus".to_string())?;
            let (span, placeholder) =
                gazette_ide::rename::prepare_rename(&s.corpus, &*s, doc, off)?;
            let li = &s.corpus.doc(doc).unwrap().analysis.line_index;
            Ok::<_, String>(PrepareRenameResponse::RangeWithPlaceholder {
                range: convert::range(li, span, s.encoding),
                placeholder,
            })
        })?;
        r.map(Some).map_err(Error::invalid_params)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let s = self.state.read();
        let r = guarded("rename", || {
            let (doc, off) = Self::locate(&s, &p.text_document.uri, p.position)
                .ok_or_else(|| "the document is not part of the corpus".to_string())?;
            let edits = gazette_ide::rename::rename(&s.corpus, &*s, doc, off, &params.new_name)?;
            Ok::<_, String>(Self::workspace_edit(
                &s,
                edits.into_iter().map(|e| (e.doc, e.span, e.new_text)),
            ))
        })?;
        r.map(Some).map_err(Error::invalid_params)
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let s = self.state.read();
        guarded("workspace/symbol", || {
            let found = gazette_ide::symbols::search_entities(&s.corpus, &params.query, 200);
            #[allow(deprecated)]
            let out: Vec<SymbolInformation> = found
                .iter()
                .filter_map(|e| {
                    let loc = gazette_ide::symbols::definition_location(&s.corpus, e)?;
                    Some(SymbolInformation {
                        name: e.name.clone(),
                        kind: symbol_kind(e.kind),
                        tags: None,
                        deprecated: None,
                        location: Self::location(&s, loc)?,
                        container_name: Some(e.kind.label_de().to_string()),
                    })
                })
                .collect();
            Some(WorkspaceSymbolResponse::Flat(out))
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let s = self.state.read();
        guarded("documentSymbol", || {
            let path = uri_to_path(&params.text_document.uri);
            let doc = s.corpus.doc_id(&path)?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            let enc = s.encoding;
            let groups = gazette_ide::symbols::document_entities(&s.corpus, doc);
            #[allow(deprecated)]
            let out: Vec<DocumentSymbol> = groups
                .into_iter()
                .map(|(kind, ents)| {
                    let children: Vec<DocumentSymbol> = ents
                        .iter()
                        .map(|e| {
                            let first = e.spans[0];
                            let last = *e.spans.last().unwrap();
                            DocumentSymbol {
                                name: e.name.clone(),
                                detail: Some(format!("{}×", e.spans.len())),
                                kind: symbol_kind(e.kind),
                                tags: None,
                                deprecated: None,
                                range: convert::range(
                                    li,
                                    gazette_core::model::Span {
                                        start: first.start,
                                        end: last.end,
                                    },
                                    enc,
                                ),
                                selection_range: convert::range(li, first, enc),
                                children: None,
                            }
                        })
                        .collect();
                    let a = ents.iter().map(|e| e.spans[0].start).min().unwrap_or(0);
                    let b = ents
                        .iter()
                        .map(|e| e.spans.last().unwrap().end)
                        .max()
                        .unwrap_or(0);
                    let span = gazette_core::model::Span { start: a, end: b };
                    DocumentSymbol {
                        name: group_name(kind).to_string(),
                        detail: Some(format!("{}", ents.len())),
                        kind: SymbolKind::PACKAGE,
                        tags: None,
                        deprecated: None,
                        range: convert::range(li, span, enc),
                        selection_range: convert::range(li, ents[0].spans[0], enc),
                        children: Some(children),
                    }
                })
                .collect();
            Some(DocumentSymbolResponse::Nested(out))
        })
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let s = self.state.read();
        guarded("semanticTokens/full", || {
            let doc = s.corpus.doc_id(&uri_to_path(&params.text_document.uri))?;
            Some(SemanticTokensResult::Tokens(Self::tokens(&s, doc, None)?))
        })
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let s = self.state.read();
        guarded("semanticTokens/range", || {
            let doc = s.corpus.doc_id(&uri_to_path(&params.text_document.uri))?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            let span = gazette_core::model::Span::new(
                convert::offset(li, params.range.start, s.encoding),
                convert::offset(li, params.range.end, s.encoding),
            );
            Some(SemanticTokensRangeResult::Tokens(Self::tokens(
                &s,
                doc,
                Some(span),
            )?))
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let s = self.state.read();
        guarded("inlayHint", || {
            let path = uri_to_path(&params.text_document.uri);
            let doc = s.corpus.doc_id(&path)?;
            let text = s.text(&s.corpus, doc)?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            let span = gazette_core::model::Span::new(
                convert::offset(li, params.range.start, s.encoding),
                convert::offset(li, params.range.end, s.encoding),
            );
            Some(
                gazette_ide::lens::inlay_hints(&s.corpus, &text, doc, span)
                    .into_iter()
                    .map(|(off, label)| InlayHint {
                        position: convert::position(li, off, s.encoding),
                        label: InlayHintLabel::String(label),
                        kind: None,
                        text_edits: None,
                        tooltip: None,
                        padding_left: Some(true),
                        padding_right: None,
                        data: None,
                    })
                    .collect(),
            )
        })
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let s = self.state.read();
        guarded("codeLens", || {
            let path = uri_to_path(&params.text_document.uri);
            let doc = s.corpus.doc_id(&path)?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            Some(
                gazette_ide::lens::code_lenses(&s.corpus, doc)
                    .into_iter()
                    .map(|l| {
                        let range = convert::range(li, l.span, s.encoding);
                        let locs: Vec<Location> = l
                            .references
                            .iter()
                            .filter_map(|r| Self::location(&s, *r))
                            .collect();
                        CodeLens {
                            range,
                            command: Some(Command {
                                title: l.title,
                                command: SHOW_REFERENCES.into(),
                                arguments: Some(vec![
                                    serde_json::json!(params.text_document.uri),
                                    serde_json::json!(range.start),
                                    serde_json::json!(locs),
                                ]),
                            }),
                            data: None,
                        }
                    })
                    .collect(),
            )
        })
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let s = self.state.read();
        guarded("completion", || {
            let path = uri_to_path(&p.text_document.uri);
            let doc = s.corpus.doc_id(&path)?;
            let text = s.text(&s.corpus, doc)?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            let off = convert::offset(li, p.position, s.encoding);
            let items: Vec<CompletionItem> =
                gazette_ide::completion::complete(&s.corpus, &text, off, 50)
                    .into_iter()
                    .map(|c| CompletionItem {
                        label: c.label.clone(),
                        kind: Some(match c.kind {
                            gazette_core::model::EntityKind::Person => CompletionItemKind::CLASS,
                            gazette_core::model::EntityKind::Place => CompletionItemKind::MODULE,
                            gazette_core::model::EntityKind::Org => CompletionItemKind::STRUCT,
                            gazette_core::model::EntityKind::Other => CompletionItemKind::VALUE,
                        }),
                        detail: Some(c.detail),
                        sort_text: Some(format!("{:04}", c.sort)),
                        filter_text: Some(text[c.replace.range()].to_string()),
                        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                            range: convert::range(li, c.replace, s.encoding),
                            new_text: c.label,
                        })),
                        ..Default::default()
                    })
                    .collect();
            Some(CompletionResponse::List(CompletionList {
                is_incomplete: true,
                items,
            }))
        })
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let s = self.state.read();
        guarded("documentLink", || {
            let path = uri_to_path(&params.text_document.uri);
            let doc = s.corpus.doc_id(&path)?;
            let text = s.text(&s.corpus, doc)?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            Some(
                gazette_ide::lens::document_links(&s.corpus, &text, doc)
                    .into_iter()
                    .filter_map(|(span, target)| {
                        Some(DocumentLink {
                            range: convert::range(li, span, s.encoding),
                            target: Some(target.parse().ok()?),
                            tooltip: None,
                            data: None,
                        })
                    })
                    .collect(),
            )
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let s = self.state.read();
        guarded("codeAction", || {
            let path = uri_to_path(&params.text_document.uri);
            let doc = s.corpus.doc_id(&path)?;
            let text = s.text(&s.corpus, doc)?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            let span = gazette_core::model::Span::new(
                convert::offset(li, params.range.start, s.encoding),
                convert::offset(li, params.range.end, s.encoding),
            );
            let view = gazette_ide::code_actions::KbView {
                text: s.kb.text.as_deref(),
                kb: s.kb.good.as_deref(),
            };
            let actions =
                gazette_ide::code_actions::code_actions(&s.corpus, &*s, doc, &text, span, &view);
            Some(
                actions
                    .into_iter()
                    .filter_map(|a| {
                        let edit = Self::action_edit(&s, &a.edits)?;
                        let diagnostics = a.fixes.map(|code| {
                            params
                                .context
                                .diagnostics
                                .iter()
                                .filter(|d| {
                                    d.code
                                        == Some(NumberOrString::String(code.as_str().to_string()))
                                })
                                .cloned()
                                .collect()
                        });
                        Some(CodeActionOrCommand::CodeAction(CodeAction {
                            title: a.title,
                            kind: Some(if a.quick_fix {
                                CodeActionKind::QUICKFIX
                            } else {
                                CodeActionKind::REFACTOR
                            }),
                            diagnostics,
                            edit: Some(edit),
                            is_preferred: a.preferred.then_some(true),
                            ..Default::default()
                        }))
                    })
                    .collect(),
            )
        })
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let s = self.state.read();
        guarded("hover", || {
            let (doc, off) = Self::locate(&s, &p.text_document.uri, p.position)?;
            let card = gazette_ide::hover(&s.corpus, &*s, doc, off)?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: card.markdown,
                }),
                range: Some(convert::range(li, card.span, s.encoding)),
            })
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let s = self.state.read();
        guarded("definition", || {
            let (doc, off) = Self::locate(&s, &p.text_document.uri, p.position)?;
            let loc = gazette_ide::definition(&s.corpus, doc, off)?;
            Some(GotoDefinitionResponse::Scalar(Self::location(&s, loc)?))
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let s = self.state.read();
        guarded("references", || {
            Some(Self::locations(&s, Self::reference_locations(&s, &params)?))
        })
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let s = self.state.read();
        guarded("documentHighlight", || {
            let (doc, off) = Self::locate(&s, &p.text_document.uri, p.position)?;
            let li = &s.corpus.doc(doc)?.analysis.line_index;
            Some(
                gazette_ide::highlights(&s.corpus, doc, off)
                    .into_iter()
                    .map(|span| DocumentHighlight {
                        range: convert::range(li, span, s.encoding),
                        kind: Some(DocumentHighlightKind::TEXT),
                    })
                    .collect(),
            )
        })
    }
}

/// The command a code lens runs: arguments as VS Code's
/// `editor.action.showReferences` takes them (uri, position, locations);
/// the editor clients register it.
const SHOW_REFERENCES: &str = "gazette.showReferences";

fn symbol_kind(k: gazette_core::model::EntityKind) -> SymbolKind {
    match k {
        gazette_core::model::EntityKind::Person => SymbolKind::CLASS,
        gazette_core::model::EntityKind::Place => SymbolKind::NAMESPACE,
        gazette_core::model::EntityKind::Org => SymbolKind::STRUCT,
        gazette_core::model::EntityKind::Other => SymbolKind::OBJECT,
    }
}

fn group_name(k: gazette_core::model::EntityKind) -> &'static str {
    match k {
        gazette_core::model::EntityKind::Person => "Personen",
        gazette_core::model::EntityKind::Place => "Orte",
        gazette_core::model::EntityKind::Org => "Organisationen",
        gazette_core::model::EntityKind::Other => "Sonstiges",
    }
}

/// Params of `gazette/entities`.
#[derive(serde::Deserialize, Default)]
pub struct EntitiesParams {
    #[serde(default)]
    pub query: Option<String>,
}

impl Backend {
    /// Shows fatal configuration problems (and only those) to the user.
    fn show_problems(&self, problems: Vec<String>) {
        if problems.is_empty() {
            return;
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            client
                .show_message(
                    MessageType::ERROR,
                    format!("gazette: {}", problems.join("; ")),
                )
                .await;
        });
    }

    /// New editor settings: apply, republish, re-index when the file
    /// selection changed.
    fn settings_changed(&self, v: &Value) {
        let (problems, files_changed) = {
            let mut s = self.state.write();
            let r = Self::apply_settings(&mut s, v);
            let all: Vec<PathBuf> = s
                .corpus
                .doc_ids()
                .iter()
                .map(|&d| s.corpus.path(d).to_path_buf())
                .collect();
            Self::refresh_diagnostics_later(self.state.clone(), self.publish_tx.clone(), all, None);
            Self::queue_kb_diagnostics(&mut s, &self.publish_tx);
            r
        };
        self.show_problems(problems);
        if files_changed {
            let progress = self.client_flags.read().progress;
            self.spawn_indexing(progress);
        }
    }

    /// Asks the editor for the `gazette` section (never awaited in a handler).
    fn spawn_config_pull(&self, _changed: bool) {
        let client = self.client.clone();
        let state = self.state.clone();
        let tx = self.publish_tx.clone();
        let progress = self.client_flags.read().progress;
        tokio::spawn(async move {
            let items = vec![ConfigurationItem {
                scope_uri: None,
                section: Some("gazette".into()),
            }];
            let Ok(values) = client.configuration(items).await else {
                return;
            };
            let Some(v) = values.into_iter().next().filter(Value::is_object) else {
                return;
            };
            let (problems, files_changed) = {
                let mut s = state.write();
                let r = Self::apply_settings(&mut s, &v);
                let all: Vec<PathBuf> = s
                    .corpus
                    .doc_ids()
                    .iter()
                    .map(|&d| s.corpus.path(d).to_path_buf())
                    .collect();
                Self::refresh_diagnostics_later(state.clone(), tx.clone(), all, None);
                Self::queue_kb_diagnostics(&mut s, &tx);
                r
            };
            if !problems.is_empty() {
                client
                    .show_message(
                        MessageType::ERROR,
                        format!("gazette: {}", problems.join("; ")),
                    )
                    .await;
            }
            if files_changed {
                Self::spawn_indexing_with(state, client, tx, progress);
            }
        });
    }

    fn uri_of(state: &State, path: &Path) -> Option<Uri> {
        match state.open.get(path) {
            Some(o) => Some(o.uri.clone()),
            None => convert::path_to_uri(path),
        }
    }

    /// A workspace edit replacing spans of corpus documents.
    fn workspace_edit(
        state: &State,
        edits: impl Iterator<
            Item = (
                gazette_core::corpus::DocId,
                gazette_core::model::Span,
                String,
            ),
        >,
    ) -> WorkspaceEdit {
        let mut changes: std::collections::HashMap<Uri, Vec<TextEdit>> = Default::default();
        for (doc, span, text) in edits {
            let Some(entry) = state.corpus.doc(doc) else {
                continue;
            };
            let Some(uri) = Self::uri_of(state, &entry.path) else {
                continue;
            };
            changes.entry(uri).or_default().push(TextEdit {
                range: convert::range(&entry.analysis.line_index, span, state.encoding),
                new_text: text,
            });
        }
        WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }
    }

    /// The workspace edit of a code action (creating gazette.toml if needed).
    fn action_edit(
        state: &State,
        edits: &[gazette_ide::code_actions::Edit],
    ) -> Option<WorkspaceEdit> {
        use gazette_ide::code_actions::Edit as E;
        let mut doc_edits = Vec::new();
        let mut ops = Vec::new();
        for e in edits {
            match e {
                E::Doc { doc, span, text } => doc_edits.push((*doc, *span, text.clone())),
                E::Kb {
                    create,
                    offset,
                    text,
                } => {
                    let path = state.kb.path.as_ref()?;
                    let uri = Self::uri_of(state, path)?;
                    let kb_text = state.kb.text.clone().unwrap_or_default();
                    let li = gazette_core::text::position::LineIndex::new(&kb_text);
                    let pos = convert::position(&li, *offset, state.encoding);
                    if *create {
                        ops.push(DocumentChangeOperation::Op(ResourceOp::Create(
                            CreateFile {
                                uri: uri.clone(),
                                options: Some(CreateFileOptions {
                                    overwrite: Some(false),
                                    ignore_if_exists: Some(true),
                                }),
                                annotation_id: None,
                            },
                        )));
                    }
                    ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri,
                            version: state.open.get(path).map(|o| o.version),
                        },
                        edits: vec![OneOf::Left(TextEdit {
                            range: Range {
                                start: pos,
                                end: pos,
                            },
                            new_text: text.clone(),
                        })],
                    }));
                }
            }
        }
        if ops.is_empty() {
            return Some(Self::workspace_edit(state, doc_edits.into_iter()));
        }
        Some(WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(ops)),
            ..Default::default()
        })
    }

    /// Semantic tokens of `doc`, delta-encoded.
    fn tokens(
        state: &State,
        doc: gazette_core::corpus::DocId,
        range: Option<gazette_core::model::Span>,
    ) -> Option<SemanticTokens> {
        let li = &state.corpus.doc(doc)?.analysis.line_index;
        let enc = state.encoding;
        let mut data = Vec::new();
        let (mut pl, mut pc) = (0u32, 0u32);
        for t in gazette_ide::semantic_tokens::semantic_tokens(&state.corpus, doc, range) {
            let a = convert::position(li, t.span.start as usize, enc);
            let b = convert::position(li, t.span.end as usize, enc);
            let delta_line = a.line - pl;
            let delta_start = if delta_line == 0 {
                a.character - pc
            } else {
                a.character
            };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length: b.character.saturating_sub(a.character),
                token_type: t.token_type,
                token_modifiers_bitset: t.modifiers,
            });
            (pl, pc) = (a.line, a.character);
        }
        Some(SemanticTokens {
            result_id: None,
            data,
        })
    }

    /// `gazette/entities`: every entity (or those matching `query`) with its
    /// mentions, for the editors' entity lists.
    async fn entities_request(&self, params: Option<EntitiesParams>) -> Result<Value> {
        let params = params.unwrap_or_default();
        let s = self.state.read();
        guarded("gazette/entities", || {
            let list = match params.query.as_deref().filter(|q| !q.trim().is_empty()) {
                Some(q) => gazette_ide::symbols::search_entities(&s.corpus, q, usize::MAX),
                None => s.corpus.entities(),
            };
            let entities: Vec<Value> = list
                .iter()
                .map(|e| {
                    let mentions: Vec<Value> = e
                        .mentions
                        .iter()
                        .filter_map(|&m| {
                            let loc = Self::location(
                                &s,
                                gazette_ide::Location {
                                    doc: m.doc,
                                    span: s.corpus.mention(m).span(),
                                },
                            )?;
                            Some(serde_json::json!({"uri": loc.uri, "range": loc.range}))
                        })
                        .collect();
                    let mut v = serde_json::json!({
                        "id": e.id,
                        "name": e.name,
                        // The semantic-token names editors already know.
                        "kind": match e.kind {
                            gazette_core::model::EntityKind::Org => "organization",
                            k => k.as_str(),
                        },
                        "mentions": mentions,
                    });
                    if let Some(k) = &e.kb_entry {
                        if let Some(d) = &k.description {
                            v["description"] = Value::String(d.clone());
                        }
                        if let Some(q) = &k.wikidata {
                            v["wikidata"] = Value::String(q.clone());
                        }
                    }
                    v
                })
                .collect();
            serde_json::json!({ "entities": entities })
        })
    }
}

#[derive(Clone, Copy, Default)]
struct ClientFlags {
    progress: bool,
    dyn_watch: bool,
    config_pull: bool,
}

/// Serves LSP on stdin/stdout until `exit` or the end of input; true when
/// `shutdown` was answered first (exit code 0, else 1).
pub async fn run_stdio() -> bool {
    serve_with(stdio::input(), stdio::output()).await
}

/// Standard input and output for the server. When they are pipes (as an
/// editor starts a server) they are read and written directly, in
/// non-blocking mode, on the runtime's own threads; tokio's `stdin()` and
/// `stdout()` hand every read and write to its blocking thread pool, and
/// the hops cost a hover's response 2–6 ms on a busy two-core machine.
/// Anything else (a file, a terminal) goes through those.
mod stdio {
    use super::Destination;
    use tokio::io::{AsyncRead, AsyncWrite};

    pub fn input() -> Box<dyn AsyncRead + Unpin + Send> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let fd = std::io::stdin().as_fd().try_clone_to_owned();
            if let Ok(pipe) = fd.and_then(tokio::net::unix::pipe::Receiver::from_owned_fd) {
                return Box::new(pipe);
            }
        }
        Box::new(tokio::io::stdin())
    }

    /// Standard output: a pipe, written to directly, where it is one.
    pub fn output() -> Destination<Box<dyn AsyncWrite + Unpin + Send>> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let fd = std::io::stdout().as_fd().try_clone_to_owned();
            let pipe = fd
                .and_then(tokio::net::unix::pipe::Sender::from_owned_fd)
                .and_then(super::super::output::Pipe::new);
            if let Ok(pipe) = pipe {
                return Destination::Pipe(pipe);
            }
        }
        Destination::Stream(Box::new(tokio::io::stdout()))
    }
}

/// Serves LSP over any byte streams (tests and fuzzing use in-memory ones),
/// behind the framing and panic guard of [`super::guard`].
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite,
{
    serve_with(input, Destination::Stream(Box::pin(output))).await
}

/// As [`serve`], to any destination (see `output.rs`).
async fn serve_with<I, O>(input: I, output: Destination<O>) -> bool
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite + Unpin,
{
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("gazette/documentText", Backend::document_text)
        .custom_method("gazette/entities", Backend::entities_request)
        .finish();
    let raw = Arc::new(RawQueries {
        state: service.inner().state.clone(),
    });
    super::guard::serve(input, output, service, socket, Some(raw)).await
}

/// Whether a file event may mean new content: creation, removal, renaming,
/// writing. Opening, reading and closing a file unwritten are not changes
/// (inotify reports them; re-reading on them made every read of a corpus
/// file — by `rg`, a backup, another indexer, or this server's own read on
/// that event — re-analyse it, endlessly), nor are permission or timestamp
/// changes alone.
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Any | EventKind::Other => true,
    }
}

/// Requests whose results can be huge, answered as JSON bytes (see
/// [`super::output`]): the references of a name mentioned 100,000 times.
struct RawQueries {
    state: Arc<RwLock<State>>,
}

impl super::output::RawHandler for RawQueries {
    fn handles(&self, method: &str) -> bool {
        method == "textDocument/references" && {
            let s = self.state.read();
            s.initialized && !s.shutdown
        }
    }

    fn handle(&self, _method: &str, params: Value) -> Result<Vec<Vec<u8>>> {
        let params: ReferenceParams = serde_json::from_value(params)
            .map_err(|e| Error::invalid_params(format!("gazette: {e}")))?;
        let t0 = std::time::Instant::now();
        let s = self.state.read();
        let locs = guarded("references", || Backend::reference_locations(&s, &params))?;
        let t1 = std::time::Instant::now();
        let json = match &locs {
            Some(locs) => Backend::locations_json(&s, locs),
            None => vec![b"null".to_vec()],
        };
        tracing::debug!(
            "references: {} locations, query {:.1} ms, JSON {:.1} ms ({:.1} MB)",
            locs.as_ref().map_or(0, |l| l.len()),
            (t1 - t0).as_secs_f64() * 1e3,
            t1.elapsed().as_secs_f64() * 1e3,
            json.iter().map(Vec::len).sum::<usize>() as f64 / 1e6
        );
        Ok(json)
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

    #[test]
    fn only_content_events_count_as_changes() {
        use notify::event::*;
        let yes = [
            EventKind::Create(CreateKind::File),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            EventKind::Remove(RemoveKind::File),
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Any,
        ];
        let no = [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Read),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)),
        ];
        assert!(yes.iter().all(changes_content));
        assert!(!no.iter().any(changes_content));
    }

    /// The JSON written in parts on several cores says what the typed
    /// locations say, whatever the part size.
    #[test]
    fn locations_json_in_parts_equals_typed_locations() {
        let mut state = State::new();
        let ov = gazette_core::recognize::Overrides::default();
        for (i, text) in [
            "Olaf Scholz traf Emmanuel Macron.\nScholz: „Grüße“ an Macron.",
            "Macron und Scholz.",
            "Emmanuel Macron.",
            "Olaf Scholz.",
        ]
        .iter()
        .enumerate()
        {
            // Relative paths have no URI: their locations are left out
            // (one sorts first, one last).
            let path = match i {
                1 => PathBuf::from("-relative/1.txt"),
                3 => PathBuf::from("relative/3.txt"),
                _ => PathBuf::from(format!("/corpus/Über uns/{i}.txt")),
            };
            state.corpus.set_document(
                path.clone(),
                Arc::new(gazette_core::analysis::analyze(text, &ov)),
            );
            // An open document keeps the URI the client gave it.
            if i == 2 {
                let uri: Uri = "untitled:Macron".parse().unwrap();
                let (rope, version) = (ropey::Rope::from_str(text), 1);
                state.open.insert(path, OpenDoc { uri, rope, version });
            }
        }
        let mut locs = Vec::new();
        for doc in state.corpus.doc_ids() {
            for m in &state.corpus.doc(doc).unwrap().analysis.mentions {
                locs.push(gazette_ide::Location {
                    doc,
                    span: m.span(),
                });
            }
        }
        assert!(locs.len() >= 6, "{locs:?}");
        let typed = serde_json::to_value(Backend::locations(&state, locs.clone())).unwrap();
        assert!(typed.as_array().unwrap().len() < locs.len());
        assert!(typed.to_string().contains("untitled:Macron"));
        for part in [1, 2, 5, 1000] {
            let json = Backend::locations_json_in_parts(&state, &locs, part).concat();
            let parsed: Value = serde_json::from_slice(&json).unwrap();
            assert_eq!(parsed, typed, "part size {part}");
        }
        let none = Backend::locations_json_in_parts(&state, &[], 2).concat();
        assert_eq!(none, b"[]");
    }
}
