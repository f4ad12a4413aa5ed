//! Companies by legal form: "Deutsche Bank AG", "Siemens AG", "Acme Ltd":
//! up to four capitalised words before a legal form. A sub-rule of the orgs
//! scan (see `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::EntityKind;
use crate::recognize::lexicon::{rule_cand, single_word};
use crate::recognize::Cand;
use crate::text::words::Words;

static ORG_SUFFIXES: Words = Words::new(&[
    "AG", "GmbH", "SE", "KG", "KGaA", "mbH", "eG", "Inc", "Ltd", "Corp", "LLC", "plc", "PLC", "SA",
    "NV", "Holding", "Group", "AS", "ASA", "AB", "Oy", "Oyj", "BV", "SpA", "Zrt", "Nyrt", "Kft",
    "gGmbH",
]);

/// Abbreviations inside company names, written with a dot.
const NAME_ABBREVIATIONS: &[&str] = &["Bros", "Co", "Corp", "Intl", "Mfg"];

/// A common noun saying what kind of company follows, or what it is to
/// the story ("Softwareunternehmen", "Autokonzern", "Start-up",
/// "Autozulieferers", "Finanzinvestor", "Hauptsponsor"), in any case.
pub(super) fn type_noun(w: &str) -> bool {
    let l = w.to_lowercase();
    // The noun itself, or with a case ending.
    let ends = |s: &str| {
        ["", "s", "es", "en", "n"]
            .iter()
            .any(|e| l.strip_suffix(e).is_some_and(|l| l.ends_with(s)))
    };
    [
        "unternehmen",
        "konzern",
        "firma",
        "hersteller",
        "anbieter",
        "dienstleister",
        "zulieferer",
        "startup",
        "start-up",
        "händler",
        "versicherer",
        "betrieb",
        "kanzlei",
        "werft",
        "investor",
        "sponsor",
        "käufer",
        "bieter",
        "konkurrent",
        "rivale",
        "eigentümer",
        "gläubiger",
        "auftraggeber",
        "geldgeber",
        "lieferant",
        "betreiber",
        "versorger",
        // "der Lohnfertiger X Ltd.", "die Güterverkehrstochter DB Cargo AG"
        "fertiger",
        "tochter",
        "mutter",
        "partner",
        "kunde",
        "spezialist",
        "produzent",
        "entwickler",
        // "der Marktführer Datev eG", "des Planungsbüros X GmbH"
        "marktführer",
        "wettbewerber",
        "büro",
        // "das Wiener Brokerhaus X AG", "die Risikokapitalgesellschaft X
        // GmbH", "die Vermögensverwaltung X GmbH"
        "brokerhaus",
        "geldhaus",
        "kapitalgesellschaft",
        "beteiligungsgesellschaft",
        "vermögensverwaltung",
        "vermögensverwalter",
    ]
    .iter()
    .any(|s| ends(s))
}

pub(super) struct LegalForms;

impl TokenRule for LegalForms {
    fn name(&self) -> &'static str {
        "legal-forms"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        // "BlackRock, Inc.": a comma may stand before an English form.
        let comma = i > 1
            && toks[i - 1].text == ","
            && toks[i - 2].cap
            && matches!(t.text, "Inc" | "Ltd" | "LLC" | "Corp" | "plc" | "SA" | "NV");
        // "dpa-infocom GmbH", "eBay Inc.": a name written in lower case.
        let lower_name = |k: usize| {
            let w = toks[k].text;
            toks[k].word
                && (w.contains('-') || w.chars().skip(1).any(char::is_uppercase))
                && !r.is_stop(w)
        };
        // "Nordtherm A/S": the Danish and Norwegian form, three tokens.
        let slash_form = t.text == "A"
            && toks.get(i + 2).is_some_and(|s| {
                toks[i + 1].text == "/"
                    && s.text == "S"
                    && toks[i + 1].start == t.end
                    && s.start == toks[i + 1].end
            });
        if (ORG_SUFFIXES.contains(t.text) || slash_form)
            && i > 0
            && (toks[i - 1].cap || comma || lower_name(i - 1))
            && !t.line_start
        {
            let head = if comma { i - 1 } else { i };
            let mut a = head;
            while a > 0 && a + 4 > head && !toks[a].line_start {
                // "Warner Bros. Entertainment GmbH": an abbreviation's dot.
                let dot = a >= 2
                    && toks[a - 1].text == "."
                    && toks[a - 1].start == toks[a - 2].end
                    && NAME_ABBREVIATIONS.contains(&toks[a - 2].text);
                // "Lechfeld Pflege & Betreuung GmbH", "Bank Wolfensberg &
                // Cie AG": an ampersand between capitalised words.
                let amp = toks[a - 1].text == "&"
                    && a >= 2
                    && a < head
                    && toks[a - 2].cap
                    && !toks[a - 2].line_start;
                let word = amp
                    || toks[a - 1].cap
                    && !r.is_stop(toks[a - 1].text)
                    // "das Münchner Softwareunternehmen Kelvio GmbH": the
                    // type noun before the name stays outside ("Axel
                    // Springer Verlag GmbH": not next to the form).
                    && !(a < head && type_noun(toks[a - 1].text));
                if !(dot || word) {
                    break;
                }
                a -= 1;
            }
            if a == head && a > 0 && !toks[a].line_start && lower_name(a - 1) {
                a -= 1;
            }
            // "thyssenkrupp Steel Europe AG": a listed company written in
            // lower case opens the name.
            if a < head
                && a > 0
                && !toks[a].line_start
                && toks[a - 1].word
                && !toks[a - 1].cap
                && single_word(&r.d.names, toks[a - 1].text)
                    .is_some_and(|k| r.d.names.phrases[k as usize].kind == EntityKind::Org)
            {
                a -= 1;
            }
            if a < head {
                let mut b = if slash_form { i + 3 } else { i + 1 };
                // "Inc." keeps its dot.
                if matches!(
                    t.text,
                    "Inc" | "Ltd" | "Corp" | "Co" | "Zrt" | "Nyrt" | "Kft"
                ) && toks
                    .get(b)
                    .is_some_and(|d| d.text == "." && d.start == t.end)
                {
                    b += 1;
                }
                // "GmbH & Co. KG"
                if toks.len() > b + 3
                    && toks[b].text == "&"
                    && toks[b + 1].text == "Co"
                    && toks[b + 2].text == "."
                    && matches!(toks[b + 3].text, "KG" | "KGaA" | "OHG")
                {
                    b += 4;
                }
                out.push(rule_cand(toks, a, b, EntityKind::Org));
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
    fn an_abbreviation_inside_the_name() {
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Abmahnung der Warner Bros. Entertainment GmbH wegen Filesharing."
            ),
            pairs(&[("Warner Bros. Entertainment GmbH", "org")])
        );
        // A sentence's end is no abbreviation.
        assert_eq!(
            run_in(&ORGS, &LegalForms, "Es kam die Bahn. Acme GmbH zahlt."),
            pairs(&[("Acme GmbH", "org")])
        );
    }

