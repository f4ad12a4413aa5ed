//! The per-thread word memo: for a word, what its neighbours' features read
//! of it ([`Ctx`]) and the summed weights of its own features
//! ([`features::own_features`]), computed once per word instead of once per
//! token. Looking a word up in the lexicon and hashing its affixes is the
//! costly part of a token's features, and news text repeats its words.
//!
//! A memo is direct-mapped, like a CPU cache: a word has one slot (by its
//! 64-bit hash, which identifies it), and a word that lands on an occupied
//! slot replaces the one there. Frequent words stay, rare ones pass
//! through, and the table (8,192 slots of 80 bytes) stays in the core's
//! cache. Entries belong to one tagger (its weights): a thread keeps the
//! memos of the two taggers it used last (the shipped one and an adapted
//! one).

use super::features::{self, Ctx};
use super::NLABELS;
use std::cell::RefCell;

/// Slots per memo (a power of two).
pub const SLOTS: usize = 1 << 13;

#[derive(Clone, Copy, Default)]
pub struct Word {
    /// The word's hash; 0 for an empty slot.
    hash: u64,
    pub ctx: Ctx,
    pub own: [i32; NLABELS],
}

/// The words of one tagger.
pub struct Memo {
    tagger: u64,
    slots: Box<[Word]>,
}

impl Memo {
    fn new(tagger: u64) -> Memo {
        Memo {
            tagger,
            slots: vec![Word::default(); SLOTS].into_boxed_slice(),
        }
    }

    /// The entry of `w`, made by `make` when its slot holds another word.
    pub fn get_or_insert(
        &mut self,
        w: &str,
        make: impl FnOnce() -> (Ctx, [i32; NLABELS]),
    ) -> &Word {
        let hash = features::word_hash(w).max(1);
        let slot = &mut self.slots[hash as usize & (SLOTS - 1)];
        if slot.hash != hash {
            let (ctx, own) = make();
            *slot = Word { hash, ctx, own };
        }
        slot
    }
}

/// A thread's memos: the one used last first.
#[derive(Default)]
pub struct Memos([Option<Memo>; 2]);

impl Memos {
    /// The memo of tagger `id`, emptied and taken over from the tagger
    /// used longest ago when there is none yet.
    pub fn of(&mut self, id: u64) -> &mut Memo {
        let is = |m: &Option<Memo>| m.as_ref().is_some_and(|m| m.tagger == id);
        if !is(&self.0[0]) {
            self.0.swap(0, 1);
            if !is(&self.0[0]) {
                self.0[0] = Some(Memo::new(id));
            }
        }
        self.0[0].as_mut().expect("a memo")
    }
}

thread_local! {
    pub static WORD_MEMO: RefCell<Memos> = RefCell::new(Memos::default());
}
