//! Sports clubs: "FC Bayern München", "Borussia Dortmund", "1. FC Köln",
//! "Hannover 96": a club prefix and up to three names (or a year); and
//! teams named by a nickname and their place, "Kiel Pirates", "Saale Tigers
//! Halle", "Eisbären Berlin" ([`TeamNames`]). Sub-rules of the orgs scan
//! (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::EntityKind;
use crate::recognize::lexicon::{rule_cand, single_word, strip_gen};
use crate::recognize::{Cand, Recognizer};
use crate::text::words::Words;

/// A common noun that no gazetteer lists as a single-word name ("Spieler",
/// not "Bayern" or "Union"): after the club's place it ends the name
/// ("Eintracht Frankfurt Fans"), before it it is part of it ("ESV
/// Lokomotive Zwickau").
fn common_noun(r: &Recognizer, w: &str) -> bool {
    r.d.common.contains(w) && single_word(&r.d.names, w).is_none()
}

pub(super) static CLUB_PREFIXES: Words = Words::new(&[
    "FC",
    "SC",
    "SV",
    "VfB",
    "VfL",
    "TSV",
    "ESV",
    "SG",
    "TuS",
    "BSC",
    "FSV",
    "SpVgg",
    "TSG",
    "SSV",
    "Borussia",
    "Eintracht",
    "Hertha",
    "Fortuna",
    "Dynamo",
    "Alemannia",
    "Arminia",
    "Kickers",
    // basketball, ice hockey
    "BC",
    "EHC",
    "ERC",
    // handball
    "THW",
    "HSG",
    "TBV",
    "TVB",
    "HC",
    "Füchse",
    "Füchsen",
]);

pub(super) struct Clubs;

impl TokenRule for Clubs {
    fn name(&self) -> &'static str {
        "clubs"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if CLUB_PREFIXES.contains(t.text) && !t.line_start || t.text == "FC" {
            let mut b = i + 1;
            // Whether the name so far holds a place: "Eintracht Frankfurt".
            let mut placed = false;
            while b < toks.len()
                && b < i + 4
                && !toks[b].line_start
                && (toks[b].cap
                    && !r.is_stop(toks[b].text)
                    && !(placed && common_noun(r, toks[b].text))
                    || founding_number(toks[b].text))
            {
                placed |= r.is_known_place(toks[b].text);
                b += 1;
                // A genitive ends the name: "Borussia Dortmunds Spieler".
                if b > i + 1
                    && strip_gen(toks[b - 1].text)
                        .is_some_and(|s| single_word(&r.d.names, s).is_some())
                {
                    break;
                }
            }
            // "TSV Lechfeld 1912": a founding year after the name (not a
            // later year, which dates an event: "der FC Bayern 2013").
            if b > i + 1
                && toks.get(b).is_some_and(|n| {
                    !n.line_start
                        && n.text.len() == 4
                        && n.text
                            .parse::<u16>()
                            .is_ok_and(|y| (1848..1950).contains(&y))
                })
            {
                b += 1;
            }
            if b > i + 1 {
                // "1. FC Köln"; at a line's start "1." numbers a table's
                // row ("1. TSG Rhön Fulda 14 Spiele"), except before the
                // prefixes that take it. Only an abbreviation takes the
                // "1." ("1. Hertha BSC" ranks Hertha first).
                let a = if i >= 2
                    && toks[i - 1].text == "."
                    && toks[i - 2].text == "1"
                    && t.text.len() <= 5
                    && t.text.chars().filter(|c| c.is_uppercase()).count() >= 2
                    && (!toks[i - 2].line_start || matches!(t.text, "FC" | "FSV" | "FFC"))
                {
                    i - 2
                } else {
                    i
                };
                out.push(rule_cand(toks, a, b, EntityKind::Org));
            }
        }
        None
    }
}

/// A founding year's two digits after the name ("Mainz 05", "Hannover
/// 96"): a leading zero or a year of the 19th century's second half; not
/// the games of a table's row ("Bautzen 14 Spiele").
fn founding_number(w: &str) -> bool {
    w.len() == 2 && w.bytes().all(|c| c.is_ascii_digit()) && (w.starts_with('0') || w >= "40")
}

