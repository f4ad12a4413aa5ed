//! Numeric figures in German news text: cardinals in German notation
//! ("100.000", "2,5", "1.234,56"), number words ("zweiundzwanzig"), scale
//! words ("260 Milliarden", "2,5 Mio."), percentages, money, years, dates,
//! times, ordinals, durations, measures and number compounds ("30-köpfige").
//!
//! One pass over the tokens; words are looked up in hash tables loaded once
//! from `data/figures/lexicon.tsv` (see `lexicon.rs` for its classes). No
//! regular expressions.
//!
//! # Conventions
//! - **Span**: the numeric expression with its scale word ("260 Milliarden"),
//!   its hedge ("mehrere Hunderttausend"), a currency symbol before it, and the
//!   unit word when the unit *is* the measure ("2 %", "zwei Prozent",
//!   "5 Euro", "400 Kilometer", "drei Wochen", "04:24 Uhr"). The counted noun
//!   of a count is not part of the span ("100.000" in "100.000 Soldaten").
//!   Dates span all their parts ("24. Februar 2022", "Juli 2018"), ordinals
//!   their dot ("21.").
//! - **Value**: `Number`, an exact decimal ([`Decimal`]: "8,2 Milliarden" is
//!   8200000000, "0,1 Prozent" 0.1; scales are applied in decimal, never in
//!   floating point), for counts, percents, money (scale applied: 260e9),
//!   measures, durations, years and ordinals; `Text` (ISO 8601) for dates
//!   ("2022-02-16", "2018-07", "--02-24" when no year is given, "--08" for a
//!   month alone after "im/Anfang/Mitte/Ende/seit/bis/ab/vom") and times
//!   ("04:24"; "20 Uhr" → "20:00", "20.30 Uhr" → "20:30"), and the score
//!   itself for scores ("2:1").
//! - **Years**: a plain 4-digit number 1000..=2100 is a year after a year
//!   word ("seit", "Jahr", "Ende", "Sommer"…), in a year range ("2013 bis
//!   2015"), or when no plural-looking noun follows right away ("1949
//!   gegründet", "1937 Generaldirektor"); "2000 Soldaten" is a count.
//!   "1990er" is a year with unit "Jahrzehnt".
//! - **Ranges** ("10 bis 20 Prozent", "10-20", "zwei bis drei Millionen
//!   Euro") give one figure per end; the first end takes the unit and scale
//!   of the second; so does the first number of a change ("von 3,9 auf 4,2
//!   Milliarden Euro"). A bare amount in millions or billions right after
//!   an amount of money in its sentence is money of that currency ("4,2
//!   Milliarden Euro nach 3,9 Milliarden im Vorjahr"), as a bare number
//!   between two percentages is a percentage.
//! - **Approximate figures** (`Figure::approx`, [`is_approximate`]):
//!   magnitudes without a number ("Tausende", "zigtausende", "Dutzende",
//!   "mehrere Hunderttausend", "einige Tausend") get the lower bound of their
//!   magnitude as value (1000, 10000, 12, 100000) and a `~` before the value
//!   in their quantity key ("count:~100000:soldat"). A stated number under a
//!   hedge (`numhedge` in the lexicon: "rund 40.000", "etwa 3000", "knapp
//!   50", "mehr als 200", "über 1.000", "ca. 5") keeps its value, its span
//!   and its plain key (it links with the unhedged number) and is marked
//!   approximate. Limits ("mindestens 2 %", "bis zu 500 Euro") state their
//!   number exactly and are not. Hover and hints show "≈".
//! - **Parentheses** between a number and its scale or unit hold a
//!   comparison value that shares them: "6,3 (2023: 4,9) Millionen Euro"
//!   gives 6300000 EUR, the year 2023 and 4900000 EUR, each spanning only
//!   its number.
//! - **Not figures**: a number right after an identifier word (`idword`:
//!   "Artikel 5", "Nr. 3", "Nummer fünf", "§ 5", "Version 2", "Linie 42",
//!   "WKN 716460"); a one- or two-digit number right after a name ("Windows
//!   11", "iPhone 15", "Playstation 5", "Golf 8") or a dotted version after
//!   one ("Python 3.12"), unless a unit or a counted plural noun follows
//!   ("Zum Teil 30 Prozent", "Weitere 30 Soldaten"); longer numbers after a
//!   name stay bare counts ("eine Boeing 747"; see `MAX_MODEL_DIGITS`);
//!   phone numbers ("089 123456", "+49 89 123456"); postcodes at the start of
//!   a line or after a comma ("Marienplatz 1, 80331 München").
//! - **Sports**: a score "n:m" is a `score` figure ("2:1", "3:0" of
//!   "3:0-Sieg"; "20:18" only next to a score word: "siegten mit 20:18",
//!   "28:24 gegen Kiel"; with "Uhr", a leading zero or a time word before it
//!   it is a time; after "Verhältnis" or "Maßstab" nothing). A rank after
//!   `rankword` ("Platz drei", "auf Rang 5") is a bare count: no unit, never
//!   linked. "in der 89. Minute" is an ordinal. "Tempo 30" is 30 km/h
//!   (`unitbefore`). A race time is a duration in seconds, with its unit
//!   word if one follows ("1:52,31 Minuten" = 112.31, "2:01:09 Stunden" =
//!   7269); a gap with its sign is one too ("+0,35 Sekunden").
//! - **Unit**: counts: the governed noun after the number (adjectives skipped),
//!   compound head after the last hyphen, in the singular ("100.000
//!   US-Soldaten" → "Soldat"); percent: "%", "Prozentpunkt" or "‰"; money: the
//!   ISO 4217 code ("USD", "EUR"); measures: the symbol ("km"); durations: the
//!   singular noun ("Woche"); "30-köpfige" → "Mitglied". Years, dates, times:
//!   none.
//! - **quantity_key** `category:value:unitkey` ("count:100000:soldat",
//!   "percent:2:%", "money:260000000000:usd", "measure:400:km",
//!   "duration:3:woche"), `year:2014`, `date:2022-02-16`. The unit key is the
//!   stem of the singular unit, mapped through the synonym table
//!   (Mitgliedstaaten/Mitgliedsländer/Mitglieder → "mitglied"). `None` for a
//!   count without a unit or with a generic unit ("Mal"), for times and
//!   scores, and for
//!   ordinals unless they have both a unit and a qualifier
//!   ("ordinal:21:tag@krieg").
//! - **topic_key** the same quantity without its value, only when a qualifier
//!   narrows what is counted, so that unrelated figures with a common unit do
//!   not meet: the compound modifier of the unit ("US-Soldaten" →
//!   "count:soldat@usa") or a genitive after it ("30 Mitgliedern der NATO" →
//!   "count:mitglied@nato", "zwei Prozent des BIP" → "percent:bip",
//!   "2 % der Wirtschaftsleistung" → "percent:bip"). Percent topics are
//!   `percent:<qualifier>` (`percent-pp:` for Prozentpunkte); other categories
//!   `category:unitkey@qualifier`. Years, dates, times, durations and ordinals
//!   have no topic key.

mod lexicon;
mod numbers;

use crate::model::{sym, Decimal, Figure, FigureCategory, FigureValue, Span};
use crate::text::tokenize::{Token, TokenKind, Tokenized};
use lexicon::{flag, lexicon, Lexicon};
use numbers::{parse_cardinal_word, parse_german, parse_ordinal_word, shape, NumShape};

/// A cardinal number word's exact value ("zweieinhalb" → 2.5).
fn cardinal_word(w: &str) -> Option<Decimal> {
    parse_cardinal_word(w).and_then(Decimal::from_f64_exact)
}

/// An ordinal number word's value ("dritten" → 3).
fn ordinal_word(w: &str) -> Option<Decimal> {
    parse_ordinal_word(w).and_then(Decimal::from_f64_exact)
}

/// "drittgrößte" → 3, "zweitstärksten" → 2: the stem of an ordinal from
/// 2 to 12 ([`ordinal_word`] reads it) and a superlative (lower case).
fn ordinal_superlative(w: &str) -> Option<Decimal> {
    const SUPERLATIVES: [&str; 18] = [
        "größt",
        "best",
        "stärkst",
        "wichtigst",
        "höchst",
        "ältest",
        "jüngst",
        "reichst",
        "häufigst",
        "erfolgreichst",
        "teuerst",
        "schnellst",
        "längst",
        "kleinst",
        "schwächst",
        "niedrigst",
        "beliebtest",
        "bevölkerungsreichst",
    ];
    // Cheap rejection first: every word is asked.
    if w.len() < 9
        || !["te", "ten", "ter", "tes", "tem"]
            .iter()
            .any(|e| w.ends_with(e))
    {
        return None;
    }
    let stem = ADJ_ENDINGS.iter().find_map(|e| {
        let adj = w.strip_suffix(e)?;
        SUPERLATIVES.iter().find_map(|s| adj.strip_suffix(s))
    })?;
    ordinal_word(&format!("{stem}e")).filter(|v| v.to_i64().is_some_and(|v| (2..=12).contains(&v)))
}

/// Finds the figures in `text` (tokenised as `tok`), sorted by position and
/// non-overlapping.
pub fn find_figures(text: &str, tok: &Tokenized) -> Vec<Figure> {
    let sc = Scanner {
        text,
        toks: &tok.tokens,
        lx: lexicon(),
    };
    sc.run()
}

/// True when the figure states its value only roughly: a magnitude
/// ("Tausende", "mehrere Hunderttausend", whose quantity key carries a `~`
/// before the value) or a hedged number ("rund 100", "mehr als 200").
pub fn is_approximate(f: &Figure) -> bool {
    f.approx
}

/// A numeric expression found, before its unit is looked at.
#[derive(Clone, Debug)]
struct Expr {
    start: usize,
    end: usize,
    /// First token after the expression (where the unit search starts).
    next: usize,
    value: Decimal,
    /// A magnitude without a stated number ("Hunderte", "mehrere
    /// Millionen"): approximate, and keyed with "~".
    approx: bool,
    /// A stated number under a hedge ("rund 100", "mehr als 200"):
    /// approximate, keyed with its number.
    hedged: bool,
    /// Scale word applied ("Milliarden").
    scaled: bool,
    /// A plain 4-digit number that may be a year.
    year_cand: bool,
    /// Currency given by a symbol or code before the number ("$5", "EUR 5").
    currency: Option<&'static str>,
    /// Token index of the first token of the expression (for the year context).
    first_tok: usize,
    /// The unit token may be included in the span (false for the first part
    /// of a range: "10 bis 20 Prozent").
    include_unit: bool,
}

/// What "n:m" is next to its context words.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Colon {
    Time,
    Score,
    Ratio,
}

