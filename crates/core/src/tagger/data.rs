//! Reading and writing annotated corpora: GermEval-2014 TSV, CoNLL/IOB2,
//! SmartData JSON; building the lexicon (Brown clusters + gazetteers).

use super::features::{gaz, Lexicon, LexiconMap, NO_CLUSTER};
use super::Label;
use crate::text::tokenize::tokenize;
use anyhow::Context;
use std::io::Read;
use std::path::Path;

/// The domain of SmartData, Europeana: web and archive text whose
/// annotation differs from GermEval's.
pub const DOMAIN_WEB: u32 = 1;
/// The domain of the news articles written for the project
/// (`data/train/written-news/`): denser in names than real news.
pub const DOMAIN_WRITTEN: u32 = 2;

/// One training/evaluation sentence.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence {
    pub words: Vec<String>,
    pub gold: Vec<Label>,
    /// Raw gold tags (outer column), kept for evaluation of classes such as `LOCderiv`.
    pub tags: Vec<String>,
    /// The corpus's domain: 0 for in-domain text (GermEval, the user's
    /// annotations); another value trains with extra copies of every
    /// feature, one set per domain ([`DOMAIN_WEB`], [`DOMAIN_WRITTEN`]),
    /// that absorb that corpus's idiosyncrasies and are never used to tag.
    pub domain: u32,
}

/// Column layout of a token file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `idx TAB token [TAB outer [TAB inner …]]`
    GermEval,
    /// `token (TAB|space) … tag` (tag in the last column)
    Conll,
}

/// One line of a token file, kept verbatim for pass-through output.
#[derive(Clone, Debug, PartialEq)]
pub enum Line {
    /// Comment or blank line (no trailing line break).
    Other(String),
    Token {
        /// The line without its line break and trailing whitespace.
        raw: String,
        token: String,
        /// Gold outer tag when the file has one.
        gold: Option<String>,
    },
}

/// A token file: its lines, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TokenFile {
    pub lines: Vec<Line>,
}

fn fields(line: &str) -> Vec<&str> {
    if line.contains('\t') {
        line.split('\t').collect()
    } else {
        line.split_whitespace().collect()
    }
}

/// Guesses the layout: GermEval when the first token line starts with "1" and has
/// a second column.
pub fn detect_format(text: &str) -> Format {
    for line in text.lines() {
        let l = line.trim_end();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let f = fields(l);
        return if f.len() >= 2 && f[0] == "1" && (f.len() >= 3 || !is_tag(f[1])) {
            Format::GermEval
        } else {
            Format::Conll
        };
    }
    Format::GermEval
}

fn is_tag(s: &str) -> bool {
    s == "O" || s.starts_with("B-") || s.starts_with("I-")
}

impl TokenFile {
    pub fn parse(text: &str, format: Format) -> TokenFile {
        let mut lines = Vec::new();
        for line in text.lines() {
            let l = line.trim_end();
            // A GermEval comment starts with '#' and a tab; a bare '#' token line
            // in CoNLL is "#<TAB>O".
            let is_comment = l.starts_with('#')
                && (format == Format::GermEval || fields(l).len() != 2 || !is_tag(fields(l)[1]));
            if l.is_empty() || is_comment {
                // Comment and blank lines pass through exactly (only the line
                // terminator is normalised).
                lines.push(Line::Other(line.trim_end_matches('\r').to_string()));
                continue;
            }
            let f = fields(l);
            let (token, gold) = match format {
                Format::GermEval => (
                    f.get(1).copied().unwrap_or(f[0]).to_string(),
                    f.get(2).map(|s| s.to_string()),
                ),
                Format::Conll => (
                    f[0].to_string(),
                    (f.len() >= 2).then(|| f[f.len() - 1].to_string()),
                ),
            };
            lines.push(Line::Token {
                raw: l.to_string(),
                token,
                gold,
            });
        }
        TokenFile { lines }
    }

