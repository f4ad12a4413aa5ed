//! Rule- and gazetteer-based recogniser for names in German news text.
//!
//! Candidates come from, in order of authority: the user's knowledge base
//! ([`Overrides`]), gazetteers (places, organisations), rules (first name +
//! surname, role cue + name, datelines, photo credits, acronyms, org suffixes,
//! "Friends of Europe" / "Institut für …" patterns, surname repeats) and
//! finally the statistical tagger's [`Proposal`]s, which only fill gaps and
//! must pass sanity filters. Overlaps are resolved greedily (knowledge base
//! first, then longer spans, then authority), so the result is sorted and
//! non-overlapping.

mod consistency;
pub(crate) use consistency::without_legal_form;
mod data;
#[cfg(test)]
mod eval;

use crate::model::{EntityKind, FoundName, Source, Span};
use crate::text::tokenize::{TokenKind, Tokenized};
use data::{is_all_caps, Data, PhraseTable};
use fxhash::FxHashMap;
use std::sync::OnceLock;

/// The recogniser: immutable gazetteers and cue lists, shared by all threads.
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
#[derive(Clone, Default)]
pub struct Overrides {
    names: std::sync::Arc<[OverrideName]>,
    ignore: std::sync::Arc<[String]>,
    /// The ignore list in lower case, as matched.
    ignore_lower: std::sync::Arc<[String]>,
    table: std::sync::Arc<PhraseTable>,
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
            ignore,
            ignore_lower,
            mut table,
        } = self;
        if let Some(names) = std::sync::Arc::get_mut(&mut names) {
            for chunk in names.chunks_mut(FREE_STEP) {
                for n in chunk {
                    drop(std::mem::take(&mut n.surface));
                    drop(std::mem::take(&mut n.canonical));
                }
                pause();
            }
        }
        drop((names, ignore, ignore_lower));
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

    pub fn new(names: Vec<OverrideName>, ignore: Vec<String>) -> Overrides {
        let mut table = PhraseTable::default();
        for o in &names {
            table.add(&o.surface, o.kind, &o.canonical);
        }
        Overrides {
            names: names.into(),
            ignore_lower: ignore.iter().map(|s| s.to_lowercase()).collect(),
            ignore: ignore.into(),
            table: std::sync::Arc::new(table),
        }
    }

    /// The extra names (surface, kind, canonical name).
    pub fn names(&self) -> &[OverrideName] {
        &self.names
    }

    /// The surfaces that are not names.
    pub fn ignore(&self) -> &[String] {
        &self.ignore
    }
}

impl std::fmt::Debug for Overrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overrides")
            .field("names", &self.names.len())
            .field("ignore", &self.ignore)
            .finish()
    }
}

/// Is `w` a function word ("und", "die", "the"): a word that is never a
/// name on its own (case-insensitive; `data/gazetteers/stopwords.txt`)?
pub fn is_function_word(w: &str) -> bool {
    let w = w.trim();
    !w.is_empty() && data::stopwords().contains(&w.to_lowercase())
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
}

impl Cand {
    fn rank(&self) -> (u8, usize, u8) {
        let kb = u8::from(self.source == Source::KnowledgeBase);
        let tagger = self.source == Source::Tagger;
        let auth = match self.source {
            Source::KnowledgeBase => 3,
            Source::Gazetteer => 2,
            Source::Rule => 1,
            Source::Tagger => 0,
        };
        // Tagger proposals only fill gaps: rank them below everything.
        let len = if tagger { 0 } else { self.t1 - self.t0 };
        (kb + u8::from(!tagger), len, auth + 3 * u8::from(self.boost))
    }
}

const ORG_SUFFIXES: &[&str] = &[
    "AG", "GmbH", "SE", "KG", "KGaA", "mbH", "eG", "Inc", "Ltd", "Corp", "LLC", "plc", "PLC", "SA",
    "NV", "Holding", "Group",
];

const ORG_HEADS: &[&str] = &[
    "organisation",
    "institut",
    "ministerium",
    "amt",
    "stiftung",
    "verband",
    "kommission",
    "agentur",
    "gesellschaft",
    "zentrum",
    "akademie",
    "komitee",
    "behörde",
    "dienst",
    "vereinigung",
    "gewerkschaft",
    "universität",
    "hochschule",
    "bank",
    "fonds",
    "rat",
    "bund",
    "partei",
    "forum",
];

const NAME_PARTICLES: &[&str] = &[
    "von", "van", "de", "da", "di", "del", "al", "bin", "ibn", "zu", "dos", "du", "ter",
];

const ENGLISH_ORG_HEADS: &[&str] = &[
    "Friends",
    "Bank",
    "University",
    "Institute",
    "Council",
    "Association",
    "Society",
    "Department",
    "Ministry",
    "Foundation",
    "Center",
    "Centre",
    "Office",
    "Agency",
    "Committee",
    "Commission",
    "Federation",
    "Union",
    "League",
    "Organization",
    "Organisation",
    "Party",
    "Church",
    "College",
    "School",
    "Academy",
    "Board",
    "Bureau",
    "Court",
    "Chamber",
    "Museum",
    "Library",
    "Fund",
    "Alliance",
    "Coalition",
    "Congress",
    "Parliament",
    "Government",
    "Army",
    "Corps",
    "Club",
    "Company",
    "Corporation",
    "Group",
    "Conference",
    "Assembly",
];

