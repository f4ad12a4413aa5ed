//! The corpus map: who appears with whom (a co-occurrence network of
//! entities), when (mentions per article date), and which figures disagree.
//!
//! Plain data for `gazette report` (a self-contained HTML page) and the
//! server's `gazette/graph` request (the editor's corpus map): both draw
//! what this computes, filtered here by kind, date range, a minimum count
//! and a top-N, and again in the page (the series per date let it narrow
//! the date range without asking).

use crate::{Location, TextSource};
use gazette_core::corpus::{Corpus, DocId, ItemRef};
use gazette_core::dates::Ymd;
use gazette_core::model::EntityKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What the map shows.
#[derive(Clone, Debug)]
pub struct MapOptions {
    /// Kinds of entities shown (empty: all).
    pub kinds: Vec<EntityKind>,
    /// Only articles dated in this range (inclusive) count; with either
    /// bound set, undated articles do not.
    pub from: Option<Ymd>,
    pub to: Option<Ymd>,
    /// Least articles an entity is named in, and an edge's least shared
    /// articles.
    pub min_count: usize,
    /// At most this many entities (those named in the most articles).
    pub top_n: usize,
    /// At most this many edges (the heaviest).
    pub max_edges: usize,
    /// At most this many figure topics (disagreeing ones first).
    pub max_topics: usize,
    /// Articles listed per entity.
    pub articles_per_node: usize,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            kinds: Vec::new(),
            from: None,
            to: None,
            min_count: 1,
            top_n: DEFAULT_TOP_N,
            max_edges: 2000,
            max_topics: 100,
            articles_per_node: 25,
        }
    }
}

/// Entities a map shows unless told otherwise: readable at any corpus size.
pub const DEFAULT_TOP_N: usize = 60;

/// Days are the timeline's steps while a corpus spans at most this many
/// distinct dates; beyond, months.
const MAX_DAY_BUCKETS: usize = 400;

#[derive(Debug, Serialize)]
pub struct CorpusMap {
    /// Articles in the corpus (the knowledge base is none), and how many
    /// of them have a date.
    pub articles: usize,
    pub dated: usize,
    /// `day` or `month`: what one step of `buckets` is.
    pub granularity: &'static str,
    /// The dates of the articles counted, ascending ("2022-02-16" or
    /// "2022-02"); series refer to them by index.
    pub buckets: Vec<String>,
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
    /// Entities that passed the filters but not the top-N.
    pub nodes_left_out: usize,
    pub edges_left_out: usize,
    pub figures: Vec<FigureTopic>,
}

#[derive(Debug, Serialize)]
pub struct MapNode {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub mentions: usize,
    pub articles: usize,
    /// Mentions and articles per date bucket: `[bucket, mentions, articles]`.
    pub series: Vec<[u32; 3]>,
    /// Mentions and articles in undated articles.
    pub undated: [u32; 2],
    /// The hover card of the entity (Markdown).
    pub card: String,
    /// The first articles naming it (corpus order).
    pub article_list: Vec<MapArticle>,
    /// Where the entity is defined (knowledge-base entry or first full name).
    #[serde(skip)]
    pub definition: Option<Location>,
}

#[derive(Debug, Serialize)]
pub struct MapArticle {
    pub path: String,
    pub date: Option<String>,
    /// Where the date was found (`stamp`, `url`, `file-name`, …).
    pub date_source: Option<&'static str>,
    pub mentions: u32,
    #[serde(skip)]
    pub doc: DocId,
}

#[derive(Debug, Serialize)]
pub struct MapEdge {
    /// Indexes into `nodes`.
    pub source: u32,
    pub target: u32,
    /// Articles naming both.
    pub weight: u32,
    /// Shared articles per date bucket: `[bucket, articles]`.
    pub series: Vec<[u32; 2]>,
    pub undated: u32,
}

