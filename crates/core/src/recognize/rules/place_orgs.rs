//! Institutions named by their place: "Universität Gießen", "TU Berlin",
//! "Sparkasse Hannover", "Bayerische Staatsoper München": an institution
//! word and one or two names that are not common words; and compound
//! institution nouns before a known place ("Investitionsbank Berlin",
//! "Sparkassenverband Niedersachsen"; `place_heads` has the authorities that
//! take any name, "Polizeiinspektion Erding"). A sub-rule of the orgs scan
//! (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join, looks_adj, nominative_adj, truncated_pair_before};
use crate::recognize::{Cand, Recognizer};
use crate::text::words::Words;

static PLACE_ORG_HEADS: Words = Words::new(&[
    "Universität",
    "Hochschule",
    "Fachhochschule",
    "Verlag",
    // Private banks by their family's name: "Bankhaus Metzler".
    "Bankhaus",
    "Sparkasse",
    "Volksbank",
    "VR-Bank",
    "Stadtwerke",
    "Landesbank",
    "Kreissparkasse",
    "Klinikum",
    "Universitätsklinikum",
    "Landgericht",
    "Amtsgericht",
    "Oberlandesgericht",
    "Verwaltungsgericht",
    "Landratsamt",
    "Theater",
    "Staatstheater",
    "Staatsoper",
    "Schauspielhaus",
    "Stadttheater",
    "Landestheater",
    "Opernhaus",
    "Universitätsmedizin",
    // Orchestras by their city: "Staatskapelle Halle".
    "Staatskapelle",
    "Staatsorchester",
]);

/// Endings of compound institution nouns that take their place as their
/// name: "Staatsanwaltschaft Essen", "Polizeidirektion Leipzig",
/// "Landeskriminalamt Sachsen", "Handwerkskammer Hamburg",
/// "Sparkassenverband Niedersachsen", "Investitionsbank Berlin",
/// "Wirtschaftsbehörde Hamburg", "Lawinenwarndienst Tirol",
/// "Landesentwicklungsgesellschaft Thüringen". Only a
/// compound counts ("Verband Bayern" in "dass der Verband Bayern hilft" is
/// no name).
const PLACE_ORG_HEAD_ENDINGS: &[&str] = &[
    "anwaltschaft",
    "gericht",
    "direktion",
    "präsidium",
    "amt",
    "behörde",
    "kammer",
    "verband",
    "sparkasse",
    "bank",
    "dienst",
    "gesellschaft",
    // "Landeselternbeirat Baden-Württemberg"
    "beirat",
    // Clubs by their seat: "Skiclub Semmering", "Turnverein Kusel".
    "club",
    "klub",
    "verein",
];

/// "Blau-Weiß", "Rot-Weiss": the colours in a club's name ("Tennisclub
/// Blau-Weiß Kusel").
fn club_colours(w: &str) -> bool {
    const COLOURS: &[&str] = &[
        "Blau", "Weiß", "Weiss", "Rot", "Grün", "Gelb", "Schwarz", "Gold", "Silber",
    ];
    let mut parts = w.split('-');
    let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let b = b.strip_suffix('e').unwrap_or(b);
    COLOURS.contains(&a) && COLOURS.iter().any(|c| c.eq_ignore_ascii_case(b))
}

/// Single words that take their place as their name ("Polizei Berlin",
/// "Verbraucherzentrale Bayern", "Studierendenwerk Göttingen").
const PLACE_ORG_HEAD_WORDS: &[&str] = &[
    "Polizei",
    "Verbraucherzentrale",
    "Studierendenwerk",
    "Studentenwerk",
    "Landesjägerschaft",
    "Bezirksregierung",
    "Skiclub",
    "Skiklub",
];

/// An institution word that takes a place as its name, and whether it
/// takes only a known place: a type noun before another name is an
/// apposition ("der Flughafenverband ADV", "die Privatbank Berenberg",
/// "der Messengerdienst Telegram").
fn place_org_head(w: &str) -> Option<PlaceOnly> {
    if PLACE_ORG_HEADS.contains(w) {
        return Some(PlaceOnly(false));
    }
    (PLACE_ORG_HEAD_WORDS.contains(&w)
        || PLACE_ORG_HEAD_ENDINGS.iter().any(|e| {
            w.len() >= e.len() + 4 && w.ends_with(e) && w.is_char_boundary(w.len() - e.len())
        }))
    .then_some(PlaceOnly(true))
}

