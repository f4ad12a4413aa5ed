//! The knowledge base: an optional `gazette.toml` at the corpus root where
//! users name entities, their kinds, aliases and descriptions, list surfaces
//! that are not names, and set per-corpus settings.
//!
//! LSP-agnostic: [`parse`] turns the file's text into a [`KnowledgeBase`]
//! plus a list of [`KbError`]s with byte spans. A file with a syntax error
//! yields no knowledge base (the caller keeps the last good one in force);
//! semantic problems (unknown kinds, duplicate names, aliases claimed by two
//! entities) drop only the offending entry or alias.
//!
//! The knowledge base reaches the recognizer as [`Overrides`] (with German
//! inflected forms of the aliases, see [`inflected_forms`]) and the corpus as
//! a pseudo-document whose mentions are the entries' names and aliases, so
//! that an entry is the definition of its entity ([`KnowledgeBase::analysis`]).

use crate::analysis::DocAnalysis;
use crate::linking;
use crate::model::{EntityKind, NameMention, Source, Span};
use crate::recognize::{OverrideName, Overrides};
use crate::text::position::LineIndex;
use std::collections::{BTreeMap, HashMap};
use toml_edit::{ImDocument, Item, TableLike, Value};

/// The file name of the knowledge base at the corpus root.
pub const FILE_NAME: &str = "gazette.toml";
/// A knowledge base larger than this is not read (its own `maxFileSize`
/// setting is about articles and cannot apply to itself).
pub const MAX_FILE_SIZE: u64 = crate::workspace::DEFAULT_MAX_FILE_SIZE;

/// Kinds accepted in `kind = "…"` (see [`EntityKind::parse`] for synonyms).
pub const KINDS: &[&str] = &["person", "place", "org", "other"];

/// One `[[entity]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct KbEntity {
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub wikidata: Option<String>,
    pub url: Option<String>,
    /// Where the entry's values are, from where the entry starts: the
    /// knowledge base gives them as offsets in the file
    /// ([`KnowledgeBase::name_span`] and the like), so that an edit of one
    /// entry moves the entries after it by moving where each starts.
    spans: EntrySpans,
}

/// The spans of an entry, relative to the entry's start (while parsing,
/// offsets in the text parsed).
#[derive(Clone, Debug, Default, PartialEq)]
struct EntrySpans {
    /// The whole entry (from its `[[entity]]` header).
    whole: Span,
    /// The name's text (inside the quotes when it has no escapes).
    name: Span,
    /// The whole string literal of the name, quotes included (what a rename
    /// replaces: the text between the quotes may hold escapes).
    name_literal: Span,
    /// The aliases kept (parallel to `KbEntity::aliases`).
    aliases: Vec<Span>,
    /// The whole literals of the aliases (parallel to `KbEntity::aliases`).
    alias_literals: Vec<Span>,
}

impl EntrySpans {
    fn all_mut(&mut self) -> impl Iterator<Item = &mut Span> {
        [&mut self.whole, &mut self.name, &mut self.name_literal]
            .into_iter()
            .chain(self.aliases.iter_mut())
            .chain(self.alias_literals.iter_mut())
    }
}

/// How a diagnostic set in the file or in the editor should be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Off,
    Hint,
    Information,
    Warning,
    Error,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.to_ascii_lowercase().as_str() {
            "off" | "none" | "false" => Level::Off,
            "hint" => Level::Hint,
            "information" | "info" => Level::Information,
            "warning" | "warn" => Level::Warning,
            "error" => Level::Error,
            _ => return None,
        })
    }
}

/// The names of the configurable diagnostic groups (`diagnostics.<name>`).
pub const DIAGNOSTIC_GROUPS: &[&str] = &["nameVariant", "unknownName", "figureDisagreement", "kb"];

/// `[settings]`: per-corpus settings (the editor's settings win where set).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KbSettings {
    pub include: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub language: Option<String>,
    /// As written: bytes, `0` for no limit (see `workspace::size_limit`).
    pub max_file_size: Option<u64>,
    /// Group name (one of [`DIAGNOSTIC_GROUPS`]) → level.
    pub diagnostics: BTreeMap<String, Level>,
    /// Globs of `include` / `exclude` that do not compile, with the reason;
    /// they are left out of the lists above (each is also a [`KbError`]).
    pub rejected_globs: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct KnowledgeBase {
    pub entities: Vec<KbEntity>,
    /// Surfaces that are not names.
    pub ignore: Vec<String>,
    pub ignore_spans: Vec<Span>,
    /// Span of the `ignore` array's value, if present (for appending to it).
    pub ignore_array: Option<Span>,
    pub settings: KbSettings,
    /// Where each entry starts in the file (parallel to `entities`; its
    /// spans are relative to it). In file order, so that
    /// [`Self::entry_at`] is a binary search, not a scan of every entry.
    starts: Vec<u32>,
    /// Set when the entries are not in file order (or a value lies outside
    /// its entry): then [`Self::entry_at`] scans and [`Self::edit`] declines.
    unordered: bool,
    /// Hash of every kept name's and alias's linking key → the entry
    /// claiming it ([`AMBIGUOUS`] when two entries' keys hash alike): what
    /// [`Self::edit`] checks a changed entry against instead of
    /// deduplicating every entry again.
    claims: fxhash::FxHashMap<u64, u32>,
    /// [`Self::recognition_key`]: a sum of one hash per entry (and one of
    /// the ignore list), so that an edit of one entry updates it.
    recognition: u64,
}

/// A claim in [`KnowledgeBase::claims`] by more than one entry.
const AMBIGUOUS: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KbErrorKind {
    /// Not valid TOML: the whole file is rejected.
    Syntax,
    /// A `kind` that is not one of [`KINDS`].
    UnknownKind,
    /// A name given twice, or an alias claimed by two entities.
    Duplicate,
    /// A value of the wrong type, a missing name, an unknown key, an empty
    /// alias, an invalid glob.
    Invalid,
    /// A name or alias that is a common German (or English) function word:
    /// every "und" in the corpus would become a mention. Kept, with a warning.
    CommonWord,
}

impl KbErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            KbErrorKind::Syntax => "kb-syntax",
            KbErrorKind::UnknownKind => "kb-unknown-kind",
            KbErrorKind::Duplicate => "kb-duplicate",
            KbErrorKind::Invalid => "kb-invalid",
            KbErrorKind::CommonWord => "kb-common-word",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct KbError {
    pub span: Span,
    pub kind: KbErrorKind,
    pub message: String,
}

fn span_of(r: Option<std::ops::Range<usize>>) -> Span {
    r.map_or(Span::default(), |r| Span::new(r.start, r.end))
}

/// The span of a string value's text: inside the quotes when the raw text
/// between them is exactly the value (no escapes), else the whole literal.
fn string_span(text: &str, v: &Value, s: &str) -> Span {
    let whole = span_of(v.span());
    let raw = &text[whole.range()];
    for q in ["\"", "'"] {
        if raw.len() >= 2 && raw.starts_with(q) && raw.ends_with(q) && &raw[1..raw.len() - 1] == s {
            return Span::new(whole.start as usize + 1, whole.end as usize - 1);
        }
    }
    whole
}

struct Parser<'a> {
    text: &'a str,
    errors: Vec<KbError>,
}