/// Figures stating one quantity: a topic (what is counted, without the
/// value) with several values, or a quantity key stated several times.
#[derive(Debug, Serialize)]
pub struct FigureTopic {
    /// The topic key ("count:soldat@usa") or quantity key ("count:30:mitglied").
    pub key: String,
    /// Category and unit ("count · Mitglied").
    pub label: String,
    pub statements: usize,
    pub articles: usize,
    /// More than one value is stated (a topic); else all agree.
    pub disagree: bool,
    /// Most-stated first (at most [`VALUES_PER_TOPIC`]).
    pub values: Vec<FigureValueGroup>,
    /// Values of the topic not listed.
    pub values_left_out: usize,
}

#[derive(Debug, Serialize)]
pub struct FigureValueGroup {
    /// The value the German way ("30", "2 %").
    pub value: String,
    pub articles: usize,
    /// Stated by fewer articles than another value of the topic.
    pub disagrees: bool,
    /// The first statement in each of the first articles (at most
    /// [`STATEMENTS_PER_VALUE`]).
    pub statements: Vec<FigureStatement>,
}

#[derive(Debug, Serialize)]
pub struct FigureStatement {
    pub path: String,
    pub date: Option<String>,
    /// The figure as the article writes it.
    pub text: String,
    #[serde(skip)]
    pub location: Location,
}

const STATEMENTS_PER_VALUE: usize = 5;
/// Values listed per topic: on 10^5 articles a topic can gather hundreds.
const VALUES_PER_TOPIC: usize = 12;

/// Per entity and article: mentions there.
struct Candidate {
    info: gazette_core::corpus::EntityInfo,
    /// (document, mentions), documents in the date range only.
    docs: Vec<(DocId, u32)>,
    mentions: usize,
}

