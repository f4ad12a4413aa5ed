//! Areas and authorities named by a head noun and a place: "Landkreis
//! Konstanz", "Kreis Gießen", "Flughafen München", "Schloss Bellevue",
//! "Kraftwerk Jänschwalde" (places: official names;
//! a generic word before a name, "im Stadtteil Neukölln", stays outside); "Polizeipräsidium Konstanz", "Bistum Limburg",
//! "Staatsanwaltschaft Köln", "Landesbetrieb Straßenbau NRW",
//! "Regierungspräsidium Tübingen", "Gesundheitsamt Erding", and the police's
//! own abbreviations in press releases, "PI Erding", "KPI Fürstenfeldbruck"
//! (organisations), and theirs of the Landkreis, "LKR. WUNSIEDEL" (a place). The head belongs to the name (GermEval: the longest
//! name wins), also in the genitive ("des Landkreises Konstanz"). The place
//! must be a name: capitalised, not a common word.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{
    cand, join, nominative_adj, single_word, strip_gen, truncated_pair_before,
};
use crate::recognize::Cand;
use crate::text::words::Words;

/// Heads of place names.
static PLACE_HEADS: Words = Words::new(&[
    "Landkreis",
    "Kreis",
    "Regierungsbezirk",
    "Stadtkreis",
    "Flughafen",
    "Hauptbahnhof",
    "Kanton",
    "Freistaat",
    "Nationalpark",
    "Naturpark",
    "Strandbad",
    // Sites and buildings by their proper name ("Schloss Bellevue",
    // "Friedhof Ohlsdorf", "Kraftwerk Jänschwalde", "Zeche Zollverein").
    "Schloss",
    "Kloster",
    "Stift",
    "Burg",
    "Festung",
    "Friedhof",
    "Zentralfriedhof",
    "Kraftwerk",
    "Kohlekraftwerk",
    "Kernkraftwerk",
    "Atomkraftwerk",
    "Zeche",
    "Tagebau",
    "Talsperre",
    // Roads and grounds by their official names ("Anschlussstelle
    // Stadtilm", "Truppenübungsplatz Pabradė"). Not "Grenzübergang" and
    // "Raststätte": SmartData counts them in, but annotators of our sets
    // split on them.
    "Anschlussstelle",
    "Autobahnkreuz",
    "Autobahndreieck",
    "Truppenübungsplatz",
    // Venues and capes: "Arena Berlin", "Kap Arkona".
    "Arena",
    "Kap",
    // A hospital's or university's site: "Campus Kiel".
    "Campus",
]);

/// Heads of authorities and institutions named by their seat.
static ORG_HEADS: Words = Words::new(&[
    "Polizeipräsidium",
    "Militärkommando",
    "Polizeidirektion",
    "Polizeiinspektion",
    "Polizeirevier",
    "Kriminalpolizei",
    "Polizeiposten",
    "Polizeistation",
    "Polizeiwache",
    "Polizeikommissariat",
    "Polizeiabschnitt",
    "Verkehrspolizeiinspektion",
    "Kriminalpolizeiinspektion",
    "Kriminalinspektion",
    "Kriminalkommissariat",
    "Bundespolizeiinspektion",
    "Landespolizeidirektion",
    "Wasserschutzpolizei",
    "Bundespolizeidirektion",
    "Staatsanwaltschaft",
    "Generalstaatsanwaltschaft",
    "Bistum",
    "Erzbistum",
    "Diözese",
    "Bezirksregierung",
    // Austria's district authorities: "Bezirkshauptmannschaft Liezen".
    "Bezirkshauptmannschaft",
    "Landesdirektion",
    "Tourismusverband",
    "Polizei",
    "Kreisverwaltung",
    "Stadtverwaltung",
    "Landesbetrieb",
    "Handwerkskammer",
    "Landeskriminalamt",
    "Jobcenter",
    "Arbeitsagentur",
    "Landtag",
    "Kreistag",
    "Literaturhaus",
    "Bezirksamt",
    "Sozialgericht",
    "Arbeitsgericht",
    "Finanzgericht",
    "Landesarbeitsgericht",
    "Landessozialgericht",
    "Oberverwaltungsgericht",
    "Verwaltungsgerichtshof",
    "Messe",
    "Zoo",
    "Regierungspräsidium",
    "Autobahnpolizei",
    "Verkehrspolizei",
    "Grenzpolizei",
    "Bereitschaftspolizei",
    "Bundespolizeirevier",
    "Autobahndirektion",
    "Gesundheitsamt",
    "Jugendamt",
    "Finanzamt",
    "Hauptzollamt",
    "Zollamt",
    "Ordnungsamt",
    "Schulamt",
    "Straßenbauamt",
    "Wasserwirtschaftsamt",
    // Rescue services by their seat ("Feuerwehr Cottbus", "Bergwacht
    // Immenstadt").
    "Feuerwehr",
    "Berufsfeuerwehr",
    "Bergwacht",
    "Wasserwacht",
    "Bergrettung",
]);

