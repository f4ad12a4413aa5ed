//! The one place where byte offsets become editor positions and back.
//!
//! gazette stores UTF-8 byte offsets everywhere. LSP positions are
//! `(line, character)` pairs where `character` counts code units of the
//! negotiated `positionEncoding`: UTF-16 by default, UTF-8 or UTF-32 when the
//! client offers them. Lines end at `\n`, `\r\n` or a lone `\r` (LSP 3.17).
//!
//! Out-of-range positions never panic: a character past the end of a line
//! clamps to the line end (before its terminator), a line past the end of the
//! document clamps to the document end. Offsets inside a multi-byte character
//! round down to the character's start.

use ropey::Rope;

/// Code unit in which `Position::character` is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl PositionEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            PositionEncoding::Utf8 => "utf-8",
            PositionEncoding::Utf16 => "utf-16",
            PositionEncoding::Utf32 => "utf-32",
        }
    }
    pub fn parse(s: &str) -> Option<PositionEncoding> {
        match s {
            "utf-8" => Some(PositionEncoding::Utf8),
            "utf-16" => Some(PositionEncoding::Utf16),
            "utf-32" => Some(PositionEncoding::Utf32),
            _ => None,
        }
    }
}

/// A `(line, character)` pair, both zero-based; `character` in code units of
/// some [`PositionEncoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LinePos {
    pub line: u32,
    pub character: u32,
}

