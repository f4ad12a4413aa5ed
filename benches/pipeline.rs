//! Throughput of the whole recognition pipeline on one core: tokenise, tag,
//! recognise names, find figures — `analysis::analyze`, what indexing runs
//! per article — over ~10 MB of generated German news (`gazette
//! bench-corpus` material), and each stage alone; and the time to load the
//! tagger's model and the recognizer's data.
//!
//! `cargo bench --bench pipeline`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette_core::analysis::{analyze, tagger_proposals};
use gazette_core::figures::find_figures;
use gazette_core::recognize::{Overrides, Proposal, Recognizer};
use gazette_core::tagger::Tagger;
use gazette_core::text::tokenize::tokenize;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    // ~2,800 articles ≈ 10 MB.
    let docs = gazette_core::benchgen::articles(2800, 7);
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let tokens: usize = docs.iter().map(|d| tokenize(d).tokens.len()).sum();
    eprintln!(
        "pipeline bench corpus: {} articles, {:.1} MB, {} tokens",
        docs.len(),
        bytes as f64 / 1e6,
        tokens
    );
    // Load models outside the measurement.
    let _ = (Tagger::global(), Recognizer::global());
    let ov = Overrides::default();
    let mut g = c.benchmark_group("pipeline (10 MB generated news, 1 core)");
    g.throughput(Throughput::Elements(tokens as u64));
    g.sample_size(10);
    g.bench_function("analyze (tokenize + tagger + rules + figures)", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(analyze(d, &ov));
            }
        })
    });
    let toks: Vec<_> = docs.iter().map(|d| tokenize(d)).collect();
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(tokenize(d));
            }
        })
    });
    g.bench_function("tagger spans", |b| {
        b.iter(|| {
            for (d, t) in docs.iter().zip(&toks) {
                black_box(Tagger::global().spans(d, t));
            }
        })
    });
    let props: Vec<Vec<Proposal>> = docs
        .iter()
        .zip(&toks)
        .map(|(d, t)| tagger_proposals(d, t))
        .collect();
    g.bench_function("recognize (rules + gazetteers + proposals)", |b| {
        b.iter(|| {
            for ((d, t), p) in docs.iter().zip(&toks).zip(&props) {
                black_box(Recognizer::global().recognize(d, t, p, &ov));
            }
        })
    });
    g.bench_function("figures", |b| {
        b.iter(|| {
            for (d, t) in docs.iter().zip(&toks) {
                black_box(find_figures(d, t));
            }
        })
    });
    g.finish();
    // What the first article of a session waits for (goal: < 200 ms).
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("tagger model", |b| {
        b.iter(|| black_box(Tagger::embedded().unwrap()))
    });
    g.bench_function("recognizer data (gazetteers, rules)", |b| {
        b.iter(|| black_box(Recognizer::new()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
