//! Conversions of [`gazette_ide`] results to LSP types (and, for large
//! location lists, straight to JSON bytes). Positions go through
//! [`convert`]; nothing here reads the protocol's input.

use crate::body::{DeferredJson, Segment};
use crate::convert;
use crate::state::State;
use gazette_core::corpus::DocId;
use gazette_core::model::{EntityKind, Span};
use gazette_core::text::position::Cursor;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tower_lsp_server::ls_types::*;

/// A document's diagnostics as LSP diagnostics.
pub(super) fn diagnostics(
    state: &State,
    doc: DocId,
    diags: &[gazette_ide::Diagnostic],
) -> Vec<Diagnostic> {
    let li = &state.corpus.doc(doc).unwrap().analysis.line_index;
    diags
        .iter()
        .map(|d| Diagnostic {
            related_information: (!d.related.is_empty()).then(|| related(state, &d.related)),
            data: d.fix.as_ref().map(|f| serde_json::json!({ "fix": f })),
            ..diagnostic(state, li, d.span, d.severity, d.code, d.message.clone())
        })
        .collect()
}

/// A diagnostic from gazette of `code` at `span` (in the text `li` indexes).
fn diagnostic(
    state: &State,
    li: &gazette_core::text::position::LineIndex,
    span: Span,
    severity: gazette_ide::Severity,
    code: gazette_ide::DiagCode,
    message: String,
) -> Diagnostic {
    Diagnostic {
        range: convert::range(li, span, state.encoding),
        severity: Some(convert::severity(severity)),
        code: Some(NumberOrString::String(code.as_str().to_string())),
        source: Some("gazette".into()),
        message,
        ..Default::default()
    }
}

/// A diagnostic's related places as LSP locations.
fn related(
    state: &State,
    related: &[(gazette_ide::Location, String)],
) -> Vec<DiagnosticRelatedInformation> {
    related
        .iter()
        .filter_map(|(loc, msg)| {
            let li = &state.corpus.doc(loc.doc)?.analysis.line_index;
            let location = Location {
                uri: convert::path_to_uri(state.corpus.path(loc.doc))?,
                range: convert::range(li, loc.span, state.encoding),
            };
            let message = msg.clone();
            Some(DiagnosticRelatedInformation { location, message })
        })
        .collect()
}

/// The knowledge base's own diagnostics (syntax errors, unknown kinds,
/// duplicates) against its current text.
pub(super) fn kb_diagnostics(state: &State) -> Vec<Diagnostic> {
    let li = match &state.kb.line_index {
        Some(li) => li.clone(),
        None => Arc::new(gazette_core::text::position::LineIndex::new("")),
    };
    let in_force = state.kb.good.is_some();
    state
        .kb
        .errors
        .iter()
        .filter_map(|e| {
            let code = gazette_ide::DiagCode::from_kb(e.kind);
            let mut message = e.message.clone();
            if e.kind == gazette_core::kb::KbErrorKind::Syntax && in_force {
                message.push_str(" (the last valid version stays in force)");
            }
            Some(diagnostic(
                state,
                &li,
                e.span,
                state.level(code)?,
                code,
                message,
            ))
        })
        .collect()
}

/// The annotation store's diagnostics (lines that do not parse,
/// annotations that cannot be anchored) against its current text.
pub(super) fn store_diagnostics(state: &State) -> Vec<Diagnostic> {
    let text = &state.store.text;
    let li = gazette_core::text::position::LineIndex::new(text);
    gazette_ide::annotation_diagnostics(&state.corpus, state.overrides.annotations(), text)
        .into_iter()
        .filter_map(|d| {
            let sev = state.level(d.code)?;
            Some(diagnostic(state, &li, d.span, sev, d.code, d.message))
        })
        .collect()
}

