//! Issue 2's checks, through the real binary over stdio.

mod common;
use common::*;
use serde_json::json;
use std::collections::BTreeSet;

#[test]
fn hover_on_stoltenberg_names_him_and_his_four_articles() {
    let (mut c, path, text) = seed_open("003");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&path)}, "position": pos_of(&text, "Stoltenberg", 1, 2)}),
    );
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("Jens Stoltenberg"), "{md}");
    assert!(md.contains("person"), "{md}");
    for f in ["001_", "002_", "003_", "004_"] {
        assert!(md.contains(f), "article {f} missing from hover card:\n{md}");
    }
    assert!(md.contains("in 4 articles"), "{md}");
    c.shutdown();
}

#[test]
fn definition_from_surname_jumps_to_full_name() {
    let (mut c, path, text) = seed_open("004");
    // The last bare "Stoltenberg" of the article.
    let n = text.matches("Stoltenberg").count();
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri(&path)}, "position": pos_of(&text, "Stoltenberg", n - 1, 1)}),
    );
    let r = &def["range"];
    assert_eq!(r["start"]["line"], r["end"]["line"]);
    let name = location_text(&def);
    assert_eq!(
        name,
        "Jens Stoltenberg",
        "definition lands on {name:?} in {}",
        file_of(&def)
    );
    c.shutdown();
}

#[test]
fn references_on_putin_cover_all_five_articles_and_variants() {
    let (mut c, path, text) = seed_open("002");
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&path)}, "position": pos_of(&text, "Putin", 0, 1),
               "context": {"includeDeclaration": true}}),
    );
    let refs = refs.as_array().unwrap();
    let files: BTreeSet<String> = refs.iter().map(file_of).collect();
    assert_eq!(files.len(), 5, "{files:?}");
    let surfaces: BTreeSet<String> = refs.iter().map(location_text).collect();
    assert!(surfaces.contains("Putins"), "{surfaces:?}");
    assert!(surfaces.contains("Vladimir Putin"), "{surfaces:?}");
    // includeDeclaration=false leaves exactly the definition out.
    let without = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&path)}, "position": pos_of(&text, "Putin", 0, 1),
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(without.as_array().unwrap().len() + 1, refs.len());
    c.shutdown();
}

/// `$/progress` partial results for `token`, in the order they arrived.
fn partial_results(c: &mut Client, token: serde_json::Value) -> Vec<Vec<serde_json::Value>> {
    let mut batches = Vec::new();
    while let Some(i) = c
        .notifications
        .iter()
        .position(|n| n["method"] == "$/progress" && n["params"]["token"] == token)
    {
        let n = c.notifications.remove(i);
        batches.push(n["params"]["value"].as_array().unwrap().clone());
    }
    batches
}

#[test]
fn references_with_a_partial_result_token_arrive_as_partial_results_first() {
    let (mut c, path, text) = seed_open("002");
    let params = |token: Option<&str>| {
        let mut p = json!({"textDocument": {"uri": uri(&path)}, "position": pos_of(&text, "Putin", 0, 1),
                           "context": {"includeDeclaration": true}});
        if let Some(t) = token {
            p["partialResultToken"] = json!(t);
        }
        p
    };
    let whole = c.request("textDocument/references", params(None));
    let last = c.request("textDocument/references", params(Some("refs-1")));
    // Every partial result is read before the response; the response is
    // empty, as the specification asks once partial results were sent.
    assert_eq!(last, json!([]));
    let batches = partial_results(&mut c, json!("refs-1"));
    assert_eq!(batches.len(), 1, "{batches:?}");
    assert_eq!(json!(batches.concat()), whole);
    c.shutdown();
}

