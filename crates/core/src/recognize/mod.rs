//! Rule- and gazetteer-based recognizer for names in German news text.
//!
//! Candidates come from, in order of authority: the user's knowledge base
//! ([`Overrides`]), gazetteers (places, organisations), rules (first name +
//! surname, role cue + name, datelines, photo credits, acronyms, org suffixes,
//! "Friends of Europe" / "Institut für …" patterns, surname repeats) and
//! finally the statistical tagger's [`Proposal`]s, which only fill gaps and
//! must pass sanity filters. Overlaps are resolved greedily (knowledge base
//! first, then longer spans, then authority), so the result is sorted and
//! non-overlapping.
//!
//! Each source of candidates is a rule in its own file under `rules/`, with
//! its examples and unit tests beside it; `rules::RULES` lists them in the
//! order they run (the order matters: ties in `select` keep push order, and
//! surname repeats read the persons found before them). The word predicates
//! the rules share (common nouns, function words, roles, first names) are in
//! `lexicon`. This file keeps the public API, the per-token facts (`Tok`),
//! the candidates (`Cand`) and the overlap resolution (`select`).

mod consistency;
mod data;
#[cfg(test)]
mod eval;
mod lexicon;
mod links;
mod rules;

use crate::model::{EntityKind, FoundName, Source, Span};
use crate::text::tokenize::{TokenKind, Tokenized};
use data::{is_all_caps, Data, PhrasePatch, PhraseTable, Phrases};
use std::sync::OnceLock;

/// The recognizer: immutable gazetteers and cue lists, shared by all threads.
pub struct Recognizer {
    d: Data,
}

/// A candidate span proposed by the statistical tagger (another module);
/// token indices into `Tokenized.tokens`.
#[derive(Clone, Debug)]
pub struct Proposal {
    pub tokens: std::ops::Range<usize>,
    pub kind: EntityKind,
    pub score: f32,
}

/// User knowledge (from the corpus's gazette.toml knowledge base): extra
/// names and non-names. The names are compiled into a phrase table once,
/// when the overrides are made (not per analysed document: with 10^5
/// entries that was most of every article's analysis); clones share it.
/// A keystroke in one entry replaces that entry's names in a small patch
/// ([`Self::replace_entry`]) instead of compiling every entry again.
#[derive(Clone, Default)]
pub struct Overrides {
    names: std::sync::Arc<[OverrideName]>,
    /// The knowledge-base entry each of `names` came from (parallel).
    origins: std::sync::Arc<[u32]>,
    ignore: std::sync::Arc<[String]>,
    /// The ignore list in lower case, as matched.
    ignore_lower: std::sync::Arc<[String]>,
    table: std::sync::Arc<PhraseTable>,
    /// Entries replaced since `names` and `table` were made.
    patch: Option<std::sync::Arc<Patch>>,
    /// The corpus's mention-level annotations, applied after recognition
    /// ([`crate::analysis::analyze_at`]).
    annotations: std::sync::Arc<crate::annotations::Annotations>,
    /// The tagger adapted to the corpus's annotations
    /// ([`crate::learn`]), with its fingerprint; `None`: the
    /// shipped model.
    tagger: Option<(std::sync::Arc<crate::tagger::Tagger>, u64)>,
    /// The learned lexicon compiled from `annotations`
    /// ([`crate::annotations::lexicon`]).
    learned: std::sync::Arc<Learned>,
}

/// The learned lexicon as the recognizer matches it: the surfaces the user
/// annotated as names (a phrase table, matched like the gazetteers), those
/// marked `not-a-name`, the single words among them (their other
/// inflections are no names either), and the head words
/// (`rules/learned.rs`).
#[derive(Default)]
struct Learned {
    table: PhraseTable,
    names: usize,
    not_names: fxhash::FxHashSet<String>,
    /// The single words among `not_names`.
    not_words: fxhash::FxHashSet<String>,
    heads: fxhash::FxHashMap<(String, crate::annotations::lexicon::HeadSide), EntityKind>,
}

/// The inflection endings of German nouns a not-a-name word may take or
/// lose ("Gewinn", "Gewinns", "Gewinne", "Gewinnen"); not "-er", which
/// makes demonyms and adjectives of names ("Berliner").
const NOUN_ENDINGS: &[&str] = &["en", "es", "e", "n", "s"];