/// Line structure of a text, enough to convert offsets and positions in any
/// encoding *without the text*: start and end of every line plus the
/// position of every multi-byte character (as rust-analyzer's `LineIndex`).
/// German news text is ~1–2 % non-ASCII, so this costs a few percent of the
/// text size and lets closed documents be dropped from memory.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct LineIndex {
    /// Byte offset at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    /// Lines whose terminator is `\r\n` (two bytes; `\n` and a lone `\r`
    /// are one): a line's content ends where the next line starts minus its
    /// terminator, so only these exceptions are stored.
    crlf: Vec<u32>,
    /// Every non-ASCII character, packed as `offset << 2 | (utf8_len - 1)`
    /// (4 bytes each: German text has one every ~70 bytes, and a corpus of
    /// 10^5 articles has millions). The UTF-16 length follows from the UTF-8
    /// length. Offsets must stay below 2^30 (files are far smaller: see
    /// `max_file_size`).
    wide: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0u32];
        let mut crlf = Vec::new();
        let mut wide = Vec::new();
        scan(
            text,
            0,
            text.len(),
            0,
            &mut line_starts,
            &mut crlf,
            &mut wide,
        );
        // Kept for the document's lifetime: no spare capacity.
        line_starts.shrink_to_fit();
        crlf.shrink_to_fit();
        wide.shrink_to_fit();
        LineIndex {
            line_starts,
            crlf,
            wide,
            len: text.len() as u32,
        }
    }

    /// Updates the index for an edit: bytes `old` of the indexed text were
    /// replaced, giving `new_text`. Only the lines the edit touches are
    /// scanned again (a keystroke in a file of 10^5 lines); the rest shift.
    /// Equal to `LineIndex::new(new_text)` (tested).
    pub fn splice(&mut self, old: std::ops::Range<usize>, new_text: &str) {
        let delta = new_text.len() as i64 - self.len as i64;
        let fits = old.start <= old.end
            && old.end <= self.len as usize
            && (old.end - old.start) as i64 + delta >= 0;
        let bytes = new_text.as_bytes();
        // The lines holding the edit: from the start of the first to the
        // start of the line after the last (or the end).
        let first = self.line_of(old.start);
        let last = self.line_of(old.end);
        let w0 = self.line_starts[first] as usize;
        let w1 = self
            .line_starts
            .get(last + 1)
            .map_or(self.len as usize, |&s| s as usize);
        let nw1 = (w1 as i64 + delta) as usize;
        // A lone `\r` just before the window could pair with a `\n` the edit
        // put first in it; and a window must end at a line start or the end.
        if !fits
            || (w0 > 0 && bytes.get(w0 - 1) == Some(&b'\r'))
            || nw1 < w0
            || nw1 > bytes.len()
            || !new_text.is_char_boundary(w0)
            || !new_text.is_char_boundary(nw1)
        {
            *self = LineIndex::new(new_text);
            return;
        }
        let (mut starts, mut crlf, mut wide) = (Vec::new(), Vec::new(), Vec::new());
        let end = scan(
            new_text,
            w0,
            nw1,
            first as u32,
            &mut starts,
            &mut crlf,
            &mut wide,
        );
        if end != nw1 {
            // The window's last `\r` took a `\n` after it (cannot happen
            // when the window ends at a line start; be safe).
            *self = LineIndex::new(new_text);
            return;
        }
        let shift = |x: u32| (x as i64 + delta) as u32;
        // Line starts in (w0, w1] are replaced; later ones shift.
        let a = self.line_starts.partition_point(|&s| s as usize <= w0);
        let b = self.line_starts.partition_point(|&s| s as usize <= w1);
        let line_delta = starts.len() as i64 - (b - a) as i64;
        let n = starts.len();
        self.line_starts.splice(a..b, starts);
        self.line_starts[a + n..]
            .iter_mut()
            .for_each(|s| *s = shift(*s));
        // Lines `first..=last` end inside the window; later line numbers shift.
        let a = self.crlf.partition_point(|&l| (l as usize) < first);
        let b = self.crlf.partition_point(|&l| (l as usize) <= last);
        let n = crlf.len();
        self.crlf.splice(a..b, crlf);
        self.crlf[a + n..]
            .iter_mut()
            .for_each(|l| *l = (*l as i64 + line_delta) as u32);
        // Multi-byte characters in [w0, w1) are replaced; later ones shift.
        let a = self.wide.partition_point(|&w| ((w >> 2) as usize) < w0);
        let b = self.wide.partition_point(|&w| ((w >> 2) as usize) < w1);
        let n = wide.len();
        self.wide.splice(a..b, wide);
        self.wide[a + n..]
            .iter_mut()
            .for_each(|w| *w = (shift(*w >> 2) << 2) | (*w & 3));
        self.len = new_text.len() as u32;
    }

    /// Whether this is the index of some text, as [`LineIndex::new`] makes
    /// it: lines start at 0 and go up within the text, each at least as long
    /// as its terminator; `\r\n` lines are listed once, in order, and are
    /// not the last; multi-byte characters are 2 to 4 bytes, in order, and
    /// each lies within its line. What the persistent index checks of a
    /// decoded index before positions are computed with it: a damaged one
    /// (no line starts, a start past the next) made `line_of` and
    /// `line_end` underflow.
    pub fn check(&self) -> Result<(), String> {
        let starts = &self.line_starts;
        if starts.first() != Some(&0) {
            return Err("the first line does not start at 0".into());
        }
        if starts.windows(2).any(|w| w[0] >= w[1]) || starts[starts.len() - 1] > self.len {
            return Err("line starts are not increasing within the text".into());
        }
        if self.crlf.windows(2).any(|w| w[0] >= w[1])
            || self
                .crlf
                .last()
                .is_some_and(|&l| l as usize + 1 >= starts.len())
        {
            return Err("`\\r\\n` lines are not increasing lines before the last".into());
        }
        if self
            .crlf
            .iter()
            .any(|&l| starts[l as usize + 1] - starts[l as usize] < 2)
        {
            return Err("a line is shorter than its `\\r\\n`".into());
        }
        let mut prev_end = 0u32;
        // The characters come in order: the line is found by walking along.
        let mut line = 0;
        for &w in &self.wide {
            let (off, l8, _) = unpack_wide(w);
            if l8 == 1 || off < prev_end {
                return Err(format!("multi-byte character at {off} is out of order"));
            }
            while line + 1 < starts.len() && starts[line + 1] <= off {
                line += 1;
            }
            let end = off + u32::from(l8);
            if end > self.line_end(line) {
                return Err(format!(
                    "multi-byte character at {off} is not inside a line of the text"
                ));
            }
            prev_end = end;
        }
        Ok(())
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        (self.line_starts.capacity() + self.crlf.capacity() + self.wide.capacity()) * 4
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Length of the indexed text in bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Zero-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len as usize) as u32;
        match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }

    /// Byte offset where line `line`'s content ends (before its terminator).
    fn line_end(&self, line: usize) -> u32 {
        match self.line_starts.get(line + 1) {
            None => self.len,
            Some(&next) => {
                let crlf = self.crlf.binary_search(&(line as u32)).is_ok();
                next - 1 - crlf as u32
            }
        }
    }

    /// Byte range of line `line` without its terminator.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        self.line_starts[line] as usize..self.line_end(line) as usize
    }

    /// The text of line `line` without its terminator.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        &text[self.line_range(line)]
    }

    /// Multi-byte characters within `[from, to)`: (offset, UTF-8 length, UTF-16 length).
    fn wide_in(&self, from: u32, to: u32) -> impl Iterator<Item = (u32, u8, u8)> + '_ {
        let a = self.wide.partition_point(|&w| (w >> 2) < from);
        let b = self.wide.partition_point(|&w| (w >> 2) < to);
        self.wide[a..b].iter().map(|&w| unpack_wide(w))
    }

    /// Rounds `offset` down to a character boundary (clamped to the text).
    pub fn floor_boundary(&self, offset: usize) -> usize {
        let offset = offset.min(self.len as usize) as u32;
        let k = self.wide.partition_point(|&w| (w >> 2) <= offset);
        if k > 0 {
            let (start, l8, _) = unpack_wide(self.wide[k - 1]);
            if offset > start && offset < start + l8 as u32 {
                return start as usize;
            }
        }
        offset as usize
    }

    /// Whether each offset asked is a character boundary within the text,
    /// for offsets asked in nondecreasing order: one walk over the
    /// multi-byte characters instead of a search per offset (an offset
    /// that goes back starts the walk again).
    pub fn boundary_walk(&self) -> impl FnMut(u32) -> bool + '_ {
        let (mut k, mut last) = (0, 0);
        move |offset| {
            if offset > self.len {
                return false;
            }
            if offset < last {
                k = 0;
            }
            last = offset;
            while let Some(&w) = self.wide.get(k) {
                let (start, l8, _) = unpack_wide(w);
                if start + u32::from(l8) > offset {
                    return offset <= start;
                }
                k += 1;
            }
            true
        }
    }

    /// Editor position of a byte offset (clamped; rounded down to a character boundary).
    pub fn position(&self, offset: usize, enc: PositionEncoding) -> LinePos {
        let offset = self.floor_boundary(offset) as u32;
        let line = self.line_of(offset as usize);
        let start = self.line_starts[line];
        let bytes = offset - start;
        let character = match enc {
            PositionEncoding::Utf8 => bytes,
            PositionEncoding::Utf16 => {
                bytes
                    - self
                        .wide_in(start, offset)
                        .map(|w| (w.1 - w.2) as u32)
                        .sum::<u32>()
            }
            PositionEncoding::Utf32 => {
                bytes
                    - self
                        .wide_in(start, offset)
                        .map(|w| (w.1 - 1) as u32)
                        .sum::<u32>()
            }
        };
        LinePos {
            line: line as u32,
            character,
        }
    }

    /// Editor positions of both ends of `[start, end)`, as [`Self::position`]
    /// gives them, in one pass: a name sits on one line, so the end is
    /// counted on from the start instead of being looked up again (about
    /// three binary searches per range instead of eight; references to an
    /// entity named 10^5 times convert that many ranges).
    pub fn range(&self, start: usize, end: usize, enc: PositionEncoding) -> (LinePos, LinePos) {
        let (s, s_off, k) = self.locate(start, enc);
        self.range_on(s, s_off, k, end, enc)
    }

    /// A [`Cursor`] at the start of the text.
    pub fn cursor(&self, enc: PositionEncoding) -> Cursor<'_> {
        Cursor {
            li: self,
            enc,
            line: 0,
            k: 0,
        }
    }

    /// [`Self::range`] from the start's position `s` (at byte `s_off`, with
    /// `k` the first multi-byte character at or after it).
    fn range_on(
        &self,
        s: LinePos,
        s_off: u32,
        k: usize,
        end: usize,
        enc: PositionEncoding,
    ) -> (LinePos, LinePos) {
        let end = end.min(self.len as usize) as u32;
        let next_line = self.line_starts.get(s.line as usize + 1).copied();
        if end < s_off || next_line.is_some_and(|n| end >= n) {
            return (s, self.position(end as usize, enc));
        }
        // Same line: add the units of the characters in [s_off, end),
        // stopping at the one `end` falls inside (rounded down, as
        // `position` does).
        let mut character = s.character;
        let mut at = s_off;
        for &w in &self.wide[k..] {
            let (w_off, l8, l16) = unpack_wide(w);
            if w_off >= end {
                break;
            }
            character += w_off - at;
            at = w_off + l8 as u32;
            if at > end {
                return (
                    s,
                    LinePos {
                        line: s.line,
                        character,
                    },
                );
            }
            character += match enc {
                PositionEncoding::Utf8 => l8 as u32,
                PositionEncoding::Utf16 => l16 as u32,
                PositionEncoding::Utf32 => 1,
            };
        }
        character += end - at;
        (
            s,
            LinePos {
                line: s.line,
                character,
            },
        )
    }

    /// [`Self::position`], with the offset rounded down to a character
    /// boundary and the index in `wide` of the first multi-byte character
    /// at or after it.
    fn locate(&self, offset: usize, enc: PositionEncoding) -> (LinePos, u32, usize) {
        let mut offset = offset.min(self.len as usize) as u32;
        let mut k = self.wide.partition_point(|&w| (w >> 2) < offset);
        if k > 0 {
            let (w_off, l8, _) = unpack_wide(self.wide[k - 1]);
            if offset < w_off + l8 as u32 {
                offset = w_off;
                k -= 1;
            }
        }
        let line = self.line_of(offset as usize);
        let line_start = self.line_starts[line];
        let a = self.wide[..k].partition_point(|&w| (w >> 2) < line_start);
        let narrow = |w: &u32| {
            let (_, l8, l16) = unpack_wide(*w);
            fewer_units(l8, l16, enc)
        };
        let character = offset - line_start - self.wide[a..k].iter().map(narrow).sum::<u32>();
        (
            LinePos {
                line: line as u32,
                character,
            },
            offset,
            k,
        )
    }

    /// Byte offset of an editor position, clamped to the line and document.
    pub fn offset(&self, pos: LinePos, enc: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return self.len as usize;
        }
        let (start, end) = (self.line_starts[line], self.line_end(line));
        if enc == PositionEncoding::Utf8 {
            let o = start.saturating_add(pos.character).min(end) as usize;
            return self.floor_boundary(o);
        }
        // Walk the multi-byte characters of the line: between them every
        // byte is one code unit in every encoding.
        let mut units_left = pos.character;
        let mut at = start;
        for (w, l8, l16) in self.wide_in(start, end) {
            let ascii_run = w - at;
            if units_left < ascii_run {
                return (at + units_left) as usize;
            }
            units_left -= ascii_run;
            let units = if enc == PositionEncoding::Utf16 {
                l16 as u32
            } else {
                1
            };
            if units_left < units {
                return w as usize;
            }
            units_left -= units;
            at = w + l8 as u32;
        }
        at.saturating_add(units_left).min(end) as usize
    }
}

