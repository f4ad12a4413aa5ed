//! Saints' names are no persons: after "Sankt" or "St." a first name names a
//! church, a parish or a place ("Sankt Peter und Paul", "St. Gallus"), so
//! the person candidates of the rules before this one that start there are
//! dropped, and so is the lone second name of "Sankt Peter und Paul". Reads (and
//! prunes) the candidates of the rules before it.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::{Cand, Tok};

/// Whether token `i` directly follows "Sankt" or "St.".
fn after_saint(toks: &[Tok], i: usize) -> bool {
    let w = |k: usize| toks[k].text;
    i >= 1 && w(i - 1) == "Sankt"
        || i >= 2 && w(i - 1) == "." && w(i - 2) == "St" && toks[i - 2].end == toks[i - 1].start
}

pub(super) struct Saints;

impl Rule for Saints {
    fn name(&self) -> &'static str {
        "saints"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let toks = cx.toks;
        out.retain(|c| {
            let i = c.t0;
            // "Sankt Peter und Paul": the second saint alone is no name of
            // any kind (nor the tagger's place "Paul").
            let paired = i >= 3
                && c.t1 == i + 1
                && c.source != Source::KnowledgeBase
                && toks[i - 1].text == "und"
                && after_saint(toks, i - 2);
            !(c.kind == EntityKind::Person && after_saint(toks, i) || paired)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run_seq};
    use super::super::PERSONS;
    use super::*;

    #[test]
    fn saints_names_are_no_persons() {
        let t = "Die Gemeinden Sankt Peter und Paul und St. Gallus fusionieren, sagte Paul Meier.";
        assert_eq!(
            run_seq(&[&PERSONS, &Saints], t),
            pairs(&[("Paul Meier", "person")])
        );
    }

    #[test]
    fn the_taggers_second_saint_goes_too() {
        use crate::recognize::Proposal;
        let t = "Die Gemeinde Sankt Peter und Paul fusioniert.";
        // The tagger's proposal "Paul" (a place) at token 5.
        let p = [Proposal {
            tokens: 5..6,
            kind: EntityKind::Place,
            score: 0.9,
        }];
        let seq = super::super::testing::cands_with(
            &Seq2,
            t,
            &p,
            &crate::recognize::Overrides::default(),
        );
        assert!(
            seq.is_empty(),
            "{:?}",
            super::super::testing::surfaces(t, &seq)
        );
    }

    struct Seq2;
    impl Rule for Seq2 {
        fn name(&self) -> &'static str {
            "tagger-then-saints"
        }
        fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
            super::super::tagger::Tagger.apply(cx, out);
            Saints.apply(cx, out);
        }
    }

    #[test]
    fn other_persons_stay() {
        let t = "Peter und Paul Müller trafen Anna.";
        let got = run_seq(&[&PERSONS, &Saints], t);
        assert_eq!(got, run_seq(&[&PERSONS], t));
        assert!(!got.is_empty());
    }
}
