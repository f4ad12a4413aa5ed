//! Recognition on unseen news: the product (as `gazette entities` runs it)
//! against the hand-annotated articles in `tests/unseen/` and
//! `tests/unseen-sealed/` (sealed until 2026-12-05, since then a second
//! development set whose errors are read) and `tests/unseen-fresh/` (the
//! sealed set: scored, its errors never read, the model never trained on
//! it), and the full articles written for testing in `tests/unseen-written/`
//! (development) and `tests/unseen-written-sealed/` (sealed), and a second
//! written set on other topics, `tests/unseen-written-2/` (development) and
//! `tests/unseen-written-2-sealed/` (sealed), and a third in the formats
//! of real news, `tests/unseen-written-3/` (development) and
//! `tests/unseen-written-3-sealed/` (sealed), and a fourth that asks for
//! linking, `tests/unseen-written-4/` (development), and a fifth of dense
//! articles measured before it was read, `tests/unseen-written-5/`
//! (development). See each
//! folder's README for the conventions; `gazette eval --errors DIR` lists the
//! errors behind these numbers.
//!
//! The floors are the measured scores less a small margin: a change that
//! loses recognition quality on real news fails here, with the table.

use gazette::cli::score::{parse_gold, score_dir, table, Report};
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn report(dir: &str) -> Report {
    let r = score_dir(&Path::new(ROOT).join(dir)).expect("scoring");
    eprintln!("{dir}:\n{}", table(&r, false));
    r
}

/// Checks that every `.gold` file of `dir` is its `.txt` with markup;
/// returns how many documents have no mention.
fn check_gold_files(dir: &str) -> (usize, usize) {
    let dir = Path::new(ROOT).join(dir);
    let (mut n, mut empty) = (0, 0);
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "gold") {
            let (plain, mentions) = parse_gold(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let text = std::fs::read_to_string(p.with_extension("txt")).unwrap();
            assert!(plain == text, "{}: markup changed the text", p.display());
            n += 1;
            empty += usize::from(mentions.is_empty());
        }
    }
    (n, empty)
}

#[test]
fn gold_files_reproduce_their_texts() {
    for dir in [
        "tests/unseen",
        "tests/unseen-sealed",
        "tests/unseen-fresh",
        "tests/unseen-written",
        "tests/unseen-written-sealed",
        "tests/unseen-written-2",
        "tests/unseen-written-2-sealed",
        "tests/unseen-written-3",
        "tests/unseen-written-3-sealed",
        "tests/unseen-written-4",
        "tests/unseen-written-5",
        "tests/unseen-written-6",
        "tests/unseen-written-7",
        "tests/unseen-written-8",
        "tests/unseen-written-9",
        "tests/unseen-written-10-sealed",
        "tests/unseen-written-11",
        "tests/unseen-written-12-sealed",
    ] {
        let (n, empty) = check_gold_files(dir);
        assert!(n >= 8, "{dir}: only {n} annotated documents");
        assert_eq!(empty, 0, "{dir}: documents without mentions");
    }
    // SmartData's own annotation: some short items name nothing.
    assert_eq!(check_gold_files("tests/smartdata-dev").0, 175);
}

/// What a set keeps: its number of documents, floors on F1 and precision
/// over the three kinds and on some kinds' F1, ceilings on wrong merges
/// and splits.
struct Floors {
    documents: usize,
    f1: f64,
    precision: f64,
    kinds: &'static [(&'static str, f64)],
    merges: usize,
    splits: usize,
}

/// Scores the set in `dir` and fails with its table of errors where it
/// falls below `floors`.
fn keeps(dir: &str, floors: Floors) {
    let r = report(dir);
    assert_eq!(r.documents, floors.documents, "{dir}");
    at_least(&r, "F1", r.all.f1(), floors.f1);
    at_least(&r, "precision", r.all.precision(), floors.precision);
    for &(kind, floor) in floors.kinds {
        at_least(&r, &format!("{kind} F1"), r.per_kind[kind].f1(), floor);
    }
    assert!(
        r.merges <= floors.merges && r.splits <= floors.splits,
        "{dir}: {} wrong merges, {} splits",
        r.merges,
        r.splits
    );
}

