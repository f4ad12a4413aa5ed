//! Parsing of German number tokens ("100.000", "2,5", "16.02.2022", "04:24")
//! and number words ("zweiundzwanzig", "dreihundert", "zweiten"). Digits
//! are read into exact decimals ([`Decimal`]); number words, which are
//! integers and halves, into `f64`.

use crate::model::Decimal;

/// What a token that starts with a digit says, before context is looked at.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NumShape {
    /// A cardinal: value, number of digits when written without separators
    /// (0 when grouped or decimal), leading zero ("030").
    Cardinal {
        value: Decimal,
        plain_digits: usize,
        leading_zero: bool,
    },
    /// dd.mm.yyyy (also d.m.yy → 20yy).
    Date { y: u32, m: u32, d: u32 },
    /// dd.mm (a date when a "." follows, a time when "Uhr" follows).
    DayMonth { a: u32, b: u32 },
    /// hh:mm
    Time { h: u32, m: u32 },
    /// n:m that cannot be a time: a score or ratio ("2:1", "3:0-Sieg",
    /// "28:24"). `tail_start` is where a hyphen compound's tail starts.
    Score {
        a: u32,
        b: u32,
        tail_start: Option<usize>,
    },
    /// A race time: "1:52,31" (m:ss,ff) or "2:01:09" (h:mm:ss, also with
    /// hundredths), in seconds.
    Clock { seconds: Decimal },
    /// yyyy-mm
    IsoMonth { y: u32, m: u32 },
    /// yyyy-mm-dd
    IsoDate { y: u32, m: u32, d: u32 },
    /// n-m (a range: "10-20", "2020-2022")
    Range { a: Decimal, b: Decimal },
    /// digits followed by letters or a hyphen compound: "30-köpfige",
    /// "1990er", "10km". `tail` is the text after the number part (hyphen
    /// removed).
    Compound { value: Decimal, tail_start: usize },
    /// Anything else (version numbers "3.1.4", odd groupings).
    Other,
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn small(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !all_digits(s) {
        return None;
    }
    s.parse().ok()
}

/// Parses a German-formatted number: "3000", "100.000", "2,5", "1.234,56".
/// Returns the value and the digit count when written plainly (0 otherwise).
pub(crate) fn parse_german(s: &str) -> Option<(Decimal, usize)> {
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    let (int, frac) = match s.split_once(',') {
        Some((i, f)) => {
            if !all_digits(f) {
                return None;
            }
            (i, Some(f))
        }
        None => (s, None),
    };
    let plain = all_digits(int);
    if !plain {
        // thousands groups: 1-3 digits, then groups of exactly 3
        let mut groups = int.split('.');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || !all_digits(first) {
            return None;
        }
        let mut n = 0;
        for g in groups {
            if g.len() != 3 || !all_digits(g) {
                return None;
            }
            n += 1;
        }
        if n == 0 {
            return None;
        }
    }
    let mut digits: String = int.bytes().filter(|b| *b != b'.').map(char::from).collect();
    if let Some(f) = frac {
        digits.push('.');
        digits.push_str(f);
    }
    let v = Decimal::parse(&digits)?;
    let plain_digits = if plain && frac.is_none() {
        int.len()
    } else {
        0
    };
    Some((v, plain_digits))
}

/// "2:1", "28:24", "3:0-Sieg": two numbers of 1..=3 digits around a colon
/// that are no time (a time has two-digit minutes below 60 and no tail).
fn score(s: &str, head: &str, num_end: usize) -> Option<NumShape> {
    let (a, b) = head.split_once(':')?;
    let tail_start = match &s[num_end..] {
        "" => None,
        rest => {
            let after = rest.strip_prefix('-')?;
            if !after.chars().next().is_some_and(char::is_alphabetic) {
                return None;
            }
            Some(num_end + 1)
        }
    };
    if a.is_empty() || a.len() > 3 || b.is_empty() || b.len() > 3 {
        return None;
    }
    let (a_v, b_v) = (small(a)?, small(b)?);
    // (No clock reads "24:15": that is a score or goal difference.)
    if tail_start.is_none()
        && a.len() <= 2
        && b.len() == 2
        && (a_v < 24 || a_v == 24 && b_v == 0)
        && b_v < 60
    {
        return None; // a time shape; context decides
    }
    Some(NumShape::Score {
        a: a_v,
        b: b_v,
        tail_start,
    })
}

