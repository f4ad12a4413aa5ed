//! The fuzz targets on stable Rust (issue 7): the bodies in
//! `fuzz/harness.rs` (shared with `cargo fuzz`) driven by proptest inputs,
//! plus a replay of every committed crash under `fuzz/regressions/`.

#[path = "../fuzz/harness.rs"]
mod harness;

use proptest::prelude::*;
use serde_json::json;
use std::path::PathBuf;

/// The system allocator, refusing any one allocation over 1 GiB: what a
/// damaged length in an input claims (2^40 entries, a string of 2^50
/// bytes) then aborts this test ("memory allocation of … bytes failed")
/// instead of being granted by an overcommitting kernel. Nothing these
/// tests do needs a tenth of it at once.
struct Bounded;

const MAX_ONE_ALLOCATION: usize = 1 << 30;

unsafe impl std::alloc::GlobalAlloc for Bounded {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        if l.size() > MAX_ONE_ALLOCATION {
            return std::ptr::null_mut();
        }
        unsafe { std::alloc::System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: std::alloc::Layout) -> *mut u8 {
        if l.size() > MAX_ONE_ALLOCATION {
            return std::ptr::null_mut();
        }
        unsafe { std::alloc::System.alloc_zeroed(l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, size: usize) -> *mut u8 {
        if size > MAX_ONE_ALLOCATION {
            return std::ptr::null_mut();
        }
        unsafe { std::alloc::System.realloc(p, l, size) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(p, l) }
    }
}

#[global_allocator]
static ALLOCATOR: Bounded = Bounded;

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

/// A valid index of `texts` (as `cache::save` writes it for the `index`
/// target's root), without this build's header: the `index` target's
/// input for it is a 0 byte and these blocks.
fn index_blocks(texts: &[String]) -> Vec<u8> {
    use gazette_core::cache::FileStamp;
    let analyses: Vec<_> = texts
        .iter()
        .map(|t| gazette_core::analysis::analyze(t, &Default::default()))
        .collect();
    let stamp = FileStamp {
        size: 1,
        mtime_ns: 2,
        ctime_ns: Some(3),
        dev: 4,
        ino: 5,
        hash: 6,
        seen_ns: 7,
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("index.bin");
    let paths: Vec<PathBuf> = (0..texts.len())
        .map(|i| PathBuf::from(format!("{}/{i}.txt", harness::INDEX_ROOT)))
        .collect();
    gazette_core::cache::save(
        &file,
        std::path::Path::new(harness::INDEX_ROOT),
        harness::INDEX_OVERRIDES,
        paths
            .iter()
            .zip(&analyses)
            .map(|(p, a)| (p.as_path(), stamp, a)),
    )
    .unwrap();
    let bytes = std::fs::read(file).unwrap();
    let header = harness::index_header();
    assert_eq!(&bytes[..header.len()], header);
    bytes[header.len()..].to_vec()
}

/// A line of the annotation store, well-formed or not.
fn store_line() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        Just("person"),
        Just("place"),
        Just("organisation"),
        Just("other"),
        Just("not-a-name"),
        Just("human"),
    ];
    let status = prop_oneof![
        Just("added"),
        Just("corrected"),
        Just("confirmed"),
        Just("x")
    ];
    let path = prop_oneof![
        Just("a.txt".to_string()),
        Just("sub/b.txt".to_string()),
        Just("../c.txt".to_string()),
        Just("/abs.txt".to_string()),
        Just(String::new()),
        "[a-z/.ä]{1,6}",
    ];
    let exact = prop_oneof![
        Just("Maria".to_string()),
        Just("Washington".to_string()),
        Just("Müller".to_string()),
        Just("😀".to_string()),
        Just(String::new()),
        fragment(),
    ];
    let n = prop_oneof![0u64..120, Just(u32::MAX as u64), Just(u64::MAX)];
    prop_oneof![
        4 => (path, n.clone(), n, exact, fragment(), fragment(), label, status,
            proptest::option::of(surface()), 0usize..4)
            .prop_map(|(p, s, e, x, pre, suf, l, st, ent, shape)| {
                // Mostly `end` as long as `exact` from `start`.
                let e = if shape > 0 { s.saturating_add(x.len() as u64) } else { e };
                let mut v = json!({"path": p, "start": s, "end": e, "exact": x,
                    "prefix": pre, "suffix": suf, "label": l, "status": st});
                if let Some(ent) = ent {
                    v["entity"] = json!(ent);
                }
                if shape == 3 {
                    v["extra"] = json!(1);
                }
                v.to_string()
            }),
        1 => r#"[{}\\\[\]":,a-z0-9 ]{0,40}"#,
        1 => Just(String::new()),
    ]
}

/// An article's text and a file of `format` (by its index in
/// `Format::ALL`), as the `import` target takes them.
fn import_input(format: usize, text: &str, file: &str) -> Vec<u8> {
    let mut v = vec![format as u8];
    v.extend_from_slice(text.as_bytes());
    v.push(0);
    v.extend_from_slice(file.as_bytes());
    v
}

/// Spans of `text` for generated imports: (start, end) as fractions of it
/// (not always on character boundaries or in order, which the renderers
/// are never given; the parsers are).
fn import_file(format: usize, text: &str, spans: &[(usize, usize, usize, bool)]) -> String {
    use gazette_core::annotations::formats::{self, Doc, DocSpan, Format};
    use gazette_core::model::EntityKind;
    let kinds = [
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Org,
        EntityKind::Other,
    ];
    let cut = |f: usize| {
        let mut at = f % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut ds: Vec<DocSpan> = Vec::new();
    for &(a, b, k, ent) in spans {
        let (a, b) = (cut(a), cut(b));
        let (a, b) = (a.min(b), a.max(b));
        let span = gazette_core::model::Span::new(a, b);
        if a < b && !ds.iter().any(|d| d.span.overlaps(span)) {
            ds.push(DocSpan {
                span,
                kind: kinds[k % 4],
                entity: ent.then(|| text[a..b].to_string()),
            });
        }
    }
    ds.sort();
    let d = Doc {
        path: "a.txt".into(),
        text: text.to_string(),
        spans: ds,
    };
    match Format::ALL[format % 5] {
        Format::Brat => formats::render_brat(&d),
        Format::WebannoTsv => formats::render_webanno(&d),
        Format::Xmi => formats::render_xmi(&d).unwrap_or_default(),
        Format::Conll => formats::render_conll(std::slice::from_ref(&d)),
        Format::Jsonl => formats::render_jsonl(std::slice::from_ref(&d)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A valid index of a few generated articles, damaged: bytes set,
    /// cut short; or arbitrary blocks after a valid header; or an
    /// arbitrary file.
    #[test]
    fn index_of_damaged_articles(
        texts in proptest::collection::vec(text(), 1..4),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in any::<prop::sample::Index>(),
        whole in any::<bool>(),
    ) {
        let mut bytes = vec![0u8];
        bytes.extend(index_blocks(&texts));
        let keep = if whole { bytes.len() } else { cut.index(bytes.len() + 1).max(1) };
        bytes.truncate(keep);
        flip(&mut bytes[1..], flips);
        harness::index(&bytes);
    }

    #[test]
    fn index_of_arbitrary_bytes(
        mode in 0u8..2,
        magic in any::<bool>(),
        data in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = vec![mode];
        if mode == 1 && magic {
            bytes.extend(&harness::index_header()[..8]);
        }
        bytes.extend(data);
        harness::index(&bytes);
    }

    #[test]
    fn annotation_stores(
        lines in proptest::collection::vec(store_line(), 0..8),
        crlf in any::<bool>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..2),
    ) {
        let mut bytes = lines.join(if crlf { "\r\n" } else { "\n" }).into_bytes();
        flip(&mut bytes, flips);
        harness::annotations(&bytes);
    }

    /// Each format: a file written by its renderer for a generated
    /// article (then damaged), or arbitrary text.
    #[test]
    fn import_files(
        format in 0usize..5,
        t in text(),
        spans in proptest::collection::vec((any::<usize>(), any::<usize>(), 0usize..4, any::<bool>()), 0..6),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
        other_text in proptest::option::of(text()),
    ) {
        let file = import_file(format, &t, &spans);
        let mut bytes = import_input(format, other_text.as_deref().unwrap_or(&t), &file);
        flip(&mut bytes[1..], flips);
        harness::import(&bytes);
    }

    /// Arbitrary lines, after the lines that start a file of the format
    /// (or not).
    #[test]
    fn import_arbitrary(
        format in 0u8..5,
        t in text(),
        head in any::<bool>(),
        file in r#"[TPERLOCBIO#0-9 \t\n;|_*\\\[\]<>="/a-z:.{},-]{0,120}"#,
    ) {
        let head = match format {
            _ if !head => "",
            1 => "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n",
            3 => "# path = a.txt\n",
            _ => "",
        };
        harness::import(&import_input(format as usize, &t, &format!("{head}{file}")));
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
        ("index", harness::index),
        ("annotations", harness::annotations),
        ("import", harness::import),
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
