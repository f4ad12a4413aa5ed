//! An article's date, and where it was found.
//!
//! In the order they are trusted:
//! 1. **front matter**: a Markdown header between `---` lines (or TOML
//!    between `+++`) with `date:` (also `published:`, `datum:`);
//! 2. **stamp**: "Stand: 16.02.2022 04:24 Uhr", "Veröffentlicht am …",
//!    "Aktualisiert am …", "Datum: …" anywhere in the text (the first);
//! 3. **dateline**: a full date within the first 160 bytes of one of the
//!    first two non-empty lines ("BRÜSSEL, 16. Februar 2022 (dpa) –");
//! 4. **URL**: `/2022/02/16/` or `2022-02-16` inside a URL of the article
//!    (the latest such date: an article links to earlier reporting);
//! 5. **file name**: `2022-02-16-nato.txt`, `20220216_nato.md`
//!    ([`date_in_file_name`], applied by the corpus, which knows paths).
//!
//! Dates are full calendar days (a month alone, "2022-02", is no article
//! date) between 1900 and 2100. Formats: `16.02.2022`, `16.2.2022`,
//! `2022-02-16`, `16. Februar 2022`, `16. Feb. 2022`, `16 Februar 2022`.
//! An article with none of these has no date: nothing falls back to the
//! file's modification time, which says when a copy was made.

use crate::model::Span;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// A calendar day.
/// Read back (from the persistent index) only when [`Ymd::new`] makes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawYmd")]
pub struct Ymd {
    pub y: u16,
    pub m: u8,
    pub d: u8,
}

impl Ymd {
    /// A valid day between 1900 and 2100, else `None`.
    pub fn new(y: u32, m: u32, d: u32) -> Option<Ymd> {
        if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 {
            return None;
        }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (d <= days).then_some(Ymd {
            y: y as u16,
            m: m as u8,
            d: d as u8,
        })
    }
}

/// A [`Ymd`] as written, before it is checked.
#[derive(Deserialize)]
struct RawYmd {
    y: u16,
    m: u8,
    d: u8,
}

impl TryFrom<RawYmd> for Ymd {
    type Error = String;
    fn try_from(r: RawYmd) -> Result<Ymd, String> {
        Ymd::new(r.y.into(), r.m.into(), r.d.into())
            .ok_or_else(|| format!("{:04}-{:02}-{:02} is not a day", r.y, r.m, r.d))
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Where an article's date was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateSource {
    FrontMatter,
    Stamp,
    Dateline,
    Url,
    FileName,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::FrontMatter => "front-matter",
            DateSource::Stamp => "stamp",
            DateSource::Dateline => "dateline",
            DateSource::Url => "url",
            DateSource::FileName => "file-name",
        }
    }
}

/// An article's date and its source; `span` is where the text states it
/// (`None` for a date from the file name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDate {
    pub date: Ymd,
    pub source: DateSource,
    pub span: Option<Span>,
}

