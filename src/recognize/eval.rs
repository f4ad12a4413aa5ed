//! Measurements (run with `cargo test --release --lib recognize::eval -- --ignored --nocapture`):
//! precision/recall on the seed articles against hand-written gold lists,
//! span F1 on the GermEval 2014 dev split (outer PER/LOC/ORG), and speed.

use super::*;
use crate::text::tokenize::tokenize;
use std::collections::HashMap;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

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
#[ignore]
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

/// GermEval 2014 dev: tokens joined with spaces per sentence; gold = outer
/// PER/LOC/ORG spans (deriv/part/OTH ignored). Predictions strictly inside
/// one gold token (compound heads such as "NATO" in "NATO-Truppen", which
/// GermEval marks as *part*) and OTHER predictions are not scored.
#[test]
#[ignore]
fn germeval() {
    let Some((pp, ff)) = conll_eval("/work/shared/data/ner/germeval2014-dev.tsv", "GermEval dev")
    else {
        return;
    };
    assert!(pp > 0.7 && ff > 0.55, "GermEval quality regressed");
}

/// Universal NER German PUD (news and Wikipedia sentences), same scoring.
#[test]
#[ignore]
fn uner_pud() {
    let Some((pp, ff)) = conll_eval("/work/shared/data/ner/uner-de-pud.iob2", "UNER de-PUD") else {
        return;
    };
    assert!(pp > 0.6 && ff > 0.45, "UNER quality regressed");
}

/// Scores a CoNLL-style file (idx, token, outer tag); returns (precision, F1).
fn conll_eval(path: &str, label: &str) -> Option<(f64, f64)> {
    let Ok(data) = std::fs::read_to_string(path) else {
        eprintln!("{path} missing; skipped");
        return None;
    };
    let mut sents: Vec<Vec<(String, String)>> = vec![vec![]];
    for l in data.lines() {
        if l.starts_with('#') {
            continue;
        }
        if l.trim().is_empty() {
            if !sents.last().unwrap().is_empty() {
                sents.push(vec![]);
            }
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        sents
            .last_mut()
            .unwrap()
            .push((f[1].to_string(), f[2].to_string()));
    }
    let mut stats: HashMap<&str, (usize, usize, usize)> = HashMap::new();
    let mut fp_ex: Vec<String> = vec![];
    let mut fn_ex: Vec<String> = vec![];
    for s in sents.iter().filter(|s| !s.is_empty()) {
        let mut text = String::new();
        let mut offs = vec![];
        for (w, _) in s {
            if !text.is_empty() {
                text.push(' ');
            }
            offs.push((text.len(), text.len() + w.len()));
            text.push_str(w);
        }
        let mut gold: Vec<(usize, usize, &str)> = vec![];
        for (i, (_, tag)) in s.iter().enumerate() {
            if let Some(t) = tag.strip_prefix("B-") {
                if matches!(t, "PER" | "LOC" | "ORG") {
                    let mut j = i + 1;
                    while j < s.len() && s[j].1 == format!("I-{t}") {
                        j += 1;
                    }
                    gold.push((
                        offs[i].0,
                        offs[j - 1].1,
                        if t == "PER" {
                            "PER"
                        } else if t == "LOC" {
                            "LOC"
                        } else {
                            "ORG"
                        },
                    ));
                }
            }
        }
        let ms =
            Recognizer::global().recognize(&text, &tokenize(&text), &[], &Overrides::default());
        let mut pred: Vec<(usize, usize, &str)> = vec![];
        for m in &ms {
            let (a, b) = (m.span.start as usize, m.span.end as usize);
            if m.kind == EntityKind::Other {
                continue;
            }
            let inside = offs
                .iter()
                .any(|&(x, y)| x <= a && b <= y && (x, y) != (a, b));
            if inside {
                continue;
            }
            pred.push((a, b, m.kind.conll()));
        }
        for c in ["PER", "LOC", "ORG"] {
            let e = stats.entry(c).or_default();
            let g: Vec<_> = gold.iter().filter(|x| x.2 == c).collect();
            let p: Vec<_> = pred.iter().filter(|x| x.2 == c).collect();
            let tp = p.iter().filter(|x| g.contains(x)).count();
            e.0 += tp;
            e.1 += p.len();
            e.2 += g.len();
            for x in &p {
                if !g.contains(x) && fp_ex.len() < 4000 {
                    fp_ex.push(format!("{c} {}", &text[x.0..x.1]));
                }
            }
            for x in &g {
                if !p.contains(x) && fn_ex.len() < 4000 {
                    fn_ex.push(format!("{c} {}", &text[x.0..x.1]));
                }
            }
        }
    }
    let (mut t, mut p, mut g) = (0, 0, 0);
    for c in ["PER", "LOC", "ORG"] {
        let (a, b, d) = stats[c];
        let (pp, rr, ff) = prf(a, b, d);
        eprintln!("{label} {c}: P {pp:.3} R {rr:.3} F1 {ff:.3} (tp {a}, pred {b}, gold {d})");
        t += a;
        p += b;
        g += d;
    }
    let (pp, rr, ff) = prf(t, p, g);
    eprintln!("{label} ALL: P {pp:.3} R {rr:.3} F1 {ff:.3}");
    if std::env::var("EVAL_DUMP").is_ok() {
        std::fs::write("/tmp/ge_fp.txt", fp_ex.join("\n")).unwrap();
        std::fs::write("/tmp/ge_fn.txt", fn_ex.join("\n")).unwrap();
    }
    Some((pp, ff))
}

/// Throughput over the seeds repeated (tokenisation excluded).
#[test]
#[ignore]
fn speed() {
    let mut text = String::new();
    for e in std::fs::read_dir(format!("{ROOT}/seeds")).unwrap() {
        text.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
        text.push('\n');
    }
    let big = text.repeat(40);
    let tk = tokenize(&big);
    let r = Recognizer::global();
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..5 {
        n += r.recognize(&big, &tk, &[], &Overrides::default()).len();
    }
    let dt = t0.elapsed().as_secs_f64();
    let toks = tk.tokens.len() * 5;
    eprintln!(
        "speed: {toks} tokens in {dt:.3}s = {:.2} M tokens/s ({n} mentions)",
        toks as f64 / dt / 1e6
    );
    let t1 = std::time::Instant::now();
    let _ = Recognizer::new();
    eprintln!("load: {:.1} ms", t1.elapsed().as_secs_f64() * 1e3);
}
