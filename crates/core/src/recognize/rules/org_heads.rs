//! Institutions "für" something: "Institut für Weltwirtschaft", "Deutsches
//! Institut für Wirtschaftsforschung", "Bundesministerium für Bildung und
//! Forschung": an institution word (or compound ending in one) before "für"
//! and its field. A sub-rule of the orgs scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join, looks_adj, nominative_adj, truncated_pair_before};
use crate::recognize::{Cand, Recognizer};

const ORG_HEADS: &[&str] = &[
    "organisation",
    "institut",
    "ministerium",
    "amt",
    "stiftung",
    "verband",
    "kommission",
    "agentur",
    "gesellschaft",
    "zentrum",
    "akademie",
    "komitee",
    "behörde",
    "dienst",
    "vereinigung",
    "gewerkschaft",
    "universität",
    "hochschule",
    "bank",
    "fonds",
    "rat",
    "bund",
    "partei",
    "forum",
    "anstalt",
];

/// Heads that also name an organisation with a genitive complement:
/// "Hauptverband der Deutschen Bauindustrie", "Gewerkschaft der Polizei",
/// "Bund der Steuerzahler" (not "Zentrum der Stadt": too generic).
const GENITIVE_HEADS: &[&str] = &[
    "verband",
    "gewerkschaft",
    "zentralrat",
    "vereinigung",
    "kammer",
    "akademie",
    "partei",
    "institut",
    // "Kulturstiftung des Bundes", "Museum der bildenden Künste",
    // "Nationalgalerie der Staatlichen Museen zu Berlin"
    "stiftung",
    "museum",
    "galerie",
];

/// Territories in the genitive that a body's name is "of" ("des Kantons
/// Zürich"): without their name after them, no part of the body's name.
const TERRITORIES: &[&str] = &[
    "Kantons",
    "Landes",
    "Bundeslandes",
    "Stadt",
    "Kreises",
    "Landkreises",
    "Bezirks",
    "Gemeinde",
    "Freistaats",
    "Freistaates",
];

/// Chambers of a court, named by the court they belong to.
const COURT_CHAMBERS: &[&str] = &[
    "strafkammer",
    "zivilkammer",
    "jugendkammer",
    "schwurgerichtskammer",
];

/// Heads of associations and bodies named by an adjective alone:
/// "Österreichischer Skiverband", "Deutscher Gewerkschaftsbund",
/// "Mitteldeutscher Rundfunk", "Deutscher Wetterdienst", "Bayerisches
/// Landeskriminalamt"; and the cultural institutions of [`CULTURAL`].
const ASSOCIATIONS: &[&str] = &["verband", "bund", "rundfunk", "wetterdienst", "kriminalamt"];

/// Cultural institutions named by an adjective alone: "Neue
/// Nationalgalerie", "Alte Pinakothek", "Jüdisches Museum", "Bayerische
/// Staatsoper", "Deutsches Theater".
const CULTURAL: &[&str] = &[
    "galerie",
    "pinakothek",
    "kunsthalle",
    "philharmonie",
    "museum",
    "oper",
    "theater",
    // "Staatliche Kunstsammlungen", "Staatliche Museen"
    "sammlungen",
    "museen",
];

/// Whether `w` ends in an association head, also in the genitive ("-verband",
/// "-verbands", "-verbandes"), ASCII case aside; allocates nothing.
fn association_ending(w: &str) -> bool {
    let b = w.as_bytes();
    ASSOCIATIONS.iter().chain(CULTURAL).any(|h| {
        ["", "s", "es"].iter().any(|g| {
            let n = h.len() + g.len();
            b.len() >= n
                && b[b.len() - n..b.len() - g.len()].eq_ignore_ascii_case(h.as_bytes())
                && b[b.len() - g.len()..] == *g.as_bytes()
        })
    })
}

