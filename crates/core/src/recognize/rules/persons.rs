//! Person names from first names: first name(s), initials and surname(s)
//! ("Angela Merkel", "Antony J. Blinken", "Richard von Weizsäcker"), a first
//! name with an initial or a regnal number ("Claudia B.", "Elisabeth II."),
//! a bare first name ("sagte Laura"); and initial + surname ("H. Dietz").
//! Two sub-rules of the persons scan (see `rules/mod.rs`): the first-name
//! rule runs first there, the initial rule after the street names.

use super::{Context, TokenRule};
use crate::model::{EntityKind, Source};
use crate::recognize::lexicon::{cand, join, noun_suffix, single_word};
use crate::recognize::Cand;
use crate::text::words::Words;

static NAME_PARTICLES: Words = Words::new(&[
    "von", "van", "de", "da", "di", "del", "al", "bin", "ibn", "zu", "dos", "du", "ter",
]);

/// Particles written with a capital in Belgian, Dutch, French and Italian
/// names, right after the given name ("Bart De Wever", "Marine Le Pen").
/// A surname with the Arabic article glued to it: "al-Hakim", "el-Masri",
/// "asch-Schaibani".
fn arabic_article(w: &str) -> bool {
    [
        "al-", "el-", "as-", "asch-", "ad-", "ar-", "at-", "az-", "an-",
    ]
    .iter()
    .any(|p| {
        w.strip_prefix(p)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_uppercase)
            && w.chars().count() >= p.len() + 3
    })
}

pub(super) const CAP_PARTICLES: &[&str] =
    &["De", "Van", "Di", "Da", "Del", "Le", "La", "Du", "Dos"];

/// First name(s) [initials] surname(s), or a first name alone.
pub(super) struct FirstNames;

