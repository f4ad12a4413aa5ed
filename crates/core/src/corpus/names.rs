//! The name index: every live name key's most frequent spelling, lower-cased,
//! and what finds the keys matching a `workspace/symbol` query without
//! scoring every name of the corpus (10^6 and more at 10^6 articles).
//!
//! A name matches a query (see [`Query::score`]), best first, as a prefix, a
//! word prefix (a word starts after `' '` or `'-'`), a subsequence, or (for
//! queries of four letters or more) a near miss of one of its words.
//! The index answers each of these tiers from what it keeps per key:
//!
//! - **Prefix and word prefix** from the *word starts*: each name is in one
//!   bucket per distinct first three bytes of its words (and of the whole
//!   name), a sorted map, so a query reads the one bucket of its first three
//!   bytes (a range of buckets when it is shorter).
//! - **Subsequence** from a 32-bit *character set* per key (a bit per
//!   letter, digit, umlaut, other): a scan of 4 bytes per key drops every
//!   name lacking one of the query's characters before the subsequence test.
//! - **Near miss** from the word starts too: only words that start with the
//!   query's first character are compared (a typo in the first letter is not
//!   found), and a bound on Jaro similarity from character counts skips the
//!   comparison where it cannot reach 0.85.
//! - **An empty query** lists names by mentions: a per-key column of totals,
//!   read in bands of powers of two from the top.
//!
//! The scores come from [`Query::score`] itself, on the same lower-cased
//! spelling the full scan used, so the ranking equals the scan's: the index
//! only decides which names are scored. Tiers are loaded lazily, a lower one
//! only when the best candidates left could tie with its best possible
//! score ([`NameMatches`]).
//!
//! Kept up to date for the keys every change touches
//! ([`super::Corpus::invalidate`]): a key's total is rewritten, and its
//! buckets only when its lower-cased spelling changes (rare after a name's
//! first few mentions). Bucket order depends on history; everything else is a
//! function of the keys' spellings and totals, and equal to
//! [`NameIndex::rebuild`] (tested). No `fst`: an FST is immutable, and
//! rebuilding one per change (or merging a delta) costs more than these
//! buckets, whose update is a push or a swap-remove.

use super::{Corpus, KeyId};
use std::collections::BTreeMap;

/// Which kind of match a score is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    /// Prefix or word prefix (or anything, for an empty query).
    Prefix,
    Subsequence,
    Near,
}

/// A query folded once, for scoring many names.
#[derive(Clone, Debug)]
pub struct Query {
    q: String,
    chars: usize,
    first: Option<char>,
    /// Character set ([`char_bit`]) of the query.
    mask: u32,
    /// Characters per [`char_bit`] class, for the near-miss bound.
    counts: [u8; 32],
}

/// The class of a (lower-case) character in the 32-bit character sets.
fn char_bit(c: char) -> u32 {
    match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26,
        'ä' => 27,
        'ö' => 28,
        'ü' => 29,
        'ß' => 30,
        _ => 31,
    }
}

/// The character set of `s`.
fn char_mask(s: &str) -> u32 {
    s.chars().fold(0, |m, c| m | 1 << char_bit(c))
}

/// Scores `candidate` against a fuzzy `query` (higher is better), `None`
/// when it does not match. Case-insensitive; an empty query matches all.
/// See [`Query::score`].
pub fn fuzzy_score(query: &str, candidate: &str) -> Option<i64> {
    Query::new(query).score(&candidate.to_lowercase())
}