/// Nicknames that name a team with its place or sponsor, as basketball,
/// ice hockey and American football teams are named ("Hamburg Towers",
/// "Telekom Baskets Bonn"). They are no German words, so after an article
/// they are the team alone ("die Tigers").
static TEAM_NICKNAMES: Words = Words::new(&[
    "Tigers",
    "Wolves",
    "Rangers",
    "Cranes",
    "Knights",
    "Pirates",
    "Eagles",
    "Lions",
    "Bears",
    "Sharks",
    "Panthers",
    "Dragons",
    "Giants",
    "Titans",
    "Baskets",
    "Towers",
    "Hawks",
    "Falcons",
    "Vikings",
    "Warriors",
    "Rockets",
    "Seawolves",
    "Roosters",
    "Pinguins",
    "Penguins",
    "Grizzlys",
    "Grizzlies",
    "Huskies",
    "Hornets",
    "Bulls",
    "Devils",
    "Scorpions",
    "Raptors",
    "Steelers",
    "Capitals",
    "Kings",
    "Cowboys",
    "Wildcats",
    "Comets",
    "Flyers",
    "Skyliners",
    "Merlins",
    "Niners",
    "Dolphins",
    "Ducks",
    "Foxes",
    "Gladiators",
    "Hurricanes",
    "Islanders",
    "Jaguars",
    "Mavericks",
    "Pioneers",
    "Razorbacks",
    "Rebels",
    "Saints",
    "Spartans",
    "Stallions",
    "Thunder",
    "Trojans",
    "Unicorns",
]);

/// German nicknames (common nouns): a team's name only beside a place.
static GERMAN_NICKNAMES: Words = Words::new(&[
    "Eisbären",
    "Haie",
    "Löwen",
    "Adler",
    "Pinguine",
    "Wölfe",
    "Riesen",
]);

/// Whether `w` is a team's nickname, English or German.
pub(super) fn is_nickname(w: &str) -> bool {
    TEAM_NICKNAMES.contains(w) || GERMAN_NICKNAMES.contains(w)
}

pub(super) struct TeamNames;

impl TokenRule for TeamNames {
    fn name(&self) -> &'static str {
        "team-names"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        if !t.cap || t.caps || !is_nickname(t.text) {
            return None;
        }
        // A listed place, or a town that is also a word ("Halle").
        let place = |k: usize| {
            r.is_known_place(toks[k].text) || r.d.towns_common_words.contains(toks[k].text)
        };
        // Up to two capitalised words before it (a place, a sponsor; the
        // first word of a sentence only if a place), not across a line start.
        let mut a = i;
        while a > 0 && a + 2 > i && !toks[a].line_start {
            let w = &toks[a - 1];
            let noun = r.is_common(w.text) || r.compound_of_common(w.text);
            if !w.word || !w.cap || (w.initial || noun) && !place(a - 1) || r.is_stop(w.text) {
                break;
            }
            a -= 1;
        }
        let mut b = i + 1;
        if b < toks.len() && !toks[b].line_start && toks[b].cap && place(b) {
            b += 1;
        }
        // The place next to the nickname: "Cottbus Rangers", "Eisbären
        // Berlin", "Saale Tigers Halle" (river and town).
        let placed = a < i && place(i - 1) || b > i + 1;
        if placed {
            // Over a person's reading of the same words ("Kiel Pirates").
            let mut c = rule_cand(toks, a, b, EntityKind::Org);
            c.boost = true;
            out.push(c);
            return Some(b);
        }
        // "die Tigers": an English nickname alone after an article.
        let article = i > 0
            && matches!(
                toks[i - 1].text,
                "die" | "den" | "der" | "Die" | "Den" | "Der"
            );
        if article && TEAM_NICKNAMES.contains(t.text) && !t.line_start {
            out.push(rule_cand(toks, i, i + 1, EntityKind::Org));
            return Some(i + 1);
        }
        None
    }
}

