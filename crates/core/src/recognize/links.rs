//! In-document links: a stage after [`consistency`](super::consistency) that
//! gives a short or inflected mention the normalised name of the full name
//! it stands for in the same document, so that the two link (mentions with
//! the same name and kind are one entity; see [`crate::linking`]).
//!
//! 1. **Genitives of persons.** "Newmans" after "Barnett Newman", "Mark
//!    Rothkos" beside "Rothko": a person mention whose last word is the
//!    genitive of a surname named in the document loses the -s (the tagger
//!    keeps it before a quoted title, "Newmans „Who's Afraid …“").
//! 2. **A first name alone** ("der Marco" for "Marco Odermatt", "Andi" for
//!    "Andreas Wolff": first-name-forms.txt), or a family
//!    name written first ("Xi" for "Xi Jinping"): a one-word person mention
//!    that starts exactly one full name in the document, and ends none.
//! 3. **Acronyms by initials.** "SZ" beside "Süddeutsche Zeitung", "LVZ"
//!    beside "Leipziger Volkszeitung": an organisation mention in capitals
//!    whose letters are the initials of the words of exactly one
//!    organisation named in the document (and of the parts of a compound
//!    word, "Volks|zeitung"). Bracketed definitions are the consistency
//!    stage's.
//! 4. **Shared surnames.** "Schmidt" in a document that names both "Anna
//!    Schmidt" and "Peter Schmidt" is the one named most often before it,
//!    of two named as often the nearest (the first named after it when
//!    neither comes before): the corpus's one-winner-per-document rule for
//!    bare surnames cannot tell them apart.
//! 5. **Clubs.** In a document that names a club by its prefix and place
//!    ("Borussia Dortmund", "1. FSV Mainz 05"), the prefix alone
//!    ("die Borussia") and the place alone as a side in the match report
//!    ("Mainz lief früh an", "gegen Mainz") are the club: an organisation
//!    with the club's name. The dateline ("Dortmund (dpa) –", "Bochum.") and the place
//!    after a local preposition ("in Dortmund") or a place noun ("die Stadt
//!    Dortmund", "im Landkreis Augsburg") stay places.
//! 6. **Inflections** and 7. **short forms** of organisations: see
//!    [`inflections`] and `Recognizer::short_forms`; a listed short form
//!    that is a common noun (`orgs-short.tsv`: "Bahn") takes its long
//!    name in any document, once something found it as an organisation.
//! 8. **Ministries in one word.** "Bundesforschungsministerium" beside
//!    "Bundesministerium für Forschung, Technologie und Raumfahrt",
//!    "Umweltministerium" beside "Bayerisches Staatsministerium für Umwelt
//!    und Verbraucherschutz": a one-word organisation ending in
//!    "-ministerium" whose middle is the first word of exactly one
//!    ministry's complement (with its linking -s or -n, "Innen" for
//!    "des Innern"); a "Bundes-" compound only a federal ministry.
//! 9. **A town alone.** "Frankfurt" beside "Frankfurt (Oder)", "Neustadt"
//!    beside "Neustadt an der Weinstraße": a one-word place that begins
//!    exactly one place of the document whose next word is a preposition
//!    of town names ("am", "an", "im", "in", "ob", "bei") or an opening
//!    bracket or slash.

use super::data::is_all_caps;
use super::data::WordSet;
use super::lexicon::{looks_adj, strip_gen};
use super::rules::{has_branches, is_branching, is_club_prefix, is_team_nickname};
use super::Recognizer;
use crate::linking::link_key;
use crate::model::{sym, EntityKind, FoundName, Source, Sym};
use crate::text::tokenize::Tokenized;
use crate::text::words::Words;

/// Prepositions after which a place is the place, not its club.
static LOCAL_PREPOSITIONS: Words =
    Words::new(&["in", "im", "nach", "aus", "bei", "von", "Von", "In", "Aus"]);

/// Nouns after which a place is the place, not its club ("die Stadt
/// Augsburg", "der Landkreis Augsburg", "Oberbürgermeister der Stadt …").
static PLACE_NOUNS: Words = Words::new(&[
    "Stadt",
    "Hansestadt",
    "Landeshauptstadt",
    "Bundeshauptstadt",
    "Universitätsstadt",
    "Gemeinde",
    "Kreisstadt",
    "Landkreis",
    "Kreis",
    "Bezirk",
    "Stadtteil",
    "Region",
    "Raum",
    "Großraum",
    "Metropole",
    "Metropolregion",
]);

impl Recognizer {
    /// The in-document links stage (see the module docs): changes names
    /// (and, for clubs, kinds), never spans, so `found` stays sorted and
    /// non-overlapping.
    pub(super) fn linked(
        &self,
        text: &str,
        tok: &Tokenized,
        mut found: Vec<FoundName>,
    ) -> Vec<FoundName> {
        if found.len() < 2 {
            return found;
        }
        // A capitalised common noun that is no role or title ("Motive", not
        // "Trainer" or "Frau") before a word in -s governs it as a genitive.
        genitive_persons(text, &mut found, |w| {
            w.starts_with(char::is_uppercase)
                && self.is_common(w)
                && self.role_of(w).is_none()
                && !self.is_first_name(w)
        });
        inflections(&mut found);
        self.short_forms(&mut found);
        hyphen_prefixed(&mut found);
        self.seats_dropped(&mut found);
        self.listed_short_forms(&mut found);
        self.first_names_read_as_places(&mut found);
        first_names(&mut found, &self.d.first_name_forms);
        self.shared_surnames(text, &mut found);
        acronyms(text, &mut found);
        ministries(&mut found);
        towns_alone(&mut found);
        clubs(text, tok, &self.d.sport_clubs, &mut found);
        found
    }
}

impl Recognizer {
    /// An institution without its seat (7): "Museum der bildenden Künste"
    /// beside "Museum der bildenden Künste Leipzig", "Staatliche
    /// Kunstsammlungen" beside "Staatliche Kunstsammlungen Dresden": an
    /// organisation of two words or more (or one hyphenated word) that is
    /// another one of the document without a known place at its end (or
    /// "zu" and the place), where only one is such.
    fn seats_dropped(&self, found: &mut [FoundName]) {
        let mut short = OneLongName::new();
        for long in long_orgs(found) {
            let s = long.as_str();
            let Some((rest, seat)) = s.rsplit_once(' ') else {
                continue;
            };
            // "Universität zu Lübeck", "Christian-Albrechts-Universität zu Kiel"
            let rest = rest.strip_suffix(" zu").unwrap_or(rest);
            // Not a union or party beside its branch ("IG Metall" beside
            // "IG Metall Arnsberg"); a one-word rest only hyphenated
            // ("Friedrich-Schiller-Universität Jena", not "Universität Jena"),
            // or a university by its short form ("TU Dresden"; not "IHK
            // München" beside the chambers' "IHK", see `org_branches`).
            let local = matches!(rest, "TU" | "FH" | "TH" | "HTW");
            if (rest.contains(' ') || rest.contains('-') || local)
                && self.is_known_place(seat)
                && !is_branching(rest)
            {
                short.allow(rest, long);
            }
        }
        short.rename(found, EntityKind::Org);
    }

