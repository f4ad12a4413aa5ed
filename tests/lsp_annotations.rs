//! The annotation store in the language server: its buffer and its file on
//! disk put annotations in force at once (hover), its problems are
//! diagnostics on the store, and the persistent index never serves
//! analyses made with another store.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::Path;

const ARTICLE: &str = "Washington traf Maria Müller in Berlin. Dann sprach Maria mit der NATO.\n\
                       Washington blieb in Berlin.\n";

fn store_line(what: &str, nth: usize, label: &str) -> String {
    let start = ARTICLE.match_indices(what).nth(nth).unwrap().0;
    let end = start + what.len();
    json!({
        "path": "a.txt", "start": start, "end": end, "exact": what,
        "prefix": &ARTICLE[start.saturating_sub(10)..start], "suffix": &ARTICLE[end..end + 10],
        "label": label, "status": "corrected",
    })
    .to_string()
}

fn hover_at(c: &mut Client, path: &Path, what: &str, nth: usize) -> String {
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(path)}, "position": pos_of(ARTICLE, what, nth, 1)}),
    );
    h["contents"]["value"].as_str().unwrap_or("").to_string()
}

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    dir
}

#[test]
fn the_store_buffer_takes_effect_at_once_and_reports_its_problems() {
    let dir = corpus();
    let article = dir.path().join("a.txt");
    let store = dir.path().join("gazette.annotations.jsonl");
    let mut c = started(dir.path());
    let before = hover_at(&mut c, &article, "Berlin", 0);
    assert!(before.contains("place"), "{before}");
    assert!(!hover_at(&mut c, &article, "NATO", 0).is_empty());
    // A new store, in the editor (not saved): Berlin is an organisation
    // here, NATO no name; a broken line is reported, the others hold.
    let text = format!(
        "{}\n{{broken\n{}\n",
        store_line("Berlin", 0, "organisation"),
        store_line("NATO", 0, "not-a-name")
    );
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&store), "languageId": "jsonl", "version": 1, "text": text}}),
    );
    let d = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri(&store) && !p["diagnostics"].as_array().unwrap().is_empty()
    });
    let diags = d["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{d}");
    assert_eq!(diags[0]["code"], "annotation-syntax");
    assert_eq!(diags[0]["range"]["start"]["line"], 1);
    let after = hover_at(&mut c, &article, "Berlin", 0);
    assert!(after.contains("annotated here as org"), "{after}");
    assert!(hover_at(&mut c, &article, "NATO", 0).is_empty());
    // The other Berlin is still the machine's place.
    let other = hover_at(&mut c, &article, "Berlin", 1);
    assert!(!other.contains("annotated"), "{other}");
    // An annotation whose text is not in the article: a warning on its line.
    let gone = store_line("Berlin", 0, "organisation")
        .replace("\"Berlin\"", "\"Bonn\"")
        .replace(
            &format!("\"end\":{}", ARTICLE.find("Berlin").unwrap() + 6),
            &format!("\"end\":{}", ARTICLE.find("Berlin").unwrap() + 4),
        );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&store), "version": 2},
               "contentChanges": [{"text": format!("{gone}\n")}]}),
    );
    let d = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri(&store)
            && p["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "annotation-unanchored")
    });
    assert!(d["params"]["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("\"Bonn\""));
    assert_eq!(hover_at(&mut c, &article, "Berlin", 0), before);
    assert!(!hover_at(&mut c, &article, "NATO", 0).is_empty());
    // Closed without saving: the file on disk (none) is the store again.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&store)}}),
    );
    c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri(&store) && p["diagnostics"].as_array().unwrap().is_empty()
    });
    assert_eq!(hover_at(&mut c, &article, "Berlin", 0), before);
    c.shutdown();
}

#[test]
fn a_store_changed_on_disk_applies_and_the_index_is_not_stale() {
    let dir = corpus();
    let cache = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.txt");
    let store = dir.path().join("gazette.annotations.jsonl");
    let env = [("GAZETTE_CACHE_DIR", cache.path().to_str().unwrap())];
    let start = |env: &[(&str, &str)]| {
        let mut c = Client::spawn_with_env(env);
        c.initialize(dir.path(), &["utf-16"]);
        c.wait_indexed();
        c
    };
    let mut c = start(&env);
    // Whatever the machine says, the store says the other.
    let machine = hover_at(&mut c, &article, "Washington", 0);
    let (is, other) = if machine.contains("person") {
        ("person", "place")
    } else {
        ("place", "person")
    };
    assert!(machine.contains(is), "{machine}");
    std::fs::write(&store, store_line("Washington", 0, other) + "\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&store), "type": 1}]}),
    );
    let h = hover_at(&mut c, &article, "Washington", 0);
    assert!(h.contains(&format!("annotated here as {other}")), "{h}");
    c.shutdown();
    // Restarted with the index written under that store: as annotated;
    // the store changed while the server was away: that store's word.
    let mut c = start(&env);
    let h = hover_at(&mut c, &article, "Washington", 0);
    assert!(h.contains(&format!("annotated here as {other}")), "{h}");
    c.shutdown();
    std::fs::write(&store, store_line("Washington", 0, is) + "\n").unwrap();
    let mut c = start(&env);
    let h: Value = json!(hover_at(&mut c, &article, "Washington", 0));
    let h = h.as_str().unwrap();
    assert!(h.contains(&format!("annotated here as {is}")), "{h}");
    c.shutdown();
}
