//! The corpus index: every document's analysis plus the cross-document
//! structures that link mentions into entities and figures into groups.
//!
//! Updates are by difference: [`Corpus::set_document`] removes the old
//! analysis's contributions and adds the new one's, touching only the keys the
//! document mentions. Everything derived (entities, canonical names, groups)
//! is computed from these counts on demand, so an incrementally updated index
//! answers exactly like one rebuilt from scratch (tested in
//! `tests/incremental.rs`).

pub mod build;
pub mod counts;
mod derived;
pub mod frequent;
mod names;
mod paths;

pub use names::{fuzzy_score, match_order, Match, NameIndex, NameMatches, Query as NameQuery};

use crate::analysis::DocAnalysis;
use crate::dates::{ArticleDate, Ymd};
use crate::kb::{KbEntity, KnowledgeBase};
use crate::linking;
use crate::model::{sym, EntityKind, Figure, NameMention, Span, Sym};
use counts::{Counts, Posting, Postings, SortedSet};
use derived::{Derived, Touched};
use fxhash::FxHashMap;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub type DocId = u32;
pub type KeyId = u32;

/// Keys the key table keeps room for after indexing (at least; a
/// thirty-second of the keys on large corpora). Without it, the first new
/// name after indexing (say, a keystroke in a name in `gazette.toml`)
/// copied the whole table to a larger one under the state lock: 16 ms for
/// the 200,000 keys of a 10^5-entry knowledge base, and the tables' hash
/// maps rehashed as they grew.
const KEY_ROOM: usize = 4096;

/// A mention or figure somewhere in the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemRef {
    pub doc: DocId,
    pub idx: u32,
}

pub struct DocEntry {
    pub path: PathBuf,
    pub analysis: Arc<DocAnalysis>,
    /// Linking key of each mention (parallel to `analysis.mentions`).
    keys: Vec<KeyId>,
    /// Set when this document is the knowledge base (`gazette.toml`).
    pub kb: Option<Arc<KnowledgeBase>>,
    /// In the knowledge base: key → the mention that is an entry's name
    /// (boxed: an article has none, and there are 10^6 articles).
    #[allow(clippy::box_collection)] // 8 bytes per article instead of 48
    kb_defs: Option<Box<HashMap<KeyId, u32>>>,
    /// The stamp of the file at `path` as last read from disk (the key of
    /// its analysis in the persistent index); `None` until a read gives
    /// one. Kept while the editor's buffer replaces the analysis.
    pub stamp: Option<crate::cache::FileStamp>,
    /// The article's date: the one its text states, else one in its file
    /// name, else none (see [`crate::dates`]).
    pub date: Option<ArticleDate>,
}

#[derive(Default)]
struct KeyEntry {
    text: Box<str>,
    /// The mentions with this key (by document).
    docs: Postings,
    total: u32,
    kinds: [u32; 4],
    spellings: Counts<Sym>,
    roles: Counts<Sym>,
    /// Key of the last word, when this is a multi-word person key.
    last_word: Option<KeyId>,
    /// Memo of [`Corpus::last_word_key`] (`None`: not computed yet).
    last_word_memo: Option<Option<KeyId>>,
}

impl KeyEntry {
    /// See [`Corpus::key_profile`].
    fn profile(&self) -> (&str, u32, EntityKind) {
        let e = self;
        let best = e
            .spellings
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map_or(&*e.text, |(s, _)| s.as_str());
        let kind_i = (0..4)
            .max_by_key(|&i| (e.kinds[i], std::cmp::Reverse(i)))
            .unwrap();
        (best, e.total, KINDS[kind_i])
    }
}

/// Everything the corpus says about one entity.
#[derive(Clone, Debug)]
pub struct EntityInfo {
    /// The entity's key (its defining multi-word key where there is one).
    pub key: KeyId,
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub role: Option<String>,
    /// All mentions, in corpus order (path, offset).
    pub mentions: Vec<ItemRef>,
    /// Spellings and how often each occurs (for variant diagnostics).
    pub spellings: Vec<(String, u32)>,
    /// The knowledge-base entry defining the entity, if any (its name and
    /// kind are then the entity's).
    pub kb_entry: Option<KbEntity>,
}

impl EntityInfo {
    pub fn doc_count(&self) -> usize {
        count_docs(&self.mentions)
    }

    /// The mentions in articles: the knowledge base's own entry is not one.
    pub fn article_mentions(&self, corpus: &Corpus) -> Vec<ItemRef> {
        self.mentions
            .iter()
            .copied()
            .filter(|m| !corpus.is_kb_doc(m.doc))
            .collect()
    }
}

/// A mention's key in the link memo: its name's address and its kind. An
/// interned string lives as long as the process at one address, so the
/// address names it; hashing a [`Sym`] reads the hash stored beside its
/// string, a cache miss per mention when 10^5 articles are inserted.
fn memo_key(m: &NameMention) -> (usize, EntityKind) {
    (m.norm.as_char_ptr() as usize, m.kind)
}

/// How many documents `refs` (in corpus order, so grouped by document) are in.
pub fn count_docs(refs: &[ItemRef]) -> usize {
    refs.chunk_by(|a, b| a.doc == b.doc).count()
}

#[derive(Default)]
pub struct Corpus {
    docs: Vec<Option<DocEntry>>,
    free: Vec<DocId>,
    by_path: paths::PathIndex,
    key_ids: FxHashMap<Box<str>, KeyId>,
    keys: Vec<KeyEntry>,
    /// last-word key → multi-word person keys ending in it, with mention counts.
    by_last: FxHashMap<KeyId, Counts<KeyId>>,
    /// Per key, its mentions with a role and the role, sorted: a last
    /// name's family sums the roles of its one-word mentions from here
    /// instead of looking into thousands of documents. (About 2 % of
    /// mentions have a role; keys without any have no entry.)
    key_roles: FxHashMap<KeyId, Vec<(Posting, Sym)>>,
    /// Figures by quantity key and by topic key.
    fig_quantity: FxHashMap<Sym, SortedSet<ItemRef>>,
    fig_topic: FxHashMap<Sym, SortedSet<ItemRef>>,
    /// Memo of [`linking::link_key`] and [`linking::spelling`] per distinct
    /// normalised name (millions of mentions, thousands of names), by
    /// [`memo_key`].
    link_memo: FxHashMap<(usize, EntityKind), (KeyId, Sym)>,
    /// Knowledge-base documents (at most one in practice).
    kb_docs: BTreeSet<DocId>,
    /// Everything computed from the fields above and kept: see
    /// [`derived`]; changed only through [`Corpus::invalidate`].
    derived: Derived,
}

/// Where the one-word person mentions of a last name ("Putin", which ends
/// "Wladimir Putin") go, summed per full name: one pass over the postings
/// of the last word and its full names, shared by every full name's hover
/// card, so a card never walks 10^5 postings of its own.
#[derive(Debug, Default)]
struct Family {
    /// The full name taking the mentions in documents that name none of them.
    default: Option<KeyId>,
    /// Per full name: how many one-word mentions it takes, and their roles.
    joined: FxHashMap<KeyId, (u32, Vec<Sym>)>,
    /// Documents that name no full name, by id: their one-word mentions go
    /// to `default`, or stay with the last name where there is none.
    orphan_docs: Vec<DocId>,
}

/// What the articles say about one topic (figures sharing a topic key),
/// computed once per topic and reused by every article's diagnostics until
/// the corpus changes.
#[derive(Debug, Default)]
pub struct TopicSummary {
    /// Per distinct value, most-stated first (ties: first in corpus order).
    pub values: Vec<TopicValue>,
}

#[derive(Debug)]
pub struct TopicValue {
    pub value: crate::model::FigureValue,
    /// The articles stating it, sorted by id (for membership tests).
    pub docs: Vec<DocId>,
    /// The first figure stating it in each article, in corpus order.
    pub refs: Vec<ItemRef>,
}

impl TopicValue {
    /// Articles other than `doc` that state this value.
    pub fn articles_besides(&self, doc: DocId) -> usize {
        self.docs.len() - self.docs.binary_search(&doc).is_ok() as usize
    }
}

/// A figure value as a hash key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ValueKey {
    Number(crate::model::Decimal),
    Text(Sym),
}

fn value_key(v: &crate::model::FigureValue) -> ValueKey {
    match v {
        crate::model::FigureValue::Number(n) => ValueKey::Number(*n),
        crate::model::FigureValue::Text(t) => ValueKey::Text(*t),
    }
}

/// Which one-word person mentions move in a document: the last word whose
/// mentions they are, and the full name they join there (see
/// [`Corpus::mentions_in`]).
type Joins = Option<(KeyId, Option<KeyId>)>;

/// A group of figures stating the same quantity, as a hover card shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSummary {
    pub statements: usize,
    pub docs: usize,
    /// The first statement in each of the first articles (corpus order),
    /// with the article's number of statements.
    pub first: Vec<(ItemRef, usize)>,
}

/// For a one-word key that ends multi-word person names: the name each
/// document's one-word person mentions join.
struct Winners {
    key: KeyId,
    /// The candidates, best first where no document decides (the first
    /// takes the documents naming none of them).
    order: Vec<KeyId>,
    /// By document id: (count << 32 | rank from the end of `order`) of the
    /// winner where some candidate is named, else 0.
    per_doc: Vec<u64>,
}

