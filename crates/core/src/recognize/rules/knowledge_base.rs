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
        if cx.overrides.has_names() {
            match_phrases(
                cx.r,
                cx.toks,
                cx.overrides.phrases(),
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

    /// Surfaces that share first words, lengths and acronyms, so that
    /// which phrase is listed first decides ties.
    const WORDS: &[&str] = &[
        "Nord",
        "Nord Stream",
        "NATO",
        "Nato",
        "Berg",
        "Bergs",
        "Anna Berg",
        "ANNA",
        "Stream",
        "Europäische Union",
        "europäisch",
        "Nord Berg",
    ];

    fn entry(names: &[usize], kind: usize, canonical: usize) -> Vec<OverrideName> {
        let kinds = [EntityKind::Person, EntityKind::Place, EntityKind::Org];
        names
            .iter()
            .map(|&n| OverrideName {
                surface: WORDS[n % WORDS.len()].into(),
                kind: kinds[kind % 3],
                canonical: WORDS[canonical % WORDS.len()].into(),
            })
            .collect()
    }

    fn flat(entries: &[Vec<OverrideName>]) -> Overrides {
        let mut names = Vec::new();
        let mut origins = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            names.extend(e.iter().cloned());
            origins.extend(std::iter::repeat_n(i as u32, e.len()));
        }
        Overrides::with_origins(names, origins, vec![])
    }

    fn found(o: &Overrides, text: &str) -> Vec<(usize, usize, EntityKind, String)> {
        cands_with(&KnowledgeBase, text, &[], o)
            .into_iter()
            .map(|c| (c.start, c.end, c.kind, c.norm))
            .collect()
    }

    proptest::proptest! {
        /// Entries replaced one at a time in a patch match exactly as
        /// overrides compiled again from every entry.
        #[test]
        fn replaced_entries_match_as_compiled_afresh(
            entries in proptest::collection::vec(
                (proptest::collection::vec(0usize..40, 1..4), 0usize..3, 0usize..40), 1..6),
            replacements in proptest::collection::vec(
                (0usize..6, proptest::collection::vec(0usize..40, 0..4), 0usize..3, 0usize..40), 1..6),
        ) {
            let mut now: Vec<Vec<OverrideName>> =
                entries.iter().map(|(n, k, c)| entry(n, *k, *c)).collect();
            let mut patched = flat(&now);
            let text = format!(
                "{}. Die Nato-Truppen und Nords. NORD STREAM, Bergs Plan, Europäischen Union.",
                WORDS.join(" und ")
            );
            for (at, names, kind, canonical) in replacements {
                let at = at % now.len();
                now[at] = entry(&names, kind, canonical);
                patched = patched.replace_entry(at as u32, now[at].clone());
                let fresh = flat(&now);
                proptest::prop_assert_eq!(found(&patched, &text), found(&fresh, &text));
                let names = |o: &Overrides| {
                    o.names()
                        .into_iter()
                        .map(|n| (n.surface, n.kind, n.canonical))
                        .collect::<Vec<_>>()
                };
                proptest::prop_assert_eq!(names(&patched), names(&fresh));
            }
            proptest::prop_assert!(patched.patched_entries() >= 1);
        }
    }
}
