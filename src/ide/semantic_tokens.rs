//! Semantic tokens: names by kind and figures, for editors to colour.

use crate::corpus::{Corpus, DocId, ItemRef};
use crate::model::{EntityKind, Span};

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
    let mut infos: std::collections::HashMap<crate::corpus::KeyId, crate::corpus::EntityInfo> =
        std::collections::HashMap::new();
    for (i, m) in a.mentions.iter().enumerate() {
        if range.is_some_and(|r| !r.overlaps(m.span)) {
            continue;
        }
        let r = ItemRef { doc, idx: i as u32 };
        let e = corpus.entity_of(r);
        let info = infos.entry(e).or_insert_with(|| corpus.entity_info(e));
        let mut mods = 0;
        if corpus.definition(info) == Some(r) {
            mods |= 1;
        }
        if crate::corpus::linking::spelling(&m.norm) != info.name
            && info.spellings.len() > 1
            && info.kb_entry.is_none()
        {
            mods |= 2;
        }
        raw.push((m.span, kind_type(info.kind), mods));
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
