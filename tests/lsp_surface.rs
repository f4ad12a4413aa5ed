//! Issue 4's editor surface and knowledge base, through the real binary
//! over stdio. Tests that write files work on a temporary copy of seeds/.

mod common;
use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A temporary copy of the seed articles, with or without the knowledge base.
fn corpus_copy(with_kb: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(seeds()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_owned();
        if p.extension().is_some_and(|e| e == "txt") || (with_kb && name == "gazette.toml") {
            std::fs::copy(&p, dir.path().join(name)).unwrap();
        }
    }
    dir
}

/// The labels of a completion list's items.
fn completion_labels(list: &Value) -> Vec<&str> {
    let items = list["items"].as_array().unwrap();
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

/// A copy of the seeds with [`STOLTENBERG_KB`] as its knowledge base,
/// a server started on it, and the knowledge base open.
fn with_stoltenberg_kb_open() -> (tempfile::TempDir, PathBuf, Client) {
    let dir = corpus_copy(false);
    let kb = dir.path().join("gazette.toml");
    std::fs::write(&kb, STOLTENBERG_KB).unwrap();
    let mut c = started(dir.path());
    c.open(&kb);
    (dir, kb, c)
}

/// A request whose only parameter is the document at `path`.
fn doc_request(c: &mut Client, method: &str, path: &Path) -> Value {
    c.request(method, json!({"textDocument": td(path)}))
}

fn td(path: &Path) -> Value {
    json!({"uri": uri(path)})
}

fn hover_md(c: &mut Client, path: &Path, pos: Value) -> Option<String> {
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": td(path), "position": pos}),
    );
    h["contents"]["value"].as_str().map(String::from)
}

fn file_name(u: &str) -> &str {
    u.rsplit('/').next().unwrap()
}

const STOLTENBERG_KB: &str = r#"[[entity]]
name = "Jens Stoltenberg"
kind = "person"
description = "NATO-Generalsekretär 2014–2024"
wikidata = "Q57462"
"#;

// ---------------------------------------------------------------- knowledge base

#[test]
fn kb_entry_is_the_definition_and_hover_shows_its_description() {
    let dir = corpus_copy(false);
    std::fs::write(dir.path().join("gazette.toml"), STOLTENBERG_KB).unwrap();
    let mut c = started(dir.path());
    let path = seed_in(dir.path(), "004");
    let text = c.open(&path);
    let n = text.matches("Stoltenberg").count();
    let pos = pos_of(&text, "Stoltenberg", n - 1, 1);
    let md = hover_md(&mut c, &path, pos.clone()).unwrap();
    assert!(md.starts_with("**Jens Stoltenberg** · person"), "{md}");
    assert!(md.contains("NATO-Generalsekretär 2014–2024"), "{md}");
    assert!(md.contains("wikidata.org/wiki/Q57462"), "{md}");
    assert!(
        !md.contains("gazette.toml"),
        "the entry is not an article: {md}"
    );
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": td(&path), "position": pos}),
    );
    assert_eq!(file_name(def["uri"].as_str().unwrap()), "gazette.toml");
    assert_eq!(
        range_text(STOLTENBERG_KB, &def["range"]),
        "Jens Stoltenberg"
    );
    // References include the entry.
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": td(&path), "position": pos_of(&text, "Stoltenberg", 0, 1),
               "context": {"includeDeclaration": true}}),
    );
    let files: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| file_name(l["uri"].as_str().unwrap()))
        .collect();
    assert!(files.contains(&"gazette.toml"), "{files:?}");
    // The file itself is served: hover and definition on its entry.
    let kb = dir.path().join("gazette.toml");
    c.open(&kb);
    let md = hover_md(&mut c, &kb, pos_of(STOLTENBERG_KB, "Stoltenberg", 0, 1)).unwrap();
    assert!(md.contains("NATO-Generalsekretär 2014–2024"), "{md}");
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": td(&kb), "position": pos_of(STOLTENBERG_KB, "Jens", 0, 1)}),
    );
    assert_eq!(file_name(def["uri"].as_str().unwrap()), "gazette.toml");
    c.shutdown();
}