const NEWSPAPER_HEADS: &[&str] = &[
    "Zeitung",
    "Presse",
    "Rundschau",
    "Nachrichten",
    "Allgemeine",
    "Tagblatt",
    "Anzeiger",
    "Kurier",
    "Morgenpost",
    "Abendblatt",
    "Volksstimme",
    "Tageblatt",
    "Zeitung",
    "Post",
];

const PLACE_ORG_HEADS: &[&str] = &[
    "Universität",
    "Hochschule",
    "Fachhochschule",
    "Verlag",
    "Sparkasse",
    "Volksbank",
    "Stadtwerke",
    "Landesbank",
    "Kreissparkasse",
    "Klinikum",
    "Universitätsklinikum",
    "Landgericht",
    "Amtsgericht",
    "Oberlandesgericht",
    "Verwaltungsgericht",
    "Landratsamt",
    "Theater",
    "Staatstheater",
    "Staatsoper",
];

const CLUB_PREFIXES: &[&str] = &[
    "FC",
    "SC",
    "SV",
    "VfB",
    "VfL",
    "TSV",
    "ESV",
    "SG",
    "TuS",
    "BSC",
    "FSV",
    "SpVgg",
    "TSG",
    "SSV",
    "Borussia",
    "Eintracht",
    "Hertha",
    "Fortuna",
    "Dynamo",
    "Alemannia",
    "Arminia",
    "Kickers",
];

const CREDIT_CUES: &[&str] = &[
    "Foto", "Fotos", "Bild", "Bilder", "Quelle", "Grafik", "Video",
];

impl Default for Recognizer {
    fn default() -> Self {
        Recognizer::new()
    }
}

impl Recognizer {
    /// The shared recogniser, loaded once from the embedded data.
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
        let toks = self.token_facts(text, tok);
        let mut cands: Vec<Cand> = Vec::new();

        if !overrides.names.is_empty() {
            self.match_phrases(&toks, &overrides.table, Source::KnowledgeBase, &mut cands);
        }
        self.match_phrases(&toks, &self.d.names, Source::Gazetteer, &mut cands);
        self.datelines(&toks, &mut cands);
        self.credits(&toks, &mut cands);
        self.persons(&toks, &mut cands);
        self.orgs(&toks, &mut cands);
        self.surname_repeats(&toks, &mut cands);
        self.proposals(&toks, proposals, &mut cands);

        if !overrides.ignore.is_empty() {
            let ignore = &overrides.ignore_lower;
            cands.retain(|c| {
                let surf = text[c.start..c.end].to_lowercase();
                let norm = c.norm.to_lowercase();
                !ignore.iter().any(|i| *i == surf || *i == norm)
            });
        }
        self.consistent(text, tok, select(cands))
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

    fn is_common(&self, w: &str) -> bool {
        if self.d.common.contains(w) {
            return true;
        }
        let mut c = w.chars();
        match c.next() {
            Some(f) if f.is_uppercase() => {
                let lower: String = f.to_lowercase().chain(c).collect();
                self.d.common.contains(&lower)
            }
            _ => false,
        }
    }

    fn is_stop(&self, w: &str) -> bool {
        self.d.stopwords.contains(&w.to_lowercase())
    }

    /// The role head of `w` when it is a role or title word.
    fn role_of(&self, w: &str) -> Option<bool> {
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        let lower = w.trim_end_matches('.').to_lowercase();
        if self.d.roles_exact.contains(&lower) {
            return Some(false); // a title, not a role
        }
        let last = lower.rsplit('-').next().unwrap_or(&lower);
        self.d
            .roles_suffix
            .iter()
            .any(|r| last.ends_with(&**r))
            .then_some(true)
    }

    /// Could `w` be (part of) a name, given only the lexicon?
    fn nameish(&self, t: &Tok) -> bool {
        t.cap && !self.is_stop(t.text) && self.role_of(t.text).is_none()
    }

    fn is_country_adj(&self, w: &str) -> bool {
        let l = w.to_lowercase();
        let stem = ["en", "er", "es", "em", "e"]
            .iter()
            .find_map(|s| l.strip_suffix(s))
            .unwrap_or(&l);
        let stem = stem.rsplit('-').next().unwrap_or(stem);
        self.d.country_adj.iter().any(|a| **a == *stem)
    }

    fn match_phrases(
        &self,
        toks: &[Tok],
        table: &PhraseTable,
        source: Source,
        out: &mut Vec<Cand>,
    ) {
        for i in 0..toks.len() {
            let t = &toks[i];
            if !t.word {
                continue;
            }
            if let Some((len, idx, gen)) = best_phrase(toks, i, table) {
                let p = &table.phrases[idx as usize];
                let _ = gen;
                if len == 1
                    && source != Source::KnowledgeBase
                    && (t.initial || t.line_start)
                    && !t.caps
                    && (self.is_stop(t.text) || self.d.common.contains(&t.text.to_lowercase()))
                {
                    continue; // "Man werde …", "Essen ist …"
                }
                out.push(Cand {
                    start: t.start,
                    end: toks[i + len - 1].end,
                    t0: i,
                    t1: i + len,
                    kind: p.kind,
                    norm: p.norm.to_string(),
                    role: None,
                    source,
                    boost: false,
                });
                continue;
            }
            // Title-case acronyms: "Nato".
            if t.cap && !t.caps && (3..=6).contains(&t.text.len()) && t.text.is_ascii() {
                let up = t.text.to_uppercase();
                if table.acronyms.contains(&up) && !self.is_common(t.text) {
                    let idx = table.by_first.get(&data::h(&up)).and_then(|v| {
                        v.iter()
                            .copied()
                            .find(|&k| table.phrases[k as usize].words.len() == 1)
                    });
                    if let Some(idx) = idx {
                        out.push(Cand {
                            start: t.start,
                            end: t.end,
                            t0: i,
                            t1: i + 1,
                            kind: table.phrases[idx as usize].kind,
                            norm: t.text.to_string(),
                            role: None,
                            source,
                            boost: false,
                        });
                        continue;
                    }
                }
            }
            // A name heading a hyphen compound: "NATO-Truppen", "Ukraine-Krieg".
            if let Some(cut) = t.text.find('-') {
                let (head, rest) = (&t.text[..cut], &t.text[cut + 1..]);
                if !rest.chars().next().is_some_and(char::is_uppercase) {
                    continue; // "US-amerikanische": a derived adjective
                }
                if let Some(idx) = single_word(table, head) {
                    let p = &table.phrases[idx as usize];
                    out.push(Cand {
                        start: t.start,
                        end: t.start + cut,
                        t0: i,
                        t1: i + 1,
                        kind: p.kind,
                        norm: p.norm.to_string(),
                        role: None,
                        source,
                        boost: false,
                    });
                }
            }
        }
    }

