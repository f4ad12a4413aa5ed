//! Institutions named after a person or place, written as one hyphenated
//! word: "Robert-Koch-Institut", "Hasso-Plattner-Instituts",
//! "Friedrich-Ebert-Stiftung", "Max-Planck-Gesellschaft",
//! "Goethe-Universität", "Helmholtz-Zentrum", "Würth-Gruppe". The last part is an
//! institution word; the parts before it are capitalised names (so
//! "Corona-Krise" or "Bundes-Institut" are not). The whole word is the
//! organisation, its genitive -s aside in the normalised name. Buildings
//! and grounds named so are places: "Fritz-Walter-Stadion",
//! "Paul-Löbe-Haus", "Friedrich-Ebert-Halle", "Commerzbank-Tower".
//! A sub-rule of the orgs scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, single_word, strip_gen};
use crate::recognize::Cand;

const INSTITUTION_WORDS: &[&str] = &[
    "Institut",
    "Stiftung",
    "Gesellschaft",
    "Universität",
    "Hochschule",
    "Zentrum",
    "Klinik",
    "Kliniken",
    "Klinikum",
    "Krankenhaus",
    "Gymnasium",
    "Schule",
    "Gesamtschule",
    "Realschule",
    "Akademie",
    "Museum",
    "Bibliothek",
    "Verein",
    "Werke",
    "Theater",
    // A group or a yard named after its founder: "Würth-Gruppe",
    // "Meyer-Werft".
    "Gruppe",
    "Werft",
];

/// Last parts that make a building or ground: a place.
const PLACE_WORDS: &[&str] = &[
    "Stadion", "Arena", "Halle", "Haus", "Turm", "Tower", "Brücke", "Park", "Ring", "Saal",
    "Kaserne", "Denkmal",
];

pub(super) struct NamedInstitutions;

impl TokenRule for NamedInstitutions {
    fn name(&self) -> &'static str {
        "named-institutions"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if !t.cap || t.caps || !t.text.contains('-') {
            return None;
        }
        let parts: Vec<&str> = t.text.split('-').collect();
        let last = parts[parts.len() - 1];
        let is = |w: &&&str| {
            last == **w || strip_gen(last) == Some(**w) || last.strip_suffix("es") == Some(**w)
        };
        let (base, kind) = match INSTITUTION_WORDS.iter().find(is) {
            Some(w) => (w, EntityKind::Org),
            None => (PLACE_WORDS.iter().find(is)?, EntityKind::Place),
        };
        let names = &parts[..parts.len() - 1];
        // Each part a name: not a common noun (nor one with a linking -s,
        // "Forschungs-"), unless a first name starts the name ("Robert-Koch-").
        let after_first_name = r.d.first_names.contains(names[0]);
        // Particles and "und" inside a name: "Carl-von-Linde-Gymnasium",
        // "Hermann-und-Ingrid-Brandstätter-Stiftung".
        let particle = |k: usize, p: &str| {
            k > 0 && k + 1 < names.len() && matches!(p, "von" | "van" | "de" | "zu" | "und")
        };
        let named = names.iter().enumerate().all(|(k, p)| {
            if particle(k, p) {
                return true;
            }
            let noun = r.d.common.contains(p)
                || p.strip_suffix('s').is_some_and(|s| r.d.common.contains(s));
            p.chars().next().is_some_and(char::is_uppercase)
                && p.chars().count() >= 2
                && (!noun
                    || k > 0 && after_first_name
                    || r.d.surnames.contains(p)
                    || single_word(&r.d.names, p).is_some())
        });
        if !named || names.is_empty() {
            return None;
        }
        let mut norm = format!("{}-{base}", names.join("-"));
        // "Friedrich-Schiller-Universität Jena", "Schwentine-Klinikum
        // Preetz": a university's or a hospital's seat is part of its name.
        let seat = toks.get(i + 1).filter(|n| {
            matches!(
                *base,
                "Universität" | "Hochschule" | "Klinik" | "Kliniken" | "Klinikum" | "Krankenhaus"
            ) && !n.line_start
                && r.is_known_place(n.text)
        });
        // ... also after "zu": "Christian-Albrechts-Universität zu Kiel".
        let zu_seat = r
            .seat_after_zu(toks, i + 1)
            .filter(|_| matches!(*base, "Universität" | "Hochschule"));
        let end = match (seat, zu_seat) {
            (Some(n), _) => {
                norm = format!("{norm} {}", n.text);
                i + 2
            }
            (None, Some(n)) => {
                norm = format!("{norm} zu {}", n.text);
                i + 3
            }
            (None, None) => i + 1,
        };
        out.push(cand(toks, i, end, kind, norm, Source::Rule));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{norms_in, run_in};
    use super::super::ORGS;
    use super::*;

