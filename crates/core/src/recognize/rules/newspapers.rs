//! Newspapers: "Berliner Zeitung", "Passauer Neue Presse": a newspaper
//! word after one or two place adjectives. A sub-rule of the orgs scan (see
//! `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::EntityKind;
use crate::recognize::lexicon::{looks_adj, rule_cand};
use crate::recognize::Cand;

const NEWSPAPER_HEADS: &[&str] = &[
    "Zeitung",
    "Presse",
    "Rundschau",
    "Nachrichten",
    "Allgemeine",
    "Tagblatt",
    "Anzeiger",
    "Kurier",
    "Morgenpost",
    "Abendblatt",
    "Volksstimme",
    "Tageblatt",
    "Zeitung",
    "Post",
];

pub(super) struct Newspapers;

impl TokenRule for Newspapers {
    fn name(&self) -> &'static str {
        "newspapers"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if t.cap && NEWSPAPER_HEADS.contains(&t.text) && i > 0 && !t.line_start {
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
            if a < i && toks[a].text.ends_with("er") || a + 1 < i {
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
    fn a_bare_newspaper_word_is_not_a_name() {
        assert!(run_in(
            &ORGS,
            &Newspapers,
            "Er las die Zeitung und die Neue Presse."
        )
        .is_empty());
    }
}