impl Winners {
    /// The full name that documents naming no candidate give their mentions
    /// to: the only candidate. Of two or more ("Thomas Müller", "Gerd
    /// Müller"), a lone "Müller" in another article is neither for certain.
    fn default(&self) -> Option<KeyId> {
        match self.order[..] {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The winner in `doc` where some candidate is named there.
    fn local(&self, doc: DocId) -> Option<KeyId> {
        match self.per_doc.get(doc as usize).copied().unwrap_or(0) {
            0 => None,
            v => Some(self.order[self.order.len() - (v as u32) as usize]),
        }
    }

    /// The full name the one-word mentions in `doc` join.
    fn of(&self, doc: DocId) -> Option<KeyId> {
        self.local(doc).or(self.default())
    }
}

/// What a hover card needs of an entity, computed from the per-key counts
/// without listing every mention (cheap for an entity named 100,000 times).
#[derive(Clone, Debug)]
pub struct EntitySummary {
    pub key: KeyId,
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub role: Option<String>,
    pub mention_count: usize,
    pub doc_count: usize,
    pub spellings: Vec<(String, u32)>,
    /// The first mention in each of the first documents (corpus order), with
    /// the number of mentions in that document.
    pub first_mentions: Vec<(ItemRef, usize)>,
    /// When the entity was first and last mentioned, by article date.
    pub dates: Option<DateRange>,
    /// Where it is defined, as [`Corpus::definition`] finds it for an
    /// entity the knowledge base does not describe: its first multi-word
    /// mention in corpus order, else its first mention.
    pub definition: Option<ItemRef>,
    /// The card's lines for `first_mentions` (with their context), made by
    /// whoever shows the card first and kept with the summary: what they
    /// show changes only with what makes the summary forgotten (a change
    /// of an article that mentions the entity).
    pub shown_lines: std::sync::OnceLock<Box<str>>,
}

/// The earliest and latest date of some articles, and how many of them
/// have a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub first: Ymd,
    pub last: Ymd,
    pub dated: usize,
}

fn majority_kind(kinds: &[u32; 4]) -> EntityKind {
    KINDS[(0..4)
        .max_by_key(|&i| (kinds[i], std::cmp::Reverse(i)))
        .unwrap()]
}

/// The most frequent role; a role that extends another ("NATO-Generalsekretär"
/// ⊃ "Generalsekretär") also gets the shorter one's votes, and wins ties.
/// A role's score sums the counts of its suffixes, looked up one character
/// boundary at a time: an entity named 10^5 times has a thousand distinct
/// roles, and comparing every pair would cost milliseconds per hover card.
fn best_role(roles: &FxHashMap<&str, u32>) -> Option<String> {
    highest_scoring_role(roles.keys().copied(), |r| {
        r.char_indices()
            .filter_map(|(i, _)| roles.get(&r[i..]))
            .sum()
    })
}

/// The role with the highest score; ties go to the longer role, then to
/// the alphabetically first.
fn highest_scoring_role<'a>(
    roles: impl Iterator<Item = &'a str>,
    score: impl Fn(&str) -> u32,
) -> Option<String> {
    roles
        .map(|r| (score(r), r.len(), r))
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then_with(|| b.2.cmp(a.2)))
        .map(|(_, _, r)| r.to_string())
}

fn kind_index(k: EntityKind) -> usize {
    match k {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Org => 2,
        EntityKind::Other => 3,
    }
}
const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Place,
    EntityKind::Org,
    EntityKind::Other,
];

impl Corpus {
    pub fn new() -> Corpus {
        Corpus::default()
    }

    pub fn doc_count(&self) -> usize {
        self.by_path.len()
    }

    pub fn doc_id(&self, path: &Path) -> Option<DocId> {
        self.by_path.get(&self.docs, path)
    }

    pub fn doc(&self, id: DocId) -> Option<&DocEntry> {
        self.docs.get(id as usize).and_then(|d| d.as_ref())
    }

    pub fn path(&self, id: DocId) -> &Path {
        &self.doc(id).expect("live document").path
    }

    /// Records the stamp of the file that document `id`'s analysis was
    /// made from ([`DocEntry::stamp`]).
    pub fn set_stamp(&mut self, id: DocId, stamp: Option<crate::cache::FileStamp>) {
        if let Some(Some(e)) = self.docs.get_mut(id as usize) {
            e.stamp = stamp;
        }
    }

    /// All live documents in corpus order (by path).
    pub fn doc_ids(&self) -> Vec<DocId> {
        let ranks = self.ranks();
        let mut ids = vec![0; self.by_path.len()];
        for (d, &r) in ranks.iter().enumerate() {
            if r != u32::MAX {
                ids[r as usize] = d as DocId;
            }
        }
        ids
    }

    /// Every document's position in corpus order (`u32::MAX`: no document),
    /// computed on first use after documents were added or removed.
    fn ranks(&self) -> &[u32] {
        self.derived.rank.get_or_init(|| {
            let mut ranks = vec![u32::MAX; self.docs.len()];
            for (i, d) in self.sorted_ids().into_iter().enumerate() {
                ranks[d as usize] = i as u32;
            }
            ranks
        })
    }

    /// Each document's date, packed, by id (see `Derived::dates`).
    fn dates(&self) -> &[u32] {
        self.derived.dates.get_or_init(|| {
            (0..self.docs.len() as DocId)
                .map(|d| self.packed_date(d))
                .collect()
        })
    }

    /// Document `doc`'s date as the dates column holds it (0: none).
    fn packed_date(&self, doc: DocId) -> u32 {
        self.article_date(doc)
            .map_or(0, |a| derived::pack_date(a.date))
    }

    fn sorted_ids(&self) -> Vec<DocId> {
        let mut ids: Vec<DocId> = self.by_path.ids().collect();
        // Byte order of the paths: a memcmp, where `Path`'s order walks
        // components (ten times slower for 10^5 documents).
        ids.sort_unstable_by(|a, b| {
            self.path(*a)
                .as_os_str()
                .as_encoded_bytes()
                .cmp(self.path(*b).as_os_str().as_encoded_bytes())
        });
        ids
    }

    pub fn mention(&self, r: ItemRef) -> &NameMention {
        &self.doc(r.doc).unwrap().analysis.mentions[r.idx as usize]
    }

    /// The role said of mention `r` in apposition, if any.
    pub fn role(&self, r: ItemRef) -> Option<Sym> {
        self.doc(r.doc)?.analysis.role(r.idx as usize)
    }

    pub fn figure(&self, r: ItemRef) -> &Figure {
        &self.doc(r.doc).unwrap().analysis.figures[r.idx as usize]
    }

    fn intern(&mut self, key: &str) -> KeyId {
        if let Some(&id) = self.key_ids.get(key) {
            return id;
        }
        let id = self.keys.len() as KeyId;
        self.keys.push(KeyEntry {
            text: key.into(),
            ..Default::default()
        });
        self.key_ids.insert(key.into(), id);
        id
    }

    /// The key of the last word of multi-word key `k` (None for one word),
    /// interned on first use and remembered.
    fn last_word_key(&mut self, k: KeyId) -> Option<KeyId> {
        if let Some(m) = self.keys[k as usize].last_word_memo {
            return m;
        }
        let text = self.keys[k as usize].text.clone();
        let lw = text
            .contains(' ')
            .then(|| self.intern(text.rsplit(' ').next().unwrap()));
        self.keys[k as usize].last_word_memo = Some(lw);
        lw
    }

    /// A mention's linking key and spelling (memoised per name and kind).
    fn link_of(&mut self, m: &NameMention) -> (KeyId, Sym) {
        if let Some(&v) = self.link_memo.get(&memo_key(m)) {
            return v;
        }
        let k = self.intern(&linking::link_key(&m.norm, m.kind));
        let v = (k, sym(linking::spelling(&m.norm)));
        self.link_memo.insert(memo_key(m), v);
        v
    }

    pub fn key_text(&self, k: KeyId) -> &str {
        &self.keys[k as usize].text
    }

    pub fn key_id(&self, key: &str) -> Option<KeyId> {
        self.key_ids.get(key).copied()
    }

    /// Adds what document `id` (if live) touches to `touched`: its keys and
    /// its figures' topics. A change collects them before and after it.
    fn touched_by(&self, id: DocId, touched: &mut Touched) {
        let Some(entry) = self.doc(id) else { return };
        touched.keys.extend_from_slice(&entry.keys);
        let topics = entry.analysis.figures.iter().filter_map(|f| f.topic_key);
        touched.topics.extend(topics);
    }

    /// The one place where derived data is forgotten or brought up to date
    /// ([`derived`]): every change of the inputs ends here. Forgets the
    /// summaries of the touched entities and of their last-name families
    /// (a family's full names share it), the touched topics, corpus order
    /// when documents came or went, and updates the frequent names.
    fn invalidate(&mut self, mut touched: Touched) {
        touched.keys.sort_unstable();
        touched.keys.dedup();
        if touched.order {
            self.derived.rank = std::sync::OnceLock::new();
        }
        if self.derived.dates.get().is_some() {
            let patch: Vec<(usize, u32)> = touched
                .docs
                .iter()
                .map(|&d| (d as usize, self.packed_date(d)))
                .collect();
            let dates = self.derived.dates.get_mut().expect("built");
            for (i, v) in patch {
                if dates.len() <= i {
                    dates.resize(i + 1, 0);
                }
                dates[i] = v;
            }
        }
        for &k in &touched.keys {
            let (spelling, total, _) = self.keys[k as usize].profile();
            self.derived.names.update(k, spelling, total);
        }
        if touched.everything {
            self.derived.forget_summaries();
            return self.refresh_frequent(&touched.keys);
        }
        // `&mut self`: the caches are reached without locking.
        let derived = &mut self.derived;
        let (summaries, families) = (derived.summaries.get_mut(), derived.families.get_mut());
        if !(summaries.is_empty() && families.is_empty()) {
            let dropped = derived.dropped.get_mut();
            let mut drop_summary = |k: KeyId| {
                if summaries.remove(&k).is_some() {
                    dropped.insert(k);
                }
            };
            for &t in &touched.keys {
                drop_summary(t);
                for f in std::iter::once(t).chain(self.keys[t as usize].last_word) {
                    drop_summary(f);
                    // A full name's cached summary implies its family is
                    // cached (`compute_entity_summary`).
                    if families.remove(&f).is_some() {
                        for c in self.by_last.get(&f).into_iter().flat_map(|c| c.keys()) {
                            drop_summary(c);
                        }
                    }
                }
            }
        }
        let topics = derived.topics.get_mut();
        for t in &touched.topics {
            topics.remove(t);
        }
        self.refresh_frequent(&touched.keys);
    }

