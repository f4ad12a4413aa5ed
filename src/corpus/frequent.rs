//! Frequent names bucketed by first letter and length, so that the
//! unknown-name check compares a rare name only with the few frequent names
//! it could be a typo of.

use super::{Corpus, KeyId};
use crate::model::EntityKind;
use std::collections::HashMap;

/// A name needs at least this many mentions to be suggested.
pub const MIN_MENTIONS: u32 = 3;

#[derive(Clone, Debug)]
pub struct FrequentName {
    pub key: KeyId,
    /// The folded key text.
    pub key_text: Box<str>,
    /// Its most frequent spelling.
    pub spelling: Box<str>,
    pub total: u32,
    pub kind: EntityKind,
}

#[derive(Default, Debug)]
pub struct FrequentNames {
    by_bucket: HashMap<(char, usize), Vec<FrequentName>>,
}

impl FrequentNames {
    pub fn new(corpus: &Corpus) -> FrequentNames {
        let mut by_bucket: HashMap<(char, usize), Vec<FrequentName>> = HashMap::new();
        for (key, spelling, total, kind) in corpus.frequent_keys(MIN_MENTIONS) {
            let text = corpus.key_text(key);
            let Some(first) = text.chars().next() else {
                continue;
            };
            by_bucket
                .entry((first, text.chars().count()))
                .or_default()
                .push(FrequentName {
                    key,
                    key_text: text.into(),
                    spelling: spelling.into(),
                    total,
                    kind,
                });
        }
        FrequentNames { by_bucket }
    }

    /// Frequent names starting with the same letter as `key_text` whose
    /// length differs by at most `max_diff` characters.
    pub fn near<'a>(
        &'a self,
        key_text: &str,
        max_diff: usize,
    ) -> impl Iterator<Item = &'a FrequentName> {
        let first = key_text.chars().next();
        let len = key_text.chars().count();
        let lens = len.saturating_sub(max_diff)..=len + max_diff;
        lens.filter_map(move |l| self.by_bucket.get(&(first?, l)))
            .flatten()
    }
}
