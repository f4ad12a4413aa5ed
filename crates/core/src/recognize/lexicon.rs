//! The word predicates the rules share: common nouns, function words,
//! roles and titles, first names and surnames, and small helpers on words
//! and token spans (genitive stems, joining a span's text, making a
//! candidate).

use super::data::{self, is_all_caps, PhraseTable};
use super::{Cand, Recognizer, Tok};
use crate::model::{EntityKind, Source};

/// Calls `f` with `w` in lower case (as `str::to_lowercase` writes it),
/// without allocating for a word of up to 64 bytes: the rules ask this of
/// every capitalised word, several times.
pub(super) fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    if w.is_ascii() && w.len() <= buf.len() {
        let lower = &mut buf[..w.len()];
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(lower) {
            return f(lower);
        }
    }
    let mut n = 0;
    // Σ lowers by its context; leave that to the standard library.
    if w.len() <= buf.len() && !w.contains('Σ') {
        for c in w.chars().flat_map(char::to_lowercase) {
            if n + c.len_utf8() > buf.len() {
                return f(&w.to_lowercase());
            }
            n += c.encode_utf8(&mut buf[n..]).len();
        }
        if let Ok(lower) = std::str::from_utf8(&buf[..n]) {
            return f(lower);
        }
    }
    f(&w.to_lowercase())
}

/// Calls `f` with `w`'s first letter changed by `case` (`char::to_lowercase`:
/// "Koch" → "koch"), without allocating for a word of up to 64 bytes.
fn with_first<R, I: Iterator<Item = char>>(
    w: &str,
    case: impl Fn(char) -> I,
    f: impl FnOnce(&str) -> R,
) -> R {
    let mut c = w.chars();
    let Some(first) = c.next() else {
        return f(w);
    };
    let rest = c.as_str();
    let mut buf = [0u8; 64];
    let mut n = 0;
    for l in case(first) {
        n += l.encode_utf8(&mut buf[n..]).len();
    }
    match buf.get_mut(n..n + rest.len()) {
        Some(tail) => {
            tail.copy_from_slice(rest.as_bytes());
            f(std::str::from_utf8(&buf[..n + rest.len()]).unwrap_or_default())
        }
        None => f(&case(first).chain(rest.chars()).collect::<String>()),
    }
}

impl Recognizer {
    pub(super) fn is_common(&self, w: &str) -> bool {
        if self.d.common.contains(w) {
            return true;
        }
        w.chars().next().is_some_and(char::is_uppercase)
            && with_first(w, char::to_lowercase, |lower| self.d.common.contains(lower))
    }

    /// Whether capitalised `w` is a compound ending in a common noun of
    /// four letters or more ("Pressestelle": "Stelle"), the first part three
    /// letters or more.
    pub(super) fn common_compound(&self, w: &str) -> bool {
        w.chars().next().is_some_and(char::is_uppercase) && w.len() >= 8 && self.common_head(w, 4)
    }

    /// Whether `w` alone is a place the gazetteers know ("Jena").
    pub(super) fn is_known_place(&self, w: &str) -> bool {
        single_word(&self.d.names, w)
            .is_some_and(|k| self.d.names.phrases[k as usize].kind == EntityKind::Place)
    }