/// Fails with the table of errors when `got` (a score named `what`) is
/// below `floor`.
fn at_least(r: &Report, what: &str, got: f64, floor: f64) {
    assert!(
        got >= floor,
        "{what} {got:.3} fell below {floor:.3}\n{}",
        table(r, true)
    );
}

/// The first development set: measured 0.907 (P 0.926), PER 0.965, ORG 0.883
/// on 2026-12-06 (after the type noun's vote and full names said again);
/// 0 merges and 0 splits on 2026-12-07 ("Frankfurt / Main", "Bahn");
/// 0.915 (P 0.927), ORG 0.888 with press release distributors and English
/// country names in datelines (later that day).
#[test]
fn development_set_keeps_its_scores() {
    keeps(
        "tests/unseen",
        Floors {
            documents: 32,
            f1: 0.905,
            precision: 0.86,
            kinds: &[("PER", 0.95), ("LOC", 0.86), ("ORG", 0.86)],
            merges: 1,
            splits: 1,
        },
    );
}

#[test]
fn sealed_set_keeps_its_scores() {
    // Measured 0.891 (P 0.898), ORG 0.860 on 2026-12-05 (vehicles, credit
    // chains); 1 merge and 1 split with the in-document links; 0.899
    // (P 0.903), ORG 0.851 on 2026-12-06 with the tagger trained on the
    // written news articles (three shuffle seeds: 0.876 to 0.894 before
    // the company compounds' vote and place institutions).
    keeps(
        "tests/unseen-sealed",
        Floors {
            documents: 20,
            f1: 0.89,
            precision: 0.89,
            kinds: &[("ORG", 0.85)],
            merges: 1,
            splits: 2,
        },
    );
}

/// The sealed set: measured 0.825 (P 0.852, ORG 0.725) with the model
/// trained without its documents (2026-12-05); 0.861 (P 0.893, LOC 0.901,
/// ORG 0.805) with the tagger trained on the written news articles
/// (2026-12-06); 0.900 (P 0.941, LOC 0.925, ORG 0.872) on 2026-12-07
/// (trains and lines no names, pollsters and hospital groups, acronyms
/// with their long forms); the floors keep a margin.
#[test]
fn fresh_set_keeps_its_scores() {
    keeps(
        "tests/unseen-fresh",
        Floors {
            documents: 25,
            f1: 0.89,
            precision: 0.93,
            kinds: &[("LOC", 0.91), ("ORG", 0.86)],
            merges: 1,
            splits: usize::MAX,
        },
    );
}

/// Full articles written for testing (development half): measured 0.859
/// (P 0.892), ORG 0.824, 0 merges and 9 splits when the set was made
/// (2026-12-05); 0.866 (P 0.900), ORG 0.837, 0 merges and 3 splits with
/// the in-document links (genitives, first names, acronyms, clubs); 0.887
/// (P 0.916), ORG 0.886 with parties, city utilities, seats, associations;
/// 0.902 (P 0.926), PER 0.910, ORG 0.894 with venues, type nouns before a
/// company, common-word surnames after a role and a first name; 0.925
/// (P 0.939), PER 0.945, ORG 0.922 with museums, spaced initials and the
/// spread surnames of the tagger's full names (2026-12-06); 0.932 (P 0.946),
/// PER 0.963, ORG 0.927 with full names said again, capitalised particles
/// and the common-noun lexicon (2026-12-06, later); 0.938 (P 0.949), ORG
/// 0.928 with the tagger trained on the written news articles (written by
/// the same kind of writer as this set, so this set favours them); 0.943,
/// 0 merges and 1 split on 2026-12-07.
#[test]
fn written_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written",
        Floors {
            documents: 15,
            f1: 0.925,
            precision: 0.94,
            kinds: &[("PER", 0.95), ("ORG", 0.92)],
            merges: 1,
            splits: 2,
        },
    );
}

