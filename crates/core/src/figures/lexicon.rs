//! Word tables for figure recognition, loaded once from
//! `data/figures/lexicon.tsv` (embedded at compile time), plus the small
//! morphology the unit keys need (compound head, singular, stem).
//!
//! Classes in the table:
//! - `scale`: multiplier after a number ("Milliarden" → 1e9, "Mio" → 1e6);
//! - `approx`: a magnitude stated without a number ("Tausende", "zigtausende");
//!   the value is the lower bound of the magnitude;
//! - `hedge`: makes a following scale word approximate ("mehrere Hunderttausend");
//! - `article`: "ein/eine…", a figure (1) only before a scale or percent word;
//! - `currency` (→ ISO 4217), `percent` (→ unit), `measure` (→ symbol),
//!   `timeunit` (→ singular noun), `month` (→ 1..12);
//! - `yearctx`: a word right before a 4-digit number that makes it a year;
//! - `numadj`: adjective stems of "30-köpfige" compounds → `category:unit`;
//! - `synonym`: unit (or qualifier) singular → shared key;
//! - `plural`: plural ending → singular ending, longest match wins;
//! - `generic`: units too generic to link figures across articles ("Mal");
//! - `notunit`: capitalised function words that are never the counted noun;
//! - `notadj`: lower-case words that end like adjectives but are not;
//! - `numhedge`: a word (or two, "mehr als") before a stated number that
//!   makes it approximate ("rund 100", "knapp 50", "über 1.000");
//! - `idword`: a number right after it is an identifier, not a figure
//!   ("Artikel 5", "Nummer fünf", "Nr. 3", "Version 2", "WKN 716460");
//! - `rankword`: a number after it is a rank ("Platz drei", "Rang 5");
//! - `scorectx`: "n:m" after it is a sports score ("siegten mit 20:18"),
//!   `scoreafter`: before it ("28:24 gegen Flensburg");
//! - `timectx`: "n:m" after it is a time even without "Uhr" ("um 20:15");
//! - `ratioword`: "n:m" after it is a ratio, no figure ("Verhältnis 1:1");
//! - `unitbefore`: a word before a number that gives its unit →
//!   `category:unit` ("Tempo 30" → 30 km/h).

use fxhash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

use crate::model::{Decimal, FigureCategory};

const LEXICON_TSV: &str = include_str!("../../../../data/figures/lexicon.tsv");

