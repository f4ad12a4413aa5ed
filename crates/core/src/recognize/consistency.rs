//! Document-level consistency: a stage after tagging and overlap
//! resolution, on the selected mentions of one document.
//!
//! 1. **Acronym definitions.** "Kreditanstalt für Wiederaufbau (KfW)": the
//!    bracketed acronym, wherever it occurs in the document, names the same
//!    thing as the long form (same kind, same normalised name, so the two link).
//! 2. **One name, one kind.** Mentions of the same name (the same linking key,
//!    a company's legal form aside) get one kind: the knowledge base decides
//!    when it knows the name, else a vote weighted by how the mentions were
//!    found (gazetteers and rules outweigh the statistical tagger).
//! 3. **Found once, found everywhere.** A name found by the knowledge base, a
//!    gazetteer or a rule is also a mention at its other occurrences in the
//!    document (token-aligned, also in the genitive), and so is a company's
//!    name without its legal form ("German Pellets" after "German Pellets
//!    GmbH"). Single common words ("Union", "Bahn") are not spread.

use super::lexicon::{looks_adj, single_word};
use super::{article_before, Recognizer};
use crate::linking::{link_key, without_legal_form};
use crate::model::{EntityKind, FoundName, Source, Span, Sym};
use crate::text::tokenize::{TokenKind, Tokenized};
use crate::text::words::Words;
use fxhash::{FxHashMap, FxHashSet};

/// Words before a genitive noun ("des Ritters", "eines Müllers"): after
/// them a common-noun surname's -s form is the noun, not the person.
static GENITIVE_ARTICLES: Words = Words::new(&[
    "des", "Des", "eines", "Eines", "dieses", "jenes", "jedes", "seines", "ihres", "meines",
    "deines", "unseres", "eures", "keines",
]);

/// Indefinite articles and quantifiers: a common word after them is the
/// word, not a company of the same name.
static INDEFINITE: Words = Words::new(&[
    "ein", "eine", "einer", "einen", "einem", "eines", "kein", "keine", "keiner", "keinen",
    "keinem", "Ein", "Eine", "Keine", "neue", "neuen", "neuer", "breite", "breiten", "breiter",
]);

/// Heads of compounds that only a company has: "Diebold-Aktie",
/// "Wincor-Nixdorf-Aktionäre", "Bayer-Konzern", "Siemens-Chef".
static COMPANY_TAILS: Words = Words::new(&[
    "Aktie",
    "Aktien",
    "Aktionär",
    "Aktionäre",
    "Aktionären",
    "Anteile",
    "Anteilen",
    "Aktienkurs",
    "Konzern",
    "Konzerns",
    "Konzernchef",
    "Konzernchefin",
    "Chef",
    "Chefin",
    "Vorstandschef",
    "Vorstandschefin",
    "Betriebsrat",
    "Belegschaft",
    "Tochter",
    "Filiale",
    "Filialen",
]);

/// No tagger's mention on a token (see `guess_on` below).
const NO_GUESS: u32 = u32::MAX;

fn weight(source: Source) -> u32 {
    match source {
        Source::KnowledgeBase | Source::Annotation => 1000,
        Source::Learned => 100,
        Source::Gazetteer | Source::Rule => 3,
        Source::Tagger => 1,
    }
}

/// The key under which mentions count as one name for the kind vote.
fn vote_key(norm: &str) -> String {
    link_key(without_legal_form(norm).unwrap_or(norm), EntityKind::Org)
}

