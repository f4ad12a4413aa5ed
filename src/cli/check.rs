//! `gazette check`: diagnostics like a linter (`file:line:col: severity[code] message`).

use gazette_core::corpus::build::add_all;
use gazette_core::corpus::Corpus;
use gazette_core::text::escape;
use gazette_core::text::position::{LineIndex, PositionEncoding};
use gazette_ide::{diagnostics, Severity};
use std::path::PathBuf;

/// The diagnostics printed so far: how many, and the worst severity.
#[derive(Default)]
struct Printed {
    worst: Option<Severity>,
    count: usize,
}

impl Printed {
    /// Prints one diagnostic at byte `offset` of a file indexed by `li`
    /// (`None`: the file's start). Columns are 1-based characters (Unicode
    /// scalar values), as compilers print them.
    fn line(
        &mut self,
        path: &std::path::Path,
        at: Option<(&LineIndex, usize)>,
        severity: Severity,
        code: &str,
        message: &str,
    ) {
        let p = at.map_or((0, 0), |(li, offset)| {
            let p = li.position(offset, PositionEncoding::Utf32);
            (p.line, p.character)
        });
        println!(
            "{}:{}:{}: {}[{code}] {}",
            escape::path(path),
            p.0 + 1,
            p.1 + 1,
            severity.as_str(),
            escape::line(message)
        );
        self.worst = Some(self.worst.map_or(severity, |w| w.min(severity)));
        self.count += 1;
    }
}

/// Prints diagnostics; the exit code is 1 when any has at least `fail_on` severity.
pub fn run(paths: &[PathBuf], fail_on: Severity) -> anyhow::Result<i32> {
    let (results, kb, store) = super::load(paths)?;
    let mut corpus = Corpus::new();
    let skipped = add_all(&mut corpus, results);
    super::add_kb(&mut corpus, &kb);
    let mut out = Printed::default();
    for (path, reason) in &skipped {
        let reason = reason.to_string();
        out.line(path, None, Severity::Warning, "skipped-file", &reason);
    }
    if let Some(kb) = &kb {
        let li = LineIndex::new(&kb.text);
        for e in &kb.errors {
            let code = gazette_ide::DiagCode::from_kb(e.kind);
            let at = Some((&li, e.span.start as usize));
            out.line(
                &kb.path,
                at,
                code.default_severity(),
                code.as_str(),
                &e.message,
            );
        }
    }
    if let Some(st) = &store {
        let li = LineIndex::new(&st.text);
        for d in gazette_ide::annotation_diagnostics(&corpus, &st.annotations, &st.text) {
            let at = Some((&li, d.span.start as usize));
            out.line(&st.path, at, d.severity, d.code.as_str(), &d.message);
        }
    }
    for doc in corpus.doc_ids() {
        let li = &corpus.doc(doc).unwrap().analysis.line_index;
        for d in diagnostics(&corpus, doc) {
            let at = Some((li, d.span.start as usize));
            out.line(
                corpus.path(doc),
                at,
                d.severity,
                d.code.as_str(),
                &d.message,
            );
        }
    }
    eprintln!(
        "gazette: {} diagnostics in {} files",
        out.count,
        corpus.doc_count()
    );
    if store.as_ref().is_some_and(|s| !s.annotations.is_empty()) {
        let progress = gazette_core::review::Progress::of(
            corpus
                .doc_ids()
                .into_iter()
                .filter(|&d| !corpus.is_kb_doc(d))
                .map(|d| &*corpus.doc(d).unwrap().analysis),
        );
        eprintln!("gazette: review: {progress}");
    }
    Ok(if out.worst.is_some_and(|w| w <= fail_on) {
        1
    } else {
        0
    })
}