    /// Short forms (7).
    fn short_forms(&self, found: &mut [FoundName]) {
        let longs = long_orgs(found);
        if longs.is_empty() {
            return;
        }
        // "Deutsche", "Europäische": an adjective of the name.
        let adjective = |w: &str| {
            w.chars().next().is_some_and(char::is_uppercase)
                && ["e", "en", "er", "es"].iter().any(|e| w.ends_with(e))
                && (self.is_country_adj(w) || looks_adj(w) || self.is_common(w))
                && !self.is_known_place(w)
        };
        // The short form each long one allows, once per long name.
        let mut short = OneLongName::new();
        let mut allow = |w: &'static str, long: Sym| short.allow(w, long);
        let mut seen = fxhash::FxHashSet::default();
        for &long in longs.iter().filter(|l| seen.insert(**l)) {
            let ws: Vec<&'static str> = words(long.as_str()).collect();
            let (first, last) = (ws[0], ws[ws.len() - 1]);
            if ws[..ws.len() - 1].iter().all(|a| adjective(a)) {
                allow(last, long);
            }
            // Not a union or party beside one of its branches ("AfD"
            // beside "AfD Thüringen"), nor an acronym.
            // ("Landtag" for "Landtag von Baden-Württemberg" too.)
            let seat = match ws.get(1) {
                Some(&"von") if ws.len() > 2 => &ws[2..],
                _ => &ws[1..],
            };
            if !has_branches(first)
                && !is_all_caps(first)
                && seat.iter().all(|p| self.is_known_place(p))
            {
                allow(first, long);
            }
            // A company's first word ("Kestner" for "Kestner Automotive
            // AG"), where the gazetteers know that word as nothing (not
            // "Volkswagen" beside "Volkswagen Financial Services AG").
            if crate::linking::without_legal_form(long.as_str()).is_some_and(|n| n != first)
                && !is_all_caps(first)
                && !adjective(first)
                && !self.is_common(first)
                && super::lexicon::single_word(&self.d.names, first).is_none()
            {
                allow(first, long);
            }
        }
        for m in found.iter_mut().filter(|m| m.kind == EntityKind::Org) {
            let w = m.norm.as_str();
            if w.contains(' ') || w.chars().count() < 3 {
                continue;
            }
            if let Some(long) = short.of(w) {
                m.norm = long;
            }
        }
    }

    /// A one-word organisation that is a listed short form and still its
    /// own name takes the listed long one ("Bahn" → "Deutsche Bahn"), so
    /// that it links across articles.
    fn listed_short_forms(&self, found: &mut [FoundName]) {
        for m in found.iter_mut().filter(|m| m.kind == EntityKind::Org) {
            if let Some(&long) = self.d.org_short_forms.get(m.norm.as_str()) {
                m.norm = long;
            }
        }
    }
}

/// Names without their hyphenated first part (7): "Universität Göttingen"
/// beside "Georg-August-Universität Göttingen", "Universität München"
/// beside "Ludwig-Maximilians-Universität München": an organisation of two
/// words or more that is another one of the document without the parts
/// before the last hyphen of its first word, where only one is such; and
/// of one word, "Ebert-Stiftung" beside "Friedrich-Ebert-Stiftung".
fn hyphen_prefixed(found: &mut [FoundName]) {
    let mut short = OneLongName::new();
    let hyphenated = found
        .iter()
        .filter(|m| m.kind == EntityKind::Org && !m.norm.contains(' ') && m.norm.contains('-'));
    // One word: "Ebert-Stiftung" beside "Friedrich-Ebert-Stiftung",
    // "Brandstätter-Stiftung" beside "Hermann-und-Ingrid-Brandstätter-Stiftung".
    for m in hyphenated {
        let s = m.norm.as_str();
        for (at, _) in s.match_indices('-') {
            let tail = &s[at + 1..];
            let capital = tail.chars().next().is_some_and(char::is_uppercase);
            if capital && tail.contains('-') && tail.split('-').all(|p| p.chars().count() >= 3) {
                short.allow(tail.to_string(), m.norm);
            }
        }
    }
    for long in long_orgs(found) {
        let s = long.as_str();
        let Some((first, rest)) = s.split_once(' ') else {
            continue;
        };
        let Some((_, head)) = first.rsplit_once('-') else {
            continue;
        };
        if head.chars().count() >= 4 && head.chars().next().is_some_and(char::is_uppercase) {
            short.allow(format!("{head} {rest}"), long);
        }
    }
    short.rename(found, EntityKind::Org);
}

/// Short forms, each with the one long name that allows it: two long names
/// allowing one short form link it to neither.
struct OneLongName<K>(fxhash::FxHashMap<K, Option<Sym>>);

impl<K: std::hash::Hash + Eq + std::borrow::Borrow<str>> OneLongName<K> {
    fn new() -> Self {
        OneLongName(Default::default())
    }

