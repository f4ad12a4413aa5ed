//! The review queue that learns, on the command line: `gazette review`
//! orders the machine's unreviewed mentions so that its errors come first,
//! `gazette check` says how far the review is, and the annotations teach
//! the recognizer (a learned lexicon) and the tagger that `gazette
//! entities` uses.

use gazette::cli::score::parse_gold;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn gazette(args: &[&str], cache: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .env("GAZETTE_CACHE_DIR", cache)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The first 50 items of the queue hold at least 3 times as many machine
/// errors as 50 items drawn at random (on average) on the hand-annotated
/// development set (`scripts/review_queue_eval.py` measures the same): the
/// issue's goal, measured 3.39x there (18 errors; 16 reach 3x) since the
/// boundary doubts of 2026-12-05 (see docs/annotation.md).
#[test]
fn the_queue_puts_machine_errors_first() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/unseen");
    let cache = tempfile::tempdir().unwrap();
    let (code, out, err) = gazette(
        &["review", "--format", "json", dir.to_str().unwrap()],
        cache.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("mentions reviewed"), "{err}");
    let items: Vec<Value> = serde_json::from_str(&out).unwrap();
    let kind = |label: &str| match label {
        "person" => "PER",
        "place" => "LOC",
        "organisation" => "ORG",
        _ => "OTH",
    };
    let mut errors = Vec::new();
    let mut last_score = f64::MIN;
    for it in &items {
        let score = it["score"].as_f64().unwrap();
        assert!(score >= last_score, "the queue is not in order: {it}");
        last_score = score;
        let txt = Path::new(it["path"].as_str().unwrap());
        let Ok(gold) = std::fs::read_to_string(txt.with_extension("gold")) else {
            continue; // the folder's README
        };
        let (plain, mentions) = parse_gold(&gold).unwrap();
        let (s, e) = (
            it["byte_start"].as_u64().unwrap() as usize,
            it["byte_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&plain[s..e], it["text"].as_str().unwrap());
        let k = kind(it["label"].as_str().unwrap());
        let neutral = mentions
            .iter()
            .any(|g| g.kind == "PART" && s < g.end && g.start < e);
        let right = mentions
            .iter()
            .any(|g| g.start == s && g.end == e && g.kind == k);
        errors.push(!neutral && !right);
    }
    let total = errors.iter().filter(|&&e| e).count();
    let top = errors.iter().take(50).filter(|&&e| e).count();
    let random = 50.0 * total as f64 / errors.len() as f64;
    assert!(
        top as f64 >= 3.0 * random,
        "first 50: {top} errors; a random 50: {random:.1} ({total} of {})",
        errors.len()
    );
}

const TAUGHT: &str = "Die Firma Zelinka meldete am Montag höhere Gewinne. Zelinka will in \
                      diesem Jahr 200 Menschen einstellen, sagte ein Sprecher von Zelinka.\n";
const UNTAUGHT: &str = "Auch Zelinka hat am Dienstag neue Zahlen vorgelegt.\n";

/// The kind and source `gazette entities` gives `word` in b.txt, if any.
fn found_in_b(dir: &Path, cache: &Path, word: &str) -> Option<(String, String)> {
    let (code, out, err) = gazette(
        &["entities", "--format", "json", dir.to_str().unwrap()],
        cache,
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["mentions"].as_array().unwrap())
        .find(|m| m["path"].as_str().unwrap().ends_with("b.txt") && m["text"] == word)
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_string(),
                m["source"].as_str().unwrap().to_string(),
            )
        })
}

/// The kind `gazette entities` gives "Zelinka" in b.txt, if any.
fn kind_in_b(dir: &Path, cache: &Path) -> Option<String> {
    found_in_b(dir, cache, "Zelinka").map(|(k, _)| k)
}

/// What the user marks in one article, the tagger learns for the next:
/// `gazette entities` runs the adapted model (trained once, then taken
/// from the cache), and `gazette check` reports the review's progress.
#[test]
fn annotations_teach_the_tagger_that_entities_uses() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), TAUGHT).unwrap();
    std::fs::write(dir.path().join("b.txt"), UNTAUGHT).unwrap();
    let before = kind_in_b(dir.path(), cache.path());
    assert_ne!(
        before.as_deref(),
        Some("org"),
        "nothing to learn: {before:?}"
    );
    // Every "Zelinka" of a.txt is an organisation (brat standoff, imported).
    let ann: String = TAUGHT
        .match_indices("Zelinka")
        .enumerate()
        .map(|(i, (s, _))| {
            let c = TAUGHT[..s].chars().count();
            format!("T{}\tORG {c} {}\tZelinka\n", i + 1, c + 7)
        })
        .collect();
    std::fs::write(dir.path().join("a.ann"), ann).unwrap();
    let (code, _, err) = gazette(
        &["import", "--format", "brat", dir.path().to_str().unwrap()],
        cache.path(),
    );
    assert_eq!(code, 0, "{err}");
    // The learned lexicon carries the surface to b.txt.
    assert_eq!(
        found_in_b(dir.path(), cache.path(), "Zelinka"),
        Some(("org".into(), "learned".into()))
    );
    // The adapted model is cached, and used as it is the next time.
    let cached: Vec<_> = walk(cache.path())
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("adapted-")
        })
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert_eq!(kind_in_b(dir.path(), cache.path()).as_deref(), Some("org"));
    let (_, _, err) = gazette(&["check", dir.path().to_str().unwrap()], cache.path());
    assert!(
        err.contains("review: 3 of ") && err.contains("1 of 2 articles done"),
        "{err}"
    );
}

