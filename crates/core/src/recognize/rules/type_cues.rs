//! A name after the noun that says what it is: "die Agentur Conrad Caine",
//! "das Satiremagazin „Charlie Hebdo“", "der Chiphersteller Intel", "im
//! Flüchtlingslager Idomeni", "Hurrikan Alex". The type noun (or the head of
//! a compound ending in one, also in the genitive) decides the kind, and the
//! reading beats a same-length person or place reading ("Conrad" is a first
//! name, but an agency named "Conrad Caine" is an organisation).

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join, single_word, with_lower};
use crate::recognize::Cand;
use fxhash::FxHashMap;
use std::sync::OnceLock;

/// Compound heads naming a kind of organisation.
const ORG_TYPES: &[&str] = &[
    "agentur",
    "konzern",
    "hersteller",
    "unternehmen",
    "firma",
    "magazin",
    "zeitschrift",
    "zeitung",
    "sender",
    "verlag",
    "verein",
    "klub",
    "partei",
    "versicherer",
    "dienstleister",
    "anbieter",
    "händler",
    "discounter",
    "kette",
    "startup",
    "start-up",
    "gewerkschaft",
    "reederei",
    "airline",
    "fluggesellschaft",
    "brauerei",
    "softwarehaus",
    "modehaus",
    "autobauer",
    "zulieferer",
    "versandhändler",
    "onlinehändler",
    "label",
    "band",
    "muttergesellschaft",
    "kanzlei",
    "portal",
    "blog",
    "nachrichtenagentur",
    "fußballclub",
    "fussballclub",
    "bundesligist",
    "zweitligist",
    "drittligist",
    "regionalligist",
    "erstligist",
    "oberligist",
    "tabellenführer",
];

/// Compound heads naming a kind of place.
const PLACE_TYPES: &[&str] = &[
    "stadt",
    "dorf",
    "gemeinde",
    "ortschaft",
    "ortsteil",
    "stadtteil",
    "stadtbezirk",
    "provinz",
    "region",
    "lager",
    "insel",
    "bundesstaat",
    "kanton",
    "metropole",
    "grenzort",
    "badeort",
    "kurort",
    "fluss",
    "gebirge",
    "halbinsel",
];

/// Compound heads naming other things: storms, works, events, products.
const OTHER_TYPES: &[&str] = &[
    "hurrikan",
    "orkan",
    "taifun",
    "zyklon",
    "sturmtief",
    "wirbelsturm",
    // Weather systems are named ("Tief Bernd", "Hoch Yvonne", "Sturm
    // Sabine"); "Sturmtief" and "Tropensturm" end in these.
    "tief",
    "hoch",
    "sturm",
    "film",
    "kinofilm",
    "roman",
    "album",
    "musical",
    "fernsehserie",
    "serie",
    "festival",
    "kampagne",
    "operation",
    "aktion",
    "smartphone",
    // Ships: "der Eisbrecher „Polarstern“", "das Forschungsschiff Meteor".
    "schiff",
    "eisbrecher",
    "frachter",
    "tanker",
    "fregatte",
    "korvette",
];

/// Words that end like a type noun but are none ("Alkoholeinfluss":
/// -fluss, "Redaktion": -aktion, "Diskette": -kette): a type noun matched
/// as the end of one of these announces nothing.
const NOT_TYPES: &[&str] = &[
    "ansturm",
    "einfluss",
    "überfluss",
    "abfluss",
    "zufluss",
    "ausfluss",
    "verkehrsfluss",
    "redaktion",
    "reaktion",
    "fraktion",
    "attraktion",
    "transaktion",
    "interaktion",
    "kontraktion",
    "kooperation",
    "diskette",
    "etikette",
    "plakette",
    "bankette",
    "krokette",
    "schlager",
    "pinsel",
    "absender",
    "einsender",
    "karosserie",
    "confiserie",
];

/// The type nouns by text: bit 0 organisation, 1 place, 2 other; and the
/// shortest and longest noun's length in bytes.
fn type_nouns() -> &'static (FxHashMap<&'static str, u8>, usize, usize) {
    static MAP: OnceLock<(FxHashMap<&'static str, u8>, usize, usize)> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FxHashMap::default();
        for (bit, list) in [ORG_TYPES, PLACE_TYPES, OTHER_TYPES]
            .into_iter()
            .enumerate()
        {
            for t in list {
                *map.entry(*t).or_insert(0) |= 1 << bit;
            }
        }
        let min = map.keys().map(|k| k.len()).min().unwrap_or(0);
        let max = map.keys().map(|k| k.len()).max().unwrap_or(0);
        (map, min, max)
    })
}

