//! One document's analysis: tokenise, recognise names and figures.
//!
//! A pure function of the text and the user's overrides, so that an edited
//! document can be re-analysed alone and the corpus index updated by
//! difference (see [`crate::corpus`]).

use crate::figures::find_figures;
use crate::model::{Figure, NameMention, Sym};
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
    /// The roles said of mentions (mention index, role), by index.
    #[serde(with = "crate::model::sym_table::roles")]
    pub roles: Vec<(u32, Sym)>,
    /// Figures, sorted by span, non-overlapping.
    pub figures: Vec<Figure>,
    /// Number of tokens (for statistics and throughput numbers).
    pub token_count: usize,
    /// Set when the file was not valid UTF-8 and was decoded with this
    /// fallback encoding (reported as an `encoding-fallback` diagnostic).
    pub encoding_fallback: Option<String>,
    /// The article's date as its text states it, and where (see
    /// [`crate::dates`]); a date in the file name is the corpus's to add.
    pub date: Option<crate::dates::ArticleDate>,
    /// The article's annotations that could not be anchored in its text
    /// (`crate::annotations::apply`), reported on the store.
    #[serde(default)]
    pub unanchored: Vec<crate::annotations::UnanchoredNote>,
    /// How sure the machine is of each mention (parallel to `mentions`,
    /// 0 = a guess, 255 = certain; see [`crate::tagger::confidence`]): the
    /// review queue's order. Empty when unknown (an index written before it
    /// existed); a user's annotation is 255.
    #[serde(default)]
    pub confidence: Vec<u8>,
}

impl DocAnalysis {
    pub fn len(&self) -> usize {
        self.line_index.len()
    }
    pub fn is_empty(&self) -> bool {
        self.line_index.is_empty()
    }
    /// Drops the figures that link to no other article (neither a
    /// quantity key nor a topic key). What the corpus needs of an article
    /// that is not open in an editor: its figures are read only through
    /// the figure groups and the topic diagnostics, both keyed; the rest
    /// (44 % of the figures in generated news, 48 bytes each) is shown only
    /// in an open article, whose buffer is analysed again.
    pub fn keep_linked_figures(&mut self) {
        self.figures.retain(Figure::linked);
        self.figures.shrink_to_fit();
    }

    /// Whether `self` is `held` but for figures that link nowhere: the
    /// analysis of an article opened as it was indexed against what the
    /// corpus keeps of it closed ([`Self::keep_linked_figures`]), or the
    /// other way round.
    pub fn same_but_unlinked_figures(&self, held: &DocAnalysis) -> bool {
        let DocAnalysis {
            line_index,
            mentions,
            roles,
            figures,
            token_count,
            encoding_fallback,
            date,
            unanchored,
            confidence,
        } = self;
        *line_index == held.line_index
            && *mentions == held.mentions
            && *roles == held.roles
            && *token_count == held.token_count
            && *encoding_fallback == held.encoding_fallback
            && *date == held.date
            && *unanchored == held.unanchored
            && *confidence == held.confidence
            && (figures.iter().filter(|f| f.linked()))
                .eq(held.figures.iter().filter(|f| f.linked()))
    }

    /// Whether this is an analysis [`analyze`] could have made of a text
    /// of `self.len()` bytes: a valid line index; mentions and figures in
    /// order, not overlapping, within the text and on character
    /// boundaries; roles in order of existing mentions; a confidence per
    /// mention or none; the date's span within the text. The persistent
    /// index checks each analysis it reads back: one damaged in place
    /// (a bit flipped in a span) still decodes, and every query on it
    /// would trust it.
    pub fn check(&self) -> Result<(), String> {
        use crate::model::Span;
        let li = &self.line_index;
        li.check().map_err(|e| format!("line index: {e}"))?;
        let in_order = |what: &str, spans: &mut dyn Iterator<Item = Option<Span>>| {
            // In order first, so the boundaries asked never go back: one
            // walk over the text's multi-byte characters, not a search each.
            let mut boundary = li.boundary_walk();
            let mut prev_end = 0;
            for (i, s) in spans.enumerate() {
                match s {
                    Some(s)
                        if s.start >= prev_end
                            && s.start <= s.end
                            && boundary(s.start)
                            && boundary(s.end) =>
                    {
                        prev_end = s.end
                    }
                    _ => {
                        return Err(format!(
                            "{what} {i} ({s:?}) is out of order or off the text"
                        ))
                    }
                }
            }
            Ok(())
        };
        in_order(
            "mention",
            &mut self.mentions.iter().map(|m| m.checked_span()),
        )?;
        in_order("figure", &mut self.figures.iter().map(|f| f.checked_span()))?;
        if self.roles.windows(2).any(|w| w[0].0 >= w[1].0)
            || self
                .roles
                .last()
                .is_some_and(|r| r.0 as usize >= self.mentions.len())
        {
            return Err("roles are not in order of existing mentions".into());
        }
        if !self.confidence.is_empty() && self.confidence.len() != self.mentions.len() {
            return Err("not one confidence per mention".into());
        }
        if let Some(s) = self.date.and_then(|d| d.span) {
            let mut boundary = li.boundary_walk();
            if !(s.start <= s.end && boundary(s.start) && boundary(s.end)) {
                return Err(format!("the date's span {s:?} is off the text"));
            }
        }
        Ok(())
    }

