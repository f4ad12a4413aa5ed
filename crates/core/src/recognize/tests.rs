use super::*;
use crate::text::tokenize::tokenize;

fn run(text: &str) -> Vec<FoundName> {
    run_with(text, &Overrides::default())
}

fn run_with(text: &str, o: &Overrides) -> Vec<FoundName> {
    Recognizer::global().recognize(text, &tokenize(text), &[], o)
}

/// (surface, kind, normalised name) of every mention the recognizer finds.
pub(super) fn show(text: &str) -> Vec<(String, &'static str, String)> {
    run(text)
        .into_iter()
        .map(|m| {
            (
                text[m.span.range()].to_string(),
                m.kind.as_str(),
                m.norm.to_string(),
            )
        })
        .collect()
}

fn find<'a>(ms: &'a [FoundName], text: &str, surface: &str) -> Option<&'a FoundName> {
    ms.iter().find(|m| &text[m.span.range()] == surface)
}

#[test]
fn genitive_norm() {
    let t = "Die Forderungen Moskaus und Putins Forderung nach Sicherheit. Präsident Putin sprach über Russlands Rolle.";
    let ms = run(t);
    let putins = find(&ms, t, "Putins").expect("Putins");
    assert_eq!(putins.norm, "Putin");
    assert_eq!(putins.kind, EntityKind::Person);
    assert_eq!(find(&ms, t, "Russlands").unwrap().norm, "Russland");
    assert_eq!(find(&ms, t, "Moskaus").unwrap().norm, "Moskau");
    let t2 = "Er flog nach Paris. Die Agentur Reuters berichtete.";
    let ms2 = run(t2);
    assert_eq!(find(&ms2, t2, "Paris").unwrap().norm, "Paris");
    assert_eq!(find(&ms2, t2, "Reuters").unwrap().norm, "Reuters");
}

#[test]
fn adjective_inflection_in_names() {
    let t = "Die Staats- und Regierungschefs der Europäischen Union und der Vereinten Nationen trafen sich.";
    let ms = run(t);
    let eu = find(&ms, t, "Europäischen Union").expect("EU span");
    assert_eq!(eu.norm, "Europäische Union");
    assert_eq!(eu.kind, EntityKind::Org);
    assert_eq!(
        find(&ms, t, "Vereinten Nationen").unwrap().norm,
        "Vereinte Nationen"
    );
    let t2 = "Er sprach mit den Vereinigten Staaten.";
    assert_eq!(
        find(&run(t2), t2, "Vereinigten Staaten").unwrap().kind,
        EntityKind::Place
    );
}

#[test]
fn hyphen_compound_heads() {
    let t = "Weitere NATO-Truppen und US-Soldaten kamen wegen des Ukraine-Krieg an.";
    let got = show(t);
    assert!(
        got.contains(&("NATO".into(), "org", "NATO".into())),
        "{got:?}"
    );
    assert!(
        got.iter().any(|(s, k, _)| s == "US" && *k == "place"),
        "{got:?}"
    );
    assert!(
        got.iter().any(|(s, k, _)| s == "Ukraine" && *k == "place"),
        "{got:?}"
    );
    assert!(!got
        .iter()
        .any(|(s, _, _)| s.contains("Truppen") || s.contains("Soldaten")));
}

/// A newspaper named by its region and a newspaper word is the newspaper,
/// not the region heading a compound.
#[test]
fn a_place_s_newspaper_in_one_hyphened_word() {
    let got = show("Der Weserbergland-Kurier und die Nordsee-Zeitung berichten.");
    assert_eq!(
        got,
        [
            (
                "Weserbergland-Kurier".into(),
                "org",
                "Weserbergland-Kurier".into()
            ),
            ("Nordsee-Zeitung".into(), "org", "Nordsee-Zeitung".into())
        ]
    );
}

#[test]
fn dateline() {
    let t = "NATO verspricht Reaktion\n\nBRÜSSEL – NATO-Außenminister trafen sich am Freitag.";
    let ms = run(t);
    let b = find(&ms, t, "BRÜSSEL").expect("dateline");
    assert_eq!(b.kind, EntityKind::Place);
    assert_eq!(b.norm, "Brüssel");
    // unknown town in a dateline still counts
    let t2 = "KLEINDORFHAUSEN – Der Bürgermeister sprach.";
    assert_eq!(
        find(&run(t2), t2, "KLEINDORFHAUSEN").unwrap().norm,
        "Kleindorfhausen"
    );
}