    /// Estimated heap bytes of the index, by table, largest first (for
    /// the debug log; hash tables count their entries, not their slack).
    pub fn heap_report(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        let mut r: FxHashMap<&'static str, usize> = FxHashMap::default();
        let mut add = |k: &'static str, n: usize| *r.entry(k).or_default() += n;
        for e in self.docs.iter().flatten() {
            let a = &e.analysis;
            add(
                "documents: mentions",
                a.mentions.capacity() * size_of::<NameMention>(),
            );
            add(
                "documents: figures",
                a.figures.capacity() * size_of::<Figure>(),
            );
            add("documents: line indexes", a.line_index.heap_bytes());
            add("documents: roles", a.roles.capacity() * 16);
            add("documents: mention keys", e.keys.capacity() * 4);
            add("documents: confidences", a.confidence.capacity());
            // The entry (with its stamp), the shared analysis behind its
            // `Arc`, the path, and the path index's slot.
            add(
                "documents: entries and paths",
                size_of::<Option<DocEntry>>()
                    + 16
                    + size_of::<DocAnalysis>()
                    + e.path.as_os_str().len()
                    + size_of::<DocId>()
                    + 1,
            );
        }
        for k in &self.keys {
            add("keys: postings", k.docs.heap_bytes());
            add(
                "keys: entries, spellings, roles",
                size_of::<KeyEntry>()
                    + k.text.len() * 2
                    + 24
                    + k.spellings.heap_bytes()
                    + k.roles.heap_bytes(),
            );
        }
        for m in [&self.fig_quantity, &self.fig_topic] {
            for v in m.values() {
                add("figure groups", v.heap_bytes() + 8 + 24);
            }
        }
        for v in self.by_last.values() {
            add("last names", v.heap_bytes() + 4 + 24);
        }
        for v in self.key_roles.values() {
            add("role postings", v.capacity() * 16 + 4 + 24);
        }
        add("link memo", self.link_memo.len() * 24);
        for (table, n) in self.derived.names.heap_bytes() {
            add(table, n);
        }
        let mut v: Vec<_> = r.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    /// Gives back the spare capacity of the index's growable tables (after
    /// indexing: postings grown by doubling hold up to twice their size).
    /// The key table keeps room for the keys an editing session adds
    /// ([`KEY_ROOM`]).
    pub fn shrink_to_fit(&mut self) {
        for e in &mut self.keys {
            e.docs.shrink_to_fit();
            e.spellings.shrink_to_fit();
            e.roles.shrink_to_fit();
        }
        let room = KEY_ROOM.max(self.keys.len() / 32);
        self.keys.shrink_to(self.keys.len() + room);
        self.keys.reserve_exact(room);
        self.key_ids.reserve(room);
        self.link_memo.reserve(room);
        self.derived.names.shrink_to_fit(room);
        for m in [&mut self.fig_quantity, &mut self.fig_topic] {
            m.values_mut().for_each(SortedSet::shrink_to_fit);
            m.shrink_to_fit();
        }
        self.by_last.values_mut().for_each(Counts::shrink_to_fit);
        self.key_roles.values_mut().for_each(Vec::shrink_to_fit);
    }

    /// Brings the frequent names (when built) up to date for `keys`, whose
    /// counts just changed.
    fn refresh_frequent(&mut self, keys: &[KeyId]) {
        /// Changes without a question after which the table is dropped.
        const KEEP_UNUSED: u32 = 256;
        let unused = self
            .derived
            .frequent_unused
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if unused >= KEEP_UNUSED {
            self.derived.frequent = std::sync::OnceLock::new();
        }
        if let Some(mut f) = self.derived.frequent.take() {
            Arc::make_mut(&mut f).update(self, keys);
            let _ = self.derived.frequent.set(f);
        }
    }

    /// Adds or replaces the analysis of the document at `path`.
    pub fn set_document(&mut self, path: PathBuf, analysis: Arc<DocAnalysis>) -> DocId {
        let mut touched = Touched::default();
        let id = self.set_document_touching(path, analysis, &mut touched);
        self.invalidate(touched);
        id
    }

    /// [`Self::set_document`] for each of `docs` in turn, their ids in
    /// that order: the same corpus, with what they change brought up to
    /// date once for all of them (each key's name and counts once, not once
    /// per document that mentions it: a warm start inserts 10^5 articles).
    pub fn set_documents(
        &mut self,
        docs: impl IntoIterator<Item = (PathBuf, Arc<DocAnalysis>)>,
    ) -> Vec<DocId> {
        let mut touched = Touched::default();
        let ids = docs
            .into_iter()
            .map(|(path, analysis)| self.set_document_touching(path, analysis, &mut touched))
            .collect();
        self.invalidate(touched);
        ids
    }

    /// [`Self::set_document`], leaving the invalidation to the caller.
    fn set_document_touching(
        &mut self,
        path: PathBuf,
        analysis: Arc<DocAnalysis>,
        touched: &mut Touched,
    ) -> DocId {
        let known = self.by_path.get(&self.docs, &path);
        let id = match known {
            Some(id) => {
                self.touched_by(id, touched);
                self.unlink(id);
                id
            }
            None => {
                let id = self.free.pop().unwrap_or_else(|| {
                    self.docs.push(None);
                    (self.docs.len() - 1) as DocId
                });
                touched.order = true;
                id
            }
        };
        touched.docs.push(id);
        let links: Vec<(KeyId, Sym)> = analysis.mentions.iter().map(|m| self.link_of(m)).collect();
        let keys: Vec<KeyId> = links.iter().map(|l| l.0).collect();
        let date = analysis
            .date
            .or_else(|| crate::dates::date_in_file_name(&path));
        // The file on disk is what it was: an edit in the editor keeps the
        // stamp of the file as last read.
        let stamp = self.docs[id as usize].as_ref().and_then(|e| e.stamp);
        self.docs[id as usize] = Some(DocEntry {
            path,
            date,
            analysis,
            keys,
            kb: None,
            kb_defs: None,
            stamp,
        });
        if known.is_none() {
            self.by_path.insert(&self.docs, id);
        }
        touched.everything |= self.kb_docs.remove(&id);
        self.apply(id, true, Some(&links));
        self.touched_by(id, touched);
        id
    }

    /// Adds or replaces the knowledge base as the pseudo-document at `path`
    /// (`text` is the file's text the knowledge base was parsed from).
    pub fn set_knowledge_base(
        &mut self,
        path: PathBuf,
        text: &str,
        kb: Arc<KnowledgeBase>,
    ) -> DocId {
        self.set_knowledge_base_analysis(path, Arc::new(kb.analysis(text)), kb)
    }

    /// [`Self::set_knowledge_base`] with the pseudo-document already made
    /// (`kb.analysis(text)`, which a server builds off its state lock).
    pub fn set_knowledge_base_analysis(
        &mut self,
        path: PathBuf,
        analysis: Arc<DocAnalysis>,
        kb: Arc<KnowledgeBase>,
    ) -> DocId {
        let names = kb_name_mentions(&analysis, &kb);
        self.set_knowledge_base_prepared(path, analysis, kb, &names)
    }

    /// [`Self::set_knowledge_base_analysis`] with the indices of the
    /// mentions that are entries' names already found
    /// ([`kb_name_mentions`], also off the lock): what is left is linking,
    /// and for a keystroke only the mentions it changed
    /// ([`Self::replace_mentions_in_place`]).
    pub fn set_knowledge_base_prepared(
        &mut self,
        path: PathBuf,
        analysis: Arc<DocAnalysis>,
        kb: Arc<KnowledgeBase>,
        names: &[u32],
    ) -> DocId {
        // Which entities the knowledge base describes changes their cards.
        let mut touched = Touched {
            everything: true,
            ..Touched::default()
        };
        let id = match self.by_path.get(&self.docs, &path) {
            Some(id) if self.kb_docs.contains(&id) => {
                match self.replace_mentions_in_place(id, analysis, &mut touched) {
                    Ok(()) => id,
                    Err(analysis) => self.set_document_touching(path, analysis, &mut touched),
                }
            }
            _ => self.set_document_touching(path, analysis, &mut touched),
        };
        if let Some(e) = self.docs[id as usize].as_mut() {
            let defs = names
                .iter()
                .filter_map(|&i| Some((*e.keys.get(i as usize)?, i)));
            e.kb_defs = Some(Box::new(defs.collect()));
            e.kb = Some(kb);
            e.date = None;
        }
        touched.docs.push(id);
        self.kb_docs.insert(id);
        self.invalidate(touched);
        id
    }

    /// The knowledge-base documents.
    pub fn kb_doc_ids(&self) -> impl Iterator<Item = DocId> + '_ {
        self.kb_docs.iter().copied()
    }

    /// Does any knowledge-base document mention entity `e` (or its last word)?
    pub fn entity_touches_kb(&self, e: KeyId) -> bool {
        let keys = [Some(e), self.keys[e as usize].last_word];
        self.kb_docs.iter().any(|d| {
            keys.iter()
                .flatten()
                .any(|k| self.keys[*k as usize].docs.contains_key(d))
        })
    }

    /// Is `doc` the knowledge base rather than an article?
    pub fn is_kb_doc(&self, doc: DocId) -> bool {
        self.doc(doc).is_some_and(|d| d.kb.is_some())
    }

    /// The knowledge-base entry a mention of the knowledge-base document names.
    pub fn kb_entry(&self, r: ItemRef) -> Option<&KbEntity> {
        let d = self.doc(r.doc)?;
        d.kb.as_ref()?
            .entry_at(d.analysis.mentions.get(r.idx as usize)?.span())
    }

    /// Is `r` the name (not an alias) of a knowledge-base entry?
    pub fn is_kb_definition(&self, r: ItemRef) -> bool {
        let span = self.mention(r).span();
        self.doc(r.doc)
            .and_then(|d| d.kb.as_ref())
            .is_some_and(|kb| kb.is_name_at(span))
    }

    /// Removes the document at `path` (deleted or excluded).
    pub fn remove_document(&mut self, path: &Path) -> Option<DocId> {
        let id = self.by_path.remove(&self.docs, path)?;
        let mut touched = Touched {
            docs: vec![id],
            order: true,
            everything: self.kb_docs.remove(&id),
            ..Touched::default()
        };
        self.touched_by(id, &mut touched);
        self.unlink(id);
        self.docs[id as usize] = None;
        self.free.push(id);
        self.invalidate(touched);
        Some(id)
    }

    fn unlink(&mut self, id: DocId) {
        self.apply(id, false, None)
    }

    /// Adds (or removes) one document's contributions to the shared counts.
    /// `links`: each mention's key and spelling ([`Self::link_of`]) where
    /// the caller has them already.
    fn apply(&mut self, id: DocId, add: bool, links: Option<&[(KeyId, Sym)]>) {
        let entry = self.docs[id as usize].take().expect("live document");
        for (i, (m, &k)) in entry.analysis.mentions.iter().zip(&entry.keys).enumerate() {
            let role = entry.analysis.role(i);
            let spelling = match links {
                Some(l) => l[i].1,
                None => self.link_of(m).1,
            };
            self.apply_mention(id, i, m, k, spelling, role, add);
        }
        self.apply_figures(id, &entry.analysis.figures, add);
        self.docs[id as usize] = Some(entry);
    }

    /// Adds (or removes) the linked figures of document `id` to the figure
    /// groups and topics.
    fn apply_figures(&mut self, id: DocId, figures: &[Figure], add: bool) {
        for (i, f) in figures.iter().enumerate() {
            let r = ItemRef {
                doc: id,
                idx: i as u32,
            };
            for (key, map) in [
                (&f.quantity_key, &mut self.fig_quantity),
                (&f.topic_key, &mut self.fig_topic),
            ] {
                if let Some(key) = *key {
                    if add {
                        map.entry(key).or_default().insert(r);
                    } else if let Some(set) = map.get_mut(&key) {
                        set.remove(&r);
                        if set.is_empty() {
                            map.remove(&key);
                        }
                    }
                }
            }
        }
    }

