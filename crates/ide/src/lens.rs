//! Code lenses ("23 mentions in 4 articles" on definitions), inlay hints
//! (normalised values after worded figures) and document links (URLs).

use super::Location;
use gazette_core::corpus::{count_docs, Corpus, DocId, ItemRef, KeyId};
use gazette_core::model::{Decimal, Figure, FigureCategory, FigureValue, Span};
use gazette_core::text::tokenize::{tokenize, TokenKind};
use std::collections::BTreeSet;

pub struct Lens {
    pub span: Span,
    pub title: String,
    /// Every mention of the entity, for the "show references" command.
    pub references: Vec<Location>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A lens on each entity definition in `doc`.
pub fn code_lenses(corpus: &Corpus, doc: DocId) -> Vec<Lens> {
    let Some(entry) = corpus.doc(doc) else {
        return Vec::new();
    };
    let mut seen: BTreeSet<KeyId> = BTreeSet::new();
    let mut out = Vec::new();
    for i in 0..entry.analysis.mentions.len() {
        let r = ItemRef { doc, idx: i as u32 };
        let e = corpus.entity_of(r);
        if !seen.insert(e) {
            continue;
        }
        // Cheap filter before building the entity: its definition is a
        // knowledge-base entry or the first mention of one of its keys.
        let here = |k: KeyId| corpus.first_mention_of_key(k).is_some_and(|f| f.doc == doc);
        if entry.kb.is_none() && !here(e) && !here(corpus.key_of(r)) {
            continue;
        }
        let info = corpus.entity_info(e);
        let Some(def) = corpus.definition(&info) else {
            continue;
        };
        if def.doc != doc {
            continue;
        }
        let articles = info.article_mentions(corpus);
        out.push(Lens {
            span: corpus.mention(def).span(),
            title: format!(
                "{} in {}",
                plural(articles.len(), "mention", "mentions"),
                plural(count_docs(&articles), "article", "articles")
            ),
            references: info
                .mentions
                .iter()
                .map(|&m| Location {
                    doc: m.doc,
                    span: corpus.mention(m).span(),
                })
                .collect(),
        });
    }
    out.sort_by_key(|l| l.span);
    out
}

/// A figure's value the German way, as hovers, hints and messages show it:
/// decimal comma and thousands grouped with "." ("100.000", "2,5",
/// "1.234,56"); a million and more as "Mio.", "Mrd." or "Bio." when that is
/// exact in at most three decimals ("8,2 Mrd.", "260 Mrd.", but
/// "1.234.567"); years as written ("2014"), ordinals with their dot ("21."),
/// dates, times and scores as their text.
pub fn german_value(value: &FigureValue, category: FigureCategory) -> String {
    let n = match value {
        FigureValue::Text(s) => return s.to_string(),
        FigureValue::Number(n) => *n,
    };
    match category {
        FigureCategory::Year => n.german(false),
        FigureCategory::Ordinal => format!("{}.", n.german(false)),
        _ => compact(n),
    }
}

/// "8,2 Mrd." for 8200000000, "1,3 Mio.", else the grouped number.
fn compact(n: Decimal) -> String {
    let abs = if n.is_negative() { -n } else { n };
    for (digits, word) in [(12u32, "Bio."), (9, "Mrd."), (6, "Mio.")] {
        if abs < Decimal::from_int(10i64.pow(digits)) {
            continue;
        }
        // n / 10^digits, exactly.
        match Decimal::new(n.mantissa(), n.scale() + digits) {
            Some(q) if q.scale() <= 3 => return format!("{} {word}", q.german(true)),
            _ => break,
        }
    }
    n.german(true)
}

/// The normalised value of a figure as a hint label ("2 %", "1.500",
/// "8,2 Mrd. EUR", "400 km").
pub fn figure_label(value: &FigureValue, category: FigureCategory, unit: Option<&str>) -> String {
    let v = german_value(value, category);
    match (category, unit) {
        (FigureCategory::Percent, Some("Prozentpunkt")) => {
            let one = value.number() == Some(Decimal::ONE);
            format!("{v} {}", if one { "Prozentpunkt" } else { "Prozentpunkte" })
        }
        (FigureCategory::Percent, Some(u)) => format!("{v} {u}"),
        (FigureCategory::Percent, None) => format!("{v} %"),
        (FigureCategory::Money | FigureCategory::Measure, Some(u)) => format!("{v} {u}"),
        _ => v,
    }
}

/// [`figure_label`] of a figure, with "≈ " before an approximate one
/// ("≈ 100", "≈ 1 Mio.").
pub fn figure_label_of(f: &Figure) -> String {
    let label = figure_label(&f.value, f.category, f.unit.as_deref());
    if f.approx {
        format!("≈ {label}")
    } else {
        label
    }
}

/// Hints after figures written (partly) in words: "zwei Prozent ⟨2 %⟩".
/// Returns (offset to place the hint at, label).
pub fn inlay_hints(corpus: &Corpus, text: &str, doc: DocId, range: Span) -> Vec<(usize, String)> {
    let Some(entry) = corpus.doc(doc) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in &entry.analysis.figures {
        if !range.overlaps(f.span()) && !range.contains_cursor(f.span().end as usize) {
            continue;
        }
        let Some(surface) = text.get(f.span().range()) else {
            continue;
        };
        // Worded: the number itself is not written in digits.
        let worded = !surface.chars().any(|c| c.is_ascii_digit())
            && surface.chars().any(char::is_alphabetic);
        if !worded {
            continue;
        }
        let label = figure_label_of(f);
        out.push((f.span().end as usize, format!("⟨{label}⟩")));
    }
    out
}

/// Links in a document: URLs in the text; in the knowledge base also the
/// Wikidata ids.
pub fn document_links(corpus: &Corpus, text: &str, doc: DocId) -> Vec<(Span, String)> {
    let mut out: Vec<(Span, String)> = tokenize(text)
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Url)
        .map(|t| {
            let u = t.text(text).trim_end_matches(['.', ',', ')', '"', '\'']);
            let target = if u.starts_with("www.") {
                format!("https://{u}")
            } else {
                u.to_string()
            };
            (
                Span::new(t.span.start as usize, t.span.start as usize + u.len()),
                target,
            )
        })
        .collect();
    if let Some(kb) = corpus.doc(doc).and_then(|d| d.kb.clone()) {
        for (i, e) in kb.entities.iter().enumerate() {
            let Some(q) = &e.wikidata else { continue };
            let needle = format!("\"{q}\"");
            let from = kb.entry_span(i).start as usize;
            if let Some(i) = text.get(from..).and_then(|t| t.find(&needle)) {
                let s = from + i + 1;
                out.push((
                    Span::new(s, s + q.len()),
                    format!("https://www.wikidata.org/wiki/{q}"),
                ));
            }
        }
    }
    out.sort_by_key(|l| l.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;

    /// The lenses of the cursor's document and where their references are.
    fn check(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        code_lenses(&f.corpus, f.doc)
            .iter()
            .map(|l| {
                format!(
                    "{}: {}\n{}",
                    f.location(f.doc, l.span),
                    l.title,
                    f.locations(&l.references)
                        .lines()
                        .map(|r| format!("  {r}\n"))
                        .collect::<String>()
                )
            })
            .collect()
    }

    #[test]
    fn lenses_on_definitions_only() {
        assert_snapshot!(check(r#"
            //- a.txt
            Am Montag sprach Olaf Scholz$0 in Berlin. Scholz blieb.
            //- b.txt
            Scholz reiste nach Berlin und Paris.
            "#), @r#"
            a.txt 17..28 "Olaf Scholz": 3 mentions in 2 articles
              a.txt 17..28 "Olaf Scholz"
              a.txt 40..46 "Scholz"
              b.txt 0..6 "Scholz"
            a.txt 32..38 "Berlin": 2 mentions in 2 articles
              a.txt 32..38 "Berlin"
              b.txt 19..25 "Berlin"
        "#);
        assert_snapshot!(check(r#"
            //- a.txt
            Am Montag sprach Olaf Scholz in Berlin. Scholz blieb.
            //- b.txt
            Scholz$0 reiste nach Berlin und Paris.
            "#), @r#"
            b.txt 30..35 "Paris": 1 mention in 1 article
              b.txt 30..35 "Paris"
        "#);
    }

    #[test]
    fn lenses_in_the_knowledge_base_count_articles() {
        assert_snapshot!(check(r#"
            //- a.txt
            Der ukrainische Präsident Zelensky traf in Kiew Selenskyj-Berater.
            //- gazette.toml
            [[entity]]
            name = "Wolodymyr Selenskyj$0"
            kind = "person"
            aliases = ["Selenskyj", "Zelensky"]
            "#), @r#"
            gazette.toml 19..38 "Wolodymyr Selenskyj": 2 mentions in 1 article
              a.txt 27..35 "Zelensky"
              a.txt 49..58 "Selenskyj"
              gazette.toml 19..38 "Wolodymyr Selenskyj"
              gazette.toml 68..77 "Selenskyj"
              gazette.toml 81..89 "Zelensky"
        "#);
    }

    /// The links of the cursor's document: where each is and its target.
    fn check_links(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        document_links(&f.corpus, f.text(f.doc), f.doc)
            .iter()
            .map(|(span, target)| format!("{} -> {target}\n", f.location(f.doc, *span)))
            .collect()
    }

    #[test]
    fn links_for_urls_and_wikidata_ids() {
        assert_snapshot!(check_links(r#"
            Quelle: https://www.reuters.com/world/a-b (gesehen), mehr auf www.tagesschau.de.$0
            "#), @r#"
            a.txt 8..41 "https://www.reuters.com/world/a-b" -> https://www.reuters.com/world/a-b
            a.txt 62..79 "www.tagesschau.de" -> https://www.tagesschau.de
        "#);
        assert_snapshot!(check_links(r#"
            //- a.txt
            Jens Stoltenberg sprach.
            //- gazette.toml
            [[entity]]
            name = "Jens Stoltenberg$0"
            kind = "person"
            wikidata = "Q57462"
            "#), @r#"gazette.toml 65..71 "Q57462" -> https://www.wikidata.org/wiki/Q57462"#);
    }

    #[test]
    fn inlay_hints_after_worded_figures() {
        let f = Fixture::parse(
            "Die Zinsen stiegen um zwei Prozent, die Preise um 3 Prozent. Es kamen Hunderte.",
        );
        let hints: String = inlay_hints(
            &f.corpus,
            f.cursor_text(),
            f.doc,
            Span::new(0, f.cursor_text().len()),
        )
        .iter()
        .map(|(at, label)| format!("{}{label}\n", &f.cursor_text()[..*at]))
        .collect();
        assert_snapshot!(hints, @r"
            Die Zinsen stiegen um zwei Prozent⟨2 %⟩
            Die Zinsen stiegen um zwei Prozent, die Preise um 3 Prozent. Es kamen Hunderte⟨≈ 100⟩
        ");
    }

    fn num(s: &str) -> FigureValue {
        FigureValue::Number(Decimal::parse(s).unwrap())
    }

    #[test]
    fn labels() {
        assert_eq!(
            figure_label(&num("2"), FigureCategory::Percent, Some("%")),
            "2 %"
        );
        // German notation (issue #14): decimal comma.
        assert_eq!(
            figure_label(&num("3.5"), FigureCategory::Count, None),
            "3,5"
        );
    }

    #[test]
    fn labels_the_german_way() {
        use FigureCategory as C;
        assert_eq!(figure_label(&num("100000"), C::Count, None), "100.000");
        assert_eq!(figure_label(&num("2.5"), C::Percent, Some("%")), "2,5 %");
        assert_eq!(
            figure_label(&num("5.5"), C::Percent, Some("Prozentpunkt")),
            "5,5 Prozentpunkte"
        );
        assert_eq!(
            figure_label(&num("8200000000"), C::Money, Some("EUR")),
            "8,2 Mrd. EUR"
        );
        assert_eq!(
            figure_label(&num("1300000"), C::Money, Some("EUR")),
            "1,3 Mio. EUR"
        );
        assert_eq!(
            figure_label(&num("260000000000"), C::Money, None),
            "260 Mrd."
        );
        assert_eq!(
            figure_label(&num("2500000000000"), C::Count, None),
            "2,5 Bio."
        );
        // Not exact in three decimals: every digit, grouped.
        assert_eq!(figure_label(&num("1234567"), C::Count, None), "1.234.567");
        assert_eq!(
            figure_label(&num("-1234.5"), C::Measure, Some("m")),
            "-1.234,5 m"
        );
        assert_eq!(
            figure_label(&num("1.99"), C::Money, Some("EUR")),
            "1,99 EUR"
        );
        assert_eq!(figure_label(&num("2014"), C::Year, None), "2014");
        assert_eq!(figure_label(&num("21"), C::Ordinal, None), "21.");
        assert_eq!(
            figure_label(
                &FigureValue::Text(gazette_core::model::sym("2:1")),
                C::Score,
                None
            ),
            "2:1"
        );
        let f = Figure {
            packed_span: (Span::new(0, 1)).into(),
            value: num("1000000"),
            category: C::Count,
            unit: None,
            quantity_key: None,
            topic_key: None,
            approx: true,
        };
        assert_eq!(figure_label_of(&f), "≈ 1 Mio.");
    }
}
