//! Sports clubs: "FC Bayern München", "Borussia Dortmund", "1. FC Köln",
//! "Hannover 96": a club prefix and up to three names (or a year). A
//! sub-rule of the orgs scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::EntityKind;
use crate::recognize::lexicon::rule_cand;
use crate::recognize::Cand;

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

pub(super) struct Clubs;

impl TokenRule for Clubs {
    fn name(&self) -> &'static str {
        "clubs"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if CLUB_PREFIXES.contains(&t.text) && !t.line_start || t.text == "FC" {
            let mut b = i + 1;
            while b < toks.len()
                && b < i + 4
                && !toks[b].line_start
                && (toks[b].cap && !r.is_stop(toks[b].text)
                    || toks[b].text.len() == 2 && toks[b].text.bytes().all(|c| c.is_ascii_digit()))
            {
                b += 1;
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
    fn a_prefix_alone_is_no_club() {
        assert!(run_in(&ORGS, &Clubs, "Die Eintracht war groß, der FC war klein.").is_empty());
    }
}
