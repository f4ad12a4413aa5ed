//! Cars are products, not companies: a car make with a model ("VW Golf",
//! "BMW X1", "Audi A4 Avant", "Mercedes C-Klasse") or a make that the text
//! treats as a vehicle ("mit seinem Audi", "ein silberner Opel", "der VW
//! prallte gegen einen Baum") names a product, which the conventions count as
//! *other* (brands used as products). The readings of the rules before this
//! one on those tokens (the gazetteer's company "VW", the tagger's person
//! "Mercedes") give way to one *other* candidate; the user's knowledge base
//! and learned names are left alone. "BMW hat den Gewinn gesteigert", "bei
//! Audi", "die Volkswagen AG" stay companies. A bare make read as a vehicle
//! is the entity "Audi (Fahrzeug)", apart from the company, and (like every
//! reading decided by its context) is not spread to other occurrences by the
//! consistency stage. Rescue helicopters fly under the call sign
//! "Christoph" and a number ("mit dem Rettungshubschrauber Christoph 1"):
//! a vehicle too, not the person "Christoph". Reads (and prunes) the
//! candidates of the rules before it.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::cand;
use crate::recognize::{Cand, Tok};
use crate::text::words::Words;

/// Car and motorcycle makes (general knowledge), as written in German news.
/// Makes that are also common words or frequent names otherwise ("Smart",
/// "Mini", "MAN") are left out.
static MAKES: Words = Words::new(&[
    "Audi",
    "BMW",
    "VW",
    "Volkswagen",
    "Mercedes",
    "Mercedes-Benz",
    "Opel",
    "Ford",
    "Porsche",
    "Skoda",
    "Škoda",
    "Seat",
    "Cupra",
    "Toyota",
    "Nissan",
    "Honda",
    "Mazda",
    "Hyundai",
    "Kia",
    "Renault",
    "Peugeot",
    "Citroën",
    "Citroen",
    "Fiat",
    "Volvo",
    "Tesla",
    "Dacia",
    "Suzuki",
    "Mitsubishi",
    "Subaru",
    "Jeep",
    "Chevrolet",
    "Lexus",
    "Jaguar",
    "Ferrari",
    "Lamborghini",
    "Maserati",
    "Yamaha",
    "Kawasaki",
    "Ducati",
    "Harley-Davidson",
]);

/// Model names that carry no digit (general knowledge).
static MODELS: Words = Words::new(&[
    "Golf",
    "Polo",
    "Passat",
    "Tiguan",
    "Touran",
    "Touareg",
    "Caddy",
    "Transporter",
    "Sharan",
    "Arteon",
    "Up",
    "Corsa",
    "Astra",
    "Insignia",
    "Zafira",
    "Mokka",
    "Vectra",
    "Fiesta",
    "Focus",
    "Mondeo",
    "Transit",
    "Kuga",
    "Octavia",
    "Fabia",
    "Superb",
    "Kodiaq",
    "Yeti",
    "Leon",
    "Ibiza",
    "Clio",
    "Megane",
    "Mégane",
    "Twingo",
    "Kangoo",
    "Yaris",
    "Corolla",
    "Aygo",
    "Prius",
    "Micra",
    "Qashqai",
    "Cayenne",
    "Panamera",
    "Boxster",
    "Macan",
    "Taycan",
    "Carrera",
    "Punto",
    "Panda",
    "Sprinter",
    "Vito",
    "Viano",
    "Sandero",
    "Duster",
    "Logan",
    "Swift",
    "Civic",
    "Jazz",
    "Model",
    "Kombi",
    "Cabrio",
]);

/// Words that may follow a model ("Golf GTI", "A4 Avant", "X1 sDrive 18d").
static TRIMS: Words = Words::new(&[
    "GTI",
    "GTD",
    "TDI",
    "TSI",
    "Avant",
    "Variant",
    "Kombi",
    "Cabrio",
    "Coupé",
    "sDrive",
    "xDrive",
    "quattro",
    "Plus",
    "Sportback",
]);

/// Words directly before a make (or before one adjective before it) that
/// make it a vehicle: indefinite articles, possessives, masculine definite
/// articles (a car is "der Audi"; a company is "die Audi AG").
static VEHICLE_CUES: Words = Words::new(&[
    "ein", "einen", "einem", "eines", "der", "den", "dem", "des", "sein", "seinen", "seinem",
    "seines", "ihr", "ihren", "ihrem", "ihres", "mein", "meinen", "meinem", "unseren", "unserem",
    "dessen", "deren", "Ein", "Der", "Den", "Dem", "Sein", "Ihr",
]);

/// Words after a make that make it the company after all.
static COMPANY_TAILS: Words = Words::new(&[
    "AG",
    "SE",
    "GmbH",
    "Group",
    "Konzern",
    "Holding",
    "Bank",
    "Financial",
    "Deutschland",
    "&",
]);

fn is_model(t: &Tok) -> bool {
    let w = t.text;
    MODELS.contains(w)
        // "X1", "A4", "320d", "3er", "911", "iX3"
        || (w.len() <= 6 && w.bytes().any(|b| b.is_ascii_digit()) && w.bytes().all(|b| b.is_ascii_alphanumeric()))
        // "C-Klasse", "T-Roc", "ID.3" is split; "E-Klasse"
        || w.ends_with("-Klasse") || w == "T-Roc" || w == "T-Cross"
}

