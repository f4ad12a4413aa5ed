//! The learned lexicon: what the user's annotations say about a surface,
//! carried to the rest of the corpus.
//!
//! A surface the user annotated as a kind (`"Quaxel AG"` as organisation)
//! becomes a corpus-wide candidate for exactly that surface (whole words,
//! case-sensitive, a genitive -s allowed, as the gazetteers match): it
//! ranks above the gazetteers', the rules' and the tagger's readings of the
//! same length, below the knowledge base, and a user's annotation at the
//! very span wins over it as over everything ([`super::apply`]). A surface
//! the user marked `not-a-name` removes the machine's gazetteer, rule and
//! tagger readings of exactly that surface elsewhere (the knowledge base
//! and the lexicon's own names stay).
//!
//! A surface the user labelled in several ways is decided by majority: it
//! is learned only when one label was given more often than every other
//! (a tie teaches nothing). A surface of one character, or without a
//! letter, is not learned as a name. Lower-case names are learned ("dpa",
//! "t-online.de"): annotating a lower-case word as a name is deliberate.

use super::{Annotations, Label};
use crate::model::EntityKind;
use std::collections::BTreeMap;

/// What the store teaches the recognizer, in a deterministic order
/// (sorted by surface).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LearnedNames {
    /// Surfaces the user annotated as this kind (by majority).
    pub names: Vec<(String, EntityKind)>,
    /// Surfaces the user marked `not-a-name` (by majority).
    pub not_names: Vec<String>,
}

impl LearnedNames {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.not_names.is_empty()
    }
}

/// Index of a label in the vote counts.
fn slot(l: Label) -> usize {
    match l {
        Label::Person => 0,
        Label::Place => 1,
        Label::Organisation => 2,
        Label::Other => 3,
        Label::NotAName => 4,
    }
}

/// Can `s` be learned as a name? At least two characters, a letter among
/// them.
fn nameish(s: &str) -> bool {
    s.chars().count() >= 2 && s.chars().any(char::is_alphabetic)
}

/// The learned lexicon of `annotations` (see the module's documentation).
pub fn learned(annotations: &Annotations) -> LearnedNames {
    let mut votes: BTreeMap<&str, [u32; 5]> = BTreeMap::new();
    for (_, a) in annotations.iter() {
        let s = a.exact.trim();
        if s.is_empty() || s.len() != a.exact.len() || s.contains('\n') {
            continue;
        }
        // Inside a word ("US" heading "US-Dollar"): what holds of the
        // compound says nothing of the word alone.
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
        if glued(a.prefix.chars().next_back()) || glued(a.suffix.chars().next()) {
            continue;
        }
        votes.entry(s).or_default()[slot(a.label)] += 1;
    }
    let mut out = LearnedNames::default();
    for (s, v) in votes {
        let best = (0..5).max_by_key(|&i| (v[i], 5 - i)).unwrap_or(0);
        if (0..5).any(|i| i != best && v[i] >= v[best]) {
            continue; // a tie: the user's word is split
        }
        match Label::ALL[best].kind() {
            Some(kind) if nameish(s) => out.names.push((s.to_string(), kind)),
            Some(_) => {}
            None => out.not_names.push(s.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(lines: &[(&str, &str)]) -> Annotations {
        let text: String = lines
            .iter()
            .enumerate()
            .map(|(i, (exact, label))| {
                let (exact, suffix) = exact.split_once('|').unwrap_or((exact, " "));
                format!(
                    "{{\"path\":\"a{i}.txt\",\"start\":0,\"end\":{},\"exact\":\"{exact}\",\"suffix\":\"{suffix}\",\"label\":\"{label}\",\"status\":\"added\"}}\n",
                    exact.len()
                )
            })
            .collect();
        let a = Annotations::parse(None, &text);
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        a
    }

    #[test]
    fn majority_label_wins_and_ties_teach_nothing() {
        let a = store(&[
            ("Quaxel AG", "organisation"),
            ("Quaxel AG", "organisation"),
            ("Quaxel AG", "person"),
            ("Alex", "other"),
            ("Alex", "not-a-name"),
            ("Kreis", "not-a-name"),
            ("dpa", "organisation"),
            ("X", "person"),
            ("2024", "other"),
            // A compound's head teaches nothing.
            ("US|-Dollar", "not-a-name"),
        ]);
        let l = learned(&a);
        assert_eq!(
            l.names,
            [
                ("Quaxel AG".to_string(), EntityKind::Org),
                ("dpa".to_string(), EntityKind::Org)
            ]
        );
        assert_eq!(l.not_names, ["Kreis".to_string()]);
    }

    #[test]
    fn an_empty_store_teaches_nothing() {
        assert!(learned(&Annotations::parse(None, "")).is_empty());
    }
}
