//! The fuzz targets on stable Rust (issue 7): the bodies in
//! `fuzz/harness.rs` (shared with `cargo fuzz`) driven by proptest inputs,
//! plus a replay of every committed crash under `fuzz/regressions/`.

#[path = "../fuzz/harness.rs"]
mod harness;

use proptest::prelude::*;
use serde_json::json;
use std::path::PathBuf;

fn seed_texts() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    v.sort();
    v
}

/// Text fragments that stress tokenizer, recognizer and positions.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("NATO".to_string()),
        Just("Wladimir Putin".to_string()),
        Just("Putins".to_string()),
        Just("100.000".to_string()),
        Just("2,5 Prozent".to_string()),
        Just("„".to_string()),
        Just("“".to_string()),
        Just("😀".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{feff}".to_string()),
        Just("-".to_string()),
        Just("https://x.de/a?b=c".to_string()),
        Just(" ".to_string()),
        "[A-ZÄÖÜa-zäöüß0-9.,;:!?()'\"-]{1,12}",
        any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..80).prop_map(|v| v.concat())
}

/// `bytes` with the byte at each index set to its value (none when empty).
fn flip(bytes: &mut [u8], flips: Vec<(prop::sample::Index, u8)>) {
    for (i, b) in flips {
        if !bytes.is_empty() {
            let i = i.index(bytes.len());
            bytes[i] = b;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn analyze_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..2000)) {
        harness::analyze_bytes(&data);
    }

    #[test]
    fn analyze_generated_text(t in text()) {
        harness::analyze_bytes(t.as_bytes());
    }

    #[test]
    fn analyze_mutated_articles(
        which in 0usize..5,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let seeds = seed_texts();
        let mut bytes = seeds[which % seeds.len()].clone().into_bytes();
        bytes.truncate(cut.index(bytes.len() + 1).max(bytes.len() / 2));
        flip(&mut bytes, flips);
        harness::analyze_bytes(&bytes);
    }

    #[test]
    fn config_arbitrary(t in "[a-z_=\\[\\]\"'. \n0-9{},#-]{0,200}") {
        harness::config(t.as_bytes());
    }

    /// Well-formed files whose names and aliases are short and odd: one
    /// letter ("e" once panicked the inflection code), empty, blank,
    /// multi-byte, control characters, function words; written as basic
    /// strings with escapes or as literal strings.
    #[test]
    fn config_generated_entries(
        entries in proptest::collection::vec(
            (surface(), proptest::collection::vec(surface(), 0..4), 0usize..4),
            0..6,
        ),
        ignore in proptest::collection::vec(surface(), 0..3),
        exclude in proptest::collection::vec("[a-z*{}\\[\\]!/.]{0,6}", 0..3),
    ) {
        harness::config(generated_kb(&entries, &ignore, &exclude).as_bytes());
    }
}

/// A name or alias for generated knowledge bases.
fn surface() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_string()),
        Just("\u{0}".to_string()),
        Just("\n".to_string()),
        Just("und".to_string()),
        Just("Europa".to_string()),
        Just("Wladimir Putin".to_string()),
        "[a-zA-ZäöüÄÖÜßéE'\" -]{1,3}",
        "[a-zäöüß]{1,3}e?",
        any::<char>().prop_map(String::from),
        proptest::collection::vec(any::<char>(), 0..4).prop_map(|v| v.into_iter().collect()),
    ]
}

/// TOML string literal for `s`, in one of several spellings.
fn literal(s: &str, style: usize) -> String {
    match style {
        // Every character escaped.
        0 => {
            let mut out = String::from("\"");
            for c in s.chars() {
                out.push_str(&format!("\\U{:08X}", c as u32));
            }
            out.push('"');
            out
        }
        // A literal string where possible.
        1 if !s.contains(['\'', '\n', '\r']) && !s.chars().any(char::is_control) => {
            format!("'{s}'")
        }
        _ => gazette_core::kb::quote(s),
    }
}

fn generated_kb(
    entries: &[(String, Vec<String>, usize)],
    ignore: &[String],
    exclude: &[String],
) -> String {
    let kinds = ["person", "place", "org", "other"];
    let mut t = String::new();
    let list = |v: &[String], style: usize| {
        v.iter()
            .map(|a| literal(a, style))
            .collect::<Vec<_>>()
            .join(", ")
    };
    t.push_str(&format!("ignore = [{}]\n", list(ignore, 2)));
    for (i, (name, aliases, style)) in entries.iter().enumerate() {
        t.push_str(&format!(
            "[[entity]]\nname = {}\nkind = \"{}\"\naliases = [{}]\n",
            literal(name, *style),
            kinds[i % 4],
            list(aliases, (style + i) % 3)
        ));
    }
    t.push_str(&format!("[settings]\nexclude = [{}]\n", list(exclude, 2)));
    t
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut v = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    v.extend_from_slice(body);
    v
}

