//! Queries over the corpus, as an editor asks them: hover, definition,
//! references, highlights, diagnostics. LSP-agnostic: byte offsets in,
//! [`Location`]s and plain data out; `gazette_lsp` translates.

pub mod code_actions;
pub mod completion;
pub mod corpus_map;
mod diagnostics;
mod hover;
pub mod lens;
pub mod markdown;
pub mod rename;
pub mod review;
pub mod semantic_tokens;
pub mod symbols;
pub mod unknown_name;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

pub use diagnostics::{annotation_diagnostics, diagnostics, DiagCode, Diagnostic, Severity};
pub use hover::{hover, hover_cards_to_warm, stale_hover_cards, warm_hover_card};

use gazette_core::corpus::{Corpus, DocId, ItemRef};
use gazette_core::model::Span;
use std::sync::Arc;

/// A span in some document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub doc: DocId,
    pub span: Span,
}

/// Supplies document text where a query needs more than offsets (context
/// lines in hover cards). Open documents come from the editor's buffer, closed
/// ones from disk; `None` when unavailable (the card then omits context).
pub trait TextSource {
    fn text(&self, corpus: &Corpus, doc: DocId) -> Option<Arc<str>>;
}

/// Whether `text` is the text the corpus analysed as `doc`: the same
/// length, line ends and non-ASCII characters (the line index is a
/// fingerprint of both). An analysis served from a stale index, or a file
/// changed on disk since it was read, fails this; then no span of the
/// analysis may be used to cut the text.
pub fn text_fits(corpus: &Corpus, doc: DocId, text: &str) -> bool {
    corpus.doc(doc).is_some_and(|d| {
        d.analysis.len() == text.len()
            && d.analysis.line_index == gazette_core::text::position::LineIndex::new(text)
    })
}

/// The text of mention `r` in `text` (its document's text now), or `None`
/// when the mention's span does not fit it: out of bounds, off a character
/// boundary, or no longer the mention's text (in an article a mention is
/// whole words; in the knowledge base it is an entry's name or alias). Code
/// that cuts document text with a mention's span goes through here, so a
/// stale analysis means "nothing here", never a panic.
pub fn mention_text<'t>(corpus: &Corpus, r: ItemRef, text: &'t str) -> Option<&'t str> {
    let d = corpus.doc(r.doc)?;
    let span = d.analysis.mentions.get(r.idx as usize)?.span();
    let surface = text.get(span.range())?;
    if let Some(kb) = &d.kb {
        let (_, value, literal) = kb.value_at(span)?;
        let fits = if span == literal {
            // Written with escapes: the span is the whole literal.
            surface
                .parse::<toml_edit::Value>()
                .is_ok_and(|v| v.as_str() == Some(value))
        } else {
            surface == value
        };
        return fits.then_some(surface);
    }
    let before = text[..span.start as usize].chars().next_back();
    let after = text[span.end as usize..].chars().next();
    let whole_words = surface.chars().next().is_some_and(char::is_alphanumeric)
        && !before.is_some_and(char::is_alphanumeric)
        && !after.is_some_and(char::is_alphanumeric);
    whole_words.then_some(surface)
}

/// What is under the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Mention(ItemRef),
    Figure(ItemRef),
}

pub fn target_at(corpus: &Corpus, doc: DocId, offset: usize) -> Option<Target> {
    let a = &corpus.doc(doc)?.analysis;
    if let Some(i) = a.mention_at(offset) {
        return Some(Target::Mention(ItemRef { doc, idx: i as u32 }));
    }
    a.figure_at(offset)
        .map(|i| Target::Figure(ItemRef { doc, idx: i as u32 }))
}

/// Go to definition: the entity's defining mention (its first full-name
/// mention in corpus order); for a figure, the first statement of the same
/// quantity.
pub fn definition(corpus: &Corpus, doc: DocId, offset: usize) -> Option<Location> {
    match target_at(corpus, doc, offset)? {
        Target::Mention(r) => {
            let info = corpus.entity_info(corpus.entity_of(r));
            let d = corpus.definition(&info)?;
            Some(Location {
                doc: d.doc,
                span: corpus.mention(d).span(),
            })
        }
        Target::Figure(r) => {
            let (first, _) = *corpus.same_quantity_summary(r, 1).first.first()?;
            Some(Location {
                doc: first.doc,
                span: corpus.figure(first).span(),
            })
        }
    }
}

