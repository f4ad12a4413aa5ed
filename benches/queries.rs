//! Query latency on the seed corpus: hover and references, as the LSP layer
//! calls them (byte offsets in, markdown / locations out).
//!
//! `cargo bench --bench queries`; workspace/symbol over 10^6 synthetic
//! names, index against scan: `cargo bench --bench queries -- "many names"`
//! (`GAZETTE_BENCH_KEYS` sets the number of names).

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

/// A corpus of `GAZETTE_BENCH_KEYS` (default 10^6) distinct names, made
/// from synthetic analyses (no text to analyse): ten names per article,
/// one drawn from a few hundred frequent ones, the others new full names
/// of syllables, places and organisations.
fn many_keys() -> Corpus {
    use gazette_core::model::{sym, EntityKind, NameMention, Source, Span};
    let keys: u64 = std::env::var("GAZETTE_BENCH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    const SYL: &[&str] = &[
        "ber", "mül", "ler", "sch", "mid", "ter", "wa", "gner", "ko", "vac", "stein", "ha", "ns",
        "el", "ke", "rin", "tho", "mas", "au", "li", "no", "dor", "fa", "ri", "gö", "be", "lo",
        "win", "ski", "rä", "tz", "man", "ol", "ga", "see", "burg", "hof", "ma", "ku", "zi",
    ];
    const FIRST: &[&str] = &[
        "Anna", "Jens", "Olaf", "Maria", "Peter", "Sabine", "Karl", "Jana", "Lukas", "Eva",
    ];
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let mut rnd = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let word = |rnd: &mut dyn FnMut(usize) -> usize| {
        let mut w = String::new();
        for _ in 2..5 + rnd(2) {
            w += SYL[rnd(SYL.len())];
        }
        let mut c = w.chars();
        let f = c.next().unwrap().to_uppercase().collect::<String>();
        f + c.as_str()
    };
    let mut corpus = Corpus::new();
    let per_doc = 10;
    for d in 0..keys / (per_doc - 1) + 1 {
        let mut a = gazette_core::analysis::DocAnalysis::default();
        let mut at = 0;
        for i in 0..per_doc {
            let (name, kind) = if i == 0 {
                let f = 1 + rnd(300).min(rnd(300));
                (
                    format!("{} {}", FIRST[f % FIRST.len()], word(&mut |_| f % 24)),
                    EntityKind::Person,
                )
            } else {
                match rnd(4) {
                    0 => (word(&mut rnd), EntityKind::Place),
                    1 => (
                        format!("{}-{} AG", word(&mut rnd), word(&mut rnd)),
                        EntityKind::Org,
                    ),
                    _ => (
                        format!("{} {}", FIRST[rnd(FIRST.len())], word(&mut rnd)),
                        EntityKind::Person,
                    ),
                }
            };
            let span = Span::new(at, at + name.len());
            at += name.len() + 1;
            a.mentions
                .extend(NameMention::new(span, kind, sym(&name), Source::Rule));
        }
        corpus.set_document(format!("/synthetic/{d:07}.txt").into(), Arc::new(a));
    }
    corpus
}

/// workspace/symbol over many names: the name index against the scan of
/// every name it replaced.
fn bench_many_keys(c: &mut Criterion) {
    let t = std::time::Instant::now();
    let mut corpus = many_keys();
    corpus.shrink_to_fit();
    let built = t.elapsed();
    let t = std::time::Instant::now();
    let rebuilt = gazette_core::corpus::NameIndex::rebuild(&corpus);
    let rebuild = t.elapsed();
    drop(rebuilt);
    let top = corpus.keys_by_mentions(1)[0];
    let name = corpus.key_profile(top).0.to_string();
    let typo: String = name.chars().filter(|c| *c != 'e').collect();
    let prefix: String = name.chars().take(3).collect();
    eprintln!(
        "{} names in {built:?}; the name index rebuilt in {rebuild:?}; its tables: {:?}",
        corpus.key_count(),
        corpus
            .heap_report()
            .into_iter()
            .filter(|(t, _)| t.starts_with("name index"))
            .collect::<Vec<_>>()
    );
    let mut g = c.benchmark_group("workspace/symbol, many names");
    g.sample_size(10);
    for (label, q) in [
        ("empty", ""),
        ("prefix", prefix.as_str()),
        ("name", name.as_str()),
        ("typo", typo.as_str()),
    ] {
        assert_eq!(
            gazette_ide::symbols::workspace_symbols(&corpus, q, 200),
            gazette_ide::symbols::workspace_symbols_by_scan(&corpus, q, 200),
            "{q:?}"
        );
        g.bench_function(format!("index, {label} {q:?}"), |b| {
            b.iter(|| black_box(gazette_ide::symbols::workspace_symbols(&corpus, q, 200)))
        });
        g.bench_function(format!("scan, {label} {q:?}"), |b| {
            b.iter(|| {
                black_box(gazette_ide::symbols::workspace_symbols_by_scan(
                    &corpus, q, 200,
                ))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_many_keys);
criterion_main!(benches);