/// "Neue", "Alten", "Staatliche" before a cultural institution ("Neue
/// Nationalgalerie", "Alte Pinakothek", "Staatliche Kunsthalle"): adjectives
/// `looks_adj` does not know, capitalised inside a sentence.
fn institution_adj(adj: &str, head: &str) -> bool {
    const STEMS: &[&str] = &[
        "neu",
        "alt",
        "staatlich",
        "städtisch",
        "königlich",
        "groß",
        "klein",
    ];
    let head = head.to_lowercase();
    let cultural = CULTURAL.iter().any(|h| head.contains(h));
    let l = adj.to_lowercase();
    cultural
        && ["es", "er", "en", "e"]
            .iter()
            .find_map(|e| l.strip_suffix(e))
            .is_some_and(|stem| STEMS.contains(&stem))
}

/// A city's adjective before an art hall or concert hall, which such
/// houses are officially named by ("Hamburger Kunsthalle", "Kölner
/// Philharmonie"; not "Leipziger Oper": the house is "Oper Leipzig").
fn city_institution(r: &Recognizer, adj: &str, head: &str) -> bool {
    let head = head.to_lowercase();
    ["kunsthalle", "philharmonie"]
        .iter()
        .any(|h| head.ends_with(h) || head.strip_suffix('s').is_some_and(|s| s.ends_with(h)))
        && r.is_place_adjective(adj)
}

pub(super) struct OrgHeads;

