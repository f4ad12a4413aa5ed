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
//!
//! Beyond exact surfaces, the lexicon keeps what generalises to names the
//! user never annotated:
//!
//! - **head words** ([`LearnedNames::heads`]): the first and the last word
//!   of every organisation or place of two words or more ("Bistro" of
//!   "Bistro Quaxel", "Klinikum" of "Quaxel Klinikum"), with the side it
//!   stood on, the kind (by majority like the names) and how many
//!   different names it stood in. The recognizer keeps those that are
//!   common nouns, or that stood in two names or more ("Deutsche" of
//!   "Deutsche Quaxel" and "Deutsche Plimm"), and makes them a cue for
//!   that kind with a capitalised complement elsewhere
//!   (`recognize/rules/learned.rs`);
//! - **not-a-name words**: a single word the user marked `not-a-name` is no
//!   name in its other inflections either ("Rekordgewinn" covers
//!   "Rekordgewinns", "Rekordgewinne"; `recognize::Learned::not_a_name`).

use super::{Annotations, Label};
use crate::model::EntityKind;
use std::collections::{BTreeMap, BTreeSet};

/// What the store teaches the recognizer, in a deterministic order
/// (sorted by surface).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LearnedNames {
    /// Surfaces the user annotated as this kind (by majority).
    pub names: Vec<(String, EntityKind)>,
    /// Surfaces the user marked `not-a-name` (by majority).
    pub not_names: Vec<String>,
    /// Words that opened (`HeadSide::First`) or closed (`HeadSide::Last`)
    /// organisations and places of two words or more the user annotated,
    /// with the kind (by majority over the names they stood in) and the
    /// number of different names of that kind they stood in.
    pub heads: Vec<(String, HeadSide, EntityKind, u32)>,
}

/// Where a head word stood in the names it was learned from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeadSide {
    /// "Bistro Quaxel": the head comes first.
    First,
    /// "Quaxel Klinikum": the head comes last.
    Last,
}

impl LearnedNames {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.not_names.is_empty() && self.heads.is_empty()
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

/// Can `w` be a head word? A capitalised word of three letters or more,
/// letters only (the recognizer keeps those that are common nouns).
fn head_word(w: &str) -> bool {
    w.chars().count() >= 3
        && w.chars().all(char::is_alphabetic)
        && w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().skip(1).any(char::is_lowercase)
}

/// The learned lexicon of `annotations` (see the module's documentation).
pub fn learned(annotations: &Annotations) -> LearnedNames {
    let mut votes: BTreeMap<&str, [u32; 5]> = BTreeMap::new();
    // The names (surface, label) each head word stood in.
    let mut head_votes: BTreeMap<(&str, HeadSide), BTreeSet<(&str, usize)>> = BTreeMap::new();
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
        if matches!(a.label, Label::Place | Label::Organisation) {
            let words: Vec<&str> = s.split_whitespace().collect();
            if words.len() >= 2 {
                for (w, side) in [
                    (words[0], HeadSide::First),
                    (words[words.len() - 1], HeadSide::Last),
                ] {
                    if head_word(w) {
                        head_votes
                            .entry((w, side))
                            .or_default()
                            .insert((s, slot(a.label)));
                    }
                }
            }
        }
    }
    let mut out = LearnedNames::default();
    for ((w, side), names) in head_votes {
        let count = |l: Label| names.iter().filter(|n| n.1 == slot(l)).count() as u32;
        let (place, org) = (count(Label::Place), count(Label::Organisation));
        if place != org {
            let (kind, n) = if place > org {
                (EntityKind::Place, place)
            } else {
                (EntityKind::Org, org)
            };
            out.heads.push((w.to_string(), side, kind, n));
        }
    }
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
    fn head_words_come_from_organisations_and_places_of_several_words() {
        let a = store(&[
            ("Bistro Quaxel", "place"),
            ("Bistro Quaxel", "place"),
            ("Bistro Plimm", "place"),
            ("Bistro Zorn", "organisation"),
            ("Quaxel Klinikum", "organisation"),
            // Persons teach no heads; one word has none.
            ("Doktor Quaxel", "person"),
            ("Amtsgericht", "organisation"),
            // Neither a capitalised word nor letters only.
            ("von Quaxel", "place"),
            ("Quaxel 2000", "organisation"),
            // A tie between the kinds teaches nothing.
            ("Hafen Plimm", "place"),
            ("Hafen Zorn", "organisation"),
        ]);
        let l = learned(&a);
        assert_eq!(
            l.heads,
            [
                // Two names (the same name twice counts once).
                ("Bistro".to_string(), HeadSide::First, EntityKind::Place, 2),
                ("Klinikum".to_string(), HeadSide::Last, EntityKind::Org, 1),
                ("Plimm".to_string(), HeadSide::Last, EntityKind::Place, 2),
                ("Quaxel".to_string(), HeadSide::First, EntityKind::Org, 2),
                ("Quaxel".to_string(), HeadSide::Last, EntityKind::Place, 2),
                ("Zorn".to_string(), HeadSide::Last, EntityKind::Org, 2),
            ]
        );
    }

    #[test]
    fn an_empty_store_teaches_nothing() {
        assert!(learned(&Annotations::parse(None, "")).is_empty());
    }
}
