//! A fast tokenizer and sentence splitter for German news text.
//!
//! One pass over the bytes, no regular expressions, no allocation per token.
//! Tokens carry byte spans into the original text. Conventions follow the
//! GermEval / TIGER style so the trained tagger sees the same units at run
//! time as in training:
//! - hyphen compounds stay one token ("NATO-Truppen", "30-köpfige");
//! - numbers keep their German separators ("100.000", "2,5", "16.02.2022",
//!   "04:24");
//! - every other punctuation character is a token of its own, so an ordinal
//!   "21." is "21" + ".";
//! - a URL, e-mail address or social-media handle ("@SPIEGELONLINE", and
//!   a retweet's "RT @srfmeteo") is one [`TokenKind::Url`] token, so nothing
//!   inside it can become a mention: a handle names an account, and the
//!   text around it says who it is.
//!
//! Sentences end at `.`/`!`/`?` followed by an upper-case start (except after
//! known abbreviations, initials and small ordinals), and at every line break:
//! news text puts headlines, datelines and credits on lines of their own.

use crate::model::Span;
use crate::text::words::Words;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (any script), possibly with digits, hyphens and apostrophes inside.
    Word,
    /// Starts with a digit: "100.000", "2,5", "2022", "04:24", "30-köpfige".
    Number,
    /// One punctuation or symbol character.
    Punct,
    /// A URL, e-mail address or social-media handle.
    Url,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// A line break (or the start of the text) precedes this token.
    pub line_start: bool,
}

impl Token {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.span.range()]
    }
}

/// A tokenised text: tokens plus sentence boundaries (ranges of token indices).
#[derive(Clone, Debug, Default)]
pub struct Tokenized {
    pub tokens: Vec<Token>,
    pub sentences: Vec<std::ops::Range<usize>>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\u{AD}' // soft hyphen inside words
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2011}' // non-breaking hyphen
}

/// Tokenises `text` and splits it into sentences.
pub fn tokenize(text: &str) -> Tokenized {
    let tokens = tokens(text);
    let sentences = split_sentences(text, &tokens);
    Tokenized { tokens, sentences }
}

/// Tokenises `text` (no sentence split).
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII whitespace fast path.
        if b == b'\n' || b == b'\r' {
            line_start = true;
            i += 1;
            continue;
        }
        if b == b' ' || b == b'\t' || b == 0x0c || b == 0x0b || b == 0 {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap();
        if c.is_whitespace() {
            if c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}' {
                line_start = true;
            }
            i += c.len_utf8();
            continue;
        }
        if let Some(end) = url_end(text, i).or_else(|| handle_end(text, i)) {
            out.push(Token {
                span: Span::new(i, end),
                kind: TokenKind::Url,
                line_start,
            });
            line_start = false;
            i = end;
            continue;
        }
        if is_word_char(c) {
            let (end, kind) = word_end(text, i, c.is_ascii_digit());
            out.push(Token {
                span: Span::new(i, end),
                kind,
                line_start,
            });
            line_start = false;
            i = end;
            continue;
        }
        let end = i + c.len_utf8();
        out.push(Token {
            span: Span::new(i, end),
            kind: TokenKind::Punct,
            line_start,
        });
        line_start = false;
        i = end;
    }
    out
}

/// End of a word or number token starting at `start`.
fn word_end(text: &str, start: usize, numeric: bool) -> (usize, TokenKind) {
    let bytes = text.as_bytes();
    let mut i = start;
    let kind = if numeric {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    let mut prev_digit = false;
    loop {
        // consume a run of word characters
        let mut advanced = false;
        while i < bytes.len() {
            let c = text[i..].chars().next().unwrap();
            if is_word_char(c) {
                prev_digit = c.is_ascii_digit();
                i += c.len_utf8();
                advanced = true;
            } else {
                break;
            }
        }
        if !advanced || i >= bytes.len() {
            break;
        }
        let c = text[i..].chars().next().unwrap();
        let next = text[i + c.len_utf8()..].chars().next();
        let next_is_word = next.is_some_and(is_word_char);
        let next_is_digit = next.is_some_and(|n| n.is_ascii_digit());
        let joins = if is_hyphen(c) {
            next_is_word
        } else if c == '.' || c == ',' || c == ':' {
            // Separators inside numbers: 100.000, 2,5, 16.02.2022, 04:24.
            prev_digit && next_is_digit && numeric_so_far(&text[start..i])
        } else if c == '\'' || c == '’' {
            // Apostrophes inside words: "geht's", "O'Brien"; and the Swiss
            // thousands separator between digits: "100'000", "2’500".
            next_is_word && !next_is_digit && !numeric
                || numeric && prev_digit && numeric_so_far(&text[start..i]) && {
                    let group = &bytes[i + c.len_utf8()..];
                    group.len() >= 3
                        && group[..3].iter().all(u8::is_ascii_digit)
                        && !group.get(3).is_some_and(u8::is_ascii_digit)
                }
        } else if c == '&' {
            // "AT&T"-style acronyms: upper & upper
            next.is_some_and(|n| n.is_uppercase())
                && text[start..i].chars().all(|x| x.is_uppercase())
        } else {
            false
        };
        if !joins {
            break;
        }
        i += c.len_utf8();
    }
    (i, kind)
}

fn numeric_so_far(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b':' | b'\''))
        || s.contains('’') && s.split('’').all(numeric_so_far)
}