/// `w` and its forms without an inflection ending (four letters or more
/// left).
fn noun_bases(w: &str) -> impl Iterator<Item = &str> {
    std::iter::once(w).chain(
        NOUN_ENDINGS
            .iter()
            .filter_map(move |e| w.strip_suffix(e))
            .filter(|s| s.chars().count() >= 4),
    )
}

/// `surface` with its first word, a capitalised adjective (its lower-case
/// form a common word: "neue", "linken"), in the other ending of -e and
/// -en: "Neue Nationalgalerie" → "Neuen Nationalgalerie", "Linken" →
/// "Linke".
fn adjective_inflection(r: &Recognizer, surface: &str) -> Option<String> {
    let (first, rest) = match surface.split_once(' ') {
        Some((f, rest)) => (f, Some(rest)),
        None => (surface, None),
    };
    let adjective = first.chars().count() >= 4
        && first.chars().all(char::is_alphabetic)
        && first.chars().next().is_some_and(char::is_uppercase)
        && !is_all_caps(first)
        && r.d.common.contains(&first.to_lowercase());
    if !adjective {
        return None;
    }
    let other = if let Some(b) = first.strip_suffix("en") {
        format!("{b}e")
    } else if first.ends_with('e') {
        format!("{first}n")
    } else {
        return None;
    };
    if !r.d.common.contains(&other.to_lowercase()) {
        return None;
    }
    Some(match rest {
        Some(rest) => format!("{other} {rest}"),
        None => other,
    })
}

impl Learned {
    fn of(l: &crate::annotations::lexicon::LearnedNames, r: &Recognizer) -> Learned {
        let mut table = PhraseTable::default();
        for (surface, kind) in &l.names {
            table.add(surface, *kind, surface);
        }
        // An organisation or place opened by an adjective is learned in
        // its other ending too ("Linke" and "Linken", "Neue Nationalgalerie"
        // and "Neuen Nationalgalerie"), unless the user said otherwise of
        // that surface.
        let said =
            |v: &str| l.names.iter().any(|(s, _)| s == v) || l.not_names.iter().any(|s| s == v);
        for (surface, kind) in &l.names {
            if matches!(kind, EntityKind::Org | EntityKind::Place) {
                if let Some(v) = adjective_inflection(r, surface) {
                    if !said(&v) {
                        table.add(&v, *kind, surface);
                    }
                }
            }
        }
        // A capitalised single word, not an acronym.
        let word = |w: &str| {
            w.chars().next().is_some_and(char::is_uppercase)
                && !is_all_caps(w)
                && w.chars().all(char::is_alphabetic)
        };
        let not_words = l.not_names.iter().filter(|s| word(s)).cloned().collect();
        // A head word is a common noun, or stood in two names or more.
        let heads = l
            .heads
            .iter()
            .filter(|(w, _, _, names)| {
                (*names >= 2
                    || r.is_common(w)
                    || r.compound_of_common(w)
                    || lexicon::noun_suffix(w))
                    && !r.is_stop(w)
                    && r.role_of(w).is_none()
                    && !r.is_first_name(w)
            })
            .map(|(w, side, kind, _)| ((w.clone(), *side), *kind))
            .collect();
        Learned {
            table,
            names: l.names.len(),
            not_names: l.not_names.iter().cloned().collect(),
            not_words,
            heads,
        }
    }

    /// Does the learned lexicon say `surface` is no name? Exactly, or as
    /// one of its surfaces with a genitive -s ("Amt" covers "Amts", not
    /// "Amtes"), or as another inflection of a single word the user
    /// marked ("Rekordgewinn" covers "Rekordgewinne").
    fn not_a_name(&self, surface: &str) -> bool {
        !self.not_names.is_empty()
            && (self.not_names.contains(surface)
                || surface
                    .strip_suffix('s')
                    .is_some_and(|s| self.not_names.contains(s))
                || (!self.not_words.is_empty()
                    && !surface.contains(char::is_whitespace)
                    && self.inflection_of_not_word(surface)))
    }

