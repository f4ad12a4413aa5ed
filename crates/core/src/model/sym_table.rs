//! Interned strings written by number: the persistent index
//! ([`crate::cache`]) writes each distinct string of a block once, in a
//! table at the block's start, and each [`Sym`] field as its position in
//! that table. Decoding then interns each distinct name once per block
//! instead of once per mention (a block of 512 articles has some 20,000
//! mentions of a few thousand names), and validates its UTF-8 once.
//!
//! The table is the current thread's, set for the duration of one
//! [`with_table`] call; outside one, the fields are written and read as
//! plain strings, as every other format (JSON) expects them. The fields
//! opt in with `#[serde(with = "sym_table")]` (or `::option`, `::roles`).

use super::Sym;
use fxhash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;

/// A table being written (strings numbered as they first occur) or read.
#[derive(Debug)]
pub enum Table {
    Write {
        ids: FxHashMap<Sym, u32>,
        strings: Vec<Sym>,
    },
    Read(Vec<Sym>),
}

impl Table {
    /// An empty table to write into.
    pub fn write() -> Table {
        Table::Write {
            ids: FxHashMap::default(),
            strings: Vec::new(),
        }
    }

    /// The strings numbered so far, in order.
    pub fn strings(&self) -> &[Sym] {
        match self {
            Table::Write { strings, .. } | Table::Read(strings) => strings,
        }
    }
}

thread_local! {
    static TABLE: RefCell<Option<Table>> = const { RefCell::new(None) };
}

/// Runs `f` with `table` as the current thread's table and gives it back
/// (with the strings numbered meanwhile). The table is unset afterwards,
/// also when `f` panics.
pub fn with_table<R>(table: Table, f: impl FnOnce() -> R) -> (R, Table) {
    struct Unset;
    impl Drop for Unset {
        fn drop(&mut self) {
            TABLE.with(|t| t.borrow_mut().take());
        }
    }
    TABLE.with(|t| *t.borrow_mut() = Some(table));
    let unset = Unset;
    let r = f();
    let table = TABLE.with(|t| t.borrow_mut().take()).expect("table set");
    drop(unset);
    (r, table)
}

/// What a [`Sym`] becomes in the current table: its number, `None`
/// outside a table being written.
fn number(s: Sym) -> Option<u32> {
    TABLE.with(|t| match t.borrow_mut().as_mut()? {
        Table::Write { ids, strings } => Some(*ids.entry(s).or_insert_with(|| {
            strings.push(s);
            (strings.len() - 1) as u32
        })),
        Table::Read(_) => None,
    })
}

/// Whether a table is being read; `Some(entry)` for number `i`.
fn reading(i: u32) -> Option<Option<Sym>> {
    TABLE.with(|t| match t.borrow().as_ref()? {
        Table::Read(strings) => Some(strings.get(i as usize).copied()),
        Table::Write { .. } => None,
    })
}

fn reading_a_table() -> bool {
    TABLE.with(|t| matches!(t.borrow().as_ref(), Some(Table::Read(_))))
}

/// A [`Sym`] as its number in the current table, or as its string.
#[repr(transparent)]
struct Entry(Sym);

impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        match number(self.0) {
            Some(i) => ser.serialize_u32(i),
            None => self.0.serialize(ser),
        }
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Entry, D::Error> {
        if !reading_a_table() {
            return Sym::deserialize(de).map(Entry);
        }
        let i = u32::deserialize(de)?;
        match reading(i) {
            Some(Some(s)) => Ok(Entry(s)),
            _ => Err(serde::de::Error::custom(format!(
                "string number {i} is not in the block's table"
            ))),
        }
    }
}

pub fn serialize<S: Serializer>(s: &Sym, ser: S) -> Result<S::Ok, S::Error> {
    Entry(*s).serialize(ser)
}

pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Sym, D::Error> {
    Entry::deserialize(de).map(|e| e.0)
}

/// For `Option<Sym>` fields.
pub mod option {
    use super::{Entry, Sym};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(s: &Option<Sym>, ser: S) -> Result<S::Ok, S::Error> {
        s.map(Entry).serialize(ser)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Sym>, D::Error> {
        Ok(Option::<Entry>::deserialize(de)?.map(|e| e.0))
    }
}

/// For a document's roles, `Vec<(u32, Sym)>`.
pub mod roles {
    use super::{Entry, Sym};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[(u32, Sym)], ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(v.len()))?;
        for &(i, s) in v {
            seq.serialize_element(&(i, Entry(s)))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<(u32, Sym)>, D::Error> {
        let v = Vec::<(u32, Entry)>::deserialize(de)?;
        Ok(v.into_iter().map(|(i, e)| (i, e.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sym;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct T {
        #[serde(with = "super")]
        a: Sym,
        #[serde(with = "super::option")]
        b: Option<Sym>,
        #[serde(with = "super::roles")]
        c: Vec<(u32, Sym)>,
    }

    fn t() -> T {
        T {
            a: sym("Putin"),
            b: Some(sym("NATO")),
            c: vec![(0, sym("Putin")), (3, sym("Präsident"))],
        }
    }

    #[test]
    fn inside_a_table_strings_are_numbers_and_outside_strings() {
        let cfg = bincode::config::standard();
        let (bytes, table) = with_table(Table::write(), || {
            bincode::serde::encode_to_vec(t(), cfg).unwrap()
        });
        assert_eq!(
            table.strings(),
            [sym("Putin"), sym("NATO"), sym("Präsident")]
        );
        // Numbers: one byte each.
        assert_eq!(bytes, [0, 1, 1, 2, 0, 0, 3, 2]);
        let read = Table::Read(table.strings().to_vec());
        let (back, _) = with_table(read, || {
            bincode::serde::decode_from_slice::<T, _>(&bytes, cfg)
                .unwrap()
                .0
        });
        assert_eq!(back, t());
        // A number past the table is an error, not a panic.
        let (r, _) = with_table(Table::Read(vec![sym("Putin")]), || {
            bincode::serde::decode_from_slice::<T, _>(&bytes, cfg)
        });
        assert!(r
            .unwrap_err()
            .to_string()
            .contains("not in the block's table"));
        // No table: strings, as JSON has them.
        let json = serde_json::to_string(&t()).unwrap();
        assert_eq!(
            json,
            r#"{"a":"Putin","b":"NATO","c":[[0,"Putin"],[3,"Präsident"]]}"#
        );
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), t());
    }

    #[test]
    fn the_table_is_unset_after_a_panic() {
        let r = std::panic::catch_unwind(|| with_table(Table::write(), || panic!("boom")));
        assert!(r.is_err());
        assert!(!reading_a_table() && number(sym("x")).is_none());
    }
}