const MONTHS: &[(&str, u32)] = &[
    ("januar", 1),
    ("jänner", 1),
    ("jan", 1),
    ("februar", 2),
    ("feber", 2),
    ("feb", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mrz", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("juni", 6),
    ("jun", 6),
    ("juli", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("okt", 10),
    ("november", 11),
    ("nov", 11),
    ("dezember", 12),
    ("dez", 12),
];

/// Up to `max` ASCII digits at the start of `s`: (value, count).
fn digits(s: &[u8], max: usize) -> Option<(u32, usize)> {
    let n = s
        .iter()
        .take(max + 1)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if n == 0 || n > max {
        return None;
    }
    let v = s[..n].iter().fold(0u32, |a, b| a * 10 + (b - b'0') as u32);
    Some((v, n))
}

/// A date starting exactly at `s[0]`: the day and the number of bytes it
/// takes. Digits must not continue before (the caller checks) or after it.
pub fn parse_date_at(s: &str) -> Option<(Ymd, usize)> {
    let b = s.as_bytes();
    // 2022-02-16
    if let Some((y, 4)) = digits(b, 4) {
        if b.get(4) == Some(&b'-') {
            let (m, mn) = digits(&b[5..], 2)?;
            if b.get(5 + mn) != Some(&b'-') {
                return None;
            }
            let (d, dn) = digits(&b[6 + mn..], 2)?;
            let end = 6 + mn + dn;
            if b.get(end).is_some_and(u8::is_ascii_digit) {
                return None;
            }
            return Some((Ymd::new(y, m, d)?, end));
        }
        return None;
    }
    let (d, dn) = digits(b, 2)?;
    let mut i = dn;
    // 16.02.2022
    if b.get(i) == Some(&b'.') {
        if let Some((m, mn)) = digits(&b[i + 1..], 2) {
            let j = i + 1 + mn;
            if b.get(j) != Some(&b'.') {
                return None;
            }
            let (y, 4) = digits(&b[j + 1..], 4)? else {
                return None;
            };
            return Some((Ymd::new(y, m, d)?, j + 5));
        }
        i += 1;
    }
    // 16. Februar 2022, 16 Feb. 2022
    let rest = &s[i..];
    let word_start = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
    if word_start == 0 && i == dn {
        return None;
    }
    i += word_start;
    let word_len = s[i..]
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(s.len() - i, |(k, _)| k);
    if word_len == 0 {
        return None;
    }
    let word = s[i..i + word_len].to_lowercase();
    let &(_, m) = MONTHS.iter().find(|(name, _)| *name == word)?;
    i += word_len;
    if s[i..].starts_with('.') {
        i += 1;
    }
    let gap = s[i..].len() - s[i..].trim_start_matches([' ', '\u{a0}']).len();
    if gap == 0 {
        return None;
    }
    i += gap;
    let (y, 4) = digits(&s.as_bytes()[i..], 4)? else {
        return None;
    };
    Some((Ymd::new(y, m, d)?, i + 4))
}

/// The first date in `s` (not inside a longer number), with its byte range.
fn first_date(s: &str) -> Option<(Ymd, usize, usize)> {
    first_date_where(s, |_| true)
}

/// The first date in `s` starting at a position `ok` accepts.
fn first_date_where(s: &str, ok: impl Fn(usize) -> bool) -> Option<(Ymd, usize, usize)> {
    let b = s.as_bytes();
    for (i, _) in s.char_indices() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) || !ok(i) {
            continue;
        }
        if let Some((d, n)) = parse_date_at(&s[i..]) {
            return Some((d, i, i + n));
        }
    }
    None
}

fn span(start: usize, end: usize) -> Option<Span> {
    Some(Span::new(start, end))
}

/// The article's date as its text states it (front matter, stamp,
/// dateline, URL), or `None`.
pub fn date_in_text(text: &str) -> Option<ArticleDate> {
    front_matter(text)
        .or_else(|| stamp(text))
        .or_else(|| dateline(text))
        .or_else(|| url_date(text))
}

fn front_matter(text: &str) -> Option<ArticleDate> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    let fence = ["---", "+++"]
        .into_iter()
        .find(|f| body.lines().next().is_some_and(|l| l.trim_end() == *f))?;
    let mut at = bom;
    for (n, line) in body.split_inclusive('\n').enumerate() {
        let start = at;
        at += line.len();
        if n == 0 {
            continue;
        }
        let l = line.trim_end();
        if l == fence || n > 200 {
            return None;
        }
        let Some((key, value)) = l.split_once([':', '=']) else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if !matches!(key.as_str(), "date" | "published" | "datum" | "pubdate") {
            continue;
        }
        let vstart = start + key_offset(line, value);
        let (d, a, b) = first_date(value)?;
        return Some(ArticleDate {
            date: d,
            source: DateSource::FrontMatter,
            span: span(vstart + a, vstart + b),
        });
    }
    None
}

/// Byte offset of `value` (a subslice of `line`) within `line`.
fn key_offset(line: &str, value: &str) -> usize {
    value.as_ptr() as usize - line.as_ptr() as usize
}

const STAMPS: &[&str] = &[
    "Stand:",
    "Veröffentlicht am",
    "Veröffentlicht:",
    "Aktualisiert am",
    "Aktualisiert:",
    "Datum:",
];

fn stamp(text: &str) -> Option<ArticleDate> {
    let mut best: Option<ArticleDate> = None;
    for marker in STAMPS {
        for (i, _) in text.match_indices(marker) {
            let after = i + marker.len();
            let rest = &text[after..];
            let gap = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
            if let Some((d, n)) = parse_date_at(&rest[gap..]) {
                let s = after + gap;
                if best.is_none_or(|b| b.span.is_some_and(|x| (s as u32) < x.start)) {
                    best = Some(ArticleDate {
                        date: d,
                        source: DateSource::Stamp,
                        span: span(s, s + n),
                    });
                }
                break;
            }
        }
    }
    best
}