    /// Is `w` a marked single word with another inflection ending (or
    /// none)? One of `w`'s bases, or a base with an ending, is marked.
    fn inflection_of_not_word(&self, w: &str) -> bool {
        noun_bases(w).any(|b| {
            self.not_words.contains(b)
                || NOUN_ENDINGS.iter().any(|e| {
                    let mut f = String::with_capacity(b.len() + e.len());
                    f.push_str(b);
                    f.push_str(e);
                    self.not_words.contains(&f)
                })
        })
    }

    /// The kind a learned head word `w` cues on `side`, if any.
    fn head(&self, w: &str, side: crate::annotations::lexicon::HeadSide) -> Option<EntityKind> {
        if self.heads.is_empty() {
            return None;
        }
        self.heads.get(&(w.to_string(), side)).copied()
    }
}

/// The entries [`Overrides::replace_entry`] replaced: their names now, and
/// the phrases compiled from them.
#[derive(Default)]
struct Patch {
    entries: std::collections::BTreeMap<u32, Vec<OverrideName>>,
    phrases: PhrasePatch,
}

/// How many items a step of freeing drops before it pauses.
const FREE_STEP: usize = 1024;

impl Overrides {
    /// Drops these overrides a step at a time, calling `pause` between
    /// steps (see [`crate::kb::KnowledgeBase::free_in_steps`]). Shared
    /// parts (clones still in use) are left to their last owner.
    pub fn free_in_steps(self, pause: &mut dyn FnMut()) {
        let Overrides {
            mut names,
            origins,
            ignore,
            ignore_lower,
            mut table,
            patch,
            annotations,
            tagger,
            learned,
        } = self;
        drop(annotations);
        drop(tagger);
        drop(learned);
        if let Some(names) = std::sync::Arc::get_mut(&mut names) {
            for chunk in names.chunks_mut(FREE_STEP) {
                for n in chunk {
                    drop(std::mem::take(&mut n.surface));
                    drop(std::mem::take(&mut n.canonical));
                }
                pause();
            }
        }
        drop((names, origins, ignore, ignore_lower, patch));
        if let Some(table) = std::sync::Arc::get_mut(&mut table) {
            let mut phrases = std::mem::take(&mut table.phrases);
            while !phrases.is_empty() {
                let keep = phrases.len().saturating_sub(FREE_STEP);
                phrases.truncate(keep);
                pause();
            }
            let mut by_first = std::mem::take(&mut table.by_first);
            let mut n = 0;
            for item in by_first.drain() {
                drop(item);
                n += 1;
                if n % FREE_STEP == 0 {
                    pause();
                }
            }
        }
        drop(table);
    }

    /// Overrides of `names`, each its own entry.
    pub fn new(names: Vec<OverrideName>, ignore: Vec<String>) -> Overrides {
        let origins = (0..names.len() as u32).collect();
        Overrides::with_origins(names, origins, ignore)
    }

    /// Overrides of `names`, the knowledge-base entry each came from in
    /// `origins` (parallel, in entry order): what
    /// [`Self::replace_entry`] replaces.
    pub fn with_origins(
        names: Vec<OverrideName>,
        origins: Vec<u32>,
        ignore: Vec<String>,
    ) -> Overrides {
        debug_assert_eq!(names.len(), origins.len());
        let mut table = PhraseTable::default();
        for (o, &origin) in names.iter().zip(&origins) {
            table.add_from(origin, &o.surface, o.kind, &o.canonical);
        }
        Overrides {
            names: names.into(),
            origins: origins.into(),
            ignore_lower: ignore.iter().map(|s| s.to_lowercase()).collect(),
            ignore: ignore.into(),
            table: std::sync::Arc::new(table),
            patch: None,
            annotations: Default::default(),
            tagger: None,
            learned: Default::default(),
        }
    }

