//! `gazette entities`: the analysis as JSON (a stable contract) or a table.

use gazette_core::corpus::{Corpus, ItemRef};
use gazette_core::model::FigureValue;
use gazette_core::text::escape;
use gazette_core::text::position::PositionEncoding;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Serialize)]
pub struct Export {
    pub entities: Vec<EntityOut>,
    pub figures: Vec<FigureOut>,
}

#[derive(Serialize)]
pub struct EntityOut {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub role: Option<String>,
    pub mentions: Vec<MentionOut>,
}

/// Where a mention or figure stands: file, byte range and its text.
#[derive(Serialize)]
pub struct Place {
    /// The file's path; a name that is not UTF-8 has U+FFFD here, and its
    /// exact bytes in `path_bytes`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<Vec<u8>>,
    pub byte_start: u32,
    pub byte_end: u32,
    pub text: String,
}

#[derive(Serialize)]
pub struct MentionOut {
    #[serde(flatten)]
    pub at: Place,
    pub line: u32,
    /// Column in UTF-16 code units (the LSP default), unless chosen otherwise.
    pub character: u32,
    /// What found it: `knowledgebase`, `gazetteer`, `rule`, `tagger`, or
    /// `annotation` (the corpus's annotation store).
    pub source: gazette_core::model::Source,
    /// This mention's own kind: the entity's `kind` is its mentions' most
    /// frequent one, and an annotation may say otherwise for one mention.
    pub kind: &'static str,
}

#[derive(Serialize)]
pub struct FigureOut {
    #[serde(flatten)]
    pub at: Place,
    pub value: serde_json::Value,
    pub category: &'static str,
    pub unit: Option<String>,
    pub same_as: Option<String>,
    /// The text states the value only roughly ("rund 100", "Hunderte").
    pub approx: bool,
}

/// A path's bytes when its name is not UTF-8 (JSON strings cannot hold it
/// losslessly), else `None`.
/// A figure's bare JSON value: a number or a string. Integers are written
/// exactly (8200000000); other numbers as the shortest float that reads back
/// as the decimal, which is its exact digits ("0.1", "1234.56") up to 15
/// significant digits.
pub fn figure_value_json(value: &FigureValue) -> serde_json::Value {
    match value {
        FigureValue::Number(n) => match n.to_i64() {
            Some(i) => serde_json::Value::from(i),
            None => serde_json::Number::from_f64(n.to_f64())
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
        },
        FigureValue::Text(s) => serde_json::Value::String(s.to_string()),
    }
}

fn lossless_bytes(p: &std::path::Path) -> Option<Vec<u8>> {
    if p.to_str().is_some() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(p.as_os_str().as_bytes().to_vec())
    }
    #[cfg(not(unix))]
    {
        Some(p.to_string_lossy().into_owned().into_bytes())
    }
}

/// Builds the export from a corpus and the texts of its documents.
pub fn export(corpus: &Corpus, texts: &HashMap<u32, Arc<str>>, enc: PositionEncoding) -> Export {
    let surface = |doc: u32, span: gazette_core::model::Span| {
        texts
            .get(&doc)
            .and_then(|t| t.get(span.range()))
            .unwrap_or("")
            .to_string()
    };
    let place = |doc: u32, span: gazette_core::model::Span| Place {
        path: corpus.path(doc).to_string_lossy().into_owned(),
        path_bytes: lossless_bytes(corpus.path(doc)),
        byte_start: span.start,
        byte_end: span.end,
        text: surface(doc, span),
    };
    let entities = corpus
        .entities()
        .into_iter()
        .map(|info| EntityOut {
            id: info.id,
            name: info.name,
            kind: info.kind.as_str(),
            role: info.role,
            // Mentions in articles (a knowledge-base entry defines the entity
            // but is not a mention).
            mentions: info
                .mentions
                .iter()
                .filter(|r| !corpus.is_kb_doc(r.doc))
                .map(|&r| {
                    let m = corpus.mention(r);
                    let pos = corpus
                        .doc(r.doc)
                        .unwrap()
                        .analysis
                        .line_index
                        .position(m.span().start as usize, enc);
                    MentionOut {
                        at: place(r.doc, m.span()),
                        line: pos.line,
                        character: pos.character,
                        source: m.source,
                        kind: m.kind.as_str(),
                    }
                })
                .collect(),
        })
        .filter(|e: &EntityOut| !e.mentions.is_empty())
        .collect();
    let mut figures = Vec::new();
    for doc in corpus.doc_ids() {
        for (i, f) in corpus.doc(doc).unwrap().analysis.figures.iter().enumerate() {
            let r = ItemRef { doc, idx: i as u32 };
            figures.push(FigureOut {
                at: place(doc, f.span()),
                value: figure_value_json(&f.value),
                category: f.category.as_str(),
                unit: f.unit.map(|u| u.to_string()),
                same_as: corpus.same_as(r).map(str::to_string),
                approx: f.approx,
            });
        }
    }
    Export { entities, figures }
}

