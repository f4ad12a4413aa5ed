//! `gazette analyze --jsonl` (the batch analysis a Spark job pipes each
//! partition through) and `gazette archive build DIR --database URL` (the
//! same archive without Spark).

use base64::Engine;
use gazette_archive::rows::{rows_of, ErrorRow, Row};
use gazette_core::recognize::Overrides;
use gazette_core::workspace::Decoded;
use rayon::prelude::*;
use serde::Deserialize;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// One input line: an article's path and its text, or its raw bytes in
/// base64 (decoded as the editor decodes files, Windows-1252 fallback
/// included).
#[derive(Deserialize)]
struct Article {
    path: String,
    text: Option<String>,
    base64: Option<String>,
}

/// Articles analysed together: enough to keep every core busy, few enough
/// that output starts early and memory stays small.
const BATCH: usize = 256;

/// The knowledge base's overrides (the names `gazette.toml` defines), as
/// the editor applies them, or none.
fn overrides_from(kb: Option<&Path>) -> anyhow::Result<Overrides> {
    let Some(path) = kb else {
        return Ok(Overrides::default());
    };
    let text = gazette_core::workspace::read_text(path, gazette_core::kb::MAX_FILE_SIZE, None)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        .text;
    let (kb, errors) = gazette_core::kb::parse(&text);
    match kb {
        Some(kb) => Ok(kb.overrides()),
        None => anyhow::bail!(
            "{}: {} error(s) in the knowledge base",
            path.display(),
            errors.len()
        ),
    }
}

fn analyze_line(n: u64, line: &str, overrides: &Overrides) -> Vec<Row> {
    let err = |path: Option<String>, e: String| {
        vec![Row::Error(ErrorRow {
            path,
            line: n,
            error: e,
        })]
    };
    let a: Article = match serde_json::from_str(line) {
        Ok(a) => a,
        Err(e) => return err(None, format!("not an article: {e}")),
    };
    let decoded = match (a.text, a.base64) {
        (Some(text), None) => Decoded {
            text,
            fallback_encoding: None,
        },
        (None, Some(b)) => {
            let bytes = match base64::engine::general_purpose::STANDARD.decode(b.as_bytes()) {
                Ok(b) => b,
                Err(e) => return err(Some(a.path), format!("base64: {e}")),
            };
            match gazette_core::workspace::decode(&bytes) {
                Ok(d) => d,
                Err(e) => return err(Some(a.path), e.to_string()),
            }
        }
        _ => return err(Some(a.path), "give exactly one of text and base64".into()),
    };
    let analysis =
        gazette_core::analysis::analyze_decoded_at(Path::new(&a.path), &decoded, overrides);
    rows_of(&a.path, &analysis)
}

/// Reads articles as JSON lines from `input`, writes their rows as JSON
/// lines to `output`, in input order. Returns how many lines failed.
pub fn analyze_jsonl(
    input: impl BufRead,
    mut output: impl Write,
    kb: Option<&Path>,
) -> anyhow::Result<u64> {
    let overrides = overrides_from(kb)?;
    let mut failed = 0;
    let mut lines = input.lines();
    let mut n = 0u64;
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for line in lines.by_ref().take(BATCH) {
            n += 1;
            let line = line?;
            if !line.trim().is_empty() {
                batch.push((n, line));
            }
        }
        if batch.is_empty() {
            break;
        }
        let rows: Vec<Vec<Row>> = batch
            .par_iter()
            .map(|(n, l)| analyze_line(*n, l, &overrides))
            .collect();
        for row in rows.iter().flatten() {
            if matches!(row, Row::Error(_)) {
                failed += 1;
            }
            serde_json::to_writer(&mut output, row)?;
            output.write_all(b"\n")?;
        }
    }
    output.flush()?;
    Ok(failed)
}

/// `gazette analyze --jsonl`.
pub fn analyze(kb: Option<&Path>) -> anyhow::Result<i32> {
    let stdin = std::io::stdin().lock();
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let failed = analyze_jsonl(stdin, stdout, kb)?;
    if failed > 0 {
        eprintln!("gazette: {failed} input line(s) could not be analysed (see the error rows)");
        return Ok(1);
    }
    Ok(0)
}

/// `gazette archive build DIR --database URL`.
pub fn build(dir: &Path, url: &str) -> anyhow::Result<i32> {
    let t = std::time::Instant::now();
    let root: PathBuf = std::path::absolute(dir)?;
    let (results, _kb, _store) = super::load(&[dir.to_path_buf()])?;
    let mut corpus = gazette_core::corpus::Corpus::new();
    let skipped = gazette_core::corpus::build::add_all(&mut corpus, results);
    let analysed = t.elapsed();
    let tables = gazette_archive::tables::from_corpus(&corpus, dir);
    drop(corpus);
    let meta = [
        ("root", root.display().to_string()),
        ("builder", "gazette archive build".to_string()),
        ("version", env!("CARGO_PKG_VERSION").to_string()),
    ];
    gazette_archive::load::write(url, &tables, &meta)?;
    eprintln!(
        "gazette: archived {} articles ({} skipped), {} mentions, {} entities, {} figures \
         in {:.1} s (analysis {:.1} s)",
        tables.documents.len(),
        skipped.len(),
        tables.mentions.len(),
        tables.entities.len(),
        tables.figures.len(),
        t.elapsed().as_secs_f64(),
        analysed.as_secs_f64()
    );
    Ok(0)
}