/// A measure per a measure or a time unit ("l" per "m²" → "l/m²", "l" per
/// "Minute" → "l/min"), for the pairs news writes.
fn per_unit(m: &str, per: &str) -> Option<&'static str> {
    Some(match (m, per) {
        ("km", "Stunde") => "km/h",
        ("m", "Sekunde") => "m/s",
        ("l", "m²") => "l/m²",
        ("l", "Sekunde") => "l/s",
        ("l", "Minute") => "l/min",
        ("l", "Stunde") => "l/h",
        ("l", "Tag") => "l/d",
        ("m³", "Sekunde") => "m³/s",
        ("m³", "Stunde") => "m³/h",
        ("mm", "Stunde") => "mm/h",
        ("kg", "m²") => "kg/m²",
        ("g", "km") => "g/km",
        ("t", "Jahr") => "t/a",
        ("kWh", "Jahr") => "kWh/a",
        _ => return None,
    })
}

enum UnitKind {
    Percent(&'static str),
    Money(&'static str),
    /// Euro cents ("78 Cent"): money in euros, a hundredth of the number.
    Cents,
    Measure(&'static str),
    Duration(&'static str),
    Uhr,
}

struct Noun {
    /// Singular, display case ("Soldat").
    unit: String,
    key: String,
    qualifier: Option<String>,
}

struct Scanner<'a> {
    text: &'a str,
    toks: &'a [Token],
    lx: &'static Lexicon,
}

fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(|c| c.is_uppercase()) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A name directly before a bare number of at most this many digits makes
/// it a model or version number ("Windows 11", "iPhone 15", "Golf 8"), no
/// figure. Longer ones stay bare counts ("eine Boeing 747": no unit, never
/// linked), as a capitalised noun before three or more digits is as often
/// telegram style as a model name.
const MAX_MODEL_DIGITS: usize = 2;

/// Every cardinal number word starts with one of these.
const CARDINAL_STARTS: [&str; 13] = [
    "ein", "zwei", "drei", "vier", "fünf", "sech", "sieb", "acht", "neun", "zehn", "elf", "zwölf",
    "hundert",
];

/// Every cardinal number word ends with one of these.
const CARDINAL_ENDINGS: [&str; 18] = [
    "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf",
    "zwölf", "zig", "ßig", "ssig", "hundert", "tausend", "halb",
];

/// A noun form that can be a plural (German plurals end in -e, -n, -r, -s
/// or -l: "Soldaten", "Mitarbeiter", "Autos"); "Generaldirektor",
/// "Mitglied", "Aufschwung" cannot.
fn looks_plural(w: &str) -> bool {
    let l = w.rsplit('-').next().unwrap_or(w);
    (l.ends_with('e') || l.ends_with('n') || l.ends_with('s') || l.ends_with('l'))
        || (l.ends_with("er") && !l.ends_with("eer"))
}

const ADJ_ENDINGS: [&str; 5] = ["e", "en", "er", "es", "em"];

impl<'a> Scanner<'a> {
    fn t(&self, i: usize) -> &'a str {
        self.toks[i].text(self.text)
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    /// Token `i` exists and continues the line of the token before it.
    fn cont(&self, i: usize) -> bool {
        i < self.toks.len() && !self.toks[i].line_start
    }

    /// Whether a row above token `i`, within a few rows, ends in a race
    /// time with hundredths ("2:08,41") or a gap ("+0,37"): a results list.
    fn race_gap_above(&self, i: usize) -> bool {
        let mut rows = 0;
        let mut k = i;
        while k > 0 && rows <= 3 {
            k -= 1;
            if self.toks[k + 1].line_start {
                rows += 1;
                // The last token of the row above.
                let t = self.t(k);
                let clock = t.contains(':')
                    && t.contains(',')
                    && matches!(shape(t), NumShape::Clock { .. });
                let gap = k > 0 && self.adjacent(k - 1, k) && self.t(k - 1) == "+";
                if clock || gap && t.contains(',') {
                    return true;
                }
            }
        }
        false
    }

    fn adjacent(&self, a: usize, b: usize) -> bool {
        self.toks[a].span.end == self.toks[b].span.start
    }

    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.kind(i) == Some(TokenKind::Punct) && self.t(i) == p
    }

    fn sentence_initial(&self, i: usize) -> bool {
        if i == 0 || self.toks[i].line_start {
            return true;
        }
        let p = self.toks[i - 1];
        p.kind == TokenKind::Punct
            && matches!(
                p.text(self.text),
                "." | "!" | "?" | ":" | "„" | "\"" | "“" | "”" | "«" | "»" | "(" | "–" | "-" | "…"
            )
    }

    /// A lower-case word that looks like an inflected adjective or participle.
    fn adjective_like(&self, w: &str) -> bool {
        if w.len() < 4 || starts_upper(w) || !w.chars().next().is_some_and(char::is_alphabetic) {
            return false;
        }
        if self.lx.notadj.contains(w) {
            return false;
        }
        ADJ_ENDINGS.iter().any(|e| w.ends_with(e))
    }

    fn run(&self) -> Vec<Figure> {
        let mut out: Vec<Figure> = Vec::new();
        let n = self.toks.len();
        let mut i = 0;
        let mut buf = String::new();
        while i < n {
            let before = out.len();
            let next = match self.toks[i].kind {
                TokenKind::Number => self.at_number(i, &mut out),
                TokenKind::Word => self.at_word(i, &mut buf, &mut out),
                _ => None,
            };
            // Keep the output sorted and non-overlapping whatever a rule did.
            if out.len() > before {
                let floor = if before > 0 {
                    out[before - 1].span().end
                } else {
                    0
                };
                let mut k = before;
                let mut last = floor;
                while k < out.len() {
                    if out[k].span().start < last || out[k].span().is_empty() {
                        out.remove(k);
                    } else {
                        last = out[k].span().end;
                        k += 1;
                    }
                }
            }
            i = match next {
                Some(j) if j > i => j,
                _ => i + 1,
            };
        }
        self.elliptic_percents(&mut out);
        self.elliptic_amounts(&mut out);
        out
    }

    /// "lehnten 71,2 Prozent ab, in Schwyz 66,8 und in Nidwalden 65,1
    /// Prozent": a bare number between two percentages of its sentence is
    /// one too.
    fn elliptic_percents(&self, out: &mut [Figure]) {
        let same_sentence = |a: Span, b: Span| {
            let gap = &self.text[a.end as usize..b.start as usize];
            gap.len() <= 120 && !gap.contains(['.', '!', '?', '\n'])
        };
        for k in 1..out.len().saturating_sub(1) {
            let (prev, f, next) = (&out[k - 1], &out[k], &out[k + 1]);
            if f.category != FigureCategory::Count
                || f.unit.is_some()
                || prev.category != FigureCategory::Percent
                || next.category != FigureCategory::Percent
                || prev.unit != next.unit
                || !same_sentence(prev.span(), f.span())
                || !same_sentence(f.span(), next.span())
            {
                continue;
            }
            let (FigureValue::Number(value), Some(unit)) = (f.value.clone(), next.unit) else {
                continue;
            };
            out[k] = self.percent_fig(f.span(), value, unit.as_str(), None, f.approx);
        }
    }

    /// "4,2 Milliarden Euro nach 3,9 Milliarden im Vorjahr": a bare amount
    /// in millions or billions right after an amount of money in its
    /// sentence is money of the same currency.
    fn elliptic_amounts(&self, out: &mut [Figure]) {
        const SCALES: [&str; 7] = [
            "Millionen",
            "Milliarden",
            "Billionen",
            "Mio.",
            "Mrd.",
            "Mio",
            "Mrd",
        ];
        for k in 1..out.len() {
            let (prev, f) = (&out[k - 1], &out[k]);
            if f.category != FigureCategory::Count
                || f.unit.is_some()
                || prev.category != FigureCategory::Money
            {
                continue;
            }
            let (a, b) = (prev.span(), f.span());
            let gap = &self.text[a.end as usize..b.start as usize];
            let own = &self.text[b.range()];
            if gap.len() > 80
                || gap.contains(['.', '!', '?', '\n', ';'])
                || !own.contains(char::is_numeric)
                || !SCALES.iter().any(|sc| own.ends_with(sc))
            {
                continue;
            }
            let (FigureValue::Number(value), Some(cur)) = (f.value.clone(), prev.unit) else {
                continue;
            };
            let cur = cur.as_str();
            out[k] = self.simple(
                b,
                value,
                FigureCategory::Money,
                cur,
                &cur.to_lowercase(),
                f.approx,
            );
        }
    }

    // ---------------------------------------------------------------- numbers

    fn at_number(&self, i: usize, out: &mut Vec<Figure>) -> Option<usize> {
        let s = self.t(i);
        let tok = self.toks[i];
        // Not inside something: "Reuters/1234", "#3", "x_2".
        if i > 0 && self.adjacent(i - 1, i) {
            let p = self.t(i - 1);
            // "+2,3 %" and "+0,35 Sekunden" (a gap in a race) are signed
            // figures; "+49 89 …" a phone number.
            let plus_sign = p == "+"
                && (i < 2 || !self.adjacent(i - 2, i - 1) || self.is_punct(i - 2, "("))
                && matches!(
                    self.unit_at(i + 1),
                    Some((
                        UnitKind::Percent(_) | UnitKind::Money(_) | UnitKind::Duration(_),
                        _
                    ))
                );
            // "+0,37" at the end of a results list's row: the gap to a race
            // time ("2:08,41") in a row above, in seconds.
            if p == "+" && !self.cont(i + 1) && self.race_gap_above(i) {
                if let Some((value, _)) = s
                    .split_once(',')
                    .filter(|(a, b)| (1..=3).contains(&a.len()) && b.len() == 2)
                    .and_then(|_| parse_german(s))
                {
                    let f = self.simple(
                        tok.span,
                        value,
                        FigureCategory::Duration,
                        "Sekunde",
                        "sekunde",
                        false,
                    );
                    out.push(f);
                    return Some(i + 1);
                }
            }
            if (matches!(p, "/" | "#" | "@" | "_" | "&" | "=" | "+") && !plus_sign)
                || self.kind(i - 1) == Some(TokenKind::Word)
            {
                return None;
            }
        }
        if i + 1 < self.toks.len() && self.adjacent(i, i + 1) && matches!(self.t(i + 1), "/" | "_")
        {
            // "2027/2028", "2015/16": a double year, the first one.
            if let Some(y) = self.year_at(i).filter(|y| (1800..=2100).contains(y)) {
                let next_ok = self.t(i + 1) == "/"
                    && self.cont(i + 2)
                    && self.adjacent(i + 1, i + 2)
                    && matches!(self.t(i + 2).len(), 2 | 4)
                    && self.t(i + 2).bytes().all(|b| b.is_ascii_digit());
                if next_ok {
                    let value = Decimal::from_int(i64::from(y));
                    out.push(self.year_fig(self.span(i, i + 2), value));
                    return Some(i + 3);
                }
            }
            return None;
        }
        match shape(s) {
            NumShape::Date { y, m, d } => {
                out.push(self.date_fig(tok.span, format!("{y:04}-{m:02}-{d:02}")));
                Some(i + 1)
            }
            NumShape::IsoDate { y, m, d } => {
                out.push(self.date_fig(tok.span, format!("{y:04}-{m:02}-{d:02}")));
                Some(i + 1)
            }
            NumShape::IsoMonth { y, m } => {
                out.push(self.date_fig(tok.span, format!("{y:04}-{m:02}")));
                Some(i + 1)
            }
            NumShape::Time { h, m } => {
                let mut end = i + 1;
                if self.cont(end) && self.t(end) == "Uhr" {
                    end += 1;
                } else if !s.starts_with('0') {
                    // "mit 20:18", "24:22 gegen Kiel": a score, unless a
                    // time word comes first ("um 20:15").
                    match self.colon_context(i) {
                        Colon::Score => {
                            out.push(self.score_fig(tok.span, h, m));
                            return Some(i + 1);
                        }
                        Colon::Ratio => return Some(i + 1),
                        Colon::Time => {}
                    }
                }
                out.push(self.time_fig(self.span(i, end - 1), h, m));
                Some(end)
            }
            NumShape::DayMonth { a, b } => {
                // "Flug: 6.45 Uhr": a time whatever stands before it.
                if self.cont(i + 1) && self.t(i + 1) == "Uhr" && a <= 24 && b < 60 {
                    out.push(self.time_fig(self.span(i, i + 1), a, b));
                    return Some(i + 2);
                }
                // "Python 3.12", "iOS 17.2.", "Version 2.1": a version, no date.
                let before = self.flags_before(i);
                if self.identifier_before(i, before) || self.name_before(i, before) {
                    return Some(i + 1);
                }
                // "22.25 – 23.00 Uhr", "zwischen 8.30 und 8.45 Uhr"
                if a <= 24
                    && b < 60
                    && self.cont(i + 3)
                    && matches!(self.t(i + 1), "bis" | "und" | "–" | "-")
                    && self.kind(i + 2) == Some(TokenKind::Number)
                    && matches!(
                        shape(self.t(i + 2)),
                        NumShape::DayMonth { .. } | NumShape::Time { .. }
                    )
                    && self.t(i + 3) == "Uhr"
                {
                    out.push(self.time_fig(self.toks[i].span, a, b));
                    return Some(i + 1);
                }
                if self.is_punct(i + 1, ".")
                    && self.adjacent(i, i + 1)
                    && (1..=31).contains(&a)
                    && (1..=12).contains(&b)
                {
                    // "16.02." optionally followed by a year
                    if let Some(y) = self.year_at(i + 2) {
                        out.push(
                            self.date_fig(self.span(i, i + 2), format!("{y:04}-{b:02}-{a:02}")),
                        );
                        return Some(i + 3);
                    }
                    out.push(self.date_fig(self.span(i, i + 1), format!("--{b:02}-{a:02}")));
                    return Some(i + 2);
                }
                None
            }
            NumShape::Cardinal {
                value,
                plain_digits,
                leading_zero,
            } => {
                if leading_zero {
                    // "01. Januar 2016": a day may be written with a zero.
                    if plain_digits == 2 {
                        if let Some(j) = self.day_month_only(i, value, out) {
                            return Some(j);
                        }
                    }
                    return None;
                }
                // "089 123456", "80331 München": digits, not figures.
                if self.in_phone_number(i) || self.postcode(i, plain_digits) {
                    return Some(i + 1);
                }
                if let Some(j) = self.day_month_or_ordinal(i, value, plain_digits, out) {
                    return Some(j);
                }
                let mut start = tok.span.start as usize;
                let mut first = i;
                let mut value = value;
                let mut currency = None;
                // sign
                if i > 0 && self.adjacent(i - 1, i) && matches!(self.t(i - 1), "-" | "−") {
                    let spaced_before = i < 2 || !self.adjacent(i - 2, i - 1);
                    if spaced_before {
                        value = -value;
                        start = self.toks[i - 1].span.start as usize;
                        first = i - 1;
                    }
                } else if i > 0 && self.cont(i) && lower(self.t(i - 1)) == "minus" {
                    value = -value;
                    start = self.toks[i - 1].span.start as usize;
                    first = i - 1;
                }
                // currency symbol or code before
                let cur_at = if start < tok.span.start as usize {
                    i.checked_sub(2)
                } else {
                    i.checked_sub(1)
                };
                if let Some(c) = cur_at {
                    if !self.toks[c + 1].line_start {
                        let ct = self.t(c);
                        let is_sym = matches!(ct, "$" | "€" | "£" | "¥");
                        let is_code = matches!(ct, "EUR" | "USD" | "CHF" | "GBP" | "US$");
                        if is_sym || is_code {
                            currency = self.lx.currency.get(&*lower(ct)).copied();
                            if currency.is_some() {
                                start = self.toks[c].span.start as usize;
                                first = c;
                            }
                        }
                    }
                }
                // "Rakesh Paswan, 24, sagt": an age after a name.
                if first == i && plain_digits <= 3 && self.age_apposition(i, value) {
                    let sp = self.toks[i].span;
                    out.push(self.simple(
                        sp,
                        value,
                        FigureCategory::Duration,
                        "Jahr",
                        "jahr",
                        false,
                    ));
                    return Some(i + 1);
                }
                let (value, next, scaled) = self.extend(i, i + 1, value, plain_digits)?;
                let before = self.flags_before(first);
                if first == i && !scaled {
                    if let Some(j) = self.bare_after_word(i, next, value, plain_digits, before, out)
                    {
                        return Some(j);
                    }
                }
                let year_cand = plain_digits == 4
                    && !scaled
                    && currency.is_none()
                    && value.to_i64().is_some_and(|v| (1000..=2100).contains(&v));
                let e = Expr {
                    start,
                    end: self.toks[next - 1].span.end as usize,
                    next,
                    value,
                    approx: false,
                    hedged: self.hedged_before(first, before),
                    scaled,
                    year_cand,
                    currency,
                    first_tok: i,
                    include_unit: true,
                };
                let own_scale = if scaled {
                    (i + 1..next).find_map(|k| self.scale_at(k).map(|(sc, _)| sc))
                } else {
                    None
                };
                if let Some(j) = self.paren_aside(&e, own_scale, out) {
                    return Some(j);
                }
                let (f, j) = self.build(&e);
                out.push(f);
                Some(j)
            }
            NumShape::Range { a, b } => {
                let sp = tok.span;
                let dash = s.find('-').unwrap_or(0);
                let year = |v: Decimal| {
                    v.to_i64().is_some_and(|v| (1800..=2100).contains(&v)) && dash == 4
                };
                let mk = |start: usize, end: usize, value: Decimal, first: bool| Expr {
                    start,
                    end,
                    next: i + 1,
                    value,
                    approx: false,
                    hedged: false,
                    scaled: false,
                    year_cand: year(value),
                    currency: None,
                    first_tok: i,
                    include_unit: !first,
                };
                let s0 = sp.start as usize;
                let e1 = mk(s0, s0 + dash, a, true);
                let e2 = mk(s0 + dash + 1, sp.end as usize, b, false);
                let (f1, _) = self.build(&e1);
                let (f2, j) = self.build(&e2);
                out.push(f1);
                out.push(f2);
                Some(j)
            }
            NumShape::Compound { value, tail_start } => self.compound(i, value, tail_start, out),
            NumShape::Score { a, b, tail_start } => {
                // "2:1", "3:0-Sieg", "28:24"; none in "im Verhältnis 1:1".
                if self.colon_context(i) == Colon::Ratio {
                    return Some(i + 1);
                }
                let end = match tail_start {
                    Some(t) => tok.span.start as usize + t - 1,
                    None => tok.span.end as usize,
                };
                out.push(self.score_fig(Span::new(tok.span.start as usize, end), a, b));
                Some(i + 1)
            }
            NumShape::Clock { seconds } => {
                // "in 1:52,31 Minuten", "2:01:09 Stunden": the unit word
                // belongs to the figure; "2:01:09 Uhr" is no race time.
                let mut end = i + 1;
                if self.cont(end) && self.t(end) == "Uhr" {
                    return Some(end + 1);
                }
                if self.cont(end)
                    && matches!(
                        self.t(end),
                        "Minuten" | "Minute" | "Min" | "Stunden" | "Stunde" | "Std" | "Sekunden"
                    )
                {
                    end += 1;
                    let abbrev = matches!(self.t(end - 1), "Min" | "Std");
                    if abbrev && self.cont(end) && self.adjacent(end - 1, end) && self.t(end) == "."
                    {
                        end += 1;
                    }
                }
                let sp = self.span(i, end - 1);
                let f = self.simple(
                    sp,
                    seconds,
                    FigureCategory::Duration,
                    "Sekunde",
                    "sekunde",
                    false,
                );
                out.push(f);
                Some(end)
            }
            NumShape::Other => None,
        }
    }

    /// ", 24," right after a capitalised word on the same line: a person's
    /// age ("Aksoy, 34, hat …").
    fn age_apposition(&self, i: usize, value: Decimal) -> bool {
        i >= 2
            && value.to_i64().is_some_and(|v| (1..=119).contains(&v))
            && self.cont(i)
            && self.is_punct(i - 1, ",")
            && self.adjacent(i - 2, i - 1)
            && self.is_word(i - 2)
            && starts_upper(self.t(i - 2))
            && self.cont(i + 1)
            && self.is_punct(i + 1, ",")
            && self.adjacent(i, i + 1)
    }

    /// A bare number at `i` (digits up to token `next`, no sign, currency or
    /// scale) after a word that says what it is: an identifier ("Artikel
    /// 5", "Nr. 3") or a name with a one- or two-digit model or version
    /// number ("Windows 11", "iPhone 15") is no figure; a rank ("Platz 3",
    /// "Rang 5") is an ordinal of its rank word, never linked; "Tempo 30"
    /// is 30 km/h.
    /// Returns the token to go on from, `None` when nothing applies.
    fn bare_after_word(
        &self,
        i: usize,
        next: usize,
        value: Decimal,
        plain_digits: usize,
        before: u16,
        out: &mut Vec<Figure>,
    ) -> Option<usize> {
        if i == 0 || !self.cont(i) {
            return None;
        }
        // The word before first (cheap), what follows only then.
        if (self.identifier_before(i, before)
            || ((1..=MAX_MODEL_DIGITS).contains(&plain_digits) && self.name_before(i, before)))
            && self.nothing_counted(next)
        {
            return Some(next);
        }
        let f = before;
        if f & (flag::RANK | flag::UNIT_BEFORE) == 0 || self.adjacent(i - 1, i) {
            return None;
        }
        let lw = lower(self.t(i - 1));
        let sp = Span::new(
            self.toks[i].span.start as usize,
            self.toks[next - 1].span.end as usize,
        );
        if f & flag::RANK != 0 && self.unit_at(next).is_none() {
            out.push(self.rank_fig(i - 1, sp, value));
            return Some(next);
        }
        if let Some(&(cat, unit)) = self.lx.unitbefore.get(&*lw) {
            if self.unit_at(next).is_none() {
                let sp = Span::new(self.toks[i - 1].span.start as usize, sp.end as usize);
                out.push(self.simple(sp, value, cat, unit, unit, false));
                return Some(next);
            }
        }
        None
    }

    /// "6,3 (2023: 4,9) Millionen Euro", "6,3 Mio. (Vorjahr: 4,9) Euro": a
    /// comparison value in parentheses between the number of `e` and its
    /// scale or unit. Both numbers take the scale and the unit after the
    /// parenthesis (the inner one the outer's own scale when it has none);
    /// a year labelling the inner number ("2023:") is a year. Pushes the
    /// figures and returns the token after them; `None` when there is no
    /// such parenthesis.
    fn paren_aside(
        &self,
        e: &Expr,
        own_scale: Option<Decimal>,
        out: &mut Vec<Figure>,
    ) -> Option<usize> {
        let open = e.next;
        if !self.cont(open) || !self.is_punct(open, "(") {
            return None;
        }
        // A label before the inner number: "2023:", "Vorjahr:", "Vj.:", "i. V.".
        let mut k = open + 1;
        let mut year_tok = None;
        loop {
            if !self.cont(k) || k > open + 6 {
                return None;
            }
            match self.kind(k)? {
                TokenKind::Word => {}
                TokenKind::Punct if matches!(self.t(k), ":" | ".") => {}
                TokenKind::Number if self.is_punct(k + 1, ":") && self.year_at(k).is_some() => {
                    year_tok = Some(k);
                }
                TokenKind::Number => break,
                _ => return None,
            }
            k += 1;
        }
        let inner_tok = k;
        let NumShape::Cardinal {
            value: inner_value,
            leading_zero: false,
            ..
        } = shape(self.t(inner_tok))
        else {
            return None;
        };
        let (inner_scale, close) = match self.scale_at(inner_tok + 1) {
            Some((sc, after)) => (Some(sc), after),
            None => (None, inner_tok + 1),
        };
        if !self.cont(close) || !self.is_punct(close, ")") {
            return None;
        }
        let (after_scale, after) = match self.scale_at(close + 1) {
            Some((sc, after)) => (Some(sc), after),
            None => (None, close + 1),
        };
        let unit = self.unit_at(after);
        if matches!(unit, Some((UnitKind::Uhr, _))) || (after_scale.is_none() && unit.is_none()) {
            return None;
        }
        let outer_value = match (own_scale, after_scale) {
            (None, Some(sc)) => e.value.checked_mul(sc)?,
            _ => e.value,
        };
        let inner_value = match inner_scale.or(after_scale).or(own_scale) {
            Some(sc) => inner_value.checked_mul(sc)?,
            None => inner_value,
        };
        let outer = Expr {
            value: outer_value,
            next: after,
            scaled: true,
            year_cand: false,
            include_unit: false,
            ..e.clone()
        };
        let inner = Expr {
            start: self.toks[inner_tok].span.start as usize,
            end: self.toks[close - 1].span.end as usize,
            next: after,
            value: inner_value,
            approx: false,
            hedged: self.hedged_before(inner_tok, self.flags_before(inner_tok)),
            scaled: true,
            year_cand: false,
            currency: e.currency,
            first_tok: inner_tok,
            include_unit: false,
        };
        out.push(self.build(&outer).0);
        if let Some(y) = year_tok {
            let year = self.year_at(y)?;
            out.push(self.year_fig(self.toks[y].span, Decimal::from_int(i64::from(year))));
        }
        out.push(self.build(&inner).0);
        Some(unit.map_or(after, |(_, end)| end))
    }

    fn span(&self, a: usize, b_incl: usize) -> Span {
        Span::new(
            self.toks[a].span.start as usize,
            self.toks[b_incl].span.end as usize,
        )
    }

    /// A plain 4-digit year token at `i` on the same line.
    fn year_at(&self, i: usize) -> Option<u32> {
        if !self.cont(i) || self.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let s = self.t(i);
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            let y: u32 = s.parse().ok()?;
            if (1000..=2999).contains(&y) {
                return Some(y);
            }
        }
        None
    }

    /// Month word (with an optional abbreviation dot) at `i`: (month, next).
    fn month_at(&self, i: usize) -> Option<(u32, usize)> {
        if !self.cont(i) || !self.is_word(i) {
            return None;
        }
        let w = self.t(i);
        if !starts_upper(w) {
            return None;
        }
        let m = *self.lx.month.get(&*lower(w))?;
        let mut next = i + 1;
        if w.chars().count() <= 4 && self.is_punct(next, ".") && self.adjacent(i, next) {
            next += 1;
        }
        Some((m, next))
    }

    /// "01. Januar 2016": a two-digit day with a leading zero before a
    /// month (never an ordinal or a count).
    fn day_month_only(&self, i: usize, value: Decimal, out: &mut Vec<Figure>) -> Option<usize> {
        if !self.is_punct(i + 1, ".") || !self.adjacent(i, i + 1) || !self.cont(i + 2) {
            return None;
        }
        self.month_at(i + 2)?;
        self.day_month_or_ordinal(i, value, 2, out)
    }

    /// "24. Februar 2022", "24. Februar", and ordinals "21." (N + dot).
    fn day_month_or_ordinal(
        &self,
        i: usize,
        value: Decimal,
        plain_digits: usize,
        out: &mut Vec<Figure>,
    ) -> Option<usize> {
        let day = value.to_i64()?;
        if !(1..=3).contains(&plain_digits)
            || day < 1
            || !self.is_punct(i + 1, ".")
            || !self.adjacent(i, i + 1)
            || !self.cont(i + 2)
        {
            return None;
        }
        if let Some((m, next)) = self.month_at(i + 2) {
            if day <= 31 {
                let d = day as u32;
                if let Some(y) = self.year_at(next) {
                    out.push(self.date_fig(self.span(i, next), format!("{y:04}-{m:02}-{d:02}")));
                    return Some(next + 1);
                }
                out.push(self.date_fig(self.span(i, next - 1), format!("--{m:02}-{d:02}")));
                return Some(next);
            }
        }
        // "vom 8. bis 12. November 2010": the first day takes the month
        // (and year) of the second.
        if day <= 31
            && matches!(self.t(i + 2), "bis" | "und" | "–" | "-")
            && self.cont(i + 3)
            && self.kind(i + 3) == Some(TokenKind::Number)
            && self.is_punct(i + 4, ".")
            && self.adjacent(i + 3, i + 4)
        {
            if let (NumShape::Cardinal { value: d2, .. }, Some((m, next))) =
                (shape(self.t(i + 3)), self.month_at(i + 5))
            {
                if d2.to_i64().is_some_and(|d2| (1..=31).contains(&d2)) {
                    let d = day as u32;
                    let iso = match self.year_at(next) {
                        Some(y) => format!("{y:04}-{m:02}-{d:02}"),
                        None => format!("--{m:02}-{d:02}"),
                    };
                    out.push(self.date_fig(self.span(i, i + 1), iso));
                    return Some(i + 2);
                }
            }
        }
        // "landete auf Platz 19. Romed Baumann …": the rank's, and the dot
        // ends the sentence.
        if self.flags_before(i) & flag::RANK != 0 && !self.adjacent(i - 1, i) {
            out.push(self.rank_fig(i - 1, self.toks[i].span, value));
            return Some(i + 1);
        }
        // "Ragnar Ache (58.)", "Guirassy (38./71. Minute)", "(12., 45.)":
        // the minutes of goals in a match report.
        if day <= 130 && i > 0 && self.is_punct(i - 1, "(") {
            if let Some(j) = self.goal_minutes(i, out) {
                return Some(j);
            }
        }
        let w = self.t(i + 2);
        let ordinal = match self.kind(i + 2) {
            Some(TokenKind::Word) => !starts_upper(w) || !self.lx.notunit.contains(&*lower(w)),
            _ => false,
        };
        if !ordinal {
            return None;
        }
        // "1. Jonas Vingegaard", "2. Fischtown Pinguins": a numbered row of
        // a list or table counts no noun.
        let noun = if self.toks[i].line_start {
            None
        } else {
            self.noun_after(i + 2)
        };
        out.push(self.ordinal_fig(self.span(i, i + 1), value, noun));
        Some(i + 2)
    }

    /// Minutes in brackets from token `i` (after the "("): "58.", "38./71.",
    /// "12., 45.", optionally "Minute" before the ")". Pushes an ordinal
    /// of "Minute" for each and returns the token after the ")"; `None`
    /// (pushing nothing) when the brackets hold anything else.
    fn goal_minutes(&self, i: usize, out: &mut Vec<Figure>) -> Option<usize> {
        let mut minutes = Vec::new();
        let mut k = i;
        loop {
            let v = match shape(self.t(k)) {
                NumShape::Cardinal {
                    value,
                    leading_zero: false,
                    ..
                } if value.to_i64().is_some_and(|m| (1..=130).contains(&m)) => value,
                _ => return None,
            };
            if !self.is_punct(k + 1, ".") || !self.adjacent(k, k + 1) || !self.cont(k + 2) {
                return None;
            }
            minutes.push((k, v));
            k += 2;
            if matches!(self.t(k), "/" | ",") && self.kind(k + 1) == Some(TokenKind::Number) {
                k += 1;
                continue;
            }
            if matches!(self.t(k), "Minute" | "Min") {
                k += 1;
                if self.t(k - 1) == "Min" && self.cont(k) && self.t(k) == "." {
                    k += 1;
                }
            }
            if !self.cont(k) || !self.is_punct(k, ")") {
                return None;
            }
            break;
        }
        let key = self.lx.key("minute");
        for (t, v) in minutes {
            let minute = Noun {
                unit: "Minute".to_string(),
                key: key.clone(),
                qualifier: None,
            };
            out.push(self.ordinal_fig(self.span(t, t + 1), v, Some(minute)));
        }
        Some(k + 1)
    }

    /// Extends a number at token `i` (value so far, next token `next`) with
    /// space-separated thousands groups ("100 000") and a scale word.
    fn extend(
        &self,
        i: usize,
        mut next: usize,
        mut value: Decimal,
        plain: usize,
    ) -> Option<(Decimal, usize, bool)> {
        if (1..=3).contains(&plain) {
            while self.cont(next)
                && self.kind(next) == Some(TokenKind::Number)
                && self.t(next).len() == 3
                && self.t(next).bytes().all(|b| b.is_ascii_digit())
                && {
                    let gap = &self.text[self.toks[next - 1].span.end as usize
                        ..self.toks[next].span.start as usize];
                    matches!(gap, " " | "\u{a0}" | "\u{202f}" | "\u{2009}")
                }
            {
                let group = Decimal::from_int(self.t(next).parse::<i64>().ok()?);
                value = value
                    .checked_mul(Decimal::from_int(1000))?
                    .checked_add(group)?;
                next += 1;
            }
        }
        let _ = i;
        let mut scaled = false;
        if let Some((sc, after)) = self.scale_at(next) {
            value = value.checked_mul(sc)?;
            next = after;
            scaled = true;
        }
        Some((value, next, scaled))
    }

    /// Scale word at `i` ("Millionen", "Mrd."): (multiplier, next).
    fn scale_at(&self, i: usize) -> Option<(Decimal, usize)> {
        if !self.cont(i) || !self.is_word(i) {
            return None;
        }
        let w = self.t(i);
        let lw = lower(w);
        let sc = *self.lx.scale.get(&*lw)?;
        let mut next = i + 1;
        if matches!(&*lw, "mio" | "mrd" | "tsd" | "bio")
            && self.is_punct(next, ".")
            && self.adjacent(i, next)
        {
            next += 1;
        }
        Some((sc, next))
    }

    /// A number adjective ("köpfige", "jährigen") after a number: the figure.
    fn numadj_fig(&self, i: usize, sp: Span, value: Decimal, lf: &str) -> Option<Figure> {
        for (stem, cat, unit) in &self.lx.numadj {
            if let Some(rest) = lf.strip_prefix(stem.as_str()) {
                if rest.is_empty() || ADJ_ENDINGS.contains(&rest) || rest == "s" {
                    let noun = self.noun_after(i + 1);
                    let unit_s = unit.to_string();
                    let key = self.lx.key(&unit_s.to_lowercase());
                    let qualifier = noun.as_ref().map(|n| n.key.clone());
                    return Some(match cat {
                        FigureCategory::Count => {
                            let generic = self.lx.generic.contains(&key);
                            Figure {
                                packed_span: sp.into(),
                                value: FigureValue::Number(value),
                                category: FigureCategory::Count,
                                unit: Some(sym(unit_s)),
                                quantity_key: (!generic)
                                    .then(|| sym(format!("count:{value}:{key}"))),
                                topic_key: qualifier
                                    .filter(|_| !generic)
                                    .map(|q| sym(format!("count:{key}@{q}"))),
                                approx: false,
                            }
                        }
                        c => self.simple(sp, value, *c, unit, &key, false),
                    });
                }
            }
        }
        None
    }

    /// "30-köpfige", "2-Prozent-Ziel", "400-Kilometer-Grenze", "1990er".
    fn compound(
        &self,
        i: usize,
        value: Decimal,
        tail_start: usize,
        out: &mut Vec<Figure>,
    ) -> Option<usize> {
        let s = self.t(i);
        let sp = self.toks[i].span;
        let tail = &s[tail_start..];
        let hyphen = tail_start > 0 && s.as_bytes()[tail_start - 1] == b'-';
        let num_span = Span::new(
            sp.start as usize,
            sp.start as usize + if hyphen { tail_start - 1 } else { tail_start },
        );
        if !hyphen {
            // "1990er" decades; "10km" attached units.
            let lt = lower(tail);
            if (lt == "er" || lt.starts_with("er-"))
                && tail_start == 4
                && value.to_i64().is_some_and(|v| (1000..=2999).contains(&v))
            {
                out.push(Figure {
                    packed_span: sp.into(),
                    value: FigureValue::Number(value),
                    category: FigureCategory::Year,
                    unit: Some(sym("Jahrzehnt")),
                    quantity_key: Some(sym(format!("year:{value}s"))),
                    topic_key: None,
                    approx: false,
                });
                return Some(i + 1);
            }
            if let Some(sym) = self.lx.measure.get(tail).or_else(|| {
                if tail.len() > 1 {
                    self.lx.measure.get(&*lt)
                } else {
                    None
                }
            }) {
                out.push(self.simple(sp, value, FigureCategory::Measure, sym, sym, false));
                return Some(i + 1);
            }
            // "2jähriger"
            if let Some(f) = self.numadj_fig(i, sp, value, &lt) {
                out.push(f);
                return Some(i + 1);
            }
            return None;
        }
        let first = tail.split('-').next().unwrap_or("");
        let lf = lower(first);
        // adjective stems: "köpfige"
        if let Some(f) = self.numadj_fig(i, sp, value, &lf) {
            out.push(f);
            return Some(i + 1);
        }
        // "2-Prozent-Ziel", "100-Tage-Bilanz", "5-Milliarden-Dollar-Paket"
        let mut parts = tail.split('-');
        let mut part = parts.next().unwrap_or("");
        let mut value = value;
        if let Some(sc) = self.lx.scale.get(&*lower(part)) {
            value = value.checked_mul(*sc)?;
            part = parts.next().unwrap_or("");
        }
        let lp = lower(part);
        let _ = num_span;
        if let Some(u) = self.lx.percent.get(&*lp) {
            out.push(self.percent_fig(sp, value, u, None, false));
            return Some(i + 1);
        }
        if let Some(c) = self.lx.currency.get(&*lp) {
            out.push(self.simple(
                sp,
                value,
                FigureCategory::Money,
                c,
                &c.to_lowercase(),
                false,
            ));
            return Some(i + 1);
        }
        if let Some(m) = self.lx.measure.get(&*lp) {
            out.push(self.simple(sp, value, FigureCategory::Measure, m, m, false));
            return Some(i + 1);
        }
        if let Some(d) = self.lx.timeunit.get(&*lp) {
            out.push(self.simple(
                sp,
                value,
                FigureCategory::Duration,
                d,
                &d.to_lowercase(),
                false,
            ));
            return Some(i + 1);
        }
        if starts_upper(part) {
            // "5-Sterne-Hotel": count of the first noun
            let singular = self.lx.singular(&lp);
            let key = self.lx.key(&singular);
            let generic = self.lx.generic.contains(&key);
            out.push(Figure {
                packed_span: sp.into(),
                value: FigureValue::Number(value),
                category: FigureCategory::Count,
                unit: Some(sym(capitalise(&singular))),
                quantity_key: (!generic).then(|| sym(format!("count:{value}:{key}"))),
                topic_key: None,
                approx: false,
            });
            return Some(i + 1);
        }
        None
    }

    // ------------------------------------------------------------------ words

    fn at_word(&self, i: usize, buf: &mut String, out: &mut Vec<Figure>) -> Option<usize> {
        let w = self.t(i);
        let first = w.chars().next()?;
        // Every trigger (number and ordinal words, months, articles, hedges,
        // approximations) starts with one of these letters: cheap rejection.
        let fl = first.to_lowercase().next()?;
        if !matches!(
            fl,
            'a' | 'd' | 'e' | 'f' | 'h' | 'j' | 'm' | 'n' | 'o' | 'p' | 's' | 't' | 'v' | 'w' | 'z'
        ) {
            return None;
        }
        let upper = first.is_uppercase();
        // "Zwei-Prozent-Ziel", "Drei-Sterne-General", "dreißig-köpfige"
        if let Some(h) = w.find('-') {
            let head = w[..h].to_lowercase();
            if let Some(v) = cardinal_word(&head) {
                return self.compound(i, v, h + 1, out);
            }
            return None;
        }
        let lw: &str = if w.chars().any(char::is_uppercase) {
            buf.clear();
            for c in w.chars() {
                buf.extend(c.to_lowercase());
            }
            buf.as_str()
        } else {
            w
        };
        // "ein Jahr", "eine Stunde", "ein halbes Jahr": a duration of one
        // (not "eines Tages", an idiom).
        if matches!(lw, "ein" | "eine" | "einen" | "einem" | "einer") && self.cont(i + 1) {
            let (value, unit_at) = match lower(self.t(i + 1)).as_ref() {
                "halbes" | "halbe" | "halben" | "halber" if self.cont(i + 2) => {
                    (Decimal::new(5, 1)?, i + 2)
                }
                _ => (Decimal::from_int(1), i + 1),
            };
            let singular = matches!(
                lower(self.t(unit_at)).as_ref(),
                "jahr" | "monat" | "woche" | "tag" | "stunde" | "minute" | "sekunde" | "jahrzehnt"
            );
            if singular {
                if let Some((UnitKind::Duration(_), _)) = self.unit_at(unit_at) {
                    return Some(self.emit_word_expr(i, unit_at, value, false, false, out));
                }
            }
            // "einem Kilometer", "ein Meter", "eine Tonne" (written out).
            if unit_at == i + 1 && self.t(unit_at).chars().count() > 3 {
                if let Some((UnitKind::Measure(_), _)) = self.unit_at(unit_at) {
                    return Some(self.emit_word_expr(i, unit_at, value, false, false, out));
                }
            }
        }
        // "Juli 2018"
        if upper {
            if let Some(&m) = self.lx.month.get(lw) {
                let mut next = i + 1;
                if w.chars().count() <= 4 && self.is_punct(next, ".") && self.adjacent(i, next) {
                    next += 1;
                }
                if let Some(y) = self.year_at(next) {
                    out.push(self.date_fig(self.span(i, next), format!("{y:04}-{m:02}")));
                    return Some(next + 1);
                }
                // "im August", "Ende November": a month without a year
                if i > 0
                    && !self.toks[i].line_start
                    && self.is_word(i - 1)
                    && matches!(
                        &*lower(self.t(i - 1)),
                        "im" | "anfang" | "mitte" | "ende" | "seit" | "bis" | "ab" | "vom"
                    )
                {
                    let mut f = self.date_fig(self.span(i, next - 1), format!("--{m:02}"));
                    f.quantity_key = None;
                    out.push(f);
                    return Some(next);
                }
                return None;
            }
        }
        // "eine Million", "ein Prozent", "ein paar Tausend"
        if self.lx.article.contains(lw) {
            if self.cont(i + 1) && lower(self.t(i + 1)) == "paar" {
                return self.hedged(i, i + 2, out);
            }
            let nl = if self.cont(i + 1) {
                lower(self.t(i + 1))
            } else {
                "".into()
            };
            if matches!(&*nl, "million" | "milliarde" | "billion" | "dutzend")
                || self.lx.percent.contains_key(&*nl)
            {
                let (value, next, scaled) = self.extend(i, i + 1, Decimal::ONE, 0)?;
                return Some(self.emit_word_expr(i, next, value, false, scaled, out));
            }
            return None;
        }
        if self.lx.hedge.contains(lw) {
            return self.hedged(i, i + 1, out);
        }
        if let Some(v) = self.lx.approx.get(lw) {
            return Some(self.emit_word_expr(i, i + 1, *v, true, false, out));
        }
        if lw == "minus" {
            return None;
        }
        if matches!(lw, "zweier" | "dreier") && self.counts_something(i + 1) {
            let v = Decimal::from_int(if lw == "zweier" { 2 } else { 3 });
            return Some(self.emit_word_expr(i, i + 1, v, false, false, out));
        }
        // "zweimal", "neunmal": how often, a count ("einmal" is an idiom).
        if let Some(v) = lw
            .strip_suffix("mal")
            .filter(|p| p.len() >= 3)
            .and_then(cardinal_word)
        {
            if v >= Decimal::from_int(2) && (!upper || self.sentence_initial(i)) {
                out.push(self.count_fig(self.toks[i].span, v, None, false));
                return Some(i + 1);
            }
        }
        // "drittgrößte", "zweitstärkste": a rank among the noun after it.
        if !upper || self.sentence_initial(i) {
            if let Some(v) = ordinal_superlative(lw) {
                let noun = self.noun_after(i + 1);
                out.push(self.ordinal_fig(self.toks[i].span, v, noun));
                return Some(i + 1);
            }
        }
        // "fünftägige", "dreißigjährigen": number word + number adjective
        if (!upper || self.sentence_initial(i))
            && lw.len() > 6
            && CARDINAL_STARTS.iter().any(|p| lw.starts_with(p))
        {
            for (stem, _, _) in &self.lx.numadj {
                if let Some(p) = lw.find(stem.as_str()) {
                    if p > 0 {
                        if let Some(v) = cardinal_word(&lw[..p]) {
                            if let Some(f) = self.numadj_fig(i, self.toks[i].span, v, &lw[p..]) {
                                out.push(f);
                                return Some(i + 1);
                            }
                        }
                    }
                }
            }
        }
        if let Some(v) = CARDINAL_ENDINGS
            .iter()
            .any(|e| lw.ends_with(e))
            .then(|| cardinal_word(lw))
            .flatten()
        {
            if upper
                && !self.sentence_initial(i)
                && !lw.ends_with("hundert")
                && !lw.ends_with("tausend")
            {
                return None;
            }
            // ("acht", "sieben", "elf" are words too; "auf sieben," after a
            // preposition, "Rang sieben" and "sieben Uhr" are the number.)
            if matches!(lw, "acht" | "sieben" | "elf")
                && !self.counts_something(i + 1)
                && !(self.cont(i + 1) && self.t(i + 1) == "Uhr")
                && !(i > 0
                    && self.cont(i)
                    && (matches!(self.t(i - 1), "auf" | "von" | "bis" | "unter" | "über")
                        || self.flags_before(i) & flag::RANK != 0))
            {
                return None;
            }
            let (value, next, scaled) = self.extend(i, i + 1, v, 0)?;
            // "minus vier Grad": the sign belongs to the figure.
            if i > 0 && self.cont(i) && lower(self.t(i - 1)) == "minus" {
                return Some(self.emit_word_expr(i - 1, next, -value, false, scaled, out));
            }
            // "Nummer fünf", "Platz drei", "Tempo dreißig"
            if !scaled {
                let before = self.flags_before(i);
                if let Some(j) = self.bare_after_word(i, next, value, 0, before, out) {
                    return Some(j);
                }
            }
            return Some(self.emit_word_expr(i, next, value, false, scaled, out));
        }
        if let Some(v) = ["te", "ten", "ter", "tes", "tem"]
            .iter()
            .any(|e| lw.ends_with(e))
            .then(|| ordinal_word(lw))
            .flatten()
        {
            // "wurde Dritter", "als Zweite ins Ziel": a rank, no noun
            // after it ("Zweiter Weltkrieg", "Erster Bevollmächtigter" are
            // names and titles).
            // ("an Dritte weitergeben": third parties; "-te" and "-ten"
            // only after a verb or "als").
            if upper
                && (lw.ends_with("ter")
                    || i > 0
                        && self.cont(i)
                        && matches!(self.t(i - 1), "als" | "wurde" | "wurden" | "war" | "ist"))
                && !(self.cont(i + 1) && self.is_word(i + 1) && starts_upper(self.t(i + 1)))
            {
                out.push(self.ordinal_fig(self.toks[i].span, v, None));
                return Some(i + 1);
            }
            if upper && !self.sentence_initial(i) {
                return None;
            }
            if !self.counts_something(i + 1) || self.lx.percent.contains_key(&*lower(self.t(i + 1)))
            {
                return None;
            }
            let noun = self.noun_after(i + 1);
            out.push(self.ordinal_fig(self.toks[i].span, v, noun));
            return Some(i + 1);
        }
        None
    }

    /// The token at `i` can follow a number that counts something: a noun,
    /// an adjective, a range word.
    fn counts_something(&self, i: usize) -> bool {
        if !self.cont(i) || !self.is_word(i) {
            return false;
        }
        let w = self.t(i);
        if starts_upper(w) {
            let lw = lower(w);
            return self.lx.percent.contains_key(&*lw)
                || self.lx.scale.contains_key(&*lw)
                || !self.lx.notunit.contains(&*lw);
        }
        self.adjective_like(w)
            || matches!(
                w,
                "und" | "bis" | "oder" | "von" | "mal" | "weitere" | "mehr"
            )
    }

    /// A hedge word at `i` ("mehrere", "ein paar") and a scale or approximate
    /// word at `j` ("Hunderttausend", "Tausende").
    fn hedged(&self, i: usize, j: usize, out: &mut Vec<Figure>) -> Option<usize> {
        if !self.cont(j) || !self.is_word(j) {
            return None;
        }
        let lw = lower(self.t(j));
        let v = if let Some(v) = self.lx.approx.get(&*lw) {
            *v
        } else if let Some(v) = self.lx.scale.get(&*lw) {
            *v
        } else {
            match cardinal_word(&lw) {
                Some(v) if lw.ends_with("hundert") || lw.ends_with("tausend") => v,
                _ => return None,
            }
        };
        let mut next = j + 1;
        let mut v = v;
        if let Some((sc, after)) = self.scale_at(next) {
            v = v.checked_mul(sc)?;
            next = after;
        }
        Some(self.emit_word_expr(i, next, v, true, true, out))
    }

    fn emit_word_expr(
        &self,
        i: usize,
        next: usize,
        value: Decimal,
        approx: bool,
        scaled: bool,
        out: &mut Vec<Figure>,
    ) -> usize {
        let e = Expr {
            start: self.toks[i].span.start as usize,
            end: self.toks[next - 1].span.end as usize,
            next,
            value,
            approx,
            // "rund zwei Millionen", "knapp eine Milliarde"
            hedged: self.hedged_before(i, self.flags_before(i)),
            scaled,
            year_cand: false,
            currency: None,
            first_tok: i,
            include_unit: true,
        };
        let (f, j) = self.build(&e);
        out.push(f);
        j
    }

    // ------------------------------------------------------------ classifying

    /// A unit word at `i`: its kind and the token after it.
    fn unit_at(&self, i: usize) -> Option<(UnitKind, usize)> {
        if !self.cont(i) {
            return None;
        }
        let w = self.t(i);
        let kind = self.toks[i].kind;
        if kind != TokenKind::Word && kind != TokenKind::Punct {
            return None;
        }
        if w == "Uhr" {
            return Some((UnitKind::Uhr, i + 1));
        }
        let lw = lower(w);
        let exact_or_lower = |m: &'static fxhash::FxHashMap<String, &'static str>| {
            m.get(w).or_else(|| {
                if w.chars().count() > 1 {
                    m.get(&*lw)
                } else {
                    None
                }
            })
        };
        if let Some(u) = exact_or_lower(&self.lx.percent) {
            return Some((UnitKind::Percent(u), i + 1));
        }
        if let Some(c) = exact_or_lower(&self.lx.currency) {
            return Some((UnitKind::Money(c), i + 1));
        }
        if matches!(w, "Cent" | "Cents" | "ct") {
            return Some((UnitKind::Cents, i + 1));
        }
        if kind == TokenKind::Punct {
            return None;
        }
        if let Some(m) = self.lx.measure.get(w).or_else(|| {
            // lower-cased match for written-out units only ("Kilometer")
            if lw.chars().count() > 3 {
                self.lx.measure.get(&*lw)
            } else {
                None
            }
        }) {
            // "250 km/h", "10 m/s"
            if self.is_punct(i + 1, "/")
                && self.adjacent(i, i + 1)
                && self.cont(i + 2)
                && self.adjacent(i + 1, i + 2)
            {
                let per = format!("{m}/{}", self.t(i + 2));
                if let Some(mp) = self.lx.measure.get(&per) {
                    return Some((UnitKind::Measure(mp), i + 3));
                }
            }
            // "88 Grad Oechsle", "20 Grad Celsius", "70 Grad Fahrenheit"
            if *m == "°C" && self.cont(i + 1) {
                let scale = match self.t(i + 1) {
                    "Celsius" => Some("°C"),
                    "Fahrenheit" => Some("°F"),
                    "Oechsle" => Some("°Oe"),
                    _ => None,
                };
                if let Some(u) = scale {
                    return Some((UnitKind::Measure(u), i + 2));
                }
            }
            // "130 Kilometer pro Stunde", "90 Liter pro Quadratmeter",
            // "15.000 Liter je Minute"
            if self.cont(i + 2) && matches!(self.t(i + 1), "pro" | "je") {
                let w2 = self.t(i + 2);
                let l2 = lower(w2);
                let per = self
                    .lx
                    .measure
                    .get(w2)
                    .or_else(|| self.lx.measure.get(&*l2))
                    .or_else(|| self.lx.timeunit.get(&*l2))
                    .and_then(|d| per_unit(m, d));
                if let Some(mp) = per {
                    return Some((UnitKind::Measure(mp), i + 3));
                }
            }
            return Some((UnitKind::Measure(m), i + 1));
        }
        if let Some(d) = self.lx.timeunit.get(&*lw) {
            let mut next = i + 1;
            if matches!(&*lw, "std" | "min" | "sek")
                && self.is_punct(next, ".")
                && self.adjacent(i, next)
            {
                next += 1;
            }
            return Some((UnitKind::Duration(d), next));
        }
        None
    }

    /// "bis 20", "oder drei", "– 30" after a number: (token after the second
    /// number and its scale word, that scale).
    fn range_tail(&self, j: usize) -> Option<(usize, Option<Decimal>, bool)> {
        self.tail_after(j, false)
    }

    /// [`Self::range_tail`], or with `change` also a change's "auf 4,2"
    /// ("von 3,9 auf 4,2 Milliarden Euro": the first number is an amount
    /// of the same unit and scale).
    fn tail_after(&self, j: usize, change: bool) -> Option<(usize, Option<Decimal>, bool)> {
        if !self.cont(j) {
            return None;
        }
        let w = self.t(j);
        let joins = matches!(w, "bis" | "oder" | "und" | "–" | "-") || (change && w == "auf");
        if !joins || !self.cont(j + 1) {
            return None;
        }
        let k = j + 1;
        let is_num = match self.toks[k].kind {
            TokenKind::Number => matches!(shape(self.t(k)), NumShape::Cardinal { .. }),
            TokenKind::Word => cardinal_word(&lower(self.t(k))).is_some(),
            _ => false,
        };
        if !is_num {
            return None;
        }
        let year = self.year_at(k).is_some_and(|y| (1800..=2100).contains(&y));
        match self.scale_at(k + 1) {
            Some((sc, after)) => Some((after, Some(sc), false)),
            None => Some((k + 1, None, year)),
        }
    }

    /// The figure of expression `e` and the token after it; a hedged count,
    /// percentage, amount, measure or duration is approximate.
    fn build(&self, e: &Expr) -> (Figure, usize) {
        let (mut f, j) = self.build_expr(e);
        if e.hedged
            && matches!(
                f.category,
                FigureCategory::Count
                    | FigureCategory::Percent
                    | FigureCategory::Money
                    | FigureCategory::Measure
                    | FigureCategory::Duration
            )
        {
            f.approx = true;
        }
        (f, j)
    }

    fn build_expr(&self, e: &Expr) -> (Figure, usize) {
        // "von 3,9 auf 4,2 Milliarden Euro": a change, read as a range.
        let change = e.first_tok > 0 && matches!(self.t(e.first_tok - 1), "von" | "Von");
        let (unit_from, inherit_scale, include, partner_year) =
            match self.tail_after(e.next, change) {
                Some((k, sc, y)) => (k, sc, false, y),
                None => (e.next, None, e.include_unit, false),
            };
        // "2013 bis 2015", "2014–2022": both ends are years
        if e.year_cand
            && !e.approx
            && e.value >= Decimal::from_int(1800)
            && (partner_year || self.after_year_range(e.first_tok))
        {
            return (self.year_fig(Span::new(e.start, e.end), e.value), e.next);
        }
        let value = match inherit_scale {
            Some(sc) if !e.scaled => e.value.checked_mul(sc).unwrap_or(e.value),
            _ => e.value,
        };
        let scaled = e.scaled || inherit_scale.is_some();
        let span_to = |end_tok: usize| {
            if include && end_tok > 0 {
                Span::new(e.start, self.toks[end_tok - 1].span.end as usize)
            } else {
                Span::new(e.start, e.end)
            }
        };
        let next_of = |end_tok: usize| if include { end_tok } else { e.next };
        if let Some(c) = e.currency {
            let f = self.simple(
                Span::new(e.start, e.end),
                value,
                FigureCategory::Money,
                c,
                &c.to_lowercase(),
                e.approx,
            );
            return (f, e.next);
        }
        let unit = self.unit_at(unit_from);
        if let Some((kind, end_tok)) = unit {
            let sp = span_to(end_tok);
            let f = match kind {
                UnitKind::Percent(u) => {
                    let q = self.genitive_after(end_tok);
                    self.percent_fig(sp, value, u, q, e.approx)
                }
                UnitKind::Money(c) => self.simple(
                    sp,
                    value,
                    FigureCategory::Money,
                    c,
                    &c.to_lowercase(),
                    e.approx,
                ),
                UnitKind::Cents => self.simple(
                    sp,
                    Decimal::new(value.mantissa(), value.scale() + 2).unwrap_or(value),
                    FigureCategory::Money,
                    "EUR",
                    "eur",
                    e.approx,
                ),
                UnitKind::Measure(m) => {
                    self.simple(sp, value, FigureCategory::Measure, m, m, e.approx)
                }
                UnitKind::Duration(d) => {
                    if e.year_cand && self.year_context(e.first_tok) {
                        return (self.year_fig(Span::new(e.start, e.end), value), e.next);
                    }
                    self.simple(
                        sp,
                        value,
                        FigureCategory::Duration,
                        d,
                        &d.to_lowercase(),
                        e.approx,
                    )
                }
                UnitKind::Uhr => {
                    let hour = value.to_i64().filter(|h| (0..=24).contains(h));
                    if let (Some(h), false, false) = (hour, scaled, e.approx) {
                        self.time_fig(sp, h as u32, 0)
                    } else {
                        return (
                            self.count_fig(Span::new(e.start, e.end), value, None, e.approx),
                            e.next,
                        );
                    }
                }
            };
            return (f, next_of(end_tok));
        }
        let sp = Span::new(e.start, e.end);
        if e.year_cand && !e.approx {
            if self.year_context(e.first_tok) {
                return (self.year_fig(sp, value), e.next);
            }
            // Outside a year context, 1000..=2100 is a year unless a plural
            // noun follows right away ("2000 Soldaten"); "1919 wurde Gagra",
            // "1906 gegründete Museum", "1937 Generaldirektor" are years.
            let plural_at = |k: usize| {
                self.cont(k)
                    && self.is_word(k)
                    && starts_upper(self.t(k))
                    && looks_plural(self.t(k))
            };
            // ... or after one adjective in -e ("1900 deutsche
            // Soldatinnen"; not a verb: "2008 erreichte Vollmer", "2008
            // wurde Vollmer").
            let adjective = |w: &str| {
                self.adjective_like(w)
                    && w.ends_with('e')
                    && !w.ends_with("te")
                    && !w.ends_with("de")
            };
            let direct = plural_at(unit_from)
                || self.cont(unit_from)
                    && self.is_word(unit_from)
                    && adjective(self.t(unit_from))
                    && plural_at(unit_from + 1);
            let noun = if direct {
                self.noun_after(unit_from)
            } else {
                None
            };
            return match noun {
                Some(noun) => (self.count_fig(sp, value, Some(noun), false), e.next),
                None => (self.year_fig(sp, value), e.next),
            };
        }
        let noun = self.noun_after(unit_from);
        // "fünf freie Tage": a time unit after an adjective is a duration.
        if let Some(d) = noun.as_ref().and_then(|n| {
            self.lx
                .timeunit
                .values()
                .find(|&&d| d == n.unit.as_str())
                .copied()
        }) {
            let f = self.simple(
                sp,
                value,
                FigureCategory::Duration,
                d,
                &d.to_lowercase(),
                e.approx,
            );
            return (f, e.next);
        }
        (self.count_fig(sp, value, noun, e.approx), e.next)
    }

    /// The lower-cased word at `k` when it is a word on the line of `k + 1`.
    fn word_at(&self, k: usize) -> Option<std::borrow::Cow<'a, str>> {
        (self.is_word(k) && !self.toks[k + 1].line_start).then(|| lower(self.t(k)))
    }