/// "1:52,31" (minutes, seconds and hundredths) or "2:01:09" / "2:01:09,5"
/// (hours, minutes, seconds): the time in seconds. A score never has a
/// decimal comma, a time of day never two colons.
fn clock(head: &str) -> Option<Decimal> {
    // Every number comes here: most have no colon, and need no split.
    if !head.contains(':') {
        return None;
    }
    let (whole, frac) = match head.split_once(',') {
        Some((w, f)) if (1..=3).contains(&f.len()) && all_digits(f) => (w, Some(f)),
        Some(_) => return None,
        None => (head, None),
    };
    let parts: Vec<&str> = whole.split(':').collect();
    let units: &[i64] = match (parts.len(), frac) {
        (2, Some(_)) => &[60, 1],
        (3, _) => &[3600, 60, 1],
        _ => return None,
    };
    let mut secs = 0i64;
    for (k, (p, u)) in parts.iter().zip(units).enumerate() {
        let v = i64::from(small(p)?);
        // The first part any length up to 2 digits, the others exactly 2
        // and below 60.
        if (k == 0 && p.len() > 2) || (k > 0 && (p.len() != 2 || v >= 60)) {
            return None;
        }
        secs += v * u;
    }
    let text = match frac {
        Some(f) => format!("{secs},{f}"),
        None => secs.to_string(),
    };
    parse_german(&text).map(|(v, _)| v)
}

/// Classifies a Number token's text.
pub(crate) fn shape(s: &str) -> NumShape {
    // The Swiss thousands separator: "100'000", "2’500" read as "100.000".
    if s.contains(['\'', '’']) {
        return shape(&s.replace(['\'', '’'], "."));
    }
    let num_end = s
        .bytes()
        .position(|b| !(b.is_ascii_digit() || b == b'.' || b == b',' || b == b':'))
        .unwrap_or(s.len());
    let head = &s[..num_end];
    if let Some(sc) = score(s, head, num_end) {
        return sc;
    }
    if num_end < s.len() {
        let rest = &s[num_end..];
        let value = parse_german(head).map(|(v, _)| v);
        if let Some(after) = rest.strip_prefix('-') {
            // yyyy-mm(-dd) and ranges
            let parts: Vec<&str> = s.split('-').collect();
            if parts.iter().all(|p| all_digits(p)) {
                if parts.len() == 2 && parts[0].len() == 4 && parts[1].len() == 2 {
                    if let (Some(y), Some(m)) = (small(parts[0]), small(parts[1])) {
                        if (1..=12).contains(&m) {
                            return NumShape::IsoMonth { y, m };
                        }
                    }
                }
                if parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 {
                    if let (Some(y), Some(m), Some(d)) =
                        (small(parts[0]), small(parts[1]), small(parts[2]))
                    {
                        if (1..=12).contains(&m) && (1..=31).contains(&d) && parts[2].len() == 2 {
                            return NumShape::IsoDate { y, m, d };
                        }
                    }
                }
                if parts.len() == 2 && parts[0].len() <= 4 && parts[1].len() <= 4 {
                    if let (Some(a), Some(b)) = (small(parts[0]), small(parts[1])) {
                        return NumShape::Range {
                            a: Decimal::from_int(i64::from(a)),
                            b: Decimal::from_int(i64::from(b)),
                        };
                    }
                }
                return NumShape::Other;
            }
            if let (Some(a), Some((b, _))) = (value, parse_german(after)) {
                return NumShape::Range { a, b };
            }
            if let Some(value) = value {
                if after.chars().next().is_some_and(|c| c.is_alphabetic()) {
                    return NumShape::Compound {
                        value,
                        tail_start: num_end + 1,
                    };
                }
            }
            return NumShape::Other;
        }
        if let Some(value) = value {
            if rest.chars().next().is_some_and(|c| c.is_alphabetic()) {
                return NumShape::Compound {
                    value,
                    tail_start: num_end,
                };
            }
        }
        return NumShape::Other;
    }
    if let Some(seconds) = clock(head) {
        return NumShape::Clock { seconds };
    }
    if let Some((h, m)) = head.split_once(':') {
        if h.len() <= 2 && m.len() == 2 {
            if let (Some(h), Some(m)) = (small(h), small(m)) {
                if h <= 24 && m < 60 {
                    return NumShape::Time { h, m };
                }
            }
        }
        return NumShape::Other;
    }
    if !head.contains(',') {
        let parts: Vec<&str> = head.split('.').collect();
        if parts.len() == 3 && parts[0].len() <= 2 && parts[1].len() <= 2 {
            if let (Some(d), Some(m), Some(y)) = (small(parts[0]), small(parts[1]), small(parts[2]))
            {
                let y = match parts[2].len() {
                    4 => Some(y),
                    2 => Some(2000 + y),
                    _ => None,
                };
                if let Some(y) = y {
                    if (1..=31).contains(&d) && (1..=12).contains(&m) {
                        return NumShape::Date { y, m, d };
                    }
                }
            }
        }
        if parts.len() == 2 && parts[0].len() <= 2 && parts[1].len() <= 2 {
            if let (Some(a), Some(b)) = (small(parts[0]), small(parts[1])) {
                return NumShape::DayMonth { a, b };
            }
        }
    }
    match parse_german(head) {
        Some((value, plain_digits)) => NumShape::Cardinal {
            value,
            plain_digits,
            leading_zero: head.len() > 1 && head.starts_with('0') && !head.starts_with("0,"),
        },
        None => NumShape::Other,
    }
}

