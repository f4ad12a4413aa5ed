//! The recognizer's precision/recall on the seed articles against the
//! hand-written gold lists in `seeds-gold.tsv` (a regression test; see the
//! scores with `cargo test --lib recognize::eval -- --nocapture`).
//!
//! Other measurements are commands and benches: `gazette eval --engine
//! pipeline FILE` scores the product's recognizer on a GermEval/CoNLL file,
//! `cargo bench --bench pipeline` measures its speed and load time.

use super::*;
use crate::text::tokenize::tokenize;
use std::collections::HashMap;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn prf(tp: usize, pred: usize, gold: usize) -> (f64, f64, f64) {
    let p = tp as f64 / pred.max(1) as f64;
    let r = tp as f64 / gold.max(1) as f64;
    (
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    )
}

/// Gold: `seeds-gold.tsv` lists every (surface, kind) occurrence per seed.
/// Scored as multisets per document.
#[test]
fn seeds() {
    let gold_text = include_str!("seeds-gold.tsv");
    let mut gold: HashMap<&str, HashMap<(String, String), usize>> = HashMap::new();
    for l in gold_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = l.split('\t').collect();
        *gold
            .entry(f[0])
            .or_default()
            .entry((f[1].to_string(), f[2].to_string()))
            .or_default() += 1;
    }
    let (mut tp_all, mut np_all, mut ng_all) = (0, 0, 0);
    let mut files: Vec<&&str> = gold.keys().collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(format!("{ROOT}/seeds/{f}")).unwrap();
        let ms =
            Recognizer::global().recognize(&text, &tokenize(&text), &[], &Overrides::default());
        let mut g = gold[*f].clone();
        let ng: usize = g.values().sum();
        let mut tp = 0;
        let mut fps = Vec::new();
        for m in &ms {
            let key = (
                text[m.span.range()].to_string(),
                m.kind.as_str().to_string(),
            );
            match g.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    tp += 1
                }
                _ => fps.push(key),
            }
        }
        let missed: Vec<_> = g.iter().filter(|(_, n)| **n > 0).collect();
        let (p, r, f1) = prf(tp, ms.len(), ng);
        eprintln!(
            "{f}: P {p:.3} R {r:.3} F1 {f1:.3} (tp {tp}, pred {}, gold {ng})",
            ms.len()
        );
        eprintln!("  FP: {fps:?}");
        eprintln!("  FN: {missed:?}");
        tp_all += tp;
        np_all += ms.len();
        ng_all += ng;
    }
    let (p, r, f1) = prf(tp_all, np_all, ng_all);
    eprintln!("ALL seeds: P {p:.3} R {r:.3} F1 {f1:.3}");
    assert!(p > 0.9 && r > 0.9, "seed quality regressed");
}