    /// "n:m" at `i`: a time, a score or a ratio, by the words around it.
    /// Time words before it win ("um 20:15"), then ratio words ("im
    /// Verhältnis 1:1"), then score words before or after it ("siegten mit
    /// 20:18", "24:22 gegen Kiel", "3:1 (1:0)"); otherwise a time.
    fn colon_context(&self, i: usize) -> Colon {
        // "Endstand: 20:18"
        let before = match i.checked_sub(1) {
            Some(k) if k > 0 && self.is_punct(k, ":") && !self.toks[k].line_start => Some(k - 1),
            k => k,
        };
        // "31:29 (15:15)": the half-time score after the final one; and
        // the quarters' after the first, "91:86 (19:22, 24:17, 16:21)".
        let mut first = i;
        for _ in 0..8 {
            if first >= 2
                && self.is_punct(first - 1, ",")
                && self.kind(first - 2) == Some(TokenKind::Number)
                && self.t(first - 2).contains(':')
            {
                first -= 2;
            }
        }
        if first >= 2
            && self.is_punct(first - 1, "(")
            && self.kind(first - 2) == Some(TokenKind::Number)
            && matches!(
                shape(self.t(first - 2)),
                NumShape::Score { .. } | NumShape::Time { .. }
            )
        {
            return Colon::Score;
        }
        if let Some(w) = before.and_then(|k| self.word_at(k)) {
            let f = self.lx.near_number(&w);
            if f & flag::TIME_BEFORE != 0 {
                return Colon::Time;
            }
            if f & flag::RATIO != 0 {
                return Colon::Ratio;
            }
            if f & flag::SCORE_BEFORE != 0 {
                return Colon::Score;
            }
        }
        if self.cont(i + 1) {
            if self.is_word(i + 1)
                && self.lx.near_number(&lower(self.t(i + 1))) & flag::SCORE_AFTER != 0
            {
                return Colon::Score;
            }
            if self.is_punct(i + 1, "(")
                && self.kind(i + 2) == Some(TokenKind::Number)
                && self.t(i + 2).contains(':')
            {
                return Colon::Score;
            }
        }
        Colon::Time
    }