/// Abbreviated police heads written in capitals in press releases: "PI
/// Erding" (Polizeiinspektion), "KPI" (Kriminalpolizeiinspektion), "VPI"
/// (Verkehrspolizeiinspektion); and the chambers' ("IHK München", "HWK
/// Koblenz").
const ABBREVIATED_ORG_HEADS: &[&str] = &["PI", "KPI", "VPI", "IHK", "HWK"];

/// Endings of authorities' compound names, for heads the list does not
/// hold ("Kriminaldauerdienst", "Polizeihauptkommissariat",
/// "Kriminalpolizeidirektion").
const ORG_HEAD_ENDINGS: &[&str] = &[
    "polizei",
    "polizeistation",
    "autobahnstation",
    "polizeiwache",
    "polizeiposten",
    "polizeiinspektion",
    "präsidium",
    "polizeidirektion",
    "kommissariat",
    "polizeirevier",
    "dauerdienst",
    "staatsanwaltschaft",
    "gericht",
];

fn head_kind(w: &str) -> Option<EntityKind> {
    let base = ["es", "s"]
        .iter()
        .find_map(|s| {
            w.strip_suffix(s)
                .filter(|b| PLACE_HEADS.contains(b) || ORG_HEADS.contains(b))
        })
        .unwrap_or(w);
    if PLACE_HEADS.contains(base) {
        Some(EntityKind::Place)
    } else if ORG_HEADS.contains(base)
        || base.chars().count() >= 10 && ORG_HEAD_ENDINGS.iter().any(|e| base.ends_with(e))
    {
        Some(EntityKind::Org)
    } else {
        None
    }
}

/// A district named by its landscape, "Eifelkreis", "Saalekreis",
/// "Erzgebirgskreis", before its seat ("Eifelkreis Bitburg-Prüm"): a
/// compound of "kreis" after a known place (not "Wahlkreis",
/// "Freundeskreis").
fn landscape_district(r: &crate::recognize::Recognizer, w: &str) -> bool {
    let Some(stem) = w.strip_suffix("kreis").or_else(|| w.strip_suffix("-Kreis")) else {
        return false;
    };
    let stem = stem.trim_end_matches('-');
    stem.chars().count() >= 3
        && (r.is_known_place(stem) || stem.strip_suffix('s').is_some_and(|s| r.is_known_place(s)))
}

pub(super) struct PlaceHeads;