/// Many locations at once: each document's URI is built once.
pub(super) fn locations(state: &State, locs: Vec<gazette_ide::Location>) -> Vec<Location> {
    let mut uri_of: HashMap<DocId, Option<Uri>> = HashMap::new();
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

/// [`locations`] written straight to JSON: the same array, with
/// each document's URI serialised once.
pub(super) fn locations_json(state: &State, locs: &[gazette_ide::Location]) -> Vec<Segment> {
    /// Locations per part: large results are converted on all cores.
    const PART: usize = 16 * 1024;
    locations_json_in_parts(state, locs, PART)
}

/// [`locations_json`] with `part` locations per part.
pub(super) fn locations_json_in_parts(
    state: &State,
    locs: &[gazette_ide::Location],
    part: usize,
) -> Vec<Segment> {
    use rayon::prelude::*;
    // Open documents have the client's URI; looked up by id, not by
    // hashing every document's path.
    let open: fxhash::FxHashMap<DocId, &Uri> = state
        .open
        .iter()
        .filter_map(|(p, o)| Some((state.corpus.doc_id(p)?, &o.uri)))
        .collect();
    let parts: Vec<LocationsJson> = if locs.len() > part {
        locs.par_chunks(part)
            .map(|c| LocationsJson::new(state, &open, c))
            .collect()
    } else {
        vec![LocationsJson::new(state, &open, locs)]
    };
    json_array(parts)
}

/// One JSON array of the locations in `parts`, in segments.
fn json_array(parts: Vec<LocationsJson>) -> Vec<Segment> {
    let mut out = vec![b"[".to_vec().into()];
    for p in parts.into_iter().filter(|p| !p.ranges.is_empty()) {
        if out.len() > 1 {
            out.push(b",".to_vec().into());
        }
        out.push(Segment::Deferred(Box::new(p)));
    }
    out.push(b"]".to_vec().into());
    out
}

/// Locations as JSON arrays of up to 16,384 each (~2 MB), in order,
/// converted on all cores: partial results a client can parse one by one.
pub(super) fn location_batches_json(
    state: &State,
    locs: &[gazette_ide::Location],
) -> Vec<Vec<Segment>> {
    use rayon::prelude::*;
    const BATCH: usize = 16 * 1024;
    locs.par_chunks(BATCH)
        .map(|c| locations_json_in_parts(state, c, usize::MAX))
        .collect()
}

/// Locations converted to positions under the state lock and made into
/// JSON (comma-separated objects, no brackets) as the output writes them:
/// 16 bytes a location until then, not the ~130 of its JSON.
///
/// Locations come grouped by document (corpus order), by offset within
/// one: each document's URI is written and its line index walked once.
pub(super) struct LocationsJson {
    /// Each run's URI as JSON, one after another.
    uris: Vec<u8>,
    /// Per run of locations in one document: where its URI ends in
    /// `uris` and where its ranges end in `ranges`.
    runs: Vec<(usize, usize)>,
    ranges: Vec<Range>,
    /// The JSON's length.
    len: usize,
}

/// The JSON of a location without its URI and numbers (see [`range_json`]).
const LOCATION_JSON_FIXED: usize =
    r#"{"uri":,"range":{"start":{"line":,"character":},"end":{"line":,"character":}}}"#.len();

impl LocationsJson {
    fn new(
        state: &State,
        open: &fxhash::FxHashMap<DocId, &Uri>,
        locs: &[gazette_ide::Location],
    ) -> LocationsJson {
        let mut j = LocationsJson {
            uris: Vec::new(),
            runs: Vec::new(),
            ranges: Vec::with_capacity(locs.len()),
            len: 0,
        };
        let mut run: Option<(DocId, Option<Cursor>)> = None;
        let mut uri_len = 0;
        for loc in locs {
            if run.as_ref().is_none_or(|(doc, _)| *doc != loc.doc) {
                let at = j.uris.len();
                let cursor = uri_json(state, open, loc.doc, &mut j.uris);
                match cursor {
                    Some(_) => j.runs.push((j.uris.len(), j.ranges.len())),
                    // No URI: the document's locations are left out.
                    None => j.uris.truncate(at),
                }
                uri_len = j.uris.len() - at;
                run = Some((loc.doc, cursor));
            }
            if let Some((_, Some(cursor))) = &mut run {
                let r = convert::range_at(cursor, loc.span);
                let numbers = [r.start.line, r.start.character, r.end.line, r.end.character];
                let comma = usize::from(!j.ranges.is_empty());
                j.len += comma + LOCATION_JSON_FIXED + uri_len;
                j.len += numbers.iter().map(|&n| digits(n)).sum::<usize>();
                j.ranges.push(r);
                j.runs.last_mut().expect("a run was opened").1 += 1;
            }
        }
        j
    }
}

impl DeferredJson for LocationsJson {
    fn byte_len(&self) -> usize {
        self.len
    }

    /// Writes in pieces of ~64 KiB.
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        const PIECE: usize = 64 << 10;
        let mut buf = Vec::with_capacity(PIECE + 4096);
        let mut num = itoa::Buffer::new();
        let (mut uri_at, mut from, mut first) = (0, 0, true);
        for &(uri_end, to) in &self.runs {
            let uri = &self.uris[uri_at..uri_end];
            for r in &self.ranges[from..to] {
                buf.extend_from_slice(if first { b"{\"uri\":" } else { b",{\"uri\":" });
                first = false;
                buf.extend_from_slice(uri);
                range_json(&mut buf, &mut num, *r);
                if buf.len() >= PIECE {
                    out.write_all(&buf)?;
                    buf.clear();
                }
            }
            (uri_at, from) = (uri_end, to);
        }
        out.write_all(&buf)
    }
}

