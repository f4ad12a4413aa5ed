//! The learned lexicon ([`crate::annotations::lexicon`]): surfaces the
//! user annotated as names somewhere in the corpus, matched like gazetteer
//! phrases everywhere else. Their candidates outrank every other reading
//! of the same length but the knowledge base's (`Cand::rank`); a longer
//! name still wins ("Berlin" learned as a place leaves "Universität
//! Berlin" whole), unless it only puts function words before the learned
//! one: where the user drew "Grünen", the gazetteer's "Die Grünen" goes
//! (`Recognizer::candidates`). Only whole tokens: a learned "dpa" leaves
//! the head of "dpa-AFX" to the other rules.
//!
//! The lexicon's head words generalise past the surfaces: a common noun
//! (or a word in two names or more) that opened or closed organisations
//! or places the user annotated ("Bistro" of "Bistro Quaxel" and "Bistro
//! Zorn", "Gemeinde" of "Gemeinde Quaxel") is a cue for that kind with one or two
//! capitalised words that are no common nouns on the same side, on the
//! same line, elsewhere ("Bistro Plimm"). Their candidates are the
//! lexicon's too (a longer name still wins).

use super::phrases::match_phrases;
use super::{Context, Rule};
use crate::annotations::lexicon::HeadSide;
use crate::model::Source;
use crate::recognize::lexicon::{cand, join, strip_gen, with_lower};
use crate::recognize::{Cand, Recognizer, Tok};

/// Can `t` complement a learned head word? A capitalised word, no
/// common noun, function word or role, not on a line of its own.
fn complement(r: &Recognizer, t: &Tok) -> bool {
    t.word && r.nameish(t) && !r.is_common(t.text) && t.text.chars().any(char::is_lowercase)
}

/// Candidates of the learned head words (see the module's documentation).
fn heads(cx: &Context<'_>, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let r = cx.r;
    // Are tokens `a` and `a + 1` two words apart by spaces alone?
    let next_to = |a: usize| toks[a + 1].start > toks[a].end && !toks[a + 1].line_start;
    for i in 0..toks.len() {
        let t = &toks[i];
        if !t.word || !t.cap {
            continue;
        }
        let word = strip_gen(t.text).filter(|w| w.chars().count() >= 3);
        let first = cx
            .overrides
            .learned_head(t.text, HeadSide::First)
            .or_else(|| word.and_then(|w| cx.overrides.learned_head(w, HeadSide::First)));
        if let Some(kind) = first {
            let mut j = i;
            while j + 1 < toks.len() && j < i + 2 && next_to(j) && complement(r, &toks[j + 1]) {
                j += 1;
            }
            if j > i {
                out.push(cand(
                    toks,
                    i,
                    j + 1,
                    kind,
                    join(toks, i, j + 1),
                    Source::Learned,
                ));
            }
        }
        let last = cx
            .overrides
            .learned_head(t.text, HeadSide::Last)
            .or_else(|| word.and_then(|w| cx.overrides.learned_head(w, HeadSide::Last)));
        if let Some(kind) = last {
            let mut j = i;
            while j > 0 && j + 2 > i && next_to(j - 1) && complement(r, &toks[j - 1]) {
                j -= 1;
            }
            if j < i {
                out.push(cand(
                    toks,
                    j,
                    i + 1,
                    kind,
                    join(toks, j, i + 1),
                    Source::Learned,
                ));
            }
        }
    }
}

pub(super) struct Learned;

