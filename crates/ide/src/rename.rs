//! Rename an entity everywhere, keeping German inflection: renaming "Putin"
//! to "Putin-X" rewrites "Putins" to "Putin-Xs" and "Wladimir Putin" to
//! "Wladimir Putin-X".

use super::{mention_text, target_at, text_fits, Target, TextSource};
use gazette_core::corpus::{Corpus, DocId};
use gazette_core::model::Span;
use std::collections::HashMap;
use std::sync::Arc;

/// Endings a name can carry in running text (genitive, weak adjectival).
const SUFFIXES: &[&str] = &["s", "es", "'", "’", "'s", "’s", "n", "en"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub doc: DocId,
    pub span: Span,
    pub new_text: String,
}

/// Splits a surface into (stem, inflection suffix) given the name it stands for.
pub fn split_inflection<'a>(surface: &'a str, norm: &str) -> (&'a str, &'a str) {
    let last = norm.rsplit(' ').next().unwrap_or(norm);
    if surface.ends_with(last) {
        return (surface, "");
    }
    for suf in SUFFIXES.iter().rev() {
        if let Some(stem) = surface.strip_suffix(suf) {
            if stem.ends_with(last) || stem.to_lowercase().ends_with(&last.to_lowercase()) {
                return (stem, &surface[stem.len()..]);
            }
        }
    }
    (surface, "")
}

/// Endings after which a genitive is an apostrophe, not -s.
const SIBILANTS: [char; 4] = ['s', 'ß', 'x', 'z'];

/// The genitive (or other) suffix re-attached to a new name: a name ending
/// in a sibilant takes an apostrophe instead of -s.
fn reattach(new: &str, suffix: &str) -> String {
    if suffix == "s" && new.ends_with(SIBILANTS) {
        format!("{new}'")
    } else {
        format!("{new}{suffix}")
    }
}

/// The length of a genitive apostrophe right after `span` in `text`
/// ("Scholz' Rede"), 0 when there is none: not one closing a quotation
/// ('Scholz') or followed by a letter.
fn genitive_apostrophe(text: &str, span: Span) -> usize {
    let is_apostrophe = |c: char| matches!(c, '\'' | '’');
    let after = &text[span.end as usize..];
    let Some(c) = after.chars().next().filter(|&c| is_apostrophe(c)) else {
        return 0;
    };
    let before = text[..span.start as usize].chars().next_back();
    let next = after[c.len_utf8()..].chars().next();
    if before.is_some_and(|b| is_apostrophe(b) || b == '‘')
        || next.is_some_and(char::is_alphanumeric)
    {
        return 0;
    }
    c.len_utf8()
}

fn not_a_name(text: Option<&str>, offset: usize) -> String {
    let word = text
        .map(|t| {
            let offset = gazette_core::text::position::floor_char_boundary(t, offset.min(t.len()));
            let a = t[..offset]
                .rfind(|c: char| !c.is_alphanumeric() && c != '-')
                .map_or(0, |i| i + 1);
            let b = t[offset..]
                .find(|c: char| !c.is_alphanumeric() && c != '-')
                .map_or(t.len(), |i| offset + i);
            t.get(a..b).unwrap_or("").to_string()
        })
        .unwrap_or_default();
    if word.is_empty() {
        "There is no name here: only names of people, places and organisations can be renamed."
            .into()
    } else {
        format!("«{word}» is not a name gazette knows: only names of people, places and organisations can be renamed.")
    }
}

/// The range to rename and its current text (the name without inflection;
/// in `gazette.toml`, the entry's value as it reads, escapes decoded).
pub fn prepare_rename(
    corpus: &Corpus,
    texts: &dyn TextSource,
    doc: DocId,
    offset: usize,
) -> Result<(Span, String), String> {
    let text = texts.text(corpus, doc);
    let Some(Target::Mention(r)) = target_at(corpus, doc, offset) else {
        return Err(not_a_name(text.as_deref(), offset));
    };
    let m = corpus.mention(r);
    let Some(text) = text else {
        return Err("the document's text is not available".into());
    };
    // The analysis must be of this text (an index entry or a file changed
    // behind gazette's back is not): then the span cuts the name it found.
    let surface = text_fits(corpus, doc, &text)
        .then(|| mention_text(corpus, r, &text))
        .flatten();
    let Some(surface) = surface else {
        return Err(not_a_name(None, offset));
    };
    if let Some((_, value, _)) = kb_value(corpus, r) {
        return Ok((m.span(), value.to_string()));
    }
    let (stem, _) = split_inflection(surface, &m.norm);
    Ok((
        Span::new(
            m.span().start as usize,
            m.span().start as usize + stem.len(),
        ),
        stem.to_string(),
    ))
}