#[test]
fn many_references_come_as_a_first_batch_of_a_thousand_then_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = "Die Konferenz in Hamburg tagte, und Hamburg blieb ruhig.\n";
    for i in 0..40 {
        std::fs::write(dir.path().join(format!("a{i:02}.txt")), sentence.repeat(30)).unwrap();
    }
    let mut c = started(dir.path());
    let path = dir.path().join("a00.txt");
    let text = c.open(&path);
    let params = json!({"textDocument": {"uri": uri(&path)}, "position": pos_of(&text, "Hamburg", 0, 1),
                        "context": {"includeDeclaration": true}, "partialResultToken": 7});
    let whole = c.request(
        "textDocument/references",
        json!({"textDocument": params["textDocument"], "position": params["position"],
               "context": params["context"]}),
    );
    assert_eq!(whole.as_array().unwrap().len(), 2400);
    let last = c.request("textDocument/references", params);
    assert_eq!(last, json!([]));
    let batches = partial_results(&mut c, json!(7));
    let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
    assert_eq!(sizes, [1000, 1400]);
    assert_eq!(json!(batches.concat()), whole);
    c.shutdown();
}

#[test]
fn vladimir_variant_gets_a_diagnostic() {
    let (mut c, path, text) = seed_open("004");
    let u = uri(&path);
    let diags = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == u.as_str()
    });
    let list = diags["params"]["diagnostics"].as_array().unwrap().clone();
    let want = pos_of(&text, "Vladimir Putin", 0, 0);
    let d = list
        .iter()
        .find(|d| d["range"]["start"] == want && d["code"] == "name-variant")
        .unwrap_or_else(|| panic!("no name-variant diagnostic at {want}: {list:#?}"));
    assert!(
        d["message"].as_str().unwrap().contains("Wladimir Putin"),
        "{d}"
    );
    assert_eq!(d["severity"], 3, "information");
    c.shutdown();
}

#[test]
fn utf16_ranges_on_a_multibyte_line() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "Die „Außenminister“ der Länder trafen NATO-Generalsekretär Jens Stoltenberg in Brüssel.\n";
    let path = dir.path().join("a.txt");
    std::fs::write(&path, text).unwrap();
    let mut c = started(dir.path());
    c.open(&path);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&path)}, "position": pos_of(text, "NATO", 0, 1)}),
    );
    let off = text.find("NATO").unwrap();
    let (_, ch) = utf16_pos(text, off);
    assert_eq!(
        hover["range"]["start"]["character"].as_u64().unwrap() as u32,
        ch,
        "{hover}"
    );
    assert_eq!(
        hover["range"]["end"]["character"].as_u64().unwrap() as u32,
        ch + 4,
        "{hover}"
    );
    // Byte offset and UTF-16 column differ on this line (umlauts, „“).
    assert_ne!(off as u32, ch);
    c.shutdown();
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let mut c = Client::spawn();
    let init = c.initialize(&seeds(), &["utf-8", "utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    c.shutdown();
    let mut c = Client::spawn();
    let init = c.initialize(&seeds(), &[]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    c.shutdown();
}

#[test]
fn a_thousand_rapid_incremental_edits_keep_text_in_sync() {
    let (mut c, path, mut text) = seed_open("000");
    let u = uri(&path);
    let mut rng = Lcg(7);
    let inserts = ["ä", "„Zitat“", "NATO ", "\n", "Putins ", "😀", "x", ""];
    for version in 2..1002 {
        // Pick a random char range of the current text (in chars, then to UTF-16 positions).
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let a = (rng.next() as usize) % (chars.len() + 1);
        let len = (rng.next() as usize) % 6;
        let b = (a + len).min(chars.len());
        let off = |i: usize| {
            if i < chars.len() {
                chars[i].0
            } else {
                text.len()
            }
        };
        let (sa, sb) = (off(a), off(b));
        let (l1, c1) = utf16_pos(&text, sa);
        let (l2, c2) = utf16_pos(&text, sb);
        let ins = inserts[(rng.next() as usize) % inserts.len()];
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version},
                   "contentChanges": [{"range": {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}, "text": ins}]}),
        );
        text.replace_range(sa..sb, ins);
        // Interleave reads that might overtake the edits if ordering were broken.
        if version % 97 == 0 {
            let _ = c.request_async(
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 3}}),
            );
        }
    }
    let server = c.request("gazette/documentText", json!({"uri": u}));
    assert_eq!(server["version"], 1001);
    assert!(
        server["text"].as_str().unwrap() == text,
        "server text differs from the client's"
    );
    c.shutdown();
}