    /// The seat after "zu" at token `k`, a known place on the same line
    /// ("Universität zu Lübeck").
    pub(super) fn seat_after_zu<'t, 'a>(
        &self,
        toks: &'t [Tok<'a>],
        k: usize,
    ) -> Option<&'t Tok<'a>> {
        (toks.get(k)?.text == "zu")
            .then(|| toks.get(k + 1))
            .flatten()
            .filter(|n| !n.line_start && self.is_known_place(n.text))
    }

    /// Whether `w` is the -er adjective of a known place ("Potsdamer",
    /// "Berliner").
    pub(super) fn is_place_adjective(&self, w: &str) -> bool {
        w.strip_suffix("er")
            .is_some_and(|stem| self.is_known_place(stem))
    }

    pub(super) fn is_stop(&self, w: &str) -> bool {
        with_lower(w, |l| self.d.stopwords.contains(l))
    }

    /// The role head of `w` when it is a role or title word: `Some(false)`
    /// for a title ("Herr", "Dr."), `Some(true)` for a word ending in a
    /// role ("Generalsekretär", "Ex-Kanzler").
    pub(super) fn role_of(&self, w: &str) -> Option<bool> {
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        with_lower(w.trim_end_matches('.'), |lower| {
            if self.d.roles_exact.contains(lower) {
                return Some(false); // a title, not a role
            }
            let last = lower.rsplit('-').next().unwrap_or(lower);
            if !self.d.roles_tails.contains(&data::tail2(last)) {
                return None;
            }
            self.d.roles_suffix.ends(last).then_some(true)
        })
    }

    /// Could `w` be (part of) a name, given only the lexicon?
    pub(super) fn nameish(&self, t: &Tok) -> bool {
        t.cap && !self.is_stop(t.text) && self.role_of(t.text).is_none()
    }

    pub(super) fn is_country_adj(&self, w: &str) -> bool {
        with_lower(w, |l| {
            let stem = ["en", "er", "es", "em", "e"]
                .iter()
                .find_map(|s| l.strip_suffix(s))
                .unwrap_or(l);
            let stem = stem.rsplit('-').next().unwrap_or(stem);
            self.d.country_adj.contains(stem)
        })
    }

    /// "Liebeskummer" = "Liebes" + "Kummer": a German compound whose head
    /// (five letters or more) is a common noun.
    pub(super) fn compound_of_common(&self, w: &str) -> bool {
        self.common_head(w, 5)
    }

    /// Whether `w` ends in a common noun (capitalised, as the list has it)
    /// of `min_head` letters or more after a first part of three or more.
    fn common_head(&self, w: &str, min_head: usize) -> bool {
        let n = w.chars().count();
        w.char_indices()
            .enumerate()
            .skip(3)
            .take_while(|&(k, _)| n - k >= min_head)
            .any(|(_, (b, _))| {
                with_first(&w[b..], char::to_uppercase, |head| {
                    self.d.common.contains(head)
                })
            })
    }

    pub(super) fn is_first_name(&self, w: &str) -> bool {
        if self.d.first_names.contains(w) {
            return true;
        }
        // "Frank-Walter"
        w.contains('-') && w.split('-').all(|p| self.d.first_names.contains(p))
    }

    pub(super) fn surname_ok(&self, toks: &[Tok], k: usize) -> bool {
        let t = &toks[k];
        if !self.nameish(t)
            || t.caps
            || noun_suffix(t.text)
            || linked_compound(t.text)
            || t.text.chars().nth(1).is_none()
        {
            return false;
        }
        if t.text
            .split('-')
            .any(|p| is_all_caps(p) || !p.chars().next().is_some_and(char::is_uppercase))
        {
            return false; // "ARD-Studio"
        }
        // "Tram Wörthersee": a listed lake is no surname.
        if t.text.ends_with("see") && self.is_known_place(t.text) {
            return false;
        }
        // "Asset Management", "Dow Jones Newswires": a company word.
        if crate::recognize::rules::is_business_word(t.text)
            || crate::linking::LEGAL_FORMS.contains(&t.text)
        {
            return false;
        }
        // Mid-name, a capitalised word whose only lexicon reading is lower
        // case ("Blinken") is a surname.
        if !self.d.common.contains(t.text) || self.d.surnames.contains(t.text) {
            return true;
        }
        // A common noun as surname ("Müller") only when no capitalised word
        // follows, and after a common first name ("Thomas Koch", not
        // "German Pellets Insolvenz" or "Asset Management").
        !toks.get(k + 1).is_some_and(|n| n.cap && !n.line_start)
            && (k == 0
                || self.d.bare_first_names.contains(toks[k - 1].text)
                || !toks[k - 1].cap
                // "Bundeswirtschaftsministerin Katherina Reiche",
                // "Oberbürgermeister Burkhard Jung": a role, a first name.
                || k >= 2
                    && !toks[k - 1].line_start
                    && self.is_first_name(toks[k - 1].text)
                    && self.role_of(toks[k - 2].text).is_some())
    }

    pub(super) fn role_text(&self, toks: &[Tok], r: usize) -> String {
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
    pub(super) fn person_norm(&self, toks: &[Tok], a: usize, b: usize) -> String {
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

    /// The role or title word just before token `k` ("Präsident" in
    /// "Präsident Putin"), if any.
    pub(super) fn role_at(&self, toks: &[Tok], k: usize) -> Option<usize> {
        (k > 0 && toks[k - 1].cap && self.role_of(toks[k - 1].text).is_some()).then(|| k - 1)
    }
}

/// `w` without `suffix`, compared ignoring ASCII case ("Ostsee-Zeitung"
/// ends in "zeitung"), if it ends so.
#[inline]
pub(super) fn strip_suffix_ci<'a>(w: &'a str, suffix: &str) -> Option<&'a str> {
    let at = w.len().checked_sub(suffix.len())?;
    // The last byte first: most words end otherwise.
    if let (Some(a), Some(b)) = (w.as_bytes().last(), suffix.as_bytes().last()) {
        if !a.eq_ignore_ascii_case(b) {
            return None;
        }
    }
    (w.is_char_boundary(at) && w[at..].eq_ignore_ascii_case(suffix)).then(|| &w[..at])
}

/// Nouns with these endings are never names ("Aufrüstung", "Sicherheit").
pub(super) fn noun_suffix(w: &str) -> bool {
    with_lower(w, |l| {
        [
            "ung", "heit", "keit", "schaft", "tion", "ität", "ismus", "nahme", "ungen", "heiten",
            "keiten",
        ]
        .iter()
        // A stem of two letters or more: "Jung" is no "-ung" noun.
        .any(|s| {
            l.strip_suffix(s)
                .is_some_and(|stem| stem.chars().nth(1).is_some())
        })
    })
}