/// Computes the map of `corpus` under `opts`.
pub fn corpus_map(corpus: &Corpus, texts: &dyn TextSource, opts: &MapOptions) -> CorpusMap {
    let ids = corpus.doc_ids();
    let article_ids: Vec<DocId> = ids
        .iter()
        .copied()
        .filter(|&d| !corpus.is_kb_doc(d))
        .collect();
    let ranged = opts.from.is_some() || opts.to.is_some();
    let in_range = |d: DocId| match corpus.article_date(d) {
        Some(a) => opts.from.is_none_or(|f| a.date >= f) && opts.to.is_none_or(|t| a.date <= t),
        None => !ranged,
    };
    let dated = article_ids
        .iter()
        .filter(|&&d| corpus.article_date(d).is_some())
        .count();
    // Date buckets over the articles counted.
    let days: BTreeSet<Ymd> = article_ids
        .iter()
        .filter(|&&d| in_range(d))
        .filter_map(|&d| corpus.article_date(d).map(|a| a.date))
        .collect();
    let by_day = days.len() <= MAX_DAY_BUCKETS;
    let bucket_of = |y: Ymd| -> Ymd {
        if by_day {
            y
        } else {
            Ymd { d: 1, ..y }
        }
    };
    let bucket_dates: Vec<Ymd> = days
        .iter()
        .map(|&y| bucket_of(y))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let bucket = |d: DocId| -> Option<u32> {
        let y = bucket_of(corpus.article_date(d)?.date);
        bucket_dates.binary_search(&y).ok().map(|i| i as u32)
    };

    // Entities passing the filters, most articles first.
    let mut cands: Vec<Candidate> = corpus
        .entities()
        .into_iter()
        .filter(|e| opts.kinds.is_empty() || opts.kinds.contains(&e.kind))
        .filter_map(|info| {
            let mut docs: Vec<(DocId, u32)> = Vec::new();
            for c in info.mentions.chunk_by(|a, b| a.doc == b.doc) {
                let d = c[0].doc;
                if !corpus.is_kb_doc(d) && in_range(d) {
                    docs.push((d, c.len() as u32));
                }
            }
            let mentions = docs.iter().map(|x| x.1 as usize).sum();
            (!docs.is_empty() && docs.len() >= opts.min_count).then_some(Candidate {
                info,
                docs,
                mentions,
            })
        })
        .collect();
    cands.sort_by(|a, b| {
        b.docs
            .len()
            .cmp(&a.docs.len())
            .then(b.mentions.cmp(&a.mentions))
            .then_with(|| a.info.name.cmp(&b.info.name))
            .then_with(|| a.info.id.cmp(&b.info.id))
    });
    let nodes_left_out = cands.len().saturating_sub(opts.top_n);
    cands.truncate(opts.top_n);

    let date_of = |d: DocId| corpus.article_date(d);
    let path_of = |d: DocId| corpus.path(d).to_string_lossy().into_owned();
    let mut nodes = Vec::with_capacity(cands.len());
    // Per document: the shown entities named there.
    let mut in_doc: BTreeMap<DocId, Vec<u32>> = BTreeMap::new();
    for (i, c) in cands.iter().enumerate() {
        let mut series: BTreeMap<u32, [u32; 2]> = BTreeMap::new();
        let mut undated = [0u32; 2];
        for &(d, n) in &c.docs {
            in_doc.entry(d).or_default().push(i as u32);
            match bucket(d) {
                Some(b) => {
                    let s = series.entry(b).or_default();
                    s[0] += n;
                    s[1] += 1;
                }
                None => {
                    undated[0] += n;
                    undated[1] += 1;
                }
            }
        }
        let first = c
            .info
            .mentions
            .iter()
            .copied()
            .find(|r| !corpus.is_kb_doc(r.doc));
        let card = first
            .and_then(|r| {
                crate::hover(
                    corpus,
                    texts,
                    r.doc,
                    corpus.mention(r).span().start as usize,
                )
            })
            .map(|h| h.markdown)
            .unwrap_or_default();
        let definition = corpus.definition(&c.info).map(|r: ItemRef| Location {
            doc: r.doc,
            span: corpus.mention(r).span(),
        });
        nodes.push(MapNode {
            id: c.info.id.clone(),
            name: c.info.name.clone(),
            kind: c.info.kind.as_str(),
            mentions: c.mentions,
            articles: c.docs.len(),
            series: series.into_iter().map(|(b, [m, a])| [b, m, a]).collect(),
            undated,
            card,
            article_list: c
                .docs
                .iter()
                .take(opts.articles_per_node)
                .map(|&(d, n)| MapArticle {
                    path: path_of(d),
                    date: date_of(d).map(|a| a.date.to_string()),
                    date_source: date_of(d).map(|a| a.source.as_str()),
                    mentions: n,
                    doc: d,
                })
                .collect(),
            definition,
        });
    }

    // Edges: pairs of shown entities named in the same article.
    #[derive(Default)]
    struct Acc {
        weight: u32,
        series: BTreeMap<u32, u32>,
        undated: u32,
    }
    let mut pairs: BTreeMap<(u32, u32), Acc> = BTreeMap::new();
    for (&d, ns) in &in_doc {
        if ns.len() < 2 {
            continue;
        }
        let b = bucket(d);
        for (x, &i) in ns.iter().enumerate() {
            for &j in &ns[x + 1..] {
                let acc = pairs.entry((i.min(j), i.max(j))).or_default();
                acc.weight += 1;
                match b {
                    Some(b) => *acc.series.entry(b).or_default() += 1,
                    None => acc.undated += 1,
                }
            }
        }
    }
    let mut edges: Vec<MapEdge> = pairs
        .into_iter()
        .filter(|(_, a)| a.weight as usize >= opts.min_count)
        .map(|((s, t), a)| MapEdge {
            source: s,
            target: t,
            weight: a.weight,
            series: a.series.into_iter().map(|(b, n)| [b, n]).collect(),
            undated: a.undated,
        })
        .collect();
    edges.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then(a.source.cmp(&b.source))
            .then(a.target.cmp(&b.target))
    });
    let edges_left_out = edges.len().saturating_sub(opts.max_edges);
    edges.truncate(opts.max_edges);

    CorpusMap {
        articles: article_ids.len(),
        dated,
        granularity: if by_day { "day" } else { "month" },
        buckets: bucket_dates
            .iter()
            .map(|y| match by_day {
                true => y.to_string(),
                false => format!("{:04}-{:02}", y.y, y.m),
            })
            .collect(),
        nodes,
        edges,
        nodes_left_out,
        edges_left_out,
        figures: figure_topics(corpus, texts, &article_ids, opts.max_topics),
    }
}