#[derive(Default)]
pub(crate) struct Lexicon {
    pub scale: FxHashMap<String, Decimal>,
    pub approx: FxHashMap<String, Decimal>,
    pub hedge: FxHashSet<String>,
    pub article: FxHashSet<String>,
    pub currency: FxHashMap<String, &'static str>,
    pub percent: FxHashMap<String, &'static str>,
    pub measure: FxHashMap<String, &'static str>,
    pub timeunit: FxHashMap<String, &'static str>,
    pub month: FxHashMap<String, u32>,
    pub yearctx: FxHashSet<String>,
    pub numadj: Vec<(String, FigureCategory, &'static str)>,
    /// Keyed by the stem of the synonym's form, so every inflected form meets.
    pub synonym: FxHashMap<String, &'static str>,
    /// (plural ending, singular ending), longest ending first.
    pub plural: Vec<(String, String)>,
    /// Stems of generic units.
    pub generic: FxHashSet<String>,
    pub notunit: FxHashSet<String>,
    pub notadj: FxHashSet<String>,
    pub unitbefore: FxHashMap<String, (FigureCategory, &'static str)>,
    /// What a lower-cased word next to a number is, as [`flag`] bits: the
    /// classes `numhedge` … `unitbefore` and whether it can be a name
    /// before a model number. One lookup per word instead of one per class.
    pub near_number: FxHashMap<String, u16>,
}

fn leak(s: &str) -> &'static str {
    // The lexicon lives for the whole process; leaking its few hundred short
    // strings once gives `&'static str` units without per-figure allocation.
    Box::leak(s.to_string().into_boxed_str())
}

fn parse_category(s: &str) -> Option<FigureCategory> {
    Some(match s {
        "count" => FigureCategory::Count,
        "percent" => FigureCategory::Percent,
        "money" => FigureCategory::Money,
        "duration" => FigureCategory::Duration,
        "measure" => FigureCategory::Measure,
        _ => return None,
    })
}

impl Lexicon {
    pub fn parse(tsv: &str) -> Lexicon {
        let mut lx = Lexicon::default();
        for line in tsv.lines() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(class), Some(form)) = (cols.next(), cols.next()) else {
                continue;
            };
            let value = cols.next().unwrap_or("");
            let form = form.to_string();
            match class {
                "scale" => {
                    if let Some(v) = Decimal::parse(value) {
                        lx.scale.insert(form, v);
                    }
                }
                "approx" => {
                    if let Some(v) = Decimal::parse(value) {
                        lx.approx.insert(form, v);
                    }
                }
                "hedge" => {
                    lx.hedge.insert(form);
                }
                "article" => {
                    lx.article.insert(form);
                }
                "currency" => {
                    lx.currency.insert(form, leak(value));
                }
                "percent" => {
                    lx.percent.insert(form, leak(value));
                }
                "measure" => {
                    lx.measure.insert(form, leak(value));
                }
                "timeunit" => {
                    lx.timeunit.insert(form, leak(value));
                }
                "month" => {
                    if let Ok(v) = value.parse() {
                        lx.month.insert(form, v);
                    }
                }
                "yearctx" => {
                    lx.yearctx.insert(form);
                }
                "numadj" => {
                    if let Some((c, u)) = value.split_once(':') {
                        if let Some(cat) = parse_category(c) {
                            lx.numadj.push((form, cat, leak(u)));
                        }
                    }
                }
                "synonym" => {
                    lx.synonym.insert(stem(&form), leak(value));
                }
                "plural" => lx.plural.push((form, value.to_string())),
                "generic" => {
                    lx.generic.insert(stem(&form));
                }
                "notunit" => {
                    lx.notunit.insert(form);
                }
                "notadj" => {
                    lx.notadj.insert(form);
                }
                "numhedge" => {
                    if let Some((_, tail)) = form.split_once(' ') {
                        lx.mark(tail, flag::HEDGE_TAIL);
                    }
                    lx.mark(&form, flag::HEDGE);
                }
                "idword" => lx.mark(&form, flag::IDENTIFIER),
                "rankword" => lx.mark(&form, flag::RANK),
                "scorectx" => lx.mark(&form, flag::SCORE_BEFORE),
                "scoreafter" => lx.mark(&form, flag::SCORE_AFTER),
                "timectx" => lx.mark(&form, flag::TIME_BEFORE),
                "ratioword" => lx.mark(&form, flag::RATIO),
                "unitbefore" => {
                    if let Some((c, u)) = value.split_once(':') {
                        if let Some(cat) = parse_category(c) {
                            lx.mark(&form, flag::UNIT_BEFORE);
                            lx.unitbefore.insert(form, (cat, leak(u)));
                        }
                    }
                }
                _ => {}
            }
        }
        // Words that are no name before a model number ("Über 30", "Jahr
        // 30", "Prozent 30"): function words, units, hedges, context words.
        let not_name: Vec<String> = lx
            .notunit
            .iter()
            .chain(&lx.yearctx)
            .chain(&lx.hedge)
            .chain(&lx.article)
            .chain(lx.month.keys())
            .chain(lx.approx.keys())
            .chain(lx.scale.keys())
            .chain(lx.currency.keys())
            .chain(lx.percent.keys())
            .chain(lx.measure.keys())
            .chain(lx.timeunit.keys())
            .map(|w| w.to_lowercase())
            .chain(["minus".to_string(), "plus".to_string()])
            .collect();
        for w in not_name {
            lx.mark(&w, flag::NOT_NAME);
        }
        let context =
            flag::HEDGE | flag::RANK | flag::UNIT_BEFORE | flag::SCORE_BEFORE | flag::TIME_BEFORE;
        for f in lx.near_number.values_mut() {
            if *f & context != 0 {
                *f |= flag::NOT_NAME;
            }
        }
        lx.plural.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        lx.numadj.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        lx
    }

    fn mark(&mut self, w: &str, f: u16) {
        *self.near_number.entry(w.to_string()).or_default() |= f;
    }

    /// The [`flag`] bits of a lower-cased word (0 for most words).
    pub fn near_number(&self, lower: &str) -> u16 {
        self.near_number.get(lower).copied().unwrap_or(0)
    }

    /// Singular of a (lower-cased) noun: longest matching plural ending from
    /// the table, else a dative "-n" after "-ern"/"-eln" dropped, else as is.
    pub fn singular(&self, lower: &str) -> String {
        for (pl, sg) in &self.plural {
            if lower.len() > pl.len() || lower == pl {
                if let Some(stem) = lower.strip_suffix(pl.as_str()) {
                    return format!("{stem}{sg}");
                }
            }
        }
        if lower.len() > 4 && (lower.ends_with("ern") || lower.ends_with("eln")) {
            return lower[..lower.len() - 1].to_string();
        }
        lower.to_string()
    }

    /// The key of a unit or qualifier noun (lower-cased singular): its synonym
    /// key if the table has one, else its stem.
    pub fn key(&self, singular_lower: &str) -> String {
        let s = stem(singular_lower);
        match self.synonym.get(&s) {
            Some(k) => k.to_string(),
            None => s,
        }
    }
}