/// A compound whose first part is an abstract noun joined by a linking "s"
/// ("Trennungssong", "Sicherheitslage", "Informationsdienst"): a common
/// noun, never a surname.
pub(super) fn linked_compound(w: &str) -> bool {
    with_lower(w, |l| {
        ["ungs", "heits", "keits", "schafts", "tions", "itäts"]
            .iter()
            .any(|infix| {
                l.match_indices(infix).any(|(at, _)| {
                    l[..at].chars().nth(1).is_some()
                        && l[at + infix.len()..].chars().nth(2).is_some()
                })
            })
    })
}

/// "Deutschen Gesellschaft für …" → "Deutsche Gesellschaft für …".
pub(super) fn nominative_adj(s: &str) -> String {
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

pub(super) fn looks_adj(w: &str) -> bool {
    with_lower(w, |l| {
        [
            "isches", "ische", "ischer", "ischen", "sches", "sche", "scher", "schen", "ales",
            "ale", "aler", "alen",
        ]
        .iter()
        .any(|s| l.ends_with(s))
    })
}

pub(super) fn title_case(w: &str) -> String {
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

/// "Industrie- und Handelskammer", "Kinder- und Jugendärzte": where the
/// first word of a pair that shares its second part with the word at `i`
/// starts ("Industrie" "-" "und" before "Handelskammer").
pub(super) fn truncated_pair_before(toks: &[Tok], i: usize) -> Option<usize> {
    (i >= 3
        && matches!(toks[i - 1].text, "und" | "oder")
        && toks[i - 2].text == "-"
        && toks[i - 2].start == toks[i - 3].end
        && toks[i - 3].cap
        && !toks[i - 1].line_start
        && !toks[i - 2].line_start)
        .then(|| i - 3)
}

/// Genitive stem: "Putins" → "Putin" (not for "-ss", "-us", "-is", "-os", "-as", "-x", "-z").
pub(super) fn strip_gen(w: &str) -> Option<&str> {
    let stem = w.strip_suffix('s')?;
    if stem.chars().count() < 3 {
        return None;
    }
    if stem.ends_with(['s', 'x', 'z', 'ß']) {
        return None;
    }
    Some(stem)
}

pub(super) fn strip_gen_if(w: &str, keep: bool) -> &str {
    if keep {
        w
    } else {
        strip_gen(w).unwrap_or(w)
    }
}

pub(super) fn single_word(table: &PhraseTable, w: &str) -> Option<u32> {
    table
        .by_first
        .get(&data::h(w))?
        .iter()
        .copied()
        .find(|&k| table.phrases[k as usize].words.len() == 1)
}

/// Whether the tokens from `i` on are `words`, the words after the first on
/// its line ("IG Metall", "der Vereinten Nationen").
pub(super) fn spells(toks: &[Tok], i: usize, words: &[&str]) -> bool {
    words.iter().enumerate().all(|(k, w)| {
        toks.get(i + k)
            .is_some_and(|t| t.text == *w && (k == 0 || !t.line_start))
    })
}

pub(super) fn join(toks: &[Tok], a: usize, b: usize) -> String {
    // No longer than the text the tokens span (gaps become one space).
    let span = if a < b {
        toks[b - 1].end - toks[a].start
    } else {
        0
    };
    let mut s = String::with_capacity(span);
    for (k, t) in toks[a..b].iter().enumerate() {
        // no space before "." of an initial or after an opening "/"
        if k > 0 && t.start > toks[a + k - 1].end {
            s.push(' ');
        }
        s.push_str(t.text);
    }
    s
}

pub(super) fn cand(
    toks: &[Tok],
    a: usize,
    b: usize,
    kind: EntityKind,
    norm: String,
    source: Source,
) -> Cand {
    Cand {
        rule: "",
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

/// A name found by a rule, spelled as its tokens are (`join`).
pub(super) fn rule_cand(toks: &[Tok], a: usize, b: usize, kind: EntityKind) -> Cand {
    cand(toks, a, b, kind, join(toks, a, b), Source::Rule)
}

#[cfg(test)]
mod tests {
    use super::{with_first, with_lower};

    #[test]
    fn first_letter_changed_as_collecting_would() {
        let long = format!("Ä{}", "ä".repeat(40));
        for w in [
            "Koch",
            "koch",
            "Äpfel",
            "İstanbul",
            "ǅemal",
            "ß",
            "",
            long.as_str(),
        ] {
            // As collecting the changed first letter and the rest would.
            let collect = |case: fn(char) -> Vec<char>| -> String {
                let mut c = w.chars();
                c.next().map_or_else(String::new, |f| {
                    case(f).into_iter().chain(c.clone()).collect()
                })
            };
            let lower = collect(|f| f.to_lowercase().collect());
            assert_eq!(with_first(w, char::to_lowercase, str::to_string), lower);
            let upper = collect(|f| f.to_uppercase().collect());
            assert_eq!(with_first(w, char::to_uppercase, str::to_string), upper);
        }
    }

    #[test]
    fn lower_case_as_the_standard_library_writes_it() {
        let long = "Ä".repeat(40);
        for w in [
            "Generalsekretär",
            "İstanbul",
            "ΣΟΦΟΣ",
            "STRAẞE",
            "ǅemal",
            "",
            long.as_str(),
            "ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄİİ",
        ] {
            assert_eq!(with_lower(w, str::to_string), w.to_lowercase(), "{w}");
        }
    }
}