    /// "BRÜSSEL –", "MOSKAU (dpa) –": an all-caps place at the start of a line.
    fn datelines(&self, toks: &[Tok], out: &mut Vec<Cand>) {
        for i in 0..toks.len() {
            if !toks[i].line_start || !toks[i].caps {
                continue;
            }
            let mut j = i + 1;
            while j < toks.len() && j < i + 3 && toks[j].caps && !toks[j].line_start {
                j += 1;
            }
            let Some(next) = toks.get(j) else { continue };
            if next.line_start || !matches!(next.text, "–" | "-" | "—" | "(" | "/" | ",") {
                continue;
            }
            let title: Vec<String> = toks[i..j].iter().map(|t| title_case(t.text)).collect();
            let joined = title.join(" ");
            let known = self
                .d
                .names
                .by_first
                .get(&data::h(&title[0]))
                .and_then(|v| {
                    v.iter().copied().find(|&k| {
                        let p = &self.d.names.phrases[k as usize];
                        p.words.len() == title.len()
                            && p.words.iter().zip(&title).all(|(a, b)| **a == **b)
                    })
                })
                .map(|k| &self.d.names.phrases[k as usize]);
            let dash = matches!(next.text, "–" | "—" | "-");
            let (kind, norm) = match known {
                Some(p) => (p.kind, p.norm.to_string()),
                None if dash && !self.is_common(&joined) => (EntityKind::Place, joined),
                None => continue,
            };
            out.push(Cand {
                start: toks[i].start,
                end: toks[j - 1].end,
                t0: i,
                t1: j,
                kind,
                norm,
                role: None,
                source: Source::Rule,
                boost: false,
            });
        }
    }

    /// Photo credits: "Reuters/Johanna Geron", "Foto: dpa", "Bild: AFP/Max Muster".
    fn credits(&self, toks: &[Tok], out: &mut Vec<Cand>) {
        for i in 0..toks.len() {
            if toks[i].text != "/" || i == 0 || i + 1 >= toks.len() {
                continue;
            }
            let a = &toks[i - 1];
            if !a.word || a.end != toks[i].start {
                continue;
            }
            let agency_known = single_word(&self.d.names, a.text)
                .is_some_and(|k| self.d.names.phrases[k as usize].kind == EntityKind::Org);
            let cued = i >= 3 && toks[i - 2].text == ":" && CREDIT_CUES.contains(&toks[i - 3].text);
            if !(agency_known || cued) {
                continue;
            }
            if !agency_known {
                out.push(cand(
                    toks,
                    i - 1,
                    i,
                    EntityKind::Org,
                    a.text.to_string(),
                    Source::Rule,
                ));
            }
            // photographer: 2–3 capitalised words on the same line
            let mut j = i + 1;
            while j < toks.len() && j < i + 4 && toks[j].cap && !toks[j].line_start && !toks[j].caps
            {
                j += 1;
            }
            if j - (i + 1) >= 2 && toks[i + 1].start == toks[i].end {
                let norm = join(toks, i + 1, j);
                out.push(cand(toks, i + 1, j, EntityKind::Person, norm, Source::Rule));
            }
        }
    }

