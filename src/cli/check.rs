//! `gazette check`: diagnostics like a linter (`file:line:col: severity[code] message`).

use gazette_core::corpus::build::add_all;
use gazette_core::corpus::Corpus;
use gazette_core::text::escape;
use gazette_core::text::position::PositionEncoding;
use gazette_ide::{diagnostics, Severity};
use std::path::PathBuf;

/// Prints diagnostics; the exit code is 1 when any has at least `fail_on` severity.
pub fn run(paths: &[PathBuf], fail_on: Severity) -> anyhow::Result<i32> {
    let (results, kb, store) = super::load(paths)?;
    let mut corpus = Corpus::new();
    let skipped = add_all(&mut corpus, results);
    super::add_kb(&mut corpus, &kb);
    let mut worst: Option<Severity> = None;
    let mut count = 0usize;
    for (path, reason) in &skipped {
        println!(
            "{}:1:1: warning[skipped-file] {}",
            escape::path(path),
            escape::line(&reason.to_string())
        );
        worst = Some(worst.map_or(Severity::Warning, |w| w.min(Severity::Warning)));
        count += 1;
    }
    if let Some(kb) = &kb {
        let li = gazette_core::text::position::LineIndex::new(&kb.text);
        for e in &kb.errors {
            let p = li.position(e.span.start as usize, PositionEncoding::Utf32);
            let code = gazette_ide::DiagCode::from_kb(e.kind);
            let sev = code.default_severity();
            println!(
                "{}:{}:{}: {}[{}] {}",
                escape::path(&kb.path),
                p.line + 1,
                p.character + 1,
                sev.as_str(),
                code.as_str(),
                escape::line(&e.message)
            );
            worst = Some(worst.map_or(sev, |w| w.min(sev)));
            count += 1;
        }
    }
    if let Some(st) = &store {
        let li = gazette_core::text::position::LineIndex::new(&st.text);
        for d in gazette_ide::annotation_diagnostics(&corpus, &st.annotations, &st.text) {
            let p = li.position(d.span.start as usize, PositionEncoding::Utf32);
            println!(
                "{}:{}:{}: {}[{}] {}",
                escape::path(&st.path),
                p.line + 1,
                p.character + 1,
                d.severity.as_str(),
                d.code.as_str(),
                escape::line(&d.message)
            );
            worst = Some(worst.map_or(d.severity, |w| w.min(d.severity)));
            count += 1;
        }
    }
    for doc in corpus.doc_ids() {
        let li = &corpus.doc(doc).unwrap().analysis.line_index;
        for d in diagnostics(&corpus, doc) {
            // Columns are 1-based characters (Unicode scalar values), as compilers print them.
            let p = li.position(d.span.start as usize, PositionEncoding::Utf32);
            println!(
                "{}:{}:{}: {}[{}] {}",
                escape::path(corpus.path(doc)),
                p.line + 1,
                p.character + 1,
                d.severity.as_str(),
                d.code.as_str(),
                escape::line(&d.message)
            );
            worst = Some(worst.map_or(d.severity, |w| w.min(d.severity)));
            count += 1;
        }
    }
    eprintln!(
        "gazette: {count} diagnostics in {} files",
        corpus.doc_count()
    );
    Ok(if worst.is_some_and(|w| w <= fail_on) {
        1
    } else {
        0
    })
}
