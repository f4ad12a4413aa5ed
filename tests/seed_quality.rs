//! Quality of `gazette entities` on the five seed articles, scored against the
//! independent gold annotation in `tests/gold/seeds.json` (see
//! `tests/gold/README.md` for the annotation conventions).
//!
//! * `seed_quality` (default run) asserts name-mention F1 >= 0.75 (overlap
//!   match, kind must agree), cross-article linking >= 0.90 and that no
//!   predicted mention overlaps a URL. It prints figure scores for information.
//! * `figures_quality` asserts >= 90 % of gold figures found and >= 85 % with
//!   the right value, and no predicted figure inside a URL.
//!
//! Run with `cargo test --test seed_quality -- --nocapture` to see the report.
//! The scoring lives in small pure functions, unit-tested at the bottom of
//! this file against hand-written prediction JSON.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------------------
// Thresholds
// ---------------------------------------------------------------------------

const MIN_MENTION_F1: f64 = 0.75;
const MIN_LINKING: f64 = 0.90;
const MIN_FIGURES_FOUND: f64 = 0.90;
const MIN_FIGURES_VALUE: f64 = 0.85;
/// Kinds scored in the main mention F1. `other` (events, works) is optional in
/// the gold: it is scored separately, and gold `other` spans are "don't care"
/// regions for the main score (see [`score_mentions`]).
const MAIN_KINDS: [&str; 3] = ["person", "place", "org"];

// ---------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------

/// A figure value: numbers, or ISO-like strings for dates and times.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Num(f64),
    Str(String),
}

impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Num(n) => write!(f, "{n}"),
            Val::Str(s) => write!(f, "{s:?}"),
        }
    }
}

/// A name mention, gold or predicted. `entity` is the gold cluster id or the
/// predicted entity id; `file` is the bare file name.
#[derive(Clone, Debug, PartialEq)]
struct Mention {
    file: String,
    start: usize,
    end: usize,
    text: String,
    kind: String,
    entity: String,
}

/// A figure, gold or predicted. `key` is the gold `group` or the predicted
/// `same_as`.
#[derive(Clone, Debug, PartialEq)]
struct Figure {
    file: String,
    start: usize,
    end: usize,
    text: String,
    value: Option<Val>,
    category: String,
    key: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct UrlSpan {
    file: String,
    start: usize,
    end: usize,
}

#[derive(Debug, Default)]
struct Gold {
    mentions: Vec<Mention>,
    urls: Vec<UrlSpan>,
    figures: Vec<Figure>,
}

#[derive(Debug, Default)]
struct Prediction {
    mentions: Vec<Mention>,
    figures: Vec<Figure>,
}

trait Located {
    fn loc(&self) -> (&str, usize, usize);
}
impl Located for Mention {
    fn loc(&self) -> (&str, usize, usize) {
        (&self.file, self.start, self.end)
    }
}
impl Located for Figure {
    fn loc(&self) -> (&str, usize, usize) {
        (&self.file, self.start, self.end)
    }
}
impl Located for UrlSpan {
    fn loc(&self) -> (&str, usize, usize) {
        (&self.file, self.start, self.end)
    }
}

/// Overlap in bytes of two located items (0 when in different files).
fn overlap(a: &impl Located, b: &impl Located) -> usize {
    let (fa, sa, ea) = a.loc();
    let (fb, sb, eb) = b.loc();
    if fa != fb {
        return 0;
    }
    ea.min(eb).saturating_sub(sa.max(sb))
}

fn exact(a: &impl Located, b: &impl Located) -> bool {
    a.loc() == b.loc()
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// The bare file name of a path, absolute or relative, `/` or `\` separated.
fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// Map kind spellings to the gold's four kinds; unknown kinds pass through
/// lowercased (and then never match a gold kind).
fn normalise_kind(kind: &str) -> String {
    match kind.to_ascii_lowercase().as_str() {
        "person" | "per" => "person".into(),
        "place" | "loc" | "location" => "place".into(),
        "org" | "organisation" | "organization" => "org".into(),
        "other" | "oth" | "misc" => "other".into(),
        other => other.into(),
    }
}

fn parse_val(v: &Value) -> Option<Val> {
    match v {
        Value::Number(n) => n.as_f64().map(Val::Num),
        Value::String(s) => Some(Val::Str(s.clone())),
        _ => None,
    }
}

fn get_str<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field {key:?} in {v}"))
}

fn get_usize(v: &Value, key: &str) -> Result<usize, String> {
    v.get(key)
        .and_then(Value::as_u64)
        .map(|n| n as usize)
        .ok_or_else(|| format!("missing integer field {key:?} in {v}"))
}

fn get_opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn get_array<'a>(v: &'a Value, key: &str) -> Result<&'a Vec<Value>, String> {
    v.get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("missing array field {key:?}"))
}

