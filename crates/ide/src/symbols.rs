//! Workspace symbols (fuzzy search over entities) and document symbols (the
//! article's entities grouped by kind).

use super::Location;
use gazette_core::corpus::{Corpus, DocId, EntityInfo, ItemRef, KeyId};
use gazette_core::model::{EntityKind, Span};
use std::collections::BTreeMap;

/// Scores `candidate` against a fuzzy `query` (higher is better), `None`
/// when it does not match. Case-insensitive; an empty query matches all.
/// Matches, best first: prefix, word prefix, subsequence, and (for queries of
/// four letters or more) a near miss by Jaro-Winkler similarity.
pub fn fuzzy_score(query: &str, candidate: &str) -> Option<i64> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Some(0);
    }
    let c = candidate.to_lowercase();
    if c.starts_with(&q) {
        return Some(1000 - c.len() as i64);
    }
    if c.split([' ', '-']).any(|w| w.starts_with(&q)) {
        return Some(800 - c.len() as i64);
    }
    // Subsequence, rewarding consecutive runs.
    let mut score = 0i64;
    let mut run = 0i64;
    let mut qi = q.chars().peekable();
    for ch in c.chars() {
        match qi.peek() {
            Some(&want) if want == ch => {
                run += 1;
                score += run;
                qi.next();
            }
            Some(_) => run = 0,
            None => break,
        }
    }
    if qi.peek().is_none() {
        return Some(400 + score - c.len() as i64);
    }
    if q.chars().count() >= 4 {
        let best = c
            .split(' ')
            .map(|w| {
                let n = q.chars().count().min(w.chars().count());
                let prefix: String = w.chars().take(n.max(q.chars().count())).collect();
                strsim::jaro_winkler(&q, &prefix)
            })
            .fold(0.0f64, f64::max);
        if best >= 0.85 {
            return Some((best * 300.0) as i64 - c.len() as i64);
        }
    }
    None
}

