//! Interchange formats for annotated articles: brat standoff, WebAnno TSV
//! 3.3, UIMA CAS XMI (DKPro Core `NamedEntity`, as INCEpTION writes it),
//! CoNLL-2003 / GermEval BIO and spaCy / Prodigy JSON Lines.
//!
//! Everything here works on [`Doc`]: an article's text and its entity
//! spans in UTF-8 byte offsets. Each format's own offsets are converted in
//! one place, [`Offsets`]: brat and JSON Lines count Unicode code points
//! (Python string indices), XMI and WebAnno TSV count UTF-16 code units
//! (the offsets of a Java string, which the UIMA CAS is); CoNLL has no
//! offsets (tokens are found again in the article's text).
//!
//! Labels are written CoNLL-style (`PER`, `LOC`, `ORG`, `OTH`); reading
//! takes those and `Person`/`Location`/`Organization`/`Other`
//! ([`super::Label::parse`]).

use super::Label;
use crate::model::{EntityKind, Span};
use serde::{Deserialize, Serialize};

/// An interchange format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Brat,
    WebannoTsv,
    Xmi,
    Conll,
    Jsonl,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Brat,
        Format::WebannoTsv,
        Format::Xmi,
        Format::Conll,
        Format::Jsonl,
    ];

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Brat => "brat",
            Format::WebannoTsv => "webanno-tsv",
            Format::Xmi => "xmi",
            Format::Conll => "conll",
            Format::Jsonl => "jsonl",
        }
    }

    /// Whether each article has a file of its own (else one file holds
    /// every article, each naming its path).
    pub fn per_article(self) -> bool {
        matches!(self, Format::Brat | Format::WebannoTsv | Format::Xmi)
    }

    /// The file extension written.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Brat => "ann",
            Format::WebannoTsv => "tsv",
            Format::Xmi => "xmi",
            Format::Conll => "conll",
            Format::Jsonl => "jsonl",
        }
    }
}

/// An entity span of an article.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocSpan {
    /// UTF-8 byte offsets into the article's text.
    pub span: Span,
    pub kind: EntityKind,
    /// The entity it links to, where the format can say.
    pub entity: Option<String>,
}

/// An article with its entity spans (sorted, non-overlapping).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    /// Relative to the corpus root, `/`-separated.
    pub path: String,
    pub text: String,
    pub spans: Vec<DocSpan>,
}

/// Offsets of one text in code points and UTF-16 code units, to and from
/// UTF-8 bytes: the only place the formats' offsets are converted.
pub struct Offsets<'t> {
    text: &'t str,
    /// Byte offset of each character, and the text's length last.
    bytes: Vec<usize>,
    /// UTF-16 offset of each character, and the text's length last.
    utf16: Vec<usize>,
}

impl<'t> Offsets<'t> {
    pub fn new(text: &'t str) -> Offsets<'t> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        let mut utf16 = Vec::with_capacity(text.len() + 1);
        let mut u = 0;
        for (b, c) in text.char_indices() {
            bytes.push(b);
            utf16.push(u);
            u += c.len_utf16();
        }
        bytes.push(text.len());
        utf16.push(u);
        Offsets { text, bytes, utf16 }
    }
    /// The code-point offset of a byte offset (on a character boundary).
    pub fn char_of(&self, byte: usize) -> Option<usize> {
        self.bytes.binary_search(&byte).ok()
    }
    pub fn byte_of_char(&self, c: usize) -> Option<usize> {
        self.bytes.get(c).copied()
    }
    pub fn utf16_of(&self, byte: usize) -> Option<usize> {
        Some(self.utf16[self.char_of(byte)?])
    }
    pub fn byte_of_utf16(&self, u: usize) -> Option<usize> {
        let i = self.utf16.binary_search(&u).ok()?;
        Some(self.bytes[i])
    }
    /// A span from code-point offsets, checked against the text.
    pub fn span_from_chars(&self, s: usize, e: usize) -> Result<Span, String> {
        match (self.byte_of_char(s), self.byte_of_char(e)) {
            (Some(a), Some(b)) if a < b => Ok(Span::new(a, b)),
            _ => Err(format!(
                "span {s}..{e} is not inside the text ({} characters)",
                self.bytes.len() - 1
            )),
        }
    }
    /// A span from UTF-16 offsets, checked against the text.
    pub fn span_from_utf16(&self, s: usize, e: usize) -> Result<Span, String> {
        match (self.byte_of_utf16(s), self.byte_of_utf16(e)) {
            (Some(a), Some(b)) if a < b => Ok(Span::new(a, b)),
            _ => Err(format!(
                "span {s}..{e} (UTF-16) is not inside the text or splits a character"
            )),
        }
    }
    pub fn text(&self) -> &'t str {
        self.text
    }
}

