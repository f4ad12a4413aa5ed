//! Domain types shared by every layer: spans, mentions, figures, kinds.
//!
//! All offsets are UTF-8 byte offsets into the document text. Conversion to
//! editor positions happens in exactly one place: [`crate::text::position`].

pub use crate::decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An interned string: 8 bytes, `Copy`, compared by pointer; one copy of
/// each distinct text per process (names, roles, units and figure keys
/// repeat across a corpus millions of times). Interned strings are never
/// freed, which bounds nothing but the number of *distinct* strings seen.
pub type Sym = ustr::Ustr;

pub(crate) mod sym_table;

/// Interns `s`.
pub fn sym(s: impl AsRef<str>) -> Sym {
    ustr::ustr(s.as_ref())
}
use std::fmt;
use std::ops::Range;

/// A half-open byte range `[start, end)` into a document's text.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// True when `offset` lies inside the span or touches its end (so a cursor
    /// placed right after a name still "hovers" it, as editors expect).
    pub fn contains_cursor(self, offset: usize) -> bool {
        self.start as usize <= offset && offset <= self.end as usize
    }
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// What a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Org,
    /// Other named things (events, products, works: GermEval's OTH).
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "org",
            EntityKind::Other => "other",
        }
    }
    /// German label used in hover cards.
    pub fn label_de(self) -> &'static str {
        match self {
            EntityKind::Person => "Person",
            EntityKind::Place => "Ort",
            EntityKind::Org => "Organisation",
            EntityKind::Other => "Sonstiges",
        }
    }
    pub fn parse(s: &str) -> Option<EntityKind> {
        match s.to_ascii_lowercase().as_str() {
            "person" | "per" | "people" => Some(EntityKind::Person),
            "place" | "loc" | "location" => Some(EntityKind::Place),
            "org" | "organisation" | "organization" => Some(EntityKind::Org),
            "other" | "oth" | "misc" => Some(EntityKind::Other),
            _ => None,
        }
    }
    /// The GermEval / CoNLL class name.
    pub fn conll(self) -> &'static str {
        match self {
            EntityKind::Person => "PER",
            EntityKind::Place => "LOC",
            EntityKind::Org => "ORG",
            EntityKind::Other => "OTH",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which recognizer produced a mention (kept for explanations and for
/// deciding conflicts: knowledge base > rules > tagger).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    KnowledgeBase,
    Gazetteer,
    Rule,
    Tagger,
    /// The user's annotation (`crate::annotations`): applied after
    /// recognition, wins over every other source.
    Annotation,
    /// The learned lexicon (`crate::annotations::lexicon`): a surface the
    /// user annotated with this kind elsewhere in the corpus.
    Learned,
}

/// A name mention found in one document: 16 bytes (a corpus of 10^5
/// articles holds millions), so the span is kept as start and a 16-bit
/// length ([`NameMention::span`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NameMention {
    start: u32,
    len: u16,
    pub kind: EntityKind,
    pub source: Source,
    /// The normalised form used for linking ("Putins" → "Putin",
    /// "Europäischen Union" → "Europäische Union"). Case as in the canonical form.
    #[serde(with = "sym_table")]
    pub norm: Sym,
}

impl NameMention {
    /// The longest span a mention may have, in bytes; longer ones are not
    /// names (recognizers drop them, see [`NameMention::new`]).
    pub const MAX_LEN: usize = u16::MAX as usize;

    /// A mention, or `None` when `span` is longer than [`Self::MAX_LEN`].
    pub fn new(span: Span, kind: EntityKind, norm: Sym, source: Source) -> Option<NameMention> {
        Some(NameMention {
            start: span.start,
            len: u16::try_from(span.end.checked_sub(span.start)?).ok()?,
            kind,
            source,
            norm,
        })
    }

    /// Moves the mention by `delta` bytes (text was inserted before it,
    /// or removed: `delta` < 0).
    pub fn shift(&mut self, delta: i64) {
        self.start = (self.start as i64 + delta) as u32;
    }

    /// The mention's span: only the name part ("NATO" in "NATO-Truppen",
    /// "Putin" in "Putins" keeps the genitive `s` inside the span).
    pub fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.start + u32::from(self.len),
        }
    }

    /// [`Self::span`], `None` where its end is past `u32::MAX` (a damaged
    /// mention read back from the persistent index).
    pub fn checked_span(&self) -> Option<Span> {
        Some(Span {
            start: self.start,
            end: self.start.checked_add(u32::from(self.len))?,
        })
    }
}

/// A name mention as the recognizer reports it: the mention plus the role
/// or description said of it in apposition ("NATO-Generalsekretär" in
/// "NATO-Generalsekretär Jens Stoltenberg"). Few mentions have one, so a
/// document's analysis keeps roles in a side table
/// ([`crate::analysis::DocAnalysis::role`]), not in every mention.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundName {
    pub span: Span,
    pub kind: EntityKind,
    pub norm: Sym,
    pub role: Option<Sym>,
    pub source: Source,
}