    fn persons(&self, toks: &[Tok], out: &mut Vec<Cand>) {
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            if !t.cap || t.caps {
                i += 1;
                continue;
            }
            let role_at = |k: usize| -> Option<usize> {
                (k > 0 && toks[k - 1].cap && self.role_of(toks[k - 1].text).is_some())
                    .then(|| k - 1)
            };
            // 1. first name(s) [initials] surname(s)
            let ambiguous_first = || {
                self.d.ambiguous_first_names.contains(t.text)
                    && toks.get(i + 1).is_some_and(|n| {
                        n.cap
                            && !n.caps
                            && !n.line_start
                            && n.text.chars().nth(1).is_some()
                            && !self.is_stop(n.text)
                            && !self.is_common(n.text)
                            && !noun_suffix(n.text)
                            && self.role_of(n.text).is_none()
                            && single_word(&self.d.names, n.text).is_none()
                    })
            };
            if (self.is_first_name(t.text) || ambiguous_first()) && !self.is_stop(t.text) {
                let mut j = i + 1;
                // further given names and initials
                loop {
                    if j < toks.len()
                        && !toks[j].line_start
                        && self.is_first_name(toks[j].text)
                        && toks.get(j + 1).is_some_and(|n| n.cap && !n.line_start)
                    {
                        j += 1;
                    } else if j + 1 < toks.len()
                        && is_initial(toks[j].text)
                        && toks[j + 1].text == "."
                        && toks[j + 1].start == toks[j].end
                        && !toks[j].line_start
                    {
                        j += 2;
                    } else if j + 1 < toks.len()
                        && is_roman(toks[j].text)
                        && toks[j + 1].text == "."
                        && toks[j + 1].start == toks[j].end
                        && !toks[j].line_start
                    {
                        j += 2; // "Elisabeth II."
                        break;
                    } else {
                        break;
                    }
                }
                let sur_start = j;
                let mut k = j;
                let mut words = 0;
                loop {
                    // "Ursula von der Leyen": particles only before the surname
                    if words == 0
                        && k < toks.len()
                        && !toks[k].line_start
                        && (NAME_PARTICLES.contains(&toks[k].text)
                            || k > sur_start
                                && matches!(toks[k - 1].text, "von" | "van")
                                && matches!(toks[k].text, "der" | "den" | "dem"))
                        && toks.get(k + 1).is_some_and(|n| {
                            n.cap && !n.line_start || NAME_PARTICLES.contains(&n.text)
                        })
                    {
                        k += 1;
                        continue;
                    }
                    if k < toks.len()
                        && !toks[k].line_start
                        && self.surname_ok(toks, k)
                        && (words == 0
                            || single_word(&self.d.names, toks[k].text).is_none()
                                && !self.is_common(toks[k].text)
                                && !self.compound_of_common(toks[k].text))
                    {
                        k += 1;
                        words += 1;
                        // at most two surname words
                        if words >= 2 {
                            break;
                        }
                        continue;
                    }
                    break;
                }
                while k > sur_start && !toks[k - 1].cap {
                    k -= 1; // trailing particle
                }
                if k == sur_start && sur_start > i + 1 && toks[sur_start - 1].text == "." {
                    // "Claudia B.", "Elisabeth II."
                    let norm = join(toks, i, sur_start);
                    out.push(cand(
                        toks,
                        i,
                        sur_start,
                        EntityKind::Person,
                        norm,
                        Source::Rule,
                    ));
                    i = sur_start;
                    continue;
                }
                if k == sur_start
                    && sur_start == i + 1
                    && !t.initial
                    && self.d.bare_first_names.contains(t.text)
                    && !self.is_common(t.text)
                    && single_word(&self.d.names, t.text).is_none()
                    && !toks.get(k).is_some_and(|n| n.cap && !n.line_start)
                    && !(i > 0 && toks[i - 1].cap && !t.line_start)
                {
                    // a bare first name ("sagte Laura")
                    let role = role_at(i).map(|r| self.role_text(toks, r));
                    out.push(Cand {
                        role,
                        ..cand(
                            toks,
                            i,
                            k,
                            EntityKind::Person,
                            t.text.to_string(),
                            Source::Rule,
                        )
                    });
                    i = k;
                    continue;
                }
                if k > sur_start {
                    let role = role_at(i).map(|r| self.role_text(toks, r));
                    let norm = self.person_norm(toks, i, k);
                    out.push(Cand {
                        role,
                        ..cand(toks, i, k, EntityKind::Person, norm, Source::Rule)
                    });
                    i = k;
                    continue;
                }
            }
            // Street names: "Schwanitzstraße"
            if !t.initial
                && street_like(t.text).is_some_and(|stem| {
                    !self.is_common(stem) && !self.is_common(stem.trim_end_matches('s'))
                })
                && !self.is_common(t.text)
            {
                out.push(cand(
                    toks,
                    i,
                    i + 1,
                    EntityKind::Place,
                    t.text.to_string(),
                    Source::Rule,
                ));
                i += 1;
                continue;
            }
            // Initial + surname: "W. Müller"
            if is_initial(t.text)
                && toks
                    .get(i + 1)
                    .is_some_and(|d| d.text == "." && d.start == t.end)
                && toks.get(i + 2).is_some_and(|n| {
                    !n.line_start
                        && !self.is_common(n.text)
                        && single_word(&self.d.names, n.text).is_none()
                })
                && self.surname_ok(toks, i + 2)
            {
                let norm = self.person_norm(toks, i, i + 3);
                out.push(cand(toks, i, i + 3, EntityKind::Person, norm, Source::Rule));
                i += 3;
                continue;
            }
            // 2. role cue + name: "Präsident Putin", "Herr Putin"
            if let Some(r) = role_at(i) {
                let strong = |x: &Tok| {
                    self.nameish(x)
                        && !x.caps
                        && x.text.chars().nth(1).is_some()
                        && !noun_suffix(x.text)
                        && (!self.is_common(x.text) || self.d.surnames.contains(x.text))
                        && single_word(&self.d.names, strip_gen(x.text).unwrap_or("")).is_none()
                };
                if strong(t) {
                    let mut k = i + 1;
                    if k < toks.len() && !toks[k].line_start && strong(&toks[k]) {
                        k += 1;
                    }
                    let role = self
                        .role_of(toks[r].text)
                        .unwrap_or(false)
                        .then(|| self.role_text(toks, r));
                    let norm = self.person_norm(toks, i, k);
                    out.push(Cand {
                        role,
                        boost: true,
                        ..cand(toks, i, k, EntityKind::Person, norm, Source::Rule)
                    });
                    i = k;
                    continue;
                }
            }
            i += 1;
        }
    }

    /// "Liebeskummer" = "Liebes" + "Kummer": a German compound whose head
    /// (five letters or more) is a common noun.
    fn compound_of_common(&self, w: &str) -> bool {
        let chars: Vec<(usize, char)> = w.char_indices().collect();
        if chars.len() < 8 {
            return false;
        }
        (3..chars.len() - 4).any(|k| {
            let (b, c) = chars[k];
            let head: String = c
                .to_uppercase()
                .chain(w[b + c.len_utf8()..].chars())
                .collect();
            self.d.common.contains(&head)
        })
    }

    fn is_first_name(&self, w: &str) -> bool {
        if self.d.first_names.contains(w) {
            return true;
        }
        // "Frank-Walter"
        w.contains('-') && w.split('-').all(|p| self.d.first_names.contains(p))
    }

    fn surname_ok(&self, toks: &[Tok], k: usize) -> bool {
        let t = &toks[k];
        if !self.nameish(t) || t.caps || noun_suffix(t.text) || t.text.chars().nth(1).is_none() {
            return false;
        }
        if t.text
            .split('-')
            .any(|p| is_all_caps(p) || !p.chars().next().is_some_and(char::is_uppercase))
        {
            return false; // "ARD-Studio"
        }
        // Mid-name, a capitalised word whose only lexicon reading is lower
        // case ("Blinken") is a surname.
        if !self.d.common.contains(t.text) || self.d.surnames.contains(t.text) {
            return true;
        }
        // A common noun as surname ("Müller") only when no capitalised word follows.
        !toks.get(k + 1).is_some_and(|n| n.cap && !n.line_start)
    }

    fn role_text(&self, toks: &[Tok], r: usize) -> String {
        let role = toks[r].text.trim_end_matches('.');
        if r > 0 && !toks[r - 1].line_start {
            let adj = toks[r - 1].text;
            if adj.chars().next().is_some_and(char::is_lowercase) && self.is_country_adj(adj) {
                let stem = ["en", "er", "es", "em", "e"]
                    .iter()
                    .find_map(|s| adj.strip_suffix(s))
                    .unwrap_or(adj);
                let fem = role.ends_with("in");
                let role = role
                    .strip_suffix("enten")
                    .map(|s| format!("{s}ent"))
                    .unwrap_or(role.to_string());
                return format!("{stem}{} {role}", if fem { "e" } else { "er" });
            }
        }
        role.strip_suffix("enten")
            .map(|s| format!("{s}ent"))
            .unwrap_or(role.to_string())
    }

    /// Surface joined with single spaces, genitive -s of the last word removed
    /// when a noun follows ("Putins Forderung") or the stem is a known name.
    fn person_norm(&self, toks: &[Tok], a: usize, b: usize) -> String {
        let mut s = join(toks, a, b);
        let last = toks[b - 1].text;
        if let Some(stem) = strip_gen(last) {
            let noun_follows = toks
                .get(b)
                .is_some_and(|n| n.cap && !n.line_start && self.is_common(n.text));
            if noun_follows || self.d.surnames.contains(stem) {
                s.pop();
            }
        }
        s
    }

    fn orgs(&self, toks: &[Tok], out: &mut Vec<Cand>) {
        for i in 0..toks.len() {
            let t = &toks[i];
            if !t.word {
                continue;
            }
            // Acronyms (whole token or compound head: "CDU-Chef").
            let head = t.text.split('-').next().unwrap_or(t.text);
            if !t.shout
                && is_acronym(head)
                && !self.d.not_orgs.contains(head)
                && !self.is_common(&title_case(head))
                && !self.is_stop(head)
                && single_word(&self.d.names, head).is_none()
            {
                let rest_ok = head.len() == t.text.len()
                    || t.text[head.len() + 1..]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase);
                if rest_ok {
                    out.push(Cand {
                        end: t.start + head.len(),
                        ..cand(
                            toks,
                            i,
                            i + 1,
                            EntityKind::Org,
                            head.to_string(),
                            Source::Rule,
                        )
                    });
                }
            }
            // Newspapers: "Berliner Zeitung", "Passauer Neue Presse"
            if t.cap && NEWSPAPER_HEADS.contains(&t.text) && i > 0 && !t.line_start {
                let mut a = i;
                while a > 0
                    && a + 2 > i
                    && toks[a - 1].cap
                    && !toks[a].line_start
                    && !self.is_stop(toks[a - 1].text)
                    && (toks[a - 1].text.ends_with("er")
                        || looks_adj(toks[a - 1].text)
                        || toks[a - 1].text.ends_with("e"))
                {
                    a -= 1;
                }
                if a < i && toks[a].text.ends_with("er") || a + 1 < i {
                    out.push(cand(
                        toks,
                        a,
                        i + 1,
                        EntityKind::Org,
                        join(toks, a, i + 1),
                        Source::Rule,
                    ));
                }
            }
            // "Universität Gießen", "Verlag Paul Haupt", "TU Berlin"
            if t.cap && PLACE_ORG_HEADS.contains(&t.text) && !t.caps
                || matches!(t.text, "TU" | "LMU" | "FU" | "HU")
            {
                let mut b = i + 1;
                while b < toks.len()
                    && b < i + 3
                    && toks[b].cap
                    && !toks[b].line_start
                    && !self.is_stop(toks[b].text)
                    && !self.d.common.contains(toks[b].text)
                {
                    b += 1;
                }
                if b > i + 1 {
                    let a = if i > 0
                        && toks[i - 1].cap
                        && looks_adj(toks[i - 1].text)
                        && !toks[i].line_start
                    {
                        i - 1
                    } else {
                        i
                    };
                    let norm = if a < i {
                        nominative_adj(&join(toks, a, b))
                    } else {
                        join(toks, a, b)
                    };
                    out.push(cand(toks, a, b, EntityKind::Org, norm, Source::Rule));
                }
            }
            // Sports clubs: "FC Bayern München", "Borussia Dortmund", "1. FC Köln"
            if CLUB_PREFIXES.contains(&t.text) && !t.line_start || t.text == "FC" {
                let mut b = i + 1;
                while b < toks.len()
                    && b < i + 4
                    && !toks[b].line_start
                    && (toks[b].cap && !self.is_stop(toks[b].text)
                        || toks[b].text.len() == 2
                            && toks[b].text.bytes().all(|c| c.is_ascii_digit()))
                {
                    b += 1;
                }
                if b > i + 1 {
                    let a = if i >= 2 && toks[i - 1].text == "." && toks[i - 2].text == "1" {
                        i - 2
                    } else {
                        i
                    };
                    out.push(cand(
                        toks,
                        a,
                        b,
                        EntityKind::Org,
                        join(toks, a, b),
                        Source::Rule,
                    ));
                }
            }
            // "Deutsche Bank AG"
            if ORG_SUFFIXES.contains(&t.text) && i > 0 && toks[i - 1].cap && !t.line_start {
                let mut a = i;
                while a > 0
                    && a + 4 > i
                    && toks[a - 1].cap
                    && !toks[a].line_start
                    && !self.is_stop(toks[a - 1].text)
                {
                    a -= 1;
                }
                if a < i {
                    out.push(cand(
                        toks,
                        a,
                        i + 1,
                        EntityKind::Org,
                        join(toks, a, i + 1),
                        Source::Rule,
                    ));
                }
            }
            // "Friends of Europe", "Bank of England"
            if t.text == "of"
                && i > 0
                && ENGLISH_ORG_HEADS.contains(&toks[i - 1].text)
                && toks.get(i + 1).is_some_and(|n| n.cap)
            {
                let mut a = i;
                while a > 0
                    && a + 1 > i
                    && toks[a - 1].cap
                    && !toks[a].line_start
                    && !self.is_stop(toks[a - 1].text)
                    && !self.d.common.contains(toks[a - 1].text)
                {
                    a -= 1;
                }
                let mut b = i + 1;
                while b < toks.len() && b < i + 4 && toks[b].cap && !toks[b].line_start {
                    b += 1;
                }
                if a < i && b > i + 1 {
                    out.push(cand(
                        toks,
                        a,
                        b,
                        EntityKind::Org,
                        join(toks, a, b),
                        Source::Rule,
                    ));
                }
            }
            // "Institut für Weltwirtschaft", "Deutsches Institut für Wirtschaftsforschung"
            if t.cap && toks.get(i + 1).is_some_and(|n| n.text == "für") {
                let lower = t.text.to_lowercase();
                if ORG_HEADS.iter().any(|h| lower.ends_with(h))
                    && toks
                        .get(i + 2)
                        .is_some_and(|n| n.cap && !self.is_stop(n.text))
                {
                    let mut b = i + 3;
                    loop {
                        if b < toks.len()
                            && b < i + 6
                            && toks[b].cap
                            && !toks[b].line_start
                            && !self.is_stop(toks[b].text)
                        {
                            b += 1;
                        } else if b + 1 < toks.len()
                            && matches!(toks[b].text, "und" | "in" | "," | "der" | "des")
                            && toks[b + 1].cap
                            && !self.is_stop(toks[b + 1].text)
                        {
                            b += 2;
                        } else if b + 2 < toks.len()
                            && toks[b].text == "in"
                            && toks[b + 1].text == "der"
                            && toks[b + 2].cap
                        {
                            b += 3;
                        } else {
                            break;
                        }
                    }
                    let mut a = i;
                    if a > 0
                        && toks[a - 1].cap
                        && !toks[a - 1].line_start
                        && ["es", "er", "e", "en"]
                            .iter()
                            .any(|s| toks[a - 1].text.ends_with(s))
                        && !self.is_stop(toks[a - 1].text)
                        && looks_adj(toks[a - 1].text)
                    {
                        a -= 1;
                    }
                    let mut norm = join(toks, a, b);
                    if a < i {
                        norm = nominative_adj(&norm);
                    }
                    out.push(cand(toks, a, b, EntityKind::Org, norm, Source::Rule));
                }
            }
        }
    }

    /// Bare surnames of persons named earlier or later in the same document
    /// ("Stoltenberg" after "Jens Stoltenberg"), and known surnames.
    fn surname_repeats(&self, toks: &[Tok], out: &mut Vec<Cand>) {
        let mut seen: FxHashMap<&str, ()> = FxHashMap::default();
        for c in out
            .iter()
            .filter(|c| c.kind == EntityKind::Person && (c.t1 - c.t0 >= 2 || c.boost))
        {
            let last = toks[c.t1 - 1].text;
            if toks[c.t1 - 1].cap && !self.d.common.contains(last) {
                seen.insert(strip_gen_if(last, c.norm.ends_with(last)), ());
            }
        }
        // A person's surname beats a same-named place or org in this document.
        out.retain(|c| {
            c.kind == EntityKind::Person
                || c.t1 - c.t0 != 1
                || c.source == Source::KnowledgeBase
                || !seen.contains_key(strip_gen(toks[c.t0].text).unwrap_or(toks[c.t0].text))
                    && !seen.contains_key(toks[c.t0].text)
        });
        for i in 0..toks.len() {
            let t = &toks[i];
            if !t.cap || t.caps || !self.nameish(t) {
                continue;
            }
            let (stem, gen) = match strip_gen(t.text) {
                Some(s) if seen.contains_key(s) || self.d.famous_surnames.contains(s) => (s, true),
                _ => (t.text, false),
            };
            let known = seen.contains_key(stem);
            let listed = (!t.initial && self.d.surnames.contains(stem) && !self.is_common(stem))
                || self.d.famous_surnames.contains(stem) && !self.is_common(stem);
            if known || listed {
                let _ = gen;
                out.push(Cand {
                    source: if known {
                        Source::Rule
                    } else {
                        Source::Gazetteer
                    },
                    ..cand(
                        toks,
                        i,
                        i + 1,
                        EntityKind::Person,
                        stem.to_string(),
                        Source::Rule,
                    )
                });
            }
        }
    }

    fn proposals(&self, toks: &[Tok], proposals: &[Proposal], out: &mut Vec<Cand>) {
        /// Below this tagger confidence a single common noun is not taken as a name.
        const COMMON_NOUN_MIN_SCORE: f32 = 0.5;
        for p in proposals {
            if p.tokens.start >= p.tokens.end || p.tokens.end > toks.len() {
                continue;
            }
            let span = &toks[p.tokens.clone()];
            let first = &span[0];
            let last = &span[span.len() - 1];
            if !first.word || !first.cap || !last.word {
                continue;
            }
            if span
                .iter()
                .any(|t| !t.word && !matches!(t.text, "." | "-" | "&" | "/"))
            {
                continue; // crosses punctuation or a URL
            }
            if span.iter().skip(1).any(|t| t.line_start) {
                continue;
            }
            // Shouted headlines ("DEM GESCHÄFT"): all caps with a function word.
            if span.len() > 1
                && span
                    .iter()
                    .all(|t| !t.word || t.text.chars().all(|c| !c.is_lowercase()))
                && span.iter().any(|t| t.word && self.is_stop(t.text))
            {
                continue;
            }
            if span.len() == 1 {
                if self.is_stop(first.text)
                    || self.role_of(first.text).is_some()
                    || self.is_country_adj(first.text)
                    || self.d.not_orgs.contains(first.text)
                {
                    continue;
                }
                // A common noun ("Allianz", "Union") needs a confident tagger,
                // and after an article ("die Allianz") it is the noun.
                if self.d.common.contains(first.text) {
                    let after_article = p.tokens.start > 0
                        && matches!(
                            toks[p.tokens.start - 1].text.to_lowercase().as_str(),
                            "der"
                                | "die"
                                | "das"
                                | "den"
                                | "dem"
                                | "des"
                                | "ein"
                                | "eine"
                                | "einer"
                                | "eines"
                                | "einem"
                                | "einen"
                        );
                    if after_article || p.score < COMMON_NOUN_MIN_SCORE {
                        continue;
                    }
                }
                if first.initial && self.is_common(first.text) {
                    continue;
                }
                if self.d.common.contains(first.text) && first.initial {
                    continue;
                }
            }
            if span
                .iter()
                .all(|t| !t.word || self.is_stop(t.text) || self.role_of(t.text).is_some())
            {
                continue;
            }
            let t0 = p.tokens.start;
            let t1 = p.tokens.end;
            let mut end = last.end;
            let mut norm = join(toks, t0, t1);
            // A name heading a compound: keep only the head ("NATO-Truppen").
            if span.len() == 1 {
                if let Some(cut) = first.text.find('-') {
                    let rest = &first.text[cut + 1..];
                    if rest.chars().next().is_some_and(char::is_lowercase) {
                        continue;
                    }
                    if self.is_common(rest) || self.is_common(rest.trim_end_matches('n')) {
                        end = first.start + cut;
                        norm = first.text[..cut].to_string();
                    }
                }
            }
            if let Some(stem) = strip_gen(&norm) {
                if single_word(&self.d.names, stem).is_some() || self.d.surnames.contains(stem) {
                    norm = stem.to_string();
                }
            }
            out.push(Cand {
                start: first.start,
                end,
                t0,
                t1,
                kind: p.kind,
                norm,
                role: None,
                source: Source::Tagger,
                boost: false,
            });
        }
    }
}