impl TokenRule for FirstNames {
    fn name(&self) -> &'static str {
        "first-names"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        let t = &toks[i];
        let ambiguous_first = || {
            r.d.ambiguous_first_names.contains(t.text)
                // "sein Enkel Michael": a kinship word, not a given name
                && r.role_of(t.text).is_none()
                && toks.get(i + 1).is_some_and(|n| {
                    n.cap
                        && !n.caps
                        && !n.line_start
                        && n.text.chars().nth(1).is_some()
                        && !r.is_stop(n.text)
                        && !r.is_common(n.text)
                        && !noun_suffix(n.text)
                        && r.role_of(n.text).is_none()
                        && single_word(&r.d.names, n.text).is_none()
                })
        };
        if (r.is_first_name(t.text) || ambiguous_first()) && !r.is_stop(t.text) {
            // A first name and a name after it: a further given name, or after
            // a surname the next person ("Sven Flohr Sven Flohr").
            let first_and_name = |k: usize| {
                r.is_first_name(toks[k].text)
                    && toks.get(k + 1).is_some_and(|n| n.cap && !n.line_start)
            };
            // "Johann Wolfgang von Goethe": a given name before a particle
            // ("Thomas Hermann von der Polizei" keeps its surname)
            let particle_name = |n: usize| {
                let at = |k: usize| toks.get(k).map_or("", |t| t.text);
                let sur = n + 1 + usize::from(matches!(at(n + 1), "der" | "den" | "dem"));
                sur < toks.len()
                    && NAME_PARTICLES.contains(at(n))
                    && toks[n..=sur].iter().all(|t| !t.line_start)
                    && toks[sur].cap
                    && r.surname_ok(toks, sur)
                    && !r.is_common(toks[sur].text)
            };
            let mut j = i + 1;
            // further given names and initials
            loop {
                if j < toks.len()
                    && !toks[j].line_start
                    && (first_and_name(j) || r.is_first_name(toks[j].text) && particle_name(j + 1))
                {
                    j += 1;
                } else if j + 1 < toks.len()
                    && is_initial(toks[j].text)
                    && toks[j + 1].text == "."
                    && toks[j + 1].start == toks[j].end
                    && !toks[j].line_start
                {
                    j += 2;
                } else if j + 1 < toks.len()
                    && is_roman(toks[j].text)
                    && toks[j + 1].text == "."
                    && toks[j + 1].start == toks[j].end
                    && !toks[j].line_start
                {
                    j += 2; // "Elisabeth II."
                    break;
                } else {
                    break;
                }
            }
            let sur_start = j;
            let mut k = j;
            let mut words = 0;
            loop {
                // "Ursula von der Leyen": particles before the surname, and
                // between two Spanish or Portuguese surnames ("Javier Pérez
                // de Cuéllar").
                let vdl = |k: usize| {
                    k > sur_start
                        && matches!(toks[k - 1].text, "von" | "van")
                        && matches!(toks[k].text, "der" | "den" | "dem")
                };
                // "Ludwig Mies van der Rohe": "van der" after a surname
                // ("von der" there is a preposition: "Müller von der Polizei").
                let mid_vdl = |k: usize| {
                    vdl(k) && toks[k - 1].text == "van"
                        || toks[k].text == "van"
                            && toks.get(k + 1).is_some_and(|n| {
                                matches!(n.text, "der" | "den" | "dem") && !n.line_start
                            })
                };
                if words == 0
                    && k == sur_start
                    && CAP_PARTICLES.contains(&toks.get(k).map_or("", |t| t.text))
                    && !toks[k].line_start
                    && toks
                        .get(k + 1)
                        .is_some_and(|n| n.cap && !n.caps && !n.line_start && !r.is_stop(n.text))
                {
                    k += 1;
                    continue;
                }
                if (words == 0
                    || words == 1
                        && k < toks.len()
                        && (matches!(toks[k].text, "de" | "del" | "y" | "dos" | "da")
                            || mid_vdl(k)))
                    && k < toks.len()
                    && !toks[k].line_start
                    && (NAME_PARTICLES.contains(toks[k].text) || vdl(k))
                    && toks.get(k + 1).is_some_and(|n| {
                        n.cap && !n.line_start || NAME_PARTICLES.contains(n.text) || vdl(k + 1)
                    })
                {
                    k += 1;
                    continue;
                }
                // "Ahmed al-Hakim", "Ali el-Masri": the Arabic article
                // glued to the surname.
                if k < toks.len() && !toks[k].line_start && arabic_article(toks[k].text) {
                    k += 1;
                    words += 1;
                    if words >= 2 {
                        break;
                    }
                    continue;
                }
                if k < toks.len()
                    && !toks[k].line_start
                    && r.surname_ok(toks, k)
                    && (words == 0
                        // after "van der" any surname ("Mies van der Rohe")
                        || vdl(k - 1)
                        || single_word(&r.d.names, toks[k].text).is_none()
                            && !first_and_name(k)
                            && !r.is_common(toks[k].text)
                            && !r.compound_of_common(toks[k].text))
                {
                    k += 1;
                    words += 1;
                    // at most two surname words
                    if words >= 2 {
                        break;
                    }
                    continue;
                }
                break;
            }
            while k > sur_start
                && (!toks[k - 1].cap && !arabic_article(toks[k - 1].text)
                    || CAP_PARTICLES.contains(&toks[k - 1].text))
            {
                k -= 1; // trailing particle
            }
            if k == sur_start && sur_start > i + 1 && toks[sur_start - 1].text == "." {
                // "Claudia B.", "Elisabeth II."
                let norm = join(toks, i, sur_start);
                out.push(cand(
                    toks,
                    i,
                    sur_start,
                    EntityKind::Person,
                    norm,
                    Source::Rule,
                ));
                return Some(sur_start);
            }
            if k == sur_start
                && sur_start == i + 1
                && !t.initial
                && r.d.bare_first_names.contains(t.text)
                && !r.is_common(t.text)
                && single_word(&r.d.names, t.text).is_none()
                && !toks.get(k).is_some_and(|n| n.cap && !n.line_start)
                && !(i > 0 && toks[i - 1].cap && !t.line_start)
            {
                // a bare first name ("sagte Laura")
                let role = r.role_at(toks, i).map(|ri| r.role_text(toks, ri));
                out.push(Cand {
                    rule: "",
                    role,
                    ..cand(
                        toks,
                        i,
                        k,
                        EntityKind::Person,
                        t.text.to_string(),
                        Source::Rule,
                    )
                });
                return Some(k);
            }
            if k > sur_start {
                let role = r.role_at(toks, i).map(|ri| r.role_text(toks, ri));
                let norm = r.person_norm(toks, i, k);
                out.push(Cand {
                    rule: "",
                    role,
                    ..cand(toks, i, k, EntityKind::Person, norm, Source::Rule)
                });
                return Some(k);
            }
        }
        None
    }
}

