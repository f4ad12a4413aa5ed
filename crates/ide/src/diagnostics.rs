//! Diagnostics for one document: name variants and disagreeing figures.

use super::Location;
use gazette_core::corpus::{Corpus, DocId, ItemRef, TopicValue};
use gazette_core::linking;
use gazette_core::model::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }
}

/// Every diagnostic has a stable code users can configure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagCode {
    /// The same entity spelled another way elsewhere ("Vladimir" / "Wladimir").
    NameVariant,
    /// A figure for the same topic disagrees with other articles.
    FigureDisagreement,
    /// A rare name that looks like a frequent one ("Stoltenburg").
    UnknownName,
    /// Knowledge-base problems (see [`gazette_core::kb::KbErrorKind`]).
    KbSyntax,
    KbUnknownKind,
    KbDuplicate,
    KbInvalid,
    KbCommonWord,
    /// The file is not valid UTF-8 and was decoded with a fallback encoding.
    EncodingFallback,
    /// A line of the annotation store that does not parse.
    AnnotationSyntax,
    /// An annotation whose text is no longer in its article (or overlaps
    /// an earlier one).
    AnnotationUnanchored,
}

impl DiagCode {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagCode::NameVariant => "name-variant",
            DiagCode::FigureDisagreement => "figure-disagreement",
            DiagCode::UnknownName => "unknown-name",
            DiagCode::KbSyntax => "kb-syntax",
            DiagCode::KbUnknownKind => "kb-unknown-kind",
            DiagCode::KbDuplicate => "kb-duplicate",
            DiagCode::KbInvalid => "kb-invalid",
            DiagCode::KbCommonWord => "kb-common-word",
            DiagCode::EncodingFallback => "encoding-fallback",
            DiagCode::AnnotationSyntax => "annotation-syntax",
            DiagCode::AnnotationUnanchored => "annotation-unanchored",
        }
    }
    pub fn default_severity(self) -> Severity {
        match self {
            DiagCode::NameVariant | DiagCode::FigureDisagreement => Severity::Information,
            DiagCode::UnknownName => Severity::Hint,
            DiagCode::KbSyntax | DiagCode::KbUnknownKind | DiagCode::KbInvalid => Severity::Error,
            DiagCode::KbDuplicate | DiagCode::KbCommonWord => Severity::Warning,
            DiagCode::EncodingFallback => Severity::Information,
            DiagCode::AnnotationSyntax => Severity::Error,
            DiagCode::AnnotationUnanchored => Severity::Warning,
        }
    }
    /// The setting that configures this code (`gazette.diagnostics.<group>`).
    pub fn group(self) -> &'static str {
        match self {
            DiagCode::NameVariant => "nameVariant",
            DiagCode::FigureDisagreement => "figureDisagreement",
            DiagCode::UnknownName => "unknownName",
            DiagCode::EncodingFallback => "encodingFallback",
            DiagCode::AnnotationSyntax | DiagCode::AnnotationUnanchored => "annotations",
            _ => "kb",
        }
    }
    pub fn from_kb(k: gazette_core::kb::KbErrorKind) -> DiagCode {
        use gazette_core::kb::KbErrorKind as K;
        match k {
            K::Syntax => DiagCode::KbSyntax,
            K::UnknownKind => DiagCode::KbUnknownKind,
            K::Duplicate => DiagCode::KbDuplicate,
            K::Invalid => DiagCode::KbInvalid,
            K::CommonWord => DiagCode::KbCommonWord,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub span: Span,
    pub severity: Severity,
    pub code: DiagCode,
    pub message: String,
    /// Where the evidence is (shown as related information).
    pub related: Vec<(Location, String)>,
    /// A replacement text that fixes it (quick fix), if any.
    pub fix: Option<String>,
}

/// A figure-disagreement names at most this many other values (the most
/// stated), and links at most this many articles per value: on a large
/// corpus a topic can gather hundreds of values.
const MAX_VALUES_SHOWN: usize = 6;
const MAX_RELATED_PER_VALUE: usize = 3;

pub fn diagnostics(corpus: &Corpus, doc: DocId) -> Vec<Diagnostic> {
    let Some(entry) = corpus.doc(doc) else {
        return Vec::new();
    };
    if entry.kb.is_some() {
        // The knowledge base is checked by its parser (gazette_core::kb), not here.
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(enc) = &entry.analysis.encoding_fallback {
        out.push(Diagnostic {
            span: Span::new(0, 0),
            severity: DiagCode::EncodingFallback.default_severity(),
            code: DiagCode::EncodingFallback,
            message: format!(
                "not valid UTF-8: read as {enc}; save the file as UTF-8 to silence this"
            ),
            related: Vec::new(),
            fix: None,
        });
    }
    for (i, m) in entry.analysis.mentions.iter().enumerate() {
        let r = ItemRef { doc, idx: i as u32 };
        let spellings = corpus.key_spellings(r);
        if spellings.len() < 2 {
            continue;
        }
        let mine = linking::spelling(&m.norm);
        let (mut best, mut best_n) =
            spellings
                .iter()
                .fold(("", 0), |acc, &(s, n)| if n > acc.1 { (s, n) } else { acc });
        let mut tie = spellings.iter().filter(|(_, n)| *n == best_n).count() > 1;
        // The knowledge base's spelling is canonical whatever the counts.
        if let Some(kb) = corpus.kb_name(r) {
            best = kb;
            best_n = spellings.iter().find(|(s, _)| *s == kb).map_or(0, |x| x.1);
            tie = false;
        }
        if tie || best == mine {
            continue;
        }
        let my_n = spellings
            .iter()
            .find(|(s, _)| *s == mine)
            .map_or(0, |x| x.1);
        out.push(Diagnostic {
            span: m.span(),
            severity: DiagCode::NameVariant.default_severity(),
            code: DiagCode::NameVariant,
            message: if best_n == 0 {
                format!("«{mine}» is a variant spelling ({my_n}×) of «{best}» (the knowledge base's name)")
            } else {
                format!("«{mine}» is a variant spelling ({my_n}×) of «{best}» ({best_n}× in the corpus)")
            },
            related: Vec::new(),
            fix: Some(best.to_string()),
        });
    }
    for f in entry.analysis.figures.iter() {
        let Some(topic) = f.topic_key else {
            continue;
        };
        // Values stated by *other* articles (each article counted once).
        let summary = corpus.topic_summary(topic);
        let others: Vec<&TopicValue> = summary
            .values
            .iter()
            .filter(|tv| tv.articles_besides(doc) > 0)
            .collect();
        if others.is_empty() || others.iter().any(|tv| tv.value == f.value) {
            continue;
        }
        // The most-stated values (all of them when few), alphabetically.
        let mut shown: Vec<(String, &TopicValue)> = others
            .iter()
            .take(MAX_VALUES_SHOWN)
            .map(|tv| {
                let v = crate::lens::figure_label(&tv.value, f.category, f.unit.as_deref());
                (v, *tv)
            })
            .collect();
        shown.sort_by(|a, b| a.0.cmp(&b.0));
        let mut related = Vec::new();
        for (v, tv) in &shown {
            for &o in tv
                .refs
                .iter()
                .filter(|o| o.doc != doc)
                .take(MAX_RELATED_PER_VALUE)
            {
                related.push((
                    Location {
                        doc: o.doc,
                        span: corpus.figure(o).span(),
                    },
                    format!("states {v}"),
                ));
            }
        }
        let values: Vec<&str> = shown.iter().map(|(v, _)| v.as_str()).collect();
        let more = match others.len() - shown.len() {
            0 => String::new(),
            n => format!(" and {n} other values"),
        };
        out.push(Diagnostic {
            span: f.span(),
            severity: DiagCode::FigureDisagreement.default_severity(),
            code: DiagCode::FigureDisagreement,
            message: format!(
                "{} disagrees with other articles, which give {}{more}",
                crate::lens::figure_label(&f.value, f.category, f.unit.as_deref()),
                values.join(" / ")
            ),
            related,
            fix: None,
        });
    }
    out.extend(super::unknown_name::unknown_names(corpus, doc));
    out.sort_by_key(|d| (d.span, d.code));
    out
}

/// The annotation store's diagnostics (spans in `store_text`): lines that
/// do not parse, and annotations the corpus's analyses could not anchor
/// (each article's analysis records those, see
/// `gazette_core::annotations::apply`).
pub fn annotation_diagnostics(
    corpus: &Corpus,
    annotations: &gazette_core::annotations::Annotations,
    store_text: &str,
) -> Vec<Diagnostic> {
    let line_spans: Vec<Span> = {
        let mut at = 0usize;
        store_text
            .split_inclusive('\n')
            .map(|l| {
                let s = Span::new(at, at + l.trim_end_matches(['\n', '\r']).len());
                at += l.len();
                s
            })
            .collect()
    };
    let mut out: Vec<Diagnostic> = annotations
        .errors
        .iter()
        .map(|e| {
            diag(
                e.span,
                DiagCode::AnnotationSyntax,
                format!("annotation: {}", e.message),
            )
        })
        .collect();
    for doc in corpus.doc_ids() {
        let Some(d) = corpus.doc(doc) else { continue };
        if d.analysis.unanchored.is_empty() {
            continue;
        }
        let path = corpus.path(doc);
        let anns = annotations.for_path(path);
        for n in &d.analysis.unanchored {
            let Some((line, a)) = anns
                .iter()
                .find(|(_, a)| a.start == n.start && a.end == n.end && a.exact == n.exact)
            else {
                continue;
            };
            let Some(&span) = line_spans.get(*line as usize) else {
                continue;
            };
            out.push(diag(
                span,
                DiagCode::AnnotationUnanchored,
                format!("{}: \"{}\": {}", a.path, a.exact, n.why.message()),
            ));
        }
    }
    out.sort_by_key(|d| d.span);
    out
}

fn diag(span: Span, code: DiagCode, message: String) -> Diagnostic {
    Diagnostic {
        span,
        severity: code.default_severity(),
        code,
        message,
        related: Vec::new(),
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;

    /// The diagnostics of the cursor's document (or the first one), each
    /// with its fix and related locations.
    fn check(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        let mut out = String::new();
        for d in diagnostics(&f.corpus, f.doc) {
            out += &format!(
                "{} {} {}: {}\n",
                f.location(f.doc, d.span),
                d.severity.as_str(),
                d.code.as_str(),
                d.message
            );
            if let Some(fix) = &d.fix {
                out += &format!("  fix: {fix}\n");
            }
            for (l, why) in &d.related {
                out += &format!("  related: {} {why}\n", f.location(l.doc, l.span));
            }
        }
        if out.is_empty() {
            out = "none".into();
        }
        out
    }

    /// Only where each diagnostic is and its fix.
    fn fixes(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        diagnostics(&f.corpus, f.doc)
            .iter()
            .map(|d| {
                let fix = d.fix.as_deref().unwrap_or("-");
                format!(
                    "{} {} → {fix}\n",
                    f.location(f.doc, d.span),
                    d.code.as_str()
                )
            })
            .collect()
    }

    #[test]
    fn a_spelling_the_corpus_uses_less() {
        assert_snapshot!(check(r#"
            //- a.txt
            Die Nato$0 tagte in Brüssel.
            //- b.txt
            Die NATO will mehr Geld. NATO-Generalsekretär Jens Stoltenberg sprach.
            "#), @r#"
            a.txt 4..8 "Nato" info name-variant: «Nato» is a variant spelling (1×) of «NATO» (2× in the corpus)
              fix: NATO
        "#);
    }

    #[test]
    fn spellings_used_as_often_are_no_variants() {
        assert_snapshot!(check(r#"
            //- a.txt
            Die Nato$0 tagte in Brüssel.
            //- b.txt
            Die NATO will mehr Geld.
            "#), @"none");
    }

    /// One article writes «Nato» twice, another «NATO»; the knowledge base «Nato».
    const NATO_IN_THE_KB: &str = r#"
        //- a.txt
        Die NATO$0 tagte in Brüssel.
        //- b.txt
        Die Nato will mehr Geld. Die Nato wartet.
        //- gazette.toml
        [[entity]]
        name = "Nato"
        kind = "org"
        "#;

    #[test]
    fn the_knowledge_base_spelling_wins_over_counts() {
        assert_snapshot!(fixes(NATO_IN_THE_KB), @r#"a.txt 4..8 "NATO" name-variant → Nato"#);
    }

    #[test]
    fn the_knowledge_base_spelling_is_counted_in_articles() {
        assert_snapshot!(check(NATO_IN_THE_KB), @r#"
            a.txt 4..8 "NATO" info name-variant: «NATO» is a variant spelling (1×) of «Nato» (2× in the corpus)
              fix: Nato
        "#);
    }

    #[test]
    fn a_spelling_only_the_knowledge_base_uses_is_still_canonical() {
        assert_snapshot!(check(r#"
            //- a.txt
            Die NATO$0 tagte in Brüssel.
            //- b.txt
            Die NATO will mehr Geld.
            //- gazette.toml
            [[entity]]
            name = "Nato"
            kind = "org"
            "#), @r#"
            a.txt 4..8 "NATO" info name-variant: «NATO» is a variant spelling (2×) of «Nato» (the knowledge base's name)
              fix: Nato
        "#);
    }

    #[test]
    fn figures_that_disagree_with_other_articles() {
        assert_snapshot!(check(r#"
            //- a.txt
            In Europa sind 100.000 US-Soldaten stationiert. Die Bundeswehr will zwei Prozent des BIP ausgeben.
            //- b.txt
            Noch immer sind 80.000$0 US-Soldaten in Europa. Deutschland gibt 1,5 Prozent des BIP aus.
            //- c.txt
            In Europa sind 100.000 US-Soldaten. Frankreich gibt 1,9 Prozent des BIP aus.
            "#), @r#"
            b.txt 16..22 "80.000" info figure-disagreement: 80.000 disagrees with other articles, which give 100.000
              related: a.txt 15..22 "100.000" states 100.000
              related: c.txt 15..22 "100.000" states 100.000
            b.txt 63..74 "1,5 Prozent" info figure-disagreement: 1,5 % disagrees with other articles, which give 1,9 % / 2 %
              related: c.txt 52..63 "1,9 Prozent" states 1,9 %
              related: a.txt 68..80 "zwei Prozent" states 2 %
        "#);
    }

    #[test]
    fn a_rare_name_like_a_frequent_one() {
        assert_snapshot!(check(r#"
            //- a.txt
            Der Generalsekretär Jens Stoltenburg$0 sagte am Montag, die Allianz sei bereit.
            //- b.txt
            Jens Stoltenberg sprach. Danach sagte Jens Stoltenberg mehr. Jens Stoltenberg ging.
            "#), @r#"
            a.txt 21..37 "Jens Stoltenburg" hint unknown-name: «Jens Stoltenburg» occurs only here; did you mean «Jens Stoltenberg» (3× in the corpus)?
              fix: Jens Stoltenberg
              related: b.txt 0..16 "Jens Stoltenberg" «Jens Stoltenberg» is named here
        "#);
    }

    #[test]
    fn a_clean_article_and_the_knowledge_base_have_none() {
        assert_snapshot!(check(r#"
            //- a.txt
            Olaf Scholz$0 sprach in Berlin. Scholz sagte wenig.
            //- gazette.toml
            [[entity]]
            name = "Olaf Scholz"
            kind = "person"
            "#), @"none");
        assert_snapshot!(check(r#"
            //- a.txt
            Olaf Scholz sprach in Berlin. Scholz sagte wenig.
            //- gazette.toml
            [[entity]]
            name = "Olaf Scholz$0"
            kind = "person"
            "#), @"none");
    }
}
