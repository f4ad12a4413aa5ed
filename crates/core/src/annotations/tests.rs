use super::*;
use crate::analysis::{analyze, analyze_at};
use crate::recognize::Overrides;
use proptest::prelude::*;
use std::sync::Arc;

const ARTICLE: &str = "Washington traf Maria Müller in Berlin. Dann sprach Maria mit der NATO. \
                       Washington blieb.";

fn ann(text: &str, what: &str, nth: usize, label: Label) -> Annotation {
    let start = text.match_indices(what).nth(nth).unwrap().0;
    Annotation::new(
        "a.txt",
        text,
        Span::new(start, start + what.len()),
        label,
        None,
        Status::Corrected,
    )
}

fn store(anns: &[Annotation]) -> String {
    edit_text("", &[], anns)
}

fn overrides_with(root: &Path, text: &str) -> Overrides {
    Overrides::default().with_annotations(Arc::new(Annotations::parse(Some(root), text)))
}

#[test]
fn lines_round_trip_sorted_and_broken_lines_are_kept() {
    let a = ann(ARTICLE, "Washington", 1, Label::Person);
    let b = ann(ARTICLE, "Maria", 1, Label::Person);
    let text = store(&[a.clone(), b.clone()]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains("\"Maria\""), "sorted by offset: {text}");
    assert!(lines[0].starts_with("{\"path\":\"a.txt\",\"start\":"));
    // A broken line between them: reported, the others kept.
    let broken = format!("{}\n{{\"path\": oops\n{}\n", lines[0], lines[1]);
    let parsed = Annotations::parse(Some(Path::new("/c")), &broken);
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].line, 1);
    // Editing the store keeps the broken line byte for byte.
    let c = ann(ARTICLE, "Berlin", 0, Label::NotAName);
    let edited = edit_text(&broken, &[0], &[c]);
    assert!(edited.contains("{\"path\": oops\n"), "{edited}");
    assert!(!edited.contains(lines[0]), "line 0 was removed");
    assert!(edited.contains("\"not-a-name\""));
    let reparsed = Annotations::parse(Some(Path::new("/c")), &edited);
    assert_eq!((reparsed.len(), reparsed.errors.len()), (2, 1));
}

#[test]
fn bad_fields_are_line_errors() {
    for (line, want) in [
        (
            r#"{"path":"a.txt","start":0,"end":3,"exact":"","label":"person","status":"added"}"#,
            "empty",
        ),
        (
            r#"{"path":"a.txt","start":0,"end":3,"exact":"ab","label":"person","status":"added"}"#,
            "as long",
        ),
        (
            r#"{"path":"../a.txt","start":0,"end":2,"exact":"ab","label":"person","status":"added"}"#,
            "relative",
        ),
        (
            r#"{"path":"a.txt","start":0,"end":2,"exact":"ab","label":"human","status":"added"}"#,
            "unknown variant",
        ),
        (
            r#"{"path":"a.txt","start":0,"end":2,"exact":"ab","label":"person","status":"added","x":1}"#,
            "unknown field",
        ),
    ] {
        let p = Annotations::parse(None, line);
        assert_eq!(p.len(), 0, "{line}");
        assert!(p.errors[0].message.contains(want), "{line}: {:?}", p.errors);
    }
}

#[test]
fn labels_are_read_in_every_spelling() {
    for (s, l) in [
        ("PER", Label::Person),
        ("Person", Label::Person),
        ("LOC", Label::Place),
        ("Location", Label::Place),
        ("ORG", Label::Organisation),
        ("Organization", Label::Organisation),
        ("organisation", Label::Organisation),
        ("OTH", Label::Other),
        ("Other", Label::Other),
        ("MISC", Label::Other),
        ("LOCderiv", Label::Place),
        ("not-a-name", Label::NotAName),
    ] {
        assert_eq!(Label::parse(s), Some(l), "{s}");
    }
    assert_eq!(Label::parse("Date"), None);
}

#[test]
fn anchoring_prefers_the_hint_then_the_context() {
    let a = ann(ARTICLE, "Washington", 1, Label::Person);
    assert_eq!(anchor(ARTICLE, &a).map(|s| s.start), Some(a.start));
    // Text inserted before both: the hint misses, the context picks the second.
    let edited = format!("Heute: {ARTICLE}");
    let s = anchor(&edited, &a).unwrap();
    assert_eq!(s.start as usize, edited.rfind("Washington").unwrap());
    // Gone: not anchored.
    assert_eq!(anchor(&ARTICLE.replace("Washington", "W."), &a), None);
}

