//! Mention-level annotations: the user's word on single mentions, kept in
//! one JSON Lines file at the corpus root ([`FILE_NAME`]), committed with
//! the articles.
//!
//! One annotation per line, sorted by article path and start offset
//! (`docs/annotation.md` documents the format). Each line names an article
//! (its path relative to the corpus root, `/`-separated), the span the
//! annotation covered when it was written (UTF-8 byte offsets, a *hint*),
//! the annotated text with some context (a W3C Web Annotation
//! `TextQuoteSelector`: `exact`, `prefix`, `suffix`), a [`Label`], an
//! optional entity the mention links to, and a [`Status`].
//!
//! Annotations are *anchored* to the current text of their article each time
//! it is analysed ([`anchor`]): the hint first, else the occurrence of
//! `exact` whose context matches best. An annotation that cannot be anchored
//! is reported, never silently moved; a line that does not parse is
//! reported and kept (the file is only ever edited line by line).
//!
//! Applying anchored annotations to an analysis ([`apply`]) is what makes
//! them win: an annotated span replaces every machine mention it overlaps,
//! `not-a-name` removes them.

pub mod formats;
pub mod lexicon;

use crate::model::{sym, EntityKind, NameMention, Source, Span, Sym};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The store's file name, at the corpus root.
pub const FILE_NAME: &str = "gazette.annotations.jsonl";

/// The largest store read (64 MiB: about 300,000 annotations).
pub const MAX_FILE_SIZE: u64 = 64 << 20;

/// How many characters of context `prefix` and `suffix` keep.
pub const CONTEXT_CHARS: usize = 32;

/// What the user says a span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    Person,
    Place,
    Organisation,
    Other,
    /// Not a name here: machine mentions overlapping the span are removed.
    NotAName,
}

impl Label {
    pub const ALL: [Label; 5] = [
        Label::Person,
        Label::Place,
        Label::Organisation,
        Label::Other,
        Label::NotAName,
    ];

    /// The entity kind, `None` for [`Label::NotAName`].
    pub fn kind(self) -> Option<EntityKind> {
        match self {
            Label::Person => Some(EntityKind::Person),
            Label::Place => Some(EntityKind::Place),
            Label::Organisation => Some(EntityKind::Org),
            Label::Other => Some(EntityKind::Other),
            Label::NotAName => None,
        }
    }

    pub fn from_kind(k: EntityKind) -> Label {
        match k {
            EntityKind::Person => Label::Person,
            EntityKind::Place => Label::Place,
            EntityKind::Org => Label::Organisation,
            EntityKind::Other => Label::Other,
        }
    }

    /// The name written in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "person",
            Label::Place => "place",
            Label::Organisation => "organisation",
            Label::Other => "other",
            Label::NotAName => "not-a-name",
        }
    }

    /// Reads a label as the store, CoNLL (`PER`, `LOC`, `ORG`, `OTH`,
    /// `MISC`, with GermEval's `deriv`/`part` suffixes) or INCEpTION /
    /// DKPro (`Person`, `Location`, `Organization`, `Other`) spell it.
    pub fn parse(s: &str) -> Option<Label> {
        let s = s.trim();
        let base = s
            .strip_suffix("deriv")
            .or_else(|| s.strip_suffix("part"))
            .unwrap_or(s);
        match base.to_ascii_lowercase().as_str() {
            "not-a-name" | "not_a_name" | "notaname" | "none" => Some(Label::NotAName),
            "organisation" => Some(Label::Organisation),
            other => EntityKind::parse(other).map(Label::from_kind),
        }
    }
}

/// Where an annotation came from in the review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A span the machine did not find.
    Added,
    /// A machine mention with another label, span or entity.
    Corrected,
    /// A machine mention checked and kept as it is.
    Confirmed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Corrected => "corrected",
            Status::Confirmed => "confirmed",
        }
    }
}

/// One annotation, as one line of the store (fields in this order).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// The article, relative to the corpus root, `/`-separated.
    pub path: String,
    /// Byte offsets (UTF-8) of the span when the line was written: a hint.
    pub start: u32,
    pub end: u32,
    /// The annotated text (`TextQuoteSelector.exact`).
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] characters before it.
    #[serde(default)]
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters after it.
    #[serde(default)]
    pub suffix: String,
    pub label: Label,
    /// The entity the mention links to: a `gazette.toml` entity's name or
    /// any other name; a name no other mention has splits it out ("a
    /// different Maria": `"Maria (2)"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    pub status: Status,
}