impl Query {
    pub fn new(query: &str) -> Query {
        let q = query.trim().to_lowercase();
        let mut counts = [0u8; 32];
        for c in q.chars() {
            let b = &mut counts[char_bit(c) as usize];
            *b = b.saturating_add(1);
        }
        Query {
            chars: q.chars().count(),
            first: q.chars().next(),
            mask: char_mask(&q),
            counts,
            q,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.q.is_empty()
    }

    /// The score of a candidate already in lower case, `None` when it does
    /// not match. Best first: prefix (1000 − length in bytes), word prefix
    /// (800 − length), subsequence (400 + consecutive runs − length), and
    /// for queries of four characters or more a near miss: a word starting
    /// with the query's first character whose first characters (as many as
    /// the query has) are within Jaro-Winkler 0.85 of it (300 × similarity
    /// − length). An empty query scores 0.
    pub fn score(&self, c: &str) -> Option<i64> {
        self.scored(c).map(|(s, _)| s)
    }

    fn scored(&self, c: &str) -> Option<(i64, Tier)> {
        let q = self.q.as_str();
        if q.is_empty() {
            return Some((0, Tier::Prefix));
        }
        if c.starts_with(q) {
            return Some((1000 - c.len() as i64, Tier::Prefix));
        }
        if c.split([' ', '-']).any(|w| w.starts_with(q)) {
            return Some((800 - c.len() as i64, Tier::Prefix));
        }
        // Subsequence, rewarding consecutive runs.
        let mut score = 0i64;
        let mut run = 0i64;
        let mut qi = q.chars().peekable();
        for ch in c.chars() {
            match qi.peek() {
                Some(&want) if want == ch => {
                    run += 1;
                    score += run;
                    qi.next();
                }
                Some(_) => run = 0,
                None => break,
            }
        }
        if qi.peek().is_none() {
            return Some((400 + score - c.len() as i64, Tier::Subsequence));
        }
        if self.chars >= 4 {
            // Each word's first letters, as many as the query has.
            let best = (c.split(' '))
                .filter(|w| w.chars().next() == self.first)
                .map(|w| first_chars(w, self.chars))
                .filter(|b| self.may_be_near(b))
                .map(|b| strsim::jaro_winkler(q, b))
                .fold(0.0f64, f64::max);
            if best >= 0.85 {
                return Some(((best * 300.0) as i64 - c.len() as i64, Tier::Near));
            }
        }
        None
    }

    /// Can `b` be within Jaro-Winkler 0.85 of the query? An upper bound:
    /// Jaro's matches pair equal characters, so there are at most as many
    /// as the two share by character class; transpositions can only lower
    /// it, and Winkler's boost grows with Jaro. (A margin keeps rounding
    /// from ever dropping a match.)
    fn may_be_near(&self, b: &str) -> bool {
        let mut counts = [0u8; 32];
        let mut len = 0usize;
        for c in b.chars() {
            let x = &mut counts[char_bit(c) as usize];
            *x = x.saturating_add(1);
            len += 1;
        }
        let shared: usize = (0..32)
            .map(|i| counts[i].min(self.counts[i]) as usize)
            .sum();
        let m = shared.min(len).min(self.chars) as f64;
        if m == 0.0 {
            return false;
        }
        let jaro = (m / self.chars as f64 + m / len as f64 + 1.0) / 3.0;
        let prefix = (self.q.chars().take(4).zip(b.chars()))
            .take_while(|(x, y)| x == y)
            .count() as f64;
        let jw = if jaro > 0.7 {
            jaro + 0.1 * prefix * (1.0 - jaro)
        } else {
            jaro
        };
        jw >= 0.85 - 1e-9
    }

    /// The best score a name can have in a tier below prefix and word
    /// prefix: (subsequence, near miss).
    fn bounds(&self) -> (i64, i64) {
        let k = self.chars as i64;
        (400 + k * (k + 1) / 2 - self.q.len() as i64, 300)
    }
}

/// The first `n` characters of `w` (all of it when shorter).
fn first_chars(w: &str, n: usize) -> &str {
    w.char_indices().nth(n).map_or(w, |(i, _)| &w[..i])
}

/// A bucket of word starts: a word's first three bytes, zero-padded.
type Start = [u8; 3];

fn start_of(s: &[u8]) -> Start {
    let mut b = [0u8; 3];
    for (x, y) in b.iter_mut().zip(s) {
        *x = *y;
    }
    b
}

/// The buckets of name `c`: the whole name and each word after a `' '` or
/// `'-'`, each bucket once.
fn starts(c: &str) -> Vec<Start> {
    let b = c.as_bytes();
    let mut v = vec![start_of(b)];
    for (i, &x) in b.iter().enumerate() {
        if (x == b' ' || x == b'-') && i + 1 < b.len() {
            v.push(start_of(&b[i + 1..]));
        }
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// [`NameIndex::canonical`]: (key, spelling, total, character set) per
/// indexed key, and the buckets with their keys sorted.
pub type Canonical<'a> = (Vec<(KeyId, &'a str, u32, u32)>, Vec<(Start, Vec<KeyId>)>);

/// See the module documentation.
#[derive(Clone, Debug, Default)]
pub struct NameIndex {
    /// The lower-cased spellings, one after another (replaced ones stay
    /// until [`Self::compact`]).
    text: String,
    /// Bytes of `text` no key points at any more.
    garbage: usize,
    /// Per key: its spelling in `text` (start, length).
    spans: Vec<(u32, u32)>,
    /// Per key: the character set of its spelling (0: not indexed).
    masks: Vec<u32>,
    /// Per key: its number of mentions (0: not indexed).
    totals: Vec<u32>,
    /// Word starts: the keys with a word beginning with these bytes.
    words: BTreeMap<Start, Vec<KeyId>>,
}

impl NameIndex {
    /// The index of every key of `corpus`, built from scratch.
    pub fn rebuild(corpus: &Corpus) -> NameIndex {
        let mut n = NameIndex::default();
        for k in 0..corpus.key_count() as KeyId {
            let (spelling, total, _) = corpus.key_profile(k);
            n.update(k, spelling, total);
        }
        n
    }

