//! Hover cards for names and figures (markdown).

use super::markdown::{code, link, text};
use super::{context_line, target_at, Target, TextSource};
use gazette_core::corpus::{count_docs, Corpus, DateRange, DocId, EntitySummary, ItemRef, KeyId};
use gazette_core::model::Span;
use std::fmt::Write;

/// How many articles a card lists before it says "and N more".
pub(crate) const MAX_ARTICLES: usize = 8;
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

/// Names with fewer mentions have their card made when first hovered (a
/// walk of under a thousand postings, microseconds).
const WARM_MIN_MENTIONS: u32 = 1_000;

/// The name keys whose hover cards are worth making ahead of the first
/// hover, most mentioned first: at 10^6 articles the most frequent name's
/// card walks millions of mentions (tens of milliseconds), and the most
/// frequent names are the ones hovered most, so they are made first. Make
/// each with [`warm_hover_card`], between requests. After indexing;
/// after a change, [`stale_hover_cards`].
pub fn hover_cards_to_warm(corpus: &Corpus) -> Vec<KeyId> {
    let keys = corpus.keys_by_mentions(WARM_MIN_MENTIONS).into_iter();
    corpus.summaries_to_warm(keys, WARM_MIN_MENTIONS, MAX_ARTICLES)
}

/// The cards worth making ahead that changes made stale since, most
/// mentioned first.
pub fn stale_hover_cards(corpus: &Corpus) -> Vec<KeyId> {
    let mut keys = corpus.summaries_to_warm(
        corpus.dropped_summaries().into_iter(),
        WARM_MIN_MENTIONS,
        MAX_ARTICLES,
    );
    keys.sort_by_key(|&k| (std::cmp::Reverse(corpus.key_total(k)), k));
    keys
}

/// Makes and keeps the corpus summary behind the hover card of name key
/// `e` (what [`hover`] would make on the first hover), unless the card is
/// made from the knowledge base. When `e` is a last name that full names
/// end in, a hover on it shows the card of the full name it joins: those
/// are made too (the family's default and the frequent ones; the rest are
/// quick once the family, which the first one computes, is kept).
/// The card's lines of its first articles are made too, from `texts`.
pub fn warm_hover_card(corpus: &Corpus, texts: &dyn TextSource, e: KeyId) {
    warm_hover_card_with(corpus, texts, e, WARM_MIN_MENTIONS)
}

fn warm_hover_card_with(corpus: &Corpus, texts: &dyn TextSource, e: KeyId, min: u32) {
    for k in std::iter::once(e).chain(corpus.full_names_to_warm(e, min)) {
        if !corpus.entity_touches_kb(k) {
            shown_lines(corpus, texts, &corpus.entity_summary(k, MAX_ARTICLES));
        }
    }
}

/// The card's lines of the first articles of `info` with their context,
/// made once per summary: reading the articles was most of a first
/// hover's time at 10^5 articles.
fn shown_lines<'a>(corpus: &Corpus, texts: &dyn TextSource, info: &'a EntitySummary) -> &'a str {
    info.shown_lines.get_or_init(|| {
        let mut lines = String::new();
        first_lines(
            corpus,
            texts,
            &info.first_mentions,
            info.doc_count,
            |m| corpus.mention(m).span(),
            &mut lines,
        );
        lines.into()
    })
}

/// The article's file name as an inline code span.
fn file_name(corpus: &Corpus, doc: DocId) -> String {
    let p = corpus.path(doc);
    code(&p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    ))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line per article: the first mention there with its context
/// (`refs` in corpus order, so grouped by article).
fn article_lines(
    corpus: &Corpus,
    texts: &dyn TextSource,
    refs: &[ItemRef],
    span_of: impl Fn(ItemRef) -> Span,
    out: &mut String,
) {
    let firsts: Vec<(ItemRef, usize)> = refs
        .chunk_by(|a, b| a.doc == b.doc)
        .map(|c| (c[0], c.len()))
        .collect();
    first_lines(corpus, texts, &firsts, firsts.len(), span_of, out);
}

