//! Text from articles, file names and gazette.toml is data, never markup:
//! a hover card built from hostile input renders as text, and its only links
//! are gazette's own (Wikidata, a validated http(s) `url`).

mod common;

use common::*;
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::json;
use std::path::Path;

/// Everything in `md` that is not text: links (with their targets), images,
/// HTML, headings, code blocks, block quotes, tables…
fn markup(md: &str) -> Vec<String> {
    let mut found = Vec::new();
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_GFM) {
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) => found.push(format!("link {dest_url}")),
            Event::Start(Tag::Image { dest_url, .. }) => found.push(format!("image {dest_url}")),
            Event::Html(h) | Event::InlineHtml(h) => found.push(format!("html {h}")),
            Event::Start(
                t @ (Tag::Heading { .. }
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::Table(_)
                | Tag::Strikethrough
                | Tag::HtmlBlock),
            ) => found.push(format!("{t:?}")),
            _ => {}
        }
    }
    found
}

/// Bare URLs that GitHub-style renderers turn into links (pulldown-cmark
/// does not implement these extended autolinks).
fn bare_urls(md: &str) -> bool {
    let m = md.to_ascii_lowercase();
    ["http://", "https://", "file://", "www."].iter().any(|p| {
        m.match_indices(p)
            .any(|(i, _)| i == 0 || !m[..i].ends_with(['<', '(']))
    })
}

const ARTICLE: &str = "Olaf Scholz sagte am Montag in Berlin, er sehe keinen Grund zur Sorge. \
[Olaf Scholz](command:workbench.action.terminal.new) und <a href=\"javascript:alert(1)\">Olaf Scholz</a> \
<img src=x onerror=alert(1)> sowie [x](file:///etc/passwd) und https://evil.example/ www.evil.example \
mail@evil.example. Olaf Scholz sprach danach mit Journalisten.\n";

fn write_corpus(root: &Path, name: &str) -> std::path::PathBuf {
    std::fs::write(
        root.join("gazette.toml"),
        r#"[[entity]]
name = "Olaf Scholz"
kind = "person"
description = "<img src=x onerror=alert(1)> **Kanzler** [klick](command:x) # Titel"
url = "javascript:alert(1)"
wikidata = "Q1](command:x)"
aliases = ["[Scholz](command:x)"]

[[entity]]
name = "Berlin"
kind = "place"
url = "https://www.berlin.de/"
wikidata = "Q64"
"#,
    )
    .unwrap();
    let article = root.join(name);
    std::fs::write(&article, ARTICLE).unwrap();
    std::fs::write(root.join("zweiter.txt"), ARTICLE).unwrap();
    article
}

#[test]
fn hover_cards_show_hostile_text_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let article = write_corpus(dir.path(), "a`b\n\n# Heading [x](command:y).txt");
    let mut c = started(dir.path());
    let text = c.open(&article);
    let mut cards = 0;
    for (needle, nth) in [
        ("Olaf Scholz", 0),
        ("Olaf Scholz", 1),
        ("Olaf Scholz", 2),
        ("Olaf Scholz", 3),
        ("Berlin", 0),
    ] {
        let h = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&article)}, "position": pos_of(&text, needle, nth, 1)}),
        );
        let Some(md) = h["contents"]["value"].as_str() else {
            continue;
        };
        cards += 1;
        let found = markup(md);
        let allowed = |m: &String| {
            m == "link https://www.wikidata.org/wiki/Q64" || m == "link https://www.berlin.de/"
        };
        assert!(
            found.iter().all(allowed),
            "markup from outside in the card for {needle} #{nth}: {found:?}\n{md}"
        );
        let without_own: String = md
            .replace("<https://www.berlin.de/>", "")
            .replace("(https://www.wikidata.org/wiki/Q64)", "");
        assert!(!bare_urls(&without_own), "a bare URL in\n{md}");
        // Each line of the card is one line: the file name's blank lines
        // did not start a new block.
        assert!(!md.lines().any(|l| l.starts_with('#')), "{md}");
    }
    assert!(cards >= 2, "no hover cards at all");
    c.shutdown();
}