    /// Brings key `k` up to date: its most frequent `spelling` and `total`
    /// mentions (0: no longer indexed).
    pub fn update(&mut self, k: KeyId, spelling: &str, total: u32) {
        let i = k as usize;
        if self.totals.len() <= i {
            self.totals.resize(i + 1, 0);
            self.masks.resize(i + 1, 0);
            self.spans.resize(i + 1, (0, 0));
        }
        let was = self.totals[i] > 0;
        self.totals[i] = total;
        if was {
            // Most spellings are ASCII: their bytes, lowercased, compared
            // without decoding characters (the same answer).
            let name = self.name(k);
            let same = if spelling.is_ascii() {
                let lower = spelling.bytes().map(|b| b.to_ascii_lowercase());
                lower.eq(name.bytes())
            } else {
                spelling
                    .chars()
                    .flat_map(char::to_lowercase)
                    .eq(name.chars())
            };
            if same && total > 0 {
                return;
            }
            for s in starts(self.name(k)) {
                if let Some(v) = self.words.get_mut(&s) {
                    if let Some(p) = v.iter().position(|&x| x == k) {
                        v.swap_remove(p);
                    }
                    if v.is_empty() {
                        self.words.remove(&s);
                    }
                }
            }
            self.garbage += self.spans[i].1 as usize;
            self.spans[i] = (0, 0);
            self.masks[i] = 0;
        }
        if total == 0 {
            return self.compact_if_wasteful();
        }
        let at = self.text.len();
        self.text
            .extend(spelling.chars().flat_map(char::to_lowercase));
        self.spans[i] = (at as u32, (self.text.len() - at) as u32);
        self.masks[i] = char_mask(self.name(k));
        for s in starts(self.name(k)) {
            self.words.entry(s).or_default().push(k);
        }
        self.compact_if_wasteful();
    }

    /// Key `k`'s lower-cased spelling ("" when not indexed).
    fn name(&self, k: KeyId) -> &str {
        let (a, n) = self.spans.get(k as usize).copied().unwrap_or((0, 0));
        &self.text[a as usize..(a + n) as usize]
    }

    /// Rewrites `text` without the replaced spellings once they are half of it.
    fn compact_if_wasteful(&mut self) {
        if self.garbage < 1 << 16 || self.garbage * 2 < self.text.len() {
            return;
        }
        let mut text = String::with_capacity(self.text.len() - self.garbage);
        for span in &mut self.spans {
            let (a, n) = *span;
            let at = text.len() as u32;
            text.push_str(&self.text[a as usize..(a + n) as usize]);
            *span = (at, n);
        }
        self.text = text;
        self.garbage = 0;
    }