/// Nouns with these endings are never names ("Aufrüstung", "Sicherheit").
fn noun_suffix(w: &str) -> bool {
    let l = w.to_lowercase();
    [
        "ung", "heit", "keit", "schaft", "tion", "ität", "ismus", "nahme", "ungen", "heiten",
        "keiten",
    ]
    .iter()
    .any(|s| l.ends_with(s))
}

/// "Deutschen Gesellschaft für …" → "Deutsche Gesellschaft für …".
fn nominative_adj(s: &str) -> String {
    let (first, rest) = s.split_once(' ').unwrap_or((s, ""));
    let first = match first.strip_suffix("en") {
        Some(stem) if looks_adj(first) => format!("{stem}e"),
        _ => first.to_string(),
    };
    if rest.is_empty() {
        first
    } else {
        format!("{first} {rest}")
    }
}

fn looks_adj(w: &str) -> bool {
    let l = w.to_lowercase();
    [
        "isches", "ische", "ischer", "ischen", "sches", "sche", "scher", "schen", "ales", "ale",
        "aler", "alen",
    ]
    .iter()
    .any(|s| l.ends_with(s))
}

/// Street names: "Schwanitzstraße", "Alexanderplatz".
/// Returns the part before the street word ("Schwanitz").
fn street_like(w: &str) -> Option<&str> {
    ["straße", "strasse", "gasse", "allee", "chaussee"]
        .iter()
        .find_map(|s| {
            let stem = w.strip_suffix(s)?.trim_end_matches('-');
            (stem.chars().count() > 2).then_some(stem)
        })
}

