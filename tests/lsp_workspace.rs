//! The corpus follows the disk: files created, changed and deleted while the
//! server runs; the open document is answered before indexing ends.

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

fn copy_seeds(dir: &std::path::Path) {
    for e in std::fs::read_dir(seeds()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
    }
}

fn refs_to_stoltenberg(c: &mut Client, path: &std::path::Path, text: &str) -> Vec<String> {
    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(path)}, "position": pos_of(text, "Stoltenberg", 0, 1),
               "context": {"includeDeclaration": true}}),
    );
    r.as_array().unwrap().iter().map(file_of).collect()
}

#[test]
fn watched_file_events_update_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    let mut c = started(dir.path());
    let p3 = seed_in(dir.path(), "003_");
    let t3 = c.open(&p3);
    assert!(!refs_to_stoltenberg(&mut c, &p3, &t3)
        .iter()
        .any(|f| f == "new.txt"));

    // Created on disk.
    let new = dir.path().join("new.txt");
    std::fs::write(&new, "BRÜSSEL – NATO-Generalsekretär Jens Stoltenberg hat am Montag gewarnt. Stoltenberg sagte, …\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&new), "type": 1}]}),
    );
    let files = refs_to_stoltenberg(&mut c, &p3, &t3);
    assert_eq!(
        files.iter().filter(|f| *f == "new.txt").count(),
        2,
        "{files:?}"
    );

    // Changed on disk.
    std::fs::write(&new, "Ein Artikel ohne Namen.\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&new), "type": 2}]}),
    );
    assert!(!refs_to_stoltenberg(&mut c, &p3, &t3)
        .iter()
        .any(|f| f == "new.txt"));

    // Deleted, then a seed file deleted too.
    std::fs::remove_file(&new).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&new), "type": 3}]}),
    );
    let p4 = dir.path().join(seed("004").file_name().unwrap());
    std::fs::remove_file(&p4).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&p4), "type": 3}]}),
    );
    let files = refs_to_stoltenberg(&mut c, &p3, &t3);
    assert!(!files.iter().any(|f| f.starts_with("004_")), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("001_")), "{files:?}");
    c.shutdown();
}

/// The seeds in a fresh folder, indexed by a server whose client cannot
/// watch files (no didChangeWatchedFiles capability), so the server watches
/// by itself.
fn indexed_seeds_watched_by_the_server() -> (tempfile::TempDir, Client) {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    let mut c = Client::spawn();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": {"window": {"workDoneProgress": true}}}),
    );
    c.notify("initialized", json!({}));
    c.wait_indexed();
    (dir, c)
}

#[test]
fn fallback_watcher_without_client_support() {
    let (dir, mut c) = indexed_seeds_watched_by_the_server();
    let p3 = seed_in(dir.path(), "003_");
    let t3 = c.open(&p3);
    let new = dir.path().join("sub").join("later.txt");
    std::fs::create_dir_all(new.parent().unwrap()).unwrap();
    std::fs::write(&new, "Jens Stoltenberg besuchte Kiew.\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if refs_to_stoltenberg(&mut c, &p3, &t3)
            .iter()
            .any(|f| f == "later.txt")
        {
            break;
        }
        assert!(Instant::now() < deadline, "the new file was never indexed");
        std::thread::sleep(Duration::from_millis(100));
    }
    c.shutdown();
}

/// CPU time the process has used (user + system), from /proc.
#[cfg(target_os = "linux")]
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
    ticks / 100.0
}