/// Whether a head takes only known places after it.
struct PlaceOnly(bool);

/// Heads whose official name is the city's adjective and the head alone:
/// "Leipziger Stadtwerke", "Berliner Verkehrsbetriebe", "Berliner
/// Feuerwehr", "Münchner Kammerspiele" (not "Berliner Polizei", whose
/// name is "Polizei Berlin"); and the places of [`CITY_ADJECTIVE_PLACES`].
static CITY_ADJECTIVE_HEADS: Words = Words::new(&[
    "Stadtwerke",
    "Stadtwerken",
    "Verkehrsbetriebe",
    "Verkehrsbetrieben",
    "Wasserbetriebe",
    "Wasserbetrieben",
    "Verkehrsverbund",
    "Feuerwehr",
    "Kammerspiele",
    "Kammerspielen",
    "Philharmoniker",
    "Philharmonikern",
    "Symphoniker",
    "Symphonikern",
    "Sinfoniker",
    "Sinfonikern",
    "Börse",
]);

/// Buildings and waters named by a city's adjective: places ("Kölner
/// Dom", "Kölner Philharmonie", "Kieler Förde", "Lübecker Bucht",
/// "Hamburger Hafen", "Zürcher Oberland").
static CITY_ADJECTIVE_PLACES: Words = Words::new(&[
    "Dom",
    "Doms",
    "Philharmonie",
    "Förde",
    "Bucht",
    "Hafen",
    "Hafens",
    "Oberland",
]);

/// The places of [`CITY_ADJECTIVE_PLACES`] that take no name after them
/// ("Hafen Doraleh" is for the place rules).
static LANDSCAPES: Words = Words::new(&["Förde", "Bucht", "Hafen", "Hafens", "Oberland"]);

/// A head named by a city's adjective (see [`CITY_ADJECTIVE_HEADS`]).
fn city_adjective_head(w: &str) -> bool {
    CITY_ADJECTIVE_HEADS.contains(w) || CITY_ADJECTIVE_PLACES.contains(w)
}

/// "Leipziger", "Münchner", "Dresdner": the adjective of a listed place
/// ("Leipzig", "München", "Dresden").
fn city_adjective(r: &Recognizer, w: &str) -> bool {
    let Some(stem) = w.strip_suffix("er").filter(|s| s.chars().count() >= 3) else {
        return false;
    };
    let place = |s: &str| r.is_known_place(s);
    place(stem)
        || stem
            .strip_suffix('n')
            .is_some_and(|s| place(&format!("{s}en")))
}

pub(super) struct PlaceOrgs;

