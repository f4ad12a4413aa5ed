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
    // What the persistent index checks of an analysis read back holds of
    // every analysis made.
    assert_eq!(a.check(), Ok(()), "an inconsistent analysis");
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

/// The server's output, kept in memory.
#[derive(Clone, Default)]
struct Output(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Output {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
    let output = Output::default();
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
            gazette_lsp::serve(input, output.clone()),
        )
        .await
    });
    rt.shutdown_background();
    assert!(
        ended.is_ok(),
        "the server did not end at the end of its input"
    );
    // A contained panic is still a bug: no answer may be an internal error.
    let output = output.0.lock().unwrap();
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

/// A text the line index `li` indexes (as `LineIndex::new` of it), from
/// its public queries: `x` for one-byte characters, `é`, `€`, `😀` for
/// multi-byte ones, `\n` or `\r\n` at line ends. `None` above 64 KiB.
fn text_of_index(li: &LineIndex) -> Option<String> {
    if li.len() > 1 << 16 {
        return None;
    }
    let mut out = String::with_capacity(li.len());
    for line in 0..li.line_count() {
        let r = li.line_range(line);
        let mut at = r.start;
        while at < r.end {
            let mut end = at + 1;
            while end < r.end && li.floor_boundary(end) == at {
                end += 1;
            }
            out.push(match end - at {
                1 => 'x',
                2 => 'é',
                3 => '€',
                _ => '😀',
            });
            at = end;
        }
        let next = if line + 1 < li.line_count() {
            li.line_range(line + 1).start
        } else {
            li.len()
        };
        out.push_str(match next - r.end {
            0 => "",
            1 => "\n",
            _ => "\r\n",
        });
    }
    Some(out)
}

/// The checks of an analysis of `text` made or read back by the engine:
/// its own consistency ([`gazette_core::analysis::DocAnalysis::check`]),
/// spans on the text's character boundaries, and queries on a corpus of
/// it that do not panic.
fn check_analysis(text: &str, a: &gazette_core::analysis::DocAnalysis) {
    assert_eq!(a.check(), Ok(()), "an inconsistent analysis");
    assert_eq!(a.len(), text.len());
    assert_eq!(
        a.line_index,
        LineIndex::new(text),
        "line index of another text"
    );
    for s in a.mentions.iter().map(|m| m.span()) {
        assert!(text.get(s.range()).is_some(), "{s:?} off the text");
    }
    let mut corpus = Corpus::new();
    let doc = corpus.set_document(PathBuf::from("/fuzz/a.txt"), Arc::new(a.clone()));
    let texts = Texts(Arc::from(text));
    let _ = gazette_ide::diagnostics(&corpus, doc);
    let _ = corpus.entities();
    let step = (text.len() / 16).max(1);
    for off in (0..=text.len() + 1).step_by(step) {
        let _ = gazette_ide::hover(&corpus, &texts, doc, off);
        let _ = gazette_ide::references(&corpus, doc, off, true);
        let _ = gazette_ide::definition(&corpus, doc, off);
        let _ = gazette_ide::highlights(&corpus, doc, off);
    }
}

/// The corpus root and overrides fingerprint the `index` target's files
/// are written for.
pub const INDEX_ROOT: &str = "/fuzz";
pub const INDEX_OVERRIDES: u64 = 7;

/// The start of an index file of this build (magic and header, no
/// blocks): what an index written now starts with.
pub fn index_header() -> &'static [u8] {
    static HEADER: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    HEADER.get_or_init(|| {
        let file = scratch_file("header");
        gazette_core::cache::save(
            &file,
            std::path::Path::new(INDEX_ROOT),
            INDEX_OVERRIDES,
            std::iter::empty::<(&std::path::Path, _, &gazette_core::analysis::DocAnalysis)>(),
        )
        .unwrap();
        let bytes = std::fs::read(&file).unwrap();
        let _ = std::fs::remove_file(&file);
        bytes
    })
}

/// A file of this process and thread in the temporary folder.
fn scratch_file(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gazette-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{what}-{:?}", std::thread::current().id()).replace(['(', ')'], ""))
}

