//! Workspace symbols (fuzzy search over entities) and document symbols (the
//! article's entities grouped by kind).

use super::Location;
use gazette_core::corpus::{Corpus, DocId, EntityInfo, ItemRef, KeyId};
use gazette_core::model::{EntityKind, Span};
use std::collections::BTreeMap;

pub use gazette_core::corpus::fuzzy_score;

/// What `make` makes of the entities matching `query`
/// ([`Corpus::name_matches`]: from the name index), best first (score,
/// then mentions, then key), each key once, at most `limit`; `make` returns
/// `None` for a key to pass over.
fn best_matches<T>(
    corpus: &Corpus,
    query: &str,
    limit: usize,
    make: impl FnMut(KeyId) -> Option<T>,
) -> Vec<T> {
    take_best(corpus.name_matches(query), limit, make)
}

/// The first `limit` of `matches` (in order) that `make` makes something
/// of, each key once.
fn take_best<T>(
    matches: impl Iterator<Item = (i64, u32, KeyId)>,
    limit: usize,
    mut make: impl FnMut(KeyId) -> Option<T>,
) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (_, _, k) in matches {
        if out.len() >= limit {
            break;
        }
        if seen.insert(k) {
            out.extend(make(k));
        }
    }
    out
}

/// [`best_matches`] as it was before the name index: every name of the
/// corpus scored ([`Corpus::name_matches_by_scan`]), then sorted only as far
/// as needed. For benchmarks and tests.
#[doc(hidden)]
pub fn workspace_symbols_by_scan(corpus: &Corpus, query: &str, limit: usize) -> Vec<SymbolMatch> {
    let mut scored = corpus.name_matches_by_scan(query);
    let order = gazette_core::corpus::match_order;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut from = 0;
    let mut block = limit.saturating_mul(2).max(64);
    while from < scored.len() && out.len() < limit {
        let rest = &mut scored[from..];
        let n = block.min(rest.len());
        if n < rest.len() {
            rest.select_nth_unstable_by(n, order);
        }
        rest[..n].sort_by(order);
        for &(_, _, k) in &rest[..n] {
            if out.len() < limit && seen.insert(k) {
                out.extend(symbol_of(corpus, k));
            }
        }
        from += n;
        block = block.saturating_mul(2);
    }
    out
}

/// Entities whose name (a spelling of it, or a knowledge-base alias)
/// matches `query`, best first, at most `limit`, each with every mention.
pub fn search_entities(corpus: &Corpus, query: &str, limit: usize) -> Vec<EntityInfo> {
    best_matches(corpus, query, limit, |k| {
        let info = corpus.entity_info(k);
        // A surname that joined a full name is found through the full name.
        (!info.mentions.is_empty()).then_some(info)
    })
}

/// One workspace symbol: an entity, its name and where it is defined.
#[derive(Clone, Debug, PartialEq)]
pub struct SymbolMatch {
    pub name: String,
    pub kind: EntityKind,
    pub definition: Location,
}

/// The workspace symbols for `query`: the entities of [`search_entities`],
/// in its order, made from the hover cards' summaries (cached, and made
/// ahead for frequent names) instead of every mention, so that a search
/// among names mentioned 10^6 times stays fast.
pub fn workspace_symbols(corpus: &Corpus, query: &str, limit: usize) -> Vec<SymbolMatch> {
    best_matches(corpus, query, limit, |k| symbol_of(corpus, k))
}

/// The symbol of entity `k`; `None` for a surname that joined full names
/// (found through them).
fn symbol_of(corpus: &Corpus, k: KeyId) -> Option<SymbolMatch> {
    if corpus.entity_touches_kb(k) {
        let info = corpus.entity_info(k);
        if info.mentions.is_empty() {
            return None;
        }
        let definition = definition_location(corpus, &info)?;
        return Some(SymbolMatch {
            name: info.name,
            kind: info.kind,
            definition,
        });
    }
    let sum = corpus.entity_summary(k, crate::hover::MAX_ARTICLES);
    if sum.mention_count == 0 {
        return None;
    }
    let d = sum.definition?;
    Some(SymbolMatch {
        name: sum.name.clone(),
        kind: sum.kind,
        definition: Location {
            doc: d.doc,
            span: corpus.mention(d).span(),
        },
    })
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

    /// The seeds with and without their knowledge base: workspace symbols
    /// made from summaries are the entities, names, kinds and definitions
    /// of [`search_entities`] made from every mention.
    #[test]
    fn workspace_symbols_are_the_searched_entities() {
        use gazette_core::recognize::Overrides;
        use std::sync::Arc;
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        let mut files: Vec<_> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let toml = std::fs::read_to_string(seeds.join("gazette.toml")).unwrap();
        let kb = Arc::new(
            gazette_core::kb::parse(&toml)
                .0
                .expect("the seeds' gazette.toml"),
        );
        for with_kb in [false, true] {
            let mut corpus = Corpus::new();
            let ov = if with_kb {
                kb.overrides()
            } else {
                Overrides::default()
            };
            for p in &files {
                let text = std::fs::read_to_string(p).unwrap();
                let a = Arc::new(gazette_core::analysis::analyze(&text, &ov));
                corpus.set_document(p.clone(), a);
            }
            if with_kb {
                corpus.set_knowledge_base(seeds.join("gazette.toml"), &toml, kb.clone());
            }
            for q in ["", "s", "ber", "stoltenberg", "nato", "Putin", "xyz"] {
                let old: Vec<SymbolMatch> = search_entities(&corpus, q, 50)
                    .iter()
                    .filter_map(|e| {
                        Some(SymbolMatch {
                            name: e.name.clone(),
                            kind: e.kind,
                            definition: definition_location(&corpus, e)?,
                        })
                    })
                    .collect();
                assert_eq!(
                    workspace_symbols(&corpus, q, 50),
                    old,
                    "query {q:?}, kb {with_kb}"
                );
                assert_eq!(
                    workspace_symbols_by_scan(&corpus, q, 50),
                    old,
                    "query {q:?}, kb {with_kb}"
                );
                assert_eq!(old.is_empty(), q == "xyz", "query {q:?}");
            }
        }
    }
}
