//! Places abroad named by a head word of their language: stadiums, squares,
//! passes, lakes and mountains ("Estadio Santiago Bernabéu", "Stadio
//! Giuseppe Meazza", "Place de la Nation", "Piazza Navona", "Col du
//! Tourmalet", "Lago Maggiore", "Mont Ventoux"). The head and the names after
//! it, with the particles between them ("de la", "du", "del"), are one place
//! (GermEval: the longest name wins), also where the rest is a person's name
//! that the person rules would take alone.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join};
use crate::recognize::Cand;
use crate::text::words::Words;

/// Head words of place names in Spanish, Portuguese, Catalan, Italian and
/// French. Not "Via" (a German preposition at a sentence's start) nor
/// "Monte" (a first name).
static HEADS: Words = Words::new(&[
    "Estadio",
    "Estádio",
    "Estadi",
    "Stadio",
    "Stade",
    "Pista",
    "Piazza",
    "Piazzale",
    "Plaza",
    "Place",
    "Praça",
    "Col",
    "Lago",
    "Lac",
    "Mont",
    "Palazzo",
    "Castello",
    "Château",
    "Avenida",
    "Rue",
    "Boulevard",
    "Avenue",
    "Calle",
    "Ponte",
    "Pont",
    "Isola",
    "Playa",
    "Cabo",
    "Capo",
    "Sierra",
    "Cerro",
]);

/// Particles that may stand between the head and a name, or inside the name.
static PARTICLES: Words = Words::new(&[
    "de", "del", "della", "dello", "dei", "di", "da", "do", "dos", "das", "du", "des", "la", "le",
    "les", "el", "los", "las", "y", "e",
]);

pub(super) struct ForeignPlaces;

impl Rule for ForeignPlaces {
    fn name(&self) -> &'static str {
        "foreign-places"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        for (i, t) in toks.iter().enumerate() {
            if !t.cap || t.caps || !HEADS.contains(t.text) {
                continue;
            }
            // Names and particles after the head, ending on a name.
            let (mut b, mut end) = (i + 1, None);
            while b < toks.len() && b < i + 7 && !toks[b].line_start && toks[b].word {
                let w = toks[b].text;
                // After a particle a German common word is the foreign
                // name's ("Place de la Nation").
                let after_particle = PARTICLES.contains(toks[b - 1].text);
                if toks[b].cap
                    && !toks[b].caps
                    && !r.is_stop(w)
                    && (after_particle || !r.is_common(w))
                {
                    end = Some(b + 1);
                } else if !PARTICLES.contains(w) {
                    break;
                }
                b += 1;
            }
            if let Some(e) = end {
                let norm = join(toks, i, e);
                out.push(cand(toks, i, e, EntityKind::Place, norm, Source::Rule));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run};
    use super::*;

    #[test]
    fn head_words_and_their_names() {
        assert_eq!(
            run(
                &ForeignPlaces,
                "Im Estadio Santiago Bernabéu, im Stadio Giuseppe Meazza, auf der \
                 Place de la Nation, am Col du Tourmalet und am Lago Maggiore."
            ),
            pairs(&[
                ("Estadio Santiago Bernabéu", "place"),
                ("Stadio Giuseppe Meazza", "place"),
                ("Place de la Nation", "place"),
                ("Col du Tourmalet", "place"),
                ("Lago Maggiore", "place")
            ])
        );
    }

    #[test]
    fn a_head_without_a_name_is_none() {
        assert!(run(&ForeignPlaces, "Die Place ist leer. Am Lago di gestern.").is_empty());
    }
}
