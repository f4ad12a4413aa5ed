//! Property: an index updated edit by edit answers exactly like an index
//! built from scratch over the final texts.

mod common;
use common::{definition_line, diagnostics_listing, seed_texts};
use gazette_core::analysis::analyze_at;
use gazette_core::corpus::{Corpus, ItemRef};
use gazette_core::recognize::Overrides;
use proptest::prelude::*;
use std::sync::Arc;

/// Everything a client can observe, in a canonical order.
fn snapshot(c: &Corpus) -> String {
    let mut out = String::new();
    for e in c.entities() {
        out += &format!(
            "E {} {} {} {:?} {:?}\n",
            e.id, e.name, e.kind, e.role, e.spellings
        );
        for m in &e.mentions {
            out += &format!("  {} {:?}\n", c.path(m.doc).display(), c.mention(*m).span());
        }
        // The hover card's summary agrees with the full listing.
        let sum = c.entity_summary(e.key, 8);
        assert_eq!(
            (sum.mention_count, sum.doc_count),
            (e.mentions.len(), e.doc_count()),
            "{}",
            e.id
        );
        assert_eq!(
            (&sum.name, sum.kind, &sum.role),
            (&e.name, e.kind, &e.role),
            "{}",
            e.id
        );
        let firsts: Vec<_> = sum.first_mentions.iter().map(|(r, _)| *r).collect();
        let mut expect = Vec::new();
        for m in &e.mentions {
            if expect.len() < 8
                && !expect
                    .iter()
                    .any(|x: &gazette_core::corpus::ItemRef| x.doc == m.doc)
            {
                expect.push(*m);
            }
        }
        assert_eq!(firsts, expect, "{}", e.id);
        out += &definition_line(c, &e);
    }
    for doc in c.doc_ids() {
        let a = &c.doc(doc).unwrap().analysis;
        for i in 0..a.figures.len() {
            let r = ItemRef { doc, idx: i as u32 };
            // The hover card's group summary agrees with the full group.
            let all = c.same_quantity(r);
            let sum = c.same_quantity_summary(r, 2);
            let firsts: Vec<(ItemRef, usize)> = all
                .chunk_by(|a, b| a.doc == b.doc)
                .map(|g| (g[0], g.len()))
                .collect();
            assert_eq!(sum.statements, all.len());
            assert_eq!(sum.docs, firsts.len());
            assert_eq!(sum.first, firsts[..firsts.len().min(2)]);
            for o in c.other_values(r, 3) {
                out += &format!("O {} {:?}\n", c.path(o.doc).display(), c.figure(o).span());
            }
            out += &format!(
                "F {} {:?} {:?}\n",
                c.path(doc).display(),
                a.figures[i].span(),
                c.same_as(r)
            );
        }
        out += &diagnostics_listing(c, doc);
    }
    out
}

#[derive(Clone, Debug)]
enum Op {
    /// Replace `len` chars at fraction `at` of document `doc` with `text`.
    Edit {
        doc: usize,
        at: f64,
        len: usize,
        text: &'static str,
    },
    Remove {
        doc: usize,
    },
    Restore {
        doc: usize,
    },
}

const SNIPPETS: &[&str] = &[
    "",
    "Putin",
    " Wladimir Putin ",
    " Vladimir Putin ",
    "NATO",
    " Nato ",
    " Jens Stoltenberg ",
    "Stoltenbergs ",
    "100.000 Soldaten",
    "zwei Prozent",
    "\n",
    "ä„“",
    "Russland",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..5, 0.0f64..1.0, 0usize..12, proptest::sample::select(SNIPPETS))
            .prop_map(|(doc, at, len, text)| Op::Edit { doc, at, len, text }),
        1 => (0usize..5).prop_map(|doc| Op::Remove { doc }),
        1 => (0usize..5).prop_map(|doc| Op::Restore { doc }),
    ]
}

