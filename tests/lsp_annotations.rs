//! The annotation store in the language server: its buffer and its file on
//! disk put annotations in force at once (hover), its problems are
//! diagnostics on the store, and the persistent index never serves
//! analyses made with another store.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const ARTICLE: &str =
    "Washington traf Maria Müller und Maria Weber in Berlin. Dann sprach Maria mit der NATO.\n\
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
    folder_with(&[("a.txt", ARTICLE)])
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

/// Review mode's requests: `gazette/reviewProgress` counts the mentions
/// the store covers, and `gazette/nextReview` walks the queue from the
/// cursor; an annotated mention leaves the queue.
#[test]
fn review_progress_and_the_next_mention_to_review() {
    let dir = corpus();
    let article = dir.path().join("a.txt");
    let store = dir.path().join("gazette.annotations.jsonl");
    let mut c = started(dir.path());
    let p = c.request("gazette/reviewProgress", json!({}));
    let total = p["mentions"].as_u64().unwrap();
    assert!(total >= 4, "{p}");
    assert_eq!(p["reviewedMentions"], 0, "{p}");
    assert_eq!(
        (p["doneArticles"].as_u64(), p["articles"].as_u64()),
        (Some(0), Some(1)),
        "{p}"
    );
    assert_eq!(
        p["message"],
        format!("0 of {total} mentions reviewed, 0 of 1 articles done")
    );
    // From nowhere: the head of the queue; from there, another mention.
    let first = c.request("gazette/nextReview", json!({}));
    assert_eq!(first["uri"], uri(&article), "{first}");
    let at_first =
        json!({"textDocument": {"uri": uri(&article)}, "position": first["range"]["start"]});
    let second = c.request("gazette/nextReview", at_first);
    assert_eq!(second["uri"], uri(&article), "{second}");
    assert_ne!(second["range"], first["range"]);
    // Annotating the head of the queue takes it out of the queue.
    let head = range_text(ARTICLE, &first["range"]);
    let start = ARTICLE
        .match_indices(head.as_str())
        .map(|(s, _)| s)
        .find(|&s| {
            let (l, ch) = utf16_pos(ARTICLE, s);
            first["range"]["start"] == json!({"line": l, "character": ch})
        })
        .unwrap();
    let line = json!({
        "path": "a.txt", "start": start, "end": start + head.len(), "exact": head,
        "label": "organisation", "status": "corrected",
    });
    std::fs::write(&store, format!("{line}\n")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&store), "type": 1}]}),
    );
    let p = eventually(|| {
        let p = c.request("gazette/reviewProgress", json!({}));
        (p["reviewedMentions"] == 1).then_some(p)
    });
    assert_eq!(p["doneArticles"], 0, "{p}");
    let now = c.request("gazette/nextReview", json!({}));
    assert_ne!(now["range"], first["range"], "{now}");
    c.shutdown();
}

/// The code action's edit of the store, applied as a client would (the
/// file may have to be created first).
fn apply_store_action(
    c: &mut Client,
    store: &Path,
    before: &str,
    action: &Value,
    version: i32,
) -> String {
    let ops = action["edit"]["documentChanges"].as_array().unwrap();
    let mut text = before.to_string();
    for op in ops {
        if op["kind"] == "create" {
            assert_eq!(op["uri"], uri(store));
            continue;
        }
        assert_eq!(op["textDocument"]["uri"], uri(store), "{op}");
        text = apply_edits(&text, op["edits"].as_array().unwrap());
    }
    let msg = if version == 1 {
        json!({"textDocument": {"uri": uri(store), "languageId": "jsonl", "version": 1, "text": text}})
    } else {
        json!({"textDocument": {"uri": uri(store), "version": version},
               "contentChanges": [{"text": text}]})
    };
    c.notify(
        if version == 1 {
            "textDocument/didOpen"
        } else {
            "textDocument/didChange"
        },
        msg,
    );
    text
}

/// A server over [`corpus`] with its article open: the folder (to keep),
/// the article, the annotation store's path, the client.
fn opened() -> (tempfile::TempDir, PathBuf, PathBuf, Client) {
    let dir = corpus();
    let article = dir.path().join("a.txt");
    let store = dir.path().join("gazette.annotations.jsonl");
    let mut c = started(dir.path());
    c.open(&article);
    (dir, article, store, c)
}

/// The code actions for `start..end`, of the kinds in `only` if given.
fn code_actions(
    c: &mut Client,
    path: &Path,
    (start, end): (Value, Value),
    only: Option<&[&str]>,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let range = json!({"start": start, "end": end});
    let params = json!({"textDocument": {"uri": uri(path)}, "range": range, "context": context});
    let actions = c.request("textDocument/codeAction", params);
    actions.as_array().cloned().unwrap_or_default()
}

fn actions_at(c: &mut Client, path: &Path, start: Value, end: Value) -> Vec<Value> {
    code_actions(c, path, (start, end), None)
}

