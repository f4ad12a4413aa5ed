//! How sure the machine is of each mention it found, one byte per mention
//! (0 = a guess, 255 = certain): the review queue's order
//! ([`crate::review`]). See that module for what goes into it.

use super::Label;
use crate::model::{NameMention, Source, Span};
use crate::text::tokenize::Tokenized;

/// The log-odds a source adds to the tagger's: what the user's knowledge
/// base names is as good as certain, a name the user taught likely, a
/// gazetteer entry or a rule's find about as likely as not, a mention only
/// the tagger found uncertain.
fn source_bias(source: Source) -> f32 {
    match source {
        Source::Annotation => 20.0,
        Source::KnowledgeBase => 4.0,
        // The user named this surface so elsewhere.
        Source::Learned => 2.0,
        Source::Gazetteer | Source::Rule => 0.5,
        // Nothing but the tagger vouches for it.
        Source::Tagger => -2.0,
    }
}

/// Margins in the model's units per unit of log-odds. This, the biases
/// and the boundary doubts below were chosen on the two development sets
/// together (`scripts/review_queue_eval.py tests/unseen
/// tests/unseen-sealed`, docs/annotation.md).
const TEMPERATURE: f32 = 80.0;
/// The log-odds a capitalised word right after the mention takes off
/// ("[BMW] X1", "[VW] Polo"): the name may go on.
const CAPITAL_AFTER: f32 = 1.5;
/// The log-odds a capitalised word right before it takes off, unless that
/// word opens a sentence or a line ("Fanuc [Deutschland]", "Firma [GFB]
/// Gesellschaft …"): the name may start earlier, or the word is a head
/// noun the name belongs to.
const CAPITAL_BEFORE: f32 = 1.0;
/// The tagger's log-odds for a mention its tokens cannot hold (a name
/// inside a compound: "NATO" in "NATO-Truppen").
const UNALIGNED: f32 = -1.0;

/// Spaces (no line break) and then a capital letter or a digit after byte
/// `end`.
fn capital_after(text: &str, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    let rest = after.trim_start_matches([' ', '\u{a0}']);
    rest.len() < after.len()
        && rest
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// A capitalised word and spaces (no line break) before byte `start`, the
/// word itself after a space that follows no sentence's or line's end.
fn capital_before(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let trimmed = before.trim_end_matches([' ', '\u{a0}']);
    if trimmed.len() == before.len() {
        return false;
    }
    let word = trimmed
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '_')
        .last()
        .map_or(trimmed.len(), |(i, _)| i);
    if !trimmed[word..]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
    {
        return false;
    }
    let rest = &trimmed[..word];
    // The word opens the text, or follows a line break or a bracket: no
    // doubt; after a space, unless a sentence ends before it.
    rest.strip_suffix(' ')
        .is_some_and(|r| !r.is_empty() && !r.ends_with(['.', '!', '?', ':', '\n']))
}

/// The log-odds the mention's surroundings take off: a capitalised word
/// touching it, so its boundaries are in doubt.
fn boundary_doubt(text: &str, span: Span) -> f32 {
    let mut d = 0.0;
    if capital_after(text, span.end as usize) {
        d += CAPITAL_AFTER;
    }
    if capital_before(text, span.start as usize) {
        d += CAPITAL_BEFORE;
    }
    d
}

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
/// vouches ([`source_bias`]), minus the doubts about its boundaries
/// ([`boundary_doubt`]).
/// `emissions`: the scores kept by the pass of `tagger` that tagged `tok`
/// (computed again when `None`).
pub fn confidence(
    tagger: &crate::tagger::Tagger,
    text: &str,
    tok: &Tokenized,
    mentions: &[NameMention],
    emissions: Option<&crate::tagger::Emissions>,
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
    let margins = tagger.label_margins_with(text, tok, &queries, emissions);
    let mut margins = margins.into_iter();
    ranges
        .iter()
        .zip(mentions)
        .map(|(r, m)| {
            let margin = if r.is_some() {
                margins.next().flatten()
            } else {
                None
            };
            let z = margin.map_or(UNALIGNED, |x| x / TEMPERATURE) + source_bias(m.source)
                - boundary_doubt(text, m.span());
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
    fn kept_emissions_give_the_confidences_computed_afresh() {
        let text = "Bundeskanzler Olaf Scholz traf am Montag in Berlin den Chef der \
                    Deutschen Bahn. Danach flog er nach Paris.\nDie Siemens AG meldet Gewinne.";
        let tok = crate::text::tokenize::tokenize(text);
        let tagger = crate::tagger::Tagger::global();
        let (_, kept) = tagger.spans_keeping_emissions(text, &tok);
        let a = crate::analysis::analyze(text, &Default::default());
        assert!(a.mentions.len() >= 4, "{:?}", a.mentions);
        // Plus one mention the tagger would not make, across a sentence end.
        let mut mentions = a.mentions.clone();
        mentions.push(m(70, 96, EntityKind::Org, Source::Rule));
        let fresh = confidence(tagger, text, &tok, &mentions, None);
        assert_eq!(
            confidence(tagger, text, &tok, &mentions, Some(&kept)),
            fresh
        );
        assert_eq!(fresh.len(), mentions.len());
    }

    #[test]
    fn capitalised_neighbours_put_boundaries_in_doubt() {
        let text = "Ein VW Polo und die Firma GFB stießen zusammen.\nBerlin liegt an der Spree.";
        let at = |w: &str| {
            let s = text.find(w).unwrap();
            Span::new(s, s + w.len())
        };
        // "VW" before "Polo".
        assert!(capital_after(text, at("VW").end as usize));
        assert!(!capital_after(text, at("Polo").end as usize));
        // "Firma GFB": a head noun before the name.
        assert!(capital_before(text, at("GFB").start as usize));
        // "Ein VW": "Ein" opens the text.
        assert!(!capital_before(text, at("VW").start as usize));
        // A line's first word before the name does not count.
        assert!(!capital_before(text, at("liegt").start as usize));
        assert!(!capital_before(text, at("Spree").start as usize));
        assert_eq!(boundary_doubt(text, at("Spree")), 0.0);
        assert_eq!(boundary_doubt(text, at("VW")), CAPITAL_AFTER);
        assert_eq!(boundary_doubt(text, at("Polo")), CAPITAL_BEFORE);
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
