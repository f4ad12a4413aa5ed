//! Learning from the user: the corpus's annotations are training data.
//!
//! The tagger is adapted to them by continued training from the shipped
//! model ([`crate::tagger::train::adapt`]): every sentence the user has
//! spoken about becomes a training sentence, labelled as the analysis
//! labels it once the annotations are applied (the user's spans and labels,
//! `not-a-name` as no name; the machine's other mentions there as they
//! are). An article whose every machine mention is reviewed is taken whole,
//! its sentences without names included. The adapted model is cached beside
//! the persistent index ([`crate::cache::cache_file`]'s folder), keyed by
//! a fingerprint of the annotations, the annotated articles' texts and the
//! engine, so the language server and the command line share it and train
//! it once.
//!
//! The same annotations judge the recognizer's rules, as INCEpTION
//! evaluates its recommenders on what the user annotated and turns off
//! those that score too low: in every annotated article, each mention a
//! rule found is right when the user annotated exactly its span with its
//! kind, and wrong when an annotation overlapping it says otherwise (another
//! span, another kind, not a name). A rule that was wrong at least twice,
//! and more often than right, for one kind is distrusted for that kind
//! ([`RuleTrust`]): its finds are dropped everywhere while these
//! annotations are in force. It travels with the adapted tagger.

use crate::analysis::{analyze, MAX_TAGGED_SENTENCE};
use crate::annotations::{anchor_all, Annotation, Annotations};
use crate::model::{EntityKind, Span};
use crate::recognize::Overrides;
use crate::tagger::data::Sentence;
use crate::tagger::train::{adapt, AdaptConfig};
use crate::tagger::{Label, Tagger};
use crate::text::tokenize::tokenize;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The training sentences of one article: `text` with its annotations
/// `anns`, the machine's analysis made with `machine` (overrides without
/// annotations, the shipped tagger).
pub fn article_sentences(
    text: &str,
    anns: &[(u32, Annotation)],
    machine: &Overrides,
) -> Vec<Sentence> {
    if anns.is_empty() {
        return Vec::new();
    }
    let (placed, _) = anchor_all(text, anns);
    if placed.is_empty() {
        return Vec::new();
    }
    let found = analyze(text, machine).mentions;
    let covered = |s: Span| placed.iter().any(|(_, p)| p.overlaps(s));
    let whole = found.iter().all(|m| covered(m.span()));
    // The names as the user's word leaves them: (span, kind).
    let mut names: Vec<(Span, EntityKind)> = found
        .iter()
        .filter(|m| !covered(m.span()))
        .map(|m| (m.span(), m.kind))
        .collect();
    for &(i, span) in &placed {
        if let Some(kind) = anns[i].1.label.kind() {
            names.push((span, kind));
        }
    }
    names.sort_by_key(|n| n.0);
    let tok = tokenize(text);
    let mut out = Vec::new();
    for sent in &tok.sentences {
        let tokens = &tok.tokens[sent.clone()];
        if tokens.is_empty() || tokens.len() > MAX_TAGGED_SENTENCE {
            continue;
        }
        let range = Span {
            start: tokens[0].span.start,
            end: tokens[tokens.len() - 1].span.end,
        };
        if !whole && !placed.iter().any(|(_, p)| p.overlaps(range)) {
            continue;
        }
        let mut gold = Vec::with_capacity(tokens.len());
        let mut prev: Option<Span> = None;
        for t in tokens {
            let inside = names
                .iter()
                .find(|(s, _)| s.start <= t.span.start && t.span.end <= s.end);
            let label = match inside {
                Some(&(s, kind)) if prev == Some(s) => Label::inside(Label::class_of(kind)),
                Some(&(_, kind)) => Label::begin(Label::class_of(kind)),
                None => Label::O,
            };
            prev = inside.map(|n| n.0);
            gold.push(label);
        }
        let words: Vec<String> = tokens.iter().map(|t| t.text(text).to_string()).collect();
        out.push(Sentence {
            tags: gold.iter().map(|l| l.as_str().to_string()).collect(),
            words,
            gold,
            domain: 0,
        });
    }
    out
}

