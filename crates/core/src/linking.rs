//! Linking keys: when do two mentions name the same thing?
//!
//! Every mention gets a *key*, a folded form of its normalised name. Mentions
//! with equal keys are one entity. On top of that, a one-word person mention
//! ("Putin") joins the multi-word person entity whose last word it is
//! ("Wladimir Putin"): see [`crate::corpus::Corpus::entity_of`].
//!
//! Folding removes what does not distinguish names in news text:
//! case ("Nato" = "NATO"), middle initials ("Wladimir V. Putin"), the
//! transliteration variants of Slavic first names ("Vladimir" = "Wladimir",
//! "Wolodymyr" = "Volodymyr"), diacritics in foreign names ("Zelenskyy",
//! "Zelenský").

use crate::model::EntityKind;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The words of a name without middle initials ("J." / "J").
pub fn name_words(norm: &str) -> Vec<&str> {
    let words: Vec<&str> = norm.split_whitespace().collect();
    if words.len() <= 1 {
        return words;
    }
    let last = words.len() - 1;
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            let is_initial = {
                let letters = w.trim_end_matches('.');
                letters.chars().count() == 1 && letters.chars().all(char::is_uppercase)
            };
            // Keep an initial at the very start or end ("J. Smith" keeps "J." as a word of its own).
            !(is_initial && *i != 0 && *i != last)
        })
        .map(|(_, w)| *w)
        .collect()
}

/// The spelling of a mention for variant detection: the normalised name
/// without middle initials. "Wladimir V. Putin" and "Wladimir Putin" are the
/// same spelling; "Vladimir Putin" is another.
pub fn spelling(norm: &str) -> String {
    name_words(norm).join(" ")
}

/// The linking key of a normalised name of the given kind.
pub fn link_key(norm: &str, kind: EntityKind) -> String {
    // "Seerene GmbH" and "Seerene" are one company.
    let norm = match kind {
        EntityKind::Org => without_legal_form(norm).unwrap_or(norm),
        _ => norm,
    };
    let words = name_words(norm);
    let mut out = String::with_capacity(norm.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        fold_word(w, kind == EntityKind::Person, &mut out);
    }
    out
}

fn fold_word(word: &str, person: bool, out: &mut String) {
    let start = out.len();
    let mut push = |c: char| match c {
        _ if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
        'ß' => out.push_str("ss"),
        '‐' | '‑' => out.push('-'),
        '.' | '\'' | '’' => {}
        _ if is_combining_mark(c) => {}
        _ => out.extend(c.to_lowercase()),
    };
    // ASCII is its own canonical decomposition.
    if word.is_ascii() {
        word.chars().for_each(&mut push);
    } else {
        word.nfd().for_each(&mut push);
    }
    // German umlauts were decomposed above (ä → a); that also makes
    // "Selenskyj"/"Selenskij" style variants closer, and costs nothing for
    // real distinctions in names.
    if person {
        let folded = &out[start..];
        let mut s = folded.to_string();
        // Transliteration of Slavic names: v/w, y/i/j endings, ph/f.
        if s.starts_with('v') {
            s.replace_range(0..1, "w");
        }
        s = s.replace("ph", "f");
        for (from, to) in [("yj", "i"), ("ij", "i"), ("yy", "i"), ("iy", "i")] {
            if s.ends_with(from) {
                let n = s.len() - from.len();
                s.replace_range(n.., to);
            }
        }
        if s.ends_with('y') && s.len() > 3 {
            let n = s.len() - 1;
            s.replace_range(n.., "i");
        }
        out.truncate(start);
        out.push_str(&s);
    }
}

/// Legal forms that end a company name and do not distinguish it.
pub const LEGAL_FORMS: &[&str] = &[
    "AG", "GmbH", "SE", "KG", "KGaA", "mbH", "eG", "Inc", "Ltd", "Corp", "LLC", "plc", "PLC", "SA",
    "NV", "Co", "e.V", "e. V", "gGmbH", "OHG", "UG", "AS", "ASA", "AB", "Oy", "Oyj", "BV", "SpA",
    "Cie", "A/S", "Zrt", "Nyrt", "Kft",
];

/// The organisation name without its trailing legal form(s):
/// "German Pellets GmbH" → "German Pellets", "BlackRock, Inc." → "BlackRock",
/// "X GmbH & Co. KG" → "X". `None` when there is none or nothing would be left.
pub fn without_legal_form(name: &str) -> Option<&str> {
    let mut s = name.trim_end();
    let mut cut = false;
    loop {
        let t = s.trim_end_matches(['.', ' ', ',', '&']);
        let end = t.as_bytes().last();
        let Some(last) = LEGAL_FORMS
            .iter()
            // The last byte first: most names end in no form's.
            .filter(|f| f.as_bytes().last() == end && t.ends_with(*f))
            .find(|f| {
                let before = &t[..t.len() - f.len()];
                before.ends_with([' ', ',', '&']) || before.is_empty()
            })
        else {
            // "Nieding+Barth Rechtsanwaltsaktiengesellschaft"
            if let Some((before, word)) = t.rsplit_once(' ') {
                // Lower case maps no shorter word onto these 18 ASCII letters.
                if word.len() >= "aktiengesellschaft".len()
                    && word.to_lowercase().ends_with("aktiengesellschaft")
                    && !before.is_empty()
                {
                    s = before.trim_end_matches([' ', ',', '&']);
                    cut = true;
                    continue;
                }
            }
            break;
        };
        s = t[..t.len() - last.len()].trim_end_matches([' ', ',', '&']);
        cut = true;
    }
    (cut && !s.is_empty()).then_some(s)
}

/// A stable, readable entity id from a key: "wladimir-putin".
pub fn slug(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    #[test]
    fn putin_variants_share_a_key() {
        let k = link_key("Wladimir Putin", Person);
        assert_eq!(k, "wladimir putin");
        assert_eq!(link_key("Vladimir Putin", Person), k);
        assert_eq!(link_key("Wladimir V. Putin", Person), k);
        assert_eq!(link_key("Putin", Person), "putin");
    }

    #[test]
    fn case_and_diacritics() {
        assert_eq!(link_key("Nato", Org), link_key("NATO", Org));
        assert_eq!(link_key("Selenskyj", Person), link_key("Selenskij", Person));
        assert_eq!(
            link_key("Wolodymyr Selenskyj", Person),
            link_key("Volodymyr Selenskyy", Person)
        );
        assert_ne!(
            link_key("Russland", Place),
            link_key("Rußland-Krieg", Place)
        );
    }

    #[test]
    fn spellings() {
        assert_eq!(spelling("Antony J. Blinken"), "Antony Blinken");
        assert_eq!(spelling("Vladimir Putin"), "Vladimir Putin");
        assert_eq!(slug("wladimir putin"), "wladimir-putin");
        assert_eq!(slug("europäische union"), "europäische-union");
    }
}
