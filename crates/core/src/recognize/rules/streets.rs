//! Street names: "Schwanitzstraße", "Mozartgasse", "Alexanderplatz" (a name
//! before a street word; not a common compound like "Hauptstraße",
//! "Marktplatz" or "Staudamm"). A sub-rule of the
//! persons scan (see `rules/mod.rs`): a first name claims its tokens first.

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::cand;
use crate::recognize::Cand;

pub(super) struct Streets;

impl TokenRule for Streets {
    fn name(&self) -> &'static str {
        "streets"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if !t.initial
            && street_like(t.text)
                .is_some_and(|stem| !r.is_common(stem) && !r.is_common(stem.trim_end_matches('s')))
            && !r.is_common(t.text)
        {
            out.push(cand(
                toks,
                i,
                i + 1,
                EntityKind::Place,
                t.text.to_string(),
                Source::Rule,
            ));
            return Some(i + 1);
        }
        None
    }
}

/// Street names: "Schwanitzstraße", "Alexanderplatz".
/// Returns the part before the street word ("Schwanitz").
fn street_like(w: &str) -> Option<&str> {
    [
        "straße", "strasse", "gasse", "allee", "chaussee", "platz", "damm",
    ]
    .iter()
    .find_map(|s| {
        let stem = w.strip_suffix(s)?.trim_end_matches('-');
        (stem.chars().count() > 2).then_some(stem)
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run_in};
    use super::super::PERSONS;
    use super::*;

    #[test]
    fn named_streets() {
        assert_eq!(
            run_in(
                &PERSONS,
                &Streets,
                "Er wohnt in der Schwanitzstraße nahe der Mozartgasse."
            ),
            pairs(&[("Schwanitzstraße", "place"), ("Mozartgasse", "place")])
        );
    }

    #[test]
    fn common_compounds_and_sentence_starts_are_not_streets() {
        assert!(run_in(
            &PERSONS,
            &Streets,
            "Die Bundesstraße und die Hauptstraße waren nass."
        )
        .is_empty());
        assert!(run_in(&PERSONS, &Streets, "Schwanitzstraße ist gesperrt.").is_empty());
    }

    #[test]
    fn named_squares_and_embankments() {
        assert_eq!(
            run_in(
                &PERSONS,
                &Streets,
                "Demo am Alexanderplatz, dann zum Schiffbauerdamm."
            ),
            pairs(&[("Alexanderplatz", "place"), ("Schiffbauerdamm", "place")])
        );
        assert!(run_in(
            &PERSONS,
            &Streets,
            "Der Marktplatz, der Arbeitsplatz, der Parkplatz und der Staudamm."
        )
        .is_empty());
    }

    #[test]
    fn street_stem() {
        assert_eq!(street_like("Schwanitzstraße"), Some("Schwanitz"));
        assert_eq!(street_like("Hauptstraße"), Some("Haupt"));
        assert_eq!(street_like("Gasse"), None);
    }
}