/// The CoNLL label of a kind.
fn tag(kind: EntityKind) -> &'static str {
    kind.conll()
}

fn kind_of(label: &str) -> Result<EntityKind, String> {
    Label::parse(label)
        .and_then(Label::kind)
        .ok_or_else(|| format!("unknown entity label {label:?}"))
}

/// Sorts spans and checks that they do not overlap.
fn finish(mut spans: Vec<DocSpan>) -> Result<Vec<DocSpan>, String> {
    spans.sort();
    spans.dedup();
    if let Some(w) = spans.windows(2).find(|w| w[0].span.overlaps(w[1].span)) {
        return Err(format!(
            "overlapping spans at bytes {}..{} and {}..{}",
            w[0].span.start, w[0].span.end, w[1].span.start, w[1].span.end
        ));
    }
    Ok(spans)
}

// ---- brat standoff --------------------------------------------------------

/// A brat `.ann` file: a text-bound annotation (`T`) per span, split into
/// fragments at line breaks (brat's spans may not hold one), and the
/// entity, if any, as an `AnnotatorNotes` comment (`#`).
pub fn render_brat(doc: &Doc) -> String {
    let off = Offsets::new(&doc.text);
    let mut out = String::new();
    for (i, s) in doc.spans.iter().enumerate() {
        let n = i + 1;
        let mut frags = Vec::new();
        let mut at = s.span.start as usize;
        let piece = &doc.text[s.span.range()];
        for line in piece.split('\n') {
            let (a, b) = (at, at + line.len());
            if a < b {
                frags.push((a, b));
            }
            at = b + 1;
        }
        let offs: Vec<String> = frags
            .iter()
            .map(|&(a, b)| {
                format!(
                    "{} {}",
                    off.char_of(a).unwrap_or(0),
                    off.char_of(b).unwrap_or(0)
                )
            })
            .collect();
        let shown: Vec<&str> = frags.iter().map(|&(a, b)| &doc.text[a..b]).collect();
        out.push_str(&format!(
            "T{n}\t{} {}\t{}\n",
            tag(s.kind),
            offs.join(";"),
            shown.join(" ")
        ));
        if let Some(e) = &s.entity {
            out.push_str(&format!(
                "#{n}\tAnnotatorNotes T{n}\t{}\n",
                e.replace(['\t', '\n', '\r'], " ")
            ));
        }
    }
    out
}

/// Reads a brat `.ann` file against its article's text: `T` lines become
/// spans (from their first fragment's start to their last fragment's
/// end), `AnnotatorNotes` their entity; other annotations are ignored.
pub fn parse_brat(text: &str, ann: &str) -> Result<Vec<DocSpan>, String> {
    let off = Offsets::new(text);
    let mut spans: Vec<(String, DocSpan)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let err = |m: String| format!("line {}: {m}", n + 1);
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or("");
        if id.starts_with('T') {
            let mid = cols
                .next()
                .ok_or_else(|| err("no type and offsets".into()))?;
            let (label, offsets) = mid
                .split_once(' ')
                .ok_or_else(|| err("no offsets".into()))?;
            let kind = kind_of(label).map_err(err)?;
            let mut lo = usize::MAX;
            let mut hi = 0;
            for frag in offsets.split(';') {
                let mut it = frag.split_whitespace().map(str::parse::<usize>);
                match (it.next(), it.next(), it.next()) {
                    (Some(Ok(a)), Some(Ok(b)), None) => {
                        lo = lo.min(a);
                        hi = hi.max(b);
                    }
                    _ => return Err(err(format!("bad offsets {frag:?}"))),
                }
            }
            let span = off.span_from_chars(lo, hi).map_err(err)?;
            spans.push((
                id.to_string(),
                DocSpan {
                    span,
                    kind,
                    entity: None,
                },
            ));
        } else if id.starts_with('#') {
            let mid = cols.next().unwrap_or("");
            if let Some(target) = mid.strip_prefix("AnnotatorNotes ") {
                let note = cols.next().unwrap_or("").trim();
                if !note.is_empty() {
                    notes.push((target.trim().to_string(), note.to_string()));
                }
            }
        }
    }
    for (target, note) in notes {
        if let Some((_, s)) = spans.iter_mut().find(|(id, _)| *id == target) {
            s.entity = Some(note);
        }
    }
    finish(spans.into_iter().map(|(_, s)| s).collect())
}

