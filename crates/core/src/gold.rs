//! Hand-annotated articles: the inline markup of the evaluation sets
//! (`tests/unseen/README.md`) and of the written training articles
//! (`data/train/written-news/`): `[[KIND surface]]` or
//! `[[KIND surface|key]]`, KIND one of PER LOC ORG OTH PART.

use anyhow::Context;

/// One hand-annotated mention (byte offsets into the plain text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldMention {
    pub start: usize,
    pub end: usize,
    /// PER, LOC, ORG, OTH or PART.
    pub kind: String,
    /// Which real thing this is (the surface when no key was written).
    pub key: String,
}

/// Splits a `.gold` text into the plain text and its mentions.
pub fn parse_gold(gold: &str) -> anyhow::Result<(String, Vec<GoldMention>)> {
    let mut plain = String::with_capacity(gold.len());
    let mut mentions = Vec::new();
    let mut rest = gold;
    while let Some(open) = rest.find("[[") {
        plain.push_str(&rest[..open]);
        let body_start = open + 2;
        let close = rest[body_start..]
            .find("]]")
            .map(|c| body_start + c)
            .with_context(|| format!("unclosed [[ at byte {}", gold.len() - rest.len() + open))?;
        let body = &rest[body_start..close];
        let (kind, inner) = body
            .split_once(' ')
            .with_context(|| format!("markup without a kind: [[{body}]]"))?;
        if !matches!(kind, "PER" | "LOC" | "ORG" | "OTH" | "PART") {
            anyhow::bail!("unknown kind {kind:?} in [[{body}]]");
        }
        let (surface, key) = match inner.split_once('|') {
            Some((s, k)) => (s, k),
            None => (inner, inner),
        };
        if surface.is_empty() {
            anyhow::bail!("empty name in [[{body}]]");
        }
        let start = plain.len();
        plain.push_str(surface);
        mentions.push(GoldMention {
            start,
            end: plain.len(),
            kind: kind.to_string(),
            key: key.to_string(),
        });
        rest = &rest[close + 2..];
    }
    plain.push_str(rest);
    Ok((plain, mentions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_markup_is_stripped_to_byte_offsets() {
        let (plain, ms) =
            parse_gold("Über [[PER Angela Merkel]] und [[LOC Deutschlands|Deutschland]].").unwrap();
        assert_eq!(plain, "Über Angela Merkel und Deutschlands.");
        assert_eq!(&plain[ms[0].start..ms[0].end], "Angela Merkel");
        assert_eq!(ms[0].key, "Angela Merkel");
        assert_eq!(&plain[ms[1].start..ms[1].end], "Deutschlands");
        assert_eq!(ms[1].key, "Deutschland");
    }

    #[test]
    fn bad_markup_is_an_error() {
        assert!(parse_gold("[[XYZ a]]").is_err());
        assert!(parse_gold("[[PER a").is_err());
        assert!(parse_gold("[[PER]]").is_err());
    }
}
