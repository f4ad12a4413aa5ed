//! Fixed word lists that the rules test at every token.
//!
//! A linear scan of a few dozen strings at each capitalised word cost
//! several percent of the whole pipeline (`perf record` on `cargo bench
//! --bench pipeline`); a [`Words`] keeps the list as written, for the rules
//! that walk it, and answers membership from a hash set built on first use.

use fxhash::FxHashSet;
use std::sync::OnceLock;

/// A word list as written in the source, with constant-time membership.
pub struct Words {
    list: &'static [&'static str],
    set: OnceLock<FxHashSet<&'static str>>,
}

impl Words {
    pub const fn new(list: &'static [&'static str]) -> Words {
        Words {
            list,
            set: OnceLock::new(),
        }
    }

    /// Whether `w` is in the list (exactly, case included).
    pub fn contains(&self, w: &str) -> bool {
        self.set
            .get_or_init(|| self.list.iter().copied().collect())
            .contains(w)
    }

    /// The list in its written order.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.list.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::Words;

    static FRUIT: Words = Words::new(&["Apfel", "Birne", "Äpfel"]);

    #[test]
    fn membership_is_exact() {
        assert!(FRUIT.contains("Apfel"));
        assert!(FRUIT.contains("Äpfel"));
        assert!(!FRUIT.contains("apfel"));
        assert!(!FRUIT.contains("Apfe"));
        assert!(!FRUIT.contains(""));
    }

    #[test]
    fn iterates_in_written_order() {
        assert_eq!(
            FRUIT.iter().collect::<Vec<_>>(),
            ["Apfel", "Birne", "Äpfel"]
        );
    }
}