    /// Sentences: runs of token lines separated by blank or comment lines.
    /// Returns line-index ranges.
    pub fn sentence_ranges(&self) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, l) in self.lines.iter().enumerate() {
            match l {
                Line::Token { .. } => {
                    if start.is_none() {
                        start = Some(i);
                    }
                }
                Line::Other(_) => {
                    if let Some(s) = start.take() {
                        out.push(s..i);
                    }
                }
            }
        }
        if let Some(s) = start {
            out.push(s..self.lines.len());
        }
        out
    }

    pub fn sentences(&self) -> Vec<Sentence> {
        self.sentence_ranges()
            .into_iter()
            .map(|r| {
                let mut s = Sentence::default();
                for l in &self.lines[r] {
                    if let Line::Token { token, gold, .. } = l {
                        let tag = gold.clone().unwrap_or_else(|| "O".into());
                        s.words.push(token.clone());
                        s.gold.push(Label::parse(&tag));
                        s.tags.push(tag);
                    }
                }
                s
            })
            .collect()
    }

    /// Writes every line unchanged, token lines with one added column (the
    /// predicted label); `labels` holds one label per token line, in order.
    pub fn write_tagged<L: AsRef<str>>(&self, labels: &[L]) -> String {
        let mut out = String::new();
        let mut k = 0;
        for l in &self.lines {
            match l {
                Line::Other(s) => out.push_str(s),
                Line::Token { raw, .. } => {
                    out.push_str(raw);
                    out.push('\t');
                    out.push_str(labels[k].as_ref());
                    k += 1;
                }
            }
            out.push('\n');
        }
        out
    }
}

/// Reads a (possibly gzip-compressed) file to a string.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    // Regular files only (a FIFO or device named on the command line is
    // refused, not read forever); training corpora may be large: no limit.
    let bytes = crate::workspace::read_file(path, u64::MAX, None)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("reading {}", path.display()))?
        .bytes;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut s = String::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .with_context(|| format!("decompressing {}", path.display()))?;
        Ok(s)
    } else {
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Reads a token file (GermEval or CoNLL layout, detected) into sentences.
pub fn read_token_file(path: &Path) -> anyhow::Result<Vec<Sentence>> {
    let text = read_text(path)?;
    Ok(TokenFile::parse(&text, detect_format(&text)).sentences())
}

/// Maps a SmartData mention type to a class index (PER=0, LOC=1, ORG=2).
/// Release 1 writes `location-city`, release 3 `LOCATION_CITY`.
fn smartdata_class(t: &str) -> Option<usize> {
    let t = t.to_ascii_lowercase().replace('_', "-");
    let t = t.as_str();
    match t {
        "person" => Some(0),
        "organization" | "organization-company" => Some(2),
        _ if t.starts_with("location") => Some(1),
        _ => None,
    }
}

/// SmartData documents that are never trained on: the unseen-news
/// development set (`tests/unseen/`) and the sealed sets
/// (`tests/unseen-sealed/`, `tests/unseen-fresh/`), annotated by hand for evaluation.
const HELD_OUT: [&str; 3] = [
    include_str!("../../../../tests/unseen/ids.txt"),
    include_str!("../../../../tests/unseen-sealed/ids.txt"),
    include_str!("../../../../tests/unseen-fresh/ids.txt"),
];

/// Whether the SmartData document `id` belongs to a held-out evaluation set.
pub fn is_held_out(id: &str) -> bool {
    HELD_OUT.iter().flat_map(|f| f.lines()).any(|l| l == id)
}

/// Reads SmartData JSON (concatenated objects), tokenises each text with the
/// gazette tokenizer and projects the character-offset mentions onto BIO labels.
/// Lower-case location mentions (adjectives such as "italienische", which
/// GermEval labels `LOCderiv`) are left out. Held-out documents ([`is_held_out`]) are skipped.
pub fn read_smartdata(text: &str) -> anyhow::Result<Vec<Sentence>> {
    let mut out = Vec::new();
    for doc in serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>() {
        let doc = doc?;
        if doc["id"].as_str().is_some_and(is_held_out) {
            continue;
        }
        let Some(body) = doc["text"]["string"].as_str() else {
            continue;
        };
        // char offset -> byte offset
        let mut byte_of: Vec<usize> = body.char_indices().map(|(b, _)| b).collect();
        byte_of.push(body.len());
        let tok = tokenize(body);
        let mut labels = vec![Label::O; tok.tokens.len()];
        let mentions = doc["conceptMentions"]["array"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for m in mentions {
            let Some(class) = m["type"].as_str().and_then(smartdata_class) else {
                continue;
            };
            let (Some(s), Some(e)) = (m["span"]["start"].as_u64(), m["span"]["end"].as_u64())
            else {
                continue;
            };
            let (s, e) = (s as usize, e as usize);
            if s >= e || e >= byte_of.len() {
                continue;
            }
            let (bs, be) = (byte_of[s], byte_of[e]);
            if class == 1
                && body[bs..be]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_lowercase())
            {
                continue;
            }
            let mut first = true;
            for (k, t) in tok.tokens.iter().enumerate() {
                let (ts, te) = (t.span.start as usize, t.span.end as usize);
                if ts >= bs && ts < be && te <= be + 1 {
                    labels[k] = if first {
                        Label::begin(class)
                    } else {
                        Label::inside(class)
                    };
                    first = false;
                }
            }
        }
        for r in &tok.sentences {
            let mut s = Sentence {
                domain: DOMAIN_WEB,
                ..Sentence::default()
            };
            for k in r.clone() {
                s.words.push(tok.tokens[k].text(body).to_string());
                s.gold.push(labels[k]);
                s.tags.push(labels[k].as_str().to_string());
            }
            if !s.words.is_empty() {
                out.push(s);
            }
        }
    }
    Ok(out)
}

/// Reads hand-annotated articles in the inline markup of [`crate::gold`]
/// (every `*.gold` file in `dir` and its sub-folders, in path order),
/// tokenises each with the gazette tokenizer and labels the tokens of its
/// PER/LOC/ORG/OTH mentions (a PART compound stays `O`, as GermEval's
/// `ORGpart` does at the outer level). A sentence in which a mention starts
/// or ends inside a token is left out: its labels would teach a boundary the
/// tagger cannot draw. Returns the sentences and how many were left out.
pub fn read_gold_dir(dir: &Path) -> anyhow::Result<(Vec<Sentence>, usize)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "gold") {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut out, mut skipped) = (Vec::new(), 0);
    for f in files {
        let (text, mentions) =
            crate::gold::parse_gold(&read_text(&f)?).with_context(|| format!("{}", f.display()))?;
        let spans: Vec<(usize, usize, usize)> = mentions
            .iter()
            .filter_map(|m| Some((m.start, m.end, Label::class_named(&m.kind)?)))
            .collect();
        skipped += gold_sentences(&text, &spans, &mut out);
    }
    Ok((out, skipped))
}

