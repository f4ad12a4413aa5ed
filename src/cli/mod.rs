//! Command-line front ends over the same core the language server uses.

pub mod check;
pub mod entities;

use crate::corpus::build::{analyze_files, FileResult};
use crate::corpus::Corpus;
use crate::kb::{KbError, KnowledgeBase};
use crate::workspace::{expand_args, WorkspaceConfig};
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
    let path = dirs
        .chain(parents)
        .map(|d| d.join("gazette.toml"))
        .find(|p| p.is_file())?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("gazette: {}: {e}", path.display());
            return None;
        }
    };
    let (kb, errors) = crate::kb::parse(&text);
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
    let cfg = WorkspaceConfig::default();
    let kb = find_kb(paths);
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
    let results = analyze_files(&files, cfg.max_file_size, &overrides);
    for r in &results {
        if let Err(e) = &r.outcome {
            eprintln!("gazette: {}: {e}", r.path.display());
        }
        if let Ok((d, _)) = &r.outcome {
            if let Some(enc) = d.fallback_encoding {
                eprintln!(
                    "gazette: {}: not valid UTF-8, decoded as {enc}",
                    r.path.display()
                );
            }
        }
    }
    Ok((results, kb))
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
