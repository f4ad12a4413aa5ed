//! The learned lexicon ([`crate::annotations::lexicon`]): surfaces the
//! user annotated as names somewhere in the corpus, matched like gazetteer
//! phrases everywhere else. Their candidates outrank every other reading
//! of the same length but the knowledge base's (`Cand::rank`); a longer
//! name still wins ("Berlin" learned as a place leaves "Universität
//! Berlin" whole). Only whole tokens: a learned "dpa" leaves the head of
//! "dpa-AFX" to the other rules.

use super::phrases::match_phrases;
use super::{Context, Rule};
use crate::model::Source;
use crate::recognize::Cand;

pub(super) struct Learned;

impl Rule for Learned {
    fn name(&self) -> &'static str {
        "learned"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        if cx.overrides.has_learned_names() {
            let from = out.len();
            match_phrases(
                cx.r,
                cx.toks,
                cx.overrides.learned_phrases(),
                Source::Learned,
                out,
            );
            let mut i = from;
            while i < out.len() {
                if out[i].end == cx.toks[out[i].t1 - 1].end {
                    i += 1;
                } else {
                    out.remove(i);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{cands_with, surfaces};
    use super::*;
    use crate::annotations::Annotations;
    use crate::recognize::{Overrides, Recognizer};
    use crate::text::tokenize::tokenize;

    /// Overrides with a store of one annotation per (exact, label).
    fn taught(lines: &[(&str, &str)]) -> Overrides {
        let text: String = lines
            .iter()
            .map(|(exact, label)| {
                format!(
                    "{{\"path\":\"other.txt\",\"start\":0,\"end\":{},\"exact\":\"{exact}\",\"label\":\"{label}\",\"status\":\"corrected\"}}\n",
                    exact.len()
                )
            })
            .collect();
        Overrides::default().with_annotations(std::sync::Arc::new(Annotations::parse(None, &text)))
    }

    fn found(text: &str, o: &Overrides) -> Vec<(String, &'static str, Source)> {
        Recognizer::global()
            .recognize(text, &tokenize(text), &[], o)
            .into_iter()
            .map(|m| (text[m.span.range()].to_string(), m.kind.as_str(), m.source))
            .collect()
    }

    #[test]
    fn a_learned_surface_is_found_with_its_genitive() {
        let o = taught(&[("Quaxelwerk", "organisation")]);
        let t = "Das Quaxelwerk wächst. Die Zahlen des Quaxelwerks auch.";
        assert_eq!(
            surfaces(t, &cands_with(&Learned, t, &[], &o)),
            [
                ("Quaxelwerk".to_string(), "org"),
                ("Quaxelwerks".to_string(), "org")
            ]
        );
        // Not the head of a compound.
        let t = "Die Quaxelwerk-Aktie stieg.";
        assert!(cands_with(&Learned, t, &[], &o).is_empty());
        // Nothing without a store.
        assert!(cands_with(&Learned, t, &[], &Overrides::default()).is_empty());
    }

    #[test]
    fn a_learned_kind_beats_the_machines_reading_of_the_same_span() {
        let t = "Gestern sprach Conrad Caine in Berlin.";
        let before = found(t, &Overrides::default());
        assert!(
            before.contains(&("Conrad Caine".into(), "person", Source::Rule)),
            "{before:?}"
        );
        let o = taught(&[("Conrad Caine", "organisation")]);
        let after = found(t, &o);
        assert!(
            after.contains(&("Conrad Caine".into(), "org", Source::Learned)),
            "{after:?}"
        );
        assert!(
            after.contains(&("Berlin".into(), "place", Source::Gazetteer)),
            "{after:?}"
        );
    }

    #[test]
    fn a_longer_name_keeps_its_words() {
        let o = taught(&[("Berlin", "place")]);
        let t = "Er studierte an der Technischen Universität Berlin.";
        let got = found(t, &o);
        assert!(
            got.iter()
                .any(|(s, k, _)| s == "Technischen Universität Berlin" && *k == "org"),
            "{got:?}"
        );
    }

    #[test]
    fn a_not_a_name_surface_removes_the_machines_reading() {
        let t = "Im Kreis Euskirchen sprach Maria Müller.";
        let o = taught(&[("Maria Müller", "not-a-name")]);
        let got = found(t, &o);
        assert!(!got.iter().any(|(s, _, _)| s == "Maria Müller"), "{got:?}");
        assert!(found(t, &Overrides::default())
            .iter()
            .any(|(s, _, _)| s == "Maria Müller"));
    }
}