    /// These overrides with entry `entry`'s names replaced by `names` (a
    /// keystroke in that entry): the compiled table is shared, the entry's
    /// old phrases are hidden and its new ones compiled on their own.
    /// Costs the replaced entries' names, not the table's (see
    /// [`Self::patched_entries`]); matches exactly as overrides made again
    /// from every entry would (tested).
    pub fn replace_entry(&self, entry: u32, names: Vec<OverrideName>) -> Overrides {
        let mut entries = self
            .patch
            .as_ref()
            .map(|p| p.entries.clone())
            .unwrap_or_default();
        entries.insert(entry, names);
        let mut phrases = PhrasePatch::default();
        for (&e, names) in &entries {
            phrases.hidden.insert(e);
            for o in names {
                phrases.table.add_from(e, &o.surface, o.kind, &o.canonical);
            }
        }
        Overrides {
            patch: Some(std::sync::Arc::new(Patch { entries, phrases })),
            ..self.clone()
        }
    }

    /// How many entries [`Self::replace_entry`] replaced (each replacement
    /// compiles all of them again).
    pub fn patched_entries(&self) -> usize {
        self.patch.as_ref().map_or(0, |p| p.entries.len())
    }

    /// The extra names (surface, kind, canonical name), by entry.
    pub fn names(&self) -> Vec<OverrideName> {
        let Some(patch) = &self.patch else {
            return self.names.to_vec();
        };
        let mut out: Vec<(u32, OverrideName)> = self
            .origins
            .iter()
            .zip(self.names.iter())
            .filter(|(o, _)| !patch.entries.contains_key(o))
            .map(|(&o, n)| (o, n.clone()))
            .collect();
        for (&e, names) in &patch.entries {
            out.extend(names.iter().map(|n| (e, n.clone())));
        }
        out.sort_by_key(|(o, _)| *o);
        out.into_iter().map(|(_, n)| n).collect()
    }

    /// Whether there are any names to match.
    fn has_names(&self) -> bool {
        !self.names.is_empty() || self.patch.is_some()
    }

    /// The compiled names, as matched.
    fn phrases(&self) -> Phrases<'_> {
        Phrases {
            base: &self.table,
            patch: self.patch.as_deref().map(|p| &p.phrases),
        }
    }

    /// The surfaces that are not names.
    pub fn ignore(&self) -> &[String] {
        &self.ignore
    }

    /// The corpus's mention-level annotations.
    pub fn annotations(&self) -> &std::sync::Arc<crate::annotations::Annotations> {
        &self.annotations
    }

    /// These overrides with `annotations` in force.
    pub fn with_annotations(
        mut self,
        annotations: std::sync::Arc<crate::annotations::Annotations>,
    ) -> Overrides {
        let learned = crate::annotations::lexicon::learned(&annotations);
        self.learned = std::sync::Arc::new(Learned::of(&learned, Recognizer::global()));
        self.annotations = annotations;
        self
    }

    /// These overrides without the learned lexicon (the annotations stay):
    /// for an article with annotations of its own.
    pub fn without_learned(mut self) -> Overrides {
        self.learned = Default::default();
        self
    }

    /// Whether the learned lexicon has names to match.
    fn has_learned_names(&self) -> bool {
        self.learned.names > 0
    }

    /// Whether the learned lexicon has head words to match.
    fn has_learned_heads(&self) -> bool {
        !self.learned.heads.is_empty()
    }

    /// The kind the learned head word `w` cues on `side`, if any.
    fn learned_head(
        &self,
        w: &str,
        side: crate::annotations::lexicon::HeadSide,
    ) -> Option<EntityKind> {
        self.learned.head(w, side)
    }

    /// The learned lexicon's names, as matched.
    fn learned_phrases(&self) -> Phrases<'_> {
        Phrases::of(&self.learned.table)
    }

    /// The tagger analyses run with: the adapted one when set, else the
    /// shipped model.
    pub fn tagger(&self) -> &crate::tagger::Tagger {
        match &self.tagger {
            Some((t, _)) => t,
            None => crate::tagger::Tagger::global(),
        }
    }

    /// The rules the corpus's annotations distrust (carried by the adapted
    /// tagger, [`crate::learn::RuleTrust`]); none without annotations.
    pub fn distrusted_rules(&self) -> &crate::model::RuleTrust {
        self.tagger().rule_trust()
    }

    /// The adapted tagger and its fingerprint, `None` for the shipped model.
    pub fn adapted_tagger(&self) -> Option<(std::sync::Arc<crate::tagger::Tagger>, u64)> {
        self.tagger.clone()
    }

    /// The adapted tagger's fingerprint, `None` for the shipped model.
    pub fn tagger_fingerprint(&self) -> Option<u64> {
        self.tagger.as_ref().map(|(_, f)| *f)
    }

    /// These overrides with `tagger` (fingerprint `fingerprint`: it keys
    /// the persistent index) in place of the shipped model; `None` goes
    /// back to the shipped model.
    pub fn with_tagger(
        mut self,
        tagger: Option<(std::sync::Arc<crate::tagger::Tagger>, u64)>,
    ) -> Overrides {
        self.tagger = tagger;
        self
    }
}

