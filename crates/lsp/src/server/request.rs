//! Request handlers. Each one is three steps: the request's document or
//! position from the protocol (through [`Backend::at_position`] and its
//! siblings, which also take the read lock and contain panics), one
//! [`gazette_ide`] query, and the answer through [`to_proto`].

use super::{to_proto, Backend, EntitiesParams, GraphParams};
use crate::body::Segment;
use crate::convert::{self, uri_to_path};
use crate::panics::internal_error;
use crate::state::State;
use crate::transport::Reply;
use gazette_core::corpus::DocId;
use gazette_core::model::Span;
use gazette_ide::TextSource;
use parking_lot::RwLock;
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

/// A position in a corpus document, in the core's terms.
pub(super) struct FilePosition {
    pub doc: DocId,
    pub offset: usize,
}

/// Runs a query, turning a panic into a JSON-RPC internal error instead of
/// taking the server down.
pub(super) fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|p| internal_error(what, p))
}

/// The document and byte offset a request's position names.
pub(super) fn locate(state: &State, p: &TextDocumentPositionParams) -> Option<FilePosition> {
    let doc = state.corpus.doc_id(&uri_to_path(&p.text_document.uri))?;
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let offset = convert::offset(li, p.position, state.encoding);
    Some(FilePosition { doc, offset })
}

/// The bytes of `doc` a request's range covers.
fn span_of(state: &State, doc: DocId, range: Range) -> Option<Span> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let offset = |p| convert::offset(li, p, state.encoding);
    Some(Span::new(offset(range.start), offset(range.end)))
}

impl Backend {
    /// `f` on the read-locked state, panics contained.
    fn with_state<T>(&self, what: &str, f: impl FnOnce(&State) -> T) -> Result<T> {
        let s = self.state.read();
        guarded(what, || f(&s))
    }

    /// `f` at the request's position (`None` when it is not in the corpus).
    fn at_position<T>(
        &self,
        what: &str,
        p: &TextDocumentPositionParams,
        f: impl FnOnce(&State, FilePosition) -> Option<T>,
    ) -> Result<Option<T>> {
        self.with_state(what, |s| f(s, locate(s, p)?))
    }

    /// `f` on the request's document (`None` when it is not in the corpus).
    fn in_document<T>(
        &self,
        what: &str,
        uri: &Uri,
        f: impl FnOnce(&State, DocId) -> Option<T>,
    ) -> Result<Option<T>> {
        self.with_state(what, |s| f(s, s.corpus.doc_id(&uri_to_path(uri))?))
    }

    /// As [`Self::at_position`] for queries that explain a refusal: the
    /// explanation is answered as `InvalidParams`.
    fn at_position_or_why<T>(
        &self,
        what: &str,
        p: &TextDocumentPositionParams,
        f: impl FnOnce(&State, FilePosition) -> std::result::Result<T, String>,
    ) -> Result<Option<T>> {
        let not_in_corpus = || "the document is not part of the corpus".to_string();
        let r = self.with_state(what, |s| f(s, locate(s, p).ok_or_else(not_in_corpus)?))?;
        r.map(Some).map_err(Error::invalid_params)
    }
}

pub(super) fn hover(b: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    b.at_position("hover", &params.text_document_position_params, |s, at| {
        let card = gazette_ide::hover(&s.corpus, s, at.doc, at.offset)?;
        to_proto::hover(s, at.doc, card.span, card.markdown)
    })
}

pub(super) fn definition(
    b: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    b.at_position(
        "definition",
        &params.text_document_position_params,
        |s, at| {
            let loc = gazette_ide::definition(&s.corpus, at.doc, at.offset)?;
            Some(GotoDefinitionResponse::Scalar(to_proto::location(s, loc)?))
        },
    )
}

/// The references a request asks for (in the core's terms).
fn reference_locations(s: &State, params: &ReferenceParams) -> Option<Vec<gazette_ide::Location>> {
    let at = locate(s, &params.text_document_position)?;
    let declaration = params.context.include_declaration;
    Some(gazette_ide::references(
        &s.corpus,
        at.doc,
        at.offset,
        declaration,
    ))
}

