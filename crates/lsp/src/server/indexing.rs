//! Indexing the workspace: the persistent index streams into the corpus
//! while it is decoded, the rest is read and analysed in batches on all
//! cores while the previous batch is inserted, with `$/progress`; then the
//! index is written in the background and every article's diagnostics
//! follow.

use super::publish::{self, PublishQueue};
use crate::state::State;
use fxhash::FxHashMap;
use gazette_core::analysis::DocAnalysis;
use gazette_core::corpus::build::{analyze_files, FileResult};
use gazette_core::corpus::DocId;
use gazette_core::workspace::{discover, WorkspaceConfig};
use parking_lot::RwLock;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tokio::task::JoinHandle;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Bounded, Client, NotCancellable, OngoingProgress};

/// Files analysed per batch while indexing (progress granularity).
const INDEX_BATCH: usize = 256;

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

/// Indexes (or re-indexes, after the file settings changed) the workspace.
pub(super) fn spawn_indexing_with(
    state: Arc<RwLock<State>>,
    client: Client,
    tx: PublishQueue,
    progress_supported: bool,
) {
    let started = Instant::now();
    tokio::spawn(async move {
        let (root, config) = {
            let s = state.read();
            (s.root.clone(), s.config.clone())
        };
        let Some(root) = root else {
            state.write().indexing_done = true;
            return;
        };
        let job = Indexing {
            state,
            client,
            tx,
            root,
            config,
        };
        job.run(started, progress_supported).await;
    });
}

type Progress = OngoingProgress<Bounded, NotCancellable>;

/// Reports `done` of `total` articles indexed.
async fn report(progress: Option<&Progress>, done: usize, total: usize) {
    if let Some(p) = progress {
        let pct = (done * 100 / total.max(1)) as u32;
        p.report_with_message(format!("{done}/{total} articles"), pct)
            .await;
    }
}

/// One indexing of the workspace at `root`.
struct Indexing {
    state: Arc<RwLock<State>>,
    client: Client,
    tx: PublishQueue,
    root: PathBuf,
    config: WorkspaceConfig,
}

impl Indexing {
    /// Lists the articles, takes what the persistent index has, analyses
    /// the rest, writes the index again if it changed, and publishes.
    async fn run(self, started: Instant, progress_supported: bool) {
        let progress = self.begin_progress(progress_supported).await;
        let paths = self.list_articles().await;
        let listed = Instant::now();
        let (cache_file, overrides_fp) = self.index_file();
        let total = paths.len();
        let file = cache_file.as_deref();
        let (misses, index_current) = self
            .take_from_index(file, overrides_fp, paths, progress.as_ref())
            .await;
        let loaded = Instant::now();
        let skipped = self.analyse(&misses, total, progress.as_ref()).await;
        log_times(total, misses.len(), [started, listed, loaded]);
        // Write the persistent index (in the background; atomic replace),
        // unless it already holds exactly these analyses.
        match cache_file {
            _ if index_current && misses.is_empty() => {
                tracing::debug!("the index on disk is up to date")
            }
            Some(file) => self.write_index_later(file, overrides_fp),
            None => {}
        }
        self.finish(total, skipped, progress).await;
    }

    /// The persistent index's file and the fingerprint of the overrides
    /// its analyses must have been made with.
    fn index_file(&self) -> (Option<PathBuf>, u64) {
        let s = self.state.read();
        let fingerprint = gazette_core::cache::overrides_fingerprint(&s.overrides);
        (s.cache_file.clone(), fingerprint)
    }

    async fn begin_progress(&self, supported: bool) -> Option<Progress> {
        let token = NumberOrString::String("gazette/indexing".into());
        if !supported
            || self
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_err()
        {
            return None;
        }
        let progress = self.client.progress(token, "gazette: indexing");
        let progress = progress.with_message("finding articles").with_percentage(0);
        Some(progress.begin().await)
    }