#[test]
fn broken_kb_gets_diagnostics_and_the_last_good_version_stays_in_force() {
    let (dir, kb, mut c) = with_stoltenberg_kb_open();
    let broken = STOLTENBERG_KB.replace("kind = \"person\"", "kind = \"person");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&kb), "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let d = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == json!(uri(&kb)) && p["version"] == 2
    });
    let diags = d["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "kb-syntax");
    assert_eq!(diags[0]["severity"], 1);
    assert_eq!(diags[0]["range"]["start"]["line"], 2, "{diags:?}");
    // Still answering with the last good knowledge base.
    let path = seed_in(dir.path(), "004");
    let text = c.open(&path);
    let md = hover_md(&mut c, &path, pos_of(&text, "Stoltenberg", 2, 1)).unwrap();
    assert!(md.contains("NATO-Generalsekretär 2014–2024"), "{md}");
    // Semantic errors: unknown kind, duplicate name, alias claimed twice.
    let bad = format!(
        "{STOLTENBERG_KB}\n[[entity]]\nname = \"Jens Stoltenberg\"\nkind = \"person\"\n\n[[entity]]\nname = \"Kreml\"\nkind = \"building\"\n"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&kb), "version": 3}, "contentChanges": [{"text": bad}]}),
    );
    let d = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == json!(uri(&kb)) && p["version"] == 3
    });
    let diags = d["params"]["diagnostics"].as_array().unwrap().clone();
    let summary: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                range_text(&bad, &d["range"]),
            )
        })
        .collect();
    insta::assert_json_snapshot!("kb_semantic_diagnostics", diags);
    assert_eq!(
        summary,
        vec![
            ("kb-duplicate".to_string(), "Jens Stoltenberg".to_string()),
            ("kb-unknown-kind".to_string(), "building".to_string())
        ]
    );
    c.shutdown();
}

#[test]
fn editing_the_kb_re_resolves_the_corpus_live() {
    let (dir, kb, mut c) = with_stoltenberg_kb_open();
    let path = seed_in(dir.path(), "001");
    let text = c.open(&path);
    let pos = pos_of(&text, "Stoltenberg", 0, 1);
    let edited = STOLTENBERG_KB.replace("2014–2024", "von 2014 bis 2024");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&kb), "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    eventually(|| {
        hover_md(&mut c, &path, pos.clone()).filter(|md| md.contains("von 2014 bis 2024"))
    });
    // A surface marked as not a name stops being one.
    let ignored = format!("ignore = [\"Jens Stoltenberg\", \"Stoltenberg\"]\n\n{edited}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&kb), "version": 3}, "contentChanges": [{"text": ignored}]}),
    );
    eventually(|| hover_md(&mut c, &path, pos.clone()).is_none().then_some(()));
    c.shutdown();
}

#[test]
fn kb_aliases_join_inflected_forms_into_one_entity() {
    let (mut c, p0, t0) = seed_open("000");
    let md0 =
        hover_md(&mut c, &p0, pos_of(&t0, "Weißrussland", 0, 2)).expect("hover on Weißrussland");
    let p3 = seed("003");
    let t3 = c.open(&p3);
    let md3 =
        hover_md(&mut c, &p3, pos_of(&t3, "belarusischer", 0, 2)).expect("hover on belarusischer");
    for md in [&md0, &md3] {
        assert!(md.starts_with("**Belarus** · place"), "{md}");
        assert!(md.contains("Staat in Osteuropa"), "{md}");
    }
    assert!(md0.contains("000_") && md0.contains("003_"), "{md0}");
    c.shutdown();
    // Without a knowledge base both still have hovers.
    let dir = corpus_copy(false);
    let mut c = started(dir.path());
    let p0 = seed_in(dir.path(), "000");
    let t0 = c.open(&p0);
    assert!(hover_md(&mut c, &p0, pos_of(&t0, "Weißrussland", 0, 2)).is_some());
    // "belarusischer" answers as before (the recognizer alone may not know it).
    let p3 = seed_in(dir.path(), "003");
    let t3 = c.open(&p3);
    let _ = hover_md(&mut c, &p3, pos_of(&t3, "belarusischer", 0, 2));
    c.shutdown();
}