/// One line per article in `firsts` (its first mention, with context, and
/// how many it has), at most [`MAX_ARTICLES`], then how many of `docs`
/// articles were left out.
fn first_lines(
    corpus: &Corpus,
    texts: &dyn TextSource,
    firsts: &[(ItemRef, usize)],
    docs: usize,
    span_of: impl Fn(ItemRef) -> Span,
    out: &mut String,
) {
    for &(first, n) in firsts.iter().take(MAX_ARTICLES) {
        let ctx = texts
            .text(corpus, first.doc)
            .as_deref()
            .map(|t| context_line(t, span_of(first), CONTEXT_WIDTH))
            .unwrap_or_default();
        let _ = write!(out, "\n- {}", file_name(corpus, first.doc));
        if let Some(d) = corpus.article_date(first.doc) {
            let _ = write!(out, " · {}", d.date);
        }
        let _ = write!(out, " ({n}×)");
        if !ctx.is_empty() {
            let _ = write!(out, ": {ctx}");
        }
    }
    let shown = firsts.len().min(MAX_ARTICLES);
    if docs > shown {
        let _ = write!(
            out,
            "\n- … and {} more",
            plural(docs - shown, "article", "articles")
        );
    }
}

/// When an entity was first and last mentioned, by article date: nothing
/// when none of its `docs` articles has a date.
fn date_line(range: Option<DateRange>, docs: usize, out: &mut String) {
    let Some(r) = range else {
        return;
    };
    if r.first == r.last {
        let _ = write!(out, "\n\nmentioned on {}", r.first);
    } else {
        let _ = write!(out, "\n\nfirst mentioned {}, last {}", r.first, r.last);
    }
    if r.dated < docs {
        let _ = write!(out, " ({} of {docs} articles dated)", r.dated);
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
    let mut md = format!("**{}** · {}", text(&info.name), info.kind);
    if let Some(role) = &info.role {
        let _ = write!(md, " · {}", text(role));
    }
    annotated_here(corpus, r, &mut md);
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
            .map(|(s, n)| format!("{} ({n}×)", text(s)))
            .collect();
        let _ = write!(md, " · spellings: {}", list.join(", "));
    }
    date_line(info.dates, info.doc_count, &mut md);
    md.push('\n');
    md.push_str(shown_lines(corpus, texts, &info));
    HoverCard {
        span: corpus.mention(r).span(),
        markdown: md,
    }
}

/// The user's annotation of this mention, when it says more than the
/// entity: its own kind (an entity's kind is its mentions' most frequent).
fn annotated_here(corpus: &Corpus, r: ItemRef, md: &mut String) {
    let m = corpus.mention(r);
    if m.source == gazette_core::model::Source::Annotation {
        let _ = write!(md, " · annotated here as {}", m.kind);
    }
}

