//! The recognizer's rules, one family per file, each behind [`Rule`] and
//! listed once in [`RULES`], in the order they run.
//!
//! The order is part of the behaviour: every rule pushes its candidates onto
//! one list, `select` breaks ties between equal candidates by list order,
//! and surname repeats read (and prune) the candidates pushed before them.
//!
//! Two families are token scans ([`Scan`]) rather than single rules,
//! because their sub-rules ([`TokenRule`]s, still one file each) take turns
//! at each token:
//!
//! - persons: at each capitalised token the first sub-rule that proposes a
//!   name claims the tokens it read, and the scan goes on after them (a first
//!   name that starts "Angela Merkel" is not tried again as a street name, and
//!   "Merkel" is not tried again after a role word);
//! - orgs: every sub-rule is tried at every word (none claims tokens), so
//!   the candidates come out token by token: of two readings of the same
//!   span, the one found at the earlier token comes first.
//!
//! Running these sub-rules one after the other instead would change which
//! candidates exist (persons) or their order (orgs), hence the scans.

use super::{Cand, Overrides, Proposal, Recognizer, Tok};

mod acronyms;
mod business_names;
mod caps_names;
mod clubs;
mod common_towns;
mod credits;
mod datelines;
mod english_orgs;
mod foreign_places;
mod gazetteer;
mod interview_labels;
mod knowledge_base;
mod learned;
mod legal_forms;
mod media_names;
mod ministries;
mod named_institutions;
mod newspapers;
mod org_branches;
pub(super) use org_branches::{has_branches, is_branching};
mod org_heads;
mod org_tails;
mod parties;
mod persons;
mod phrases;
mod place_heads;
mod place_orgs;
mod place_words;
mod roads;
mod role_cues;
mod saints;
mod stations;
mod streets;
mod surname_repeats;
mod tagger;
mod type_cues;
mod vehicles;
mod venues;

/// Whether `w` is an English company word ("Management", "Capital"), never a surname.
pub(super) fn is_business_word(w: &str) -> bool {
    business_names::BUSINESS_TAILS.contains(w) || w == "Manager"
}

/// The kind a type noun before a name announces ("Digitalagentur" →
/// organisation): see `type_cues`.
pub(super) fn announced_kind(w: &str) -> Option<crate::model::EntityKind> {
    type_cues::type_kind(w)
}

/// Whether `w` is a quote that may stand between a type noun and its name.
pub(super) fn opening_quote(w: &str) -> bool {
    type_cues::opening_quote(w)
}

/// Whether `w` starts a club's name ("Borussia", "FC", "FSV"): see `clubs`.
pub(super) fn is_club_prefix(w: &str) -> bool {
    clubs::CLUB_PREFIXES.contains(w)
}

/// Whether `w` is a team's nickname ("Tigers", "Eisbären").
pub(super) fn is_team_nickname(w: &str) -> bool {
    clubs::is_nickname(w)
}

/// A source of candidates over a whole document.
pub(super) trait Rule: Sync {
    /// Short stable name ("clubs", "legal-forms"): the unit the user's
    /// annotations judge ([`crate::learn`]), and for tests and debugging.
    fn name(&self) -> &'static str;
    /// Pushes this rule's candidates for the document onto `out` (which holds
    /// those of the rules before it).
    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>);
}

/// A rule tried at one token at a time, within a [`Scan`].
pub(super) trait TokenRule: Sync {
    /// Short stable name ("first-names", "streets"): the unit the user's
    /// annotations judge ([`crate::learn`]), and for tests and debugging.
    fn name(&self) -> &'static str;
    /// Tries the rule at token `i`, pushing its candidates onto `out`.
    /// Returns `Some(k)` when it claims tokens `i..k`: the later rules of its
    /// scan are not tried at `i`, and the scan goes on at `k` (> `i`).
    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize>;
}

/// What the rules see of one document.
pub(super) struct Context<'a> {
    pub r: &'a Recognizer,
    pub toks: &'a [Tok<'a>],
    /// The statistical tagger's proposals.
    pub proposals: &'a [Proposal],
    /// The user's knowledge base.
    pub overrides: &'a Overrides,
}