impl Rule for PlaceHeads {
    fn name(&self) -> &'static str {
        "place-heads"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        for i in 0..toks.len().saturating_sub(1) {
            let t = &toks[i];
            // "RÖSLAU, LKR. WUNSIEDEL": the Landkreis in police datelines.
            let district = matches!(t.text, "LKR" | "Lkr")
                && toks
                    .get(i + 1)
                    .is_some_and(|d| d.text == "." && d.start == t.end);
            let abbreviated = ABBREVIATED_ORG_HEADS.contains(&t.text);
            if !t.cap || t.caps && !abbreviated && !district {
                continue;
            }
            // "Industrie- und Handelskammer Halle-Dessau" (not a bare
            // "Handelskammer": annotators split on it).
            let chamber = matches!(t.text, "Handelskammer" | "Handelskammern")
                && truncated_pair_before(toks, i).is_some_and(|a| toks[a].text == "Industrie");
            let Some(kind) = head_kind(t.text)
                .or_else(|| (abbreviated || chamber).then_some(EntityKind::Org))
                .or_else(|| landscape_district(r, t.text).then_some(EntityKind::Place))
                .or_else(|| district.then_some(EntityKind::Place))
            else {
                continue;
            };
            let name_ok = |k: usize| {
                let w = toks[k].text;
                toks[k].cap
                    && !toks[k].line_start
                    && !r.is_stop(w)
                    && r.role_of(w).is_none()
                    && head_kind(w).is_none()
                    && (!r.d.common.contains(w)
                        || single_word(&r.d.names, w).is_some()
                        || strip_gen(w).is_some_and(|s| single_word(&r.d.names, s).is_some()))
            };
            let mut a = if district { i + 2 } else { i + 1 };
            // An authority's field before its seat: "Landesbetrieb Straßenbau
            // NRW", "Landesbetrieb Straßenbau und Verkehr Schleswig-Holstein".
            let field = |k: usize| {
                toks.get(k)
                    .is_some_and(|w| w.cap && !w.line_start && r.d.common.contains(w.text))
            };
            if kind == EntityKind::Org && field(a) {
                if a + 3 < toks.len() && toks[a + 1].text == "und" && field(a + 2) && name_ok(a + 3)
                {
                    a += 3;
                } else if a + 1 < toks.len() && name_ok(a + 1) {
                    a += 1;
                }
            }
            // A second word of the seat is a known name or no compound of a
            // common noun ("Polizeipräsidium Mittelfranken Pressestelle").
            let second_ok = |k: usize| {
                let w = toks[k].text;
                single_word(&r.d.names, w).is_some() || !r.common_compound(w)
            };
            // A compass point after the seat names a part of it ("Polizeipräsidium
            // Oberbayern Nord"), common noun though it is; an authority's
            // may stand for the seat ("Polizeidirektion Süd").
            let compass = |k: usize| {
                (k > a || kind == EntityKind::Org)
                    && !toks[k].line_start
                    && super::stations::COMPASS_POINTS.contains(toks[k].text)
            };
            // A listed place of several words after the head is its name
            // ("Landkreis Schwäbisch Hall", "Anschlussstelle Bad Hersfeld").
            if let Some(n) = super::phrases::listed_place_at(r, toks, a) {
                let norm = join(toks, i, a + n);
                out.push(cand(toks, i, a + n, kind, norm, Source::Rule));
                continue;
            }
            let mut b = a;
            while b < toks.len()
                && b < a + 2
                && (name_ok(b) && (b == a || second_ok(b)) || compass(b))
            {
                b += 1;
            }
            // "Landtag von Baden-Württemberg": the parliament's official name.
            if b == a
                && matches!(t.text, "Landtag" | "Landtags" | "Landtages")
                && toks.get(a).is_some_and(|v| v.text == "von")
                && toks
                    .get(a + 1)
                    .is_some_and(|n| !n.line_start && r.is_known_place(n.text))
            {
                b = a + 2;
            }
            // "Kreistag des Kreises Plön", "Kreistag des Landkreises
            // Schwäbisch Hall": the district's council by its district.
            if b == a
                && matches!(t.text, "Kreistag" | "Kreistags" | "Kreistages")
                && toks.get(a).is_some_and(|v| v.text == "des")
                && toks
                    .get(a + 1)
                    .is_some_and(|v| matches!(v.text, "Kreises" | "Landkreises"))
            {
                if let Some(n) = super::phrases::listed_place_at(r, toks, a + 2) {
                    b = a + 2 + n;
                } else if toks
                    .get(a + 2)
                    .is_some_and(|n| !n.line_start && r.is_known_place(n.text))
                {
                    b = a + 3;
                }
            }
            if b == a {
                continue;
            }
            // A seat with its river or region: "Staatsanwaltschaft Frankenthal (Pfalz)".
            if b == a + 1 {
                b = super::stations::bracket_qualifier_end(toks, b).unwrap_or(b);
            }
            // Two seats: "Flughafen Leipzig/Halle", "Polizeiinspektion
            // Hameln-Pyrmont/Holzminden".
            if b + 1 < toks.len()
                && toks[b].text == "/"
                && toks[b].start == toks[b - 1].end
                && toks[b + 1].start == toks[b].end
                && (name_ok(b + 1) || r.d.towns_common_words.contains(toks[b + 1].text))
            {
                b += 2;
            }
            // "Industrie- und Handelskammer Halle-Dessau", "Freiwillige
            // Feuerwehr Treuenbrietzen"
            let volunteer = i > 0
                && !t.line_start
                && matches!(toks[i - 1].text, "Freiwillige" | "Freiwilligen");
            let a0 = truncated_pair_before(toks, i)
                .or(volunteer.then(|| i - 1))
                .unwrap_or(i);
            let mut norm = join(toks, a0, b);
            if volunteer {
                norm = nominative_adj(&norm);
            }
            out.push(cand(toks, a0, b, kind, norm, Source::Rule));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    #[test]
    fn a_district_named_by_its_landscape() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Im Eifelkreis Bitburg-Prüm und bei der Polizeiautobahnstation Kaiserslautern."
            ),
            [
                ("Eifelkreis Bitburg-Prüm".to_string(), "place"),
                ("Polizeiautobahnstation Kaiserslautern".to_string(), "org")
            ]
        );
        // Circles of people are no districts.
        assert!(run(
            &PlaceHeads,
            "Im Freundeskreis Müller und im Wahlkreis Meier."
        )
        .is_empty());
    }

    #[test]
    fn heads_and_places() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Im Landkreis Konstanz und im Kreis Gießen regnet es."
            ),
            [
                ("Landkreis Konstanz".to_string(), "place"),
                ("Kreis Gießen".to_string(), "place")
            ]
        );
        assert_eq!(
            run(
                &PlaceHeads,
                "Das Polizeipräsidium Konstanz meldet, das Bistum Limburg schweigt."
            ),
            [
                ("Polizeipräsidium Konstanz".to_string(), "org"),
                ("Bistum Limburg".to_string(), "org")
            ]
        );
        assert_eq!(
            run(&PlaceHeads, "Streik am Flughafen München."),
            [("Flughafen München".to_string(), "place")]
        );
    }

    #[test]
    fn a_district_council_by_its_district() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Der Kreistag des Kreises Plön stimmte zu, am Campus Kiel."
            ),
            [
                ("Kreistag des Kreises Plön".to_string(), "org"),
                ("Kreises Plön".to_string(), "place"),
                ("Campus Kiel".to_string(), "place")
            ]
        );
    }

    #[test]
    fn a_field_of_two_words_and_a_seat_with_its_region() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Der Landesbetrieb Straßenbau und Verkehr Schleswig-Holstein plant, \
                 die Staatsanwaltschaft Frankenthal (Pfalz) ermittelt."
            ),
            [
                (
                    "Landesbetrieb Straßenbau und Verkehr Schleswig-Holstein".to_string(),
                    "org"
                ),
                ("Staatsanwaltschaft Frankenthal (Pfalz)".to_string(), "org")
            ]
        );
    }

    #[test]
    fn two_seats_and_a_shared_head() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Flüge ab Flughafen Leipzig/Halle; die Industrie- und Handelskammer \
                 Halle-Dessau und die IHK München warnen."
            ),
            [
                ("Flughafen Leipzig/Halle".to_string(), "place"),
                (
                    "Industrie- und Handelskammer Halle-Dessau".to_string(),
                    "org"
                ),
                ("IHK München".to_string(), "org")
            ]
        );
    }

    #[test]
    fn rescue_services_by_their_seat() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Die Feuerwehr Cottbus und die Bergwacht Immenstadt halfen; \
                 die Feuerwehr Menschen nicht."
            ),
            [
                ("Feuerwehr Cottbus".to_string(), "org"),
                ("Bergwacht Immenstadt".to_string(), "org")
            ]
        );
        assert_eq!(
            run(
                &PlaceHeads,
                "Kräfte der Freiwilligen Feuerwehr Treuenbrietzen; der Landtag von Sachsen."
            ),
            [
                ("Freiwilligen Feuerwehr Treuenbrietzen".to_string(), "org"),
                ("Landtag von Sachsen".to_string(), "org")
            ]
        );
    }

    #[test]
    fn sites_by_their_proper_name() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Er liegt auf dem Friedhof Ohlsdorf, nahe dem Kraftwerk \
                 Jänschwalde und Schloss Bellevue, im Schlosses Sanssouci."
            ),
            [
                ("Friedhof Ohlsdorf".to_string(), "place"),
                ("Kraftwerk Jänschwalde".to_string(), "place"),
                ("Schloss Bellevue".to_string(), "place"),
                ("Schlosses Sanssouci".to_string(), "place")
            ]
        );
        assert_eq!(
            run(
                &PlaceHeads,
                "Stau vor der Anschlussstelle Stadtilm und am Autobahnkreuz Erfurt."
            ),
            [
                ("Anschlussstelle Stadtilm".to_string(), "place"),
                ("Autobahnkreuz Erfurt".to_string(), "place")
            ]
        );
        assert_eq!(
            run(
                &PlaceHeads,
                "Konzert in der Arena Berlin, Urlaub am Kap Arkona."
            ),
            [
                ("Arena Berlin".to_string(), "place"),
                ("Kap Arkona".to_string(), "place")
            ]
        );
        // A common word after the head is no name.
        assert!(run(&PlaceHeads, "Die Burg Tür an Tür mit dem Kloster Garten.").is_empty());
    }

    #[test]
    fn a_listed_place_of_several_words_after_the_head() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Im Landkreis Schwäbisch Hall und an der Anschlussstelle Bad Hersfeld."
            ),
            [
                ("Landkreis Schwäbisch Hall".to_string(), "place"),
                ("Anschlussstelle Bad Hersfeld".to_string(), "place")
            ]
        );
    }

    #[test]
    fn authorities_of_short_news_by_their_seat() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Das Regierungspräsidium Tübingen sperrt die Straße, das \
                 Gesundheitsamt Erding meldet zwei Fälle."
            ),
            [
                ("Regierungspräsidium Tübingen".to_string(), "org"),
                ("Gesundheitsamt Erding".to_string(), "org")
            ]
        );
        assert_eq!(
            run(
                &PlaceHeads,
                "Die PI Erding und die KPI Fürstenfeldbruck bitten um Hinweise."
            ),
            [
                ("PI Erding".to_string(), "org"),
                ("KPI Fürstenfeldbruck".to_string(), "org")
            ]
        );
        // Capitals alone are no head: "ARD Berlin", "PI" at the end.
        assert!(run(&PlaceHeads, "Laut ARD Berlin fehlt die PI.").is_empty());
    }

    #[test]
    fn the_landkreis_abbreviated_in_police_datelines() {
        for (text, name) in [
            ("RÖSLAU, LKR. WUNSIEDEL. Drei Bewohner", "LKR. WUNSIEDEL"),
            ("PLÖSSBERG, LKR.TIRSCHENREUTH; Ein Bub", "LKR.TIRSCHENREUTH"),
            ("Roding, Lkr. Cham. Ein Radfahrer", "Lkr. Cham"),
        ] {
            assert_eq!(
                run(&PlaceHeads, text),
                [(name.to_string(), "place")],
                "{text}"
            );
        }
        assert!(run(&PlaceHeads, "Die LKR. Sie").is_empty());
    }

    #[test]
    fn compound_heads_and_the_end_of_the_seat() {
        assert_eq!(
            run(
                &PlaceHeads,
                "Der Kriminaldauerdienst Mittelfranken übernahm. Rückfragen an: \
                 Polizeipräsidium Mittelfranken Pressestelle Telefon 0911"
            ),
            [
                ("Kriminaldauerdienst Mittelfranken".to_string(), "org"),
                ("Polizeipräsidium Mittelfranken".to_string(), "org")
            ]
        );
        assert_eq!(
            run(
                &PlaceHeads,
                "Das Polizeipräsidium Oberbayern Nord teilte mit."
            ),
            [("Polizeipräsidium Oberbayern Nord".to_string(), "org")]
        );
        assert_eq!(
            run(
                &PlaceHeads,
                "Die Polizeidirektion Süd ermittelt im Kreis Nord nicht."
            ),
            [("Polizeidirektion Süd".to_string(), "org")]
        );
    }

    #[test]
    fn a_common_noun_is_not_a_place() {
        assert!(run(&PlaceHeads, "Im Kreis Bürger fragen.").is_empty());
        assert!(run(&PlaceHeads, "Der Kreis Die Linke").is_empty());
    }
}