/// Overrides with an annotation store over the seeds: a name removed, a
/// kind changed, a mention split out of its entity, a span added.
fn annotated(seeds: &[(std::path::PathBuf, String)]) -> Overrides {
    use gazette_core::annotations::{edit_text, Annotation, Annotations, Label, Status};
    let root = seeds[0].0.parent().unwrap();
    let wanted: [(&str, Label, Option<&str>); 5] = [
        ("NATO", Label::NotAName, None),
        ("Russland", Label::Organisation, None),
        ("Putin", Label::Person, Some("Putin (2)")),
        ("Ukraine", Label::Other, None),
        ("Stoltenberg", Label::Person, Some("Jens Stoltenberg")),
    ];
    let mut anns = Vec::new();
    for (i, (what, label, entity)) in wanted.into_iter().enumerate() {
        let (p, t) = &seeds[i % seeds.len()];
        let Some(at) = t.find(what) else { continue };
        anns.push(Annotation::new(
            &p.file_name().unwrap().to_string_lossy(),
            t,
            gazette_core::model::Span::new(at, at + what.len()),
            label,
            entity.map(String::from),
            Status::Corrected,
        ));
    }
    assert!(anns.len() >= 3, "the seeds hold the annotated names");
    let text = edit_text("", &[], &anns);
    Overrides::default().with_annotations(Arc::new(Annotations::parse(Some(root), &text)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn incremental_equals_full(ops in proptest::collection::vec(op(), 1..16)) {
        let seeds = seed_texts();
        // With annotations in force: edits move or remove what they anchor to.
        let ov = annotated(&seeds);
        let mut texts: Vec<Option<String>> = seeds.iter().map(|(_, t)| Some(t.clone())).collect();
        let mut inc = Corpus::new();
        for (p, t) in &seeds {
            inc.set_document(p.clone(), Arc::new(analyze_at(p, t, &ov)));
        }
        for op in ops {
            // Answer queries between edits, so that what the index caches
            // (summaries, families, topics) must be forgotten correctly.
            snapshot(&inc);
            // The name index, updated change by change, equals a rebuild.
            let (now, fresh) = inc.name_index_canonical_pair();
            prop_assert_eq!(now, fresh);
            match op {
                Op::Edit { doc, at, len, text } => {
                    let Some(t) = texts[doc].as_mut() else { continue };
                    let chars: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
                    let a = ((chars.len() - 1) as f64 * at) as usize;
                    let b = (a + len).min(chars.len() - 1);
                    t.replace_range(chars[a]..chars[b], text);
                    inc.set_document(seeds[doc].0.clone(), Arc::new(analyze_at(&seeds[doc].0, t, &ov)));
                }
                Op::Remove { doc } => {
                    texts[doc] = None;
                    inc.remove_document(&seeds[doc].0);
                }
                Op::Restore { doc } => {
                    let t = seeds[doc].1.clone();
                    inc.set_document(seeds[doc].0.clone(), Arc::new(analyze_at(&seeds[doc].0, &t, &ov)));
                    texts[doc] = Some(t);
                }
            }
        }
        let mut full = Corpus::new();
        // Build in reverse order too: insertion order must not matter.
        for (i, t) in texts.iter().enumerate().rev() {
            if let Some(t) = t {
                full.set_document(seeds[i].0.clone(), Arc::new(analyze_at(&seeds[i].0, t, &ov)));
            }
        }
        prop_assert_eq!(snapshot(&inc), snapshot(&full));
        // Inserted all at once (as a warm start takes the persistent
        // index in), twice (the second time replacing each document): the
        // same corpus.
        let mut batch = Corpus::new();
        for _ in 0..2 {
            batch.set_documents(texts.iter().enumerate().filter_map(|(i, t)| {
                let a = analyze_at(&seeds[i].0, t.as_ref()?, &ov);
                Some((seeds[i].0.clone(), Arc::new(a)))
            }));
            let (now, fresh) = batch.name_index_canonical_pair();
            prop_assert_eq!(now, fresh);
            prop_assert_eq!(snapshot(&batch), snapshot(&full));
        }
    }
}