    /// The [`flag`] bits of the word right before token `i` on its line
    /// (of a compound's head: "Corona-Warnstufe" → "warnstufe"), 0 when
    /// there is none. Looked up once per number.
    fn flags_before(&self, i: usize) -> u16 {
        if i == 0 || self.toks[i].line_start || !self.is_word(i - 1) {
            return 0;
        }
        let w = self.t(i - 1);
        let head = w.rsplit('-').next().unwrap_or(w);
        self.lx.near_number(&lower(head))
    }

    /// An identifier word before the number at `i` ("Artikel 5", "Nr. 5",
    /// "WKN: 716460", "§ 3", "Nummer fünf"): the number names something and
    /// is no figure. `before` is [`Self::flags_before`] of `i`.
    fn identifier_before(&self, i: usize, before: u16) -> bool {
        if before & flag::IDENTIFIER != 0 {
            return true;
        }
        if i == 0 || self.toks[i].line_start || self.kind(i - 1) != Some(TokenKind::Punct) {
            return false;
        }
        match self.t(i - 1) {
            "§" => true,
            // "Nr. 5", "Abs. 2", "WKN: 716460"
            "." | ":" => {
                i >= 2
                    && !self.toks[i - 1].line_start
                    && self.adjacent(i - 2, i - 1)
                    && (self.t(i - 2) == "§" || self.flags_before(i - 1) & flag::IDENTIFIER != 0)
            }
            _ => false,
        }
    }