/// The number of decimal digits of `n`.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// The URI of `doc` as JSON at the end of `out`, and a cursor on the
/// document's line index; `None`: the document has no URI.
fn uri_json<'a>(
    state: &'a State,
    open: &fxhash::FxHashMap<DocId, &Uri>,
    doc: DocId,
    out: &mut Vec<u8>,
) -> Option<Cursor<'a>> {
    let d = state.corpus.doc(doc)?;
    let written = match open.get(&doc) {
        Some(uri) => serde_json::to_writer(&mut *out, uri).is_ok(),
        None => convert::write_uri_json(&d.path, out),
    };
    written.then(|| d.analysis.line_index.cursor(state.encoding))
}

/// A location's `,"range":{…}` and the end of its object.
fn range_json(out: &mut Vec<u8>, num: &mut itoa::Buffer, r: Range) {
    let mut field = |name: &[u8], n: u32| {
        out.extend_from_slice(name);
        out.extend_from_slice(num.format(n).as_bytes());
    };
    field(b",\"range\":{\"start\":{\"line\":", r.start.line);
    field(b",\"character\":", r.start.character);
    field(b"},\"end\":{\"line\":", r.end.line);
    field(b",\"character\":", r.end.character);
    out.extend_from_slice(b"}}}");
}

pub(super) fn location(state: &State, loc: gazette_ide::Location) -> Option<Location> {
    let uri = uri_of(state, state.corpus.path(loc.doc))?;
    let li = &state.corpus.doc(loc.doc)?.analysis.line_index;
    Some(Location {
        uri,
        range: convert::range(li, loc.span, state.encoding),
    })
}

/// The command a code lens runs: arguments as VS Code's
/// `editor.action.showReferences` takes them (uri, position, locations);
/// the editor clients register it.
const SHOW_REFERENCES: &str = "gazette.showReferences";

pub(super) fn symbol_kind(k: EntityKind) -> SymbolKind {
    match k {
        EntityKind::Person => SymbolKind::CLASS,
        EntityKind::Place => SymbolKind::NAMESPACE,
        EntityKind::Org => SymbolKind::STRUCT,
        EntityKind::Other => SymbolKind::OBJECT,
    }
}

pub(super) fn group_name(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Person => "Personen",
        EntityKind::Place => "Orte",
        EntityKind::Org => "Organisationen",
        EntityKind::Other => "Sonstiges",
    }
}

pub(super) fn uri_of(state: &State, path: &Path) -> Option<Uri> {
    match state.open.get(path) {
        Some(o) => Some(o.uri.clone()),
        None => convert::path_to_uri(path),
    }
}

/// A workspace edit replacing spans of corpus documents.
pub(super) fn workspace_edit(
    state: &State,
    edits: impl Iterator<Item = (DocId, Span, String)>,
) -> WorkspaceEdit {
    let mut changes: std::collections::HashMap<Uri, Vec<TextEdit>> = Default::default();
    for (doc, span, text) in edits {
        let Some(entry) = state.corpus.doc(doc) else {
            continue;
        };
        let Some(uri) = uri_of(state, &entry.path) else {
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

/// Creates the file at `uri` unless it exists (a code action's first step
/// when gazette.toml or the annotation store is missing).
fn create_file(uri: &Uri) -> DocumentChangeOperation {
    DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
        uri: uri.clone(),
        options: Some(CreateFileOptions {
            overwrite: Some(false),
            ignore_if_exists: Some(true),
        }),
        annotation_id: None,
    }))
}