/// If a URL or e-mail address starts at `i`, its end (trailing punctuation
/// that usually closes a sentence is left out).
fn url_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    let lower_prefix = |p: &str| {
        rest.len() >= p.len() && rest.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    let is_url = lower_prefix("http://")
        || lower_prefix("https://")
        || lower_prefix("www.")
        || lower_prefix("ftp://");
    let raw_end = rest
        .find(|c: char| {
            c.is_whitespace()
                || c == '"'
                || c == '<'
                || c == '>'
                || c == '„'
                || c == '“'
                || c == '”'
        })
        .unwrap_or(rest.len());
    let candidate = &rest[..raw_end];
    let is_email = !is_url && {
        // local@domain.tld
        match candidate.find('@') {
            Some(at) if at > 0 => {
                let dom = &candidate[at + 1..];
                dom.contains('.')
                    && dom.chars().next().is_some_and(|c| c.is_alphanumeric())
                    && candidate[..at]
                        .chars()
                        .all(|c| c.is_alphanumeric() || "._-+".contains(c))
            }
            _ => false,
        }
    };
    // Bare domains with a path ("tagesschau.de/ausland") count as URLs too.
    let is_bare_domain = !is_url && !is_email && looks_like_bare_domain(candidate);
    if !(is_url || is_email || is_bare_domain) {
        return None;
    }
    let mut end = raw_end;
    // Trim trailing punctuation that belongs to the sentence.
    while end > 0 {
        let last = rest[..end].chars().next_back().unwrap();
        if ".,;:!?)]}'’".contains(last) {
            // keep a closing paren if the URL contains an opening one
            if last == ')' && rest[..end].contains('(') {
                break;
            }
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    if end == 0 {
        return None;
    }
    Some(i + end)
}

/// If a social-media handle starts at `i` ("@srfmeteo", not the "@" of
/// "info@example.org"), or a retweet's marker and handle ("RT @srfmeteo"),
/// its end.
fn handle_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text.as_bytes()[i..];
    let at = match rest.first()? {
        b'@' => 0,
        b'R' if rest.starts_with(b"RT @") => 3,
        _ => return None,
    };
    if text[..i].chars().next_back().is_some_and(is_word_char) {
        return None;
    }
    let len = rest[at + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    (1..=30).contains(&len).then_some(i + at + 1 + len)
}

static TLDS: Words = Words::new(&[
    "de", "com", "org", "net", "eu", "at", "ch", "int", "gov", "info", "io", "uk", "fr", "ru", "ua",
]);

fn looks_like_bare_domain(s: &str) -> bool {
    // label(.label)+.tld followed by "/" or end; labels ASCII alnum/hyphen.
    let host = s.split('/').next().unwrap_or("");
    if !s.contains('/') {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let tld = labels[labels.len() - 1];
    TLDS.contains(tld.to_ascii_lowercase().as_str())
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// Abbreviations after which a period does not end a sentence.
static ABBREVIATIONS: Words = Words::new(&[
    "Dr", "Prof", "Hr", "Fr", "Nr", "St", "Str", "bzw", "ca", "vgl", "z", "B", "u", "a", "usw",
    "etc", "Mio", "Mrd", "Bd", "Jh", "Jhd", "Abs", "Art", "Tel", "evtl", "ggf", "inkl", "zzgl",
    "Mr", "Mrs", "Gen", "Sen", "Rep", "Gov", "Jr", "Sr", "Co", "Inc", "Ltd", "Std", "Min", "Sek",
    "v", "Chr", "bspw", "d", "h", "o", "ä", "dt", "engl", "franz", "lat", "geb", "gest", "Hrsg",
    "Bsp", "sog", "Jan", "Feb", "Mär", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Okt", "Nov",
    "Dez", "Uhr",
]);

fn split_sentences(text: &str, tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        if i > start && tokens[i].line_start {
            out.push(start..i);
            start = i;
        }
        let t = tokens[i];
        if t.kind != TokenKind::Punct {
            continue;
        }
        let s = t.text(text);
        if !(s == "." || s == "!" || s == "?" || s == "…") {
            continue;
        }
        // Closing quotes and brackets stay with the sentence they close.
        let mut end = i + 1;
        while end < tokens.len()
            && !tokens[end].line_start
            && tokens[end].kind == TokenKind::Punct
            && matches!(
                tokens[end].text(text),
                "\"" | "“" | "”" | "«" | "»" | "'" | "‘" | ")" | "]"
            )
        {
            end += 1;
        }
        let Some(next) = tokens.get(end) else {
            continue;
        };
        if next.line_start {
            continue; // the line break splits anyway
        }
        let next_text = next.text(text);
        let next_starts_upper = next_text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || matches!(next_text, "\"" | "„" | "“" | "»" | "«" | "(" | "‚");
        if !next_starts_upper {
            continue;
        }
        if s == "." && i > 0 {
            let prev = tokens[i - 1];
            let adjacent = prev.span.end == t.span.start;
            let p = prev.text(text);
            if adjacent {
                if prev.kind == TokenKind::Word && ABBREVIATIONS.contains(p) {
                    continue;
                }
                // Initials: "Antony J. Blinken"
                if prev.kind == TokenKind::Word
                    && p.chars().count() == 1
                    && p.chars().all(|c| c.is_uppercase())
                {
                    continue;
                }
                // Ordinals and dates: "am 21. Tag", "am 24. Februar"
                if prev.kind == TokenKind::Number
                    && p.len() <= 2
                    && p.bytes().all(|b| b.is_ascii_digit())
                {
                    continue;
                }
            }
        }
        out.push(start..end);
        start = end;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokens(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn german_news_tokens() {
        assert_eq!(
            toks("NATO-Generalsekretär Jens Stoltenberg sagte: „100.000 Soldaten“ (2,5 %)."),
            vec![
                "NATO-Generalsekretär",
                "Jens",
                "Stoltenberg",
                "sagte",
                ":",
                "„",
                "100.000",
                "Soldaten",
                "“",
                "(",
                "2,5",
                "%",
                ")",
                "."
            ]
        );
        assert_eq!(
            toks("am 16.02.2022 um 04:24 Uhr"),
            vec!["am", "16.02.2022", "um", "04:24", "Uhr"]
        );
        assert_eq!(
            toks("Reuters/Johanna Geron"),
            vec!["Reuters", "/", "Johanna", "Geron"]
        );
        assert_eq!(
            toks("die 30-köpfige Gruppe"),
            vec!["die", "30-köpfige", "Gruppe"]
        );
        assert_eq!(toks("Ende 2022. Dann"), vec!["Ende", "2022", ".", "Dann"]);
        assert_eq!(
            toks("Panzer- und Luftabwehrwaffen"),
            vec!["Panzer", "-", "und", "Luftabwehrwaffen"]
        );
    }

    #[test]
    fn urls_are_one_token() {
        let text =
            "Siehe https://www.nato.int/cps/en/natohq/news_1.htm, und tagesschau.de/ausland.";
        let t = tokens(text);
        assert_eq!(t[1].kind, TokenKind::Url);
        assert_eq!(
            t[1].text(text),
            "https://www.nato.int/cps/en/natohq/news_1.htm"
        );
        assert_eq!(t[4].kind, TokenKind::Url);
        assert_eq!(t[4].text(text), "tagesschau.de/ausland");
    }

    #[test]
    fn handles_are_one_token() {
        let text = "RT @SPIEGELONLINE: Türkei. Via @srf_meteo, info@example.org, ARD@ und RT @";
        let t = tokens(text);
        let urls: Vec<&str> = t
            .iter()
            .filter(|t| t.kind == TokenKind::Url)
            .map(|t| t.text(text))
            .collect();
        assert_eq!(
            urls,
            ["RT @SPIEGELONLINE", "@srf_meteo", "info@example.org"]
        );
        assert_eq!(t[1].text(text), ":");
        // "RT" alone, or glued to a word, is a word.
        assert!(t.iter().any(|t| t.text(text) == "ARD"));
        assert_eq!(t.last().unwrap().text(text), "@");
        assert_eq!(t[t.len() - 2].text(text), "RT");
    }

    #[test]
    fn sentences() {
        let text = "US-Außenminister Antony J. Blinken kam am 21. Tag. Er sprach mit Dr. Smith.\nBRÜSSEL – Die NATO";
        let tk = tokenize(text);
        let sents: Vec<String> = tk
            .sentences
            .iter()
            .map(|r| {
                let s = tk.tokens[r.start].span.start as usize;
                let e = tk.tokens[r.end - 1].span.end as usize;
                text[s..e].to_string()
            })
            .collect();
        assert_eq!(
            sents,
            vec![
                "US-Außenminister Antony J. Blinken kam am 21. Tag.",
                "Er sprach mit Dr. Smith.",
                "BRÜSSEL – Die NATO"
            ]
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        for t in [
            "",
            "-",
            "a-",
            "1.",
            "1.a",
            "http://",
            "@",
            "x@",
            "a\u{0}b",
            "😀-😀",
            "ß’",
            "\r\n\r",
        ] {
            let tk = tokenize(t);
            for tok in &tk.tokens {
                assert!(
                    t.is_char_boundary(tok.span.start as usize)
                        && t.is_char_boundary(tok.span.end as usize)
                );
            }
        }
    }
}