/// The sentences of `text` with the mentions `spans` (byte start, end,
/// class) as BIO labels; returns how many sentences were left out because a
/// mention's edge falls inside a token.
fn gold_sentences(text: &str, spans: &[(usize, usize, usize)], out: &mut Vec<Sentence>) -> usize {
    let tok = tokenize(text);
    let mut labels = vec![Label::O; tok.tokens.len()];
    let mut bad = vec![false; tok.tokens.len()];
    for &(s, e, class) in spans {
        let mut first = true;
        for (k, t) in tok.tokens.iter().enumerate() {
            let (ts, te) = (t.span.start as usize, t.span.end as usize);
            if te <= s || ts >= e {
                continue;
            }
            if ts < s || te > e {
                bad[k] = true;
                continue;
            }
            labels[k] = if first {
                Label::begin(class)
            } else {
                Label::inside(class)
            };
            first = false;
        }
    }
    let mut skipped = 0;
    for r in &tok.sentences {
        if r.clone().any(|k| bad[k]) {
            skipped += 1;
            continue;
        }
        let mut s = Sentence::default();
        for k in r.clone() {
            s.words.push(tok.tokens[k].text(text).to_string());
            s.gold.push(labels[k]);
            s.tags.push(labels[k].as_str().to_string());
        }
        if !s.words.is_empty() {
            out.push(s);
        }
    }
    skipped
}

/// Parses the `forms` column of the german-nouns gazetteers:
/// " (den)  Aabs| (der)  Aabs|Aab" -> ["Aabs", "Aabs", "Aab"].
fn noun_forms(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').filter_map(|f| {
        let f = match f.rfind(')') {
            Some(i) => &f[i + 1..],
            None => f,
        };
        let f = f.trim();
        (!f.is_empty() && !f.contains(' ')).then_some(f)
    })
}