/// Full articles written for testing (sealed half): measured 0.875
/// (P 0.897), ORG 0.801, 3 merges and 11 splits when the set was made
/// (2026-12-05); 0.906 (P 0.922), ORG 0.853, 3 merges and 4 splits on
/// 2026-12-06 (rules of later sessions, the tagger trained on the written
/// news articles); 0.920 (P 0.935), ORG 0.872, 3 merges and 3 splits on
/// 2026-12-07 (rules read from the third written set).
#[test]
fn written_sealed_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-sealed",
        Floors {
            documents: 15,
            f1: 0.91,
            precision: 0.925,
            kinds: &[("ORG", 0.86)],
            merges: 3,
            splits: 4,
        },
    );
}

/// The second written set, other topics (development half, 12 articles):
/// measured 0.835 (P 0.866), ORG 0.784, 2 merges and 7 splits when the set
/// was made (2026-12-06); 0.876 (P 0.895), ORG 0.838, 2 merges and 7 splits
/// after its errors were read (buildings and landforms in one word, firms
/// joined by "&" or "+", handball clubs, shared surnames); 0.894 (P 0.910),
/// ORG 0.868 with place adjectives before street words, newspapers in one
/// word, a university's seat, institutions named after a person; 0.913
/// (P 0.929), ORG 0.878 on 2026-12-07; 0.931 (P 0.938), ORG 0.905, 1
/// merge and 2 splits later that day (inflected names and short forms
/// linked, writers and composers, venues with their former names); 1
/// merge (the Swiss FDP.Die Liberalen and the German FDP) and 0 splits
/// with ministries in one word and familiar first names.
#[test]
fn written_2_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-2",
        Floors {
            documents: 12,
            f1: 0.92,
            precision: 0.925,
            kinds: &[("PER", 0.955), ("ORG", 0.89)],
            merges: 1,
            splits: 1,
        },
    );
}

/// The second written set (sealed half, 8 articles): measured 0.817
/// (P 0.830), ORG 0.741, 1 merge and 3 splits when the set was made
/// (2026-12-06); 0.823, 0 merges and 4 splits after that session's rules;
/// 0.837 (P 0.845), ORG 0.770, 0 merges and 5 splits with the tagger
/// trained on the written news articles (`data/train/written-news/`: the
/// fifth split came with them under all three shuffle seeds tried, while
/// F1 rose by 0.015 to 0.02; see data/model/README.md).
#[test]
fn written_2_sealed_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-2-sealed",
        Floors {
            documents: 8,
            f1: 0.83,
            precision: 0.84,
            kinds: &[("ORG", 0.76)],
            merges: 1,
            splits: 5,
        },
    );
}

/// The third written set (development half, 12 articles in the formats of
/// real news: datelines, interviews, roundups, press releases): measured
/// 0.804 (P 0.844), ORG 0.667, 2 merges and 1 split when the set was made
/// (2026-12-07, with that session's first two rules); 0.884 (P 0.902),
/// ORG 0.824, 2 merges and 1 split after its errors were read (interview
/// labels, regional branches, public figures and landscapes, clubs,
/// districts, common words named as companies); 1 merge ("Familie
/// Tiemeyer" and Henning Tiemeyer) and 0 splits after the gold's "dpa"
/// was keyed alike and hyphened names spelt acronyms ("GA").
#[test]
fn written_3_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-3",
        Floors {
            documents: 12,
            f1: 0.88,
            precision: 0.90,
            kinds: &[("ORG", 0.82)],
            merges: 1,
            splits: 1,
        },
    );
}

