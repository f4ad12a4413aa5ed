//! Files changing on disk: the client's `didChangeWatchedFiles`, or our own
//! watcher (notify) for clients without it.

use super::kb;
use super::publish::{self, PublishQueue};
use crate::convert;
use crate::state::State;
use gazette_core::workspace::{discover, SkipReason};
use parking_lot::RwLock;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

/// Asks the client to watch the corpus files for us.
pub(super) fn spawn_watch_registration(client: Client) {
    tokio::spawn(async move {
        let opts = DidChangeWatchedFilesRegistrationOptions {
            watchers: [
                "**/*.txt",
                "**/*.md",
                "**/gazette.toml",
                "**/gazette.annotations.jsonl",
            ]
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

/// A watcher of `root` that sends the paths whose content changes.
fn watcher(root: &Path, tx: mpsc::UnboundedSender<PathBuf>) -> Option<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| match ev {
        Ok(ev) if changes_content(&ev.kind) => {
            for p in ev.paths {
                let _ = tx.send(p);
            }
        }
        Ok(_) => {}
        Err(e) => tracing::debug!("file watcher: {e}"),
    });
    let mut watcher = watcher
        .map_err(|e| tracing::warn!("no file watcher: {e}"))
        .ok()?;
    if let Err(e) = watcher.watch(root, RecursiveMode::Recursive) {
        tracing::warn!("cannot watch {}: {e}", root.display());
        return None;
    }
    Some(watcher)
}

/// A fallback watcher (notify) for clients without didChangeWatchedFiles.
pub(super) fn spawn_fallback_watcher(
    state: Arc<RwLock<State>>,
    publish: PublishQueue,
    root: PathBuf,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<PathBuf>();
    let Some(watcher) = watcher(&root, tx) else {
        return;
    };
    tokio::spawn(async move {
        let _keep = watcher;
        while let Some(p) = rx.recv().await {
            let s2 = state.clone();
            let t2 = publish.clone();
            let _ = tokio::task::spawn_blocking(move || file_changed_on_disk(&s2, &t2, p)).await;
        }
    });
}

/// A corpus file was created, changed or deleted on disk.
pub(super) fn file_changed_on_disk(state: &Arc<RwLock<State>>, tx: &PublishQueue, path: PathBuf) {
    if store_or_kb_changed(state, tx, &path) {
        return;
    }
    if path.is_dir() {
        return folder_created(state, tx, &path);
    }
    let Some(analysed) = analyse_changed(state, &path) else {
        return;
    };
    let mut s = state.write();
    if s.open.contains_key(&path) {
        return;
    }
    replace_document(&mut s, tx, &path, analysed, convert::path_to_uri(&path));
    publish::diagnostics_after_change(state, &mut s, tx, &path);
}

/// A file changed on disk, analysed off the lock (`Some(None)`: it is gone
/// or unreadable); `None` when it is outside the workspace or open in the
/// editor (whose buffer is the truth).
fn analyse_changed(
    state: &RwLock<State>,
    path: &Path,
) -> Option<Option<gazette_core::analysis::DocAnalysis>> {
    let (in_ws, is_open, max, root, overrides) = {
        let s = state.read();
        (
            s.in_workspace(path),
            s.open.contains_key(path),
            s.config.max_file_size,
            s.root.clone(),
            s.overrides.clone(),
        )
    };
    if !in_ws || is_open {
        return None;
    }
    Some(
        match gazette_core::workspace::read_text(path, max, root.as_deref()) {
            Ok(d) => Some(gazette_core::analysis::analyze_decoded_at(
                path, &d, &overrides,
            )),
            Err(SkipReason::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                tracing::info!("{}: {e}", path.display());
                None
            }
        },
    )
}

/// Takes a change of the annotation store or the knowledge base on disk
/// (unless the editor has it open: its buffer is the truth); false when
/// `path` is neither.
fn store_or_kb_changed(state: &Arc<RwLock<State>>, tx: &PublishQueue, path: &Path) -> bool {
    let mut s = state.write();
    let (store, kb) = (s.is_store_path(path), s.is_kb_path(path));
    if !(store || kb) || s.open.contains_key(path) {
        return store || kb;
    }
    if store {
        let text = s.read_store_file();
        if text != s.store.text {
            publish::store_changed(state, &mut s, tx, text);
        }
        return true;
    }
    let (text, _) = s.read_kb_file();
    if text != s.kb.text {
        let ticket = kb::kb_ticket(&mut s);
        drop(s);
        kb::update_kb(state, tx, ticket, move || text);
    }
    true
}

/// A new folder: its files may have been written before the watcher saw
/// the folder, so look inside — only a folder of the workspace (an event
/// naming `/usr` walked all of it).
fn folder_created(state: &Arc<RwLock<State>>, tx: &PublishQueue, path: &Path) {
    let (root, cfg) = {
        let s = state.read();
        (s.root.clone(), s.config.clone())
    };
    let Some(root) = root.filter(|r| gazette_core::workspace::is_workspace_folder(r, path)) else {
        return tracing::debug!("ignored a change outside the workspace: {}", path.display());
    };
    for f in discover(path, &cfg).unwrap_or_default() {
        if f.starts_with(&root) {
            file_changed_on_disk(state, tx, f);
        }
    }
}

/// `path` is now `analysis`, or (`None`) no longer in the corpus, its
/// diagnostics cleared at `uri`.
pub(super) fn replace_document(
    s: &mut State,
    tx: &PublishQueue,
    path: &Path,
    analysis: Option<gazette_core::analysis::DocAnalysis>,
    uri: Option<Uri>,
) {
    match analysis {
        Some(a) => {
            s.set_file_analysis(path.to_path_buf(), a);
        }
        None => {
            s.corpus.remove_document(path);
            publish::forget(s, tx, path, uri);
        }
    }
}

/// Whether a file event may mean new content: creation, removal, renaming,
/// writing. Opening, reading and closing a file unwritten are not changes
/// (inotify reports them; re-reading on them made every read of a corpus
/// file — by `rg`, a backup, another indexer, or this server's own read on
/// that event — re-analyse it, endlessly), nor are permission or timestamp
/// changes alone.
pub(super) fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Any | EventKind::Other => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