/// A family of [`TokenRule`]s run together in one pass over the tokens: at
/// each token the rules are tried in list order until one claims tokens.
#[derive(Clone, Copy)]
pub(super) struct Scan<'a> {
    pub name: &'static str,
    /// Tokens at which no rule of the scan is tried.
    pub skip: fn(&Tok) -> bool,
    pub rules: &'a [&'a dyn TokenRule],
}

impl Rule for Scan<'_> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let mut i = 0;
        while i < cx.toks.len() {
            let mut next = i + 1;
            if !(self.skip)(&cx.toks[i]) {
                for rule in self.rules {
                    let claimed = rule.at(cx, i, out);
                    name_new(out, rule.name());
                    if let Some(k) = claimed {
                        next = k;
                        break;
                    }
                }
            }
            i = next;
        }
    }
}

/// Names the candidates no rule has named yet (`Cand::rule`) after rule
/// `name`: those it just pushed, the end of the list (a rule may prune
/// earlier candidates, never insert among them).
pub(super) fn name_new(out: &mut [Cand], name: &'static str) {
    for c in out.iter_mut().rev() {
        if !c.rule.is_empty() {
            break;
        }
        c.rule = name;
    }
}

/// Person names: first name + surname (and bare first names, "Claudia B.",
/// "Elisabeth II."), street names, initial + surname, role cue + name.
static PERSONS: Scan<'static> = Scan {
    name: "persons",
    skip: |t| !t.cap || t.caps,
    rules: &[
        &persons::FirstNames,
        &streets::Streets,
        &persons::Initials,
        &role_cues::RoleCues,
    ],
};

/// Organisation patterns.
static ORGS: Scan<'static> = Scan {
    name: "orgs",
    skip: |t| !t.word,
    rules: &[
        &acronyms::Acronyms,
        &newspapers::Newspapers,
        &media_names::MediaNames,
        &place_orgs::PlaceOrgs,
        &clubs::Clubs,
        &clubs::TeamNames,
        &clubs::ClubsAbroad,
        &legal_forms::LegalForms,
        &english_orgs::EnglishOrgs,
        &org_heads::OrgHeads,
        &business_names::BusinessNames,
        &named_institutions::NamedInstitutions,
    ],
};

/// Every rule, in the order it runs.
pub(super) static RULES: &[&dyn Rule] = &[
    &knowledge_base::KnowledgeBase,
    &learned::Learned,
    &gazetteer::Gazetteer,
    &parties::Parties,
    &datelines::Datelines,
    &caps_names::CapsNames,
    &credits::Credits,
    &interview_labels::InterviewLabels,
    &PERSONS,
    &ORGS,
    &venues::Venues,
    &foreign_places::ForeignPlaces,
    &place_heads::PlaceHeads,
    &org_branches::OrgBranches,
    &stations::Stations,
    &roads::Roads,
    &place_words::PlaceWords,
    &common_towns::CommonTowns,
    &ministries::Ministries,
    &type_cues::TypeCues,
    &surname_repeats::SurnameRepeats,
    &tagger::Tagger,
    &saints::Saints,
    &org_tails::OrgTails,
    &vehicles::Vehicles,
];

/// Runs single rules on a text, for the rules' unit tests.
#[cfg(test)]
pub(super) mod testing {
    use super::*;
    use crate::text::tokenize::tokenize;

    /// The candidates `rule` alone proposes for `text` (with these tagger
    /// proposals and knowledge base), in push order.
    pub fn cands_with(
        rule: &dyn Rule,
        text: &str,
        proposals: &[Proposal],
        overrides: &Overrides,
    ) -> Vec<Cand> {
        let r = Recognizer::global();
        let toks = r.token_facts(text, &tokenize(text));
        let cx = Context {
            r,
            toks: &toks,
            proposals,
            overrides,
        };
        let mut out = Vec::new();
        rule.apply(&cx, &mut out);
        out
    }

    /// (surface, kind) of what `rule` alone proposes for `text`.
    pub fn run(rule: &dyn Rule, text: &str) -> Vec<(String, &'static str)> {
        surfaces(text, &cands_with(rule, text, &[], &Overrides::default()))
    }

    /// (surface, kind) of the candidates left after running `rules` in turn
    /// on `text` (for a rule that reads those of the rules before it).
    pub fn run_seq(rules: &[&dyn Rule], text: &str) -> Vec<(String, &'static str)> {
        let seq = Seq(rules);
        run(&seq, text)
    }

