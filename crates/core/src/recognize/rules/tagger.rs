//! The statistical tagger's proposals, where they pass sanity filters: no
//! punctuation or line break inside, no shouted headline, no lone function
//! word, role or country adjective, a common noun ("Allianz") only when the
//! tagger is confident and no article comes before it, and only the name
//! heading a compound ("NATO-Truppen"). They rank below every other
//! candidate: they only fill gaps.

use super::{Context, Rule};
use crate::model::Source;
use crate::recognize::lexicon::{join, looks_adj, nominative_adj, single_word, strip_gen};
use crate::recognize::Cand;

pub(super) struct Tagger;

impl Rule for Tagger {
    fn name(&self) -> &'static str {
        "tagger"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks, proposals) = (cx.r, cx.toks, cx.proposals);
        /// Below this tagger confidence a single common noun is not taken as a name.
        const COMMON_NOUN_MIN_SCORE: f32 = 0.5;
        /// Below this confidence a lone unknown word is not taken as a person
        /// (0.7: on tests/unseen PER precision 0.72 -> 0.77 at the same
        /// recall; GermEval validation micro F1 -0.3, its isolated sentences
        /// lack the full names that usually precede a bare surname).
        const LONE_PERSON_MIN_SCORE: f32 = 0.7;
        for p in proposals {
            if p.tokens.start >= p.tokens.end || p.tokens.end > toks.len() {
                continue;
            }
            // "Die Vereinte Dienstleistungsgewerkschaft" opening a sentence:
            // the article is no part of the name (a listed "Die Linke" is
            // the gazetteer's, and outranks the tagger).
            let mut p = p.clone();
            if p.tokens.len() > 1
                && matches!(
                    toks[p.tokens.start].text,
                    "Die" | "Der" | "Das" | "Den" | "Dem" | "Des"
                )
            {
                p.tokens.start += 1;
            }
            let p = &p;
            let span = &toks[p.tokens.clone()];
            let first = &span[0];
            let last = &span[span.len() - 1];
            if !first.word || !first.cap || !last.word {
                continue;
            }
            if span
                .iter()
                .any(|t| !t.word && !matches!(t.text, "." | "-" | "&" | "/"))
            {
                continue; // crosses punctuation or a URL
            }
            if span.iter().skip(1).any(|t| t.line_start) {
                continue;
            }
            // Shouted headlines ("DEM GESCHÄFT"): all caps with a function word.
            if span.len() > 1
                && span
                    .iter()
                    .all(|t| !t.word || t.text.chars().all(|c| !c.is_lowercase()))
                && span.iter().any(|t| t.word && r.is_stop(t.text))
            {
                continue;
            }
            if span.len() == 1 {
                // Codes: an ISIN ("DE0007664005"), a ticker with figures.
                if first.text.chars().filter(char::is_ascii_digit).count() >= 3 {
                    continue;
                }
                // A legal form alone ("t.ü.t.e. GmbH": the name is lower case).
                if crate::linking::LEGAL_FORMS.contains(&first.text) {
                    continue;
                }
                // Trains and lines: "RE7", "S11", the "IC" of "IC-Züge".
                let head = first.text.split('-').next().unwrap_or(first.text);
                if super::acronyms::is_train_or_service(head) {
                    continue;
                }
                if r.is_stop(first.text)
                    || r.role_of(first.text).is_some()
                    || r.is_country_adj(first.text)
                    || r.d.not_orgs.contains(first.text)
                {
                    continue;
                }
                // A common noun ("Allianz", "Union") needs a confident tagger,
                // and after an article ("die Allianz") it is the noun.
                if r.d.common.contains(first.text) {
                    let after_article = p.tokens.start > 0
                        && matches!(
                            toks[p.tokens.start - 1].text.to_lowercase().as_str(),
                            "der"
                                | "die"
                                | "das"
                                | "den"
                                | "dem"
                                | "des"
                                | "ein"
                                | "eine"
                                | "einer"
                                | "eines"
                                | "einem"
                                | "einen"
                        );
                    if after_article || p.score < COMMON_NOUN_MIN_SCORE {
                        continue;
                    }
                }
                if first.initial && r.is_common(first.text) {
                    continue;
                }
                if r.d.common.contains(first.text) && first.initial {
                    continue;
                }
            }
            if span
                .iter()
                .all(|t| !t.word || r.is_stop(t.text) || r.role_of(t.text).is_some())
            {
                continue;
            }
            // A lone word the tagger calls a person, that no name list knows,
            // needs a confident tagger ("Intel", "Rojava" are not people).
            if span.len() == 1
                && p.kind == crate::model::EntityKind::Person
                && p.score < LONE_PERSON_MIN_SCORE
                && !r.d.surnames.contains(first.text)
                && !r.d.first_names.contains(first.text)
            {
                continue;
            }
            let t0 = p.tokens.start;
            let t1 = p.tokens.end;
            let mut end = last.end;
            let mut norm = join(toks, t0, t1);
            // "Deutschen Bahn" names the same as "Deutsche Bahn".
            if span.len() > 1 && p.kind != crate::model::EntityKind::Person && looks_adj(first.text)
            {
                norm = nominative_adj(&norm);
            }
            // A name heading a compound: keep only the head ("NATO-Truppen").
            if span.len() == 1 {
                if let Some(cut) = first.text.find('-') {
                    let rest = &first.text[cut + 1..];
                    if rest.chars().next().is_some_and(char::is_lowercase) {
                        continue;
                    }
                    if r.is_common(rest) || r.is_common(rest.trim_end_matches('n')) {
                        end = first.start + cut;
                        norm = first.text[..cut].to_string();
                    }
                }
            }
            if let Some(stem) = strip_gen(&norm) {
                if single_word(&r.d.names, stem).is_some() || r.d.surnames.contains(stem) {
                    norm = stem.to_string();
                }
            }
            out.push(Cand {
                rule: "",
                start: first.start,
                end,
                t0,
                t1,
                kind: p.kind,
                norm,
                role: None,
                source: Source::Tagger,
                boost: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{cands_with, pairs, surfaces};
    use super::*;
    use crate::model::EntityKind;
    use crate::recognize::{Overrides, Proposal};
    use crate::text::tokenize::tokenize;

    /// What the rule keeps of proposals for these surfaces (first
    /// occurrence, one or more tokens) with these kinds and scores.
    fn keep(text: &str, props: &[(&str, EntityKind, f32)]) -> Vec<(String, &'static str)> {
        let tk = tokenize(text);
        let words: Vec<&str> = tk.tokens.iter().map(|t| t.text(text)).collect();
        let props: Vec<Proposal> = props
            .iter()
            .map(|&(s, kind, score)| {
                let n = s.split(' ').count();
                let start = (0..words.len())
                    .find(|&i| words[i..].iter().take(n).copied().eq(s.split(' ')))
                    .unwrap_or_else(|| panic!("{s}"));
                Proposal {
                    tokens: start..start + n,
                    kind,
                    score,
                }
            })
            .collect();
        surfaces(
            text,
            &cands_with(&Tagger, text, &props, &Overrides::default()),
        )
    }

    #[test]
    fn codes_are_no_names() {
        let t = "Die Aktie DE0007664005 stieg, Daimler auch.";
        assert_eq!(
            keep(
                t,
                &[
                    ("DE0007664005", EntityKind::Place, 0.9),
                    ("Daimler", EntityKind::Org, 0.9)
                ]
            ),
            pairs(&[("Daimler", "org")])
        );
        // Trains, lines and a legal form alone are no names either.
        let t = "Die IC-Züge und der RE7 fahren, die t.ü.t.e. GmbH wächst.";
        assert!(keep(
            t,
            &[
                ("IC-Züge", EntityKind::Place, 0.9),
                ("RE7", EntityKind::Place, 0.9),
                ("GmbH", EntityKind::Org, 0.9)
            ]
        )
        .is_empty());
    }

    #[test]
    fn names_pass_common_nouns_do_not() {
        let t = "Krieg ist schlimm. Die Firma Zalando wächst.";
        assert_eq!(
            keep(
                t,
                &[
                    ("Krieg", EntityKind::Org, 0.9),
                    ("Zalando", EntityKind::Org, 0.9)
                ]
            ),
            pairs(&[("Zalando", "org")])
        );
    }

    #[test]
    fn a_common_noun_needs_confidence_and_no_article() {
        let t = "Er kaufte bei Allianz ein.";
        assert_eq!(
            keep(t, &[("Allianz", EntityKind::Org, 0.9)]),
            pairs(&[("Allianz", "org")])
        );
        assert!(keep(t, &[("Allianz", EntityKind::Org, 0.3)]).is_empty());
        let t = "Er sprach mit der Allianz.";
        assert!(keep(t, &[("Allianz", EntityKind::Org, 0.9)]).is_empty());
    }

    #[test]
    fn only_the_name_heading_a_compound() {
        let t = "Weitere Zalando-Mitarbeiter kamen.";
        assert_eq!(
            keep(t, &[("Zalando-Mitarbeiter", EntityKind::Org, 0.9)]),
            pairs(&[("Zalando", "org")])
        );
    }

    #[test]
    fn no_punctuation_or_line_break_inside() {
        let t = "Er traf Anna, Berta und Carla\nMeier.";
        assert!(keep(
            t,
            &[
                ("Anna , Berta", EntityKind::Person, 0.9),
                ("Carla Meier", EntityKind::Person, 0.9)
            ]
        )
        .is_empty());
    }
}
