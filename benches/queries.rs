//! Query latency on the seed corpus: hover and references, as the LSP layer
//! calls them (byte offsets in, markdown / locations out).
//!
//! `cargo bench --bench queries`

use criterion::{criterion_group, criterion_main, Criterion};
use gazette_core::analysis::analyze;
use gazette_core::corpus::{Corpus, DocId};
use gazette_core::recognize::Overrides;
use gazette_ide::TextSource;
use std::collections::HashMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

struct Texts(HashMap<DocId, Arc<str>>);
impl TextSource for Texts {
    fn text(&self, _: &Corpus, doc: DocId) -> Option<Arc<str>> {
        self.0.get(&doc).cloned()
    }
}

/// The seeds, or the corpus folder in `GAZETTE_BENCH_CORPUS` (any size).
fn seeds() -> (Corpus, Texts) {
    let dir = std::env::var_os("GAZETTE_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds"));
    if dir.file_name().is_some_and(|n| n != "seeds") {
        let files = gazette_core::workspace::discover(&dir, &Default::default()).unwrap();
        let results = gazette_core::corpus::build::analyze_files(
            &files,
            u64::MAX,
            None,
            &Overrides::default(),
        );
        let mut corpus = Corpus::new();
        let mut texts = HashMap::new();
        for r in results {
            if let Ok((d, a)) = r.outcome {
                let id = corpus.set_document(r.path, Arc::new(a));
                texts.insert(id, Arc::from(d.text));
            }
        }
        return (corpus, Texts(texts));
    }
    let mut corpus = Corpus::new();
    let mut texts = HashMap::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for p in paths {
        let t = std::fs::read_to_string(&p).unwrap();
        let id = corpus.set_document(p, Arc::new(analyze(&t, &Overrides::default())));
        texts.insert(id, Arc::from(t));
    }
    (corpus, Texts(texts))
}

fn bench(c: &mut Criterion) {
    let (corpus, texts) = seeds();
    // The first mention of the most mentioned entity, wherever it is.
    let top = corpus
        .entities()
        .into_iter()
        .max_by_key(|e| e.mentions.len())
        .expect("entities");
    let r = top.mentions[0];
    let offset = corpus.mention(r).span().start as usize + 1;
    c.bench_function("hover (most mentioned entity, seeds)", |b| {
        b.iter(|| {
            black_box(gazette_ide::hover(
                &corpus,
                &texts,
                r.doc,
                black_box(offset),
            ))
        })
    });
    let n = gazette_ide::references(&corpus, r.doc, offset, true).len();
    eprintln!("most mentioned entity: {} ({n} mentions)", top.name);
    c.bench_function("references (most mentioned entity, seeds)", |b| {
        b.iter(|| {
            black_box(gazette_ide::references(
                &corpus,
                r.doc,
                black_box(offset),
                true,
            ))
        })
    });
    // workspace/symbol for a prefix of the most mentioned name: from the
    // summaries (what the server answers) and from every mention.
    let prefix: String = top.name.chars().take(3).collect();
    c.bench_function("workspace/symbol (3-letter prefix, seeds)", |b| {
        b.iter(|| {
            black_box(gazette_ide::symbols::workspace_symbols(
                &corpus,
                black_box(&prefix),
                200,
            ))
        })
    });
    c.bench_function(
        "workspace/symbol from every mention (3-letter prefix, seeds)",
        |b| {
            b.iter(|| {
                let found = gazette_ide::symbols::search_entities(&corpus, black_box(&prefix), 200);
                let defs = found
                    .iter()
                    .map(|e| gazette_ide::symbols::definition_location(&corpus, e));
                black_box(defs.collect::<Vec<_>>())
            })
        },
    );
    c.bench_function("diagnostics (one article, seeds)", |b| {
        b.iter(|| black_box(gazette_ide::diagnostics(&corpus, r.doc)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
