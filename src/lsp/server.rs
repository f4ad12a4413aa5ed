//! LSP handlers.

use super::convert::{self, uri_to_path};
use super::state::{OpenDoc, State};
use crate::corpus::build::analyze_files;
use crate::ide;
use crate::workspace::{discover, FileFilter};
use parking_lot::RwLock;
use ropey::Rope;
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

/// Files analysed per batch while indexing (progress granularity).
const INDEX_BATCH: usize = 256;

/// One diagnostics publication, queued in the order edits were applied.
struct Publish {
    uri: Uri,
    version: Option<i32>,
    diagnostics: Vec<Diagnostic>,
}

pub struct Backend {
    client: Client,
    state: Arc<RwLock<State>>,
    publish_tx: mpsc::UnboundedSender<Publish>,
    client_flags: RwLock<ClientFlags>,
}

/// Runs a query, turning a panic into a JSON-RPC internal error instead of
/// taking the server down.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => Ok(v),
        Err(e) => {
            let msg = e
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| e.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!("panic in {what}: {msg}");
            let mut err = Error::internal_error();
            err.message = format!("gazette: internal error in {what}: {msg}").into();
            Err(err)
        }
    }
}

impl Backend {
    fn new(client: Client) -> Backend {
        let (publish_tx, mut rx) = mpsc::unbounded_channel::<Publish>();
        let c = client.clone();
        tokio::spawn(async move {
            while let Some(p) = rx.recv().await {
                c.publish_diagnostics(p.uri, p.diagnostics, p.version).await;
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
    fn queue_diagnostics(
        state: &mut State,
        tx: &mpsc::UnboundedSender<Publish>,
        paths: &[PathBuf],
    ) {
        let enc = state.encoding;
        for path in paths {
            let Some(doc) = state.corpus.doc_id(path) else {
                continue;
            };
            let diags = ide::diagnostics(&state.corpus, doc);
            if state.published.get(path) == Some(&diags)
                || (diags.is_empty() && !state.published.contains_key(path))
            {
                continue;
            }
            let (uri, version) = match state.open.get(path) {
                Some(o) => (Some(o.uri.clone()), Some(o.version)),
                None => (convert::path_to_uri(path), None),
            };
            let Some(uri) = uri else { continue };
            let corpus = &state.corpus;
            let li = &corpus.doc(doc).unwrap().analysis.line_index;
            let lsp_diags = diags
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
                .collect();
            if diags.is_empty() {
                state.published.remove(path);
            } else {
                state.published.insert(path.clone(), diags);
            }
            let _ = tx.send(Publish {
                uri,
                version,
                diagnostics: lsp_diags,
            });
        }
    }

    /// Documents whose diagnostics may change after `changed` changed: open
    /// documents, documents that currently show diagnostics, and the changed one.
    fn affected(state: &State, changed: &Path) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = state.open.keys().cloned().collect();
        out.extend(state.published.keys().cloned());
        out.push(changed.to_path_buf());
        out.sort();
        out.dedup();
        out
    }

    fn apply_settings(state: &mut State, v: &Value) {
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
            state.config.max_file_size = n;
        }
        match FileFilter::new(&state.config) {
            Ok(f) => state.filter = f,
            Err(e) => tracing::warn!("bad include/exclude settings: {e}"),
        }
    }

    /// Indexes the workspace in the background, reporting `$/progress`.
    fn spawn_indexing(&self, progress_supported: bool) {
        let state = self.state.clone();
        let client = self.client.clone();
        let tx = self.publish_tx.clone();
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
            let total = paths.len();
            let mut done = 0usize;
            let mut skipped = 0usize;
            let mut skipped_lines: Vec<String> = Vec::new();
            for chunk in paths.chunks(INDEX_BATCH) {
                let chunk = chunk.to_vec();
                let overrides = state.read().overrides.clone();
                let max = config.max_file_size;
                let results = match tokio::task::spawn_blocking(move || {
                    analyze_files(&chunk, max, &overrides)
                })
                .await
                {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::error!("indexing batch failed: {e}");
                        continue;
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
                done += INDEX_BATCH.min(total - done);
                if let Some(p) = &progress {
                    let pct = (done * 100 / total.max(1)) as u32;
                    p.report_with_message(format!("{done}/{total} articles"), pct)
                        .await;
                }
            }
            {
                let mut s = state.write();
                s.indexing_done = true;
                let paths: Vec<PathBuf> = s
                    .corpus
                    .doc_ids()
                    .iter()
                    .map(|&d| s.corpus.path(d).to_path_buf())
                    .collect();
                Self::queue_diagnostics(&mut s, &tx, &paths);
            }
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

    fn spawn_watch_registration(&self) {
        let client = self.client.clone();
        tokio::spawn(async move {
            let opts = DidChangeWatchedFilesRegistrationOptions {
                watchers: ["**/*.txt", "**/*.md"]
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
        let watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            if let Ok(ev) = ev {
                for p in ev.paths {
                    let _ = tx.send(p);
                }
            }
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
    fn file_changed_on_disk(
        state: &RwLock<State>,
        tx: &mpsc::UnboundedSender<Publish>,
        path: PathBuf,
    ) {
        // A new folder: its files may have been written before the watcher
        // saw the folder, so look inside.
        if path.is_dir() {
            let cfg = state.read().config.clone();
            for f in discover(&path, &cfg).unwrap_or_default() {
                Self::file_changed_on_disk(state, tx, f);
            }
            return;
        }
        let (in_ws, is_open, max, overrides) = {
            let s = state.read();
            (
                s.in_workspace(&path),
                s.open.contains_key(&path),
                s.config.max_file_size,
                s.overrides.clone(),
            )
        };
        if !in_ws || is_open {
            return;
        }
        let analysed = if path.is_file() {
            crate::workspace::read_text(&path, max)
                .ok()
                .map(|d| crate::analysis::analyze_decoded(&d, &overrides))
        } else {
            None
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
                if s.published.remove(&path).is_some() {
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
        let affected = Self::affected(&s, &path);
        Self::queue_diagnostics(&mut s, tx, &affected);
    }

    /// Resolves a request's document and cursor to (doc id, byte offset).
    fn locate(state: &State, uri: &Uri, pos: Position) -> Option<(crate::corpus::DocId, usize)> {
        let path = uri_to_path(uri);
        let doc = state.corpus.doc_id(&path)?;
        let li = &state.corpus.doc(doc)?.analysis.line_index;
        Some((doc, convert::offset(li, pos, state.encoding)))
    }

    fn location(state: &State, loc: ide::Location) -> Option<Location> {
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
            s.encoding = enc;
            s.root = root.map(|r| std::fs::canonicalize(&r).unwrap_or(r));
            if let Some(opts) = &params.initialization_options {
                Self::apply_settings(&mut s, opts);
            }
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
        *self.client_flags.write() = ClientFlags {
            progress,
            dyn_watch,
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
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.write().shutdown = true;
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let path = uri_to_path(&td.uri);
        let mut s = self.state.write();
        s.open.insert(
            path.clone(),
            OpenDoc {
                uri: td.uri,
                rope: Rope::from_str(&td.text),
                version: td.version,
            },
        );
        s.reanalyze_open(&path);
        let affected = Self::affected(&s, &path);
        Self::queue_diagnostics(&mut s, &self.publish_tx, &affected);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let path = uri_to_path(&params.text_document.uri);
        let mut s = self.state.write();
        if !s.apply_changes(&path, params.text_document.version, params.content_changes) {
            tracing::warn!(
                "didChange for a document that is not open: {}",
                path.display()
            );
            return;
        }
        s.reanalyze_open(&path);
        let affected = Self::affected(&s, &path);
        Self::queue_diagnostics(&mut s, &self.publish_tx, &affected);
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {}

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let path = uri_to_path(&params.text_document.uri);
        let mut s = self.state.write();
        s.open.remove(&path);
        // Back to the file on disk (or out of the corpus if it is not a corpus file).
        let on_disk = if s.in_workspace(&path) && path.is_file() {
            crate::workspace::read_text(&path, s.config.max_file_size)
                .ok()
                .map(|d| crate::analysis::analyze_decoded(&d, &s.overrides))
        } else {
            None
        };
        match on_disk {
            Some(a) => {
                s.corpus.set_document(path.clone(), Arc::new(a));
            }
            None => {
                s.corpus.remove_document(&path);
                if s.published.remove(&path).is_some() {
                    let _ = self.publish_tx.send(Publish {
                        uri: params.text_document.uri,
                        version: None,
                        diagnostics: Vec::new(),
                    });
                }
            }
        }
        let affected = Self::affected(&s, &path);
        Self::queue_diagnostics(&mut s, &self.publish_tx, &affected);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        for ev in params.changes {
            let path = uri_to_path(&ev.uri);
            Self::file_changed_on_disk(&self.state, &self.publish_tx, path);
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let s = self.state.read();
        guarded("hover", || {
            let (doc, off) = Self::locate(&s, &p.text_document.uri, p.position)?;
            let card = ide::hover(&s.corpus, &*s, doc, off)?;
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
            let loc = ide::definition(&s.corpus, doc, off)?;
            Some(GotoDefinitionResponse::Scalar(Self::location(&s, loc)?))
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let s = self.state.read();
        guarded("references", || {
            let (doc, off) = Self::locate(&s, &p.text_document.uri, p.position)?;
            let locs = ide::references(&s.corpus, doc, off, params.context.include_declaration);
            Some(
                locs.into_iter()
                    .filter_map(|l| Self::location(&s, l))
                    .collect(),
            )
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
                ide::highlights(&s.corpus, doc, off)
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

#[derive(Clone, Copy, Default)]
struct ClientFlags {
    progress: bool,
    dyn_watch: bool,
}

/// Serves LSP on stdin/stdout until `exit` or the end of input; true when
/// `shutdown` was answered first (exit code 0, else 1).
pub async fn run_stdio() -> bool {
    serve(tokio::io::stdin(), tokio::io::stdout()).await
}

/// Serves LSP over any byte streams (tests and fuzzing use in-memory ones),
/// behind the framing and panic guard of [`super::guard`].
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: tokio::io::AsyncWrite,
{
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("gazette/documentText", Backend::document_text)
        .finish();
    super::guard::serve(input, output, service, socket).await
}
