//! Company names recognisable by their shape:
//! - a name and a country, the company's national arm: "Fanuc
//!   Deutschland", "SAP Schweiz";
//! - joined by a plus or an ampersand without spaces: "Nieding+Barth",
//!   "Procter&Gamble" (two capitalised names); with spaces between two
//!   names that are no common words, or before "Partner", "Co." or "Söhne":
//!   "Blohm + Voss", "Schlichting & Partner";
//! - one or two surnames before a German profession's plural, as law and
//!   accounting firms are named: "Ostermann Schulte Rechtsanwälte";
//! - ending in an English business word: "Earlybird Venture Capital",
//!   "StarCapital Asset Management", "Dow Jones Newswires", "Ströer Content
//!   Group" (one to three capitalised words before it, the first not a
//!   common German word unless a name follows);
//! - a trade's firm word and the family's name, which together are the
//!   firm's name: "Brauerei Gschwend", "Spedition Kuhlmann", "Reederei
//!   Albers & Co.", "Bankhaus Lampe" (not before a name listed as a
//!   company: "die Reederei Hapag-Lloyd" names it by its own name; a
//!   family may share its name with a town); so are a museum's word and
//!   its collector's or town's name: "Museum Ludwig", "Kunsthalle
//!   Bielefeld".
//!
//! A sub-rule of the orgs scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join, noun_suffix, single_word};
use crate::recognize::{Cand, Tok};
use crate::text::words::Words;

/// Last words of English company names.
pub(in crate::recognize) static BUSINESS_TAILS: Words = Words::new(&[
    "Capital",
    "Management",
    // Shipyards take their owner's or a place's name: "Meyer Werft",
    // "Neptun Werft", "MV Werften".
    "Werft",
    "Werften",
    "Partners",
    "Holdings",
    "Ventures",
    "Investments",
    "Investors",
    "Advisors",
    "Securities",
    "Newswires",
    "Technologies",
    "Solutions",
    "Systems",
    "Networks",
    "Industries",
    "Pharmaceuticals",
    "Therapeutics",
    "Laboratories",
    "Airlines",
    "Airways",
    "Motors",
    "Brands",
    "Foods",
    "Logistics",
    "Entertainment",
    "Studios",
    "Records",
    "Communications",
    "Telecom",
    "Semiconductor",
    "Semiconductors",
    "Electronics",
    "Robotics",
    "Insurance",
    "Bancorp",
    "Realty",
    "Properties",
    "Consulting",
    "Labs",
    "Games",
    "Pictures",
    "Biosciences",
    "Dynamics",
    "Aerospace",
    "Analytics",
]);

/// Last words of the names of law, tax and architecture firms.
const FIRM_TAILS: &[&str] = &[
    "Rechtsanwälte",
    "Steuerberater",
    "Wirtschaftsprüfer",
    "Architekten",
];

/// Firm words of trades that take the owning family's name.
static TRADE_HEADS: Words = Words::new(&[
    "Reederei",
    "Brauerei",
    "Gießerei",
    "Spedition",
    "Druckerei",
    "Bäckerei",
    "Metzgerei",
    "Fleischerei",
    "Molkerei",
    "Schreinerei",
    "Tischlerei",
    "Zimmerei",
    "Weberei",
    "Spinnerei",
    "Brennerei",
    "Kellerei",
    "Ziegelei",
    "Gärtnerei",
    "Konditorei",
    "Bankhaus",
    "Autohaus",
    "Modehaus",
    "Weingut",
    "Sägewerk",
]);

/// Museums named after a collector or a town: "Museum Ludwig", "Museum
/// Folkwang", "Kunsthalle Bielefeld" (the collector's name may be a first
/// name too: "Ludwig").
static MUSEUM_HEADS: Words = Words::new(&[
    "Museum",
    "Museums",
    "Kunsthalle",
    "Kunstmuseum",
    "Kunstmuseums",
]);

/// Words after " & " that end a firm's name.
const PARTNER_WORDS: &[&str] = &["Partner", "Co", "Söhne", "Sohn"];

/// Countries after a company name that make its national arm.
const COUNTRY_ARMS: &[&str] = &[
    "Deutschland",
    "Österreich",
    "Schweiz",
    "Germany",
    "Austria",
    "Switzerland",
];

/// The end of a firm's name whose last word is token `k`: after the
/// glued full stop of "Co.".
fn after_co(toks: &[Tok], k: usize) -> usize {
    let dot = toks[k].text == "Co"
        && toks
            .get(k + 1)
            .is_some_and(|d| d.text == "." && d.start == toks[k].end);
    k + 1 + usize::from(dot)
}

pub(super) struct BusinessNames;

