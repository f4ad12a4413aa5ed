//! Notification handlers: text synchronisation, file events and settings.
//! Each applies its change under the state's write lock when it is called,
//! and queues the diagnostics of the change before the lock is released, so
//! they are published in the order the changes were made.

use super::{indexing, kb, publish, settings, watch, Backend};
use crate::convert::uri_to_path;
use crate::state::{OpenDoc, Splice, State};
use parking_lot::RwLockWriteGuard;
use ropey::Rope;
use std::path::Path;
use tower_lsp_server::ls_types::*;

pub(super) fn initialized(b: &Backend) {
    let flags = *b.client_flags.read();
    let root = b.state.read().root.clone();
    match root {
        _ if flags.dyn_watch => watch::spawn_watch_registration(b.client.clone()),
        Some(root) => watch::spawn_fallback_watcher(b.state.clone(), b.publish_tx.clone(), root),
        None => {}
    }
    let (state, client, tx) = (b.state.clone(), b.client.clone(), b.publish_tx.clone());
    indexing::spawn_indexing_with(state, client, tx, flags.progress);
    if flags.config_pull {
        b.pull_config();
    }
}

pub(super) fn did_open(b: &Backend, params: DidOpenTextDocumentParams) {
    let td = params.text_document;
    let path = uri_to_path(&td.uri);
    let mut s = b.state.write();
    let rope = Rope::from_str(&td.text);
    let (uri, version) = (td.uri, td.version);
    s.open.insert(path.clone(), OpenDoc { uri, rope, version });
    if s.is_store_path(&path) {
        if s.store.text == td.text {
            return publish::queue_store_diagnostics(&mut s, &b.publish_tx);
        }
        return publish::store_changed(&b.state, &mut s, &b.publish_tx, td.text);
    }
    if s.is_kb_path(&path) {
        return kb_opened(b, s, td.text);
    }
    if s.reanalyze_open(&path) {
        publish::diagnostics_after_change(&b.state, &mut s, &b.publish_tx, &path);
    } else {
        // Opened as indexed: nothing changes for other articles (and this
        // one's diagnostics are published only if they changed).
        publish::queue_diagnostics(&mut s, &b.publish_tx, std::slice::from_ref(&path));
    }
}

/// The knowledge base opened with `text`.
fn kb_opened(b: &Backend, mut s: RwLockWriteGuard<State>, text: String) {
    // Opened as it was read from disk: nothing to parse again (and
    // keystrokes can be taken in place at once); its diagnostics now
    // carry the editor's version.
    if s.kb.current && s.kb.text.as_deref() == Some(&text) {
        return publish::queue_kb_diagnostics(&mut s, &b.publish_tx);
    }
    let ticket = kb::kb_ticket(&mut s);
    drop(s);
    kb::update_kb(&b.state, &b.publish_tx, ticket, move || Some(text));
}

pub(super) fn did_change(b: &Backend, params: DidChangeTextDocumentParams) {
    let path = uri_to_path(&params.text_document.uri);
    let mut s = b.state.write();
    let changes = params.content_changes;
    let Some(splices) = s.apply_changes(&path, params.text_document.version, changes) else {
        let path = path.display();
        return tracing::warn!("didChange for a document that is not open: {path}");
    };
    if s.is_store_path(&path) {
        let text = s.open.get(&path).map(|d| d.rope.to_string());
        return publish::store_changed(&b.state, &mut s, &b.publish_tx, text.unwrap_or_default());
    }
    if s.is_kb_path(&path) {
        return kb_edited(b, s, &path, &splices);
    }
    s.reanalyze_open(&path);
    // The edited document now; the others it may affect (open ones, those
    // showing diagnostics) once typing pauses, so a keystroke costs one
    // document's diagnostics, not the corpus's.
    let edited = std::slice::from_ref(&path);
    publish::queue_diagnostics_for(&mut s, &b.publish_tx, edited, Some(&path));
    publish::refresh_affected_after_pause(&b.state, &mut s, &b.publish_tx, &path);
}

/// An edit of gazette.toml, open in the editor.
fn kb_edited(b: &Backend, mut s: RwLockWriteGuard<'_, State>, path: &Path, splices: &[Splice]) {
    // A keystroke inside one entry: taken in place.
    if let Some(changed) = s.edit_kb(splices) {
        return kb::kb_changed(&b.state, &mut s, &b.publish_tx, changed);
    }
    // Else the whole text, made a string off the lock (10^5 entries are
    // megabytes).
    let rope = s.open.get(path).map(|d| d.rope.clone());
    let ticket = kb::kb_ticket(&mut s);
    drop(s);
    let text = move || rope.map(|r| r.to_string());
    kb::update_kb(&b.state, &b.publish_tx, ticket, text)
}

pub(super) fn did_close(b: &Backend, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let path = uri_to_path(&uri);
    let mut s = b.state.write();
    s.open.remove(&path);
    if s.is_store_path(&path) {
        // Back to the file on disk.
        let text = s.read_store_file();
        return publish::store_changed(&b.state, &mut s, &b.publish_tx, text);
    }
    if s.is_kb_path(&path) {
        let ticket = kb::kb_ticket(&mut s);
        let text = s.read_kb_file().0;
        drop(s);
        return kb::update_kb(&b.state, &b.publish_tx, ticket, move || text);
    }
    // Back to the file on disk (or out of the corpus if it is not a corpus file).
    let on_disk = s.analysis_on_disk(&path);
    watch::replace_document(&mut s, &b.publish_tx, &path, on_disk, Some(uri));
    publish::diagnostics_after_change(&b.state, &mut s, &b.publish_tx, &path);
}

pub(super) fn did_change_watched_files(b: &Backend, params: DidChangeWatchedFilesParams) {
    for ev in params.changes {
        watch::file_changed_on_disk(&b.state, &b.publish_tx, uri_to_path(&ev.uri));
    }
}

pub(super) fn did_change_configuration(b: &Backend, params: DidChangeConfigurationParams) {
    match params.settings.get("gazette") {
        Some(v) if v.is_object() => {
            let progress = b.client_flags.read().progress;
            settings::changed(&b.state, &b.publish_tx, &b.client, progress, v);
        }
        _ if b.client_flags.read().config_pull => b.pull_config(),
        _ => {}
    }
}