    struct Seq<'a>(&'a [&'a dyn Rule]);

    impl Rule for Seq<'_> {
        fn name(&self) -> &'static str {
            "sequence"
        }

        fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
            for rule in self.0 {
                rule.apply(cx, out);
            }
        }
    }

    /// (surface, kind) of what the token rule `rule` alone proposes for
    /// `text`, scanned like the rules of `scan` (same skipped tokens).
    pub fn run_in(scan: &Scan, rule: &dyn TokenRule, text: &str) -> Vec<(String, &'static str)> {
        let alone = Scan {
            rules: std::slice::from_ref(&rule),
            ..*scan
        };
        run(&alone, text)
    }

    /// (surface, norm) of what the token rule `rule` alone proposes.
    pub fn norms_in(scan: &Scan, rule: &dyn TokenRule, text: &str) -> Vec<(String, String)> {
        let alone = Scan {
            rules: std::slice::from_ref(&rule),
            ..*scan
        };
        cands_with(&alone, text, &[], &Overrides::default())
            .into_iter()
            .map(|c| (text[c.start..c.end].to_string(), c.norm))
            .collect()
    }

    pub fn surfaces(text: &str, cands: &[Cand]) -> Vec<(String, &'static str)> {
        cands
            .iter()
            .map(|c| (text[c.start..c.end].to_string(), c.kind.as_str()))
            .collect()
    }

    /// `[("Berliner Zeitung", "org")]` as owned pairs, for comparisons.
    pub fn pairs(want: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        want.iter().map(|&(s, k)| (s.to_string(), k)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_and_kebab_case() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name()).collect();
        for scan in [&PERSONS, &ORGS] {
            names.extend(scan.rules.iter().map(|r| r.name()));
        }
        for n in &names {
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{n}");
        }
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "{names:?}");
    }

    #[test]
    fn a_person_rule_claims_its_tokens() {
        // The first-name rule takes "Jens Stoltenberg" (with the role); the
        // role-cue rule is not tried at "Jens" as well.
        let t = "Präsident Jens Stoltenberg sprach.";
        let got: Vec<(String, Option<String>, bool)> =
            testing::cands_with(&PERSONS, t, &[], &Overrides::default())
                .into_iter()
                .map(|c| (t[c.start..c.end].to_string(), c.role, c.boost))
                .collect();
        assert_eq!(
            got,
            [(
                "Jens Stoltenberg".to_string(),
                Some("Präsident".to_string()),
                false
            )]
        );
    }

    #[test]
    fn org_candidates_come_out_token_by_token() {
        // Two readings of one span: place-orgs at "Theater" (in the
        // nominative), newspapers at "Tagblatt". The one found at the earlier
        // token comes first, and so wins the tie in `select`. (Org-heads
        // also reads "Bayerischen Theater", a shorter span, at "Theater".)
        let t = "Es stand im Bayerischen Theater Tagblatt.";
        let got: Vec<(String, String)> = testing::cands_with(&ORGS, t, &[], &Overrides::default())
            .into_iter()
            .map(|c| (t[c.start..c.end].to_string(), c.norm))
            .collect();
        let span = "Bayerischen Theater Tagblatt".to_string();
        assert_eq!(
            got,
            [
                (span.clone(), "Bayerische Theater Tagblatt".to_string()),
                (
                    "Bayerischen Theater".to_string(),
                    "Bayerische Theater".to_string()
                ),
                (span.clone(), span)
            ]
        );
    }

    #[test]
    fn rule_order() {
        let names: Vec<&str> = RULES.iter().map(|r| r.name()).collect();
        assert_eq!(
            names,
            [
                "knowledge-base",
                "learned",
                "gazetteer",
                "parties",
                "datelines",
                "caps-names",
                "credits",
                "interview-labels",
                "persons",
                "orgs",
                "venues",
                "foreign-places",
                "place-heads",
                "org-branches",
                "stations",
                "roads",
                "place-words",
                "common-towns",
                "ministries",
                "type-cues",
                "surname-repeats",
                "tagger",
                "saints",
                "org-tails",
                "vehicles"
            ]
        );
    }
}
