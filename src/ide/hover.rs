//! Hover cards for names and figures (markdown).

use super::{context_line, target_at, Target, TextSource};
use crate::corpus::{count_docs, Corpus, DocId, ItemRef};
use crate::model::{FigureValue, Span};
use std::collections::HashMap;
use std::fmt::Write;

/// How many articles a card lists before it says "and N more".
const MAX_ARTICLES: usize = 8;
const CONTEXT_WIDTH: usize = 100;

pub struct HoverCard {
    pub span: Span,
    pub markdown: String,
}

pub fn hover(
    corpus: &Corpus,
    texts: &dyn TextSource,
    doc: DocId,
    offset: usize,
) -> Option<HoverCard> {
    match target_at(corpus, doc, offset)? {
        Target::Mention(r) => Some(name_card(corpus, texts, r)),
        Target::Figure(r) => Some(figure_card(corpus, texts, r)),
    }
}

fn file_name(corpus: &Corpus, doc: DocId) -> String {
    let p = corpus.path(doc);
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line per article: the first mention there with its context.
fn article_lines(
    corpus: &Corpus,
    texts: &dyn TextSource,
    refs: &[ItemRef],
    span_of: impl Fn(ItemRef) -> Span,
    out: &mut String,
) {
    let mut seen_docs = Vec::new();
    let mut per_doc: HashMap<DocId, usize> = HashMap::new();
    for r in refs {
        if !per_doc.contains_key(&r.doc) {
            seen_docs.push(*r);
        }
        *per_doc.entry(r.doc).or_default() += 1;
    }
    let mut text_cache: HashMap<DocId, Option<std::sync::Arc<str>>> = HashMap::new();
    for first in seen_docs.iter().take(MAX_ARTICLES) {
        let text = text_cache
            .entry(first.doc)
            .or_insert_with(|| texts.text(corpus, first.doc));
        let ctx = text
            .as_deref()
            .map(|t| context_line(t, span_of(*first), CONTEXT_WIDTH))
            .unwrap_or_default();
        let n = per_doc[&first.doc];
        let _ = write!(out, "\n- `{}` ({}×)", file_name(corpus, first.doc), n);
        if !ctx.is_empty() {
            let _ = write!(out, ": {ctx}");
        }
    }
    if seen_docs.len() > MAX_ARTICLES {
        let _ = write!(
            out,
            "\n- … and {} more",
            plural(seen_docs.len() - MAX_ARTICLES, "article", "articles")
        );
    }
}

/// A name's card. Entities the knowledge base describes get the full card
/// (description, links, counts without the entry itself); the others are
/// summarised from the corpus counts, which stays fast for an entity named
/// in 100,000 articles.
fn name_card(corpus: &Corpus, texts: &dyn TextSource, r: ItemRef) -> HoverCard {
    let e = corpus.entity_of(r);
    if corpus.entity_touches_kb(e) {
        return name_card_full(corpus, texts, r);
    }
    let info = corpus.entity_summary(e, MAX_ARTICLES);
    let mut md = format!("**{}** · {}", info.name, info.kind);
    if let Some(role) = &info.role {
        let _ = write!(md, " · {role}");
    }
    let _ = write!(
        md,
        "\n\n{} in {}",
        plural(info.mention_count, "mention", "mentions"),
        plural(info.doc_count, "article", "articles")
    );
    if info.spellings.len() > 1 {
        let list: Vec<String> = info
            .spellings
            .iter()
            .map(|(s, n)| format!("{s} ({n}×)"))
            .collect();
        let _ = write!(md, " · spellings: {}", list.join(", "));
    }
    md.push('\n');
    for &(first, n) in &info.first_mentions {
        let text = texts.text(corpus, first.doc);
        let ctx = text
            .as_deref()
            .map(|t| context_line(t, corpus.mention(first).span, CONTEXT_WIDTH))
            .unwrap_or_default();
        let _ = write!(md, "\n- `{}` ({}×)", file_name(corpus, first.doc), n);
        if !ctx.is_empty() {
            let _ = write!(md, ": {ctx}");
        }
    }
    if info.doc_count > info.first_mentions.len() {
        let more = info.doc_count - info.first_mentions.len();
        let _ = write!(md, "\n- … and {} more", plural(more, "article", "articles"));
    }
    HoverCard {
        span: corpus.mention(r).span,
        markdown: md,
    }
}

fn name_card_full(corpus: &Corpus, texts: &dyn TextSource, r: ItemRef) -> HoverCard {
    let info = corpus.entity_info(corpus.entity_of(r));
    let mut md = format!("**{}** · {}", info.name, info.kind);
    if let Some(role) = &info.role {
        let _ = write!(md, " · {role}");
    }
    if let Some(e) = &info.kb_entry {
        if let Some(d) = &e.description {
            let _ = write!(md, "\n\n{d}");
        }
        let mut links = Vec::new();
        if let Some(q) = &e.wikidata {
            links.push(format!("[Wikidata {q}](https://www.wikidata.org/wiki/{q})"));
        }
        if let Some(u) = &e.url {
            links.push(format!("<{u}>"));
        }
        if !e.aliases.is_empty() {
            links.push(format!("also: {}", e.aliases.join(", ")));
        }
        if !links.is_empty() {
            let _ = write!(md, "\n\n{}", links.join(" · "));
        }
    }
    // Counts are of articles: the knowledge base's own entry is not a mention.
    let articles = info.article_mentions(corpus);
    let doc_count = count_docs(&articles);
    let _ = write!(
        md,
        "\n\n{} in {}",
        plural(articles.len(), "mention", "mentions"),
        plural(doc_count, "article", "articles")
    );
    // Spellings as the articles write them (the knowledge base's own entry
    // and aliases are not counted).
    let spellings: Vec<(String, u32)> = if articles.len() == info.mentions.len() {
        info.spellings.clone()
    } else {
        info.spellings
            .iter()
            .map(|(s, _)| {
                let n = articles
                    .iter()
                    .filter(|&&m| crate::corpus::linking::spelling(&corpus.mention(m).norm) == *s)
                    .count() as u32;
                (s.clone(), n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    if spellings.len() > 1 {
        let list: Vec<String> = spellings
            .iter()
            .map(|(s, n)| format!("{s} ({n}×)"))
            .collect();
        let _ = write!(md, " · spellings: {}", list.join(", "));
    }
    md.push('\n');
    article_lines(
        corpus,
        texts,
        &articles,
        |m| corpus.mention(m).span,
        &mut md,
    );
    HoverCard {
        span: corpus.mention(r).span,
        markdown: md,
    }
}

fn figure_card(corpus: &Corpus, texts: &dyn TextSource, r: ItemRef) -> HoverCard {
    let f = corpus.figure(r);
    let value = match &f.value {
        FigureValue::Number(n) if f.category == crate::model::FigureCategory::Percent => {
            format!("{} %", crate::model::format_number(*n))
        }
        v => v.to_string(),
    };
    let mut md = format!("**{}** · {}", value, f.category.as_str());
    if let Some(unit) = &f.unit {
        let _ = write!(md, " · {unit}");
    }
    let same = corpus.same_quantity(r);
    if same.len() > 1 {
        let _ = write!(
            md,
            "\n\nThe same quantity, {}:",
            plural(same.len(), "statement", "statements")
        );
        article_lines(corpus, texts, &same, |m| corpus.figure(m).span, &mut md);
    }
    let other_values: Vec<ItemRef> = corpus
        .same_topic(r)
        .into_iter()
        .filter(|o| corpus.figure(*o).value != f.value)
        .collect();
    if !other_values.is_empty() {
        let _ = write!(md, "\n\nOther values for the same topic:");
        for o in other_values.iter().take(MAX_ARTICLES) {
            let of = corpus.figure(*o);
            let _ = write!(md, "\n- {} in `{}`", of.value, file_name(corpus, o.doc));
        }
    }
    HoverCard {
        span: f.span,
        markdown: md,
    }
}