/// Builds the lexicon: Brown clusters of the `top_k` most frequent word forms
/// (the cluster file lists words by frequency) and of the capitalised ones among
/// the `top_cap` most frequent (name candidates), plus gazetteer masks.
pub fn build_lexicon(data: &Path, top_k: usize, top_cap: usize) -> anyhow::Result<Lexicon> {
    let mut lex = LexiconMap::default();
    let clusters = read_text(&data.join("lexicon/de-brown-clusters.json.gz"))?;
    // Stream the object in file order (serde_json's Map would sort the keys).
    let mut de = serde_json::Deserializer::from_str(&clusters);
    struct Visitor<'a>(&'a mut LexiconMap, usize, usize);
    impl<'de> serde::de::Visitor<'de> for Visitor<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map word -> cluster")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut rank = 0;
            while let Some((k, v)) = map.next_entry::<String, u32>()? {
                let capitalised = k.chars().next().is_some_and(|c| c.is_uppercase());
                if rank < self.1 || (rank < self.2 && capitalised) {
                    self.0.insert(k.into_boxed_str(), (v, 0));
                }
                rank += 1;
            }
            Ok(())
        }
    }
    serde::Deserializer::deserialize_map(&mut de, Visitor(&mut lex, top_k, top_cap))?;

    let add = |lex: &mut LexiconMap, w: &str, bit: u16| {
        let w = w.trim();
        if w.is_empty() {
            return;
        }
        if w.contains(' ') {
            if bit == gaz::COUNTRY {
                for part in w.split(' ') {
                    if part.chars().next().is_some_and(|c| c.is_uppercase()) {
                        lex.entry(part.into()).or_insert((NO_CLUSTER, 0)).1 |= gaz::COUNTRY_PART;
                    }
                }
            }
            return;
        }
        lex.entry(w.into()).or_insert((NO_CLUSTER, 0)).1 |= bit;
    };
    let g = data.join("gazetteers");
    let tsv = |name: &str| -> anyhow::Result<Vec<Vec<String>>> {
        Ok(read_text(&g.join(name))?
            .lines()
            .skip(1)
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect())
    };
    for row in tsv("first-names-nam-dict.tsv")? {
        add(&mut lex, &row[0], gaz::FIRST_NAME);
    }
    for (file, bit) in [
        ("german-nouns-first-names.tsv", gaz::FIRST_NAME),
        ("german-nouns-surnames.tsv", gaz::SURNAME),
        ("german-nouns-toponyms.tsv", gaz::TOPONYM),
    ] {
        for row in tsv(file)? {
            add(&mut lex, &row[0], bit);
            if let Some(forms) = row.get(1) {
                for f in noun_forms(forms) {
                    add(&mut lex, f, bit);
                }
            }
        }
    }
    for l in read_text(&g.join("german-towns-osm.list"))?.lines() {
        add(&mut lex, l, gaz::TOWN_DE);
    }
    for row in tsv("cldr-de-territories.tsv")? {
        if let Some(n) = row.get(1) {
            add(&mut lex, n, gaz::COUNTRY);
        }
    }
    for row in tsv("iso-countries-de.tsv")? {
        for n in row.iter().skip(1) {
            for n in n.split(',') {
                add(&mut lex, n, gaz::COUNTRY);
            }
        }
    }
    for row in tsv("world-countries-de.tsv")? {
        for n in row.iter().skip(2) {
            add(&mut lex, n, gaz::COUNTRY);
        }
    }
    for row in tsv("country-adjectives-de.tsv")? {
        if let Some(adj) = row.get(1) {
            for suffix in ["", "e", "en", "er", "es", "em"] {
                let form = format!("{adj}{suffix}");
                add(&mut lex, &form, gaz::COUNTRY_ADJ);
                let mut cap = String::new();
                let mut cs = form.chars();
                if let Some(f) = cs.next() {
                    cap.extend(f.to_uppercase());
                    cap.push_str(cs.as_str());
                    add(&mut lex, &cap, gaz::COUNTRY_ADJ);
                }
            }
        }
    }
    for row in tsv("cldr-de-language-names.tsv")? {
        if let Some(n) = row.get(1) {
            add(&mut lex, n, gaz::LANGUAGE);
        }
    }
    Ok(Lexicon::from_map(&lex))
}

#[cfg(test)]
mod tests {
    #[test]
    fn smartdata_types_of_both_releases() {
        for (t, class) in [
            ("person", Some(0)),
            ("PERSON", Some(0)),
            ("location-city", Some(1)),
            ("LOCATION_CITY", Some(1)),
            ("ORGANIZATION_COMPANY", Some(2)),
            ("organization", Some(2)),
            ("DATE", None),
        ] {
            assert_eq!(super::smartdata_class(t), class, "{t}");
        }
    }

    use super::*;

