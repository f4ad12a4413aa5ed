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
            if toks.get(i + 1).is_some_and(|t| t.text == ":") && CREDIT_CUES.contains(&toks[i].text)
            {
                spaced_chain(cx, i + 2, out);
            }
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

/// "REUTERS" -> "Reuters".
fn title(w: &str) -> String {
    let mut c = w.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect()
    })
}

/// A credit of several sources set apart by spaced slashes after its cue:
/// "Foto: imago / Sven Simon / Max Muster", "Fotos: pa / augenklick / firo".
/// Every source followed by a slash is taken (a first name and a surname as
/// the photographer, else one or two words as an agency), and the last one
/// only when it is one word that ends the line or the sentence (where the
/// credit ends is not known otherwise). Slashes glued to the words are the
/// single credits above.
fn spaced_chain(cx: &Context<'_>, from: usize, out: &mut Vec<Cand>) {
    let (r, toks) = (cx.r, cx.toks);
    let mut a = from;
    let mut items: Vec<(usize, usize, bool)> = Vec::new();
    while a < toks.len() && !toks[a].line_start {
        let mut b = a;
        while b < toks.len() && b < a + 3 && toks[b].word && (b == a || !toks[b].line_start) {
            b += 1;
        }
        if b == a {
            break;
        }
        let slash = toks
            .get(b)
            .filter(|t| t.text == "/" && !t.line_start && t.start > toks[b - 1].end)
            .is_some();
        let ends = toks
            .get(b)
            .is_none_or(|t| t.line_start || matches!(t.text, "." | ")" | ","));
        items.push((a, b, slash || ends && b == a + 1));
        if !slash {
            break;
        }
        a = b + 1;
    }
    if items.len() < 2 {
        return;
    }
    let known_agency = |a: usize, b: usize| {
        b == a + 1
            && [toks[a].text.to_string(), title(toks[a].text)]
                .iter()
                .any(|w| {
                    single_word(&r.d.names, w)
                        .is_some_and(|k| r.d.names.phrases[k as usize].kind == EntityKind::Org)
                })
    };
    for (n, &(a, b, take)) in items.iter().enumerate() {
        if !take {
            continue;
        }
        // The photographer comes before the agency: "MAX MUSTER / REUTERS".
        let before_agency = items
            .get(n + 1)
            .is_some_and(|&(c, d, _)| known_agency(c, d));
        // "Max Muster", "MAX MUSTER"
        let first = toks[a].text;
        let person = b - a >= 2
            && toks[a..b].iter().all(|t| t.cap)
            && (r.is_first_name(first)
                || toks[a].caps && r.is_first_name(&title(first))
                || before_agency && b - a == 2);
        // An agency, not a word of the credit ("Archiv", "Privat").
        let agency = b - a <= 2
            && single_word(&r.d.names, first).is_none()
            && !(b == a + 1 && toks[a].cap && r.d.common.contains(first));
        if person {
            out.push(cand(
                toks,
                a,
                b,
                EntityKind::Person,
                join(toks, a, b),
                Source::Rule,
            ));
        } else if agency {
            out.push(cand(
                toks,
                a,
                b,
                EntityKind::Org,
                join(toks, a, b),
                Source::Rule,
            ));
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
    fn a_chain_of_spaced_sources() {
        assert_eq!(
            // (an agency not listed: "imago" is, and the gazetteer finds it)
            run(
                &Credits,
                "Fotos: photopool / Max Muster / pixelwerk\nDer Text"
            ),
            pairs(&[
                ("photopool", "org"),
                ("Max Muster", "person"),
                ("pixelwerk", "org")
            ])
        );
        // Where the last source ends is unknown: it is left out.
        assert_eq!(
            run(
                &Credits,
                "Foto: bildwerk / Studio Nord Anna Beispiel lacht."
            ),
            pairs(&[("bildwerk", "org")])
        );
        assert!(run(&Credits, "Foto: Max Muster").is_empty());
        assert_eq!(
            run(&Credits, "Foto: MAX MUSTER / Archiv\n"),
            pairs(&[("MAX MUSTER", "person")])
        );
        assert_eq!(
            run(&Credits, "Foto: QUIRIN BEISPIELMANN / REUTERS\n"),
            pairs(&[("QUIRIN BEISPIELMANN", "person"), ("REUTERS", "org")])
        );
    }

    #[test]
    fn an_uncued_slash_is_no_credit() {
        assert!(run(&Credits, "Die Kosten pro Monat/Jahr Summe stiegen.").is_empty());
        assert!(run(&Credits, "Picturedesk/Max Muster").is_empty());
    }
}