/// Converts ranges in ascending order of their starts, walking the line
/// index once instead of searching it for each range: the references of an
/// entity come sorted by document and offset, and a search per range spent
/// most of its time waiting for memory (each document's index is a few
/// scattered cache lines; a walk reads them in order). A range that starts
/// before the previous one restarts the walk, so any order is correct.
pub struct Cursor<'a> {
    li: &'a LineIndex,
    enc: PositionEncoding,
    /// The line of the last start.
    line: usize,
    /// The first multi-byte character at or after that line's start.
    k: usize,
}

impl Cursor<'_> {
    /// [`LineIndex::range`] of `[start, end)`.
    pub fn range(&mut self, start: usize, end: usize) -> (LinePos, LinePos) {
        let li = self.li;
        let mut offset = start.min(li.len as usize) as u32;
        if offset < li.line_starts[self.line] {
            (self.line, self.k) = (0, 0);
        }
        while li
            .line_starts
            .get(self.line + 1)
            .is_some_and(|&n| n <= offset)
        {
            self.line += 1;
        }
        let line_start = li.line_starts[self.line];
        while li.wide.get(self.k).is_some_and(|&w| (w >> 2) < line_start) {
            self.k += 1;
        }
        // The line's multi-byte characters before `offset` (which is moved
        // to the start of one it falls inside).
        let mut k = self.k;
        let mut narrow = 0;
        while let Some(&w) = li.wide.get(k) {
            let (w_off, l8, l16) = unpack_wide(w);
            if w_off >= offset {
                break;
            }
            if offset < w_off + l8 as u32 {
                offset = w_off;
                break;
            }
            narrow += fewer_units(l8, l16, self.enc);
            k += 1;
        }
        let s = LinePos {
            line: self.line as u32,
            character: offset - line_start - narrow,
        };
        li.range_on(s, offset, k, end, self.enc)
    }
}