fn parse_gold(v: &Value) -> Result<Gold, String> {
    let mut gold = Gold::default();
    for m in get_array(v, "mentions")? {
        gold.mentions.push(Mention {
            file: get_str(m, "file")?.to_string(),
            start: get_usize(m, "byte_start")?,
            end: get_usize(m, "byte_end")?,
            text: get_str(m, "text")?.to_string(),
            kind: normalise_kind(get_str(m, "kind")?),
            entity: get_str(m, "entity")?.to_string(),
        });
    }
    for u in get_array(v, "urls")? {
        gold.urls.push(UrlSpan {
            file: get_str(u, "file")?.to_string(),
            start: get_usize(u, "byte_start")?,
            end: get_usize(u, "byte_end")?,
        });
    }
    for f in get_array(v, "figures")? {
        gold.figures.push(Figure {
            file: get_str(f, "file")?.to_string(),
            start: get_usize(f, "byte_start")?,
            end: get_usize(f, "byte_end")?,
            text: get_str(f, "text")?.to_string(),
            value: f.get("value").and_then(parse_val),
            category: get_str(f, "category")?.to_string(),
            key: get_opt_str(f, "group"),
        });
    }
    Ok(gold)
}

/// Parse the output of `gazette entities --format json` (contract in the
/// module docs of the CLI): `{"entities": [...], "figures": [...]}`. A
/// missing `figures` array is read as "no figures".
fn parse_prediction(v: &Value) -> Result<Prediction, String> {
    let mut pred = Prediction::default();
    for e in get_array(v, "entities")? {
        let id = match e.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(format!("entity without id: {e}")),
        };
        let kind = normalise_kind(get_str(e, "kind")?);
        for m in get_array(e, "mentions")? {
            pred.mentions.push(Mention {
                file: file_name(get_str(m, "path")?),
                start: get_usize(m, "byte_start")?,
                end: get_usize(m, "byte_end")?,
                text: get_str(m, "text")?.to_string(),
                kind: kind.clone(),
                entity: id.clone(),
            });
        }
    }
    if let Some(figs) = v.get("figures").and_then(Value::as_array) {
        for f in figs {
            pred.figures.push(Figure {
                file: file_name(get_str(f, "path")?),
                start: get_usize(f, "byte_start")?,
                end: get_usize(f, "byte_end")?,
                text: get_str(f, "text")?.to_string(),
                value: f.get("value").and_then(parse_val),
                category: get_opt_str(f, "category").unwrap_or_default(),
                key: get_opt_str(f, "same_as"),
            });
        }
    }
    Ok(pred)
}

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

/// True/false positives and false negatives, with the usual ratios. An empty
/// denominator gives 1.0 for precision/recall (nothing claimed, nothing
/// missed); F1 is 0 when both are 0.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Prf {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Prf {
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn line(self) -> String {
        format!(
            "P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp,
            self.fp,
            self.fn_
        )
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// One-to-one greedy matching. Candidate pairs are those with `compatible`
/// and a non-zero byte overlap (or an exact span when `exact_only`); pairs
/// are taken best first: exact spans, then larger overlap, then smaller
/// start distance, then document order. Returns, for each gold item, the
/// index of its predicted partner.
fn match_greedy<G: Located, P: Located>(
    gold: &[G],
    pred: &[P],
    exact_only: bool,
    compatible: impl Fn(&G, &P) -> bool,
) -> Vec<Option<usize>> {
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in pred.iter().enumerate() {
            let ov = overlap(g, p);
            let is_exact = exact(g, p);
            if (exact_only && !is_exact) || ov == 0 || !compatible(g, p) {
                continue;
            }
            let dist = g.loc().1.abs_diff(p.loc().1);
            pairs.push((!is_exact, std::cmp::Reverse(ov), dist, gi, pi));
        }
    }
    pairs.sort();
    let mut g_to_p = vec![None; gold.len()];
    let mut p_used = vec![false; pred.len()];
    for (_, _, _, gi, pi) in pairs {
        if g_to_p[gi].is_none() && !p_used[pi] {
            g_to_p[gi] = Some(pi);
            p_used[pi] = true;
        }
    }
    g_to_p
}

#[derive(Debug, Default)]
struct MentionScore {
    /// Overlap match, kind must agree, main kinds only.
    overall: Prf,
    /// Same, but spans must be identical.
    exact: Prf,
    per_kind: BTreeMap<String, Prf>,
    per_file: BTreeMap<String, Prf>,
    /// Gold `other` vs predicted `other` (information only).
    other: Prf,
    /// For each gold mention (all kinds, gold order): its predicted partner
    /// under the overlap match.
    gold_to_pred: Vec<Option<usize>>,
    /// Predicted mentions counted as false positives.
    false_positives: Vec<usize>,
    /// Predicted main-kind mentions left unmatched inside a gold `other` span.
    ignored: Vec<usize>,
}

fn is_main(kind: &str) -> bool {
    MAIN_KINDS.contains(&kind)
}

