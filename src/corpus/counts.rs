//! Compact sorted containers for the corpus index.
//!
//! A corpus of 10^5 articles has millions of (key, document) pairs and
//! figure postings. `BTreeMap`/`BTreeSet` spend 2–3× the payload on nodes;
//! these keep a sorted `Vec` (8 bytes per `(u32, u32)` entry). Inserting in
//! the middle moves the tail, but documents are mostly added in id order
//! (appends), and an edit touches a few dozen keys of one document.

/// Counts per key, sorted by key; zero counts are removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts<K>(Vec<(K, u32)>);

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Counts(Vec::new())
    }
}

impl<K: Ord + Copy> Counts<K> {
    /// Adds one to `key`'s count, or removes one (dropping the key at zero).
    pub fn bump(&mut self, key: K, add: bool) {
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) if add => self.0[i].1 += 1,
            Ok(i) => {
                self.0[i].1 -= 1;
                if self.0[i].1 == 0 {
                    self.0.remove(i);
                }
            }
            Err(i) if add => self.0.insert(i, (key, 1)),
            Err(_) => {}
        }
    }
    pub fn get(&self, key: &K) -> Option<u32> {
        self.0
            .binary_search_by(|(k, _)| k.cmp(key))
            .ok()
            .map(|i| self.0[i].1)
    }
    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }
    pub fn keys(&self) -> impl Iterator<Item = K> + '_ {
        self.0.iter().map(|(k, _)| *k)
    }
    pub fn iter(&self) -> impl Iterator<Item = (K, u32)> + '_ {
        self.0.iter().copied()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A sorted set without duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedSet<T>(Vec<T>);

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet(Vec::new())
    }
}

impl<T: Ord + Copy> SortedSet<T> {
    pub fn insert(&mut self, x: T) {
        // Fast path: appends (documents indexed in id order).
        match self.0.last() {
            Some(l) if *l < x => self.0.push(x),
            None => self.0.push(x),
            _ => {
                if let Err(i) = self.0.binary_search(&x) {
                    self.0.insert(i, x);
                }
            }
        }
    }
    pub fn remove(&mut self, x: &T) {
        if let Ok(i) = self.0.binary_search(x) {
            self.0.remove(i);
        }
    }
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    proptest! {
        /// Behaves like the BTreeMap it replaces.
        #[test]
        fn counts_match_btreemap(ops in proptest::collection::vec((0u32..20, any::<bool>()), 0..200)) {
            let mut c = Counts::default();
            let mut m: BTreeMap<u32, u32> = BTreeMap::new();
            for (k, add) in ops {
                c.bump(k, add);
                if add {
                    *m.entry(k).or_insert(0) += 1;
                } else if let Some(v) = m.get_mut(&k) {
                    *v -= 1;
                    if *v == 0 {
                        m.remove(&k);
                    }
                }
                prop_assert_eq!(c.iter().collect::<Vec<_>>(), m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>());
            }
            for k in 0..20 {
                prop_assert_eq!(c.get(&k), m.get(&k).copied());
            }
        }

        #[test]
        fn sorted_set_matches_btreeset(ops in proptest::collection::vec((0u32..30, any::<bool>()), 0..200)) {
            let mut s = SortedSet::default();
            let mut b = BTreeSet::new();
            for (x, add) in ops {
                if add { s.insert(x); b.insert(x); } else { s.remove(&x); b.remove(&x); }
                let want: Vec<u32> = b.iter().copied().collect();
                prop_assert_eq!(s.as_slice(), want.as_slice());
            }
        }
    }
}
