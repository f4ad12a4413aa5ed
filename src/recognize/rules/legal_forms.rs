//! Companies by legal form: "Deutsche Bank AG", "Siemens AG", "Acme Ltd":
//! up to four capitalised words before a legal form. A sub-rule of the orgs
//! scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join};
use crate::recognize::Cand;

const ORG_SUFFIXES: &[&str] = &[
    "AG", "GmbH", "SE", "KG", "KGaA", "mbH", "eG", "Inc", "Ltd", "Corp", "LLC", "plc", "PLC", "SA",
    "NV", "Holding", "Group",
];

pub(super) struct LegalForms;

impl TokenRule for LegalForms {
    fn name(&self) -> &'static str {
        "legal-forms"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if ORG_SUFFIXES.contains(&t.text) && i > 0 && toks[i - 1].cap && !t.line_start {
            let mut a = i;
            while a > 0
                && a + 4 > i
                && toks[a - 1].cap
                && !toks[a].line_start
                && !r.is_stop(toks[a - 1].text)
            {
                a -= 1;
            }
            if a < i {
                out.push(cand(
                    toks,
                    a,
                    i + 1,
                    EntityKind::Org,
                    join(toks, a, i + 1),
                    Source::Rule,
                ));
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
    fn names_before_a_legal_form() {
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Die Deutsche Bank AG und die Siemens AG meldeten Gewinne."
            ),
            pairs(&[("Deutsche Bank AG", "org"), ("Siemens AG", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Er verkaufte an Acme Widgets Ltd und ging."
            ),
            pairs(&[("Acme Widgets Ltd", "org")])
        );
    }

    #[test]
    fn stops_at_a_function_word() {
        assert_eq!(
            run_in(&ORGS, &LegalForms, "Das meldete Die Volkswagen AG."),
            pairs(&[("Volkswagen AG", "org")])
        );
    }

    #[test]
    fn a_bare_legal_form_is_no_name() {
        assert!(run_in(&ORGS, &LegalForms, "Eine AG ist keine GmbH.").is_empty());
    }
}
