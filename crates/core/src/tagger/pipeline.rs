//! Tagging token files with gazette's whole recognition pipeline (tokenizer,
//! tagger proposals, rules, gazetteers) instead of the tagger alone, so that
//! `gazette tag` and `gazette eval` measure what the product does.
//!
//! The file's tokens are joined with single spaces into a text, analysed,
//! and each name mention is mapped back onto the tokens it covers. A mention
//! that covers only part of a token (the "NATO" of "NATO-Truppen") becomes
//! GermEval's `-part` class (`B-ORGpart`), as the annotation guidelines have
//! it; derived adjectives are not mentions and stay `O`.

use crate::recognize::{Overrides, Proposal, Recognizer};
use crate::text::tokenize::tokenize;

/// Outer BIO tags for one sentence of tokens.
pub fn tag_sentence(words: &[&str]) -> Vec<String> {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(words.len());
    for w in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let s = text.len();
        text.push_str(w);
        spans.push((s, text.len()));
    }
    let tok = tokenize(&text);
    let proposals: Vec<Proposal> = super::Tagger::global()
        .spans(&text, &tok)
        .into_iter()
        .map(|(tokens, kind, score)| Proposal {
            tokens,
            kind,
            score,
        })
        .collect();
    let mentions = Recognizer::global().recognize(&text, &tok, &proposals, &Overrides::default());
    let mut tags = vec!["O".to_string(); words.len()];
    for m in mentions {
        let (ms, me) = (m.span.start as usize, m.span.end as usize);
        let covered: Vec<usize> = (0..words.len())
            .filter(|&i| spans[i].0 < me && ms < spans[i].1)
            .collect();
        let Some(&first) = covered.first() else {
            continue;
        };
        if covered.iter().any(|&i| tags[i] != "O") {
            continue;
        }
        let whole = spans[first].0 == ms && spans[*covered.last().unwrap()].1 == me;
        let class = m.kind.conll();
        if whole {
            for (k, &i) in covered.iter().enumerate() {
                tags[i] = format!("{}-{class}", if k == 0 { "B" } else { "I" });
            }
        } else if covered.len() == 1 {
            tags[first] = format!("B-{class}part");
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_and_partial_tokens() {
        let words = [
            "Die",
            "NATO-Truppen",
            "von",
            "Jens",
            "Stoltenberg",
            "sind",
            "in",
            "Brüssel",
            ".",
        ];
        let tags = tag_sentence(&words);
        assert_eq!(tags[1], "B-ORGpart");
        assert_eq!(tags[3], "B-PER");
        assert_eq!(tags[4], "I-PER");
        assert_eq!(tags[7], "B-LOC");
        assert_eq!(tags[0], "O");
    }
}
