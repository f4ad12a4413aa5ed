//! `gazette report DIR -o report.html`: the corpus map as one self-contained
//! HTML page — a co-occurrence network, a timeline of mentions per article
//! date, the figure groups and each entity's card and articles.
//!
//! Self-contained: the JavaScript libraries (Cytoscape.js, uPlot; vendored
//! from npm under `assets/report/vendor/` by `scripts/vendor-report-js.sh`)
//! are compiled into the binary and inlined, the data is JSON in a
//! `<script type="application/json">` block with `<`, `>` and `&` written
//! as `\u003c`, `\u003e`, `\u0026` (no article text can close the block or
//! open a tag), and a Content-Security-Policy allows only the page's own
//! inline scripts and style, by their SHA-256 hashes: no network, no other
//! script, no form, no frame.

use base64::Engine as _;
use gazette_core::corpus::{Corpus, DocId};
use gazette_core::dates::Ymd;
use gazette_ide::corpus_map::{corpus_map, kind_from_str, CorpusMap, MapOptions};
use gazette_ide::TextSource;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

const TEMPLATE: &str = include_str!("../../assets/report/report.html");
const STYLE: &str = concat!(
    include_str!("../../assets/report/report.css"),
    include_str!("../../assets/report/vendor/uPlot.min.css")
);
const CYTOSCAPE: &str = include_str!("../../assets/report/vendor/cytoscape.min.js");
const UPLOT: &str = include_str!("../../assets/report/vendor/uPlot.iife.min.js");
/// The timeline and figure panels, shared with the VS Code webview.
const PANELS: &str = include_str!("../../assets/report/panels.js");
const APP: &str = include_str!("../../assets/report/app.js");

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Folders or files of the corpus.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The HTML file to write.
    #[arg(short, long, default_value = "report.html")]
    pub output: PathBuf,
    /// Entities in the report (those named in the most articles).
    #[arg(long, default_value_t = gazette_ide::corpus_map::DEFAULT_TOP_N)]
    pub top: usize,
    /// Only entities of these kinds (repeat the flag; default: all).
    #[arg(long, value_parser = ["person", "place", "org", "other"])]
    pub kind: Vec<String>,
    /// Only articles dated on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    pub from: Option<Ymd>,
    /// Only articles dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    pub to: Option<Ymd>,
    /// Least articles an entity, and a pair of entities, must be named in.
    #[arg(long, default_value_t = 1)]
    pub min_count: usize,
}

fn parse_day(s: &str) -> Result<Ymd, String> {
    match gazette_core::dates::parse_date_at(s) {
        Some((d, n)) if n == s.len() => Ok(d),
        _ => Err(format!("{s:?} is not a day (YYYY-MM-DD)")),
    }
}

struct Texts(HashMap<DocId, Arc<str>>);

impl TextSource for Texts {
    fn text(&self, _: &Corpus, doc: DocId) -> Option<Arc<str>> {
        self.0.get(&doc).cloned()
    }
}

pub fn run(args: &ReportArgs) -> anyhow::Result<i32> {
    if args.top == 0 {
        anyhow::bail!("--top must be at least 1");
    }
    if let (Some(f), Some(t)) = (args.from, args.to) {
        if f > t {
            anyhow::bail!("--from {f} is after --to {t}");
        }
    }
    let (corpus, texts) = super::corpus_with_texts(&args.paths)?;
    let texts = Texts(texts);
    let opts = MapOptions {
        kinds: args.kind.iter().filter_map(|k| kind_from_str(k)).collect(),
        from: args.from,
        to: args.to,
        min_count: args.min_count.max(1),
        top_n: args.top,
        ..MapOptions::default()
    };
    let map = corpus_map(&corpus, &texts, &opts);
    let label = corpus_label(&args.paths);
    let html = render(&label, &map, args.top);
    gazette_core::workspace::write_atomic(&args.output, html.as_bytes()).map_err(|e| {
        anyhow::anyhow!(
            "cannot write {}: {e}",
            gazette_core::text::escape::path(&args.output)
        )
    })?;
    eprintln!(
        "gazette: wrote {} ({} entities, {} pairs, {} figure groups, {} articles, {} dated), {:.1} MB",
        gazette_core::text::escape::path(&args.output),
        map.nodes.len(),
        map.edges.len(),
        map.figures.len(),
        map.articles,
        map.dated,
        html.len() as f64 / 1e6
    );
    Ok(0)
}

