//! The server over a shared archive (`archive = "postgresql://…"` in the
//! `gazette` settings, issue 18): hover adds the archive-wide counts,
//! references and workspace symbols reach the archive's articles, and the
//! local folder stays on top (a local article shadows the archive's copy
//! of the same path relative to the workspace root).
//!
//! The archive never holds the editor up: the local answer is computed
//! first, under the state lock as always; the archive's part runs after the
//! lock is released, bounded by a timeout, and an archive that is down or
//! slow yields the local answer (hover says the archive is unavailable).
//! [`gazette_archive::query::Archive`] reconnects by itself.
//!
//! Archive positions are stored in UTF-16 columns (the LSP default); a
//! session that negotiated another encoding gets them as stored.

use super::request::{self, locate};
use super::Backend;
use crate::state::State;
use gazette_archive::query::{Archive, ArchiveEntity, ArchiveMention};
use gazette_core::corpus::ItemRef;
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

/// How long a hover waits for the archive.
pub const HOVER_TIMEOUT: Duration = Duration::from_millis(800);
/// How long references and workspace symbols wait for the archive.
pub const LIST_TIMEOUT: Duration = Duration::from_secs(5);
/// The most archive mentions one references answer carries.
pub const MAX_REFERENCES: i64 = 100_000;
/// The most archive entities one workspace symbol answer carries.
pub const MAX_SYMBOLS: i64 = 200;

/// Takes the `archive` setting: a URL, or `null` / `""` for none.
pub(super) fn apply_setting(state: &mut State, v: &Value, problems: &mut Vec<String>) {
    let Some(a) = v.get("archive") else { return };
    match a.as_str().filter(|u| !u.is_empty()) {
        None => state.archive = None,
        Some(url) => match Archive::new(url) {
            Ok(archive) => {
                tracing::info!("archive: {}", archive.describe());
                state.archive = Some(Arc::new(archive));
            }
            Err(e) => {
                state.archive = None;
                problems.push(format!("gazette.archive: {e}"));
            }
        },
    }
}

