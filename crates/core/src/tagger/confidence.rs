//! How sure the machine is of each mention it found, one byte per mention
//! (0 = a guess, 255 = certain): the review queue's order
//! ([`crate::review`]). See that module for what goes into it.

use super::Label;
use crate::model::{NameMention, Source, Span};
use crate::text::tokenize::Tokenized;

/// The log-odds a source adds to the tagger's: what the user's knowledge
/// base names is as good as certain, a gazetteer entry likely, a mention
/// only a rule found uncertain.
fn source_bias(source: Source) -> f32 {
    match source {
        Source::Annotation => 20.0,
        Source::KnowledgeBase => 4.0,
        // The user named this surface so elsewhere.
        Source::Learned => 2.0,
        Source::Gazetteer => 1.0,
        Source::Rule => -1.0,
        // Nothing but the tagger vouches for it.
        Source::Tagger => -2.5,
    }
}

/// Margins in the model's units per unit of log-odds. The biases and this
/// were chosen on `tests/unseen` (`scripts/review_queue_eval.py`); a broad
/// range around them orders that set equally well.
const TEMPERATURE: f32 = 80.0;
/// The tagger's log-odds for a mention its tokens cannot hold (a name
/// inside a compound: "NATO" in "NATO-Truppen").
const UNALIGNED: f32 = -1.0;

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// The token range of `tok` that spans exactly `span`, if any.
fn token_range(tok: &Tokenized, span: Span) -> Option<std::ops::Range<usize>> {
    let a = tok.tokens.partition_point(|t| t.span.start < span.start);
    let b = tok.tokens.partition_point(|t| t.span.end <= span.end);
    (a < b && tok.tokens[a].span.start == span.start && tok.tokens[b - 1].span.end == span.end)
        .then_some(a..b)
}

/// One byte per mention (parallel to `mentions`): how sure the machine is
/// of it. The tagger's margin for the mention's exact span and kind
/// ([`crate::tagger::Tagger::label_margins`]: positive when its best path
/// agrees, negative when it does not), as log-odds, plus what the source
/// vouches ([`source_bias`]).
pub fn confidence(
    tagger: &crate::tagger::Tagger,
    text: &str,
    tok: &Tokenized,
    mentions: &[NameMention],
) -> Vec<u8> {
    let ranges: Vec<Option<std::ops::Range<usize>>> = mentions
        .iter()
        .map(|m| token_range(tok, m.span()))
        .collect();
    let queries: Vec<(std::ops::Range<usize>, usize)> = ranges
        .iter()
        .zip(mentions)
        .filter_map(|(r, m)| Some((r.clone()?, Label::class_of(m.kind))))
        .collect();
    let mut margins = tagger.label_margins(text, tok, &queries).into_iter();
    ranges
        .iter()
        .zip(mentions)
        .map(|(r, m)| {
            let margin = if r.is_some() {
                margins.next().flatten()
            } else {
                None
            };
            let z = margin.map_or(UNALIGNED, |x| x / TEMPERATURE) + source_bias(m.source);
            quantise(sigmoid(z))
        })
        .collect()
}

fn quantise(c: f32) -> u8 {
    (c.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// The confidences of `after` (the mentions once the annotations are
/// applied) from those of `machine` (before): a machine mention kept as it
/// was keeps its confidence; an annotated one is certain.
pub fn carry_confidence(machine: &[NameMention], conf: &[u8], after: &[NameMention]) -> Vec<u8> {
    if conf.len() != machine.len() {
        return Vec::new();
    }
    after
        .iter()
        .map(|m| {
            if m.source == Source::Annotation {
                return 255;
            }
            machine
                .binary_search_by_key(&m.span(), NameMention::span)
                .ok()
                .map_or(255, |i| conf[i])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{sym, EntityKind};

    fn m(s: u32, e: u32, kind: EntityKind, source: Source) -> NameMention {
        NameMention::new(Span { start: s, end: e }, kind, sym("x"), source).unwrap()
    }

    #[test]
    fn annotated_mentions_become_certain_and_others_keep_theirs() {
        let per = EntityKind::Person;
        let machine = [m(0, 3, per, Source::Tagger), m(5, 8, per, Source::Rule)];
        let after = [m(0, 3, per, Source::Annotation), m(5, 8, per, Source::Rule)];
        assert_eq!(carry_confidence(&machine, &[10, 20], &after), [255, 20]);
        // Unknown confidences stay unknown.
        assert!(carry_confidence(&machine, &[], &after).is_empty());
    }
}