/// The corpus as the page names it: the folders and files given.
fn corpus_label(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(serde::Serialize)]
struct PageData<'a> {
    corpus: &'a str,
    top_n: usize,
    map: &'a CorpusMap,
}

/// The page: the template with the style, the libraries, the app and the
/// data filled in, and a policy that allows exactly those.
pub fn render(corpus: &str, map: &CorpusMap, top_n: usize) -> String {
    let data = script_json(&PageData {
        corpus,
        top_n: top_n.min(map.nodes.len()).max(1),
        map,
    });
    let csp = format!(
        "default-src 'none'; script-src {} {} {} {}; style-src {}; img-src data: blob:; \
         connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(CYTOSCAPE),
        csp_hash(UPLOT),
        csp_hash(PANELS),
        csp_hash(APP),
        csp_hash(STYLE)
    );
    let title = format!("gazette report: {}", html_text(corpus));
    let mut out = String::with_capacity(TEMPLATE.len() + STYLE.len() + data.len() + 600_000);
    // Placeholders are filled in one pass over the template: nothing
    // inserted is searched again.
    let mut rest = TEMPLATE;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let j = rest[i..]
            .find("}}")
            .map(|j| i + j)
            .expect("closed placeholder");
        match &rest[i + 2..j] {
            "CSP" => out.push_str(&csp),
            "TITLE" => out.push_str(&title),
            "STYLE" => out.push_str(STYLE),
            "DATA" => out.push_str(&data),
            "CYTOSCAPE" => out.push_str(CYTOSCAPE),
            "UPLOT" => out.push_str(UPLOT),
            "PANELS" => out.push_str(PANELS),
            "APP" => out.push_str(APP),
            other => panic!("unknown placeholder {other}"),
        }
        rest = &rest[j + 2..];
    }
    out.push_str(rest);
    out
}

/// JSON for a `<script type="application/json">` block: `<`, `>` and `&`
/// (and the line separators JavaScript once rejected) as `\u` escapes, so
/// that no text in it ends the block, opens a comment or a tag.
pub fn script_json(v: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(v).expect("serialisable");
    let mut out = String::with_capacity(json.len() + json.len() / 50);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A CSP source for an inline script or style: `'sha256-…'`.
fn csp_hash(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Text for HTML element content and attribute values.
fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The scripts the report inlines.
#[cfg(test)]
fn vendored() -> [(&'static str, &'static str); 4] {
    [
        ("cytoscape", CYTOSCAPE),
        ("uplot", UPLOT),
        ("panels", PANELS),
        ("app", APP),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_block() {
        let hostile = "</script><img src=x onerror=alert(1)><!-- & \u{2028}";
        let s = script_json(&serde_json::json!({ "name": hostile }));
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        assert!(!s.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], hostile);
    }

    #[test]
    fn inline_scripts_cannot_end_early() {
        for (name, js) in vendored() {
            let lower = js.to_ascii_lowercase();
            assert!(!lower.contains("</script"), "{name} contains </script");
            assert!(!lower.contains("<!--"), "{name} contains <!--");
        }
        assert!(!STYLE.to_ascii_lowercase().contains("</style"));
    }

    #[test]
    fn csp_hashes_are_sha256_base64() {
        // printf '' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    #[test]
    fn titles_are_text() {
        assert_eq!(
            html_text("<b>\"x\" & 'y'</b>"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn days_on_the_command_line() {
        assert_eq!(parse_day("2022-02-16").unwrap().to_string(), "2022-02-16");
        assert!(parse_day("2022-02-16x").is_err());
        assert!(parse_day("2022-02-30").is_err());
    }
}
