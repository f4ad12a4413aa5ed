//! Venues named after a sponsor: "Signal Iduna Park", "Allianz Arena",
//! "Mercedes-Benz Arena". An organisation found just before "Arena",
//! "Park" or "Stadion" names, with that word, the place (GermEval: the
//! longest name wins; stadiums used as places are places).

use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join};
use crate::recognize::Cand;

const VENUE_WORDS: &[&str] = &["Arena", "Park", "Stadion", "Ring", "Tower", "Halle", "Dome"];

pub(super) struct Venues;

impl Rule for Venues {
    fn name(&self) -> &'static str {
        "venues"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let toks = cx.toks;
        let mut found = Vec::new();
        for c in out.iter() {
            let Some(v) = toks.get(c.t1) else { continue };
            // A sponsor read as a person names an arena too ("Phoenix
            // Contact Arena"), and so does a region ("Chiemgau Arena").
            if !(c.kind == EntityKind::Org
                || matches!(c.kind, EntityKind::Person | EntityKind::Place) && v.text == "Arena")
            {
                continue;
            }
            if VENUE_WORDS.contains(&v.text) && !v.line_start && v.start > toks[c.t1 - 1].end {
                let norm = join(toks, c.t0, c.t1 + 1);
                found.push(cand(
                    toks,
                    c.t0,
                    c.t1 + 1,
                    EntityKind::Place,
                    norm,
                    Source::Rule,
                ));
            }
        }
        found.sort_by_key(|c| (c.t0, c.t1));
        found.dedup_by_key(|c| (c.t0, c.t1));
        out.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer::Gazetteer;
    use super::super::testing::run_seq;
    use super::*;

    #[test]
    fn a_sponsor_and_its_stadium() {
        let got = run_seq(
            &[&Gazetteer, &Venues],
            "Vor 81.365 Zuschauern im ausverkauften Signal Iduna Park.",
        );
        assert!(
            got.contains(&("Signal Iduna Park".to_string(), "place")),
            "{got:?}"
        );
    }

    #[test]
    fn a_region_and_its_arena() {
        let got = run_seq(&[&Gazetteer, &Venues], "Sieg in der Chiemgau Arena.");
        assert!(
            got.contains(&("Chiemgau Arena".to_string(), "place")),
            "{got:?}"
        );
    }
}