/// The third written set (sealed half, 8 articles): measured 0.851
/// (P 0.854), ORG 0.802, 0 merges and 4 splits when the set was made
/// (2026-12-07, with that session's first two rules); 0.872 (P 0.873),
/// ORG 0.819, 0 merges and 5 splits after the rules read from the
/// development half.
#[test]
fn written_3_sealed_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-3-sealed",
        Floors {
            documents: 8,
            f1: 0.86,
            precision: 0.86,
            kinds: &[("ORG", 0.80)],
            merges: 1,
            splits: 5,
        },
    );
}

/// The fourth written set (12 articles, development, every one with names
/// that recur in several forms and most with two people who share a
/// surname or a first name): measured 0.891 (P 0.891), ORG 0.860, 6
/// merges and 16 splits when the set was made (2026-12-07); 3 merges and 9
/// splits after the cues for shared surnames, a company's first word,
/// universities without their patrons' names, two inflected adjectives
/// and "EU-Kommission" (one merge is the gold's: "dpa" keyed to the
/// agency in one article, alone in another); 0.933 (P 0.933, ORG 0.931)
/// after its recognition errors were read.
#[test]
fn written_4_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-4",
        Floors {
            documents: 12,
            f1: 0.925,
            precision: 0.925,
            kinds: &[("PER", 0.92), ("LOC", 0.93), ("ORG", 0.92)],
            merges: 3,
            splits: 9,
        },
    );
}

/// The fifth written set (12 dense articles written 2026-12-07 on topics
/// no earlier set covers): F1 0.798 (P 0.814, ORG 0.718), 1 merge and 4
/// splits when made, before anything was read from it; 0.857 (P 0.862, ORG
/// 0.826), 1 merge and 4 splits after the rules read from it; 0.866 (P
/// 0.870, ORG 0.842) with the sixth set's.
#[test]
fn written_5_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-5",
        Floors {
            documents: 12,
            f1: 0.86,
            precision: 0.865,
            kinds: &[("PER", 0.925), ("LOC", 0.835), ("ORG", 0.835)],
            merges: 1,
            splits: 4,
        },
    );
}

/// The sixth written set (12 articles written 2026-12-07 at a real
/// newspaper's density, after the fifth set's rules): F1 0.845 (P 0.870,
/// ORG 0.770), 1 merge (two annotators' keys for dpa, since made one) and 6
/// splits when made, before anything was read from it; 0.908 (P 0.923, LOC
/// 0.883, ORG 0.894), no merge and 5 splits after the rules read from it.
#[test]
fn written_6_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-6",
        Floors {
            documents: 12,
            f1: 0.90,
            precision: 0.915,
            kinds: &[("PER", 0.955), ("LOC", 0.875), ("ORG", 0.885)],
            merges: 0,
            splits: 5,
        },
    );
}

/// The seventh written set (12 articles written 2026-12-07 after the sixth
/// set's rules): F1 0.844 (P 0.858, ORG 0.804), no merge and 1 split when
/// made, before anything was read from it; 0.868 (P 0.882, LOC 0.831, ORG
/// 0.842) after the rules read from it.
#[test]
fn written_7_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-7",
        Floors {
            documents: 12,
            f1: 0.86,
            precision: 0.875,
            kinds: &[("PER", 0.95), ("LOC", 0.825), ("ORG", 0.835)],
            merges: 0,
            splits: 1,
        },
    );
}

/// The eighth written set (12 articles written 2026-12-07 after the seventh
/// set's rules): F1 0.866 (P 0.878, ORG 0.816) when made, before anything
/// was read from it, the first set over the bar before reading;
/// 0.943 (P 0.947, LOC 0.909, ORG 0.936), no wrong merge and 3 splits
/// after the rules read from it.
#[test]
fn written_8_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-8",
        Floors {
            documents: 12,
            f1: 0.93,
            precision: 0.935,
            kinds: &[("PER", 0.98), ("LOC", 0.895), ("ORG", 0.925)],
            merges: 0,
            splits: 3,
        },
    );
}