/// Figure groups: topics on which articles disagree (several values of
/// one quantity, the diagnostics' `figure-disagreement`), then quantities
/// stated several times (the hover card's "same quantity" group), most
/// statements first.
fn figure_topics(
    corpus: &Corpus,
    texts: &dyn TextSource,
    docs: &[DocId],
    max: usize,
) -> Vec<FigureTopic> {
    let mut topic_keys = BTreeSet::new();
    let mut quantities: BTreeMap<gazette_core::model::Sym, Vec<ItemRef>> = BTreeMap::new();
    for &d in docs {
        for (i, f) in corpus.doc(d).unwrap().analysis.figures.iter().enumerate() {
            if let Some(k) = f.topic_key {
                topic_keys.insert(k);
            }
            if let Some(k) = f.quantity_key {
                quantities.entry(k).or_default().push(ItemRef {
                    doc: d,
                    idx: i as u32,
                });
            }
        }
    }
    let statement = |r: ItemRef| {
        let span = corpus.figure(r).span();
        FigureStatement {
            path: corpus.path(r.doc).to_string_lossy().into_owned(),
            date: corpus.article_date(r.doc).map(|a| a.date.to_string()),
            text: texts
                .text(corpus, r.doc)
                .filter(|t| crate::text_fits(corpus, r.doc, t))
                .and_then(|t| t.get(span.range()).map(str::to_string))
                .unwrap_or_default(),
            location: Location { doc: r.doc, span },
        }
    };
    let label_of = |r: ItemRef| {
        let f = corpus.figure(r);
        match &f.unit {
            Some(u) => format!("{} · {}", f.category.as_str(), u),
            None => f.category.as_str().to_string(),
        }
    };
    let mut topics = Vec::new();
    for key in topic_keys {
        let summary = corpus.topic_summary(key);
        if summary.values.len() < 2 {
            continue;
        }
        let articles: usize = summary.values.iter().map(|v| v.docs.len()).sum();
        let top = summary.values[0].docs.len();
        let unique_top = summary
            .values
            .iter()
            .filter(|v| v.docs.len() == top)
            .count()
            == 1;
        let values = summary
            .values
            .iter()
            .take(VALUES_PER_TOPIC)
            .map(|v| {
                let f = corpus.figure(v.refs[0]);
                FigureValueGroup {
                    value: crate::lens::figure_label(&v.value, f.category, f.unit.as_deref()),
                    articles: v.docs.len(),
                    disagrees: !(unique_top && v.docs.len() == top),
                    statements: v
                        .refs
                        .iter()
                        .take(STATEMENTS_PER_VALUE)
                        .map(|&r| statement(r))
                        .collect(),
                }
            })
            .collect();
        topics.push(FigureTopic {
            key: key.as_str().to_string(),
            label: label_of(summary.values[0].refs[0]),
            statements: summary.values.iter().map(|v| v.refs.len()).sum(),
            articles,
            disagree: true,
            values,
            values_left_out: summary.values.len().saturating_sub(VALUES_PER_TOPIC),
        });
    }
    for (key, refs) in quantities {
        if refs.len() < 2 {
            continue;
        }
        let f = corpus.figure(refs[0]);
        let articles = refs.chunk_by(|a, b| a.doc == b.doc).count();
        topics.push(FigureTopic {
            key: key.as_str().to_string(),
            label: label_of(refs[0]),
            statements: refs.len(),
            articles,
            disagree: false,
            values: vec![FigureValueGroup {
                value: crate::lens::figure_label(&f.value, f.category, f.unit.as_deref()),
                articles,
                disagrees: false,
                // One statement per article, as for a topic's values.
                statements: refs
                    .chunk_by(|a, b| a.doc == b.doc)
                    .take(STATEMENTS_PER_VALUE)
                    .map(|c| statement(c[0]))
                    .collect(),
            }],
            values_left_out: 0,
        });
    }
    topics.sort_by(|a, b| {
        b.disagree
            .cmp(&a.disagree)
            .then(b.statements.cmp(&a.statements))
            .then_with(|| a.key.cmp(&b.key))
    });
    topics.truncate(max);
    topics
}