const UNITS: &[(&str, u32)] = &[
    ("eins", 1),
    ("ein", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fünf", 5),
    ("sechs", 6),
    ("sieben", 7),
    ("acht", 8),
    ("neun", 9),
];
const TEENS: &[(&str, u32)] = &[
    ("zehn", 10),
    ("elf", 11),
    ("zwölf", 12),
    ("dreizehn", 13),
    ("vierzehn", 14),
    ("fünfzehn", 15),
    ("sechzehn", 16),
    ("siebzehn", 17),
    ("achtzehn", 18),
    ("neunzehn", 19),
];
const TENS: &[(&str, u32)] = &[
    ("zwanzig", 20),
    ("dreißig", 30),
    ("dreissig", 30),
    ("vierzig", 40),
    ("fünfzig", 50),
    ("sechzig", 60),
    ("siebzig", 70),
    ("achtzig", 80),
    ("neunzig", 90),
];

fn take<'a>(s: &'a str, table: &[(&str, u32)]) -> Option<(u32, &'a str)> {
    // longest first matters only for "eins"/"ein": order the table so.
    for (w, v) in table {
        if let Some(rest) = s.strip_prefix(w) {
            return Some((*v, rest));
        }
    }
    None
}

/// 1..99 ("einundzwanzig", "zwölf", "acht"); "eins" only at the end.
fn below_100(s: &str) -> Option<(u32, &str)> {
    if let Some(r) = take(s, TEENS) {
        return Some(r);
    }
    if let Some(r) = take(s, TENS) {
        return Some(r);
    }
    let (u, rest) = take(s, UNITS)?;
    if let Some(after_und) = rest.strip_prefix("und") {
        if let Some((t, rest2)) = take(after_und, TENS) {
            if u == 1 && s.starts_with("eins") {
                return None;
            }
            return Some((u + t, rest2));
        }
        return Some((u, rest)); // "und" belongs to something else
    }
    Some((u, rest))
}

