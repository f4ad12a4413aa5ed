//! Parties named by a nominalised adjective: "die Grünen", "der Linken",
//! "Die Linke lehnte ab". After an article the word alone is the party
//! (GermEval: the article stays outside; "Bündnis 90/Die Grünen", the
//! official name, keeps it); the gazetteers' "Die Grünen" and "Die Linke"
//! starting at that article give way. "im Grünen" (in the countryside) has
//! no article and is no party.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::cand;
use crate::recognize::Cand;

/// (surface after an article, the party's name)
const PARTIES: &[(&str, &str)] = &[
    ("Grünen", "Grünen"),
    ("Linke", "Linke"),
    ("Linken", "Linke"),
];

const ARTICLES: &[&str] = &["die", "der", "den", "Die", "Der", "Den"];

pub(super) struct Parties;

impl Rule for Parties {
    fn name(&self) -> &'static str {
        "parties"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let toks = cx.toks;
        let party = |i: usize| PARTIES.iter().find(|p| p.0 == toks[i].text).map(|p| p.1);
        let after_article =
            |i: usize| i > 0 && !toks[i].line_start && ARTICLES.contains(&toks[i - 1].text);
        out.retain(|c| {
            !(c.source == Source::Gazetteer
                && c.t1 == c.t0 + 2
                && ARTICLES.contains(&toks[c.t0].text)
                && party(c.t0 + 1).is_some())
        });
        // What the user taught about these words stands.
        let taught = |i: usize| {
            out.iter().any(|c| {
                matches!(c.source, Source::Learned | Source::KnowledgeBase) && c.t0 <= i && i < c.t1
            })
        };
        let mut found: Vec<Cand> = Vec::new();
        // In a list of parties ("von AfD, Grünen und Linken"): after a
        // comma or a conjunction that follows another organisation.
        let in_list = |i: usize, found: &[Cand]| {
            i >= 2
                && !toks[i].line_start
                && matches!(toks[i - 1].text, "," | "und" | "oder" | "sowie")
                && out
                    .iter()
                    .chain(found)
                    .any(|c| c.kind == EntityKind::Org && c.t1 == i - 1)
        };
        for i in 1..toks.len() {
            let cue = after_article(i) || in_list(i, &found);
            if let Some(name) = party(i).filter(|_| cue && !taught(i)) {
                found.push(cand(
                    toks,
                    i,
                    i + 1,
                    EntityKind::Org,
                    name.to_string(),
                    Source::Rule,
                ));
            }
        }
        out.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer::Gazetteer;
    use super::super::testing::{pairs, run, run_seq};
    use super::*;

    #[test]
    fn the_party_without_its_article() {
        assert_eq!(
            run(
                &Parties,
                "Die Linke lehnte ab, die Grünen auch. Sie sprach von der Linken."
            ),
            pairs(&[("Linke", "org"), ("Grünen", "org"), ("Linken", "org")])
        );
        assert!(run(&Parties, "Sie wohnen im Grünen.").is_empty());
        // in a list after another party
        assert_eq!(
            run_seq(
                &[&Gazetteer, &Parties],
                "Kritik kam von AfD, Grünen und Linken."
            ),
            pairs(&[("AfD", "org"), ("Grünen", "org"), ("Linken", "org")])
        );
        // The gazetteer's "Die Linke" gives way.
        assert_eq!(
            run_seq(&[&Gazetteer, &Parties], "Die Linke lehnte ab."),
            pairs(&[("Linke", "org")])
        );
    }
}
