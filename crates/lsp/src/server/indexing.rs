//! Indexing the workspace: the persistent index streams into the corpus
//! while it is decoded, the rest is read and analysed in batches on all
//! cores while the previous batch is inserted, with `$/progress`; then the
//! index is written in the background and every article's diagnostics
//! follow.

use super::publish::{self, PublishQueue};
use crate::state::State;
use gazette_core::corpus::build::{analyze_files, FileResult};
use gazette_core::workspace::discover;
use parking_lot::RwLock;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

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
            let paths: Vec<PathBuf> = paths
                .into_iter()
                .filter(|p| !s.is_kb_path(p) && !s.is_store_path(p))
                .collect();
            publish::drop_unlisted(&mut s, &tx, &paths);
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
            let loaded = insert_from_index(
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
                            let same = Arc::ptr_eq(&e.analysis, a) || s.open.contains_key(&e.path);
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
            // Annotations that could not be anchored are known now.
            publish::queue_store_diagnostics(&mut s, &tx);
            publish::all_paths(&s)
        };
        publish::refresh_diagnostics_later(state.clone(), tx.clone(), paths, None, true);
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
            log_index_memory(&state.read().corpus);
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
