//! Text from outside (articles, file names, gazette.toml) inside markdown.
//!
//! Hover cards are markdown, and everything in them that gazette did not
//! write itself is data: an article may contain `[x](command:…)`, `<img
//! onerror=…>` or `https://…`, a file name may contain backticks or blank
//! lines. [`text`] and [`code`] are the only ways such text enters a card;
//! what they return renders as exactly that text (control characters and
//! line breaks as spaces), never as a link, an autolink, an image, HTML, a
//! heading, a list, a table or emphasis — in CommonMark and in GitHub's
//! extensions (www./http autolinks, tables, strikethrough), which is what
//! editors' markdown renderers implement. Links in cards come only from
//! gazette itself: [`link`] accepts nothing but a valid http(s) URL.

/// `s` as plain markdown text on one line.
///
/// Every character that can open markup is backslash-escaped (CommonMark
/// lets any ASCII punctuation be escaped, and renders it as itself).
/// Punctuation that only matters in context is escaped only there, so
/// ordinary prose stays readable where a client shows the source: `.` before
/// a letter or after "www" (a domain in an autolink: "www.example.com"), `:` before
/// `/` (a scheme: "http://"), and a block marker at the start (`-`, `+`, `=`,
/// `:`, or a number with `.`/`)` — a list, an underline, a definition).
pub fn text(s: &str) -> String {
    escape(s, true)
}

/// [`text`] for a piece that follows other text on its line, where a block
/// marker cannot start (`-` after a mention: "**NATO**-Gipfel").
pub fn inline(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, line_start: bool) -> String {
    let s = one_line(s);
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut chars = s.chars().peekable();
    let mut at_start = line_start;
    let mut leading_digits = line_start;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&' | '@'
            | '$' | '{' | '}' | '^' => true,
            '.' => {
                next.is_some_and(char::is_alphabetic)
                    || out
                        .as_bytes()
                        .get(out.len().saturating_sub(3)..)
                        .is_some_and(|b| b.eq_ignore_ascii_case(b"www"))
                    || (leading_digits && !at_start)
            }
            ')' => leading_digits && !at_start,
            ':' => at_start || next == Some('/'),
            '-' | '+' | '=' => at_start,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        leading_digits &= c.is_ascii_digit();
        at_start = false;
    }
    out
}

