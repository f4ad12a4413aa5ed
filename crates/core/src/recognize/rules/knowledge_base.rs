//! Names from the user's knowledge base (gazette.toml): the most
//! authoritative candidates, matched like gazetteer phrases.

use super::phrases::match_phrases;
use super::{Context, Rule};
use crate::model::Source;
use crate::recognize::Cand;

pub(super) struct KnowledgeBase;

impl Rule for KnowledgeBase {
    fn name(&self) -> &'static str {
        "knowledge-base"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        if !cx.overrides.names.is_empty() {
            match_phrases(
                cx.r,
                cx.toks,
                &cx.overrides.table,
                Source::KnowledgeBase,
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{cands_with, surfaces};
    use super::*;
    use crate::model::EntityKind;
    use crate::recognize::{OverrideName, Overrides};

    fn kb(names: &[(&str, EntityKind, &str)]) -> Overrides {
        let names = names
            .iter()
            .map(|&(surface, kind, canonical)| OverrideName {
                surface: surface.into(),
                kind,
                canonical: canonical.into(),
            })
            .collect();
        Overrides::new(names, vec![])
    }

    #[test]
    fn alias_with_its_canonical_name() {
        let o = kb(&[("Wowa", EntityKind::Person, "Wladimir Putin")]);
        let t = "Der Kremlchef Wowa sprach. Wowas Plan steht.";
        let got = cands_with(&KnowledgeBase, t, &[], &o);
        let norms: Vec<(&str, &str, Source)> = got
            .iter()
            .map(|c| (&t[c.start..c.end], c.norm.as_str(), c.source))
            .collect();
        assert_eq!(
            norms,
            [
                ("Wowa", "Wladimir Putin", Source::KnowledgeBase),
                ("Wowas", "Wladimir Putin", Source::KnowledgeBase)
            ]
        );
    }

    #[test]
    fn a_listed_common_word_counts_even_first_in_a_sentence() {
        // The gazetteer skips "Essen" opening a sentence; the user's word is law.
        let o = kb(&[("Essen", EntityKind::Place, "Essen")]);
        let t = "Essen ist schön.";
        assert_eq!(
            surfaces(t, &cands_with(&KnowledgeBase, t, &[], &o)),
            [("Essen".to_string(), "place")]
        );
    }

    #[test]
    fn nothing_without_a_knowledge_base() {
        let t = "Der Kremlchef Wowa sprach mit Jens Stoltenberg in Berlin.";
        assert!(cands_with(&KnowledgeBase, t, &[], &Overrides::default()).is_empty());
    }
}