    fn allow(&mut self, short: K, long: Sym) {
        let e = self.0.entry(short).or_insert(Some(long));
        if *e != Some(long) {
            *e = None;
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The one long name of `short`, if one allows it.
    fn of(&self, short: &str) -> Option<Sym> {
        self.0.get(short).copied().flatten()
    }

    /// Gives each mention of `kind` that is a short form its long name.
    fn rename(&self, found: &mut [FoundName], kind: EntityKind) {
        if self.is_empty() {
            return;
        }
        for m in found.iter_mut().filter(|m| m.kind == kind) {
            if let Some(long) = self.of(m.norm.as_str()) {
                m.norm = long;
            }
        }
    }
}

/// The name all of `names` are, if there is one and they are all one.
fn the_only<'a>(mut names: impl Iterator<Item = &'a Sym>) -> Option<Sym> {
    let &first = names.next()?;
    names.all(|&f| f == first).then_some(first)
}

/// The normalised names of the document's organisations of two words or more.
fn long_orgs(found: &[FoundName]) -> Vec<Sym> {
    found
        .iter()
        .filter(|m| m.kind == EntityKind::Org && m.norm.contains(' '))
        .map(|m| m.norm)
        .collect()
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split_whitespace()
}

fn last_word(s: &str) -> &str {
    s.rsplit(' ').next().unwrap_or(s)
}

/// Genitives (1): "Newmans" → "Newman", "Mark Rothkos" → "Mark Rothko" when
/// the stem is the last word of another person mention of the document.
fn genitive_persons(text: &str, found: &mut [FoundName], after_noun: impl Fn(&str) -> bool) {
    let persons: Vec<Sym> = found
        .iter()
        .filter(|m| m.kind == EntityKind::Person)
        .map(|m| m.norm)
        .collect();
    if persons.len() < 2 {
        return;
    }
    // A name ending in -s before a noun or a quoted title is a genitive
    // ("Munchs Lithografie", "Edvard Munchs „Melancholie“"): no evidence
    // that the -s belongs to the surname ("Anna Peters sagte" is).
    // So is one word in -s after a noun ("die Motive Janáčeks").
    let attributive = |m: &FoundName| {
        m.norm.as_str().ends_with('s')
            && (text[m.span.end as usize..]
                .trim_start_matches(' ')
                .starts_with(|c: char| c.is_uppercase() || matches!(c, '„' | '»' | '"'))
                || !m.norm.as_str().contains(' ')
                    && text[..m.span.start as usize]
                        .trim_end_matches(' ')
                        .rsplit(' ')
                        .next()
                        .is_some_and(&after_noun))
    };
    let evidence: Vec<Sym> = found
        .iter()
        .filter(|m| m.kind == EntityKind::Person && !attributive(m))
        .map(|m| m.norm)
        .collect();
    // Whether a name of `names` other than `except` ends in `w`.
    let ends_in = |names: &[Sym], w: &str, except: Sym| {
        names
            .iter()
            .any(|&p| p != except && last_word(p.as_str()) == w)
    };
    for m in found.iter_mut().filter(|m| m.kind == EntityKind::Person) {
        let norm = m.norm.as_str();
        let last = last_word(norm);
        let Some(stem) = strip_gen(last) else {
            continue;
        };
        if ends_in(&persons, stem, m.norm) && !ends_in(&evidence, last, m.norm) {
            m.norm = sym(&norm[..norm.len() - 1]);
        }
    }
}

/// Inflections (6): an organisation or place named elsewhere in the
/// document in its base form takes that name.
fn inflections(found: &mut [FoundName]) {
    let is_named = |m: &FoundName| matches!(m.kind, EntityKind::Org | EntityKind::Place);
    let cands: Vec<(usize, Vec<String>)> = found
        .iter()
        .enumerate()
        .filter(|(_, m)| is_named(m))
        .map(|(i, m)| (i, base_forms(m.norm.as_str())))
        .filter(|(_, b)| !b.is_empty())
        .collect();
    if cands.is_empty() {
        return;
    }
    let names: fxhash::FxHashSet<(EntityKind, &str)> = found
        .iter()
        .filter(|m| is_named(m))
        .map(|m| (m.kind, m.norm.as_str()))
        .collect();
    let mut taken = Vec::new();
    for (i, bases) in cands {
        let kind = found[i].kind;
        if let Some(b) = bases.iter().find(|b| names.contains(&(kind, b.as_str()))) {
            taken.push((i, sym(b)));
        }
    }
    for (i, b) in taken {
        found[i].norm = b;
    }
}

/// The forms `name` may be an inflection of (itself left out): its last
/// word without a genitive -s or -es, its first word, where a second
/// follows, with -e for an adjective's -en, -er, -es or -em, and both.
fn base_forms(name: &str) -> Vec<String> {
    /// The endings of an adjective that stand for its -e.
    const ADJ_ENDINGS: [&str; 4] = ["en", "er", "es", "em"];
    // Most names have neither ending: no work for them.
    let first = words(name).next().unwrap_or(name);
    let inflected_first = name.contains(' ') && ADJ_ENDINGS.iter().any(|e| first.ends_with(e));
    // "Westdeutsche Allgemeinen Zeitung": the first adjective already
    // in its base form, the second not.
    let second = words(name).nth(1).filter(|_| words(name).nth(2).is_some());
    let second = second.and_then(|second| {
        second.chars().next().filter(|c| c.is_uppercase())?;
        let e = ADJ_ENDINGS.iter().find(|e| second.ends_with(*e))?;
        second
            .strip_suffix(e)
            .filter(|s| s.chars().count() >= 3)
            .map(|s| format!("{s}e"))
    });
    let second_fix = first.ends_with('e') && second.is_some();
    if !name.ends_with('s') && !inflected_first && !second_fix {
        return Vec::new();
    }
    let ws: Vec<&str> = words(name).collect();
    let Some((&last, _)) = ws.split_last() else {
        return Vec::new();
    };
    let mut lasts = vec![last.to_string()];
    lasts.extend(strip_gen(last).map(str::to_string));
    lasts.extend(
        last.strip_suffix("es")
            .filter(|s| s.chars().count() >= 3 && !s.ends_with(['s', 'x', 'z', 'ß']))
            .map(str::to_string),
    );
    let mut firsts = vec![ws[0].to_string()];
    if ws.len() >= 2 && ws[0].chars().next().is_some_and(char::is_uppercase) {
        for e in ADJ_ENDINGS {
            if let Some(stem) = ws[0].strip_suffix(e).filter(|s| s.chars().count() >= 3) {
                firsts.push(format!("{stem}e"));
            }
        }
    }
    let mut out = Vec::new();
    for (i, f) in firsts.iter().enumerate() {
        for (j, l) in lasts.iter().enumerate() {
            let mut v: Vec<&str> = ws.clone();
            if ws.len() == 1 {
                // One word: only its ending changes.
                if i > 0 || j == 0 {
                    continue;
                }
                v[0] = l;
                out.push(v.join(" "));
                continue;
            }
            v[0] = f;
            let n = v.len() - 1;
            v[n] = l;
            // A second adjective in the same ending, first: "der
            // Westdeutschen Allgemeinen Zeitung".
            if let Some(adjective) = second.as_deref().filter(|_| i > 0 || second_fix) {
                let mut w = v.clone();
                w[1] = adjective;
                out.push(w.join(" "));
            }
            if i > 0 || j > 0 {
                out.push(v.join(" "));
            }
        }
    }
    out
}

/// The normalised names of the document's persons named in full (two
/// words or more).
fn full_names(found: &[FoundName]) -> Vec<Sym> {
    found
        .iter()
        .filter(|m| m.kind == EntityKind::Person && m.norm.contains(' '))
        .map(|m| m.norm)
        .collect()
}

/// First names (2): a one-word person mention that is the first word of
/// exactly one multi-word person of the document and the last word of none.
fn first_names(found: &mut [FoundName], forms: &fxhash::FxHashMap<Box<str>, Box<[Box<str>]>>) {
    let full = full_names(found);
    if full.is_empty() {
        return;
    }
    for m in found
        .iter_mut()
        .filter(|m| m.kind == EntityKind::Person && !m.norm.contains(' '))
    {
        let w = m.norm.as_str();
        if full.iter().any(|f| last_word(f) == w) {
            continue;
        }
        let mut starts = full
            .iter()
            .filter(|f| words(f).next() == Some(w))
            .peekable();
        let one = if starts.peek().is_none() {
            // A short form: "Andi" for Andreas.
            let Some(long) = forms.get(w) else { continue };
            the_only(full.iter().filter(|f| {
                words(f)
                    .next()
                    .is_some_and(|n| long.iter().any(|l| &**l == n))
            }))
        } else {
            the_only(starts)
        };
        if let Some(first) = one {
            m.norm = first;
        }
    }
}

impl Recognizer {
    /// A first name the gazetteers or the tagger read as a place or an
    /// organisation ("Lena", a Siberian river; "Rico") where it starts the
    /// one full name of a person in the document that it starts, and ends
    /// none: the person (stage 2 then links it).
    fn first_names_read_as_places(&self, found: &mut [FoundName]) {
        let full = full_names(found);
        if full.is_empty() {
            return;
        }
        for m in found.iter_mut() {
            let w = m.norm.as_str();
            if !matches!(m.kind, EntityKind::Place | EntityKind::Org)
                || !matches!(m.source, Source::Gazetteer | Source::Tagger)
                || w.contains(' ')
                || !self.is_first_name(w)
                || full.iter().any(|f| last_word(f) == w)
            {
                continue;
            }
            if the_only(full.iter().filter(|f| words(f).next() == Some(w))).is_some() {
                m.kind = EntityKind::Person;
            }
        }
    }
}

/// A woman or a man, as a title, an article, a role word or a first name says.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Sex {
    F,
    M,
}

impl Recognizer {
    /// Shared surnames (4): a one-word person mention that is the last word
    /// of two or more full names of the document takes, of those that the
    /// cues before it leave (the same role, "Schauspieler Brandt" after
    /// "Schauspieler Jonas Brandt"; the sex a title, person noun or article
    /// says, "Frau Kälberer", "Regisseurin Brandt", "die jüngere Mendoza",
    /// against the full names' first names), the one named most often
    /// before it (ties: the nearest), else the first named after it.
    fn shared_surnames(&self, text: &str, found: &mut [FoundName]) {
        let full: Vec<(usize, Sym, Option<Sym>)> = found
            .iter()
            .enumerate()
            .filter(|(_, m)| m.kind == EntityKind::Person && m.norm.contains(' '))
            .map(|(i, m)| (i, m.norm, m.role))
            .collect();
        let key = |f: Sym| link_key(f.as_str(), EntityKind::Person);
        let mut taken = Vec::new();
        for (i, m) in found.iter().enumerate() {
            if m.kind != EntityKind::Person || m.norm.contains(' ') {
                continue;
            }
            let w = m.norm.as_str();
            let bearers = || full.iter().filter(|(_, f, _)| last_word(f) == w);
            // One bearer, perhaps in two spellings ("Vladimir" / "Wladimir
            // Putin"): the corpus links it.
            let mut names = bearers().map(|&(_, f, _)| key(f));
            let Some(one) = names.next() else {
                continue;
            };
            if names.all(|f| f == one) {
                continue;
            }
            // The bearers a cue leaves (all of them where it leaves none).
            let mut cands: Vec<(usize, Sym)> = bearers().map(|&(j, f, _)| (j, f)).collect();
            let mut narrow = |fits: &dyn Fn(Sym) -> bool| {
                if cands.iter().any(|&(_, f)| fits(f)) {
                    cands.retain(|&(_, f)| fits(f));
                }
            };
            if let Some(role) = m.role {
                let has_role = |f: Sym| bearers().any(|&(_, g, r)| g == f && r == Some(role));
                narrow(&has_role);
            }
            if let Some(sex) = self.sex_before(text, m.span.start as usize) {
                narrow(&|f: Sym| self.sex_of_first_name(f.as_str()) == Some(sex));
            }
            // (times named before, position of the nearest) per bearer
            let mut before: Vec<(Sym, usize, usize)> = Vec::new();
            for &(j, f) in cands.iter().filter(|&&(j, _)| j < i) {
                match before.iter_mut().find(|b| b.0 == f) {
                    Some(b) => (b.1, b.2) = (b.1 + 1, j),
                    None => before.push((f, 1, j)),
                }
            }
            let best = before.iter().max_by_key(|b| (b.1, b.2)).map(|b| b.0);
            if let Some(f) = best.or_else(|| cands.first().map(|&(_, f)| f)) {
                taken.push((i, f));
            }
        }
        for (i, f) in taken {
            found[i].norm = f;
        }
    }