    /// A name written right before the bare number at `i` ("Windows 11",
    /// "iPhone 15", "Golf 8", "Python 3.12"): a capitalised word (or one with
    /// a capital inside) that is no function word, hedge, unit, month or
    /// year word, nor a capitalised adjective or number word opening a
    /// sentence ("Weitere 30"). The caller checks that no unit or counted
    /// noun follows.
    fn name_before(&self, i: usize, before: u16) -> bool {
        if i == 0 || self.toks[i].line_start || self.adjacent(i - 1, i) || !self.is_word(i - 1) {
            return false;
        }
        let w = self.t(i - 1);
        if !w.chars().any(char::is_uppercase) || w.contains('-') {
            return false;
        }
        if before & flag::NOT_NAME != 0 || self.lx.measure.contains_key(w) {
            return false;
        }
        let lw = lower(w);
        let l = &*lw;
        !(self.sentence_initial(i - 1)
            && (self.adjective_like(l) || cardinal_word(l).is_some() || ordinal_word(l).is_some()))
    }

    /// The number ending before token `next` has nothing after it that makes
    /// it a quantity: no unit, no range, no counted plural noun.
    fn nothing_counted(&self, next: usize) -> bool {
        if self.unit_at(next).is_some() || self.range_tail(next).is_some() {
            return false;
        }
        !(self.cont(next)
            && self.is_word(next)
            && starts_upper(self.t(next))
            && looks_plural(self.t(next))
            && self.noun_after(next).is_some())
    }