    /// Gives back spare capacity, keeping room for `room` more keys.
    pub fn shrink_to_fit(&mut self, room: usize) {
        let n = self.totals.len() + room;
        self.totals.shrink_to(n);
        self.masks.shrink_to(n);
        self.spans.shrink_to(n);
        self.text.shrink_to(self.text.len() + 16 * room);
        self.words.values_mut().for_each(Vec::shrink_to_fit);
    }

    /// Heap bytes by table (for [`Corpus::heap_report`]).
    pub fn heap_bytes(&self) -> [(&'static str, usize); 3] {
        let per_key = self.totals.capacity() * 4 + self.masks.capacity() * 4;
        let spans = self.spans.capacity() * 8;
        let words: usize = (self.words.values())
            .map(|v| v.capacity() * 4 + 24 + 3)
            .sum();
        [
            ("name index: spellings", self.text.capacity()),
            ("name index: per key", per_key + spans),
            ("name index: word starts", words),
        ]
    }

    /// Everything but the order within buckets and where spellings lie in
    /// the buffer: (key, spelling, total, character set) per indexed key,
    /// and the buckets, sorted. Equal for an updated and a rebuilt index.
    pub fn canonical(&self) -> Canonical<'_> {
        let keys = (0..self.totals.len() as KeyId)
            .filter(|&k| self.totals[k as usize] > 0)
            .map(|k| {
                let i = k as usize;
                (k, self.name(k), self.totals[i], self.masks[i])
            })
            .collect();
        let words = (self.words.iter())
            .map(|(s, v)| {
                let mut v = v.clone();
                v.sort_unstable();
                (*s, v)
            })
            .collect();
        (keys, words)
    }

    /// Keys with at least `min` (and one) mentions, most mentioned first,
    /// then by key.
    pub fn keys_by_mentions(&self, min: u32) -> Vec<KeyId> {
        let mut v: Vec<(u32, KeyId)> = (self.totals.iter().enumerate())
            .filter(|(_, &t)| t >= min.max(1))
            .map(|(k, &t)| (t, k as KeyId))
            .collect();
        v.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        v.into_iter().map(|(_, k)| k).collect()
    }

    /// The keys in the buckets that words starting with `prefix` are in.
    fn starting_with<'a>(&'a self, prefix: &[u8]) -> impl Iterator<Item = KeyId> + 'a {
        let lo = start_of(prefix);
        let mut hi = [u8::MAX; 3];
        hi[..prefix.len().min(3)].copy_from_slice(&lo[..prefix.len().min(3)]);
        self.words
            .range(lo..=hi)
            .flat_map(|(_, v)| v.iter().copied())
    }
}

/// The order of matches: score, then mentions (both descending), then key.
pub type Match = (i64, u32, KeyId);

pub fn match_order(a: &Match, b: &Match) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2))
}

/// A tier not yet read.
#[derive(Clone, Copy, Debug)]
enum Pending {
    Subsequence,
    Near,
    /// Keys with `lo <= total < hi` (an empty query).
    Mentions {
        lo: u64,
        hi: u64,
    },
}

/// The name keys matching a query (its spelling, or a knowledge-base
/// alias, scored by [`Query::score`]) as (score, mentions, key), best first
/// (score, then mentions, descending; then key), each (score, key) once.
/// Sorts only as far as it is read, and reads a lower tier only when the
/// next match could come from it.
pub struct NameMatches<'a> {
    corpus: &'a Corpus,
    q: Query,
    cands: Vec<Match>,
    /// `cands[..from]` are given out; `cands[from..sorted]` are the best
    /// of the rest, sorted.
    from: usize,
    sorted: usize,
    block: usize,
    /// Tiers not read yet, best first, each with the best match it can hold.
    pending: std::collections::VecDeque<(Pending, Match)>,
    last: Option<Match>,
}