    #[test]
    fn a_university_and_its_seat_after_zu() {
        assert_eq!(
            run_in(
                &ORGS,
                &NamedInstitutions,
                "An der Christian-Albrechts-Universität zu Kiel forscht sie."
            ),
            [("Christian-Albrechts-Universität zu Kiel".to_string(), "org")]
        );
    }

    #[test]
    fn hospitals_and_their_seat() {
        assert_eq!(
            run_in(
                &ORGS,
                &NamedInstitutions,
                "Die Schwentine-Kliniken betreiben das Schwentine-Klinikum Preetz."
            ),
            [
                ("Schwentine-Kliniken".to_string(), "org"),
                ("Schwentine-Klinikum Preetz".to_string(), "org")
            ]
        );
    }

    #[test]
    fn particles_inside_a_hyphenated_name() {
        assert_eq!(
            norms_in(
                &ORGS,
                &NamedInstitutions,
                "Am Carl-von-Linde-Gymnasium, von der Hermann-und-Ingrid-Brandstätter-Stiftung."
            ),
            [
                (
                    "Carl-von-Linde-Gymnasium".to_string(),
                    "Carl-von-Linde-Gymnasium".to_string()
                ),
                (
                    "Hermann-und-Ingrid-Brandstätter-Stiftung".to_string(),
                    "Hermann-und-Ingrid-Brandstätter-Stiftung".to_string()
                )
            ]
        );
    }

    #[test]
    fn hyphenated_institutions() {
        assert_eq!(
            norms_in(
                &ORGS,
                &NamedInstitutions,
                "ein Spin-off des Hasso-Plattner-Instituts"
            ),
            [(
                "Hasso-Plattner-Instituts".to_string(),
                "Hasso-Plattner-Institut".to_string()
            )]
        );
        assert_eq!(
            run_in(
                &ORGS,
                &NamedInstitutions,
                "Das Robert-Koch-Institut und die Friedrich-Ebert-Stiftung"
            ),
            [
                ("Robert-Koch-Institut".to_string(), "org"),
                ("Friedrich-Ebert-Stiftung".to_string(), "org")
            ]
        );
        assert_eq!(
            run_in(
                &ORGS,
                &NamedInstitutions,
                "Die Würth-Gruppe und die Meyer-Werft, nicht die Risiko-Gruppe."
            ),
            [
                ("Würth-Gruppe".to_string(), "org"),
                ("Meyer-Werft".to_string(), "org")
            ]
        );
    }

    #[test]
    fn a_university_with_its_seat() {
        assert_eq!(
            run_in(
                &ORGS,
                &NamedInstitutions,
                "Forscher der Friedrich-Schiller-Universität Jena und der Goethe-Universität."
            ),
            [
                ("Friedrich-Schiller-Universität Jena".to_string(), "org"),
                ("Goethe-Universität".to_string(), "org")
            ]
        );
    }

    #[test]
    fn buildings_named_after_someone_are_places() {
        assert_eq!(
            run_in(
                &ORGS,
                &NamedInstitutions,
                "im Fritz-Walter-Stadion und im Paul-Löbe-Haus neben dem Commerzbank-Tower"
            ),
            [
                ("Fritz-Walter-Stadion".to_string(), "place"),
                ("Paul-Löbe-Haus".to_string(), "place"),
                ("Commerzbank-Tower".to_string(), "place")
            ]
        );
    }

    #[test]
    fn compounds_of_common_words_are_not_institutions() {
        for t in [
            "Das Forschungs-Institut",
            "die Kinder-Klinik",
            "die Sport-Halle",
        ] {
            assert_eq!(run_in(&ORGS, &NamedInstitutions, t), [], "{t}");
        }
    }
}
