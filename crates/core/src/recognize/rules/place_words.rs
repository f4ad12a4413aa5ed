//! Places named in one word by their head: districts, valleys, passes and
//! moors ("Hochsauerlandkreis", "Erzgebirgskreises", "Pustertal",
//! "Brennerpass", "Ahlenmoor"), stadiums, halls and bridges
//! ("Erzgebirgsstadion", "Ostseehalle", "Rahmedetalbrücke"), barrages and
//! dams ("Emssperrwerk", "Möhnetalsperre"). A word that
//! ends in such a head, is no common word, and whose first part is no
//! common word either ("Käuferkreis", "Seitental", "Reisepass",
//! "Sporthalle" are none) is a place; the genitive's -s or -es stays out of
//! the normalised name.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join, single_word, strip_suffix_ci, truncated_pair_before};
use crate::recognize::{Cand, Recognizer};

/// Heads, with their genitive forms.
const HEADS: &[(&str, &str)] = &[
    ("kreises", "kreis"),
    ("kreis", "kreis"),
    ("tals", "tal"),
    ("tal", "tal"),
    ("passes", "pass"),
    ("pass", "pass"),
    ("moores", "moor"),
    ("moors", "moor"),
    ("moor", "moor"),
    ("stadions", "stadion"),
    ("stadion", "stadion"),
    ("halle", "halle"),
    ("brücke", "brücke"),
    ("sperrwerks", "sperrwerk"),
    ("sperrwerk", "sperrwerk"),
    ("talsperre", "talsperre"),
    // Ice and bays: "Ekström-Schelfeis", "Aletschgletscher", "Atka-Bucht".
    ("schelfeises", "schelfeis"),
    ("schelfeis", "schelfeis"),
    ("gletschers", "gletscher"),
    ("gletscher", "gletscher"),
    ("bucht", "bucht"),
    ("halbinsel", "halbinsel"),
    ("stausees", "stausee"),
    ("stausee", "stausee"),
    // Named railway lines ("Murtalbahn", "Werdenfelsbahn") and seas
    // ("Weddellmeer"): a name before the head, not a noun ("Achterbahn",
    // "Lichtermeer").
    ("bahn", "bahn"),
    ("meer", "meer"),
];

pub(super) struct PlaceWords;

impl Rule for PlaceWords {
    fn name(&self) -> &'static str {
        "place-words"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        for (i, t) in toks.iter().enumerate() {
            if !t.cap || t.caps || !t.word {
                continue;
            }
            if let Some(norm) = place_word(r, t.text).or_else(|| compass_place(r, t.text)) {
                out.push(cand(toks, i, i + 1, EntityKind::Place, norm, Source::Rule));
            }
            // "Mittel- und Osteuropa", "Nord- und Süddeutschland": two places
            // sharing their last part are one name.
            if let Some(a) = truncated_pair_before(toks, i) {
                if shared_tail_place(r, toks[a].text, t.text) {
                    let norm = join(toks, a, i + 1);
                    out.push(cand(toks, a, i + 1, EntityKind::Place, norm, Source::Rule));
                }
            }
        }
    }
}

/// Whether `second` is a place and `first` with a last part of it is one
/// too ("Mittel" and "Osteuropa": "Mitteleuropa").
fn shared_tail_place(r: &Recognizer, first: &str, second: &str) -> bool {
    let place = |w: &str| r.is_known_place(w) || compass_place(r, w).is_some();
    place(second)
        && second
            .char_indices()
            .skip(2)
            .filter(|(_, c)| c.is_lowercase())
            .any(|(k, _)| {
                let tail = &second[k..];
                tail.chars().count() >= 4 && place(&format!("{first}{tail}"))
            })
}

/// The normalised name of `w` when it is such a place.
pub(super) fn place_word(r: &Recognizer, w: &str) -> Option<String> {
    let (stem, head) = HEADS
        .iter()
        .find_map(|(s, head)| Some((strip_suffix_ci(w, s)?, *head)))?;
    let name_like = |p: &str| {
        p.chars().count() >= 3
            && p.chars().next().is_some_and(char::is_uppercase)
            && !r.is_common(p)
            && !r.is_stop(p)
    };
    if r.is_common(w) || single_word(&r.d.names, w).is_some() || r.d.surnames.contains(w) {
        return None;
    }
    if let Some(before) = stem.strip_suffix('-') {
        // "Rhein-Sieg-Kreis": the head on its own, a name before it
        return before
            .split('-')
            .any(name_like)
            .then(|| format!("{stem}{}", head_cap(head)));
    }
    // The last part of a hyphenated word decides ("Online-Portal" is none).
    let last = w.rsplit('-').next().unwrap_or(w);
    let first = &last[..last.len() - (w.len() - stem.len())];
    // the first part without a linking s ("Erzgebirgs-"), a name
    let bare = first.strip_suffix('s').filter(|s| s.chars().count() >= 3);
    // ("Brenner" is also a burner: a pass's first part may be a noun)
    let checked = |p: &str| {
        p.chars().count() >= 3
            && p.chars().next().is_some_and(char::is_uppercase)
            && (head == "pass" && !r.d.common.contains(&p.to_lowercase()) || name_like(p))
    };
    if r.is_common(last) || !checked(first) || bare.is_some_and(|b| !checked(b)) {
        return None;
    }
    if matches!(head, "bahn" | "meer") && (r.compound_of_common(first) || w.contains('-')) {
        return None;
    }
    Some(format!("{stem}{head}"))
}

