//! `gazette.toml` that is odd, wrong or huge, over stdio: the server keeps
//! answering (a one-letter alias once made `initialize` an internal error),
//! problems become diagnostics on the file, and 10^4 entries load and edit
//! without holding requests up.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

const ARTICLE: &str = "Europa und die Welt. Olaf Scholz reiste nach Europa.\n\
    Dort sprach Olaf Scholz über e-Autos, und Europas Zukunft.\n";

fn corpus_with(kb: &str) -> tempfile::TempDir {
    let dir = folder_with(&[("a.txt", ARTICLE)]);
    std::fs::write(dir.path().join("gazette.toml"), kb).unwrap();
    dir
}

fn kb_diagnostics(c: &mut Client, kb: &Path, version: Option<i64>) -> Vec<Value> {
    let d = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == json!(uri(kb)) && version.is_none_or(|v| p["version"] == v)
    });
    d["params"]["diagnostics"].as_array().unwrap().clone()
}

fn hover_at(c: &mut Client, path: &Path, text: &str, needle: &str) -> Value {
    c.request_full(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(path)}, "position": pos_of(text, needle, 0, 1)}),
    )
}

fn change(c: &mut Client, path: &Path, version: i64, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(path), "version": version},
               "contentChanges": [{"text": text}]}),
    );
}

#[test]
fn a_one_letter_alias_neither_stops_the_server_nor_a_keystroke() {
    let kb_text = "[[entity]]\nname = \"Europa\"\nkind = \"place\"\naliases = [\"e\"]\n";
    let dir = corpus_with(kb_text);
    let kb = dir.path().join("gazette.toml");
    let article = dir.path().join("a.txt");
    let mut c = Client::spawn();
    let init = c.request_full(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir.path()), "capabilities": {}}),
    );
    assert!(init.get("error").is_none(), "{init}");
    c.notify("initialized", json!({}));
    c.open(&article);
    let h = hover_at(&mut c, &article, ARTICLE, "Europa");
    assert!(h.get("error").is_none(), "{h}");
    // Typing one-letter aliases into the open file, keystroke by keystroke.
    c.open(&kb);
    let mut text = String::from(kb_text);
    for (v, alias) in ["x", "ä", "é", "E", "ß"].iter().enumerate() {
        text = text.replace("aliases = [", &format!("aliases = [\"{alias}\", "));
        change(&mut c, &kb, 2 + v as i64, &text);
        let h = hover_at(&mut c, &article, ARTICLE, "Scholz");
        assert!(h.get("error").is_none(), "{h}");
    }
    let h = hover_at(&mut c, &article, ARTICLE, "Europa");
    assert!(
        h["result"]["contents"].to_string().contains("Europa"),
        "{h}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn unusable_and_common_word_aliases_are_diagnosed() {
    let kb_text = "[[entity]]\nname = \"Olaf Scholz\"\nkind = \"person\"\n\
                   aliases = [\"\", \" \", \"a\\u0000\", \"b\\nc\", \"und\"]\n";
    let dir = corpus_with(kb_text);
    let kb = dir.path().join("gazette.toml");
    let mut c = Client::spawn();
    c.initialize(dir.path(), &["utf-16"]);
    let diags = kb_diagnostics(&mut c, &kb, None);
    let found: Vec<(String, i64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_i64().unwrap(),
            )
        })
        .collect();
    let invalid = ("kb-invalid".to_string(), 1);
    let common = ("kb-common-word".to_string(), 2);
    assert_eq!(
        found,
        vec![
            invalid.clone(),
            invalid.clone(),
            invalid.clone(),
            invalid,
            common
        ],
        "{diags:?}"
    );
    // The warning sits on the alias itself.
    let r = &diags[4]["range"];
    assert_eq!(r["start"]["line"], 3);
    let line = kb_text.lines().nth(3).unwrap();
    let (a, b) = (
        r["start"]["character"].as_u64().unwrap() as usize,
        r["end"]["character"].as_u64().unwrap() as usize,
    );
    assert_eq!(&line[a..b], "und");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn an_invalid_glob_is_a_diagnostic_and_the_other_globs_still_apply() {
    let kb_text = "[settings]\nexclude = [\"a{b\", \"skip/**\"]\n";
    let dir = corpus_with(kb_text);
    std::fs::create_dir(dir.path().join("skip")).unwrap();
    std::fs::write(dir.path().join("skip/b.txt"), "Angela Merkel kam.\n").unwrap();
    std::fs::write(dir.path().join("c.txt"), "Angela Merkel ging.\n").unwrap();
    let kb = dir.path().join("gazette.toml");
    let mut c = started(dir.path());
    let diags = kb_diagnostics(&mut c, &kb, None);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "kb-invalid");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 1, "character": 12})
    );
    assert_eq!(
        diags[0]["range"]["end"],
        json!({"line": 1, "character": 15})
    );
    let files = |c: &mut Client| -> Vec<String> {
        let all = c.request("gazette/entities", json!({}));
        let mut files: Vec<String> = all["entities"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["mentions"].as_array().unwrap().clone())
            .map(|m| file_of(&m))
            .collect();
        files.sort();
        files.dedup();
        files
    };
    // Not "0 articles": a.txt and c.txt are indexed, skip/** still excluded.
    assert_eq!(files(&mut c), vec!["a.txt", "c.txt"]);
    assert_eq!(c.shutdown(), 0);

    // The same glob from the editor's settings: a message, not an empty corpus.
    let mut c = Client::spawn();
    c.initialize_with(
        dir.path(),
        &["utf-16"],
        json!({"gazette": {"exclude": ["a{b", "c.txt"]}}),
    );
    c.wait_indexed();
    let m = c.wait_notification("window/showMessage", |p| {
        p["message"].as_str().unwrap_or("").contains("a{b")
    });
    assert!(
        m["params"]["message"].as_str().unwrap().contains("exclude"),
        "{m}"
    );
    assert_eq!(files(&mut c), vec!["a.txt", "b.txt"]);
    assert_eq!(c.shutdown(), 0);
}

