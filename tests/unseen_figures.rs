//! Figures on unseen news: gazette's figures against the hand annotation
//! `figures.tsv` of `tests/unseen/` (32 documents) and of the written sets
//! `tests/unseen-written/`, `tests/unseen-written-2/`,
//! `tests/unseen-written-3/`, `tests/unseen-written-5/` (development: 15,
//! 12, 12 and 12 full articles) and
//! `tests/unseen-written-sealed/` (15, sealed: only scored), annotated by
//! helpers from the text and written conventions, never from gazette's
//! output. The same scoring as
//! `scripts/unseen_figures.py`: a gold figure is *fully right* when the
//! first predicted figure overlapping its text has the same value,
//! category and unit (a counted noun compared by its compound head and
//! lemma). The floors are the measured rates less a small margin.

use gazette_core::figures::find_figures;
use gazette_core::model::Figure;
use gazette_core::text::tokenize::tokenize;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn same_value(got: &str, want: &str) -> bool {
    got == want
        || matches!(
            (got.parse::<f64>(), want.parse::<f64>()),
            (Ok(a), Ok(b)) if (a - b).abs() <= 1e-9 * b.abs().max(1.0)
        )
}

/// Case-insensitive, by the last part of a compound, a plural's umlaut
/// folded, and a base form up to two letters shorter ("Flugausfall" /
/// "Flugausfällen"; three for "-ern" plurals, "Land" / "Ländern"); a pair
/// ("Soldatinnen und Soldaten") by its first noun.
fn same_unit(got: &str, want: &str) -> bool {
    let fold = |s: &str| -> String {
        let s = s.split(" und ").next().unwrap_or(s);
        let l = s.to_lowercase();
        let last = l.rsplit('-').next().unwrap_or(&l).to_string();
        last.replace('ä', "a").replace('ö', "o").replace('ü', "u")
    };
    let (a, b) = (fold(got), fold(want));
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    // "-ern" plurals ("Land" / "Ländern") and "-innen" ("Kundin" /
    // "Kundinnen") are three letters longer.
    let most = if long.ends_with("ern") || long.ends_with("innen") {
        3
    } else {
        2
    };
    short.chars().count() >= 4
        && long.starts_with(short.as_str())
        && long.chars().count() - short.chars().count() <= most
}

/// (gold figures, found, fully right, the errors).
/// Where a row's `text` stands (as `scripts/unseen_figures.py` places it):
/// the rows come in text order, so its first occurrence from `after` on (the
/// row before's offset), not `taken` by an earlier row, that stands as a
/// word of its own (no letter or digit glued to an edge that is one: "1."
/// is neither the end of "41." nor the start of "2.350"); failing that, the
/// `k`-th such occurrence, else the `k`-th anywhere.
fn place(body: &str, text: &str, k: usize, after: usize, taken: &[usize]) -> Option<usize> {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let alone = |at: usize| {
        let end = at + text.len();
        let (first, last) = (text.chars().next(), text.chars().next_back());
        let next = body[end..].chars().next();
        let glued_before = alnum(first) && alnum(body[..at].chars().next_back());
        let glued_after = alnum(last) && alnum(next)
            || matches!(last, Some('.' | ',')) && next.is_some_and(|c| c.is_ascii_digit());
        !(glued_before || glued_after)
    };
    let all: Vec<usize> = body.match_indices(text).map(|(at, _)| at).collect();
    let words: Vec<usize> = all.iter().copied().filter(|&at| alone(at)).collect();
    words
        .iter()
        .find(|&&at| at >= after && !taken.contains(&at))
        .or_else(|| words.get(k))
        .or_else(|| all.get(k))
        .copied()
}

fn score(dir: &str) -> (usize, usize, usize, Vec<String>) {
    let dir = Path::new(ROOT).join(dir);
    let tsv = std::fs::read_to_string(dir.join("figures.tsv")).unwrap();
    let mut rows = tsv.lines();
    assert_eq!(
        rows.next(),
        Some("doc\ttext\tvalue\tcategory\tunit\tapprox")
    );
    let mut figures: std::collections::HashMap<String, (String, Vec<Figure>)> = Default::default();
    let mut seen: std::collections::HashMap<(String, String), usize> = Default::default();
    // Each document's placed rows, in row order.
    let mut taken: std::collections::HashMap<String, Vec<usize>> = Default::default();
    let (mut n, mut found, mut right, mut errors) = (0, 0, 0, Vec::new());
    for row in rows {
        let f: Vec<&str> = row.split('\t').collect();
        assert_eq!(f.len(), 6, "{row}");
        let (doc, text, value, cat, unit) = (f[0], f[1], f[2], f[3], f[4]);
        n += 1;
        let (body, figs) = figures.entry(doc.to_string()).or_insert_with(|| {
            let body = std::fs::read_to_string(dir.join(doc)).unwrap();
            let figs = find_figures(&body, &tokenize(&body));
            (body, figs)
        });
        let k = seen.entry((doc.to_string(), text.to_string())).or_default();
        let placed = taken.entry(doc.to_string()).or_default();
        let after = placed.last().copied().unwrap_or(0);
        let pos = place(body, text, *k, after, placed)
            .unwrap_or_else(|| panic!("{doc}: {text:?} not found"));
        placed.push(pos);
        *k += 1;
        let end = pos + text.len();
        let Some(hit) = figs
            .iter()
            .find(|g| (g.span().start as usize) < end && pos < g.span().end as usize)
        else {
            errors.push(format!("{doc}: missed {text:?} ({value} {cat} {unit})"));
            continue;
        };
        found += 1;
        let got_unit = hit.unit.map(|u| u.to_string()).unwrap_or_default();
        if same_value(&hit.value.to_string(), value)
            && hit.category.as_str() == cat
            && same_unit(&got_unit, unit)
        {
            right += 1;
        } else {
            errors.push(format!(
                "{doc}: {text:?}: got {} {} {got_unit:?}, want {value} {cat} {unit:?}",
                hit.value,
                hit.category.as_str()
            ));
        }
    }
    (n, found, right, errors)
}