/// The workspace edit of a code action (creating the annotation store or
/// gazette.toml if needed).
pub(super) fn action_edit(
    state: &State,
    edits: &[gazette_ide::code_actions::Edit],
) -> Option<WorkspaceEdit> {
    use gazette_ide::code_actions::Edit as E;
    let mut doc_edits = Vec::new();
    let mut files = FileEdits {
        state,
        ops: Vec::new(),
    };
    for e in edits {
        match e {
            E::Doc { doc, span, text } => doc_edits.push((*doc, *span, text.clone())),
            E::Store { create, span, text } => files.store(*create, *span, text)?,
            E::Kb {
                create,
                offset,
                text,
            } => files.kb(*create, *offset, text)?,
        }
    }
    if files.ops.is_empty() {
        return Some(workspace_edit(state, doc_edits.into_iter()));
    }
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(files.ops)),
        ..Default::default()
    })
}

/// Edits of the server's own files (the annotation store, gazette.toml),
/// each created first where asked.
struct FileEdits<'a> {
    state: &'a State,
    ops: Vec<DocumentChangeOperation>,
}

impl FileEdits<'_> {
    /// An edit of the annotation store (several go into one document edit).
    fn store(&mut self, create: bool, span: Span, text: &str) -> Option<()> {
        let s = self.state;
        let li = gazette_core::text::position::LineIndex::new(&s.store.text);
        let range = convert::range(&li, span, s.encoding);
        self.edit(s.store.path.as_deref()?, create, range, text, true)
    }

    /// An insertion into gazette.toml.
    fn kb(&mut self, create: bool, offset: usize, text: &str) -> Option<()> {
        let s = self.state;
        let li =
            gazette_core::text::position::LineIndex::new(s.kb.text.as_deref().unwrap_or_default());
        let at = convert::position(&li, offset, s.encoding);
        self.edit(
            s.kb.path.as_deref()?,
            create,
            Range::new(at, at),
            text,
            false,
        )
    }

    /// An edit of the file at `path`, after creating the file if asked;
    /// with `merge`, into the last edit of that file where there is one.
    fn edit(
        &mut self,
        path: &Path,
        create: bool,
        range: Range,
        text: &str,
        merge: bool,
    ) -> Option<()> {
        let uri = uri_of(self.state, path)?;
        if create {
            self.ops.push(create_file(&uri));
        }
        let edit = OneOf::Left(TextEdit {
            range,
            new_text: text.to_string(),
        });
        let same = self.ops.iter_mut().rev().find_map(|o| match o {
            DocumentChangeOperation::Edit(e) if merge && e.text_document.uri == uri => Some(e),
            _ => None,
        });
        match same {
            Some(e) => e.edits.push(edit),
            None => self
                .ops
                .push(DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri,
                        version: self.state.open.get(path).map(|o| o.version),
                    },
                    edits: vec![edit],
                })),
        }
        Some(())
    }
}

/// Semantic tokens of `doc`, delta-encoded.
pub(super) fn tokens(state: &State, doc: DocId, range: Option<Span>) -> Option<SemanticTokens> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let enc = state.encoding;
    let review = state.store.review;
    let found = gazette_ide::semantic_tokens::semantic_tokens_in(&state.corpus, doc, range, review);
    let (mut pl, mut pc) = (0u32, 0u32);
    let token = |t: gazette_ide::semantic_tokens::SemToken| {
        let a = convert::position(li, t.span.start as usize, enc);
        let b = convert::position(li, t.span.end as usize, enc);
        let delta_line = a.line - pl;
        let delta_start = a.character - if delta_line == 0 { pc } else { 0 };
        (pl, pc) = (a.line, a.character);
        SemanticToken {
            delta_line,
            delta_start,
            length: b.character.saturating_sub(a.character),
            token_type: t.token_type,
            token_modifiers_bitset: t.modifiers,
        }
    };
    let data = found.into_iter().map(token).collect();
    Some(SemanticTokens {
        result_id: None,
        data,
    })
}