impl TokenRule for BusinessNames {
    fn name(&self) -> &'static str {
        "business-names"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        // "Nieding+Barth"
        if t.cap
            && i + 2 < toks.len()
            && matches!(toks[i + 1].text, "+" | "&")
            && toks[i + 1].start == t.end
            && toks[i + 2].start == toks[i + 1].end
            && toks[i + 2].cap
        {
            let norm = join(toks, i, i + 3);
            out.push(cand(toks, i, i + 3, EntityKind::Org, norm, Source::Rule));
            return None;
        }
        // A word that may be a name: capitalised, no role, no adjective of
        // a country or a known place ("Berliner").
        let word = |k: usize| {
            toks.get(k).is_some_and(|n| {
                n.cap
                    && !n.caps
                    && n.text.chars().nth(2).is_some()
                    && !r.is_stop(n.text)
                    && r.role_of(n.text).is_none()
                    && !r.is_country_adj(n.text)
                    && !r.is_place_adjective(n.text)
            })
        };
        // ... and no common word, unless a known surname
        let name = |k: usize| {
            word(k) && (!r.is_common(toks[k].text) || r.d.surnames.contains(toks[k].text))
        };
        // "Blohm + Voss", "Schlichting & Partner", "Müller & Co.": one side
        // a name ("Forschung & Entwicklung" has none). Here and below the
        // neighbours are tested first, the lexicon last: this runs at every word.
        if i + 2 < toks.len()
            && matches!(toks[i + 1].text, "+" | "&")
            && toks[i + 1].start > t.end
            && !toks[i + 2].line_start
            && word(i)
            && !r.is_first_name(t.text)
            && (word(i + 2) && (name(i) || name(i + 2))
                || name(i) && PARTNER_WORDS.contains(&toks[i + 2].text))
        {
            let b = after_co(toks, i + 2);
            let norm = join(toks, i, b);
            out.push(cand(toks, i, b, EntityKind::Org, norm, Source::Rule));
            return Some(b);
        }
        // "Brauerei Gschwend", "Reederei Albers & Co.", "Museum Ludwig"
        let museum = MUSEUM_HEADS.contains(t.text);
        if (museum || TRADE_HEADS.contains(t.text))
            && toks
                .get(i + 1)
                .is_some_and(|n| n.start == t.end + 1 && !n.line_start)
            && name(i + 1)
            && (museum || !r.is_first_name(toks[i + 1].text))
            && single_word(&r.d.names, toks[i + 1].text)
                .is_none_or(|k| r.d.names.phrases[k as usize].kind != EntityKind::Org)
        {
            let mut b = i + 2;
            if toks.get(b).is_some_and(|n| n.text == "&")
                && toks
                    .get(b + 1)
                    .is_some_and(|n| PARTNER_WORDS.contains(&n.text) || name(b + 1))
            {
                b = after_co(toks, b + 1);
            }
            let norm = join(toks, i, b);
            out.push(cand(toks, i, b, EntityKind::Org, norm, Source::Rule));
            return Some(b);
        }
        // "Ostermann Schulte Rechtsanwälte"
        let firm_tail = |k: usize| {
            toks.get(k)
                .is_some_and(|n| FIRM_TAILS.contains(&n.text) && !n.line_start)
        };
        if (firm_tail(i + 1) || firm_tail(i + 2)) && name(i) && !r.is_first_name(t.text) {
            let b = if word(i + 1) && !toks[i + 1].line_start {
                i + 2
            } else {
                i + 1
            };
            if firm_tail(b) {
                let norm = join(toks, i, b + 1);
                out.push(cand(toks, i, b + 1, EntityKind::Org, norm, Source::Rule));
                return Some(b + 1);
            }
        }
        // "Fanuc Deutschland", "SAP Schweiz": a company's national arm, a
        // name (no word of the lexicon, no known place or person) and a
        // country of the German-speaking press.
        if t.cap
            && toks.get(i + 1).is_some_and(|n| {
                COUNTRY_ARMS.contains(&n.text) && !n.line_start && n.start == t.end + 1
            })
            && t.text.chars().nth(2).is_some()
            && !t.text.contains('-')
            && !r.is_common(t.text)
            && !r.is_stop(t.text)
            && !r.compound_of_common(t.text)
            && !noun_suffix(t.text)
            && r.role_of(t.text).is_none()
            && !r.is_first_name(t.text)
            && !r.is_country_adj(t.text)
            && single_word(&r.d.names, t.text)
                .is_none_or(|k| r.d.names.phrases[k as usize].kind == EntityKind::Org)
        {
            let norm = join(toks, i, i + 2);
            out.push(cand(toks, i, i + 2, EntityKind::Org, norm, Source::Rule));
            return Some(i + 2);
        }
        if t.cap && BUSINESS_TAILS.contains(t.text) && i > 0 && !t.line_start {
            let mut a = i;
            while a > 0
                && a + 3 > i
                && toks[a - 1].cap
                && !toks[a].line_start
                && !r.is_stop(toks[a - 1].text)
                && r.role_of(toks[a - 1].text).is_none()
                // "Finanzinvestor Tiangong Capital"
                && !super::legal_forms::type_noun(toks[a - 1].text)
            {
                a -= 1;
            }
            // The first word must be a name, not a German noun ("Das
            // Management" has none; "Earlybird Venture Capital" has one).
            while a < i && r.d.common.contains(toks[a].text) && a + 1 < i {
                a += 1;
            }
            if a < i && !r.d.common.contains(toks[a].text) {
                let norm = join(toks, a, i + 1);
                out.push(cand(toks, a, i + 1, EntityKind::Org, norm, Source::Rule));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run_in;
    use super::super::ORGS;
    use super::*;

    #[test]
    fn a_type_noun_before_a_business_name_stays_outside() {
        assert_eq!(
            run_in(
                &ORGS,
                &BusinessNames,
                "Der Finanzinvestor Tiangong Capital stieg ein."
            ),
            [("Tiangong Capital".to_string(), "org")]
        );
    }

    #[test]
    fn a_trade_s_firm_word_and_the_family_s_name() {
        assert_eq!(
            run_in(
                &ORGS,
                &BusinessNames,
                "Bei der Brauerei Gschwend und der Reederei Albers & Co. sowie der Gießerei Brinkhoff."
            ),
            [
                ("Brauerei Gschwend".to_string(), "org"),
                ("Reederei Albers & Co.".to_string(), "org"),
                ("Gießerei Brinkhoff".to_string(), "org")
            ]
        );
        assert_eq!(
            run_in(
                &ORGS,
                &BusinessNames,
                "Im Museum Ludwig und in der Kunsthalle Bielefeld, nicht im Museum heute."
            ),
            [
                ("Museum Ludwig".to_string(), "org"),
                ("Kunsthalle Bielefeld".to_string(), "org")
            ]
        );
        // a company or place by its own name; a common word; a first name
        assert!(run_in(
            &ORGS,
            &BusinessNames,
            "Die Reederei Hapag-Lloyd, die Brauerei Paulaner, die Brauerei Zukunft, die Bäckerei Anna."
        )
        .is_empty());
    }

    #[test]
    fn shapes_of_company_names() {
        assert_eq!(
            run_in(&ORGS, &BusinessNames, "Die Kanzlei Nieding+Barth klagt."),
            [("Nieding+Barth".to_string(), "org")]
        );
        assert_eq!(
            run_in(
                &ORGS,
                &BusinessNames,
                "Investor ist Earlybird Venture Capital aus Berlin."
            ),
            [("Earlybird Venture Capital".to_string(), "org")]
        );
        assert_eq!(
            run_in(&ORGS, &BusinessNames, "Dow Jones Newswires meldet"),
            [("Dow Jones Newswires".to_string(), "org")]
        );
        // an English company word is never a surname ("Forest" is a first name)
        assert_eq!(
            run_in(&ORGS, &BusinessNames, "Geld ging an Black Forest Labs."),
            [("Black Forest Labs".to_string(), "org")]
        );
        // Shipyards; "die Werft" alone is none.
        assert_eq!(
            run_in(
                &ORGS,
                &BusinessNames,
                "Die Neptun Werft und die MV Werften bauen, die Werft wächst."
            ),
            [
                ("Neptun Werft".to_string(), "org"),
                ("MV Werften".to_string(), "org")
            ]
        );
    }

    #[test]
    fn names_joined_by_and_signs_and_firms() {
        for (t, want) in [
            ("Die Werft Blohm + Voss baut.", "Blohm + Voss"),
            (
                "Die Kanzlei Schlichting & Partner klagt.",
                "Schlichting & Partner",
            ),
            ("Die Firma Lindner & Co. liefert.", "Lindner & Co."),
            (
                "Die Kanzlei Ostermann Schulte Rechtsanwälte klagt.",
                "Ostermann Schulte Rechtsanwälte",
            ),
        ] {
            assert_eq!(
                run_in(&ORGS, &BusinessNames, t),
                [(want.to_string(), "org")],
                "{t}"
            );
        }
        for t in [
            "Ein Festival für Kunst & Kultur.",
            "Abteilung Forschung & Entwicklung",
            "Die Berliner Rechtsanwälte klagen.",
            "Angela & Peter kamen.",
        ] {
            assert!(run_in(&ORGS, &BusinessNames, t).is_empty(), "{t}");
        }
    }

    #[test]
    fn a_company_s_national_arm() {
        assert_eq!(
            run_in(
                &ORGS,
                &BusinessNames,
                "Der Umsatz von Fanuc Deutschland stieg, sagte der Chef."
            ),
            [("Fanuc Deutschland".to_string(), "org")]
        );
        for t in [
            "Das ist ganz Deutschland.",
            "Der Wirtschaftsstandort Deutschland leidet.",
            "Sie reist nach Berlin Deutschland.",
            "Er sprach mit Thomas Deutschland.",
        ] {
            assert!(run_in(&ORGS, &BusinessNames, t).is_empty(), "{t}");
        }
    }

    #[test]
    fn a_german_noun_before_the_tail_is_not_a_name() {
        assert!(run_in(&ORGS, &BusinessNames, "Das Management tagt.").is_empty());
        assert!(run_in(&ORGS, &BusinessNames, "Mit 3 + 4 Punkten").is_empty());
    }
}
