//! Incremental text sync under hostile edits (issue 7): CRLF, lone CR and
//! LF mixed, edits that join or split "\r\n", surrogate pairs, ranges past
//! the end of a line or of the document, reversed ranges, whole-document
//! replacements, several changes per notification. The client keeps its own
//! model of the text, converting positions by the LSP rules (lines end at
//! "\r\n", "\r" or "\n"; a character past the line end means the line end; a
//! line past the end means the document end), and the server's copy must
//! equal it after every batch.

mod common;
use common::*;
use serde_json::{json, Value};

const INSERTS: &[&str] = &[
    "",
    "x",
    "\r\n",
    "\r",
    "\n",
    "\r\r\n\n",
    "ä",
    "😀",
    "„NATO“ ",
    "Wladimir Putin ",
    " ",
    "NATO\r\nNATO",
    "\u{0}",
];

/// A random position: usually inside the text, sometimes past a line's end,
/// past the last line, or at u32::MAX.
fn random_pos(rng: &mut Lcg, text: &str) -> (u32, u32) {
    let ls = lines(text);
    match rng.below(20) {
        0 => (ls.len() as u32 + rng.below(3) as u32, rng.below(5) as u32),
        1 => (rng.below(ls.len() as u64) as u32, u32::MAX),
        2 => (u32::MAX, u32::MAX),
        _ => {
            let l = rng.below(ls.len() as u64) as usize;
            let (s, e) = ls[l];
            let len16: usize = text[s..e].chars().map(char::len_utf16).sum();
            (l as u32, rng.below(len16 as u64 + 3) as u32)
        }
    }
}

fn run_session(seed: u64, edits: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.txt");
    let initial = "Die NATO tagte.\r\nWladimir Putin\rsprach 😀 lange.\nEnde\r\n";
    std::fs::write(&path, initial).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut c = started(dir.path());
    let u = uri(&path);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "plaintext", "version": 1, "text": initial}}),
    );
    let mut text = initial.to_string();
    let mut rng = Lcg(seed);
    let mut version = 1;
    let mut done = 0;
    while done < edits {
        version += 1;
        let n_changes = 1 + rng.below(3) as usize;
        let mut changes = Vec::new();
        for _ in 0..n_changes {
            if rng.below(40) == 0 {
                // Whole-document replacement.
                let t = format!(
                    "Neu\r\n{}",
                    INSERTS[rng.below(INSERTS.len() as u64) as usize]
                );
                changes.push(json!({"text": t}));
                text = t;
            } else {
                let (l1, c1) = random_pos(&mut rng, &text);
                let (l2, c2) = if rng.below(4) == 0 {
                    (l1, c1)
                } else {
                    random_pos(&mut rng, &text)
                };
                let ins = INSERTS[rng.below(INSERTS.len() as u64) as usize];
                let (a, b) = (utf16_offset(&text, l1, c1), utf16_offset(&text, l2, c2));
                let (a, b) = (a.min(b), a.max(b));
                text.replace_range(a..b, ins);
                changes.push(json!({"range": {"start": {"line": l1, "character": c1},
                                               "end": {"line": l2, "character": c2}},
                                    "text": ins}));
            }
            done += 1;
        }
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version}, "contentChanges": changes}),
        );
        if version % 25 == 0 {
            let got = c.request("gazette/documentText", json!({"uri": u}));
            assert_eq!(got["version"], version);
            assert!(
                got["text"].as_str() == Some(text.as_str()),
                "seed {seed}, version {version}: server text differs\nserver: {:?}\nclient: {:?}",
                got["text"],
                text
            );
        }
    }
    // Positions agree after all that: add a known name at the end and hover it.
    let end = utf16_pos(&text, text.len());
    let tail = "\r\nDie NATO tagte.\r\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": version + 1},
               "contentChanges": [{"range": {"start": {"line": end.0, "character": end.1},
                                             "end": {"line": end.0, "character": end.1}}, "text": tail}]}),
    );
    text.push_str(tail);
    let at = text.len() - "NATO tagte.\r\n".len();
    let (l, ch) = utf16_pos(&text, at);
    let hover: Value = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": l, "character": ch + 1}}),
    );
    assert_eq!(
        hover["range"]["start"],
        json!({"line": l, "character": ch}),
        "{hover}"
    );
    let got = c.request("gazette/documentText", json!({"uri": u}));
    assert!(got["text"].as_str() == Some(text.as_str()));
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": u}}));
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    assert_eq!(c.shutdown(), 0);
    // The server never writes the user's document.
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn client_model_follows_the_lsp_rules() {
    let t = "a\r\nb\rc\nd";
    assert_eq!(lines(t), vec![(0, 1), (3, 4), (5, 6), (7, 8)]);
    assert_eq!(utf16_offset(t, 0, 9), 1);
    assert_eq!(utf16_offset(t, 9, 0), t.len());
    assert_eq!(utf16_offset("x😀y", 0, 2), 1);
    assert_eq!(utf16_pos(t, 5), (2, 0));
}

#[test]
fn mixed_line_endings_under_random_incremental_edits_stay_in_sync() {
    for seed in [1, 2, 3] {
        run_session(seed, 500);
    }
}