    #[test]
    fn gold_articles_become_labelled_sentences() {
        let dir = std::env::temp_dir().join(format!("gazette-gold-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(
            dir.join("a/01.gold"),
            "[[PER Anna Berg]] traf die [[ORG Deutsche Bahn]] in [[LOC Bonn]]. \
             Die [[PART NATO-Truppen]] sahen [[OTH Tatort]].\n\
             Ein [[LOC Berlin]]er Abend.",
        )
        .unwrap();
        std::fs::write(dir.join("a/01.txt"), "not read").unwrap();
        let (sents, skipped) = read_gold_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        // The third sentence ("Berlin" inside the token "Berliner") is left out.
        assert_eq!((sents.len(), skipped), (2, 1));
        let tags = |s: &Sentence| -> Vec<String> {
            s.words
                .iter()
                .zip(&s.tags)
                .map(|(w, t)| format!("{w}/{t}"))
                .collect()
        };
        assert_eq!(
            tags(&sents[0]),
            [
                "Anna/B-PER",
                "Berg/I-PER",
                "traf/O",
                "die/O",
                "Deutsche/B-ORG",
                "Bahn/I-ORG",
                "in/O",
                "Bonn/B-LOC",
                "./O"
            ]
        );
        assert_eq!(tags(&sents[1])[1], "NATO-Truppen/O");
        assert_eq!(tags(&sents[1])[3], "Tatort/B-OTH");
        assert_eq!(sents[0].domain, 0);
    }

    const GE: &str = "#\thttp://example.org\t[2010-01-01]\r\n1\tOlaf\tB-PER\tO\r\n2\tScholz\tI-PER\tO  \n3\tin\tO\tO\n4\tBerlin\tB-LOC\tO\n\n#\tx\n1\trussische\tB-LOCderiv\tO\n2\tNATO\n";

    #[test]
    fn germeval_round_trip() {
        assert_eq!(detect_format(GE), Format::GermEval);
        let f = TokenFile::parse(GE, Format::GermEval);
        let sents = f.sentences();
        assert_eq!(sents.len(), 2);
        assert_eq!(sents[0].words, ["Olaf", "Scholz", "in", "Berlin"]);
        assert_eq!(sents[0].gold[1].as_str(), "I-PER");
        assert_eq!(sents[1].tags, ["B-LOCderiv", "O"]);
        assert_eq!(sents[1].gold, [Label::O, Label::O]);
        let labels: Vec<Label> = ["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]
            .iter()
            .map(|t| Label::parse(t))
            .collect();
        let out = f.write_tagged(&labels);
        let expected = "#\thttp://example.org\t[2010-01-01]\n1\tOlaf\tB-PER\tO\tB-PER\n2\tScholz\tI-PER\tO\tI-PER\n3\tin\tO\tO\tO\n4\tBerlin\tB-LOC\tO\tB-LOC\n\n#\tx\n1\trussische\tB-LOCderiv\tO\tO\n2\tNATO\tB-ORG\n";
        assert_eq!(out, expected);
        // Writing drops the added column again when re-read as GermEval: same tokens.
        let again = TokenFile::parse(&out, Format::GermEval);
        assert_eq!(again.sentences()[0].words, sents[0].words);
    }

    #[test]
    fn conll_layout() {
        let t = "Eintracht O\nFrankfurt B-ORG\n\n#\tO\nBrenners B-LOC\n";
        assert_eq!(detect_format(t), Format::Conll);
        let s = TokenFile::parse(t, Format::Conll).sentences();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].words, ["#", "Brenners"]);
        assert_eq!(s[1].gold[1].as_str(), "B-LOC");
    }

    #[test]
    fn smartdata_projection() {
        let json = r#"{"text":{"string":"Der Chef von Maserati, Harald Wester, kam nach Genf. Der italienische Hersteller"},
          "conceptMentions":{"array":[
            {"span":{"start":13,"end":21},"type":"organization-company"},
            {"span":{"start":23,"end":36},"type":"person"},
            {"span":{"start":47,"end":51},"type":"location-city"},
            {"span":{"start":57,"end":69},"type":"location"},
            {"span":{"start":0,"end":3},"type":"date"}]}}"#;
        let s = read_smartdata(json).unwrap();
        assert_eq!(s.len(), 2);
        let tags: Vec<&str> = s[0].gold.iter().map(|l| l.as_str()).collect();
        assert_eq!(
            tags,
            ["O", "O", "O", "B-ORG", "O", "B-PER", "I-PER", "O", "O", "O", "B-LOC", "O"]
        );
        assert!(s[1].gold.iter().all(|l| *l == Label::O));
    }

    #[test]
    fn noun_forms_parse() {
        let f: Vec<&str> = noun_forms(" (den)  Aabs| (der)  Aabs|Aab").collect();
        assert_eq!(f, ["Aabs", "Aabs", "Aab"]);
    }
}
