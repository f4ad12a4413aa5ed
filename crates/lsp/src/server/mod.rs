//! The language server proper: [`Backend`] and its `LanguageServer`
//! methods, each a call to one handler.
//!
//! | module | what |
//! |---|---|
//! | [`request`] | request handlers: from the protocol, one `gazette_ide` query, [`to_proto`] |
//! | [`notification`] | text synchronisation, file events, settings |
//! | [`to_proto`] | `gazette_ide` results as LSP types (and large location lists as JSON bytes) |
//! | [`publish`] | diagnostics, computed after each change and published in order |
//! | [`indexing`] | the workspace into the corpus, with the persistent index and progress |
//! | [`watch`] | files changing on disk |
//! | [`kb`] | the knowledge base changing |
//! | [`settings`] | the editor's settings |
//! | [`archive`] | hover, references and symbols over a shared archive |

mod archive;
mod indexing;
mod kb;
mod notification;
mod publish;
mod request;
mod review;
mod settings;
mod to_proto;
mod watch;

use super::convert::{self, uri_to_path};
use super::state::State;
use super::transport::{self, Output};
use gazette_core::text::position::PositionEncoding;
use parking_lot::RwLock;
use publish::PublishQueue;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

pub struct Backend {
    client: Client,
    state: Arc<RwLock<State>>,
    publish_tx: PublishQueue,
    client_flags: RwLock<ClientFlags>,
}

/// What the client said it can do, as far as the server cares.
#[derive(Clone, Copy, Default)]
struct ClientFlags {
    progress: bool,
    dyn_watch: bool,
    config_pull: bool,
}

impl ClientFlags {
    fn of(caps: &ClientCapabilities) -> ClientFlags {
        let workspace = caps.workspace.as_ref();
        let watched = workspace.and_then(|w| w.did_change_watched_files.as_ref());
        ClientFlags {
            progress: caps.window.as_ref().and_then(|w| w.work_done_progress) == Some(true),
            dyn_watch: watched.and_then(|d| d.dynamic_registration) == Some(true),
            config_pull: workspace.and_then(|w| w.configuration) == Some(true),
        }
    }
}

/// Params of `gazette/entities`.
#[derive(serde::Deserialize, Default)]
pub struct EntitiesParams {
    #[serde(default)]
    pub query: Option<String>,
}

/// Params of `gazette/graph`: the corpus map's filters (all optional).
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GraphParams {
    /// `person`, `place`, `org` (or `organization`), `other`; none: all.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Articles dated from / to this day (`YYYY-MM-DD`), inclusive.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub min_count: Option<usize>,
    #[serde(default)]
    pub top_n: Option<usize>,
}

impl Backend {
    fn new(client: Client) -> Backend {
        Backend {
            publish_tx: PublishQueue::start(client.clone()),
            client,
            state: Arc::new(RwLock::new(State::new())),
            client_flags: RwLock::new(ClientFlags::default()),
        }
    }

    /// Asks the editor for the `gazette` section (in a task of its own).
    fn pull_config(&self) {
        let (state, tx, client) = (
            self.state.clone(),
            self.publish_tx.clone(),
            self.client.clone(),
        );
        settings::spawn_config_pull(state, tx, client, self.client_flags.read().progress);
    }

    /// Takes the workspace, encoding and settings `initialize` gives.
    fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let enc = convert::negotiate(offered);
        let root = workspace_root(&params).map(|r| std::fs::canonicalize(&r).unwrap_or(r));
        let options = params.initialization_options.as_ref();
        let options = options.map(|o| o.get("gazette").unwrap_or(o));
        let problems = self.set_up(enc, root, options);
        settings::show_problems(&self.client, problems);
        *self.client_flags.write() = ClientFlags::of(caps);
        Ok(to_proto::initialize_result(enc))
    }

    /// The session's encoding, workspace, index file, settings and
    /// knowledge base; the problems to show the user.
    fn set_up(
        &self,
        enc: PositionEncoding,
        root: Option<PathBuf>,
        options: Option<&Value>,
    ) -> Vec<String> {
        let mut s = self.state.write();
        (s.initialized, s.encoding, s.root) = (true, enc, root);
        s.cache_file = match std::env::var("GAZETTE_CACHE_DIR") {
            Ok(v) if v == "off" => None,
            _ => s
                .root
                .as_deref()
                .and_then(|r| gazette_core::cache::cache_file(r, None)),
        };
        let mut problems = options
            .map(|o| settings::apply_settings(&mut s, o).0)
            .unwrap_or_default();
        self.set_up_store(&mut s);
        problems.extend(self.set_up_kb(&mut s));
        problems
    }

    /// Reads the workspace's annotation store, before indexing: the
    /// articles are analysed with it.
    fn set_up_store(&self, s: &mut State) {
        let path = s.root.as_ref();
        s.store.path = path.map(|r| r.join(gazette_core::annotations::FILE_NAME));
        if s.store.path.is_some() {
            let text = s.read_store_file();
            s.set_store_text(text);
            publish::queue_store_diagnostics(s, &self.publish_tx);
            // The tagger adapted to the store, in the background.
            review::spawn_learning(&self.state, s, &self.publish_tx);
        }
    }

    /// Reads the workspace's knowledge base; the problem to show the user.
    fn set_up_kb(&self, s: &mut State) -> Option<String> {
        s.kb.path = s.root.as_ref().map(|r| r.join(gazette_core::kb::FILE_NAME));
        s.kb.path.as_ref()?;
        let (text, problem) = s.read_kb_file();
        s.set_kb_text(text);
        publish::queue_kb_diagnostics(s, &self.publish_tx);
        problem
    }

    async fn document_text(&self, params: TextDocumentIdentifier) -> Result<Value> {
        request::document_text(self, params)
    }

    async fn entities(&self, params: Option<EntitiesParams>) -> Result<Value> {
        request::entities(self, params)
    }

    async fn graph(&self, params: Option<GraphParams>) -> Result<Value> {
        request::graph(self, params)
    }

    async fn next_review(&self, params: Option<review::NextReviewParams>) -> Result<Value> {
        review::next_review(self, params)
    }

    async fn review_progress(&self, params: Option<Value>) -> Result<Value> {
        review::review_progress(self, params)
    }
}

