//! Newspapers: "Berliner Zeitung", "Passauer Neue Presse": a newspaper
//! word after one or two place adjectives; "Westfalenpost",
//! "Ostsee-Zeitung": a known place and a newspaper word in one. A sub-rule
//! of the orgs scan (see
//! `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::EntityKind;
use crate::recognize::lexicon::{looks_adj, rule_cand, strip_suffix_ci};
use crate::recognize::{Cand, Recognizer, Tok};
use crate::text::words::Words;

/// Newspaper words after place adjectives that end in no newspaper word of
/// [`NEWSPAPER_TAILS`] ("Passauer Neue Presse", "Münchner Merkur").
static NEWSPAPER_HEADS: Words = Words::new(&[
    "Presse",
    "Allgemeine",
    "Volksstimme",
    "Merkur",
    "Merkurs",
    "Echo",
    "Echos",
    "Volksfreund",
    "Volksfreunds",
    "Bote",
    "Boten",
    "Landbote",
    "Landboten",
    "Kreisbote",
    "Kreisboten",
    "Heimatbote",
    "Heimatboten",
]);

/// Newspaper words, alone or ending a compound: "Zeitung", "Tageszeitung",
/// "Generalanzeiger", "Wochenblatt", "Tagespost". (Not "-bote" in any
/// compound: "Angebote", "Postbote"; it is listed where it names papers.)
const NEWSPAPER_TAILS: &[&str] = &[
    "post",
    "zeitung",
    "kurier",
    "rundschau",
    "anzeiger",
    "nachrichten",
    "blatt",
];

/// Whether `w` is a newspaper word after a place adjective: listed, or a
/// compound ending in one ("Allgäuer Heimatboten", "Kölner Stadt-Anzeiger").
fn newspaper_head(w: &str) -> bool {
    NEWSPAPER_HEADS.contains(w)
        || ["", "s", "es"].iter().any(|g| {
            w.strip_suffix(g).is_some_and(|base| {
                NEWSPAPER_TAILS
                    .iter()
                    .any(|e| strip_suffix_ci(base, e).is_some())
            })
        })
}

/// "Ostsee-Zeitung", "Westfalenpost", "Nordwest-Zeitung", "Weserbote": a
/// known place (or a region by its compass point) and a newspaper word in
/// one; after a place "-bote" is a paper too.
pub(super) fn place_title(r: &Recognizer, t: &Tok) -> bool {
    t.cap
        && NEWSPAPER_TAILS.iter().chain(&["bote"]).any(|tail| {
            strip_suffix_ci(t.text, tail).is_some_and(|place| {
                let place = place.trim_end_matches('-');
                // "Ostsee-Zeitung", and a region by its compass point:
                // "Nordwest-Zeitung", "Südwest-Presse".
                place.chars().count() >= 3
                    && (r.is_known_place(place)
                        || t.text.as_bytes().get(place.len()) == Some(&b'-')
                            && super::stations::COMPASS_POINTS.contains(place))
            })
        })
}

pub(super) struct Newspapers;

impl TokenRule for Newspapers {
    fn name(&self) -> &'static str {
        "newspapers"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        let place_title = place_title(r, t);
        if place_title {
            out.push(rule_cand(toks, i, i + 1, EntityKind::Org));
            return None;
        }
        if t.cap && newspaper_head(t.text) && i > 0 && !t.line_start {
            let mut a = i;
            while a > 0
                && a + 2 > i
                && toks[a - 1].cap
                && !toks[a].line_start
                && !r.is_stop(toks[a - 1].text)
                && (toks[a - 1].text.ends_with("er")
                    || looks_adj(toks[a - 1].text)
                    || toks[a - 1].text.ends_with("e"))
            {
                a -= 1;
            }
            // One adjective: a city's ("Berliner") or a region's
            // ("Schwäbische", "Münsterländischen").
            let one = a < i
                && (toks[a].text.ends_with("er")
                    || ["ische", "ischen"]
                        .iter()
                        .any(|e| toks[a].text.ends_with(e)));
            if one || a + 1 < i {
                out.push(rule_cand(toks, a, i + 1, EntityKind::Org));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run_in};
    use super::super::ORGS;
    use super::*;

    #[test]
    fn place_adjective_and_newspaper_word() {
        assert_eq!(
            run_in(&ORGS, &Newspapers, "Das berichtete die Berliner Zeitung."),
            pairs(&[("Berliner Zeitung", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &Newspapers,
                "Laut der Passauer Neue Presse stimmt das."
            ),
            pairs(&[("Passauer Neue Presse", "org")])
        );
    }

    #[test]
    fn a_place_and_a_newspaper_word_in_one() {
        assert_eq!(
            run_in(
                &ORGS,
                &Newspapers,
                "Wie die Westfalenpost, die Nordwest-Zeitung und die Ostsee-Zeitung \
                 berichten, ist die Tagespost leer."
            ),
            pairs(&[
                ("Westfalenpost", "org"),
                ("Nordwest-Zeitung", "org"),
                ("Ostsee-Zeitung", "org")
            ])
        );
        assert_eq!(
            run_in(&ORGS, &Newspapers, "Dem Weserbergland-Kurier sagte er das."),
            pairs(&[("Weserbergland-Kurier", "org")])
        );
    }

    #[test]
    fn compound_and_inflected_newspaper_words() {
        assert_eq!(
            run_in(
                &ORGS,
                &Newspapers,
                "Dem Allgäuer Heimatboten, dem Kölner Stadt-Anzeiger und der \
                 Münsterländischen Volkszeitung sagte er, der Münchner Merkur irre."
            ),
            pairs(&[
                ("Allgäuer Heimatboten", "org"),
                ("Kölner Stadt-Anzeiger", "org"),
                ("Münsterländischen Volkszeitung", "org"),
                ("Münchner Merkur", "org")
            ])
        );
        // Offers and postmen are no newspapers.
        assert!(run_in(
            &ORGS,
            &Newspapers,
            "Die Münchner Angebote und der Berliner Postbote."
        )
        .is_empty());
    }

    #[test]
    fn a_bare_newspaper_word_is_not_a_name() {
        assert!(run_in(
            &ORGS,
            &Newspapers,
            "Er las die Zeitung und die Neue Presse."
        )
        .is_empty());
    }
}