impl Recognizer {
    /// The consistency stage (see the module docs). `found` is sorted and
    /// non-overlapping, and so is the result.
    pub(super) fn consistent(
        &self,
        text: &str,
        tok: &Tokenized,
        mut found: Vec<FoundName>,
    ) -> Vec<FoundName> {
        if found.is_empty() {
            return found;
        }
        let toks = &tok.tokens;
        // Tokens are sorted and disjoint: a mention's tokens by binary search.
        let first_tok = |at: u32| toks.binary_search_by_key(&at, |t| t.span.start).ok();
        let last_tok = |at: u32| toks.binary_search_by_key(&at, |t| t.span.end).ok();
        let word = |i: usize| toks[i].text(text);

        // 1. Acronym definitions: a mention followed by "(ACR)".
        let mut acronyms: FxHashMap<&str, (EntityKind, Sym)> = FxHashMap::default();
        for m in &found {
            let Some(last) = last_tok(m.span.end) else {
                continue;
            };
            if last + 3 >= toks.len() {
                continue;
            }
            let (open, acr, close) = (word(last + 1), word(last + 2), word(last + 3));
            if open != "(" || close != ")" || m.kind == EntityKind::Person {
                continue;
            }
            let long = &text[m.span.range()];
            // "Landesamt für Umwelt Rheinland-Pfalz (LfU)": the seat may be
            // no part of the acronym.
            let seatless = long
                .rsplit_once(' ')
                .filter(|(_, seat)| self.is_known_place(seat))
                .map(|(rest, _)| rest);
            if acronym_of(acr, long)
                || seatless.is_some_and(|rest| acronym_of(acr, rest))
                || self.foreign_acronym(acr, long, m.kind)
            {
                acronyms.insert(acr, (m.kind, m.norm));
            }
        }
        if !acronyms.is_empty() {
            for m in &mut found {
                if matches!(m.source, Source::KnowledgeBase | Source::Learned) {
                    continue;
                }
                if let Some(&(kind, norm)) = acronyms.get(&text[m.span.range()]) {
                    m.kind = kind;
                    m.norm = norm;
                }
            }
        }

        // 2. One name, one kind.
        // A name recurs: its key is made once per document.
        let mut key_of: FxHashMap<Sym, String> = FxHashMap::default();
        for m in &found {
            key_of.entry(m.norm).or_insert_with(|| vote_key(&m.norm));
        }
        let keys: Vec<&str> = found.iter().map(|m| key_of[&m.norm].as_str()).collect();
        let mut votes: FxHashMap<&str, [u32; 4]> = FxHashMap::default();
        for (m, key) in found.iter().zip(&keys) {
            // A legal form decides ("German Pellets GmbH" makes every
            // "German Pellets" a company), short of the knowledge base.
            let legal =
                m.kind == EntityKind::Org && without_legal_form(&text[m.span.range()]).is_some();
            // So does the noun before a name that says what it is ("die
            // Digitalagentur Conrad Caine" makes every "Conrad Caine" one).
            let announced = m.source != Source::Tagger
                && first_tok(m.span.start).is_some_and(|a| {
                    let a = if a > 0 && super::rules::opening_quote(word(a - 1)) {
                        a - 1
                    } else {
                        a
                    };
                    a > 0
                        && !toks[a].line_start
                        && super::rules::announced_kind(word(a - 1)) == Some(m.kind)
                });
            votes.entry(key).or_default()[m.kind as usize] +=
                weight(m.source) + if legal || announced { 100 } else { 0 };
        }
        // A company's compounds decide too ("Diebold-Aktie", "Bayer-Chef"
        // make every "Diebold", "Bayer" of the document the company).
        for (i, t) in toks.iter().enumerate() {
            if t.kind != TokenKind::Word {
                continue;
            }
            let Some((head, tail)) = word(i).rsplit_once('-') else {
                continue;
            };
            if COMPANY_TAILS.contains(tail) && !head.is_empty() {
                // "Wincor-Nixdorf-Aktie" speaks for "Wincor Nixdorf" too.
                let spaced = head.replace('-', " ");
                for h in [head, spaced.as_str()] {
                    if let Some(v) = votes.get_mut(vote_key(h).as_str()) {
                        v[EntityKind::Org as usize] += 100;
                        break;
                    }
                }
            }
        }
        let winner = |v: &[u32; 4]| -> EntityKind {
            let kinds = [
                EntityKind::Person,
                EntityKind::Place,
                EntityKind::Org,
                EntityKind::Other,
            ];
            let best = (0..4).max_by_key(|&k| (v[k], 4 - k)).unwrap_or(0);
            kinds[best]
        };
        for (m, key) in found.iter_mut().zip(&keys) {
            if matches!(m.source, Source::KnowledgeBase | Source::Learned) {
                continue;
            }
            let v = &votes[key];
            let k = winner(v);
            // Only a clear decision changes a kind: a tie keeps each reading.
            if k != m.kind && v[k as usize] > v[m.kind as usize] {
                m.kind = k;
            }
        }

        // 3. Found once, found everywhere.
        let mut occupied = vec![false; toks.len()];
        // The tagger's mention on each token, if a tagger's mention takes it:
        // a longer name the rules found gives way to none, but takes the
        // place of a tagger's guess inside it ("Rheinpfalz Polymere" after
        // "Rheinpfalz Polymere GmbH", where the tagger read "Rheinpfalz").
        let mut guess_on = vec![NO_GUESS; toks.len()];
        for (k, m) in found.iter().enumerate() {
            // Every token the mention touches (also the whole token of a
            // compound head) is taken.
            let from = toks.partition_point(|t| t.span.end <= m.span.start);
            for ((o, g), _) in occupied[from..]
                .iter_mut()
                .zip(&mut guess_on[from..])
                .zip(&toks[from..])
                .take_while(|(_, t)| t.span.start < m.span.end)
            {
                // A token another mention also touches (one compound word)
                // is no guess's alone.
                *g = if m.source == Source::Tagger && !*o {
                    k as u32
                } else {
                    NO_GUESS
                };
                *o = true;
            }
        }
        let mut replaced: Vec<u32> = Vec::new();
        // Patterns: token texts, the mention's kind and normalised name.
        let mut patterns: Vec<(Vec<&str>, EntityKind, Sym)> = Vec::new();
        let mut guarded: FxHashSet<&str> = FxHashSet::default();
        // Common words the document names as a company by its legal form
        // ("Allianz SE" makes every "Allianz" the company, "eine Allianz"
        // aside).
        let mut companies: FxHashSet<&str> = FxHashSet::default();
        // Those of them that are a company's first word only.
        let mut first_words: FxHashSet<&str> = FxHashSet::default();
        // The organisations of several words by their first word: one that
        // begins two ("Vantra Materials GmbH", "Vantra Technology") is
        // neither's short name.
        let mut orgs_by_first: FxHashMap<&str, FxHashSet<Sym>> = FxHashMap::default();
        for m in found.iter().filter(|m| m.kind == EntityKind::Org) {
            let (Some(a), Some(b)) = (first_tok(m.span.start), last_tok(m.span.end)) else {
                continue;
            };
            if b > a {
                orgs_by_first.entry(word(a)).or_default().insert(m.norm);
            }
        }
        for m in &found {
            let (Some(a), Some(b)) = (first_tok(m.span.start), last_tok(m.span.end)) else {
                continue;
            };
            // Tagger guesses do not spread, but the surname of a full name
            // does, whoever found it ("Guirassy" after "Serhou Guirassy",
            // "Kretschmers CDU" after "Michael Kretschmer"): not a known
            // name of another kind, three letters or more.
            if m.kind == EntityKind::Person
                && b > a
                && toks[a..=b].iter().all(|t| t.kind == TokenKind::Word)
            {
                let last = word(b);
                if last.chars().count() >= 3
                    && single_word(&self.d.names, last).is_none()
                    && !self.d.first_names.contains(last)
                {
                    patterns.push((vec![last], m.kind, crate::model::sym(last)));
                    // A common noun after a first name ("Marlon Ritter")
                    // spreads too, but not after an article ("der Ritter").
                    // So does a listed public figure's ("Modi" after
                    // "Narendra Modi").
                    if self.is_common(last)
                        && (self.is_first_name(word(a)) || m.source == Source::Gazetteer)
                    {
                        guarded.insert(last);
                    }
                }
            }
            // Tagger guesses do not spread, nor do the rules' *other*
            // readings (a car make read as a vehicle from its context).
            if m.source == Source::Tagger || m.source == Source::Rule && m.kind == EntityKind::Other
            {
                continue;
            }
            let words: Vec<&str> = (a..=b).map(word).collect();
            if let Some(acr) = acronyms.iter().find(|(_, v)| v.1 == m.norm) {
                patterns.push((vec![*acr.0], m.kind, m.norm));
            }
            if m.kind == EntityKind::Org {
                if let Some(short) = without_legal_form(&text[m.span.range()]) {
                    let n = toks[a..=b]
                        .iter()
                        .take_while(|t| t.span.end as usize <= m.span.start as usize + short.len())
                        .count();
                    if n > 0 {
                        if n == 1 {
                            companies.insert(words[0]);
                        }
                        patterns.push((words[..n].to_vec(), m.kind, m.norm));
                    }
                    // "Kornfeld" after "Kornfeld Analytics GmbH": the first
                    // word of a company's name of several words, where it is
                    // no adjective, acronym or known name of anything
                    // (a person's, a place's), is the company's short name.
                    let f = words[0];
                    if n >= 2
                        && self.company_first_word(f)
                        && orgs_by_first.get(f).is_some_and(|s| s.len() == 1)
                    {
                        companies.insert(f);
                        first_words.insert(f);
                        patterns.push((vec![f], m.kind, m.norm));
                    }
                }
            }
            patterns.push((words, m.kind, m.norm));
        }
        let is_guarded = |w: &[&str]| w.len() == 1 && guarded.contains(w[0]);
        let is_company = |w: &[&str]| {
            w.len() == 1
                && companies.contains(w[0])
                && w[0].chars().count() >= 3
                && !self.is_stop(w[0])
        };
        patterns.retain(|(w, _, _)| self.spreadable(w) || is_guarded(w) || is_company(w));
        patterns.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        patterns.dedup_by(|a, b| a.0 == b.0);
        if patterns.is_empty() {
            return found;
        }
        let mut by_first: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (k, (w, _, _)) in patterns.iter().enumerate() {
            by_first.entry(w[0]).or_default().push(k);
        }
        let mut added = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if occupied[i] && guess_on[i] == NO_GUESS || toks[i].kind != TokenKind::Word {
                i += 1;
                continue;
            }
            let w = word(i);
            let cands = by_first.get(w).into_iter().flatten().copied().chain(
                // "Müllers" for the one-word name "Müller"
                w.strip_suffix('s')
                    .and_then(|stem| by_first.get(stem))
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&k| patterns[k].0.len() == 1),
            );
            let mut hit = None;
            for k in cands {
                let (pw, kind, norm) = &patterns[k];
                let n = pw.len();
                if i + n > toks.len() {
                    continue;
                }
                // A tagger's guess wholly inside a longer name gives way.
                let inside = |j: usize| {
                    let g = guess_on[j];
                    n >= 2
                        && g != NO_GUESS
                        && first_tok(found[g as usize].span.start).is_some_and(|a| a >= i)
                        && last_tok(found[g as usize].span.end).is_some_and(|b| b < i + n)
                };
                if (i..i + n).any(|j| occupied[j] && !inside(j)) {
                    continue;
                }
                // "eine Allianz" is an alliance, in a document about the
                // Allianz SE too.
                if is_company(pw) && i > 0 && INDEFINITE.contains(word(i - 1)) {
                    continue;
                }
                // "auf dem Kornfeld" is a field: a first word that is a
                // common noun names the company only without an article;
                // and a first word before another name heads that name
                // ("Saaleklang Festival" beside "Saaleklang Events GmbH").
                if pw.len() == 1 && first_words.contains(pw[0]) {
                    let article = i > 0
                        && matches!(
                            word(i - 1),
                            "der"
                                | "die"
                                | "das"
                                | "dem"
                                | "den"
                                | "des"
                                | "im"
                                | "am"
                                | "vom"
                                | "zum"
                        );
                    let longer = toks.get(i + 1).is_some_and(|t| {
                        t.kind == TokenKind::Word
                            && !t.line_start
                            && word(i + 1).chars().next().is_some_and(char::is_uppercase)
                    });
                    if longer || article && self.is_common(pw[0]) {
                        continue;
                    }
                }
                // "der Ritter" is a knight; "für Kretschmers CDU" a
                // genitive before its noun, after any word but an article.
                if is_guarded(pw) && i > 0 && {
                    let prev = word(i - 1);
                    if w == pw[0] {
                        article_before(prev)
                    } else {
                        GENITIVE_ARTICLES.contains(prev)
                    }
                } {
                    continue;
                }
                let ok = (0..n).all(|j| {
                    let t = word(i + j);
                    t == pw[j]
                        || j == n - 1
                            && t.strip_suffix('s') == Some(pw[j])
                            && !pw[j].ends_with(['s', 'x', 'z', 'ß'])
                }) && (1..n).all(|j| !toks[i + j].line_start);
                if ok {
                    for j in i..i + n {
                        if occupied[j] {
                            replaced.push(guess_on[j]);
                        }
                    }
                    hit = Some((n, *kind, *norm));
                    break;
                }
            }
            match hit {
                Some((n, kind, norm)) => {
                    added.push(FoundName {
                        span: Span::new(
                            toks[i].span.start as usize,
                            toks[i + n - 1].span.end as usize,
                        ),
                        kind,
                        norm,
                        role: None,
                        source: Source::Rule,
                    });
                    occupied[i..i + n].iter_mut().for_each(|o| *o = true);
                    i += n;
                }
                None => i += 1,
            }
        }
        if !replaced.is_empty() {
            replaced.sort_unstable();
            replaced.dedup();
            let mut k = 0u32;
            found.retain(|_| {
                k += 1;
                replaced.binary_search(&(k - 1)).is_err()
            });
        }
        if !added.is_empty() {
            found.extend(added);
            found.sort_by_key(|m| m.span.start);
        }
        found
    }

    /// Whether `w`, the first of several words of a company's name, may
    /// stand for the company alone (see the spreading above).
    fn company_first_word(&self, w: &str) -> bool {
        w.chars().count() >= 4
            && w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(char::is_alphabetic)
            && !super::data::is_all_caps(w)
            && !looks_adj(w)
            && !self.is_country_adj(w)
            && !["e", "en", "er", "es"].iter().any(|e| w.ends_with(e))
            && !self.is_stop(w)
            && single_word(&self.d.names, w).is_none()
            && !self.d.surnames.contains(w)
            && !self.is_first_name(w)
            && !self.is_known_place(w)
            && self.role_of(w).is_none()
    }

    /// Whether occurrences of this name may be spread: not a single common
    /// or function word, not lower case, at least two letters.
    fn spreadable(&self, words: &[&str]) -> bool {
        let first = words[0];
        if !first.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        if words.len() > 1 {
            return true;
        }
        first.chars().count() >= 2
            && !self.is_common(first)
            && !self.is_stop(first)
            && self.role_of(first).is_none()
    }
}