    /// A hedge before the expression whose first token is `i` ("rund 100",
    /// "ca. 5", "mehr als 200", "Über 1.000"). `before` is
    /// [`Self::flags_before`] of `i`.
    fn hedged_before(&self, i: usize, before: u16) -> bool {
        if before & flag::HEDGE != 0 {
            return true;
        }
        if before & flag::HEDGE_TAIL != 0 {
            // "mehr als": the two words together
            return i >= 2
                && !self.toks[i - 1].line_start
                && match (self.word_at(i - 2), self.word_at(i - 1)) {
                    (Some(p), Some(w)) => {
                        self.lx.near_number(&format!("{p} {w}")) & flag::HEDGE != 0
                    }
                    _ => false,
                };
        }
        // "ca. 5", "rd. 100"
        i >= 2
            && self.is_punct(i - 1, ".")
            && !self.toks[i].line_start
            && !self.toks[i - 1].line_start
            && self.adjacent(i - 2, i - 1)
            && self.flags_before(i - 1) & flag::HEDGE != 0
    }

    /// The number at `i` continues a phone number: a number that starts with
    /// 0 ("089 123456") or follows "+" ("+49 89 123456") comes before it,
    /// separated by spaces only.
    fn in_phone_number(&self, i: usize) -> bool {
        let mut k = i;
        while k > 0 && !self.toks[k].line_start && self.kind(k - 1) == Some(TokenKind::Number) {
            let gap =
                &self.text[self.toks[k - 1].span.end as usize..self.toks[k].span.start as usize];
            if gap.is_empty() || !gap.chars().all(|c| c == ' ' || c == '\u{a0}') {
                return false;
            }
            let p = self.t(k - 1);
            if !p.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            if p.len() > 1 && p.starts_with('0') {
                return true;
            }
            if k >= 2 && self.adjacent(k - 2, k - 1) && self.t(k - 2) == "+" {
                return true;
            }
            k -= 1;
        }
        false
    }

