//! The fuzz targets' bodies, shared by `cargo fuzz` (fuzz_targets/*.rs, on
//! nightly) and the stable harness in `tests/robustness_fuzz.rs`, which
//! drives the same functions with proptest inputs and replays every file
//! under `fuzz/regressions/<target>/` (crashes found by fuzzing, committed).
//!
//! Each function panics only on a real bug: a panic inside gazette, or a
//! broken invariant checked here.
#![allow(dead_code)]

use gazette_core::analysis::analyze;
use gazette_core::corpus::Corpus;
use gazette_core::recognize::Overrides;
use gazette_core::text::position::{LineIndex, PositionEncoding};
use gazette_ide::TextSource;
use std::path::PathBuf;
use std::sync::Arc;

struct Texts(Arc<str>);
impl TextSource for Texts {
    fn text(&self, _: &Corpus, _: gazette_core::corpus::DocId) -> Option<Arc<str>> {
        Some(self.0.clone())
    }
}

fn check_text(text: &str) {
    let panics = gazette_core::analysis::contained_panics();
    let a = analyze(text, &Overrides::default());
    // The analysis contains panics (one bad document must not sink a batch);
    // for the fuzzer a contained panic is still a crash.
    assert_eq!(
        gazette_core::analysis::contained_panics(),
        panics,
        "an analysis stage panicked"
    );
    let spans = a
        .mentions
        .iter()
        .map(|m| m.span())
        .chain(a.figures.iter().map(|f| f.span()));
    for s in spans {
        assert!(
            s.start <= s.end && (s.end as usize) <= text.len(),
            "{s:?} out of bounds"
        );
        assert!(text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize));
    }
    for w in a.mentions.windows(2) {
        assert!(
            w[0].span().end <= w[1].span().start,
            "mentions overlap or unsorted"
        );
    }
    for w in a.figures.windows(2) {
        assert!(
            w[0].span().end <= w[1].span().start,
            "figures overlap or unsorted"
        );
    }
    // Positions of every span round-trip in every encoding.
    let li = LineIndex::new(text);
    for m in &a.mentions {
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let p = li.position(m.span().start as usize, enc);
            assert_eq!(li.offset(p, enc), m.span().start as usize);
        }
    }
    // The queries over a corpus holding this document do not panic.
    let mut corpus = Corpus::new();
    let doc = corpus.set_document(PathBuf::from("/fuzz/a.txt"), Arc::new(a.clone()));
    corpus.set_document(PathBuf::from("/fuzz/b.txt"), Arc::new(a));
    let texts = Texts(Arc::from(text));
    let _ = gazette_ide::diagnostics(&corpus, doc);
    let _ = corpus.entities();
    let step = (text.len() / 64).max(1);
    for off in (0..=text.len() + 1).step_by(step) {
        let _ = gazette_ide::hover(&corpus, &texts, doc, off);
        let _ = gazette_ide::references(&corpus, doc, off, true);
        let _ = gazette_ide::definition(&corpus, doc, off);
        let _ = gazette_ide::highlights(&corpus, doc, off);
    }
}

/// Target `analyze`: file bytes through the decoder and the whole analysis.
pub fn analyze_bytes(data: &[u8]) {
    if let Ok(d) = gazette_core::workspace::decode(data) {
        check_text(&d.text);
    }
    // Bytes the decoder calls binary still reach the recognizer this way.
    check_text(&String::from_utf8_lossy(data));
}