    /// The role said of mention `idx`, if any.
    pub fn role(&self, idx: usize) -> Option<Sym> {
        self.roles
            .binary_search_by_key(&(idx as u32), |r| r.0)
            .ok()
            .map(|i| self.roles[i].1)
    }

    /// How sure the machine is of mention `idx` (0..=255), `None` when
    /// unknown.
    pub fn confidence(&self, idx: usize) -> Option<u8> {
        self.confidence.get(idx).copied()
    }

    /// Index of the mention whose span contains the cursor `offset`.
    pub fn mention_at(&self, offset: usize) -> Option<usize> {
        find_at(&self.mentions, offset, |m| m.span())
    }
    /// Index of the figure whose span contains the cursor `offset`.
    pub fn figure_at(&self, offset: usize) -> Option<usize> {
        find_at(&self.figures, offset, |f| f.span())
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

/// Sentences longer than this many tokens are tagged in pieces: a
/// "sentence" of a whole 1 MB line (no punctuation) made the tagger's path
/// scores overflow, and real sentences are far shorter.
pub const MAX_TAGGED_SENTENCE: usize = 256;

static CONTAINED_PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many analysis stages have panicked (and been contained) in this
/// process; the fuzz harness checks that this stays 0.
pub fn contained_panics() -> usize {
    CONTAINED_PANICS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The message a panic was raised with (`panic!("…")` payloads are a
/// `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
}

/// Runs one analysis stage; a panic is logged and yields `T::default()`, so
/// that one bad document costs its own mentions or figures, never the batch
/// it is indexed with or the server's state.
fn stage<T: Default>(name: &str, f: impl FnOnce() -> T) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(e) => {
            CONTAINED_PANICS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let msg = panic_message(&*e).unwrap_or_default();
            tracing::error!("analysis stage {name} panicked (its results are dropped): {msg}");
            T::default()
        }
    }
}

/// Loads the tagger's model and the recognizer's data (each once per
/// process) on two threads at once: what the first article of a session
/// waits for. The language server and the analysing commands start it on a
/// thread of its own before they need either.
pub fn load_models() {
    std::thread::scope(|s| {
        s.spawn(|| {
            let _ = Recognizer::global();
        });
        let _ = crate::tagger::Tagger::global();
    });
}

/// Analyses one document.
pub fn analyze(text: &str, overrides: &Overrides) -> DocAnalysis {
    let tok = tokenize(text);
    let tagged = tagged_tokens(&tok);
    let (proposals, emissions) = stage("tagger", || adapted_proposals(overrides, text, &tagged));
    let found = stage("recognize", || {
        Recognizer::global().recognize(text, &tok, &proposals, overrides)
    });
    let mut figures = stage("figures", || find_figures(text, &tok));
    let date = stage("dates", || crate::dates::date_in_text(text));
    // A "name" over 64 KiB is not one (and a mention could not hold it).
    let found: Vec<_> = found
        .into_iter()
        .filter(|f| (f.span.end - f.span.start) as usize <= NameMention::MAX_LEN)
        .collect();
    // Analyses live as long as the corpus: no spare capacity.
    let mut mentions: Vec<NameMention> = found.iter().filter_map(|f| f.mention()).collect();
    mentions.shrink_to_fit();
    let confidence = stage("confidence", || {
        crate::tagger::confidence::confidence(
            overrides.tagger(),
            text,
            &tagged,
            &mentions,
            Some(&emissions),
        )
    });
    let mut roles: Vec<(u32, Sym)> = found
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i as u32, f.role?)))
        .collect();
    roles.shrink_to_fit();
    figures.shrink_to_fit();
    DocAnalysis {
        line_index: LineIndex::new(text),
        mentions,
        roles,
        figures,
        token_count: tok.tokens.len(),
        encoding_fallback: None,
        date,
        unanchored: Vec::new(),
        confidence,
    }
}

