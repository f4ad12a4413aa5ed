//! `unknown-name`: a rare name that looks like a frequent one
//! ("Stoltenburg" once, "Stoltenberg" 25 times): probably a typo.
//!
//! Only the corpus counts are consulted, so the result is the same for an
//! incrementally updated index and a rebuilt one.

use super::diagnostics::{DiagCode, Diagnostic};
use super::Location;
use gazette_core::corpus::{Corpus, DocId, ItemRef};
use gazette_core::linking;

/// A name with at most this many mentions in the corpus counts as rare.
const RARE: u32 = 2;
/// A candidate must have at least this many mentions (and more than the rare one).
const FREQUENT: u32 = 3;

/// Edit distance allowed between folded keys of the given length.
fn max_distance(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    }
}

/// Are two folded keys close enough to be the same name misspelled?
pub fn looks_alike(a: &str, b: &str) -> bool {
    Probe::new(a).alike(b, b.chars().count())
}

/// A rare name compared with many frequent ones: what [`looks_alike`]
/// needs of it, worked out once (its length in characters, its first
/// letter, its letters in 64 bins) instead of once per frequent name.
struct Probe<'a> {
    text: &'a str,
    chars: usize,
    first: Option<char>,
    bins: [i32; 64],
}

impl<'a> Probe<'a> {
    fn new(text: &'a str) -> Probe<'a> {
        let mut bins = [0i32; 64];
        for c in text.chars() {
            bins[c as usize % 64] += 1;
        }
        Probe {
            text,
            chars: text.chars().count(),
            first: text.chars().next(),
            bins,
        }
    }

    /// [`looks_alike`] of the probe and `b`, `b` having `b_chars` characters.
    fn alike(&self, b: &str, b_chars: usize) -> bool {
        let a = self.text;
        if a == b {
            return false;
        }
        let (la, lb) = (self.chars, b_chars);
        let max = max_distance(la.min(lb));
        if max == 0 || la.abs_diff(lb) > max {
            return false;
        }
        // Typos rarely hit the first letter; inflection is not a typo.
        if self.first != b.chars().next() || a.starts_with(b) || b.starts_with(a) {
            return false;
        }
        // Cheap lower bound first: every edit changes the bag of letters by
        // at most one on each side, so a larger bag difference rules the pair
        // out without the quadratic edit distance (this runs for every rare
        // name against every frequent name of its bucket when a corpus is
        // indexed).
        if self.bag_difference(b) > max {
            return false;
        }
        strsim::damerau_levenshtein(a, b) <= max && strsim::jaro_winkler(a, b) >= 0.85
    }

    /// max(|a \ b|, |b \ a|) over the letters hashed into 64 bins
    /// (collisions can only make it smaller, so it stays a lower bound of
    /// the edit distance).
    fn bag_difference(&self, b: &str) -> usize {
        let mut bins = self.bins;
        for c in b.chars() {
            bins[c as usize % 64] -= 1;
        }
        let (mut more_a, mut more_b) = (0usize, 0usize);
        for v in bins {
            if v > 0 {
                more_a += v as usize;
            } else {
                more_b += (-v) as usize;
            }
        }
        more_a.max(more_b)
    }
}

pub fn unknown_names(corpus: &Corpus, doc: DocId) -> Vec<Diagnostic> {
    let Some(entry) = corpus.doc(doc) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut frequent = None;
    for (i, m) in entry.analysis.mentions.iter().enumerate() {
        let r = ItemRef { doc, idx: i as u32 };
        let k = corpus.key_of(r);
        if corpus.key_total(k) > RARE || corpus.entity_of(r) != k || corpus.kb_name(r).is_some() {
            continue;
        }
        let frequent = frequent.get_or_insert_with(|| corpus.frequent_names());
        let mine = corpus.key_text(k);
        let probe = Probe::new(mine);
        let best = frequent
            .near(mine, 2)
            .filter(|(_, f)| f.key != k && f.kind == m.kind && f.total >= FREQUENT)
            .filter(|&(chars, f)| probe.alike(&f.key_text, chars))
            .map(|(_, f)| f)
            .max_by_key(|f| (f.total, std::cmp::Reverse(f.key)));
        let Some(best) = best else {
            continue;
        };
        let (c, spelling, total) = (best.key, &*best.spelling, best.total);
        // The frequent name's first mention (not its whole listing: it may
        // have 100,000 mentions).
        let related = corpus
            .first_mention_of_key(c)
            .map(|o| Location {
                doc: o.doc,
                span: corpus.mention(o).span(),
            })
            .map(|l| vec![(l, format!("«{spelling}» is named here"))])
            .unwrap_or_default();
        let surface = linking::spelling(&m.norm);
        out.push(Diagnostic {
            span: m.span(),
            severity: DiagCode::UnknownName.default_severity(),
            code: DiagCode::UnknownName,
            message: format!(
                "«{surface}» occurs only here; did you mean «{spelling}» ({total}× in the corpus)?"
            ),
            related,
            fix: Some(spelling.to_string()),
        });
    }
    out
}

#[cfg(test)]
mod bag_tests {
    use super::*;

    #[test]
    fn bag_difference_bounds_the_edit_distance() {
        for (a, b) in [
            ("stoltenberg", "stoltenburg"),
            ("putin", "putni"),
            ("merkel", "merkle"),
            ("abc", "xyz"),
            ("kiew", "kyjiw"),
        ] {
            assert!(
                Probe::new(a).bag_difference(b) <= strsim::damerau_levenshtein(a, b),
                "{a} {b}"
            );
        }
        assert!(looks_alike("stoltenberg", "stoltenburg"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_look_alike_inflections_do_not() {
        assert!(looks_alike("stoltenburg", "stoltenberg"));
        assert!(!looks_alike("putin", "putins"));
        assert!(!looks_alike("nato", "nata"));
        assert!(!looks_alike("berlin", "merlin"));
        assert!(!looks_alike("russland", "russland"));
        assert!(!looks_alike("schweden", "schwerin"));
    }
}