pub use crate::model::{Extensions, RuleTrust, Verdicts};

/// Adds the verdicts of one article (`text` with its annotations `anns`)
/// on the rules' mentions to `out` (the machine's analysis made with
/// `machine`: overrides without annotations, the shipped tagger).
pub fn rule_verdicts(
    text: &str,
    anns: &[(u32, Annotation)],
    machine: &Overrides,
    out: &mut Verdicts,
) {
    judge_rules(text, anns, machine, out, &mut Extensions::new());
}

/// [`rule_verdicts`], and to `ext` what the user drew where a rule's
/// mention was followed by a space and a capitalised word
/// ([`RuleTrust::next_word`]): exactly the rule's span, or the span and
/// that word, with the rule's kind (a surname the rule stopped before:
/// "Katherina" of "Katherina Reiche").
pub fn judge_rules(
    text: &str,
    anns: &[(u32, Annotation)],
    machine: &Overrides,
    out: &mut Verdicts,
    ext: &mut Extensions,
) {
    if anns.is_empty() {
        return;
    }
    let (placed, _) = anchor_all(text, anns);
    if placed.is_empty() {
        return;
    }
    let tok = tokenize(text);
    let proposals = crate::analysis::tagger_proposals_with(machine.tagger(), text, &tok);
    let found =
        crate::recognize::Recognizer::global().rule_mentions(text, &tok, &proposals, machine);
    // A mention glued to a word ("KVK" heading "KVK-Leiter"): what the
    // user says of the compound says nothing of the rule (as for the
    // learned lexicon).
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
    for (span, kind, rule) in found {
        let r = span.range();
        if glued(text[..r.start].chars().next_back()) || glued(text[r.end..].chars().next()) {
            continue;
        }
        if let Some(end) = RuleTrust::next_word(text, r.end) {
            let drawn = |e: usize| {
                placed.iter().any(|&(i, p)| {
                    p.start == span.start
                        && p.end as usize == e
                        && anns[i].1.label.kind() == Some(kind)
                })
            };
            let (exact, longer) = (drawn(r.end), drawn(end));
            if exact || longer {
                let e = ext.entry((rule, kind)).or_default();
                e.0 += u32::from(exact);
                e.1 += u32::from(longer);
            }
        }
        let exact = placed.iter().find(|(_, p)| *p == span);
        let right = match exact {
            Some(&(i, _)) => anns[i].1.label.kind() == Some(kind),
            // Inside a longer name of its kind: a boundary the rule missed,
            // no verdict on whether it finds names.
            None if placed.iter().any(|&(i, p)| {
                p.start <= span.start && span.end <= p.end && anns[i].1.label.kind() == Some(kind)
            }) =>
            {
                continue
            }
            None if placed.iter().any(|(_, p)| p.overlaps(span)) => false,
            None => continue,
        };
        let v = out.entry((rule, kind)).or_default();
        if right {
            v.0 += 1;
        } else {
            v.1 += 1;
        }
    }
}

/// Sentences the adaptation rehearses beside the user's: the shipped
/// model's validation split of GermEval (440 sentences, gold labels, in
/// the binary). Without them a few dozen articles pulled the tagger
/// towards calling capitalised common nouns names ("Polizei", "Staat"):
/// they keep what the base model knows while it learns the corpus.
pub fn rehearsal() -> Vec<Sentence> {
    static TEXT: &str = include_str!("../../../data/model/validation-germeval.tsv");
    crate::tagger::data::TokenFile::parse(TEXT, crate::tagger::data::Format::GermEval).sentences()
}