impl std::fmt::Debug for Overrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overrides")
            .field("names", &self.names.len())
            .field("ignore", &self.ignore)
            .field("annotations", &self.annotations)
            .field("tagger", &self.tagger_fingerprint())
            .finish()
    }
}

/// Is `w` a function word ("und", "die", "the"): a word that is never a
/// name on its own (case-insensitive; `data/gazetteers/stopwords.txt`)?
pub fn is_function_word(w: &str) -> bool {
    let w = w.trim();
    !w.is_empty() && lexicon::with_lower(w, |l| data::stopwords().contains(l))
}

/// Whether `prev`, the word before a capitalised one, makes it a common
/// noun: a function word ("der Koch", "ins Eck"), but not an honorific
/// ("Frau Reiche", "Herrn Koch").
pub(super) fn article_before(prev: &str) -> bool {
    is_function_word(prev) && !matches!(prev, "Frau" | "Herr" | "Herrn")
}

#[derive(Clone, Debug)]
pub struct OverrideName {
    pub surface: String,
    pub kind: EntityKind,
    pub canonical: String,
}

/// Per-token facts computed once per document.
#[derive(Clone, Copy, Default)]
struct Tok<'a> {
    text: &'a str,
    word: bool,
    cap: bool,
    caps: bool,
    /// First word of its sentence (after opening punctuation).
    initial: bool,
    line_start: bool,
    /// On a line written mostly in capitals (a shouted headline).
    shout: bool,
    start: usize,
    end: usize,
}

#[derive(Clone, Debug)]
struct Cand {
    start: usize,
    end: usize,
    /// Token range (for length comparison).
    t0: usize,
    t1: usize,
    kind: EntityKind,
    norm: String,
    role: Option<String>,
    source: Source,
    /// Cued by context (a role word): beats a same-length gazetteer reading.
    boost: bool,
    /// The rule that found it ([`rules::Rule::name`], a scan's sub-rule
    /// for the scans), set when its rule is done: the unit the user's
    /// annotations judge ([`crate::learn`]).
    rule: &'static str,
}

impl Cand {
    fn rank(&self) -> (u8, usize, u8) {
        let kb = u8::from(self.source == Source::KnowledgeBase);
        let tagger = self.source == Source::Tagger;
        let auth = match self.source {
            Source::KnowledgeBase | Source::Annotation => 3,
            // The user's word elsewhere in the corpus: beats every reading
            // of the same length but the knowledge base's (a boosted
            // gazetteer entry is 5).
            Source::Learned => 6,
            Source::Gazetteer => 2,
            Source::Rule => 1,
            Source::Tagger => 0,
        };
        // Tagger proposals only fill gaps: rank them below everything.
        let len = if tagger { 0 } else { self.t1 - self.t0 };
        (kb + u8::from(!tagger), len, auth + 3 * u8::from(self.boost))
    }
}

impl Default for Recognizer {
    fn default() -> Self {
        Recognizer::new()
    }
}