/// Score name mentions. Main score: gold and predicted mentions of the kinds
/// person/place/org, matched one-to-one on overlapping spans with equal kind.
/// Unmatched predicted main-kind mentions inside a gold `other` span (e.g.
/// "NATO" inside "NATO-Russland-Grundakte") are ignored rather than counted
/// as false positives. `other` is scored on its own.
fn score_mentions(gold: &[Mention], pred: &[Mention]) -> MentionScore {
    let g_main: Vec<usize> = (0..gold.len())
        .filter(|&i| is_main(&gold[i].kind))
        .collect();
    let p_main: Vec<usize> = (0..pred.len())
        .filter(|&i| is_main(&pred[i].kind))
        .collect();
    let gm: Vec<Mention> = g_main.iter().map(|&i| gold[i].clone()).collect();
    let pm: Vec<Mention> = p_main.iter().map(|&i| pred[i].clone()).collect();
    let same_kind = |g: &Mention, p: &Mention| g.kind == p.kind;

    let mut score = MentionScore {
        gold_to_pred: vec![None; gold.len()],
        ..Default::default()
    };
    let files: BTreeSet<&str> = gold
        .iter()
        .chain(pred.iter())
        .map(|m| m.file.as_str())
        .collect();
    for f in files {
        score.per_file.insert(f.to_string(), Prf::default());
    }
    for k in MAIN_KINDS {
        score.per_kind.insert(k.to_string(), Prf::default());
    }

    let m = match_greedy(&gm, &pm, false, same_kind);
    let mut p_matched = vec![false; pm.len()];
    for (gi, partner) in m.iter().enumerate() {
        let g = &gm[gi];
        let (kind, file) = (g.kind.clone(), g.file.clone());
        match partner {
            Some(pi) => {
                p_matched[*pi] = true;
                score.gold_to_pred[g_main[gi]] = Some(p_main[*pi]);
                score.overall.tp += 1;
                score.per_kind.get_mut(&kind).unwrap().tp += 1;
                score.per_file.get_mut(&file).unwrap().tp += 1;
            }
            None => {
                score.overall.fn_ += 1;
                score.per_kind.get_mut(&kind).unwrap().fn_ += 1;
                score.per_file.get_mut(&file).unwrap().fn_ += 1;
            }
        }
    }
    let gold_other: Vec<&Mention> = gold.iter().filter(|m| m.kind == "other").collect();
    for (pi, p) in pm.iter().enumerate() {
        if p_matched[pi] {
            continue;
        }
        if gold_other.iter().any(|g| overlap(*g, p) > 0) {
            score.ignored.push(p_main[pi]);
            continue;
        }
        score.false_positives.push(p_main[pi]);
        score.overall.fp += 1;
        score.per_kind.get_mut(&p.kind).unwrap().fp += 1;
        score.per_file.get_mut(&p.file).unwrap().fp += 1;
    }

    let ex = match_greedy(&gm, &pm, true, same_kind);
    let tp = ex.iter().filter(|p| p.is_some()).count();
    score.exact = Prf {
        tp,
        fp: pm.len() - tp,
        fn_: gm.len() - tp,
    };

    let go: Vec<Mention> = gold.iter().filter(|m| m.kind == "other").cloned().collect();
    let po: Vec<Mention> = pred.iter().filter(|m| m.kind == "other").cloned().collect();
    let om = match_greedy(&go, &po, false, |_, _| true);
    let tp = om.iter().filter(|p| p.is_some()).count();
    score.other = Prf {
        tp,
        fp: po.len() - tp,
        fn_: go.len() - tp,
    };
    score
}

#[derive(Debug, Default, PartialEq)]
struct LinkCount {
    /// Pairs of gold mentions of one entity in different files.
    pairs: usize,
    /// ... of which both mentions were matched to a prediction.
    both_matched: usize,
    /// ... of which both predictions carry the same predicted entity id.
    linked: usize,
}

impl LinkCount {
    /// Linking accuracy, given recognition: `linked / both_matched`.
    fn accuracy(&self) -> f64 {
        ratio(self.linked, self.both_matched)
    }
}

#[derive(Debug, Default)]
struct LinkScore {
    total: LinkCount,
    per_entity: BTreeMap<String, LinkCount>,
}

/// Cross-article linking: over all pairs of gold mentions of the same entity
/// in different files where both were recognised, the share whose predicted
/// mentions belong to the same predicted entity. Counted per file pair in
/// closed form (pairs are the product of per-file counts), so entities with
/// hundreds of mentions stay cheap.
fn score_linking(gold: &[Mention], pred: &[Mention], gold_to_pred: &[Option<usize>]) -> LinkScore {
    // entity -> file -> (all mentions, predicted entity id -> matched count)
    type PerFile = (usize, HashMap<String, usize>);
    let mut by_entity: BTreeMap<&str, BTreeMap<&str, PerFile>> = BTreeMap::new();
    for (gi, g) in gold.iter().enumerate() {
        if !is_main(&g.kind) {
            continue;
        }
        let slot = by_entity
            .entry(&g.entity)
            .or_default()
            .entry(&g.file)
            .or_default();
        slot.0 += 1;
        if let Some(pi) = gold_to_pred[gi] {
            *slot.1.entry(pred[pi].entity.clone()).or_default() += 1;
        }
    }
    let mut score = LinkScore::default();
    for (entity, files) in by_entity {
        let files: Vec<&PerFile> = files.values().collect();
        let mut c = LinkCount::default();
        for i in 0..files.len() {
            for j in i + 1..files.len() {
                let (a, b) = (files[i], files[j]);
                c.pairs += a.0 * b.0;
                let ma: usize = a.1.values().sum();
                let mb: usize = b.1.values().sum();
                c.both_matched += ma * mb;
                for (id, na) in &a.1 {
                    c.linked += na * b.1.get(id).copied().unwrap_or(0);
                }
            }
        }
        score.total.pairs += c.pairs;
        score.total.both_matched += c.both_matched;
        score.total.linked += c.linked;
        score.per_entity.insert(entity.to_string(), c);
    }
    score
}