    /// The workspace's articles. The knowledge base is not an article;
    /// documents no longer selected (settings changed) leave the corpus.
    async fn list_articles(&self) -> Vec<PathBuf> {
        let (root, config) = (self.root.clone(), self.config.clone());
        let paths = match tokio::task::spawn_blocking(move || discover(&root, &config)).await {
            Ok(Ok(p)) => p,
            Ok(Err(e)) => {
                let message = format!("gazette: cannot list {}: {e}", self.root.display());
                self.client.log_message(MessageType::ERROR, message).await;
                Vec::new()
            }
            Err(e) => {
                tracing::error!("discover task failed: {e}");
                Vec::new()
            }
        };
        let mut s = self.state.write();
        let paths: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| !s.is_kb_path(p) && !s.is_store_path(p))
            .collect();
        publish::drop_unlisted(&mut s, &self.tx, &paths);
        paths
    }

    /// Inserts the analyses the persistent index has of unchanged files;
    /// the paths still to analyse, and whether the index is current.
    async fn take_from_index(
        &self,
        cache_file: Option<&Path>,
        overrides_fp: u64,
        paths: Vec<PathBuf>,
        progress: Option<&Progress>,
    ) -> (Vec<PathBuf>, bool) {
        let mut from_index = vec![false; paths.len()];
        let mut index_current = false;
        if let Some(f) = cache_file {
            let (state, max) = (&self.state, self.config.max_file_size);
            let (fp, taken) = (overrides_fp, &mut from_index);
            match insert_from_index(state, f, &self.root, fp, max, &paths, taken, progress).await {
                Ok(l) => index_current = l.dropped == 0,
                Err(why) => tracing::info!("{why}"),
            }
        }
        let misses = paths.into_iter().zip(from_index).filter(|(_, t)| !t);
        (misses.map(|(p, _)| p).collect(), index_current)
    }

    /// Analyses `misses` in batches on the blocking pool (all cores), the
    /// next batch while this one is inserted; the files skipped, and why.
    async fn analyse(
        &self,
        misses: &[PathBuf],
        total: usize,
        progress: Option<&Progress>,
    ) -> Vec<String> {
        let mut done = total - misses.len();
        let mut skipped = Vec::new();
        let mut chunks = misses.chunks(INDEX_BATCH);
        let mut start_next = || chunks.next().map(|c| (c.len(), self.analyse_batch(c)));
        let mut in_flight = start_next();
        while let Some((n, handle)) = in_flight.take() {
            in_flight = start_next();
            let results = handle.await.unwrap_or_else(|e| {
                tracing::error!("indexing batch failed: {e}");
                Vec::new()
            });
            insert_analyses(&mut self.state.write(), results, &mut skipped);
            done += n;
            report(progress, done, total).await;
        }
        skipped
    }

    fn analyse_batch(&self, chunk: &[PathBuf]) -> JoinHandle<Vec<FileResult>> {
        let overrides = self.state.read().overrides.clone();
        let (max, chunk, root) = (self.config.max_file_size, chunk.to_vec(), self.root.clone());
        tokio::task::spawn_blocking(move || analyze_files(&chunk, max, Some(&root), &overrides))
    }

    /// Writes the persistent index in the background. What to write is
    /// fixed now: each article's analysis of its file, as indexed (one the
    /// editor opens meanwhile is still written, from the file). Paths and
    /// stamps are read from the state a few at a time as the writer goes,
    /// not copied at once while memory peaks.
    fn write_index_later(&self, file: PathBuf, overrides_fp: u64) {
        let docs: Vec<(DocId, Arc<DocAnalysis>)> = {
            let s = self.state.read();
            let indexed = |d| {
                let e = s.corpus.doc(d)?;
                let skip = s.open.contains_key(&e.path) || s.corpus.is_kb_doc(d);
                (!skip).then(|| (d, e.analysis.clone()))
            };
            s.corpus.doc_ids().into_iter().filter_map(indexed).collect()
        };
        let (r, state) = (self.root.clone(), self.state.clone());
        crate::background::spawn_lasting("gazette index writer", move || {
            let it = docs.chunks(256).flat_map(|docs| {
                crate::background::yield_to_requests();
                still_indexed(&state.read(), docs)
            });
            if let Err(e) = gazette_core::cache::save(&file, &r, overrides_fp, it) {
                tracing::warn!("cannot write the index {}: {e}", file.display());
            }
        });
    }

    /// The index is complete: every article's diagnostics follow in the
    /// background (requests are answered meanwhile); the client hears how
    /// many articles were indexed and which files were skipped.
    async fn finish(self, total: usize, skipped: Vec<String>, progress: Option<Progress>) {
        let paths: Vec<PathBuf> = {
            let mut s = self.state.write();
            s.indexing_done = true;
            s.corpus.shrink_to_fit();
            // Annotations that could not be anchored are known now.
            publish::queue_store_diagnostics(&mut s, &self.tx);
            publish::all_paths(&s)
        };
        publish::refresh_diagnostics_later(self.state.clone(), self.tx, paths, None, true);
        crate::memory::release_free_memory();
        let msg = match skipped.len() {
            0 => format!("{total} articles indexed"),
            n => format!("{total} articles indexed, {n} skipped"),
        };
        if let Some(p) = progress {
            p.finish_with_message(msg.clone()).await;
        }
        if tracing::enabled!(tracing::Level::DEBUG) {
            log_index_memory(&self.state.read().corpus);
        }
        log(&self.client, MessageType::INFO, msg).await;
        log_skipped(&self.client, skipped).await;
    }
}