/// Target `index`: a persistent index file through the loader
/// (`cache::load_each`). The first byte picks what the rest is: even, the
/// blocks after this build's header (so inputs stay meaningful when the
/// engine's fingerprint changes); odd, the whole file. Whatever is loaded
/// must be consistent analyses (a text they index is made up from their
/// line index, and queried); an error is a message; nothing panics (nor,
/// under libFuzzer's `-malloc_limit_mb` or the stable harness's allocator,
/// allocates without bound).
pub fn index(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = Vec::with_capacity(data.len() + 64);
    if mode % 2 == 0 {
        bytes.extend_from_slice(index_header());
    }
    bytes.extend_from_slice(rest);
    let file = scratch_file("index.bin");
    std::fs::write(&file, &bytes).unwrap();
    let mut entries = Vec::new();
    let loaded = gazette_core::cache::load_each(
        &file,
        std::path::Path::new(INDEX_ROOT),
        INDEX_OVERRIDES,
        |_| true,
        |batch| {
            entries.extend(batch);
            true
        },
    );
    let _ = std::fs::remove_file(&file);
    match loaded {
        Ok(l) => assert_eq!((l.kept, l.dropped), (entries.len(), 0)),
        Err(e) => assert!(e.contains("index"), "{e}"),
    }
    for e in &entries {
        assert_eq!(e.analysis.check(), Ok(()), "{}", e.path.display());
        if let Some(text) = text_of_index(&e.analysis.line_index) {
            check_analysis(&text, &e.analysis);
        }
        // What the server does to an entry of an article no editor has open.
        let mut a = e.analysis.clone();
        a.keep_linked_figures();
        assert_eq!(a.check(), Ok(()));
    }
}

/// An article the `annotations` target anchors its store in: names,
/// figures, multi-byte characters, line ends of every kind.
const ANNOTATED_ARTICLE: &str = "Washington traf Maria Müller in Berlin. Dann sprach Maria \
    mit der NATO.\r\nWashington blieb 😀 „Putins“ Rede.\rEnde";

/// Target `annotations`: the annotation store (`gazette.annotations.jsonl`)
/// through its parser, an edit of it, and analyses with it in force (the
/// annotated article, and another that only the learned lexicon reaches).
/// Lines that parse must be annotations a store can hold and that read back
/// the same; broken lines are reported at their place; nothing panics.
pub fn annotations(data: &[u8]) {
    use gazette_core::annotations::{edit_text, Annotations};
    let text = String::from_utf8_lossy(data);
    let root = std::path::Path::new("/fuzz");
    let parsed = Annotations::parse(Some(root), &text);
    for e in &parsed.errors {
        assert!(
            text.get(e.span.range()).is_some(),
            "error span {:?} off the text",
            e.span
        );
    }
    for (_, a) in parsed.iter() {
        assert!(!a.exact.is_empty() && a.start <= a.end);
        assert_eq!((a.end - a.start) as usize, a.exact.len());
        // One line, written as the store writes it, reads back the same.
        let line = a.to_line();
        assert!(!line.contains('\n'));
        let again = Annotations::parse(Some(root), &line);
        assert!(again.errors.is_empty(), "{line}: {:?}", again.errors);
        assert_eq!(again.iter().map(|(_, a)| a).collect::<Vec<_>>(), [a]);
    }
    // Editing the store (nothing removed or added) keeps every annotation
    // and every broken line.
    let edited = Annotations::parse(Some(root), &edit_text(&text, &[], &[]));
    assert_eq!(edited.len(), parsed.len());
    assert_eq!(edited.errors.len(), parsed.errors.len());
    assert!(parsed.changed_paths(&edited).is_empty());
    // Anchored in an article: the article the store names first (so its
    // annotations apply) holding every quote, and one it does not name.
    let Some((path, anns)) = parsed.by_path().next() else {
        return;
    };
    let mut article = String::from(ANNOTATED_ARTICLE);
    for (_, a) in anns.iter().take(16) {
        article.push(' ');
        article.push_str(&a.prefix);
        article.push_str(&a.exact);
        article.push_str(&a.suffix);
    }
    let overrides = Overrides::default().with_annotations(Arc::new(parsed.clone()));
    let panics = gazette_core::analysis::contained_panics();
    for (p, t) in [
        (root.join(path), article.as_str()),
        (root.join("not-annotated.txt"), ANNOTATED_ARTICLE),
    ] {
        let a = gazette_core::analysis::analyze_at(&p, t, &overrides);
        check_analysis(t, &a);
    }
    assert_eq!(
        gazette_core::analysis::contained_panics(),
        panics,
        "an analysis stage panicked with these annotations"
    );
}