impl Recognizer {
    /// An organisation's acronym in brackets that does not spell its German
    /// name: "Internationale Atomenergiebehörde (IAEA)", "Gewerkschaft der
    /// Staatsbediensteten Griechenlands (ADEDY)", "Ärzte ohne Grenzen
    /// (MSF)". Taken for a name of two or more words when the acronym is in
    /// capitals (3 to 6 letters) and not itself a known name ("Koalition
    /// aus Union und SPD (CDU)" is not a definition).
    fn foreign_acronym(&self, acr: &str, long: &str, kind: EntityKind) -> bool {
        let n = acr.chars().count();
        kind == EntityKind::Org
            && (3..=6).contains(&n)
            && acr.chars().all(|c| c.is_uppercase())
            && long.split_whitespace().count() >= 2
            && single_word(&self.d.names, acr).is_none()
    }
}

/// Whether `acr` abbreviates `long`: its letters, in order, are initials of
/// the long form's words or capitals inside them ("KfW" = "Kreditanstalt für
/// Wiederaufbau", "BAMF" = "Bundesamt für Migration und Flüchtlinge").
fn acronym_of(acr: &str, long: &str) -> bool {
    let n = acr.chars().count();
    if !(2..=8).contains(&n)
        || !acr.chars().all(char::is_alphanumeric)
        || acr.chars().filter(|c| c.is_uppercase()).count() < 2
        || long.split_whitespace().count() < 2
    {
        return false;
    }
    // Walk the long form: each letter of the acronym starts the next word
    // (or the next capitalised one, past function words), else continues
    // inside the current word ("BAMF": B-und-es-A-mt, M-igration,
    // F-lüchtlinge), else comes from any later word.
    let words: Vec<Vec<char>> = long
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().flat_map(char::to_lowercase).collect())
        .collect();
    let capital: Vec<bool> = long
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    let letters: Vec<char> = acr.chars().flat_map(char::to_lowercase).collect();
    if words[0].first() != letters.first() {
        return false;
    }
    let mut covered = vec![false; words.len()];
    covered[0] = true;
    let (mut w, mut c) = (0usize, 0usize);
    for &l in &letters[1..] {
        let next_word = (w + 1 < words.len() && words[w + 1][0] == l).then_some(w + 1);
        let next_capital = || {
            (w + 1..words.len())
                .find(|&k| capital[k])
                .filter(|&k| words[k][0] == l)
        };
        if let Some(k) = next_word.or_else(next_capital) {
            (w, c) = (k, 0);
        } else if let Some(p) = words[w][c + 1..].iter().position(|&x| x == l) {
            c += 1 + p;
        } else if let Some((k, p)) =
            (w + 1..words.len()).find_map(|k| words[k].iter().position(|&x| x == l).map(|p| (k, p)))
        {
            (w, c) = (k, p);
        } else {
            return false;
        }
        covered[w] = true;
    }
    covered.iter().zip(&capital).all(|(&cov, &cap)| cov || !cap)
}

