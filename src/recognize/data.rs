//! Embedded gazetteers and cue lists (see `data/gazetteers/` and
//! `data/NOTICE.md`), loaded once into hash-based lookup structures.

use crate::model::EntityKind;
use fxhash::{FxHashMap, FxHashSet};
use std::io::Read;

const PLACES: &str = include_str!("../../data/gazetteers/places.tsv");
const PLACES_EXTRA: &str = include_str!("../../data/gazetteers/places-extra.tsv");
const PERSONS: &str = include_str!("../../data/gazetteers/persons.tsv");
const ORGS: &str = include_str!("../../data/gazetteers/orgs.tsv");
// Hand-curated organisation lists (media, clubs, companies, public bodies).
const ORGS_MEDIA: &str = include_str!("../../data/gazetteers/orgs-media.tsv");
const ORGS_SPORT: &str = include_str!("../../data/gazetteers/orgs-sport.tsv");
const ORGS_BUSINESS: &str = include_str!("../../data/gazetteers/orgs-business.tsv");
const ORGS_PUBLIC: &str = include_str!("../../data/gazetteers/orgs-public.tsv");
const FIRST_NAMES: &str = include_str!("../../data/gazetteers/first-names.txt");
const FIRST_NAMES_AMB: &str = include_str!("../../data/gazetteers/first-names-ambiguous.txt");
const FIRST_NAMES_DE: &str = include_str!("../../data/gazetteers/first-names-de.txt");
const SURNAMES: &str = include_str!("../../data/gazetteers/surnames.txt");
const ROLES: &str = include_str!("../../data/gazetteers/roles.txt");
const STOPWORDS: &str = include_str!("../../data/gazetteers/stopwords.txt");
const NOT_ORGS: &str = include_str!("../../data/gazetteers/not-orgs.txt");
const COUNTRY_ADJ: &str = include_str!("../../data/gazetteers/country-adjectives.txt");
const COMMON_GZ: &[u8] = include_bytes!("../../data/gazetteers/common-words.txt.gz");

pub(crate) fn h(s: &str) -> u64 {
    fxhash::hash64(s)
}

/// A set of words stored as 64-bit hashes (compact; collisions are
/// negligible at these sizes).
#[derive(Default)]
pub(crate) struct WordSet(FxHashSet<u64>);

impl WordSet {
    pub fn insert(&mut self, w: &str) {
        self.0.insert(h(w));
    }
    pub fn contains(&self, w: &str) -> bool {
        self.0.contains(&h(w))
    }
}

/// A multi-word (or single-word) name with its kind and canonical form.
pub(crate) struct Phrase {
    pub words: Box<[Box<str>]>,
    pub kind: EntityKind,
    pub norm: Box<str>,
}

/// Phrases indexed by the hash of their first word.
#[derive(Default)]
pub(crate) struct PhraseTable {
    pub by_first: FxHashMap<u64, Vec<u32>>,
    pub phrases: Vec<Phrase>,
    /// Upper-case single-word entries ("NATO"), for title-case variants ("Nato").
    pub acronyms: WordSet,
}

impl PhraseTable {
    pub fn add(&mut self, surface: &str, kind: EntityKind, norm: &str) {
        let words: Vec<Box<str>> = crate::text::tokenize::tokens(surface)
            .iter()
            .map(|t| t.text(surface).into())
            .collect();
        if words.is_empty() {
            return;
        }
        if words.len() == 1 && is_all_caps(&words[0]) {
            self.acronyms.insert(&words[0]);
        }
        // Adjective-inflected variants of multi-word names.
        let mut variants: Vec<Vec<Box<str>>> = vec![words.clone()];
        if words.len() > 1 {
            for (i, w) in words.iter().enumerate().take(words.len() - 1) {
                if !w.chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                let stem = ["es", "er", "en", "em", "e"]
                    .iter()
                    .find_map(|suf| w.strip_suffix(suf).map(|s| (s, *suf)));
                let Some((stem, suf)) = stem else { continue };
                if stem.chars().count() < 3 || !looks_adjectival(stem, suf) {
                    continue;
                }
                let mut more = Vec::new();
                for v in &variants {
                    for alt in ["e", "en", "er", "es", "em"] {
                        if alt == suf {
                            continue;
                        }
                        let mut nv = v.clone();
                        nv[i] = format!("{stem}{alt}").into();
                        more.push(nv);
                    }
                }
                variants.extend(more);
            }
        }
        for v in variants {
            let idx = self.phrases.len() as u32;
            self.by_first.entry(h(&v[0])).or_default().push(idx);
            self.phrases.push(Phrase {
                words: v.into_boxed_slice(),
                kind,
                norm: norm.into(),
            });
        }
    }
}