/// The adaptation's settings: [`AdaptConfig::default`], or for experiments
/// `GAZETTE_ADAPT_EPOCHS` and `GAZETTE_ADAPT_STEP` from the environment.
pub fn adapt_config() -> AdaptConfig {
    let mut c = AdaptConfig::default();
    let var = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f32>().ok());
    if let Some(e) = var("GAZETTE_ADAPT_EPOCHS") {
        c.epochs = e as usize;
    }
    if let Some(s) = var("GAZETTE_ADAPT_STEP") {
        c.step = s;
    }
    c
}

/// The training sentences of every annotated article of `annotations`
/// (articles read with `read`, by absolute path), and a fingerprint of
/// what they were made of.
pub fn corpus_sentences(
    annotations: &Annotations,
    machine: &Overrides,
    read: &dyn Fn(&Path) -> Option<String>,
) -> (Vec<Sentence>, u64) {
    let (sentences, fingerprint, _) = corpus_lessons(annotations, machine, read);
    (sentences, fingerprint)
}

/// [`corpus_sentences`], and the verdicts of the annotations on the rules
/// ([`rule_verdicts`]) as a [`RuleTrust`].
pub fn corpus_lessons(
    annotations: &Annotations,
    machine: &Overrides,
    read: &dyn Fn(&Path) -> Option<String>,
) -> (Vec<Sentence>, u64, RuleTrust) {
    let mut verdicts = Verdicts::new();
    let mut extensions = Extensions::new();
    let mut h = fxhash::FxHasher64::default();
    crate::cache::ENGINE.hash(&mut h);
    annotations.fingerprint().hash(&mut h);
    format!("{:?}", adapt_config()).hash(&mut h);
    std::env::var("GAZETTE_ADAPT_REHEARSAL").ok().hash(&mut h);
    let mut out = Vec::new();
    let Some(root) = annotations.root() else {
        return (out, h.finish(), RuleTrust::default());
    };
    for (path, anns) in annotations.by_path() {
        let Some(text) = read(&root.join(path)) else {
            continue;
        };
        path.hash(&mut h);
        text.hash(&mut h);
        out.extend(article_sentences(&text, anns, machine));
        judge_rules(&text, anns, machine, &mut verdicts, &mut extensions);
    }
    if std::env::var_os("GAZETTE_RULE_TRUST").is_some_and(|v| v == "0") {
        verdicts.clear();
        extensions.clear();
    }
    if std::env::var_os("GAZETTE_RULE_EXTEND").is_some_and(|v| v == "0") {
        extensions.clear();
    }
    if std::env::var_os("GAZETTE_DEBUG_RULES").is_some() {
        eprintln!("rule verdicts (right, wrong): {verdicts:?}");
        eprintln!("rule extensions (exact, one word more): {extensions:?}");
    }
    let trust = RuleTrust::of(&verdicts).with_extensions(&extensions);
    (out, h.finish(), trust)
}

/// The adapted model's cache file: beside the persistent index file
/// `index_file` (by default the corpus's, [`crate::cache::cache_file`]).
pub fn cache_path(root: &Path, index_file: Option<&Path>, fingerprint: u64) -> Option<PathBuf> {
    let index = match index_file {
        Some(f) => f.to_path_buf(),
        // As the server: `GAZETTE_CACHE_DIR=off` caches nothing.
        None if std::env::var_os("GAZETTE_CACHE_DIR").is_some_and(|v| v == "off") => return None,
        None => crate::cache::cache_file(root, None)?,
    };
    Some(
        index
            .parent()?
            .join(format!("adapted-{fingerprint:016x}.bin")),
    )
}