impl FoundName {
    /// The mention, `None` when its span is over [`NameMention::MAX_LEN`].
    pub fn mention(&self) -> Option<NameMention> {
        NameMention::new(self.span, self.kind, self.norm, self.source)
    }
}

/// What kind of quantity a figure states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureCategory {
    Count,
    Percent,
    Money,
    Year,
    Date,
    Time,
    Ordinal,
    Duration,
    Measure,
    /// A sports result ("2:1", "3:0-Sieg", "24:22"): value the text "2:1".
    Score,
}

impl FigureCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            FigureCategory::Count => "count",
            FigureCategory::Percent => "percent",
            FigureCategory::Money => "money",
            FigureCategory::Year => "year",
            FigureCategory::Date => "date",
            FigureCategory::Time => "time",
            FigureCategory::Ordinal => "ordinal",
            FigureCategory::Duration => "duration",
            FigureCategory::Measure => "measure",
            FigureCategory::Score => "score",
        }
    }
}

/// A normalised figure value: an exact decimal number, or a string for dates,
/// times and scores (ISO 8601: "2022-02-16", "2022-07", "04:24"; "2:1").
/// (Externally tagged in serde so binary formats can read it back; the JSON
/// export writes the bare value, see the command line's `figure_value_json`.)
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FigureValue {
    Number(Decimal),
    Text(#[serde(with = "sym_table")] Sym),
}

impl FigureValue {
    /// The number, if the value is one.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            FigureValue::Number(n) => Some(*n),
            FigureValue::Text(_) => None,
        }
    }
}

impl fmt::Display for FigureValue {
    /// Plain notation ("8200000000", "2.5", "2022-02-16"); see
    /// `crate::ide::lens::german_value` for the German one shown to users.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureValue::Number(n) => fmt::Display::fmt(n, f),
            FigureValue::Text(s) => f.write_str(s),
        }
    }
}

/// A figure's span in 6 bytes (start in two halves, 16-bit length), so
/// that it packs with the category and the `approx` flag into 8 bytes: a
/// `Figure` is 48 bytes, not 56 (10^7 figures at 10^6 articles). Longer
/// figures are cut to 65,535 bytes (figures are a few words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureSpan {
    lo: u16,
    hi: u16,
    len: u16,
}

impl From<Span> for FigureSpan {
    fn from(s: Span) -> FigureSpan {
        let len = s.end.saturating_sub(s.start).min(u16::MAX as u32) as u16;
        FigureSpan {
            lo: s.start as u16,
            hi: (s.start >> 16) as u16,
            len,
        }
    }
}

impl From<FigureSpan> for Span {
    fn from(s: FigureSpan) -> Span {
        let start = s.lo as u32 | (s.hi as u32) << 16;
        Span {
            start,
            end: start + s.len as u32,
        }
    }
}

/// A numeric figure found in one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Read it with [`Figure::span`].
    pub packed_span: FigureSpan,
    pub value: FigureValue,
    pub category: FigureCategory,
    /// What is counted: the governed noun, compound head resolved
    /// ("US-Soldaten" → "Soldaten"), or the currency / "%" / time unit.
    #[serde(with = "sym_table::option")]
    pub unit: Option<Sym>,
    /// A key under which figures stating the same quantity meet across
    /// articles (value + normalised unit), `None` when the figure is too
    /// generic to link (a bare "3").
    #[serde(with = "sym_table::option")]
    pub quantity_key: Option<Sym>,
    /// A key for the quantity *without* the value ("soldat@usa"), so that
    /// disagreeing statements about the same thing can be found.
    #[serde(with = "sym_table::option")]
    pub topic_key: Option<Sym>,
    /// The text states the quantity only roughly: a hedge before a number
    /// ("rund 100", "mehr als 200", "knapp 50") or a magnitude without one
    /// ("Hunderte", "mehrere Millionen"). See `crate::figures` for which.
    pub approx: bool,
}

impl Figure {
    /// Whether the figure links to others: a quantity or a topic key
    /// (the figure groups and the topic diagnostics).
    pub fn linked(&self) -> bool {
        self.quantity_key.is_some() || self.topic_key.is_some()
    }

    pub fn span(&self) -> Span {
        self.packed_span.into()
    }

    /// [`Self::span`], `None` where its end is past `u32::MAX` (a damaged
    /// figure read back from the persistent index).
    pub fn checked_span(&self) -> Option<Span> {
        let s = self.packed_span;
        let start = s.lo as u32 | (s.hi as u32) << 16;
        Some(Span {
            start,
            end: start.checked_add(s.len as u32)?,
        })
    }

    pub fn set_span(&mut self, span: Span) {
        self.packed_span = span.into();
    }
}