fn is_roman(w: &str) -> bool {
    matches!(
        w,
        "I" | "II"
            | "III"
            | "IV"
            | "V"
            | "VI"
            | "VII"
            | "VIII"
            | "IX"
            | "X"
            | "XI"
            | "XII"
            | "XIII"
            | "XIV"
            | "XV"
            | "XVI"
    )
}

fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next()), (Some(x), None) if x.is_uppercase())
}

/// A candidate acronym: 3–6 capitals ("OSZE"), not a Roman numeral.
/// Two-letter acronyms are too ambiguous and must be listed in orgs.tsv.
fn is_acronym(w: &str) -> bool {
    let n = w.chars().count();
    if !(3..=6).contains(&n) || !is_all_caps(w) {
        return false;
    }
    if !w.chars().next().is_some_and(char::is_alphabetic) {
        return false;
    }
    !w.chars().all(|c| "IVXLCDM".contains(c)) // Roman numerals
}

fn title_case(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut at_start = true;
    for c in w.chars() {
        if at_start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        at_start = c == '-' || c == ' ';
    }
    out
}

/// Genitive stem: "Putins" → "Putin" (not for "-ss", "-us", "-is", "-os", "-as", "-x", "-z").
fn strip_gen(w: &str) -> Option<&str> {
    let stem = w.strip_suffix('s')?;
    if stem.chars().count() < 3 {
        return None;
    }
    if stem.ends_with(['s', 'x', 'z', 'ß']) {
        return None;
    }
    Some(stem)
}

