//! Role cue + name: "Präsident Putin", "Herr Putin", "Außenminister
//! Blinken": one or two name-like words after a role or title word. A role
//! (not a mere title like "Herr") is kept with the person. A sub-rule of the
//! persons scan (see `rules/mod.rs`), tried last there.

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, noun_suffix, single_word, strip_gen};
use crate::recognize::{Cand, Tok};

pub(super) struct RoleCues;

impl TokenRule for RoleCues {
    fn name(&self) -> &'static str {
        "role-cues"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        // 2. role cue + name: "Präsident Putin", "Herr Putin"
        let ri = r.role_at(toks, i)?;
        let strong = |x: &Tok| {
            r.nameish(x)
                && !x.caps
                && x.text.chars().nth(1).is_some()
                && !noun_suffix(x.text)
                && (!r.is_common(x.text) || r.d.surnames.contains(x.text))
                && single_word(&r.d.names, strip_gen(x.text).unwrap_or("")).is_none()
        };
        if strong(t) {
            let mut k = i + 1;
            if k < toks.len() && !toks[k].line_start && strong(&toks[k]) {
                k += 1;
            }
            let role = r
                .role_of(toks[ri].text)
                .unwrap_or(false)
                .then(|| r.role_text(toks, ri));
            let norm = r.person_norm(toks, i, k);
            out.push(Cand {
                rule: "",
                role,
                boost: true,
                ..cand(toks, i, k, EntityKind::Person, norm, Source::Rule)
            });
            return Some(k);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{cands_with, pairs, run_in};
    use super::super::{Scan, PERSONS};
    use super::*;
    use crate::recognize::Overrides;

    #[test]
    fn role_and_name() {
        assert_eq!(
            run_in(&PERSONS, &RoleCues, "Das sagte Präsident Putin in Moskau."),
            pairs(&[("Putin", "person")])
        );
        assert_eq!(
            run_in(&PERSONS, &RoleCues, "Außenminister Heiko Maas reist."),
            pairs(&[("Heiko Maas", "person")])
        );
    }

    #[test]
    fn a_role_is_kept_a_title_is_not() {
        let alone = Scan {
            rules: &[&RoleCues],
            ..PERSONS
        };
        let t = "Präsident Putins Forderung und Herr Scholz.";
        let got: Vec<(String, Option<String>, bool)> =
            cands_with(&alone, t, &[], &Overrides::default())
                .into_iter()
                .map(|c| (c.norm, c.role, c.boost))
                .collect();
        assert_eq!(
            got,
            [
                ("Putin".to_string(), Some("Präsident".to_string()), true),
                ("Scholz".to_string(), None, true)
            ]
        );
    }

    #[test]
    fn no_name_after_the_role() {
        assert!(run_in(&PERSONS, &RoleCues, "Der Präsident Russlands sprach.").is_empty());
        assert!(run_in(&PERSONS, &RoleCues, "Die Präsidentin Sicherheit forderte.").is_empty());
    }
}