/// How the user's annotations judged the recognizer's rules
/// ([`crate::learn`]): the (rule, kind) pairs whose finds go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleTrust {
    distrusted: Vec<(&'static str, EntityKind)>,
    /// The (rule, kind) pairs whose names the user goes on by one word
    /// ([`RuleTrust::with_extensions`]).
    extended: Vec<(&'static str, EntityKind)>,
}

/// A rule's verdicts for one kind: (right, wrong).
pub type Verdicts = std::collections::BTreeMap<(&'static str, EntityKind), (u32, u32)>;

/// What the user drew where a rule's name was followed by a space and a
/// capitalised word, per rule and kind: (the rule's span exactly, the
/// rule's span and that word).
pub type Extensions = std::collections::BTreeMap<(&'static str, EntityKind), (u32, u32)>;

impl RuleTrust {
    /// The rules distrusted by `verdicts`: those whose precision on the
    /// user's annotations is below one half with 95 % confidence (the
    /// Wilson score interval's upper bound): wrong 4 times and never
    /// right, 7 times and right once, and so on. A looser bar (wrong at
    /// least twice and more often than right) dropped rules that were
    /// right in the other articles (docs/annotation.md).
    pub fn of(verdicts: &Verdicts) -> RuleTrust {
        RuleTrust {
            distrusted: verdicts
                .iter()
                .filter(|(_, &(right, wrong))| wilson_upper(right, right + wrong) < 0.5)
                .map(|(&k, _)| k)
                .collect(),
            extended: Vec::new(),
        }
    }

    /// The same, and the (rule, kind) pairs whose names the user went on
    /// by the next word where one followed: at least twice, and more often
    /// than they took the rule's span as it was ("Katherina" of
    /// "Katherina Reiche", the surname a common word the rule stopped at).
    pub fn with_extensions(mut self, extensions: &Extensions) -> RuleTrust {
        self.extended = extensions
            .iter()
            .filter(|(_, &(exact, longer))| longer >= 2 && longer > exact)
            .map(|(&k, _)| k)
            .collect();
        self
    }

    pub fn is_empty(&self) -> bool {
        self.distrusted.is_empty() && self.extended.is_empty()
    }

    /// The word that goes on a name ending at byte `end` of `text`: a
    /// space, then a capitalised word of letters (hyphens inside) with a
    /// lower-case letter, ending where the next character is no letter or
    /// digit. Its end, or `None`.
    pub fn next_word(text: &str, end: usize) -> Option<usize> {
        let rest = text.get(end..)?.strip_prefix(' ')?;
        let len = rest
            .find(|c: char| !(c.is_alphabetic() || c == '-'))
            .unwrap_or(rest.len());
        let w = rest[..len].trim_end_matches('-');
        let ok = w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().any(char::is_lowercase)
            && !rest[w.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-');
        ok.then_some(end + 1 + w.len())
    }

    /// Does the user go on by one word after the names `rule` finds of
    /// `kind`?
    pub fn extends(&self, rule: &str, kind: EntityKind) -> bool {
        self.extended.iter().any(|&(r, k)| r == rule && k == kind)
    }

    /// Is `rule` distrusted for `kind`?
    pub fn distrusts(&self, rule: &str, kind: EntityKind) -> bool {
        self.distrusted.iter().any(|&(r, k)| r == rule && k == kind)
    }

    /// The distrusted (rule, kind) pairs, sorted.
    pub fn distrusted(&self) -> &[(&'static str, EntityKind)] {
        &self.distrusted
    }
}

/// The upper bound of the 95 % Wilson score interval of a proportion of
/// `k` in `n` (1 when `n` is 0).
fn wilson_upper(k: u32, n: u32) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let (n, p, z) = (n as f64, k as f64 / n as f64, 1.96f64);
    let centre = p + z * z / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (centre + spread) / (1.0 + z * z / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_16_bytes_and_keep_their_span() {
        assert_eq!(std::mem::size_of::<NameMention>(), 16);
        assert_eq!(std::mem::size_of::<FigureValue>(), 16);
        assert_eq!(std::mem::size_of::<Figure>(), 48);
        for span in [
            Span::new(0, 3),
            Span::new(70_000, 70_012),
            Span::new(u32::MAX as usize - 5, u32::MAX as usize),
        ] {
            assert_eq!(Span::from(FigureSpan::from(span)), span);
        }
        let span = Span::new(70_000, 70_000 + 65_535);
        let m = NameMention::new(span, EntityKind::Person, sym("A"), Source::Rule).unwrap();
        assert_eq!(m.span(), span);
        // Longer is not a name; a reversed span is not a span.
        assert!(NameMention::new(
            Span::new(0, 65_536),
            EntityKind::Org,
            sym("B"),
            Source::Rule
        )
        .is_none());
        assert!(NameMention::new(
            Span { start: 5, end: 4 },
            EntityKind::Org,
            sym("B"),
            Source::Rule
        )
        .is_none());
    }
}