/// Target `lsp_session`: arbitrary bytes as the client's side of a whole
/// session; the server must end (at the end of input) without panicking
/// and within a time bound. Inputs that could name a workspace root are
/// skipped: indexing a real folder is not what this target is about.
pub fn lsp_session(data: &[u8]) {
    let lower = data.to_ascii_lowercase();
    if [&b"root"[..], b"folders", b"\\u"]
        .iter()
        .any(|n| lower.windows(n.len()).any(|w| w == *n))
    {
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Feed the input frame by frame, pausing after `initialize` the way a
    // client waits for its answer (requests racing it are refused, per spec,
    // and would never reach the handlers).
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut start = 0;
    let marker = b"Content-Length";
    for i in 1..data.len() {
        if data[i..].starts_with(marker) {
            chunks.push(data[start..i].to_vec());
            start = i;
        }
    }
    chunks.push(data[start..].to_vec());
    let (input, mut feed) = tokio::io::duplex(1 << 16);
    let mut output: Vec<u8> = Vec::new();
    let ended = rt.block_on(async {
        use tokio::io::AsyncWriteExt;
        tokio::spawn(async move {
            for c in chunks {
                if feed.write_all(&c).await.is_err() {
                    return;
                }
                if c.windows(12).any(|w| w == b"\"initialize\"") {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                } else {
                    tokio::task::yield_now().await;
                }
            }
        });
        tokio::time::timeout(
            std::time::Duration::from_secs(20),
            gazette_lsp::serve(input, &mut output),
        )
        .await
    });
    rt.shutdown_background();
    assert!(
        ended.is_ok(),
        "the server did not end at the end of its input"
    );
    // A contained panic is still a bug: no answer may be an internal error.
    let mut rest = &output[..];
    while let Some(i) = rest.windows(4).position(|w| w == b"\r\n\r\n") {
        let header = std::str::from_utf8(&rest[..i]).expect("header is text");
        let len: usize = header
            .trim()
            .strip_prefix("Content-Length: ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("bad header from the server: {header:?}"));
        let body = &rest[i + 4..i + 4 + len];
        let msg: serde_json::Value = serde_json::from_slice(body).expect("server wrote JSON");
        assert_ne!(
            msg["error"]["code"], -32603,
            "internal error (a panic) answering the input: {msg}"
        );
        rest = &rest[i + 4 + len..];
    }
    assert!(rest.is_empty(), "server output ends mid-message");
}

/// A short article the `config` target analyses with the parsed overrides:
/// names, inflected forms, function words, figures.
const CONFIG_ARTICLE: &str = "Europa und die EU: Wladimir Putin traf in Berlin \
    die Europäische Union. Europas Zukunft, e e. A und B, 2,5 Prozent.\n„Putins“ Rede.";

/// Target `config`: a `gazette.toml` through the real knowledge-base
/// parser, the recognizer's overrides built from it, an analysis of a short
/// article with them, and the file as the corpus's pseudo-document (with
/// queries on it and on the article).
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (kb, errors) = gazette_core::kb::parse(text);
    for e in &errors {
        assert!(
            e.span.start <= e.span.end && (e.span.end as usize) <= text.len(),
            "error span {:?} out of bounds",
            e.span
        );
        assert!(text.is_char_boundary(e.span.start as usize));
        assert!(text.is_char_boundary(e.span.end as usize));
    }
    let Some(kb) = kb else {
        return;
    };
    for i in 0..kb.entities.len() {
        for s in std::iter::once(kb.name_span(i)).chain(kb.alias_spans(i)) {
            assert!(
                text.get(s.range()).is_some(),
                "entry span {s:?} off the text"
            );
            assert!(kb.entry_at(s).is_some(), "entry span {s:?} not found");
        }
    }
    // A letter typed at the end of the first name: taken in place or not,
    // never other than parsing the new text.
    if !kb.entities.is_empty() {
        let at = kb.name_span(0).end as usize;
        let mut new_text = text.to_string();
        new_text.insert(at, 'x');
        let (mut edited, mut edited_errors) = (kb.clone(), errors.clone());
        if edited
            .edit(&mut edited_errors, at..at, 1, &new_text)
            .is_some()
        {
            let (fresh, fresh_errors) = gazette_core::kb::parse(&new_text);
            assert_eq!(Some(edited), fresh, "an entry edited in place");
            assert_eq!(edited_errors, fresh_errors);
        }
    }
    let overrides = kb.overrides();
    let panics = gazette_core::analysis::contained_panics();
    let a = analyze(CONFIG_ARTICLE, &overrides);
    assert_eq!(
        gazette_core::analysis::contained_panics(),
        panics,
        "an analysis stage panicked with these overrides"
    );
    for m in &a.mentions {
        assert!(CONFIG_ARTICLE.get(m.span().range()).is_some());
    }
    let kb = Arc::new(kb);
    let mut corpus = Corpus::new();
    let article = corpus.set_document(PathBuf::from("/fuzz/a.txt"), Arc::new(a));
    let kb_doc = corpus.set_knowledge_base(PathBuf::from("/fuzz/gazette.toml"), text, kb);
    let _ = corpus.entities();
    for (doc, t) in [(article, CONFIG_ARTICLE), (kb_doc, text)] {
        let texts = Texts(Arc::from(t));
        let step = (t.len() / 32).max(1);
        for off in (0..=t.len()).step_by(step) {
            let _ = gazette_ide::hover(&corpus, &texts, doc, off);
            let _ = gazette_ide::references(&corpus, doc, off, true);
            let _ = gazette_ide::definition(&corpus, doc, off);
            if gazette_ide::rename::prepare_rename(&corpus, &texts, doc, off).is_ok() {
                let _ = gazette_ide::rename::rename(&corpus, &texts, doc, off, "Olaf O'Neil");
            }
        }
    }
}
