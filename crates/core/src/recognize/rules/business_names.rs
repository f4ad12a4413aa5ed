//! Company names recognisable by their shape:
//! - joined by a plus or an ampersand without spaces: "Nieding+Barth",
//!   "Procter&Gamble" (two capitalised names);
//! - ending in an English business word: "Earlybird Venture Capital",
//!   "StarCapital Asset Management", "Dow Jones Newswires", "Ströer Content
//!   Group" (one to three capitalised words before it, the first not a
//!   common German word unless a name follows).
//!
//! A sub-rule of the orgs scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join};
use crate::recognize::Cand;

/// Last words of English company names.
pub(in crate::recognize) const BUSINESS_TAILS: &[&str] = &[
    "Capital",
    "Management",
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
];

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
        if t.cap && BUSINESS_TAILS.contains(&t.text) && i > 0 && !t.line_start {
            let mut a = i;
            while a > 0
                && a + 3 > i
                && toks[a - 1].cap
                && !toks[a].line_start
                && !r.is_stop(toks[a - 1].text)
                && r.role_of(toks[a - 1].text).is_none()
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
    }

    #[test]
    fn a_german_noun_before_the_tail_is_not_a_name() {
        assert!(run_in(&ORGS, &BusinessNames, "Das Management tagt.").is_empty());
        assert!(run_in(&ORGS, &BusinessNames, "Mit 3 + 4 Punkten").is_empty());
    }
}
