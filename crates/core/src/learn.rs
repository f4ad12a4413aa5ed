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
            out_of_domain: false,
        });
    }
    out
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
    let mut h = fxhash::FxHasher64::default();
    crate::cache::ENGINE.hash(&mut h);
    annotations.fingerprint().hash(&mut h);
    format!("{:?}", adapt_config()).hash(&mut h);
    std::env::var("GAZETTE_ADAPT_REHEARSAL").ok().hash(&mut h);
    let mut out = Vec::new();
    let Some(root) = annotations.root() else {
        return (out, h.finish());
    };
    for (path, anns) in annotations.by_path() {
        let Some(text) = read(&root.join(path)) else {
            continue;
        };
        path.hash(&mut h);
        text.hash(&mut h);
        out.extend(article_sentences(&text, anns, machine));
    }
    (out, h.finish())
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
    let (sentences, fingerprint) = corpus_sentences(annotations, &machine, read);
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
                Ok(t) => return Some((Arc::new(t), fingerprint)),
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
    Some((Arc::new(Tagger::from_model(model)), fingerprint))
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
}
