//! Definition, references and highlights (the queries of `lib.rs`).

use crate::fixture::Fixture;
use crate::{definition, highlights, references, references_in_parts};
use insta::assert_snapshot;

fn check_definition(fixture: &str) -> String {
    let f = Fixture::parse(fixture);
    match definition(&f.corpus, f.doc, f.offset) {
        Some(l) => f.location(l.doc, l.span),
        None => "none".into(),
    }
}

/// References with the declaration, then without it.
fn check_references(fixture: &str) -> String {
    let f = Fixture::parse(fixture);
    let with = references(&f.corpus, f.doc, f.offset, true);
    let without = references(&f.corpus, f.doc, f.offset, false);
    // In parts (for partial results): the first location, then the rest.
    for (declaration, all) in [(true, &with), (false, &without)] {
        let mut parts = Vec::new();
        references_in_parts(&f.corpus, f.doc, f.offset, declaration, 1, |p| {
            parts.push(p)
        });
        assert_eq!(parts.concat(), *all);
        let sizes: Vec<usize> = parts.iter().map(Vec::len).collect();
        assert!(
            sizes.len() <= 2 && sizes.first().is_none_or(|&n| n == 1),
            "{sizes:?}"
        );
    }
    if with.is_empty() {
        return "none".into();
    }
    let left_out: Vec<_> = with
        .iter()
        .filter(|l| !without.contains(l))
        .copied()
        .collect();
    format!(
        "{}declaration: {}",
        f.locations(&with),
        f.locations(&left_out).trim_end()
    )
}

fn check_highlights(fixture: &str) -> String {
    let f = Fixture::parse(fixture);
    f.marked(f.doc, &highlights(&f.corpus, f.doc, f.offset))
}

const SCHOLZ: &str = r#"
//- a.txt
Am Montag hat Bundeskanzler Olaf Scholz (SPD) in Berlin gesprochen. Scholz' Rede war kurz.
//- b.txt
Scholz reiste nach Paris. Des Kanzlers Scholz Rede in Berlin war lang.
"#;

