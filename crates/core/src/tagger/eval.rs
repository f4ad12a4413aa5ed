//! Exact-span evaluation (CoNLL style) on the outer level.

use super::Label;
use std::collections::BTreeMap;
use std::ops::Range;

/// Entity spans of a BIO tag sequence as (token range, class name). An `I-X`
/// that does not continue an `X` span starts a new one (conlleval rules).
pub fn tag_spans<S: AsRef<str>>(tags: &[S]) -> Vec<(Range<usize>, String)> {
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (bio, class) = match t.split_once('-') {
            Some((b, c)) if b == "B" || b == "I" => (b, c),
            _ => ("O", ""),
        };
        let continues = bio == "I" && open.is_some_and(|(_, c)| c == class);
        if !continues {
            if let Some((s, c)) = open.take() {
                out.push((s..i, c.to_string()));
            }
            if bio != "O" {
                open = Some((i, class));
            }
        }
    }
    if let Some((s, c)) = open {
        out.push((s..tags.len(), c.to_string()));
    }
    out
}

/// Spans of a label sequence as (token range, class index).
pub fn spans_of(labels: &[Label]) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, l) in labels.iter().enumerate() {
        let continues = l.is_inside() && open.is_some_and(|(_, c)| Some(c) == l.class());
        if !continues {
            if let Some((s, c)) = open.take() {
                out.push((s..i, c));
            }
            if let Some(c) = l.class() {
                open = Some((i, c));
            }
        }
    }
    if let Some((s, c)) = open {
        out.push((s..labels.len(), c));
    }
    out
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Per-class counts; the micro average covers PER, LOC and ORG.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    pub classes: BTreeMap<String, Counts>,
}

/// Classes in the headline micro average.
pub const MAIN: [&str; 3] = ["PER", "LOC", "ORG"];

impl Evaluation {
    /// Adds one sentence: gold tags (raw strings) against predicted tags.
    pub fn add<G: AsRef<str>, P: AsRef<str>>(&mut self, gold: &[G], pred: &[P]) {
        let g = tag_spans(gold);
        let p = tag_spans(pred);
        for (r, c) in &p {
            let e = self.classes.entry(c.clone()).or_default();
            if g.iter().any(|(gr, gc)| gr == r && gc == c) {
                e.tp += 1;
            } else {
                e.fp += 1;
            }
        }
        for (r, c) in &g {
            if !p.iter().any(|(pr, pc)| pr == r && pc == c) {
                self.classes.entry(c.clone()).or_default().fn_ += 1;
            }
        }
    }

    pub fn class(&self, c: &str) -> Counts {
        self.classes.get(c).copied().unwrap_or_default()
    }

    pub fn micro(&self) -> Counts {
        let mut m = Counts::default();
        for c in MAIN {
            let x = self.class(c);
            m.tp += x.tp;
            m.fp += x.fp;
            m.fn_ += x.fn_;
        }
        m
    }

    /// A table: class, gold, predicted, P, R, F1.
    pub fn report(&self) -> String {
        let mut s = format!(
            "{:<8} {:>6} {:>6} {:>7} {:>7} {:>7}\n",
            "class", "gold", "pred", "P", "R", "F1"
        );
        let mut row = |name: &str, c: Counts| {
            s.push_str(&format!(
                "{:<8} {:>6} {:>6} {:>7.2} {:>7.2} {:>7.2}\n",
                name,
                c.tp + c.fn_,
                c.tp + c.fp,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1()
            ));
        };
        for c in MAIN.iter().chain(["OTH"].iter()) {
            row(c, self.class(c));
        }
        row("micro", self.micro());
        s.push_str("(micro = PER+LOC+ORG, exact spans, outer level)\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_conlleval() {
        let t = [
            "B-PER",
            "I-PER",
            "I-LOC",
            "O",
            "I-ORG",
            "I-ORG",
            "B-ORG",
            "B-LOCderiv",
        ];
        let s = tag_spans(&t);
        assert_eq!(
            s,
            vec![
                (0..2, "PER".to_string()),
                (2..3, "LOC".to_string()),
                (4..6, "ORG".to_string()),
                (6..7, "ORG".to_string()),
                (7..8, "LOCderiv".to_string()),
            ]
        );
        let labels: Vec<Label> = t.iter().map(|x| Label::parse(x)).collect();
        let s2: Vec<(Range<usize>, usize)> = spans_of(&labels);
        assert_eq!(s2, vec![(0..2, 0), (2..3, 1), (4..6, 2), (6..7, 2)]);
    }

    #[test]
    fn exact_span_counts() {
        let mut e = Evaluation::default();
        // gold: PER "Olaf Scholz", LOC "Berlin", LOCderiv "russische"
        let gold = ["B-PER", "I-PER", "O", "B-LOC", "B-LOCderiv"];
        // pred: PER only "Olaf" (boundary error), LOC right, LOC on the adjective
        let pred = ["B-PER", "O", "O", "B-LOC", "B-LOC"];
        e.add(&gold, &pred);
        assert_eq!(
            e.class("PER"),
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            e.class("LOC"),
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        let m = e.micro();
        assert_eq!(
            m,
            Counts {
                tp: 1,
                fp: 2,
                fn_: 1
            }
        );
        assert!((m.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((m.recall() - 0.5).abs() < 1e-9);
        assert!((m.f1() - 0.4).abs() < 1e-9);
        assert!(e.report().contains("micro"));
    }

    #[test]
    fn inside_without_begin_is_a_span() {
        let mut e = Evaluation::default();
        e.add(&["B-ORG", "I-ORG"], &["I-ORG", "I-ORG"]);
        assert_eq!(e.class("ORG").tp, 1);
    }
}
