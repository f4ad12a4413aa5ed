//! Towns whose names are also German words ("Essen", "Gießen", "Siegen",
//! "Erlangen"): the place lists leave them out, so only this rule and the
//! tagger find them. Right after a preposition of place ("in Essen", "aus
//! Gießen", "nach Siegen") such a word, capitalised, is the town; not before
//! a number ("in Halle 3" is an exhibition hall). The towns:
//! `data/gazetteers/towns-common-words.txt`.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::cand;
use crate::recognize::Cand;
use crate::text::words::Words;

static PREPOSITIONS: Words = Words::new(&[
    "in", "aus", "nach", "bei", "von", "bis", "In", "Aus", "Nach",
]);

pub(super) struct CommonTowns;

impl Rule for CommonTowns {
    fn name(&self) -> &'static str {
        "common-towns"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        for i in 1..toks.len() {
            let t = &toks[i];
            if !t.cap || t.caps || t.line_start || !PREPOSITIONS.contains(toks[i - 1].text) {
                continue;
            }
            let number_follows = toks
                .get(i + 1)
                .is_some_and(|n| n.text.starts_with(|c: char| c.is_ascii_digit()));
            if !number_follows && r.d.towns_common_words.contains(t.text) {
                let norm = t.text.to_string();
                out.push(cand(toks, i, i + 1, EntityKind::Place, norm, Source::Rule));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run};
    use super::*;

    #[test]
    fn towns_that_are_words_after_a_preposition() {
        assert_eq!(
            run(
                &CommonTowns,
                "Sie zog aus Gießen nach Siegen, er lebt in Essen. \
                 Essen ist teuer. Die Messe in Halle 3 öffnet."
            ),
            pairs(&[("Gießen", "place"), ("Siegen", "place"), ("Essen", "place")])
        );
    }
}