impl Annotation {
    /// An annotation of `span` in `text` (which must lie on character
    /// boundaries), with its quote and context taken from `text`.
    pub fn new(
        path: &str,
        text: &str,
        span: Span,
        label: Label,
        entity: Option<String>,
        status: Status,
    ) -> Annotation {
        let (a, b) = (span.start as usize, span.end as usize);
        Annotation {
            path: path.to_string(),
            start: span.start,
            end: span.end,
            exact: text[a..b].to_string(),
            prefix: last_chars(&text[..a], CONTEXT_CHARS).to_string(),
            suffix: first_chars(&text[b..], CONTEXT_CHARS).to_string(),
            label,
            entity,
            status,
        }
    }

    /// The line written to the store (no newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("an annotation serialises")
    }

    /// The store's order: path, then start, end.
    pub fn sort_key(&self) -> (&str, u32, u32) {
        (&self.path, self.start, self.end)
    }

    /// The same annotation with its hint and context taken from where it
    /// is anchored now in `text`.
    pub fn reanchored(&self, text: &str, span: Span) -> Annotation {
        Annotation::new(
            &self.path,
            text,
            span,
            self.label,
            self.entity.clone(),
            self.status,
        )
    }

    fn check(&self) -> Result<(), String> {
        if self.exact.is_empty() {
            return Err("`exact` is empty".into());
        }
        if self.end < self.start || (self.end - self.start) as usize != self.exact.len() {
            return Err(format!(
                "`start`..`end` ({}..{}) is not as long as `exact` ({} bytes)",
                self.start,
                self.end,
                self.exact.len()
            ));
        }
        if self.path.is_empty()
            || self.path.starts_with('/')
            || self.path.split('/').any(|c| c == "..")
        {
            return Err(format!(
                "`path` must be relative to the corpus root: {:?}",
                self.path
            ));
        }
        Ok(())
    }
}

fn last_chars(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &s[i..],
        _ if n == 0 => "",
        _ => s,
    }
}

fn first_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A line of the store that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LineError {
    /// 0-based line number.
    pub line: u32,
    /// Byte range of the line in the store's text.
    pub span: Span,
    pub message: String,
}

/// The parsed store: annotations by article, and the lines that did not parse.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Annotations {
    /// The corpus root the paths are relative to (absolute).
    root: Option<PathBuf>,
    /// Per article path: (line number, annotation), in store order.
    by_path: BTreeMap<String, Vec<(u32, Annotation)>>,
    pub errors: Vec<LineError>,
    /// A hash of every annotation (for the persistent index's key).
    fingerprint: u64,
}

impl std::fmt::Debug for Annotations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Annotations")
            .field("count", &self.len())
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