    /// Forgets the summaries whose cards show a line of document `id` (one
    /// of their first articles): its text changed where its analysis did
    /// not (an edit that moved no name or figure, or an article opened or
    /// closed with other text than its cards were made from). A card shows
    /// at most a few articles, so the cards of a name in many articles
    /// mostly stay.
    pub fn text_changed(&mut self, id: DocId) {
        let derived = &mut self.derived;
        let dropped = derived.dropped.get_mut();
        derived.summaries.get_mut().retain(|&k, (_, s)| {
            let shows = s.first_mentions.iter().any(|(r, _)| r.doc == id);
            if shows {
                dropped.insert(k);
            }
            !shows
        });
    }

    /// Gives document `id` the analysis `analysis`, which differs from the
    /// one held only in figures that link nowhere
    /// ([`DocAnalysis::same_but_unlinked_figures`]): an article opened as
    /// it was indexed gets all its figures back. The linked ones move to
    /// other indices and are indexed again (their topics' summaries are
    /// forgotten); the names are the same, and their summaries stay (a
    /// whole new analysis would forget every card of every name the
    /// article mentions, each a walk of its articles at the next hover).
    pub fn set_unlinked_figures(&mut self, id: DocId, analysis: Arc<DocAnalysis>) {
        let Some(entry) = self.doc(id) else { return };
        debug_assert!(analysis.same_but_unlinked_figures(&entry.analysis));
        let old = entry.analysis.clone();
        let mut touched = Touched::default();
        self.apply_figures(id, &old.figures, false);
        self.apply_figures(id, &analysis.figures, true);
        for a in [&old, &analysis] {
            touched
                .topics
                .extend(a.figures.iter().filter_map(|f| f.topic_key));
        }
        if let Some(e) = self.docs[id as usize].as_mut() {
            e.analysis = analysis;
        }
        self.invalidate(touched);
    }

    /// Adds (or removes) mention `i` of document `id` (`m`, linked to `k`
    /// in `spelling`, with `role`) to the shared counts.
    #[allow(clippy::too_many_arguments)]
    fn apply_mention(
        &mut self,
        id: DocId,
        i: usize,
        m: &NameMention,
        k: KeyId,
        spelling: Sym,
        role: Option<Sym>,
        add: bool,
    ) {
        let r = ItemRef {
            doc: id,
            idx: i as u32,
        };
        let last_word = if m.kind == EntityKind::Person {
            self.last_word_key(k)
        } else {
            None
        };
        let e = &mut self.keys[k as usize];
        let p = Posting::new(r, m.kind == EntityKind::Person, role.is_some());
        if add {
            e.docs.insert(p);
        } else {
            e.docs.remove(p);
        }
        if add {
            e.total += 1;
            e.kinds[kind_index(m.kind)] += 1;
        } else {
            e.total -= 1;
            e.kinds[kind_index(m.kind)] -= 1;
        }
        e.spellings.bump(spelling, add);
        if let Some(role) = role {
            e.roles.bump(role, add);
            let list = self.key_roles.entry(k).or_default();
            match list.binary_search_by_key(&p, |x| x.0) {
                Err(i) if add => list.insert(i, (p, role)),
                Ok(i) if !add => {
                    list.remove(i);
                    if list.is_empty() {
                        self.key_roles.remove(&k);
                    }
                }
                _ => {}
            }
        }
        if let Some(lw) = last_word {
            e.last_word = Some(lw);
            let map = self.by_last.entry(lw).or_default();
            map.bump(k, add);
            if map.is_empty() {
                self.by_last.remove(&lw);
            }
        }
    }

    /// Replaces document `id`'s analysis with one that has as many mentions
    /// and no figures (a keystroke in `gazette.toml`, whose pseudo-document
    /// holds 10^5 names): only the mentions whose linking differs (name,
    /// kind, role) change their postings — every posting is by index, and
    /// spans are read from the analysis. Equal to unlinking and linking the
    /// whole document (tested), without the cost of it per keystroke.
    /// `Err` gives `analysis` back, nothing changed, when the shapes differ.
    fn replace_mentions_in_place(
        &mut self,
        id: DocId,
        analysis: Arc<DocAnalysis>,
        touched: &mut Touched,
    ) -> Result<(), Arc<DocAnalysis>> {
        let Some(entry) = self.docs[id as usize].as_mut() else {
            return Err(analysis);
        };
        let old = entry.analysis.clone();
        if old.mentions.len() != analysis.mentions.len()
            || !old.figures.is_empty()
            || !analysis.figures.is_empty()
        {
            return Err(analysis);
        }
        let changed: Vec<(usize, NameMention, Option<Sym>)> = (0..old.mentions.len())
            .filter(|&i| {
                let (a, b) = (&old.mentions[i], &analysis.mentions[i]);
                a.norm != b.norm || a.kind != b.kind || old.role(i) != analysis.role(i)
            })
            .map(|i| (i, old.mentions[i].clone(), old.role(i)))
            .collect();
        entry.analysis = analysis;
        self.relink(id, &changed, touched);
        Ok(())
    }

    /// Moves mentions of document `id` from the keys they had to the ones
    /// they have now: each of `changed` is (index, the mention before, its
    /// role before); the document's analysis holds them as they are now.
    /// Only these mentions' postings change (postings are by index); the
    /// keys left and joined go into `touched`.
    fn relink(
        &mut self,
        id: DocId,
        changed: &[(usize, NameMention, Option<Sym>)],
        touched: &mut Touched,
    ) {
        let entry = self.docs[id as usize].as_ref().expect("live document");
        let old_keys: Vec<KeyId> = changed.iter().map(|c| entry.keys[c.0]).collect();
        for (c, &k) in changed.iter().zip(&old_keys) {
            let spelling = self.link_of(&c.1).1;
            self.apply_mention(id, c.0, &c.1, k, spelling, c.2, false);
        }
        let analysis = self.docs[id as usize]
            .as_ref()
            .expect("live document")
            .analysis
            .clone();
        let new_keys: Vec<KeyId> = changed
            .iter()
            .map(|c| self.link_of(&analysis.mentions[c.0]).0)
            .collect();
        for (c, &k) in changed.iter().zip(&new_keys) {
            let (i, m) = (c.0, &analysis.mentions[c.0]);
            let spelling = self.link_of(m).1;
            self.apply_mention(id, i, m, k, spelling, analysis.role(i), true);
        }
        let entry = self.docs[id as usize].as_mut().expect("live document");
        for (c, &k) in changed.iter().zip(&new_keys) {
            entry.keys[c.0] = k;
        }
        touched.keys.extend(old_keys);
        touched.keys.extend(new_keys);
    }

    /// Takes the knowledge base out of its pseudo-document at `path`, so
    /// that its owner can edit it in place ([`KnowledgeBase::edit`]; the
    /// corpus holds it too); give it back with [`Self::edit_kb_entry`] or
    /// [`Self::put_kb`]. `None` when `path` is not a knowledge base.
    pub fn take_kb(&mut self, path: &Path) -> Option<Arc<KnowledgeBase>> {
        let id = self.by_path.get(&self.docs, path)?;
        self.docs[id as usize].as_mut()?.kb.take()
    }

    /// Gives back a knowledge base taken with [`Self::take_kb`], unchanged.
    pub fn put_kb(&mut self, path: &Path, kb: Arc<KnowledgeBase>) {
        if let Some(id) = self.by_path.get(&self.docs, path) {
            if let Some(e) = self.docs[id as usize].as_mut() {
                e.kb = Some(kb);
            }
        }
    }

    /// Gives back a knowledge base taken with [`Self::take_kb`] after
    /// [`KnowledgeBase::edit`] changed one entry (`edit`; `new_text` is
    /// the file's text now): the pseudo-document is updated in place —
    /// the entry's mentions replaced, later ones moved, only mentions
    /// whose name or kind changed linked again. A keystroke in a file of
    /// 10^5 entries costs that entry, not the file. Answers as
    /// [`Self::set_knowledge_base`] with the new text would (tested).
    /// False, changing nothing but giving `kb` back, when `path` is not a
    /// knowledge base.
    pub fn edit_kb_entry(
        &mut self,
        path: &Path,
        kb: Arc<KnowledgeBase>,
        edit: &crate::kb::EntryEdit,
        new_text: &str,
    ) -> bool {
        let Some(id) = self.by_path.get(&self.docs, path) else {
            return false;
        };
        let Some(entry) = self.docs[id as usize].as_mut() else {
            return false;
        };
        if !self.kb_docs.contains(&id) || !entry.analysis.figures.is_empty() {
            entry.kb = Some(kb);
            return false;
        }
        let analysis = Arc::make_mut(&mut entry.analysis);
        let (range, old) = kb.edit_analysis(analysis, edit, new_text);
        // The entry's definitions (its name's mention) as they were.
        for i in range.clone() {
            let k = entry.keys[i];
            if let Some(defs) = entry.kb_defs.as_mut() {
                if defs.get(&k) == Some(&(i as u32)) {
                    defs.remove(&k);
                }
            }
        }
        let changed: Vec<(usize, NameMention, Option<Sym>)> = range
            .clone()
            .zip(old)
            .filter(|(i, m)| {
                let now = &analysis.mentions[*i];
                m.norm != now.norm || m.kind != now.kind
            })
            .map(|(i, m)| (i, m, None))
            .collect();
        // Which entities the knowledge base describes changes their cards.
        let mut touched = Touched {
            everything: true,
            ..Touched::default()
        };
        self.relink(id, &changed, &mut touched);
        self.invalidate(touched);
        let entry = self.docs[id as usize].as_mut().expect("live document");
        for i in range {
            let span = entry.analysis.mentions[i].span();
            if kb.is_name_at(span) {
                let defs = entry.kb_defs.get_or_insert_default();
                defs.insert(entry.keys[i], i as u32);
            }
        }
        entry.kb = Some(kb);
        true
    }

    /// The entity (as its key) that mention `idx` of document `doc` belongs to.
    ///
    /// A one-word person mention ("Putin", "Stoltenberg") joins the multi-word
    /// person entity ending in that word: the one this document names most
    /// often (ties: the one the corpus names most often, then the smaller
    /// key, so the answer never depends on the order documents were indexed
    /// in); in a document that names none, the corpus's only one. Where the
    /// corpus has several, it stays a name of its own.
    pub fn entity_of(&self, r: ItemRef) -> KeyId {
        let entry = self.doc(r.doc).expect("live document");
        let k = entry.keys[r.idx as usize];
        if entry.analysis.mentions[r.idx as usize].kind != EntityKind::Person {
            return k;
        }
        self.doc_winner(k, r.doc).unwrap_or(k)
    }

