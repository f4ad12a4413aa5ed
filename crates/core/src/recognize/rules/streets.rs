//! Street names: "Schwanitzstraße", "Mozartgasse", "Alexanderplatz",
//! "Goetheweg", "Schillerring" (a name before a street word; not a common
//! compound like "Hauptstraße", "Marktplatz" or "Staudamm"), and names
//! joined by hyphens before a capitalised street word ("Martin-Luther-Ring",
//! "Konrad-Adenauer-Straße"). A common compound is a street where the text
//! says so, as police reports do: with a house number ("in der Hauptstraße
//! 12"), joined to another street by a slash ("Kreuzung
//! Hauptstraße/Bahnhofstraße"), or a -straße, -gasse or -allee after "in
//! der" or "an der" ("der Geldautomat an der Hauptstraße"). A place's adjective before a street word
//! is one name: "Potsdamer Platz", "Leipziger Straße", "Frankfurter Tor".
//! A sub-rule of the persons scan (see
//! `rules/mod.rs`): a first name claims its tokens first.

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::cand;
use crate::recognize::Cand;
use crate::text::words::Words;

pub(super) struct Streets;

impl TokenRule for Streets {
    fn name(&self) -> &'static str {
        "streets"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        // The street word of this token, looked for once.
        let like = std::cell::OnceCell::new();
        let like = || *like.get_or_init(|| street_like(t.text));
        let named = || {
            let w = t.text;
            like().is_some_and(|stem| {
                !(r.is_common(stem)
                    || r.is_common(stem.trim_end_matches('s'))
                    // "Stoffwechselweg": a common compound before "-weg", "-ring".
                    || LATE_STREET_WORDS.iter().any(|s| w.ends_with(s)) && r.common_compound(stem))
            }) && !r.is_common(w)
                || hyphenated_street(w)
        };
        // A common compound with a house number, or slashed to a street.
        let said = || {
            like().is_some_and(|stem| !is_road_type(stem))
                // "Tabellenplatz 3", "Listenplatz 12": ranks, not addresses.
                && (!t.text.ends_with("platz")
                    && toks.get(i + 1).is_some_and(|n| is_house_number(n.text))
                    || toks.get(i + 1).is_some_and(|n| n.text == "/")
                        && toks
                            .get(i + 2)
                            .is_some_and(|n| street_like(n.text).is_some())
                    || i >= 2 && toks[i - 1].text == "/" && street_like(toks[i - 2].text).is_some()
                    // "In der Hauptstraße ist der Bach …", "an der
                    // Hauptstraße": a street of the
                    // town, common compound or not.
                    || i >= 2
                        && toks[i - 1].text == "der"
                        && matches!(toks[i - 2].text, "in" | "In" | "an" | "An")
                        && ["straße", "strasse", "gasse", "allee"]
                            .iter()
                            .any(|e| t.text.ends_with(e)))
        };
        // "Potsdamer Platz": an adjective of a place (-er, no common word)
        // and a street word of its own.
        if t.text.ends_with("er")
            && toks.get(i + 1).is_some_and(|n| {
                !n.line_start && n.start == t.end + 1 && STREET_NOUNS.contains(n.text)
            })
            && t.text.chars().count() >= 5
            && (!r.is_common(t.text) || r.is_place_adjective(t.text))
            && !r.is_stop(t.text)
        {
            out.push(cand(
                toks,
                i,
                i + 2,
                EntityKind::Place,
                format!("{} {}", t.text, toks[i + 1].text),
                Source::Rule,
            ));
            return Some(i + 2);
        }
        if !t.initial && (named() || said()) {
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

/// Street words written apart after a place's adjective.
static STREET_NOUNS: Words = Words::new(&[
    "Straße", "Strasse", "Platz", "Allee", "Chaussee", "Damm", "Tor", "Brücke", "Ring", "Ufer",
]);

/// Street words that also end common compounds ("Stoffwechselweg",
/// "Boxring"): the name before them is no compound of a common noun.
const LATE_STREET_WORDS: &[&str] = &["weg", "ring", "stieg", "ufer"];

/// Words that end a street name.
static STREET_WORDS: Words = Words::new(&[
    "straße", "strasse", "gasse", "allee", "chaussee", "platz", "damm", "weg", "ring", "stieg",
    "ufer",
]);

/// "Martin-Luther-Ring", "Konrad-Adenauer-Straße": capitalised parts joined
/// by hyphens, the last a street word.
fn hyphenated_street(w: &str) -> bool {
    let Some((before, last)) = w.rsplit_once('-') else {
        return false;
    };
    // Function words inside, never first: "Haid-und-Neu-Straße".
    let function = |p: &str| {
        matches!(
            p,
            "und"
                | "am"
                | "an"
                | "auf"
                | "bei"
                | "der"
                | "dem"
                | "den"
                | "des"
                | "die"
                | "im"
                | "in"
                | "von"
                | "vom"
                | "zum"
                | "zur"
        )
    };
    last.chars().next().is_some_and(char::is_uppercase)
        && STREET_WORDS.contains(last.to_lowercase().as_str())
        && before.split('-').enumerate().all(|(k, p)| {
            k > 0 && function(p)
                || p.chars().count() >= 2 && p.chars().next().is_some_and(char::is_uppercase)
        })
}

/// Whether `w` names a street ("Ludwigstraße", "Konrad-Adenauer-Allee").
pub(super) fn is_street(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && (street_like(w).is_some() || hyphenated_street(w))
}

/// Roads numbered by their type ("Bundesstraße 27", "Kreisstraße 12"):
/// the roads rule's, not a street with a house number.
fn is_road_type(stem: &str) -> bool {
    [
        "Bundes", "Landes", "Staats", "Kreis", "Land", "Gemeinde", "Autobahn",
    ]
    .iter()
    .any(|r| stem.trim_end_matches('-') == *r)
}

/// "12", "5a": one to three digits, a letter after them at most.
fn is_house_number(w: &str) -> bool {
    let digits = w.chars().take_while(char::is_ascii_digit).count();
    let rest = &w[digits..];
    (1..=3).contains(&digits)
        && !w.starts_with('0')
        && (rest.is_empty() || rest.len() == 1 && rest.chars().all(|c| c.is_ascii_lowercase()))
}

/// Street names: "Schwanitzstraße", "Alexanderplatz".
/// Returns the part before the street word ("Schwanitz"). Before "-ring"
/// and "-weg" the name is longer ("Schillerring", "Goetheweg"): surnames
/// end so too ("Mehring", "Hartweg"). A vowel before "-ring" makes an
/// English gerund ("Engineering", "Filesharing", "Monitoring").
fn street_like(w: &str) -> Option<&str> {
    let last = w.as_bytes().last();
    STREET_WORDS.iter().find_map(|s| {
        // The last letters first: most words end in none of them.
        if s.as_bytes().last() != last {
            return None;
        }
        let stem = w.strip_suffix(s)?.trim_end_matches('-');
        let min = if matches!(s, "ring" | "weg") { 5 } else { 3 };
        let gerund = s == "ring" && stem.ends_with(['a', 'e', 'i', 'o', 'u']);
        (stem.chars().count() >= min && !gerund).then_some(stem)
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
        assert!(run_in(
            &PERSONS,
            &Streets,
            "Die Kanzlei mahnt wegen Filesharing ab, die Firma sucht Engineering."
        )
        .is_empty());
    }

    #[test]
    fn a_place_adjective_and_a_street_word() {
        assert_eq!(
            run_in(
                &PERSONS,
                &Streets,
                "Fans am Potsdamer Platz und in der Leipziger Straße."
            ),
            pairs(&[("Potsdamer Platz", "place"), ("Leipziger Straße", "place")])
        );
        assert!(run_in(&PERSONS, &Streets, "Ein neuer Platz, ein anderer Ring.").is_empty());
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
    fn more_street_words_and_hyphenated_names() {
        assert_eq!(
            run_in(
                &PERSONS,
                &Streets,
                "Es brannte am Goetheweg, am Schillerring und am Martin-Luther-Ring, \
                 gesperrt war die Konrad-Adenauer-Straße."
            ),
            pairs(&[
                ("Goetheweg", "place"),
                ("Schillerring", "place"),
                ("Martin-Luther-Ring", "place"),
                ("Konrad-Adenauer-Straße", "place")
            ])
        );
        assert_eq!(
            run_in(
                &PERSONS,
                &Streets,
                "Der Sitz ist in der Haid-und-Neu-Straße."
            ),
            pairs(&[("Haid-und-Neu-Straße", "place")])
        );
        assert_eq!(
            run_in(
                &PERSONS,
                &Streets,
                "In der Hauptstraße ist es laut, die Hauptstraße auch."
            ),
            pairs(&[("Hauptstraße", "place")])
        );
        assert!(run_in(
            &PERSONS,
            &Streets,
            "Der Rückweg, der Boxring, der Stoffwechselweg und das Rheinufer-Projekt."
        )
        .is_empty());
    }

    #[test]
    fn common_compounds_with_a_house_number_or_a_slash() {
        assert_eq!(
            run_in(
                &PERSONS,
                &Streets,
                "In der Hauptstraße 12 und in der Schulstraße 5a wurde eingebrochen, \
                 an der Kreuzung Lindenstraße/Bahnhofstraße krachte es."
            ),
            pairs(&[
                ("Hauptstraße", "place"),
                ("Schulstraße", "place"),
                ("Lindenstraße", "place"),
                ("Bahnhofstraße", "place")
            ])
        );
        // A road by its type and number is the roads rule's; a year is no
        // house number.
        assert!(run_in(
            &PERSONS,
            &Streets,
            "Die Bundesstraße 27 und die Hauptstraße 2015 waren nass, Platz 3 ging an \
             ihn, Tabellenplatz 5 an sie."
        )
        .is_empty());
    }

    #[test]
    fn street_stem() {
        assert_eq!(street_like("Schwanitzstraße"), Some("Schwanitz"));
        assert_eq!(street_like("Hauptstraße"), Some("Haupt"));
        assert_eq!(street_like("Gasse"), None);
        assert_eq!(street_like("Mehring"), None);
        assert_eq!(street_like("Schillerring"), Some("Schiller"));
        assert_eq!(street_like("Engineering"), None);
        assert_eq!(street_like("Filesharing"), None);
        assert_eq!(street_like("Monitoring"), None);
    }
}