#[cfg(test)]
mod tests {
    use super::super::tests::show;
    use super::super::Proposal;
    use super::*;

    #[test]
    fn legal_forms_are_cut() {
        assert_eq!(
            without_legal_form("German Pellets GmbH"),
            Some("German Pellets")
        );
        assert_eq!(without_legal_form("BlackRock, Inc."), Some("BlackRock"));
        assert_eq!(
            without_legal_form("Bank Wolfensberg & Cie AG"),
            Some("Bank Wolfensberg")
        );
        assert_eq!(without_legal_form("Nordtherm A/S"), Some("Nordtherm"));
        assert_eq!(
            without_legal_form("German Pellets Supply GmbH & Co. KG"),
            Some("German Pellets Supply")
        );
        assert_eq!(
            without_legal_form("Nieding+Barth Rechtsanwaltsaktiengesellschaft"),
            Some("Nieding+Barth")
        );
        assert_eq!(without_legal_form("Aktiengesellschaft"), None);
        assert_eq!(without_legal_form("Daimler"), None);
        assert_eq!(without_legal_form("GmbH"), None);
        assert_eq!(without_legal_form("Ideal"), None, "a word ending in a form");
    }

    #[test]
    fn acronyms_match_their_long_forms() {
        assert!(acronym_of("KfW", "Kreditanstalt für Wiederaufbau"));
        assert!(acronym_of(
            "BAMF",
            "Bundesamt für Migration und Flüchtlinge"
        ));
        assert!(acronym_of("EU", "Europäische Union"));
        assert!(
            !acronym_of("dpa", "Deutsche Presse-Agentur"),
            "needs capitals"
        );
        assert!(!acronym_of("ZDF", "Europäische Union"));
        assert!(!acronym_of("KfW", "Kreditanstalt"));
    }

