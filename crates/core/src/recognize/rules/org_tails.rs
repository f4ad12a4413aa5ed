//! Organisation tails: a name that any rule before this one found (the
//! gazetteers, the organisation patterns, the statistical tagger) and that
//! is directly followed by a legal form is an organisation including the
//! form ("Audi AG", "Deutsche Gesellschaft für Krisenmanagement e.V.",
//! "Nieding+Barth Rechtsanwaltsaktiengesellschaft"); an organisation
//! followed by "Online" is the publication's web edition ("Handelsblatt
//! Online"); a person's full name followed by "Theater", "Museum" or
//! "Stiftung" is the institution named after them ("Ernst Deutsch
//! Theater"); an organisation followed by the body it belongs to is one
//! name with it ("Welternährungsprogramm der Vereinten Nationen",
//! "Kulturstiftung des Bundes"). The legal-forms pattern only reads up to four capitalised words
//! without function words before a form; this reads whatever was found.
//! Reads the candidates of the rules before it, so it runs last.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{join, spells, with_lower};
use crate::recognize::{Cand, Tok};
use crate::text::words::Words;

/// Legal forms, spelled as their tokens are written together (no spaces).
static LEGAL_FORMS: Words = Words::new(&[
    "AG", "GmbH", "gGmbH", "mbH", "SE", "KG", "KGaA", "OHG", "eG", "e.V.", "eV", "Inc", "Inc.",
    "Ltd", "Ltd.", "LLC", "Corp", "Corp.", "plc", "PLC", "S.A.", "N.V.", "AS", "ASA", "AB", "Oy",
    "Oyj", "BV", "SpA",
]);

/// The end (token index) of a legal form starting at token `i`, if one does:
/// "e.V." may be several tokens, "GmbH & Co. KG" several words; a
/// compound ending in "aktiengesellschaft" is one.
fn legal_form_end(toks: &[Tok], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    if !t.word {
        return None;
    }
    if t.text.len() > "aktiengesellschaft".len()
        && with_lower(t.text, |l| l.ends_with("aktiengesellschaft"))
    {
        return Some(i + 1);
    }
    // Most words begin no form: no run to spell.
    if !LEGAL_FORMS.iter().any(|f| f.starts_with(t.text)) {
        return None;
    }
    // The longest run of adjacent tokens (no space between) spelling a form.
    let mut text = String::new();
    let mut end = None;
    for (k, u) in toks.iter().enumerate().skip(i).take(4) {
        if k > i && u.start != toks[k - 1].end {
            break;
        }
        text.push_str(u.text);
        if LEGAL_FORMS.contains(text.as_str()) {
            end = Some(k + 1);
        }
    }
    let end = end?;
    // "GmbH & Co. KG", "AG & Co. KGaA"
    let words: Vec<&str> = toks.iter().skip(end).take(4).map(|u| u.text).collect();
    if words.len() == 4
        && words[0] == "&"
        && words[1] == "Co"
        && words[2] == "."
        && matches!(words[3], "KG" | "KGaA" | "OHG")
    {
        return Some(end + 4);
    }
    Some(end)
}

/// The bodies an institution belongs to, after its name: "Welternährungsprogramm
/// der Vereinten Nationen", "Kulturstiftung des Bundes", "Gerichtshof der
/// Europäischen Union" (GermEval: the longest name wins).
const SOVEREIGNS: &[&[&str]] = &[
    &["der", "Vereinten", "Nationen"],
    &["der", "UN"],
    &["der", "UNO"],
    &["der", "Europäischen", "Union"],
    &["der", "EU"],
    &["der", "Afrikanischen", "Union"],
    &["der", "Arabischen", "Liga"],
    &["des", "Bundes"],
];

/// The end of a body's name spelled from token `i` on the same line.
fn sovereign_end(toks: &[Tok], i: usize) -> Option<usize> {
    if toks.get(i).is_none_or(|t| t.line_start) {
        return None;
    }
    SOVEREIGNS
        .iter()
        .find(|s| spells(toks, i, s))
        .map(|s| i + s.len())
}

pub(super) struct OrgTails;