    /// A German postcode: five plain digits before a capitalised word
    /// ("80331 München") at the start of a line, after a comma or after "in"
    /// ("Marienplatz 1, 80331 München", "in 80807 München"; counts that
    /// large are written "12.345").
    fn postcode(&self, i: usize, plain_digits: usize) -> bool {
        plain_digits == 5
            && (i == 0
                || self.toks[i].line_start
                || self.is_punct(i - 1, ",")
                || (self.is_word(i - 1) && self.t(i - 1) == "in"))
            && self.cont(i + 1)
            && self.is_word(i + 1)
            && starts_upper(self.t(i + 1))
            && self.unit_at(i + 1).is_none()
            && self.scale_at(i + 1).is_none()
    }

    /// The number at `i` closes a range opened by a year ("2013 bis 2015").
    fn after_year_range(&self, i: usize) -> bool {
        i >= 2
            && !self.toks[i].line_start
            && matches!(self.t(i - 1), "bis" | "–" | "-" | "und")
            && !self.toks[i - 1].line_start
            && self.kind(i - 2) == Some(TokenKind::Number)
            && {
                let p = self.t(i - 2);
                p.len() == 4
                    && p.bytes().all(|b| b.is_ascii_digit())
                    && p.parse::<u32>().is_ok_and(|y| (1800..=2100).contains(&y))
            }
    }