impl Recognizer {
    /// The shared recognizer, loaded once from the embedded data.
    pub fn global() -> &'static Recognizer {
        static R: OnceLock<Recognizer> = OnceLock::new();
        R.get_or_init(Recognizer::new)
    }

    /// Loads the embedded gazetteers and rules (what [`Recognizer::global`]
    /// does once).
    pub fn new() -> Recognizer {
        Recognizer { d: Data::load() }
    }

    /// Finds the name mentions of `text`. Sorted by span, non-overlapping.
    pub fn recognize(
        &self,
        text: &str,
        tok: &Tokenized,
        proposals: &[Proposal],
        overrides: &Overrides,
    ) -> Vec<FoundName> {
        let cands = self.candidates(text, tok, proposals, overrides);
        self.linked(text, tok, self.consistent(text, tok, select(cands)))
    }

    /// The rule behind each of the mentions [`Recognizer::recognize`]
    /// finds that a rule found (source [`Source::Rule`]): (span, kind,
    /// rule name). A mention several rules proposed goes to the first in
    /// the order `select` takes them.
    pub fn rule_mentions(
        &self,
        text: &str,
        tok: &Tokenized,
        proposals: &[Proposal],
        overrides: &Overrides,
    ) -> Vec<(Span, EntityKind, &'static str)> {
        let mut cands = self.candidates(text, tok, proposals, overrides);
        cands.sort_by(|a, b| b.rank().cmp(&a.rank()).then(a.start.cmp(&b.start)));
        self.linked(text, tok, self.consistent(text, tok, select(cands.clone())))
            .into_iter()
            .filter(|f| f.source == Source::Rule)
            .filter_map(|f| {
                let c = cands.iter().find(|c| {
                    c.source == Source::Rule
                        && (c.start, c.end) == (f.span.start as usize, f.span.end as usize)
                        && c.kind == f.kind
                })?;
                Some((f.span, f.kind, c.rule))
            })
            .collect()
    }

    /// Every rule's candidates for `text`, filtered by the overrides.
    fn candidates(
        &self,
        text: &str,
        tok: &Tokenized,
        proposals: &[Proposal],
        overrides: &Overrides,
    ) -> Vec<Cand> {
        let toks = self.token_facts(text, tok);
        let cx = rules::Context {
            r: self,
            toks: &toks,
            proposals,
            overrides,
        };
        let mut cands: Vec<Cand> = Vec::new();
        let trust = overrides.distrusted_rules();
        let mut extended: Vec<(usize, usize)> = Vec::new();
        for rule in rules::RULES {
            let before = cands.len();
            rule.apply(&cx, &mut cands);
            rules::name_new(&mut cands, rule.name());
            if !trust.is_empty() {
                // Names the user went on by one word after (learned, with
                // the rule trust): before the surname repeats read them.
                let from = before.min(cands.len());
                extend_learned(self, text, &toks, trust, &mut cands[from..], &mut extended);
            }
        }

        // The learned lexicon's not-a-name surfaces: the machine's
        // readings of exactly them go (the user's knowledge base and the
        // lexicon's own names stay).
        if !overrides.learned.not_names.is_empty() {
            cands.retain(|c| {
                matches!(c.source, Source::KnowledgeBase | Source::Learned)
                    || !overrides.learned.not_a_name(&text[c.start..c.end])
            });
        }
        // A learned name beats a longer reading of the machine that only
        // puts function words before it: where the user drew "Grünen", the
        // gazetteer's "Die Grünen" goes (their names leave the article out).
        if overrides.has_learned_names() {
            let learned: Vec<(usize, usize)> = cands
                .iter()
                .filter(|c| c.source == Source::Learned)
                .map(|c| (c.start, c.end))
                .collect();
            if !learned.is_empty() {
                cands.retain(|c| {
                    matches!(
                        c.source,
                        Source::KnowledgeBase | Source::Learned | Source::Annotation
                    ) || !learned.iter().any(|&(s, e)| {
                        e == c.end
                            && s > c.start
                            && text[c.start..s].split_whitespace().all(is_function_word)
                    })
                });
            }
        }
        if !overrides.ignore.is_empty() {
            let ignore = &overrides.ignore_lower;
            cands.retain(|c| {
                let surf = text[c.start..c.end].to_lowercase();
                let norm = c.norm.to_lowercase();
                !ignore.iter().any(|i| *i == surf || *i == norm)
            });
        }
        // The rules the user's annotations judged wrong more often than
        // right (`crate::learn::rule_trust`): their finds go.
        let distrusted = overrides.distrusted_rules();
        if !distrusted.is_empty() {
            cands.retain(|c| c.source != Source::Rule || !distrusted.distrusts(c.rule, c.kind));
        }
        cands
    }

    fn token_facts<'a>(&self, text: &'a str, tok: &Tokenized) -> Vec<Tok<'a>> {
        let mut out: Vec<Tok> = tok
            .tokens
            .iter()
            .map(|t| {
                let s = t.text(text);
                let word = t.kind == TokenKind::Word;
                let cap = word && s.chars().next().is_some_and(char::is_uppercase);
                Tok {
                    text: s,
                    word,
                    cap,
                    caps: word && is_all_caps(s),
                    initial: false,
                    line_start: t.line_start,
                    shout: false,
                    start: t.span.start as usize,
                    end: t.span.end as usize,
                }
            })
            .collect();
        for r in &tok.sentences {
            if let Some(i) =
                (r.start..r.end).find(|&i| out[i].word || tok.tokens[i].kind != TokenKind::Punct)
            {
                out[i].initial = true;
            }
        }
        // Lines mostly in capitals.
        let mut i = 0;
        while i < out.len() {
            let mut j = i + 1;
            while j < out.len() && !out[j].line_start {
                j += 1;
            }
            let words = out[i..j].iter().filter(|t| t.word).count();
            let caps = out[i..j].iter().filter(|t| t.caps).count();
            if words >= 2 && caps * 10 >= words * 6 {
                for t in &mut out[i..j] {
                    t.shout = true;
                }
            }
            i = j;
        }
        out
    }
}

