//! Names and text from outside as one line of terminal output.
//!
//! `gazette check` prints `file:line:col: severity[code] message` lines that
//! tools parse, and file names and article text go into them. A file named
//! `a.txt:1:1: error[fake] x⏎b.txt` must not forge a second line, an escape
//! sequence in an article must not reach the terminal, and bidirectional
//! controls must not reorder what the reader sees. [`line`] and [`path`]
//! write every such character as a Rust-style escape (`\n`, `\u{1b}`), a
//! backslash as `\\` (so escapes stay unambiguous), and bytes of a file
//! name that are not UTF-8 as `\xff`.

use std::fmt::Write;
use std::path::Path;

/// `s` with control and format characters escaped (see the module doc).
pub fn line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// A path as [`line`] shows text; bytes that are not UTF-8 as `\xNN`.
pub fn path(p: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in p.as_os_str().as_bytes().utf8_chunks() {
            push_escaped(&mut out, chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        line(&p.to_string_lossy())
    }
}

/// Whether `c` must not reach a terminal as itself: C0 and C1 controls (line
/// breaks, ESC), line and paragraph separators, and the format characters
/// that reorder or hide text (bidirectional controls, zero-width joiners).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn forged_lines_and_escape_sequences_stay_on_one_line() {
        assert_eq!(
            line("a.txt:1:1: error[fake] injected\nb.txt"),
            "a.txt:1:1: error[fake] injected\\nb.txt"
        );
        assert_eq!(line("\u{1b}[31mrot\u{1b}[0m"), "\\u{1b}[31mrot\\u{1b}[0m");
        assert_eq!(line("evil\u{202E}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(line("C:\\n"), "C:\\\\n");
        assert_eq!(line("Brüssel, „NATO“"), "Brüssel, „NATO“");
    }

    #[cfg(unix)]
    #[test]
    fn paths_that_are_not_utf8_are_shown_byte_for_byte() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(OsStr::from_bytes(b"/tmp/caf\xe9\n.txt"));
        assert_eq!(path(p), "/tmp/caf\\xe9\\n.txt");
    }

    proptest! {
        /// Nothing a terminal acts on survives, and distinct inputs stay
        /// distinct (the escaping is reversible).
        #[test]
        fn one_line_without_controls(s in any::<String>(), t in any::<String>()) {
            let e = line(&s);
            prop_assert!(!e.chars().any(needs_escape));
            prop_assert_eq!(e == line(&t), s == t);
        }
    }
}
