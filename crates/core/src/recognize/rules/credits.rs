//! Photo credits: "Reuters/Johanna Geron", "Foto: dpa", "Bild: AFP/Max
//! Muster": an agency (known, or after a credit cue) glued to a slash, and
//! the photographer after it.

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join, single_word};
use crate::recognize::Cand;

const CREDIT_CUES: &[&str] = &[
    "Foto", "Fotos", "Bild", "Bilder", "Quelle", "Grafik", "Video",
];

pub(super) struct Credits;

impl Rule for Credits {
    fn name(&self) -> &'static str {
        "credits"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        for i in 0..toks.len() {
            // A regional desk after an agency in a dateline: "(dpa / lhe)".
            if toks[i].text == "/"
                && i >= 2
                && i + 2 < toks.len()
                && toks[i - 2].text == "("
                && toks[i + 2].text == ")"
                && (2..=4).contains(&toks[i + 1].text.len())
                && toks[i + 1].text.chars().all(|c| c.is_ascii_lowercase())
                && single_word(&r.d.names, toks[i - 1].text)
                    .is_some_and(|k| r.d.names.phrases[k as usize].kind == EntityKind::Org)
            {
                let desk = toks[i + 1].text.to_string();
                out.push(cand(
                    toks,
                    i + 1,
                    i + 2,
                    EntityKind::Org,
                    desk,
                    Source::Rule,
                ));
            }
            if toks[i].text != "/" || i == 0 || i + 1 >= toks.len() {
                continue;
            }
            let a = &toks[i - 1];
            if !a.word || a.end != toks[i].start {
                continue;
            }
            let agency_known = single_word(&r.d.names, a.text)
                .is_some_and(|k| r.d.names.phrases[k as usize].kind == EntityKind::Org);
            let cued = i >= 3 && toks[i - 2].text == ":" && CREDIT_CUES.contains(&toks[i - 3].text);
            if !(agency_known || cued) {
                continue;
            }
            if !agency_known {
                out.push(cand(
                    toks,
                    i - 1,
                    i,
                    EntityKind::Org,
                    a.text.to_string(),
                    Source::Rule,
                ));
            }
            // photographer: 2–3 capitalised words on the same line
            let mut j = i + 1;
            while j < toks.len() && j < i + 4 && toks[j].cap && !toks[j].line_start && !toks[j].caps
            {
                j += 1;
            }
            if j - (i + 1) >= 2 && toks[i + 1].start == toks[i].end {
                let norm = join(toks, i + 1, j);
                out.push(cand(toks, i + 1, j, EntityKind::Person, norm, Source::Rule));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run};
    use super::*;

    #[test]
    fn regional_desks_after_an_agency() {
        let got = super::super::testing::run(&Credits, "Gießen (dpa / lhe) - Nach einer Panne");
        assert_eq!(got, [("lhe".to_string(), "org")]);
        assert!(super::super::testing::run(&Credits, "(Kunde / von) ist").is_empty());
    }

    #[test]
    fn known_agency_and_photographer() {
        // the known agency is the gazetteer's; the rule adds the photographer
        assert_eq!(
            run(
                &Credits,
                "Jens Stoltenberg in Brüssel.\nReuters/Johanna Geron\n"
            ),
            pairs(&[("Johanna Geron", "person")])
        );
    }

    #[test]
    fn unknown_agency_after_a_credit_cue() {
        assert_eq!(
            run(&Credits, "Bild: Picturedesk/Max Muster"),
            pairs(&[("Picturedesk", "org"), ("Max Muster", "person")])
        );
    }

    #[test]
    fn an_uncued_slash_is_no_credit() {
        assert!(run(&Credits, "Die Kosten pro Monat/Jahr Summe stiegen.").is_empty());
        assert!(run(&Credits, "Picturedesk/Max Muster").is_empty());
    }
}
