//! Rename an entity everywhere, keeping German inflection: renaming "Putin"
//! to "Putin-X" rewrites "Putins" to "Putin-Xs" and "Wladimir Putin" to
//! "Wladimir Putin-X".

use super::{target_at, Target, TextSource};
use crate::corpus::{Corpus, DocId};
use crate::model::Span;
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

/// The genitive (or other) suffix re-attached to a new name: a name ending
/// in a sibilant takes an apostrophe instead of -s.
fn reattach(new: &str, suffix: &str) -> String {
    if suffix == "s" && new.ends_with(['s', 'ß', 'x', 'z']) {
        format!("{new}'")
    } else {
        format!("{new}{suffix}")
    }
}

fn not_a_name(text: Option<&str>, offset: usize) -> String {
    let word = text
        .map(|t| {
            let a = t[..offset.min(t.len())]
                .rfind(|c: char| !c.is_alphanumeric() && c != '-')
                .map_or(0, |i| i + 1);
            let b = t[offset.min(t.len())..]
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

/// The range to rename and its current text (the name without inflection).
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
    let surface = &text[m.span().range()];
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
    let mut cache: HashMap<DocId, Option<Arc<str>>> = HashMap::new();
    let mut edits = Vec::new();
    for m in &info.mentions {
        let text = cache
            .entry(m.doc)
            .or_insert_with(|| texts.text(corpus, m.doc));
        let Some(text) = text else {
            return Err(format!(
                "cannot read {} to rename in it",
                corpus.path(m.doc).display()
            ));
        };
        let mention = corpus.mention(*m);
        let surface = &text[mention.span().range()];
        let Some(mut new_text) = rewrite(surface, &mention.norm, &old, new, &pairs) else {
            continue;
        };
        if corpus.is_kb_doc(m.doc) && text[..mention.span().start as usize].ends_with('"') {
            // Inside a TOML basic string: escape.
            let q = crate::kb::quote(&new_text);
            new_text = q[1..q.len() - 1].to_string();
        }
        if new_text != surface {
            edits.push(TextEdit {
                doc: m.doc,
                span: mention.span(),
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