/// Predicted entities whose matched mentions span more than one gold entity
/// (over-merging; information only): predicted id -> gold entity ids.
fn merged_entities(
    gold: &[Mention],
    pred: &[Mention],
    gold_to_pred: &[Option<usize>],
) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (gi, p) in gold_to_pred.iter().enumerate() {
        if let Some(pi) = p {
            map.entry(pred[*pi].entity.clone())
                .or_default()
                .insert(gold[gi].entity.clone());
        }
    }
    map.retain(|_, golds| golds.len() > 1);
    map
}

/// Indices of predicted items that overlap any URL span.
fn url_violations<T: Located>(urls: &[UrlSpan], items: &[T]) -> Vec<usize> {
    (0..items.len())
        .filter(|&i| urls.iter().any(|u| overlap(u, &items[i]) > 0))
        .collect()
}

/// Numbers agree within 1e-6 relative tolerance; strings must be equal.
fn values_equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => (x - y).abs() <= 1e-6 * x.abs().max(y.abs()),
        (Val::Str(x), Val::Str(y)) => x == y,
        _ => false,
    }
}

#[derive(Debug, Default)]
struct FigureScore {
    total: usize,
    found: usize,
    right_value: usize,
    groups: usize,
    groups_linked: usize,
    gold_to_pred: Vec<Option<usize>>,
    unmatched_pred: Vec<usize>,
    /// Group id -> whether its figures share one predicted `same_as`.
    group_ok: BTreeMap<String, bool>,
}

impl FigureScore {
    fn found_share(&self) -> f64 {
        ratio(self.found, self.total)
    }
    fn value_share(&self) -> f64 {
        ratio(self.right_value, self.total)
    }
    fn group_share(&self) -> f64 {
        ratio(self.groups_linked, self.groups)
    }
}