/// The kind a type noun announces ("Chipherstellers" → organisation): a
/// type noun ends the word or its stem (minus a genitive or plural
/// ending); an organisation head wins over a place head, a place head over
/// another one.
pub(super) fn type_kind(word: &str) -> Option<EntityKind> {
    if !word.chars().next().is_some_and(char::is_uppercase) || word.contains(' ') {
        return None;
    }
    let kinds = with_lower(word, |lower| {
        let stems = [
            lower,
            lower.strip_suffix("es").unwrap_or(""),
            lower.strip_suffix('s').unwrap_or(""),
            lower.strip_suffix('n').unwrap_or(""),
        ];
        let (nouns, min, max) = type_nouns();
        let mut kinds = 0u8;
        for stem in stems {
            if NOT_TYPES.iter().any(|n| stem.ends_with(n)) {
                continue;
            }
            // Only endings as long as some type noun can be one.
            let from = stem.len().saturating_sub(*max);
            for (k, _) in stem.char_indices().skip_while(|&(k, _)| k < from) {
                if stem.len() - k < *min {
                    break;
                }
                if let Some(bits) = nouns.get(&stem[k..]) {
                    kinds |= bits;
                }
            }
        }
        kinds
    });
    match kinds {
        0 => None,
        k if k & 1 != 0 => Some(EntityKind::Org),
        k if k & 2 != 0 => Some(EntityKind::Place),
        _ => Some(EntityKind::Other),
    }
}

/// Plural type nouns that open a list of examples: "Firmen wie Claas oder
/// Miele", "Städte wie Halle und Jena".
const LIST_CUES: &[(&str, EntityKind)] = &[
    ("Firmen", EntityKind::Org),
    ("Unternehmen", EntityKind::Org),
    ("Konzerne", EntityKind::Org),
    ("Konzernen", EntityKind::Org),
    ("Hersteller", EntityKind::Org),
    ("Herstellern", EntityKind::Org),
    ("Autobauer", EntityKind::Org),
    ("Autobauern", EntityKind::Org),
    ("Zulieferer", EntityKind::Org),
    ("Zulieferern", EntityKind::Org),
    ("Banken", EntityKind::Org),
    ("Versicherer", EntityKind::Org),
    ("Händler", EntityKind::Org),
    ("Händlern", EntityKind::Org),
    ("Discounter", EntityKind::Org),
    ("Discountern", EntityKind::Org),
    ("Anbieter", EntityKind::Org),
    ("Anbietern", EntityKind::Org),
    ("Parteien", EntityKind::Org),
    ("Vereine", EntityKind::Org),
    ("Vereinen", EntityKind::Org),
    ("Klubs", EntityKind::Org),
    ("Clubs", EntityKind::Org),
    ("Zeitungen", EntityKind::Org),
    ("Sender", EntityKind::Org),
    ("Sendern", EntityKind::Org),
    ("Airlines", EntityKind::Org),
    ("Fluggesellschaften", EntityKind::Org),
    ("Organisationen", EntityKind::Org),
    ("Gewerkschaften", EntityKind::Org),
    ("Städte", EntityKind::Place),
    ("Städten", EntityKind::Place),
    ("Metropolen", EntityKind::Place),
    ("Gemeinden", EntityKind::Place),
    ("Dörfer", EntityKind::Place),
    ("Dörfern", EntityKind::Place),
    ("Orte", EntityKind::Place),
    ("Orten", EntityKind::Place),
    ("Inseln", EntityKind::Place),
    ("Länder", EntityKind::Place),
    ("Ländern", EntityKind::Place),
    ("Staaten", EntityKind::Place),
];