fn pos() -> impl Strategy<Value = serde_json::Value> {
    let n = prop_oneof![0u64..5, 0u64..200, Just(u32::MAX as u64), Just(u64::MAX)];
    (n.clone(), n).prop_map(|(l, c)| json!({"line": l, "character": c}))
}

/// One client message, well-formed or not.
fn message() -> impl Strategy<Value = Vec<u8>> {
    let doc = prop_oneof![
        Just("file:///fuzz/a.txt"),
        Just("file:///fuzz/b.txt"),
        Just("untitled:x")
    ];
    prop_oneof![
        (
            0i64..1000,
            prop_oneof![
                Just("utf-8"),
                Just("utf-16"),
                Just("utf-32"),
                Just("latin1")
            ]
        )
            .prop_map(|(id, e)| frame(
                json!({"jsonrpc": "2.0", "id": id, "method": "initialize",
                "params": {"capabilities": {"general": {"positionEncodings": [e]}}}})
                .to_string()
                .as_bytes()
            )),
        Just(frame(
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#
        )),
        (doc.clone(), text(), -2i64..5).prop_map(|(u, t, v)| frame(
            json!({"jsonrpc": "2.0",
            "method": "textDocument/didOpen", "params": {"textDocument": {"uri": u,
            "languageId": "plaintext", "version": v, "text": t}}})
            .to_string()
            .as_bytes()
        )),
        (doc.clone(), pos(), pos(), text(), -2i64..50).prop_map(|(u, a, b, t, v)| frame(
            json!({
            "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": u, "version": v},
            "contentChanges": [{"range": {"start": a, "end": b}, "text": t}]}})
            .to_string()
            .as_bytes()
        )),
        (
            doc.clone(),
            0i64..1000,
            pos(),
            prop_oneof![
                Just("textDocument/hover"),
                Just("textDocument/definition"),
                Just("textDocument/documentHighlight"),
                Just("textDocument/references"),
                Just("gazette/documentText"),
                Just("no/such")
            ]
        )
            .prop_map(|(u, id, p, m)| frame(
                json!({"jsonrpc": "2.0", "id": id, "method": m,
                "params": {"textDocument": {"uri": u}, "uri": u, "position": p,
                "context": {"includeDeclaration": true}}})
                .to_string()
                .as_bytes()
            )),
        doc.prop_map(|u| frame(
            json!({"jsonrpc": "2.0", "method": "textDocument/didClose",
            "params": {"textDocument": {"uri": u}}})
            .to_string()
            .as_bytes()
        )),
        (0i64..1000).prop_map(|id| frame(
            json!({"jsonrpc": "2.0", "method": "$/cancelRequest",
            "params": {"id": id}})
            .to_string()
            .as_bytes()
        )),
        Just(frame(br#"{"jsonrpc":"2.0","id":999,"method":"shutdown"}"#)),
        Just(frame(br#"{"jsonrpc":"2.0","method":"exit"}"#)),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(|b| frame(&b)),
        proptest::collection::vec(any::<u8>(), 0..64),
        (0usize..100, proptest::collection::vec(any::<u8>(), 0..64)).prop_map(|(n, b)| {
            let mut v = format!("Content-Length: {n}\r\n\r\n").into_bytes();
            v.extend(b);
            v
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn lsp_sessions_of_arbitrary_messages(
        msgs in proptest::collection::vec(message(), 0..24),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
    ) {
        let mut bytes = msgs.concat();
        flip(&mut bytes, flips);
        harness::lsp_session(&bytes);
    }

    #[test]
    fn lsp_sessions_of_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        harness::lsp_session(&data);
    }
}

/// Every crash input committed under fuzz/regressions/<target>/ still passes.
#[test]
fn fuzz_regressions_replay() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut n = 0;
    for (target, run) in [
        ("analyze", harness::analyze_bytes as fn(&[u8])),
        ("lsp_session", harness::lsp_session),
        ("config", harness::config),
    ] {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = dir.map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            if f.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let data = std::fs::read(&f).unwrap();
            run(&data);
            n += 1;
        }
    }
    assert!(n > 0, "no regression inputs found");
}