/// A knowledge base of `n` people, each with two aliases.
pub fn big_kb(n: usize) -> String {
    let mut t = String::with_capacity(n * 90);
    for i in 0..n {
        t.push_str(&format!(
            "[[entity]]\nname = \"Vorname{i} Nachname{i}\"\nkind = \"person\"\naliases = [\"VN{i}\", \"Nachname{i}-Alias\"]\n\n"
        ));
    }
    t
}

/// 20,000 entries: before indexing the knowledge base's entries, loading
/// scanned every entry per mention (quadratic: 1.6 s in a release build,
/// far longer in a debug one), and every keystroke in the file did it again
/// under the state lock. The bounds are generous (a debug build on a busy
/// machine); the quadratic version does not come near them.
#[test]
fn a_large_knowledge_base_loads_and_edits_without_holding_requests_up() {
    let mut kb_text = big_kb(20_000);
    let dir = corpus_with(&kb_text);
    let kb = dir.path().join("gazette.toml");
    let article = dir.path().join("a.txt");
    let t = Instant::now();
    let mut c = started(dir.path());
    let h = hover_at(&mut c, &article, ARTICLE, "Scholz");
    assert!(h.get("error").is_none(), "{h}");
    let load = t.elapsed();
    assert!(load < Duration::from_secs(20), "loading took {load:?}");
    c.open(&kb);
    let mut worst = Duration::ZERO;
    for v in 2..6 {
        kb_text.push_str(&format!(
            "[[entity]]\nname = \"Neu{v} Person\"\nkind = \"person\"\n"
        ));
        change(&mut c, &kb, v, &kb_text);
        let t = Instant::now();
        let h = hover_at(&mut c, &article, ARTICLE, "Scholz");
        worst = worst.max(t.elapsed());
        assert!(h.get("error").is_none(), "{h}");
    }
    // The last edit is in force soon after.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = c.request("gazette/entities", json!({"query": "Neu5 Person"}));
        if r.to_string().contains("Neu5 Person") {
            break;
        }
        assert!(Instant::now() < deadline, "the last edit never took effect");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Each keystroke re-parsed 20,000 entries under the lock; now a hover
    // goes on with the previous knowledge base while the new one is made.
    assert!(worst < Duration::from_secs(2), "a hover waited {worst:?}");
    assert_eq!(c.shutdown(), 0);
}

