//! Sports clubs: "FC Bayern München", "Borussia Dortmund", "1. FC Köln",
//! "Hannover 96": a club prefix and up to three names (or a year). A
//! sub-rule of the orgs scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::EntityKind;
use crate::recognize::lexicon::{rule_cand, single_word, strip_gen};
use crate::recognize::{Cand, Recognizer};
use crate::text::words::Words;

/// A common noun that no gazetteer lists as a single-word name ("Spieler",
/// not "Bayern" or "Union"): after the club's place it ends the name
/// ("Eintracht Frankfurt Fans"), before it it is part of it ("ESV
/// Lokomotive Zwickau").
fn common_noun(r: &Recognizer, w: &str) -> bool {
    r.d.common.contains(w) && single_word(&r.d.names, w).is_none()
}

pub(super) static CLUB_PREFIXES: Words = Words::new(&[
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
    // handball
    "THW",
    "HSG",
    "TBV",
    "TVB",
    "HC",
    "Füchse",
]);

pub(super) struct Clubs;

impl TokenRule for Clubs {
    fn name(&self) -> &'static str {
        "clubs"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if CLUB_PREFIXES.contains(t.text) && !t.line_start || t.text == "FC" {
            let mut b = i + 1;
            // Whether the name so far holds a place: "Eintracht Frankfurt".
            let mut placed = false;
            while b < toks.len()
                && b < i + 4
                && !toks[b].line_start
                && (toks[b].cap
                    && !r.is_stop(toks[b].text)
                    && !(placed && common_noun(r, toks[b].text))
                    || toks[b].text.len() == 2 && toks[b].text.bytes().all(|c| c.is_ascii_digit()))
            {
                placed |= r.is_known_place(toks[b].text);
                b += 1;
                // A genitive ends the name: "Borussia Dortmunds Spieler".
                if b > i + 1
                    && strip_gen(toks[b - 1].text)
                        .is_some_and(|s| single_word(&r.d.names, s).is_some())
                {
                    break;
                }
            }
            if b > i + 1 {
                let a = if i >= 2 && toks[i - 1].text == "." && toks[i - 2].text == "1" {
                    i - 2
                } else {
                    i
                };
                out.push(rule_cand(toks, a, b, EntityKind::Org));
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
    fn prefix_and_names() {
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Der FC Bayern München siegte gegen Borussia Dortmund."
            ),
            pairs(&[("FC Bayern München", "org"), ("Borussia Dortmund", "org")])
        );
    }

    #[test]
    fn founding_number_and_year() {
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Der 1. FC Köln spielte gegen den SV Werder Bremen."
            ),
            pairs(&[("1. FC Köln", "org"), ("SV Werder Bremen", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Es siegte der TSV 1860 nicht, aber der SC Freiburg."
            ),
            pairs(&[("SC Freiburg", "org")])
        );
    }

    #[test]
    fn common_nouns_and_genitives_end_the_name() {
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Am Dienstag versammelten sich Borussia Dortmunds Spieler im Trainingslager."
            ),
            pairs(&[("Borussia Dortmunds", "org")])
        );
        assert_eq!(
            run_in(&ORGS, &Clubs, "Die Eintracht Frankfurt Spieler jubelten."),
            pairs(&[("Eintracht Frankfurt", "org")])
        );
        assert_eq!(
            run_in(&ORGS, &Clubs, "Der ESV Lokomotive Zwickau spielte."),
            pairs(&[("ESV Lokomotive Zwickau", "org")])
        );
    }

    #[test]
    fn a_prefix_alone_is_no_club() {
        assert!(run_in(&ORGS, &Clubs, "Die Eintracht war groß, der FC war klein.").is_empty());
    }
}
