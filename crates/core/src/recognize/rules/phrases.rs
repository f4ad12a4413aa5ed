//! The phrase matcher the knowledge base and the gazetteer share: the
//! longest listed phrase at each word (a genitive -s/-es on its last word
//! allowed), title-case acronyms ("Nato") and names heading a hyphen
//! compound ("NATO-Truppen").

use crate::model::Source;
use crate::recognize::data::{self, is_all_caps, Phrase, PhraseTable, Phrases};
use crate::recognize::lexicon::{cand, strip_gen};
use crate::recognize::{Cand, Recognizer, Tok};

/// Currency names after a country's name: the compound names no place.
const CURRENCIES: &[&str] = &[
    "Dollar", "Dollars", "Pfund", "Franken", "Rubel", "Yuan", "Yen",
];

/// Pushes a candidate of `source` for every phrase of `table` in `toks`.
pub(super) fn match_phrases(
    r: &Recognizer,
    toks: &[Tok],
    table: Phrases<'_>,
    source: Source,
    out: &mut Vec<Cand>,
) {
    for i in 0..toks.len() {
        let t = &toks[i];
        if !t.word {
            continue;
        }
        if let Some((len, p, gen)) = best_phrase(toks, i, table) {
            let _ = gen;
            // A sentence's first word, also after a speaker's label
            // ("Kaltenegger: Weil wir …").
            let first = t.initial || t.line_start || i > 0 && toks[i - 1].text == ":";
            // A listed place whose lower-case form is a word ("Polen hat
            // gewählt", "Rügen") stays a place: the place lists leave out
            // the towns that are words ("Essen", "Weil").
            let place = p.kind == crate::model::EntityKind::Place;
            // "40 Millionen Franken": the currency, not the region.
            if len == 1
                && CURRENCIES.contains(&t.text)
                && i > 0
                && (toks[i - 1]
                    .text
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_digit())
                    || matches!(
                        toks[i - 1].text,
                        "Millionen"
                            | "Milliarden"
                            | "Mio"
                            | "Mrd"
                            | "Tausend"
                            | "Million"
                            | "Milliarde"
                    ))
            {
                continue;
            }
            if len == 1
                && source != Source::KnowledgeBase
                && first
                && !t.caps
                && (r.is_stop(t.text) || !place && r.d.common.contains(&t.text.to_lowercase()))
            {
                continue; // "Man werde …", "Weil wir …"
            }
            out.push(Cand {
                rule: "",
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
            // In capitals on the stack: this runs at most capitalised words.
            let mut buf = [0u8; 6];
            let up = &mut buf[..t.text.len()];
            up.copy_from_slice(t.text.as_bytes());
            up.make_ascii_uppercase();
            let up = std::str::from_utf8(up).unwrap_or_default();
            if table.maybe_acronym(up) && !r.is_common(t.text) {
                if let Some(p) = table.single_word(up) {
                    out.push(Cand {
                        rule: "",
                        start: t.start,
                        end: t.end,
                        t0: i,
                        t1: i + 1,
                        kind: p.kind,
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
            if CURRENCIES.contains(&rest) {
                continue; // "US-Dollar", "Hongkong-Dollar": a currency
            }
            // "Main-Taunus-Kreis", "Ilm-Kreis": a district named after the
            // place, which `place-words` finds whole (the head alone would
            // win as a listed name of the same token).
            if source == Source::Gazetteer && super::place_words::place_word(r, t.text).is_some() {
                continue;
            }
            // "Weserbergland-Kurier", "Ostsee-Zeitung": a newspaper, which
            // `newspapers` finds whole.
            if source == Source::Gazetteer && super::newspapers::place_title(r, t) {
                continue;
            }
            if let Some(p) = table.single_word(head) {
                // A place joined to a name is one place ("Allensbach-Hegne",
                // "Mechernich-Kommern"): every part capitalised, none a
                // common noun or itself a name's compound head ("Berlin-Besuch").
                // So is a place and its compass point ("Leonberg-West").
                let joined_place = p.kind == crate::model::EntityKind::Place
                    && source == Source::Gazetteer
                    && !is_all_caps(head)
                    && !t.text.ends_with('-')
                    && (super::stations::town_part(rest)
                        || rest.split('-').all(|part| {
                            part.chars().next().is_some_and(char::is_uppercase)
                                && part.chars().count() >= 3
                                && !is_all_caps(part)
                                && !r.d.common.contains(part)
                                && !r.is_common(part)
                                && !r.compound_of_common(part)
                        }));
                if joined_place {
                    out.push(cand(toks, i, i + 1, p.kind, t.text.to_string(), source));
                    continue;
                }
                out.push(Cand {
                    rule: "",
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

/// The longest phrase of `table` that `words` begin with, compared word for
/// word ("New York" for the caps run "NEW YORK, NY" read in title case):
/// its word count and index; of equally long ones, the first listed.
pub(super) fn longest_listed_prefix(table: &PhraseTable, words: &[String]) -> Option<(usize, u32)> {
    let mut hit: Option<(usize, u32)> = None;
    for &k in table.by_first.get(&data::h(words.first()?))? {
        let n = table.phrases[k as usize].words.len();
        if n > words.len() || hit.is_some_and(|(m, _)| m >= n) {
            continue;
        }
        if table.phrases[k as usize]
            .words
            .iter()
            .zip(words)
            .all(|(a, b)| **a == **b)
        {
            hit = Some((n, k));
        }
    }
    hit
}

/// The number of words of a listed place of two words or more that starts
/// at token `k`, not at a line's start ("Bad Kreuznach" after
/// "THW-Ortsverband", "Schwäbisch Hall" after "Landkreis").
pub(super) fn listed_place_at(r: &Recognizer, toks: &[Tok], k: usize) -> Option<usize> {
    if toks.get(k)?.line_start {
        return None;
    }
    let (n, p, _) = best_phrase(toks, k, Phrases::of(&r.d.names))?;
    (n >= 2 && p.kind == crate::model::EntityKind::Place).then_some(n)
}

/// The longest phrase of `table` starting at token `i`; the last word may
/// carry a genitive -s/-es. Returns (token count, phrase, genitive); of
/// equally long ones, the first listed.
pub(super) fn best_phrase<'t>(
    toks: &[Tok],
    i: usize,
    table: Phrases<'t>,
) -> Option<(usize, &'t Phrase, bool)> {
    let first = toks[i].text;
    let mut best: Option<(usize, u64, &Phrase, bool)> = None;
    let consider =
        |best: &mut Option<(usize, u64, &'t Phrase, bool)>, key: &str, gen_first: bool| {
            for (order, p) in table.starting(key) {
                let n = p.words.len();
                if gen_first && n != 1 {
                    continue;
                }
                let beaten = best.is_some_and(|(l, o, _, _)| l > n || (l == n && o < order));
                if i + n > toks.len() || beaten {
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
                    *best = Some((n, order, p, gen));
                }
            }
        };
    consider(&mut best, first, false);
    // No genitive after a contracted preposition and article, which asks
    // for the dative: "im Voraus" is no "Vorau".
    let dative = i > 0 && matches!(toks[i - 1].text, "im" | "am" | "zum" | "vom" | "beim");
    if best.is_none() && !dative {
        if let Some(stem) = strip_gen(first) {
            consider(&mut best, stem, true);
        }
    }
    // "-es" also where "-s" leaves a stem ("des Bundestages").
    if best.is_none() && !dative {
        if let Some(stem) = first.strip_suffix("es") {
            if stem.chars().count() >= 3 {
                consider(&mut best, stem, true);
            }
        }
    }
    // Single words need a capital (or a known lower-case name like "dpa").
    best.map(|(n, _, p, gen)| (n, p, gen))
}

fn is_gen_of(w: &str, base: &str) -> bool {
    w.len() > base.len()
        && w.starts_with(base)
        && matches!(&w[base.len()..], "s" | "es")
        && !base.ends_with(['s', 'x', 'z', 'ß'])
}
