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

/// What the server keeps for the knowledge base: its text, the knowledge
/// base (the corpus holds it too), its errors and the recognizer's
/// overrides, with the articles analysed with them.
struct Served {
    text: String,
    kb: Arc<kb::KnowledgeBase>,
    errors: Vec<kb::KbError>,
    overrides: Overrides,
    corpus: Corpus,
    in_place: usize,
}

impl Served {
    fn new(text: &str, articles: &[(PathBuf, String)], kb_path: &std::path::Path) -> Served {
        let (k, errors) = kb::parse(text);
        let kb = Arc::new(k.unwrap());
        let overrides = kb.overrides();
        let mut corpus = Corpus::new();
        for (p, t) in articles {
            corpus.set_document(p.clone(), Arc::new(analyze(t, &overrides)));
        }
        corpus.set_knowledge_base(kb_path.to_path_buf(), text, kb.clone());
        Served {
            text: text.to_string(),
            kb,
            errors,
            overrides,
            corpus,
            in_place: 0,
        }
    }

    /// Bytes `range` replaced by `insert`: in place where the knowledge
    /// base takes it (as `State::edit_kb`), else the whole text parsed
    /// again (as the server's full path).
    fn keystroke(
        &mut self,
        range: std::ops::Range<usize>,
        insert: &str,
        articles: &[(PathBuf, String)],
        kb_path: &std::path::Path,
    ) {
        let mut text = self.text.clone();
        text.replace_range(range.clone(), insert);
        drop(self.corpus.take_kb(kb_path));
        let kb = Arc::get_mut(&mut self.kb).expect("the knowledge base alone");
        let recognition = match kb.edit(&mut self.errors, range, insert.len(), &text) {
            Some(edit) => {
                assert!(self
                    .corpus
                    .edit_kb_entry(kb_path, self.kb.clone(), &edit, &text));
                self.in_place += 1;
                if edit.recognition_changed {
                    let names = self.kb.entry_overrides(edit.entry);
                    self.overrides = self.overrides.replace_entry(edit.entry as u32, names);
                }
                edit.recognition_changed
            }
            None => {
                self.corpus.put_kb(kb_path, self.kb.clone());
                let (k, errors) = kb::parse(&text);
                let Some(k) = k else {
                    // Broken: the last good knowledge base stays in force.
                    self.text = text;
                    self.errors = errors;
                    return;
                };
                self.kb = Arc::new(k);
                self.errors = errors;
                self.corpus
                    .set_knowledge_base(kb_path.to_path_buf(), &text, self.kb.clone());
                self.overrides = self.kb.overrides();
                true
            }
        };
        if recognition {
            for (p, t) in articles {
                self.corpus
                    .set_document(p.clone(), Arc::new(analyze(t, &self.overrides)));
            }
        }
        self.text = text;
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Keystrokes in one entry's name, alias, kind or description taken in
    /// place — that entry parsed alone, its mentions in the corpus and its
    /// names in the recognizer replaced — leave the corpus, the articles
    /// analysed again with the patched overrides, answering exactly like
    /// one built from the final text.
    #[test]
    fn keystrokes_taken_in_place_equal_a_fresh_corpus(
        edits in proptest::collection::vec(
            (0usize..6, 0usize..5, "[a-zäö]{1,2}|[ ]|Putin|NATO"), 1..10)
    ) {
        let articles = seed_texts();
        let kb_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds/gazette.toml");
        let names: Vec<String> = ["Jens Stoltenberg", "Wladimir Putin", "Olaf Scholz",
            "Anna Berger", "Karl Weber", "Emma Schmidt"].iter().map(|s| s.to_string()).collect();
        let descriptions: Vec<String> = (0..6).map(|i| format!("Person {i}")).collect();
        let text = kb_text(&names, &["person"; 6], &descriptions);
        let mut served = Served::new(&text, &articles, &kb_path);
        for (entry, what, s) in edits {
            let Some(kb) = Some(served.kb.clone()).filter(|_| served.kb.entities.len() == 6) else {
                break;
            };
            let (name, alias) = (kb.name_span(entry), kb.alias_spans(entry).next());
            let entry_text = kb.entry_span(entry);
            let t = &served.text;
            let find = |needle: &str| {
                t[entry_text.range()].find(needle).map(|i| entry_text.start as usize + i + needle.len())
            };
            let (range, insert) = match what {
                // Typing at the end of the name, of the alias, of the description.
                0 => (name.end as usize..name.end as usize, s),
                1 => match alias {
                    Some(a) => (a.end as usize..a.end as usize, s),
                    None => continue,
                },
                2 => match find("description = \"") {
                    Some(at) => (at..at, s),
                    None => continue,
                },
                // A backspace in the name.
                3 if name.len() > 1 => {
                    let end = name.end as usize;
                    let start = t[..end].char_indices().last().map_or(end, |(i, _)| i);
                    (start..end, String::new())
                }
                // The kind changed.
                _ => match (find("kind = \"person"), find("kind = \"org")) {
                    (Some(at), _) => (at - 6..at, "org".to_string()),
                    (_, Some(at)) => (at - 3..at, "person".to_string()),
                    _ => continue,
                },
            };
            drop(kb);
            served.keystroke(range, &insert, &articles, &kb_path);
        }
        let fresh = Served::new(&served.text, &articles, &kb_path);
        proptest::prop_assert_eq!(&served.errors, &fresh.errors);
        proptest::prop_assert_eq!(&*served.kb, &*fresh.kb);
        proptest::prop_assert_eq!(snapshot(&served.corpus), snapshot(&fresh.corpus));
        for (_, t) in &articles {
            proptest::prop_assert_eq!(analyze(t, &served.overrides), analyze(t, &fresh.overrides));
        }
        proptest::prop_assert!(served.in_place > 0 || served.kb.entities.len() != 6);
    }
}