/// Analyses the document at `path`: [`analyze`], then the corpus's
/// annotations of that article applied ([`crate::annotations::apply`]: the
/// user's word wins over every machine mention it overlaps). Still a pure
/// function of the text, the path and the overrides.
///
/// The learned lexicon ([`crate::annotations::lexicon`]) carries the user's
/// word to the articles they have not annotated; in an annotated article
/// the annotations are the user's word, and what they leave unmarked is the
/// machine's (an article imported whole says: these names and no others).
pub fn analyze_at(path: &std::path::Path, text: &str, overrides: &Overrides) -> DocAnalysis {
    let anns = overrides.annotations().for_path(path);
    let mut a = if anns.is_empty() {
        analyze(text, overrides)
    } else {
        analyze(text, &overrides.clone().without_learned())
    };
    if !anns.is_empty() {
        let machine = a.mentions.clone();
        a.unanchored = stage("annotations", || {
            crate::annotations::apply(text, anns, &mut a.mentions, &mut a.roles)
        });
        a.confidence =
            crate::tagger::confidence::carry_confidence(&machine, &a.confidence, &a.mentions);
    }
    a
}

/// Analyses a file's decoded text, remembering an encoding fallback.
pub fn analyze_decoded(decoded: &crate::workspace::Decoded, overrides: &Overrides) -> DocAnalysis {
    DocAnalysis {
        encoding_fallback: decoded.fallback_encoding.map(String::from),
        ..analyze(&decoded.text, overrides)
    }
}

/// [`analyze_at`] of a file's decoded text, remembering an encoding fallback.
pub fn analyze_decoded_at(
    path: &std::path::Path,
    decoded: &crate::workspace::Decoded,
    overrides: &Overrides,
) -> DocAnalysis {
    DocAnalysis {
        encoding_fallback: decoded.fallback_encoding.map(String::from),
        ..analyze_at(path, &decoded.text, overrides)
    }
}

/// `tok` with its sentences cut to at most [`MAX_TAGGED_SENTENCE`] tokens,
/// as the tagger reads them.
fn tagged_tokens(
    tok: &crate::text::tokenize::Tokenized,
) -> std::borrow::Cow<'_, crate::text::tokenize::Tokenized> {
    if !tok.sentences.iter().any(|s| s.len() > MAX_TAGGED_SENTENCE) {
        return std::borrow::Cow::Borrowed(tok);
    }
    std::borrow::Cow::Owned(crate::text::tokenize::Tokenized {
        tokens: tok.tokens.clone(),
        sentences: tok
            .sentences
            .iter()
            .flat_map(|s| {
                (s.start..s.end)
                    .step_by(MAX_TAGGED_SENTENCE)
                    .map(move |a| a..(a + MAX_TAGGED_SENTENCE).min(s.end))
            })
            .collect(),
    })
}

/// The statistical tagger's spans, as proposals for the recognizer (which
/// filters them and lets its rules and the knowledge base win conflicts).
pub fn tagger_proposals(text: &str, tok: &crate::text::tokenize::Tokenized) -> Vec<Proposal> {
    tagger_proposals_with(crate::tagger::Tagger::global(), text, tok)
}

/// The tagger's proposals with `overrides`' tagger on `tagged` (the
/// tokens as [`tagged_tokens`] cuts them), and its emission scores for the
/// mentions' confidences. An adapted tagger (learned from the corpus's
/// annotations, [`crate::learn`]) only takes proposals away: those it
/// keeps, it must make as the shipped model does (the same tokens and
/// kind). Its own new names and new kinds were wrong about as often as
/// right on the development sets, while what it stops proposing is mostly
/// the machine's errors (docs/annotation.md).
fn adapted_proposals(
    overrides: &Overrides,
    text: &str,
    tagged: &crate::text::tokenize::Tokenized,
) -> (Vec<Proposal>, crate::tagger::Emissions) {
    let (spans, emissions) = overrides.tagger().spans_keeping_emissions(text, tagged);
    let proposals = as_proposals(spans);
    if overrides.adapted_tagger().is_none() {
        return (proposals, emissions);
    }
    let shipped = as_proposals(crate::tagger::Tagger::global().spans(text, tagged));
    (kept_by_both(proposals, &shipped), emissions)
}

fn as_proposals(
    spans: Vec<(std::ops::Range<usize>, crate::model::EntityKind, f32)>,
) -> Vec<Proposal> {
    spans
        .into_iter()
        .map(|(tokens, kind, score)| Proposal {
            tokens,
            kind,
            score,
        })
        .collect()
}

/// The proposals of `adapted` that `shipped` makes too (same tokens, same
/// kind), with the adapted tagger's scores.
fn kept_by_both(adapted: Vec<Proposal>, shipped: &[Proposal]) -> Vec<Proposal> {
    adapted
        .into_iter()
        .filter(|p| {
            shipped
                .iter()
                .any(|q| q.tokens == p.tokens && q.kind == p.kind)
        })
        .collect()
}

/// [`tagger_proposals`] of a given tagger (the corpus's adapted one).
pub fn tagger_proposals_with(
    tagger: &crate::tagger::Tagger,
    text: &str,
    tok: &crate::text::tokenize::Tokenized,
) -> Vec<Proposal> {
    as_proposals(tagger.spans(text, &tagged_tokens(tok)))
}