impl TokenRule for OrgHeads {
    fn name(&self) -> &'static str {
        "org-heads"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        let link = toks.get(i + 1).map(|n| n.text);
        // "den Österreichischen Skiverband", "der Deutsche Gewerkschaftsbund":
        // a capitalised adjective inside the sentence and an association.
        if t.cap
            && !t.caps
            && i > 0
            && !t.line_start
            && !matches!(link, Some("für" | "der" | "des"))
            && toks[i - 1].cap
            && !toks[i - 1].initial
            && !toks[i - 1].line_start
            // No allocation at every word: the head's ending first.
            && association_ending(t.text)
            && (looks_adj(toks[i - 1].text)
                || institution_adj(toks[i - 1].text, t.text)
                || city_institution(r, toks[i - 1].text, t.text))
            && !r.is_stop(toks[i - 1].text)
        {
            let lower = t.text.to_lowercase();
            let stem = ["es", "s", ""].iter().find_map(|s| {
                lower
                    .strip_suffix(s)
                    .filter(|w| ASSOCIATIONS.iter().chain(CULTURAL).any(|h| w.ends_with(h)))
            });
            if let Some(stem) = stem {
                let mut norm = nominative_adj(&join(toks, i - 1, i + 1));
                norm.truncate(norm.len() - (lower.len() - stem.len()));
                // A cultural institution's seat after it: "Staatliche
                // Kunstsammlungen Dresden".
                let cultural = CULTURAL.iter().any(|h| stem.ends_with(h));
                let seat = toks
                    .get(i + 1)
                    .filter(|n| cultural && n.cap && !n.line_start && r.is_known_place(n.text));
                let end = match seat {
                    Some(n) => {
                        norm = format!("{norm} {}", n.text);
                        i + 2
                    }
                    None => i + 1,
                };
                out.push(cand(toks, i - 1, end, EntityKind::Org, norm, Source::Rule));
            }
        }
        if t.cap && matches!(link, Some("für" | "der" | "des")) {
            let lower = t.text.to_lowercase();
            let heads = if link == Some("für") {
                ORG_HEADS
            } else {
                GENITIVE_HEADS
            };
            // The head also in the genitive: "des Bundes der Steuerzahler",
            // "des Instituts für Krisenforschung", "des Verbandes der …".
            let stems = [
                Some(lower.as_str()),
                lower.strip_suffix("es"),
                lower.strip_suffix('s'),
            ];
            // A court's chamber is the court's ("die Strafkammer des
            // Landgerichts Traunstein"): not a name of its own.
            let chamber =
                |s: &str| link != Some("für") && COURT_CHAMBERS.iter().any(|c| s.ends_with(c));
            // A fund named by its purpose is a programme ("Härtefallfonds
            // für Ostdeutschland"); "Fonds für …" itself may be a body.
            let programme = |s: &str| s.len() > "fonds".len() && s.ends_with("fonds");
            let is_head = |s: &str| {
                !chamber(s)
                    && !programme(s)
                    && (heads.iter().any(|h| s.ends_with(h)) || link != Some("für") && s == "bund")
            };
            let stem = stems.iter().position(|s| s.is_some_and(is_head));
            // "eine Stiftung des öffentlichen Rechts": a kind, no name.
            let indefinite = i > 0
                && matches!(
                    toks[i - 1].text.to_lowercase().as_str(),
                    "ein" | "eine" | "einer" | "einem" | "eines" | "einen"
                );
            let stem = stem.filter(|_| !indefinite);
            // Austria's state offices: "Amt der Steiermärkischen
            // Landesregierung", "Amt der Tiroler Landesregierung".
            if lower == "amt"
                && link == Some("der")
                && toks.get(i + 2).is_some_and(|n| n.cap)
                && toks.get(i + 3).is_some_and(|n| n.text == "Landesregierung")
            {
                let norm = join(toks, i, i + 4);
                out.push(cand(toks, i, i + 4, EntityKind::Org, norm, Source::Rule));
                return None;
            }
            let field = toks.get(i + 2).is_some_and(|n| n.cap && !r.is_stop(n.text));
            // "Institut der deutschen Wirtschaft": an adjective before the field
            let adj_field = toks.get(i + 2).is_some_and(|n| {
                n.word
                    && !n.cap
                    && !r.is_stop(n.text)
                    && ["e", "en", "er", "es", "em"]
                        .iter()
                        .any(|e| n.text.ends_with(e))
            }) && toks
                .get(i + 3)
                .is_some_and(|n| n.cap && !n.line_start && !r.is_stop(n.text));
            if let Some(stem) = stem.filter(|_| field || adj_field) {
                let mut b = i + 3 + usize::from(adj_field);
                loop {
                    if b < toks.len()
                        && b < i + 6
                        && toks[b].cap
                        && !toks[b].line_start
                        && !r.is_stop(toks[b].text)
                    {
                        b += 1;
                    } else if b + 1 < toks.len()
                        && matches!(toks[b].text, "und" | "in" | "," | "der" | "des")
                        && toks[b + 1].cap
                        && !r.is_stop(toks[b + 1].text)
                        // "Amt für Wirtschaft des Kantons": the body it
                        // belongs to, named by no name, is no part of it.
                        && !(matches!(toks[b].text, "der" | "des")
                            && TERRITORIES.contains(&toks[b + 1].text)
                            && !toks
                                .get(b + 2)
                                .is_some_and(|n| !n.line_start && r.is_known_place(n.text)))
                        // A comma only inside a list ("für Umwelt,
                        // Naturschutz und …"), not before an apposition
                        // ("des Bundes der Steuerzahler, Reiner Holznagel").
                        && (toks[b].text != ","
                            || toks.get(b + 2).is_some_and(|n| matches!(n.text, "und" | ",")))
                        // "… für Marine Mikrobiologie in Bremen": the seat
                        // is no part of the name.
                        && !(toks[b].text == "in"
                            && r.is_known_place(toks[b + 1].text))
                    {
                        b += 2;
                    } else if b + 2 < toks.len()
                        && toks[b].text == "in"
                        && toks[b + 1].text == "der"
                        && toks[b + 2].cap
                        // "… Tourismus in der Ludwigstraße": the address
                        // is no part of the name.
                        && !super::streets::is_street(toks[b + 2].text)
                    {
                        b += 3;
                    } else if b + 2 < toks.len()
                        && truncated_pair_before(toks, b + 2) == Some(b - 1)
                    {
                        // "der Kinder- und Jugendärzte"
                        b += 3;
                    } else if b + 1 < toks.len()
                        && toks[b].text == "zu"
                        && r.is_known_place(toks[b + 1].text)
                    {
                        // "Staatliche Museen zu Berlin", "Universität zu Köln"
                        b += 2;
                    } else {
                        break;
                    }
                }
                let mut a = i;
                if a > 0
                    && toks[a - 1].cap
                    && !toks[a - 1].line_start
                    && ["es", "er", "e", "en"]
                        .iter()
                        .any(|s| toks[a - 1].text.ends_with(s))
                    && !r.is_stop(toks[a - 1].text)
                    && looks_adj(toks[a - 1].text)
                {
                    a -= 1;
                }
                let mut norm = join(toks, a, b);
                if a < i {
                    norm = nominative_adj(&norm);
                }
                // The head in the nominative: "Bund der …" for "Bundes der …".
                let cut = [0, 2, 1][stem];
                if cut > 0 {
                    let at = norm.len() - join(toks, i, b).len() + t.text.len();
                    norm.replace_range(at - cut..at, "");
                }
                out.push(cand(toks, a, b, EntityKind::Org, norm, Source::Rule));
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
    fn a_pair_sharing_its_last_word_in_the_complement() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Der Präsident des Berufsverbands der Kinder- und Jugendärzte warnt."
            ),
            pairs(&[("Berufsverbands der Kinder- und Jugendärzte", "org")])
        );
    }

    #[test]
    fn austrian_state_offices_and_a_territory_outside_the_name() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Sie war im Amt der Steiermärkischen Landesregierung, er leitet \
                 die Förderung im Amt für Wirtschaft des Kantons."
            ),
            pairs(&[
                ("Amt der Steiermärkischen Landesregierung", "org"),
                ("Amt für Wirtschaft", "org")
            ])
        );
    }

    #[test]
    fn an_adjective_and_an_association() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Sie fuhr für den Österreichischen Skiverband und kritisierte den Verband."
            ),
            pairs(&[("Österreichischen Skiverband", "org")])
        );
        assert!(run_in(&ORGS, &OrgHeads, "Europäische Verbände klagen.").is_empty());
    }

    #[test]
    fn an_adjective_and_a_cultural_institution() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Die Schau in der Neuen Nationalgalerie und der Alten Pinakothek."
            ),
            pairs(&[
                ("Neuen Nationalgalerie", "org"),
                ("Alten Pinakothek", "org")
            ])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Das Bayerische Landeskriminalamt ermittelt."
            ),
            pairs(&[("Bayerische Landeskriminalamt", "org")])
        );
        // "neu" only before a cultural institution
        assert!(run_in(&ORGS, &OrgHeads, "Sie will einen Neuen Bund gründen.").is_empty());
    }

    #[test]
    fn art_halls_by_their_city_and_collections_with_their_seat() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Leihgaben der Hamburger Kunsthalle und der Staatlichen Kunstsammlungen Dresden, nicht der Leipziger Oper."
            ),
            pairs(&[
                ("Hamburger Kunsthalle", "org"),
                ("Staatlichen Kunstsammlungen Dresden", "org")
            ])
        );
    }

    #[test]
    fn museums_and_foundations_with_a_genitive() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Leihgaben aus der Nationalgalerie der Staatlichen Museen zu Berlin, gefördert von der Kulturstiftung des Bundes."
            ),
            pairs(&[
                ("Nationalgalerie der Staatlichen Museen zu Berlin", "org"),
                // the inner name too; the longer one wins the selection
                ("Staatlichen Museen", "org"),
                ("Kulturstiftung des Bundes", "org")
            ])
        );
        assert_eq!(
            run_in(&ORGS, &OrgHeads, "Im Museum der bildenden Künste Leipzig."),
            pairs(&[("Museum der bildenden Künste Leipzig", "org")])
        );
        // A kind of body, not a name.
        assert!(run_in(
            &ORGS,
            &OrgHeads,
            "Sie ist eine Stiftung des öffentlichen Rechts."
        )
        .is_empty());
    }

    #[test]
    fn head_with_a_genitive() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Der Hauptverband der Deutschen Bauindustrie warnt."
            ),
            pairs(&[("Hauptverband der Deutschen Bauindustrie", "org")])
        );
        assert_eq!(
            run_in(&ORGS, &OrgHeads, "Laut Bund der Steuerzahler"),
            pairs(&[("Bund der Steuerzahler", "org")])
        );
        assert!(run_in(&ORGS, &OrgHeads, "Im Zentrum der Stadt").is_empty());
        assert!(run_in(&ORGS, &OrgHeads, "Trotz des Zentrums der Stadt").is_empty());
        // A court's chamber is no name of its own.
        assert!(run_in(
            &ORGS,
            &OrgHeads,
            "Die Wirtschaftsstrafkammer des Landgerichts Traunstein tagt."
        )
        .is_empty());
    }

    #[test]
    fn head_in_the_genitive() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Die Vorsitzende des Bundes der Strafvollzugsbediensteten Hessen sprach."
            ),
            pairs(&[("Bundes der Strafvollzugsbediensteten Hessen", "org")])
        );
        let got = super::super::testing::norms_in(
            &ORGS,
            &OrgHeads,
            "Laut Sprechern des Verbandes der Automobilindustrie und des Instituts für Wirtschaft.",
        );
        let norms: Vec<&str> = got.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            norms,
            ["Verband der Automobilindustrie", "Institut für Wirtschaft"]
        );
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Direktor des Krisennavigator-Instituts für Krisenforschung, ein Spin-Off."
            ),
            pairs(&[("Krisennavigator-Instituts für Krisenforschung", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Ein Sprecher des Verbandes der Automobilindustrie."
            ),
            pairs(&[("Verbandes der Automobilindustrie", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Ökonomen des Instituts der deutschen Wirtschaft rechnen."
            ),
            pairs(&[("Instituts der deutschen Wirtschaft", "org")])
        );
        // an apposition after a comma is no part of the name
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Der Präsident des Bundes der Steuerzahler, Reiner Holznagel, sprach."
            ),
            pairs(&[("Bundes der Steuerzahler", "org")])
        );
    }

    #[test]
    fn head_fuer_field() {
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Laut dem Institut für Weltwirtschaft wächst die Wirtschaft."
            ),
            pairs(&[("Institut für Weltwirtschaft", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Das Bundesministerium für Bildung und Forschung zahlt."
            ),
            pairs(&[("Bundesministerium für Bildung und Forschung", "org")])
        );
        // An address after the name is no part of it.
        assert_eq!(
            run_in(
                &ORGS,
                &OrgHeads,
                "Vor dem Ministerium für Ernährung und Forsten in der Ludwigstraße."
            ),
            pairs(&[("Ministerium für Ernährung und Forsten", "org")])
        );
    }

    #[test]
    fn adjective_before_the_head_in_the_nominative() {
        let got = super::super::testing::norms_in(
            &ORGS,
            &OrgHeads,
            "Laut der Deutschen Gesellschaft für Auswärtige Politik stimmt das.",
        );
        assert_eq!(
            got,
            [(
                "Deutschen Gesellschaft für Auswärtige Politik".to_string(),
                "Deutsche Gesellschaft für Auswärtige Politik".to_string()
            )]
        );
    }

    #[test]
    fn other_words_before_fuer_are_no_org() {
        assert!(run_in(
            &ORGS,
            &OrgHeads,
            "Das Geld für Schulen und der Plan für Berlin."
        )
        .is_empty());
    }
}
