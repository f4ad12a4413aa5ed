//! Semantic tokens: names by kind and figures, for editors to colour.

use gazette_core::corpus::{Corpus, DocId, ItemRef};
use gazette_core::model::{EntityKind, Span};

/// The token types of the legend, in index order. Editors theme them by name.
pub const TOKEN_TYPES: &[&str] = &["person", "place", "organization", "figure", "entity"];
/// Token modifiers: bit 0 marks an entity's definition (its knowledge-base
/// entry or defining mention), bit 1 a mention spelled another way than the
/// entity's name.
pub const TOKEN_MODIFIERS: &[&str] = &["definition", "variant"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemToken {
    /// Never spans a line break.
    pub span: Span,
    pub token_type: u32,
    pub modifiers: u32,
}

pub fn kind_type(k: EntityKind) -> u32 {
    match k {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Org => 2,
        EntityKind::Other => 4,
    }
}

/// Tokens of `doc` overlapping `range` (all when `None`), in text order.
pub fn semantic_tokens(corpus: &Corpus, doc: DocId, range: Option<Span>) -> Vec<SemToken> {
    let Some(entry) = corpus.doc(doc) else {
        return Vec::new();
    };
    let a = &entry.analysis;
    let mut raw: Vec<(Span, u32, u32)> = Vec::new();
    // Cheap per-key facts (no entity building: this runs on every scroll).
    let mut per_key: std::collections::HashMap<
        gazette_core::corpus::KeyId,
        (Option<ItemRef>, String),
    > = std::collections::HashMap::new();
    for (i, m) in a.mentions.iter().enumerate() {
        if range.is_some_and(|r| !r.overlaps(m.span())) {
            continue;
        }
        let r = ItemRef { doc, idx: i as u32 };
        let k = corpus.key_of(r);
        let (first, canonical) = per_key.entry(k).or_insert_with(|| {
            let canonical = corpus.kb_name(r).map(str::to_string).unwrap_or_else(|| {
                let sp = corpus.key_spellings(r);
                let best = sp.iter().map(|x| x.1).max().unwrap_or(0);
                let mut top = sp.iter().filter(|x| x.1 == best);
                match (top.next(), top.next()) {
                    (Some(one), None) => one.0.to_string(),
                    _ => String::new(), // a tie: no variant either way
                }
            });
            (corpus.first_mention_of_key(k), canonical)
        });
        let mut mods = 0;
        let is_def = if corpus.is_kb_doc(doc) {
            corpus.is_kb_definition(r)
        } else {
            *first == Some(r) && corpus.entity_of(r) == k && corpus.kb_name(r).is_none()
        };
        if is_def {
            mods |= 1;
        }
        let spelling = gazette_core::linking::spelling(&m.norm);
        if !canonical.is_empty() && spelling != *canonical {
            mods |= 2;
        }
        raw.push((m.span(), kind_type(m.kind), mods));
    }
    for f in &a.figures {
        if range.is_some_and(|r| !r.overlaps(f.span)) {
            continue;
        }
        raw.push((f.span, 3, 0));
    }
    raw.sort_by_key(|t| t.0);
    let li = &a.line_index;
    let mut out = Vec::with_capacity(raw.len());
    for (span, t, m) in raw {
        // Split at line breaks: LSP tokens are single-line.
        let (first, last) = (
            li.line_of(span.start as usize),
            li.line_of(span.end as usize),
        );
        for line in first..=last {
            let lr = li.line_range(line);
            let s = lr.start.max(span.start as usize);
            let e = lr.end.min(span.end as usize);
            if s < e {
                out.push(SemToken {
                    span: Span::new(s, e),
                    token_type: t,
                    modifiers: m,
                });
            }
        }
    }
    out
}
