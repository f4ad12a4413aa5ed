//! The annotation store on the command line: `gazette entities` and
//! `gazette check` honour it; `gazette export` then `gazette import` gives
//! back the same mentions in every format.

mod common;
use common::folder_with;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn gazette(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .env("GAZETTE_CACHE_DIR", "off")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ARTICLE: &str = "Washington traf Maria Müller in Berlin. Dann sprach Maria mit der NATO.\n\
                       Washington blieb in Berlin.\n";

/// A store line for the `nth` occurrence of `what` in `text`.
fn line(
    path: &str,
    text: &str,
    what: &str,
    nth: usize,
    label: &str,
    entity: Option<&str>,
) -> String {
    let start = text.match_indices(what).nth(nth).unwrap().0;
    let end = start + what.len();
    let mut v = json!({
        "path": path, "start": start, "end": end, "exact": what,
        "prefix": &text[start.saturating_sub(12)..start], "suffix": &text[end..(end + 12).min(text.len())],
        "label": label, "status": "corrected",
    });
    if let Some(e) = entity {
        v["entity"] = json!(e);
    }
    v.to_string()
}

/// (file stem, byte start, byte end, the mention's kind, entity name, source) of every mention.
fn mentions(dir: &Path) -> BTreeSet<(String, u64, u64, String, String, String)> {
    let (code, out, err) = gazette(&["entities", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let mut set = BTreeSet::new();
    for e in v["entities"].as_array().unwrap() {
        for m in e["mentions"].as_array().unwrap() {
            let file = Path::new(m["path"].as_str().unwrap())
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            set.insert((
                file,
                m["byte_start"].as_u64().unwrap(),
                m["byte_end"].as_u64().unwrap(),
                m["kind"].as_str().unwrap().to_string(),
                e["name"].as_str().unwrap().to_string(),
                m["source"].as_str().unwrap().to_string(),
            ));
        }
    }
    set
}

#[test]
fn entities_and_check_honour_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("politik");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("a.txt"), ARTICLE).unwrap();
    let before = mentions(dir.path());
    let at = |what: &str, nth: usize| ARTICLE.match_indices(what).nth(nth).unwrap().0 as u64;
    assert!(
        before.iter().any(|m| m.1 == at("NATO", 0)),
        "the machine finds NATO: {before:?}"
    );
    let store = [
        line("politik/a.txt", ARTICLE, "Washington", 0, "person", None),
        "{\"path\": \"politik/a.txt\", broken".to_string(),
        line("politik/a.txt", ARTICLE, "Berlin", 0, "organisation", None),
        line("politik/a.txt", ARTICLE, "Dann", 0, "other", None),
        line(
            "politik/a.txt",
            ARTICLE,
            "Maria",
            1,
            "person",
            Some("Maria (2)"),
        ),
        line("politik/a.txt", ARTICLE, "NATO", 0, "not-a-name", None),
        line(
            "politik/a.txt",
            &ARTICLE.replace("blieb", "ging"),
            "ging",
            0,
            "place",
            None,
        ),
    ]
    .join("\n");
    std::fs::write(dir.path().join("gazette.annotations.jsonl"), store + "\n").unwrap();
    // Named by folder or by file: the store at the corpus root is found.
    for arg in [dir.path().to_path_buf(), sub.join("a.txt")] {
        let after = mentions(&arg);
        let find = |what: &str, nth: usize| {
            after
                .iter()
                .find(|m| m.1 == at(what, nth) && m.2 == at(what, nth) + what.len() as u64)
                .cloned()
        };
        let w = find("Washington", 0).expect("Washington");
        assert_eq!((w.3.as_str(), w.5.as_str()), ("person", "annotation"));
        assert_eq!(find("Berlin", 0).unwrap().3, "org");
        assert_eq!(find("Dann", 0).unwrap().3, "other");
        assert_eq!(find("Maria", 1).unwrap().4, "Maria (2)");
        assert!(after.iter().all(|m| m.1 != at("NATO", 0)), "{after:?}");
        // Not annotated: the machine's, as before.
        let second = |s: &BTreeSet<_>| {
            s.iter()
                .find(|m: &&(String, u64, u64, String, String, String)| m.1 == at("Berlin", 1))
                .map(|m| m.3.clone())
        };
        assert_eq!(second(&after), second(&before));
    }
    let (code, out, _) = gazette(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "a broken line is an error:\n{out}");
    let store_lines: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("gazette.annotations.jsonl:"))
        .collect();
    assert_eq!(store_lines.len(), 2, "{out}");
    assert!(
        store_lines[0].contains(":2:1: error[annotation-syntax]"),
        "{out}"
    );
    assert!(
        store_lines[1].contains(":7:1: warning[annotation-unanchored] politik/a.txt: \"ging\""),
        "{out}"
    );
}

