//! Soak test (issue 7): 10,000 mixed edits, hovers, reference and other
//! requests across 200 documents, with documents opened and closed on the
//! way. The server must answer every request without an error, stay within
//! a memory bound, and end in the state a fresh server reaches from the
//! client's final texts. Bounded: a fixed number of operations, one server
//! at a time, well under two minutes in a debug build.

mod common;
use common::*;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const DOCS: usize = 200;
const OPS: usize = 10_000;
const MAX_OPEN: usize = 24;

const SENTENCES: &[&str] = &[
    "Die NATO berät in Brüssel über die Lage.",
    "Der russische Präsident Wladimir Putin äußerte sich am Montag.",
    "NATO-Generalsekretär Jens Stoltenberg warnte vor einer Eskalation.",
    "Bundeskanzler Olaf Scholz reiste nach Washington.",
    "Putin wies die Vorwürfe zurück.",
    "Nach Angaben der Regierung waren 100.000 Soldaten beteiligt.",
    "Stoltenberg sagte, die Allianz sei geeint.",
    "In Berlin demonstrierten Tausende Menschen.",
];

const INSERTS: &[&str] = &[
    "",
    " ",
    "NATO ",
    "Putins ",
    " Wladimir Putin ",
    "Stoltenberg ",
    "\n",
    "\r\n",
    "ä",
    "„Zitat“",
    "😀",
    "Olaf Scholz sagte: ",
    "x",
];

fn article(rng: &mut Lcg) -> String {
    let mut s = String::new();
    for _ in 0..(8 + rng.below(12)) {
        let sentence: &&str = rng.pick(SENTENCES);
        s.push_str(sentence);
        s.push(if rng.below(5) == 0 { '\n' } else { ' ' });
    }
    s.push('\n');
    s
}

fn random_offset(rng: &mut Lcg, text: &str) -> usize {
    let mut o = rng.below(text.len() as u64 + 1) as usize;
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    // Never between "\r" and "\n" (not an addressable position).
    if o > 0 && text.as_bytes()[o - 1] == b'\r' && text.as_bytes().get(o) == Some(&b'\n') {
        o -= 1;
    }
    o
}

/// Everything the server says about the references of a few names, in a
/// canonical form (for comparing two servers).
fn fingerprint(c: &mut Client, probe: &Path, probe_text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for name in ["NATO", "Putin", "Stoltenberg", "Scholz"] {
        let Some(off) = probe_text.find(name) else {
            continue;
        };
        let r = c.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri(probe)}, "position": lsp_pos(probe_text, off + 1),
                   "context": {"includeDeclaration": true}}),
        );
        let mut v: Vec<String> = r
            .as_array()
            .map(|a| a.iter().map(|l| l.to_string()).collect())
            .unwrap_or_default();
        v.sort();
        out.insert(name.to_string(), v);
    }
    out
}