/// Loads, analyses and links the files named on the command line and
/// exports the result (what `gazette entities` prints, and what `gazette
/// eval DIR` scores).
pub fn analyse(paths: &[PathBuf], enc: PositionEncoding) -> anyhow::Result<Export> {
    let (corpus, texts) = super::corpus_with_texts(paths)?;
    Ok(export(&corpus, &texts, enc))
}

pub fn run(paths: &[PathBuf], format: &str, enc: PositionEncoding) -> anyhow::Result<i32> {
    let out = analyse(paths, enc)?;
    super::print(format, &out, |w| write_table(w, &out))?;
    Ok(0)
}

fn write_table(w: &mut dyn std::io::Write, out: &Export) -> std::io::Result<()> {
    let mut ents: Vec<&EntityOut> = out.entities.iter().collect();
    ents.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then(a.name.cmp(&b.name))
    });
    writeln!(
        w,
        "{:<32} {:<7} {:>8} {:>8}  ROLE",
        "ENTITY", "KIND", "MENTIONS", "ARTICLES"
    )?;
    for e in ents {
        let mut docs: Vec<&str> = e.mentions.iter().map(|m| m.at.path.as_str()).collect();
        docs.dedup();
        writeln!(
            w,
            "{:<32} {:<7} {:>8} {:>8}  {}",
            escape::line(&e.name),
            e.kind,
            e.mentions.len(),
            docs.len(),
            escape::line(e.role.as_deref().unwrap_or(""))
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "{:<24} {:<10} {:>16} {:<16} SAME AS",
        "FIGURE", "CATEGORY", "VALUE", "UNIT"
    )?;
    for f in &out.figures {
        writeln!(
            w,
            "{:<24} {:<10} {:>16} {:<16} {}",
            escape::line(&f.at.text),
            f.category,
            f.value.to_string(),
            escape::line(f.unit.as_deref().unwrap_or("")),
            escape::line(f.same_as.as_deref().unwrap_or(""))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::figure_value_json;
    use gazette_core::figures::find_figures;
    use gazette_core::text::tokenize::tokenize;

    /// The JSON value is the figure's number: integers exactly, decimals by
    /// their digits; dates stay strings.
    #[test]
    fn figure_values_in_json() {
        for (t, v) in [
            ("ein 5-Milliarden-Dollar-Paket", "5000000000"),
            ("zweieinhalb Millionen Menschen", "2500000"),
            ("die 100 000 Einwohner", "100000"),
            ("ein Plus von 0,1 Prozent", "0.1"),
            ("für 1.234,56 Euro", "1234.56"),
            ("am 16. Februar 2022", "\"2022-02-16\""),
        ] {
            let f = find_figures(t, &tokenize(t)).into_iter().next().unwrap();
            assert_eq!(figure_value_json(&f.value).to_string(), v, "{t}");
        }
    }
}
