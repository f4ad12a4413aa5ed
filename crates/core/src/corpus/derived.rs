//! What the corpus computes from its inputs and keeps for the next
//! question: corpus order, the frequent names, entity summaries (hover
//! cards), last-name families, topic summaries and the name index.
//!
//! The inputs are the documents' analyses and the postings and counts
//! linked from them ([`super::Corpus`]'s other fields); they are the truth.
//! Everything here can be thrown away at any time and is recomputed on
//! demand. Every change of the inputs ends in one call of
//! [`super::Corpus::invalidate`] with what it [`Touched`], before anyone can
//! read the corpus again (`&mut self`): that call is the only place where a
//! change makes anything here forgotten or brought up to date.
//! ([`super::Corpus::drop_query_caches`] also frees the topic summaries
//! after a pass over the whole corpus, to give the memory back.)
//! (`Corpus::link_memo` and `KeyEntry::last_word_memo` are memos of pure
//! functions of a name, valid forever, so they are not here.)

use super::frequent::FrequentNames;
use super::{DocId, EntitySummary, Family, KeyId, TopicSummary};
use crate::model::Sym;
use fxhash::FxHashMap;
use parking_lot::Mutex;
use std::sync::atomic::AtomicU32;
use std::sync::{Arc, OnceLock};

#[derive(Default)]
pub(super) struct Derived {
    /// Corpus order: each document's rank by path, computed on first use
    /// after documents were added or removed (edits keep it).
    pub rank: OnceLock<Vec<u32>>,
    /// Each document's date by id ([`pack_date`]; 0: none): a hover card's
    /// date range walks every article of its name (10^5 and more for a
    /// frequent one), and a dense column keeps that walk in cache. Built on
    /// first use, then patched for the documents a change sets or removes.
    pub dates: OnceLock<Vec<u32>>,
    /// Frequent names bucketed for the unknown-name check: built on first
    /// use, then updated for the keys each change touches.
    pub frequent: OnceLock<Arc<FrequentNames>>,
    /// Changes since the frequent names were last asked for. While
    /// indexing, nobody asks for thousands of changes, and rebuilding them
    /// on the next question is cheaper than updating them for every
    /// document; an editing session asks every few changes.
    pub frequent_unused: AtomicU32,
    /// Topic summaries for figure diagnostics, by topic key.
    pub topics: Mutex<FxHashMap<Sym, Arc<TopicSummary>>>,
    /// Entity summaries (hover cards) with the `max_docs` they were made for.
    pub summaries: Mutex<FxHashMap<KeyId, (usize, Arc<EntitySummary>)>>,
    /// Keys whose cached summary a change dropped, until a summary of
    /// theirs is made again: the cards someone looked at (or that were
    /// made ahead) and an edit made stale, to be made again ahead of the
    /// next hover. Forgetting every summary forgets these too.
    pub dropped: Mutex<fxhash::FxHashSet<KeyId>>,
    /// Last-name families (see [`Family`]).
    pub families: Mutex<FxHashMap<KeyId, Arc<Family>>>,
    /// Every name key's spelling for `workspace/symbol` (see
    /// [`super::names`]): updated for the keys each change touches, never
    /// dropped (a rebuild at 10^6 keys is the cost of a search by scan).
    pub names: super::names::NameIndex,
}

/// What a change of the corpus's inputs touched: the derived data that
/// depends on anything else stays valid.
#[derive(Default, Debug)]
pub(super) struct Touched {
    /// Keys whose mentions changed (before and after the change).
    pub keys: Vec<KeyId>,
    /// Topic keys of figures that changed (before and after).
    pub topics: Vec<Sym>,
    /// Documents set or removed (their dates may have changed).
    pub docs: Vec<DocId>,
    /// A document was added or removed: corpus order changed. (Corpus
    /// order among the other documents does not, so summaries of entities
    /// the document does not touch stay valid.)
    pub order: bool,
    /// What the knowledge base describes changed: every summary may have.
    pub everything: bool,
}

impl Derived {
    /// Forgets every summary, family and topic summary.
    pub fn forget_summaries(&self) {
        self.topics.lock().clear();
        self.summaries.lock().clear();
        self.dropped.lock().clear();
        self.families.lock().clear();
    }
}

/// A day as a number that sorts like it, never 0 (years from 1900 on).
pub(super) fn pack_date(d: crate::dates::Ymd) -> u32 {
    (d.y as u32) << 9 | (d.m as u32) << 5 | d.d as u32
}

/// The day [`pack_date`] made `v` of.
pub(super) fn unpack_date(v: u32) -> crate::dates::Ymd {
    crate::dates::Ymd {
        y: (v >> 9) as u16,
        m: (v >> 5 & 0xF) as u8,
        d: (v & 0x1F) as u8,
    }
}