/// Indexes `text[from..to]` as [`LineIndex::new`] does the whole text:
/// pushes the start of every line that begins after `from` (up to `to`),
/// the number of every line ending in `\r\n` (`line` is the number of the
/// line `from` is in) and every multi-byte character. Returns where it
/// stopped: `to`, or one byte past it when a `\r` at `to - 1` was followed
/// by a `\n`.
fn scan(
    text: &str,
    from: usize,
    to: usize,
    mut line: u32,
    line_starts: &mut Vec<u32>,
    crlf: &mut Vec<u32>,
    wide: &mut Vec<u32>,
) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        let b = bytes[i];
        if b < 0x80 {
            match b {
                b'\n' => {
                    line_starts.push(i as u32 + 1);
                    line += 1;
                }
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        crlf.push(line);
                        i += 1;
                    }
                    line_starts.push(i as u32 + 1);
                    line += 1;
                }
                _ => {}
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap();
            wide.push(((i as u32) << 2) | (c.len_utf8() as u32 - 1));
            i += c.len_utf8();
        }
    }
    i
}

/// (offset, UTF-8 length, UTF-16 length) of a packed wide character.
#[inline]
fn unpack_wide(w: u32) -> (u32, u8, u8) {
    let l8 = (w & 3) as u8 + 1;
    (w >> 2, l8, if l8 == 4 { 2 } else { 1 })
}