fn at_least(dir: &str, floor: f64) {
    let (n, found, right, errors) = score(dir);
    let rate = right as f64 / n as f64;
    eprintln!("{dir}: {n} gold figures, found {found}, fully right {right} ({rate:.3})");
    assert!(
        rate >= floor,
        "{dir}: fully right {rate:.3} fell below {floor:.3}\n{}",
        errors.join("\n")
    );
}

/// Measured 149 of 160 (0.931) on 2026-12-07.
#[test]
fn development_figures_stay_right() {
    at_least("tests/unseen", 0.92);
}

/// Annotated 2026-12-07; 162 of 184 (0.880) right when made, 180 (0.978)
/// after the rules read from its errors (ranks, ages, multiples, minutes
/// in brackets, a bare number between percentages) and "-ern" plurals and
/// pairs in the unit comparison.
#[test]
fn written_2_figures_stay_right() {
    at_least("tests/unseen-written-2", 0.965);
}

/// Annotated 2026-12-07; 125 of 148 (0.845) right when made, 141 (0.953)
/// after the same changes.
#[test]
fn written_3_figures_stay_right() {
    at_least("tests/unseen-written-3", 0.94);
}

/// Annotated 2026-12-07 after the rules above were written (an honest
/// check of them): 133 of 157 (0.847) right at the session's start, 144
/// (0.917) with them, 149 (0.949) after four rules read from its errors
/// (a rank before a sentence's end, a double year "2027/2028", goal
/// minutes "(38./71. Minute)", plurals in "-nissen").
#[test]
fn written_figures_stay_right() {
    at_least("tests/unseen-written", 0.93);
}

/// Annotated 2026-12-07 with the fifth written set, before anything was
/// read from it: 242 of 279 (0.867) right when made, 251 (0.900) after the
/// rules read from its errors (quarters' scores, a part of a whole, votes,
/// units in the dative plural); 257 (0.921) once the scorer placed each row
/// after the one before (it had put "23" on "23 Uhr" and "9" on "91:86").
#[test]
fn written_5_figures_stay_right() {
    at_least("tests/unseen-written-5", 0.915);
}

/// Annotated 2026-12-07 with the sixth written set, before anything was
/// read from it: 233 of 279 (0.835) right when made, 240 (0.860) once the
/// scorer placed each row after the one before, 256 (0.918) after the rules
/// read from its errors (a table's ranks before names, a time after "Flug:",
/// "minus vier Grad", "Liter pro Quadratmeter", "Grad Oechsle", cents,
/// working days, a place's adjective before the counted noun).
#[test]
fn written_6_figures_stay_right() {
    at_least("tests/unseen-written-6", 0.915);
}

/// Annotated 2026-12-07 with the seventh written set, before anything was
/// read from it: 241 of 267 (0.903) right when made, 245 (0.918) after a
/// numbered row's rank counts no noun and a time unit after an adjective
/// is a duration ("fünf freie Tage").
#[test]
fn written_7_figures_stay_right() {
    at_least("tests/unseen-written-7", 0.915);
}

/// Annotated 2026-12-07 with the eighth written set, before anything was
/// read from it: 264 of 296 (0.892) right when made (267, 0.902, with the
/// scorer's "-innen" plurals), 274 (0.926) after a results list's gaps
/// ("+0,37" below "2:08,41") are seconds.
#[test]
fn written_8_figures_stay_right() {
    at_least("tests/unseen-written-8", 0.92);
}

/// Annotated 2026-12-07 with the ninth written set, before anything was
/// read from it: 270 of 299 (0.903) right when made, 271 (0.906) after
/// "Fr." became Swiss francs.
#[test]
fn written_9_figures_stay_right() {
    at_least("tests/unseen-written-9", 0.90);
}

/// Sealed, only scored: the tenth written set, annotated 2026-12-07 after
/// the ninth set's rules: 252 of 270 (0.933) right when made.
#[test]
fn written_10_sealed_figures_stay_right() {
    at_least("tests/unseen-written-10-sealed", 0.925);
}

/// Annotated 2026-12-07 with the eleventh written set, before anything was
/// read from it: 292 of 357 (0.818) right when made (results lists and
/// voting tables whose unit stands in a header), 296 (0.829) after Swiss
/// thousands separators, "24:15" as a score and quarters as durations.
#[test]
fn written_11_figures_stay_right() {
    at_least("tests/unseen-written-11", 0.825);
}

/// Sealed, only scored: the twelfth written set, annotated 2026-12-08
/// after the eleventh set's rules: 309 of 340 (0.909) right when made, 313
/// (0.921) after the figure rules read from the eleventh set.
#[test]
fn written_12_sealed_figures_stay_right() {
    at_least("tests/unseen-written-12-sealed", 0.915);
}

/// Sealed, only scored: annotated 2026-12-07 after the rules were
/// written; 135 of 153 (0.882) right at the session's start, 141 (0.922)
/// with them.
#[test]
fn written_sealed_figures_stay_right() {
    at_least("tests/unseen-written-sealed", 0.91);
}
