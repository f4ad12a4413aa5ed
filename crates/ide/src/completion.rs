//! Completion of entity names: prefix and fuzzy matches over the corpus's
//! names; where the context asks for a genitive (after a genitive
//! preposition: "trotz Put|" → "Putins"), the inflected form comes first.

use super::symbols::fuzzy_score;
use gazette_core::corpus::Corpus;
use gazette_core::model::{EntityKind, Span};

/// Prepositions governing the genitive that precede bare names in news text.
const GENITIVE_PREPOSITIONS: &[&str] = &[
    "trotz",
    "wegen",
    "während",
    "statt",
    "anstatt",
    "angesichts",
    "aufgrund",
    "infolge",
    "anlässlich",
    "seitens",
    "zugunsten",
    "innerhalb",
    "außerhalb",
    "mithilfe",
    "laut",
];

#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: EntityKind,
    pub detail: String,
    /// The text range the completion replaces (the typed prefix).
    pub replace: Span,
    /// Sort key: lower first.
    pub sort: u32,
}

/// The genitive of a (last) name: "Putin" → "Putins", "Paris" → "Paris'".
pub fn genitive(name: &str) -> String {
    if name.ends_with(['s', 'ß', 'x', 'z', 'S', 'X', 'Z']) {
        format!("{name}'")
    } else {
        format!("{name}s")
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '.'
}

pub fn complete(corpus: &Corpus, text: &str, offset: usize, limit: usize) -> Vec<Completion> {
    let offset = gazette_core::text::position::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let prefix = &text[start..offset];
    if prefix.chars().count() < 2 {
        return Vec::new();
    }
    let before = text[..start].trim_end();
    let prev_word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    let wants_genitive = GENITIVE_PREPOSITIONS.contains(&prev_word.as_str());
    let replace = Span::new(start, offset);
    let mut scored: Vec<(i64, Completion)> = Vec::new();
    for (_, name, total, kind) in corpus.frequent_keys(1) {
        if name == prefix {
            continue;
        }
        let Some(score) = fuzzy_score(prefix, name) else {
            continue;
        };
        let detail = format!("{kind} · {total}×");
        if wants_genitive && kind != EntityKind::Org {
            scored.push((
                score + 10_000,
                Completion {
                    label: genitive(name),
                    kind,
                    detail: format!("{detail} · genitive"),
                    replace,
                    sort: 0,
                },
            ));
        }
        scored.push((
            score + total.min(1000) as i64,
            Completion {
                label: name.to_string(),
                kind,
                detail,
                replace,
                sort: 0,
            },
        ));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
    scored.dedup_by(|a, b| a.1.label == b.1.label);
    scored
        .into_iter()
        .take(limit)
        .enumerate()
        .map(|(i, (_, mut c))| {
            c.sort = i as u32;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;

    /// The first completions at the cursor: label, kind, detail, and the
    /// text they replace.
    fn check(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        let text = f.cursor_text();
        let out: String = complete(&f.corpus, text, f.offset, 5)
            .iter()
            .map(|c| {
                format!(
                    "{} ({}) replaces {:?}\n",
                    c.label,
                    c.detail,
                    &text[c.replace.range()]
                )
            })
            .collect();
        if out.is_empty() {
            "none".into()
        } else {
            out
        }
    }

    const CORPUS: &str = r#"
        //- a.txt
        Olaf Scholz traf Wladimir Putin in Moskau. Putins Berater und Scholz sprachen.
        //- b.txt
        Die NATO tagte. Jens Stoltenberg sprach in Schwerin über Jürgen Müller.
        //- c.txt
        CURSOR
        "#;

    fn at(line: &str) -> String {
        check(&CORPUS.replace("CURSOR", line))
    }

    #[test]
    fn names_by_prefix() {
        assert_snapshot!(at("Dann sprach Sch$0"), @r#"
            Scholz (person · 1×) replaces "Sch"
            Schwerin (place · 1×) replaces "Sch"
            Olaf Scholz (person · 1×) replaces "Sch"
        "#);
    }

    #[test]
    fn a_genitive_after_a_genitive_preposition() {
        assert_snapshot!(at("Trotz Put$0 kam es anders."), @r#"
            Putins (person · 1× · genitive) replaces "Put"
            Wladimir Putins (person · 1× · genitive) replaces "Put"
            Putin (person · 1×) replaces "Put"
            Wladimir Putin (person · 1×) replaces "Put"
        "#);
    }

    #[test]
    fn fuzzy_and_umlaut_prefixes() {
        assert_snapshot!(at("Dann kam Stoltnb$0"), @r#"Jens Stoltenberg (person · 1×) replaces "Stoltnb""#);
        assert_snapshot!(at("Dann kam Mü$0"), @r#"Jürgen Müller (person · 1×) replaces "Mü""#);
    }

    #[test]
    fn nothing_for_one_letter_or_an_exact_name() {
        assert_snapshot!(at("Dann kam S$0"), @"none");
        assert_snapshot!(at("Dann kam NATO$0"), @"none");
    }

    #[test]
    fn genitives() {
        assert_eq!(genitive("Putin"), "Putins");
        assert_eq!(genitive("Paris"), "Paris'");
    }
}
