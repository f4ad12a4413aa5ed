//! Command-line front ends over the same core the language server uses.

pub mod check;
pub mod entities;
pub mod report;
pub mod score;
pub mod tagger;

use gazette_core::corpus::build::{analyze_files, FileResult};
use gazette_core::corpus::Corpus;
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

/// Loads and analyses the files named on the command line (with the
/// knowledge base's names, when the corpus has one); skipped files are
/// reported on stderr.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<(Vec<FileResult>, Option<CliKb>)> {
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
    Ok((results, kb))
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| escape::path(p))
        .collect::<Vec<_>>()
        .join(", ")
}