/// A kind by its name (`person`, `place`, `org`, `other`).
pub fn kind_from_str(s: &str) -> Option<EntityKind> {
    [
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Org,
        EntityKind::Other,
    ]
    .into_iter()
    .find(|k| k.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;

    fn map(fixture: &str, opts: &MapOptions) -> CorpusMap {
        let f = Fixture::parse(fixture);
        corpus_map(&f.corpus, &f.texts, opts)
    }

    const ARTICLES: &str = r#"
//- 2022-01-10-a.txt
Jens Stoltenberg sprach in Brüssel über die NATO. Das Bündnis hat 30 Mitglieder der NATO.
//- b.txt
Stand: 16.02.2022 04:24 Uhr
Jens Stoltenberg und Olaf Scholz trafen sich in Berlin. Es sind 30 Mitglieder der NATO.
//- c.txt
Olaf Scholz reiste nach Berlin. Die Allianz hat 31 Mitglieder der NATO.
"#;

    fn names(m: &CorpusMap) -> Vec<(&str, usize, usize)> {
        m.nodes
            .iter()
            .map(|n| (n.name.as_str(), n.articles, n.mentions))
            .collect()
    }

    fn edge_names(m: &CorpusMap) -> Vec<(&str, &str, u32)> {
        m.edges
            .iter()
            .map(|e| {
                let a = m.nodes[e.source as usize].name.as_str();
                let b = m.nodes[e.target as usize].name.as_str();
                (a.min(b), a.max(b), e.weight)
            })
            .collect()
    }

    #[test]
    fn nodes_edges_dates_and_figures() {
        let m = map(ARTICLES, &MapOptions::default());
        assert_eq!((m.articles, m.dated), (3, 2));
        assert_eq!(m.buckets, ["2022-01-10", "2022-02-16"]);
        assert_eq!(names(&m), sorted_expected());
        let nato = m.nodes.iter().find(|n| n.name == "NATO").unwrap();
        // a.txt (2022-01-10): 2 mentions, b.txt (2022-02-16): 1, c.txt undated: 1.
        assert_eq!(nato.series, [[0, 2, 1], [1, 1, 1]]);
        assert_eq!(nato.undated, [1, 1]);
        assert!(nato.card.contains("**NATO**"), "{}", nato.card);
        assert_eq!(nato.article_list.len(), 3);
        assert_eq!(nato.article_list[0].date_source, Some("file-name"));
        assert_eq!(nato.article_list[1].date_source, Some("stamp"));
        let edges = edge_names(&m);
        assert!(
            edges.contains(&("Jens Stoltenberg", "NATO", 2)),
            "{edges:?}"
        );
        assert!(edges.contains(&("Berlin", "Olaf Scholz", 2)), "{edges:?}");
        assert!(!edges
            .iter()
            .any(|e| e.0 == "Brüssel" && e.1 == "Olaf Scholz"));
        let same = m
            .figures
            .iter()
            .find(|t| t.key == "count:30:mitglied")
            .unwrap_or_else(|| panic!("no group of 30 members: {:?}", m.figures));
        assert!(!same.disagree);
        assert_eq!((same.statements, same.articles), (2, 2));
        assert_eq!(
            same.values[0].statements[1].date.as_deref(),
            Some("2022-02-16")
        );
        let members = m
            .figures
            .iter()
            .find(|t| t.disagree && t.label.contains("Mitglied"))
            .unwrap_or_else(|| panic!("no members topic: {:?}", m.figures));
        assert!(members.disagree);
        let vals: Vec<(&str, usize, bool)> = members
            .values
            .iter()
            .map(|v| (v.value.as_str(), v.articles, v.disagrees))
            .collect();
        assert_eq!(vals, [("30", 2, false), ("31", 1, true)]);
        assert_eq!(members.values[1].statements[0].text, "31");
    }

    fn sorted_expected() -> Vec<(&'static str, usize, usize)> {
        vec![
            ("NATO", 3, 4),
            ("Berlin", 2, 2),
            ("Jens Stoltenberg", 2, 2),
            ("Olaf Scholz", 2, 2),
            ("Brüssel", 1, 1),
        ]
    }

    #[test]
    fn filters() {
        let people = MapOptions {
            kinds: vec![EntityKind::Person],
            ..MapOptions::default()
        };
        let m = map(ARTICLES, &people);
        assert_eq!(
            names(&m),
            [("Jens Stoltenberg", 2, 2), ("Olaf Scholz", 2, 2)]
        );
        assert_eq!(edge_names(&m), [("Jens Stoltenberg", "Olaf Scholz", 1)]);
        let min2 = MapOptions {
            min_count: 2,
            ..MapOptions::default()
        };
        let m = map(ARTICLES, &min2);
        assert!(!names(&m).iter().any(|n| n.0 == "Brüssel"));
        assert!(m.edges.iter().all(|e| e.weight >= 2));
        let top1 = MapOptions {
            top_n: 1,
            ..MapOptions::default()
        };
        let m = map(ARTICLES, &top1);
        assert_eq!(names(&m), [("NATO", 3, 4)]);
        assert_eq!(m.nodes_left_out, 4);
        assert!(m.edges.is_empty());
        // From February: only b.txt counts (undated c.txt neither).
        let feb = MapOptions {
            from: Ymd::new(2022, 2, 1),
            ..MapOptions::default()
        };
        let m = map(ARTICLES, &feb);
        assert_eq!(m.buckets, ["2022-02-16"]);
        assert_eq!(
            names(&m),
            [
                ("Berlin", 1, 1),
                ("Jens Stoltenberg", 1, 1),
                ("NATO", 1, 1),
                ("Olaf Scholz", 1, 1)
            ]
        );
        assert!(m.nodes.iter().all(|n| n.undated == [0, 0]));
    }

    /// The map as text: buckets, nodes (articles, mentions, per-bucket
    /// series), edges and figure groups.
    fn check(fixture: &str, opts: &MapOptions) -> String {
        use std::fmt::Write;
        let m = map(fixture, opts);
        let mut out = format!(
            "{} articles, {} dated: {:?}\n",
            m.articles, m.dated, m.buckets
        );
        for n in &m.nodes {
            let (a, k, series) = (n.articles, n.mentions, &n.series);
            let _ = writeln!(out, "{}: {a} articles, {k} mentions, {series:?}", n.name);
        }
        for (a, b, w) in edge_names(&m) {
            let _ = writeln!(out, "{a} -- {b} ({w})");
        }
        for t in &m.figures {
            let values: Vec<_> = t.values.iter().map(|v| (&v.value, v.articles)).collect();
            let _ = writeln!(out, "{} [{}]: {values:?}", t.label, t.key);
        }
        out
    }

    #[test]
    fn a_map_of_three_articles() {
        // NATO: 2 mentions on 2022-01-10 (bucket 0), 1 on 2022-02-16, one
        // in the undated article; the 30 and the 31 members disagree.
        assert_snapshot!(check(ARTICLES, &MapOptions::default()), @r#"
        3 articles, 2 dated: ["2022-01-10", "2022-02-16"]
        NATO: 3 articles, 4 mentions, [[0, 2, 1], [1, 1, 1]]
        Berlin: 2 articles, 2 mentions, [[1, 1, 1]]
        Jens Stoltenberg: 2 articles, 2 mentions, [[0, 1, 1], [1, 1, 1]]
        Olaf Scholz: 2 articles, 2 mentions, [[1, 1, 1]]
        Brüssel: 1 articles, 1 mentions, [[0, 1, 1]]
        Berlin -- NATO (2)
        Jens Stoltenberg -- NATO (2)
        NATO -- Olaf Scholz (2)
        Berlin -- Olaf Scholz (2)
        Brüssel -- NATO (1)
        Berlin -- Jens Stoltenberg (1)
        Jens Stoltenberg -- Olaf Scholz (1)
        Brüssel -- Jens Stoltenberg (1)
        count · Mitglied [count:mitglied@nato]: [("30", 2), ("31", 1)]
        count · Mitglied [count:30:mitglied]: [("30", 2)]
        "#);
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(kind_from_str("org"), Some(EntityKind::Org));
        assert_eq!(kind_from_str("ORG"), None);
    }
}
