//! Compact sorted containers for the corpus index.
//!
//! A corpus of 10^5 articles has millions of (key, document) pairs and
//! figure postings. `BTreeMap`/`BTreeSet` spend 2–3× the payload on nodes;
//! these keep a sorted `Vec` (8 bytes per `(u32, u32)` entry or `ItemRef`). Inserting in
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

impl<K> Counts<K> {
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.0.capacity() * std::mem::size_of::<(K, u32)>()
    }
}

impl<K: Ord + Copy> Counts<K> {
    /// Adds one to `key`'s count, or removes one (dropping the key at zero).
    pub fn bump(&mut self, key: K, add: bool) {
        // Most counts hold a few keys and most bumps find theirs: compared
        // for equality first (for interned strings, their addresses; their
        // order reads both strings).
        let small = (self.0.len() <= 8)
            .then(|| self.0.iter().position(|(k, _)| *k == key))
            .flatten();
        let at = small.map_or_else(|| self.0.binary_search_by(|(k, _)| k.cmp(&key)), Ok);
        match at {
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

impl<T> SortedSet<T> {
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.0.capacity() * std::mem::size_of::<T>()
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

/// One mention in a key's postings: its document, and its index with two
/// bits, "is a person mention" and "has a role" (so linking one-word person
/// mentions and counting an entity's kinds need no look at the mention
/// itself: on 10^5 articles that look is a cache miss per mention).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Posting {
    pub doc: super::DocId,
    idx_bits: u32,
}

impl Posting {
    /// Mention indices must stay below 2^30 (a document has far fewer).
    pub fn new(r: super::ItemRef, person: bool, role: bool) -> Posting {
        Posting {
            doc: r.doc,
            idx_bits: (r.idx << 2) | ((role as u32) << 1) | person as u32,
        }
    }
    pub fn item(self) -> super::ItemRef {
        super::ItemRef {
            doc: self.doc,
            idx: self.idx_bits >> 2,
        }
    }
    pub fn is_person(self) -> bool {
        self.idx_bits & 1 == 1
    }
    pub fn has_role(self) -> bool {
        self.idx_bits & 2 == 2
    }
}

/// Every mention of one key, sorted by (document, index), with the number
/// of distinct documents. Answers "how many in document d" (two binary
/// searches) and "which ones in document d" (a slice) without looking at
/// the document's other mentions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Postings {
    refs: Vec<Posting>,
    docs: u32,
}

impl Postings {
    pub fn shrink_to_fit(&mut self) {
        self.refs.shrink_to_fit();
    }
    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.refs.capacity() * std::mem::size_of::<Posting>()
    }

    pub fn insert(&mut self, p: Posting) {
        let i = match self.refs.last() {
            Some(l) if *l < p => self.refs.len(),
            None => 0,
            _ => match self.refs.binary_search(&p) {
                Ok(_) => return,
                Err(i) => i,
            },
        };
        let new_doc = (i == 0 || self.refs[i - 1].doc != p.doc)
            && self.refs.get(i).is_none_or(|n| n.doc != p.doc);
        self.refs.insert(i, p);
        self.docs += new_doc as u32;
    }
    pub fn remove(&mut self, p: Posting) {
        if let Ok(i) = self.refs.binary_search(&p) {
            self.refs.remove(i);
            let still = (i > 0 && self.refs[i - 1].doc == p.doc)
                || self.refs.get(i).is_some_and(|n| n.doc == p.doc);
            self.docs -= !still as u32;
        }
    }
    /// The mentions in document `doc`, in text order.
    pub fn in_doc(&self, doc: super::DocId) -> &[Posting] {
        let a = self.refs.partition_point(|r| r.doc < doc);
        let b = a + self.refs[a..].partition_point(|r| r.doc == doc);
        &self.refs[a..b]
    }
    /// How many mentions document `doc` has (None: none).
    pub fn get(&self, doc: &super::DocId) -> Option<u32> {
        let n = self.in_doc(*doc).len();
        (n > 0).then_some(n as u32)
    }
    pub fn contains_key(&self, doc: &super::DocId) -> bool {
        self.get(doc).is_some()
    }
    /// The documents, in id order.
    pub fn keys(&self) -> impl Iterator<Item = super::DocId> + '_ {
        self.iter().map(|(d, _)| d)
    }
    /// (document, mention count), in id order.
    pub fn iter(&self) -> impl Iterator<Item = (super::DocId, u32)> + '_ {
        self.refs
            .chunk_by(|a, b| a.doc == b.doc)
            .map(|c| (c[0].doc, c.len() as u32))
    }
    /// The postings of each document, in id order.
    pub fn by_doc(&self) -> impl Iterator<Item = &[Posting]> + '_ {
        self.refs.chunk_by(|a, b| a.doc == b.doc)
    }
    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs as usize
    }
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
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

        /// Counts per document agree with a map of sets.
        #[test]
        fn postings_match_sets(ops in proptest::collection::vec((0u32..6, 0u32..6, any::<bool>()), 0..200)) {
            use super::super::ItemRef;
            let mut p = Postings::default();
            let mut m: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
            for (doc, idx, add) in ops {
                let r = Posting::new(ItemRef { doc, idx }, idx % 2 == 0, idx % 3 == 0);
                if add {
                    p.insert(r);
                    m.entry(doc).or_default().insert(idx);
                } else {
                    p.remove(r);
                    if let Some(s) = m.get_mut(&doc) {
                        s.remove(&idx);
                        if s.is_empty() {
                            m.remove(&doc);
                        }
                    }
                }
                let want: Vec<(u32, u32)> = m.iter().map(|(d, s)| (*d, s.len() as u32)).collect();
                prop_assert_eq!(p.iter().collect::<Vec<_>>(), want);
                prop_assert_eq!(p.len(), m.len());
                for d in 0..6 {
                    prop_assert!(p.in_doc(d).iter().all(|r| r.is_person() == (r.item().idx % 2 == 0)
                        && r.has_role() == (r.item().idx % 3 == 0)));
                    let got: Vec<u32> = p.in_doc(d).iter().map(|r| r.item().idx).collect();
                    let want: Vec<u32> = m.get(&d).map(|s| s.iter().copied().collect()).unwrap_or_default();
                    prop_assert_eq!(got, want);
                }
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