fn strip_gen_if(w: &str, keep: bool) -> &str {
    if keep {
        w
    } else {
        strip_gen(w).unwrap_or(w)
    }
}

/// The longest phrase of `table` starting at token `i`; the last word may
/// carry a genitive -s/-es. Returns (token count, phrase index, genitive).
fn best_phrase(toks: &[Tok], i: usize, table: &PhraseTable) -> Option<(usize, u32, bool)> {
    let first = toks[i].text;
    let mut best: Option<(usize, u32, bool)> = None;
    let consider = |best: &mut Option<(usize, u32, bool)>, key: &str, gen_first: bool| {
        let Some(list) = table.by_first.get(&data::h(key)) else {
            return;
        };
        for &idx in list {
            let p = &table.phrases[idx as usize];
            let n = p.words.len();
            if gen_first && n != 1 {
                continue;
            }
            if i + n > toks.len() || best.is_some_and(|(l, _, _)| l >= n) {
                continue;
            }
            let mut gen = gen_first;
            let ok = (1..n).all(|k| {
                let t = &toks[i + k];
                if t.line_start {
                    return false;
                }
                let w = &*p.words[k];
                if t.text == w {
                    return true;
                }
                if k == n - 1 && is_gen_of(t.text, w) {
                    gen = true;
                    return true;
                }
                false
            });
            if ok {
                *best = Some((n, idx, gen));
            }
        }
    };
    consider(&mut best, first, false);
    if best.is_none() {
        if let Some(stem) = strip_gen(first) {
            consider(&mut best, stem, true);
        } else if let Some(stem) = first.strip_suffix("es") {
            if stem.chars().count() >= 3 {
                consider(&mut best, stem, true);
            }
        }
    }
    // Single words need a capital (or a known lower-case name like "dpa").
    best
}