/// How many fewer units than bytes a character of `l8` UTF-8 bytes and
/// `l16` UTF-16 units counts for in `enc`.
#[inline]
fn fewer_units(l8: u8, l16: u8, enc: PositionEncoding) -> u32 {
    match enc {
        PositionEncoding::Utf8 => 0,
        PositionEncoding::Utf16 => (l8 - l16) as u32,
        PositionEncoding::Utf32 => (l8 - 1) as u32,
    }
}

/// The largest char boundary `<= offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Byte offset in a rope of an editor position (clamped like [`LineIndex::offset`]).
/// Ropey counts `\r\n`, `\r` and `\n` (and a few Unicode breaks) as line ends;
/// documents are normalised so only the LSP set occurs in practice.
pub fn rope_offset(rope: &Rope, pos: LinePos, enc: PositionEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start_char = rope.line_to_char(line);
    let line_slice = rope.line(line);
    // Length of the line without its terminator, in chars.
    let mut content_chars = line_slice.len_chars();
    while content_chars > 0 {
        let c = line_slice.char(content_chars - 1);
        if c == '\n' || c == '\r' {
            content_chars -= 1;
        } else {
            break;
        }
    }
    let char_in_line = match enc {
        PositionEncoding::Utf32 => (pos.character as usize).min(content_chars),
        PositionEncoding::Utf16 => {
            let cu_len = line_slice.char_to_utf16_cu(content_chars);
            let cu = (pos.character as usize).min(cu_len);
            // utf16_cu_to_char rounds a position inside a surrogate pair down.
            line_slice.utf16_cu_to_char(cu)
        }
        PositionEncoding::Utf8 => {
            let byte_len = line_slice.char_to_byte(content_chars);
            let b = (pos.character as usize).min(byte_len);
            line_slice.byte_to_char(b)
        }
    };
    rope.char_to_byte(line_start_char + char_in_line)
}