/// A hover card: `markdown` about the name at `span`.
pub(super) fn hover(state: &State, doc: DocId, span: Span, markdown: String) -> Option<Hover> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(convert::range(li, span, state.encoding)),
    })
}

pub(super) fn highlights(
    state: &State,
    doc: DocId,
    spans: Vec<Span>,
) -> Option<Vec<DocumentHighlight>> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let highlight = |span| DocumentHighlight {
        range: convert::range(li, span, state.encoding),
        kind: Some(DocumentHighlightKind::TEXT),
    };
    Some(spans.into_iter().map(highlight).collect())
}

pub(super) fn prepare_rename(
    state: &State,
    doc: DocId,
    (span, placeholder): (Span, String),
) -> Option<PrepareRenameResponse> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(li, span, state.encoding),
        placeholder,
    })
}

pub(super) fn rename(state: &State, edits: Vec<gazette_ide::rename::TextEdit>) -> WorkspaceEdit {
    workspace_edit(
        state,
        edits.into_iter().map(|e| (e.doc, e.span, e.new_text)),
    )
}

#[allow(deprecated)]
pub(super) fn workspace_symbols(
    state: &State,
    found: &[gazette_ide::symbols::SymbolMatch],
) -> WorkspaceSymbolResponse {
    let symbol = |e: &gazette_ide::symbols::SymbolMatch| {
        Some(SymbolInformation {
            name: e.name.clone(),
            kind: symbol_kind(e.kind),
            tags: None,
            deprecated: None,
            location: location(state, e.definition)?,
            container_name: Some(e.kind.label_de().to_string()),
        })
    };
    WorkspaceSymbolResponse::Flat(found.iter().filter_map(symbol).collect())
}

/// A document's entities as symbols, one group per kind.
pub(super) fn document_symbols(
    state: &State,
    doc: DocId,
    groups: Vec<(EntityKind, Vec<gazette_ide::symbols::DocEntity>)>,
) -> Option<DocumentSymbolResponse> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let range = |span| convert::range(li, span, state.encoding);
    let group = |(kind, ents): (EntityKind, Vec<gazette_ide::symbols::DocEntity>)| {
        let start = ents.iter().map(|e| e.spans[0].start).min().unwrap_or(0);
        let end = ents.iter().map(|e| e.spans.last().unwrap().end).max();
        let span = Span::new(start as usize, end.unwrap_or(0) as usize);
        let children = Some(ents.iter().map(|e| entity_symbol(&range, e)).collect());
        let (name, detail) = (group_name(kind).to_string(), ents.len().to_string());
        let first = range(ents[0].spans[0]);
        doc_symbol(
            name,
            detail,
            SymbolKind::PACKAGE,
            range(span),
            first,
            children,
        )
    };
    Some(DocumentSymbolResponse::Nested(
        groups.into_iter().map(group).collect(),
    ))
}

/// An entity of a document as a symbol: from its first mention to its last.
fn entity_symbol(
    range: &impl Fn(Span) -> Range,
    e: &gazette_ide::symbols::DocEntity,
) -> DocumentSymbol {
    let (first, last) = (e.spans[0], *e.spans.last().unwrap());
    let span = Span::new(first.start as usize, last.end as usize);
    let detail = format!("{}×", e.spans.len());
    let kind = symbol_kind(e.kind);
    doc_symbol(
        e.name.clone(),
        detail,
        kind,
        range(span),
        range(first),
        None,
    )
}

fn doc_symbol(
    name: String,
    detail: String,
    kind: SymbolKind,
    range: Range,
    selection_range: Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    #[allow(deprecated)]
    DocumentSymbol {
        name,
        detail: Some(detail),
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children,
    }
}

pub(super) fn inlay_hints(
    state: &State,
    doc: DocId,
    hints: Vec<(usize, String)>,
) -> Option<Vec<InlayHint>> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let hint = |(off, label)| InlayHint {
        position: convert::position(li, off, state.encoding),
        label: InlayHintLabel::String(label),
        kind: None,
        text_edits: None,
        tooltip: None,
        padding_left: Some(true),
        padding_right: None,
        data: None,
    };
    Some(hints.into_iter().map(hint).collect())
}