impl<'a> NameMatches<'a> {
    fn new(corpus: &'a Corpus, query: &str) -> NameMatches<'a> {
        let q = Query::new(query);
        let index = &corpus.derived.names;
        let mut cands = alias_matches(corpus, &q);
        let mut pending = std::collections::VecDeque::new();
        if q.is_empty() {
            // Bands of totals by power of two, merged from the top until
            // each holds a few hundred keys.
            let mut hist = [0usize; 33];
            for &t in &index.totals {
                if t > 0 {
                    hist[32 - t.leading_zeros() as usize] += 1;
                }
            }
            let mut hi = 33;
            let mut n = 0;
            for b in (1..33).rev() {
                n += hist[b];
                if n >= 256 || b == 1 {
                    if n > 0 {
                        let (lo, top) = (1u64 << (b - 1), 1u64 << (hi - 1));
                        let bound = (0, (top - 1).min(u32::MAX as u64) as u32, 0);
                        pending.push_back((Pending::Mentions { lo, hi: top }, bound));
                    }
                    hi = b;
                    n = 0;
                }
            }
        } else {
            let prefix = &q.q.as_bytes()[..q.q.len().min(3)];
            for k in index.starting_with(prefix) {
                if let Some((s, Tier::Prefix)) = q.scored(index.name(k)) {
                    cands.push((s, index.totals[k as usize], k));
                }
            }
            let (sub, near) = q.bounds();
            pending.push_back((Pending::Subsequence, (sub, u32::MAX, 0)));
            if q.chars >= 4 {
                pending.push_back((Pending::Near, (near, u32::MAX, 0)));
            }
        }
        NameMatches {
            corpus,
            q,
            cands,
            from: 0,
            sorted: 0,
            block: 64,
            pending,
            last: None,
        }
    }

    /// Adds the matches of tier `t` to the candidates.
    fn load(&mut self, t: Pending) {
        let index = &self.corpus.derived.names;
        let q = &self.q;
        let found: Vec<Match> = match t {
            Pending::Mentions { lo, hi } => (index.totals.iter().enumerate())
                .filter(|(_, &t)| (lo..hi).contains(&(t as u64)))
                .map(|(k, &t)| (0, t, k as KeyId))
                .collect(),
            Pending::Subsequence => {
                use rayon::prelude::*;
                (index.masks.par_iter().enumerate())
                    .with_min_len(1 << 16)
                    // Cheap necessary conditions first: every character
                    // class, at least as many bytes, the bytes in order.
                    .filter(|(k, &m)| {
                        m & q.mask == q.mask
                            && m != 0
                            && index.spans[*k].1 as usize >= q.q.len()
                            && bytes_in_order(q.q.as_bytes(), index.name(*k as KeyId).as_bytes())
                    })
                    .filter_map(|(k, _)| match q.scored(index.name(k as KeyId)) {
                        Some((s, Tier::Subsequence)) => Some((s, index.totals[k], k as KeyId)),
                        _ => None,
                    })
                    .collect()
            }
            Pending::Near => {
                let first = &q.q.as_bytes()[..1];
                (index.starting_with(first))
                    .filter_map(|k| match q.scored(index.name(k)) {
                        Some((s, Tier::Near)) => Some((s, index.totals[k as usize], k)),
                        _ => None,
                    })
                    .collect()
            }
        };
        self.cands.extend(found);
        self.sorted = self.from;
    }
}

impl Iterator for NameMatches<'_> {
    type Item = Match;

    fn next(&mut self) -> Option<Match> {
        loop {
            if self.from == self.sorted {
                if self.from == self.cands.len() {
                    let (t, _) = self.pending.pop_front()?;
                    self.load(t);
                    continue;
                }
                let rest = &mut self.cands[self.from..];
                let n = self.block.min(rest.len());
                if n < rest.len() {
                    rest.select_nth_unstable_by(n, match_order);
                }
                rest[..n].sort_by(match_order);
                self.sorted = self.from + n;
                self.block = self.block.saturating_mul(2);
            }
            let c = self.cands[self.from];
            if let Some(&(t, bound)) = self.pending.front() {
                if match_order(&c, &bound) != std::cmp::Ordering::Less {
                    self.pending.pop_front();
                    self.load(t);
                    continue;
                }
            }
            self.from += 1;
            if self.last != Some(c) {
                self.last = Some(c);
                return Some(c);
            }
        }
    }
}