/// Entities whose name (a spelling of it, or a knowledge-base alias)
/// matches `query`, best first, at most `limit`. Scores the corpus's names
/// first and builds entity information only for the best, so a search stays
/// fast on large corpora.
pub fn search_entities(corpus: &Corpus, query: &str, limit: usize) -> Vec<EntityInfo> {
    let mut scored: Vec<(i64, u32, KeyId)> = corpus
        .frequent_keys(1)
        .into_iter()
        .filter_map(|(k, spelling, total, _)| fuzzy_score(query, spelling).map(|s| (s, total, k)))
        .collect();
    // Knowledge-base aliases are not spellings of their key: score them too.
    for id in corpus.doc_ids() {
        let Some(kb) = corpus.doc(id).and_then(|d| d.kb.clone()) else {
            continue;
        };
        for e in &kb.entities {
            let Some(s) = e.aliases.iter().filter_map(|a| fuzzy_score(query, a)).max() else {
                continue;
            };
            if let Some(k) = corpus.key_id(&gazette_core::linking::link_key(&e.name, e.kind)) {
                scored.push((s, corpus.key_total(k), k));
            }
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (_, _, k) in scored {
        if out.len() >= limit {
            break;
        }
        if !seen.insert(k) {
            continue;
        }
        let info = corpus.entity_info(k);
        // A surname that joined a full name is found through the full name.
        if info.mentions.is_empty() {
            continue;
        }
        out.push(info);
    }
    out
}

/// Where an entity is defined (for symbol locations).
pub fn definition_location(corpus: &Corpus, info: &EntityInfo) -> Option<Location> {
    let d = corpus.definition(info)?;
    Some(Location {
        doc: d.doc,
        span: corpus.mention(d).span(),
    })
}

/// One entity of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct DocEntity {
    pub key: KeyId,
    pub name: String,
    pub kind: EntityKind,
    /// Its mentions in this document, in order.
    pub spans: Vec<Span>,
}

/// The document's entities grouped by kind (person, place, org, other), each
/// group in order of first mention.
pub fn document_entities(corpus: &Corpus, doc: DocId) -> Vec<(EntityKind, Vec<DocEntity>)> {
    let Some(entry) = corpus.doc(doc) else {
        return Vec::new();
    };
    let mut order: Vec<KeyId> = Vec::new();
    let mut spans: BTreeMap<KeyId, Vec<Span>> = BTreeMap::new();
    for (i, m) in entry.analysis.mentions.iter().enumerate() {
        let e = corpus.entity_of(ItemRef { doc, idx: i as u32 });
        let list = spans.entry(e).or_default();
        if list.is_empty() {
            order.push(e);
        }
        list.push(m.span());
    }
    let mut groups: BTreeMap<EntityKind, Vec<DocEntity>> = BTreeMap::new();
    for e in order {
        let info = corpus.entity_info(e);
        groups.entry(info.kind).or_default().push(DocEntity {
            key: e,
            name: info.name,
            kind: info.kind,
            spans: spans.remove(&e).unwrap_or_default(),
        });
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;

    const CORPUS: &str = r#"
        //- a.txt
        Am Montag sprach Olaf Scholz in Berlin mit Jens Stoltenberg über die NATO. Scholz blieb.
        //- b.txt
        Der ukrainische Präsident Zelensky traf Stoltenberg in Kiew. Die NATO zahlt.
        //- gazette.toml
        [[entity]]
        name = "Wolodymyr Selenskyj"
        kind = "person"
        aliases = ["Selenskyj", "Zelensky"]
        "#;

    #[test]
    fn document_symbols_by_kind() {
        let f = Fixture::parse(CORPUS);
        let mut out = String::new();
        for (kind, entities) in document_entities(&f.corpus, f.doc_named("a.txt")) {
            out += &format!("{kind}\n");
            for e in entities {
                out += &format!("  {}: {}", e.name, f.marked(f.doc, &e.spans));
            }
        }
        assert_snapshot!(out, @r"
            person
              Olaf Scholz: Am Montag sprach [Olaf Scholz] in Berlin mit Jens Stoltenberg über die NATO. [Scholz] blieb.
              Jens Stoltenberg: Am Montag sprach Olaf Scholz in Berlin mit [Jens Stoltenberg] über die NATO. Scholz blieb.
            place
              Berlin: Am Montag sprach Olaf Scholz in [Berlin] mit Jens Stoltenberg über die NATO. Scholz blieb.
            org
              NATO: Am Montag sprach Olaf Scholz in Berlin mit Jens Stoltenberg über die [NATO]. Scholz blieb.
        ");
    }

    #[test]
    fn workspace_symbols_by_name_and_alias() {
        let f = Fixture::parse(CORPUS);
        let search = |q: &str| -> String {
            search_entities(&f.corpus, q, 5)
                .iter()
                .map(|e| {
                    let def = definition_location(&f.corpus, e)
                        .map(|l| f.location(l.doc, l.span))
                        .unwrap_or_default();
                    format!("{} ({}) at {def}\n", e.name, e.kind)
                })
                .collect()
        };
        assert_snapshot!(search("stolt"), @r#"Jens Stoltenberg (person) at a.txt 43..59 "Jens Stoltenberg""#);
        assert_snapshot!(search("zelen"), @r#"Wolodymyr Selenskyj (person) at gazette.toml 19..38 "Wolodymyr Selenskyj""#);
        assert_snapshot!(search("xyz"), @"");
    }

    #[test]
    fn fuzzy_ranks_prefix_then_words_then_subsequence() {
        let p = fuzzy_score("stol", "Stoltenberg").unwrap();
        let w = fuzzy_score("stol", "Jens Stoltenberg").unwrap();
        let s = fuzzy_score("jstb", "Jens Stoltenberg").unwrap();
        assert!(p > w && w > s, "{p} {w} {s}");
        assert!(fuzzy_score("Stoltenburg", "Jens Stoltenberg").is_some());
        assert!(fuzzy_score("xyz", "Jens Stoltenberg").is_none());
        assert_eq!(fuzzy_score("", "NATO"), Some(0));
    }
}