/// Bits of [`Lexicon::near_number`].
pub(crate) mod flag {
    /// `numhedge` ("rund", "mehr als"; two-word forms under their text).
    pub const HEDGE: u16 = 1;
    /// The last word of a two-word hedge ("als").
    pub const HEDGE_TAIL: u16 = 1 << 1;
    pub const IDENTIFIER: u16 = 1 << 2;
    pub const RANK: u16 = 1 << 3;
    pub const UNIT_BEFORE: u16 = 1 << 4;
    pub const SCORE_BEFORE: u16 = 1 << 5;
    pub const SCORE_AFTER: u16 = 1 << 6;
    pub const TIME_BEFORE: u16 = 1 << 7;
    pub const RATIO: u16 = 1 << 8;
    /// Not a name before a model number ("Windows 11" is, "Über 30" not).
    pub const NOT_NAME: u16 = 1 << 9;
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LX: OnceLock<Lexicon> = OnceLock::new();
    LX.get_or_init(|| Lexicon::parse(LEXICON_TSV))
}

/// A light German noun stemmer after CISTEM (Weissweiler & Fraser 2017):
/// lower-case, umlauts folded, "ß" → "ss", then endings -em/-er/-nd (words
/// longer than 5) and -e/-s/-n (longer than 3) stripped repeatedly. Nouns keep
/// a final -t. Singular and plural forms of a noun meet on one stem
/// ("Soldat"/"Soldaten" → "soldat", "Land"/"Länder" → "land").
pub(crate) fn stem(word: &str) -> String {
    let mut w = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ä' | 'Ä' => w.push('a'),
            'ö' | 'Ö' => w.push('o'),
            'ü' | 'Ü' => w.push('u'),
            'ß' => w.push_str("ss"),
            _ => w.extend(c.to_lowercase()),
        }
    }
    loop {
        let n = w.chars().count();
        if n <= 3 {
            break;
        }
        if n > 5 && (w.ends_with("em") || w.ends_with("er") || w.ends_with("nd")) {
            w.truncate(w.len() - 2);
            continue;
        }
        if w.ends_with('e') || w.ends_with('s') || w.ends_with('n') {
            w.truncate(w.len() - 1);
            continue;
        }
        break;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_meet() {
        assert_eq!(stem("Soldaten"), stem("Soldat"));
        assert_eq!(stem("Länder"), stem("Land"));
        assert_eq!(stem("Mitgliedern"), stem("Mitglied"));
        assert_eq!(stem("Wochen"), stem("Woche"));
        assert_eq!(stem(""), "");
        assert_eq!(stem("Größe"), stem("Groesse").replace("oe", "o"));
        assert_eq!(stem("Maß"), "mas");
    }

    #[test]
    fn singular_and_keys() {
        let lx = lexicon();
        assert_eq!(lx.singular("soldaten"), "soldat");
        assert_eq!(lx.singular("mitgliedsländer"), "mitgliedsland");
        assert_eq!(lx.singular("mitgliedern"), "mitglied");
        assert_eq!(lx.singular("nationen"), "nation");
        assert_eq!(lx.singular("journalistinnen"), "journalistin");
        assert_eq!(lx.singular("erkenntnissen"), "erkenntnis");
        assert_eq!(lx.singular("ergebnisse"), "ergebnis");
        assert_eq!(lx.key("mitgliedstaaten"), "mitglied");
        assert_eq!(lx.key("mitgliedsland"), "mitglied");
        assert_eq!(lx.key("wirtschaftsleistung"), "bip");
        assert_eq!(lx.key("soldat"), "soldat");
        assert!(lx.scale.contains_key("milliarden"));
        assert_eq!(lx.month.get("juli"), Some(&7));
        assert_eq!(lx.currency.get("dollar"), Some(&"USD"));
    }

    #[test]
    fn words_near_numbers_in_one_lookup() {
        let lx = lexicon();
        let has = |w: &str, f: u16| lx.near_number(w) & f == f;
        assert!(has("rund", flag::HEDGE | flag::NOT_NAME));
        assert!(has("mehr als", flag::HEDGE) && has("als", flag::HEDGE_TAIL));
        assert!(has("artikel", flag::IDENTIFIER) && has("nr", flag::IDENTIFIER));
        assert!(has("platz", flag::RANK | flag::NOT_NAME));
        assert!(has("tempo", flag::UNIT_BEFORE));
        assert!(has("mit", flag::SCORE_BEFORE) && has("gegen", flag::SCORE_AFTER));
        assert!(has("um", flag::TIME_BEFORE) && has("verhältnis", flag::RATIO));
        for w in [
            "über",
            "jahr",
            "prozent",
            "euro",
            "juli",
            "millionen",
            "minus",
            "km",
        ] {
            assert!(has(w, flag::NOT_NAME), "{w}");
        }
        assert_eq!(lx.near_number("windows"), 0);
        assert_eq!(lx.near_number("mindestens") & flag::HEDGE, 0);
    }
}