/// Adjective stems in names: "Europäisch-e", "Vereinigt-e", "Weiß-es", "Rot-es".
fn looks_adjectival(stem: &str, suf: &str) -> bool {
    stem.ends_with("isch")
        || stem.ends_with("ig")
        || stem.ends_with("igt")
        || stem.ends_with("int")
        || stem.ends_with("al")
        || stem.ends_with("lich")
        || stem.ends_with("iert")
        || (suf != "e" && suf != "en")
        || matches!(
            stem,
            "Weiß" | "Rot" | "Schwarz" | "Nah" | "Neu" | "Groß" | "Frei"
        )
}

pub(crate) fn is_all_caps(w: &str) -> bool {
    let mut letters = 0;
    for c in w.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

pub(crate) struct Data {
    pub names: PhraseTable,
    pub first_names: WordSet,
    /// First names common enough to be a person mention on their own.
    pub bare_first_names: WordSet,
    /// First names that are also common words ("Ernst"): only before a clear surname.
    pub ambiguous_first_names: WordSet,
    pub surnames: WordSet,
    /// Surnames of well-known people (persons.tsv), recognised when bare.
    pub famous_surnames: WordSet,
    pub common: WordSet,
    pub stopwords: &'static WordSet,
    /// All-caps tokens that are not organisations (units, codes).
    pub not_orgs: WordSet,
    /// Role heads matched as a compound ending.
    pub roles_suffix: Vec<Box<str>>,
    /// Role words matched exactly (titles: "Herr", "Dr").
    pub roles_exact: WordSet,
    /// Country adjective stems ("russisch").
    pub country_adj: Vec<Box<str>>,
}

fn data_lines(s: &str) -> impl Iterator<Item = &str> {
    s.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The function words of `stopwords.txt` (lower case), loaded on first use
/// without the rest of the data (the knowledge base checks aliases with it).
pub(crate) fn stopwords() -> &'static WordSet {
    static S: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        let mut stopwords = WordSet::default();
        for l in data_lines(STOPWORDS) {
            for w in l.split_whitespace() {
                stopwords.insert(w);
            }
        }
        stopwords
    })
}

impl Data {
    pub fn load() -> Data {
        let mut names = PhraseTable::default();
        for (src, kind) in [
            (ORGS, EntityKind::Org),
            (ORGS_MEDIA, EntityKind::Org),
            (ORGS_SPORT, EntityKind::Org),
            (ORGS_BUSINESS, EntityKind::Org),
            (ORGS_PUBLIC, EntityKind::Org),
            (PLACES_EXTRA, EntityKind::Place),
            (PLACES, EntityKind::Place),
        ] {
            for l in data_lines(src) {
                let mut it = l.split('\t');
                let surface = it.next().unwrap_or("").trim();
                let norm = it.next().map(str::trim).unwrap_or(surface);
                if !surface.is_empty() {
                    names.add(surface, kind, norm);
                }
            }
        }
        let mut famous_surnames = WordSet::default();
        for l in data_lines(PERSONS) {
            if let Some(last) = l.rsplit(' ').next() {
                famous_surnames.insert(last);
            }
        }
        let mut first_names = WordSet::default();
        data_lines(FIRST_NAMES).for_each(|w| first_names.insert(w));
        let mut bare_first_names = WordSet::default();
        data_lines(FIRST_NAMES_DE).for_each(|w| bare_first_names.insert(w));
        let mut ambiguous_first_names = WordSet::default();
        data_lines(FIRST_NAMES_AMB).for_each(|w| ambiguous_first_names.insert(w));
        let mut surnames = WordSet::default();
        data_lines(SURNAMES).for_each(|w| surnames.insert(w));
        let stopwords = stopwords();
        let mut not_orgs = WordSet::default();
        for l in data_lines(NOT_ORGS) {
            l.split_whitespace().for_each(|w| not_orgs.insert(w));
        }
        let mut roles_suffix: Vec<Box<str>> = Vec::new();
        let mut roles_exact = WordSet::default();
        for l in data_lines(ROLES) {
            if let Some(x) = l.strip_prefix('=') {
                roles_exact.insert(x);
            } else {
                roles_suffix.push(l.into());
            }
        }
        // Longest first so "generalsekretär" wins over "sekretär".
        roles_suffix.sort_by_key(|r| std::cmp::Reverse(r.len()));
        let country_adj = data_lines(COUNTRY_ADJ).map(Into::into).collect();
        let mut common = WordSet::default();
        let mut text = String::new();
        flate2::read::GzDecoder::new(COMMON_GZ)
            .read_to_string(&mut text)
            .expect("embedded common-words list is valid gzip");
        for w in text.lines() {
            common.insert(w);
        }
        Data {
            names,
            first_names,
            bare_first_names,
            ambiguous_first_names,
            surnames,
            famous_surnames,
            common,
            stopwords,
            not_orgs,
            roles_suffix,
            roles_exact,
            country_adj,
        }
    }
}