fn copy_seeds(to: &Path) {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(seeds).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Mentions without the source (an import makes every mention the user's).
fn spans(dir: &Path) -> BTreeSet<(String, u64, u64, String, String)> {
    mentions(dir)
        .into_iter()
        .map(|(f, a, b, k, n, _)| (f, a, b, k, n))
        .collect()
}

#[test]
fn export_then_import_gives_back_the_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_seeds(&corpus);
    // One annotation with an entity the machine would not give it.
    let name = "000_09edfa8f9487fbc8.txt";
    let text = std::fs::read_to_string(corpus.join(name)).unwrap();
    let store = line(
        name,
        &text,
        "Russland",
        0,
        "organisation",
        Some("Russland (Staat)"),
    );
    std::fs::write(corpus.join("gazette.annotations.jsonl"), store + "\n").unwrap();
    let want = spans(&corpus);
    assert!(want
        .iter()
        .any(|m| m.4 == "Russland (Staat)" && m.3 == "org"));
    let c = corpus.to_str().unwrap();
    for f in ["brat", "webanno-tsv", "xmi"] {
        let out = dir.path().join(f);
        let (code, _, err) = gazette(&["export", "--format", f, "-o", out.to_str().unwrap(), c]);
        assert_eq!(code, 0, "{f}: {err}");
        let (code, _, err) = gazette(&["import", "--format", f, out.to_str().unwrap()]);
        assert_eq!(code, 0, "{f}: {err}");
        assert!(out.join("gazette.annotations.jsonl").is_file());
        // The copy has no gazette.toml: names come from the annotations.
        let got = spans(&out);
        let key = |s: &BTreeSet<(String, u64, u64, String, String)>| {
            s.iter()
                .map(|m| (m.0.clone(), m.1, m.2, m.3.clone()))
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(key(&got), key(&want), "{f}");
        assert!(
            got.iter().any(|m| m.4 == "Russland (Staat)"),
            "{f}: the entity survives"
        );
    }
    for f in ["jsonl", "conll"] {
        // Into the corpus itself: the import replaces its annotations.
        let file = corpus.join(format!("export.{f}"));
        let (code, _, err) = gazette(&["export", "--format", f, "-o", file.to_str().unwrap(), c]);
        assert_eq!(code, 0, "{f}: {err}");
        let (code, _, err) = gazette(&["import", "--format", f, file.to_str().unwrap()]);
        assert_eq!(code, 0, "{f}: {err}");
        let got = spans(&corpus);
        if f == "jsonl" {
            assert_eq!(got, want, "{f}");
            continue;
        }
        // CoNLL has tokens only: a name inside a token ("NATO" in
        // "NATO-Verbündeten") comes back as the whole token; every other
        // span comes back as it was.
        let text_of =
            |file: &str| std::fs::read_to_string(corpus.join(format!("{file}.txt"))).unwrap();
        let key = |s: &BTreeSet<(String, u64, u64, String, String)>| {
            s.iter()
                .map(|m| (m.0.clone(), m.1, m.2, m.3.clone()))
                .collect::<BTreeSet<_>>()
        };
        let (want, got) = (key(&want), key(&got));
        for m in want.difference(&got) {
            let t = text_of(&m.0);
            let (a, b) = (m.1 as usize, m.2 as usize);
            let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
            assert!(
                glued(t[..a].chars().next_back()) || glued(t[b..].chars().next()),
                "conll lost {m:?} ({:?})",
                &t[a..b]
            );
        }
        assert!(
            got.intersection(&want).count() * 10 >= want.len() * 8,
            "{} of {}",
            got.len(),
            want.len()
        );
    }
}

#[test]
fn import_errors_are_clear() {
    let dir = folder_with(&[
        ("a.txt", "Maria traf Jens."),
        ("a.ann", "T1\tPER 0 99\tMaria\n"),
    ]);
    let (code, _, err) = gazette(&["import", "--format", "brat", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("a.ann") && err.contains("line 1"), "{err}");
    assert!(!dir.path().join("gazette.annotations.jsonl").exists());
    std::fs::write(dir.path().join("a.ann"), "T1\tPER 0 5\tMaria\n").unwrap();
    std::fs::write(dir.path().join("b.ann"), "T1\tPER 0 5\tMaria\n").unwrap();
    let (code, _, err) = gazette(&["import", "--format", "brat", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("b.ann") && err.contains("no article"), "{err}");
    std::fs::remove_file(dir.path().join("b.ann")).unwrap();
    let (code, _, err) = gazette(&["import", "--format", "brat", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let store = std::fs::read_to_string(dir.path().join("gazette.annotations.jsonl")).unwrap();
    assert!(
        store
            .lines()
            .next()
            .unwrap()
            .contains("\"exact\":\"Maria\""),
        "{store}"
    );
}