#[test]
fn code_actions_annotate_through_an_edit_of_the_store() {
    let (_dir, article, store, mut c) = opened();
    let at = pos_of(ARTICLE, "Berlin", 0, 1);
    let acts = actions_at(&mut c, &article, at.clone(), at.clone());
    let titles: Vec<&str> = acts.iter().filter_map(|a| a["title"].as_str()).collect();
    for t in [
        "Annotate: person here",
        "Annotate: organisation here",
        "Annotate: not a name here",
        "Annotate: confirm as place",
        "Annotate: a different Berlin",
    ] {
        assert!(titles.contains(&t), "{t} missing from {titles:?}");
    }
    assert!(!titles.contains(&"Annotate: place here"), "{titles:?}");
    // No store yet: the edit creates it.
    let org = acts
        .iter()
        .find(|a| a["title"] == "Annotate: organisation here")
        .unwrap();
    assert_eq!(org["edit"]["documentChanges"][0]["kind"], "create");
    let text = apply_store_action(&mut c, &store, "", org, 1);
    assert!(text.contains("\"label\":\"organisation\""), "{text}");
    let h = eventually(|| {
        let h = hover_at(&mut c, &article, "Berlin", 0);
        h.contains("annotated here as org").then_some(h)
    });
    assert!(h.contains("Berlin"));
    // Again on the same mention: the line is replaced, not added.
    let acts = actions_at(&mut c, &article, at.clone(), at);
    let not = acts
        .iter()
        .find(|a| a["title"] == "Annotate: not a name here")
        .unwrap();
    let text = apply_store_action(&mut c, &store, &text, not, 2);
    assert_eq!(text.lines().count(), 1, "{text}");
    eventually(|| {
        hover_at(&mut c, &article, "Berlin", 0)
            .is_empty()
            .then_some(())
    });
    // A selection that is no mention: annotated as a name.
    let (a, b) = (
        ARTICLE.find("sprach").unwrap(),
        ARTICLE.find("sprach").unwrap() + 6,
    );
    let acts = actions_at(&mut c, &article, lsp_pos(ARTICLE, a), lsp_pos(ARTICLE, b));
    let other = acts
        .iter()
        .find(|a| a["title"] == "Annotate «sprach» as other name")
        .unwrap_or_else(|| panic!("{acts:?}"));
    let text = apply_store_action(&mut c, &store, &text, other, 3);
    assert_eq!(text.lines().count(), 2, "{text}");
    let h = eventually(|| {
        let h = hover_at(&mut c, &article, "sprach", 0);
        (!h.is_empty()).then_some(h)
    });
    assert!(h.contains("annotated here as other"), "{h}");
    c.shutdown();
}

fn actions_only(c: &mut Client, path: &Path, at: Value, only: &[&str]) -> Vec<Value> {
    code_actions(c, path, (at.clone(), at), Some(only))
}

/// Annotation actions have kinds of their own (`refactor.annotate.…`), so
/// that an editor command can ask for one; `context.only` is honoured.
#[test]
fn annotation_actions_by_kind_and_same_as() {
    let (_dir, article, store, mut c) = opened();
    let at = pos_of(ARTICLE, "Berlin", 0, 1);
    let all = actions_at(&mut c, &article, at.clone(), at.clone());
    let kinds: Vec<&str> = all.iter().filter_map(|a| a["kind"].as_str()).collect();
    for k in [
        "refactor.annotate.person",
        "refactor.annotate.organisation",
        "refactor.annotate.other",
        "refactor.annotate.not-a-name",
        "refactor.annotate.confirm",
        "refactor.annotate.different",
        // Not an annotation: "Add «Berlin» to gazette.toml".
        "refactor",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    // Only quick fixes asked for: no refactoring.
    let quick = actions_only(&mut c, &article, at.clone(), &["quickfix"]);
    assert!(quick.iter().all(|a| a["kind"] == "quickfix"), "{quick:?}");
    // One kind asked for: that action alone.
    let org = actions_only(
        &mut c,
        &article,
        at.clone(),
        &["refactor.annotate.organisation"],
    );
    assert_eq!(org.len(), 1, "{org:?}");
    assert_eq!(org[0]["title"], "Annotate: organisation here");
    // A parent kind: every annotation action, nothing else.
    let annotate = actions_only(&mut c, &article, at, &["refactor.annotate"]);
    assert_eq!(
        annotate.len(),
        kinds
            .iter()
            .filter(|k| k.starts_with("refactor.annotate."))
            .count()
    );
    // "Same as …" links the lone "Maria" (two full names start with it, so
    // the machine links it to neither) to Maria Müller: the hover shows
    // that card.
    let maria = pos_of(ARTICLE, "Maria", 2, 1);
    let same = actions_only(&mut c, &article, maria, &["refactor.annotate.same-as"]);
    let to_mueller = same
        .iter()
        .find(|a| a["title"] == "Annotate: same as «Maria Müller»")
        .unwrap_or_else(|| panic!("{same:?}"));
    let text = apply_store_action(&mut c, &store, "", to_mueller, 1);
    assert!(text.contains("\"entity\":\"Maria Müller\""), "{text}");
    let h = eventually(|| {
        let h = hover_at(&mut c, &article, "Maria", 2);
        h.contains("Maria Müller").then_some(h)
    });
    assert!(h.contains("annotated here as person"), "{h}");
    c.shutdown();
}