/// The names a list cue at `i` ("Firmen wie Claas oder Miele") introduces:
/// after "wie", single capitalised words that are no common nouns, joined
/// by commas, "und", "oder", "sowie". Pushes each with the cue's kind.
fn list_names(cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) {
    let (r, toks) = (cx.r, cx.toks);
    let Some(&(_, kind)) = LIST_CUES.iter().find(|(w, _)| *w == toks[i].text) else {
        return;
    };
    let mut k = i + 2;
    while let Some(t) = toks.get(k) {
        let name = t.cap
            && !t.line_start
            && t.text.chars().nth(1).is_some()
            && !r.is_stop(t.text)
            && !r.is_common(t.text)
            && r.role_of(t.text).is_none()
            && type_kind(t.text).is_none();
        // One word: a longer name is left to the rules that know it.
        let alone = toks
            .get(k + 1)
            .is_none_or(|n| !(n.cap && n.start == t.end + 1));
        if !name || !alone {
            return;
        }
        out.push(Cand {
            rule: "",
            boost: true,
            ..cand(toks, k, k + 1, kind, t.text.to_string(), Source::Rule)
        });
        match toks.get(k + 1).map(|n| n.text) {
            Some("," | "und" | "oder" | "sowie") => k += 2,
            _ => return,
        }
    }
}

/// A quote that may stand between a type noun and its name: „Charlie Hebdo“.
pub(super) fn opening_quote(w: &str) -> bool {
    matches!(w, "„" | "\"" | "»" | "«" | "“" | "'" | "‚")
}

pub(super) struct TypeCues;

