//! `gazette eval DIR`: scores the whole product (the same analysis as
//! `gazette entities`) against hand-annotated articles.
//!
//! A development folder holds `NN.txt` (an article, unchanged) and `NN.gold`
//! (the same text with inline markup, see `tests/unseen/README.md`):
//! `[[KIND surface]]` or `[[KIND surface|key]]`, KIND one of PER LOC ORG OTH
//! PART. Names are scored by exact span and kind (PER/LOC/ORG; a PART span
//! is neutral: predictions overlapping it are not counted), and linking by
//! the entity ids gazette gives the correctly found mentions: a gold entity
//! (its key, else its surface, across the whole folder) whose mentions land
//! in several ids is split; an id whose mentions belong to several gold
//! entities is a wrong merge.

use super::entities::Export;
use anyhow::Context;
pub use gazette_core::gold::{parse_gold, GoldMention};
use gazette_core::text::position::PositionEncoding;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The kinds that are scored, in report order.
pub const KINDS: [&str; 3] = ["PER", "LOC", "ORG"];

/// One annotated article: its file, its text and its gold mentions.
pub struct GoldDoc {
    pub path: PathBuf,
    pub text: String,
    pub mentions: Vec<GoldMention>,
}

/// Counts for one kind.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        self.tp as f64 / self.pred.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.tp as f64 / self.gold.max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
    fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.pred += o.pred;
        self.gold += o.gold;
    }
}

/// A scoring error, for reading (document, surface, what was expected).
#[derive(Clone, Debug, Serialize)]
pub struct Miss {
    pub doc: String,
    pub text: String,
    /// The gold kind (a missed or mistyped name), or "" for a spurious one.
    pub gold: String,
    /// The predicted kind, or "" for a missed name.
    pub predicted: String,
    /// What found the predicted name (`rule`, `tagger`, …), or "".
    pub source: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub documents: usize,
    pub per_kind: BTreeMap<String, Counts>,
    pub all: Counts,
    /// Gold entities whose correctly found mentions got more than one id
    /// (the count of extra ids).
    pub splits: usize,
    /// Ids given to correctly found mentions of more than one gold entity
    /// (the count of extra gold entities).
    pub merges: usize,
    pub split_examples: Vec<String>,
    pub merge_examples: Vec<String>,
    pub errors: Vec<Miss>,
}

fn gold_kind(kind: &str) -> Option<&'static str> {
    match kind {
        "person" => Some("PER"),
        "place" => Some("LOC"),
        "org" => Some("ORG"),
        _ => None,
    }
}

/// Scores gazette's analysis of the `*.gold` articles of `dir`.
pub fn score_dir(dir: &Path) -> anyhow::Result<Report> {
    let mut golds: Vec<GoldDoc> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "gold"))
        .collect();
    entries.sort();
    if entries.is_empty() {
        anyhow::bail!("{}: no .gold files", dir.display());
    }
    for g in entries {
        let txt = g.with_extension("txt");
        let read = |p: &Path| {
            gazette_core::workspace::read_text(p, gazette_core::workspace::MAX_ANALYSABLE, None)
                .map(|d| d.text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
        };
        let (plain, mentions) =
            parse_gold(&read(&g)?).with_context(|| format!("{}", g.display()))?;
        if plain != read(&txt)? {
            anyhow::bail!(
                "{}: the text without markup differs from {}",
                g.display(),
                txt.display()
            );
        }
        golds.push(GoldDoc {
            path: txt,
            text: plain,
            mentions,
        });
    }
    let paths: Vec<PathBuf> = golds.iter().map(|d| d.path.clone()).collect();
    let export = super::entities::analyse(&paths, PositionEncoding::Utf8)?;
    Ok(score(&golds, &export))
}