/// Figures: a gold figure is found when a predicted figure overlaps it
/// (one-to-one greedy); its value is right when the values agree
/// ([`values_equal`]). A gold group is linked when every member was found and
/// all their predictions carry the same non-null `same_as`.
fn score_figures(gold: &[Figure], pred: &[Figure]) -> FigureScore {
    let m = match_greedy(gold, pred, false, |_, _| true);
    let mut s = FigureScore {
        total: gold.len(),
        ..Default::default()
    };
    for (gi, p) in m.iter().enumerate() {
        if let Some(pi) = p {
            s.found += 1;
            if let (Some(a), Some(b)) = (&gold[gi].value, &pred[*pi].value) {
                if values_equal(a, b) {
                    s.right_value += 1;
                }
            }
        }
    }
    let used: BTreeSet<usize> = m.iter().flatten().copied().collect();
    s.unmatched_pred = (0..pred.len()).filter(|i| !used.contains(i)).collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (gi, g) in gold.iter().enumerate() {
        if let Some(k) = &g.key {
            groups.entry(k).or_default().push(gi);
        }
    }
    for (group, members) in groups {
        let keys: Vec<Option<&String>> = members
            .iter()
            .map(|&gi| m[gi].and_then(|pi| pred[pi].key.as_ref()))
            .collect();
        let ok = keys.iter().all(Option::is_some) && keys.windows(2).all(|w| w[0] == w[1]);
        s.groups += 1;
        s.groups_linked += usize::from(ok);
        s.group_ok.insert(group.to_string(), ok);
    }
    s.gold_to_pred = m;
    s
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

struct Report {
    mentions: MentionScore,
    linking: LinkScore,
    merged: BTreeMap<String, BTreeSet<String>>,
    url_mentions: Vec<usize>,
    url_figures: Vec<usize>,
    figures: FigureScore,
}

fn evaluate(gold: &Gold, pred: &Prediction) -> Report {
    let mentions = score_mentions(&gold.mentions, &pred.mentions);
    let linking = score_linking(&gold.mentions, &pred.mentions, &mentions.gold_to_pred);
    let merged = merged_entities(&gold.mentions, &pred.mentions, &mentions.gold_to_pred);
    Report {
        url_mentions: url_violations(&gold.urls, &pred.mentions),
        url_figures: url_violations(&gold.urls, &pred.figures),
        figures: score_figures(&gold.figures, &pred.figures),
        mentions,
        linking,
        merged,
    }
}

fn render(gold: &Gold, pred: &Prediction, r: &Report) -> String {
    let mut out = String::new();
    let w = &mut out;
    // Writing to a String cannot fail.
    macro_rules! say {
        ($($arg:tt)*) => {
            let _ = writeln!(w, $($arg)*);
        };
    }
    let shown = |v: &Option<_>, none: &str| v.as_ref().map_or(none.into(), ToString::to_string);
    let ms = &r.mentions;
    say!("=== gazette on seeds/ vs tests/gold/seeds.json ===");
    say!(
        "name mentions (overlap, kind must match): {}",
        ms.overall.line()
    );
    say!(
        "name mentions (exact span):               {}",
        ms.exact.line()
    );
    say!(
        "other (events/works, info only):          {}",
        ms.other.line()
    );
    say!("-- per kind");
    for (k, p) in &ms.per_kind {
        say!("  {k:<8} {}", p.line());
    }
    say!("-- per file");
    for (f, p) in &ms.per_file {
        say!("  {f:<26} {}", p.line());
    }
    let l = &r.linking.total;
    say!(
        "cross-article linking: {:.3} ({} of {} recognised pairs linked; {} gold pairs in all)",
        l.accuracy(),
        l.linked,
        l.both_matched,
        l.pairs
    );
    for (e, c) in &r.linking.per_entity {
        if c.linked < c.both_matched {
            say!(
                "  split: {e:<22} {:.3} ({} / {})",
                c.accuracy(),
                c.linked,
                c.both_matched
            );
        }
    }
    for (p, golds) in &r.merged {
        say!("  merged: predicted {p:?} covers {golds:?}");
    }
    say!("-- misses ({})", ms.overall.fn_);
    for (gi, g) in gold.mentions.iter().enumerate() {
        if !is_main(&g.kind) || ms.gold_to_pred[gi].is_some() {
            continue;
        }
        let near: Vec<String> = pred
            .mentions
            .iter()
            .filter(|p| overlap(*p, g) > 0)
            .map(|p| format!("{:?}/{}", p.text, p.kind))
            .collect();
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!("   (predicted: {})", near.join(", "))
        };
        say!(
            "  {} @{} {:?} {} [{}]{hint}",
            g.file,
            g.start,
            g.text,
            g.kind,
            g.entity
        );
    }
    say!("-- false positives ({})", ms.false_positives.len());
    for &pi in &ms.false_positives {
        let p = &pred.mentions[pi];
        say!(
            "  {} @{} {:?} {} [{}]",
            p.file,
            p.start,
            p.text,
            p.kind,
            p.entity
        );
    }
    if !ms.ignored.is_empty() {
        say!(
            "-- ignored (inside a gold `other` span): {}",
            ms.ignored.len()
        );
    }
    say!(
        "-- predicted mentions inside URLs: {}",
        r.url_mentions.len()
    );
    for &pi in &r.url_mentions {
        let p = &pred.mentions[pi];
        say!("  {} @{} {:?}", p.file, p.start, p.text);
    }
    let f = &r.figures;
    say!("figures: found {:.3} ({}/{}), right value {:.3} ({}/{}), groups linked {:.3} ({}/{}), unmatched predictions {}, inside URLs {}", f.found_share(), f.found, f.total, f.value_share(), f.right_value, f.total, f.group_share(), f.groups_linked, f.groups, f.unmatched_pred.len(), r.url_figures.len());
    for (gi, g) in gold.figures.iter().enumerate() {
        let gv = shown(&g.value, "");
        match f.gold_to_pred[gi] {
            None => {
                say!(
                    "  missed  {} @{} {:?} = {gv} ({})",
                    g.file,
                    g.start,
                    g.text,
                    g.category
                );
            }
            Some(pi) => {
                let p = &pred.figures[pi];
                let ok = matches!((&g.value, &p.value), (Some(a), Some(b)) if values_equal(a, b));
                if !ok {
                    let pv = shown(&p.value, "null");
                    say!(
                        "  value   {} @{} {:?} = {gv}, predicted {:?} = {pv}",
                        g.file,
                        g.start,
                        g.text,
                        p.text
                    );
                }
            }
        }
    }
    for (group, ok) in &f.group_ok {
        if !ok {
            say!("  group not linked: {group}");
        }
    }
    for &pi in &f.unmatched_pred {
        let p = &pred.figures[pi];
        let pv = shown(&p.value, "null");
        say!(
            "  extra   {} @{} {:?} = {pv} ({})",
            p.file,
            p.start,
            p.text,
            p.category
        );
    }
    out
}

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_gold() -> Gold {
    let path = repo().join("tests/gold/seeds.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).expect("gold JSON");
    parse_gold(&v).expect("gold structure")
}

fn run_gazette(seeds: &Path) -> Prediction {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["entities", "--format", "json"])
        .arg(seeds)
        .output()
        .expect("spawn gazette");
    assert!(
        out.status.success(),
        "`gazette entities --format json {}` failed ({}):\n{}",
        seeds.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        let head: String = String::from_utf8_lossy(&out.stdout)
            .chars()
            .take(300)
            .collect();
        panic!("gazette output is not JSON ({e}): {head:?}")
    });
    parse_prediction(&v)
        .unwrap_or_else(|e| panic!("gazette JSON does not follow the contract: {e}"))
}

fn evaluate_seeds() -> (Gold, Prediction, Report) {
    let gold = load_gold();
    let pred = run_gazette(&repo().join("seeds"));
    let report = evaluate(&gold, &pred);
    eprintln!("{}", render(&gold, &pred, &report));
    (gold, pred, report)
}

#[test]
fn seed_quality() {
    let (_, _, r) = evaluate_seeds();
    let f1 = r.mentions.overall.f1();
    assert!(
        f1 >= MIN_MENTION_F1,
        "name-mention F1 {f1:.3} < {MIN_MENTION_F1}"
    );
    let link = r.linking.total.accuracy();
    assert!(
        r.linking.total.both_matched > 0 && link >= MIN_LINKING,
        "cross-article linking {link:.3} < {MIN_LINKING} ({} recognised pairs)",
        r.linking.total.both_matched
    );
    assert!(
        r.url_mentions.is_empty(),
        "{} predicted mentions inside URLs",
        r.url_mentions.len()
    );
}