/// Is `q` a subsequence of `c`, byte by byte? (Implied by a subsequence
/// of characters, which the score needs.)
fn bytes_in_order(q: &[u8], c: &[u8]) -> bool {
    let mut rest = c;
    for &b in q {
        match rest.iter().position(|&x| x == b) {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

/// Knowledge-base aliases are not spellings of their key: each entity's
/// best-scoring alias, with its key.
fn alias_matches(corpus: &Corpus, q: &Query) -> Vec<Match> {
    let mut out = Vec::new();
    for kb in (corpus.kb_doc_ids()).filter_map(|id| corpus.doc(id)?.kb.clone()) {
        for e in &kb.entities {
            let best = (e.aliases.iter())
                .filter_map(|a| q.score(&a.to_lowercase()))
                .max();
            let Some(s) = best else { continue };
            if let Some(k) = corpus.key_id(&crate::linking::link_key(&e.name, e.kind)) {
                out.push((s, corpus.key_total(k), k));
            }
        }
    }
    out
}

impl Corpus {
    /// The name keys matching `query`, best first, from the name index
    /// (see [`NameMatches`]).
    pub fn name_matches(&self, query: &str) -> NameMatches<'_> {
        NameMatches::new(self, query)
    }

    /// Every name key matching `query` as (score, mentions, key), by
    /// scoring each key's most frequent spelling (lower-cased here) and
    /// every knowledge-base alias, in no order: what
    /// [`Self::name_matches`] does without the index (for tests and
    /// benchmarks).
    pub fn name_matches_by_scan(&self, query: &str) -> Vec<Match> {
        use rayon::prelude::*;
        let q = Query::new(query);
        let mut scored: Vec<Match> = (0..self.key_count() as KeyId)
            .into_par_iter()
            .with_min_len(1 << 14)
            .map_init(String::new, |lower, k| {
                let (spelling, total, _) = self.key_profile(k);
                if total == 0 {
                    return None;
                }
                lower.clear();
                lower.extend(spelling.chars().flat_map(char::to_lowercase));
                Some((q.score(lower)?, total, k))
            })
            .flatten()
            .collect();
        scored.extend(alias_matches(self, &q));
        scored
    }

    /// The name index as a rebuild from scratch would make it, and as it
    /// is: for tests that it is kept up to date.
    pub fn name_index_canonical_pair(&self) -> (String, String) {
        let now = format!("{:?}", self.derived.names.canonical());
        let fresh = format!("{:?}", NameIndex::rebuild(self).canonical());
        (now, fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::DocAnalysis;
    use crate::model::{sym, EntityKind, NameMention, Source, Span};
    use proptest::prelude::*;
    use std::sync::Arc;

    #[test]
    fn fuzzy_ranks_prefix_then_words_then_subsequence() {
        let p = fuzzy_score("stol", "Stoltenberg").unwrap();
        let w = fuzzy_score("stol", "Jens Stoltenberg").unwrap();
        let s = fuzzy_score("jstb", "Jens Stoltenberg").unwrap();
        assert!(p > w && w > s, "{p} {w} {s}");
        assert!(fuzzy_score("Stoltenburg", "Jens Stoltenberg").is_some());
        assert!(fuzzy_score("Stoltnbrg", "Jens Stoltenberg").is_some());
        // A near miss starts with the query's first letter.
        assert!(fuzzy_score("Ztoltenberg", "Jens Stoltenberg").is_none());
        assert!(fuzzy_score("xyz", "Jens Stoltenberg").is_none());
        assert_eq!(fuzzy_score("", "NATO"), Some(0));
    }

    /// The bound never drops a word that Jaro-Winkler finds near.
    #[test]
    fn near_miss_bound_keeps_every_near_word() {
        let words = [
            "stoltenberg",
            "stoltenburg",
            "stotlenberg",
            "stoltnberg",
            "steinberg",
            "schmidt",
            "sto",
            "söder",
            "södr",
            "straße",
            "strasse",
            "s-bahn",
            "sttttttttt",
        ];
        for q in words {
            let query = Query::new(q);
            if query.chars < 4 {
                continue;
            }
            for w in words {
                let b = first_chars(w, query.chars);
                if strsim::jaro_winkler(q, b) >= 0.85 {
                    assert!(query.may_be_near(b), "{q} {w}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn near_miss_bound_is_an_upper_bound(q in "[a-eäß ]{4,9}", w in "[a-eäß]{0,12}") {
            let query = Query::new(&q);
            let q = query.q.clone();
            if query.chars >= 4 {
                let b = first_chars(&w, query.chars);
                if strsim::jaro_winkler(&q, b) >= 0.85 {
                    prop_assert!(query.may_be_near(b));
                }
            }
        }
    }

    /// Names from few letters, so that queries hit every tier.
    const WORDS: &[&str] = &[
        "Anna", "Ana", "Berg", "Bergen", "Nabe", "Ärger", "Aerger", "Straße", "Strasse", "Ab", "A",
        "Banane", "Bernd", "Brand", "Dana", "Daniel", "Danilo", "Ende", "Rande", "Bär",
    ];

    fn name() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            (
                proptest::sample::select(WORDS),
                proptest::sample::select(&[" ", "-", " "][..]),
                any::<bool>(),
            ),
            1..4,
        )
        .prop_map(|ws| {
            let mut s = String::new();
            for (i, (w, sep, upper)) in ws.iter().enumerate() {
                if i > 0 {
                    s += sep;
                }
                s += &if *upper {
                    w.to_uppercase()
                } else {
                    w.to_string()
                };
            }
            s
        })
    }

    fn doc(names: &[(String, u8)]) -> Arc<DocAnalysis> {
        let mut a = DocAnalysis::default();
        let mut at = 0usize;
        for (n, kind) in names {
            let kind = [
                EntityKind::Person,
                EntityKind::Place,
                EntityKind::Org,
                EntityKind::Other,
            ][*kind as usize % 4];
            let span = Span::new(at, at + n.len());
            at += n.len() + 1;
            a.mentions
                .push(NameMention::new(span, kind, sym(n), Source::Rule).unwrap());
        }
        Arc::new(a)
    }

    const QUERIES: &[&str] = &[
        "",
        "a",
        "an",
        "ann",
        "anna",
        "b",
        "be",
        "ber",
        "berg",
        "bergn",
        "ab",
        "a b",
        "a-b",
        "är",
        "ärger",
        "stra",
        "straße",
        "dnl",
        "daniil",
        "bnn",
        "anna berg",
        "nabe-",
        "xyz",
        "e",
        "rnd",
        "danile",
        "banan",
        "bernnd",
    ];

    fn check(c: &Corpus) -> Result<(), TestCaseError> {
        let (now, fresh) = c.name_index_canonical_pair();
        prop_assert_eq!(now, fresh);
        for q in QUERIES {
            let mut want = c.name_matches_by_scan(q);
            want.sort_by(match_order);
            want.dedup();
            let got: Vec<Match> = c.name_matches(q).collect();
            prop_assert_eq!(&got, &want, "query {:?}", q);
            // Read only as far as a limit: the same first ones.
            let few: Vec<Match> = c.name_matches(q).take(3).collect();
            prop_assert_eq!(&few[..], &want[..want.len().min(3)]);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        /// Edited document by document, the index equals a rebuild, and
        /// its matches equal the full scan's, in the same order.
        #[test]
        fn index_matches_equal_the_scan(
            docs in proptest::collection::vec(
                proptest::collection::vec((name(), 0u8..4), 0..8), 1..12),
            edits in proptest::collection::vec(
                (0usize..12, proptest::option::of(proptest::collection::vec((name(), 0u8..4), 0..8))), 0..10),
        ) {
            let mut c = Corpus::new();
            for (i, d) in docs.iter().enumerate() {
                c.set_document(format!("/d{i}.txt").into(), doc(d));
            }
            check(&c)?;
            for (i, e) in edits {
                let path = std::path::PathBuf::from(format!("/d{i}.txt"));
                match e {
                    Some(d) => {
                        c.set_document(path, doc(&d));
                    }
                    None => {
                        c.remove_document(&path);
                    }
                }
                check(&c)?;
            }
        }
    }
}