#[test]
fn kb_is_not_an_article_even_with_catch_all_globs() {
    let dir = corpus_copy(true);
    let mut c = Client::spawn();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir.path()),
               "initializationOptions": {"include": ["**/*"]},
               "capabilities": {"window": {"workDoneProgress": true}}}),
    );
    c.notify("initialized", json!({}));
    c.wait_indexed();
    let ents = c.request("gazette/entities", json!({"query": "Belarus"}));
    let e = &ents["entities"][0];
    assert_eq!(e["name"], "Belarus");
    assert_eq!(e["description"], "Staat in Osteuropa");
    let kb_mentions = e["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["uri"].as_str().unwrap().ends_with("gazette.toml"))
        .count();
    // The entry's name and aliases, nothing analysed as article text.
    assert_eq!(kb_mentions, 3, "{e}");
    c.shutdown();
}

// ---------------------------------------------------------------- rename

#[test]
fn rename_putin_everywhere_keeping_inflection() {
    let dir = corpus_copy(false);
    let mut c = started(dir.path());
    let path = seed_in(dir.path(), "002");
    let text = c.open(&path);
    let pos = pos_of(&text, "Putin", 0, 1);
    let prep = c.request(
        "textDocument/prepareRename",
        json!({"textDocument": td(&path), "position": pos}),
    );
    assert_eq!(prep["placeholder"], "Putin");
    assert_eq!(range_text(&text, &prep["range"]), "Putin");
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": td(&path), "position": pos, "newName": "Putin-X"}),
    );
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 5, "all five articles: {:?}", changes.keys());
    for (u, edits) in changes {
        let p = dir.path().join(file_name(u));
        let before = std::fs::read_to_string(&p).unwrap();
        let after = apply_edits(&before, edits.as_array().unwrap());
        assert_eq!(
            before.matches("Putins").count(),
            after.matches("Putin-Xs").count(),
            "{u}"
        );
        assert!(
            !after.contains("Putin ") && !after.contains("Putins"),
            "{u}: {after}"
        );
        std::fs::write(&p, after).unwrap();
    }
    c.shutdown();
}

#[test]
fn rename_refuses_a_non_name_with_a_message() {
    let (mut c, path, text) = seed_open("000");
    let id = c.request_async(
        "textDocument/prepareRename",
        json!({"textDocument": td(&path), "position": pos_of(&text, "Diplomatie", 0, 2)}),
    );
    let resp = c.wait_response(id);
    let msg = resp["error"]["message"].as_str().expect("an error");
    assert!(msg.contains("«Diplomatie» is not a name"), "{msg}");
    c.shutdown();
}

// ---------------------------------------------------------------- symbols, tokens, lenses