    #[test]
    fn a_defined_acronym_links_to_its_long_form() {
        let t = "Das Bundesamt für Migration und Flüchtlinge (BAMF) prüft. Das BAMF zahlt.";
        let ms = show(t);
        let bamf: Vec<_> = ms.iter().filter(|m| m.0 == "BAMF").collect();
        assert_eq!(bamf.len(), 2, "{ms:?}");
        assert!(
            bamf.iter()
                .all(|m| m.1 == "org" && m.2 == "Bundesamt für Migration und Flüchtlinge"),
            "{ms:?}"
        );
    }

    #[test]
    fn an_acronym_without_the_seat_links_to_the_org() {
        let t = "Das Landesamt für Umwelt Rheinland-Pfalz (LfU) misst. Das LfU warnt.";
        let ms = show(t);
        let lfu: Vec<_> = ms.iter().filter(|m| m.0 == "LfU").collect();
        assert_eq!(lfu.len(), 2, "{ms:?}");
        assert!(
            lfu.iter()
                .all(|m| m.2 == "Landesamt für Umwelt Rheinland-Pfalz"),
            "{ms:?}"
        );
    }

    #[test]
    fn a_foreign_acronym_in_brackets_links_to_the_org() {
        let t = "Dem Streik der Gewerkschaft der Staatsbediensteten Griechenlands (ADEDY) \
                 folgten viele. Die ADEDY will weiter streiken.";
        let ms = show(t);
        let adedy: Vec<_> = ms.iter().filter(|m| m.0 == "ADEDY").collect();
        assert_eq!(adedy.len(), 2, "{ms:?}");
        assert!(
            adedy.iter().all(|m| m.1 == "org"
                && m.2 == "Gewerkschaft der Staatsbediensteten Griechenlands"),
            "{ms:?}"
        );
        // A known name in brackets is not a definition.
        let ms = show("Die Landesregierung Hessen (CDU) beschloss es. Die CDU jubelte.");
        assert!(
            ms.iter().filter(|m| m.0 == "CDU").all(|m| m.2 == "CDU"),
            "{ms:?}"
        );
    }

