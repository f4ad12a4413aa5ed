//! One document's analysis: tokenise, recognise names and figures.
//!
//! A pure function of the text and the user's overrides, so that an edited
//! document can be re-analysed alone and the corpus index updated by
//! difference (see [`crate::corpus`]).

use crate::figures::find_figures;
use crate::model::{Figure, NameMention};
use crate::recognize::{Overrides, Proposal, Recognizer};
use crate::text::position::LineIndex;
use crate::text::tokenize::tokenize;

/// The result of analysing one document. Holds no text: positions can be
/// computed from `line_index` alone, so closed documents cost only this.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocAnalysis {
    pub line_index: LineIndex,
    /// Name mentions, sorted by span, non-overlapping.
    pub mentions: Vec<NameMention>,
    /// Figures, sorted by span, non-overlapping.
    pub figures: Vec<Figure>,
    /// Number of tokens (for statistics and throughput numbers).
    pub token_count: usize,
    /// Set when the file was not valid UTF-8 and was decoded with this
    /// fallback encoding (reported as an `encoding-fallback` diagnostic).
    pub encoding_fallback: Option<String>,
}

impl DocAnalysis {
    pub fn len(&self) -> usize {
        self.line_index.len()
    }
    pub fn is_empty(&self) -> bool {
        self.line_index.is_empty()
    }
    /// Index of the mention whose span contains the cursor `offset`.
    pub fn mention_at(&self, offset: usize) -> Option<usize> {
        find_at(&self.mentions, offset, |m| m.span)
    }
    /// Index of the figure whose span contains the cursor `offset`.
    pub fn figure_at(&self, offset: usize) -> Option<usize> {
        find_at(&self.figures, offset, |f| f.span)
    }
}

/// Binary search in a span-sorted list; a cursor right after an item still hits it,
/// but an item starting at the cursor wins over one ending there.
fn find_at<T>(
    items: &[T],
    offset: usize,
    span: impl Fn(&T) -> crate::model::Span,
) -> Option<usize> {
    let i = items.partition_point(|x| (span(x).start as usize) <= offset);
    // items[i-1] starts at or before offset
    if i > 0 && span(&items[i - 1]).contains_cursor(offset) {
        return Some(i - 1);
    }
    None
}

/// Analyses one document.
pub fn analyze(text: &str, overrides: &Overrides) -> DocAnalysis {
    let tok = tokenize(text);
    let proposals = tagger_proposals(text, &tok);
    let mentions = Recognizer::global().recognize(text, &tok, &proposals, overrides);
    let figures = find_figures(text, &tok);
    DocAnalysis {
        line_index: LineIndex::new(text),
        mentions,
        figures,
        token_count: tok.tokens.len(),
        encoding_fallback: None,
    }
}

/// Analyses a file's decoded text, remembering an encoding fallback.
pub fn analyze_decoded(decoded: &crate::workspace::Decoded, overrides: &Overrides) -> DocAnalysis {
    DocAnalysis {
        encoding_fallback: decoded.fallback_encoding.map(String::from),
        ..analyze(&decoded.text, overrides)
    }
}

/// The statistical tagger's spans, as proposals for the recogniser (which
/// filters them and lets its rules and the knowledge base win conflicts).
fn tagger_proposals(text: &str, tok: &crate::text::tokenize::Tokenized) -> Vec<Proposal> {
    crate::tagger::Tagger::global()
        .spans(text, tok)
        .into_iter()
        .map(|(tokens, kind, score)| Proposal { tokens, kind, score })
        .collect()
}