impl Parser<'_> {
    fn err(&mut self, span: Span, kind: KbErrorKind, message: String) {
        self.errors.push(KbError {
            span,
            kind,
            message,
        });
    }

    fn string(&mut self, item: &Item, what: &str) -> Option<(String, Span)> {
        self.string_literal(item, what).map(|x| (x.0, x.1))
    }

    /// A string value, the span of its text and the span of its whole literal.
    fn string_literal(&mut self, item: &Item, what: &str) -> Option<(String, Span, Span)> {
        match item.as_value() {
            Some(v @ Value::String(s)) => {
                let s = s.value().clone();
                let span = string_span(self.text, v, &s);
                Some((s, span, span_of(v.span())))
            }
            _ => {
                self.err(
                    span_of(item.span()),
                    KbErrorKind::Invalid,
                    format!("`{what}` must be a string"),
                );
                None
            }
        }
    }

    fn strings(&mut self, item: &Item, what: &str) -> Option<(Vec<(String, Span)>, Span)> {
        self.string_literals(item, what)
            .map(|(v, s)| (v.into_iter().map(|x| (x.0, x.1)).collect(), s))
    }

    /// [`Self::strings`] with the span of each whole literal.
    #[allow(clippy::type_complexity)]
    fn string_literals(
        &mut self,
        item: &Item,
        what: &str,
    ) -> Option<(Vec<(String, Span, Span)>, Span)> {
        let Some(arr) = item.as_array() else {
            self.err(
                span_of(item.span()),
                KbErrorKind::Invalid,
                format!("`{what}` must be an array of strings"),
            );
            return None;
        };
        let mut out = Vec::new();
        for v in arr.iter() {
            match v {
                Value::String(s) => {
                    let s = s.value().clone();
                    let span = string_span(self.text, v, &s);
                    out.push((s, span, span_of(v.span())));
                }
                _ => self.err(
                    span_of(v.span()),
                    KbErrorKind::Invalid,
                    format!("`{what}` must contain only strings"),
                ),
            }
        }
        Some((out, span_of(arr.span())))
    }

    fn entity(&mut self, t: &dyn TableLike, span: Span) -> Option<KbEntity> {
        let mut name = None;
        let mut kind = None;
        let mut kind_span = span;
        let mut aliases = Vec::new();
        let mut description = None;
        let mut wikidata = None;
        let mut url = None;
        for (key, item) in t.iter() {
            match key {
                "name" => name = self.string_literal(item, "name"),
                "kind" => {
                    if let Some((k, s)) = self.string(item, "kind") {
                        kind_span = s;
                        match EntityKind::parse(&k) {
                            Some(k) => kind = Some(k),
                            None => {
                                self.err(
                                    s,
                                    KbErrorKind::UnknownKind,
                                    format!("unknown kind «{k}»: use one of {}", KINDS.join(", ")),
                                );
                                return None;
                            }
                        }
                    }
                }
                "aliases" => {
                    if let Some((list, _)) = self.string_literals(item, "aliases") {
                        aliases = list;
                    }
                }
                "description" => description = self.string(item, "description").map(|x| x.0),
                "wikidata" => {
                    if let Some((q, s)) = self.string(item, "wikidata") {
                        let ok = q.len() > 1
                            && q.starts_with('Q')
                            && q[1..].bytes().all(|b| b.is_ascii_digit());
                        if ok {
                            wikidata = Some(q);
                        } else {
                            self.err(
                                s,
                                KbErrorKind::Invalid,
                                format!("«{q}» is not a Wikidata id (Q followed by digits)"),
                            );
                        }
                    }
                }
                "url" => url = self.string(item, "url").map(|x| x.0),
                other => {
                    let ks = t
                        .get_key_value(other)
                        .and_then(|(k, _)| k.span())
                        .map_or(span, |r| Span::new(r.start, r.end));
                    self.err(
                        ks,
                        KbErrorKind::Invalid,
                        format!(
                            "unknown key `{other}` (known: name, kind, aliases, description, wikidata, url)"
                        ),
                    );
                }
            }
        }
        let Some((name, name_span, name_literal)) = name else {
            self.err(span, KbErrorKind::Invalid, "entity without a `name`".into());
            return None;
        };
        if let Some(problem) = surface_problem(&name) {
            let at = if name_span.is_empty() {
                name_literal
            } else {
                name_span
            };
            self.err(at, KbErrorKind::Invalid, format!("{problem} name"));
            return None;
        }
        let Some(kind) = kind else {
            self.err(
                if kind_span == span {
                    name_span
                } else {
                    kind_span
                },
                KbErrorKind::Invalid,
                format!(
                    "entity «{name}» without a `kind` (one of {})",
                    KINDS.join(", ")
                ),
            );
            return None;
        };
        // Aliases that could never be matched (empty, blank, a line break
        // or a NUL in them) are dropped; a function word is kept, but every
        // occurrence of it in the corpus becomes a mention: warn.
        let mut kept = (Vec::new(), Vec::new(), Vec::new());
        for (a, s, lit) in aliases {
            if let Some(problem) = surface_problem(&a) {
                // An empty value's span is empty: point at its quotes.
                self.err(
                    if s.is_empty() { lit } else { s },
                    KbErrorKind::Invalid,
                    format!("{problem} alias of «{name}»; it is ignored"),
                );
                continue;
            }
            self.common_word(&a, s, &format!("the alias «{a}» of «{name}»"));
            kept.0.push(a);
            kept.1.push(s);
            kept.2.push(lit);
        }
        self.common_word(&name, name_span, &format!("the name «{name}»"));
        let (aliases, alias_spans, alias_literals) = kept;
        Some(KbEntity {
            name,
            kind,
            aliases,
            description,
            wikidata,
            url,
            spans: EntrySpans {
                whole: span,
                name: name_span,
                name_literal,
                aliases: alias_spans,
                alias_literals,
            },
        })
    }

    /// Warns when `surface` is a function word ("und", "die"): the
    /// recognizer would make every occurrence in the corpus a mention.
    fn common_word(&mut self, surface: &str, span: Span, what: &str) {
        if crate::recognize::is_function_word(surface) {
            self.err(
                span,
                KbErrorKind::CommonWord,
                format!(
                    "{what} is a common word: every «{}» in the corpus becomes a mention of this entity",
                    surface.trim()
                ),
            );
        }
    }

    /// A glob list of `[settings]`: globs that do not compile are reported
    /// at their span and left out, so the others still apply.
    fn globs(&mut self, item: &Item, key: &str, rejected: &mut Vec<String>) -> Option<Vec<String>> {
        let (list, _) = self.strings(item, key)?;
        let mut out = Vec::with_capacity(list.len());
        for (g, span) in list {
            match crate::workspace::check_glob(&g) {
                Ok(()) => out.push(g),
                Err(e) => {
                    let message = format!("`{key}`: {e}; this glob is ignored");
                    rejected.push(message.clone());
                    self.err(span, KbErrorKind::Invalid, message);
                }
            }
        }
        Some(out)
    }

    fn settings(&mut self, t: &dyn TableLike) -> KbSettings {
        let mut s = KbSettings::default();
        for (key, item) in t.iter() {
            match key {
                "include" => s.include = self.globs(item, key, &mut s.rejected_globs),
                "exclude" => s.exclude = self.globs(item, key, &mut s.rejected_globs),
                "language" => s.language = self.string(item, key).map(|x| x.0),
                "maxFileSize" | "max_file_size" => match item.as_integer() {
                    // 0: no limit (`workspace::size_limit`), as everywhere.
                    Some(n) if n >= 0 => s.max_file_size = Some(n as u64),
                    _ => self.err(
                        span_of(item.span()),
                        KbErrorKind::Invalid,
                        "`maxFileSize` must be a number of bytes (0: no limit)".into(),
                    ),
                },
                "diagnostics" => {
                    let Some(d) = item.as_table_like() else {
                        self.err(
                            span_of(item.span()),
                            KbErrorKind::Invalid,
                            "`diagnostics` must be a table".into(),
                        );
                        continue;
                    };
                    for (k, v) in d.iter() {
                        let group = diagnostic_group(k);
                        let Some(group) = group else {
                            self.err(
                                span_of(v.span()),
                                KbErrorKind::Invalid,
                                format!(
                                    "unknown diagnostic `{k}` (known: {})",
                                    DIAGNOSTIC_GROUPS.join(", ")
                                ),
                            );
                            continue;
                        };
                        let level = v.as_str().and_then(Level::parse).or_else(|| {
                            v.as_bool()
                                .map(|b| if b { Level::Warning } else { Level::Off })
                        });
                        match level {
                            Some(l) => {
                                s.diagnostics.insert(group.to_string(), l);
                            }
                            None => self.err(
                                span_of(v.span()),
                                KbErrorKind::Invalid,
                                "use one of \"off\", \"hint\", \"information\", \"warning\", \"error\""
                                    .into(),
                            ),
                        }
                    }
                }
                other => {
                    self.err(
                        span_of(item.span()),
                        KbErrorKind::Invalid,
                        format!("unknown setting `{other}` (known: include, exclude, language, maxFileSize, diagnostics)"),
                    );
                }
            }
        }
        s
    }
}