/// Goes on by one word ([`crate::model::RuleTrust::next_word`]) the rules'
/// candidates of the (rule, kind) pairs the user's annotations extend, when
/// that word is on the same line and could be part of a name (no function
/// word, role or title). `done` holds the spans already extended.
fn extend_learned(
    r: &Recognizer,
    text: &str,
    toks: &[Tok],
    trust: &crate::model::RuleTrust,
    cands: &mut [Cand],
    done: &mut Vec<(usize, usize)>,
) {
    for c in cands {
        if c.source != Source::Rule
            || !trust.extends(c.rule, c.kind)
            || done.contains(&(c.start, c.end))
        {
            continue;
        }
        let Some(end) = crate::model::RuleTrust::next_word(text, c.end) else {
            continue;
        };
        let Some(t) = toks[c.t1.min(toks.len())..]
            .iter()
            .position(|t| t.end >= end)
            .map(|k| c.t1 + k)
        else {
            continue;
        };
        if toks[t].end != end || toks[c.t1].line_start || !r.nameish(&toks[c.t1]) {
            continue;
        }
        let word = &text[c.end + 1..end];
        if c.norm == text[c.start..c.end] {
            c.norm = text[c.start..end].to_string();
        } else {
            c.norm = format!("{} {word}", c.norm);
        }
        c.end = end;
        c.t1 = t + 1;
        done.push((c.start, c.end));
    }
}

/// Greedy non-overlapping selection by rank; output sorted by span.
fn select(mut cands: Vec<Cand>) -> Vec<FoundName> {
    cands.sort_by(|a, b| b.rank().cmp(&a.rank()).then(a.start.cmp(&b.start)));
    // Taken spans: start → (end, index in `taken`).
    let mut occupied: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
    let mut taken: Vec<Cand> = Vec::with_capacity(cands.len());
    for c in cands {
        if c.start >= c.end {
            continue;
        }
        // the taken span starting last before c.end must end before c.start
        match occupied.range(..c.end).next_back() {
            Some((&start, &(end, k))) if end > c.start => {
                // A person's role, whichever reading of the same span found
                // it ("NATO-Generalsekretär Jens Stoltenberg": the
                // gazetteer's full name wins, the role cue's reading knows
                // the role).
                let twin = &mut taken[k];
                if (start, end) == (c.start, c.end)
                    && twin.role.is_none()
                    && twin.kind == EntityKind::Person
                    && c.kind == EntityKind::Person
                {
                    twin.role = c.role;
                }
            }
            _ => {
                occupied.insert(c.start, (c.end, taken.len()));
                taken.push(c);
            }
        }
    }
    taken.sort_by_key(|c| c.start);
    taken
        .into_iter()
        .map(|c| FoundName {
            span: Span::new(c.start, c.end),
            kind: c.kind,
            norm: crate::model::sym(c.norm),
            role: c.role.map(crate::model::sym),
            source: c.source,
        })
        .collect()
}

#[cfg(test)]
mod tests;