/// The archive, and the entity key of the mention at the request's position.
fn entity_at(s: &State, p: &TextDocumentPositionParams) -> Option<(Arc<Archive>, String)> {
    let archive = s.archive.clone()?;
    let at = locate(s, p)?;
    let idx = s.corpus.doc(at.doc)?.analysis.mention_at(at.offset)?;
    let e = s.corpus.entity_of(ItemRef {
        doc: at.doc,
        idx: idx as u32,
    });
    Some((archive, s.corpus.key_text(e).to_string()))
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `textDocument/hover`: the local card, then the archive's counts.
pub(super) async fn hover(b: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let local = request::hover(b, params.clone())?;
    let Some(mut hover) = local else {
        return Ok(None);
    };
    let Some((archive, key)) = entity_at(&b.state.read(), &params.text_document_position_params)
    else {
        return Ok(Some(hover));
    };
    let line = archive_counts(&archive, &key).await;
    if let HoverContents::Markup(m) = &mut hover.contents {
        m.value.push_str("\n\n---\n\n");
        m.value.push_str(&line);
    }
    Ok(Some(hover))
}

/// The hover's line on the archive's counts of entity `key`.
async fn archive_counts(archive: &Archive, key: &str) -> String {
    match tokio::time::timeout(HOVER_TIMEOUT, archive.entity(key)).await {
        Ok(Ok(Some(e))) => format!(
            "Archive: {} in {}",
            plural(e.mention_count, "mention", "mentions"),
            plural(e.doc_count, "article", "articles")
        ),
        Ok(Ok(None)) => "Archive: not mentioned".to_string(),
        Ok(Err(e)) => format!(
            "Archive unavailable: {}",
            gazette_ide::markdown::text(&e.to_string())
        ),
        Err(_) => format!(
            "Archive unavailable: no answer within {} ms",
            HOVER_TIMEOUT.as_millis()
        ),
    }
}

/// Where the archive's article `path` is: a file URI below the archive's
/// root where that folder exists here, else a `gazette-archive:` URI (the
/// read-only virtual documents are not served yet).
fn archive_uri(root: Option<&Path>, path: &str) -> Option<Uri> {
    match root {
        Some(r) => crate::convert::path_to_uri(&r.join(path)),
        None => format!("gazette-archive:///{path}").parse().ok(),
    }
}

fn archive_location(root: Option<&Path>, m: &ArchiveMention) -> Option<Location> {
    let pos = |line, character| Position { line, character };
    Some(Location {
        uri: archive_uri(root, &m.path)?,
        range: Range {
            start: pos(m.start_line, m.start_col),
            end: pos(m.end_line, m.end_col),
        },
    })
}

/// The local articles, named as the archive names them (relative to the
/// workspace root): these shadow the archive's copies.
fn local_paths(s: &State) -> HashSet<String> {
    let Some(root) = s.root.as_deref() else {
        return HashSet::new();
    };
    s.corpus
        .doc_ids()
        .into_iter()
        .map(|d| gazette_archive::tables::relative_path(root, s.corpus.path(d)))
        .collect()
}

/// The archive's root where it exists on this machine.
async fn mounted_root(archive: &Archive) -> Option<std::path::PathBuf> {
    let root = archive.root().await.ok().flatten()?;
    let root = std::path::PathBuf::from(root);
    root.is_dir().then_some(root)
}

/// `f`, the archive's part of an answer, within [`LIST_TIMEOUT`]; `None`
/// (logged) where the archive fails or is late.
async fn within<T>(
    what: &str,
    f: impl std::future::Future<Output = anyhow::Result<T>>,
) -> Option<T> {
    match tokio::time::timeout(LIST_TIMEOUT, f).await {
        Ok(Ok(v)) => Some(v),
        Ok(Err(e)) => {
            tracing::warn!("archive unavailable for {what}: {e}");
            None
        }
        Err(_) => {
            tracing::warn!("archive: no {what} within {LIST_TIMEOUT:?}");
            None
        }
    }
}

/// `textDocument/references`: the local ones, then the archive's in the
/// articles the local folder does not have.
pub(super) async fn references(
    b: &Backend,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>> {
    let local = request::references(b, params.clone())?;
    let (archive, key, shadowed) = {
        let s = b.state.read();
        let Some((archive, key)) = entity_at(&s, &params.text_document_position) else {
            return Ok(local);
        };
        (archive, key, local_paths(&s))
    };
    let found = within("references", async {
        let Some(e) = archive.entity(&key).await? else {
            return Ok(Vec::new());
        };
        let mentions = archive.mentions(e.entity_id, MAX_REFERENCES).await?;
        let root = mounted_root(&archive).await;
        let fresh = mentions.iter().filter(|m| !shadowed.contains(&m.path));
        let found = fresh.filter_map(|m| archive_location(root.as_deref(), m));
        Ok::<_, anyhow::Error>(found.collect::<Vec<_>>())
    })
    .await;
    let mut out = local.unwrap_or_default();
    out.extend(found.unwrap_or_default());
    Ok(Some(out))
}

/// `textDocument/definition`: the archive's defining mention where it
/// comes before the local one in corpus order (path order), else the
/// local one.
pub(super) async fn definition(
    b: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let local = request::definition(b, params.clone())?;
    let (archive, key, shadowed, local_path) = {
        let s = b.state.read();
        let Some((archive, key)) = entity_at(&s, &params.text_document_position_params) else {
            return Ok(local);
        };
        let shadowed: Vec<String> = local_paths(&s).into_iter().collect();
        (archive, key, shadowed, archive_path_of(&s, &local))
    };
    let found = within("definition", archive_definition(&archive, &key, &shadowed)).await;
    match found.flatten() {
        Some((path, Some(loc))) if local_path.as_ref().is_none_or(|l| path < *l) => {
            Ok(Some(GotoDefinitionResponse::Scalar(loc)))
        }
        _ => Ok(local),
    }
}

/// The article of a local definition, named as the archive names it.
fn archive_path_of(s: &State, local: &Option<GotoDefinitionResponse>) -> Option<String> {
    match (local, s.root.as_deref()) {
        (Some(GotoDefinitionResponse::Scalar(l)), Some(root)) => {
            let path = crate::convert::uri_to_path(&l.uri);
            Some(gazette_archive::tables::relative_path(root, &path))
        }
        _ => None,
    }
}

/// The archive's defining mention of `key` outside the `shadowed`
/// articles: its article, and where it is.
async fn archive_definition(
    archive: &Archive,
    key: &str,
    shadowed: &[String],
) -> anyhow::Result<Option<(String, Option<Location>)>> {
    let Some(e) = archive.entity(key).await? else {
        return Ok(None);
    };
    let Some(m) = archive.definition(e.entity_id, key, shadowed).await? else {
        return Ok(None);
    };
    let root = mounted_root(archive).await;
    Ok(Some((
        m.path.clone(),
        archive_location(root.as_deref(), &m),
    )))
}

/// `workspace/symbol`: the local entities, then the archive's others.
pub(super) async fn workspace_symbol(
    b: &Backend,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let local = request::workspace_symbol(b, params.clone())?;
    let Some(archive) = b.state.read().archive.clone() else {
        return Ok(local);
    };
    let found = within("workspace symbols", async {
        let found = archive
            .entities_by_prefix(&params.query, MAX_SYMBOLS)
            .await?;
        Ok::<_, anyhow::Error>((found, mounted_root(&archive).await))
    })
    .await;
    let mut symbols = match local {
        Some(WorkspaceSymbolResponse::Flat(v)) => v,
        _ => Vec::new(),
    };
    if let Some((found, root)) = found {
        let known: HashSet<String> = symbols.iter().map(|s| s.name.clone()).collect();
        let others = found.into_iter().filter(|(e, _)| !known.contains(&e.name));
        symbols.extend(others.filter_map(|(e, first)| archive_symbol(root.as_deref(), e, &first)));
    }
    Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
}

/// An archive entity as a symbol at its first mention.
fn archive_symbol(
    root: Option<&Path>,
    e: ArchiveEntity,
    first: &ArchiveMention,
) -> Option<SymbolInformation> {
    use gazette_core::model::EntityKind;
    let location = archive_location(root, first)?;
    let kind = EntityKind::parse(&e.kind).unwrap_or(EntityKind::Other);
    #[allow(deprecated)]
    Some(SymbolInformation {
        name: e.name,
        kind: super::to_proto::symbol_kind(kind),
        tags: None,
        deprecated: None,
        location,
        container_name: Some(format!("{} (Archiv)", kind.label_de())),
    })
}