    #[test]
    fn the_surname_of_a_full_name_the_tagger_found_spreads() {
        let t = "Tore: Serhou Guirassy und dann. Dann schob Guirassy ein, Guirassys Tor.";
        let tok = crate::text::tokenize::tokenize(t);
        // The tagger proposes "Serhou Guirassy" (tokens 2 and 3), nothing else.
        let proposals = [Proposal {
            tokens: 2..4,
            kind: EntityKind::Person,
            score: 0.9,
        }];
        let r = Recognizer::global();
        let got: Vec<(&str, EntityKind)> = r
            .recognize(t, &tok, &proposals, &crate::recognize::Overrides::default())
            .iter()
            .map(|m| (&t[m.span.range()], m.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("Serhou Guirassy", EntityKind::Person),
                ("Guirassy", EntityKind::Person),
                ("Guirassys", EntityKind::Person)
            ]
        );
    }

    #[test]
    fn the_surname_of_a_full_name_the_rules_found_spreads_in_the_genitive() {
        // No tagger proposal: the person rules find "Michael Kretschmer";
        // his genitive before a party is his too.
        let t = "Sie hörten Michael Kretschmer zu. Es wird schwer für Kretschmers CDU.";
        let tok = crate::text::tokenize::tokenize(t);
        let r = Recognizer::global();
        let got: Vec<(&str, EntityKind)> = r
            .recognize(t, &tok, &[], &crate::recognize::Overrides::default())
            .iter()
            .map(|m| (&t[m.span.range()], m.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("Michael Kretschmer", EntityKind::Person),
                ("Kretschmers", EntityKind::Person),
                ("CDU", EntityKind::Org)
            ]
        );
    }

