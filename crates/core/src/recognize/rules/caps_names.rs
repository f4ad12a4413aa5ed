//! Known names written in capitals anywhere: "NEW YORK, NY and BERLIN,
//! GERMANY", "Foto: MARCO BELLO / REUTERS". A run of all-caps words is
//! read in title case and matched against the gazetteer (longest phrase
//! first); a single word must not be a common word in title case ("ESSEN
//! IST FERTIG" is a shouted headline, not the city). Datelines have their
//! own rule; this one covers the rest of the text.

use super::phrases::longest_listed_prefix;
use super::{Context, Rule};
use crate::model::Source;
use crate::recognize::lexicon::{cand, title_case};
use crate::recognize::Cand;

pub(super) struct CapsNames;

/// The longest run of caps words that still counts as one name.
const MAX_WORDS: usize = 4;

impl Rule for CapsNames {
    fn name(&self) -> &'static str {
        "caps-names"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        let caps_word = |k: usize| {
            let t = &toks[k];
            t.caps && t.text.chars().count() >= 2 && t.text.chars().all(char::is_alphabetic)
        };
        let mut i = 0;
        while i < toks.len() {
            if !caps_word(i) {
                i += 1;
                continue;
            }
            // the run of caps words on this line, from i
            let mut j = i + 1;
            while j < toks.len() && j < i + MAX_WORDS && caps_word(j) && !toks[j].line_start {
                j += 1;
            }
            let title: Vec<String> = toks[i..j].iter().map(|t| title_case(t.text)).collect();
            let hit = longest_listed_prefix(&r.d.names, &title);
            match hit {
                Some((n, k)) if n > 1 || !r.is_common(&title[0]) && !r.is_stop(&title[0]) => {
                    let p = &r.d.names.phrases[k as usize];
                    let norm = p.norm.to_string();
                    out.push(cand(toks, i, i + n, p.kind, norm, Source::Gazetteer));
                    i += n;
                }
                _ => i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use super::*;

    #[test]
    fn known_names_in_capitals() {
        let got = run(
            &CapsNames,
            "(Mynewsdesk) NEW YORK, NY and BERLIN, GERMANY -- Die",
        );
        assert!(got.contains(&("NEW YORK".to_string(), "place")), "{got:?}");
        assert!(got.contains(&("BERLIN".to_string(), "place")), "{got:?}");
    }

    #[test]
    fn shouted_common_words_are_not_names() {
        assert!(run(&CapsNames, "ESSEN IST FERTIG").is_empty());
    }
}