#[test]
fn ten_thousand_mixed_operations_across_200_documents() {
    let t0 = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(2024);
    let mut disk: Vec<(PathBuf, String)> = Vec::new();
    for i in 0..DOCS {
        let p = dir.path().join(format!("artikel_{i:03}.txt"));
        let t = article(&mut rng);
        std::fs::write(&p, &t).unwrap();
        disk.push((p, t));
    }
    let mut c = started(dir.path());
    let rss_start = c.rss_kib().unwrap_or(0);

    // Open documents: index into `disk` -> (text, version).
    let mut open: HashMap<usize, (String, i32)> = HashMap::new();
    let mut pending: Vec<i64> = Vec::new();
    let mut answered = 0usize;
    let mut sent = 0usize;
    let mut rss_max = rss_start;
    let drain = |c: &mut Client, pending: &mut Vec<i64>, answered: &mut usize| {
        for id in pending.drain(..) {
            let r = c.wait_response(id);
            assert!(r.get("error").is_none(), "request {id} failed: {r}");
            *answered += 1;
        }
        // Diagnostics pile up as notifications; the test does not need them.
        c.notifications.clear();
    };
    let mut ops = 0usize;
    let mut edits = 0usize;
    let mut steps = 0usize;
    while ops < OPS {
        steps += 1;
        if open.is_empty() || (open.len() < MAX_OPEN && rng.below(10) == 0) {
            let i = rng.below(DOCS as u64) as usize;
            if let std::collections::hash_map::Entry::Vacant(e) = open.entry(i) {
                // Reopening shows the file on disk: the server never wrote it.
                let text = std::fs::read_to_string(&disk[i].0).unwrap();
                assert_eq!(text, disk[i].1, "document {i} changed on disk");
                c.notify(
                    "textDocument/didOpen",
                    json!({"textDocument": {"uri": uri(&disk[i].0), "languageId": "plaintext",
                                            "version": 1, "text": text}}),
                );
                e.insert((text, 1));
                continue;
            }
        }
        let keys: Vec<usize> = {
            let mut k: Vec<usize> = open.keys().copied().collect();
            k.sort();
            k
        };
        let i = *rng.pick(&keys);
        let u = uri(&disk[i].0);
        match rng.below(100) {
            0..=59 => {
                let (text, version) = open.get_mut(&i).unwrap();
                let a = random_offset(&mut rng, text);
                let mut b = random_offset(&mut rng, text);
                if b < a || b - a > 40 {
                    b = a;
                }
                let ins = *rng.pick(INSERTS);
                let (sa, sb) = (lsp_pos(text, a), lsp_pos(text, b));
                text.replace_range(a..b, ins);
                *version += 1;
                c.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": u, "version": *version},
                           "contentChanges": [{"range": {"start": sa, "end": sb}, "text": ins}]}),
                );
                edits += 1;
                ops += 1;
            }
            60..=91 => {
                let text = &open[&i].0;
                let at = random_offset(&mut rng, text);
                let pos = lsp_pos(text, at);
                let k = rng.below(100);
                let (method, params) = if k < 50 {
                    (
                        "textDocument/hover",
                        json!({"textDocument": {"uri": u}, "position": pos}),
                    )
                } else if k < 80 {
                    (
                        "textDocument/references",
                        json!({"textDocument": {"uri": u}, "position": pos,
                               "context": {"includeDeclaration": rng.below(2) == 0}}),
                    )
                } else if k < 90 {
                    (
                        "textDocument/definition",
                        json!({"textDocument": {"uri": u}, "position": pos}),
                    )
                } else {
                    (
                        "textDocument/documentHighlight",
                        json!({"textDocument": {"uri": u}, "position": pos}),
                    )
                };
                pending.push(c.request_async(method, params));
                sent += 1;
                ops += 1;
            }
            _ => {
                c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
                open.remove(&i);
            }
        }
        if pending.len() >= 64 {
            drain(&mut c, &mut pending, &mut answered);
        }
        if steps % 500 == 0 {
            rss_max = rss_max.max(c.rss_kib().unwrap_or(0));
        }
    }
    drain(&mut c, &mut pending, &mut answered);
    assert_eq!(answered, sent);
    rss_max = rss_max.max(c.rss_kib().unwrap_or(0));

    // The server's copy of every open document is the client's.
    let mut keys: Vec<usize> = open.keys().copied().collect();
    keys.sort();
    for &i in &keys {
        let got = c.request("gazette/documentText", json!({"uri": uri(&disk[i].0)}));
        assert!(
            got["text"].as_str() == Some(open[&i].0.as_str()),
            "document {i} out of sync"
        );
        assert_eq!(got["version"], open[&i].1);
    }
    // And its index is the one a fresh server builds from the same texts.
    let probe = dir.path().join("probe.txt");
    let probe_text = "Die NATO, Wladimir Putin, Jens Stoltenberg und Olaf Scholz.\n";
    let open_probe = |c: &mut Client| {
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(&probe), "languageId": "plaintext", "version": 1,
                                    "text": probe_text}}),
        );
    };
    open_probe(&mut c);
    let long_lived = fingerprint(&mut c, &probe, probe_text);
    assert_eq!(c.shutdown(), 0);

    let mut fresh = Client::spawn();
    fresh.initialize(dir.path(), &["utf-16"]);
    fresh.wait_indexed();
    for &i in &keys {
        fresh.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(&disk[i].0), "languageId": "plaintext",
                                    "version": open[&i].1, "text": open[&i].0}}),
        );
    }
    open_probe(&mut fresh);
    let rebuilt = fingerprint(&mut fresh, &probe, probe_text);
    assert_eq!(fresh.shutdown(), 0);
    assert!(
        long_lived == rebuilt,
        "the long-lived server's index differs from a fresh one's"
    );

    let grown = rss_max.saturating_sub(rss_start);
    eprintln!(
        "soak: {edits} edits and {sent} requests answered ({steps} steps with opens/closes), RSS {rss_start} KiB at start, max {rss_max} KiB, {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    if rss_start > 0 {
        assert!(
            grown < 64 * 1024,
            "server memory grew by {grown} KiB (from {rss_start} KiB)"
        );
    }
    assert!(
        t0.elapsed() < Duration::from_secs(240),
        "soak took {:?}",
        t0.elapsed()
    );
}
