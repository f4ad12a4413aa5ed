//! English organisation names: "Friends of Europe", "University of
//! Oxford": an English org word, "of", and up to three capitalised words.
//! Up to two names before the org word belong to it ("San Francisco Museum
//! of Modern Art"). A sub-rule of the orgs scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::EntityKind;
use crate::recognize::data::Phrases;
use crate::recognize::lexicon::rule_cand;
use crate::recognize::Cand;
use crate::text::words::Words;

static ENGLISH_ORG_HEADS: Words = Words::new(&[
    "Friends",
    "Bank",
    "University",
    "Institute",
    "Council",
    "Association",
    "Society",
    "Department",
    "Ministry",
    "Foundation",
    "Center",
    "Centre",
    "Office",
    "Agency",
    "Committee",
    "Commission",
    "Federation",
    "Union",
    "League",
    "Organization",
    "Organisation",
    "Party",
    "Church",
    "College",
    "School",
    "Academy",
    "Board",
    "Bureau",
    "Court",
    "Chamber",
    "Museum",
    "Library",
    "Fund",
    "Alliance",
    "Coalition",
    "Congress",
    "Parliament",
    "Government",
    "Army",
    "Corps",
    "Club",
    "Company",
    "Corporation",
    "Group",
    "Conference",
    "Assembly",
]);

pub(super) struct EnglishOrgs;

impl TokenRule for EnglishOrgs {
    fn name(&self) -> &'static str {
        "english-orgs"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if t.text == "of"
            && i > 0
            && ENGLISH_ORG_HEADS.contains(toks[i - 1].text)
            && toks.get(i + 1).is_some_and(|n| n.cap)
        {
            // The head (a German word too: "Museum of Modern Art"), and up
            // to two names before it ("San Francisco Museum of Modern Art").
            let mut a = i - 1;
            let place_of_two = |x: usize| {
                x + 2 == a
                    && !toks[x + 1].line_start
                    && !toks[a].line_start
                    && Phrases::of(&r.d.names)
                        .starting(toks[x].text)
                        .any(|(_, p)| {
                            p.kind == EntityKind::Place
                                && p.words.len() == 2
                                && &*p.words[0] == toks[x].text
                                && &*p.words[1] == toks[x + 1].text
                        })
            };
            if a >= 2 && place_of_two(a - 2) {
                a -= 2;
            }
            while a > 0
                && a + 3 > i
                && toks[a - 1].cap
                && !toks[a].line_start
                && !r.is_stop(toks[a - 1].text)
                && !r.d.common.contains(toks[a - 1].text)
                && r.role_of(toks[a - 1].text).is_none()
            {
                a -= 1;
            }
            let mut b = i + 1;
            while b < toks.len() && b < i + 4 && toks[b].cap && !toks[b].line_start {
                b += 1;
            }
            if a < i && b > i + 1 {
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
    fn head_of_name() {
        assert_eq!(
            run_in(
                &ORGS,
                &EnglishOrgs,
                "Das sagte Friends of Europe, nicht die Bank."
            ),
            pairs(&[("Friends of Europe", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &EnglishOrgs,
                "Sie lehrt an der University of Oxford."
            ),
            pairs(&[("University of Oxford", "org")])
        );
        // a German head; a two-word place before it
        assert_eq!(
            run_in(
                &ORGS,
                &EnglishOrgs,
                "Leihgaben des San Francisco Museum of Modern Art und das Museum of Modern Art."
            ),
            pairs(&[
                ("San Francisco Museum of Modern Art", "org"),
                ("Museum of Modern Art", "org")
            ])
        );
    }

    #[test]
    fn other_words_before_of_are_no_org() {
        assert!(run_in(
            &ORGS,
            &EnglishOrgs,
            "Der Song Best of Europe und Friends of mine."
        )
        .is_empty());
    }
}