/// Code lenses whose command shows the entity's references (`uri`: the
/// document's, as the client named it).
pub(super) fn code_lenses(
    state: &State,
    doc: DocId,
    uri: &Uri,
    lenses: Vec<gazette_ide::lens::Lens>,
) -> Option<Vec<CodeLens>> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let lens = |l: gazette_ide::lens::Lens| {
        let range = convert::range(li, l.span, state.encoding);
        let locs: Vec<Location> = l
            .references
            .iter()
            .filter_map(|r| location(state, *r))
            .collect();
        let arguments = vec![
            serde_json::json!(uri),
            serde_json::json!(range.start),
            serde_json::json!(locs),
        ];
        CodeLens {
            range,
            command: Some(Command {
                title: l.title,
                command: SHOW_REFERENCES.into(),
                arguments: Some(arguments),
            }),
            data: None,
        }
    };
    Some(lenses.into_iter().map(lens).collect())
}

pub(super) fn completion(
    state: &State,
    doc: DocId,
    text: &str,
    items: Vec<gazette_ide::completion::Completion>,
) -> Option<CompletionResponse> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let item = |c: gazette_ide::completion::Completion| CompletionItem {
        label: c.label.clone(),
        kind: Some(match c.kind {
            EntityKind::Person => CompletionItemKind::CLASS,
            EntityKind::Place => CompletionItemKind::MODULE,
            EntityKind::Org => CompletionItemKind::STRUCT,
            EntityKind::Other => CompletionItemKind::VALUE,
        }),
        detail: Some(c.detail),
        sort_text: Some(format!("{:04}", c.sort)),
        filter_text: Some(text[c.replace.range()].to_string()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: convert::range(li, c.replace, state.encoding),
            new_text: c.label,
        })),
        ..Default::default()
    };
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: true,
        items: items.into_iter().map(item).collect(),
    }))
}

pub(super) fn document_links(
    state: &State,
    doc: DocId,
    links: Vec<(Span, String)>,
) -> Option<Vec<DocumentLink>> {
    let li = &state.corpus.doc(doc)?.analysis.line_index;
    let link = |(span, target): (Span, String)| {
        Some(DocumentLink {
            range: convert::range(li, span, state.encoding),
            target: Some(target.parse().ok()?),
            tooltip: None,
            data: None,
        })
    };
    Some(links.into_iter().filter_map(link).collect())
}

/// The code action kind of an action: `quickfix`, `refactor`, or for an
/// action on the annotation store `refactor.annotate.<what>` (clients ask
/// for one by kind: `refactor.annotate.person`, `….not-a-name`, …).
pub(super) fn action_kind(a: &gazette_ide::code_actions::Action) -> CodeActionKind {
    match a.annotate {
        _ if a.quick_fix => CodeActionKind::QUICKFIX,
        Some(what) => CodeActionKind::from(format!("refactor.annotate.{}", what.as_str())),
        None => CodeActionKind::REFACTOR,
    }
}

/// Whether `kind` is among the kinds a client asked for (`context.only`):
/// equal to one, or below one in the dot-separated hierarchy
/// (`refactor.annotate.person` is a `refactor`). No list: every kind.
pub(super) fn kind_wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else { return true };
    let k = kind.as_str();
    only.iter().any(|o| {
        let o = o.as_str();
        o.is_empty() || k == o || k.strip_prefix(o).is_some_and(|r| r.starts_with('.'))
    })
}

/// Code actions of the kinds asked for (`only`), each naming the
/// diagnostics of `context` it fixes.
pub(super) fn code_actions(
    state: &State,
    actions: Vec<gazette_ide::code_actions::Action>,
    context: &[Diagnostic],
    only: Option<&[CodeActionKind]>,
) -> CodeActionResponse {
    let fixed = |code: gazette_ide::DiagCode| {
        let code = Some(NumberOrString::String(code.as_str().to_string()));
        context.iter().filter(|d| d.code == code).cloned().collect()
    };
    let action = |a: gazette_ide::code_actions::Action| {
        let kind = action_kind(&a);
        if !kind_wanted(&kind, only) {
            return None;
        }
        Some(CodeActionOrCommand::CodeAction(CodeAction {
            title: a.title,
            kind: Some(kind),
            diagnostics: a.fixes.map(fixed),
            edit: Some(action_edit(state, &a.edits)?),
            is_preferred: a.preferred.then_some(true),
            ..Default::default()
        }))
    };
    actions.into_iter().filter_map(action).collect()
}