/// 1..999
fn below_1000(s: &str) -> Option<(u32, &str)> {
    // [unit] "hundert" [below_100]
    if let Some(rest) = s.strip_prefix("hundert") {
        return Some(match below_100(rest) {
            Some((v, r)) => (100 + v, r),
            None => (100, rest),
        });
    }
    let (v, rest) = below_100(s)?;
    if v < 10 {
        if let Some(after) = rest.strip_prefix("hundert") {
            return Some(match below_100(after) {
                Some((w, r)) => (v * 100 + w, r),
                None => (v * 100, after),
            });
        }
    }
    Some((v, rest))
}

/// Parses a whole lower-case German cardinal number word ("zweiundzwanzig",
/// "dreihunderttausend", "eineinhalb"). Bare "ein" is not accepted (article).
pub(crate) fn parse_cardinal_word(s: &str) -> Option<f64> {
    if s.len() < 3 || s.len() > 80 || s == "ein" {
        return None;
    }
    let first = s.as_bytes()[0];
    if !matches!(
        first,
        b'e' | b'z' | b'd' | b'v' | b'f' | b's' | b'a' | b'n' | b'h' | b't'
    ) {
        return None;
    }
    // "eineinhalb", "zweieinhalb", "anderthalb"
    if s == "anderthalb" {
        return Some(1.5);
    }
    if let Some(stem) = s.strip_suffix("einhalb") {
        let base = if stem == "ein" {
            1.0
        } else {
            parse_cardinal_word(stem)?
        };
        return Some(base + 0.5);
    }
    let total: u64;
    let mut rest = s;
    if let Some(r) = rest.strip_prefix("tausend") {
        total = 1000;
        rest = r;
    } else {
        let (v, r) = below_1000(rest)?;
        if let Some(r2) = r.strip_prefix("tausend") {
            total = v as u64 * 1000;
            rest = r2;
        } else {
            if !r.is_empty() {
                return None;
            }
            if v == 1 && s != "eins" {
                return None; // "ein…" forms other than "eins"
            }
            return Some(v as f64);
        }
    }
    if rest.is_empty() {
        return Some(total as f64);
    }
    let (v, r) = below_1000(rest)?;
    if !r.is_empty() {
        return None;
    }
    Some((total + v as u64) as f64)
}