#[test]
fn workspace_symbols_are_fuzzy_and_typed() {
    let mut c = started(&seeds());
    for q in ["stolt", "Stoltenburg", "jstb"] {
        let r = c.request("workspace/symbol", json!({"query": q}));
        let hit = r
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"].as_str().unwrap().contains("Stoltenberg"))
            .unwrap_or_else(|| panic!("{q}: {r}"));
        assert_eq!(hit["kind"], 5, "person = Class");
    }
    let r = c.request("workspace/symbol", json!({"query": "Belarus"}));
    assert_eq!(r[0]["name"], "Belarus");
    assert_eq!(r[0]["kind"], 3, "place = Namespace");
    assert!(r[0]["location"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("gazette.toml"));
    c.shutdown();
}

#[test]
fn document_symbols_group_entities_by_kind() {
    let (mut c, path, text) = seed_open("004");
    let r = doc_request(&mut c, "textDocument/documentSymbol", &path);
    let groups = r.as_array().unwrap();
    let persons = groups
        .iter()
        .find(|g| g["name"] == "Personen")
        .expect("persons");
    let st = persons["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().unwrap().contains("Stoltenberg"))
        .expect("Stoltenberg");
    assert!(range_text(&text, &st["selectionRange"]).contains("Stoltenberg"));
    c.shutdown();
}

#[test]
fn semantic_tokens_full_and_range() {
    let mut c = Client::spawn();
    let init = c.initialize(&seeds(), &["utf-16"]);
    c.wait_indexed();
    let legend = &init["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"];
    for t in ["person", "place", "organization", "figure"] {
        assert!(legend.as_array().unwrap().contains(&json!(t)), "{legend}");
    }
    let path = seed("004");
    let text = c.open(&path);
    let full = doc_request(&mut c, "textDocument/semanticTokens/full", &path);
    let data: Vec<u64> = full["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert!(data.len() >= 5 && data.len() % 5 == 0);
    // Decode and check that every person token covers a name from the text.
    let lines: Vec<&str> = text.split('\n').collect();
    let (mut line, mut ch) = (0usize, 0usize);
    let mut persons = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            line += t[0] as usize;
            ch = t[1] as usize;
        } else {
            ch += t[1] as usize;
        }
        let units: Vec<u16> = lines[line].encode_utf16().collect();
        let s = String::from_utf16(&units[ch..ch + t[2] as usize]).unwrap();
        if t[3] == 0 {
            persons.push(s);
        }
    }
    assert!(
        persons.iter().any(|s| s.contains("Stoltenberg")),
        "{persons:?}"
    );
    let range = c.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": td(&path), "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}}),
    );
    let n = range["data"].as_array().unwrap().len();
    assert!(n < data.len() && n % 5 == 0);
    c.shutdown();
}

#[test]
fn code_lens_counts_mentions_and_opens_references() {
    let mut c = started(&seeds());
    let kb = seeds().join("gazette.toml");
    c.open(&kb);
    let lenses = doc_request(&mut c, "textDocument/codeLens", &kb);
    let kb_text = std::fs::read_to_string(&kb).unwrap();
    let belarus = lenses
        .as_array()
        .unwrap()
        .iter()
        .find(|l| range_text(&kb_text, &l["range"]) == "Belarus")
        .expect("a lens on the Belarus entry");
    let cmd = &belarus["command"];
    assert_eq!(cmd["command"], "gazette.showReferences");
    let title = cmd["title"].as_str().unwrap();
    let locs = cmd["arguments"][2].as_array().unwrap();
    let articles = locs
        .iter()
        .filter(|l| !l["uri"].as_str().unwrap().ends_with("gazette.toml"))
        .count();
    assert!(
        title.starts_with(&format!("{articles} mention")),
        "{title} vs {articles}"
    );
    assert!(title.ends_with("2 articles"), "{title}");
    c.shutdown();
}

#[test]
fn inlay_hint_after_a_worded_figure() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    let text = "Die Wirtschaft wuchs um zwei Prozent, sagte der Minister.\n";
    std::fs::write(&p, text).unwrap();
    let mut c = started(dir.path());
    c.open(&p);
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": td(&p), "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}}),
    );
    let h = &hints[0];
    assert_eq!(h["label"], "⟨2 %⟩", "{hints}");
    assert_eq!(h["position"], pos_of(text, "Prozent", 0, "Prozent".len()));
    c.shutdown();
}

#[test]
fn completion_offers_names_and_the_genitive_where_asked() {
    let dir = corpus_copy(false);
    let mut c = started(dir.path());
    let p = dir.path().join("neu.txt");
    std::fs::write(&p, "").unwrap();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&p), "languageId": "plaintext", "version": 1, "text": "Trotz Put"}}),
    );
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": td(&p), "position": {"line": 0, "character": 9}}),
    );
    let labels = completion_labels(&r);
    assert_eq!(labels.first(), Some(&"Putins"), "{labels:?}");
    assert!(labels.contains(&"Putin"), "{labels:?}");
    let item = &r["items"][0];
    assert_eq!(item["textEdit"]["range"]["start"]["character"], 6);
    // Fuzzy: a typo still finds the name.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&p), "version": 2}, "contentChanges": [{"text": "Der Chef Stoltneb"}]}),
    );
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": td(&p), "position": {"line": 0, "character": 17}}),
    );
    let labels = completion_labels(&r);
    assert!(
        labels.iter().any(|l| l.contains("Stoltenberg")),
        "{labels:?}"
    );
    c.shutdown();
}