/// The workspace folder (the first one), else the root the client names.
#[allow(deprecated)]
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|f| f.first());
    folder
        .map(|f| uri_to_path(&f.uri))
        .or_else(|| params.root_uri.as_ref().map(uri_to_path))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
}

/// `LanguageServer` methods that call a request handler, as a table:
/// `method(Params) -> Answer = handler;`.
macro_rules! handlers {
    ($($method:ident($params:ty) -> $answer:ty = $handler:path;)*) => {
        $(async fn $method(&self, params: $params) -> Result<$answer> {
            $handler(self, params)
        })*
    };
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Backend::initialize(self, params)
    }
    async fn initialized(&self, _: InitializedParams) {
        notification::initialized(self)
    }
    async fn shutdown(&self) -> Result<()> {
        self.state.write().shutdown = true;
        Ok(())
    }
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        notification::did_open(self, params)
    }
    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        notification::did_change(self, params)
    }
    async fn did_save(&self, _: DidSaveTextDocumentParams) {}
    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        notification::did_close(self, params)
    }
    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        notification::did_change_watched_files(self, params)
    }
    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        notification::did_change_configuration(self, params)
    }
    // With an archive, these wait for it (bounded) after the local answer.
    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        archive::hover(self, params).await
    }
    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        archive::definition(self, params).await
    }
    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        archive::references(self, params).await
    }
    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        archive::workspace_symbol(self, params).await
    }
    handlers! {
        prepare_rename(TextDocumentPositionParams) -> Option<PrepareRenameResponse> = request::prepare_rename;
        rename(RenameParams) -> Option<WorkspaceEdit> = request::rename;
        document_symbol(DocumentSymbolParams) -> Option<DocumentSymbolResponse> = request::document_symbol;
        semantic_tokens_full(SemanticTokensParams) -> Option<SemanticTokensResult> = request::semantic_tokens_full;
        semantic_tokens_range(SemanticTokensRangeParams) -> Option<SemanticTokensRangeResult> = request::semantic_tokens_range;
        inlay_hint(InlayHintParams) -> Option<Vec<InlayHint>> = request::inlay_hint;
        code_lens(CodeLensParams) -> Option<Vec<CodeLens>> = request::code_lens;
        completion(CompletionParams) -> Option<CompletionResponse> = request::completion;
        document_link(DocumentLinkParams) -> Option<Vec<DocumentLink>> = request::document_link;
        code_action(CodeActionParams) -> Option<CodeActionResponse> = request::code_action;
        document_highlight(DocumentHighlightParams) -> Option<Vec<DocumentHighlight>> = request::document_highlight;
    }
}

/// Serves LSP on stdin/stdout until `exit` or the end of input; true when
/// `shutdown` was answered first (exit code 0, else 1).
pub async fn run_stdio() -> bool {
    serve_with(transport::read::stdin(), Output::stdout()).await
}

/// Serves LSP over any input and output (fuzzing uses in-memory ones).
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
    O: std::io::Write + Send + 'static,
{
    serve_with(input, Output::writer(output)).await
}

async fn serve_with<I>(input: I, output: Output) -> bool
where
    I: tokio::io::AsyncRead + Unpin + Send + 'static,
{
    let (service, socket) = LspService::build(Backend::new)
        .custom_method("gazette/documentText", Backend::document_text)
        .custom_method("gazette/entities", Backend::entities)
        .custom_method("gazette/graph", Backend::graph)
        .custom_method("gazette/nextReview", Backend::next_review)
        .custom_method("gazette/reviewProgress", Backend::review_progress)
        .finish();
    let state = service.inner().state.clone();
    let raw = Arc::new(RawQueries {
        state: state.clone(),
    });
    transport::serve(input, output, service, socket, raw).await;
    let shutdown = state.read().shutdown;
    shutdown
}

/// Requests whose results can be huge, answered as JSON bytes: the
/// references of a name mentioned 100,000 times.
struct RawQueries {
    state: Arc<RwLock<State>>,
}

impl transport::RawHandler for RawQueries {
    fn handles(&self, method: &str) -> bool {
        method == "textDocument/references" && {
            let s = self.state.read();
            // With an archive, `LanguageServer::references` adds its part.
            s.initialized && !s.shutdown && s.archive.is_none()
        }
    }

    fn handle(&self, params: Value, reply: transport::Reply) {
        // Off the runtime's worker (which hands its other tasks to a new
        // one): the writer keeps writing partial results meanwhile.
        let answer = || {
            let answer = || request::references_json(&self.state, params, &reply);
            request::guarded("textDocument/references", answer).and_then(|r| r)
        };
        let answer = match tokio::runtime::Handle::current().runtime_flavor() {
            tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(answer),
            _ => answer(),
        };
        match answer {
            Ok(json) => reply.result(json),
            Err(e) => reply.error(e),
        }
    }
}