/// Compass points that make one word with a place ("Ostukraine",
/// "Nordsyrien", "Südpfalz", "Westberlin").
const COMPASS_PREFIXES: &[&str] = &[
    "Nordost", "Nordwest", "Südost", "Südwest", "Nord", "Süd", "Ost", "West",
];

/// The normalised name of `w` when it is a compass point and a known place
/// in one word, also in the genitive ("Ostukraines"); none where the word
/// is listed or common ("Ostern", "Westen").
pub(super) fn compass_place(r: &Recognizer, w: &str) -> Option<String> {
    let rest = COMPASS_PREFIXES.iter().find_map(|p| w.strip_prefix(p))?;
    let mut c = rest.chars();
    let first = c.next().filter(|c| c.is_lowercase())?;
    let place: String = first.to_uppercase().chain(c).collect();
    if place.chars().count() < 4 || r.is_common(w) || single_word(&r.d.names, w).is_some() {
        return None;
    }
    if r.is_known_place(&place) {
        return Some(w.to_string());
    }
    let stem = crate::recognize::lexicon::strip_gen(&place)?;
    r.is_known_place(stem).then(|| w[..w.len() - 1].to_string())
}

fn head_cap(head: &str) -> String {
    let mut c = head.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run};
    use super::*;

    #[test]
    fn two_places_sharing_their_last_part() {
        let got = run(
            &PlaceWords,
            "Zuwächse in Mittel- und Osteuropa, in Nord- und Süddeutschland, Kinder- und Jugendärzte.",
        );
        assert!(
            got.contains(&("Mittel- und Osteuropa".to_string(), "place")),
            "{got:?}"
        );
        assert!(
            got.contains(&("Nord- und Süddeutschland".to_string(), "place")),
            "{got:?}"
        );
        assert!(!got.iter().any(|(s, _)| s.contains("Kinder")), "{got:?}");
    }

    #[test]
    fn districts_valleys_passes_moors_buildings() {
        assert_eq!(
            run(
                &PlaceWords,
                "Im Hochsauerlandkreis, im Pustertal, am Brennerpass, im Ahlenmoor, \
                 im Erzgebirgsstadion, in der Nordseehalle, am Emssperrwerk und an der \
                 Möhnetalsperre."
            ),
            pairs(&[
                ("Hochsauerlandkreis", "place"),
                ("Pustertal", "place"),
                ("Brennerpass", "place"),
                ("Ahlenmoor", "place"),
                ("Erzgebirgsstadion", "place"),
                ("Nordseehalle", "place"),
                ("Emssperrwerk", "place"),
                ("Möhnetalsperre", "place")
            ])
        );
        assert_eq!(
            run(
                &PlaceWords,
                "Die Murtalbahn fährt, im Weddellmeer treibt Eis, die Achterbahn steht, die S-Bahn auch."
            ),
            pairs(&[("Murtalbahn", "place"), ("Weddellmeer", "place")])
        );
        assert_eq!(
            run(
                &PlaceWords,
                "Vom Ekström-Schelfeis zur Atka-Bucht, am Aletschgletscher; die Meeresbucht nicht."
            ),
            pairs(&[
                ("Ekström-Schelfeis", "place"),
                ("Atka-Bucht", "place"),
                ("Aletschgletscher", "place")
            ])
        );
    }

    #[test]
    fn a_compass_point_and_a_place_in_one_word() {
        assert_eq!(
            run(
                &PlaceWords,
                "In der Ostukraine, in Nordsyrien und im Süden der Ostukraines \
                 Ostern, im Westen, am Südwind."
            ),
            pairs(&[
                ("Ostukraine", "place"),
                ("Nordsyrien", "place"),
                ("Ostukraines", "place")
            ])
        );
        let r = Recognizer::global();
        assert_eq!(
            compass_place(r, "Ostukraines").as_deref(),
            Some("Ostukraine")
        );
    }

    #[test]
    fn genitives_keep_the_name() {
        let r = Recognizer::global();
        assert_eq!(
            place_word(r, "Erzgebirgskreises").as_deref(),
            Some("Erzgebirgskreis")
        );
        assert_eq!(place_word(r, "Nassachtals").as_deref(), Some("Nassachtal"));
        assert_eq!(
            place_word(r, "Main-Taunus-Kreises").as_deref(),
            Some("Main-Taunus-Kreis")
        );
    }

    #[test]
    fn compounds_of_common_nouns_are_none() {
        let r = Recognizer::global();
        for w in [
            "Käuferkreis",
            "Freundeskreis",
            "Landkreis",
            "Seitental",
            "Bachtal",
            "Reisepass",
            "Kapital",
            "Hospital",
            "Online-Portal",
            "Spass",
            "Freipass",
            "Sporthalle",
        ] {
            assert_eq!(place_word(r, w), None, "{w}");
        }
    }
}