impl Rule for Learned {
    fn name(&self) -> &'static str {
        "learned"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        if cx.overrides.has_learned_heads() {
            heads(cx, out);
        }
        if cx.overrides.has_learned_names() {
            let from = out.len();
            match_phrases(
                cx.r,
                cx.toks,
                cx.overrides.learned_phrases(),
                Source::Learned,
                out,
            );
            // A learned one-word name that is also a common noun ("Zeit",
            // "Bild" as newspapers) is a name where the user marked it,
            // not in every article that uses the word. (An adjective's
            // capital, "Grünen", "Linke", still says it is a name.)
            let common = |c: &Cand| {
                let w = cx.toks[c.t0].text;
                c.t1 - c.t0 == 1
                    && cx.r.d.common.contains(w)
                    && !with_lower(w, |l| l != w && cx.r.d.common.contains(l))
            };
            let mut i = from;
            while i < out.len() {
                if out[i].end == cx.toks[out[i].t1 - 1].end && !common(&out[i]) {
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
    fn a_learned_adjective_name_is_found_in_its_other_ending() {
        let o = taught(&[
            ("Linken", "organisation"),
            ("Neue Nationalgalerie", "place"),
            ("Schule", "organisation"),
            ("Reiche", "person"),
        ]);
        let t = "Die Linke und die Neuen Nationalgalerie, Schulen und Reichen.";
        assert_eq!(
            surfaces(t, &cands_with(&Learned, t, &[], &o)),
            [
                ("Linke".to_string(), "org"),
                ("Neuen Nationalgalerie".to_string(), "place")
            ]
        );
        // Not where the user said otherwise of that surface.
        let o = taught(&[("Linken", "organisation"), ("Linke", "not-a-name")]);
        assert!(cands_with(&Learned, "Die Linke kam.", &[], &o).is_empty());
    }

    #[test]
    fn a_learned_common_noun_stays_where_the_user_marked_it() {
        // "Zeit" and "Bild" taught as newspapers are not names in every
        // article that has the nouns; an adjective-led party still is.
        let o = taught(&[
            ("Zeit", "organisation"),
            ("Bild", "organisation"),
            ("Grünen", "organisation"),
        ]);
        let t = "In der Zeit danach zeigte ein Bild die Grünen.";
        assert_eq!(
            surfaces(t, &cands_with(&Learned, t, &[], &o)),
            [("Grünen".to_string(), "org")]
        );
    }

    #[test]
    fn a_learned_name_leaves_out_the_article_before_it() {
        let t = "Die Grünen stimmten dagegen.";
        let before = found(t, &Overrides::default());
        // The machine reads the party without its article (rules/parties.rs).
        assert!(before.iter().any(|f| f.0 == "Grünen"), "{before:?}");
        let o = taught(&[("Grünen", "organisation")]);
        let after = found(t, &o);
        assert_eq!(
            after,
            [("Grünen".to_string(), "org", Source::Learned)],
            "{after:?}"
        );
        // A longer name the user drew still wins.
        let o = taught(&[("Grünen", "organisation"), ("Die Grünen", "organisation")]);
        let after = found(t, &o);
        assert_eq!(after, [("Die Grünen".to_string(), "org", Source::Learned)]);
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

    #[test]
    fn a_learned_head_word_cues_names_it_never_saw() {
        // "Gemeinde" (a common noun) closed a place; "Bistro" opened two.
        let o = taught(&[
            ("Bistro Quaxel", "place"),
            ("Bistro Plimm", "place"),
            ("Quaxel Gemeinde", "organisation"),
        ]);
        let t = "Wir aßen im Bistro Zorbaro. Die Zorbinger Gemeinde lud ein.";
        let got = found(t, &o);
        assert!(
            got.contains(&("Bistro Zorbaro".into(), "place", Source::Learned)),
            "{got:?}"
        );
        assert!(
            got.contains(&("Zorbinger Gemeinde".into(), "org", Source::Learned)),
            "{got:?}"
        );
        // No complement: a common noun, a line break, or nothing.
        let t = "Das Bistro Essen war gut. Im Bistro\nZorbaro. Das Bistro.";
        assert!(cands_with(&Learned, t, &[], &o).is_empty());
        // Learned once, "Plimbo" is no head: it is no common noun.
        let o = taught(&[("Plimbo Quaxel", "place")]);
        assert!(cands_with(&Learned, "Im Plimbo Zorbaro.", &[], &o).is_empty());
    }

    #[test]
    fn a_not_a_name_word_covers_its_inflections() {
        let o = taught(&[("Quaxelgewinn", "not-a-name")]);
        let l = &o.learned;
        for w in [
            "Quaxelgewinn",
            "Quaxelgewinns",
            "Quaxelgewinne",
            "Quaxelgewinnen",
        ] {
            assert!(l.not_a_name(w), "{w}");
        }
        // Not another word, nor a demonym.
        assert!(!l.not_a_name("Quaxelgewinner"));
        let o = taught(&[("Quaxeler", "not-a-name")]);
        assert!(!o.learned.not_a_name("Quaxel"));
    }
}