/// A lower-case adjective ending ("silbernen", "schwarzer", "neue").
fn is_adjective(t: &Tok) -> bool {
    t.word
        && !t.cap
        && (t.text.ends_with('e')
            || t.text.ends_with("en")
            || t.text.ends_with("er")
            || t.text.ends_with("es")
            || t.text.ends_with("em"))
}

/// The vehicle read at token `i` (a make), as a token range.
fn vehicle_at(toks: &[Tok], i: usize) -> Option<(usize, usize)> {
    // German air rescue helicopters: "Christoph 1" … "Christoph 112".
    if toks[i].text == "Christoph"
        && toks.get(i + 1).is_some_and(|n| {
            !n.line_start
                && (1..=3).contains(&n.text.len())
                && n.text.bytes().all(|b| b.is_ascii_digit())
        })
    {
        return Some((i, i + 2));
    }
    // Every make is capitalised and short: most tokens stop at the first test.
    if !toks[i].cap || toks[i].text.len() > 15 || !MAKES.contains(toks[i].text) {
        return None;
    }
    let next = toks.get(i + 1);
    if next.is_some_and(|n| COMPANY_TAILS.contains(n.text)) {
        return None;
    }
    let same_line = |k: usize| toks.get(k).is_some_and(|t| !t.line_start);
    if next.is_some_and(is_model) && same_line(i + 1) {
        let mut end = i + 2;
        while end < toks.len()
            && end < i + 5
            && same_line(end)
            && (TRIMS.contains(toks[end].text) || is_model(&toks[end]))
        {
            end += 1;
        }
        return Some((i, end));
    }
    let cue = |k: usize| VEHICLE_CUES.contains(toks[k].text);
    let cued = i >= 1 && cue(i - 1) || i >= 2 && is_adjective(&toks[i - 1]) && cue(i - 2);
    cued.then_some((i, i + 1))
}

pub(super) struct Vehicles;

impl Rule for Vehicles {
    fn name(&self) -> &'static str {
        "vehicles"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let toks = cx.toks;
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if let Some((a, b)) = vehicle_at(toks, i) {
                found.push((a, b));
                i = b;
            } else {
                i += 1;
            }
        }
        if found.is_empty() {
            return;
        }
        out.retain(|c| {
            matches!(c.source, Source::KnowledgeBase | Source::Learned)
                || c.kind == EntityKind::Other
                || !found.iter().any(|&(a, b)| c.t0 < b && a < c.t1)
        });
        for (a, b) in found {
            // A bare make is the vehicle, not the company: its own entity
            // ("Audi (Fahrzeug)"), which neither votes on the company's kind
            // nor links to it.
            let norm = if b == a + 1 {
                format!("{} (Fahrzeug)", toks[a].text)
            } else {
                toks[a..b]
                    .iter()
                    .map(|t| t.text)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            out.push(cand(toks, a, b, EntityKind::Other, norm, Source::Rule));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer::Gazetteer;
    use super::super::testing::{pairs, run, run_seq};
    use super::*;

    #[test]
    fn make_and_model_is_a_product() {
        assert_eq!(
            run(
                &Vehicles,
                "Ein VW Golf GTI und ein Audi A4 standen vor der Tür."
            ),
            pairs(&[("VW Golf GTI", "other"), ("Audi A4", "other")])
        );
        assert_eq!(
            run(&Vehicles, "Der neue Mercedes C-Klasse kostet mehr."),
            pairs(&[("Mercedes C-Klasse", "other")])
        );
    }

    #[test]
    fn a_make_read_as_a_vehicle_is_a_product() {
        assert_eq!(
            run(
                &Vehicles,
                "Eine Frau fuhr mit ihrem Opel nach Hause, als ein silberner Skoda entgegenkam."
            ),
            pairs(&[("Opel", "other"), ("Skoda", "other")])
        );
    }

    #[test]
    fn a_rescue_helicopter_is_no_person() {
        assert_eq!(
            run(
                &Vehicles,
                "Sie wurde mit dem Rettungshubschrauber Christoph 32 ins Klinikum geflogen."
            ),
            pairs(&[("Christoph 32", "other")])
        );
        assert!(run(&Vehicles, "Christoph Meier war 32 Jahre alt.").is_empty());
    }

    #[test]
    fn the_company_stays_a_company() {
        for t in [
            "BMW hat den Gewinn gesteigert.",
            "Er arbeitet seit Jahren bei Audi in Ingolstadt.",
            "Die Aktie der Volkswagen AG stieg.",
            "Der BMW Konzern meldet Zahlen.",
        ] {
            assert!(run(&Vehicles, t).is_empty(), "{t}");
        }
    }

    #[test]
    fn the_gazetteers_company_gives_way() {
        let got = run_seq(
            &[&Gazetteer, &Vehicles],
            "Der Fahrer eines VW verlor die Kontrolle. VW will nun Software prüfen.",
        );
        assert!(got.contains(&("VW".to_string(), "other")), "{got:?}");
        assert!(got.contains(&("VW".to_string(), "org")), "{got:?}");
        assert_eq!(
            got.iter().filter(|(_, k)| *k == "org").count(),
            1,
            "{got:?}"
        );
    }
}
