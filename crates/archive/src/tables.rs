//! The archive's tables in memory, and the corpus-level steps that turn
//! per-article rows into them: document ids in path order, entity
//! resolution (a one-word person mention joins a full name, exactly
//! [`Corpus::entity_of`]), entity summaries and figure groups.
//!
//! The Spark job (`spark/build_archive.py`) computes the same steps in
//! Spark SQL; `tests/archive/run.sh` checks that both give equal tables.

use crate::rows::{rows_of, DocumentRow, FigureRow, MentionRow, Row};
use gazette_core::corpus::{Corpus, DocId, ItemRef};
use std::collections::BTreeMap;
use std::path::Path;

/// A mention with its document and entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub doc_id: i64,
    pub entity_id: i64,
    pub row: MentionRow,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub entity_id: i64,
    pub key: String,
    pub slug: String,
    pub name: String,
    /// `name` in lower case (`str::to_lowercase`), for prefix search.
    pub name_lower: String,
    pub kind: String,
    pub mention_count: i64,
    pub doc_count: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FigureGroup {
    pub group_kind: &'static str,
    pub group_key: String,
    pub statements: i64,
    pub doc_count: i64,
}

/// Every table of an archive.
#[derive(Debug, Default)]
pub struct Tables {
    pub documents: Vec<(i64, DocumentRow)>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    pub figures: Vec<(i64, FigureRow)>,
    pub figure_groups: Vec<FigureGroup>,
}

/// `path` relative to `root`, with `/` between its parts: the archive's
/// name of an article (the Spark job names them the same way).
pub fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The tables of a corpus whose articles lie under `root`. The knowledge
/// base's pseudo-document is not an article and is left out.
pub fn from_corpus(corpus: &Corpus, root: &Path) -> Tables {
    let mut docs: Vec<(String, DocId)> = corpus
        .doc_ids()
        .into_iter()
        .filter(|&d| !corpus.is_kb_doc(d))
        .map(|d| (relative_path(root, corpus.path(d)), d))
        .collect();
    docs.sort();
    let mut t = Tables::default();
    // Entity ids are given once all keys are known: collect by key first.
    let mut resolved: Vec<(i64, String, MentionRow)> = Vec::new();
    for (i, (path, d)) in docs.iter().enumerate() {
        let doc_id = i as i64 + 1;
        let entry = corpus.doc(*d).expect("live document");
        for row in rows_of(path, &entry.analysis) {
            match row {
                Row::Document(r) => t.documents.push((doc_id, r)),
                Row::Mention(m) => {
                    let e = corpus.entity_of(ItemRef {
                        doc: *d,
                        idx: m.at.idx as u32,
                    });
                    resolved.push((doc_id, corpus.key_text(e).to_string(), m));
                }
                Row::Figure(f) => t.figures.push((doc_id, f)),
                Row::Error(_) => {}
            }
        }
    }
    // Entities: per resolved key, counts, the most frequent spelling (ties:
    // the bytewise smallest) and kind (ties: person, place, org, other).
    #[derive(Default)]
    struct Acc {
        mentions: i64,
        docs: i64,
        last_doc: i64,
        spellings: BTreeMap<String, i64>,
        kinds: [i64; 4],
    }
    let mut acc: BTreeMap<&str, Acc> = BTreeMap::new();
    for (doc_id, key, m) in &resolved {
        let a = acc.entry(key.as_str()).or_default();
        a.mentions += 1;
        if a.last_doc != *doc_id {
            a.docs += 1;
            a.last_doc = *doc_id;
        }
        *a.spellings.entry(m.spelling.clone()).or_default() += 1;
        a.kinds[KINDS.iter().position(|k| *k == m.kind).unwrap_or(3)] += 1;
    }
    let mut ids: BTreeMap<&str, i64> = BTreeMap::new();
    for (i, (key, a)) in acc.iter().enumerate() {
        let entity_id = i as i64 + 1;
        ids.insert(key, entity_id);
        let name = a
            .spellings
            .iter()
            .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
            .map(|x| x.0.clone())
            .unwrap_or_default();
        let kind = (0..4)
            .max_by_key(|&i| (a.kinds[i], std::cmp::Reverse(i)))
            .unwrap();
        t.entities.push(Entity {
            entity_id,
            key: key.to_string(),
            slug: gazette_core::linking::slug(key),
            name_lower: name.to_lowercase(),
            name,
            kind: KINDS[kind].to_string(),
            mention_count: a.mentions,
            doc_count: a.docs,
        });
    }
    let mentions: Vec<Mention> = resolved
        .iter()
        .map(|(doc_id, key, m)| Mention {
            doc_id: *doc_id,
            entity_id: ids[key.as_str()],
            row: m.clone(),
        })
        .collect();
    t.mentions = mentions;
    t.figure_groups = figure_groups(&t.figures);
    t
}

/// The kinds in tie-breaking order.
pub const KINDS: [&str; 4] = ["person", "place", "org", "other"];

/// Figures grouped by quantity key and by topic key.
fn figure_groups(figures: &[(i64, FigureRow)]) -> Vec<FigureGroup> {
    let mut out = Vec::new();
    for (kind, key_of) in [
        (
            "quantity",
            (|f: &FigureRow| f.quantity_key.clone()) as fn(&FigureRow) -> _,
        ),
        ("topic", |f: &FigureRow| f.topic_key.clone()),
    ] {
        let mut groups: BTreeMap<String, (i64, std::collections::BTreeSet<i64>)> = BTreeMap::new();
        for (doc_id, f) in figures {
            if let Some(k) = key_of(f) {
                let g = groups.entry(k).or_default();
                g.0 += 1;
                g.1.insert(*doc_id);
            }
        }
        out.extend(groups.into_iter().map(|(k, (n, docs))| FigureGroup {
            group_kind: kind,
            group_key: k,
            statements: n,
            doc_count: docs.len() as i64,
        }));
    }
    out
}