pub(super) fn references(b: &Backend, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    b.with_state("references", |s| {
        Some(to_proto::locations(s, reference_locations(s, &params)?))
    })
}

/// `textDocument/references` answered as JSON bytes (see
/// [`to_proto::locations_json`]): the references of a name mentioned
/// 100,000 times are written without a `serde_json::Value` in between.
pub(super) fn references_json(
    state: &RwLock<State>,
    params: Value,
    reply: &Reply,
) -> Result<Vec<Segment>> {
    let params: ReferenceParams = serde_json::from_value(params)
        .map_err(|e| Error::invalid_params(format!("gazette: {e}")))?;
    let s = state.read();
    match &params.partial_result_params.partial_result_token {
        Some(token) => references_in_parts(&s, &params, token, reply),
        None => references_whole(&s, &params),
    }
}

fn references_whole(s: &State, params: &ReferenceParams) -> Result<Vec<Segment>> {
    let t0 = std::time::Instant::now();
    let locs = guarded("references", || reference_locations(s, params))?;
    let t1 = std::time::Instant::now();
    let json = match &locs {
        Some(locs) => to_proto::locations_json(s, locs),
        None => vec![b"null".to_vec().into()],
    };
    tracing::debug!(
        "references: {} locations, query {:.1} ms, conversion {:.1} ms ({:.1} MB of JSON)",
        locs.as_ref().map_or(0, |l| l.len()),
        (t1 - t0).as_secs_f64() * 1e3,
        t1.elapsed().as_secs_f64() * 1e3,
        json.iter().map(Segment::byte_len).sum::<usize>() as f64 / 1e6
    );
    Ok(json)
}

/// References for a client that sent a `partialResultToken`: the first
/// [`FIRST_BATCH`] go out as soon as they are found, the rest after them,
/// all as `$/progress` notifications; the response is then an empty list.
fn references_in_parts(
    s: &State,
    params: &ReferenceParams,
    token: &ProgressToken,
    reply: &Reply,
) -> Result<Vec<Segment>> {
    let t0 = std::time::Instant::now();
    let token = serde_json::to_value(token).unwrap_or(Value::Null);
    let mut first_ms = None;
    let found = guarded("references", || {
        let at = locate(s, &params.text_document_position)?;
        let mut n = 0;
        let send = |part: Vec<gazette_ide::Location>| {
            n += part.len();
            for batch in to_proto::location_batches_json(s, &part) {
                reply.partial(&token, batch);
            }
            first_ms.get_or_insert(t0.elapsed().as_secs_f64() * 1e3);
        };
        let decl = params.context.include_declaration;
        gazette_ide::references_in_parts(&s.corpus, at.doc, at.offset, decl, FIRST_BATCH, send);
        Some(n)
    })?;
    tracing::debug!(
        "references: {} locations as partial results, the first after {:.1} ms, all after {:.1} ms",
        found.unwrap_or(0),
        first_ms.unwrap_or(0.0),
        t0.elapsed().as_secs_f64() * 1e3
    );
    let result: &[u8] = if found.is_some() { b"[]" } else { b"null" };
    Ok(vec![result.to_vec().into()])
}

/// Locations in the first partial result of a references request: few
/// enough to be converted and parsed in milliseconds whatever the total.
pub(super) const FIRST_BATCH: usize = 1000;

pub(super) fn document_highlight(
    b: &Backend,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    b.at_position(
        "documentHighlight",
        &params.text_document_position_params,
        |s, at| {
            to_proto::highlights(
                s,
                at.doc,
                gazette_ide::highlights(&s.corpus, at.doc, at.offset),
            )
        },
    )
}

pub(super) fn prepare_rename(
    b: &Backend,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let r = b.at_position_or_why("prepareRename", &params, |s, at| {
        let found = gazette_ide::rename::prepare_rename(&s.corpus, s, at.doc, at.offset)?;
        Ok(to_proto::prepare_rename(s, at.doc, found))
    });
    r.map(Option::flatten)
}