#[test]
fn figures_quality() {
    let (_, _, r) = evaluate_seeds();
    let f = &r.figures;
    assert!(
        f.found_share() >= MIN_FIGURES_FOUND,
        "figures found {:.3} < {MIN_FIGURES_FOUND}",
        f.found_share()
    );
    assert!(
        f.value_share() >= MIN_FIGURES_VALUE,
        "figures with the right value {:.3} < {MIN_FIGURES_VALUE}",
        f.value_share()
    );
    assert!(
        r.url_figures.is_empty(),
        "{} predicted figures inside URLs",
        r.url_figures.len()
    );
}

/// The gold file agrees with the seed bytes it points into (guards against a
/// seed being edited without rebuilding the gold with make_gold.py).
#[test]
fn gold_matches_seed_bytes() {
    let gold = load_gold();
    let mut files = BTreeMap::new();
    let mut check = |file: &str, start: usize, end: usize, text: &str| {
        let bytes = files
            .entry(file.to_string())
            .or_insert_with(|| std::fs::read(repo().join("seeds").join(file)).expect("seed file"));
        assert_eq!(
            std::str::from_utf8(&bytes[start..end]).ok(),
            Some(text),
            "{file} @{start}"
        );
    };
    for m in &gold.mentions {
        check(&m.file, m.start, m.end, &m.text);
    }
    for f in &gold.figures {
        check(&f.file, f.start, f.end, &f.text);
    }
    assert!(gold.mentions.len() > 300 && gold.figures.len() > 30 && gold.urls.len() == 3);
    assert!(gold
        .mentions
        .iter()
        .all(|m| url_violations(&gold.urls, std::slice::from_ref(m)).is_empty()));
}

/// Sanity check of the whole scorer on the real gold: the gold itself, in the
/// CLI's JSON contract, scores perfectly; merging every entity into one and
/// trimming every span by a byte keeps recall but breaks exact spans.
#[test]
fn gold_as_prediction_scores_perfectly() {
    let gold = load_gold();
    let as_json = |entity_of: &dyn Fn(&Mention) -> String, trim: usize| {
        let mut entities: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut kinds = BTreeMap::new();
        for m in gold.mentions.iter() {
            let id = entity_of(m);
            kinds.insert(id.clone(), m.kind.clone());
            entities.entry(id).or_default().push(serde_json::json!({
                "path": format!("/somewhere/seeds/{}", m.file),
                "byte_start": m.start, "byte_end": m.end - trim.min(m.end - m.start - 1),
                "text": m.text, "line": 0, "character": 0}));
        }
        let entities: Vec<Value> = entities
            .into_iter()
            .map(|(id, ms)| serde_json::json!({"id": id, "name": id, "kind": kinds[&id], "mentions": ms}))
            .collect();
        let figures: Vec<Value> = gold
            .figures
            .iter()
            .map(|f| {
                let value = match &f.value {
                    Some(Val::Num(n)) => serde_json::json!(n),
                    Some(Val::Str(s)) => serde_json::json!(s),
                    None => Value::Null,
                };
                serde_json::json!({"path": f.file, "byte_start": f.start, "byte_end": f.end, "text": f.text,
                    "value": value, "category": f.category, "unit": null, "same_as": f.key})
            })
            .collect();
        parse_prediction(&serde_json::json!({"entities": entities, "figures": figures})).unwrap()
    };
    let r = evaluate(&gold, &as_json(&|m| m.entity.clone(), 0));
    assert_eq!(r.mentions.overall.f1(), 1.0);
    assert_eq!(r.mentions.exact.f1(), 1.0);
    assert_eq!(r.mentions.other.f1(), 1.0);
    assert_eq!(r.linking.total.accuracy(), 1.0);
    assert!(r.linking.total.pairs > 1000);
    assert!(r.merged.is_empty() && r.url_mentions.is_empty());
    assert_eq!(
        (
            r.figures.found_share(),
            r.figures.value_share(),
            r.figures.group_share()
        ),
        (1.0, 1.0, 1.0)
    );

    // One kind-wide entity per kind, spans one byte short.
    let r = evaluate(&gold, &as_json(&|m| m.kind.clone(), 1));
    assert_eq!(r.mentions.overall.f1(), 1.0);
    assert_eq!(r.mentions.exact.tp, 0);
    assert_eq!(
        r.linking.total.accuracy(),
        1.0,
        "over-merging is not a linking error"
    );
    assert!(r.merged.len() == 3);
}

// ---------------------------------------------------------------------------
// Unit tests of the scorer, on hand-written prediction JSON
// ---------------------------------------------------------------------------

#[cfg(test)]
mod scorer {
    use super::*;
    use serde_json::json;

    fn gm(file: &str, start: usize, end: usize, kind: &str, entity: &str) -> Mention {
        Mention {
            file: file.into(),
            start,
            end,
            text: String::new(),
            kind: kind.into(),
            entity: entity.into(),
        }
    }

    fn gf(file: &str, start: usize, end: usize, value: Val, group: Option<&str>) -> Figure {
        Figure {
            file: file.into(),
            start,
            end,
            text: String::new(),
            value: Some(value),
            category: "count".into(),
            key: group.map(str::to_string),
        }
    }

