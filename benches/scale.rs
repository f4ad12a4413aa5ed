//! End-to-end scale measurements of the real server over stdio, on a corpus
//! folder (generate one with `gazette bench-corpus --articles 100000 --seed 1 DIR`).
//!
//! `cargo bench --bench scale -- DIR [--settle=SECONDS]`
//!
//! Prints: cold index time, first hover after initialize, resident memory,
//! hover p50/p99, references for the most mentioned entity (with the time to
//! receive and parse the whole response), didChange → diagnostics p50/p99,
//! warm restart from the persistent index, and `rg -c -w NAME` on the same
//! folder for comparison.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{uri, Client};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn rss_mb(pid: u32) -> f64 {
    status_mb(pid, "VmRSS:")
}

/// "peak so far N MiB (F×)": where in the session the peak was reached.
fn peak_so_far(pid: u32, bytes: u64) -> String {
    let peak = status_mb(pid, "VmHWM:");
    format!(
        "peak so far {peak:.0} MiB ({:.2}×)",
        peak * 1048576.0 / bytes as f64
    )
}

/// A memory figure from /proc/PID/status (VmRSS: resident now, VmHWM: peak).
fn status_mb(pid: u32, field: &str) -> f64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1e3
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Starts the server, opens an (unsaved) probe document right after
/// `initialized`, and measures the first hover on it and the end of indexing.
fn start(root: &Path, cache: &str) -> (Client, f64, f64) {
    const PROBE: &str = "NATO-Generalsekretär Jens Stoltenberg sprach mit Wladimir Putin.\n";
    let t0 = Instant::now();
    let mut c = Client::spawn_with_env(&[
        ("GAZETTE_CACHE_DIR", cache),
        ("GAZETTE_LOG", "gazette=debug"),
    ]);
    // Closed articles' diagnostics (10^5 of them at 10^6 articles) are
    // published after indexing; nothing here waits for them.
    c.keep =
        |n| n["method"] != "textDocument/publishDiagnostics" || !n["params"]["version"].is_null();
    c.initialize(root, &["utf-16"]);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:probe", "languageId": "plaintext", "version": 1, "text": PROBE}}),
    );
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:probe"}, "position": common::pos_of(PROBE, "Stoltenberg", 0, 1)}),
    );
    assert!(!h.is_null(), "no hover on the probe document");
    let first_hover = t0.elapsed().as_secs_f64();
    c.wait_notification_within(
        "$/progress",
        |p| p["value"]["kind"] == "end",
        Duration::from_secs(1800),
    );
    let indexed = t0.elapsed().as_secs_f64();
    (c, first_hover, indexed)
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from);
    let Some(dir) = dir else {
        eprintln!("usage: cargo bench --bench scale -- CORPUS_DIR");
        return;
    };
    let dir = std::fs::canonicalize(&dir).expect("corpus folder");
    let files = corpus_files(&dir);
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    println!(
        "corpus: {} articles, {:.1} MB ({})",
        files.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    let cache = tempfile::tempdir().unwrap();
    let cache_s = cache.path().to_string_lossy().to_string();
    // The server's debug log says how long a references query and its JSON take.
    let log = cache.path().join("server.log");
    if std::env::var_os("GAZETTE_TEST_STDERR").is_none() {
        std::env::set_var("GAZETTE_TEST_STDERR", &log);
    }
    let log = std::path::PathBuf::from(std::env::var_os("GAZETTE_TEST_STDERR").unwrap());
    let doc = files[files.len() / 2].clone();

    // Cold start.
    let (mut c, first_hover, cold) = start(&dir, &cache_s);
    let text = c.open(&doc);
    let rss = rss_mb(c.pid());
    println!(
        "cold index: {cold:.2} s; first hover after initialize: {:.0} ms",
        first_hover * 1e3
    );
    println!(
        "resident memory after indexing: {rss:.0} MiB ({:.2}× the corpus on disk); {}",
        rss * 1048576.0 / bytes as f64,
        peak_so_far(c.pid(), bytes)
    );

    // `--settle=SECONDS`: wait before the hovers, so that they meet a
    // server done with the work it starts when indexing ends (hover cards
    // made ahead, the closed articles' diagnostics, the persistent index);
    // without it they are measured right after indexing, during that work.
    let settle: f64 = std::env::args()
        .find_map(|a| a.strip_prefix("--settle=").and_then(|s| s.parse().ok()))
        .unwrap_or(0.0);
    if settle > 0.0 {
        c.pump(Duration::from_secs_f64(settle));
        println!("hovers start {settle} s after indexing");
    }

    // Hovers on every capitalised word of five articles spread over the
    // corpus (the middle one is `doc`), in reading order, each the first
    // time that word is hovered.
    let mut lat = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    let mut best: (u64, String, (u32, u32), String) = (0, String::new(), (0, 0), String::new());
    for k in 1..=5 {
        let path = &files[files.len() * k / 6];
        let text = if *path == doc {
            text.clone()
        } else {
            c.open(path)
        };
        let u = uri(path);
        for (i, ch) in text.char_indices() {
            if !ch.is_uppercase()
                || (i > 0 && text[..i].chars().next_back().unwrap().is_alphanumeric())
            {
                continue;
            }
            let (line, character) = common::utf16_pos(&text, i);
            let t = Instant::now();
            let id = c.request_async(
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character}}),
            );
            let h = c.wait_response(id)["result"].clone();
            let d = t.elapsed();
            let Some(md) = h["contents"]["value"].as_str() else {
                continue;
            };
            lat.push(d);
            let head = md.lines().next().unwrap_or("").to_string();
            slowest.push((d, format!("#{id} {head}")));
            slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
            slowest.truncate(8);
            // "N mentions in M articles"
            if let Some(n) = md
                .split(" mention")
                .next()
                .and_then(|s| s.rsplit(['\n', ' ']).next())
                .and_then(|n| n.parse::<u64>().ok())
            {
                if n > best.0 {
                    best = (n, u.clone(), (line, character), head);
                }
            }
        }
    }
    let n_hover = lat.len();
    println!(
        "hover: {n_hover} requests over 5 articles, p50 {:.2} ms, p99 {:.2} ms; slowest: {}",
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99),
        slowest
            .iter()
            .map(|(d, h)| format!("{:.1} ms {h}", d.as_secs_f64() * 1e3))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("after the hovers: {}", peak_so_far(c.pid(), bytes));

    // workspace/symbol: everything, a prefix of the most mentioned name, the
    // name, and the name with a typo (the fuzzy path), five times each.
    let (_, _, _, ref top) = best;
    let top_name = top
        .trim_start_matches("**")
        .split("**")
        .next()
        .unwrap_or("")
        .to_string();
    let typo: String = top_name.chars().filter(|c| *c != 'e').collect();
    let prefix: String = top_name.chars().take(3).collect();
    let mut sym_lat = Vec::new();
    let mut sym_n = Vec::new();
    for q in ["", prefix.as_str(), top_name.as_str(), typo.as_str()] {
        for _ in 0..5 {
            let t = Instant::now();
            let r = c.request("workspace/symbol", json!({"query": q}));
            sym_lat.push(t.elapsed());
            sym_n.push(r.as_array().map_or(0, |a| a.len()));
        }
    }
    let sym_max = sym_lat.iter().max().copied().unwrap_or_default();
    println!(
        "workspace/symbol (\"\", {prefix:?}, {top_name:?}, {typo:?}; {} results each at most): p50 {:.1} ms, max {:.1} ms",
        sym_n.iter().max().unwrap_or(&0),
        pct(&mut sym_lat, 0.5),
        sym_max.as_secs_f64() * 1e3
    );

    // References for the most mentioned entity seen.
    let (n, best_uri, (line, character), head) = best.clone();
    let mut ref_lat = Vec::new();
    let mut wire_lat = Vec::new();
    let mut count = 0;
    let mut bytes_out = 0;
    for _ in 0..5 {
        *c.last_big_frame.lock().unwrap() = None;
        let t = Instant::now();
        let r = c.request(
            "textDocument/references",
            json!({"textDocument": {"uri": best_uri}, "position": {"line": line, "character": character}, "context": {"includeDeclaration": true}}),
        );
        ref_lat.push(t.elapsed());
        if let Some((at, len)) = *c.last_big_frame.lock().unwrap() {
            wire_lat.push(at - t);
            bytes_out = len;
        }
        count = r.as_array().map_or(0, |a| a.len());
    }
    if wire_lat.is_empty() {
        // Small responses are not timed on the wire; use the round trip.
        wire_lat = ref_lat.clone();
    }
    // "references: N locations, query X ms, JSON Y ms (Z MB)" per request.
    let (mut query, mut ser) = (Vec::new(), Vec::new());
    for line in std::fs::read_to_string(&log).unwrap_or_default().lines() {
        let ms = |label: &str| {
            line.split(label)
                .nth(1)
                .and_then(|r| r.split(" ms").next())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map(|v| Duration::from_secs_f64(v / 1e3))
        };
        if line.contains(&format!("references: {count} locations")) {
            query.extend(ms("query "));
            ser.extend(ms("conversion "));
        }
    }
    println!(
        "references: {head} ({n} mentions): {count} locations; in the server p50: query {:.1} ms, conversion {:.1} ms; last byte received p50 {:.1} ms ({:.1} MB of JSON: query + conversion + JSON written into the pipe), parsed by the client p50 {:.1} ms",
        pct(&mut query, 0.5),
        pct(&mut ser, 0.5),
        pct(&mut wire_lat, 0.5),
        bytes_out as f64 / 1e6,
        pct(&mut ref_lat, 0.5)
    );
    println!("after the references: {}", peak_so_far(c.pid(), bytes));

    // rg on the same folder for the same name.
    let name = head
        .trim_start_matches("**")
        .split("**")
        .next()
        .unwrap_or("")
        .to_string();
    let last = name.split_whitespace().last().unwrap_or(&name).to_string();
    let t = Instant::now();
    let out = std::process::Command::new("rg")
        .args(["-c", "-w", &last])
        .arg(&dir)
        .output();
    match out {
        Ok(o) => {
            let rg = t.elapsed().as_secs_f64() * 1e3;
            let files_hit = String::from_utf8_lossy(&o.stdout).lines().count();
            println!(
                "rg -c -w {last}: {rg:.0} ms ({files_hit} files); gazette references are {:.1}× faster",
                rg / pct(&mut wire_lat, 0.5)
            );
        }
        Err(e) => println!("rg not available: {e}"),
    }

    // didChange → publishDiagnostics for that version.
    let u = uri(&doc);
    let mut diag_lat = Vec::new();
    let lines = text.lines().count() as u32;
    for v in 2..202 {
        let t = Instant::now();
        let line = (v as u32 * 7) % lines.max(1);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": v},
                   "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": if v % 2 == 0 { "Wladimir Putin sagte " } else { "" }}]}),
        );
        c.wait_notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == u.as_str() && p["version"] == v
        });
        diag_lat.push(t.elapsed());
    }
    println!(
        "didChange → diagnostics: p50 {:.1} ms, p99 {:.1} ms",
        pct(&mut diag_lat, 0.5),
        pct(&mut diag_lat, 0.99)
    );
    let (end, peak) = (rss_mb(c.pid()), status_mb(c.pid(), "VmHWM:"));
    println!(
        "resident memory at the end of the session: {end:.0} MiB ({:.2}×); peak {peak:.0} MiB ({:.2}×)",
        end * 1048576.0 / bytes as f64,
        peak * 1048576.0 / bytes as f64
    );
    c.shutdown();

    // Warm restart from the persistent index.
    let (c, first_hover, warm) = start(&dir, &cache_s);
    println!(
        "warm restart: {warm:.2} s to a full index; first hover {:.0} ms",
        first_hover * 1e3
    );
    c.shutdown();
}
