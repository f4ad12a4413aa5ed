//! Command-line front ends over the same core the language server uses.

pub mod archive;
pub mod check;
pub mod entities;
pub mod interchange;
pub mod report;
pub mod review;
pub mod score;
pub mod tagger;

use gazette_core::annotations::Annotations;
use gazette_core::corpus::build::{analyze_files, FileResult};
use gazette_core::corpus::{Corpus, DocId};
use gazette_core::kb::{KbError, KnowledgeBase};
use gazette_core::text::escape;
use gazette_core::workspace::{expand_args, WorkspaceConfig};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The corpus's knowledge base, as the command line found it.
pub struct CliKb {
    pub path: PathBuf,
    pub text: String,
    /// `None` when the file does not parse (its errors say why).
    pub kb: Option<Arc<KnowledgeBase>>,
    pub errors: Vec<KbError>,
}

/// The `gazette.toml` of the corpus: in the first folder argument that has
/// one, else next to the first file argument.
pub fn find_kb(paths: &[PathBuf]) -> Option<CliKb> {
    let dirs = paths.iter().filter(|p| p.is_dir()).cloned();
    let parents = paths
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| p.parent().map(Path::to_path_buf));
    let (dir, path) = dirs
        .chain(parents)
        .map(|d| (d.clone(), d.join(gazette_core::kb::FILE_NAME)))
        .find(|(_, p)| p.exists())?;
    // As the server reads it: a regular file, within the size limit, not a
    // link leading out of its folder.
    let text = match gazette_core::workspace::read_text(
        &path,
        gazette_core::kb::MAX_FILE_SIZE,
        Some(&dir),
    ) {
        Ok(d) => d.text,
        Err(e) => {
            eprintln!(
                "gazette: {}: {}",
                escape::path(&path),
                escape::line(&e.to_string())
            );
            return None;
        }
    };
    let (kb, errors) = gazette_core::kb::parse(&text);
    // `[settings]` globs do not select the command line's files, but one
    // that does not compile is still the user's mistake: say so.
    for g in kb.iter().flat_map(|k| &k.settings.rejected_globs) {
        eprintln!("gazette: warning: {}: {g}", path.display());
    }
    Some(CliKb {
        path,
        text,
        kb: kb.map(Arc::new),
        errors,
    })
}

/// The corpus of `paths` (articles and knowledge base), with each
/// article's text by document.
pub fn corpus_with_texts(
    paths: &[PathBuf],
) -> anyhow::Result<(Corpus, std::collections::HashMap<DocId, Arc<str>>)> {
    let (results, kb, _) = load(paths)?;
    let texts_by_path: Vec<(PathBuf, Arc<str>)> = results
        .iter()
        .filter_map(|r| {
            let (d, _) = r.outcome.as_ref().ok()?;
            Some((r.path.clone(), Arc::from(d.text.as_str())))
        })
        .collect();
    let mut corpus = Corpus::new();
    gazette_core::corpus::build::add_all(&mut corpus, results);
    add_kb(&mut corpus, &kb);
    let texts = texts_by_path
        .into_iter()
        .filter_map(|(p, t)| corpus.doc_id(&p).map(|id| (id, t)))
        .collect();
    Ok((corpus, texts))
}

/// Adds the knowledge base to a corpus (its entries become definitions).
pub fn add_kb(corpus: &mut Corpus, kb: &Option<CliKb>) {
    if let Some(CliKb {
        path,
        text,
        kb: Some(kb),
        ..
    }) = kb
    {
        corpus.set_knowledge_base(path.clone(), text, kb.clone());
    }
}

/// The corpus's annotation store, as the command line found it.
pub struct CliStore {
    pub path: PathBuf,
    /// The store's text (empty when there is no store yet).
    pub text: String,
    pub annotations: Arc<Annotations>,
}

/// The corpus root of the files named: the nearest folder, from the first
/// folder argument (or the first file's folder) upwards, that holds a
/// `gazette.toml` or an annotation store; else that first folder.
pub fn corpus_root(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.iter().find_map(|p| {
        if p.is_dir() {
            Some(p.clone())
        } else {
            p.parent().map(|d| {
                if d.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    d.to_path_buf()
                }
            })
        }
    })?;
    let first = std::path::absolute(&first).unwrap_or(first);
    let found = first.ancestors().find(|d| {
        d.join(gazette_core::kb::FILE_NAME).exists()
            || d.join(gazette_core::annotations::FILE_NAME).exists()
    });
    Some(found.map_or(first.clone(), Path::to_path_buf))
}

