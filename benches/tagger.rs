//! Tokenise + tag throughput over ≥ 10 MB of realistic German news text,
//! rebuilt from the sentences of the annotated corpora (shuffled with a fixed
//! seed, grouped into ~20-sentence documents).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazette_core::tagger::data::{read_smartdata, read_text, read_token_file, Sentence};
use gazette_core::tagger::Tagger;
use gazette_core::text::tokenize::tokenize;
use std::path::Path;

fn detokenize(s: &Sentence) -> String {
    let mut out = String::new();
    let mut quote_open = false;
    for w in &s.words {
        let no_space_before = matches!(w.as_str(), "." | "," | ";" | ":" | "!" | "?" | ")")
            || (w == "\"" && quote_open);
        let glued = out.ends_with('(') || out.ends_with('„') || (out.ends_with('"') && quote_open);
        if !out.is_empty() && !no_space_before && !glued {
            out.push(' ');
        }
        if w == "\"" {
            quote_open = !quote_open;
        }
        out.push_str(w);
    }
    out
}

fn corpus() -> Vec<String> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ner");
    let mut sents: Vec<Sentence> = Vec::new();
    if let Ok(s) = read_token_file(&data.join("germeval2014-dev.tsv")) {
        sents.extend(s);
    }
    if let Ok(t) = read_text(&data.join("smartdata-v1-train.json.gz")) {
        sents.extend(read_smartdata(&t).unwrap_or_default());
    }
    if sents.is_empty() {
        let v = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/model/validation-germeval.tsv");
        sents = read_token_file(&v).expect("validation file");
    }
    let lines: Vec<String> = sents.iter().map(detokenize).collect();
    let mut docs = Vec::new();
    let mut total = 0;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    while total < 10_500_000 {
        let mut doc = String::new();
        for k in 0..20 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let l = &lines[(state % lines.len() as u64) as usize];
            doc.push_str(l);
            doc.push(if k % 5 == 4 { '\n' } else { ' ' });
        }
        total += doc.len();
        docs.push(doc);
    }
    docs
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let tagger = Tagger::global();
    let tokens: usize = docs.iter().map(|d| tokenize(d).tokens.len()).sum();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    eprintln!(
        "bench corpus: {} docs, {:.1} MB, {} tokens",
        docs.len(),
        bytes as f64 / 1e6,
        tokens
    );
    let mut g = c.benchmark_group("tagger");
    g.sample_size(10);
    g.throughput(Throughput::Elements(tokens as u64));
    g.bench_function("tokenize+spans 10MB", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                let tok = tokenize(d);
                n += tagger.spans(d, &tok).len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
