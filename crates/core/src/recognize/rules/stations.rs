//! Places named after a place, as timetables and traffic reports write
//! them: stations ("Berlin Hbf", "Grafing Bahnhof", "Berlin Ostbahnhof"),
//! a town with its river or region in brackets ("Frankfurt (Oder)",
//! "Halle (Saale)", "Frankfurt (Main) Hbf") and motorway junctions
//! ("Kreuz Köln-Nord", "Dreieck Leonberg"). The place must be one the
//! gazetteers know (a town a river tells apart may be a common noun); the
//! whole is the name (GermEval: the longest name wins). A part of a town or
//! an exit by its compass point ("Leonberg-West") is one word, which the
//! gazetteer's phrases read whole.

use super::{Context, Rule};
use crate::model::EntityKind;
use crate::recognize::lexicon::{rule_cand, single_word};
use crate::recognize::{Cand, Tok};
use crate::text::words::Words;

/// Station words after a place's name.
static STATION_WORDS: Words = Words::new(&[
    "Hbf",
    "Hauptbahnhof",
    "Bahnhof",
    "Bf",
    "Ostbahnhof",
    "Westbahnhof",
    "Südbahnhof",
    "Nordbahnhof",
    "ZOB",
]);

/// Rivers and regions that tell towns of one name apart.
static QUALIFIERS: Words = Words::new(&[
    "Oder",
    "Main",
    "Saale",
    "Elbe",
    "Donau",
    "Rhein",
    "Mosel",
    "Neckar",
    "Lahn",
    "Havel",
    "Spree",
    "Inn",
    "Isar",
    "Lech",
    "Ruhr",
    "Weser",
    "Fulda",
    "Werra",
    "Ems",
    "Westf",
    "Westfalen",
    "Oldb",
    "Oldenburg",
    "Opf",
    "Oberpfalz",
    "Holstein",
    "Pfalz",
    "Lausitz",
    "Vogtl",
    "Vogtland",
    "Harz",
    "Eifel",
    "Taunus",
    "Allgäu",
    "Schwarzwald",
    "Erzgebirge",
    "Württ",
    "Anhalt",
    "Weinstraße",
    "Breisgau",
    "Dill",
    "Sieg",
    "Nahe",
    "Saar",
    "Ahr",
    "Erft",
    "Lippe",
    "Wupper",
    "Aller",
    "Leine",
    "Ilm",
    "Unstrut",
    "Mulde",
    "Elster",
    "Tauber",
    "Kinzig",
    "Jagst",
    "Kocher",
    "Enz",
    "Regen",
    "Vils",
    "Dosse",
    "Warnow",
    "Peene",
    "Uecker",
    "Eder",
    "Schwalm",
    "Altmark",
    "Uckermark",
    "Prignitz",
    "Rhön",
    "Spessart",
    "Odenwald",
    "Westerwald",
    "Hunsrück",
    "Sauerland",
    "Emsland",
    "Wendland",
    "Ostfriesland",
    "Dithmarschen",
    "Oberlausitz",
    "Niederlausitz",
    "Oberbayern",
    "Niederbayern",
    "Obb",
    "Ndb",
    "Thür",
    "Sachs",
    "Hess",
]);

/// Compass points naming a part of a place ("Köln-Nord", "Berlin-Mitte",
/// "Polizeipräsidium Oberbayern Nord").
pub(super) static COMPASS_POINTS: Words = Words::new(&[
    "Nord", "Süd", "Ost", "West", "Nordost", "Nordwest", "Südost", "Südwest", "Mitte",
]);

/// Parts of a town and exits: a compass point or a quarter (the gazetteer's
/// phrases join them to a place).
pub(super) fn town_part(w: &str) -> bool {
    COMPASS_POINTS.contains(w) || ["Zentrum", "Altstadt", "Innenstadt", "Neustadt"].contains(&w)
}

/// The end of a river or region in brackets at `k` after a town's name:
/// "(Oder)", "(Main)", "(Opf.)", with no space inside the brackets.
pub(super) fn bracket_qualifier_end(toks: &[Tok], k: usize) -> Option<usize> {
    let open = toks.get(k).filter(|n| n.text == "(" && !n.line_start)?;
    let q = toks
        .get(k + 1)
        .filter(|n| QUALIFIERS.contains(n.text) && n.start == open.end)?;
    let mut close = k + 2;
    if toks
        .get(close)
        .is_some_and(|n| n.text == "." && n.start == q.end)
    {
        close += 1;
    }
    toks.get(close)
        .filter(|n| n.text == ")" && n.start == toks[close - 1].end)?;
    Some(close + 1)
}