    #[test]
    fn a_common_word_named_as_a_company_spreads() {
        let t = "Allianz übertrifft Erwartungen\nDie Allianz SE verdiente mehr. \
                 Der Allianz half das Geschäft. Eine Allianz gegen Zölle fehlt.";
        let tok = crate::text::tokenize::tokenize(t);
        let r = Recognizer::global();
        let got: Vec<(usize, &str)> = r
            .recognize(t, &tok, &[], &crate::recognize::Overrides::default())
            .iter()
            .filter(|m| m.kind == EntityKind::Org)
            .map(|m| (m.span.start as usize, &t[m.span.range()]))
            .collect();
        let surfaces: Vec<&str> = got.iter().map(|g| g.1).collect();
        assert_eq!(surfaces, ["Allianz", "Allianz SE", "Allianz"], "{got:?}");
    }

    #[test]
    fn a_company_s_first_word_is_its_short_name() {
        let t = "Geld für Kornfeld\nDie Kornfeld Analytics GmbH erhält Geld. Kornfeld \
                 wächst. Auf dem Kornfeld wächst Weizen. Das Kornfeld Festival lockt.";
        let two = "Die Vantra Materials GmbH baut, die Vantra Technology AG kauft. Vantra zahlt.";
        let tok = crate::text::tokenize::tokenize(two);
        let got =
            Recognizer::global().recognize(two, &tok, &[], &crate::recognize::Overrides::default());
        assert!(
            got.iter().all(|m| &two[m.span.range()] != "Vantra"),
            "two companies begin with it: {got:?}"
        );
        let tok = crate::text::tokenize::tokenize(t);
        let r = Recognizer::global();
        let got: Vec<(&str, &str)> = r
            .recognize(t, &tok, &[], &crate::recognize::Overrides::default())
            .iter()
            .filter(|m| m.kind == EntityKind::Org)
            .map(|m| (&t[m.span.range()], m.norm.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Kornfeld", "Kornfeld Analytics GmbH"),
                ("Kornfeld Analytics GmbH", "Kornfeld Analytics GmbH"),
                ("Kornfeld", "Kornfeld Analytics GmbH")
            ]
        );
    }