async fn log(client: &Client, kind: MessageType, line: String) {
    client.log_message(kind, format!("gazette: {line}")).await
}

/// Which files were skipped and why (bounded: a corpus of junk must not
/// flood the client).
async fn log_skipped(client: &Client, skipped: Vec<String>) {
    let more = skipped.len().saturating_sub(100);
    for line in skipped.into_iter().take(100) {
        log(client, MessageType::WARNING, line).await;
    }
    if more > 0 {
        let line = format!("{more} more files skipped");
        log(client, MessageType::WARNING, line).await;
    }
}

/// The paths, stamps and analyses of `docs` (as the index is written)
/// that are still those of the corpus: a document with another analysis
/// changed on disk or was removed (the next start analyses it again); one
/// opened since is the same document.
fn still_indexed(
    s: &State,
    docs: &[(DocId, Arc<DocAnalysis>)],
) -> Vec<(PathBuf, gazette_core::cache::FileStamp, Arc<DocAnalysis>)> {
    let still = |(d, a): &(DocId, Arc<DocAnalysis>)| {
        let e = s.corpus.doc(*d)?;
        let same = Arc::ptr_eq(&e.analysis, a) || s.open.contains_key(&e.path);
        same.then_some(())?;
        Some((e.path.clone(), e.stamp?, a.clone()))
    };
    docs.iter().filter_map(still).collect()
}

/// How long listing, taking from the index and analysing took.
fn log_times(total: usize, analysed: usize, [started, listed, loaded]: [Instant; 3]) {
    let secs = |d: std::time::Duration| d.as_secs_f64();
    tracing::debug!(
        "{total} articles: listed in {:.2} s, {} taken from the index in {:.2} s, {} analysed in {:.2} s",
        secs(listed - started),
        total - analysed,
        secs(loaded - listed),
        analysed,
        secs(loaded.elapsed())
    );
}

/// Inserts a batch of analyses, unless the editor has the document open
/// (its buffer is the truth) or the file is gone (the watcher's event may
/// already have been applied; a stale analysis must not come back after
/// it). Files that could not be analysed are added to `skipped`.
fn insert_analyses(s: &mut State, results: Vec<FileResult>, skipped: &mut Vec<String>) {
    for r in results {
        if s.open.contains_key(&r.path) || !r.path.is_file() {
            continue;
        }
        match r.outcome {
            Ok((_, a)) => {
                // The stamp of the bytes analysed: the key of this
                // analysis in the persistent index.
                let id = s.set_file_analysis(r.path, a);
                s.corpus.set_stamp(id, r.stamp);
            }
            Err(e) => {
                tracing::info!("{}: {e}", r.path.display());
                skipped.push(format!("{}: {e}", r.path.display()));
            }
        }
    }
}

