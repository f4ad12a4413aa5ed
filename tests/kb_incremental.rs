//! The knowledge base as a corpus pseudo-document keeps incremental == full:
//! adding, replacing and removing it in any order against the articles gives
//! the same answers as a corpus built once.

mod common;
use common::{definition_line, diagnostics_listing, seed_texts};
use gazette_core::analysis::analyze;
use gazette_core::corpus::Corpus;
use gazette_core::kb;
use gazette_core::recognize::Overrides;
use std::path::PathBuf;
use std::sync::Arc;

fn snapshot(c: &Corpus) -> String {
    let mut out = String::new();
    for e in c.entities() {
        out += &format!(
            "E {} {} {} {:?} {:?}\n",
            e.id,
            e.name,
            e.kind,
            e.spellings,
            e.kb_entry.as_ref().map(|k| &k.description)
        );
        for m in &e.mentions {
            out += &format!("  {} {:?}\n", c.path(m.doc).display(), c.mention(*m).span());
        }
        out += &definition_line(c, &e);
    }
    for doc in c.doc_ids() {
        out += &diagnostics_listing(c, doc);
    }
    out
}

const KB1: &str = "[[entity]]\nname = \"Jens Stoltenberg\"\nkind = \"person\"\ndescription = \"eins\"\n\n[[entity]]\nname = \"Wladimir Putin\"\nkind = \"person\"\naliases = [\"Putin\"]\n";
const KB2: &str = "[[entity]]\nname = \"NATO\"\nkind = \"org\"\ndescription = \"zwei\"\n";

#[test]
fn kb_order_does_not_matter() {
    let texts = seed_texts();
    let kb_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds/gazette.toml");
    let kb1 = Arc::new(kb::parse(KB1).0.unwrap());
    let kb2 = Arc::new(kb::parse(KB2).0.unwrap());
    let overrides = Overrides::default();
    let analyses: Vec<_> = texts
        .iter()
        .map(|(p, t)| (p.clone(), Arc::new(analyze(t, &overrides))))
        .collect();

    // Full: knowledge base 2 first, then the articles.
    let mut full = Corpus::new();
    full.set_knowledge_base(kb_path.clone(), KB2, kb2.clone());
    for (p, a) in &analyses {
        full.set_document(p.clone(), a.clone());
    }
    // Incremental: articles, knowledge base 1, an article removed and
    // restored, knowledge base replaced by 2.
    let mut inc = Corpus::new();
    for (p, a) in analyses.iter().rev() {
        inc.set_document(p.clone(), a.clone());
    }
    inc.set_knowledge_base(kb_path.clone(), KB1, kb1.clone());
    let with_kb1 = snapshot(&inc);
    inc.remove_document(&analyses[2].0);
    inc.set_document(analyses[2].0.clone(), analyses[2].1.clone());
    inc.set_knowledge_base(kb_path.clone(), KB2, kb2);
    assert_eq!(snapshot(&full), snapshot(&inc));
    assert!(snapshot(&full).contains("zwei"));
    // And back: removing the knowledge base equals never having had one.
    inc.remove_document(&kb_path);
    let mut none = Corpus::new();
    for (p, a) in &analyses {
        none.set_document(p.clone(), a.clone());
    }
    assert_eq!(snapshot(&none), snapshot(&inc));
    // Knowledge base 1 makes its entries the definitions.
    let mut again = Corpus::new();
    again.set_knowledge_base(kb_path.clone(), KB1, kb1);
    for (p, a) in &analyses {
        again.set_document(p.clone(), a.clone());
    }
    assert_eq!(with_kb1, snapshot(&again));
    assert!(with_kb1.contains("eins"));
}

/// A knowledge base of `names` (with `kinds`, one alias each).
fn kb_text(names: &[String], kinds: &[&str], descriptions: &[String]) -> String {
    let mut t = String::new();
    for ((n, k), d) in names.iter().zip(kinds).zip(descriptions) {
        let alias = n.split(' ').next_back().unwrap_or(n);
        t += &format!(
            "[[entity]]\nname = \"{n}\"\nkind = \"{k}\"\naliases = [\"{alias}\"]\ndescription = \"{d}\"\n\n"
        );
    }
    t
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Keystrokes in gazette.toml (a description, a letter of a name, a
    /// kind) update the knowledge base's pseudo-document in place — only
    /// the mentions whose linking changed — and the corpus answers exactly
    /// like one built with the final knowledge base.
    #[test]
    fn keystrokes_in_the_knowledge_base_equal_a_fresh_corpus(
        edits in proptest::collection::vec((0usize..6, 0usize..3, "[a-zäö]{1,3}"), 1..8)
    ) {
        let texts = seed_texts();
        let kb_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds/gazette.toml");
        let mut names: Vec<String> = ["Jens Stoltenberg", "Wladimir Putin", "Olaf Scholz",
            "Anna Berger", "Karl Weber", "Emma Schmidt"].iter().map(|s| s.to_string()).collect();
        let mut kinds = vec!["person"; 6];
        let mut descriptions: Vec<String> = (0..6).map(|i| format!("Person {i}")).collect();
        let analyses: Vec<_> = texts
            .iter()
            .map(|(p, t)| (p.clone(), Arc::new(analyze(t, &Overrides::default()))))
            .collect();
        let mut inc = Corpus::new();
        for (p, a) in &analyses {
            inc.set_document(p.clone(), a.clone());
        }
        let text = kb_text(&names, &kinds, &descriptions);
        inc.set_knowledge_base(kb_path.clone(), &text, Arc::new(kb::parse(&text).0.unwrap()));
        for (entry, what, s) in edits {
            match what {
                0 => descriptions[entry].push_str(&s),
                1 => names[entry].push_str(&s),
                _ => kinds[entry] = if kinds[entry] == "person" { "org" } else { "person" },
            }
            let text = kb_text(&names, &kinds, &descriptions);
            let k = Arc::new(kb::parse(&text).0.unwrap());
            inc.set_knowledge_base(kb_path.clone(), &text, k);
        }
        let text = kb_text(&names, &kinds, &descriptions);
        let mut full = Corpus::new();
        full.set_knowledge_base(kb_path.clone(), &text, Arc::new(kb::parse(&text).0.unwrap()));
        for (p, a) in &analyses {
            full.set_document(p.clone(), a.clone());
        }
        proptest::prop_assert_eq!(snapshot(&full), snapshot(&inc));
    }
}