    /// Prediction JSON in the CLI's contract: entities with mentions, figures.
    fn fake_prediction() -> Value {
        json!({
            "entities": [
                {"id": "e1", "name": "Jens Stoltenberg", "kind": "person", "mentions": [
                    {"path": "/abs/seeds/a.txt", "byte_start": 0, "byte_end": 16, "text": "Jens Stoltenberg", "line": 0, "character": 0},
                    {"path": "seeds/b.txt", "byte_start": 5, "byte_end": 16, "text": "Stoltenberg", "line": 0, "character": 5}
                ]},
                {"id": "e2", "name": "NATO", "kind": "org", "mentions": [
                    {"path": "a.txt", "byte_start": 20, "byte_end": 32, "text": "NATO-Truppen", "line": 0, "character": 20}
                ]},
                {"id": "e3", "name": "Russland", "kind": "place", "mentions": [
                    {"path": "b.txt", "byte_start": 40, "byte_end": 48, "text": "Russland", "line": 1, "character": 0},
                    {"path": "b.txt", "byte_start": 100, "byte_end": 108, "text": "Russland", "line": 2, "character": 0}
                ]}
            ],
            "figures": [
                {"path": "a.txt", "byte_start": 50, "byte_end": 57, "text": "100.000", "value": 100000, "category": "count", "unit": "Soldat", "same_as": "k1"},
                {"path": "b.txt", "byte_start": 60, "byte_end": 67, "text": "100.000", "value": 100000.0000001, "category": "count", "unit": "Soldat", "same_as": "k1"},
                {"path": "b.txt", "byte_start": 70, "byte_end": 80, "text": "16.02.2022", "value": "2022-02-16", "category": "date", "unit": null, "same_as": null}
            ]
        })
    }

    #[test]
    fn parses_contract_and_strips_paths() {
        let p = parse_prediction(&fake_prediction()).unwrap();
        assert_eq!(p.mentions.len(), 5);
        assert_eq!(p.mentions[0].file, "a.txt");
        assert_eq!(p.mentions[1].file, "b.txt");
        assert_eq!(p.mentions[2].kind, "org");
        assert_eq!(p.mentions[2].entity, "e2");
        assert_eq!(p.figures.len(), 3);
        assert_eq!(p.figures[2].value, Some(Val::Str("2022-02-16".into())));
        assert_eq!(p.figures[0].key.as_deref(), Some("k1"));
        assert_eq!(p.figures[2].key, None);
        assert!(parse_prediction(&json!({"figures": []})).is_err());
        assert_eq!(file_name(r"C:\x\seeds\c.txt"), "c.txt");
        assert_eq!(normalise_kind("LOC"), "place");
    }