/// Scores an export against gold mentions per file.
pub fn score(golds: &[GoldDoc], export: &Export) -> Report {
    // Predicted mentions per path: (start, end, kind, entity id, text).
    type Pred<'a> = (
        usize,
        usize,
        &'static str,
        &'a str,
        &'a str,
        gazette_core::model::Source,
    );
    let mut pred: HashMap<&str, Vec<Pred>> = HashMap::new();
    for e in &export.entities {
        let Some(kind) = gold_kind(e.kind) else {
            continue;
        };
        for m in &e.mentions {
            pred.entry(m.at.path.as_str()).or_default().push((
                m.at.byte_start as usize,
                m.at.byte_end as usize,
                kind,
                e.id.as_str(),
                m.at.text.as_str(),
                m.source,
            ));
        }
    }
    let mut report = Report {
        documents: golds.len(),
        ..Report::default()
    };
    for k in KINDS {
        report.per_kind.insert(k.to_string(), Counts::default());
    }
    // gold entity -> ids of its found mentions; id -> gold entities.
    let mut ids_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut golds_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for GoldDoc {
        path,
        text: body,
        mentions: gold,
    } in golds
    {
        let p = path.to_string_lossy();
        let doc = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let empty = Vec::new();
        let preds = pred.get(p.as_ref()).unwrap_or(&empty);
        let neutral = |s: usize, e: usize| {
            gold.iter()
                .any(|g| g.kind == "PART" && s < g.end && g.start < e)
        };
        let scored_gold: Vec<&GoldMention> = gold
            .iter()
            .filter(|g| KINDS.contains(&g.kind.as_str()))
            .collect();
        let mut matched = vec![false; scored_gold.len()];
        for &(s, e, kind, id, text, source) in preds {
            if neutral(s, e) {
                continue;
            }
            report.per_kind.get_mut(kind).unwrap().pred += 1;
            let exact = scored_gold
                .iter()
                .position(|g| g.start == s && g.end == e && g.kind == kind);
            match exact {
                Some(i) => {
                    matched[i] = true;
                    report.per_kind.get_mut(kind).unwrap().tp += 1;
                    let g = scored_gold[i];
                    let entity = format!("{} {}", g.kind, g.key);
                    ids_of
                        .entry(entity.clone())
                        .or_default()
                        .insert(id.to_string());
                    golds_of.entry(id.to_string()).or_default().insert(entity);
                }
                None => {
                    let same_span = gold.iter().find(|g| g.start == s && g.end == e);
                    report.errors.push(Miss {
                        doc: doc.clone(),
                        text: text.to_string(),
                        gold: same_span.map(|g| g.kind.clone()).unwrap_or_default(),
                        predicted: kind.to_string(),
                        source: format!("{source:?}").to_lowercase(),
                    });
                }
            }
        }
        for (i, g) in scored_gold.iter().enumerate() {
            report.per_kind.get_mut(g.kind.as_str()).unwrap().gold += 1;
            let typed = preds
                .iter()
                .any(|&(s, e, _, _, _, _)| s == g.start && e == g.end);
            if !matched[i] && !typed {
                report.errors.push(Miss {
                    doc: doc.clone(),
                    text: body.get(g.start..g.end).unwrap_or_default().to_string(),
                    gold: g.kind.clone(),
                    predicted: String::new(),
                    source: String::new(),
                });
            }
        }
    }
    for c in report.per_kind.values() {
        report.all.add(c);
    }
    (report.splits, report.split_examples) = spread(&ids_of);
    (report.merges, report.merge_examples) = spread(&golds_of);
    report
}

/// How many more members than one the sets of `of` have in all, and a
/// line for each set with several.
fn spread(of: &BTreeMap<String, BTreeSet<String>>) -> (usize, Vec<String>) {
    let several = of.iter().filter(|(_, set)| set.len() > 1);
    let extra = several.clone().map(|(_, set)| set.len() - 1).sum();
    (
        extra,
        several
            .map(|(k, set)| format!("{k}: {}", join(set)))
            .collect(),
    )
}

fn join(s: &BTreeSet<String>) -> String {
    s.iter().cloned().collect::<Vec<_>>().join(" | ")
}