/// A surface the user marks as no name in one article loses the machine's
/// reading everywhere else; one the user relabels gets the new kind.
#[test]
fn not_a_name_and_relabels_reach_other_articles() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let a = "Gestern sprach Conrad Caine in Berlin mit Maria Müller.\n";
    let b = "Auch Conrad Caine und Maria Müller waren in Berlin.\n";
    std::fs::write(dir.path().join("a.txt"), a).unwrap();
    std::fs::write(dir.path().join("b.txt"), b).unwrap();
    let found = |w: &str| found_in_b(dir.path(), cache.path(), w);
    assert_eq!(
        found("Conrad Caine").map(|f| f.0).as_deref(),
        Some("person")
    );
    assert_eq!(
        found("Maria Müller").map(|f| f.0).as_deref(),
        Some("person")
    );
    assert_eq!(found("Berlin").map(|f| f.0).as_deref(), Some("place"));
    // In a.txt: Conrad Caine is an organisation, Maria Müller no name, and
    // Berlin stays a place (brat, imported as the whole article: the
    // machine's mention of Maria Müller becomes `not-a-name`).
    let span = |w: &str| {
        let s = a.find(w).unwrap();
        (s, s + w.len())
    };
    let (c0, c1) = span("Conrad Caine");
    let (b0, b1) = span("Berlin");
    std::fs::write(
        dir.path().join("a.ann"),
        format!("T1\tORG {c0} {c1}\tConrad Caine\nT2\tLOC {b0} {b1}\tBerlin\n"),
    )
    .unwrap();
    let (code, _, err) = gazette(
        &["import", "--format", "brat", dir.path().to_str().unwrap()],
        cache.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        found("Conrad Caine"),
        Some(("org".into(), "learned".into()))
    );
    assert_eq!(found("Maria Müller"), None);
    assert_eq!(found("Berlin").map(|f| f.0).as_deref(), Some("place"));
}

/// Writes `names` ((kind, surface) in order of their first occurrence
/// in `text`) as the brat standoff of `dir/<stem>.ann`, and imports it.
fn import_brat(dir: &Path, cache: &Path, stem: &str, text: &str, names: &[(&str, &str)]) {
    let ann: String = names
        .iter()
        .enumerate()
        .map(|(i, (kind, w))| {
            let s = text.find(w).unwrap();
            let c = text[..s].chars().count();
            format!("T{}\t{kind} {c} {}\t{w}\n", i + 1, c + w.chars().count())
        })
        .collect();
    std::fs::write(dir.join(format!("{stem}.ann")), ann).unwrap();
    let (code, _, err) = gazette(
        &["import", "--format", "brat", dir.to_str().unwrap()],
        cache,
    );
    assert_eq!(code, 0, "{err}");
}

/// What generalises past the surfaces the user annotated reaches an
/// article that shares none of them: a head word ("Bistro", opening two
/// places the user annotated) makes a new "Bistro …" a place, and a rule
/// the user rejected every time (here the first-name rule, four times)
/// finds nothing more.
#[test]
fn what_the_user_teaches_reaches_names_they_never_annotated() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let a = "Wir aßen im Bistro Quaxel am Markt. Später ging es ins Bistro Plimm.\n";
    let c = "Gestern sprachen Maria Quaxelig, Peter Plimmer, Anna Zorbig und \
             Hans Brümmerle über den Markt.\n";
    let b = "Der Koch im Bistro Zorbaro sprach mit Klara Ostwindel.\n";
    std::fs::write(dir.path().join("a.txt"), a).unwrap();
    std::fs::write(dir.path().join("c.txt"), c).unwrap();
    std::fs::write(dir.path().join("b.txt"), b).unwrap();
    let found = |w: &str| found_in_b(dir.path(), cache.path(), w);
    assert_ne!(
        found("Bistro Zorbaro").map(|f| f.0).as_deref(),
        Some("place")
    );
    assert_eq!(
        found("Klara Ostwindel"),
        Some(("person".into(), "rule".into()))
    );
    import_brat(
        dir.path(),
        cache.path(),
        "a",
        a,
        &[("LOC", "Bistro Quaxel"), ("LOC", "Bistro Plimm")],
    );
    // c.txt imported whole with no names: the machine's four persons
    // become `not-a-name`.
    import_brat(dir.path(), cache.path(), "c", c, &[]);
    assert_eq!(
        found("Bistro Zorbaro"),
        Some(("place".into(), "learned".into()))
    );
    assert_ne!(
        found("Klara Ostwindel"),
        Some(("person".into(), "rule".into()))
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