#[test]
fn annotations_win_over_machine_mentions() {
    let root = Path::new("/corpus");
    let path = root.join("a.txt");
    let plain = analyze(ARTICLE, &Overrides::default());
    let kind_at = |a: &crate::analysis::DocAnalysis, what: &str, nth: usize| {
        let start = ARTICLE.match_indices(what).nth(nth).unwrap().0 as u32;
        a.mentions
            .iter()
            .find(|m| m.span().start == start)
            .map(|m| (m.kind, m.norm.to_string(), m.span().len()))
    };
    assert!(kind_at(&plain, "NATO", 0).is_some(), "{:?}", plain.mentions);
    let mut maria = ann(ARTICLE, "Maria", 1, Label::Person);
    maria.entity = Some("Maria (2)".into());
    let text = store(&[
        ann(ARTICLE, "Washington", 0, Label::Person),
        ann(ARTICLE, "NATO", 0, Label::NotAName),
        ann(ARTICLE, "Dann", 0, Label::Other),
        maria,
    ]);
    let a = analyze_at(&path, ARTICLE, &overrides_with(root, &text));
    assert_eq!(
        kind_at(&a, "Washington", 0),
        Some((EntityKind::Person, "Washington".into(), 10))
    );
    assert_eq!(kind_at(&a, "NATO", 0), None);
    assert_eq!(kind_at(&a, "Dann", 0).map(|k| k.0), Some(EntityKind::Other));
    assert_eq!(
        kind_at(&a, "Maria", 1),
        Some((EntityKind::Person, "Maria (2)".into(), 5))
    );
    assert!(a.unanchored.is_empty());
    // The unannotated "Washington" is the machine's: the learned lexicon
    // is for the articles without annotations.
    assert_eq!(
        kind_at(&a, "Washington", 1),
        kind_at(&plain, "Washington", 1)
    );
    // Sorted, non-overlapping, roles still point at mentions.
    assert!(a
        .mentions
        .windows(2)
        .all(|w| w[0].span().end <= w[1].span().start));
    assert!(a
        .roles
        .iter()
        .all(|(i, _)| (*i as usize) < a.mentions.len()));
    // Another article under the same root has no annotation in force, only
    // the learned lexicon's readings: Washington a person, NATO no name.
    let b = analyze_at(&root.join("b.txt"), ARTICLE, &overrides_with(root, &text));
    assert!(b
        .mentions
        .iter()
        .all(|m| m.source != crate::model::Source::Annotation));
    assert_eq!(
        kind_at(&b, "Washington", 0).map(|k| k.0),
        Some(EntityKind::Person)
    );
    assert_eq!(kind_at(&b, "NATO", 0), None);
    assert!(b.unanchored.is_empty());
    assert_eq!(b.mentions.len() + 1, plain.mentions.len());
    // An annotation whose text is gone is reported.
    let gone = ARTICLE.replace("NATO", "UNO");
    let a = analyze_at(&path, &gone, &overrides_with(root, &text));
    assert_eq!(a.unanchored.len(), 1);
    assert_eq!(a.unanchored[0].exact, "NATO");
    assert_eq!(a.unanchored[0].why, Unanchored::NotFound);
}

#[test]
fn the_fingerprint_follows_the_content() {
    let a = store(&[ann(ARTICLE, "Washington", 0, Label::Person)]);
    let b = store(&[ann(ARTICLE, "Washington", 0, Label::Place)]);
    let fa = crate::cache::overrides_fingerprint(&overrides_with(Path::new("/c"), &a));
    let fb = crate::cache::overrides_fingerprint(&overrides_with(Path::new("/c"), &b));
    assert_ne!(fa, fb);
    let pa = Annotations::parse(Some(Path::new("/c")), &a);
    let pb = Annotations::parse(Some(Path::new("/c")), &b);
    assert_eq!(pa.changed_paths(&pb), vec!["a.txt".to_string()]);
    assert!(pa.changed_paths(&pa.clone()).is_empty());
}

/// An edit: replace `len` bytes (rounded to characters) at `at` (a fraction
/// of the text) with `insert`.
fn apply_edit(text: &str, at: f64, len: usize, insert: &str) -> String {
    let mut a = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + len).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!("{}{}{}", &text[..a], insert, &text[b..])
}

const WORDS: &[&str] = &[
    "Maria",
    "Berlin",
    "NATO",
    "und",
    " ",
    ". ",
    "Müller",
    "Ü",
    "traf",
    "\n",
    "Washington",
    "Maria Müller",
    "x",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// After random edits (25 per case, 40 cases: 1,000 edits), every
    /// annotation whose quoted text occurs exactly once in its article is
    /// anchored there, and applying the store keeps the analysis sorted.
    #[test]
    fn reanchoring_survives_edits(
        edits in prop::collection::vec(
            (0.0f64..1.0, 0usize..12, prop::sample::select(WORDS)), 25)
    ) {
        let root = Path::new("/corpus");
        let path = root.join("a.txt");
        let targets = [("Washington", 0), ("Maria Müller", 0), ("Berlin", 0), ("NATO", 0), ("Maria", 1)];
        let anns: Vec<Annotation> = targets
            .iter()
            .map(|&(w, n)| ann(ARTICLE, w, n, Label::Person))
            .collect();
        let store_text = store(&anns);
        let overrides = overrides_with(root, &store_text);
        let parsed = overrides.annotations().for_path(&path).to_vec();
        let mut text = ARTICLE.to_string();
        for (at, len, insert) in edits {
            text = apply_edit(&text, at, len, insert);
            for (_, a) in &parsed {
                let occurrences: Vec<usize> =
                    (0..text.len()).filter(|&p| text.is_char_boundary(p) && text[p..].starts_with(&a.exact)).collect();
                if occurrences.len() == 1 {
                    prop_assert_eq!(
                        anchor(&text, a).map(|s| s.start as usize),
                        Some(occurrences[0]),
                        "{:?} not attached in {:?}", a.exact, text
                    );
                }
            }
            let (placed, failed) = anchor_all(&text, &parsed);
            prop_assert_eq!(placed.len() + failed.len(), parsed.len());
            prop_assert!(placed.windows(2).all(|w| w[0].1.end <= w[1].1.start));
        }
        let a = analyze_at(&path, &text, &overrides);
        prop_assert!(a.mentions.windows(2).all(|w| w[0].span().end <= w[1].span().start));
        for m in &a.mentions {
            prop_assert!(text.is_char_boundary(m.span().start as usize));
            prop_assert!(text.is_char_boundary(m.span().end as usize));
        }
    }
}
