//! Frequent names bucketed by first letter and length, so that the
//! unknown-name check compares a rare name only with the few frequent names
//! it could be a typo of.

use super::{Corpus, KeyId};
use crate::model::EntityKind;
use std::collections::HashMap;

/// A name needs at least this many mentions to be suggested.
pub const MIN_MENTIONS: u32 = 3;

#[derive(Clone, Debug, PartialEq)]
pub struct FrequentName {
    pub key: KeyId,
    /// The folded key text.
    pub key_text: Box<str>,
    /// Its most frequent spelling.
    pub spelling: Box<str>,
    pub total: u32,
    pub kind: EntityKind,
}

#[derive(Clone, Default, Debug, PartialEq)]
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

    /// Brings the entries of `keys` up to date after a change touched them
    /// (adds, updates or drops each), keeping every bucket in key order as
    /// [`Self::new`] builds it: an edit costs a few lookups instead of a
    /// pass over every key of the corpus.
    pub fn update(&mut self, corpus: &Corpus, keys: &[KeyId]) {
        for &key in keys {
            let text = corpus.key_text(key);
            let Some(first) = text.chars().next() else {
                continue;
            };
            let bucket_key = (first, text.chars().count());
            let (spelling, total, kind) = corpus.key_profile(key);
            let bucket = self.by_bucket.entry(bucket_key).or_default();
            let entry = FrequentName {
                key,
                key_text: text.into(),
                spelling: spelling.into(),
                total,
                kind,
            };
            match bucket.binary_search_by(|f| (*f.key_text).cmp(text)) {
                Ok(i) if total >= MIN_MENTIONS => bucket[i] = entry,
                Ok(i) => {
                    bucket.remove(i);
                }
                Err(i) if total >= MIN_MENTIONS => bucket.insert(i, entry),
                Err(_) => {}
            }
            if bucket.is_empty() {
                self.by_bucket.remove(&bucket_key);
            }
        }
    }

    /// Frequent names starting with the same letter as `key_text` whose
    /// length differs by at most `max_diff` characters, each with its
    /// length in characters (its bucket's).
    pub fn near<'a>(
        &'a self,
        key_text: &str,
        max_diff: usize,
    ) -> impl Iterator<Item = (usize, &'a FrequentName)> {
        let first = key_text.chars().next();
        let len = key_text.chars().count();
        let lens = len.saturating_sub(max_diff)..=len + max_diff;
        lens.filter_map(move |l| Some((l, self.by_bucket.get(&(first?, l))?)))
            .flat_map(|(l, bucket)| bucket.iter().map(move |f| (l, f)))
    }
}

#[cfg(test)]
mod tests {
    use super::FrequentNames;
    use crate::corpus::Corpus;
    use std::sync::Arc;

    fn set(c: &mut Corpus, path: &str, text: &str) {
        let ov = crate::recognize::Overrides::default();
        c.set_document(path.into(), Arc::new(crate::analysis::analyze(text, &ov)));
    }

    /// Updated by each change, the frequent names equal a fresh build:
    /// names become frequent, change spelling and drop out again.
    #[test]
    fn updates_equal_a_rebuild() {
        let mut c = Corpus::new();
        set(&mut c, "a.txt", "Angela Merkel traf Olaf Scholz in Berlin.");
        set(&mut c, "b.txt", "Olaf Scholz sprach in Berlin.");
        let _ = c.frequent_names();
        let steps: [(&str, Option<&str>); 5] = [
            ("c.txt", Some("Angela Merkel und Angela Merkel in Berlin.")),
            (
                "d.txt",
                Some("Olaf Scholz, Olaf Scholz und Olaf Scholz in Paris und Paris und Paris."),
            ),
            ("a.txt", Some("Niemand war da.")),
            ("c.txt", None),
            ("b.txt", Some("Olaf Scholz sprach in Berlin und in Berlin.")),
        ];
        for (path, text) in steps {
            match text {
                Some(t) => set(&mut c, path, t),
                None => {
                    c.remove_document(path.as_ref());
                }
            }
            assert_eq!(*c.frequent_names(), FrequentNames::new(&c), "after {path}");
        }
    }
}