/// Keystrokes as editors send them (ranged changes) inside one entry are
/// each in force for the next request — a definition from an article moves
/// with the text typed before it, a renamed entry is found under its new
/// name — and one that breaks the file is diagnosed until it is mended.
#[test]
fn ranged_keystrokes_in_an_entry_are_in_force_for_the_next_request() {
    let mut text = String::from(
        "[[entity]]\nname = \"Angela Merkel\"\nkind = \"person\"\ndescription = \"Kanzlerin\"\n\n\
         [[entity]]\nname = \"Olaf Scholz\"\nkind = \"person\"\ndescription = \"Kanzler\"\n",
    );
    let dir = corpus_with(&text);
    let kb = dir.path().join("gazette.toml");
    let article = dir.path().join("a.txt");
    let mut c = Client::spawn();
    c.initialize(dir.path(), &["utf-16"]);
    c.wait_indexed();
    c.open(&article);
    c.open(&kb);
    let mut version = 1;
    // Replaces bytes `range` of the file by `s`, as one ranged change.
    let mut edit = |c: &mut Client, text: &mut String, range: std::ops::Range<usize>, s: &str| {
        version += 1;
        let (start, end) = (
            pos_of(text, "", 0, range.start),
            pos_of(text, "", 0, range.end),
        );
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&kb), "version": version},
                   "contentChanges": [{"range": {"start": start, "end": end}, "text": s}]}),
        );
        text.replace_range(range, s);
        version
    };
    let definition = |c: &mut Client| {
        c.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri(&article)}, "position": pos_of(ARTICLE, "Scholz", 0, 1)}),
        )
    };
    // " a. D." typed after "Kanzlerin": the entry after it moves.
    for ch in [" ", "a", ".", " ", "D", "."] {
        let at = text.find("\"\n\n").unwrap();
        edit(&mut c, &mut text, at..at, ch);
        let def = definition(&mut c);
        assert_eq!(
            def["range"]["start"],
            pos_of(&text, "Olaf Scholz", 0, 0),
            "{def}"
        );
        assert_eq!(
            def["range"]["end"],
            pos_of(&text, "Olaf Scholz", 0, 11),
            "{def}"
        );
    }
    assert!(text.contains("Kanzlerin a. D."));
    // "Olaf Scholz" typed into "Olaf Scholzi": the entry answers by its new name.
    let at = text.find("Scholz\"").unwrap() + 6;
    edit(&mut c, &mut text, at..at, "i");
    let r = c.request("gazette/entities", json!({"query": "Olaf Scholzi"}));
    assert!(r.to_string().contains("Kanzler"), "{r}");
    // A quote typed into a description breaks the file; deleting it mends it.
    let at = text.find("Kanzler\"").unwrap() + 7;
    let v = edit(&mut c, &mut text, at..at, "\"");
    let d = kb_diagnostics(&mut c, &kb, Some(v));
    assert!(d.iter().any(|x| x["code"] == "kb-syntax"), "{d:?}");
    let v = edit(&mut c, &mut text, at..at + 1, "");
    let d = kb_diagnostics(&mut c, &kb, Some(v));
    assert!(d.is_empty(), "{d:?}");
    // Taken in place again once the mended text is in force.
    let at = text.find("Kanzler\"").unwrap() + 7;
    edit(&mut c, &mut text, at..at, "!");
    let r = c.request("gazette/entities", json!({"query": "Olaf Scholzi"}));
    assert!(r.to_string().contains("Kanzler!"), "{r}");
    assert_eq!(c.shutdown(), 0);
}