/// Why a name or alias can never be a name in running text: `None` when it
/// can. Empty or blank surfaces and surfaces with control characters (a
/// line break, a NUL) are refused.
fn surface_problem(s: &str) -> Option<&'static str> {
    if s.is_empty() {
        Some("an empty")
    } else if s.contains(|c: char| c.is_control()) {
        Some("a line break, tab or control character in the")
    } else if s.trim().is_empty() {
        Some("a blank")
    } else {
        None
    }
}

/// Maps a setting key ("nameVariant", "name-variant", "kb") to its group.
pub fn diagnostic_group(k: &str) -> Option<&'static str> {
    let folded: String = k
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    DIAGNOSTIC_GROUPS
        .iter()
        .copied()
        .find(|g| g.to_lowercase() == folded)
}

/// Parses the text of a `gazette.toml`. `None` when the file is not valid
/// TOML (then `errors` holds the syntax error).
pub fn parse(text: &str) -> (Option<KnowledgeBase>, Vec<KbError>) {
    let doc = match ImDocument::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let span = e.span().map_or(Span::default(), |r| {
                // Errors at the end of the file get a one-character span where possible.
                let end = if r.end > r.start {
                    r.end
                } else {
                    text.get(r.start..)
                        .and_then(|t| t.chars().next())
                        .map_or(r.start, |c| r.start + c.len_utf8())
                };
                Span::new(r.start, end.min(text.len()))
            });
            let message = e.message().trim().to_string();
            return (
                None,
                vec![KbError {
                    span,
                    kind: KbErrorKind::Syntax,
                    message: format!("gazette.toml is not valid TOML: {message}"),
                }],
            );
        }
    };
    let mut p = Parser {
        text,
        errors: Vec::new(),
    };
    let mut kb = KnowledgeBase::default();
    for (key, item) in doc.iter() {
        match key {
            "ignore" => {
                if let Some((list, span)) = p.strings(item, "ignore") {
                    kb.ignore_array = Some(span);
                    for (s, sp) in list {
                        kb.ignore.push(s);
                        kb.ignore_spans.push(sp);
                    }
                }
            }
            "entity" => {
                if let Some(aot) = item.as_array_of_tables() {
                    for t in aot.iter() {
                        let span = span_of(t.span());
                        if let Some(e) = p.entity(t, span) {
                            kb.entities.push(e);
                        }
                    }
                } else if let Some(arr) = item.as_array() {
                    for v in arr.iter() {
                        match v.as_inline_table() {
                            Some(t) => {
                                if let Some(e) = p.entity(t, span_of(v.span())) {
                                    kb.entities.push(e);
                                }
                            }
                            None => p.err(
                                span_of(v.span()),
                                KbErrorKind::Invalid,
                                "an entity must be a table".into(),
                            ),
                        }
                    }
                } else {
                    p.err(
                        span_of(item.span()),
                        KbErrorKind::Invalid,
                        "write entities as [[entity]] tables".into(),
                    );
                }
            }
            "settings" => match item.as_table_like() {
                Some(t) => kb.settings = p.settings(t),
                None => p.err(
                    span_of(item.span()),
                    KbErrorKind::Invalid,
                    "`settings` must be a table".into(),
                ),
            },
            other => {
                let span = doc
                    .get_key_value(other)
                    .and_then(|(k, _)| k.span())
                    .map_or(Span::default(), |r| Span::new(r.start, r.end));
                p.err(
                    span,
                    KbErrorKind::Invalid,
                    format!("unknown key `{other}` (known: ignore, entity, settings)"),
                );
            }
        }
    }
    let mut errors = p.errors;
    dedupe(&mut kb, &mut errors);
    kb.locate_entries();
    kb.recognition = kb
        .entities
        .iter()
        .enumerate()
        .fold(ignore_hash(&kb.ignore), |sum, (i, e)| {
            sum.wrapping_add(entry_hash(i, e))
        });
    errors.sort_by_key(|e| (e.span, e.kind));
    (Some(kb), errors)
}

/// What [`KnowledgeBase::edit`] changed: one entry, in place.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryEdit {
    /// The entry (its index in `entities`, which such an edit keeps).
    pub entry: usize,
    /// The entry's span in the old text: its mentions and errors lay inside.
    pub old_span: Span,
    /// The bytes of the old text replaced.
    pub range: std::ops::Range<usize>,
    /// How many bytes longer the text became (negative: shorter).
    pub delta: i64,
    /// Whether what the recognizer is told changed (a name, kind or alias).
    pub recognition_changed: bool,
}

/// `s` moved by `delta` bytes when it starts at or after `from`.
fn shift_from(s: Span, from: usize, delta: i64) -> Span {
    if (s.start as usize) < from {
        return s;
    }
    let at = |x: u32| (x as i64 + delta) as u32;
    Span {
        start: at(s.start),
        end: at(s.end),
    }
}

/// `s` moved by `by` bytes.
fn offset(s: Span, by: usize) -> Span {
    Span::new(s.start as usize + by, s.end as usize + by)
}