/// The report as a table (what `gazette eval DIR` prints).
pub fn table(r: &Report, verbose: bool) -> String {
    let mut s = format!(
        "{} documents; exact span and kind\n{:<6} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}\n",
        r.documents, "kind", "gold", "pred", "tp", "P", "R", "F1"
    );
    let row = |name: &str, c: &Counts| {
        format!(
            "{:<6} {:>5} {:>5} {:>5}  {:>6.3} {:>6.3} {:>6.3}\n",
            name,
            c.gold,
            c.pred,
            c.tp,
            c.precision(),
            c.recall(),
            c.f1()
        )
    };
    for k in KINDS {
        s.push_str(&row(k, &r.per_kind[k]));
    }
    s.push_str(&row("all", &r.all));
    s.push_str(&format!(
        "linking: {} wrong merges, {} splits (over the found mentions)\n",
        r.merges, r.splits
    ));
    if verbose {
        for m in &r.merge_examples {
            s.push_str(&format!("  merge  {m}\n"));
        }
        for m in &r.split_examples {
            s.push_str(&format!("  split  {m}\n"));
        }
        for e in &r.errors {
            let what = match (e.gold.as_str(), e.predicted.as_str()) {
                ("", p) => format!("spurious {p}"),
                (g, "") => format!("missed {g}"),
                (g, p) => format!("{p} for {g}"),
            };
            s.push_str(&format!(
                "  {:<8} {:<14} {:<9} {}\n",
                e.doc,
                what,
                e.source,
                gazette_core::text::escape::line(&e.text)
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (entity id, kind, mention spans).
    type Item<'a> = (&'a str, &'a str, &'a [(usize, usize)]);

    fn export_of(items: &[Item]) -> Export {
        use super::super::entities::{EntityOut, MentionOut, Place};
        Export {
            entities: items
                .iter()
                .map(|(id, kind, spans)| EntityOut {
                    id: id.to_string(),
                    name: id.to_string(),
                    kind: kind_str(kind),
                    role: None,
                    mentions: spans
                        .iter()
                        .map(|&(s, e)| MentionOut {
                            at: Place {
                                path: "a.txt".into(),
                                path_bytes: None,
                                byte_start: s as u32,
                                byte_end: e as u32,
                                text: String::new(),
                            },
                            line: 0,
                            character: 0,
                            source: gazette_core::model::Source::Rule,
                            kind: kind_str(kind),
                        })
                        .collect(),
                })
                .collect(),
            figures: vec![],
        }
    }

    #[test]
    fn scores_spans_kinds_neutral_parts_and_linking() {
        // "Anna Berg traf Berg in Bonn. NATO-Truppen."
        let (text, mentions) = parse_gold(
            "[[PER Anna Berg]] traf [[PER Berg|Anna Berg]] in [[LOC Bonn]]. [[PART NATO-Truppen]].",
        )
        .unwrap();
        let golds = vec![GoldDoc {
            path: PathBuf::from("a.txt"),
            text,
            mentions,
        }];
        // Two ids for Anna Berg (a split), Bonn as an org (wrong kind), NATO neutral.
        let ex = export_of(&[
            ("anna-berg", "person", &[(0, 9)]),
            ("berg", "person", &[(15, 19)]),
            ("bonn", "org", &[(23, 27)]),
            ("nato", "org", &[(29, 33)]),
        ]);
        let r = score(&golds, &ex);
        assert_eq!(r.per_kind["PER"].tp, 2);
        assert_eq!(r.per_kind["LOC"].gold, 1);
        assert_eq!(r.per_kind["LOC"].tp, 0);
        assert_eq!(r.per_kind["ORG"].pred, 1, "the NATO compound is neutral");
        assert_eq!(r.splits, 1);
        assert_eq!(r.merges, 0);
        // One id for two people: a merge.
        let (text, mentions) = parse_gold("[[PER Anna Berg]] und [[PER Udo Berg]]").unwrap();
        let golds = vec![GoldDoc {
            path: PathBuf::from("a.txt"),
            text,
            mentions,
        }];
        let ex = export_of(&[("berg", "person", &[(0, 9), (14, 22)])]);
        let r = score(&golds, &ex);
        assert_eq!((r.merges, r.splits), (1, 0));
        assert!((r.all.f1() - 1.0).abs() < 1e-9);
    }

    fn kind_str(kind: &str) -> &'static str {
        match kind {
            "person" => "person",
            "place" => "place",
            "org" => "org",
            _ => "other",
        }
    }
}
