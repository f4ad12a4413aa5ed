//! Surname repeats: bare surnames of persons named earlier or later in the
//! same document ("Stoltenberg" after "Jens Stoltenberg"), and surnames of
//! well-known people ("Merkel"). Reads the person candidates of the rules
//! before it, and drops their single-word places and orgs that are such a
//! surname ("Weimar" once "Sarah Weimar" is named).

use super::persons::CAP_PARTICLES;
use super::{Context, Rule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, strip_gen, strip_gen_if};
use crate::recognize::{article_before, Cand};
use fxhash::{FxHashMap, FxHashSet};

pub(super) struct SurnameRepeats;

/// Particles in lower case between a given name and a surname.
const LOWER_PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "da", "di", "del", "della", "zu", "vom", "zum", "ter", "du",
    "dos", "la", "le",
];

impl Rule for SurnameRepeats {
    fn name(&self) -> &'static str {
        "surname-repeats"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        let (r, toks) = (cx.r, cx.toks);
        // Surnames of persons named here, and whether each is also a common
        // noun ("Müller", "Koch": then not after an article, "der Koch").
        let mut seen: FxHashMap<&str, bool> = FxHashMap::default();
        // The given name said before each surname ("Katherina" of
        // "Katherina Reiche"): said again before it, it is the full name.
        let mut given: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
        let mut found_at: FxHashSet<usize> = FxHashSet::default();
        // The particles in lower case before each surname ("von der" of
        // "Ursula von der Leyen"): said again before it, they are its own.
        let mut particles: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
        for c in out
            .iter()
            .filter(|c| c.kind == EntityKind::Person && (c.t1 - c.t0 >= 2 || c.boost))
        {
            let last = toks[c.t1 - 1].text;
            if toks[c.t1 - 1].cap {
                let common = r.d.common.contains(last);
                let surname = strip_gen_if(last, c.norm.ends_with(last));
                seen.insert(surname, common);
                let mut p0 = c.t1 - 1;
                while p0 > c.t0 + 1 && LOWER_PARTICLES.contains(&toks[p0 - 1].text) {
                    p0 -= 1;
                }
                // "Alexander Van der Bellen": a capitalised particle before
                // the lower-case ones is the surname's too.
                if p0 > c.t0 + 1
                    && p0 < c.t1 - 1
                    && matches!(toks[p0 - 1].text, "Van" | "Von" | "De" | "Di" | "Da")
                {
                    p0 -= 1;
                }
                if p0 < c.t1 - 1 {
                    particles.insert(surname, (p0, c.t1 - 1));
                }
                // "Katherina Reiche"; "Bart De Wever" ("sagte De Wever")
                let before = toks[c.t1 - 2].text;
                if c.t1 - c.t0 == 2 && r.is_first_name(before)
                    || c.t1 - c.t0 >= 3 && CAP_PARTICLES.contains(&before)
                {
                    given.entry(surname).or_default().push(before);
                    found_at.insert(c.t1 - 1);
                }
            }
        }
        let uncommon = |w: &str| seen.get(w) == Some(&false);
        // A person's surname beats a same-named place or org in this document.
        out.retain(|c| {
            c.kind == EntityKind::Person
                || c.t1 - c.t0 != 1
                || c.source == Source::KnowledgeBase
                || !uncommon(strip_gen(toks[c.t0].text).unwrap_or(toks[c.t0].text))
                    && !uncommon(toks[c.t0].text)
        });
        for i in 0..toks.len() {
            let t = &toks[i];
            // The lexicon last: this runs at every capitalised word.
            if !t.cap || t.caps {
                continue;
            }
            let stem = match strip_gen(t.text) {
                Some(s) if seen.contains_key(s) || r.d.famous_surnames.contains(s) => s,
                _ => t.text,
            };
            let after_article = || i > 0 && !toks[i].line_start && article_before(toks[i - 1].text);
            let known = seen
                .get(stem)
                .is_some_and(|&common| !(common && after_article()));
            let listed = || {
                (!t.initial
                    && r.d.surnames.contains(stem)
                    && !r.is_common(stem)
                    && !r.d.surname_nouns.contains(stem))
                    || r.d.famous_surnames.contains(stem) && !r.is_common(stem)
            };
            let again = i > 0
                && !toks[i].line_start
                && !found_at.contains(&i)
                && given
                    .get(stem)
                    .is_some_and(|g| g.contains(&toks[i - 1].text));
            if !(again || known || listed()) || !r.nameish(t) {
                continue;
            }
            if again {
                // The full name again, where the person rules alone would
                // not take a surname that is a common noun ("Reiche"); a
                // particle and the surname ("De Wever") link as the bare
                // surname does, to the full name it ends.
                let norm = if CAP_PARTICLES.contains(&toks[i - 1].text) {
                    stem.to_string()
                } else {
                    r.person_norm(toks, i - 1, i + 1)
                };
                out.push(Cand {
                    rule: "",
                    ..cand(toks, i - 1, i + 1, EntityKind::Person, norm, Source::Rule)
                });
            } else {
                // "sagte von der Leyen", "Von der Leyens Sprecherin": the
                // particles again, on the surname's line.
                let from = particles.get(stem).and_then(|&(p0, p1)| {
                    let f = i.checked_sub(p1 - p0)?;
                    let said = (f..i).all(|k| {
                        !toks[k + 1].line_start
                            && toks[k].text.eq_ignore_ascii_case(toks[p0 + k - f].text)
                    });
                    said.then_some(f)
                });
                out.push(Cand {
                    rule: "",
                    source: if known {
                        Source::Rule
                    } else {
                        Source::Gazetteer
                    },
                    ..cand(
                        toks,
                        from.unwrap_or(i),
                        i + 1,
                        EntityKind::Person,
                        stem.to_string(),
                        Source::Rule,
                    )
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer::Gazetteer;
    use super::super::testing::{pairs, run, run_seq};
    use super::super::PERSONS;
    use super::*;

    #[test]
    fn a_surname_that_is_a_common_noun_but_not_after_an_article() {
        let t =
            "Jürgen Müller sagte, Müllers Firma zahle. Der Müller mahlt. Müller ging. Frau Müller";
        assert_eq!(
            run_seq(&[&PERSONS, &SurnameRepeats], t),
            // (the bare "Müller" inside the full name is resolved later)
            pairs(&[
                ("Jürgen Müller", "person"),
                ("Müller", "person"),
                ("Müllers", "person"),
                ("Müller", "person"),
                ("Müller", "person")
            ])
        );
    }

    #[test]
    fn surname_of_a_person_named_in_the_document() {
        let t = "Stoltenberg warnte. Später sagte Jens Stoltenberg, Stoltenbergs Plan stehe.";
        assert_eq!(
            run_seq(&[&PERSONS, &SurnameRepeats], t),
            pairs(&[
                ("Jens Stoltenberg", "person"),
                ("Stoltenberg", "person"),
                ("Stoltenberg", "person"),
                ("Stoltenbergs", "person")
            ])
        );
    }

    #[test]
    fn the_full_name_again_where_its_surname_is_a_common_noun() {
        // "Reiche" is a common noun: the person rules take it after a role
        // only, and the second full name (at a line's start) is found here.
        let t = "Ministerin Katherina Reiche sprach.\nKatherina Reiche (CDU) führt. Reiche sagt:";
        assert_eq!(
            run_seq(&[&PERSONS, &SurnameRepeats], t),
            pairs(&[
                ("Katherina Reiche", "person"),
                ("Reiche", "person"),
                ("Katherina Reiche", "person"),
                ("Reiche", "person")
            ])
        );
    }

    #[test]
    fn a_capitalised_particle_stays_with_the_surname() {
        let t = "Premier Bart De Wever verlangte Garantien, sagte De Wever.";
        assert_eq!(
            run_seq(&[&PERSONS, &SurnameRepeats], t),
            pairs(&[
                ("Bart De Wever", "person"),
                ("Wever", "person"),
                ("De Wever", "person")
            ])
        );
    }

    #[test]
    fn lower_case_particles_go_with_the_surname_again() {
        let t = "Präsidentin Ursula von der Leyen warb. Das sagte von der Leyen. \
            Von der Leyens Sprecherin schwieg; Leyen ist ein Ort.";
        assert_eq!(
            run_seq(&[&PERSONS, &SurnameRepeats], t),
            pairs(&[
                ("Ursula von der Leyen", "person"),
                // (inside the full name, as "Wever" above)
                ("von der Leyen", "person"),
                ("von der Leyen", "person"),
                ("Von der Leyens", "person"),
                ("Leyen", "person")
            ])
        );
    }

    #[test]
    fn a_capitalised_particle_before_lower_case_ones() {
        let t =
            "Bundespräsident Alexander Van der Bellen sprach. Dann sagte Van der Bellen nichts.";
        let got = run_seq(
            &[
                &super::super::gazetteer::Gazetteer,
                &PERSONS,
                &SurnameRepeats,
            ],
            t,
        );
        assert!(
            got.contains(&("Van der Bellen".to_string(), "person")),
            "{got:?}"
        );
    }

    #[test]
    fn famous_surnames_alone() {
        assert_eq!(
            run(&SurnameRepeats, "Gestern widersprach Merkel."),
            pairs(&[("Merkel", "person")])
        );
        assert!(run(&SurnameRepeats, "Gestern widersprach Hollerbach.").is_empty());
    }

    #[test]
    fn a_surname_that_is_a_common_noun_is_no_person_alone() {
        // "Geduld" and "Schnee" are surnames in Wiktionary, and nouns.
        assert!(run(
            &SurnameRepeats,
            "Der Trainer lobte die Geduld seines Teams."
        )
        .is_empty());
        assert!(run(&SurnameRepeats, "Es fehlt Schnee.").is_empty());
        // Named in full before, the bare surname is the person (the
        // rule also proposes the surname inside the full name).
        let t = "Die Sängerin Mara Geduld kam. Geduld sang.";
        assert_eq!(
            run_seq(&[&PERSONS, &SurnameRepeats], t),
            pairs(&[
                ("Mara Geduld", "person"),
                ("Geduld", "person"),
                ("Geduld", "person")
            ])
        );
    }

    #[test]
    fn a_surname_beats_a_same_named_place() {
        let t = "Die Autorin Sarah Weimar las in Weimar.";
        assert_eq!(
            run_seq(&[&Gazetteer, &PERSONS, &SurnameRepeats], t),
            pairs(&[
                ("Sarah Weimar", "person"),
                ("Weimar", "person"),
                ("Weimar", "person")
            ])
        );
    }
}