impl KnowledgeBase {
    /// Takes an edit of the file's text in place when it stays inside one
    /// `[[entity]]` entry (a keystroke in a name, an alias, a kind or a
    /// description): only that entry is parsed again, the spans after it
    /// shift, and the entry's errors, claims and recognition key are
    /// replaced — with 10^5 entries, parsing the whole file took a quarter
    /// of a second and more. Bytes `range` of the old text were replaced by
    /// `inserted` bytes, giving `new_text`; `errors` are the file's errors
    /// as [`parse`] gave them for the old text, updated too.
    ///
    /// `None`, changing nothing, when the edit may change more than that
    /// entry: it is outside an entry or touches its header or end, the
    /// entry does not parse on its own or is dropped, gains or loses a name
    /// or alias, or claims what another entry claims; or when the file has
    /// syntax or duplicate errors. The caller then parses the whole text.
    /// Otherwise `self` and `errors` equal what [`parse`] gives for
    /// `new_text` (tested in `tests/kb_incremental.rs`).
    pub fn edit(
        &mut self,
        errors: &mut Vec<KbError>,
        range: std::ops::Range<usize>,
        inserted: usize,
        new_text: &str,
    ) -> Option<EntryEdit> {
        if range.start > range.end
            || self.unordered
            || errors
                .iter()
                .any(|e| matches!(e.kind, KbErrorKind::Syntax | KbErrorKind::Duplicate))
        {
            return None;
        }
        let delta = inserted as i64 - range.len() as i64;
        // The entry holding the edit, strictly inside: its header's first
        // byte and its last value's last byte stay.
        let i = self
            .starts
            .partition_point(|&s| (s as usize) < range.start)
            .checked_sub(1)?;
        let old = &self.entities[i];
        let (s, e_old) = (self.starts[i] as usize, self.entry_span(i).end as usize);
        if !(s < range.start && range.end < e_old) {
            return None;
        }
        let e_new = usize::try_from(e_old as i64 + delta).ok()?;
        let region = new_text.get(s..e_new)?;
        if !region.starts_with("[[") {
            return None;
        }
        // Every error is before the entry, inside it or after it.
        if errors.iter().any(|x| {
            let (a, b) = (x.span.start as usize, x.span.end as usize);
            let inside = s <= a && a < e_old && b <= e_old;
            !(inside || b <= s || a > e_old)
        }) {
            return None;
        }
        // The entry alone: one `[[entity]]` table spanning the whole region.
        let doc = ImDocument::parse(region).ok()?;
        let mut items = doc.iter();
        let (key, item) = items.next()?;
        if key != "entity" || items.next().is_some() {
            return None;
        }
        let aot = item.as_array_of_tables()?;
        let t = aot.get(0).filter(|_| aot.len() == 1)?;
        if t.span() != Some(0..region.len()) {
            return None;
        }
        let mut p = Parser {
            text: region,
            errors: Vec::new(),
        };
        // Its spans are from the region's start: the entry's.
        let mut new = p.entity(t, Span::new(0, region.len()))?;
        // Claims: the old entry's keys are all its own; the new entry's may
        // be its own (repeated aliases are dropped as `dedupe` drops them)
        // but no other entry's.
        let owned = |key: &str| self.claims.get(&claim_hash(key)) == Some(&(i as u32));
        let old_keys: Vec<String> = std::iter::once(&old.name)
            .chain(&old.aliases)
            .map(|a| linking::link_key(a, old.kind))
            .collect();
        if !old_keys.iter().all(|k| owned(k)) {
            return None;
        }
        let free = |key: &str| match self.claims.get(&claim_hash(key)) {
            None => true,
            Some(&o) => o == i as u32,
        };
        let name_key = linking::link_key(&new.name, new.kind);
        if !free(&name_key) {
            return None;
        }
        let mut new_keys = vec![name_key];
        let (mut aliases, mut spans, mut literals) = (Vec::new(), Vec::new(), Vec::new());
        let all = new
            .aliases
            .drain(..)
            .zip(new.spans.aliases.drain(..))
            .zip(new.spans.alias_literals.drain(..));
        for ((a, sp), lit) in all {
            let key = linking::link_key(&a, new.kind);
            if new_keys.contains(&key) {
                if !aliases.contains(&a) && a != new.name {
                    aliases.push(a);
                    spans.push(sp);
                    literals.push(lit);
                }
            } else if free(&key) {
                new_keys.push(key);
                aliases.push(a);
                spans.push(sp);
                literals.push(lit);
            } else {
                return None;
            }
        }
        new.aliases = aliases;
        new.spans.aliases = spans;
        new.spans.alias_literals = literals;
        let mentions = |e: &KbEntity| {
            let mut m = Vec::new();
            push_mentions(e, 0, &mut m);
            m.len()
        };
        if mentions(&new) != mentions(old) {
            return None;
        }
        // Commit.
        let (old_hash, new_hash) = (entry_hash(i, old), entry_hash(i, &new));
        for k in &old_keys {
            self.claims.remove(&claim_hash(k));
        }
        for k in &new_keys {
            claim(&mut self.claims, k, i as u32);
        }
        self.recognition = self
            .recognition
            .wrapping_sub(old_hash)
            .wrapping_add(new_hash);
        // The entry's errors (a run: errors are sorted by span) replaced,
        // the later ones moved.
        let lo = errors.partition_point(|x| (x.span.start as usize) < s);
        let hi = errors.partition_point(|x| (x.span.start as usize) < e_old);
        let mut mine = p.errors;
        for x in &mut mine {
            x.span = offset(x.span, s);
        }
        mine.sort_by_key(|x| (x.span, x.kind));
        let n = mine.len();
        errors.splice(lo..hi, mine);
        for x in &mut errors[lo + n..] {
            x.span = shift_from(x.span, e_old, delta);
        }
        // The entries after it start elsewhere; their spans are their own.
        for st in &mut self.starts {
            if *st as usize >= e_old {
                *st = (*st as i64 + delta) as u32;
            }
        }
        for x in self
            .ignore_spans
            .iter_mut()
            .chain(self.ignore_array.as_mut())
        {
            *x = shift_from(*x, e_old, delta);
        }
        self.entities[i] = new;
        Some(EntryEdit {
            entry: i,
            old_span: Span::new(s, e_old),
            range,
            delta,
            recognition_changed: old_hash != new_hash,
        })
    }

    /// Applies `edit` (just made by [`Self::edit`]) to the pseudo-document
    /// [`Self::analysis`] made of the old text: the entry's mentions are
    /// replaced (as many as before), later ones shift and the line index
    /// follows `new_text`. Returns the indices of the replaced mentions
    /// and what they were.
    pub fn edit_analysis(
        &self,
        a: &mut DocAnalysis,
        edit: &EntryEdit,
        new_text: &str,
    ) -> (std::ops::Range<usize>, Vec<NameMention>) {
        let (s, e) = (edit.old_span.start, edit.old_span.end);
        let lo = a.mentions.partition_point(|m| m.span().start < s);
        let hi = a.mentions.partition_point(|m| m.span().start < e);
        let mut new = Vec::new();
        push_mentions(&self.entities[edit.entry], s as usize, &mut new);
        new.sort_by_key(|m| m.span());
        debug_assert_eq!(new.len(), hi - lo, "an entry edit keeps its mentions");
        let n = lo + new.len();
        let old: Vec<NameMention> = a.mentions.splice(lo..hi, new).collect();
        for m in &mut a.mentions[n..] {
            m.shift(edit.delta);
        }
        a.line_index.splice(edit.range.clone(), new_text);
        (lo..n, old)
    }
}