fn dateline(text: &str) -> Option<ArticleDate> {
    let mut at = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if line.trim().is_empty() {
            continue;
        }
        let head = &line[..floor_boundary(line, 160)];
        // A date inside a URL is the linked article's, not this one's.
        let in_url = |i: usize| {
            let word = head[..i].rsplit(char::is_whitespace).next().unwrap_or("");
            word.starts_with("http://") || word.starts_with("https://") || word.starts_with("www.")
        };
        if let Some((d, a, b)) = first_date_where(head, |i| !in_url(i)) {
            return Some(ArticleDate {
                date: d,
                source: DateSource::Dateline,
                span: span(start + a, start + b),
            });
        }
        seen += 1;
        if seen == 2 {
            break;
        }
    }
    None
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn url_date(text: &str) -> Option<ArticleDate> {
    let mut best: Option<ArticleDate> = None;
    for scheme in ["https://", "http://"] {
        for (i, _) in text.match_indices(scheme) {
            let len = text[i..]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')'))
                .unwrap_or(text.len() - i);
            if let Some((d, a, b)) = date_in_url(&text[i..i + len]) {
                if best.is_none_or(|x| d > x.date) {
                    best = Some(ArticleDate {
                        date: d,
                        source: DateSource::Url,
                        span: span(i + a, i + b),
                    });
                }
            }
        }
    }
    best
}

/// `2022-02-16` or `/2022/02/16/` in a URL: the latest, with its range.
fn date_in_url(url: &str) -> Option<(Ymd, usize, usize)> {
    let b = url.as_bytes();
    let mut best: Option<(Ymd, usize, usize)> = None;
    for i in 0..b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            continue;
        }
        let found = parse_date_at(&url[i..])
            .map(|(d, n)| (d, i, i + n))
            .or_else(|| {
                // /2022/02/16
                let (y, 4) = digits(&b[i..], 4)? else {
                    return None;
                };
                if b.get(i + 4) != Some(&b'/') {
                    return None;
                }
                let (m, mn) = digits(&b[i + 5..], 2)?;
                let j = i + 5 + mn;
                if b.get(j) != Some(&b'/') {
                    return None;
                }
                let (d, dn) = digits(&b[j + 1..], 2)?;
                Some((Ymd::new(y, m, d)?, i, j + 1 + dn))
            });
        if let Some(f) = found {
            if best.is_none_or(|x| f.0 > x.0) {
                best = Some(f);
            }
        }
    }
    best
}

