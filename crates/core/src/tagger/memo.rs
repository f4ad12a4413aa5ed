//! The per-thread word memo: a word's [`TokInfo`] and the summed weights of
//! its own features ([`features::own_features`]), computed once per word
//! instead of once per token. Looking a word up in the lexicon and hashing
//! its affixes is the costly part of a token's features, and news text
//! repeats its words, so most tokens find their word here.
//!
//! Entries belong to one tagger (its weights): a thread keeps a memo for
//! the two taggers it used last (the shipped one and an adapted one). A
//! memo that reaches [`CAPACITY`] words starts again empty, which bounds
//! its memory (about 2 MiB per thread) and keeps the words of the articles
//! at hand.

use super::features::{self, TokInfo};
use super::NLABELS;
use hashbrown::hash_table::{Entry, HashTable};
use std::cell::RefCell;

/// Words per memo before it starts again.
pub const CAPACITY: usize = 1 << 13;

pub struct Word {
    hash: u64,
    word: Box<str>,
    pub info: TokInfo,
    pub own: [i32; NLABELS],
}

/// The words of one tagger.
#[derive(Default)]
pub struct Memo {
    tagger: u64,
    words: HashTable<Word>,
}

impl Memo {
    /// The entry of `w`, made by `make` when the memo does not hold it.
    pub fn get_or_insert(
        &mut self,
        w: &str,
        make: impl FnOnce() -> (TokInfo, [i32; NLABELS]),
    ) -> &Word {
        let hash = features::word_hash(w);
        let eq = |e: &Word| e.hash == hash && &*e.word == w;
        match self.words.entry(hash, eq, |e| e.hash) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => {
                let (info, own) = make();
                let word = Word {
                    hash,
                    word: w.into(),
                    info,
                    own,
                };
                let words = v.into_table();
                if words.len() >= CAPACITY {
                    words.clear();
                }
                words.insert_unique(hash, word, |e| e.hash).into_mut()
            }
        }
    }
}

/// A thread's memos: the one used last first.
#[derive(Default)]
pub struct Memos([Memo; 2]);

impl Memos {
    /// The memo of tagger `id`, emptied and taken over from the tagger
    /// used longest ago when there is none yet.
    pub fn of(&mut self, id: u64) -> &mut Memo {
        if self.0[0].tagger != id {
            self.0.swap(0, 1);
            if self.0[0].tagger != id {
                self.0[0] = Memo {
                    tagger: id,
                    words: HashTable::new(),
                };
            }
        }
        &mut self.0[0]
    }
}

thread_local! {
    pub static WORD_MEMO: RefCell<Memos> = RefCell::new(Memos::default());
}
