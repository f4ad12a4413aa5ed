//! Roads: "A9", "A 9", "B33", "L4", "die Autobahn 33", "Bundesstraße 8",
//! "Staatsstraße 2063". A road letter with its number is a place when the
//! text treats it as a road: after an article or a preposition ("auf der
//! A9", "die B33", "zwischen L4 und B8") or before a direction ("A9
//! Richtung München"); a road word with a number is one in any case.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, rule_cand};
use crate::recognize::{Cand, Tok};
use crate::text::words::Words;

const ROAD_WORDS: &[&str] = &[
    "Autobahn",
    "Bundesautobahn",
    "Bundesstraße",
    "Landesstraße",
    "Staatsstraße",
    "Kreisstraße",
    "Landstraße",
];

/// Words after which a road code is a road.
static ROAD_CUES_BEFORE: Words = Words::new(&[
    "der", "die", "den", "dem", "auf", "über", "zur", "zwischen", "und", "an", "von", "Auf", "Die",
    "Der", "Über", "(",
]);

const ROAD_CUES_AFTER: &[&str] = &["Richtung", "zwischen", "bei", "in", "Höhe"];

/// "A9", "B33", "L4": a road letter and one to four digits.
fn road_code(w: &str) -> bool {
    let mut c = w.chars();
    matches!(c.next(), Some('A' | 'B' | 'L' | 'K'))
        && (2..=5).contains(&w.len())
        && c.all(|d| d.is_ascii_digit())
}

/// The end of a road's name from `k`: one or two capitalised words that
/// are no common words ("Pyhrn", "Salzkammergut") and a road word written
/// apart ("Autobahn", "Straße", "Schnellstraße").
fn named_road(r: &crate::recognize::Recognizer, toks: &[Tok], k: usize) -> Option<usize> {
    let name = |t: &Tok| t.word && t.cap && !t.caps && !t.line_start && !r.is_common(t.text);
    let road = |t: &Tok| {
        !t.line_start
            && matches!(
                t.text,
                "Autobahn" | "Straße" | "Schnellstraße" | "Bundesstraße"
            )
    };
    // The road word first: it is rare, the tests of a name are not cheap.
    let end = match (toks.get(k + 1), toks.get(k + 2)) {
        (Some(a), _) if road(a) => k + 2,
        (Some(a), Some(b)) if road(b) && name(a) => k + 3,
        _ => return None,
    };
    toks.get(k).is_some_and(name).then_some(end)
}

fn is_number(t: &Tok) -> bool {
    (1..=4).contains(&t.text.len()) && t.text.bytes().all(|b| b.is_ascii_digit())
}

pub(super) struct Roads;

impl Rule for Roads {
    fn name(&self) -> &'static str {
        "roads"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        // The end of the last named road: its words are not read again.
        let mut named_end = 0;
        for i in 0..toks.len() {
            let t = &toks[i];
            if i < named_end {
                continue;
            }
            // A road by its name, as Austria names them: "A9 Pyhrn Autobahn",
            // "B320 Ennstal Straße", "Pyhrn Autobahn" (a code, one or two
            // capitalised words, a road word).
            let coded = usize::from(road_code(t.text));
            if let Some(end) = named_road(r, toks, i + coded) {
                if coded == 1 || r.is_known_place(toks[i].text) {
                    out.push(rule_cand(toks, i, end, EntityKind::Place));
                    named_end = end;
                    continue;
                }
            }
            // "Autobahn 33", "Bundesstraße 8"
            if ROAD_WORDS.contains(&t.text) {
                if let Some(n) = toks.get(i + 1).filter(|n| is_number(n) && !n.line_start) {
                    let _ = n;
                    out.push(rule_cand(toks, i, i + 2, EntityKind::Place));
                }
                continue;
            }
            // "A9", or "A 9" (a letter, a space, a number)
            let (end, code) = if road_code(t.text) {
                (i + 1, t.text.to_string())
            } else if t.text.len() == 1
                && road_code(&format!("{}1", t.text))
                && toks
                    .get(i + 1)
                    .is_some_and(|n| is_number(n) && n.start == t.end + 1)
            {
                (i + 2, format!("{}{}", t.text, toks[i + 1].text))
            } else {
                continue;
            };
            let before = i > 0 && ROAD_CUES_BEFORE.contains(toks[i - 1].text);
            let after = toks
                .get(end)
                .is_some_and(|n| ROAD_CUES_AFTER.contains(&n.text) || n.text == "/");
            if before || after {
                out.push(cand(toks, i, end, EntityKind::Place, code, Source::Rule));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    #[test]
    fn roads_in_context() {
        assert_eq!(
            run(&Roads, "Stau auf der A9 und auf der Autobahn 33."),
            [
                ("A9".to_string(), "place"),
                ("Autobahn 33".to_string(), "place")
            ]
        );
        assert_eq!(
            run(&Roads, "Die B33 ist gesperrt, Umleitung über L4."),
            [("B33".to_string(), "place"), ("L4".to_string(), "place")]
        );
        assert_eq!(
            run(
                &Roads,
                "die Emmericher Straße (L4) bis zur Brinkstraße (B8)"
            ),
            [("L4".to_string(), "place"), ("B8".to_string(), "place")]
        );
    }

    #[test]
    fn roads_by_their_names() {
        assert_eq!(
            run(
                &Roads,
                "Gesperrt sind die A9 Pyhrn Autobahn, die B320 Ennstal Straße und die Pyhrn Autobahn."
            ),
            [
                ("A9 Pyhrn Autobahn".to_string(), "place"),
                ("B320 Ennstal Straße".to_string(), "place"),
                ("Pyhrn Autobahn".to_string(), "place")
            ]
        );
    }

    #[test]
    fn codes_without_context_are_not_roads() {
        assert!(run(&Roads, "Papier im Format A4 kaufen.").is_empty());
        assert!(run(&Roads, "Sprachniveau B2 erreicht.").is_empty());
    }
}