/// Prefixes that name a club abroad before its place ("Legia Warschau",
/// "CD Leganés", "Olympique Lyon", "Roter Stern Belgrad"): a club only
/// before a place the gazetteers know ("Sporting" or "Stade" alone is no
/// club).
static PLACE_CLUB_PREFIXES: Words = Words::new(&[
    "Dinamo",
    "Dynamo",
    "Legia",
    "Lech",
    "Wisla",
    "Wisła",
    "Śląsk",
    "Slask",
    "Górnik",
    "Gornik",
    "Sparta",
    "Slavia",
    "Slovan",
    "Spartak",
    "Lokomotive",
    "Lokomotiv",
    "Lok",
    "Zenit",
    "Partizan",
    "Olympique",
    "Sporting",
    "Racing",
    "Stade",
    "Atlético",
    "Athletic",
    "Real",
    "Inter",
    "Union",
    "Standard",
    "Royal",
    "Rapid",
    "Admira",
    "Austria",
    "Sturm",
    "Grasshopper",
    "Servette",
    "Ferencváros",
    "Honvéd",
    "Vasas",
    "Stern",
    "CD",
    "CF",
    "CA",
    "CS",
    "AC",
    "AS",
    "SS",
    "US",
    "AJ",
    "NK",
    "HNK",
    "GNK",
    "FK",
    "SK",
    "IFK",
    "AIK",
    "KRC",
    "KV",
    "RSC",
    "RC",
    "OGC",
    "PSV",
    "AZ",
    "FCSB",
]);

/// Suffixes after the name of a club abroad ("Malmö FF", "Brøndby IF",
/// "Rosenborg BK", "Fjordbyen IL", "Liverpool FC").
static CLUB_SUFFIXES: Words = Words::new(&[
    "FF", "IF", "IK", "IL", "BK", "FK", "SK", "CF", "FC", "AFC", "SC", "BSC", "CFC", "HB", "HBC",
]);

pub(super) struct ClubsAbroad;

impl TokenRule for ClubsAbroad {
    fn name(&self) -> &'static str {
        "clubs-abroad"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        let joined = |k: usize| toks.get(k).filter(|n| !n.line_start && n.word);
        // "Legia Warschau", "Roter Stern Belgrad": prefix, a known place.
        if PLACE_CLUB_PREFIXES.contains(t.text)
            && joined(i + 1).is_some_and(|n| n.cap && r.is_known_place(n.text))
        {
            let a = if t.text == "Stern" && i > 0 && toks[i - 1].text == "Roter" {
                i - 1
            } else {
                i
            };
            let mut c = rule_cand(toks, a, i + 2, EntityKind::Org);
            c.boost = true;
            out.push(c);
            return Some(i + 2);
        }
        // "Malmö FF", "Fjordbyen IL": one capitalised word that is no common
        // noun nor a function word, then the suffix.
        if let Some(n) = joined(i + 1) {
            // The suffix first: it is rare, the tests of the name are not cheap.
            let suffix = CLUB_SUFFIXES.contains(n.text) && !matches!(n.text, "FC" | "SC" | "BSC");
            let fc = matches!(n.text, "FC" | "AFC" | "CFC");
            let name = || {
                t.word
                    && t.cap
                    && !t.caps
                    && !r.is_stop(t.text)
                    && !r.is_common(t.text)
                    && !r.compound_of_common(t.text)
            };
            if (suffix || fc && r.is_known_place(t.text)) && name() {
                let mut c = rule_cand(toks, i, i + 2, EntityKind::Org);
                c.boost = true;
                out.push(c);
                return Some(i + 2);
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
    fn prefix_and_names() {
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Der FC Bayern München siegte gegen Borussia Dortmund."
            ),
            pairs(&[("FC Bayern München", "org"), ("Borussia Dortmund", "org")])
        );
    }