    /// The sex of the first name that opens `full`, where the name is given
    /// to one sex only.
    fn sex_of_first_name(&self, full: &str) -> Option<Sex> {
        let first = full.split(' ').next()?;
        match (
            self.d.female_first_names.contains(first),
            self.d.male_first_names.contains(first),
        ) {
            (true, false) => Some(Sex::F),
            (false, true) => Some(Sex::M),
            _ => None,
        }
    }

    /// The sex a noun for a person says: a role ("Ministerin", "Trainer")
    /// or any noun with the ending of a woman's agent noun ("Regisseurin",
    /// "Schauspielerin", "Journalistin") or of a man's ("Schauspieler",
    /// "Regisseur", "Journalist").
    fn sex_of_person_noun(&self, w: &str) -> Option<Sex> {
        /// Endings of agent nouns, each with the woman's -in.
        const AGENT: [&str; 9] = ["er", "eur", "or", "ist", "ant", "ent", "är", "oge", "ot"];
        if !w.chars().next().is_some_and(char::is_uppercase) || self.is_known_place(w) {
            return None;
        }
        let agent = |w: &str| AGENT.iter().any(|e| w.ends_with(e)) && w.chars().count() > 4;
        let feminine = w.strip_suffix("in").is_some_and(|stem| {
            agent(stem) || stem.ends_with("og") || self.role_of(stem) == Some(true)
        });
        if feminine {
            return Some(Sex::F);
        }
        (self.role_of(w) == Some(true) || agent(w)).then_some(Sex::M)
    }

    /// The sex that the words before a surname at `start` say: a title
    /// ("Frau", "Herr"), a role word ("Regisseurin", "Trainer"), or an
    /// article before at most two lower-case words ("die jüngere", "des
    /// älteren"; "der" only opening a sentence, where it is a subject's).
    fn sex_before(&self, text: &str, start: usize) -> Option<Sex> {
        let before = text.get(..start)?;
        let mut words = before
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .rev()
            .skip(1) // what is glued to the name (nothing, normally)
            .filter(|w| !w.is_empty());
        let first = words.next()?;
        match first {
            "Frau" => return Some(Sex::F),
            "Herr" | "Herrn" => return Some(Sex::M),
            _ => {}
        }
        if let Some(sex) = self.sex_of_person_noun(first) {
            return Some(sex);
        }
        let mut w = first;
        for _ in 0..3 {
            match w {
                "die" | "Die" => return Some(Sex::F),
                "des" | "Des" | "dem" | "Dem" => return Some(Sex::M),
                "Der" => {
                    let at = before.rfind(w)?;
                    let opens = before[..at]
                        .trim_end()
                        .ends_with(['.', '!', '?', ':', '"', '“']);
                    return (at == 0 || opens).then_some(Sex::M);
                }
                // "jüngere", "älteren", "27-jährige"
                _ if w
                    .chars()
                    .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '-')
                    && (w.ends_with('e') || w.ends_with("en"))
                    && ![
                        "eine", "einen", "seine", "seinen", "ihre", "ihren", "den", "diese",
                    ]
                    .contains(&w) => {}
                _ => return None,
            }
            w = words.next()?;
        }
        None
    }
}

/// Acronyms (3): organisation acronyms in capitals that spell the initials
/// of exactly one multi-word organisation of the document.
fn acronyms(text: &str, found: &mut [FoundName]) {
    // Of two words or more, also joined by a hyphen ("General-Anzeiger").
    let longs: Vec<Sym> = found
        .iter()
        .filter(|m| m.kind == EntityKind::Org && m.norm.contains([' ', '-']))
        .filter(|m| !is_acronym(m.norm.as_str()))
        .map(|m| m.norm)
        .collect();
    if longs.is_empty() {
        return;
    }
    for m in found.iter_mut().filter(|m| m.kind == EntityKind::Org) {
        let surface = &text[m.span.range()];
        if m.norm != surface || !is_acronym(surface) {
            continue;
        }
        let mut hits = longs.iter().filter(|l| initials_of(surface, l));
        let Some(&long) = hits.next() else { continue };
        if hits.all(|&l| l == long) {
            m.norm = long;
        }
    }
}

/// Ministries in one word (8): a one-word organisation ending in
/// "-ministerium" (or its genitive) takes the name of the one ministry of
/// the document whose complement's first word it compounds.
fn ministries(found: &mut [FoundName]) {
    const HEAD: &str = "ministerium";
    // (is federal, the complement's first word in lower case, name)
    let mut longs: Vec<(bool, String, Sym)> = Vec::new();
    for m in found.iter().filter(|m| m.kind == EntityKind::Org) {
        let ws: Vec<&str> = words(m.norm.as_str()).collect();
        // "Bundesministerium", "Staatsministerium", "Ministerium".
        let head = |w: &&str| w.ends_with(HEAD) || *w == "Ministerium";
        let Some(h) = ws.iter().position(head) else {
            continue;
        };
        if !matches!(ws.get(h + 1), Some(&("für" | "der" | "des"))) {
            continue;
        }
        let Some(first) = ws.get(h + 2) else { continue };
        let federal = ws[h].starts_with("Bundes");
        let first = first.trim_end_matches(',').to_lowercase();
        if !longs.iter().any(|l| l.2 == m.norm) {
            longs.push((federal, first, m.norm));
        }
    }
    if longs.is_empty() {
        return;
    }
    for m in found.iter_mut().filter(|m| m.kind == EntityKind::Org) {
        let w = m.norm.as_str();
        if w.contains(' ') {
            continue;
        }
        let lower = w.to_lowercase();
        let lower = lower.strip_suffix('s').unwrap_or(&lower);
        let Some(mid) = lower.strip_suffix(HEAD) else {
            continue;
        };
        let (federal, mid) = match mid.strip_prefix("bundes") {
            Some(rest) => (true, rest),
            None => (false, mid),
        };
        if mid.chars().count() < 3 {
            continue;
        }
        let mut hits = longs
            .iter()
            .filter(|l| (l.0 || !federal) && compounds(mid, &l.1));
        let Some(&(_, _, long)) = hits.next() else {
            continue;
        };
        if hits.all(|l| l.2 == long) {
            m.norm = long;
        }
    }
}

/// Whether `mid` (lower case) is `word` (lower case) as the first part of
/// a compound: itself, with a linking -s, -n or -en, without its -en or -e
/// ("Finanzen" → "finanz"), or "innen"/"außen" for "Innern"/"Äußeres".
fn compounds(mid: &str, word: &str) -> bool {
    let Some(rest) = mid.strip_prefix(word) else {
        let stem = word
            .strip_suffix("en")
            .or_else(|| word.strip_suffix('e'))
            .filter(|s| s.chars().count() >= 3);
        return stem == Some(mid)
            || matches!(
                (mid, word),
                ("innen", "innern" | "inneres") | ("außen", "äußeres")
            );
    };
    matches!(rest, "" | "s" | "n" | "en")
}

/// A town alone (9): a one-word place that begins exactly one longer place
/// of the document whose second word is a preposition of town names or an
/// opening bracket or slash ("Frankfurt (Oder)", "Halle an der Saale").
fn towns_alone(found: &mut [FoundName]) {
    // Each town's long name, where only one begins with it.
    let mut longs = OneLongName::new();
    for m in found.iter().filter(|m| m.kind == EntityKind::Place) {
        let s = m.norm.as_str();
        let Some(cut) = s.find([' ', '(', '/']) else {
            continue;
        };
        let (town, rest) = (&s[..cut], s[cut..].trim_start());
        let next = rest.split([' ', '(']).next().unwrap_or("");
        let joined = rest.starts_with(['(', '/'])
            || matches!(next, "am" | "an" | "im" | "in" | "ob" | "bei");
        if !joined || town.chars().count() < 2 {
            continue;
        }
        longs.allow(town, m.norm);
    }
    longs.rename(found, EntityKind::Place);
}