#[test]
fn document_links_for_urls() {
    let (mut c, path, text) = seed_open("000");
    let links = doc_request(&mut c, "textDocument/documentLink", &path);
    let links = links.as_array().unwrap();
    assert!(links.len() >= 2);
    for l in links {
        let target = l["target"].as_str().unwrap();
        assert!(target.starts_with("https://www.reuters.com/"), "{target}");
        assert_eq!(range_text(&text, &l["range"]), target);
    }
    let kb = seeds().join("gazette.toml");
    c.open(&kb);
    let links = doc_request(&mut c, "textDocument/documentLink", &kb);
    let targets: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert!(
        targets.contains(&"https://www.wikidata.org/wiki/Q184"),
        "{targets:?}"
    );
    assert!(
        targets
            .iter()
            .any(|t| t.starts_with("https://www.nato.int")),
        "{targets:?}"
    );
    c.shutdown();
}

// ---------------------------------------------------------------- code actions, diagnostics

fn actions(c: &mut Client, path: &Path, text: &str, needle: &str) -> Vec<Value> {
    let p = pos_of(text, needle, 0, 1);
    c.request(
        "textDocument/codeAction",
        json!({"textDocument": td(path), "range": {"start": p, "end": p}, "context": {"diagnostics": []}}),
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

#[test]
fn code_action_creates_gazette_toml_and_the_name_becomes_defined() {
    let dir = corpus_copy(false);
    let mut c = started(dir.path());
    let path = seed_in(dir.path(), "000");
    let text = c.open(&path);
    let acts = actions(&mut c, &path, &text, "Shea");
    let add = acts
        .iter()
        .find(|a| a["title"] == "Add «Jamie Shea» to gazette.toml")
        .unwrap_or_else(|| panic!("{acts:?}"));
    let ops = add["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops[0]["kind"], "create");
    let kb = dir.path().join("gazette.toml");
    assert_eq!(ops[0]["uri"], json!(uri(&kb)));
    let body = apply_edits("", ops[1]["edits"].as_array().unwrap());
    assert!(body.contains("name = \"Jamie Shea\""), "{body}");
    // The editor applies it: the file appears on disk.
    std::fs::write(&kb, &body).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&kb), "type": 1}]}),
    );
    let pos = pos_of(&text, "Shea", 0, 1);
    eventually(|| {
        let def = c.request(
            "textDocument/definition",
            json!({"textDocument": td(&path), "position": pos}),
        );
        def["uri"]
            .as_str()
            .filter(|u| u.ends_with("gazette.toml"))
            .map(|_| ())
    });
    // Now it is defined: no second "Add" action, but "Mark as not a name" appends to ignore.
    let acts = actions(&mut c, &path, &text, "Shea");
    assert!(!acts
        .iter()
        .any(|a| a["title"].as_str().unwrap().starts_with("Add «")));
    let mark = acts
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Mark «"))
        .expect("mark as not a name");
    let changes = &mark["edit"]["documentChanges"][0];
    let after = apply_edits(&body, changes["edits"].as_array().unwrap());
    assert!(after.starts_with("ignore = [\"Jamie Shea\"]"), "{after}");
    c.shutdown();
}

#[test]
fn canonical_spelling_quick_fix() {
    let (mut c, path, text) = seed_open("004");
    let acts = actions(&mut c, &path, &text, "Vladimir Putin");
    let fix = acts
        .iter()
        .find(|a| a["title"] == "Use the canonical spelling «Wladimir Putin»")
        .unwrap_or_else(|| panic!("{acts:?}"));
    assert_eq!(fix["kind"], "quickfix");
    let edits = fix["edit"]["changes"][uri(&path)].as_array().unwrap();
    let after = apply_edits(&text, edits);
    assert!(!after.contains("Vladimir Putin") && after.matches("Wladimir Putin").count() == 2);
    c.shutdown();
}