impl Rule for OrgTails {
    fn name(&self) -> &'static str {
        "org-tails"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let toks = cx.toks;
        let mut more = Vec::new();
        for c in out.iter() {
            if c.t1 >= toks.len() || c.t1 == c.t0 || !toks[c.t1 - 1].word {
                continue;
            }
            // A form of its own is no name before a form ("AG AG").
            if legal_form_end(toks, c.t0) == Some(c.t1) {
                continue;
            }
            // The body after a name is no part of what it is called by
            // ("das WFP" is the Welternährungsprogramm der Vereinten
            // Nationen): the normalised name ends before it.
            let (end, named_end) = if let Some(end) = legal_form_end(toks, c.t1) {
                // "Autobahn GmbH des Bundes"
                let body = sovereign_end(toks, end).filter(|_| c.kind == EntityKind::Org);
                (body.unwrap_or(end), end)
            } else if let Some(end) =
                sovereign_end(toks, c.t1).filter(|_| c.kind == EntityKind::Org)
            {
                (end, c.t1)
            } else if c.kind == EntityKind::Org
                && matches!(toks[c.t1].text, "Online" | "ONLINE")
                && !toks[c.t1].line_start
                || c.kind == EntityKind::Person
                    && c.t1 - c.t0 >= 2
                    && matches!(toks[c.t1].text, "Theater" | "Museum" | "Stiftung")
                    && !toks[c.t1].line_start
            {
                (c.t1 + 1, c.t1 + 1)
            } else {
                continue;
            };
            let norm = if named_end > c.t1 {
                format!("{} {}", c.norm, join(toks, c.t1, named_end))
            } else {
                c.norm.clone()
            };
            more.push(Cand {
                rule: "",
                start: c.start,
                end: toks[end - 1].end,
                t0: c.t0,
                t1: end,
                kind: EntityKind::Org,
                norm,
                role: None,
                source: if c.source == Source::KnowledgeBase {
                    Source::KnowledgeBase
                } else {
                    Source::Rule
                },
                boost: false,
            });
        }
        out.extend(more);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run_seq};
    use super::super::{gazetteer::Gazetteer, ORGS};
    use super::*;

    fn run(text: &str) -> Vec<(String, &'static str)> {
        let mut got = run_seq(&[&Gazetteer, &ORGS, &OrgTails], text);
        got.retain(|(_, k)| *k == "org");
        got.sort();
        got.dedup();
        got
    }

    #[test]
    fn legal_form_after_a_found_name() {
        let got = run("Vorstand der Deutschen Gesellschaft für Krisenmanagement e.V. ist er.");
        assert!(
            got.contains(&(
                "Deutschen Gesellschaft für Krisenmanagement e.V.".to_string(),
                "org"
            )),
            "{got:?}"
        );
        let got = run("Die Klagen richten sich gegen die Volkswagen AG, die Audi\nAG und andere.");
        assert!(got.contains(&("Audi\nAG".to_string(), "org")), "{got:?}");
    }

    #[test]
    fn an_institution_named_after_a_person() {
        // (the tagger's full names too: "Ernst Deutsch Theater")
        let text = "Er sah das Ernst Barlach Museum in Wedel.";
        let got = run_seq(
            &[&Gazetteer, &super::super::PERSONS, &ORGS, &OrgTails],
            text,
        );
        assert!(
            got.contains(&("Ernst Barlach Museum".to_string(), "org")),
            "{got:?}"
        );
    }

    #[test]
    fn the_body_an_institution_belongs_to() {
        let got = run("Das Welternährungsprogramm der Vereinten Nationen kürzt.");
        assert!(
            got.contains(&(
                "Welternährungsprogramm der Vereinten Nationen".to_string(),
                "org"
            )),
            "{got:?}"
        );
        let got = run("Wir verhandeln mit der Autobahn GmbH des Bundes über die Zufahrt.");
        assert!(
            got.contains(&("Autobahn GmbH des Bundes".to_string(), "org")),
            "{got:?}"
        );
        // A place is not extended: "Berlin der EU" is no name.
        assert!(!run("die Rolle Berlins der EU gegenüber")
            .iter()
            .any(|(s, _)| s.contains("der EU")));
    }

    #[test]
    fn web_editions() {
        let got = run("Quelle: Handelsblatt Online");
        assert!(
            got.contains(&("Handelsblatt Online".to_string(), "org")),
            "{got:?}"
        );
    }

    #[test]
    fn no_tail_no_extension() {
        // A place before "Online" is not extended, nor a name before a word.
        assert_eq!(
            run("Audi meldet Gewinne, Berlin Online ist neu."),
            pairs(&[("Audi", "org")])
        );
    }

    #[test]
    fn legal_form_tokens() {
        let r = crate::recognize::Recognizer::global();
        for (text, want) in [
            ("X e.V. y", Some("e.V.")),
            ("X GmbH & Co. KG y", Some("GmbH & Co. KG")),
            ("X Inc. y", Some("Inc.")),
            (
                "X Rechtsanwaltsaktiengesellschaft y",
                Some("Rechtsanwaltsaktiengesellschaft"),
            ),
            ("X Gesellschaft y", None),
            ("X Agentur y", None),
        ] {
            let toks = r.token_facts(text, &crate::text::tokenize::tokenize(text));
            let got = legal_form_end(&toks, 1).map(|e| join(&toks, 1, e));
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }
}
