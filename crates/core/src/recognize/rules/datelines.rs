//! Datelines: "BRÜSSEL –", "MOSKAU (dpa) –": an all-caps place at the start
//! of a line, before a dash, a parenthesis, a slash or a comma. A known name
//! keeps its kind; an unknown one counts as a place only before a dash.

use super::phrases::longest_listed_prefix;
use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, single_word, title_case};
use crate::recognize::Cand;

pub(super) struct Datelines;

impl Rule for Datelines {
    fn name(&self) -> &'static str {
        "datelines"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        for i in 0..toks.len() {
            if !toks[i].line_start || !toks[i].cap {
                continue;
            }
            // "Gießen (dpa / lhe) –": a place in title case before an agency
            // in brackets.
            let title_case_line = !toks[i].caps;
            let mut j = i + 1;
            while j < toks.len()
                && j < i + 3
                && (toks[j].caps || title_case_line && toks[j].cap)
                && !toks[j].line_start
            {
                j += 1;
            }
            let Some(next) = toks.get(j) else { continue };
            if next.line_start || !matches!(next.text, "–" | "-" | "—" | "(" | "/" | ",") {
                continue;
            }
            if title_case_line {
                // The bracket closes on the same line and a dash follows:
                // "Die Europäische Zentralbank (EZB) hob …" opens an
                // article, it is no dateline.
                let closed = toks[j + 1..]
                    .iter()
                    .take(6)
                    .take_while(|t| !t.line_start)
                    .position(|t| t.text == ")");
                let dash_after = closed.is_some_and(|c| {
                    toks.get(j + 2 + c)
                        .is_some_and(|t| !t.line_start && matches!(t.text, "–" | "-" | "—"))
                });
                let agency = next.text == "("
                    && dash_after
                    && toks.get(j + 1).is_some_and(|a| {
                        single_word(&r.d.names, a.text)
                            .is_some_and(|k| r.d.names.phrases[k as usize].kind == EntityKind::Org)
                    });
                if !agency {
                    continue;
                }
            }
            let title: Vec<String> = toks[i..j].iter().map(|t| title_case(t.text)).collect();
            let joined = title.join(" ");
            let known = longest_listed_prefix(&r.d.names, &title)
                .filter(|&(n, _)| n == title.len())
                .map(|(_, k)| &r.d.names.phrases[k as usize]);
            let dash = matches!(next.text, "–" | "—" | "-");
            let (kind, norm) = match known {
                Some(p) => (p.kind, p.norm.to_string()),
                None if title_case_line || dash && !r.is_common(&joined) => {
                    (EntityKind::Place, joined)
                }
                None => continue,
            };
            out.push(cand(toks, i, j, kind, norm, Source::Rule));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{cands_with, pairs, run};
    use super::*;
    use crate::recognize::Overrides;

    #[test]
    fn known_place_before_a_dash_or_parenthesis() {
        let t = "BRÜSSEL – Die Minister trafen sich.\nMOSKAU (dpa) – Der Kreml schwieg.";
        assert_eq!(
            run(&Datelines, t),
            pairs(&[("BRÜSSEL", "place"), ("MOSKAU", "place")])
        );
        let norms: Vec<String> = cands_with(&Datelines, t, &[], &Overrides::default())
            .into_iter()
            .map(|c| c.norm)
            .collect();
        assert_eq!(norms, ["Brüssel", "Moskau"]);
    }

    #[test]
    fn unknown_town_only_before_a_dash() {
        assert_eq!(
            run(&Datelines, "KLEINDORFHAUSEN – Der Bürgermeister sprach."),
            pairs(&[("KLEINDORFHAUSEN", "place")])
        );
        assert!(run(
            &Datelines,
            "KLEINDORFHAUSEN (dpa) Der Bürgermeister sprach."
        )
        .is_empty());
    }

    #[test]
    fn not_a_name_and_its_acronym_opening_an_article() {
        for t in [
            "Die Europäische Zentralbank (EZB) hob die Zinsen an.",
            "Bundeskanzler Olaf Scholz (SPD) sprach in Berlin.",
        ] {
            assert_eq!(run(&Datelines, t), pairs(&[]), "{t}");
        }
        assert_eq!(
            run(&Datelines, "Gießen (dpa / lhe) – Nach einer Panne"),
            pairs(&[("Gießen", "place")])
        );
    }

    #[test]
    fn not_mid_line_nor_a_lone_headline() {
        assert!(run(&Datelines, "Er sagte: BRÜSSEL – nein.").is_empty());
        assert!(run(&Datelines, "BRÜSSEL\nDie Minister trafen sich.").is_empty());
    }
}