/// The tagger adapted to the corpus's annotations, with its fingerprint:
/// from the cache when it holds one for exactly these annotations (and
/// texts), else trained now (seconds for a few dozen articles) and cached
/// beside `index_file` (see [`cache_path`]). `None` when there is nothing
/// to learn from (no annotation anchors in its article).
pub fn adapted_tagger(
    annotations: &Annotations,
    machine: &Overrides,
    index_file: Option<&Path>,
    read: &dyn Fn(&Path) -> Option<String>,
) -> Option<(Arc<Tagger>, u64)> {
    if annotations.is_empty() {
        return None;
    }
    let machine = machine
        .clone()
        .with_annotations(Arc::default())
        .with_tagger(None);
    let (sentences, fingerprint, trust) = corpus_lessons(annotations, &machine, read);
    if sentences.is_empty() {
        return None;
    }
    let file = annotations
        .root()
        .and_then(|r| cache_path(r, index_file, fingerprint));
    if let Some(f) = &file {
        // A cached model is gazette's own file, a few MB; the limit only
        // keeps a damaged or foreign file from being read without bound.
        if let Ok(file) = crate::workspace::read_file(f, 64 << 20, None) {
            match Tagger::from_bytes(&file.bytes) {
                Ok(t) => return Some((Arc::new(t.with_rule_trust(trust)), fingerprint)),
                Err(e) => {
                    tracing::warn!("adapted model {} unreadable ({e}), retrained", f.display())
                }
            }
        }
    }
    let t0 = std::time::Instant::now();
    let mut sentences = sentences;
    if std::env::var_os("GAZETTE_ADAPT_REHEARSAL").is_none_or(|v| v != "0") {
        sentences.extend(rehearsal());
    }
    let model = adapt(Tagger::global().model(), &sentences, &adapt_config());
    tracing::info!(
        "tagger adapted to {} sentences in {:.1}s",
        sentences.len(),
        t0.elapsed().as_secs_f32()
    );
    if let Some(f) = &file {
        if let Err(e) = save(f, &model) {
            tracing::warn!("could not cache the adapted model at {}: {e}", f.display());
        }
    }
    Some((
        Arc::new(Tagger::from_model(model).with_rule_trust(trust)),
        fingerprint,
    ))
}

