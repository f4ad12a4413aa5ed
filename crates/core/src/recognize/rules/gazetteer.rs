//! Names listed in the embedded gazetteers (places, organisations, persons:
//! `data/gazetteers/`), matched as phrases.

use super::phrases::match_phrases;
use super::{Context, Rule};
use crate::model::Source;
use crate::recognize::data::Phrases;
use crate::recognize::Cand;

pub(super) struct Gazetteer;

impl Rule for Gazetteer {
    fn name(&self) -> &'static str {
        "gazetteer"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        match_phrases(
            cx.r,
            cx.toks,
            Phrases::of(&cx.r.d.names),
            Source::Gazetteer,
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{cands_with, pairs, run};
    use super::*;
    use crate::recognize::Overrides;

    #[test]
    fn a_town_that_is_a_word_after_a_speaker_label() {
        // "Weil" (am Rhein) is a conjunction opening the answer.
        assert!(run(&Gazetteer, "Kaltenegger: Weil wir es falsch spielen.").is_empty());
    }

    #[test]
    fn a_country_named_like_a_verb_opens_a_sentence() {
        assert_eq!(
            run(&Gazetteer, "Polen hat gewählt. „Polen bleibt“, sagte sie."),
            pairs(&[("Polen", "place"), ("Polen", "place")])
        );
    }

    #[test]
    fn a_place_and_its_compass_point_are_one_place() {
        assert_eq!(
            run(
                &Gazetteer,
                "Stau zwischen Leonberg-West und Köln-Nord, kein Berlin-Besuch."
            ),
            pairs(&[
                ("Leonberg-West", "place"),
                ("Köln-Nord", "place"),
                ("Berlin", "place")
            ])
        );
    }

    #[test]
    fn places_and_orgs_with_genitive() {
        let t = "Die Forderungen Moskaus an die Europäische Union.";
        assert_eq!(
            run(&Gazetteer, t),
            pairs(&[("Moskaus", "place"), ("Europäische Union", "org")])
        );
        let c = cands_with(&Gazetteer, t, &[], &Overrides::default());
        assert_eq!(c[0].norm, "Moskau");
        // "-es" where "-s" would leave a stem too.
        let c = cands_with(
            &Gazetteer,
            "Die Abgeordneten des Bundestages.",
            &[],
            &Overrides::default(),
        );
        assert_eq!(c[0].norm, "Bundestag");
    }

    #[test]
    fn acronym_heads_and_title_case_acronyms() {
        let t = "Weitere NATO-Truppen kamen, sagte die Nato.";
        assert_eq!(
            run(&Gazetteer, t),
            pairs(&[("NATO", "org"), ("Nato", "org")])
        );
        // a derived adjective is not its name
        assert!(run(&Gazetteer, "Die US-amerikanische Armee.").is_empty());
    }

    #[test]
    fn currencies_and_inflected_youth_organisations() {
        // "US-Dollar" names a currency, not the country; "Jungen Union" is
        // "Junge Union" inflected.
        assert_eq!(
            run(
                &Gazetteer,
                "Sie zahlte 12 Milliarden US-Dollar an die Jungen Union."
            ),
            pairs(&[("Jungen Union", "org")])
        );
        // A currency after an amount is no place.
        assert_eq!(
            run(
                &Gazetteer,
                "Sie zahlte 40 Millionen Franken und 500 Franken. Die Franken feiern."
            ),
            pairs(&[("Franken", "place")])
        );
        // No genitive after "im": "im Voraus" is no "Vorau" (a Styrian town).
        assert!(run(&Gazetteer, "Sie planen im Voraus.").is_empty());
        assert_eq!(
            run(&Gazetteer, "Sie wohnt in Voraus."),
            pairs(&[("Voraus", "place")])
        );
        // "Deutsche" inflects as any adjective ("der Deutschen Bundesbank").
        assert_eq!(
            run(&Gazetteer, "Die Aufsicht der Deutschen Bundesbank."),
            pairs(&[("Deutschen Bundesbank", "org"), ("Bundesbank", "org")])
        );
        assert_eq!(
            run(&Gazetteer, "Die US-Regierung und dpa-AFX."),
            pairs(&[("US", "place"), ("dpa-AFX", "org")])
        );
    }

    #[test]
    fn a_plural_name_in_the_dative() {
        let t = "Sie kam von den Freien Wählern zum Bayerischen Roten Kreuz.";
        assert_eq!(
            run(&Gazetteer, t),
            pairs(&[
                ("Freien Wählern", "org"),
                ("Bayerischen Roten Kreuz", "org"),
                // (the inner listed name too; the longer one wins)
                ("Roten Kreuz", "org")
            ])
        );
        let c = cands_with(&Gazetteer, t, &[], &Overrides::default());
        assert_eq!(c[0].norm, "Freie Wähler");
    }

    #[test]
    fn a_function_word_opening_a_sentence_is_not_a_place() {
        // "Weil" (a town) is also "weil" (because)
        assert_eq!(
            run(&Gazetteer, "Weil es regnete, blieb er in Weil."),
            pairs(&[("Weil", "place")])
        );
    }

    #[test]
    fn listed_names_with_commas_and_hyphens_are_matched_whole() {
        let t = "Die Industriegewerkschaft Bergbau, Chemie, Energie und die IG Bauen-Agrar-Umwelt.";
        assert_eq!(
            run(&Gazetteer, t),
            pairs(&[
                ("Industriegewerkschaft Bergbau, Chemie, Energie", "org"),
                ("IG Bauen-Agrar-Umwelt", "org")
            ])
        );
        // A press release's credit and English dateline.
        let t = "(Mynewsdesk) Berlin, Germany -- (Marketwired) -- Die Firma";
        assert_eq!(
            run(&Gazetteer, t),
            pairs(&[
                ("Mynewsdesk", "org"),
                ("Berlin", "place"),
                ("Germany", "place"),
                ("Marketwired", "org")
            ])
        );
        let c = cands_with(&Gazetteer, t, &[], &Overrides::default());
        assert_eq!(c[2].norm, "Deutschland");
    }

    #[test]
    fn works_events_and_products_are_other_names() {
        let t = "Vor dem Spiel der Champions League sah er die Mona Lisa und kaufte ein iPhone.";
        assert_eq!(
            run(&Gazetteer, t),
            pairs(&[
                ("Champions League", "other"),
                ("Mona Lisa", "other"),
                ("iPhone", "other")
            ])
        );
    }
}