#[test]
fn photo_credit() {
    let t = "Jens Stoltenberg in Brüssel.\nReuters/Johanna Geron\n";
    let ms = run(t);
    assert_eq!(find(&ms, t, "Reuters").unwrap().kind, EntityKind::Org);
    assert_eq!(
        find(&ms, t, "Johanna Geron").unwrap().kind,
        EntityKind::Person
    );
    let t2 = "Bild: Picturedesk/Max Muster";
    let ms2 = run(t2);
    assert_eq!(find(&ms2, t2, "Picturedesk").unwrap().kind, EntityKind::Org);
    assert_eq!(
        find(&ms2, t2, "Max Muster").unwrap().kind,
        EntityKind::Person
    );
}

#[test]
fn middle_initial_and_roles() {
    let t = "Eine Gelegenheit für Außenminister Antony J. Blinken, sich zu beraten.";
    let ms = run(t);
    let b = find(&ms, t, "Antony J. Blinken").expect("full name");
    assert_eq!(b.norm, "Antony J. Blinken");
    assert_eq!(b.role.as_deref(), Some("Außenminister"));
    let t2 = "Nach dem Treffen warnte NATO-Generalsekretär Jens Stoltenberg vor Russland.";
    let ms2 = run(t2);
    let s = find(&ms2, t2, "Jens Stoltenberg").unwrap();
    assert_eq!(s.role.as_deref(), Some("NATO-Generalsekretär"));
    assert_eq!(find(&ms2, t2, "NATO").unwrap().kind, EntityKind::Org);
    let t3 = "Das sagte der russische Präsident Wladimir Putin am Montag.";
    let p = run(t3)
        .into_iter()
        .find(|m| m.kind == EntityKind::Person)
        .unwrap();
    assert_eq!(&t3[p.span.range()], "Wladimir Putin");
    assert_eq!(p.role.as_deref(), Some("russischer Präsident"));
    let t4 = "Das sagte Präsident Biden in Washington.";
    let p = find(&run(t4), t4, "Biden").cloned().unwrap();
    assert_eq!(
        (p.kind, p.role.as_deref()),
        (EntityKind::Person, Some("Präsident"))
    );
}

#[test]
fn surname_repeats() {
    let t = "Stoltenberg warnte. Später sagte Jens Stoltenberg, Stoltenbergs Plan stehe.";
    let ms = run(t);
    let people: Vec<&str> = ms
        .iter()
        .filter(|m| m.kind == EntityKind::Person)
        .map(|m| m.norm.as_str())
        .collect();
    assert_eq!(
        people,
        vec!["Stoltenberg", "Jens Stoltenberg", "Stoltenberg"]
    );
}

#[test]
fn urls_are_never_mentions() {
    let t =
        "Siehe https://www.reuters.com/world/blinken-arrives-berlin-ukraine-talks mit Russland.";
    let ms = run(t);
    assert_eq!(ms.len(), 1, "{:?}", show(t));
    assert_eq!(&t[ms[0].span.range()], "Russland");
}