/// Find references: every mention of the entity (or every statement of the
/// same quantity), in corpus order. Without `include_declaration` the
/// defining mention is left out.
pub fn references(
    corpus: &Corpus,
    doc: DocId,
    offset: usize,
    include_declaration: bool,
) -> Vec<Location> {
    match target_at(corpus, doc, offset) {
        None => Vec::new(),
        Some(Target::Mention(r)) => {
            // Only the mentions: no kinds, roles or spellings to count.
            let e = corpus.entity_of(r);
            let mentions = corpus.entity_mentions(e);
            let def = if include_declaration {
                None
            } else {
                corpus.definition_among(e, &mentions)
            };
            mentions
                .iter()
                .filter(|&&m| Some(m) != def)
                .map(|&m| Location {
                    doc: m.doc,
                    span: corpus.mention(m).span(),
                })
                .collect()
        }
        Some(Target::Figure(r)) => {
            let all = corpus.same_quantity(r);
            let def = if include_declaration {
                None
            } else {
                all.first().copied()
            };
            all.iter()
                .filter(|&&m| Some(m) != def)
                .map(|&m| Location {
                    doc: m.doc,
                    span: corpus.figure(m).span(),
                })
                .collect()
        }
    }
}

/// [`references`] in two parts, for a client that takes partial results:
/// `each` gets the first `first` locations as soon as they are found (for
/// the mentions of an entity with its declaration, without finding the
/// others first), then the rest in one call. `each` is not called for an
/// empty part.
pub fn references_in_parts(
    corpus: &Corpus,
    doc: DocId,
    offset: usize,
    include_declaration: bool,
    first: usize,
    mut each: impl FnMut(Vec<Location>),
) {
    let mut emit = |part: Vec<Location>| {
        if !part.is_empty() {
            each(part)
        }
    };
    match target_at(corpus, doc, offset) {
        Some(Target::Mention(r)) if include_declaration => {
            let e = corpus.entity_of(r);
            let mut all = corpus
                .entity_mentions_by_doc(e)
                .flatten()
                .map(|m| Location {
                    doc: m.doc,
                    span: corpus.mention(m).span(),
                });
            emit(all.by_ref().take(first).collect());
            emit(all.collect());
        }
        _ => {
            let mut all = references(corpus, doc, offset, include_declaration);
            let rest = all.split_off(first.min(all.len()));
            emit(all);
            emit(rest);
        }
    }
}

/// Document highlights: the entity's (or quantity's) mentions in this document.
pub fn highlights(corpus: &Corpus, doc: DocId, offset: usize) -> Vec<Span> {
    references(corpus, doc, offset, true)
        .into_iter()
        .filter(|l| l.doc == doc)
        .map(|l| l.span)
        .collect()
}

/// A short, single-line context around `span` in `text`: the sentence part
/// of the mention's line, at most about `width` characters, the mention in bold.
pub fn context_line(text: &str, span: Span, width: usize) -> String {
    let (s, e) = (span.start as usize, span.end as usize);
    if e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
        return String::new();
    }
    let line_start = text[..s].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[e..].find(['\n', '\r']).map_or(text.len(), |i| e + i);
    let half = width / 2;
    let mut a = line_start;
    // More than `half` characters before the mention: keep the last `half`
    // (a line may be a whole paragraph; nothing is collected).
    let mut before = text[line_start..s].char_indices().rev();
    if let (Some((cut, _)), Some(_)) = (before.nth(half.saturating_sub(1)), before.next()) {
        // Start at a word boundary after the cut.
        let cut = cut + line_start;
        a = text[cut..s].find(' ').map_or(cut, |i| cut + i + 1);
    }
    let mut b = line_end;
    if let Some((cut, _)) = text[e..line_end].char_indices().nth(half) {
        let cut = cut + e;
        b = text[e..cut].rfind(' ').map_or(cut, |i| e + i);
    }
    // Each part is escaped on its own: one_line would trim the spaces
    // around the mention.
    let part = |t: &str| {
        let (lead, trail) = (
            t.starts_with(char::is_whitespace),
            t.ends_with(char::is_whitespace),
        );
        let esc = markdown::inline(t);
        if esc.is_empty() {
            return if t.is_empty() {
                String::new()
            } else {
                " ".into()
            };
        }
        format!(
            "{}{esc}{}",
            if lead { " " } else { "" },
            if trail { " " } else { "" }
        )
    };
    format!(
        "{}{}**{}**{}{}",
        if a > line_start { "…" } else { "" },
        part(&text[a..s]).trim_start(),
        markdown::inline(&text[s..e]),
        part(&text[e..b]).trim_end(),
        if b < line_end { "…" } else { "" }
    )
}