#[test]
fn unknown_name_that_looks_like_a_known_one() {
    let dir = corpus_copy(false);
    let p = dir.path().join("typo.txt");
    let text =
        "Brüssel. Der Generalsekretär Jens Stoltenburg sagte am Montag, die Allianz sei bereit.\n";
    std::fs::write(&p, text).unwrap();
    let mut c = started(dir.path());
    c.open(&p);
    let d = c.wait_notification("textDocument/publishDiagnostics", |p2| {
        p2["uri"] == json!(uri(&p))
    });
    let diags = d["params"]["diagnostics"].as_array().unwrap();
    let u = diags
        .iter()
        .find(|d| d["code"] == "unknown-name")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert!(
        u["message"]
            .as_str()
            .unwrap()
            .contains("«Jens Stoltenberg»"),
        "{u}"
    );
    let acts = actions(&mut c, &p, text, "Stoltenburg");
    assert!(
        acts.iter()
            .any(|a| a["title"] == "Change to «Jens Stoltenberg»"),
        "{acts:?}"
    );
    c.shutdown();
}

#[test]
fn diagnostics_are_configurable_and_bad_settings_are_shown() {
    let mut c = started(&seeds());
    let path = seed("004");
    c.open(&path);
    let has_variant = |p: &Value| {
        p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "name-variant")
    };
    c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == json!(uri(&path)) && has_variant(p)
    });
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gazette": {"diagnostics": {"nameVariant": "off", "figureDisagreement": "warning"}}}}),
    );
    c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == json!(uri(&path)) && !has_variant(p)
    });
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gazette": {"diagnostics": {"nameVariant": "error"}}}}),
    );
    let d = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == json!(uri(&path)) && has_variant(p)
    });
    let v = d["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "name-variant")
        .unwrap()
        .clone();
    assert_eq!(v["severity"], 1);
    // A fatal configuration problem is shown, once.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"gazette": {"include": ["**/[.txt"]}}}),
    );
    let m = c.wait_notification("window/showMessage", |_| true);
    assert_eq!(m["params"]["type"], 1);
    assert!(
        m["params"]["message"].as_str().unwrap().contains("include"),
        "{m}"
    );
    c.shutdown();
}

#[test]
fn gazette_entities_request() {
    let mut c = started(&seeds());
    let all = c.request("gazette/entities", json!({}));
    let list = all["entities"].as_array().unwrap();
    assert!(list.len() >= 3);
    for e in list {
        assert!(e["id"].is_string() && e["name"].is_string() && e["kind"].is_string());
        for m in e["mentions"].as_array().unwrap() {
            assert!(m["uri"].as_str().unwrap().starts_with("file://"));
            assert!(m["range"]["start"]["line"].is_u64());
        }
    }
    let q = c.request("gazette/entities", json!({"query": "stoltenb"}));
    let q = q["entities"].as_array().unwrap();
    assert!(!q.is_empty() && q.len() < list.len());
    assert!(q[0]["name"].as_str().unwrap().contains("Stoltenberg"));
    c.shutdown();
}