#[test]
fn definition_of_a_last_name_is_the_first_full_name() {
    let fixture = SCHOLZ.replace("Scholz reiste", "Sch$0olz reiste");
    assert_snapshot!(check_definition(&fixture), @r#"a.txt 28..39 "Olaf Scholz""#);
}

#[test]
fn a_last_name_alone_joins_the_corpus_s_only_full_name() {
    // b.txt names no full name: "Scholz" is the corpus's one Scholz. With
    // a second one in c.txt, the article does not say which it is.
    let fixture = SCHOLZ.replace("Scholz reiste", "Sch$0olz reiste");
    let two = format!("{fixture}//- c.txt\nHeinz Scholz eröffnete die Bäckerei.\n");
    assert_snapshot!(check_definition(&fixture), @r#"a.txt 28..39 "Olaf Scholz""#);
    assert_snapshot!(check_references(&two), @r#"
        b.txt 0..6 "Scholz"
        b.txt 39..45 "Scholz"
        declaration: b.txt 0..6 "Scholz"
    "#);
}

#[test]
fn definition_of_a_genitive_with_apostrophe() {
    let fixture = SCHOLZ.replace("Scholz' Rede", "Scholz$0' Rede");
    assert_snapshot!(check_definition(&fixture), @r#"a.txt 28..39 "Olaf Scholz""#);
}

#[test]
fn definition_of_an_alias_is_the_knowledge_base_entry() {
    assert_snapshot!(check_definition(r#"
        //- a.txt
        Der ukrainische Präsident Zel$0ensky traf in Kiew Selenskyj-Berater.
        //- gazette.toml
        [[entity]]
        name = "Wolodymyr Selenskyj"
        kind = "person"
        aliases = ["Selenskyj", "Zelensky"]
        "#), @r#"gazette.toml 19..38 "Wolodymyr Selenskyj""#);
}

#[test]
fn definition_of_a_figure_is_the_first_statement_of_the_quantity() {
    assert_snapshot!(check_definition(r#"
        //- a.txt
        In Europa sind 100.000 US-Soldaten stationiert.
        //- b.txt
        Noch immer sind 100.$0000 US-Soldaten in Europa.
        "#), @r#"a.txt 15..22 "100.000""#);
}

#[test]
fn definition_on_nothing() {
    assert_snapshot!(check_definition(r#"
        Olaf Scholz sprach in Berlin mit der Pre$0sse.
        "#), @"none");
}

#[test]
fn references_of_a_person_in_every_form() {
    let fixture = SCHOLZ.replace("Scholz' Rede", "Scholz$0' Rede");
    assert_snapshot!(check_references(&fixture), @r#"
        a.txt 28..39 "Olaf Scholz"
        a.txt 68..74 "Scholz"
        b.txt 0..6 "Scholz"
        b.txt 39..45 "Scholz"
        declaration: a.txt 28..39 "Olaf Scholz"
    "#);
}

#[test]
fn references_of_a_place() {
    let fixture = SCHOLZ.replace("in Berlin war", "in Berlin$0 war");
    assert_snapshot!(check_references(&fixture), @r#"
        a.txt 49..55 "Berlin"
        b.txt 54..60 "Berlin"
        declaration: a.txt 49..55 "Berlin"
    "#);
}

#[test]
fn references_of_an_organisation_and_its_acronym() {
    assert_snapshot!(check_references(r#"
        //- a.txt
        Am Montag hob die Europäische Zentralbank (EZB) die Zinsen an. Die EZB$0 wies Kritik zurück.
        //- b.txt
        Die Europäische Zentralbank sieht das anders.
        "#), @r#"
        a.txt 18..42 "Europäische Zentralbank"
        a.txt 44..47 "EZB"
        a.txt 68..71 "EZB"
        b.txt 4..28 "Europäische Zentralbank"
        declaration: a.txt 18..42 "Europäische Zentralbank"
    "#);
}

#[test]
fn references_of_an_organisation_named_first_in_an_article() {
    assert_snapshot!(check_references(r#"
        Die Europäische Zentralbank (EZB) hob die Zinsen an. Die EZB$0 wies Kritik zurück.
        "#), @r#"
        a.txt 4..28 "Europäische Zentralbank"
        a.txt 30..33 "EZB"
        a.txt 58..61 "EZB"
        declaration: a.txt 4..28 "Europäische Zentralbank"
    "#);
}

#[test]
fn references_of_a_knowledge_base_entity_take_in_its_aliases() {
    assert_snapshot!(check_references(r#"
        //- a.txt
        Der ukrainische Präsident Zelensky traf in Kiew Selenskyj-Berater.
        //- b.txt
        Wolodymyr Selenskyj$0 sprach in Brüssel.
        //- gazette.toml
        [[entity]]
        name = "Wolodymyr Selenskyj"
        kind = "person"
        aliases = ["Selenskyj", "Zelensky"]
        "#), @r#"
        a.txt 27..35 "Zelensky"
        a.txt 49..58 "Selenskyj"
        b.txt 0..19 "Wolodymyr Selenskyj"
        gazette.toml 19..38 "Wolodymyr Selenskyj"
        gazette.toml 68..77 "Selenskyj"
        gazette.toml 81..89 "Zelensky"
        declaration: gazette.toml 19..38 "Wolodymyr Selenskyj"
    "#);
}

#[test]
fn references_of_a_figure_are_statements_of_the_same_quantity() {
    assert_snapshot!(check_references(r#"
        //- a.txt
        In Europa sind 100.000 US-Soldaten stationiert. Es sind 80.000 US-Soldaten zu wenig.
        //- b.txt
        Noch immer sind $0100.000 US-Soldaten in Europa.
        "#), @r#"
        a.txt 15..22 "100.000"
        b.txt 16..23 "100.000"
        declaration: a.txt 15..22 "100.000"
    "#);
}

#[test]
fn references_on_nothing() {
    assert_snapshot!(check_references(r#"
        Olaf Scholz sprach $0in Berlin.
        "#), @"none");
}

#[test]
fn references_of_a_genitive_whose_stem_is_a_common_noun() {
    assert_snapshot!(check_references(r#"
        Jürgen Müller$0 aus München sagte, Müllers Firma zahle viel.
        "#), @r#"
        a.txt 0..15 "Jürgen Müller"
        a.txt 36..44 "Müllers"
        declaration: a.txt 0..15 "Jürgen Müller"
    "#);
}

#[test]
fn highlights_at_an_umlaut() {
    assert_snapshot!(check_highlights(r#"
        //- a.txt
        Jürgen Müller kam nach Köln. Dort sagte Mü$0ller, die Stadt Köln sei schön.
        //- b.txt
        Jürgen Müller sprach.
        "#), @"[Jürgen Müller] kam nach Köln. Dort sagte [Müller], die Stadt Köln sei schön.");
}

#[test]
fn highlights_at_the_end_of_a_name_and_between_names() {
    assert_snapshot!(check_highlights(r#"
        Angela Merkel traf Emmanuel Macron. Merkel$0 und Macron sprachen.
        "#), @"[Angela Merkel] traf Emmanuel Macron. [Merkel] und Macron sprachen.");
    assert_snapshot!(check_highlights(r#"
        Angela Merkel traf Emmanuel Macron. Merkel und $0Macron sprachen.
        "#), @"Angela Merkel traf [Emmanuel Macron]. Merkel und [Macron] sprachen.");
    assert_snapshot!(check_highlights(r#"
        Angela Merkel traf Emmanuel Macron. Merkel $0und Macron sprachen.
        "#), @"");
}

#[test]
fn highlights_inside_a_character_are_those_of_its_name() {
    // An offset inside "ü" (no position an editor sends, but a byte offset
    // a stale client could): the name around it, not a panic.
    let f = Fixture::parse("Jürgen Müller kam. Dann ging Mü$0ller.");
    let inside = f.offset - 1;
    assert!(!f.cursor_text().is_char_boundary(inside));
    assert_snapshot!(f.marked(f.doc, &highlights(&f.corpus, f.doc, inside)), @"[Jürgen Müller] kam. Dann ging [Müller].");
}

#[test]
fn context_lines_keep_half_the_width_on_each_side_at_word_boundaries() {
    use crate::context_line;
    use gazette_core::model::Span;
    let span_of = |t: &str, w: &str| {
        let s = t.find(w).unwrap();
        Span::new(s, s + w.len())
    };
    // A short line is shown whole.
    let t = "Erste Zeile.\nDie Kanzlerin Angela Merkel reiste ab.\nLetzte.";
    assert_snapshot!(
        context_line(t, span_of(t, "Merkel"), 100),
        @"Die Kanzlerin Angela **Merkel** reiste ab."
    );
    // A paragraph on one line: cut about 10 characters (umlauts count
    // once) on each side, at a space, with ellipses.
    let t = "Vor über zwölf Jahren hörte Müller von Öztürk, dass Schäfer kam und später ging.";
    assert_snapshot!(
        context_line(t, span_of(t, "Öztürk"), 20),
        @"…von **Öztürk**, dass…"
    );
    // Exactly `half` characters before: no cut.
    let t = "ab cd efgh Name ij";
    assert_snapshot!(context_line(t, span_of(t, "Name"), 22), @"ab cd efgh **Name** ij");
}