/// `s` as an inline code span on one line: a fence of backticks longer than
/// any run inside it, padded with spaces when `s` starts or ends with a
/// backtick (CommonMark strips one space on each side).
pub fn code(s: &str) -> String {
    let s = one_line(s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A markdown autolink to `url` when it is an absolute `http`/`https` URL
/// with a host (RFC 3986, so it holds no space, `<` or `>`), else `None`.
pub fn link(url: &str) -> Option<String> {
    let u = fluent_uri::Uri::parse(url).ok()?;
    let scheme = u.scheme().as_str();
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let host = u.authority()?.host();
    if host.is_empty() {
        return None;
    }
    Some(format!("<{url}>"))
}

/// Control characters (line breaks among them, also U+2028/U+2029) become
/// spaces, runs of white space one space, and the ends are trimmed: a blank
/// line would end the paragraph, and leading spaces make a code block.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_control() || c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    fn options() -> Options {
        Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_MATH
            | Options::ENABLE_GFM
            | Options::ENABLE_DEFINITION_LIST
            | Options::ENABLE_SUPERSCRIPT
            | Options::ENABLE_SUBSCRIPT
            | Options::ENABLE_WIKILINKS
    }

    /// What `md` renders as, if it is one paragraph of plain text (and inline
    /// code); `Err` with the first event that is anything else.
    fn rendered_text(md: &str) -> Result<String, String> {
        let mut out = String::new();
        for ev in Parser::new_ext(md, options()) {
            match ev {
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                Event::Text(t) | Event::Code(t) => out.push_str(&t),
                Event::SoftBreak => out.push(' '),
                other => return Err(format!("{other:?}")),
            }
        }
        Ok(out)
    }

    /// GitHub's extended autolinks (www., http://, e-mail), which
    /// pulldown-cmark does not implement: none may stand unescaped.
    fn no_extended_autolink(md: &str) {
        let lower = md.to_ascii_lowercase();
        // An escaped character is not part of an autolink's pattern.
        let unescaped: Vec<(usize, char)> = lower
            .char_indices()
            .filter(|&(i, _)| i == 0 || lower.as_bytes()[i - 1] != b'\\')
            .collect();
        let plain: String = unescaped.iter().map(|&(_, c)| c).collect();
        assert!(!lower.replace("\\:", "\\").contains("://"), "{md}");
        assert!(!lower.contains("www."), "{md}");
        assert!(!plain.contains('@'), "{md}");
    }

    fn check_text(s: &str) {
        let md = text(s);
        assert_eq!(
            rendered_text(&md).as_deref(),
            Ok(one_line(s).as_str()),
            "{s:?} → {md:?}"
        );
        no_extended_autolink(&md);
        // After other text on the line.
        let md = format!("x{}", inline(s));
        let want = format!("x{}", one_line(s));
        assert_eq!(
            rendered_text(&md).as_deref(),
            Ok(want.as_str()),
            "{s:?} → {md:?}"
        );
        no_extended_autolink(&md);
    }

    fn check_code(s: &str) {
        let md = code(s);
        let want = one_line(s);
        let got = rendered_text(&md).unwrap_or_else(|e| panic!("{s:?} → {md:?}: {e}"));
        // CommonMark strips the one padding space on each side.
        assert_eq!(
            got.trim_matches(' '),
            want.trim_matches(' '),
            "{s:?} → {md:?}"
        );
    }

    #[test]
    fn attacks_from_the_issue_render_as_text() {
        for s in [
            "[Olaf Scholz](command:workbench.action.terminal.new)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<img src=x onerror=alert(1)>",
            "[x](file:///etc/passwd)",
            "![x](https://evil.example/x.png)",
            "see https://evil.example/ and www.evil.example or mail@evil.example",
            "file`name.txt",
            "a\n\n# Heading\n\nb",
            "- list",
            "1. list",
            "2) list",
            "> quote",
            "    indented code",
            "a | b\n--|--\nc | d",
            "~~strike~~ *em* _em_ **strong**",
            "&lt;script&gt; &#60;",
            "[^1] [[wiki]] $x^2$",
            "Text\n===",
            "\\[escaped\\]",
            "line\u{2028}separator\u{85}next",
        ] {
            check_text(s);
            check_code(s);
        }
    }

    #[test]
    fn prose_stays_readable() {
        assert_eq!(
            text("Stoltenberg sagte am 16.02.2022: Die NATO (30 Mitglieder) bleibt."),
            "Stoltenberg sagte am 16.02.2022: Die NATO (30 Mitglieder) bleibt."
        );
        assert_eq!(code("nato-gipfel.txt"), "`nato-gipfel.txt`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
    }

    #[test]
    fn links_only_for_valid_http_urls() {
        assert_eq!(
            link("https://www.nato.int/").as_deref(),
            Some("<https://www.nato.int/>")
        );
        assert!(link("HTTP://example.org/a?b=c#d").is_some());
        for bad in [
            "javascript:alert(1)",
            "command:workbench.action.terminal.new",
            "file:///etc/passwd",
            "https://",
            "https://a b",
            "https://a>b",
            "www.example.org",
            "",
        ] {
            assert_eq!(link(bad), None, "{bad}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn no_markup_survives_text(s in "[ -~\n\r\t\u{a0}-\u{ff}\u{2028}]{0,40}") {
            check_text(&s);
        }

        #[test]
        fn no_markup_survives_code(s in "[ -~\n\r\t\u{a0}-\u{ff}]{0,40}") {
            check_code(&s);
        }

        #[test]
        fn any_string_is_handled(s in any::<String>()) {
            check_text(&s);
            check_code(&s);
        }
    }
}