    fn year_context(&self, i: usize) -> bool {
        i > 0
            && !self.toks[i].line_start
            && self.is_word(i - 1)
            && self.lx.yearctx.contains(&*lower(self.t(i - 1)))
    }

    /// The counted noun from token `i` on: up to three adjective-like words
    /// skipped, then a capitalised word that is not a function word.
    fn noun_after(&self, i: usize) -> Option<Noun> {
        let mut k = i;
        let mut skipped = 0;
        // A part of a whole counts what the whole does: "180 ihrer 1140
        // Stellen", "zwölf seiner 22 Punkte", "sieben der zwölf Dreier";
        // so does one side of a vote, "38 zu 23 Stimmen".
        let whole = |k: usize| {
            self.cont(k + 1)
                && (self.kind(k + 1) == Some(TokenKind::Number)
                    || parse_cardinal_word(&lower(self.t(k + 1))).is_some())
        };
        if self.cont(k)
            && matches!(
                self.t(k),
                "ihrer" | "seiner" | "unserer" | "der" | "deren" | "dieser" | "zu" | "gegen"
            )
            && whole(k)
        {
            k += 2;
        }
        while self.cont(k) && self.is_word(k) {
            let w = self.t(k);
            if starts_upper(w) {
                let lw = lower(w);
                // "1. TSG Rhön Fulda", "2. VfB": a name, no counted noun.
                if self.lx.notunit.contains(&*lw)
                    || self.lx.month.contains_key(&*lw)
                    || !w.contains('-') && w.chars().skip(1).any(char::is_uppercase)
                {
                    return None;
                }
                // "ein zweiter Kieler Antrag": a place's adjective before
                // the noun.
                if skipped < 3
                    && lw.ends_with("er")
                    && self.cont(k + 1)
                    && self.is_word(k + 1)
                    && starts_upper(self.t(k + 1))
                {
                    skipped += 1;
                    k += 1;
                    continue;
                }
                return self.noun(k);
            }
            if skipped < 3 && self.adjective_like(w) {
                skipped += 1;
                k += 1;
                continue;
            }
            return None;
        }
        None
    }

    /// The noun at token `k` as a unit: compound head, singular, key, and a
    /// qualifier (compound modifier or genitive after it).
    fn noun(&self, k: usize) -> Option<Noun> {
        let w = self.t(k);
        let (modifier, head) = match w.rfind('-') {
            Some(p) if p + 1 < w.len() => (Some(&w[..p]), &w[p + 1..]),
            _ => (None, w),
        };
        if !starts_upper(head) {
            return None;
        }
        let lh = head.to_lowercase();
        let singular = self.lx.singular(&lh);
        let key = self.lx.key(&singular);
        let unit = if head.chars().all(|c| !c.is_lowercase()) {
            head.to_string()
        } else {
            capitalise(&singular)
        };
        let qualifier = match modifier {
            Some(m) if !m.is_empty() => Some(self.lx.key(&m.to_lowercase())),
            _ => self.genitive_after(k + 1),
        };
        Some(Noun {
            unit,
            key,
            qualifier,
        })
    }

    /// "der NATO", "des BIP", "der russischen Mission" at `i`: the key of the noun.
    fn genitive_after(&self, i: usize) -> Option<String> {
        if !self.cont(i) || !matches!(self.t(i), "der" | "des") {
            return None;
        }
        let mut k = i + 1;
        let mut skipped = 0;
        while self.cont(k) && self.is_word(k) {
            let w = self.t(k);
            if starts_upper(w) {
                let lw = lower(w);
                if self.lx.notunit.contains(&*lw) {
                    return None;
                }
                let head = match w.rfind('-') {
                    Some(p) if p + 1 < w.len() => &w[p + 1..],
                    _ => w,
                };
                let lh = head.to_lowercase();
                return Some(self.lx.key(&self.lx.singular(&lh)));
            }
            if skipped < 2 && self.adjective_like(w) {
                skipped += 1;
                k += 1;
                continue;
            }
            return None;
        }
        None
    }

    // ------------------------------------------------------------ figures

    fn value_key(value: Decimal, approx: bool) -> String {
        if approx {
            format!("~{value}")
        } else {
            value.to_string()
        }
    }

    fn simple(
        &self,
        span: Span,
        value: Decimal,
        cat: FigureCategory,
        unit: &str,
        key: &str,
        approx: bool,
    ) -> Figure {
        Figure {
            packed_span: span.into(),
            value: FigureValue::Number(value),
            category: cat,
            unit: Some(sym(unit)),
            quantity_key: Some(sym(format!(
                "{}:{}:{}",
                cat.as_str(),
                Self::value_key(value, approx),
                key.to_lowercase()
            ))),
            topic_key: None,
            approx,
        }
    }

    fn percent_fig(
        &self,
        span: Span,
        value: Decimal,
        unit: &str,
        qualifier: Option<String>,
        approx: bool,
    ) -> Figure {
        let (ukey, topic) = match unit {
            "%" => ("%", "percent"),
            "‰" => ("‰", "permille"),
            _ => ("pp", "percent-pp"),
        };
        Figure {
            packed_span: span.into(),
            value: FigureValue::Number(value),
            category: FigureCategory::Percent,
            unit: Some(sym(unit)),
            quantity_key: Some(sym(format!(
                "percent:{}:{ukey}",
                Self::value_key(value, approx)
            ))),
            topic_key: qualifier.map(|q| sym(format!("{topic}:{q}"))),
            approx,
        }
    }

    fn count_fig(&self, span: Span, value: Decimal, noun: Option<Noun>, approx: bool) -> Figure {
        let (unit, qk, tk) = match noun {
            Some(n) => {
                let generic = self.lx.generic.contains(&n.key);
                let qk = (!generic)
                    .then(|| format!("count:{}:{}", Self::value_key(value, approx), n.key));
                let tk = n
                    .qualifier
                    .filter(|_| !generic)
                    .map(|q| format!("count:{}@{q}", n.key));
                (Some(sym(n.unit)), qk.map(sym), tk.map(sym))
            }
            None => (None, None, None),
        };
        Figure {
            packed_span: span.into(),
            value: FigureValue::Number(value),
            category: FigureCategory::Count,
            unit,
            quantity_key: qk,
            topic_key: tk,
            approx,
        }
    }

    fn ordinal_fig(&self, span: Span, value: Decimal, noun: Option<Noun>) -> Figure {
        let (unit, qk) = match noun {
            Some(n) => {
                let qk = n
                    .qualifier
                    .as_ref()
                    .filter(|_| !self.lx.generic.contains(&n.key))
                    .map(|q| format!("ordinal:{value}:{}@{q}", n.key));
                (Some(sym(n.unit)), qk.map(sym))
            }
            None => (None, None),
        };
        Figure {
            packed_span: span.into(),
            value: FigureValue::Number(value),
            category: FigureCategory::Ordinal,
            unit,
            quantity_key: qk,
            topic_key: None,
            approx: false,
        }
    }

    /// A rank after its rank word at token `word` ("Platz 3"): an ordinal
    /// whose unit is the rank word, without a key (ranks are never linked).
    fn rank_fig(&self, word: usize, span: Span, value: Decimal) -> Figure {
        let noun = self.noun(word).map(|n| Noun {
            qualifier: None,
            ..n
        });
        self.ordinal_fig(span, value, noun)
    }

    fn year_fig(&self, span: Span, value: Decimal) -> Figure {
        Figure {
            packed_span: span.into(),
            value: FigureValue::Number(value),
            category: FigureCategory::Year,
            unit: None,
            quantity_key: Some(sym(format!("year:{value}"))),
            topic_key: None,
            approx: false,
        }
    }

    fn date_fig(&self, span: Span, iso: String) -> Figure {
        Figure {
            packed_span: span.into(),
            quantity_key: Some(sym(format!("date:{iso}"))),
            value: FigureValue::Text(sym(iso)),
            category: FigureCategory::Date,
            unit: None,
            topic_key: None,
            approx: false,
        }
    }

    fn score_fig(&self, span: Span, a: u32, b: u32) -> Figure {
        Figure {
            packed_span: span.into(),
            value: FigureValue::Text(sym(format!("{a}:{b}"))),
            category: FigureCategory::Score,
            unit: None,
            quantity_key: None,
            topic_key: None,
            approx: false,
        }
    }

    fn time_fig(&self, span: Span, h: u32, m: u32) -> Figure {
        Figure {
            packed_span: span.into(),
            value: FigureValue::Text(sym(format!("{h:02}:{m:02}"))),
            category: FigureCategory::Time,
            unit: None,
            quantity_key: None,
            topic_key: None,
            approx: false,
        }
    }
}

#[cfg(test)]
mod tests;