impl Rule for TypeCues {
    fn name(&self) -> &'static str {
        "type-cues"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        for i in 0..toks.len().saturating_sub(1) {
            let cue = &toks[i];
            if !cue.cap || cue.caps {
                continue;
            }
            if toks[i + 1].text == "wie" {
                list_names(cx, i, out);
                continue;
            }
            // An opening quote may stand between: „Charlie Hebdo“.
            let mut a = i + 1;
            if opening_quote(toks[a].text) {
                a += 1;
            }
            // No name can start at `a` (the loop below would stop there):
            // skip the costlier tests of the cue.
            if !toks
                .get(a)
                .is_some_and(|t| t.cap && !t.caps && !t.line_start)
            {
                continue;
            }
            if r.role_of(cue.text).is_some() {
                continue;
            }
            // A name that ends like a type noun is no type noun:
            // "A92 Deggendorf Richtung München" (-dorf).
            if single_word(&r.d.names, cue.text).is_some() && !r.is_common(cue.text) {
                continue;
            }
            let Some(kind) = type_kind(cue.text) else {
                continue;
            };
            let mut b = a;
            while b < toks.len()
                && b < a + 3
                && !toks[b].line_start
                && toks[b].cap
                && !toks[b].caps
                && !r.is_stop(toks[b].text)
                && r.role_of(toks[b].text).is_none()
                // Another type noun ends the name, a name that merely ends
                // like one does not ("Wincor Nixdorf": -dorf).
                && (type_kind(toks[b].text).is_none() || !r.is_common(toks[b].text))
                && (b == a || !r.d.common.contains(toks[b].text))
            {
                b += 1;
            }
            if b == a {
                continue;
            }
            // A single common noun after the cue is a noun phrase, not a
            // name ("das Unternehmen Zukunft" aside): "der Konzern Umsatz".
            if b == a + 1 && r.is_common(toks[a].text) {
                continue;
            }
            // "der Buchhändler Malte Sieverding": a trader is a person as
            // often as a firm; a first name and a surname are the person.
            if kind == EntityKind::Org
                && b == a + 2
                && (r.is_first_name(toks[a].text)
                    || r.d.ambiguous_first_names.contains(toks[a].text))
                && with_lower(cue.text, |l| l.contains("händler"))
            {
                continue;
            }
            let norm = join(toks, a, b);
            out.push(Cand {
                rule: "",
                boost: true,
                ..cand(toks, a, b, kind, norm, Source::Rule)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    #[test]
    fn the_type_noun_decides_the_kind() {
        assert_eq!(
            run(&TypeCues, "Die Agentur Conrad Caine wird verkauft."),
            [("Conrad Caine".to_string(), "org")]
        );
        assert_eq!(
            run(&TypeCues, "Der Chiphersteller Intel baut ab."),
            [("Intel".to_string(), "org")]
        );
        assert!(run(&TypeCues, "Der Buchhändler Malte Sieverding liest.").is_empty());
        assert_eq!(
            run(&TypeCues, "Im Flüchtlingslager Idomeni warten Tausende."),
            [("Idomeni".to_string(), "place")]
        );
        assert_eq!(
            run(&TypeCues, "Hurrikan Alex zieht nach Norden."),
            [("Alex".to_string(), "other")]
        );
        for t in [
            "Tief Bernd bringt Regen.",
            "Dann kommt Hoch Yvonne.",
            "Sturm Sabine tobt.",
        ] {
            assert_eq!(run(&TypeCues, t).len(), 1, "{t}");
            assert_eq!(run(&TypeCues, t)[0].1, "other", "{t}");
        }
        assert_eq!(
            run(&TypeCues, "Der Eisbrecher „Polarstern“ lief aus."),
            [("Polarstern".to_string(), "other")]
        );
        assert!(run(&TypeCues, "Das Rekordhoch Anfang Mai.").is_empty());
        assert!(run(&TypeCues, "Der Ansturm Tausender war groß.").is_empty());
    }

    #[test]
    fn plural_type_nouns_open_lists_of_examples() {
        assert_eq!(
            run(
                &TypeCues,
                "Firmen wie Claas oder Miele sind stark, Städte wie Herford, Bünde und Spenge auch."
            ),
            [
                ("Claas".to_string(), "org"),
                ("Miele".to_string(), "org"),
                ("Herford".to_string(), "place"),
                ("Bünde".to_string(), "place"),
                ("Spenge".to_string(), "place")
            ]
        );
        // common nouns, a longer name, no list cue
        assert!(run(&TypeCues, "Firmen wie Bäckereien leiden.").is_empty());
        assert!(run(&TypeCues, "Konzerne wie Deutsche Bank zahlen.").is_empty());
        assert!(run(&TypeCues, "Sie sind wie Claas.").is_empty());
    }

    #[test]
    fn a_name_is_no_type_noun() {
        // "Deggendorf" ends in "-dorf", but it is a town, not the noun.
        let t = "A92 Deggendorf Richtung München zwischen Altdorf und Moosburg.";
        assert!(run(&TypeCues, t).is_empty(), "{:?}", run(&TypeCues, t));
    }

    #[test]
    fn names_that_end_like_a_type_noun() {
        assert_eq!(
            run(
                &TypeCues,
                "Der Automaten-Hersteller Wincor Nixdorf wird übernommen."
            ),
            [("Wincor Nixdorf".to_string(), "org")]
        );
        assert_eq!(
            run(&TypeCues, "Auch der Tech-Blog Recode berichtete."),
            [("Recode".to_string(), "org")]
        );
        // A type noun still ends the name: "die Firma Lidl Stadt" is no name.
        assert_eq!(
            run(&TypeCues, "Der Konzern Bosch Stadt plant."),
            [("Bosch".to_string(), "org")]
        );
    }

    #[test]
    fn quotes_and_genitives() {
        assert_eq!(
            run(
                &TypeCues,
                "Die Redaktion des Satiremagazins „Charlie Hebdo“ feiert."
            ),
            [("Charlie Hebdo".to_string(), "org")]
        );
    }

    #[test]
    fn common_nouns_and_roles_are_not_names() {
        assert!(run(&TypeCues, "Der Konzern Umsatz stieg.").is_empty());
        assert!(run(&TypeCues, "Die Stadt Die Linke").is_empty());
        assert!(run(&TypeCues, "Der Konzernchef Müller sprach.").is_empty());
    }

    #[test]
    fn words_that_only_end_like_a_type_noun() {
        // -fluss, -aktion, -kette: no river, no campaign, no chain store
        for t in [
            "Unter Alkoholeinfluss Verkehrsunfall verursacht.",
            "Die Redaktion Spiegel Online meldet.",
            "Eine Diskette Windows lag bei.",
        ] {
            assert!(run(&TypeCues, t).is_empty(), "{t}: {:?}", run(&TypeCues, t));
        }
        // the real compounds still cue
        assert_eq!(
            run(&TypeCues, "Die Supermarktkette Lidl wächst."),
            [("Lidl".to_string(), "org")]
        );
        assert_eq!(
            run(&TypeCues, "Der Grenzfluss Neiße tritt über."),
            [("Neiße".to_string(), "place")]
        );
    }
}