/// `gazette/entities`' answer: entities with their mentions as locations.
pub(super) fn entities_json(state: &State, list: &[gazette_core::corpus::EntityInfo]) -> Value {
    let entities: Vec<Value> = list.iter().map(|e| entity_json(state, e)).collect();
    serde_json::json!({ "entities": entities })
}

/// One entity of [`entities_json`].
fn entity_json(state: &State, e: &gazette_core::corpus::EntityInfo) -> Value {
    let mention = |m: &gazette_core::corpus::ItemRef| {
        let span = state.corpus.mention(*m).span();
        let loc = location(state, gazette_ide::Location { doc: m.doc, span })?;
        Some(serde_json::json!({"uri": loc.uri, "range": loc.range}))
    };
    let mentions: Vec<Value> = e.mentions.iter().filter_map(mention).collect();
    let mut v = serde_json::json!({
        "id": e.id,
        "name": e.name,
        // The semantic-token names editors already know.
        "kind": match e.kind {
            EntityKind::Org => "organization",
            k => k.as_str(),
        },
        "mentions": mentions,
    });
    let kb = e.kb_entry.as_ref();
    if let Some(d) = kb.and_then(|k| k.description.as_ref()) {
        v["description"] = Value::String(d.clone());
    }
    if let Some(q) = kb.and_then(|k| k.wikidata.as_ref()) {
        v["wikidata"] = Value::String(q.clone());
    }
    v
}

/// `gazette/graph`'s answer: the corpus map with each entity's definition
/// and articles as LSP locations (`uri`, `range`).
pub(super) fn graph_json(state: &State, map: &gazette_ide::corpus_map::CorpusMap) -> Value {
    let mut v = serde_json::to_value(map).unwrap_or(Value::Null);
    if let Some(nodes) = v.get_mut("nodes").and_then(Value::as_array_mut) {
        for (node, n) in nodes.iter_mut().zip(&map.nodes) {
            let def = n.definition.and_then(|l| location(state, l));
            node["definition"] = serde_json::to_value(def).unwrap_or(Value::Null);
            for (a, art) in node["article_list"]
                .as_array_mut()
                .into_iter()
                .flatten()
                .zip(&n.article_list)
            {
                if let Some(uri) = convert::path_to_uri(state.corpus.path(art.doc)) {
                    a["uri"] = Value::String(uri.as_str().to_string());
                }
            }
        }
    }
    v
}

/// Full text on open, changes as edits.
fn text_sync() -> TextDocumentSyncOptions {
    TextDocumentSyncOptions {
        open_close: Some(true),
        change: Some(TextDocumentSyncKind::INCREMENTAL),
        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
        ..Default::default()
    }
}

/// Semantic tokens of whole documents and ranges, in `gazette_ide`'s legend.
fn semantic_tokens_options() -> SemanticTokensOptions {
    use gazette_ide::semantic_tokens::{TOKEN_MODIFIERS, TOKEN_TYPES};
    SemanticTokensOptions {
        legend: SemanticTokensLegend {
            token_types: TOKEN_TYPES
                .iter()
                .map(|t| SemanticTokenType::new(t))
                .collect(),
            token_modifiers: TOKEN_MODIFIERS
                .iter()
                .map(|t| SemanticTokenModifier::new(t))
                .collect(),
        },
        range: Some(true),
        full: Some(SemanticTokensFullOptions::Bool(true)),
        ..Default::default()
    }
}