/// Heads of motorway junctions before a place.
const JUNCTIONS: &[&str] = &["Kreuz", "Dreieck", "Autobahnkreuz", "Autobahndreieck"];

pub(super) struct Stations;

impl Rule for Stations {
    fn name(&self) -> &'static str {
        "stations"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let toks = cx.toks;
        let place = |w: &str| cx.r.is_known_place(w);
        // "Leonberg-West": a known place and a compass point.
        let town_part = |t: &Tok| {
            t.text
                .rsplit_once('-')
                .is_some_and(|(town, part)| town_part(part) && place(town))
        };
        // Another name than a place's: "CDU (Pfalz)" is the party's.
        let other_name = |w: &str| {
            single_word(&cx.r.d.names, w)
                .is_some_and(|k| cx.r.d.names.phrases[k as usize].kind != EntityKind::Place)
        };
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            i += 1;
            if !t.cap || t.caps {
                continue;
            }
            let joined = |k: usize| toks.get(k).filter(|n| !n.line_start);
            // "Kreuz Köln-Nord", "Dreieck Leonberg".
            if JUNCTIONS.contains(&t.text) {
                if joined(i).is_some_and(|n| place(n.text) || town_part(n)) {
                    out.push(rule_cand(toks, i - 1, i + 1, EntityKind::Place));
                    i += 1;
                }
                continue;
            }
            // A bracket or a station word must follow: the lexicon after.
            if !joined(i).is_some_and(|n| n.text == "(" || STATION_WORDS.contains(n.text)) {
                continue;
            }
            let (i, parted, known) = (i - 1, town_part(t), place(t.text));
            let mut end = i + 1;
            // A town a river tells apart may be a common noun ("Halle (Saale)").
            if !other_name(t.text) {
                end = bracket_qualifier_end(toks, end).unwrap_or(end);
            }
            if !(known || parted || end > i + 1) {
                continue;
            }
            if joined(end).is_some_and(|n| STATION_WORDS.contains(n.text)) {
                end += 1;
            }
            if end > i + 1 {
                out.push(rule_cand(toks, i, end, EntityKind::Place));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    fn places(text: &str) -> Vec<String> {
        run(&Stations, text)
            .into_iter()
            .map(|(s, k)| {
                assert_eq!(k, "place", "{s}");
                s
            })
            .collect()
    }

    #[test]
    fn stations_after_a_place() {
        assert_eq!(
            places("Umstieg in Berlin Hbf und in München Hauptbahnhof, ab Grafing Bahnhof."),
            ["Berlin Hbf", "München Hauptbahnhof", "Grafing Bahnhof"]
        );
        assert_eq!(places("Halt in Berlin Ostbahnhof."), ["Berlin Ostbahnhof"]);
    }

    #[test]
    fn rivers_and_regions_in_brackets() {
        assert_eq!(
            places("Von Frankfurt (Oder) über Halle (Saale) nach Frankfurt (Main) Hbf."),
            ["Frankfurt (Oder)", "Halle (Saale)", "Frankfurt (Main) Hbf"]
        );
        assert_eq!(
            places("In Köthen (Anhalt) und Neustadt (Weinstraße) auch."),
            ["Köthen (Anhalt)", "Neustadt (Weinstraße)"]
        );
        // A dateline's agency is no qualifier; nor is a spaced bracket.
        assert!(places("Berlin (dpa) - Der Text. Berlin ( Oder ) auch.").is_empty());
    }

    #[test]
    fn town_parts_and_junctions() {
        assert_eq!(
            places("Zwischen Dreieck Leonberg und Kreuz Köln-Nord, ab Leonberg-West Bahnhof."),
            [
                "Dreieck Leonberg",
                "Kreuz Köln-Nord",
                "Leonberg-West Bahnhof"
            ]
        );
        // An unknown first part, or a word that is no compass point.
        assert!(places("Die Blabla-West und Leonberg-Stadt sowie das Kreuz Jesu.").is_empty());
    }

    #[test]
    fn a_place_alone_is_the_gazetteer_s() {
        assert!(places("In Berlin und Frankfurt regnet es. Der Bahnhof ist zu.").is_empty());
    }
}