/// Drops entities whose name is taken, and aliases claimed twice (the first
/// claim wins), reporting each at the later occurrence.
fn dedupe(kb: &mut KnowledgeBase, errors: &mut Vec<KbError>) {
    // Linking key → (entity index, "name" | "alias").
    let mut claimed: HashMap<String, (usize, String)> = HashMap::new();
    let mut keep = Vec::with_capacity(kb.entities.len());
    for e in std::mem::take(&mut kb.entities) {
        let key = linking::link_key(&e.name, e.kind);
        if let Some((_, owner)) = claimed.get(&key) {
            let message = if owner.starts_with("entity") {
                format!("«{}» is defined twice; the first entry is kept", e.name)
            } else {
                format!("«{}» is already an alias of {owner}", e.name)
            };
            errors.push(KbError {
                span: e.spans.name,
                kind: KbErrorKind::Duplicate,
                message,
            });
            continue;
        }
        claimed.insert(key, (keep.len(), format!("entity «{}»", e.name)));
        keep.push(e);
    }
    for (i, e) in keep.iter_mut().enumerate() {
        let mut aliases = Vec::new();
        let mut spans = Vec::new();
        let mut literals = Vec::new();
        let all = e
            .aliases
            .drain(..)
            .zip(e.spans.aliases.drain(..))
            .zip(e.spans.alias_literals.drain(..));
        for ((a, s), lit) in all {
            let key = linking::link_key(&a, e.kind);
            match claimed.get(&key) {
                Some((j, owner)) if *j != i => {
                    errors.push(KbError {
                        span: s,
                        kind: KbErrorKind::Duplicate,
                        message: format!("alias «{a}» of «{}» is also claimed by {owner}", e.name),
                    });
                }
                Some(_) => {
                    // The entity's own name again, or an alias repeated: harmless.
                    if !aliases.contains(&a) && a != e.name {
                        aliases.push(a);
                        spans.push(s);
                        literals.push(lit);
                    }
                }
                None => {
                    claimed.insert(key, (i, format!("«{}»", e.name)));
                    aliases.push(a);
                    spans.push(s);
                    literals.push(lit);
                }
            }
        }
        e.aliases = aliases;
        e.spans.aliases = spans;
        e.spans.alias_literals = literals;
    }
    kb.claims = fxhash::FxHashMap::default();
    kb.claims.reserve(claimed.len());
    for (key, (i, _)) in &claimed {
        claim(&mut kb.claims, key, *i as u32);
    }
    kb.entities = keep;
}

/// Records in `claims` that entry `i` claims linking key `key`.
fn claim(claims: &mut fxhash::FxHashMap<u64, u32>, key: &str, i: u32) {
    let owner = claims.entry(claim_hash(key)).or_insert(i);
    if *owner != i {
        *owner = AMBIGUOUS;
    }
}

fn claim_hash(key: &str) -> u64 {
    fxhash::hash64(key)
}

/// German forms of a knowledge-base surface the recognizer should also
/// match: an adjective alias ("belarusisch") with its endings
/// (-e, -en, -er, -es, -em), capitalised too for sentence starts; a noun
/// (capitalised, not ending in a sibilant) with its genitive -s.
pub fn inflected_forms(surface: &str) -> Vec<String> {
    let mut out = vec![surface.to_string()];
    let Some(first) = surface.chars().next() else {
        return out;
    };
    let last_word = surface.rsplit(' ').next().unwrap_or(surface);
    if first.is_lowercase() && !surface.contains(' ') {
        // An adjective (or other lower-case derivation): strong and weak endings.
        // The stem may be empty ("e"): it is split by characters, never sliced
        // at an offset taken from another string.
        let stem = surface.strip_suffix('e').unwrap_or(surface);
        let mut chars = stem.chars();
        let Some(stem_first) = chars.next() else {
            return out;
        };
        let mut cap = String::new();
        cap.extend(stem_first.to_uppercase());
        cap.push_str(chars.as_str());
        for base in [stem.to_string(), cap] {
            for end in ["", "e", "en", "er", "es", "em"] {
                let f = format!("{base}{end}");
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
    } else if first.is_uppercase()
        && !last_word.ends_with(['s', 'x', 'z', 'ß', 'S', 'X', 'Z'])
        && last_word.chars().any(char::is_lowercase)
    {
        out.push(format!("{surface}s"));
    }
    out
}

/// What an entry tells the recognizer, hashed with its place (see
/// [`KnowledgeBase::recognition_key`]).
fn entry_hash(i: usize, e: &KbEntity) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (i, &e.name, e.kind, &e.aliases).hash(&mut h);
    h.finish()
}

fn ignore_hash(ignore: &[String]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    ignore.hash(&mut h);
    h.finish()
}

impl KnowledgeBase {
    /// What the recognizer must know: every name and alias (with inflected
    /// forms) mapped to its canonical name, and the ignore list.
    pub fn overrides(&self) -> Overrides {
        let mut names = Vec::new();
        let mut origins = Vec::new();
        for i in 0..self.entities.len() {
            let before = names.len();
            self.push_entry_overrides(i, &mut names);
            origins.resize(origins.len() + names.len() - before, i as u32);
        }
        Overrides::with_origins(names, origins, self.ignore.clone())
    }

    /// The names entry `i` tells the recognizer (its part of
    /// [`Self::overrides`], for [`Overrides::replace_entry`]).
    pub fn entry_overrides(&self, i: usize) -> Vec<OverrideName> {
        let mut names = Vec::new();
        self.push_entry_overrides(i, &mut names);
        names
    }

    fn push_entry_overrides(&self, i: usize, names: &mut Vec<OverrideName>) {
        let e = &self.entities[i];
        for s in std::iter::once(&e.name).chain(&e.aliases) {
            for f in inflected_forms(s) {
                names.push(OverrideName {
                    surface: f,
                    kind: e.kind,
                    canonical: e.name.clone(),
                });
            }
        }
    }

    /// A fingerprint of what the recognizer is told ((name, kind, aliases)
    /// per entry, and the ignore list): when it is unchanged an edit of the
    /// file needs no re-analysis of the articles. A 64-bit hash rather than
    /// a copy of every entry, so comparing costs nothing at 10^5 entries;
    /// a sum of one hash per entry, so an edit of one entry updates it.
    pub fn recognition_key(&self) -> u64 {
        self.recognition
    }

    /// The file as a corpus document: one mention per entry name and alias,
    /// each normalised to the entry's name (a mention's entry is the one
    /// whose name or alias span holds it, see [`Self::entry_at`]).
    pub fn analysis(&self, text: &str) -> DocAnalysis {
        let mut mentions: Vec<NameMention> = Vec::new();
        for (e, &at) in self.entities.iter().zip(&self.starts) {
            push_mentions(e, at as usize, &mut mentions);
        }
        mentions.sort_by_key(|m| m.span());
        mentions.dedup_by(|b, a| a.span().overlaps(b.span()));
        DocAnalysis {
            line_index: LineIndex::new(text),
            mentions,
            roles: Vec::new(),
            figures: Vec::new(),
            token_count: 0,
            encoding_fallback: None,
            date: None,
            unanchored: Vec::new(),
            confidence: Vec::new(),
        }
    }

    /// Drops this knowledge base a step (1,024 entries) at a time, calling
    /// `pause` between steps. Freeing 10^5 entries at once on another
    /// thread stalled the requests answered meanwhile (allocator locks)
    /// for up to a quarter of a second; a background job passes
    /// `background::yield_to_requests` as `pause`.
    pub fn free_in_steps(self, pause: &mut dyn FnMut()) {
        let KnowledgeBase {
            mut entities,
            claims,
            ..
        } = self;
        while !entities.is_empty() {
            entities.truncate(entities.len().saturating_sub(1024));
            pause();
        }
        drop(claims);
    }

    /// The index of the entry whose name or alias span is `span` (a binary
    /// search: the corpus asks this for every mention of the file, and a
    /// scan made a knowledge base of 10^5 entries take minutes to load).
    pub fn index_at(&self, span: Span) -> Option<usize> {
        let holds = |i: usize| {
            let e = &self.entities[i];
            let rel = offset_back(span, self.starts[i] as usize)?;
            (e.spans.name == rel || e.spans.aliases.contains(&rel)).then_some(i)
        };
        if self.unordered {
            return (0..self.entities.len()).find_map(holds);
        }
        let i = self
            .starts
            .partition_point(|&s| s <= span.start)
            .checked_sub(1)?;
        holds(i)
    }

    /// The entry whose name or alias span is `span`.
    pub fn entry_at(&self, span: Span) -> Option<&KbEntity> {
        self.entities.get(self.index_at(span)?)
    }

    /// Is `span` the span of an entry's name (its definition, not an alias)?
    pub fn is_name_at(&self, span: Span) -> bool {
        self.index_at(span)
            .is_some_and(|i| self.name_span(i) == span)
    }

    /// The value at a name or alias span: the entry, the decoded value and
    /// the span of its whole literal (quotes included).
    pub fn value_at(&self, span: Span) -> Option<(&KbEntity, &str, Span)> {
        let i = self.index_at(span)?;
        let (e, at) = (&self.entities[i], self.starts[i] as usize);
        if self.name_span(i) == span {
            return Some((e, &e.name, offset(e.spans.name_literal, at)));
        }
        let rel = offset_back(span, at)?;
        let k = e.spans.aliases.iter().position(|&s| s == rel)?;
        Some((e, &e.aliases[k], offset(e.spans.alias_literals[k], at)))
    }

    /// The span of entry `i` (from its `[[entity]]` header).
    pub fn entry_span(&self, i: usize) -> Span {
        offset(self.entities[i].spans.whole, self.starts[i] as usize)
    }

    /// The span of entry `i`'s name (its text, inside the quotes when it
    /// has no escapes).
    pub fn name_span(&self, i: usize) -> Span {
        offset(self.entities[i].spans.name, self.starts[i] as usize)
    }

    /// The spans of entry `i`'s aliases (parallel to its `aliases`).
    pub fn alias_spans(&self, i: usize) -> impl Iterator<Item = Span> + '_ {
        let at = self.starts[i] as usize;
        self.entities[i]
            .spans
            .aliases
            .iter()
            .map(move |&s| offset(s, at))
    }

    /// Makes the entries' spans (offsets in the file while parsing)
    /// relative to where each entry starts, and notes whether the entries
    /// are in file order, each holding its values.
    fn locate_entries(&mut self) {
        self.starts = Vec::with_capacity(self.entities.len());
        let mut end = 0;
        self.unordered = false;
        for e in &mut self.entities {
            let whole = e.spans.whole;
            let inside = |s: &Span| whole.start <= s.start && s.end <= whole.end;
            let holds = inside(&e.spans.name)
                && inside(&e.spans.name_literal)
                && e.spans.aliases.iter().all(inside)
                && e.spans.alias_literals.iter().all(inside);
            if !holds || whole.start < end || (whole.is_empty() && whole.start > 0) {
                self.unordered = true;
            }
            end = end.max(whole.end);
            for s in e.spans.all_mut() {
                *s = offset_back(*s, whole.start as usize).unwrap_or_default();
            }
            self.starts.push(whole.start);
        }
    }

    /// The entry for a linking key (`link_key(name, kind)`).
    pub fn entry_by_name(&self, name: &str, kind: EntityKind) -> Option<&KbEntity> {
        let key = linking::link_key(name, kind);
        self.entities
            .iter()
            .find(|e| e.kind == kind && linking::link_key(&e.name, e.kind) == key)
    }
}