pub(super) fn rename(b: &Backend, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    b.at_position_or_why("rename", &params.text_document_position, |s, at| {
        let edits = gazette_ide::rename::rename(&s.corpus, s, at.doc, at.offset, &params.new_name)?;
        Ok(to_proto::rename(s, edits))
    })
}

pub(super) fn workspace_symbol(
    b: &Backend,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    b.with_state("workspace/symbol", |s| {
        let found = gazette_ide::symbols::workspace_symbols(&s.corpus, &params.query, 200);
        Some(to_proto::workspace_symbols(s, &found))
    })
}

pub(super) fn document_symbol(
    b: &Backend,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    b.in_document("documentSymbol", &params.text_document.uri, |s, doc| {
        let groups = gazette_ide::symbols::document_entities(&s.corpus, doc);
        to_proto::document_symbols(s, doc, groups)
    })
}

pub(super) fn semantic_tokens_full(
    b: &Backend,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    b.in_document(
        "semanticTokens/full",
        &params.text_document.uri,
        |s, doc| {
            Some(SemanticTokensResult::Tokens(to_proto::tokens(
                s, doc, None,
            )?))
        },
    )
}

pub(super) fn semantic_tokens_range(
    b: &Backend,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    b.in_document(
        "semanticTokens/range",
        &params.text_document.uri,
        |s, doc| {
            let span = span_of(s, doc, params.range)?;
            let tokens = to_proto::tokens(s, doc, Some(span))?;
            Some(SemanticTokensRangeResult::Tokens(tokens))
        },
    )
}

pub(super) fn inlay_hint(b: &Backend, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    b.in_document("inlayHint", &params.text_document.uri, |s, doc| {
        let text = s.text(&s.corpus, doc)?;
        let span = span_of(s, doc, params.range)?;
        let hints = gazette_ide::lens::inlay_hints(&s.corpus, &text, doc, span);
        to_proto::inlay_hints(s, doc, hints)
    })
}

pub(super) fn code_lens(b: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = &params.text_document.uri;
    b.in_document("codeLens", uri, |s, doc| {
        to_proto::code_lenses(s, doc, uri, gazette_ide::lens::code_lenses(&s.corpus, doc))
    })
}

pub(super) fn completion(
    b: &Backend,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    b.at_position("completion", &params.text_document_position, |s, at| {
        let text = s.text(&s.corpus, at.doc)?;
        let items = gazette_ide::completion::complete(&s.corpus, &text, at.offset, 50);
        to_proto::completion(s, at.doc, &text, items)
    })
}

pub(super) fn document_link(
    b: &Backend,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    b.in_document("documentLink", &params.text_document.uri, |s, doc| {
        let text = s.text(&s.corpus, doc)?;
        let links = gazette_ide::lens::document_links(&s.corpus, &text, doc);
        to_proto::document_links(s, doc, links)
    })
}

pub(super) fn code_action(
    b: &Backend,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    b.in_document("codeAction", &params.text_document.uri, |s, doc| {
        let text = s.text(&s.corpus, doc)?;
        let span = span_of(s, doc, params.range)?;
        let kb = gazette_ide::code_actions::KbView {
            text: s.kb.text.as_deref(),
            kb: s.kb.good.as_deref(),
        };
        let mut actions =
            gazette_ide::code_actions::code_actions(&s.corpus, s, doc, &text, span, &kb);
        actions.extend(annotation_actions(s, doc, &text, span).unwrap_or_default());
        let (diagnostics, only) = (&params.context.diagnostics, params.context.only.as_deref());
        Some(to_proto::code_actions(s, actions, diagnostics, only))
    })
}