impl TokenRule for PlaceOrgs {
    fn name(&self) -> &'static str {
        "place-orgs"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        // The head in the genitive ("des Landgerichts Traunstein", "des
        // Handballverbands Niedersachsen", "des Schauspielhauses Bochum")
        // names the institution in the nominative.
        let genitive = || {
            let stem = t
                .text
                .strip_suffix("es")
                .filter(|s| s.ends_with(['s', 'z', 'ß', 'x']));
            let stem = stem.or_else(|| t.text.strip_suffix('s'))?;
            Some((place_org_head(stem)?, stem))
        };
        let (head, stem) = match t.cap.then(|| place_org_head(t.text)).flatten() {
            Some(h) => (Some(h), None),
            None if t.cap => genitive().map_or((None, None), |(h, s)| (Some(h), Some(s))),
            None => (None, None),
        };
        if t.cap && (head.is_some() || city_adjective_head(t.text)) && !t.caps
            || matches!(t.text, "TU" | "LMU" | "FU" | "HU")
        {
            let place_only = head.is_some_and(|h| h.0);
            // A known place, or a town named like a word ("Universität
            // Siegen", "Staatskapelle Halle").
            let town = |w: &str| r.is_known_place(w) || r.d.towns_common_words.contains(w);
            let mut b = i + 1;
            // A name that is not a common word, or a known place that is
            // one, right after the head ("Universität Leiden").
            while b < toks.len()
                && b < i + 3
                && !LANDSCAPES.contains(t.text)
                && toks[b].cap
                && !toks[b].line_start
                && !r.is_stop(toks[b].text)
                && if place_only {
                    b == i + 1 && town(toks[b].text)
                } else {
                    !r.d.common.contains(toks[b].text) || b == i + 1 && town(toks[b].text)
                }
            {
                b += 1;
            }
            // A listed place of several words: "THW-Ortsverband Bad
            // Kreuznach", "Sparkasse Bad Tölz".
            // ("Landratsamt Schwäbisch Hall": also where the loop stopped
            // inside it, at a common word.)
            if !LANDSCAPES.contains(t.text) && toks.get(i + 1).is_some_and(|n| n.cap) {
                if let Some(n) = super::phrases::listed_place_at(r, toks, i + 1) {
                    b = b.max(i + 1 + n);
                }
            }
            // "Tennisclub Blau-Weiß Kusel": a club's colours before its seat.
            if b == i + 1
                && ["club", "klub", "verein"]
                    .iter()
                    .any(|e| t.text.ends_with(e))
                && toks
                    .get(i + 1)
                    .is_some_and(|n| !n.line_start && club_colours(n.text))
                && toks
                    .get(i + 2)
                    .is_some_and(|n| !n.line_start && town(n.text))
            {
                b = i + 3;
            }
            // "Universität zu Lübeck", "Hochschule zu Kiel"
            if b == i + 1
                && matches!(t.text, "Universität" | "Hochschule")
                && r.seat_after_zu(toks, i + 1).is_some()
            {
                b = i + 3;
            }
            let kind = if CITY_ADJECTIVE_PLACES.contains(t.text) {
                EntityKind::Place
            } else {
                EntityKind::Org
            };
            if b == i + 1
                && i > 0
                && city_adjective_head(t.text)
                && toks[i - 1].cap
                && !toks[i].line_start
                && city_adjective(r, toks[i - 1].text)
            {
                let norm = join(toks, i - 1, b);
                out.push(cand(toks, i - 1, b, kind, norm, Source::Rule));
            }
            if b > i + 1 {
                let a = if i > 0
                    && toks[i - 1].cap
                    && looks_adj(toks[i - 1].text)
                    && !toks[i].line_start
                {
                    i - 1
                } else {
                    // "Mieterinnen- und Mieterverband Schweiz"
                    truncated_pair_before(toks, i).unwrap_or(i)
                };
                // A hospital someone is taken to or lies in is a place
                // ("ins Klinikum Kassel", "in das Klinikum Kempten", "im
                // Klinikum Konstanz"; the annotation decisions).
                let hospital = t.text.ends_with("klinikum") || t.text == "Klinikum";
                let into = a > 0 && matches!(toks[a - 1].text, "ins" | "im")
                    || a > 1
                        && matches!(toks[a - 1].text, "das" | "dem")
                        && toks[a - 2].text == "in";
                let kind = if hospital && into {
                    EntityKind::Place
                } else {
                    kind
                };
                let norm = match stem {
                    // (the head is one word, and a name follows it)
                    Some(stem) if a == i => format!("{stem} {}", join(toks, i + 1, b)),
                    _ if a < i => nominative_adj(&join(toks, a, b)),
                    _ => join(toks, a, b),
                };
                out.push(cand(toks, a, b, kind, norm, Source::Rule));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run_in};
    use super::super::ORGS;
    use super::*;

    #[test]
    fn a_hospital_one_is_taken_to_is_a_place() {
        assert_eq!(
            run_in(
                &ORGS,
                &PlaceOrgs,
                "Er kam ins Klinikum Kassel. Das Klinikum Kassel teilte mit, im Klinikum Fulda sei Platz."
            ),
            pairs(&[
                ("Klinikum Kassel", "place"),
                ("Klinikum Kassel", "org"),
                ("Klinikum Fulda", "place")
            ])
        );
    }

    #[test]
    fn head_and_place() {
        assert_eq!(
            run_in(
                &ORGS,
                &PlaceOrgs,
                "Sie studierte an der Universität Gießen und der TU Berlin."
            ),
            pairs(&[("Universität Gießen", "org"), ("TU Berlin", "org")])
        );
        // One name each: (text, name, kind).
        for (text, name, kind) in [
            (
                "Er arbeitet bei der Sparkasse Hannover.",
                "Sparkasse Hannover",
                "org",
            ),
            (
                "Das Bankhaus Lenzinger gibt auf.",
                "Bankhaus Lenzinger",
                "org",
            ),
            (
                "Es spielte die Staatskapelle Halle.",
                "Staatskapelle Halle",
                "org",
            ),
            (
                "Sie lehrt an der Universität zu Lübeck.",
                "Universität zu Lübeck",
                "org",
            ),
            ("Segeln auf der Kieler Förde.", "Kieler Förde", "place"),
            (
                "Der Mieterinnen- und Mieterverband Schweiz klagt.",
                "Mieterinnen- und Mieterverband Schweiz",
                "org",
            ),
            (
                "Sie kam vom THW-Ortsverband Bad Kreuznach.",
                "THW-Ortsverband Bad Kreuznach",
                "org",
            ),
        ] {
            assert_eq!(
                run_in(&ORGS, &PlaceOrgs, text),
                pairs(&[(name, kind)]),
                "{text}"
            );
        }
    }

    #[test]
    fn a_head_in_the_genitive_names_the_institution_in_the_nominative() {
        let got = super::super::testing::norms_in(
            &ORGS,
            &PlaceOrgs,
            "Die Kammer des Landgerichts Traunstein, die Präsidentin des \
             Handballverbands Niedersachsen und das Ensemble des Schauspielhauses Bochum.",
        );
        assert_eq!(
            got,
            [
                ("Landgerichts Traunstein", "Landgericht Traunstein"),
                (
                    "Handballverbands Niedersachsen",
                    "Handballverband Niedersachsen"
                ),
                ("Schauspielhauses Bochum", "Schauspielhaus Bochum"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn adjective_before_the_head_in_the_nominative() {
        let got = super::super::testing::norms_in(
            &ORGS,
            &PlaceOrgs,
            "Sie sang an der Bayerischen Staatsoper München.",
        );
        assert_eq!(
            got,
            [(
                "Bayerischen Staatsoper München".to_string(),
                "Bayerische Staatsoper München".to_string()
            )]
        );
    }

    #[test]
    fn a_city_adjective_and_its_utility() {
        assert_eq!(
            run_in(
                &ORGS,
                &PlaceOrgs,
                "Die Leipziger Stadtwerke und die Berliner Feuerwehr halfen der Münchner Polizei."
            ),
            pairs(&[
                ("Leipziger Stadtwerke", "org"),
                ("Berliner Feuerwehr", "org")
            ])
        );
        assert!(run_in(&ORGS, &PlaceOrgs, "Die Freiwillige Feuerwehr kam.").is_empty());
        assert_eq!(
            run_in(
                &ORGS,
                &PlaceOrgs,
                "Vor dem Kölner Dom spielten die Bamberger Symphoniker, die Frankfurter \
                 Börse schloss."
            ),
            pairs(&[
                ("Kölner Dom", "place"),
                ("Bamberger Symphoniker", "org"),
                ("Frankfurter Börse", "org")
            ])
        );
    }

    #[test]
    fn clubs_by_their_seat_and_colours() {
        assert_eq!(
            run_in(
                &ORGS,
                &PlaceOrgs,
                "Der Skiclub Semmering und der Tennisclub Blau-Weiß Kusel feiern."
            ),
            pairs(&[
                ("Skiclub Semmering", "org"),
                ("Tennisclub Blau-Weiß Kusel", "org")
            ])
        );
        assert!(run_in(&ORGS, &PlaceOrgs, "Der Tennisclub Blau-Weiß feiert.").is_empty());
    }

    #[test]
    fn institution_compounds_and_their_place() {
        assert_eq!(
            run_in(
                &ORGS,
                &PlaceOrgs,
                "Die Staatsanwaltschaft Dortmund und die Polizei Bochum ermitteln, \
                 die Verbraucherzentrale Bayern warnt, der Sparkassenverband \
                 Niedersachsen und die Investitionsbank Berlin zahlen, die \
                 Landesentwicklungsgesellschaft Thüringen wirbt."
            ),
            pairs(&[
                ("Staatsanwaltschaft Dortmund", "org"),
                ("Polizei Bochum", "org"),
                ("Verbraucherzentrale Bayern", "org"),
                ("Sparkassenverband Niedersachsen", "org"),
                ("Investitionsbank Berlin", "org"),
                ("Landesentwicklungsgesellschaft Thüringen", "org")
            ])
        );
        // Not a compound: no name. A type noun before another name: an
        // apposition, not one name.
        assert!(run_in(
            &ORGS,
            &PlaceOrgs,
            "Er sagte, dass der Verband Bayern hilft."
        )
        .is_empty());
        assert!(run_in(
            &ORGS,
            &PlaceOrgs,
            "Der Flughafenverband ADV und die Privatbank Berenberg rechnen."
        )
        .is_empty());
    }

    #[test]
    fn a_bare_head_is_not_a_name() {
        assert!(run_in(
            &ORGS,
            &PlaceOrgs,
            "Die Universität wächst, das Theater schließt."
        )
        .is_empty());
    }
}