/// A date in a file's name (not its folders): `2022-02-16-nato.txt`,
/// `nato_2022_02_16.md`, `20220216-nato.txt`.
pub fn date_in_file_name(path: &Path) -> Option<ArticleDate> {
    let name = path.file_stem()?.to_str()?;
    let b = name.as_bytes();
    for i in 0..b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            continue;
        }
        let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let d = if run == 8 {
            let n = |a: usize, l: usize| digits(&b[i + a..i + a + l], l).map(|x| x.0);
            Ymd::new(n(0, 4)?, n(4, 2)?, n(6, 2)?)
        } else if run == 4 && matches!(b.get(i + 4), Some(b'-' | b'_' | b'.')) {
            let sep = b[i + 4];
            let norm: String = name[i..]
                .chars()
                .take(10)
                .map(|c| if c as u32 == sep as u32 { '-' } else { c })
                .collect();
            parse_date_at(&norm).map(|x| x.0)
        } else {
            None
        };
        if let Some(date) = d {
            return Some(ArticleDate {
                date,
                source: DateSource::FileName,
                span: None,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_date(t: &str) -> Option<(String, &'static str, String)> {
        date_in_text(t).map(|d| {
            let at = d.span.map(|s| t[s.range()].to_string()).unwrap_or_default();
            (d.date.to_string(), d.source.as_str(), at)
        })
    }

    fn s(a: &str, b: &'static str, c: &str) -> Option<(String, &'static str, String)> {
        Some((a.into(), b, c.into()))
    }

    #[test]
    fn only_valid_days_are_read_back() {
        let cfg = bincode::config::standard();
        let day = Ymd::new(2024, 2, 29).unwrap();
        let bytes = bincode::serde::encode_to_vec(day, cfg).unwrap();
        assert_eq!(
            bincode::serde::decode_from_slice::<Ymd, _>(&bytes, cfg)
                .unwrap()
                .0,
            day
        );
        // Month 0 or 13, day 30 of February, a year out of range: errors.
        for (y, m, d) in [
            (2024u16, 0u8, 1u8),
            (2024, 13, 1),
            (2024, 2, 30),
            (1200, 1, 1),
        ] {
            let bytes = bincode::serde::encode_to_vec((y, m, d), cfg).unwrap();
            assert!(bincode::serde::decode_from_slice::<Ymd, _>(&bytes, cfg).is_err());
            let json = format!("{{\"y\":{y},\"m\":{m},\"d\":{d}}}");
            assert!(serde_json::from_str::<Ymd>(&json).is_err(), "{json}");
        }
    }

    #[test]
    fn formats_of_a_day() {
        for (t, want) in [
            ("16.02.2022", "2022-02-16"),
            ("6.2.2022", "2022-02-06"),
            ("2022-02-16", "2022-02-16"),
            ("16. Februar 2022", "2022-02-16"),
            ("16. Feb. 2022", "2022-02-16"),
            ("1. März 2024", "2024-03-01"),
            ("3. Jänner 2023", "2023-01-03"),
            ("29.02.2024", "2024-02-29"),
            ("31 Dezember 1999", "1999-12-31"),
        ] {
            assert_eq!(
                parse_date_at(t).map(|x| x.0.to_string()).as_deref(),
                Some(want),
                "{t}"
            );
        }
        for t in [
            "29.02.2023",
            "32.01.2022",
            "16.13.2022",
            "2022-02",
            "16. Februar",
            "16. Foo 2022",
            "16.02.22",
            "1.5",
            "16.02.20222",
            "1850-01-01",
            "2022-02-160",
        ] {
            assert_eq!(parse_date_at(t), None, "{t}");
        }
    }

    #[test]
    fn a_stamp_wins_over_a_month_and_is_found_anywhere() {
        let t = " date 2022-02 NATO-Verteidigungsminister Entspannen und aufrüsten Stand: 16.02.2022 04:24 Uhr\n\nText.";
        assert_eq!(text_date(t), s("2022-02-16", "stamp", "16.02.2022"));
        let t = "Titel\n\nText ohne Datum.\n\nVeröffentlicht am 3. März 2021";
        assert_eq!(text_date(t), s("2021-03-03", "stamp", "3. März 2021"));
    }

    #[test]
    fn front_matter_comes_first() {
        let t = "---\ntitle: NATO\ndate: 2022-02-16T04:24:00+01:00\n---\nStand: 01.01.2020\n";
        assert_eq!(text_date(t), s("2022-02-16", "front-matter", "2022-02-16"));
        let t = "+++\ndate = \"2021-05-04\"\n+++\nText";
        assert_eq!(text_date(t), s("2021-05-04", "front-matter", "2021-05-04"));
        // Not a header: no closing fence needed, but the first line must be one.
        let t = "Text\n---\ndate: 2022-02-16\n---\n";
        assert_eq!(date_in_text(t).map(|d| d.source), None);
    }

    #[test]
    fn datelines_are_at_the_top_only() {
        let t = "BRÜSSEL, 16. Februar 2022 (dpa) – Die NATO berät.";
        assert_eq!(
            text_date(t),
            s("2022-02-16", "dateline", "16. Februar 2022")
        );
        let t = "Titel\n\nUntertitel\n\nAm 24. Februar 2022 begann der Krieg.";
        assert_eq!(text_date(t), None);
        // A URL in the first line is a URL date, not a dateline.
        let t = "Trotz Diplomatie https://www.reuters.com/world/talks-2022-01-20 mit Russland";
        assert_eq!(text_date(t), s("2022-01-20", "url", "2022-01-20"));
    }

    #[test]
    fn urls_give_their_latest_date() {
        let t = "Text https://www.reuters.com/world/a-2022-01-20 und https://x.de/2022/01/25/b und https://y.de/c-2021-12-01 Ende.";
        assert_eq!(text_date(t), s("2022-01-25", "url", "2022/01/25"));
        // Digits in a URL that are no date.
        assert_eq!(text_date("Siehe https://x.de/artikel/20221345 dort."), None);
    }

    #[test]
    fn no_date_is_none() {
        assert_eq!(
            text_date("Die NATO hat 30 Mitglieder. Am Freitag tagte sie."),
            None
        );
        assert_eq!(text_date(""), None);
        // Multi-byte text around the 160-byte cut of a dateline.
        let t = format!("{}16.02.2022", "ä".repeat(90));
        assert_eq!(text_date(&t), None);
    }

    #[test]
    fn file_names() {
        let f = |p: &str| date_in_file_name(Path::new(p)).map(|d| d.date.to_string());
        assert_eq!(f("/c/2022-02-16-nato.txt").as_deref(), Some("2022-02-16"));
        assert_eq!(f("nato_2022_02_16.md").as_deref(), Some("2022-02-16"));
        assert_eq!(f("20220216-nato.txt").as_deref(), Some("2022-02-16"));
        assert_eq!(f("2022/02/16/nato.txt"), None);
        assert_eq!(f("000_09edfa8f9487fbc8.txt"), None);
        assert_eq!(f("123456789.txt"), None);
        assert_eq!(f("20221345.txt"), None);
    }
}