#[test]
fn gazette_graph_request() {
    let mut c = started(&seeds());
    let map = c.request("gazette/graph", json!({}));
    let nodes = map["nodes"].as_array().unwrap();
    let node = |name: &str| {
        nodes
            .iter()
            .position(|n| n["name"] == name)
            .unwrap_or_else(|| panic!("no node {name}"))
    };
    let (stoltenberg, nato) = (node("Jens Stoltenberg"), node("NATO"));
    let def = &nodes[stoltenberg]["definition"];
    assert!(def["uri"].as_str().unwrap().starts_with("file://"), "{def}");
    assert!(def["range"]["start"]["line"].is_u64(), "{def}");
    // The knowledge base defines the NATO.
    assert!(
        nodes[nato]["definition"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("gazette.toml"),
        "{}",
        nodes[nato]["definition"]
    );
    assert!(nodes[stoltenberg]["card"]
        .as_str()
        .unwrap()
        .contains("Jens Stoltenberg"));
    assert!(nodes[stoltenberg]["article_list"][0]["uri"]
        .as_str()
        .unwrap()
        .starts_with("file://"));
    let (a, b) = (stoltenberg.min(nato) as u64, stoltenberg.max(nato) as u64);
    assert!(map["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["source"] == a && e["target"] == b && e["weight"].as_u64() >= Some(3)));
    assert_eq!(
        map["buckets"],
        json!(["2022-01-20", "2022-02-16", "2022-03-16"])
    );
    // Filters: kinds, dates, top N.
    let people = c.request(
        "gazette/graph",
        json!({"kinds": ["person"], "from": "2022-02-01", "topN": 3}),
    );
    let p = people["nodes"].as_array().unwrap();
    assert!(!p.is_empty() && p.len() <= 3);
    assert!(p.iter().all(|n| n["kind"] == "person"), "{people}");
    assert_eq!(people["buckets"], json!(["2022-02-16", "2022-03-16"]));
    // Bad filters are the request's error, not the server's.
    for bad in [
        json!({"kinds": ["planet"]}),
        json!({"from": "2022-02-30"}),
        json!({"from": "2022-03-01", "to": "2022-02-01"}),
        json!({"topN": "many"}),
    ] {
        let r = c.request_full("gazette/graph", bad.clone());
        assert_eq!(r["error"]["code"], -32602, "{bad}: {r}");
    }
    c.shutdown();
}

// ---------------------------------------------------------------- snapshots

/// Replaces every `uri` by its file name (paths differ between checkouts).
fn strip_uris(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == "uri" {
                    if let Some(s) = x.as_str() {
                        *x = json!(file_name(s));
                    }
                } else {
                    strip_uris(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_uris),
        _ => {}
    }
}

#[test]
fn hover_and_diagnostics_snapshots() {
    let (mut c, p0, t0) = seed_open("000");
    let md = hover_md(&mut c, &p0, pos_of(&t0, "Weißrussland", 0, 2)).unwrap();
    insta::assert_snapshot!("hover_weissrussland", md);
    let kb = seeds().join("gazette.toml");
    let kb_text = c.open(&kb);
    let md = hover_md(&mut c, &kb, pos_of(&kb_text, "NATO", 0, 1)).unwrap();
    insta::assert_snapshot!("hover_kb_entry_nato", md);
    let p4 = seed("004");
    c.open(&p4);
    let mut d = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == json!(uri(&p4))
    });
    strip_uris(&mut d);
    // The first publish for 004 is either the background one for every
    // article (no version) or, when the machine is busy and that one came
    // before the open, the one for the opened document (version 1): the
    // snapshot is about the diagnostics, not which of the two came first.
    if let Some(params) = d["params"].as_object_mut() {
        params.remove("version");
    }
    insta::assert_json_snapshot!("diagnostics_004", d["params"]);
    c.shutdown();
}

#[test]
fn kb_settings_select_files_and_levels() {
    let dir = corpus_copy(false);
    let kb = dir.path().join("gazette.toml");
    std::fs::write(&kb, STOLTENBERG_KB).unwrap();
    let mut c = started(dir.path());
    let in_000 = |c: &mut Client| {
        let all = c.request("gazette/entities", json!({}));
        all["entities"].as_array().unwrap().iter().any(|e| {
            e["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["uri"].as_str().unwrap().contains("/000_"))
        })
    };
    assert!(in_000(&mut c));
    c.open(&kb);
    let with_settings = format!(
        "{STOLTENBERG_KB}\n[settings]\nexclude = [\"000_*\"]\n\n[settings.diagnostics]\nkb = \"off\"\n"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&kb), "version": 2}, "contentChanges": [{"text": with_settings}]}),
    );
    eventually(|| (!in_000(&mut c)).then_some(()));
    // KB diagnostics are off now: a bad kind publishes nothing for the file.
    let bad = with_settings.replace("kind = \"person\"", "kind = \"human\"");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&kb), "version": 3}, "contentChanges": [{"text": bad}]}),
    );
    let probe = c.request("gazette/entities", json!({"query": "Stoltenberg"}));
    assert!(probe["entities"].is_array());
    assert!(!c.notifications.iter().any(|n| {
        n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == json!(uri(&kb))
    }));
    c.shutdown();
}

