//! Semantic tokens: names by kind and figures, for editors to colour.

use gazette_core::corpus::{Corpus, DocId, ItemRef};
use gazette_core::model::{EntityKind, Span};

/// The token types of the legend, in index order. Editors theme them by name.
pub const TOKEN_TYPES: &[&str] = &["person", "place", "organization", "figure", "entity"];
/// Token modifiers: bit 0 marks an entity's definition (its knowledge-base
/// entry or defining mention), bit 1 a mention spelled another way than the
/// entity's name, bit 2 (review mode only) a machine mention nobody has
/// reviewed yet.
pub const TOKEN_MODIFIERS: &[&str] = &["definition", "variant", "unreviewed"];

/// The `unreviewed` modifier's bit.
pub const UNREVIEWED: u32 = 4;

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
    semantic_tokens_in(corpus, doc, range, false)
}

/// [`semantic_tokens`]; in review mode (`review`), the article's machine
/// mentions not yet reviewed carry the `unreviewed` modifier.
pub fn semantic_tokens_in(
    corpus: &Corpus,
    doc: DocId,
    range: Option<Span>,
    review: bool,
) -> Vec<SemToken> {
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
        if review && !corpus.is_kb_doc(doc) && gazette_core::review::unreviewed(m) {
            mods |= UNREVIEWED;
        }
        raw.push((m.span(), kind_type(m.kind), mods));
    }
    for f in &a.figures {
        if range.is_some_and(|r| !r.overlaps(f.span())) {
            continue;
        }
        raw.push((f.span(), 3, 0));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;

    /// The tokens of the cursor's document (in the selection, when there is
    /// one): location, type and modifiers.
    fn check(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        let range = (!f.range.is_empty()).then_some(f.range);
        semantic_tokens(&f.corpus, f.doc, range)
            .iter()
            .map(|t| {
                let mods: Vec<&str> = (0..TOKEN_MODIFIERS.len())
                    .filter(|i| t.modifiers & (1 << i) != 0)
                    .map(|i| TOKEN_MODIFIERS[i])
                    .collect();
                format!(
                    "{} {} {}\n",
                    f.location(f.doc, t.span),
                    TOKEN_TYPES[t.token_type as usize],
                    mods.join(" ")
                )
                .replace(" \n", "\n")
            })
            .collect()
    }

    #[test]
    fn kinds_and_first_mentions() {
        assert_snapshot!(check(r#"
            Am Montag sagte Olaf Scholz in Berlin, die Europäische Zentralbank (EZB) solle 2,5 Prozent erreichen. Scholz reiste ab.
            "#), @r#"
            a.txt 16..27 "Olaf Scholz" person definition
            a.txt 31..37 "Berlin" place definition
            a.txt 43..67 "Europäische Zentralbank" organization definition
            a.txt 69..72 "EZB" organization
            a.txt 80..91 "2,5 Prozent" figure
            a.txt 103..109 "Scholz" person
        "#);
    }

    #[test]
    fn definitions_are_in_the_first_article() {
        assert_snapshot!(check(r#"
            //- a.txt
            Olaf Scholz sprach in Berlin.
            //- b.txt
            $0Olaf Scholz reiste nach Berlin.
            "#), @r#"
            b.txt 0..11 "Olaf Scholz" person
            b.txt 24..30 "Berlin" place
        "#);
    }

    #[test]
    fn variant_spellings() {
        assert_snapshot!(check(r#"
            //- a.txt
            Die Nato$0 tagte in Brüssel. Die NATO will mehr Geld.
            //- b.txt
            Die NATO wartet.
            "#), @r#"
            a.txt 4..8 "Nato" organization definition variant
            a.txt 18..26 "Brüssel" place definition
            a.txt 32..36 "NATO" organization
        "#);
    }

    #[test]
    fn knowledge_base_entries_define_and_articles_mention() {
        assert_snapshot!(check(r#"
            //- a.txt
            Der ukrainische Präsident Zelensky traf Wolodymyr Selenskyj.
            //- gazette.toml
            [[entity]]
            name = "Wolodymyr Selenskyj$0"
            kind = "person"
            aliases = ["Selenskyj", "Zelensky"]
            "#), @r#"
            gazette.toml 19..38 "Wolodymyr Selenskyj" person definition
            gazette.toml 68..77 "Selenskyj" person
            gazette.toml 81..89 "Zelensky" person
        "#);
        assert_snapshot!(check(r#"
            //- a.txt
            Der ukrainische Präsident Zelensky$0 traf Wolodymyr Selenskyj.
            //- gazette.toml
            [[entity]]
            name = "Wolodymyr Selenskyj"
            kind = "person"
            aliases = ["Selenskyj", "Zelensky"]
            "#), @r#"
            a.txt 27..35 "Zelensky" person
            a.txt 41..60 "Wolodymyr Selenskyj" person
        "#);
    }

    #[test]
    fn only_the_range_asked_for() {
        assert_snapshot!(check(r#"
            Olaf Scholz sprach in Berlin.
            Dann reiste $0Scholz nach Köln und$0 nach Bonn.
            "#), @r#"
            a.txt 42..48 "Scholz" person
            a.txt 54..59 "Köln" place definition
        "#);
    }
}
