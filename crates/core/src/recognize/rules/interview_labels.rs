//! Interview labels: a newspaper that puts its questions under its own
//! initials or name in capitals ("TA: Frau Köhler, …", "SZ: Herr Minister,
//! …", "STANDARD: Was …") names itself at the start of every question. A
//! word in capitals that opens two lines or more of a document, right before
//! a colon, is that organisation; section labels in capitals ("UPDATE:",
//! "FRAGE:") are none. The interviewee's label is a surname, which the
//! person rules and the consistency stage find.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::cand;
use crate::recognize::Cand;
use crate::text::words::Words;

/// Labels in capitals that name no one: parts of an article or a feed.
static GENERIC_LABELS: Words = Words::new(&[
    "FRAGE",
    "ANTWORT",
    "UPDATE",
    "INFO",
    "INFOS",
    "HINWEIS",
    "ACHTUNG",
    "FAZIT",
    "TIPP",
    "KOMMENTAR",
    "ANZEIGE",
    "FOTO",
    "QUELLE",
    "MEHR",
    "LESEN",
    "AKTUALISIERT",
    "EILMELDUNG",
    "BREAKING",
    "NEU",
    "WICHTIG",
    "TERMIN",
    "ORT",
    "ZEIT",
    "DATUM",
    "KONTAKT",
    "PRESSEKONTAKT",
    "SPORT",
    "WETTER",
    "POLITIK",
    "WIRTSCHAFT",
    "KULTUR",
    "LOKALES",
    "VERKEHR",
    "MELDUNG",
    "HINTERGRUND",
    "ZITAT",
    "TICKER",
    "LIVE",
    "VIDEO",
    "AUDIO",
    "PODCAST",
    "EDITORIAL",
    "NACHTRAG",
    "KORREKTUR",
    "Q",
    "A",
    "F",
]);

pub(super) struct InterviewLabels;

impl Rule for InterviewLabels {
    fn name(&self) -> &'static str {
        "interview-labels"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        let label = |i: usize| {
            let t = &toks[i];
            t.line_start
                && t.word
                && t.caps
                && (2..=12).contains(&t.text.chars().count())
                && toks
                    .get(i + 1)
                    .is_some_and(|c| c.text == ":" && c.start == t.end)
        };
        let labels: Vec<usize> = (0..toks.len()).filter(|&i| label(i)).collect();
        for &i in &labels {
            let w = toks[i].text;
            if GENERIC_LABELS.contains(w) || r.is_stop(w) {
                continue;
            }
            let repeated = labels.iter().filter(|&&k| toks[k].text == w).count() >= 2;
            if repeated {
                out.push(cand(
                    toks,
                    i,
                    i + 1,
                    EntityKind::Org,
                    w.to_string(),
                    Source::Rule,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run};
    use super::*;

    #[test]
    fn a_paper_asking_under_its_initials() {
        let t = "Der Bürgermeister im Gespräch.\nTA: Frau Köhler, wie kam es dazu?\n\
                 Köhler: Durch Zufall.\nTA: Und jetzt?\nKöhler: Wir bauen.";
        assert_eq!(
            run(&InterviewLabels, t),
            pairs(&[("TA", "org"), ("TA", "org")])
        );
    }

    #[test]
    fn one_label_or_a_section_label_is_none() {
        // Once: a shouted word at a line's start, not a speaker.
        assert!(run(
            &InterviewLabels,
            "ACHTUNG: Die Straße ist gesperrt.\nNAJA: gut."
        )
        .is_empty());
        assert!(run(
            &InterviewLabels,
            "UPDATE: Die Polizei meldet mehr.\nUPDATE: Die Straße ist frei."
        )
        .is_empty());
        // Not before a colon, or not at a line's start.
        assert!(run(&InterviewLabels, "Die TA: gut. Die TA: schlecht.").is_empty());
    }
}