/// Renames, code lenses, document links and code actions.
fn editing_capabilities() -> ServerCapabilities {
    ServerCapabilities {
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::REFACTOR]),
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// What the server offers, with positions in `enc`.
pub(super) fn initialize_result(
    enc: gazette_core::text::position::PositionEncoding,
) -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(convert::encoding_kind(enc)),
            text_document_sync: Some(TextDocumentSyncCapability::Options(text_sync())),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_highlight_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            semantic_tokens_provider: Some(semantic_tokens_options().into()),
            inlay_hint_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions::default()),
            ..editing_capabilities()
        },
        server_info: Some(ServerInfo {
            name: "gazette".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        offset_encoding: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::OpenDoc;
    use std::path::PathBuf;

    #[test]
    fn code_action_kinds_and_context_only() {
        use gazette_core::annotations::Label;
        use gazette_ide::code_actions::{Action, Annotate};
        let act = |quick_fix, annotate| Action {
            title: String::new(),
            quick_fix,
            preferred: false,
            fixes: None,
            annotate,
            edits: Vec::new(),
        };
        let kind = |a: &Action| action_kind(a).as_str().to_string();
        assert_eq!(kind(&act(true, None)), "quickfix");
        assert_eq!(kind(&act(false, None)), "refactor");
        let person = act(false, Some(Annotate::Label(Label::Person)));
        assert_eq!(kind(&person), "refactor.annotate.person");
        let not = act(false, Some(Annotate::Label(Label::NotAName)));
        assert_eq!(kind(&not), "refactor.annotate.not-a-name");
        let k = |s: &str| CodeActionKind::from(s.to_string());
        let wanted = |a: &Action, only: &[&str]| {
            let only: Vec<CodeActionKind> = only.iter().map(|s| k(s)).collect();
            kind_wanted(&action_kind(a), Some(&only))
        };
        assert!(kind_wanted(&action_kind(&person), None));
        assert!(wanted(&person, &["refactor"]));
        assert!(wanted(&person, &["refactor.annotate"]));
        assert!(wanted(&person, &["quickfix", "refactor.annotate.person"]));
        assert!(wanted(&person, &[""]));
        assert!(!wanted(&person, &["quickfix"]));
        assert!(!wanted(&person, &["refactor.annotate.place"]));
        assert!(!wanted(&person, &["refactor.annotate.per"]));
        assert!(!wanted(&person, &[]));
        assert!(!wanted(&act(false, None), &["quickfix"]));
        assert!(wanted(&act(true, None), &["quickfix"]));
        assert!(!wanted(&act(true, None), &["quickfix.other"]));
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
        let typed = serde_json::to_value(locations(&state, locs.clone())).unwrap();
        assert!(typed.as_array().unwrap().len() < locs.len());
        assert!(typed.to_string().contains("untitled:Macron"));
        for part in [1, 2, 5, 1000] {
            let segments = locations_json_in_parts(&state, &locs, part);
            for s in &segments {
                assert_eq!(s.byte_len(), Segment::concat(std::slice::from_ref(s)).len());
            }
            let json = Segment::concat(&segments);
            let parsed: Value = serde_json::from_slice(&json).unwrap();
            assert_eq!(parsed, typed, "part size {part}");
        }
        let none = Segment::concat(&locations_json_in_parts(&state, &[], 2));
        assert_eq!(none, b"[]");
    }

    /// A part longer than the pieces it is written in, with numbers of
    /// every length: the length announced is the length written.
    #[test]
    fn deferred_locations_are_as_long_as_announced() {
        for n in [0, 9, 10, 99, 100, 65_535, u32::MAX] {
            assert_eq!(digits(n), n.to_string().len());
        }
        let mut state = State::new();
        let text = "Olaf Scholz sagte es. ".repeat(5000);
        let path = PathBuf::from("/corpus/ßcholz.txt");
        let ov = gazette_core::recognize::Overrides::default();
        let analysis = Arc::new(gazette_core::analysis::analyze(&text, &ov));
        state.corpus.set_document(path.clone(), analysis);
        let doc = state.corpus.doc_id(&path).unwrap();
        let locs: Vec<_> = (state.corpus.doc(doc).unwrap().analysis.mentions.iter())
            .map(|m| gazette_ide::Location {
                doc,
                span: m.span(),
            })
            .collect();
        assert!(locs.len() >= 5000);
        let segments = locations_json(&state, &locs);
        let json = Segment::concat(&segments);
        assert!(json.len() > 4 << 16, "{}", json.len());
        assert_eq!(
            json.len(),
            segments.iter().map(Segment::byte_len).sum::<usize>()
        );
        let parsed: Vec<Location> = serde_json::from_slice(&json).unwrap();
        assert_eq!(parsed, locations(&state, locs));
    }
}