/// Rewrites one mention's surface, or `None` when it does not contain the old name.
fn rewrite(
    surface: &str,
    norm: &str,
    old: &str,
    new: &str,
    pairs: &[(&str, &str)],
) -> Option<String> {
    let (stem, suffix) = split_inflection(surface, norm);
    if stem == old {
        return Some(reattach(new, suffix));
    }
    let mut changed = false;
    let words: Vec<String> = surface
        .split(' ')
        .map(|w| {
            for (ow, nw) in pairs {
                if w == *ow {
                    changed = true;
                    return nw.to_string();
                }
                if let Some(rest) = w.strip_prefix(ow) {
                    if SUFFIXES.contains(&rest) {
                        changed = true;
                        return reattach(nw, rest);
                    }
                }
            }
            w.to_string()
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// The knowledge-base value mention `r` stands for (when `r` is in
/// `gazette.toml`): the entry, its decoded value and its whole literal.
fn kb_value(
    corpus: &Corpus,
    r: gazette_core::corpus::ItemRef,
) -> Option<(&gazette_core::kb::KbEntity, &str, Span)> {
    let d = corpus.doc(r.doc)?;
    d.kb.as_ref()?
        .value_at(d.analysis.mentions.get(r.idx as usize)?.span())
}

/// Renames the entity under the cursor to `new_name` in every document.
pub fn rename(
    corpus: &Corpus,
    texts: &dyn TextSource,
    doc: DocId,
    offset: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, String> {
    let (_, old) = prepare_rename(corpus, texts, doc, offset)?;
    let new = new_name.trim();
    if new.is_empty() || new.contains(['\n', '\r']) {
        return Err("a name must be one non-empty line".into());
    }
    if new == old {
        return Ok(Vec::new());
    }
    let Some(Target::Mention(r)) = target_at(corpus, doc, offset) else {
        unreachable!("prepare_rename found a mention");
    };
    let old_words: Vec<&str> = old.split(' ').collect();
    let new_words: Vec<&str> = new.split(' ').collect();
    let pairs: Vec<(&str, &str)> = if old_words.len() == new_words.len() {
        old_words
            .iter()
            .zip(&new_words)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (*a, *b))
            .collect()
    } else {
        vec![(*old_words.last().unwrap(), *new_words.last().unwrap())]
    };
    let info = corpus.entity_info(corpus.entity_of(r));
    // Each document's text, and whether the analysis is of that text.
    let mut cache: HashMap<DocId, Option<(Arc<str>, bool)>> = HashMap::new();
    let mut edits = Vec::new();
    for m in &info.mentions {
        let text = cache.entry(m.doc).or_insert_with(|| {
            let t = texts.text(corpus, m.doc)?;
            let fits = text_fits(corpus, m.doc, &t);
            Some((t, fits))
        });
        let Some((text, fits)) = text else {
            return Err(format!(
                "cannot read {} to rename in it",
                corpus.path(m.doc).display()
            ));
        };
        let mention = corpus.mention(*m);
        // A span that does not fit the text now is not the name any more:
        // skip it rather than cut the text at a stale offset.
        let Some(surface) = (*fits).then(|| mention_text(corpus, *m, text)).flatten() else {
            tracing::warn!(
                "rename: {} changed since it was analysed; a mention there is left alone",
                corpus.path(m.doc).display()
            );
            continue;
        };
        if let Some((_, value, literal)) = kb_value(corpus, *m) {
            // An entry of gazette.toml: rewrite its decoded value and write
            // the whole literal again, quoted the way toml_edit quotes.
            let Some(new_value) = rewrite(value, &mention.norm, &old, new, &pairs) else {
                continue;
            };
            if new_value != value {
                edits.push(TextEdit {
                    doc: m.doc,
                    span: literal,
                    new_text: gazette_core::kb::quote(&new_value),
                });
            }
            continue;
        }
        let Some(mut new_text) = rewrite(surface, &mention.norm, &old, new, &pairs) else {
            continue;
        };
        let mut span = mention.span();
        // "Scholz' Rede" renamed to Merkel is "Merkels Rede": the genitive
        // apostrophe (not part of the mention) becomes an -s.
        let apostrophe = genitive_apostrophe(text, span);
        if apostrophe > 0 && surface.ends_with(SIBILANTS) && !new_text.ends_with(SIBILANTS) {
            span = Span::new(span.start as usize, span.end as usize + apostrophe);
            new_text.push('s');
        }
        if new_text != surface {
            edits.push(TextEdit {
                doc: m.doc,
                span,
                new_text,
            });
        }
    }
    if edits.is_empty() {
        return Err(format!("no mention of «{old}» to rename"));
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;

    /// What prepareRename offers: the range marked, and its text.
    fn check_prepare(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        match prepare_rename(&f.corpus, &f.texts, f.doc, f.offset) {
            Ok((span, placeholder)) => {
                format!("{}placeholder: {placeholder}", f.marked(f.doc, &[span]))
            }
            Err(e) => format!("error: {e}"),
        }
    }

    /// Every edited document after the rename.
    fn check_rename(fixture: &str, new_name: &str) -> String {
        let f = Fixture::parse(fixture);
        match rename(&f.corpus, &f.texts, f.doc, f.offset, new_name) {
            Ok(edits) if edits.is_empty() => "no edits".into(),
            Ok(edits) => f.apply(
                &edits
                    .iter()
                    .map(|e| (e.doc, e.span, e.new_text.as_str()))
                    .collect::<Vec<_>>(),
            ),
            Err(e) => format!("error: {e}"),
        }
    }

    const SCHOLZ: &str = r#"
        //- a.txt
        Am Montag hat Bundeskanzler Olaf Scholz in Berlin gesprochen. Scholz' Rede war kurz.
        //- b.txt
        Des Kanzlers Scho$0lz Rede in Berlin war lang. Scholz reiste ab.
        "#;

    #[test]
    fn prepare_offers_the_name_without_its_ending() {
        assert_snapshot!(check_prepare(r#"
            Wladimir Putin sprach. Putin$0s Krieg dauert an.
            "#), @r"
            Wladimir Putin sprach. [Putin]s Krieg dauert an.
            placeholder: Putin
        ");
        assert_snapshot!(check_prepare(SCHOLZ), @r"
            Des Kanzlers [Scholz] Rede in Berlin war lang. Scholz reiste ab.
            placeholder: Scholz
        ");
    }

    #[test]
    fn prepare_at_an_umlaut() {
        assert_snapshot!(check_prepare(r#"
            Jürgen Müller kam nach Kö$0ln.
            "#), @r"
            Jürgen Müller kam nach [Köln].
            placeholder: Köln
        ");
    }

    #[test]
    fn prepare_on_a_word_or_on_nothing() {
        assert_snapshot!(check_prepare(r#"
            Olaf Scholz sprach in Berlin über Stra$0ßenbahnen.
            "#), @"error: «Straßenbahnen» is not a name gazette knows: only names of people, places and organisations can be renamed.");
        assert_snapshot!(check_prepare(r#"
            Olaf Scholz sprach in Berlin.$0
            "#), @"error: There is no name here: only names of people, places and organisations can be renamed.");
    }

    #[test]
    fn a_last_name_everywhere_with_its_endings() {
        assert_snapshot!(check_rename(SCHOLZ, "Merz"), @r"
            //- a.txt
            Am Montag hat Bundeskanzler Olaf Merz in Berlin gesprochen. Merz' Rede war kurz.
            //- b.txt
            Des Kanzlers Merz Rede in Berlin war lang. Merz reiste ab.
        ");
    }

    #[test]
    fn a_genitive_apostrophe_becomes_an_s() {
        assert_snapshot!(check_rename(r#"
            Olaf Scholz sprach. Scholz$0' Rede war kurz. Scholz’ Amt, und 'Scholz' selbst.
            "#, "Merkel"), @r"
            //- a.txt
            Olaf Merkel sprach. Merkels Rede war kurz. Merkels Amt, und 'Merkel' selbst.
        ");
    }

    #[test]
    fn a_genitive_s_becomes_an_apostrophe_after_a_sibilant() {
        assert_snapshot!(check_rename(r#"
            Wladimir Putin sprach. Putin$0s Krieg dauert an.
            "#, "Lukas"), @r"
            //- a.txt
            Wladimir Lukas sprach. Lukas' Krieg dauert an.
        ");
    }

    #[test]
    fn a_full_name_and_an_umlaut() {
        assert_snapshot!(check_rename(r#"
            //- a.txt
            Jürgen Mü$0ller kam nach Köln. Dort sagte Müller nichts.
            //- b.txt
            Jürgen Müller sprach.
            "#, "Jürgen Möller"), @r"
            //- a.txt
            Jürgen Möller kam nach Köln. Dort sagte Möller nichts.
            //- b.txt
            Jürgen Möller sprach.
        ");
    }

    #[test]
    fn a_knowledge_base_entity_in_its_entry_too() {
        assert_snapshot!(check_rename(r#"
            //- a.txt
            Olaf Scholz$0 sprach in Berlin.
            //- gazette.toml
            [[entity]]
            name = "Olaf Scholz"
            kind = "person"
            "#, "Olaf Schulz"), @r#"
            //- a.txt
            Olaf Schulz sprach in Berlin.
            //- gazette.toml
            [[entity]]
            name = "Olaf Schulz"
            kind = "person"
        "#);
    }

    #[test]
    fn names_that_cannot_be() {
        assert_snapshot!(check_rename(SCHOLZ, "  "), @"error: a name must be one non-empty line");
        assert_snapshot!(check_rename(SCHOLZ, "Scholz"), @"no edits");
        assert_snapshot!(check_rename("Olaf Scholz sprach $0in Berlin.", "X"), @"error: «in» is not a name gazette knows: only names of people, places and organisations can be renamed.");
    }

    #[test]
    fn inflection_is_kept() {
        assert_eq!(split_inflection("Putins", "Wladimir Putin"), ("Putin", "s"));
        assert_eq!(split_inflection("Putin", "Putin"), ("Putin", ""));
        let pairs = [("Putin", "Putin-X")];
        assert_eq!(
            rewrite("Putins", "Putin", "Putin", "Putin-X", &pairs).unwrap(),
            "Putin-Xs"
        );
        assert_eq!(
            rewrite(
                "Wladimir Putin",
                "Wladimir Putin",
                "Putin",
                "Putin-X",
                &pairs
            )
            .unwrap(),
            "Wladimir Putin-X"
        );
        assert_eq!(
            rewrite("Putins", "Putin", "Putin", "Lukas", &[("Putin", "Lukas")]).unwrap(),
            "Lukas'"
        );
        assert!(rewrite("Kremlchef", "Putin", "Putin", "X", &pairs).is_none());
    }
}

#[cfg(test)]
mod kb_and_stale_tests {
    use super::*;
    use gazette_core::analysis::analyze;
    use std::path::PathBuf;

    /// Texts by document, as an editor's buffers would be.
    struct Texts(HashMap<DocId, Arc<str>>);
    impl TextSource for Texts {
        fn text(&self, _: &Corpus, doc: DocId) -> Option<Arc<str>> {
            self.0.get(&doc).cloned()
        }
    }

    /// A corpus of one article and a knowledge base; the texts each was made from.
    fn corpus(kb_text: &str, article: &str) -> (Corpus, Texts, DocId, DocId) {
        let (kb, errors) = gazette_core::kb::parse(kb_text);
        let kb = Arc::new(kb.unwrap_or_else(|| panic!("{errors:?}")));
        let mut c = Corpus::new();
        let a = c.set_document(
            PathBuf::from("/c/a.txt"),
            Arc::new(analyze(article, &kb.overrides())),
        );
        let k = c.set_knowledge_base(PathBuf::from("/c/gazette.toml"), kb_text, kb);
        let texts = Texts(HashMap::from([
            (a, Arc::from(article)),
            (k, Arc::from(kb_text)),
        ]));
        (c, texts, a, k)
    }

    fn apply(text: &str, edits: &[TextEdit], doc: DocId) -> String {
        let mut out = text.to_string();
        let mut mine: Vec<&TextEdit> = edits.iter().filter(|e| e.doc == doc).collect();
        mine.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        for e in mine {
            out.replace_range(e.span.range(), &e.new_text);
        }
        out
    }

    #[test]
    fn renamed_entries_stay_valid_toml() {
        let kb = "[[entity]]\nname = 'Olaf Scholz'\nkind = \"person\"\n";
        let article = "Olaf Scholz sprach in Berlin. Danach reiste Olaf Scholz ab.";
        let (c, texts, a, k) = corpus(kb, article);
        let off = article.find("Scholz").unwrap();
        let edits = rename(&c, &texts, a, off, "Olaf O'Neil").unwrap();
        let new_kb = apply(kb, &edits, k);
        let (parsed, errors) = gazette_core::kb::parse(&new_kb);
        assert!(errors.is_empty(), "{new_kb}\n{errors:?}");
        assert_eq!(parsed.unwrap().entities[0].name, "Olaf O'Neil");
        assert_eq!(
            apply(article, &edits, a),
            "Olaf O'Neil sprach in Berlin. Danach reiste Olaf O'Neil ab."
        );
        // From inside gazette.toml too.
        let off = kb.find("Scholz").unwrap();
        assert_eq!(prepare_rename(&c, &texts, k, off).unwrap().1, "Olaf Scholz");
        let edits = rename(&c, &texts, k, off, "Olaf O'Neil").unwrap();
        let new_kb = apply(kb, &edits, k);
        assert_eq!(
            gazette_core::kb::parse(&new_kb).0.unwrap().entities[0].name,
            "Olaf O'Neil"
        );
    }

    #[test]
    fn entries_written_with_escapes_are_renamed_by_their_value() {
        let kb = "[[entity]]\nname = \"Emmanuel \\u004Dacron\"\nkind = \"person\"\n";
        let article = "Emmanuel Macron sprach in Paris mit Emmanuel Macron.";
        let (c, texts, a, k) = corpus(kb, article);
        let off = article.find("Macron").unwrap();
        let edits = rename(&c, &texts, a, off, "Emmanuel Macron-Test").unwrap();
        assert!(edits.iter().any(|e| e.doc == k), "{edits:?}");
        let new_kb = apply(kb, &edits, k);
        assert_eq!(
            gazette_core::kb::parse(&new_kb).0.unwrap().entities[0].name,
            "Emmanuel Macron-Test",
            "{new_kb}"
        );
        // prepareRename on the escaped literal offers the decoded value.
        let off = kb.find("Emmanuel").unwrap();
        assert_eq!(
            prepare_rename(&c, &texts, k, off).unwrap().1,
            "Emmanuel Macron"
        );
    }

    #[test]
    fn stale_analyses_are_nothing_here_not_a_panic() {
        // The corpus analysed one text; the file now holds another of the
        // same length whose characters sit elsewhere (as after a rewrite
        // served from the index): mention spans cut "ü" in two.
        let old = "Angela Merkel kam nach Berlin. Merkel sprach.";
        let (mut c, _, _, _) = corpus("", old);
        let a = c.doc_id(std::path::Path::new("/c/a.txt")).unwrap();
        let mut new = String::from("üüüüüüüüüüüüüüüüüüüüüü");
        while new.len() < old.len() {
            new.push('x');
        }
        assert_eq!(new.len(), old.len());
        let texts = Texts(HashMap::from([(a, Arc::from(new.as_str()))]));
        for off in 0..=old.len() {
            assert!(prepare_rename(&c, &texts, a, off).is_err());
            assert!(rename(&c, &texts, a, off, "Olaf Scholz").is_err());
        }
        // Same line structure and characters, other words: the spans no
        // longer cut whole words, and the name is left alone.
        let shifted = "Angela Merkelkam nach  Berlin. Merkel sprach.";
        assert_eq!(shifted.len(), old.len());
        let texts = Texts(HashMap::from([(a, Arc::from(shifted))]));
        let off = old.find("Merkel").unwrap();
        assert!(prepare_rename(&c, &texts, a, off).is_err());
        // The mention in the second sentence still fits and is renamed alone.
        let off2 = old.rfind("Merkel").unwrap();
        if prepare_rename(&c, &texts, a, off2).is_ok() {
            let edits = rename(&c, &texts, a, off2, "Scholz").unwrap();
            assert!(
                edits.iter().all(|e| &shifted[e.span.range()] == "Merkel"),
                "{edits:?}"
            );
        }
        c.remove_document(std::path::Path::new("/c/a.txt"));
    }
}