    /// The full name that the one-word person mentions of `k` in document
    /// `doc` join (see [`Self::entity_of`]); `None` when `k` ends no full name.
    fn doc_winner(&self, k: KeyId, doc: DocId) -> Option<KeyId> {
        let cands = self.by_last.get(&k)?;
        let score = |c: KeyId| {
            let e = &self.keys[c as usize];
            (e.docs.get(&doc).unwrap_or(0), e.total)
        };
        let mut best: Option<(KeyId, (u32, u32))> = None;
        for c in cands.keys() {
            let s = score(c);
            let better = match best {
                None => true,
                Some((b, bs)) => s > bs || (s == bs && self.key_text(c) < self.key_text(b)),
            };
            if better {
                best = Some((c, s));
            }
        }
        // Named in this document, or the corpus's only full name.
        best.filter(|&(_, (here, _))| here > 0 || cands.len() == 1)
            .map(|(c, _)| c)
    }

    /// Every mention of entity `e`, in corpus order.
    pub fn entity_mentions(&self, e: KeyId) -> Vec<ItemRef> {
        self.entity_mentions_by_doc(e).flatten().collect()
    }

    /// The mentions of entity `e` one document at a time, in corpus order,
    /// found as the iterator is advanced: the first documents' mentions
    /// cost the same whether the entity has ten mentions or a million.
    pub fn entity_mentions_by_doc(&self, e: KeyId) -> impl Iterator<Item = Vec<ItemRef>> + '_ {
        let (docs, lw) = self.candidate_docs(e);
        let winners = self.family_key(e, lw).and_then(|k| self.winners_for(k));
        let mut found = Vec::new();
        docs.into_iter().filter_map(move |d| {
            let joins = winners.as_ref().map(|w| (w.key, w.of(d)));
            found.clear();
            self.mentions_in(e, lw, d, joins, &mut found);
            let items: Vec<ItemRef> = found.iter().map(|p| p.item()).collect();
            (!items.is_empty()).then_some(items)
        })
    }

    /// The last word whose one-word person mentions may join or leave
    /// entity `e`: its own last word `lw`, or `e` itself when it is one.
    fn family_key(&self, e: KeyId, lw: Option<KeyId>) -> Option<KeyId> {
        lw.or(self.by_last.contains_key(&e).then_some(e))
    }

    /// Which full name each document's one-word person mentions of last
    /// word `k` join (see [`Self::entity_of`]), for all documents at once
    /// (one pass over the candidates' postings) instead of per mention.
    fn winners_for(&self, k: KeyId) -> Option<Winners> {
        let cands = self.by_last.get(&k)?;
        // From best to worst where counts in a document tie (or are all
        // zero): the most mentioned overall, then by text.
        let mut order: Vec<KeyId> = cands.keys().collect();
        order.sort_by(|&a, &b| {
            let (ea, eb) = (&self.keys[a as usize], &self.keys[b as usize]);
            eb.total.cmp(&ea.total).then_with(|| ea.text.cmp(&eb.text))
        });
        // Indexed by document id (dense: one pass over the postings): the
        // count in the document, then the place in `order`, packed so that
        // the larger value wins; 0 where no candidate is named.
        let mut per_doc = vec![0u64; self.docs.len()];
        for (i, &c) in order.iter().enumerate() {
            let tie = (order.len() - i) as u64;
            for (d, n) in self.keys[c as usize].docs.iter() {
                let v = (u64::from(n) << 32) | tie;
                let slot = &mut per_doc[d as usize];
                *slot = (*slot).max(v);
            }
        }
        Some(Winners {
            key: k,
            order,
            per_doc,
        })
    }

    /// A document's position in corpus order (by path).
    pub fn rank(&self, doc: DocId) -> u32 {
        self.ranks().get(doc as usize).copied().unwrap_or(u32::MAX)
    }

    /// The first `n` of `docs` in corpus order (a selection, not a sort of
    /// all of them: a key can be in 10^5 documents).
    fn first_in_order(&self, docs: impl Iterator<Item = DocId>, n: usize) -> Vec<DocId> {
        let mut v: Vec<(u32, DocId)> = docs.map(|d| (self.rank(d), d)).collect();
        if v.len() > n {
            v.select_nth_unstable(n);
            v.truncate(n);
        }
        v.sort_unstable();
        v.into_iter().map(|(_, d)| d).collect()
    }

    fn sort_refs(&self, refs: &mut [ItemRef], span: impl Fn(ItemRef) -> Span) {
        refs.sort_by_key(|r| (self.rank(r.doc), span(*r)));
    }

    /// The documents holding mentions with key `e` or, for a multi-word
    /// person, with its last word — in corpus order — and that last word
    /// (when its one-word mentions can join `e`).
    fn candidate_docs(&self, e: KeyId) -> (Vec<DocId>, Option<KeyId>) {
        let lw = self.joining_last_word(e);
        let mut docs: Vec<DocId> = self.keys[e as usize].docs.keys().collect();
        if let Some(lw) = lw {
            docs.extend(self.keys[lw as usize].docs.keys());
            docs.sort_unstable();
            docs.dedup();
        }
        docs.sort_by_key(|&d| self.rank(d));
        (docs, lw)
    }

    /// The last word of full name `e`, when its one-word mentions can join `e`.
    fn joining_last_word(&self, e: KeyId) -> Option<KeyId> {
        self.keys[e as usize]
            .last_word
            .filter(|lw| self.by_last.get(lw).is_some_and(|m| m.contains_key(&e)))
    }

    /// Mentions of entity `e` in document `doc`, in text order. `joins`:
    /// the last word whose one-word person mentions move (`lw` or `e`
    /// itself) and the full name they join in this document.
    fn mentions_in(
        &self,
        e: KeyId,
        lw: Option<KeyId>,
        doc: DocId,
        joins: Joins,
        out: &mut Vec<Posting>,
    ) {
        let start = out.len();
        for mk in std::iter::once(e).chain(lw) {
            for &p in self.keys[mk as usize].docs.in_doc(doc) {
                // As entity_of: only person mentions of a last word move to
                // a multi-word entity (where one wins in this document);
                // everything else stays with its key.
                let stays = match joins {
                    Some((k, winner)) if k == mk && p.is_person() => winner.unwrap_or(mk) == e,
                    _ => mk == e,
                };
                if stays {
                    out.push(p);
                }
            }
        }
        if lw.is_some() {
            out[start..].sort_unstable();
        }
    }

    /// The mentions of key `k` that have a role, with the role.
    fn roles_of_key(&self, k: KeyId) -> &[(Posting, Sym)] {
        self.key_roles.get(&k).map_or(&[], |v| v.as_slice())
    }

    /// The last-name family of `k` (cached until a document naming `k` or
    /// one of its full names changes).
    fn family(&self, k: KeyId) -> Arc<Family> {
        if let Some(f) = self.derived.families.lock().get(&k) {
            return f.clone();
        }
        let mut fam = Family::default();
        if let Some(w) = self.winners_for(k) {
            fam.default = w.default();
            for chunk in self.keys[k as usize].docs.by_doc() {
                let d = chunk[0].doc;
                let people = chunk.iter().filter(|p| p.is_person()).count() as u32;
                let local = w.local(d);
                if local.is_none() && people > 0 {
                    fam.orphan_docs.push(d);
                }
                let Some(winner) = local.or(fam.default).filter(|_| people > 0) else {
                    continue;
                };
                fam.joined.entry(winner).or_default().0 += people;
            }
            for &(p, role) in self.roles_of_key(k).iter().filter(|x| x.0.is_person()) {
                if let Some(winner) = w.of(p.doc) {
                    fam.joined.entry(winner).or_default().1.push(role);
                }
            }
        }
        let fam = Arc::new(fam);
        self.derived.families.lock().insert(k, fam.clone());
        fam
    }

    /// A hover card's worth of facts about entity `e`, from the per-key
    /// counts, the last-name family (when one-word mentions can join or
    /// leave the entity) and the first few documents: never a walk over
    /// every mention of an entity named 100,000 times. Cached until a
    /// document touching the entity changes.
    pub fn entity_summary(&self, e: KeyId, max_docs: usize) -> Arc<EntitySummary> {
        if let Some((n, s)) = self.derived.summaries.lock().get(&e) {
            if *n == max_docs {
                return s.clone();
            }
        }
        let s = Arc::new(self.compute_entity_summary(e, max_docs));
        self.derived
            .summaries
            .lock()
            .insert(e, (max_docs, s.clone()));
        self.derived.dropped.lock().remove(&e);
        s
    }

    /// Number of name keys (ids `0..key_count()`; some may have no
    /// mentions left).
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// Those of `keys` with at least `min_mentions` mentions whose summary
    /// for `max_docs` is not cached: what to summarise ahead of the first
    /// hover. A summary walks its key's postings, tens of milliseconds for
    /// a name in 10^5 articles; a rare name's walk is too short to be worth
    /// making ahead.
    pub fn summaries_to_warm(
        &self,
        keys: impl Iterator<Item = KeyId>,
        min_mentions: u32,
        max_docs: usize,
    ) -> Vec<KeyId> {
        let cached = self.derived.summaries.lock();
        keys.filter(|&e| {
            self.keys
                .get(e as usize)
                .is_some_and(|k| k.total >= min_mentions)
        })
        .filter(|e| cached.get(e).is_none_or(|(n, _)| *n != max_docs))
        .collect()
    }

    /// The name keys with at least `min` mentions, most mentioned first
    /// (then by key): the order in which hover cards are made ahead, so
    /// that the names hovered most are ready first. One pass over the name
    /// index's column of totals.
    pub fn keys_by_mentions(&self, min: u32) -> Vec<KeyId> {
        self.derived.names.keys_by_mentions(min)
    }

    /// The full names whose cards a hover on the one-word name `last`
    /// shows, when `last` ends full names ("Putin": a one-word mention
    /// joins "Wladimir Putin"): the family's default (which takes the
    /// mentions of articles naming no full name, a walk of its own) and
    /// those that, with the one-word mentions they take, have at least
    /// `min` mentions; most mentioned first. Computes `last`'s family (the
    /// pass over its postings that every such card needs), which is kept.
    pub fn full_names_to_warm(&self, last: KeyId, min: u32) -> Vec<KeyId> {
        if !self.by_last.contains_key(&last) {
            return Vec::new();
        }
        let fam = self.family(last);
        let mut v: Vec<(u32, KeyId)> = (fam.joined.iter())
            .map(|(&c, (n, _))| (self.keys[c as usize].total + n, c))
            .filter(|&(n, c)| n >= min || fam.default == Some(c))
            .collect();
        if let Some(d) = fam.default.filter(|d| !fam.joined.contains_key(d)) {
            v.push((self.keys[d as usize].total, d));
        }
        v.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        v.into_iter().map(|(_, c)| c).collect()
    }

    /// The keys whose cached summaries changes dropped and nobody has
    /// asked for since (see [`derived::Derived::dropped`]).
    pub fn dropped_summaries(&self) -> Vec<KeyId> {
        let mut v: Vec<KeyId> = self.derived.dropped.lock().iter().copied().collect();
        v.sort_unstable();
        v
    }

    fn compute_entity_summary(&self, e: KeyId, max_docs: usize) -> EntitySummary {
        let entry = &self.keys[e as usize];
        let mut kinds = entry.kinds;
        let mut roles: FxHashMap<&str, u32> =
            entry.roles.iter().map(|(r, n)| (r.as_str(), n)).collect();
        let mut mention_count = entry.total as usize;
        let mut doc_count = entry.docs.len();
        let lw = self.joining_last_word(e);
        let first_docs;
        let dates;
        // The last word whose one-word mentions move (`lw`, or `e` itself).
        let family = self.family_key(e, lw);
        if let Some(k) = lw {
            // A full name: its own mentions plus the one-word mentions of
            // its last word that join it.
            let fam = self.family(k);
            if let Some((n, rs)) = fam.joined.get(&e) {
                mention_count += *n as usize;
                kinds[0] += n;
                for r in rs {
                    *roles.entry(r.as_str()).or_default() += 1;
                }
            }
            let orphans = match fam.default == Some(e) {
                true => &fam.orphan_docs[..],
                false => &[],
            };
            doc_count += orphans.len();
            // Disjoint: orphan documents name no full name, `e` included.
            first_docs =
                self.first_in_order(entry.docs.keys().chain(orphans.iter().copied()), max_docs);
            dates = self.date_range(entry.docs.keys().chain(orphans.iter().copied()));
        } else if self.by_last.contains_key(&e) {
            // A last word: its person mentions join full names, but in the
            // documents naming none where the corpus has several; what
            // stays are the others.
            let fam = self.family(e);
            // (`orphan_docs` is in id order, as the postings are.)
            let unjoined =
                |d: DocId| fam.default.is_none() && fam.orphan_docs.binary_search(&d).is_ok();
            let stays_with = |p: &Posting| !p.is_person() || unjoined(p.doc);
            roles.clear();
            kinds[0] = 0;
            mention_count = 0;
            let mut docs = Vec::new();
            for chunk in entry.docs.by_doc() {
                let mut stays = chunk.iter().filter(|p| stays_with(p)).peekable();
                if stays.peek().is_some() {
                    docs.push(chunk[0].doc);
                }
                for p in stays {
                    mention_count += 1;
                    kinds[0] += u32::from(p.is_person());
                }
            }
            for (_, r) in self.roles_of_key(e).iter().filter(|x| stays_with(&x.0)) {
                *roles.entry(r.as_str()).or_default() += 1;
            }
            doc_count = docs.len();
            dates = self.date_range(docs.iter().copied());
            first_docs = self.first_in_order(docs.into_iter(), max_docs);
        } else {
            // One walk over the postings (10^6 and more for a frequent name).
            let docs: Vec<DocId> = entry.docs.keys().collect();
            first_docs = self.first_in_order(docs.iter().copied(), max_docs);
            dates = self.date_range(docs.into_iter());
        }
        let mut first_mentions = Vec::new();
        let mut full_name = None;
        let mut buf = Vec::new();
        for d in first_docs {
            buf.clear();
            // A last word's own person mentions all go to full names.
            let joins = family.map(|k| (k, (k != e).then(|| self.doc_winner(k, d)).flatten()));
            self.mentions_in(e, lw, d, joins, &mut buf);
            if let Some(&p) = buf.first() {
                first_mentions.push((p.item(), buf.len()));
            }
            if full_name.is_none() {
                full_name = buf
                    .iter()
                    .map(|p| p.item())
                    .find(|&r| self.is_full_name_of(e, r));
            }
        }
        // The first documents may all hold one-word mentions only (a full
        // name's joined last word): then its first own mention decides.
        let definition = full_name
            .or_else(|| self.first_full_name(e))
            .or(first_mentions.first().map(|m| m.0));
        let spellings = self.ranked_spellings(e, first_mentions.first().map(|(r, _)| r.doc));
        let name = spellings
            .first()
            .map(|s| s.0.clone())
            .unwrap_or_else(|| entry.text.to_string());
        EntitySummary {
            key: e,
            id: linking::slug(&entry.text),
            name,
            kind: majority_kind(&kinds),
            role: best_role(&roles),
            mention_count,
            doc_count,
            spellings,
            first_mentions,
            dates,
            definition,
            shown_lines: std::sync::OnceLock::new(),
        }
    }

    /// Is mention `r` one of key `e`'s own, with a name of several words
    /// (what [`Self::definition_among`] looks for)?
    fn is_full_name_of(&self, e: KeyId, r: ItemRef) -> bool {
        self.doc(r.doc).is_some_and(|d| d.keys[r.idx as usize] == e)
            && linking::name_words(&self.mention(r).norm).len() > 1
    }

    /// Key `e`'s first own multi-word mention in corpus order, for a key of
    /// several words (a one-word key has none: no walk).
    fn first_full_name(&self, e: KeyId) -> Option<ItemRef> {
        let entry = &self.keys[e as usize];
        entry.text.split_whitespace().nth(1)?;
        let first = self.first_in_order(entry.docs.keys(), 1);
        let d = *first.first()?;
        let in_doc = entry.docs.in_doc(d).iter().map(|p| p.item());
        in_doc.into_iter().find(|&r| self.is_full_name_of(e, r))
    }

    /// The article date of document `doc` (see [`DocEntry::date`]).
    pub fn article_date(&self, doc: DocId) -> Option<ArticleDate> {
        self.doc(doc).and_then(|e| e.date)
    }

    /// The first and last date among the articles `docs` (`None` when none
    /// has a date).
    pub fn date_range(&self, docs: impl Iterator<Item = DocId>) -> Option<DateRange> {
        let col = self.dates();
        let (mut first, mut last, mut dated) = (u32::MAX, 0, 0);
        for v in docs.filter_map(|d| col.get(d as usize).copied().filter(|&v| v != 0)) {
            first = first.min(v);
            last = last.max(v);
            dated += 1;
        }
        (dated > 0).then(|| DateRange {
            first: derived::unpack_date(first),
            last: derived::unpack_date(last),
            dated,
        })
    }

    /// The key's spellings, most frequent first; ties broken by the spelling
    /// met first in the first document, then alphabetically.
    fn ranked_spellings(&self, e: KeyId, first_doc: Option<DocId>) -> Vec<(String, u32)> {
        let entry = &self.keys[e as usize];
        let mut spellings: Vec<(String, u32)> = entry
            .spellings
            .iter()
            .map(|(s, c)| (s.to_string(), c))
            .collect();
        let first_seen = |s: &str| -> usize {
            let Some(d) = first_doc else {
                return usize::MAX;
            };
            let doc = self.doc(d).unwrap();
            doc.keys
                .iter()
                .zip(&doc.analysis.mentions)
                .position(|(&k, m)| k == e && linking::spelling(&m.norm) == s)
                .unwrap_or(usize::MAX)
        };
        spellings.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| first_seen(&a.0).cmp(&first_seen(&b.0)))
                .then(a.0.cmp(&b.0))
        });
        spellings
    }

    /// What the corpus says about entity `e`, with every mention.
    pub fn entity_info(&self, e: KeyId) -> EntityInfo {
        let mentions = self.entity_mentions(e);
        let mut kinds = [0u32; 4];
        let mut roles: FxHashMap<&str, u32> = FxHashMap::default();
        for &r in &mentions {
            kinds[kind_index(self.mention(r).kind)] += 1;
            if let Some(role) = self.role(r) {
                *roles.entry(role.as_str()).or_default() += 1;
            }
        }
        let entry = &self.keys[e as usize];
        let spellings = self.ranked_spellings(e, mentions.first().map(|r| r.doc));
        let name = spellings
            .first()
            .map(|s| s.0.clone())
            .unwrap_or_else(|| entry.text.to_string());
        let kb_entry = mentions
            .iter()
            .find(|&&r| self.is_kb_definition(r))
            .and_then(|&r| self.kb_entry(r).cloned());
        let (name, kind) = match &kb_entry {
            Some(k) => (k.name.clone(), k.kind),
            None => (name, majority_kind(&kinds)),
        };
        EntityInfo {
            key: e,
            id: linking::slug(&entry.text),
            name,
            kind,
            role: best_role(&roles),
            mentions,
            spellings,
            kb_entry,
        }
    }

    /// The entity's defining mention: its knowledge-base entry, else its
    /// first multi-word mention in corpus order (the full name), else its
    /// first mention.
    pub fn definition(&self, info: &EntityInfo) -> Option<ItemRef> {
        self.definition_among(info.key, &info.mentions)
    }

    /// [`Self::definition`] of entity `key` given its mentions (corpus order).
    pub fn definition_among(&self, key: KeyId, mentions: &[ItemRef]) -> Option<ItemRef> {
        // A knowledge-base entry is the definition of its entity.
        if let Some(r) = mentions
            .iter()
            .copied()
            .filter(|r| self.kb_docs.contains(&r.doc))
            .find(|&r| self.is_kb_definition(r))
        {
            return Some(r);
        }
        mentions
            .iter()
            .copied()
            .find(|&r| self.is_full_name_of(key, r))
            .or_else(|| mentions.first().copied())
    }

    /// All entities of the corpus, sorted by id.
    pub fn entities(&self) -> Vec<EntityInfo> {
        let mut targets = BTreeSet::new();
        for (id, entry) in self.docs.iter().enumerate() {
            let (Some(entry), id) = (entry, id as DocId) else {
                continue;
            };
            for i in 0..entry.keys.len() {
                targets.insert(self.entity_of(ItemRef {
                    doc: id,
                    idx: i as u32,
                }));
            }
        }
        let mut out: Vec<EntityInfo> = targets.into_iter().map(|e| self.entity_info(e)).collect();
        out.sort_by(|a, b| {
            a.id.cmp(&b.id)
                .then_with(|| self.key_text(a.key).cmp(self.key_text(b.key)))
        });
        out
    }

    /// Spellings of the key of mention `r` and how often articles use
    /// each: the knowledge base's own names and aliases are not uses (a
    /// spelling only the knowledge base has is listed with 0).
    pub fn key_spellings(&self, r: ItemRef) -> Vec<(&str, u32)> {
        let entry = &self.keys[self.key_of(r) as usize];
        let mut out: Vec<(&str, u32)> = entry
            .spellings
            .iter()
            .map(|(s, n)| (s.as_str(), n))
            .collect();
        for &d in &self.kb_docs {
            for p in entry.docs.in_doc(d) {
                let m = self.mention(p.item());
                let Some(spelling) = self.link_memo.get(&memo_key(m)).map(|x| x.1) else {
                    continue;
                };
                if let Some(x) = out.iter_mut().find(|x| x.0 == spelling.as_str()) {
                    x.1 = x.1.saturating_sub(1);
                }
            }
        }
        out
    }

    /// The multi-word person names ending in the one-word name `last`
    /// ("Putin": "Wladimir Putin", "Ljudmila Putin"), in key order: the
    /// entities a one-word mention of it may join.
    pub fn full_names_ending_in(&self, last: KeyId) -> Vec<KeyId> {
        self.by_last
            .get(&last)
            .map(|c| c.keys().collect())
            .unwrap_or_default()
    }

    /// The key of mention `r`.
    pub fn key_of(&self, r: ItemRef) -> KeyId {
        self.doc(r.doc).unwrap().keys[r.idx as usize]
    }

    /// How many mentions the corpus has with key `k`.
    pub fn key_total(&self, k: KeyId) -> u32 {
        self.keys[k as usize].total
    }

    /// Keys with at least `min` mentions: (key, its most frequent spelling,
    /// total, most frequent kind), in key order.
    pub fn frequent_keys(&self, min: u32) -> Vec<(KeyId, &str, u32, EntityKind)> {
        let mut out: Vec<(KeyId, &str, u32, EntityKind)> = (0..self.keys.len() as KeyId)
            .filter(|&k| self.keys[k as usize].total >= min)
            .map(|k| {
                let (spelling, total, kind) = self.key_profile(k);
                (k, spelling, total, kind)
            })
            .collect();
        out.sort_by(|a, b| self.key_text(a.0).cmp(self.key_text(b.0)));
        out
    }

    /// Key `k`'s most frequent spelling, its number of mentions and its
    /// most frequent kind.
    pub fn key_profile(&self, k: KeyId) -> (&str, u32, EntityKind) {
        self.keys[k as usize].profile()
    }

    /// The knowledge-base name of the key of mention `r`, when the knowledge
    /// base defines it.
    pub fn kb_name(&self, r: ItemRef) -> Option<&str> {
        let k = self.key_of(r);
        let docs = &self.keys[k as usize].docs;
        for &doc in &self.kb_docs {
            if !docs.contains_key(&doc) {
                continue;
            }
            let d = self.doc(doc)?;
            if let Some(&i) = d.kb_defs.as_ref().and_then(|defs| defs.get(&k)) {
                return Some(&d.analysis.mentions[i as usize].norm);
            }
        }
        None
    }

    /// The first mention with key `k` in corpus order (path, offset), cheaply
    /// (without building the entity).
    pub fn first_mention_of_key(&self, k: KeyId) -> Option<ItemRef> {
        let doc = self.keys[k as usize]
            .docs
            .keys()
            .min_by_key(|d| self.rank(*d))?;
        let idx = self.doc(doc)?.keys.iter().position(|&x| x == k)?;
        Some(ItemRef {
            doc,
            idx: idx as u32,
        })
    }

    /// Frequent names for the unknown-name check (built on first use, then
    /// updated by each change for the keys it touched).
    pub fn frequent_names(&self) -> Arc<frequent::FrequentNames> {
        self.derived
            .frequent_unused
            .store(0, std::sync::atomic::Ordering::Relaxed);
        self.derived
            .frequent
            .get_or_init(|| Arc::new(frequent::FrequentNames::new(self)))
            .clone()
    }

    /// Figures stating the same quantity as `r` (itself included), corpus order.
    pub fn same_quantity(&self, r: ItemRef) -> Vec<ItemRef> {
        self.figures_sharing(&self.fig_quantity, self.figure(r).quantity_key, r)
    }

    /// How many statements of the same quantity as figure `r` there are, in
    /// how many articles, and the first statement in each of the first
    /// `max_docs` articles (corpus order) with the article's count: what a
    /// hover card shows, without sorting a group of 10^5 statements.
    pub fn same_quantity_summary(&self, r: ItemRef, max_docs: usize) -> GroupSummary {
        let own = [r];
        let refs = match self.figure(r).quantity_key {
            Some(k) => self.fig_quantity.get(&k).map_or(&own[..], |s| s.as_slice()),
            None => &own[..],
        };
        // `refs` is sorted by (doc, idx): an article's statements are adjacent.
        let docs = refs.chunk_by(|a, b| a.doc == b.doc);
        let first = self
            .first_in_order(docs.clone().map(|c| c[0].doc), max_docs)
            .into_iter()
            .map(|d| {
                let a = refs.partition_point(|x| x.doc < d);
                let b = a + refs[a..].partition_point(|x| x.doc == d);
                let here = &refs[a..b];
                let first = here.iter().min_by_key(|x| self.figure(**x).span());
                (*first.expect("a document of the group"), here.len())
            })
            .collect();
        GroupSummary {
            statements: refs.len(),
            docs: docs.count(),
            first,
        }
    }

    /// Up to `max` statements of other values on figure `r`'s topic, one per
    /// value and article, in corpus order (from the cached topic summary).
    pub fn other_values(&self, r: ItemRef, max: usize) -> Vec<ItemRef> {
        let f = self.figure(r);
        let Some(key) = f.topic_key else {
            return Vec::new();
        };
        let topic = self.topic_summary(key);
        let mine = value_key(&f.value);
        let mut out: Vec<ItemRef> = topic
            .values
            .iter()
            .filter(|v| value_key(&v.value) != mine)
            .flat_map(|v| v.refs.iter().take(max))
            .copied()
            .collect();
        self.sort_refs(&mut out, |x| self.figure(x).span());
        out.truncate(max);
        out
    }

    /// The group id of a figure: its quantity key when another figure shares it.
    pub fn same_as(&self, r: ItemRef) -> Option<&str> {
        let k = self.figure(r).quantity_key?;
        let set = self.fig_quantity.get(&k)?;
        (set.len() >= 2).then_some(k.as_str())
    }

    /// Frees the topic summaries after a pass over every document's
    /// diagnostics filled them: they are rebuilt on demand, and on 10^5
    /// articles they hold tens of megabytes. (Entity summaries are only
    /// made for what someone hovered, and stay.)
    pub fn drop_query_caches(&self) {
        self.derived.topics.lock().clear();
    }

    /// The values stated about topic `key` and by which articles (cached
    /// until the next change).
    pub fn topic_summary(&self, key: Sym) -> Arc<TopicSummary> {
        if let Some(t) = self.derived.topics.lock().get(&key) {
            return t.clone();
        }
        let refs = self.fig_topic.get(&key).map_or(&[][..], |s| s.as_slice());
        let mut index: HashMap<ValueKey, usize> = HashMap::new();
        let mut values: Vec<TopicValue> = Vec::new();
        // `refs` is sorted by (doc, idx): an article's figures are adjacent.
        for &r in refs {
            let v = &self.figure(r).value;
            let g = *index.entry(value_key(v)).or_insert_with(|| {
                values.push(TopicValue {
                    value: v.clone(),
                    docs: Vec::new(),
                    refs: Vec::new(),
                });
                values.len() - 1
            });
            let tv = &mut values[g];
            if tv.docs.last() != Some(&r.doc) {
                tv.docs.push(r.doc);
                tv.refs.push(r);
            }
        }
        for tv in &mut values {
            tv.refs.sort_by_key(|r| (self.rank(r.doc), r.idx));
        }
        values.sort_by_key(|tv| {
            (
                std::cmp::Reverse(tv.docs.len()),
                tv.refs.first().map(|r| self.rank(r.doc)),
            )
        });
        let t = Arc::new(TopicSummary { values });
        self.derived.topics.lock().insert(key, t.clone());
        t
    }

    /// The figures filed under `key` in `map` (just `r` without a key), corpus order.
    fn figures_sharing(
        &self,
        map: &FxHashMap<Sym, SortedSet<ItemRef>>,
        key: Option<Sym>,
        r: ItemRef,
    ) -> Vec<ItemRef> {
        let mut out: Vec<ItemRef> = match key {
            Some(k) => map
                .get(&k)
                .map(|s| s.as_slice().to_vec())
                .unwrap_or_default(),
            None => vec![r],
        };
        self.sort_refs(&mut out, |r| self.figure(r).span());
        out
    }
}