#[test]
fn derived_adjectives_and_common_nouns_are_not_names() {
    let t = "Die russische Aggression und belarusischer Druck trafen ukrainischen Widerstand. \
             Russische Truppen und US-amerikanische Soldaten. Krieg herrscht. Die Soldaten kamen.";
    let got = show(t);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn acronyms_and_orgs() {
    let t = "Die OSZE, die ARD und der WDR berichten. Kapitel IV und 5 KM. Die Siemens AG und Friends of Europe.";
    let got = show(t);
    for s in ["OSZE", "ARD", "WDR", "Siemens AG", "Friends of Europe"] {
        assert!(
            got.iter().any(|(x, k, _)| x == s && *k == "org"),
            "{s}: {got:?}"
        );
    }
    assert!(
        !got.iter().any(|(x, _, _)| x == "IV" || x == "KM"),
        "{got:?}"
    );
    let t2 = "Die USA und die Nato.";
    let got2 = show(t2);
    assert!(
        got2.contains(&("USA".into(), "place", "USA".into())),
        "{got2:?}"
    );
    assert!(
        got2.contains(&("Nato".into(), "org", "Nato".into())),
        "{got2:?}"
    );
    // shouted headlines are not acronym soup
    let t3 = "EINST 'AUS DEM GESCHÄFT', 'HIRNTOT'\nDer Text.";
    assert!(show(t3).is_empty(), "{:?}", show(t3));
}

#[test]
fn overrides_alias_and_ignore() {
    let t = "Der Kremlchef Wowa sprach mit Jens Stoltenberg über die NATO.";
    let o = Overrides::new(
        vec![OverrideName {
            surface: "Wowa".into(),
            kind: EntityKind::Person,
            canonical: "Wladimir Putin".into(),
        }],
        vec!["NATO".into()],
    );
    let ms = run_with(t, &o);
    let w = find(&ms, t, "Wowa").expect("override name");
    assert_eq!(
        (w.norm.as_str(), w.source),
        ("Wladimir Putin", Source::KnowledgeBase)
    );
    assert!(find(&ms, t, "NATO").is_none());
    assert!(find(&ms, t, "Jens Stoltenberg").is_some());
}

#[test]
fn proposals_are_filtered() {
    // (no type noun before "Zolvaro": "die Firma Zolvaro" is the type-cues
    // rule's; an invented name, which no gazetteer knows)
    let t = "Krieg ist schlimm. Auch Zolvaro wächst.";
    let tk = tokenize(t);
    let idx = |s: &str| tk.tokens.iter().position(|x| x.text(t) == s).unwrap();
    let props = vec![
        Proposal {
            tokens: idx("Krieg")..idx("Krieg") + 1,
            kind: EntityKind::Org,
            score: 0.9,
        },
        Proposal {
            tokens: idx("Zolvaro")..idx("Zolvaro") + 1,
            kind: EntityKind::Org,
            score: 0.9,
        },
    ];
    let ms = Recognizer::global().recognize(t, &tk, &props, &Overrides::default());
    let got: Vec<&str> = ms.iter().map(|m| &t[m.span.range()]).collect();
    assert_eq!(got, vec!["Zolvaro"]);
    assert_eq!(ms[0].source, Source::Tagger);
}

#[test]
fn output_sorted_and_disjoint() {
    let t = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../seeds/001_aa9fb3416deedb31.txt"
    ))
    .unwrap();
    let ms = run(&t);
    assert!(ms.len() > 20);
    for w in ms.windows(2) {
        assert!(w[0].span.end <= w[1].span.start);
    }
}

#[test]
fn pattern_orgs_and_streets() {
    let t = "Das berichtete die Berliner Zeitung. Er studierte an der Universität Gießen und wohnt in der Schwanitzstraße. Der FC Bayern München siegte.";
    let got = show(t);
    for (s, k) in [
        ("Berliner Zeitung", "org"),
        ("Universität Gießen", "org"),
        ("Schwanitzstraße", "place"),
        ("FC Bayern München", "org"),
    ] {
        assert!(
            got.iter().any(|(x, kk, _)| x == s && *kk == k),
            "{s}: {got:?}"
        );
    }
    // a common compound is not a street name
    let got = show("Die Bundesstraße und die Hauptstraße waren nass.");
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn never_panics_and_spans_on_char_boundaries() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../seeds/004_5dd8000065fe1fc0.txt"
    ))
    .unwrap();
    let mut cuts: Vec<usize> = (0..seed.len())
        .step_by(97)
        .filter(|&i| seed.is_char_boundary(i))
        .collect();
    cuts.push(seed.len());
    for w in cuts.windows(2) {
        let t = &seed[w[0]..w[1]];
        for m in run(t) {
            assert!(
                t.is_char_boundary(m.span.start as usize)
                    && t.is_char_boundary(m.span.end as usize)
            );
        }
    }
    for t in [
        "",
        "-",
        "A-",
        "NATO-",
        "-NATO",
        "Herr",
        "Präsident",
        "J.",
        "Jens",
        "FC",
        "1. FC",
        "of",
        "Bild:",
        "Reuters/",
        "BRÜSSEL",
        "BRÜSSEL –",
        "Ä-Ö-Ü",
        "s",
        "Xs",
    ] {
        let _ = run(t);
    }
}