/// An index entry to insert, with the position of its path in the list
/// of articles.
type Taken = (usize, gazette_core::cache::Entry);

/// Inserts the analyses of the persistent index `file` whose files are
/// listed in `paths` and unchanged on disk, while the rest of the index
/// is decoded (on the blocking pool: decoding and checking files on all
/// cores, inserting here). Marks the paths taken in `taken` (parallel to
/// `paths`).
#[allow(clippy::too_many_arguments)]
async fn insert_from_index(
    state: &Arc<RwLock<State>>,
    file: &Path,
    root: &Path,
    overrides: u64,
    max_size: u64,
    paths: &[PathBuf],
    taken: &mut [bool],
    progress: Option<&Progress>,
) -> std::result::Result<gazette_core::cache::Loaded, String> {
    let total = paths.len();
    let wanted: FxHashMap<PathBuf, usize> = paths.iter().cloned().zip(0..).collect();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Taken>>(2);
    let (file, root) = (file.to_path_buf(), root.to_path_buf());
    let loader = tokio::task::spawn_blocking(move || {
        let keep = |e: &gazette_core::cache::Entry| still_valid(e, &wanted, max_size, &root);
        // What the inserter would do to each entry besides inserting it is done here,
        // beside the decoding: find its path's position, keep only the linked figures (as
        // `State::set_file_analysis` does for a file no editor has open; open ones are skipped).
        let each = |batch: Vec<gazette_core::cache::Entry>| {
            let batch = batch.into_iter().filter_map(|mut e| {
                e.analysis.keep_linked_figures();
                Some((*wanted.get(&e.path)?, e))
            });
            tx.blocking_send(batch.collect()).is_ok()
        };
        gazette_core::cache::load_each(&file, &root, overrides, keep, each)
    });
    let mut done = 0;
    while let Some(batch) = rx.recv().await {
        done += insert_entries(state, batch, taken).await;
        report(progress, done, total).await;
    }
    loader.await.unwrap_or_else(|e| Err(e.to_string()))
}

/// An index entry to take: listed, within today's size limit, and still
/// the content it was made from (read again when the times leave that in
/// doubt).
fn still_valid(
    e: &gazette_core::cache::Entry,
    wanted: &FxHashMap<PathBuf, usize>,
    max_size: u64,
    root: &Path,
) -> bool {
    let read = |p: &Path| gazette_core::workspace::read_file(p, max_size, Some(root));
    wanted.contains_key(&e.path)
        && e.stamp.size <= max_size
        && e.stamp.matches(&e.path, |p| read(p).ok().map(|f| f.bytes))
}

/// Inserts index entries into the corpus, a few hundred per hold of the
/// state's lock (requests get it in between); marks their paths in
/// `taken`, and says how many were not marked before.
async fn insert_entries(state: &RwLock<State>, batch: Vec<Taken>, taken: &mut [bool]) -> usize {
    const PER_LOCK: usize = 256;
    let mut new = 0;
    let mut entries = batch.into_iter().peekable();
    while entries.peek().is_some() {
        {
            let mut s = state.write();
            let mut stamps = Vec::with_capacity(PER_LOCK);
            let mut docs = Vec::with_capacity(PER_LOCK);
            for (i, e) in entries.by_ref().take(PER_LOCK) {
                new += !std::mem::replace(&mut taken[i], true) as usize;
                // The editor's buffer is the truth for open documents.
                if s.open.contains_key(&e.path) {
                    continue;
                }
                stamps.push(e.stamp);
                docs.push((e.path, e.analysis));
            }
            let ids = s.set_file_analyses(docs);
            for (id, stamp) in ids.into_iter().zip(stamps) {
                s.corpus.set_stamp(id, Some(stamp));
            }
        }
        tokio::task::yield_now().await;
    }
    new
}