#[cfg(test)]
mod robustness_tests {
    use super::*;

    #[test]
    fn analyses_pass_their_check_and_damaged_ones_fail_it() {
        let text = "NATO-Generalsekretär Jens Stoltenberg sagte am 16.02.2022 in Brüssel: \
                    „100.000 Soldaten“.\r\nOlaf Scholz traf Emmanuel Macron, 2 Prozent.";
        let a = analyze(text, &Overrides::default());
        assert!(a.mentions.len() > 2 && !a.roles.is_empty() && !a.figures.is_empty());
        assert_eq!(a.check(), Ok(()));
        assert_eq!(analyze("", &Overrides::default()).check(), Ok(()));
        let damaged = |f: &dyn Fn(&mut DocAnalysis)| {
            let mut d = a.clone();
            f(&mut d);
            d.check().unwrap_err()
        };
        let span = |start: usize, end: usize| crate::model::Span::new(start, end);
        let m0 = a.mentions[0].clone();
        let at = |s| NameMention::new(s, m0.kind, m0.norm, m0.source).unwrap();
        // Past the end, inside "ü", out of order.
        let past = damaged(&|d| d.mentions[0] = at(span(text.len(), text.len() + 1)));
        assert!(past.contains("mention 0"), "{past}");
        let u = text.find('ü').unwrap() + 1;
        assert!(damaged(&|d| d.mentions[0] = at(span(u, u + 2))).contains("mention 0"));
        assert!(damaged(&|d| d.mentions.swap(0, 1)).contains("mention 1"));
        assert!(damaged(&|d| {
            let s = d.figures[0].span();
            d.figures[0].set_span(span(s.start as usize, text.len() + 9))
        })
        .contains("figure 0"));
        assert!(damaged(&|d| d.roles[0].0 = 999).contains("roles"));
        assert!(damaged(&|d| d.confidence.push(3)).contains("confidence"));
        assert!(damaged(&|d| d.line_index = LineIndex::default()).contains("line index"));
        assert!(damaged(&|d| {
            let mut date = d.date.unwrap();
            date.span = Some(span(0, text.len() + 1));
            d.date = Some(date)
        })
        .contains("date"));
    }

    #[test]
    fn closed_articles_keep_the_figures_that_link() {
        let text = "Die Bundeswehr schickt 3.000 Soldaten nach Litauen. Am 3. Mai \
                    kamen 3 von ihnen zurück, sagte er um 14 Uhr.";
        let mut a = analyze(text, &Overrides::default());
        let linked = |f: &Figure| f.quantity_key.is_some() || f.topic_key.is_some();
        let keyed: Vec<Figure> = a.figures.iter().filter(|f| linked(f)).cloned().collect();
        assert!(
            !keyed.is_empty() && keyed.len() < a.figures.len(),
            "{:?}",
            a.figures
        );
        a.keep_linked_figures();
        assert_eq!(a.figures, keyed);
    }

    #[test]
    fn an_adapted_tagger_only_takes_proposals_away() {
        use crate::model::EntityKind;
        let p = |a: usize, b: usize, kind: EntityKind| Proposal {
            tokens: a..b,
            kind,
            score: 0.5,
        };
        let shipped = [
            p(0, 2, EntityKind::Person),
            p(3, 4, EntityKind::Place),
            p(6, 7, EntityKind::Org),
        ];
        let adapted = vec![
            p(0, 2, EntityKind::Person), // kept as it was
            p(3, 4, EntityKind::Org),    // a new kind: dropped
            p(8, 9, EntityKind::Place),  // a new name: dropped
        ];
        // 6..7 is withdrawn by the adapted tagger: gone.
        let kept = kept_by_both(adapted, &shipped);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            (kept[0].tokens.clone(), kept[0].kind),
            (0..2, EntityKind::Person)
        );
    }

    #[test]
    fn a_one_megabyte_sentence_is_analysed() {
        // No sentence end in 200,000 words: the tagger used to overflow here.
        let mut text = "wort ".repeat(200_000);
        text.push_str("ä NATO");
        let tok = tokenize(&text);
        let tagged = std::panic::catch_unwind(|| tagger_proposals(&text, &tok));
        assert!(tagged.is_ok(), "the tagger panicked on a long sentence");
        let a = analyze(&text, &Overrides::default());
        assert!(
            a.mentions.iter().any(|m| &text[m.span().range()] == "NATO"),
            "{:?}",
            a.mentions
        );
    }

    #[test]
    fn a_panicking_stage_is_contained() {
        let before = contained_panics();
        let v: Vec<u8> = stage("test", || panic!("boom"));
        assert!(v.is_empty());
        assert_eq!(contained_panics(), before + 1);
    }
}