#[test]
fn unseen_news_paragraph() {
    let t = "BERLIN (dpa) – Bundeskanzlerin Angela Merkel hat am Dienstag in Berlin mit dem französischen Präsidenten Emmanuel Macron über die Lage in der Ostukraine gesprochen. \
Wie Regierungssprecher Steffen Seibert mitteilte, ging es auch um die Gaspipeline Nord Stream 2. \
Die Grünen-Vorsitzende Annalena Baerbock kritisierte die Pläne. Außenminister Heiko Maas reist nach Kiew.\n\
Foto: picture alliance/dpa | Kay Nietfeld\n\
Die Deutsche Bank AG meldete Gewinne. Laut Statistischem Bundesamt stieg die Inflation. \
Im Stadtteil Neukölln protestierten Anwohner. Frank-Walter Steinmeier besuchte Hamburg und München. \
Der Chef der Weltgesundheitsorganisation, Tedros Adhanom Ghebreyesus, warnte. Die Bundeswehr und das THW halfen in Ahrweiler. \
Sicherlich wird Ende Mai entschieden. Kanzler Scholz und CDU-Chef Friedrich Merz stritten im Bundestag.";
    let got: Vec<String> = show(t)
        .into_iter()
        .map(|(s, k, _)| format!("{s}/{k}"))
        .collect();
    let want = "BERLIN/place dpa/org Angela Merkel/person Berlin/place Emmanuel Macron/person \
        Ostukraine/place Steffen Seibert/person Nord Stream 2/org Annalena Baerbock/person Heiko Maas/person \
        Kiew/place picture alliance/org dpa/org Kay Nietfeld/person Deutsche Bank AG/org \
        Statistischem Bundesamt/org Neukölln/place Frank-Walter Steinmeier/person Hamburg/place \
        München/place Weltgesundheitsorganisation/org Tedros Adhanom Ghebreyesus/person Bundeswehr/org THW/org Ahrweiler/place \
        Scholz/person CDU/org Friedrich Merz/person Bundestag/org";
    assert_eq!(
        got.join(" "),
        want.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let ms = run(t);
    assert_eq!(find(&ms, t, "BERLIN").unwrap().norm, "Berlin");
    assert_eq!(
        find(&ms, t, "Statistischem Bundesamt").unwrap().norm,
        "Statistisches Bundesamt"
    );
    assert_eq!(
        find(&ms, t, "Scholz").unwrap().role.as_deref(),
        Some("Kanzler")
    );
}

#[test]
fn initials_regnal_numbers_and_ambiguous_first_names() {
    let t = "Laut H. Dietz traf Königin Elisabeth II. den Trainer Ernst Happel, und Claudia B. klagte. Im August Regen.";
    let got = show(t);
    for s in ["H. Dietz", "Elisabeth II.", "Ernst Happel", "Claudia B."] {
        assert!(
            got.iter().any(|(x, k, _)| x == s && *k == "person"),
            "{s}: {got:?}"
        );
    }
    assert!(!got.iter().any(|(x, _, _)| x.contains("August")), "{got:?}");
}

#[test]
fn famous_surnames_without_context() {
    let t = "Gestern widersprach Merkel, und Selenskyjs Appell verhallte.";
    let ms = run(t);
    assert!(find(&ms, t, "Merkel").is_some(), "{:?}", show(t));
    assert_eq!(find(&ms, t, "Merkel").unwrap().kind, EntityKind::Person);
    assert_eq!(find(&ms, t, "Selenskyjs").unwrap().norm, "Selenskyj");
}

#[test]
fn swiss_spelling_finds_names_written_with_sharp_s() {
    // The same name as the spelling with ß, whatever that is named
    // ("Großbritannien" is the Vereinigtes Königreich).
    let t = "Grossbritannien und Weissrussland streiten, in Strassburg tagt der Rat.";
    let got = show(t);
    let sharp = show("Großbritannien und Weißrussland streiten, in Straßburg tagt der Rat.");
    assert_eq!((got.len(), sharp.len()), (3, 3), "{got:?} {sharp:?}");
    for ((x, k, n), (_, _, m)) in got.iter().zip(&sharp) {
        assert!(*k == "place" && n == m, "{x}: {got:?} {sharp:?}");
    }
    assert_eq!(got[2].2, "Straßburg");
}

#[test]
fn districts_named_after_a_listed_place_are_found_whole() {
    // The gazetteer's "Main" and "Ilm" head the compounds; the district
    // is the whole word.
    let t = "Im Ilm-Kreis und im Main-Taunus-Kreis regnet es, am Main nicht.";
    let got: Vec<(String, &str)> = show(t).into_iter().map(|(s, k, _)| (s, k)).collect();
    assert_eq!(
        got,
        [
            ("Ilm-Kreis".to_string(), "place"),
            ("Main-Taunus-Kreis".to_string(), "place"),
            ("Main".to_string(), "place")
        ]
    );
}
