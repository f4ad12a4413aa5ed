//! Media whose names are also common words: "der Spiegel", "Bild", "Die
//! Zeit", "Stern", "Focus". Such a word is a newspaper or magazine only
//! where the text says so: in quotation marks on its own („Bild“), after
//! "laut" ("laut Spiegel"), or after an article with reporting around it
//! ("wie der Spiegel berichtete", "sagte er dem Spiegel", "der Zeit
//! zufolge", "nach Recherchen des Spiegels"). "Er sah in den Spiegel" and
//! "Die Zeit drängt" stay words. A sub-rule of the orgs scan (see
//! `rules/mod.rs`).

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::cand;
use crate::recognize::{Cand, Tok};
use crate::text::words::Words;

/// Titles that are common nouns, as each is named ("Spiegel" for "Der
/// Spiegel"); unambiguous titles are in the media gazetteer.
const TITLES: &[&str] = &[
    "Spiegel", "Bild", "Zeit", "Welt", "Stern", "Focus", "Blick", "Kurier", "Standard", "Presse",
    "Freitag", "Cicero", "Capital", "Bunte",
];

/// Verbs and words of reporting right after the title: "der Spiegel
/// berichtete", "der Zeit zufolge".
static AFTER: Words = Words::new(&[
    "berichtete",
    "berichtet",
    "berichten",
    "berichteten",
    "meldete",
    "meldet",
    "schreibt",
    "schrieb",
    "zufolge",
    "enthüllte",
    "veröffentlichte",
    "zitiert",
    "zitierte",
    "titelte",
    "titelt",
    "kommentierte",
    "kommentiert",
    "erfuhr",
    "vorliegt",
    "vorlag",
    "vorliegen",
    "vorlagen",
    "sagte",
    "sagten",
    "gesagt",
    "erklärte",
    "Interview",
    "-Interview",
    "Redaktion",
]);

/// Words of reporting shortly before the article: "sagte er dem Spiegel", "gegenüber der Bild", "nach Recherchen des Spiegels".
static BEFORE: Words = Words::new(&[
    "gegenüber",
    "Gegenüber",
    "Interview",
    "Informationen",
    "Recherchen",
    "Bericht",
    "Angaben",
    "sagte",
    "sagt",
    "erklärte",
    "betonte",
    "verriet",
    "Magazin",
    "Nachrichtenmagazin",
    "Wochenzeitung",
    "Zeitung",
    "Boulevardzeitung",
    "Blatt",
    "Wochenmagazin",
    "Illustrierte",
]);

const ARTICLES: &[&str] = &["der", "Der", "dem", "des", "den", "die", "Die"];

const OPENING_QUOTES: &[&str] = &["„", "\"", "«", "»", "‚", "“"];
const CLOSING_QUOTES: &[&str] = &["“", "\"", "»", "«", "‘", "”"];

/// The title a token names: "Spiegel", or "Spiegels" in the genitive.
fn title(text: &str) -> Option<&'static str> {
    let stem = text.strip_suffix('s').unwrap_or(text);
    TITLES.iter().copied().find(|&t| t == text || t == stem)
}

pub(super) struct MediaNames;

impl TokenRule for MediaNames {
    fn name(&self) -> &'static str {
        "media-names"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let toks = cx.toks;
        let name = title(toks[i].text)?;
        if is_media(toks, i) {
            let norm = name.to_string();
            out.push(cand(toks, i, i + 1, EntityKind::Org, norm, Source::Rule));
        }
        None
    }
}

fn is_media(toks: &[Tok], i: usize) -> bool {
    let text = |k: usize| toks.get(k).map_or("", |t| t.text);
    let before = |k: usize| if k <= i { text(i - k) } else { "" };
    // Within the sentence: a cue word before the article.
    let cue_before = (2..=4).any(|k| {
        k <= i && (i + 1 - k..i).all(|j| !toks[j].line_start) && BEFORE.contains(before(k))
    });
    let quoted = OPENING_QUOTES.contains(&before(1)) && CLOSING_QUOTES.contains(&text(i + 1));
    let after_laut = matches!(before(1), "laut" | "Laut");
    // "wie der Spiegel am Montag berichtete": a reporting verb later in the clause.
    let as_reported = matches!(before(2), "wie" | "Wie")
        && (i + 1..toks.len().min(i + 6))
            .take_while(|&j| toks[j].word && !toks[j].line_start)
            .any(|j| AFTER.contains(text(j)));
    let cued = AFTER.contains(text(i + 1)) || cue_before || as_reported;
    quoted || after_laut || (ARTICLES.contains(&before(1)) && cued)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{norms_in, pairs, run_in};
    use super::super::ORGS;
    use super::*;

    #[test]
    fn a_title_where_the_text_reports_from_it() {
        for text in [
            "Das Treffen fand statt, wie der Spiegel berichtete.",
            "Das Treffen fand statt, wie der Spiegel am Montag berichtete.",
            "Das sagte er dem Spiegel am Montag.",
            "Der Spiegel berichtet über die Pläne.",
            "Laut Spiegel sind es mehr.",
            "Das Blatt „Spiegel“ schrieb darüber.",
            "Gegenüber dem Spiegel sagte sie nichts.",
        ] {
            assert_eq!(
                run_in(&ORGS, &MediaNames, text),
                pairs(&[("Spiegel", "org")]),
                "{text}"
            );
        }
        assert_eq!(
            norms_in(
                &ORGS,
                &MediaNames,
                "Nach Recherchen des Spiegels ist das falsch."
            ),
            [("Spiegels".to_string(), "Spiegel".to_string())]
        );
        assert_eq!(
            run_in(
                &ORGS,
                &MediaNames,
                "Der Zeit zufolge war es anders. Die Bild meldete Zahlen."
            ),
            pairs(&[("Zeit", "org"), ("Bild", "org")])
        );
    }

    #[test]
    fn the_same_words_as_words() {
        for text in [
            "Er sah in den Spiegel und ging.",
            "Das Bild zeigt einen Hafen.",
            "Die Zeit drängt, sagte sie.",
            "Die Welt schaut auf Kiew.",
            "Ein Stern leuchtet am Himmel.",
            "Der Spiegel hing an der Wand.",
            "Wie die Zeit vergeht.",
        ] {
            assert!(run_in(&ORGS, &MediaNames, text).is_empty(), "{text}");
        }
    }
}