fn name_card_full(corpus: &Corpus, texts: &dyn TextSource, r: ItemRef) -> HoverCard {
    let info = corpus.entity_info(corpus.entity_of(r));
    let mut md = format!("**{}** · {}", text(&info.name), info.kind);
    if let Some(role) = &info.role {
        let _ = write!(md, " · {}", text(role));
    }
    annotated_here(corpus, r, &mut md);
    if let Some(e) = &info.kb_entry {
        if let Some(d) = &e.description {
            let _ = write!(md, "\n\n{}", text(d));
        }
        let mut links = Vec::new();
        if let Some(q) = &e.wikidata {
            // An item id is Q and digits; anything else is shown as text.
            if q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit()) {
                links.push(format!("[Wikidata {q}](https://www.wikidata.org/wiki/{q})"));
            } else {
                links.push(format!("Wikidata {}", text(q)));
            }
        }
        if let Some(u) = &e.url {
            links.push(link(u).unwrap_or_else(|| text(u)));
        }
        if !e.aliases.is_empty() {
            let aliases: Vec<String> = e.aliases.iter().map(|a| text(a)).collect();
            links.push(format!("also: {}", aliases.join(", ")));
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
                    .filter(|&&m| gazette_core::linking::spelling(&corpus.mention(m).norm) == *s)
                    .count() as u32;
                (s.clone(), n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    if spellings.len() > 1 {
        let list: Vec<String> = spellings
            .iter()
            .map(|(s, n)| format!("{} ({n}×)", text(s)))
            .collect();
        let _ = write!(md, " · spellings: {}", list.join(", "));
    }
    let docs: Vec<DocId> = articles
        .chunk_by(|a, b| a.doc == b.doc)
        .map(|c| c[0].doc)
        .collect();
    date_line(corpus.date_range(docs.iter().copied()), doc_count, &mut md);
    md.push('\n');
    article_lines(
        corpus,
        texts,
        &articles,
        |m| corpus.mention(m).span(),
        &mut md,
    );
    HoverCard {
        span: corpus.mention(r).span(),
        markdown: md,
    }
}

fn figure_card(corpus: &Corpus, texts: &dyn TextSource, r: ItemRef) -> HoverCard {
    let f = corpus.figure(r);
    // German notation ("100.000", "8,2 Mrd.", "2,5 %"), "≈" before an
    // approximate figure; the unit follows separately (but a percentage
    // keeps its sign).
    let mut value = if f.category == gazette_core::model::FigureCategory::Percent {
        crate::lens::figure_label(&f.value, f.category, f.unit.as_deref())
    } else {
        crate::lens::german_value(&f.value, f.category)
    };
    if f.approx {
        value.insert_str(0, "≈ ");
    }
    let mut md = format!("**{}** · {}", text(&value), f.category.as_str());
    if let Some(unit) = &f.unit {
        let _ = write!(md, " · {}", text(unit));
    }
    let same = corpus.same_quantity_summary(r, MAX_ARTICLES);
    if same.statements > 1 {
        let _ = write!(
            md,
            "\n\nThe same quantity, {}:",
            plural(same.statements, "statement", "statements")
        );
        first_lines(
            corpus,
            texts,
            &same.first,
            same.docs,
            |m| corpus.figure(m).span(),
            &mut md,
        );
    }
    let other_values = corpus.other_values(r, MAX_ARTICLES);
    if !other_values.is_empty() {
        let _ = write!(md, "\n\nOther values for the same topic:");
        for o in &other_values {
            let of = corpus.figure(*o);
            let _ = write!(
                md,
                "\n- {} in {}",
                text(&crate::lens::figure_label_of(of)),
                file_name(corpus, o.doc)
            );
        }
    }
    HoverCard {
        span: f.span(),
        markdown: md,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;
    use std::sync::Arc;

    /// Cards are made ahead most mentioned first, and a frequent last
    /// name brings the cards of the full names a hover on it shows: here
    /// "Wladimir Putin", named in full once, takes the one-word mentions.
    #[test]
    fn cards_made_ahead_by_mentions_with_the_full_names_of_last_names() {
        use gazette_core::corpus::Corpus;
        let ov = gazette_core::recognize::Overrides::default();
        let mut c = Corpus::new();
        let mut set = |p: &str, t: &str| {
            let a = Arc::new(gazette_core::analysis::analyze(t, &ov));
            c.set_document(p.into(), a);
        };
        set("a.txt", "Wladimir Putin sprach in Berlin.");
        for i in 0..6 {
            set(
                &format!("p{i}.txt"),
                "Putin sprach mit Putin in Moskau. Putin blieb.",
            );
        }
        set("b.txt", "In Berlin und Berlin und Moskau.");
        let key = |k: &str| c.key_id(k).expect(k);
        let (putin, full) = (key("putin"), key("wladimir putin"));
        let order = c.keys_by_mentions(2);
        let want: Vec<KeyId> = {
            let mut v: Vec<KeyId> = (0..c.key_count() as KeyId)
                .filter(|&k| c.key_total(k) >= 2)
                .collect();
            v.sort_by_key(|&k| (std::cmp::Reverse(c.key_total(k)), k));
            v
        };
        assert_eq!(order, want);
        assert_eq!(order[0], putin, "18 mentions, the most");
        assert!(c.key_total(full) < 2, "the full name alone is rare");
        assert_eq!(c.full_names_to_warm(putin, 10), vec![full]);
        assert!(c.summaries_to_warm([full].into_iter(), 1, MAX_ARTICLES) == vec![full]);
        warm_hover_card_with(&c, &NoTexts, putin, 10);
        // Made: the hover on "Putin" reads it.
        assert!(c
            .summaries_to_warm([full, putin].into_iter(), 1, MAX_ARTICLES)
            .is_empty());
        let sum = c.entity_summary(full, MAX_ARTICLES);
        assert_eq!(sum.mention_count, 19);
    }

    /// The hovered span marked in its line, then the card.
    fn check(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        match hover(&f.corpus, &f.texts, f.doc, f.offset) {
            Some(card) => format!("{}\n{}", f.marked(f.doc, &[card.span]), card.markdown),
            None => "none".into(),
        }
    }

    #[test]
    fn a_person_in_several_articles_and_spellings() {
        assert_snapshot!(check(r#"
            //- a.txt
            Am Montag hat Bundeskanzler Olaf Scholz in Berlin gesprochen. Scholz' Rede war kurz.
            //- b.txt
            Des Kanzlers Scho$0lz Rede in Berlin war lang.
            "#), @r"
            Des Kanzlers [Scholz] Rede in Berlin war lang.

            **Olaf Scholz** · person · Bundeskanzler

            3 mentions in 2 articles

            - `a.txt` (2×): Am Montag hat Bundeskanzler **Olaf Scholz** in Berlin gesprochen. Scholz' Rede war kurz.
            - `b.txt` (1×): Des Kanzlers **Scholz** Rede in Berlin war lang.
        ");
    }

    #[test]
    fn a_last_name_alone_where_the_corpus_has_two_people_of_that_name() {
        assert_snapshot!(check(r#"
            //- a.txt
            Am Montag hat Bundeskanzler Olaf Scholz in Berlin gesprochen.
            //- b.txt
            Heinz Scholz eröffnete die Bäckerei.
            //- c.txt
            Des Kanzlers Scho$0lz Rede in Berlin war lang. Scholz blieb.
            "#), @r"
            Des Kanzlers [Scholz] Rede in Berlin war lang. Scholz blieb.

            **Scholz** · person

            2 mentions in 1 article

            - `c.txt` (2×): Des Kanzlers **Scholz** Rede in Berlin war lang. Scholz blieb.
        ");
    }

    #[test]
    fn a_knowledge_base_entity_by_its_alias() {
        assert_snapshot!(check(r#"
            //- a.txt
            Der ukrainische Präsident Zelen$0sky traf in Kiew Selenskyj-Berater.
            //- gazette.toml
            [[entity]]
            name = "Wolodymyr Selenskyj"
            kind = "person"
            aliases = ["Selenskyj", "Zelensky"]
            description = "Präsident der Ukraine"
            wikidata = "Q3881119"
            "#), @r"
            Der ukrainische Präsident [Zelensky] traf in Kiew Selenskyj-Berater.

            **Wolodymyr Selenskyj** · person · ukrainischer Präsident

            Präsident der Ukraine

            [Wikidata Q3881119](https://www.wikidata.org/wiki/Q3881119) · also: Selenskyj, Zelensky

            2 mentions in 1 article

            - `a.txt` (2×): Der ukrainische Präsident **Zelensky** traf in Kiew Selenskyj-Berater.
        ");
    }

    #[test]
    fn an_organisation_by_its_acronym() {
        assert_snapshot!(check(r#"
            Am Montag hob die Europäische Zentralbank (EZB) die Zinsen an. Die EZB$0 wies Kritik zurück.
            "#), @r"
            Am Montag hob die Europäische Zentralbank (EZB) die Zinsen an. Die [EZB] wies Kritik zurück.

            **Europäische Zentralbank** · org

            3 mentions in 1 article

            - `a.txt` (3×): Am Montag hob die **Europäische Zentralbank** (EZB) die Zinsen an. Die EZB wies Kritik zurück.
        ");
    }

    #[test]
    fn a_figure_with_the_same_quantity_and_other_values() {
        assert_snapshot!(check(r#"
            //- a.txt
            In Europa sind 100.000 US-Soldaten stationiert.
            //- b.txt
            Noch immer sind $0100.000 US-Soldaten in Europa.
            //- c.txt
            Heute sind nur 80.000 US-Soldaten in Europa.
            "#), @r"
            Noch immer sind [100.000] US-Soldaten in Europa.

            **100\.000** · count · Soldat

            The same quantity, 2 statements:
            - `a.txt` (1×): In Europa sind **100.000** US-Soldaten stationiert.
            - `b.txt` (1×): Noch immer sind **100.000** US-Soldaten in Europa.

            Other values for the same topic:
            - 80\.000 in `c.txt`
        ");
    }

    #[test]
    fn a_place_at_an_umlaut() {
        assert_snapshot!(check(r#"
            //- a.txt
            Jürgen Müller kam nach Kö$0ln.
            //- b.txt
            In Köln regnete es.
            "#), @r"
            Jürgen Müller kam nach [Köln].

            **Köln** · place

            2 mentions in 2 articles

            - `a.txt` (1×): Jürgen Müller kam nach **Köln**.
            - `b.txt` (1×): In **Köln** regnete es.
        ");
    }

    #[test]
    fn first_and_last_mention_by_article_date() {
        assert_snapshot!(check(r#"
            //- 2022-03-16-b.txt
            Stand: 16.03.2022 03:36 Uhr. Jens Stoltenberg in Brüssel.
            //- a.txt
            BRÜSSEL, 16. Februar 2022 – Jens Stolt$0enberg warnte.
            //- c.txt
            Ohne Datum: Jens Stoltenberg.
            "#), @r"
            BRÜSSEL, 16. Februar 2022 – [Jens Stoltenberg] warnte.

            **Jens Stoltenberg** · person

            3 mentions in 3 articles

            first mentioned 2022-02-16, last 2022-03-16 (2 of 3 articles dated)

            - `2022-03-16-b.txt` · 2022-03-16 (1×): Stand: 16.03.2022 03:36 Uhr. **Jens Stoltenberg** in Brüssel.
            - `a.txt` · 2022-02-16 (1×): BRÜSSEL, 16. Februar 2022 – **Jens Stoltenberg** warnte.
            - `c.txt` (1×): Ohne Datum: **Jens Stoltenberg**.
        ");
    }

    #[test]
    fn nothing_to_hover() {
        assert_snapshot!(check(r#"
            Olaf Scholz sprach $0in Berlin.
            "#), @"none");
    }

    /// The card's lines are kept with the summary: an article that does
    /// not mention the name leaves them, one that does makes them anew.
    #[test]
    fn a_cards_lines_are_kept_until_an_article_of_the_name_changes() {
        struct Texts(std::collections::HashMap<DocId, Arc<str>>);
        impl TextSource for Texts {
            fn text(&self, _: &Corpus, doc: DocId) -> Option<Arc<str>> {
                self.0.get(&doc).cloned()
            }
        }
        let ov = gazette_core::recognize::Overrides::default();
        let mut c = Corpus::new();
        let mut texts = Texts(Default::default());
        let set = |c: &mut Corpus, texts: &mut Texts, p: &str, t: &str| {
            let a = Arc::new(gazette_core::analysis::analyze(t, &ov));
            let doc = c.set_document(p.into(), a);
            texts.0.insert(doc, t.into());
            doc
        };
        let a_text = "Angela Merkel sprach in Berlin.";
        let a = set(&mut c, &mut texts, "a.txt", a_text);
        set(&mut c, &mut texts, "b.txt", "In Berlin regnete es.");
        let at = a_text.find("Berlin").unwrap();
        let card = |c: &Corpus, texts: &Texts| hover(c, texts, a, at).unwrap().markdown;
        let first = card(&c, &texts);
        assert!(first.contains("regnete"), "{first}");
        let berlin = c.key_id("berlin").unwrap();
        let kept = c.entity_summary(berlin, MAX_ARTICLES);
        set(&mut c, &mut texts, "c.txt", "Paris ist schön.");
        assert!(Arc::ptr_eq(&kept, &c.entity_summary(berlin, MAX_ARTICLES)));
        assert_eq!(card(&c, &texts), first);
        set(&mut c, &mut texts, "b.txt", "In Berlin schneite es.");
        let now = card(&c, &texts);
        assert!(
            now.contains("schneite") && !now.contains("regnete"),
            "{now}"
        );
    }

    struct NoTexts;
    impl TextSource for NoTexts {
        fn text(&self, _: &Corpus, _: DocId) -> Option<Arc<str>> {
            None
        }
    }

    /// The first line of the hover card at `needle` in `text`, backslash
    /// escapes removed (as it renders).
    fn card_at(text: &str, needle: &str) -> String {
        let ov = gazette_core::recognize::Overrides::default();
        let mut c = Corpus::new();
        let doc = c.set_document(
            "a.txt".into(),
            Arc::new(gazette_core::analysis::analyze(text, &ov)),
        );
        let at = text.find(needle).unwrap();
        let card = hover(&c, &NoTexts, doc, at).unwrap();
        card.markdown.lines().next().unwrap().replace('\\', "")
    }

    #[test]
    fn figure_values_the_german_way() {
        let t = "Der Konzern verdiente 8,2 Milliarden Euro. Es kamen rund 100.000 \
                 Soldaten. Die Zinsen stiegen um 2,5 Prozent, der Preis auf 1,99 Euro. \
                 Es waren Hunderte Menschen. Im Jahr 2015 fiel sie um 5,5 Prozentpunkte.";
        assert_eq!(card_at(t, "8,2"), "**8,2 Mrd.** · money · EUR");
        assert_eq!(card_at(t, "100.000"), "**≈ 100.000** · count · Soldat");
        assert_eq!(card_at(t, "2,5"), "**2,5 %** · percent · %");
        assert_eq!(card_at(t, "1,99"), "**1,99** · money · EUR");
        assert_eq!(card_at(t, "Hunderte"), "**≈ 100** · count · Mensch");
        assert_eq!(card_at(t, "2015"), "**2015** · year");
        assert_eq!(
            card_at(t, "5,5"),
            "**5,5 Prozentpunkte** · percent · Prozentpunkt"
        );
    }
}