/// The actions that annotate through the annotation store, where there
/// is one.
fn annotation_actions(
    s: &State,
    doc: DocId,
    text: &str,
    span: Span,
) -> Option<Vec<gazette_ide::code_actions::Action>> {
    let path = s.store.path.as_ref()?;
    let store = gazette_ide::code_actions::StoreView {
        text: (s.store.exists || s.open.contains_key(path)).then_some(s.store.text.as_str()),
        annotations: s.overrides.annotations(),
    };
    let doc_path = s.corpus.path(doc).to_path_buf();
    let actions = gazette_ide::code_actions::annotation_actions(
        &s.corpus, doc, &doc_path, text, span, &store,
    );
    Some(actions)
}

/// `gazette/documentText`: the server's copy of an open document (for
/// clients and tests that check text synchronisation).
pub(super) fn document_text(b: &Backend, params: TextDocumentIdentifier) -> Result<Value> {
    let s = b.state.read();
    match s.open.get(&uri_to_path(&params.uri)) {
        Some(d) => Ok(serde_json::json!({ "text": d.rope.to_string(), "version": d.version })),
        None => Err(Error::invalid_params(format!(
            "{} is not open",
            params.uri.as_str()
        ))),
    }
}

/// `gazette/entities`: every entity (or those matching `query`) with its
/// mentions, for the editors' entity lists.
pub(super) fn entities(b: &Backend, params: Option<EntitiesParams>) -> Result<Value> {
    let query = params.unwrap_or_default().query;
    b.with_state("gazette/entities", |s| {
        let list = match query.as_deref().filter(|q| !q.trim().is_empty()) {
            Some(q) => gazette_ide::symbols::search_entities(&s.corpus, q, usize::MAX),
            None => s.corpus.entities(),
        };
        to_proto::entities_json(s, &list)
    })
}

/// `gazette/graph`: the corpus map (co-occurrence network, mentions per
/// article date, figure groups) under the params' filters, each entity
/// with the location of its definition: what the editor's corpus map draws.
pub(super) fn graph(b: &Backend, params: Option<GraphParams>) -> Result<Value> {
    let p = params.unwrap_or_default();
    let opts = graph_options(&p).map_err(Error::invalid_params)?;
    b.with_state("gazette/graph", |s| {
        let map = gazette_ide::corpus_map::corpus_map(&s.corpus, s, &opts);
        to_proto::graph_json(s, &map)
    })
}

/// The map's options from the request, or what is wrong with it.
fn graph_options(
    p: &GraphParams,
) -> std::result::Result<gazette_ide::corpus_map::MapOptions, String> {
    let kinds = p
        .kinds
        .iter()
        .map(|k| kind_of(k))
        .collect::<std::result::Result<_, _>>()?;
    let (from, to) = (day("from", &p.from)?, day("to", &p.to)?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(format!("from {f} is after to {t}"));
        }
    }
    let defaults = gazette_ide::corpus_map::MapOptions::default();
    Ok(gazette_ide::corpus_map::MapOptions {
        kinds,
        from,
        to,
        min_count: p.min_count.unwrap_or(1).max(1),
        // A map of more than a few thousand entities is no picture.
        top_n: p.top_n.unwrap_or(defaults.top_n).clamp(1, 5000),
        ..defaults
    })
}

/// An entity kind of the map's filter.
fn kind_of(k: &str) -> std::result::Result<gazette_core::model::EntityKind, String> {
    let k = if k == "organization" { "org" } else { k };
    gazette_ide::corpus_map::kind_from_str(k)
        .ok_or_else(|| format!("kinds: unknown kind {k:?} (person, place, org, other)"))
}

/// The day `v` of the map's filter `what` (none when empty).
fn day(
    what: &str,
    v: &Option<String>,
) -> std::result::Result<Option<gazette_core::dates::Ymd>, String> {
    match v.as_deref() {
        None | Some("") => Ok(None),
        Some(d) => match gazette_core::dates::parse_date_at(d) {
            Some((y, n)) if n == d.len() => Ok(Some(y)),
            _ => Err(format!("{what}: {d:?} is not a day (YYYY-MM-DD)")),
        },
    }
}