    #[test]
    fn a_listed_figure_s_common_noun_surname_spreads() {
        let t = "Wahl in Bihar: Narendra Modi kam.\nModi selbst sprach lange.";
        let tok = crate::text::tokenize::tokenize(t);
        let r = Recognizer::global();
        let got: Vec<&str> = r
            .recognize(t, &tok, &[], &crate::recognize::Overrides::default())
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
            .map(|m| &t[m.span.range()])
            .collect();
        assert_eq!(got, ["Narendra Modi", "Modi"]);
    }

    #[test]
    fn a_common_noun_surname_spreads_but_not_after_an_article() {
        let t = "Kapitän Marlon Ritter traf. Dann schob Ritter ein. Der Ritter ritt.";
        let tok = crate::text::tokenize::tokenize(t);
        let proposals = [Proposal {
            tokens: 1..3,
            kind: EntityKind::Person,
            score: 0.9,
        }];
        let r = Recognizer::global();
        let got: Vec<&str> = r
            .recognize(t, &tok, &proposals, &crate::recognize::Overrides::default())
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
            .map(|m| &t[m.span.range()])
            .collect();
        assert_eq!(got, ["Marlon Ritter", "Ritter"]);
    }

    #[test]
    fn a_company_is_found_again_without_its_legal_form() {
        let t = "Die Seerene GmbH wächst. Nun plant Seerene den Umzug, sagte Seerenes Chef.";
        let ms = show(t);
        let s: Vec<_> = ms.iter().filter(|m| m.0.starts_with("Seerene")).collect();
        assert_eq!(s.len(), 3, "{ms:?}");
        assert!(s.iter().all(|m| m.1 == "org"), "{ms:?}");
    }

    #[test]
    fn a_longer_name_takes_the_place_of_a_guess_inside_it() {
        let t =
            "Es brennt bei der Rheinpfalz Polymere GmbH. Die Rheinpfalz Polymere hat Mitarbeiter.";
        let tok = crate::text::tokenize::tokenize(t);
        // The tagger reads the second "Rheinpfalz" alone (a newspaper's name).
        let at = tok
            .tokens
            .iter()
            .rposition(|x| x.text(t) == "Rheinpfalz")
            .unwrap();
        let proposals = [Proposal {
            tokens: at..at + 1,
            kind: EntityKind::Org,
            score: 0.9,
        }];
        let got: Vec<&str> = Recognizer::global()
            .recognize(t, &tok, &proposals, &crate::recognize::Overrides::default())
            .iter()
            .map(|m| &t[m.span.range()])
            .collect();
        assert_eq!(got, ["Rheinpfalz Polymere GmbH", "Rheinpfalz Polymere"]);
    }

    #[test]
    fn common_words_are_not_spread() {
        let t = "Die Junge Union tagt. Die Union regiert.";
        let ms = show(t);
        assert!(!ms.iter().any(|m| m.0 == "Union"), "{ms:?}");
    }

    #[test]
    fn a_type_noun_decides_every_mention_of_the_name() {
        // "Conrad" is a first name; the agency is named by a type noun once.
        let t = "Aus Conrad Caine wird Possible. Aus Conrad Caine wird mehr. \
                 WPP kauft die Digitalagentur Conrad Caine.";
        let ms = show(t);
        let cc: Vec<_> = ms.iter().filter(|m| m.0 == "Conrad Caine").collect();
        assert_eq!(cc.len(), 3, "{ms:?}");
        assert!(cc.iter().all(|m| m.1 == "org"), "{ms:?}");
    }

    #[test]
    fn a_company_compound_decides_every_mention_of_the_name() {
        // "Konrad Hollerbach" reads as a person; the compounds say company.
        let t = "Die Anleger von Konrad Hollerbach jubeln. \
                 Die Konrad-Hollerbach-Aktie stieg, sagte ein Sprecher.";
        let ms = show(t);
        assert!(
            ms.iter()
                .any(|m| m.0 == "Konrad Hollerbach" && m.1 == "org"),
            "{ms:?}"
        );
        // Not without such a compound.
        let ms = show("Die Anleger von Konrad Hollerbach jubeln.");
        assert!(ms.iter().all(|m| m.1 != "org"), "{ms:?}");
    }
}