/// Parses a lower-case German ordinal word ("zweiten", "dritte", "erster",
/// "einundzwanzigsten", "hundertste").
pub(crate) fn parse_ordinal_word(s: &str) -> Option<f64> {
    if s.len() < 4 || s.len() > 80 {
        return None;
    }
    let mut stem = None;
    for infl in ["en", "er", "es", "em", "e"] {
        if let Some(st) = s.strip_suffix(infl) {
            stem = Some(st);
            break;
        }
    }
    let stem = stem?;
    match stem {
        "erst" => return Some(1.0),
        "dritt" => return Some(3.0),
        "siebt" | "siebent" => return Some(7.0),
        "acht" => return Some(8.0),
        _ => {}
    }
    if let Some(base) = stem.strip_suffix("st") {
        if let Some(v) = parse_cardinal_word(base) {
            if v >= 20.0 && v.fract() == 0.0 {
                return Some(v);
            }
        }
    }
    if let Some(base) = stem.strip_suffix('t') {
        if let Some(v) = parse_cardinal_word(base) {
            if (2.0..20.0).contains(&v) && v.fract() == 0.0 {
                return Some(v);
            }
        }
        // compounds ending in 1..19: "hundertzweite"
        if let Some(v) = parse_cardinal_word(base) {
            if v > 100.0 && (v as u64 % 100) < 20 && (v as u64 % 100) > 0 && v.fract() == 0.0 {
                return Some(v);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn german_digits() {
        assert_eq!(parse_german("100.000"), Some((d("100000"), 0)));
        assert_eq!(parse_german("5.000"), Some((d("5000"), 0)));
        assert_eq!(parse_german("2,5"), Some((d("2.5"), 0)));
        assert_eq!(parse_german("3000"), Some((d("3000"), 4)));
        assert_eq!(parse_german("1.234,56"), Some((d("1234.56"), 0)));
        assert_eq!(parse_german("1.5"), None);
        assert_eq!(parse_german("1.2345"), None);
        assert_eq!(parse_german(",5"), None);
    }

    #[test]
    fn shapes() {
        assert_eq!(
            shape("16.02.2022"),
            NumShape::Date {
                y: 2022,
                m: 2,
                d: 16
            }
        );
        assert_eq!(shape("04:24"), NumShape::Time { h: 4, m: 24 });
        assert_eq!(shape("2022-02"), NumShape::IsoMonth { y: 2022, m: 2 });
        assert_eq!(
            shape("2022-02-16"),
            NumShape::IsoDate {
                y: 2022,
                m: 2,
                d: 16
            }
        );
        assert_eq!(
            shape("10-20"),
            NumShape::Range {
                a: d("10"),
                b: d("20")
            }
        );
        assert_eq!(
            shape("30-köpfige"),
            NumShape::Compound {
                value: d("30"),
                tail_start: 3
            }
        );
        assert_eq!(
            shape("1990er"),
            NumShape::Compound {
                value: d("1990"),
                tail_start: 4
            }
        );
        assert_eq!(shape("3.1.4"), NumShape::Other);
        // Scores: what cannot be a time, and hyphen compounds.
        let score = |a, b, tail_start| NumShape::Score { a, b, tail_start };
        assert_eq!(shape("2:1"), score(2, 1, None));
        assert_eq!(shape("28:24"), score(28, 24, None));
        assert_eq!(shape("3:0-Sieg"), score(3, 0, Some(4)));
        assert_eq!(shape("20:18-Erfolg"), score(20, 18, Some(6)));
        assert_eq!(shape("20:18"), NumShape::Time { h: 20, m: 18 });
        assert_eq!(shape("1:1000"), NumShape::Other);
        assert_eq!(shape("24.2"), NumShape::DayMonth { a: 24, b: 2 });
        assert!(matches!(
            shape("030"),
            NumShape::Cardinal {
                leading_zero: true,
                ..
            }
        ));
    }

    #[test]
    fn cardinal_words() {
        for (w, v) in [
            ("zwei", 2.0),
            ("dreißig", 30.0),
            ("zehn", 10.0),
            ("acht", 8.0),
            ("zweiundzwanzig", 22.0),
            ("hundert", 100.0),
            ("tausend", 1000.0),
            ("einundzwanzig", 21.0),
            ("dreihundertfünfzig", 350.0),
            ("hunderttausend", 100000.0),
            ("zweitausendzweiundzwanzig", 2022.0),
            ("siebzehn", 17.0),
            ("eins", 1.0),
            ("eineinhalb", 1.5),
            ("zweieinhalb", 2.5),
            ("einhundert", 100.0),
        ] {
            assert_eq!(parse_cardinal_word(w), Some(v), "{w}");
        }
        for w in [
            "ein",
            "eine",
            "einen",
            "einer",
            "zweite",
            "achten",
            "dreist",
            "zehnt",
            "sieben-",
            "und",
            "hunderte",
            "tausende",
            "zweidrei",
            "einsundzwanzig",
            "eineinhalbe",
            "neu",
            "acht und",
        ] {
            assert_eq!(parse_cardinal_word(w), None, "{w}");
        }
    }

    #[test]
    fn ordinal_words() {
        for (w, v) in [
            ("zweiten", 2.0),
            ("dritte", 3.0),
            ("ersten", 1.0),
            ("achte", 8.0),
            ("siebten", 7.0),
            ("zwanzigste", 20.0),
            ("einundzwanzigsten", 21.0),
            ("hundertste", 100.0),
            ("zwölfter", 12.0),
        ] {
            assert_eq!(parse_ordinal_word(w), Some(v), "{w}");
        }
        for w in [
            "zweite-", "neuen", "zehner", "erste-", "ernste", "weiter", "acht",
        ] {
            assert_eq!(parse_ordinal_word(w), None, "{w}");
        }
    }
}