/// The annotation store of the corpus the files belong to (an empty one
/// when it has none yet). A store that cannot be read is an error.
pub fn find_store(paths: &[PathBuf]) -> anyhow::Result<Option<CliStore>> {
    let Some(root) = corpus_root(paths) else {
        return Ok(None);
    };
    let path = root.join(gazette_core::annotations::FILE_NAME);
    let text = if std::fs::symlink_metadata(&path).is_ok() {
        gazette_core::workspace::read_text(
            &path,
            gazette_core::annotations::MAX_FILE_SIZE,
            Some(&root),
        )
        .map_err(|e| anyhow::anyhow!("{}: {}", escape::path(&path), escape::line(&e.to_string())))?
        .text
    } else {
        String::new()
    };
    let annotations = Arc::new(Annotations::parse(Some(&root), &text));
    Ok(Some(CliStore {
        path,
        text,
        annotations,
    }))
}

/// What [`load`] found: the analysed files, the knowledge base, the store.
pub type Loaded = (Vec<FileResult>, Option<CliKb>, Option<CliStore>);

/// Loads and analyses the files named on the command line (with the
/// knowledge base's names and the annotation store, when the corpus has
/// them); skipped files are reported on stderr.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<Loaded> {
    load_with(paths, true)
}

/// [`load`], with the annotation store in force or not (`gazette export
/// --include machine`: what the machine finds on its own).
pub fn load_with(paths: &[PathBuf], with_store: bool) -> anyhow::Result<Loaded> {
    let mut cfg = WorkspaceConfig::default();
    let kb = find_kb(paths);
    // The knowledge base's `maxFileSize` applies here as in the server
    // (0: no limit).
    if let Some(m) = kb
        .as_ref()
        .and_then(|k| k.kb.as_ref())
        .and_then(|k| k.settings.max_file_size)
    {
        cfg.max_file_size = gazette_core::workspace::size_limit(m);
    }
    let overrides = kb
        .as_ref()
        .and_then(|k| k.kb.as_ref())
        .map(|k| k.overrides())
        .unwrap_or_default();
    let store = find_store(paths)?;
    let overrides = match &store {
        Some(st) if with_store => {
            // What the user taught: the tagger adapted to the store (cached
            // beside the persistent index, shared with the server).
            let tagger = adapted_tagger(&st.annotations, &overrides);
            overrides
                .with_annotations(st.annotations.clone())
                .with_tagger(tagger)
        }
        _ => overrides,
    };
    let files = expand_args(paths, &cfg)?;
    if files.is_empty() {
        anyhow::bail!(
            "no corpus files (*.txt, *.md) under {}",
            display_list(paths)
        );
    }
    // Named by the user: no workspace root, but regular files within the
    // size limit only (`workspace::read_file`).
    let results = analyze_files(&files, cfg.max_file_size, None, &overrides);
    for r in &results {
        if let Err(e) = &r.outcome {
            eprintln!(
                "gazette: {}: {}",
                escape::path(&r.path),
                escape::line(&e.to_string())
            );
        }
        if let Ok((d, _)) = &r.outcome {
            if let Some(enc) = d.fallback_encoding {
                eprintln!(
                    "gazette: {}: not valid UTF-8, decoded as {enc}",
                    escape::path(&r.path)
                );
            }
        }
    }
    Ok((results, kb, store))
}

/// The tagger adapted to `annotations` ([`gazette_core::learn`]),
/// from the cache or trained now; `None` with nothing to learn from.
pub fn adapted_tagger(
    annotations: &Annotations,
    overrides: &gazette_core::recognize::Overrides,
) -> Option<(Arc<gazette_core::tagger::Tagger>, u64)> {
    let root = annotations.root()?.to_path_buf();
    let read = |p: &Path| {
        gazette_core::workspace::read_text(p, gazette_core::workspace::MAX_ANALYSABLE, Some(&root))
            .ok()
            .map(|d| d.text)
    };
    gazette_core::learn::adapted_tagger(annotations, overrides, None, &read)
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| escape::path(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes `value` to standard output as pretty JSON (`format` "json") or
/// with `table` ("table"); another format is an error.
pub fn print(
    format: &str,
    value: &impl serde::Serialize,
    table: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    match format {
        "json" => {
            serde_json::to_writer_pretty(&mut w, value)?;
            writeln!(w)?;
        }
        "table" => table(&mut w)?,
        other => anyhow::bail!("unknown format {other:?} (json, table)"),
    }
    Ok(w.flush()?)
}