/// Editor position of a byte offset in a rope.
pub fn rope_position(rope: &Rope, offset: usize, enc: PositionEncoding) -> LinePos {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_start_char = rope.line_to_char(line);
    let character = match enc {
        PositionEncoding::Utf32 => char_idx - line_start_char,
        PositionEncoding::Utf16 => {
            rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start_char)
        }
        PositionEncoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
    };
    LinePos {
        line: line as u32,
        character: character as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ENCS: [PositionEncoding; 3] = [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ];

    #[test]
    fn umlauts_and_quotes_in_utf16() {
        let text = "Die „Außenminister“ trafen sich.\nZweite Zeile: Größe";
        let idx = LineIndex::new(text);
        let off = text.find("trafen").unwrap();
        let p = idx.position(off, PositionEncoding::Utf16);
        assert_eq!(
            p,
            LinePos {
                line: 0,
                character: 20
            }
        );
        let p8 = idx.position(off, PositionEncoding::Utf8);
        assert_eq!(p8.character as usize, off);
        assert_eq!(idx.offset(p, PositionEncoding::Utf16), off);
        let g = text.find("Größe").unwrap();
        assert_eq!(
            idx.position(g, PositionEncoding::Utf16),
            LinePos {
                line: 1,
                character: 14
            }
        );
    }

    #[test]
    fn crlf_and_lone_cr_are_line_ends() {
        let text = "a\r\nb\rc\nd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_text(text, 0), "a");
        assert_eq!(idx.line_text(text, 1), "b");
        assert_eq!(
            idx.position(7, PositionEncoding::Utf16),
            LinePos {
                line: 3,
                character: 0
            }
        );
        // Past the end of line 0 clamps before "\r\n".
        assert_eq!(
            idx.offset(
                LinePos {
                    line: 0,
                    character: 99
                },
                PositionEncoding::Utf16
            ),
            1
        );
        // Past the last line clamps to the end.
        assert_eq!(
            idx.offset(
                LinePos {
                    line: 42,
                    character: 0
                },
                PositionEncoding::Utf16
            ),
            text.len()
        );
    }

    #[test]
    fn surrogate_pairs() {
        let text = "x😀y";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(5, PositionEncoding::Utf16).character, 3);
        // Inside the surrogate pair rounds down to the emoji's start.
        assert_eq!(
            idx.offset(
                LinePos {
                    line: 0,
                    character: 2
                },
                PositionEncoding::Utf16
            ),
            1
        );
        let rope = Rope::from_str(text);
        assert_eq!(
            rope_offset(
                &rope,
                LinePos {
                    line: 0,
                    character: 2
                },
                PositionEncoding::Utf16
            ),
            1
        );
    }

    /// A text whose index `li` is (when it is one): `x` for every byte
    /// that is neither a line terminator nor in a multi-byte character.
    fn text_of(li: &LineIndex) -> String {
        let mut b = vec![b'x'; li.len()];
        for l in 0..li.line_starts.len() - 1 {
            let next = li.line_starts[l + 1] as usize;
            b[next - 1] = b'\n';
            if li.crlf.binary_search(&(l as u32)).is_ok() {
                b[next - 2] = b'\r';
            }
        }
        for &w in &li.wide {
            let (off, l8, _) = unpack_wide(w);
            let c = ["\u{e9}", "\u{20ac}", "\u{1f600}"][l8 as usize - 2];
            b[off as usize..off as usize + l8 as usize].copy_from_slice(c.as_bytes());
        }
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn damaged_indexes_fail_the_check() {
        let good = LineIndex::new("a\r\nbä\n😀\rc");
        assert_eq!(good.check(), Ok(()));
        assert_eq!(LineIndex::new(&text_of(&good)), good);
        let damaged = |f: &dyn Fn(&mut LineIndex)| {
            let mut li = good.clone();
            f(&mut li);
            li.check().unwrap_err()
        };
        // No line starts: `line_of` underflowed.
        assert!(damaged(&|li| li.line_starts.clear()).contains("first line"));
        assert!(damaged(&|li| li.line_starts[0] = 1).contains("first line"));
        assert!(damaged(&|li| li.line_starts.swap(1, 2)).contains("increasing"));
        assert!(damaged(&|li| li.len = 2).contains("increasing"));
        assert!(damaged(&|li| li.crlf.push(0)).contains("\\r\\n"));
        assert!(damaged(&|li| li.crlf = vec![3]).contains("\\r\\n"));
        // `\r\n` where `ä` is.
        assert!(damaged(&|li| li.crlf = vec![1]).contains("inside a line"));
        let mut one_byte_line = LineIndex::new("\nb");
        one_byte_line.crlf = vec![0];
        assert!(one_byte_line.check().unwrap_err().contains("shorter"));
        assert!(damaged(&|li| li.wide[0] &= !3).contains("order"));
        assert!(damaged(&|li| li.wide.reverse()).contains("order"));
        assert!(damaged(&|li| li.wide[1] += 4 * 3).contains("inside a line"));
        assert!(damaged(&|li| li.wide.push(200 << 2 | 1)).contains("inside a line"));
    }

    fn arb_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a".to_string()),
                Just("ä".to_string()),
                Just("„".to_string()),
                Just("😀".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\r".to_string()),
                Just(" ".to_string()),
                "[a-zß]{1,3}",
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn roundtrip_offset_position(text in arb_text(), pick in 0usize..200) {
            let idx = LineIndex::new(&text);
            let rope = Rope::from_str(&text);
            let offset = floor_char_boundary(&text, pick.min(text.len()));
            for enc in ENCS {
                let p = idx.position(offset, enc);
                prop_assert_eq!(rope_position(&rope, offset, enc), p);
                // An offset between \r and \n is not a real position; skip it.
                if offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text.as_bytes().get(offset) == Some(&b'\n') {
                    continue;
                }
                prop_assert_eq!(idx.offset(p, enc), offset);
                prop_assert_eq!(rope_offset(&rope, p, enc), offset);
            }
        }

        #[test]
        fn boundary_walk_equals_the_text(text in arb_text(), mut offs in proptest::collection::vec(0u32..220, 0..30), back in any::<bool>()) {
            let idx = LineIndex::new(&text);
            offs.sort_unstable();
            if back {
                offs.reverse(); // going back restarts the walk
            }
            let mut walk = idx.boundary_walk();
            for o in offs {
                let want = (o as usize) <= text.len() && text.is_char_boundary(o as usize);
                prop_assert_eq!(walk(o), want, "{:?} at {}", text, o);
            }
        }

        #[test]
        fn any_position_is_clamped_not_panicking(
            text in arb_text(),
            line in prop_oneof![0u32..50, Just(u32::MAX), any::<u32>()],
            ch in prop_oneof![0u32..50, Just(u32::MAX), u32::MAX - 100..=u32::MAX, any::<u32>()],
        ) {
            let idx = LineIndex::new(&text);
            let rope = Rope::from_str(&text);
            for enc in ENCS {
                let p = LinePos { line, character: ch };
                let a = idx.offset(p, enc);
                let b = rope_offset(&rope, p, enc);
                prop_assert!(text.is_char_boundary(a));
                prop_assert_eq!(a, b);
            }
        }

        #[test]
        fn range_equals_two_positions(text in arb_text(), a in 0usize..200, b in 0usize..200, past in 0usize..3) {
            let idx = LineIndex::new(&text);
            // Any offsets: inside characters, reversed, past the end.
            let (start, end) = (a.min(text.len() + past), b.min(text.len() + past));
            for enc in ENCS {
                prop_assert_eq!(
                    idx.range(start, end, enc),
                    (idx.position(start, enc), idx.position(end, enc)),
                    "{:?} {}..{} {:?}", text, start, end, enc
                );
                prop_assert_eq!(idx.locate(start, enc).0, idx.position(start, enc));
            }
        }

        #[test]
        fn cursor_equals_range(
            text in arb_text(),
            spans in proptest::collection::vec((0usize..200, 0usize..12), 0..12),
            sorted in any::<bool>(),
        ) {
            let idx = LineIndex::new(&text);
            // Any spans (inside characters, past the end, across lines), in
            // ascending order or not.
            let mut spans: Vec<(usize, usize)> = spans.into_iter().map(|(a, n)| (a, a + n)).collect();
            if sorted {
                spans.sort();
            }
            for enc in ENCS {
                let mut cursor = idx.cursor(enc);
                for &(start, end) in &spans {
                    prop_assert_eq!(
                        cursor.range(start, end),
                        idx.range(start, end, enc),
                        "{:?} {}..{} {:?}", text, start, end, enc
                    );
                }
            }
        }

        #[test]
        fn splice_equals_indexing_the_new_text(
            text in arb_text(),
            at in 0usize..200,
            len in 0usize..8,
            insert in arb_text(),
        ) {
            // An edit on character boundaries, as editors send them.
            let at = floor_char_boundary(&text, at.min(text.len()));
            let end = floor_char_boundary(&text, (at + len).min(text.len()));
            let mut new_text = text.clone();
            new_text.replace_range(at..end, &insert);
            let mut idx = LineIndex::new(&text);
            idx.splice(at..end, &new_text);
            prop_assert_eq!(idx, LineIndex::new(&new_text), "{:?} {}..{} -> {:?}", text, at, end, new_text);
        }

        #[test]
        fn every_index_of_a_text_passes_the_check(text in arb_text()) {
            prop_assert_eq!(LineIndex::new(&text).check(), Ok(()));
        }

        /// Any parts that pass the check are the index of a text (the one
        /// `text_of` spells), so every query on them is as safe as on one
        /// made from a text.
        #[test]
        fn parts_that_pass_the_check_index_a_text(
            gaps in proptest::collection::vec(prop_oneof![1u32..6, 0u32..40], 0..6),
            crlf in proptest::collection::vec(0u32..6, 0..3),
            wide in proptest::collection::vec((0u32..40, 0u32..4), 0..5),
            extra in 0u32..8,
            offs in proptest::collection::vec(0usize..45, 4),
        ) {
            // Mostly increasing starts from 0, and multi-byte characters in
            // order: parts near an index, so that many pass the check.
            let line_starts: Vec<u32> = std::iter::once(0)
                .chain(gaps.iter().scan(0, |at, g| { *at += g; Some(*at) }))
                .collect();
            let len = line_starts[line_starts.len() - 1] + extra;
            let mut wide: Vec<u32> = wide.into_iter().map(|(o, l)| o << 2 | l).collect();
            wide.sort();
            let li = LineIndex { line_starts, crlf, wide, len };
            if li.check().is_ok() {
                let text = text_of(&li);
                prop_assert_eq!(&LineIndex::new(&text), &li);
                // An offset between `\r` and `\n` is not a real position.
                let off = li.floor_boundary(offs[0]);
                let in_crlf = off > 0 && text.as_bytes()[off - 1] == b'\r'
                    && text.as_bytes().get(off) == Some(&b'\n');
                for enc in ENCS {
                    let p = li.position(offs[0], enc);
                    if !in_crlf {
                        prop_assert_eq!(li.offset(p, enc), off);
                    }
                    let _ = li.range(offs[1], offs[2], enc);
                }
            }
        }

        #[test]
        fn offsets_past_the_end_clamp(text in arb_text(), past in prop_oneof![Just(usize::MAX), 0usize..1000]) {
            let idx = LineIndex::new(&text);
            let rope = Rope::from_str(&text);
            let off = text.len().saturating_add(past);
            for enc in ENCS {
                prop_assert_eq!(idx.position(off, enc), idx.position(text.len(), enc));
                prop_assert_eq!(rope_position(&rope, off, enc), idx.position(text.len(), enc));
            }
        }
    }
}