/// Writes the model to `file` (`workspace::write_atomic`: a temporary file
/// and a rename) and removes the other adapted models cached beside it.
fn save(file: &Path, model: &crate::tagger::model::Model) -> anyhow::Result<()> {
    let dir = file.parent().ok_or_else(|| anyhow::anyhow!("no folder"))?;
    std::fs::create_dir_all(dir)?;
    crate::workspace::write_atomic(file, &model.encode()?)?;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p != file && name.starts_with("adapted-") && name.ends_with(".bin") {
                let _ = std::fs::remove_file(p);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::{Label as AnnLabel, Status};

    fn ann(text: &str, exact: &str, label: AnnLabel) -> (u32, Annotation) {
        let s = text.find(exact).unwrap();
        let span = Span::new(s, s + exact.len());
        (
            0,
            Annotation::new("a.txt", text, span, label, None, Status::Added),
        )
    }

    #[test]
    fn annotated_sentences_carry_the_users_labels() {
        let text = "Gestern sprach Quaxel Brümmer in Zorbaland.\nDas Wetter war gut.\n\
                    Die Firma Hexenwerk tagte in Berlin.";
        let anns = vec![
            ann(text, "Quaxel Brümmer", AnnLabel::Organisation),
            ann(text, "Zorbaland", AnnLabel::Place),
        ];
        let sents = article_sentences(text, &anns, &Overrides::default());
        // Only the annotated sentence: the article has unreviewed mentions
        // ("Berlin") elsewhere.
        assert_eq!(sents.len(), 1, "{sents:?}");
        let s = &sents[0];
        let tag = |w: &str| s.gold[s.words.iter().position(|x| x == w).unwrap()].as_str();
        assert_eq!(tag("Quaxel"), "B-ORG");
        assert_eq!(tag("Brümmer"), "I-ORG");
        assert_eq!(tag("Zorbaland"), "B-LOC");
        assert_eq!(tag("sprach"), "O");
        // A not-a-name makes the span O.
        let anns = vec![ann(text, "Berlin", AnnLabel::NotAName)];
        let sents = article_sentences(text, &anns, &Overrides::default());
        let s = sents.last().unwrap();
        let i = s.words.iter().position(|x| x == "Berlin").unwrap();
        assert_eq!(s.gold[i], Label::O);
    }

    #[test]
    fn unanchored_annotations_teach_nothing() {
        let text = "Olaf Scholz kam.";
        let mut a = ann(text, "Olaf Scholz", AnnLabel::Person);
        a.1.exact = "Angela Merkel".into();
        a.1.end = a.1.start + a.1.exact.len() as u32;
        assert!(article_sentences(text, &[a], &Overrides::default()).is_empty());
    }

    #[test]
    fn a_rule_is_distrusted_only_when_clearly_wrong() {
        let v = |right, wrong| {
            let mut m = Verdicts::new();
            m.insert(("first-names", EntityKind::Person), (right, wrong));
            RuleTrust::of(&m).distrusts("first-names", EntityKind::Person)
        };
        assert!(v(0, 4) && v(1, 7) && v(2, 14));
        assert!(!v(0, 3) && !v(1, 6) && !v(4, 5) && !v(0, 0));
        let mut m = Verdicts::new();
        m.insert(("first-names", EntityKind::Person), (0, 5));
        let t = RuleTrust::of(&m);
        assert!(!t.distrusts("first-names", EntityKind::Org));
        assert!(!t.distrusts("streets", EntityKind::Person));
    }

    #[test]
    fn the_users_word_judges_the_rules_that_found_a_mention() {
        let text = "Gestern sprach Maria Quaxel mit Peter Brümmer. Die Klara Zorbig-Stiftung half.";
        let machine = Overrides::default();
        let mut v = Verdicts::new();
        let anns = vec![
            ann(text, "Maria Quaxel", AnnLabel::NotAName),
            ann(text, "Peter Brümmer", AnnLabel::Person),
        ];
        rule_verdicts(text, &anns, &machine, &mut v);
        assert_eq!(
            v.get(&("first-names", EntityKind::Person)),
            Some(&(1, 1)),
            "{v:?}"
        );
        // Another kind is wrong; a name inside a longer one of its kind is
        // a boundary, no verdict; no annotation, no verdict.
        let mut v = Verdicts::new();
        let text = "Gestern sprach Maria Quaxel mit Peter Brümmer.";
        let anns = vec![
            ann(text, "Maria Quaxel", AnnLabel::Organisation),
            ann(text, "mit Peter Brümmer", AnnLabel::Person),
        ];
        rule_verdicts(text, &anns, &machine, &mut v);
        assert_eq!(
            v.get(&("first-names", EntityKind::Person)),
            Some(&(0, 1)),
            "{v:?}"
        );
    }

    #[test]
    fn a_rule_is_extended_when_the_user_goes_on_by_a_word() {
        fn w(t: &str, end: usize) -> Option<&str> {
            RuleTrust::next_word(t, end).map(|e| &t[end..e])
        }
        assert_eq!(w("Katherina Reiche sagte", 9), Some(" Reiche"));
        assert_eq!(w("Katherina Reiche, sagte", 9), Some(" Reiche"));
        assert_eq!(w("Hans Müller-Wohlfahrt.", 4), Some(" Müller-Wohlfahrt"));
        assert_eq!(w("Katherina sagte", 9), None);
        assert_eq!(w("Katherina  Reiche", 9), None);
        assert_eq!(w("Katherina\nReiche", 9), None);
        assert_eq!(w("Katherina REICHE", 9), None);
        assert_eq!(w("Katherina Reiche2", 9), None);
        let x = |exact, longer| {
            let mut m = Extensions::new();
            m.insert(("first-names", EntityKind::Person), (exact, longer));
            RuleTrust::of(&Verdicts::new())
                .with_extensions(&m)
                .extends("first-names", EntityKind::Person)
        };
        assert!(x(0, 2) && x(2, 3));
        assert!(!x(0, 1) && !x(2, 2) && !x(0, 0));
        assert!(RuleTrust::of(&Verdicts::new()).is_empty());
        assert!(!RuleTrust::default().extends("first-names", EntityKind::Person));
    }

    #[test]
    fn an_extended_rule_takes_the_next_word() {
        // (A name no gazetteer lists.) A capitalised word after "Reiche": no surname reading of the
        // common word (lexicon::surname_ok), so the rule stops at the first name.
        let text = "Bundeswirtschaftsministerin Verena Reiche Anfang Mai in Berlin. \
                    Dann sagte Reiche nichts.";
        let machine = Overrides::default();
        let found = |o: &Overrides| {
            crate::analysis::analyze(text, o)
                .mentions
                .iter()
                .filter(|m| m.kind == EntityKind::Person)
                .map(|m| text[m.span().range()].to_string())
                .collect::<Vec<_>>()
        };
        let plain = found(&machine);
        assert_eq!(plain, ["Verena"], "{plain:?}");
        // The user drew the rule's name with the word after it.
        let (mut v, mut e) = (Verdicts::new(), Extensions::new());
        let anns = vec![ann(text, "Verena Reiche", AnnLabel::Person)];
        judge_rules(text, &anns, &machine, &mut v, &mut e);
        let rules: Vec<_> = e.iter().collect();
        assert!(
            matches!(rules[..], [(&(_, EntityKind::Person), &(0, 1))]),
            "{e:?}"
        );
        let rule = rules[0].0 .0;
        // The rule's span as it was, with a word after it: counted as such.
        let anns = vec![ann(text, "Verena", AnnLabel::Person)];
        let mut e2 = Extensions::new();
        judge_rules(text, &anns, &machine, &mut v, &mut e2);
        assert_eq!(e2.get(&(rule, EntityKind::Person)), Some(&(1, 0)), "{e2:?}");
        e.insert((rule, EntityKind::Person), (0, 2));
        let tagger = Tagger::embedded()
            .unwrap()
            .with_rule_trust(RuleTrust::of(&Verdicts::new()).with_extensions(&e));
        let o = Overrides::default().with_tagger(Some((Arc::new(tagger), 1)));
        let after = found(&o);
        // The surname repeats read the longer name.
        assert_eq!(after, ["Verena Reiche", "Reiche"], "{after:?}");
        // No word after the name: nothing changes.
        let t2 = "Bundeswirtschaftsministerin Verena sprach.";
        let m = crate::analysis::analyze(t2, &o).mentions;
        let plain2 = crate::analysis::analyze(t2, &machine).mentions;
        assert_eq!(m, plain2);
    }

    #[test]
    fn a_distrusted_rule_finds_nothing() {
        let text = "Gestern sprach Maria Quaxel in Berlin.";
        let found = |o: &Overrides| {
            crate::analysis::analyze(text, o)
                .mentions
                .iter()
                .map(|m| (text[m.span().range()].to_string(), m.source))
                .collect::<Vec<_>>()
        };
        let plain = found(&Overrides::default());
        assert!(
            plain.contains(&("Maria Quaxel".into(), crate::model::Source::Rule)),
            "{plain:?}"
        );
        let mut m = Verdicts::new();
        m.insert(("first-names", EntityKind::Person), (0, 4));
        let tagger = Tagger::embedded()
            .unwrap()
            .with_rule_trust(RuleTrust::of(&m));
        let o = Overrides::default().with_tagger(Some((Arc::new(tagger), 1)));
        let after = found(&o);
        assert!(
            !after.contains(&("Maria Quaxel".into(), crate::model::Source::Rule)),
            "{after:?}"
        );
        assert!(after.iter().any(|(s, _)| s == "Berlin"), "{after:?}");
    }
}