    #[test]
    fn type_nouns_of_finance_and_hungarian_forms() {
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Analystin vom Wiener Brokerhaus Donaupark Capital Markets AG, \
                 die Münchner Risikokapitalgesellschaft Isarvolt Capital GmbH \
                 und die Erste Bank Hungary Zrt. zahlen."
            ),
            pairs(&[
                ("Donaupark Capital Markets AG", "org"),
                ("Isarvolt Capital GmbH", "org"),
                ("Erste Bank Hungary Zrt.", "org")
            ])
        );
    }

    #[test]
    fn nordic_and_dutch_legal_forms() {
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Die Werft gehört der Fjellstad Holding AS, Zulieferer ist Nordvik AB."
            ),
            // "Holding" is a form too: the longer reading wins in `select`.
            pairs(&[
                ("Fjellstad Holding", "org"),
                ("Fjellstad Holding AS", "org"),
                ("Nordvik AB", "org")
            ])
        );
    }

    #[test]
    fn a_type_noun_before_the_name_stays_outside() {
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Das Münchner Softwareunternehmen Kelvio GmbH wächst."
            ),
            pairs(&[("Kelvio GmbH", "org")])
        );
        assert_eq!(
            run_in(&ORGS, &LegalForms, "Bei der Axel Springer Verlag GmbH."),
            pairs(&[("Axel Springer Verlag GmbH", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Die Güterverkehrstochter DB Cargo AG und der Lohnfertiger Sundaram Lifesciences Ltd."
            ),
            pairs(&[
                ("DB Cargo AG", "org"),
                ("Sundaram Lifesciences Ltd.", "org")
            ])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Gegen den Marktführer Datev eG und laut des Grazer Planungsbüros Murtal Consult GmbH."
            ),
            pairs(&[("Datev eG", "org"), ("Murtal Consult GmbH", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Die Lechfeld Pflege & Betreuung GmbH kaufte die Nordtherm A/S."
            ),
            pairs(&[
                ("Lechfeld Pflege & Betreuung GmbH", "org"),
                ("Nordtherm A/S", "org")
            ])
        );
        assert_eq!(
            run_in(&ORGS, &LegalForms, "Bei der thyssenkrupp Steel Europe AG."),
            pairs(&[("thyssenkrupp Steel Europe AG", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Der Familienbetrieb Lehmann Metallbau GmbH stellt ein."
            ),
            pairs(&[("Lehmann Metallbau GmbH", "org")])
        );
        // What the company is to the story, in the genitive too.
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Die Klage des Autozulieferers Kälberer Präzisionstechnik GmbH und der \
                 Hauptsponsor Autohaus Kramer GmbH."
            ),
            pairs(&[
                ("Kälberer Präzisionstechnik GmbH", "org"),
                ("Autohaus Kramer GmbH", "org")
            ])
        );
    }

    #[test]
    fn commas_dots_co_kg_and_lower_case_names() {
        assert_eq!(
            run_in(&ORGS, &LegalForms, "Die BlackRock, Inc. aus Wilmington"),
            pairs(&[("BlackRock, Inc.", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "die German Pellets Supply GmbH & Co. KG zahlt"
            ),
            pairs(&[("German Pellets Supply GmbH & Co. KG", "org")])
        );
        assert_eq!(
            run_in(&ORGS, &LegalForms, "Quelle: dpa-infocom GmbH"),
            pairs(&[("dpa-infocom GmbH", "org")])
        );
    }

    #[test]
    fn names_before_a_legal_form() {
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Die Deutsche Bank AG und die Siemens AG meldeten Gewinne."
            ),
            pairs(&[("Deutsche Bank AG", "org"), ("Siemens AG", "org")])
        );
        assert_eq!(
            run_in(
                &ORGS,
                &LegalForms,
                "Er verkaufte an Acme Widgets Ltd und ging."
            ),
            pairs(&[("Acme Widgets Ltd", "org")])
        );
    }

    #[test]
    fn stops_at_a_function_word() {
        assert_eq!(
            run_in(&ORGS, &LegalForms, "Das meldete Die Volkswagen AG."),
            pairs(&[("Volkswagen AG", "org")])
        );
    }

    #[test]
    fn a_bare_legal_form_is_no_name() {
        assert!(run_in(&ORGS, &LegalForms, "Eine AG ist keine GmbH.").is_empty());
    }
}