impl Annotations {
    /// Parses a store's text; `root` is the folder it lies in.
    pub fn parse(root: Option<&Path>, text: &str) -> Annotations {
        let mut by_path: BTreeMap<String, Vec<(u32, Annotation)>> = BTreeMap::new();
        let mut errors = Vec::new();
        let mut h = fxhash::FxHasher64::default();
        let mut offset = 0usize;
        for (n, raw) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            if line.trim().is_empty() {
                continue;
            }
            let span = Span::new(start, start + line.len());
            let parsed = serde_json::from_str::<Annotation>(line)
                .map_err(|e| e.to_string())
                .and_then(|a| a.check().map(|_| a));
            match parsed {
                Ok(a) => {
                    a.hash(&mut h);
                    by_path
                        .entry(a.path.clone())
                        .or_default()
                        .push((n as u32, a));
                }
                Err(message) => errors.push(LineError {
                    line: n as u32,
                    span,
                    message,
                }),
            }
        }
        Annotations {
            root: root.map(absolute),
            by_path,
            errors,
            fingerprint: h.finish(),
        }
    }

    /// Reads the store at `root` (through [`crate::workspace::read_text`]);
    /// an absent store is an empty one.
    pub fn load(root: &Path) -> Result<Annotations, crate::workspace::SkipReason> {
        let path = root.join(FILE_NAME);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(Annotations::parse(Some(root), ""));
        }
        let text = crate::workspace::read_text(&path, MAX_FILE_SIZE, Some(root))?.text;
        Ok(Annotations::parse(Some(root), &text))
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    pub fn len(&self) -> usize {
        self.by_path.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The article path (as stored) of a file, `None` outside the root.
    pub fn rel_path(&self, path: &Path) -> Option<String> {
        let rel = absolute(path)
            .strip_prefix(self.root.as_ref()?)
            .ok()?
            .to_path_buf();
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        Some(parts?.join("/"))
    }

    /// The annotations of the article at `path` (with their line numbers).
    pub fn for_path(&self, path: &Path) -> &[(u32, Annotation)] {
        self.rel_path(path)
            .and_then(|r| self.by_path.get(&r))
            .map_or(&[], Vec::as_slice)
    }

    /// Every annotation with its line number, in store order per path.
    /// Per article path (relative to the root): its annotations with their
    /// line numbers, in path order.
    pub fn by_path(&self) -> impl Iterator<Item = (&str, &[(u32, Annotation)])> {
        self.by_path.iter().map(|(p, a)| (p.as_str(), a.as_slice()))
    }

    pub fn iter(&self) -> impl Iterator<Item = &(u32, Annotation)> {
        self.by_path.values().flatten()
    }

    /// The article paths (as stored) whose annotations differ between
    /// `self` and `other`.
    pub fn changed_paths(&self, other: &Annotations) -> Vec<String> {
        let strip =
            |v: &Vec<(u32, Annotation)>| v.iter().map(|(_, a)| a.clone()).collect::<Vec<_>>();
        let mut out: Vec<String> = Vec::new();
        for (p, v) in &self.by_path {
            if other.by_path.get(p).map(strip) != Some(strip(v)) {
                out.push(p.clone());
            }
        }
        for p in other.by_path.keys() {
            if !self.by_path.contains_key(p) {
                out.push(p.clone());
            }
        }
        out.sort();
        out
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Where an annotation's quote is in `text` now: its hint when the text
/// there is still `exact`, else the only occurrence, else the occurrence
/// whose surrounding text matches `prefix` and `suffix` best (ties: the one
/// nearest the hint). `None` when `exact` does not occur.
pub fn anchor(text: &str, a: &Annotation) -> Option<Span> {
    let (s, e) = (a.start as usize, a.end as usize);
    if text.get(s..e) == Some(a.exact.as_str()) {
        return Some(Span::new(s, e));
    }
    let mut best: Option<(usize, usize, usize)> = None; // (score, -distance, pos)
    let mut from = 0;
    while let Some(i) = text[from..].find(&a.exact) {
        let pos = from + i;
        let score = common_suffix(&text[..pos], &a.prefix)
            + common_prefix(&text[pos + a.exact.len()..], &a.suffix);
        let dist = pos.abs_diff(s);
        let better = match best {
            None => true,
            Some((bs, bd, _)) => score > bs || (score == bs && dist < bd),
        };
        if better {
            best = Some((score, dist, pos));
        }
        // Overlapping occurrences count: step one character.
        from = pos + text[pos..].chars().next().map_or(1, char::len_utf8);
    }
    best.map(|(_, _, pos)| Span::new(pos, pos + a.exact.len()))
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Why an annotation is not in force in its article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unanchored {
    /// Its quoted text is no longer in the article.
    NotFound,
    /// It overlaps an annotation of the same article that comes first.
    Overlaps,
}

impl Unanchored {
    pub fn message(self) -> &'static str {
        match self {
            Unanchored::NotFound => "the annotated text is no longer in the article",
            Unanchored::Overlaps => "the annotation overlaps an earlier one in the same article",
        }
    }
}

/// Anchored annotations: (index into the article's annotations, span).
pub type Placed = Vec<(usize, Span)>;
/// Annotations not in force: (index, why).
pub type Failed = Vec<(usize, Unanchored)>;

/// The annotations of one article anchored in its text: (index into
/// `anns`, span) sorted by span, non-overlapping, and those that could
/// not be anchored, with why.
pub fn anchor_all(text: &str, anns: &[(u32, Annotation)]) -> (Placed, Failed) {
    let mut placed: Vec<(usize, Span)> = Vec::new();
    let mut failed = Vec::new();
    for (i, (_, a)) in anns.iter().enumerate() {
        match anchor(text, a) {
            None => failed.push((i, Unanchored::NotFound)),
            Some(span) if placed.iter().any(|(_, p)| p.overlaps(span)) => {
                failed.push((i, Unanchored::Overlaps))
            }
            Some(span) => placed.push((i, span)),
        }
    }
    placed.sort_by_key(|&(_, s)| s);
    (placed, failed)
}

/// An annotation not in force, as an analysis records it: its line's hint
/// and why (the line number is not kept: other lines move it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnanchoredNote {
    pub start: u32,
    pub end: u32,
    pub exact: String,
    pub why: Unanchored,
}

/// Applies the annotations of one article to its machine mentions (sorted,
/// non-overlapping) and their roles (by mention index): every annotated
/// span replaces the mentions it overlaps; `not-a-name` only removes them.
/// A mention's linking name is the annotation's entity, else the machine
/// mention's with the same span, else the annotated text. Returns what
/// could not be anchored.
pub fn apply(
    text: &str,
    anns: &[(u32, Annotation)],
    mentions: &mut Vec<NameMention>,
    roles: &mut Vec<(u32, Sym)>,
) -> Vec<UnanchoredNote> {
    if anns.is_empty() {
        return Vec::new();
    }
    let (placed, failed) = anchor_all(text, anns);
    let old = std::mem::take(mentions);
    let old_roles = std::mem::take(roles);
    let role_of = |i: usize| {
        old_roles
            .binary_search_by_key(&(i as u32), |r| r.0)
            .ok()
            .map(|j| old_roles[j].1)
    };
    let mut out: Vec<(NameMention, Option<Sym>)> = Vec::with_capacity(old.len() + placed.len());
    for (i, m) in old.iter().enumerate() {
        if !placed.iter().any(|(_, s)| s.overlaps(m.span())) {
            out.push((m.clone(), role_of(i)));
        }
    }
    for &(i, span) in &placed {
        let a = &anns[i].1;
        let Some(kind) = a.label.kind() else { continue };
        let same = old.iter().position(|m| m.span() == span);
        let norm = match (&a.entity, same) {
            (Some(e), _) if !e.trim().is_empty() => sym(e.trim()),
            (_, Some(j)) => old[j].norm,
            _ => sym(&a.exact),
        };
        if let Some(m) = NameMention::new(span, kind, norm, Source::Annotation) {
            out.push((m, same.and_then(role_of)));
        }
    }
    out.sort_by_key(|(m, _)| m.span());
    for (i, (m, r)) in out.into_iter().enumerate() {
        if let Some(r) = r {
            roles.push((i as u32, r));
        }
        mentions.push(m);
    }
    mentions.shrink_to_fit();
    roles.shrink_to_fit();
    failed
        .into_iter()
        .map(|(i, why)| {
            let a = &anns[i].1;
            UnanchoredNote {
                start: a.start,
                end: a.end,
                exact: a.exact.clone(),
                why,
            }
        })
        .collect()
}

/// The store's text with `add` inserted in order and the lines numbered
/// `remove` (0-based) left out; every other line is kept byte for byte,
/// including lines that do not parse. Returns the new text.
pub fn edit_text(text: &str, remove: &[u32], add: &[Annotation]) -> String {
    // (sort key when the line parses, the line)
    type Line = (Option<(String, u32, u32)>, String);
    let mut lines: Vec<Line> = Vec::new();
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        if remove.contains(&(n as u32)) {
            continue;
        }
        let line = raw.trim_end_matches(['\n', '\r']).to_string();
        if line.trim().is_empty() {
            continue;
        }
        let key = serde_json::from_str::<Annotation>(&line)
            .ok()
            .map(|a| (a.path, a.start, a.end));
        lines.push((key, line));
    }
    for a in add {
        let key = (a.path.clone(), a.start, a.end);
        // After the last line that sorts before or equal to it (lines that
        // do not parse stay where they are).
        let at = lines
            .iter()
            .rposition(|(k, _)| k.as_ref().is_some_and(|k| *k <= key))
            .map_or_else(
                || {
                    lines
                        .iter()
                        .position(|(k, _)| k.is_some())
                        .unwrap_or(lines.len())
                },
                |i| i + 1,
            );
        lines.insert(at, (Some(key), a.to_line()));
    }
    let mut out = String::with_capacity(text.len() + 256 * add.len());
    for (_, l) in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests;