    #[test]
    fn prf_arithmetic() {
        let p = Prf {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert!((p.precision() - 0.75).abs() < 1e-12);
        assert!((p.recall() - 0.6).abs() < 1e-12);
        assert!((p.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        assert_eq!(
            Prf {
                tp: 0,
                fp: 0,
                fn_: 4
            }
            .f1(),
            0.0
        );
        assert_eq!(Prf::default().precision(), 1.0);
    }

    #[test]
    fn overlap_match_needs_same_kind_and_is_one_to_one() {
        let gold = vec![
            gm("a.txt", 0, 16, "person", "jens"),
            gm("a.txt", 20, 24, "org", "nato"), // "NATO" in "NATO-Truppen"
            gm("b.txt", 40, 48, "org", "russia_as_org"), // kind differs from prediction
        ];
        let pred = parse_prediction(&fake_prediction()).unwrap().mentions;
        let s = score_mentions(&gold, &pred);
        // jens <- e1 (exact), nato <- e2 (overlap). b.txt:5 Stoltenberg, both
        // Russland mentions are false positives; the org gold is missed.
        assert_eq!(
            s.overall,
            Prf {
                tp: 2,
                fp: 3,
                fn_: 1
            }
        );
        assert_eq!(
            s.exact,
            Prf {
                tp: 1,
                fp: 4,
                fn_: 2
            }
        );
        assert_eq!(
            s.per_kind["place"],
            Prf {
                tp: 0,
                fp: 2,
                fn_: 0
            }
        );
        assert_eq!(
            s.per_file["a.txt"],
            Prf {
                tp: 2,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(s.gold_to_pred, vec![Some(0), Some(2), None]);

        // Two predictions overlapping one gold span: only one can match.
        let gold = vec![gm("a.txt", 0, 20, "person", "x")];
        let pred = vec![
            gm("a.txt", 0, 4, "person", "p"),
            gm("a.txt", 5, 20, "person", "q"),
        ];
        let s = score_mentions(&gold, &pred);
        assert_eq!(
            s.overall,
            Prf {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(s.gold_to_pred, vec![Some(1)], "larger overlap wins");
    }

    #[test]
    fn gold_other_spans_are_dont_care_for_the_main_score() {
        let gold = vec![
            gm("a.txt", 0, 23, "other", "grundakte"), // "NATO-Russland-Grundakte"
            gm("a.txt", 30, 34, "org", "nato"),
        ];
        let pred = vec![
            gm("a.txt", 0, 4, "org", "n"),    // NATO inside the treaty name
            gm("a.txt", 5, 13, "place", "r"), // Russland inside it
            gm("a.txt", 30, 34, "org", "n"),
            gm("a.txt", 40, 44, "other", "o"), // not scored in the main F1
        ];
        let s = score_mentions(&gold, &pred);
        assert_eq!(
            s.overall,
            Prf {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(s.ignored, vec![0, 1]);
        assert_eq!(
            s.other,
            Prf {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
    }

    #[test]
    fn linking_counts_cross_file_pairs_of_recognised_mentions() {
        let gold = vec![
            gm("a.txt", 0, 5, "person", "putin"),
            gm("a.txt", 10, 15, "person", "putin"),
            gm("b.txt", 0, 5, "person", "putin"),
            gm("c.txt", 0, 5, "person", "putin"),
            gm("c.txt", 20, 25, "place", "kyiv"), // single file: no pairs
        ];
        let pred = vec![
            gm("a.txt", 0, 5, "person", "P1"),
            gm("a.txt", 10, 15, "person", "P1"),
            gm("b.txt", 0, 5, "person", "P1"),
            gm("c.txt", 0, 5, "person", "P2"), // split off
        ];
        let s = score_mentions(&gold, &pred);
        let l = score_linking(&gold, &pred, &s.gold_to_pred);
        // pairs: a-b 2, a-c 2, b-c 1 = 5; linked: only a-b = 2.
        assert_eq!(
            l.total,
            LinkCount {
                pairs: 5,
                both_matched: 5,
                linked: 2
            }
        );
        assert!((l.total.accuracy() - 0.4).abs() < 1e-12);
        assert_eq!(l.per_entity["kyiv"], LinkCount::default());

        // An unrecognised mention leaves the denominator; it is a recall miss.
        let l = score_linking(
            &gold,
            &pred[..3],
            &score_mentions(&gold, &pred[..3]).gold_to_pred,
        );
        assert_eq!(
            l.total,
            LinkCount {
                pairs: 5,
                both_matched: 2,
                linked: 2
            }
        );

        let merged = merged_entities(
            &[
                gm("a.txt", 0, 5, "person", "x"),
                gm("a.txt", 9, 12, "person", "y"),
            ],
            &[
                gm("a.txt", 0, 5, "person", "P"),
                gm("a.txt", 9, 12, "person", "P"),
            ],
            &[Some(0), Some(1)],
        );
        assert_eq!(merged["P"].len(), 2);
    }

    #[test]
    fn url_overlaps_are_reported() {
        let urls = vec![UrlSpan {
            file: "a.txt".into(),
            start: 10,
            end: 50,
        }];
        let pred = vec![
            gm("a.txt", 0, 10, "org", "x"),  // touches the URL start: no overlap
            gm("a.txt", 45, 52, "org", "x"), // overlaps
            gm("b.txt", 20, 30, "org", "x"), // other file
        ];
        assert_eq!(url_violations(&urls, &pred), vec![1]);
    }

    #[test]
    fn figure_values_and_groups() {
        assert!(values_equal(
            &Val::Num(260e9),
            &Val::Num(260e9 * (1.0 + 1e-9))
        ));
        assert!(!values_equal(&Val::Num(2.0), &Val::Num(0.02)));
        assert!(values_equal(&Val::Num(0.0), &Val::Num(0.0)));
        assert!(!values_equal(
            &Val::Str("04:24".into()),
            &Val::Str("4:24".into())
        ));
        assert!(!values_equal(&Val::Num(2022.0), &Val::Str("2022".into())));

        let gold = vec![
            gf("a.txt", 50, 57, Val::Num(100000.0), Some("g_us")),
            gf("b.txt", 60, 67, Val::Num(100000.0), Some("g_us")),
            gf("b.txt", 70, 80, Val::Str("2022-02-17".into()), None), // wrong predicted value
            gf("c.txt", 0, 2, Val::Num(30.0), Some("g_30")),          // missed
            gf("a.txt", 90, 92, Val::Num(30.0), Some("g_30")),        // missed
        ];
        let pred = parse_prediction(&fake_prediction()).unwrap().figures;
        let s = score_figures(&gold, &pred);
        assert_eq!((s.total, s.found, s.right_value), (5, 3, 2));
        assert_eq!((s.groups, s.groups_linked), (2, 1));
        assert!(s.group_ok["g_us"]);
        assert!(!s.group_ok["g_30"]);
        assert!(s.unmatched_pred.is_empty());

        // Different same_as, or a null one, breaks a group.
        let mut pred2 = pred.clone();
        pred2[1].key = Some("k2".into());
        assert_eq!(score_figures(&gold, &pred2).groups_linked, 0);
        pred2[1].key = None;
        pred2[0].key = None;
        assert_eq!(score_figures(&gold, &pred2).groups_linked, 0);
    }

    #[test]
    fn report_renders_misses_and_false_positives() {
        let gold = Gold {
            mentions: vec![
                gm("a.txt", 0, 16, "person", "jens"),
                gm("a.txt", 60, 64, "place", "kyiv"),
            ],
            urls: vec![UrlSpan {
                file: "b.txt".into(),
                start: 95,
                end: 120,
            }],
            figures: vec![gf("a.txt", 50, 57, Val::Num(100000.0), None)],
        };
        let pred = parse_prediction(&fake_prediction()).unwrap();
        let r = evaluate(&gold, &pred);
        assert_eq!(
            r.url_mentions.len(),
            1,
            "Russland at b.txt:100 lies inside the URL"
        );
        let text = render(&gold, &pred, &r);
        assert!(text.contains("-- misses (1)"), "{text}");
        assert!(text.contains("[kyiv]"), "{text}");
        assert!(text.contains("-- false positives (4)"), "{text}");
        assert!(text.contains("figures: found 1.000 (1/1)"), "{text}");
    }
}