// ---- spaCy / Prodigy JSON Lines --------------------------------------------

#[derive(Serialize, Deserialize)]
struct JsonDoc {
    text: String,
    spans: Vec<JsonSpan>,
    #[serde(default)]
    meta: JsonMeta,
}

#[derive(Serialize, Deserialize, Default)]
struct JsonMeta {
    #[serde(default)]
    path: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct JsonSpan {
    start: usize,
    end: usize,
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kb_id: Option<String>,
}

/// One line per article: `{"text", "spans": [{"start", "end", "label",
/// "kb_id"?}], "meta": {"path"}}`, offsets in code points (what spaCy's
/// `Doc.char_span` and Prodigy take).
pub fn render_jsonl(docs: &[Doc]) -> String {
    let mut out = String::new();
    for d in docs {
        let off = Offsets::new(&d.text);
        let j = JsonDoc {
            text: d.text.clone(),
            spans: d
                .spans
                .iter()
                .map(|s| JsonSpan {
                    start: off.char_of(s.span.start as usize).unwrap_or(0),
                    end: off.char_of(s.span.end as usize).unwrap_or(0),
                    label: tag(s.kind).to_string(),
                    kb_id: s.entity.clone(),
                })
                .collect(),
            meta: JsonMeta {
                path: Some(d.path.clone()),
            },
        };
        out.push_str(&serde_json::to_string(&j).expect("serialises"));
        out.push('\n');
    }
    out
}

pub fn parse_jsonl(s: &str) -> Result<Vec<Doc>, String> {
    let mut out = Vec::new();
    for (n, line) in s.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |m: String| format!("line {}: {m}", n + 1);
        let j: JsonDoc = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        let path = j
            .meta
            .path
            .ok_or_else(|| err("no \"meta\": {\"path\": …} naming the article".into()))?;
        let off = Offsets::new(&j.text);
        let spans = j
            .spans
            .iter()
            .map(|s| {
                Ok(DocSpan {
                    span: off.span_from_chars(s.start, s.end)?,
                    kind: kind_of(&s.label)?,
                    entity: s.kb_id.clone().filter(|k| !k.is_empty()),
                })
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(err)?;
        let spans = finish(spans).map_err(err)?;
        out.push(Doc {
            path,
            text: j.text,
            spans,
        });
    }
    Ok(out)
}

// ---- CoNLL-2003 / GermEval BIO -------------------------------------------

/// Token-level BIO in GermEval's columns (`n`, token, outer label, inner
/// label `O`), a sentence per block, each article after a
/// `# path = …` comment. Spans that start or end inside a token are
/// written on the whole tokens (the format has nothing smaller).
pub fn render_conll(docs: &[Doc]) -> String {
    let mut out = String::new();
    for d in docs {
        out.push_str(&format!("# path = {}\n", d.path.replace('\n', " ")));
        let tok = crate::text::tokenize::tokenize(&d.text);
        // A span across a sentence end goes on with `I-` after the break.
        let mut prev: Option<usize> = None;
        for sent in &tok.sentences {
            let mut n = 0;
            for t in &tok.tokens[sent.clone()] {
                n += 1;
                let hit = d.spans.iter().position(|s| s.span.overlaps(t.span));
                let label = match hit {
                    Some(i) if prev == Some(i) => format!("I-{}", tag(d.spans[i].kind)),
                    Some(i) => format!("B-{}", tag(d.spans[i].kind)),
                    None => "O".into(),
                };
                prev = hit;
                out.push_str(&format!("{n}\t{}\t{label}\tO\n", t.text(&d.text)));
            }
            if n > 0 {
                out.push('\n');
            }
        }
    }
    out
}

/// A CoNLL file read: per article path, its tokens and labels.
pub type ConllDocs = Vec<(String, Vec<(String, String)>)>;

/// Reads GermEval TSV (`n`, token, label, …) or CoNLL-2003 (token, …,
/// label) lines; each article's tokens follow a `# path = …` line.
pub fn parse_conll(s: &str) -> Result<ConllDocs, String> {
    let mut out: ConllDocs = Vec::new();
    for (n, line) in s.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if let Some(p) = line.strip_prefix("# path = ") {
            out.push((p.to_string(), Vec::new()));
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("-DOCSTART-") {
            continue;
        }
        let cols: Vec<&str> = if line.contains('\t') {
            line.split('\t').collect()
        } else {
            line.split_whitespace().collect()
        };
        let (token, label) = match cols.as_slice() {
            [num, token, label, ..] if num.chars().all(|c| c.is_ascii_digit()) => (*token, *label),
            [token, .., label] => (*token, *label),
            _ => return Err(format!("line {}: no token and label", n + 1)),
        };
        let Some(doc) = out.last_mut() else {
            return Err(format!(
                "line {}: a token before any `# path = …` line",
                n + 1
            ));
        };
        doc.1.push((token.to_string(), label.to_string()));
    }
    Ok(out)
}

/// Finds `tokens` in order in `text` and reads their BIO labels as spans.
pub fn align_conll(text: &str, tokens: &[(String, String)]) -> Result<Vec<DocSpan>, String> {
    let mut at = 0usize;
    let mut spans: Vec<DocSpan> = Vec::new();
    let mut open: Option<DocSpan> = None;
    for (i, (tok, label)) in tokens.iter().enumerate() {
        // An empty column (`1\t\tB-PER`) is no token: found anywhere, it
        // made an empty span, imported as an annotation the store refuses.
        if tok.is_empty() {
            return Err(format!("token {} is empty", i + 1));
        }
        let pos = text[at..]
            .find(tok.as_str())
            .map(|p| at + p)
            .ok_or_else(|| format!("token {} {tok:?} is not in the article", i + 1))?;
        at = pos + tok.len();
        let span = Span::new(pos, at);
        let (bio, ty) = match label.split_once('-') {
            Some((b, t)) if b == "B" || b == "I" => (b, Some(t)),
            _ if label == "O" => ("O", None),
            _ => return Err(format!("token {}: label {label:?} is not BIO", i + 1)),
        };
        match (bio, ty) {
            ("I", Some(t))
                if open
                    .as_ref()
                    .is_some_and(|o| Some(o.kind) == kind_of(t).ok()) =>
            {
                if let Some(o) = &mut open {
                    o.span.end = span.end;
                }
            }
            (_, Some(t)) => {
                spans.extend(open.take());
                open = Some(DocSpan {
                    span,
                    kind: kind_of(t)?,
                    entity: None,
                });
            }
            _ => spans.extend(open.take()),
        }
    }
    spans.extend(open);
    finish(spans)
}

// ---- WebAnno TSV 3.3 --------------------------------------------------------

const NE_TYPE: &str = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity";

fn tsv_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '[' | ']' | '|' | '_' | ';' | '*' => {
                out.push('\\');
                out.push(c);
            }
            '-' => out.push('-'),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.replace("->", "\\->")
}

fn tsv_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// The first of stacked values (`A|B`), up to an unescaped `|`.
fn first_stacked(s: &str) -> &str {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '|' if !escaped => return &s[..i],
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    s
}

/// Strips a `[n]` span id that is not escaped; returns the value and id.
fn tsv_split_id(s: &str) -> (&str, Option<&str>) {
    if let Some(open) = s.rfind('[') {
        if s.ends_with(']') && !s[..open].ends_with('\\') {
            return (&s[..open], Some(&s[open + 1..s.len() - 1]));
        }
    }
    (s, None)
}

/// One article in WebAnno TSV 3.3 with the DKPro `NamedEntity` layer
/// (features `identifier`, `value`): a `#Text=` block per sentence, a line
/// per token, sub-token lines (`1-3.1`) where a span starts or ends inside
/// a token; offsets in UTF-16 code units.
pub fn render_webanno(doc: &Doc) -> String {
    let off = Offsets::new(&doc.text);
    let text = &doc.text;
    let mut out = format!("#FORMAT=WebAnno TSV 3.3\n#T_SP={NE_TYPE}|identifier|value\n\n");
    let tok = crate::text::tokenize::tokenize(text);
    // Spans on more than one line get an id.
    let mut lines_of = vec![0usize; doc.spans.len()];
    let mut rows: Vec<(String, usize, usize, Option<usize>)> = Vec::new(); // id, a, b, span
    let mut blocks: Vec<(std::ops::Range<usize>, usize)> = Vec::new(); // sentence bytes, rows start
    for (si, sent) in tok.sentences.iter().enumerate() {
        let toks = &tok.tokens[sent.clone()];
        if toks.is_empty() {
            continue;
        }
        blocks.push((
            toks[0].span.start as usize..toks[toks.len() - 1].span.end as usize,
            rows.len(),
        ));
        for (ti, t) in toks.iter().enumerate() {
            let id = format!("{}-{}", si + 1, ti + 1);
            let overlapping: Vec<usize> = (0..doc.spans.len())
                .filter(|&i| doc.spans[i].span.overlaps(t.span))
                .collect();
            let whole = overlapping.len() == 1
                && doc.spans[overlapping[0]].span.start <= t.span.start
                && doc.spans[overlapping[0]].span.end >= t.span.end;
            if whole || overlapping.is_empty() {
                let s = overlapping.first().copied();
                if let Some(s) = s {
                    lines_of[s] += 1;
                }
                rows.push((id, t.span.start as usize, t.span.end as usize, s));
                continue;
            }
            rows.push((id.clone(), t.span.start as usize, t.span.end as usize, None));
            for (k, &i) in overlapping.iter().enumerate() {
                let a = doc.spans[i].span.start.max(t.span.start) as usize;
                let b = doc.spans[i].span.end.min(t.span.end) as usize;
                lines_of[i] += 1;
                rows.push((format!("{id}.{}", k + 1), a, b, Some(i)));
            }
        }
    }
    let mut ids = vec![0usize; doc.spans.len()];
    let mut next = 1;
    for (i, n) in lines_of.iter().enumerate() {
        if *n > 1 {
            ids[i] = next;
            next += 1;
        }
    }
    for (bi, (sent, first)) in blocks.iter().enumerate() {
        out.push('\n');
        for l in text[sent.clone()].split('\n') {
            out.push_str("#Text=");
            out.push_str(
                &l.replace('\\', "\\\\")
                    .replace('\r', "\\r")
                    .replace('\t', "\\t"),
            );
            out.push('\n');
        }
        let end = blocks.get(bi + 1).map_or(rows.len(), |b| b.1);
        for (id, a, b, s) in &rows[*first..end] {
            let (ident, value) = match s {
                None => ("_".to_string(), "_".to_string()),
                Some(i) => {
                    let suffix = if ids[*i] > 0 {
                        format!("[{}]", ids[*i])
                    } else {
                        String::new()
                    };
                    let ident = match &doc.spans[*i].entity {
                        Some(e) if !e.is_empty() => tsv_escape(e),
                        _ => "*".into(),
                    };
                    (
                        format!("{ident}{suffix}"),
                        format!("{}{suffix}", tag(doc.spans[*i].kind)),
                    )
                }
            };
            out.push_str(&format!(
                "{id}\t{}-{}\t{}\t{ident}\t{value}\t\n",
                off.utf16_of(*a).unwrap_or(0),
                off.utf16_of(*b).unwrap_or(0),
                tsv_escape(&text[*a..*b]),
            ));
        }
    }
    out
}

/// Reads the `NamedEntity` layer of a WebAnno TSV 3.x file against the
/// article's text (token offsets, UTF-16).
pub fn parse_webanno(text: &str, tsv: &str) -> Result<Vec<DocSpan>, String> {
    let off = Offsets::new(text);
    let mut columns: Vec<String> = Vec::new(); // feature names, in order, of all span layers
    let mut ne_at: Option<usize> = None; // index of NE identifier column
    let mut by_id: std::collections::BTreeMap<String, DocSpan> = Default::default();
    let mut single: Vec<DocSpan> = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        let err = |m: String| format!("line {}: {m}", n + 1);
        if let Some(layer) = line.strip_prefix("#T_SP=") {
            let mut parts = layer.split('|');
            let name = parts.next().unwrap_or("");
            if name == NE_TYPE {
                ne_at = Some(columns.len());
            }
            let feats: Vec<String> = parts.map(String::from).collect();
            if name == NE_TYPE && feats != ["identifier", "value"] {
                return Err(err(format!(
                    "the NamedEntity layer's features are {feats:?}, not [identifier, value]"
                )));
            }
            columns.extend(feats);
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some(ne) = ne_at else {
            return Err(err(
                "no NamedEntity layer (#T_SP=…NamedEntity|identifier|value)".into(),
            ));
        };
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 + columns.len() {
            return Err(err(format!(
                "{} columns, expected {}",
                cols.len(),
                3 + columns.len()
            )));
        }
        let (a, b) = cols[1]
            .split_once('-')
            .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
            .ok_or_else(|| err(format!("bad offsets {:?}", cols[1])))?;
        let span = off.span_from_utf16(a, b).map_err(err)?;
        let (ident, value) = (cols[3 + ne], cols[4 + ne]);
        if value == "_" {
            continue;
        }
        // Stacked annotations on one token (`A|B`): the first.
        let ident = first_stacked(ident);
        let value = first_stacked(value);
        let (value, id) = tsv_split_id(value);
        let (ident, _) = tsv_split_id(ident);
        let kind = kind_of(&tsv_unescape(value)).map_err(err)?;
        let entity = match ident {
            "_" | "*" | "" => None,
            e => Some(tsv_unescape(e)),
        };
        let ds = DocSpan { span, kind, entity };
        match id {
            Some(id) => {
                let e = by_id.entry(id.to_string()).or_insert(ds.clone());
                e.span.start = e.span.start.min(span.start);
                e.span.end = e.span.end.max(span.end);
            }
            None => single.push(ds),
        }
    }
    single.extend(by_id.into_values());
    finish(single)
}

// ---- UIMA CAS XMI -----------------------------------------------------------

const NE_NS: &str = "http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore";

/// The type system an XMI export needs for loading (UIMA's `TypeSystem.xml`):
/// the DKPro Core `NamedEntity` type with its `value` and `identifier`.
pub const TYPESYSTEM_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<typeSystemDescription xmlns="http://uima.apache.org/resourceSpecifier">
  <types>
    <typeDescription>
      <name>de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity</name>
      <description/>
      <supertypeName>uima.tcas.Annotation</supertypeName>
      <features>
        <featureDescription>
          <name>value</name>
          <description/>
          <rangeTypeName>uima.cas.String</rangeTypeName>
        </featureDescription>
        <featureDescription>
          <name>identifier</name>
          <description/>
          <rangeTypeName>uima.cas.String</rangeTypeName>
        </featureDescription>
      </features>
    </typeDescription>
  </types>
</typeSystemDescription>
"#;

fn xml_attr(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                return Err(format!("U+{:04X} cannot be written in XML 1.0", c as u32))
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// One article as a UIMA CAS in XMI: the text as the sofa, a DKPro Core
/// `NamedEntity` per span (`value` the label, `identifier` the entity),
/// offsets in UTF-16 code units. Load it with [`TYPESYSTEM_XML`].
pub fn render_xmi(doc: &Doc) -> Result<String, String> {
    let off = Offsets::new(&doc.text);
    let len = off.utf16_of(doc.text.len()).unwrap_or(0);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\" \
         xmlns:cas=\"http:///uima/cas.ecore\" xmlns:tcas=\"http:///uima/tcas.ecore\" \
         xmlns:type=\"http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore\" xmi:version=\"2.0\">\n\
         <cas:NULL xmi:id=\"0\"/>\n",
    );
    out.push_str(&format!(
        "<tcas:DocumentAnnotation xmi:id=\"2\" sofa=\"1\" begin=\"0\" end=\"{len}\" language=\"de\"/>\n"
    ));
    let mut members = vec!["2".to_string()];
    for (i, s) in doc.spans.iter().enumerate() {
        let id = 10 + i;
        members.push(id.to_string());
        let ident = match &s.entity {
            Some(e) => format!(" identifier=\"{}\"", xml_attr(e)?),
            None => String::new(),
        };
        out.push_str(&format!(
            "<type:NamedEntity xmi:id=\"{id}\" sofa=\"1\" begin=\"{}\" end=\"{}\" value=\"{}\"{ident}/>\n",
            off.utf16_of(s.span.start as usize).unwrap_or(0),
            off.utf16_of(s.span.end as usize).unwrap_or(0),
            tag(s.kind)
        ));
    }
    out.push_str(&format!(
        "<cas:Sofa xmi:id=\"1\" sofaNum=\"1\" sofaID=\"_InitialView\" mimeType=\"text/plain\" sofaString=\"{}\"/>\n",
        xml_attr(&doc.text)?
    ));
    out.push_str(&format!(
        "<cas:View sofa=\"1\" members=\"{}\"/>\n</xmi:XMI>\n",
        members.join(" ")
    ));
    Ok(out)
}

/// Reads a CAS XMI: the initial view's text and its DKPro Core
/// `NamedEntity` annotations (other types are ignored).
pub fn parse_xmi(xmi: &str) -> Result<(String, Vec<DocSpan>), String> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(xmi, opts).map_err(|e| e.to_string())?;
    let sofa = doc
        .descendants()
        .find(|n| {
            n.tag_name().name() == "Sofa"
                && n.attribute("sofaID").is_none_or(|id| id == "_InitialView")
        })
        .ok_or("no cas:Sofa (document text)")?;
    let text = sofa.attribute("sofaString").unwrap_or("").to_string();
    let off = Offsets::new(&text);
    let mut spans = Vec::new();
    for n in doc
        .descendants()
        .filter(|n| n.tag_name().name() == "NamedEntity" && n.tag_name().namespace() == Some(NE_NS))
    {
        let num = |a: &str| -> Result<usize, String> {
            n.attribute(a)
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("NamedEntity without a numeric `{a}`"))
        };
        let span = off.span_from_utf16(num("begin")?, num("end")?)?;
        let value = n.attribute("value").unwrap_or("");
        spans.push(DocSpan {
            span,
            kind: kind_of(value)?,
            entity: n
                .attribute("identifier")
                .filter(|e| !e.is_empty())
                .map(String::from),
        });
    }
    Ok((text, finish(spans)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "Maria",
        "Müller",
        "traf",
        "in",
        "Berlin",
        "die",
        "NATO",
        "und",
        "Ängste",
        "😀",
        "Straße",
        "Jens",
        "Stoltenberg",
        "[x]",
        "a_b",
        "\\",
        "*",
        "|",
        "->",
    ];

    fn doc(words: &[(usize, Option<(u8, bool)>)], seps: &[u8]) -> Doc {
        let mut text = String::new();
        let mut spans: Vec<DocSpan> = Vec::new();
        let kinds = [
            EntityKind::Person,
            EntityKind::Place,
            EntityKind::Org,
            EntityKind::Other,
        ];
        let mut prev_open = false;
        for (i, (w, lab)) in words.iter().enumerate() {
            if i > 0 {
                text.push_str(match seps[i % seps.len()] % 4 {
                    0 => " ",
                    1 => ". ",
                    2 => "\n",
                    _ => " , ",
                });
            }
            let a = text.len();
            text.push_str(WORDS[*w % WORDS.len()]);
            let b = text.len();
            match lab {
                Some((_, cont)) if *cont && prev_open => {
                    spans.last_mut().unwrap().span.end = b as u32;
                }
                Some((k, _)) => spans.push(DocSpan {
                    span: Span::new(a, b),
                    kind: kinds[*k as usize % 4],
                    entity: (k % 3 == 0).then(|| format!("E {k} [x]_|;")),
                }),
                None => {}
            }
            prev_open = lab.is_some();
        }
        Doc {
            path: "sub/a.txt".into(),
            text,
            spans,
        }
    }

    /// Drops what a format cannot hold.
    fn without_entities(d: &Doc) -> Vec<DocSpan> {
        d.spans
            .iter()
            .map(|s| DocSpan {
                entity: None,
                ..s.clone()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn every_format_reads_back_what_it_wrote(
            words in prop::collection::vec((0usize..40, prop::option::of((0u8..8, any::<bool>()))), 1..30),
            seps in prop::collection::vec(any::<u8>(), 1..5),
        ) {
            let d = doc(&words, &seps);
            prop_assert_eq!(parse_brat(&d.text, &render_brat(&d)).unwrap(), d.spans.clone());
            let j = parse_jsonl(&render_jsonl(std::slice::from_ref(&d))).unwrap();
            prop_assert_eq!(&j, &vec![d.clone()]);
            let (t, s) = parse_xmi(&render_xmi(&d).unwrap()).unwrap();
            prop_assert_eq!(&t, &d.text);
            prop_assert_eq!(&s, &d.spans);
            prop_assert_eq!(parse_webanno(&d.text, &render_webanno(&d)).unwrap(), d.spans.clone());
            let c = parse_conll(&render_conll(std::slice::from_ref(&d))).unwrap();
            prop_assert_eq!(c.len(), 1);
            prop_assert_eq!(&c[0].0, &d.path);
            // Spans end on token boundaries here, but two spans may meet
            // inside one token run only at a separator, so CoNLL holds them.
            prop_assert_eq!(align_conll(&d.text, &c[0].1).unwrap(), without_entities(&d));
        }
    }

    #[test]
    fn offsets_are_converted_per_format() {
        let d = Doc {
            path: "a.txt".into(),
            text: "😀 Ängste in Berlin".into(),
            spans: vec![DocSpan {
                span: Span::new("😀 Ängste in ".len(), "😀 Ängste in Berlin".len()),
                kind: EntityKind::Place,
                entity: None,
            }],
        };
        // Code points: 😀 is one; UTF-16: two.
        assert!(
            render_brat(&d).starts_with("T1\tLOC 12 18\tBerlin\n"),
            "{}",
            render_brat(&d)
        );
        assert!(render_jsonl(std::slice::from_ref(&d)).contains("\"start\":12,\"end\":18"));
        assert!(render_xmi(&d).unwrap().contains("begin=\"13\" end=\"19\""));
        assert!(
            render_webanno(&d).contains("\t13-19\tBerlin\t*\tLOC\t"),
            "{}",
            render_webanno(&d)
        );
    }

    #[test]
    fn foreign_labels_and_bad_input_are_read_or_refused() {
        let text = "Maria traf Jens.";
        let s = parse_brat(
            text,
            "T1\tPerson 0 5\tMaria\nT2\tOrganization 11 15\tJens\nR1\tRel Arg1:T1 Arg2:T2\n",
        )
        .unwrap();
        assert_eq!(s[0].kind, EntityKind::Person);
        assert_eq!(s[1].kind, EntityKind::Org);
        assert!(parse_brat(text, "T1\tPER 0 99\tx\n")
            .unwrap_err()
            .contains("line 1"));
        assert!(parse_brat(text, "T1\tDate 0 5\tMaria\n")
            .unwrap_err()
            .contains("Date"));
        assert!(parse_brat(text, "T1\tPER 0 5\tMaria\nT2\tLOC 2 7\tx\n")
            .unwrap_err()
            .contains("overlapping"));
        assert!(parse_jsonl("{\"text\":\"x\",\"spans\":[]}")
            .unwrap_err()
            .contains("path"));
        assert!(parse_xmi("<x").is_err());
        assert!(
            parse_xmi("<!DOCTYPE x [<!ENTITY a \"b\">]><x/>").is_err(),
            "no DTDs"
        );
        // CoNLL-2003 columns with -DOCSTART-.
        let c = parse_conll("# path = a.txt\n-DOCSTART- -X- -X- O\nMaria NNP B-NP B-PER\ntraf VVFIN B-VP O\nJens NE B-NP B-LOC\n").unwrap();
        let spans = align_conll(text, &c[0].1).unwrap();
        assert_eq!(
            spans.iter().map(|s| s.kind).collect::<Vec<_>>(),
            [EntityKind::Person, EntityKind::Place]
        );
        assert!(render_xmi(&Doc {
            path: "a".into(),
            text: "a\u{1}".into(),
            spans: vec![]
        })
        .is_err());
    }

    #[test]
    fn an_empty_conll_token_is_an_error_not_an_empty_span() {
        let c = parse_conll("# path = a.txt\n1\t\tB-PER\n2\tMaria\tO\n").unwrap();
        assert_eq!(c[0].1[0].0, "");
        let err = align_conll("Maria traf Jens.", &c[0].1).unwrap_err();
        assert!(err.contains("token 1 is empty"), "{err}");
    }
}
