//! Acronyms: "GEW", "DLRG", also heading a compound ("GEW-Chef"): 3–6
//! capitals not listed elsewhere (the gazetteer has the known ones), not a
//! Roman numeral, not a train or flight ("RE7", "ICE 1234" as "ICE1234",
//! "EW1744"), not on a shouted headline. A sub-rule of the orgs scan (see
//! `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::data::is_all_caps;
use crate::recognize::lexicon::{cand, single_word, title_case};
use crate::recognize::Cand;
use crate::text::words::Words;

pub(super) struct Acronyms;

impl TokenRule for Acronyms {
    fn name(&self) -> &'static str {
        "acronyms"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        // Capitals: a word without a hyphen is its own head (`Tok::caps`).
        if !t.caps && !t.text.contains('-') {
            return None;
        }
        let head = t.text.split('-').next().unwrap_or(t.text);
        // A caps word next to another on the same line is shouting
        // ("NEW YORK"), not an acronym.
        let caps_word = |k: usize| {
            toks[k].caps
                && toks[k].text.chars().count() >= 3
                && toks[k].text.chars().all(char::is_alphabetic)
        };
        let in_caps_run =
            (i > 0 && caps_word(i - 1) && toks[i - 1].end + 1 == t.start && !t.line_start)
                || (i + 1 < toks.len()
                    && caps_word(i + 1)
                    && t.end + 1 == toks[i + 1].start
                    && !toks[i + 1].line_start);
        if !t.shout
            && !in_caps_run
            && is_acronym(head)
            && !r.d.not_orgs.contains(head)
            && !r.is_common(&title_case(head))
            && !r.is_stop(head)
            && single_word(&r.d.names, head).is_none()
        {
            let rest_ok = head.len() == t.text.len()
                || t.text[head.len() + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
            // "MPI-BGC": an acronym after the hyphen too is one name
            let rest = t.text.get(head.len() + 1..).unwrap_or("");
            let both = (2..=6).contains(&rest.chars().count()) && is_all_caps(rest);
            let name = if both { t.text } else { head };
            if rest_ok {
                out.push(Cand {
                    rule: "",
                    end: t.start + name.len(),
                    ..cand(
                        toks,
                        i,
                        i + 1,
                        EntityKind::Org,
                        name.to_string(),
                        Source::Rule,
                    )
                });
            }
        }
        None
    }
}

/// A candidate acronym: 3–6 capitals ("OSZE"), not a Roman numeral, not
/// a train or flight. Two-letter acronyms are too ambiguous and must be
/// listed in orgs.tsv.
fn is_acronym(w: &str) -> bool {
    let n = w.chars().count();
    if !(3..=6).contains(&n) || !is_all_caps(w) {
        return false;
    }
    if !w.chars().next().is_some_and(char::is_alphabetic) {
        return false;
    }
    !w.chars().all(|c| "IVXLCDM".contains(c)) && !is_service_number(w) && !is_formula(w)
}

/// A chemical formula of the gases news reports ("CO2", "CH4", "N2O",
/// "SO2"): the symbols of carbon, hydrogen, nitrogen, oxygen, sulphur,
/// fluorine or phosphorus, and a digit.
fn is_formula(w: &str) -> bool {
    w.bytes().any(|b| b.is_ascii_digit()) && w.bytes().all(|b| b"CHNOSFP0123456789".contains(&b))
}

/// Train categories that number their lines and trains ("RE7", "RB48",
/// "ICE1234").
static TRAIN_CATEGORIES: Words = Words::new(&[
    "RE", "RB", "IC", "ICE", "EC", "ECE", "IRE", "NJ", "EN", "RJ", "RJX", "MEX", "TGV", "FLX",
]);

/// A train category ("IC" of "IC-Züge"), a train line, a train or flight
/// number ("RE7", "EW1744") or an S-Bahn line ("S11"): no name.
pub(super) fn is_train_or_service(w: &str) -> bool {
    TRAIN_CATEGORIES.contains(w)
        || is_service_number(w)
        || w.strip_prefix('S')
            .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A train line or a train or flight number: capitals and then digits,
/// the capitals a train category or the number three digits or more
/// ("EW1744"; "SWR3" stays a candidate).
fn is_service_number(w: &str) -> bool {
    let letters = w.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &w[letters..];
    letters > 0
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (TRAIN_CATEGORIES.contains(&w[..letters]) || digits.len() >= 3)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run_in};
    use super::super::ORGS;
    use super::*;

    #[test]
    fn trains_and_lines() {
        for w in ["IC", "EC", "RB48", "RE7", "S11", "ICE1234", "EW1744"] {
            assert!(is_train_or_service(w), "{w}");
        }
        for w in ["SWR3", "SPD", "S", "U2", "BMW"] {
            assert!(!is_train_or_service(w), "{w}");
        }
    }

    #[test]
    fn formulas_are_no_acronyms() {
        for w in ["CO2", "CH4", "N2O", "SO2", "NO2"] {
            assert!(!is_acronym(w), "{w}");
        }
        assert!(is_acronym("SWR3"));
    }

    #[test]
    fn unlisted_acronyms_and_compound_heads() {
        assert_eq!(
            // (GEW and DLRG are listed now, in orgs-public.tsv: invented ones)
            run_in(&ORGS, &Acronyms, "Die QKW und der ZDLR-Vorstand warnen."),
            pairs(&[("QKW", "org"), ("ZDLR", "org")])
        );
        assert_eq!(
            run_in(&ORGS, &Acronyms, "Das MPI-BGC in Jena misst."),
            pairs(&[("MPI-BGC", "org")])
        );
    }

    #[test]
    fn listed_names_roman_numerals_and_short_words_are_not_taken() {
        // OSZE is the gazetteer's; IV a numeral; KM too short
        assert!(run_in(&ORGS, &Acronyms, "Die OSZE, Kapitel IV und 5 KM.").is_empty());
        // "GEW-intern": a derived word, not a compound with a name
        assert!(run_in(&ORGS, &Acronyms, "Das blieb GEW-intern.").is_empty());
    }

    #[test]
    fn shouted_headlines_are_not_acronym_soup() {
        assert!(run_in(
            &ORGS,
            &Acronyms,
            "EINST 'AUS DEM GESCHÄFT', 'HIRNTOT'\nDer Text."
        )
        .is_empty());
    }

    #[test]
    fn acronym_shape() {
        assert!(is_acronym("OSZE") && is_acronym("DLRG"));
        assert!(!is_acronym("EU") && !is_acronym("XVII") && !is_acronym("Nato"));
        // Trains and flights.
        assert!(!is_acronym("RE7") && !is_acronym("RB48") && !is_acronym("EW1744"));
        assert!(is_acronym("SWR3") && is_acronym("DLRG"));
    }

    #[test]
    fn trains_are_no_organisations() {
        assert!(run_in(
            &ORGS,
            &Acronyms,
            "Ersatzzug auf der RB48, Verspätungen beim RE7 und Flug EW1744."
        )
        .is_empty());
    }
}