/// "SZ", "LVZ", "KfW", "MPI-BGC": 2 to 6 letters, at least two capitals,
/// starting with one; a hyphen may join two groups of letters.
fn is_acronym(w: &str) -> bool {
    let n = w.chars().filter(|&c| c != '-').count();
    (2..=6).contains(&n)
        && w.split('-').all(|g| !g.is_empty())
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
        && w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// Whether the letters of `acr` are, in order, the initials of the words of
/// `long` (every capitalised word gives its initial; a lower-case function
/// word may give its own or none; a number gives none, "1. FC
/// Kaiserslautern" → "FCK"), each word possibly giving further
/// letters that start a part of a compound ("Volks|zeitung": a letter at
/// least 3 in, with at least 3 letters from it on: "Bundes|amt"; not in an
/// adjective, "Schweizerischer"), and a word in capitals all its letters
/// ("FC").
fn initials_of(acr: &str, long: &str) -> bool {
    let letters: Vec<char> = acr
        .chars()
        .filter(|&c| c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    let ws: Vec<&str> = long
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    if ws.len() < 2 || ws.iter().any(|w| !w.chars().all(char::is_alphabetic)) {
        return false;
    }
    struct Word {
        lower: Vec<char>,
        capital: bool,
        caps: bool,
        compound: bool,
    }
    let ws: Vec<Word> = ws
        .iter()
        .map(|w| Word {
            lower: w.chars().flat_map(char::to_lowercase).collect(),
            capital: w.chars().next().is_some_and(char::is_uppercase),
            caps: w.chars().count() >= 2 && w.chars().all(char::is_uppercase),
            compound: !looks_adj(w),
        })
        .collect();
    fn go(l: &[char], ws: &[Word]) -> bool {
        let Some((w, rest)) = ws.split_first() else {
            return l.is_empty();
        };
        if !w.capital && go(l, rest) {
            return true;
        }
        if w.caps && l.starts_with(&w.lower) && go(&l[w.lower.len()..], rest) {
            return true;
        }
        let Some((&first, mut l)) = l.split_first() else {
            return false;
        };
        if w.lower[0] != first {
            return false;
        }
        // Further letters from compound parts, in order.
        let lower = &w.lower;
        let mut from = 3;
        loop {
            if go(l, rest) {
                return true;
            }
            if !w.compound {
                return false;
            }
            let Some((&next, tail)) = l.split_first() else {
                return false;
            };
            let Some(p) = (from..lower.len().saturating_sub(2)).find(|&p| lower[p] == next) else {
                return false;
            };
            l = tail;
            from = p + 3;
        }
    }
    go(&letters, &ws)
}

/// A club of the document: its name, its prefix word, its place words.
type Club<'a> = (Sym, &'a str, Vec<&'a str>);

/// Clubs (5): the club named by its prefix alone or by its place alone.
/// A listed club without a prefix ("Eisbären Berlin", "Straubing Tigers")
/// is read both ways: either word may be its place.
fn clubs(text: &str, tok: &Tokenized, sport: &WordSet, found: &mut [FoundName]) {
    let mut clubs: Vec<Club> = Vec::new();
    for m in found.iter().filter(|m| m.kind == EntityKind::Org) {
        let norm = m.norm.as_str();
        let mut ws = words(norm).skip_while(|w| *w == "1.");
        let Some(prefix) = ws.next() else {
            continue;
        };
        // "Saale Tigers Halle", "Cottbus Rangers": the nickname alone and
        // each place in the name.
        let nickname = words(norm).find(|w| is_team_nickname(w));
        if let Some(nick) = nickname.filter(|_| norm.contains(' ')) {
            if !clubs.iter().any(|c| c.0 == m.norm) {
                let places = words(norm)
                    .filter(|w| *w != nick && w.chars().count() >= 3)
                    .collect();
                clubs.push((m.norm, nick, places));
            }
            continue;
        }
        if !is_club_prefix(prefix) {
            // "Eisbären Berlin", "Straubing Tigers": two words, listed.
            let rest: Vec<&str> = ws.collect();
            if let [other] = rest[..] {
                if sport.contains(norm) && !clubs.iter().any(|c| c.0 == m.norm) {
                    clubs.push((m.norm, prefix, vec![other]));
                    clubs.push((m.norm, other, vec![prefix]));
                }
            }
            continue;
        }
        // "SG Flensburg-Handewitt": each part of a hyphenated place
        let places: Vec<&str> = ws
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .flat_map(|w| w.split('-'))
            .filter(|w| w.chars().count() >= 3)
            .collect();
        if !places.is_empty() && !clubs.iter().any(|c| c.0 == m.norm) {
            clubs.push((m.norm, prefix, places));
        }
    }
    if clubs.is_empty() {
        return;
    }
    let the_one = |pick: &dyn Fn(&Club) -> bool| {
        let mut it = clubs.iter().filter(|c| pick(c));
        let first = it.next()?;
        it.all(|c| c.0 == first.0).then_some(first.0)
    };
    let persons = full_names(found);
    let toks = &tok.tokens;
    for m in found.iter_mut() {
        let surface = &text[m.span.range()];
        if surface.contains(' ') {
            continue;
        }
        match m.kind {
            // "die Borussia": a prefix that is a word of its own.
            // ... and "der THW", "die SG" where the document names one club
            // so (else the Technisches Hilfswerk)
            EntityKind::Org
                if surface.chars().skip(1).all(char::is_lowercase) && surface.len() >= 5
                    || surface.chars().all(|c| c.is_ascii_uppercase()) =>
            {
                if let Some(club) = the_one(&|c| c.1 == surface) {
                    m.norm = club;
                }
            }
            // "Hertha", "Herthas Abwehr": a prefix that is also a given
            // name, where no person of the document bears it.
            EntityKind::Person
                if surface.chars().skip(1).all(char::is_lowercase) && surface.len() >= 5 =>
            {
                let stem = strip_gen(surface).unwrap_or(surface);
                if let Some(club) = the_one(&|c| c.1 == surface || c.1 == stem) {
                    if !persons.iter().any(|p| words(p).next() == Some(stem)) {
                        m.kind = EntityKind::Org;
                        m.norm = club;
                    }
                }
            }
            EntityKind::Place => {
                let Some(club) = the_one(&|c| c.2.contains(&m.norm.as_str())) else {
                    continue;
                };
                let Ok(i) = toks.binary_search_by_key(&m.span.start, |t| t.span.start) else {
                    continue;
                };
                // "Dortmund (dpa) –", "Bochum. Es regnet", "Stuttgart/Crailsheim –"
                let dateline = toks[i].line_start
                    && toks
                        .get(i + 1)
                        .is_some_and(|t| matches!(t.text(text), "(" | "." | "/"));
                let local = i > 0 && {
                    let before = toks[i - 1].text(text);
                    LOCAL_PREPOSITIONS.contains(before)
                        || PLACE_NOUNS.contains(before)
                        // "aus der Oberlausitz", "in der Rhön"
                        || i > 1
                            && matches!(before, "der" | "dem" | "den")
                            && LOCAL_PREPOSITIONS.contains(toks[i - 2].text(text))
                };
                let compound = toks
                    .get(i + 1)
                    .is_some_and(|t| t.span.start == m.span.end && t.text(text).starts_with('-'));
                if !(dateline || local || compound) {
                    m.kind = EntityKind::Org;
                    m.norm = club;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::show;
    use super::*;

    fn norm_of(ms: &[(String, &'static str, String)], surface: &str) -> Vec<(String, String)> {
        ms.iter()
            .filter(|m| m.0 == surface)
            .map(|m| (m.1.to_string(), m.2.clone()))
            .collect()
    }

    #[test]
    fn initials_spell_acronyms() {
        assert!(initials_of("SZ", "Süddeutsche Zeitung"));
        assert!(initials_of("LVZ", "Leipziger Volkszeitung"));
        assert!(initials_of("KfW", "Kreditanstalt für Wiederaufbau"));
        assert!(initials_of(
            "BAMF",
            "Bundesamt für Migration und Flüchtlinge"
        ));
        assert!(!initials_of("BVG", "Berliner Verkehrsbetriebe"));
        assert!(!initials_of("SZ", "Süddeutsche"));
        assert!(!initials_of("ZDF", "Zweites Deutsches"));
        assert!(!initials_of("SPD", "Süddeutsche Zeitung"));
        assert!(
            !initials_of("SZ", "Sächsische Zeitung Verlag"),
            "every word"
        );
        assert!(initials_of("FCK", "1. FC Kaiserslautern"));
        assert!(initials_of("GA", "General-Anzeiger"));
        assert!(initials_of(
            "MPI-BGC",
            "Max-Planck-Institut für Biogeochemie"
        ));
        assert!(is_acronym("MPI-BGC") && !is_acronym("MPI-") && !is_acronym("-BGC"));
        assert!(initials_of("SGB", "Schweizerischer Gewerkschaftsbund"));
        assert!(
            !initials_of("SRG", "Schweizerischer Gewerkschaftsbund"),
            "an adjective is no compound"
        );
    }

    fn person(norm: &str) -> FoundName {
        FoundName {
            span: crate::model::Span::new(0, 1),
            kind: EntityKind::Person,
            norm: sym(norm),
            role: None,
            source: crate::model::Source::Rule,
        }
    }

    fn norms(found: &[FoundName]) -> Vec<&str> {
        found.iter().map(|m| m.norm.as_str()).collect()
    }

    fn named(kind: EntityKind, norm: &str) -> FoundName {
        FoundName {
            kind,
            ..person(norm)
        }
    }

    #[test]
    fn an_inflected_name_links_to_its_base_form() {
        use EntityKind::{Org, Place};
        let mut found = [
            named(Org, "Thalia Theater"),
            named(Org, "Thalia Theaters"),
            named(Org, "Neue Nationalgalerie"),
            named(Org, "Neuen Nationalgalerie"),
            named(Place, "Alten Oper"),
            named(Place, "Alte Oper"),
            named(Org, "Deutschen Bundestages"),
            named(Org, "Deutsche Bundestag"),
            named(Org, "Westdeutschen Allgemeinen Zeitung"),
            named(Org, "Westdeutsche Allgemeinen Zeitung"),
            named(Org, "Westdeutsche Allgemeine Zeitung"),
            // another kind: no link
            named(Place, "Neuen Nationalgalerie"),
            // no base form in the document: unchanged
            named(Org, "Grünen Punkts"),
            named(Place, "Paris"),
        ];
        inflections(&mut found);
        assert_eq!(
            norms(&found),
            [
                "Thalia Theater",
                "Thalia Theater",
                "Neue Nationalgalerie",
                "Neue Nationalgalerie",
                "Alte Oper",
                "Alte Oper",
                "Deutsche Bundestag",
                "Deutsche Bundestag",
                "Westdeutsche Allgemeine Zeitung",
                "Westdeutsche Allgemeine Zeitung",
                "Westdeutsche Allgemeine Zeitung",
                "Neuen Nationalgalerie",
                "Grünen Punkts",
                "Paris",
            ]
        );
    }

    #[test]
    fn a_short_form_links_to_the_organisation() {
        use EntityKind::{Org, Person, Place};
        let mut found = [
            named(Org, "Deutsche Bahn"),
            named(Org, "Bahn"),
            named(Org, "Fanuc Deutschland"),
            named(Org, "Fanuc"),
            // two longs: no link
            named(Org, "Siemens Energy"),
            named(Org, "Siemens Healthineers"),
            named(Org, "Siemens"),
            // the rest is no adjective
            named(Org, "Hamburger Hafen und Logistik"),
            named(Org, "Logistik"),
            // a person
            named(Person, "Telekom"),
            // a party beside its branch
            named(Org, "AfD Thüringen"),
            named(Org, "AfD"),
        ];
        Recognizer::global().short_forms(&mut found);
        let mut alone = [named(Org, "Bahn"), named(Place, "Post"), named(Org, "Bank")];
        Recognizer::global().listed_short_forms(&mut alone);
        assert_eq!(norms(&alone), ["Deutsche Bahn", "Post", "Bank"]);
        // The head before "von" and its seat.
        let mut landtag = [
            named(Org, "Landtag von Baden-Württemberg"),
            named(Org, "Landtag"),
        ];
        Recognizer::global().short_forms(&mut landtag);
        assert_eq!(norms(&landtag)[1], "Landtag von Baden-Württemberg");
        assert_eq!(
            norms(&found),
            [
                "Deutsche Bahn",
                "Deutsche Bahn",
                "Fanuc Deutschland",
                "Fanuc Deutschland",
                "Siemens Energy",
                "Siemens Healthineers",
                "Siemens",
                "Hamburger Hafen und Logistik",
                "Logistik",
                "Telekom",
                "AfD Thüringen",
                "AfD",
            ]
        );
    }

    #[test]
    fn a_ministry_in_one_word_links_to_its_full_name() {
        use EntityKind::{Org, Place};
        let forschung = "Bundesministerium für Forschung, Technologie und Raumfahrt";
        let umwelt = "Bayerisches Staatsministerium für Umwelt und Verbraucherschutz";
        let mut found = [
            named(Org, forschung),
            named(Org, "Bundesforschungsministerium"),
            named(Org, "Forschungsministeriums"),
            named(Org, umwelt),
            named(Org, "Umweltministerium"),
            // a federal compound, a state ministry: no link
            named(Org, "Bundesumweltministerium"),
            named(Org, "Bundesministerium des Innern"),
            named(Org, "Innenministerium"),
            named(Org, "Bundesministerium der Finanzen"),
            named(Org, "Bundesfinanzministerium"),
            // no ministry of it in the document
            named(Org, "Verteidigungsministerium"),
            named(Place, "Gesundheitsministerium"),
        ];
        ministries(&mut found);
        assert_eq!(
            norms(&found),
            [
                forschung,
                forschung,
                forschung,
                umwelt,
                umwelt,
                "Bundesumweltministerium",
                "Bundesministerium des Innern",
                "Bundesministerium des Innern",
                "Bundesministerium der Finanzen",
                "Bundesministerium der Finanzen",
                "Verteidigungsministerium",
                "Gesundheitsministerium",
            ]
        );
        let mut two = [
            named(Org, "Ministerium für Bildung und Kultur"),
            named(Org, "Ministerium für Bildung und Forschung"),
            named(Org, "Bildungsministerium"),
        ];
        ministries(&mut two);
        assert_eq!(
            norms(&two)[2],
            "Bildungsministerium",
            "two ministries of it"
        );
        assert!(compounds("familien", "familie") && compounds("arbeits", "arbeit"));
        assert!(compounds("finanz", "finanzen") && !compounds("fin", "finanzen"));
        assert!(!compounds("wirtschaft", "wissenschaft"));
    }

    #[test]
    fn a_town_alone_links_to_its_full_name() {
        use EntityKind::{Org, Place};
        let mut found = [
            named(Place, "Frankfurt (Oder)"),
            named(Place, "Frankfurt"),
            named(Place, "Neustadt an der Weinstraße"),
            named(Place, "Neustadt"),
            named(Place, "Halle/Saale"),
            named(Place, "Halle"),
            // two towns of the name: no link
            named(Place, "Mühlhausen im Täle"),
            named(Place, "Mühlhausen in Thüringen"),
            named(Place, "Mühlhausen"),
            // a street, another kind
            named(Place, "Berliner Straße"),
            named(Place, "Berliner"),
            named(Org, "Neustadt"),
        ];
        towns_alone(&mut found);
        assert_eq!(
            norms(&found),
            [
                "Frankfurt (Oder)",
                "Frankfurt (Oder)",
                "Neustadt an der Weinstraße",
                "Neustadt an der Weinstraße",
                "Halle/Saale",
                "Halle/Saale",
                "Mühlhausen im Täle",
                "Mühlhausen in Thüringen",
                "Mühlhausen",
                "Berliner Straße",
                "Berliner",
                "Neustadt",
            ]
        );
    }

    #[test]
    fn a_genitive_links_to_the_person() {
        let mut found = [
            person("Barnett Newman"),
            person("Newmans"),
            person("Mark Rothkos"),
            person("Rothko"),
            person("Jens"),
        ];
        genitive_persons("  ", &mut found, |_| false);
        assert_eq!(
            norms(&found),
            ["Barnett Newman", "Newman", "Mark Rothko", "Rothko", "Jens"]
        );
    }

    #[test]
    fn genitives_before_a_noun_are_no_surnames_of_their_own() {
        // Persons at the given surfaces of `t`, in order.
        let at = |t: &str, names: &[&str]| -> Vec<FoundName> {
            let mut from = 0;
            names
                .iter()
                .map(|n| {
                    let s = from + t[from..].find(n).unwrap();
                    from = s + n.len();
                    FoundName {
                        span: crate::model::Span::new(s, from),
                        ..person(n)
                    }
                })
                .collect()
        };
        let t = "Zuerst Edvard Munchs „Melancholie“, dann Munchs Lithografie. Munch malte.";
        let mut found = at(t, &["Edvard Munchs", "Munchs", "Munch"]);
        genitive_persons(t, &mut found, |_| false);
        assert_eq!(norms(&found), ["Edvard Munch", "Munch", "Munch"]);
        // "Anna Peters sagte": the -s is the surname's.
        let t = "Anna Peters sagte es. Jan Peter schwieg. Peters lachte.";
        let mut found = at(t, &["Anna Peters", "Jan Peter", "Peters"]);
        genitive_persons(t, &mut found, |_| false);
        assert_eq!(norms(&found), ["Anna Peters", "Jan Peter", "Peters"]);
        // After a noun that governs it: "die Motive Janáčeks scharf".
        let t =
            "Mit Leoš Janáčeks „Katja“. Sie nimmt die Motive Janáčeks scharf. Janáček schreibt.";
        let mut found = at(t, &["Leoš Janáčeks", "Janáčeks", "Janáček"]);
        genitive_persons(t, &mut found, |w| w == "Motive");
        assert_eq!(norms(&found), ["Leoš Janáček", "Janáček", "Janáček"]);
    }

    #[test]
    fn a_shared_surname_is_the_bearer_named_most_then_last() {
        let mut found = [
            person("Schmidt"),
            person("Anna Schmidt"),
            person("Schmidt"),
            person("Peter Schmidt"),
            person("Schmidt"),
            person("Jicha"),
            person("Filip Jicha"),
        ];
        Recognizer::global().shared_surnames("", &mut found);
        assert_eq!(
            norms(&found),
            [
                "Anna Schmidt",
                "Anna Schmidt",
                "Anna Schmidt",
                "Peter Schmidt",
                "Peter Schmidt",
                // one bearer: left to the corpus
                "Jicha",
                "Filip Jicha"
            ]
        );
        // The subject of an obituary, named twice, keeps the bare surname
        // after his daughter is named once.
        let mut found = [
            person("Klaus-Dieter Brückner"),
            person("Brückner"),
            person("Klaus-Dieter Brückner"),
            person("Anna Brückner"),
            person("Brückner"),
        ];
        Recognizer::global().shared_surnames("", &mut found);
        assert_eq!(norms(&found)[4], "Klaus-Dieter Brückner");
        // Two spellings of one name are one bearer.
        let mut found = [
            person("Wladimir Putin"),
            person("Vladimir Putin"),
            person("Putin"),
        ];
        Recognizer::global().shared_surnames("", &mut found);
        assert_eq!(norms(&found)[2], "Putin");
    }

    /// Of two people sharing a surname, a role or the sex said before
    /// the bare surname names one.
    #[test]
    fn a_shared_surname_after_a_role_a_title_or_an_article() {
        let text = "Die Regisseurin Lena Brandt und der Schauspieler Jonas Brandt \
            arbeiten zusammen. Regisseurin Brandt lobte ihn. Schauspieler Brandt \
            spielt den Franz. Frau Brandt sagte nichts. Brandt ging. Herr Brandt blieb.";
        let ms = show(text);
        assert_eq!(
            norm_of(&ms, "Brandt"),
            [
                "Lena Brandt",
                "Jonas Brandt",
                "Lena Brandt",
                "Jonas Brandt",
                "Jonas Brandt"
            ]
            .map(|n| ("person".to_string(), n.to_string())),
            "{ms:?}"
        );
        let text = "Javier Mendoza verlor die Wahl. Seine Tochter Camila Mendoza zieht \
            ins Parlament ein. Der ältere Mendoza räumte die Niederlage ein, die \
            jüngere Mendoza schwieg. Mit der jüngeren Mendoza sprach niemand.";
        let ms = show(text);
        let mendoza = norm_of(&ms, "Mendoza");
        assert_eq!(mendoza[0].1, "Javier Mendoza", "{ms:?}");
        assert_eq!(mendoza[1].1, "Camila Mendoza", "{ms:?}");
        // "der" inside a sentence may be a woman's dative: the most recent
        // named before decides, as without a cue.
        assert_eq!(mendoza.len(), 3, "{ms:?}");
    }

    #[test]
    fn an_institution_without_its_seat_or_its_patrons_first_names() {
        let mut found = [
            named(EntityKind::Org, "Museum der bildenden Künste Leipzig"),
            named(EntityKind::Org, "Museum der bildenden Künste"),
            named(EntityKind::Org, "IG Metall Arnsberg"),
            named(EntityKind::Org, "IG Metall"),
            named(EntityKind::Org, "Hermann-und-Ingrid-Brandstätter-Stiftung"),
            named(EntityKind::Org, "Brandstätter-Stiftung"),
            named(EntityKind::Org, "Christian-Albrechts-Universität zu Kiel"),
            named(EntityKind::Org, "Christian-Albrechts-Universität"),
            named(EntityKind::Org, "TU Dresden"),
            named(EntityKind::Org, "TU"),
        ];
        let r = Recognizer::global();
        r.seats_dropped(&mut found);
        hyphen_prefixed(&mut found);
        assert_eq!(
            norms(&found),
            [
                "Museum der bildenden Künste Leipzig",
                "Museum der bildenden Künste Leipzig",
                // a union beside its branch stays the union
                "IG Metall Arnsberg",
                "IG Metall",
                "Hermann-und-Ingrid-Brandstätter-Stiftung",
                "Hermann-und-Ingrid-Brandstätter-Stiftung",
                // a hyphenated name and its seat after "zu"
                "Christian-Albrechts-Universität zu Kiel",
                "Christian-Albrechts-Universität zu Kiel",
                "TU Dresden",
                "TU Dresden"
            ]
        );
    }

    #[test]
    fn a_company_by_its_first_word_and_a_university_without_its_patrons() {
        let text = "Die Kestner Automotive AG übernimmt den Zulieferer. Die \
            Volkswagen Financial Services AG und Volkswagen \
            schweigen. Die Georg-August-Universität Göttingen forscht mit. Die \
            Universität Göttingen teilte mit, die Universität Kassel nicht.";
        let ms = show(text);
        // The bare name as the tagger or the rules find it in an article.
        let mut found = [
            named(EntityKind::Org, "Kestner Automotive AG"),
            named(EntityKind::Org, "Kestner"),
        ];
        Recognizer::global().short_forms(&mut found);
        assert_eq!(
            norms(&found),
            ["Kestner Automotive AG", "Kestner Automotive AG"]
        );
        assert_eq!(norm_of(&ms, "Volkswagen")[0].1, "Volkswagen", "{ms:?}");
        let uni = norm_of(&ms, "Universität Göttingen");
        assert_eq!(uni[0].1, "Georg-August-Universität Göttingen", "{ms:?}");
        assert_eq!(
            norm_of(&ms, "Universität Kassel")[0].1,
            "Universität Kassel"
        );
    }

    #[test]
    fn a_first_name_read_as_a_place_is_the_person() {
        let ms = show("Regisseurin Lena Brandt probt. Lena sagt, die Proben seien hart.");
        assert_eq!(
            norm_of(&ms, "Lena"),
            [("person".to_string(), "Lena Brandt".to_string())],
            "{ms:?}"
        );
        // Without the person, the river.
        let ms = show("Die Lena fließt ins Nordpolarmeer.");
        assert_eq!(norm_of(&ms, "Lena")[0].0, "place", "{ms:?}");
    }

    #[test]
    fn a_first_name_or_family_name_alone() {
        let mut found = [
            person("Marco Odermatt"),
            person("Marco"),
            person("Xi Jinping"),
            person("Xi"),
            person("Anna Schmidt"),
            person("Anna Weber"),
            person("Anna"),
            // short forms of first names
            person("Andreas Wolff"),
            person("Andi"),
            person("Christian Lindner"),
            person("Christina Block"),
            person("Chris"),
            person("Tom"),
        ];
        first_names(&mut found, &Recognizer::global().d.first_name_forms);
        assert_eq!(
            norms(&found),
            [
                "Marco Odermatt",
                "Marco Odermatt",
                "Xi Jinping",
                "Xi Jinping",
                "Anna Schmidt",
                "Anna Weber",
                "Anna",
                "Andreas Wolff",
                "Andreas Wolff",
                "Christian Lindner",
                "Christina Block",
                "Chris",
                "Tom",
            ]
        );
    }

    /// The normalised names of the mentions with this surface, asserting
    /// that there is at least one (a filter over nothing proves nothing).
    fn norms_of(ms: &[(String, &'static str, String)], surface: &str) -> Vec<String> {
        let v: Vec<String> = ms
            .iter()
            .filter(|m| m.0 == surface)
            .map(|m| m.2.clone())
            .collect();
        assert!(!v.is_empty(), "no mention {surface:?} in {ms:?}");
        v
    }

    #[test]
    fn a_first_name_alone_links_to_the_full_name() {
        // ("Der Marco" alone is not found: the stage links mentions, it
        // does not find them.)
        let t = "Marco Odermatt gewann die Abfahrt. Danach sagte Marco, er sei müde.";
        let ms = show(t);
        assert_eq!(norms_of(&ms, "Marco"), ["Marco Odermatt"], "{ms:?}");
        // Two bearers: no link.
        let t = "Marco Odermatt und Marco Schwarz fuhren. Danach sagte Marco, er sei müde.";
        let ms = show(t);
        assert_eq!(norms_of(&ms, "Marco"), ["Marco"], "{ms:?}");
    }

    #[test]
    fn an_acronym_links_to_its_long_form() {
        let t = "Die Süddeutsche Zeitung fragte nach. SZ: Wie geht es weiter?";
        let ms = show(t);
        assert_eq!(norms_of(&ms, "SZ"), ["Süddeutsche Zeitung"], "{ms:?}");
        let t = "Mit dem General-Anzeiger sprach sie.\nGA: Frau Lenz, was haben Sie \
                 gesehen?\nLenz: Hunger.\nGA: Was fehlt?\nLenz: Geld.";
        let ms = show(t);
        assert_eq!(norms_of(&ms, "GA"), ["General-Anzeiger"; 2], "{ms:?}");
        // An acronym with a hyphen is no long form of itself.
        let t = "Das Max-Planck-Institut für Biogeochemie in Jena forscht. \
                 Das MPI-BGC misst seit Jahren. Das MPI-BGC wächst.";
        let ms = show(t);
        let mpi = "Max-Planck-Institut für Biogeochemie";
        assert_eq!(norms_of(&ms, "MPI-BGC"), [mpi; 2], "{ms:?}");
    }

    #[test]
    fn a_city_in_a_match_report_is_its_club() {
        let t = "Borussia Dortmund schlägt den 1. FSV Mainz 05.\n\
                 Dortmund (dpa) – Mainz lief früh an. Erst spät fand Dortmund ins Spiel, \
                 nun steht die Borussia oben. Die Fans feierten in Dortmund.";
        let ms = show(t);
        let dortmund = norm_of(&ms, "Dortmund");
        assert_eq!(dortmund.len(), 3, "{ms:?}");
        assert_eq!(dortmund[0].0, "place", "dateline: {ms:?}");
        assert_eq!(
            dortmund[1],
            ("org".to_string(), "Borussia Dortmund".to_string())
        );
        assert_eq!(dortmund[2].0, "place", "in Dortmund: {ms:?}");
        assert_eq!(
            norm_of(&ms, "Mainz"),
            [("org".to_string(), "1. FSV Mainz 05".to_string())]
        );
        // "die Borussia" alone is not found (the prefix alone is linked in
        // `clubs` only where something found it; see
        // `a_club_prefix_alone_links_to_the_club`).
        assert!(!ms.iter().any(|m| m.0 == "Borussia"), "{ms:?}");
        // after a preposition and its article, the region is the region
        let ms =
            show("Der VfB Oberlausitz Bautzen verlor. Die Gäste aus der Oberlausitz kamen spät.");
        assert_eq!(norm_of(&ms, "Oberlausitz")[0].0, "place", "{ms:?}");
    }

    #[test]
    fn a_listed_club_without_a_prefix_by_its_city() {
        let t = "Die Eisbären Berlin schlagen die Adler Mannheim.\n\
                 Berlin (dpa) – Mannheim begann stark, doch Berlin drehte das Spiel. \
                 Die Fans feierten in Berlin.";
        let ms = show(t);
        let berlin = norm_of(&ms, "Berlin");
        assert_eq!(berlin.len(), 3, "{ms:?}");
        assert_eq!(berlin[0].0, "place", "dateline: {ms:?}");
        assert_eq!(
            berlin[1],
            ("org".to_string(), "Eisbären Berlin".to_string())
        );
        assert_eq!(berlin[2].0, "place", "in Berlin: {ms:?}");
        assert_eq!(
            norm_of(&ms, "Mannheim"),
            [("org".to_string(), "Adler Mannheim".to_string())]
        );
    }

    #[test]
    fn a_club_prefix_alone_links_to_the_club() {
        let text = "Borussia Dortmund gewann. Die Borussia jubelte.";
        let tok = crate::text::tokenize::tokenize(text);
        let at = |s: &str, from: usize| {
            let start = from + text[from..].find(s).unwrap();
            crate::model::Span::new(start, start + s.len())
        };
        let mut found = [
            FoundName {
                span: at("Borussia Dortmund", 0),
                kind: EntityKind::Org,
                ..person("Borussia Dortmund")
            },
            FoundName {
                span: at("Borussia", 20),
                kind: EntityKind::Org,
                ..person("Borussia")
            },
        ];
        clubs(text, &tok, &WordSet::default(), &mut found);
        assert_eq!(norms(&found), ["Borussia Dortmund", "Borussia Dortmund"]);
    }

    #[test]
    fn a_city_after_a_place_noun_is_the_city() {
        let t = "Der FC Augsburg gewann gegen Mainz. Augsburg lag früh vorn. \
                 Die Stadt Augsburg plant ein neues Stadion, die Region Augsburg auch.";
        let ms = show(t);
        let augsburg = norm_of(&ms, "Augsburg");
        assert_eq!(augsburg.len(), 3, "{ms:?}");
        assert_eq!(augsburg[0], ("org".to_string(), "FC Augsburg".to_string()));
        assert_eq!(augsburg[1].0, "place", "die Stadt Augsburg: {ms:?}");
        assert_eq!(augsburg[2].0, "place", "die Region Augsburg: {ms:?}");
    }

    #[test]
    fn handball_clubs_and_a_prefix_that_is_a_given_name() {
        let t = "Der THW Kiel schlägt die SG Flensburg-Handewitt.\n\
                 Kiel (dpa) – Flensburg begann stark, doch Kiel drehte das Spiel.";
        let ms = show(t);
        let flensburg = norm_of(&ms, "Flensburg");
        assert_eq!(
            flensburg,
            [("org".to_string(), "SG Flensburg-Handewitt".to_string())],
            "{ms:?}"
        );
        let t2 = format!("{t} Der THW bleibt vorn, die SG fällt zurück.");
        let ms2 = show(&t2);
        assert_eq!(
            norm_of(&ms2, "THW"),
            [("org".to_string(), "THW Kiel".to_string())],
            "{ms2:?}"
        );
        let kiel = norm_of(&ms, "Kiel");
        assert_eq!(kiel[0].0, "place", "dateline: {ms:?}");
        assert_eq!(kiel[1], ("org".to_string(), "THW Kiel".to_string()));
        // A dateline without an agency.
        let ms = show("Der THW Kiel gewinnt.\nKiel. Der THW Kiel schlug Lemgo, Kiel jubelte.");
        let kiel = norm_of(&ms, "Kiel");
        assert_eq!(kiel[0].0, "place", "dateline: {ms:?}");
        assert_eq!(kiel[1], ("org".to_string(), "THW Kiel".to_string()));
        let t = "Hertha BSC verliert. Herthas Abwehr wankte, Hertha fiel zurück.";
        let ms = show(t);
        for s in ["Herthas", "Hertha"] {
            assert_eq!(
                norm_of(&ms, s),
                [("org".to_string(), "Hertha BSC".to_string())],
                "{ms:?}"
            );
        }
    }
}