/// The indices of the knowledge base pseudo-document's mentions that are an
/// entry's name (not an alias): its definitions.
pub fn kb_name_mentions(analysis: &DocAnalysis, kb: &KnowledgeBase) -> Vec<u32> {
    analysis
        .mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| kb.is_name_at(m.span()))
        .map(|(i, _)| i as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::best_role;
    use super::{Corpus, DocId};
    use crate::dates::Ymd;
    use fxhash::FxHashMap;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    use std::sync::Arc;

    #[test]
    fn date_ranges_follow_additions_and_removals() {
        let analysis = || {
            let o = crate::recognize::Overrides::default();
            Arc::new(crate::analysis::analyze(
                "Angela Merkel besuchte Paris.",
                &o,
            ))
        };
        let path = |n: &str| PathBuf::from(format!("/news/{n}.txt"));
        let all = |c: &Corpus| {
            let live = (0..c.docs.len() as DocId).filter(|&d| c.doc(d).is_some());
            c.date_range(live).map(|r| (r.first, r.last, r.dated))
        };
        let ymd = |y, m, d| Ymd::new(y, m, d).unwrap();
        let mut c = Corpus::new();
        for n in ["2020-01-05-a", "2021-03-07-b", "2019-12-31-c"] {
            c.set_document(path(n), analysis());
        }
        // The column is built here, then patched by the changes below.
        assert_eq!(all(&c), Some((ymd(2019, 12, 31), ymd(2021, 3, 7), 3)));
        c.remove_document(&path("2019-12-31-c"));
        c.set_document(path("2022-02-02-d"), analysis()); // the freed id
        c.set_document(path("e-undated"), analysis());
        let mut fresh = Corpus::new();
        for n in ["2020-01-05-a", "2021-03-07-b", "2022-02-02-d", "e-undated"] {
            fresh.set_document(path(n), analysis());
        }
        assert_eq!(all(&c), Some((ymd(2020, 1, 5), ymd(2022, 2, 2), 3)));
        assert_eq!(all(&c), all(&fresh));
        c.remove_document(&path("2020-01-05-a"));
        c.remove_document(&path("2021-03-07-b"));
        c.remove_document(&path("2022-02-02-d"));
        assert_eq!(all(&c), None);
    }

    #[test]
    fn packed_dates_sort_like_days() {
        use super::derived::{pack_date, unpack_date};
        let days = [
            (1900, 1, 1),
            (1999, 12, 31),
            (2000, 1, 1),
            (2024, 2, 29),
            (2100, 12, 31),
        ];
        let days: Vec<Ymd> = days
            .iter()
            .map(|&(y, m, d)| Ymd::new(y, m, d).unwrap())
            .collect();
        for w in days.windows(2) {
            assert!(pack_date(w[0]) < pack_date(w[1]));
        }
        for d in days {
            assert_ne!(pack_date(d), 0);
            assert_eq!(unpack_date(pack_date(d)), d);
        }
    }

    /// The definition: every pair of roles compared.
    fn best_role_pairwise(roles: &BTreeMap<&str, u32>) -> Option<String> {
        super::highest_scoring_role(roles.keys().copied(), |r| {
            roles
                .iter()
                .filter(|(o, _)| r == **o || (r.len() > o.len() && r.ends_with(**o)))
                .map(|(_, n)| n)
                .sum()
        })
    }

    #[test]
    fn figure_cards_come_from_summaries() {
        use super::{Corpus, ItemRef};
        let ov = crate::recognize::Overrides::default();
        let mut c = Corpus::new();
        let texts = [
            ("b.txt", "Das Bündnis hat 30 Mitgliedern der NATO geschrieben. Später 30 Mitgliedern der NATO."),
            ("a.txt", "Die Ministerin schrieb 32 Mitgliedern der NATO."),
            ("c.txt", "Man schrieb 30 Mitgliedern der NATO und 31 Mitgliedern der NATO."),
        ];
        for (p, t) in texts {
            c.set_document(
                p.into(),
                std::sync::Arc::new(crate::analysis::analyze(t, &ov)),
            );
        }
        let b = c.doc_id("b.txt".as_ref()).unwrap();
        let a = c.doc_id("a.txt".as_ref()).unwrap();
        let cc = c.doc_id("c.txt".as_ref()).unwrap();
        let r = ItemRef { doc: b, idx: 0 };
        assert_eq!(
            c.figure(r).topic_key.map(|k| k.as_str()),
            Some("count:mitglied@nato")
        );
        let group = c.same_quantity_summary(r, 8);
        assert_eq!((group.statements, group.docs), (3, 2));
        // Corpus order is by path: b.txt before c.txt.
        assert_eq!(group.first, vec![(r, 2), (ItemRef { doc: cc, idx: 0 }, 1)]);
        assert_eq!(c.same_quantity_summary(r, 1).first, vec![(r, 2)]);
        // Other values: 32 in a.txt and 31 in c.txt, in corpus order.
        assert_eq!(
            c.other_values(r, 8),
            vec![ItemRef { doc: a, idx: 0 }, ItemRef { doc: cc, idx: 1 }]
        );
        assert_eq!(c.other_values(r, 1), vec![ItemRef { doc: a, idx: 0 }]);
    }

    #[test]
    fn longer_role_takes_the_shorter_ones_votes() {
        let roles: FxHashMap<&str, u32> = [
            ("Generalsekretär", 3),
            ("NATO-Generalsekretär", 1),
            ("Kanzler", 3),
        ]
        .into_iter()
        .collect();
        assert_eq!(best_role(&roles).as_deref(), Some("NATO-Generalsekretär"));
    }

    proptest! {
        #[test]
        fn suffix_lookup_matches_pairwise(
            roles in proptest::collection::btree_map(
                proptest::sample::select(vec!["Sekretär", "Generalsekretär", "NATO-Generalsekretär",
                    "Außenminister", "Minister", "ehemaliger Außenminister", "är", "Chefin", "Präsidentin"]),
                1u32..5, 0..8)
        ) {
            let hashed = roles.iter().map(|(r, n)| (*r, *n)).collect();
            prop_assert_eq!(best_role(&hashed), best_role_pairwise(&roles));
        }
    }

    #[test]
    fn keys_added_after_indexing_do_not_grow_the_tables() {
        use crate::analysis::analyze;
        use crate::recognize::Overrides;
        let mut c = super::Corpus::new();
        let o = Overrides::default();
        let text = "Jens Stoltenberg traf Wladimir Putin in Brüssel.";
        c.set_document("/a.txt".into(), std::sync::Arc::new(analyze(text, &o)));
        c.shrink_to_fit();
        let caps = |c: &super::Corpus| {
            (
                c.keys.capacity(),
                c.key_ids.capacity(),
                c.link_memo.capacity(),
            )
        };
        let before = caps(&c);
        assert!(before.0 >= c.keys.len() + super::KEY_ROOM);
        for i in 0..100 {
            let text = format!("Anna Berger{i} traf Karl Weber{i} in Bonn.");
            c.set_document(
                format!("/b{i}.txt").into(),
                std::sync::Arc::new(analyze(&text, &o)),
            );
        }
        assert_eq!(caps(&c), before);
    }

    #[test]
    fn summaries_made_ahead_are_made_again_after_a_change() {
        use super::Corpus;
        use std::sync::Arc;
        let ov = crate::recognize::Overrides::default();
        let analyse = |t: &str| Arc::new(crate::analysis::analyze(t, &ov));
        let mut c = Corpus::new();
        c.set_document("a.txt".into(), analyse("Angela Merkel besuchte Paris."));
        c.set_document("b.txt".into(), analyse("In Paris sprach Angela Merkel."));
        c.set_document("c.txt".into(), analyse("Olaf Scholz war in Rom."));
        let paris = c.key_id("paris").expect("Paris is a key");
        let rome = c.key_id("rom").expect("Rom is a key");
        let all = || 0..c.key_count() as u32;
        // Two mentions: Paris is worth making ahead at 2, not at 3.
        assert!(c.summaries_to_warm(all(), 2, 8).contains(&paris));
        assert!(!c.summaries_to_warm(all(), 3, 8).contains(&paris));
        assert!(!c.summaries_to_warm(all(), 2, 8).contains(&rome));
        // Made (by a hover or ahead): not again, unless for another size.
        let before = c.entity_summary(paris, 8);
        assert!(!c.summaries_to_warm(all(), 2, 8).contains(&paris));
        assert!(c.summaries_to_warm(all(), 2, 4).contains(&paris));
        assert!(c.dropped_summaries().is_empty());
        // A change touching Paris drops its summary and remembers it; one
        // not touching it keeps it.
        c.set_document("c.txt".into(), analyse("Olaf Scholz war in Mailand."));
        assert!(c.dropped_summaries().is_empty());
        c.set_document(
            "b.txt".into(),
            analyse("In Paris und Paris sprach Angela Merkel."),
        );
        assert_eq!(c.dropped_summaries(), vec![paris]);
        let stale = c.summaries_to_warm(c.dropped_summaries().into_iter(), 2, 8);
        assert_eq!(stale, vec![paris]);
        // Made again: it counts the new mention, and is no longer stale.
        let after = c.entity_summary(paris, 8);
        assert_eq!((before.mention_count, after.mention_count), (2, 3));
        assert!(c.dropped_summaries().is_empty());
    }

    /// An article opened as it was indexed gets its unlinked figures back
    /// without forgetting the cards of its names; the corpus is the one a
    /// whole new analysis would make. A card showing a line of an article
    /// whose text changed under the same analysis is forgotten.
    #[test]
    fn unlinked_figures_come_back_without_forgetting_name_cards() {
        use super::ItemRef;
        let ov = crate::recognize::Overrides::default();
        let text = "Platz 3 für Paris: Angela Merkel sprach dort vor 30 Mitgliedern \
                    der NATO, Platz 5 für Rom.";
        let full = crate::analysis::analyze(text, &ov);
        let mut closed = full.clone();
        closed.keep_linked_figures();
        assert!(
            closed.figures.len() < full.figures.len(),
            "{:?}",
            full.figures
        );
        assert!(full.same_but_unlinked_figures(&closed));
        assert!(closed.same_but_unlinked_figures(&full));
        let other = crate::analysis::analyze("Angela Merkel sprach in Rom.", &ov);
        assert!(!other.same_but_unlinked_figures(&closed));

        let b_text = crate::analysis::analyze("In Paris kamen 30 Mitgliedern der NATO.", &ov);
        let corpus = |a: &crate::analysis::DocAnalysis| {
            let mut c = Corpus::new();
            c.set_document("a.txt".into(), Arc::new(a.clone()));
            c.set_document("b.txt".into(), Arc::new(b_text.clone()));
            c
        };
        let mut c = corpus(&closed);
        let (a, paris) = (
            c.doc_id("a.txt".as_ref()).unwrap(),
            c.key_id("paris").unwrap(),
        );
        let card = c.entity_summary(paris, 8);
        c.set_unlinked_figures(a, Arc::new(full.clone()));
        assert!(Arc::ptr_eq(&card, &c.entity_summary(paris, 8)));
        assert!(c.dropped_summaries().is_empty());
        // The same corpus as one made with the whole analysis.
        let fresh = corpus(&full);
        assert_eq!(c.doc(a).unwrap().analysis.figures, full.figures);
        let groups = |c: &Corpus| {
            let d = c.doc_id("a.txt".as_ref()).unwrap();
            (0..c.doc(d).unwrap().analysis.figures.len() as u32)
                .map(|idx| {
                    let g = c.same_quantity_summary(ItemRef { doc: d, idx }, 8);
                    (g.statements, g.docs, g.first.len())
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(groups(&c), groups(&fresh));
        // Back to closed: the same again.
        c.set_unlinked_figures(a, Arc::new(closed));
        assert!(Arc::ptr_eq(&card, &c.entity_summary(paris, 8)));
        // The text changed where the analysis did not: the cards showing a
        // line of that article go (and are remembered to be made again),
        // the others stay. NATO's card for one article shows a.txt.
        let (nato, b) = (
            c.key_id("nato").unwrap(),
            c.doc_id("b.txt".as_ref()).unwrap(),
        );
        let nato_card = c.entity_summary(nato, 1);
        let shown: Vec<DocId> = nato_card.first_mentions.iter().map(|m| m.0.doc).collect();
        assert_eq!(shown, vec![a]);
        c.text_changed(b);
        assert_eq!(c.dropped_summaries(), vec![paris]);
        assert!(Arc::ptr_eq(&nato_card, &c.entity_summary(nato, 1)));
        c.text_changed(a);
        assert!(c.dropped_summaries().contains(&nato));
        assert!(!Arc::ptr_eq(&nato_card, &c.entity_summary(nato, 1)));
    }
}
