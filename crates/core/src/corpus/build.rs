//! Building a corpus from files: read, decode and analyse in parallel.

use super::Corpus;
use crate::analysis::{analyze_decoded_at, DocAnalysis};
use crate::cache::FileStamp;
use crate::recognize::Overrides;
use crate::workspace::{decode_owned, read_file, Decoded, SkipReason};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file's outcome.
pub struct FileResult {
    pub path: PathBuf,
    pub outcome: Result<(Decoded, DocAnalysis), SkipReason>,
    /// What identifies the content analysed (`None` when skipped).
    pub stamp: Option<FileStamp>,
}

/// Reads (`workspace::read_file`: regular files, `max_size`, not leaving
/// `root` through links) and analyses `paths` on all cores, results in the
/// order given.
pub fn analyze_files(
    paths: &[PathBuf],
    max_size: u64,
    root: Option<&Path>,
    overrides: &Overrides,
) -> Vec<FileResult> {
    paths
        .par_iter()
        .map(|p| {
            let read = read_file(p, max_size, root);
            let stamp = read.as_ref().ok().and_then(FileStamp::new);
            FileResult {
                path: p.clone(),
                outcome: read.and_then(|f| decode_owned(f.bytes)).map(|d| {
                    let a = analyze_decoded_at(p, &d, overrides);
                    (d, a)
                }),
                stamp,
            }
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