/// Reading a corpus file is not a change: the server's own watcher must not
/// re-analyse files that `rg`, a backup or the server itself opened (it once
/// did, and its own re-read of the file fed the next event, forever).
#[cfg(target_os = "linux")]
#[test]
fn reading_corpus_files_is_not_a_change() {
    let (dir, mut c) = indexed_seeds_watched_by_the_server();
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for _ in 0..3 {
        for f in &files {
            std::fs::read(f).unwrap();
        }
    }
    std::thread::sleep(Duration::from_millis(700));
    let before = cpu_seconds(c.pid());
    std::thread::sleep(Duration::from_millis(1500));
    let used = cpu_seconds(c.pid()) - before;
    assert!(
        used < 0.3,
        "the server kept busy after files were only read: {used:.2} s of CPU in 1.5 s"
    );
    // A real change is still seen.
    let p3 = files
        .iter()
        .find(|p| p.to_string_lossy().contains("003_"))
        .unwrap();
    let t3 = c.open(p3);
    std::fs::write(
        dir.path().join("later.txt"),
        "Jens Stoltenberg besuchte Kiew.\n",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !refs_to_stoltenberg(&mut c, p3, &t3)
        .iter()
        .any(|f| f == "later.txt")
    {
        assert!(Instant::now() < deadline, "the new file was never indexed");
        std::thread::sleep(Duration::from_millis(100));
    }
    c.shutdown();
}

#[test]
fn open_document_is_answered_before_indexing_ends() {
    let dir = tempfile::tempdir().unwrap();
    // A corpus large enough that indexing takes a while.
    let n = 400;
    gazette_core::benchgen::generate(dir.path(), n, 3).unwrap();
    let mine = dir.path().join("mine.txt");
    std::fs::write(
        &mine,
        "NATO-Generalsekretär Jens Stoltenberg traf Wladimir Putin.\n",
    )
    .unwrap();
    let mut c = Client::spawn();
    c.initialize(dir.path(), &["utf-16"]);
    let text = c.open(&mine);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&mine)}, "position": pos_of(&text, "Stoltenberg", 0, 1)}),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Jens Stoltenberg"));
    // Indexing was still running when the hover was answered.
    assert!(
        !c.notifications
            .iter()
            .any(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end"),
        "indexing finished before the hover was answered; make the corpus larger"
    );
    c.wait_indexed();
    c.shutdown();
}

/// All the hover cards of an article, for comparing two servers.
fn all_hovers(c: &mut Client, path: &std::path::Path, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, ch) in text.char_indices() {
        if ch.is_uppercase()
            && (i == 0 || !text[..i].chars().next_back().unwrap().is_alphanumeric())
        {
            let (line, character) = utf16_pos(text, i);
            let h = c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": character}}),
            );
            out.push(h["contents"]["value"].as_str().unwrap_or("").to_string());
        }
    }
    out
}

#[test]
fn persistent_index_is_reused_and_survives_corruption() {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    let cache = tempfile::tempdir().unwrap();
    let cache_s = cache.path().to_string_lossy().to_string();
    let p3 = seed_in(dir.path(), "003_");
    let index_files = || -> Vec<std::path::PathBuf> {
        let mut v = Vec::new();
        for d in std::fs::read_dir(cache.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            v.extend(
                std::fs::read_dir(d.path())
                    .unwrap()
                    .map(|e| e.unwrap().path()),
            );
        }
        v
    };
    let run = |expect_index: bool| -> Vec<String> {
        let mut c = Client::spawn_with_env(&[("GAZETTE_CACHE_DIR", &cache_s)]);
        c.initialize(dir.path(), &["utf-16"]);
        c.wait_indexed();
        let t3 = c.open(&p3);
        let h = all_hovers(&mut c, &p3, &t3);
        assert_eq!(c.shutdown(), 0);
        // The index is written in the background after indexing.
        let deadline = Instant::now() + Duration::from_secs(10);
        while expect_index && index_files().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        h
    };
    let written = || {
        std::fs::metadata(&index_files()[0])
            .unwrap()
            .modified()
            .unwrap()
    };
    let cold = run(true);
    let files = index_files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("index.bin"));
    // Warm start from the index answers exactly as the cold one, and
    // leaves the index as it is (nothing changed).
    let first = written();
    assert_eq!(run(true), cold);
    assert_eq!(written(), first, "an up-to-date index was written again");
    // A changed article is analysed again, not taken from the index.
    let p1 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("001_"))
        .unwrap();
    std::fs::write(&p1, "Jens Stoltenberg ist nicht mehr hier.\n").unwrap();
    let changed = run(true);
    assert_ne!(changed, cold);
    let second = written();
    assert_ne!(second, first, "the index keeps the old analysis");
    assert_eq!(run(true), changed);
    assert_eq!(written(), second);
    // A deleted article leaves the index too.
    let p2 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("002_"))
        .unwrap();
    let kept = std::fs::read(&p2).unwrap();
    std::fs::remove_file(&p2).unwrap();
    run(true);
    assert_ne!(written(), second, "the index keeps a deleted article");
    std::fs::write(&p2, kept).unwrap();
    assert_eq!(run(true), changed);
    // A corrupt index is ignored (and rewritten): same answers as without it.
    std::fs::write(&files[0], b"GAZIDX\0\x01 garbage").unwrap();
    assert_eq!(run(true), changed);
    assert!(
        std::fs::read(&files[0]).unwrap().len() > 100,
        "index rewritten"
    );
}