/// Initial + surname: "H. Dietz".
pub(super) struct Initials;

impl TokenRule for Initials {
    fn name(&self) -> &'static str {
        "initials"
    }

    fn at(&self, cx: &Context<'_>, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (r, toks) = (cx.r, cx.toks);
        // One initial or several ("K. O. Götz", "J. R. R. Tolkien").
        let initial_at = |j: usize| {
            toks.get(j).is_some_and(|t| is_initial(t.text))
                && toks
                    .get(j + 1)
                    .is_some_and(|d| d.text == "." && d.start == toks[j].end)
        };
        // "U.S.": a letter right after a dot starts no initials
        if i > 0 && toks[i - 1].text == "." && toks[i - 1].end == toks[i].start {
            return None;
        }
        let mut s = i;
        // Spaced, never an abbreviation ("U.S. Antitrust").
        let spaced = |j: usize| j == i || !toks[j].line_start && toks[j].start > toks[j - 1].end;
        while s - i < 6 && initial_at(s) && spaced(s) {
            s += 2;
        }
        if s > i
            && toks.get(s).is_some_and(|n| {
                !n.line_start && !r.is_common(n.text) && single_word(&r.d.names, n.text).is_none()
            })
            && r.surname_ok(toks, s)
        {
            let norm = r.person_norm(toks, i, s + 1);
            out.push(cand(toks, i, s + 1, EntityKind::Person, norm, Source::Rule));
            return Some(s + 1);
        }
        None
    }
}

fn is_roman(w: &str) -> bool {
    matches!(
        w,
        "I" | "II"
            | "III"
            | "IV"
            | "V"
            | "VI"
            | "VII"
            | "VIII"
            | "IX"
            | "X"
            | "XI"
            | "XII"
            | "XIII"
            | "XIV"
            | "XV"
            | "XVI"
    )
}

fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next()), (Some(x), None) if x.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{norms_in, pairs, run_in};
    use super::super::PERSONS;
    use super::*;

    #[test]
    fn a_common_word_as_surname_after_a_role_and_a_first_name() {
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Dazu äußerte sich Bundeswirtschaftsministerin Katherina Reiche gestern."
            ),
            pairs(&[("Katherina Reiche", "person")])
        );
    }

    #[test]
    fn a_kinship_word_is_no_given_name() {
        // "Enkel" is also a given name; before a name it is the relation.
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Sein Enkel Michael Hoffmann führt die Firma."
            ),
            pairs(&[("Michael Hoffmann", "person")])
        );
    }

    #[test]
    fn first_name_and_surname() {
        let t = "Gestern sprach Angela Merkel mit Antony J. Blinken über Richard von Weizsäcker.";
        assert_eq!(
            run_in(&PERSONS, &FirstNames, t),
            pairs(&[
                ("Angela Merkel", "person"),
                ("Antony J. Blinken", "person"),
                ("Richard von Weizsäcker", "person")
            ])
        );
        // two given names before a particle
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Briefe von Johann Wolfgang von Goethe und Heinrich Gottlob von Miltitz. \
                 Es sprach Thomas Hermann von der Polizei."
            ),
            pairs(&[
                ("Johann Wolfgang von Goethe", "person"),
                ("Heinrich Gottlob von Miltitz", "person"),
                ("Thomas Hermann", "person")
            ])
        );
        // a genitive -s goes when a noun follows
        assert_eq!(
            norms_in(&PERSONS, &FirstNames, "Das ist Angela Merkels Erbe."),
            [("Angela Merkels".to_string(), "Angela Merkel".to_string())]
        );
    }

    #[test]
    fn first_name_with_initial_or_regnal_number_and_bare() {
        let t = "Dann traf Königin Elisabeth II. die Klägerin Claudia B., sagte Laura.";
        assert_eq!(
            run_in(&PERSONS, &FirstNames, t),
            pairs(&[
                ("Elisabeth II.", "person"),
                ("Claudia B.", "person"),
                ("Laura", "person")
            ])
        );
    }

    #[test]
    fn ambiguous_first_names_need_a_clear_surname() {
        assert_eq!(
            run_in(&PERSONS, &FirstNames, "Der Trainer Ernst Happel kam."),
            pairs(&[("Ernst Happel", "person")])
        );
        assert!(run_in(&PERSONS, &FirstNames, "Im August Regen und Ernst Leben.").is_empty());
    }

    #[test]
    fn initial_and_surname() {
        assert_eq!(
            run_in(
                &PERSONS,
                &Initials,
                "Laut H. Dietz und S. Seibert stimmt das."
            ),
            pairs(&[("H. Dietz", "person"), ("S. Seibert", "person")])
        );
        // not an initial: a known place after it
        assert!(run_in(&PERSONS, &Initials, "Er wohnt in A. Berlin nicht.").is_empty());
        // several initials, spaced; an abbreviation is none
        assert_eq!(
            run_in(
                &PERSONS,
                &Initials,
                "Bilder von K. O. Götz und J. R. R. Tolkien."
            ),
            pairs(&[("K. O. Götz", "person"), ("J. R. R. Tolkien", "person")])
        );
        assert!(run_in(&PERSONS, &Initials, "Die U.S. Antitrust Division klagt.").is_empty());
        // an adverb after a line's letter: "S U. Derzeit Fahrt unterbrochen"
        assert!(run_in(
            &PERSONS,
            &Initials,
            "Floridsdorf S U. Derzeit Fahrt unterbrochen."
        )
        .is_empty());
    }

    #[test]
    fn an_arabic_article_glued_to_the_surname() {
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Sprecher Ahmed al-Hakim sagte, Ali el-Masri schwieg, Omar al-Sharif lachte."
            ),
            pairs(&[
                ("Ahmed al-Hakim", "person"),
                ("Ali el-Masri", "person"),
                ("Omar al-Sharif", "person")
            ])
        );
        // "al-" alone is no surname.
        let got = run_in(&PERSONS, &FirstNames, "Dann kam Ahmed al- und ging.");
        assert!(got.iter().all(|(s, _)| !s.contains("al")), "{got:?}");
    }

    #[test]
    fn a_surname_with_particles_after_a_surname_word() {
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Der Bau von Ludwig Mies van der Rohe wurde saniert."
            ),
            pairs(&[("Ludwig Mies van der Rohe", "person")])
        );
        // "von der" and an institution after a full name stay outside
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Es sprach Thomas Müller von der Polizei."
            ),
            pairs(&[("Thomas Müller", "person")])
        );
    }

    #[test]
    fn a_first_name_after_the_surname_starts_the_next_name() {
        assert_eq!(
            run_in(&PERSONS, &FirstNames, "Von Sven Flohr Sven Flohr Biografie"),
            pairs(&[("Sven Flohr", "person"), ("Sven Flohr", "person")])
        );
    }

    #[test]
    fn a_short_surname_that_ends_like_a_noun() {
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Oberbürgermeister Burkhard Jung scheitert vorerst."
            ),
            pairs(&[("Burkhard Jung", "person")])
        );
    }

    #[test]
    fn a_common_compound_or_an_english_pronoun_is_no_surname() {
        // "Trennungssong": a noun joined by a linking "s", after a genitive
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Nach dem Erfolg von Justin Biebers Trennungssong gibt es mehr."
            ),
            pairs(&[("Justin Biebers", "person")])
        );
        // a song title, not "Love" + "Yourself"
        assert!(run_in(&PERSONS, &FirstNames, "Sie singen Love Yourself vor.").is_empty());
    }

    #[test]
    fn a_capitalised_particle_after_the_given_name() {
        // (a particle with no surname after it makes no name: "Anna De.")
        assert_eq!(
            run_in(
                &PERSONS,
                &FirstNames,
                "Der Premier Bart De Wever und Marine Le Pen trafen Anna De."
            ),
            pairs(&[("Bart De Wever", "person"), ("Marine Le Pen", "person")])
        );
    }
}
