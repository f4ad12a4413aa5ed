//! Ministries named by their field in one word: "Innenministerium",
//! "Verteidigungsministeriums", "Bundesforschungsministerium" (the
//! organisation; a country adjective before it stays outside: "im
//! bayerischen Wirtschaftsministerium"). The bare "Ministerium" refers back
//! and is no name; the genitive's -s stays out of the normalised name.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::cand;
use crate::recognize::Cand;

pub(super) struct Ministries;

impl Rule for Ministries {
    fn name(&self) -> &'static str {
        "ministries"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let toks = cx.toks;
        for (i, t) in toks.iter().enumerate() {
            if !t.cap || t.caps || !t.word {
                continue;
            }
            let w = t.text;
            let stem = w.strip_suffix('s').unwrap_or(w);
            let Some(field) = stem.strip_suffix("ministerium") else {
                continue;
            };
            // a field of two letters at least, not a hyphen alone
            if field.trim_end_matches('-').chars().count() < 2 {
                continue;
            }
            out.push(cand(
                toks,
                i,
                i + 1,
                EntityKind::Org,
                stem.to_string(),
                Source::Rule,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run};
    use super::*;

    #[test]
    fn ministries_by_their_field() {
        assert_eq!(
            run(
                &Ministries,
                "Das Innenministerium und ein Sprecher des Verteidigungsministeriums \
                 widersprachen; im bayerischen Wirtschaftsministerium schwieg man."
            ),
            pairs(&[
                ("Innenministerium", "org"),
                ("Verteidigungsministeriums", "org"),
                ("Wirtschaftsministerium", "org")
            ])
        );
        assert!(run(
            &Ministries,
            "Das Ministerium schwieg. Die Ministeriums-Sprecherin auch."
        )
        .is_empty());
    }
}