/// Every surface request answers on a generated corpus of 400 articles
/// (the reproducible `gazette bench-corpus` material), each well within a
/// few seconds even in a debug build; the times are printed
/// (`--nocapture`). Latency itself is measured in `cargo bench --bench
/// scale` and `--bench queries`.
#[test]
fn surface_requests_answer_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    gazette_core::benchgen::generate(&root, 400, 1).unwrap();
    let t = Instant::now();
    let mut c = started(&root);
    eprintln!("indexed in {:.1} s", t.elapsed().as_secs_f64());
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "txt") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 400, "{} files generated", files.len());
    let path = files[files.len() / 2].clone();
    let text = c.open(&path);
    let end = utf16_pos(&text, text.len());
    let time = |c: &mut Client, what: &str, method: &str, params: Value| {
        let t = Instant::now();
        let r = c.request(method, params);
        let took = t.elapsed();
        eprintln!("{what}: {:.1} ms", took.as_secs_f64() * 1e3);
        assert!(took < Duration::from_secs(5), "{what} took {took:?}");
        r
    };
    time(
        &mut c,
        "semanticTokens/full",
        "textDocument/semanticTokens/full",
        json!({"textDocument": td(&path)}),
    );
    time(
        &mut c,
        "codeLens",
        "textDocument/codeLens",
        json!({"textDocument": td(&path)}),
    );
    time(
        &mut c,
        "documentSymbol",
        "textDocument/documentSymbol",
        json!({"textDocument": td(&path)}),
    );
    time(
        &mut c,
        "workspace/symbol",
        "workspace/symbol",
        json!({"query": "mer"}),
    );
    time(
        &mut c,
        "completion",
        "textDocument/completion",
        json!({"textDocument": td(&path), "position": {"line": 0, "character": 3}}),
    );
    time(
        &mut c,
        "inlayHint",
        "textDocument/inlayHint",
        json!({"textDocument": td(&path), "range": {"start": {"line": 0, "character": 0}, "end": {"line": end.0, "character": end.1}}}),
    );
    time(
        &mut c,
        "codeAction",
        "textDocument/codeAction",
        json!({"textDocument": td(&path), "range": {"start": {"line": 0, "character": 1}, "end": {"line": 0, "character": 1}}, "context": {"diagnostics": []}}),
    );
    let ents = time(&mut c, "gazette/entities", "gazette/entities", json!({}));
    eprintln!("{} entities", ents["entities"].as_array().unwrap().len());
    c.shutdown();
}

#[test]
fn canonical_spelling_everywhere_in_the_corpus() {
    let dir = corpus_copy(false);
    let extra = dir.path().join("extra.txt");
    std::fs::write(
        &extra,
        "Moskau. Der russische Präsident Vladimir Putin sagte am Montag nichts.\n",
    )
    .unwrap();
    let mut c = started(dir.path());
    let path = seed_in(dir.path(), "004");
    let text = c.open(&path);
    let acts = actions(&mut c, &path, &text, "Vladimir Putin");
    let all = acts
        .iter()
        .find(|a| a["title"] == "Use «Wladimir Putin» everywhere in the corpus (2×)")
        .unwrap_or_else(|| panic!("{acts:?}"));
    let changes = all["edit"]["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2);
    let e = changes[&uri(&extra)].as_array().unwrap();
    let after = apply_edits(&std::fs::read_to_string(&extra).unwrap(), e);
    assert!(after.contains("Präsident Wladimir Putin sagte"), "{after}");
    c.shutdown();
}