/// The ninth written set (12 articles written 2026-12-07 after the eighth
/// set's rules): F1 0.860 (P 0.873, ORG 0.830), no merge and 4 splits when
/// made, before anything was read from it (0.848 with the rules of the
/// session's start); 0.909 (P 0.918, LOC 0.898, ORG 0.896) after the rules
/// read from it.
#[test]
fn written_9_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-9",
        Floors {
            documents: 12,
            f1: 0.90,
            precision: 0.91,
            kinds: &[("PER", 0.93), ("LOC", 0.885), ("ORG", 0.885)],
            merges: 0,
            splits: 4,
        },
    );
}

/// The tenth written set, sealed (12 articles written 2026-12-07 after the
/// ninth set's rules; only ever scored, its errors never read): F1 0.863
/// (P 0.868, ORG 0.824), 2 wrong merges and 4 splits when made; 0.850
/// (ORG 0.791) with the rules of that session's start.
#[test]
fn written_10_sealed_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-10-sealed",
        Floors {
            documents: 12,
            f1: 0.855,
            precision: 0.86,
            kinds: &[("PER", 0.94), ("LOC", 0.83), ("ORG", 0.81)],
            merges: 2,
            splits: 4,
        },
    );
}

/// The eleventh written set (12 articles written 2026-12-07 after the
/// tenth set's rules): F1 0.838 (P 0.840, ORG 0.776), 2 wrong merges and
/// 6 splits when made, before anything was read from it; 0.913 (P 0.906,
/// LOC 0.887, ORG 0.915), no merge and 4 splits after the rules read from
/// it (and "dpa" and "EU-Kommission" keyed to their long names in every
/// article).
#[test]
fn written_11_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-11",
        Floors {
            documents: 12,
            f1: 0.905,
            precision: 0.90,
            kinds: &[("PER", 0.93), ("LOC", 0.88), ("ORG", 0.905)],
            merges: 0,
            splits: 4,
        },
    );
}

/// The twelfth written set, sealed (12 articles written 2026-12-08 after
/// the eleventh set's rules; only ever scored): F1 0.865 (P 0.885, ORG
/// 0.803), 1 wrong merge and 5 splits when made; 0.864 with the rules of
/// that session's start.
#[test]
fn written_12_sealed_set_keeps_its_scores() {
    keeps(
        "tests/unseen-written-12-sealed",
        Floors {
            documents: 12,
            f1: 0.86,
            precision: 0.88,
            kinds: &[("PER", 0.945), ("LOC", 0.855), ("ORG", 0.795)],
            merges: 1,
            splits: 5,
        },
    );
}

/// SmartData's own annotation of the SmartData v3 development documents
/// outside the hand-annotated sets (tweets, traffic and rail reports, short
/// company news; `tests/smartdata-dev/README.md`): the proxy for the
/// held-back SmartData v3 test split. Measured 0.672 (P 0.618) on
/// 2026-12-06 before handles, stations, junctions and exits were read,
/// 0.825 (P 0.809, LOC 0.880, ORG 0.702) after; 0.831 (P 0.816) with the
/// next session's rules; 0.840 (P 0.832, PER 0.746) after type nouns that
/// are none, English pronouns and linked compounds as surnames; 0.835
/// (P 0.828) with the tagger retrained on the written news articles and
/// "IS" as the Islamic State (2026-12-06); 0.844 (P 0.852, ORG 0.760) on
/// 2026-12-07 (trains and lines no names, the Landkreis of police
/// datelines, companies and pollsters).
#[test]
fn smartdata_proxy_keeps_its_scores() {
    keeps(
        "tests/smartdata-dev",
        Floors {
            documents: 175,
            f1: 0.84,
            precision: 0.84,
            kinds: &[("LOC", 0.86)],
            merges: usize::MAX,
            splits: usize::MAX,
        },
    );
}