/// `s` moved `by` bytes back (`None` when it starts before `by`).
fn offset_back(s: Span, by: usize) -> Option<Span> {
    let by = u32::try_from(by).ok()?;
    Some(Span {
        start: s.start.checked_sub(by)?,
        end: s.end.checked_sub(by)?,
    })
}

/// The mentions in the pseudo-document of entry `e`, which starts at `at`
/// (its name, then its aliases; see [`KnowledgeBase::analysis`]).
fn push_mentions(e: &KbEntity, at: usize, out: &mut Vec<NameMention>) {
    let spans = std::iter::once(e.spans.name).chain(e.spans.aliases.iter().copied());
    for span in spans {
        out.extend(NameMention::new(
            offset(span, at),
            e.kind,
            crate::model::sym(&e.name),
            Source::KnowledgeBase,
        ));
    }
}

/// A TOML string literal for `s`, as toml_edit writes it (a basic string,
/// or a literal string where that needs no escapes): what gazette writes
/// into `gazette.toml` always parses back to `s`.
pub fn quote(s: &str) -> String {
    Value::from(s).decorated("", "").to_string()
}

/// The text of a new `[[entity]]` entry.
pub fn entry_text(name: &str, kind: EntityKind) -> String {
    format!(
        "[[entity]]\nname = {}\nkind = {}\n",
        quote(name),
        quote(kind.as_str())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"ignore = ["Drohen"]

[[entity]]
name = "Belarus"
kind = "place"            # person | place | org | other
aliases = ["Weißrussland", "belarusisch"]
description = "Staat in Osteuropa"
wikidata = "Q184"
"#;

    #[test]
    fn parses_the_documented_example() {
        let (kb, errors) = parse(EXAMPLE);
        assert!(errors.is_empty(), "{errors:?}");
        let kb = kb.unwrap();
        assert_eq!(kb.ignore, vec!["Drohen"]);
        let e = &kb.entities[0];
        assert_eq!(e.name, "Belarus");
        assert_eq!(e.kind, EntityKind::Place);
        assert_eq!(e.aliases, vec!["Weißrussland", "belarusisch"]);
        assert_eq!(e.description.as_deref(), Some("Staat in Osteuropa"));
        assert_eq!(e.wikidata.as_deref(), Some("Q184"));
        assert_eq!(&EXAMPLE[kb.name_span(0).range()], "Belarus");
        let aliases: Vec<Span> = kb.alias_spans(0).collect();
        assert_eq!(&EXAMPLE[aliases[0].range()], "Weißrussland");
        assert_eq!(&EXAMPLE[aliases[1].range()], "belarusisch");
        let header = EXAMPLE.find("[[entity]]").unwrap();
        assert_eq!(
            &EXAMPLE[kb.entry_span(0).range()],
            EXAMPLE[header..].trim_end()
        );
        assert_eq!(&EXAMPLE[kb.ignore_spans[0].range()], "Drohen");
        assert_eq!(&EXAMPLE[kb.ignore_array.unwrap().range()], "[\"Drohen\"]");
    }

    #[test]
    fn syntax_error_has_a_span_and_no_kb() {
        let text = "[[entity]]\nname = \"Belarus\nkind = \"place\"\n";
        let (kb, errors) = parse(text);
        assert!(kb.is_none());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, KbErrorKind::Syntax);
        assert!(errors[0].span.start >= 11, "{errors:?}");
    }

    #[test]
    fn semantic_errors_drop_only_the_bad_parts() {
        let text = r#"
[[entity]]
name = "Belarus"
kind = "place"
aliases = ["Weißrussland"]

[[entity]]
name = "Belarus"
kind = "place"

[[entity]]
name = "Weissrussland-Fan"
kind = "planet"

[[entity]]
name = "Minsk"
kind = "place"
aliases = ["Weißrussland", "Mensk"]
colour = "red"
"#;
        let (kb, errors) = parse(text);
        let kb = kb.unwrap();
        let kinds: Vec<KbErrorKind> = errors.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                KbErrorKind::Duplicate,
                KbErrorKind::UnknownKind,
                KbErrorKind::Duplicate,
                KbErrorKind::Invalid
            ],
            "{errors:?}"
        );
        assert_eq!(&text[errors[1].span.range()], "planet");
        assert_eq!(kb.entities.len(), 2);
        assert_eq!(kb.entities[1].aliases, vec!["Mensk"]);
    }

    #[test]
    fn inflected_alias_forms() {
        let f = inflected_forms("belarusisch");
        for form in [
            "belarusischer",
            "belarusischen",
            "belarusische",
            "Belarusisches",
        ] {
            assert!(f.contains(&form.to_string()), "{form} missing from {f:?}");
        }
        assert_eq!(
            inflected_forms("Weißrussland"),
            vec!["Weißrussland", "Weißrusslands"]
        );
        assert_eq!(inflected_forms("Belarus"), vec!["Belarus"]);
        assert_eq!(inflected_forms("OSZE"), vec!["OSZE"]);
    }

    #[test]
    fn inflected_forms_of_short_and_odd_surfaces() {
        // "e" is a lower-case word whose stem without -e is empty: slicing
        // that stem by the first character's length panicked.
        assert_eq!(inflected_forms("e"), vec!["e"]);
        for s in [
            "e", "E", "é", "ée", "ß", "ee", "", " ", "e e", "\u{0}", "ǅe", "ﬀe", "'e", "-",
        ] {
            let f = inflected_forms(s);
            assert_eq!(f[0], s);
        }
        // Every alias of a file goes through here, with the override builder.
        let (kb, _) = parse(
            "[[entity]]\nname = \"Europa\"\nkind = \"place\"\naliases = [\"e\", \"é\", \"ée\"]\n",
        );
        let o = kb.unwrap().overrides();
        for a in ["e", "é", "ée", "Ée", "Europas"] {
            assert!(o.names().iter().any(|n| n.surface == a), "{a}");
        }
    }

    proptest::proptest! {
        #[test]
        fn inflected_forms_never_panic(s in "\\PC{0,4}|[a-zäöüßé]{0,3}e?") {
            let f = inflected_forms(&s);
            proptest::prop_assert_eq!(&f[0], &s);
        }
    }

    #[test]
    fn unusable_aliases_are_dropped_and_function_words_warned() {
        let text = "[[entity]]\nname = \"Olaf Scholz\"\nkind = \"person\"\naliases = [\"\", \"  \", \"a\\u0000b\", \"x\\ny\", \"und\", \"Scholzi\"]\n";
        let (kb, errors) = parse(text);
        let e = &kb.unwrap().entities[0];
        // The function word stays (the user may mean it), the rest is dropped.
        assert_eq!(e.aliases, vec!["und", "Scholzi"]);
        let found: Vec<(KbErrorKind, &str)> = errors
            .iter()
            .map(|e| (e.kind, &text[e.span.range()]))
            .collect();
        assert_eq!(
            found,
            vec![
                (KbErrorKind::Invalid, "\"\""),
                (KbErrorKind::Invalid, "  "),
                (KbErrorKind::Invalid, "\"a\\u0000b\""),
                (KbErrorKind::Invalid, "\"x\\ny\""),
                (KbErrorKind::CommonWord, "und"),
            ],
            "{errors:?}"
        );
        assert!(errors[4].message.contains("common word"), "{errors:?}");
        // A name that is a function word is warned about too.
        let (_, errors) = parse("[[entity]]\nname = \"Die\"\nkind = \"org\"\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, KbErrorKind::CommonWord);
    }

    #[test]
    fn invalid_globs_are_errors_and_the_others_stay() {
        let text = "[settings]\nexclude = [\"drafts/**\", \"a{b\", \"old/*\"]\ninclude = [\"[z\", \"**/*.txt\"]\n";
        let (kb, errors) = parse(text);
        let s = kb.unwrap().settings;
        assert_eq!(s.exclude, Some(vec!["drafts/**".into(), "old/*".into()]));
        assert_eq!(s.include, Some(vec!["**/*.txt".into()]));
        assert_eq!(s.rejected_globs.len(), 2);
        let spans: Vec<&str> = errors.iter().map(|e| &text[e.span.range()]).collect();
        assert_eq!(spans, vec!["a{b", "[z"], "{errors:?}");
        assert!(errors.iter().all(|e| e.kind == KbErrorKind::Invalid));
    }

    #[test]
    fn entry_at_finds_every_name_and_alias() {
        let mut text = String::new();
        for i in 0..500 {
            text.push_str(&format!(
                "[[entity]]\nname = \"Person{i} X\"\nkind = \"person\"\naliases = [\"P{i}\", \"Pe{i}\"]\n"
            ));
        }
        let (kb, errors) = parse(&text);
        assert!(errors.is_empty(), "{errors:?}");
        let kb = kb.unwrap();
        assert!(!kb.unordered, "entries are in file order: binary search");
        let spans: Vec<(usize, Span)> = (0..kb.entities.len())
            .flat_map(|i| {
                std::iter::once(kb.name_span(i))
                    .chain(kb.alias_spans(i))
                    .map(move |s| (i, s))
            })
            .collect();
        assert_eq!(spans.len(), 1500);
        for (i, s) in spans {
            assert!(std::ptr::eq(kb.entry_at(s).unwrap(), &kb.entities[i]));
            assert_eq!(kb.is_name_at(s), s == kb.name_span(i));
            assert_eq!(kb.value_at(s).unwrap().1, &text[s.range()]);
        }
        // The pseudo-document's mentions all find their entry.
        let a = kb.analysis(&text);
        assert!(a.mentions.iter().all(|m| kb.entry_at(m.span()).is_some()));
        assert!(kb.entry_at(Span::new(0, 1)).is_none());
    }

    #[test]
    fn value_at_decodes_escapes_and_knows_the_literal() {
        let text =
            "[[entity]]\nname = \"Emmanuel \\u004Dacron\"\nkind = \"person\"\naliases = ['Manu']\n";
        let (kb, _) = parse(text);
        let kb = kb.unwrap();
        let (_, v, lit) = kb.value_at(kb.name_span(0)).unwrap();
        assert_eq!(v, "Emmanuel Macron");
        assert_eq!(&text[lit.range()], "\"Emmanuel \\u004Dacron\"");
        let (_, v, lit) = kb.value_at(kb.alias_spans(0).next().unwrap()).unwrap();
        assert_eq!((v, &text[lit.range()]), ("Manu", "'Manu'"));
    }

    #[test]
    fn overrides_and_pseudo_document() {
        let (kb, _) = parse(EXAMPLE);
        let kb = kb.unwrap();
        let o = kb.overrides();
        assert!(o
            .names()
            .iter()
            .any(|n| n.surface == "belarusischer" && n.canonical == "Belarus"));
        assert_eq!(o.ignore(), vec!["Drohen"]);
        let a = kb.analysis(EXAMPLE);
        assert_eq!(a.mentions.len(), 3);
        assert!(a.mentions.iter().all(|m| m.norm == "Belarus"));
    }

    #[test]
    fn settings_and_levels() {
        let text = "[settings]\nexclude = [\"drafts/**\"]\nmaxFileSize = 1000\n[settings.diagnostics]\nname-variant = \"off\"\nkb = \"error\"\n";
        let (kb, errors) = parse(text);
        assert!(errors.is_empty(), "{errors:?}");
        let s = kb.unwrap().settings;
        assert_eq!(s.exclude, Some(vec!["drafts/**".to_string()]));
        assert_eq!(s.max_file_size, Some(1000));
        assert_eq!(s.diagnostics.get("nameVariant"), Some(&Level::Off));
        assert_eq!(s.diagnostics.get("kb"), Some(&Level::Error));
    }

    #[test]
    fn freeing_in_steps_pauses_between_steps() {
        let text: String = (0..3000)
            .map(|i| {
                format!("[[entity]]\nname = \"Vorname{i} Nachname{i}\"\nkind = \"person\"\n\n")
            })
            .collect();
        let kb = parse(&text).0.unwrap();
        let overrides = kb.overrides();
        let mut pauses = 0;
        kb.free_in_steps(&mut || pauses += 1);
        assert_eq!(pauses, 3, "3,000 entries in steps of 1,024");
        let mut pauses = 0;
        overrides.free_in_steps(&mut || pauses += 1);
        assert!(pauses >= 3, "{pauses}");
    }

    #[test]
    fn max_file_size_zero_is_no_limit_not_an_error() {
        let (kb, errors) = parse("[settings]\nmaxFileSize = 0\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(kb.unwrap().settings.max_file_size, Some(0));
        assert_eq!(
            crate::workspace::size_limit(0),
            crate::workspace::MAX_ANALYSABLE
        );
        let (_, errors) = parse("[settings]\nmaxFileSize = -1\n");
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn quoting() {
        // Whatever toml_edit picks (basic or literal string), it reads back
        // as the value, with both kinds of quote, escapes and control characters.
        for v in [
            "a\"b",
            "Olaf O'Neil",
            "x'\"y",
            "back\\slash",
            "line\nbreak",
            "tab\t",
            "\u{7f}\u{0}",
            "'''",
            "\"\"\"",
            "Emmanuel Macron",
        ] {
            let doc = format!("k = {}", quote(v));
            let parsed = ImDocument::parse(doc.clone()).expect(&doc);
            assert_eq!(parsed["k"].as_str(), Some(v), "{doc}");
        }
        assert_eq!(quote("Olaf O'Neil"), "\"Olaf O'Neil\"");
        let e = entry_text("Jamie Shea", EntityKind::Person);
        let (kb, errors) = parse(&e);
        assert!(errors.is_empty());
        assert_eq!(kb.unwrap().entities[0].name, "Jamie Shea");
    }

    /// A file of a few entries (aliases, a description, a kind each, a
    /// function word, an ignore list and settings around them).
    fn edit_sample() -> String {
        let mut t = String::from("ignore = [\"Drohen\"]\n\n");
        let rows = [
            ("Jens Stoltenberg", "person", "[\"Stoltenberg\", 'J. S.']"),
            ("Nordatlantikpakt", "org", "[\"NATO\", \"Nato\"]"),
            ("Belarus", "place", "[\"Weißrussland\", \"belarusisch\"]"),
            ("Anna Berger", "person", "[\"Berger\", \"und\"]"),
        ];
        for (i, (name, kind, aliases)) in rows.iter().enumerate() {
            t += &format!(
                "[[entity]]\nname = \"{name}\"\nkind = \"{kind}\" # {i}\naliases = {aliases}\ndescription = \"Nummer {i}\"\n\n"
            );
            if i == 1 {
                t += "[settings]\nlanguage = \"de\"\n\n";
            }
        }
        t
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Keystrokes anywhere (letters, quotes, brackets, line breaks):
        /// an edit taken in place leaves the knowledge base, its errors and
        /// its pseudo-document as parsing the new text gives them; one not
        /// taken changes nothing.
        #[test]
        fn an_edit_in_place_equals_parsing_the_new_text(
            edits in proptest::collection::vec(
                (
                    proptest::bool::weighted(0.8),
                    0usize..1000,
                    0usize..4,
                    0usize..3,
                    proptest::prop_oneof![
                        8 => "[a-zäöüßA-Z ]{0,3}",
                        1 => "[\"'\\[\\]=,#\n]|x\"|\" = \"|\\\\u00|\", \"",
                    ],
                ),
                1..12,
            )
        ) {
            let mut text = edit_sample();
            let (kb, errors) = parse(&text);
            let (mut kb, mut errors) = (kb.unwrap(), errors);
            let mut analysis = kb.analysis(&text);
            for (near_quote, at, after, len, insert) in edits {
                // An edit on character boundaries, mostly at or just after a
                // quote (in or around a value), else anywhere.
                let quotes: Vec<usize> = text.match_indices('"').map(|m| m.0).collect();
                let at = match near_quote && !quotes.is_empty() {
                    true => (quotes[at % quotes.len()] + after).min(text.len()),
                    false => at % (text.len() + 1),
                };
                let at = text.floor_char_boundary(at);
                let end = text.floor_char_boundary((at + len).min(text.len()));
                let mut new_text = text.clone();
                new_text.replace_range(at..end, &insert);
                let before = (kb.clone(), errors.clone());
                match kb.edit(&mut errors, at..end, insert.len(), &new_text) {
                    Some(edit) => {
                        let (fresh, fresh_errors) = parse(&new_text);
                        let fresh = fresh.unwrap();
                        proptest::prop_assert_eq!(&kb, &fresh, "{:?} -> {:?}", text, new_text);
                        proptest::prop_assert_eq!(&errors, &fresh_errors);
                        proptest::prop_assert_eq!(
                            edit.recognition_changed,
                            before.0.recognition_key() != fresh.recognition_key()
                        );
                        let (replaced, old) = kb.edit_analysis(&mut analysis, &edit, &new_text);
                        proptest::prop_assert_eq!(replaced.len(), old.len());
                        proptest::prop_assert_eq!(&analysis, &fresh.analysis(&new_text));
                    }
                    None => {
                        proptest::prop_assert_eq!(&(kb.clone(), errors.clone()), &before);
                        // The caller parses the whole text, as the server does.
                        let (k, e) = parse(&new_text);
                        let Some(k) = k else {
                            // A syntax error: until it is mended nothing is
                            // taken in place; go on from the text before.
                            continue;
                        };
                        analysis = k.analysis(&new_text);
                        kb = k;
                        errors = e;
                    }
                }
                text = new_text;
            }
        }
    }

    #[test]
    fn a_keystroke_in_a_name_is_taken_in_place() {
        let text = edit_sample();
        let (kb, mut errors) = parse(&text);
        let mut kb = kb.unwrap();
        let at = text.find("Stoltenberg\"").unwrap() + 5;
        let mut new_text = text.clone();
        new_text.insert(at, 'x');
        let edit = kb.edit(&mut errors, at..at, 1, &new_text).unwrap();
        assert_eq!(edit.entry, 0);
        assert!(edit.recognition_changed);
        assert_eq!(kb.entities[0].name, "Jens Stoltxenberg");
        assert_eq!(kb, parse(&new_text).0.unwrap());
        // A description changes nothing the recognizer is told.
        let at = new_text.find("Nummer 2").unwrap() + 8;
        let mut newer = new_text.clone();
        newer.insert(at, '7');
        let edit = kb.edit(&mut errors, at..at, 1, &newer).unwrap();
        assert!(!edit.recognition_changed);
        assert_eq!(kb.entities[2].description.as_deref(), Some("Nummer 27"));
        // An edit outside every entry, or one making a name another entry's
        // alias, is left to a full parse.
        let mut outside = newer.clone();
        outside.insert(0, ' ');
        assert!(kb.edit(&mut errors, 0..0, 1, &outside).is_none());
        let from = newer.find("Anna Berger").unwrap();
        let mut clash = newer.clone();
        clash.replace_range(from..from + 11, "Weißrussland");
        assert!(kb.edit(&mut errors, from..from + 11, 12, &clash).is_none());
        assert_eq!(kb, parse(&newer).0.unwrap());
        // Nor is anything while the file does not parse.
        let (_, broken) = parse("[[entity]\n");
        let before = kb.clone();
        let mut errors = broken;
        assert!(kb.edit(&mut errors, at..at, 1, &newer).is_none());
        assert_eq!(kb, before);
    }
}
