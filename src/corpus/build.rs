//! Building a corpus from files: read, decode and analyse in parallel.

use super::Corpus;
use crate::analysis::{analyze_decoded, DocAnalysis};
use crate::recognize::Overrides;
use crate::workspace::{read_text, Decoded, SkipReason};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// One file's outcome.
pub struct FileResult {
    pub path: PathBuf,
    pub outcome: Result<(Decoded, DocAnalysis), SkipReason>,
}

/// Reads and analyses `paths` on all cores, results in the order given.
pub fn analyze_files(paths: &[PathBuf], max_size: u64, overrides: &Overrides) -> Vec<FileResult> {
    paths
        .par_iter()
        .map(|p| FileResult {
            path: p.clone(),
            outcome: read_text(p, max_size).map(|d| {
                let a = analyze_decoded(&d, overrides);
                (d, a)
            }),
        })
        .collect()
}

/// Adds analysed files to a corpus; returns the skipped ones.
pub fn add_all(corpus: &mut Corpus, results: Vec<FileResult>) -> Vec<(PathBuf, SkipReason)> {
    let mut skipped = Vec::new();
    for r in results {
        match r.outcome {
            Ok((_, a)) => {
                corpus.set_document(r.path, Arc::new(a));
            }
            Err(e) => skipped.push((r.path, e)),
        }
    }
    skipped
}