fn is_gen_of(w: &str, base: &str) -> bool {
    w.len() > base.len()
        && w.starts_with(base)
        && matches!(&w[base.len()..], "s" | "es")
        && !base.ends_with(['s', 'x', 'z', 'ß'])
}

fn single_word(table: &PhraseTable, w: &str) -> Option<u32> {
    table
        .by_first
        .get(&data::h(w))?
        .iter()
        .copied()
        .find(|&k| table.phrases[k as usize].words.len() == 1)
}

fn join(toks: &[Tok], a: usize, b: usize) -> String {
    let mut s = String::new();
    for (k, t) in toks[a..b].iter().enumerate() {
        // no space before "." of an initial or after an opening "/"
        if k > 0 && t.start > toks[a + k - 1].end {
            s.push(' ');
        }
        s.push_str(t.text);
    }
    s
}

fn cand(toks: &[Tok], a: usize, b: usize, kind: EntityKind, norm: String, source: Source) -> Cand {
    Cand {
        start: toks[a].start,
        end: toks[b - 1].end,
        t0: a,
        t1: b,
        kind,
        norm,
        role: None,
        source,
        boost: false,
    }
}

/// Greedy non-overlapping selection by rank; output sorted by span.
fn select(mut cands: Vec<Cand>) -> Vec<FoundName> {
    cands.sort_by(|a, b| b.rank().cmp(&a.rank()).then(a.start.cmp(&b.start)));
    let mut occupied: std::collections::BTreeMap<usize, usize> = Default::default();
    let mut taken: Vec<Cand> = Vec::with_capacity(cands.len());
    for c in cands {
        if c.start >= c.end {
            continue;
        }
        // the taken span starting last before c.end must end before c.start
        let clash = occupied
            .range(..c.end)
            .next_back()
            .is_some_and(|(_, &e)| e > c.start);
        if !clash {
            occupied.insert(c.start, c.end);
            taken.push(c);
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