/// Target `import`: a file of each format `gazette import` reads. The
/// first byte picks the format (brat, webanno-tsv, xmi, conll, jsonl); the
/// rest is the file, and for the formats read against an article's text
/// (brat, WebAnno TSV, CoNLL), that text first, up to the first NUL byte.
/// Spans read must be in order, non-empty, within the text and on its
/// character boundaries, and make annotations the store reads back; what
/// is read is exported again in every format and read back (the same where
/// the format holds everything); nothing panics.
pub fn import(data: &[u8]) {
    use gazette_core::annotations::formats::{self, Doc, Format};
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let format = Format::ALL[which as usize % Format::ALL.len()];
    let (text, body) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&b""[..], rest),
    };
    let (text, body) = (String::from_utf8_lossy(text), String::from_utf8_lossy(body));
    let doc = |path: &str, text: &str, spans| Doc {
        path: path.to_string(),
        text: text.to_string(),
        spans,
    };
    let docs: Vec<Doc> = match format {
        Format::Brat => formats::parse_brat(&text, &body)
            .map(|s| vec![doc("a.txt", &text, s)])
            .unwrap_or_default(),
        Format::WebannoTsv => formats::parse_webanno(&text, &body)
            .map(|s| vec![doc("a.txt", &text, s)])
            .unwrap_or_default(),
        Format::Xmi => formats::parse_xmi(&body)
            .map(|(t, s)| vec![doc("a.txt", &t, s)])
            .unwrap_or_default(),
        Format::Jsonl => formats::parse_jsonl(&body).unwrap_or_default(),
        Format::Conll => formats::parse_conll(&body)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(p, tokens)| {
                let spans = formats::align_conll(&text, &tokens).ok()?;
                Some(doc(&p, &text, spans))
            })
            .collect(),
    };
    for d in &docs {
        check_import(format, d);
    }
}

/// The checks of one article `format` read.
fn check_import(
    format: gazette_core::annotations::formats::Format,
    d: &gazette_core::annotations::formats::Doc,
) {
    use gazette_core::annotations::formats;
    use gazette_core::annotations::{Annotation, Annotations, Label, Status};
    let text = d.text.as_str();
    let mut prev_end = 0;
    for s in &d.spans {
        assert!(
            s.span.start < s.span.end && text.get(s.span.range()).is_some(),
            "{format:?}: span {:?} empty or off the text",
            s.span
        );
        assert!(s.span.start >= prev_end, "{format:?}: spans out of order");
        prev_end = s.span.end;
        assert!(s.entity.as_ref().is_none_or(|e| !e.is_empty()));
        // What `gazette import` writes to the store for it.
        let a = Annotation::new(
            "a.txt",
            text,
            s.span,
            Label::from_kind(s.kind),
            s.entity.clone(),
            Status::Added,
        );
        let back = Annotations::parse(None, &a.to_line());
        assert!(
            back.errors.is_empty(),
            "{format:?}: the store does not read back {:?}: {:?}",
            a.to_line(),
            back.errors
        );
    }
    // Exported and read back. JSON Lines and XMI hold everything (XMI
    // refuses characters XML 1.0 cannot hold).
    let one = std::slice::from_ref(d);
    let j = formats::parse_jsonl(&formats::render_jsonl(one)).expect("jsonl reads back");
    assert_eq!(j, one, "jsonl round trip");
    if let Ok(x) = formats::render_xmi(d) {
        let (t, s) = formats::parse_xmi(&x).expect("xmi reads back");
        assert_eq!((t.as_str(), &s), (text, &d.spans), "xmi round trip");
    }
    // brat cannot hold a line break in a fragment nor in a note: spans
    // that start or end with one, and notes with tabs or line breaks,
    // come back otherwise.
    let brat = formats::parse_brat(text, &formats::render_brat(d));
    let brat_holds = d.spans.iter().all(|s| {
        let t = &text[s.span.range()];
        !t.starts_with('\n')
            && !t.ends_with('\n')
            && s.entity
                .as_ref()
                .is_none_or(|e| !e.contains(['\t', '\n', '\r']) && e.trim() == e)
    });
    if brat_holds {
        assert_eq!(brat.as_ref(), Ok(&d.spans), "brat round trip");
    }
    // WebAnno TSV and CoNLL are written per token: read back, not
    // necessarily the same.
    let w = formats::parse_webanno(text, &formats::render_webanno(d));
    assert!(w.is_ok(), "webanno does not read back: {w:?}");
    let c = formats::parse_conll(&formats::render_conll(one)).expect("conll reads back");
    for (_, tokens) in &c {
        let spans = formats::align_conll(text, tokens);
        assert!(spans.is_ok(), "conll does not read back: {spans:?}");
    }
}
