//! Command-line front ends over the same core the language server uses.

pub mod check;
pub mod entities;

use crate::corpus::build::{analyze_files, FileResult};
use crate::recognize::Overrides;
use crate::workspace::{expand_args, WorkspaceConfig};
use std::path::PathBuf;

/// Loads and analyses the files named on the command line; skipped files
/// are reported on stderr.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<Vec<FileResult>> {
    let cfg = WorkspaceConfig::default();
    let files = expand_args(paths, &cfg)?;
    if files.is_empty() {
        anyhow::bail!(
            "no corpus files (*.txt, *.md) under {}",
            display_list(paths)
        );
    }
    let results = analyze_files(&files, cfg.max_file_size, &Overrides::default());
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
    Ok(results)
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