    #[test]
    fn founding_number_and_year() {
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Der 1. FC Köln spielte gegen den SV Werder Bremen."
            ),
            pairs(&[("1. FC Köln", "org"), ("SV Werder Bremen", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Es siegte der TSV 1860 nicht, aber der SC Freiburg."
            ),
            pairs(&[("SC Freiburg", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Tabelle:\n1. TSG Rhön Fulda 14 Spiele\n2. Hannover 96 14\n1. FC Köln 13\nMainz 05 siegt."
            ),
            pairs(&[("TSG Rhön Fulda", "org"), ("1. FC Köln", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Der TSV Lechfeld 1912 siegte, der FC Bayern 2013 auch."
            ),
            pairs(&[("TSV Lechfeld 1912", "org"), ("FC Bayern", "org")])
        );
        // A rank before a club that is no abbreviation stays outside.
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Spitze: 1. Hertha BSC 32 Punkte, 2. SV Elversberg."
            ),
            pairs(&[("Hertha BSC", "org"), ("SV Elversberg", "org")])
        );
    }

    #[test]
    fn common_nouns_and_genitives_end_the_name() {
        assert_eq!(
            run_in(
                &ORGS,
                &Clubs,
                "Am Dienstag versammelten sich Borussia Dortmunds Spieler im Trainingslager."
            ),
            pairs(&[("Borussia Dortmunds", "org")])
        );
        assert_eq!(
            run_in(&ORGS, &Clubs, "Die Eintracht Frankfurt Spieler jubelten."),
            pairs(&[("Eintracht Frankfurt", "org")])
        );
        assert_eq!(
            run_in(&ORGS, &Clubs, "Der ESV Lokomotive Zwickau spielte."),
            pairs(&[("ESV Lokomotive Zwickau", "org")])
        );
    }

    #[test]
    fn a_prefix_alone_is_no_club() {
        assert!(run_in(&ORGS, &Clubs, "Die Eintracht war groß, der FC war klein.").is_empty());
    }
}

#[cfg(test)]
mod abroad_tests {
    use super::super::testing::{pairs, run_in};
    use super::super::ORGS;
    use super::*;

    #[test]
    fn clubs_abroad_by_prefix_and_place() {
        assert_eq!(
            run_in(
                &ORGS,
                &ClubsAbroad,
                "Legia Warschau spielte gegen Roter Stern Belgrad und CD Leganés."
            ),
            pairs(&[
                ("Legia Warschau", "org"),
                ("Roter Stern Belgrad", "org"),
                ("CD Leganés", "org")
            ])
        );
        // A prefix without a place is no club.
        assert!(run_in(
            &ORGS,
            &ClubsAbroad,
            "Das Sporting-Team und Real Madrids Gegner."
        )
        .is_empty());
    }

    #[test]
    fn clubs_abroad_by_suffix() {
        assert_eq!(
            run_in(
                &ORGS,
                &ClubsAbroad,
                "Malmö FF schlug Fjordbyen IL, dann Liverpool FC."
            ),
            pairs(&[
                ("Malmö FF", "org"),
                ("Fjordbyen IL", "org"),
                ("Liverpool FC", "org")
            ])
        );
        // A common noun before the suffix is no club.
        assert!(run_in(&ORGS, &ClubsAbroad, "Der Verein FC ist klein.").is_empty());
    }
}

#[cfg(test)]
mod team_tests {
    use super::super::testing::{pairs, run_in};
    use super::super::ORGS;
    use super::*;

    #[test]
    fn teams_by_nickname_and_place() {
        assert_eq!(
            run_in(
                &ORGS,
                &TeamNames,
                "Die Saale Tigers Halle schlugen die Cottbus Rangers, die Tigers jubelten."
            ),
            pairs(&[
                ("Saale Tigers Halle", "org"),
                ("Cottbus Rangers", "org"),
                ("Tigers", "org")
            ])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &TeamNames,
                "Die Eisbären Berlin und die Telekom Baskets Bonn."
            ),
            pairs(&[("Eisbären Berlin", "org"), ("Telekom Baskets Bonn", "org")])
        );
        // German nicknames are animals without a place.
        assert!(run_in(&ORGS, &TeamNames, "Im Zoo schliefen die Löwen.").is_empty());
        assert!(run_in(&ORGS, &TeamNames, "Die Adler kreisten über dem Tal.").is_empty());
    }
}
