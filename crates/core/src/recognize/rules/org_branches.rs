//! Regional branches of unions, parties, associations and insurers, named
//! by the organisation and the region they serve: "IG Metall Herford", "IG
//! Metall Rostock-Schwerin", "IG Metall Küste", "AfD Thüringen", "NABU
//! Niedersachsen", "AOK Nordwest", "DEHOGA Mecklenburg-Vorpommern". The
//! organisation and its region are one name (GermEval: the longest name
//! wins). Only organisations that have such branches are read this way: a
//! company before a town ("Siemens München") is no branch name.

use super::stations::COMPASS_POINTS;
use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join, spells};
use crate::recognize::Cand;
use crate::text::words::Words;
use fxhash::FxHashSet;
use std::sync::LazyLock;

/// Organisations with regional branches, as written (one or two words).
const BRANCHING: &[&[&str]] = &[
    &["IG", "Metall"],
    &["IG", "BCE"],
    &["IG", "BAU"],
    &["Verdi"],
    &["DGB"],
    &["GEW"],
    &["EVG"],
    &["NGG"],
    &["GdP"],
    &["DPolG"],
    &["Marburger", "Bund"],
    &["AOK"],
    &["DRK"],
    &["BRK"],
    &["ASB"],
    &["BUND"],
    &["NABU"],
    &["Nabu"],
    &["ADAC"],
    &["AWO"],
    &["Caritas"],
    &["Diakonie"],
    &["DEHOGA"],
    &["Dehoga"],
    &["Landvolk"],
    &["VdK"],
    &["SoVD"],
    &["Lebenshilfe"],
    &["Johanniter"],
    &["Malteser"],
    &["DLRG"],
    &["CDU"],
    &["SPD"],
    &["AfD"],
    &["FDP"],
    &["BSW"],
    &["Jusos"],
    &["Junge", "Union"],
    &["Freie", "Wähler"],
    &["Mieterbund"],
    &["Bauernverband"],
    &["Landessportbund"],
    &["IHK"],
    &["HWK"],
];

/// The first words of [`BRANCHING`]: most capitalised words start none.
static FIRST_WORDS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| BRANCHING.iter().map(|o| o[0]).collect());

/// Whether `name` (words joined by spaces) names an organisation with
/// regional branches ("IG Metall", "Verdi").
pub(crate) fn is_branching(name: &str) -> bool {
    BRANCHING
        .iter()
        .any(|o| o.iter().copied().eq(name.split(' ')))
}

/// Whether `w` alone names an organisation with regional branches
/// ("Verdi", "AfD"): "Verdi" beside "Verdi Bayern" is the union, not its branch.
pub(crate) fn has_branches(w: &str) -> bool {
    BRANCHING.iter().any(|o| o.len() == 1 && o[0] == w)
}

/// Regions a branch is named after that are no places of a gazetteer.
static REGION_WORDS: Words = Words::new(&["Küste", "Mitte"]);

pub(super) struct OrgBranches;

impl Rule for OrgBranches {
    fn name(&self) -> &'static str {
        "org-branches"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        for i in 0..toks.len() {
            if !toks[i].cap || !FIRST_WORDS.contains(toks[i].text) {
                continue;
            }
            let Some(org) = BRANCHING.iter().find(|o| spells(toks, i, o)) else {
                continue;
            };
            let p = i + org.len();
            let Some(t) = toks.get(p) else {
                continue;
            };
            if !t.cap || t.line_start || toks[p - 1].end == t.start {
                continue;
            }
            // "Rostock-Schwerin": every part a known place.
            let region = r.is_known_place(t.text)
                || REGION_WORDS.contains(t.text)
                || COMPASS_POINTS.contains(t.text)
                || t.text.contains('-') && t.text.split('-').all(|s| r.is_known_place(s));
            if region {
                out.push(cand(
                    toks,
                    i,
                    p + 1,
                    EntityKind::Org,
                    join(toks, i, p + 1),
                    Source::Rule,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pairs, run};
    use super::*;

    #[test]
    fn an_organisation_and_its_region() {
        assert_eq!(
            run(
                &OrgBranches,
                "Die IG Metall Küste und die IG Metall Rostock-Schwerin riefen auf; \
                 die AfD Thüringen und der NABU Niedersachsen schwiegen, die AOK Nordwest zahlt."
            ),
            pairs(&[
                ("IG Metall Küste", "org"),
                ("IG Metall Rostock-Schwerin", "org"),
                ("AfD Thüringen", "org"),
                ("NABU Niedersachsen", "org"),
                ("AOK Nordwest", "org")
            ])
        );
    }

    #[test]
    fn no_branch_without_a_region_or_of_a_company() {
        assert!(run(
            &OrgBranches,
            "Die IG Metall Warnstreiks, die SPD Politik. Siemens München wächst. Die CDU.\nBerlin"
        )
        .is_empty());
    }
}
