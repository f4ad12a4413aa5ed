use super::*;
use crate::text::tokenize::tokenize;

/// (span text, value, category, unit, quantity_key, topic_key)
type Row = (
    String,
    String,
    &'static str,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn figs(text: &str) -> Vec<Row> {
    let tk = tokenize(text);
    find_figures(text, &tk)
        .into_iter()
        .map(|f| {
            (
                text[f.span().range()].to_string(),
                f.value.to_string(),
                f.category.as_str(),
                f.unit.map(|s| s.to_string()),
                f.quantity_key.map(|s| s.to_string()),
                f.topic_key.map(|s| s.to_string()),
            )
        })
        .collect()
}

fn one(text: &str) -> Row {
    let v = figs(text);
    assert_eq!(v.len(), 1, "{text}: {v:?}");
    v.into_iter().next().unwrap()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn cardinals_in_german_notation() {
    let r = one("Die NATO hat 100.000 Soldaten in Europa.");
    assert_eq!(r.0, "100.000");
    assert_eq!(r.1, "100000");
    assert_eq!(r.2, "count");
    assert_eq!(r.3, s("Soldat"));
    assert_eq!(r.4, s("count:100000:soldat"));
    let r = one("eine Speerspitze von 5.000 Soldaten");
    assert_eq!(
        (r.1.as_str(), r.4.clone()),
        ("5000", s("count:5000:soldat"))
    );
    assert_eq!(one("ein Plus von 2,5 Punkten").1, "2.5");
    assert_eq!(one("Frankreich verlegt etwa 3000 Soldaten").1, "3000");
    assert_eq!(one("Kosten von 1.234,56 Metern").1, "1234.56");
    assert_eq!(one("die 100 000 Einwohner").1, "100000");
}

#[test]
fn swiss_thousands_separators() {
    let r = one("bis zu 100'000 Verbindungen");
    assert_eq!((r.0.as_str(), r.1.as_str()), ("100'000", "100000"));
    assert_eq!(r.3, s("Verbindung"));
    assert_eq!(one("die ersten 10’000 Chips").1, "10000");
    assert_eq!(one("CHF 2'500'000 Umsatz").1, "2500000");
    // An apostrophe after a number is no separator: "die 90's".
    assert_eq!(one("die 90'er Jahre").1, "90");
}

#[test]
fn no_clock_reads_24_15() {
    assert_eq!(one("Paderborn: 24:15 Tore").2, "score");
    assert_eq!(one("Schluss um 24:00 Uhr").2, "time");
}

#[test]
fn same_quantity_meets() {
    let a = one("100.000 Soldaten in Europa");
    let b = one("Darunter seien 100.000 US-Soldaten in Europa");
    assert_eq!(a.4, b.4);
    assert_eq!(b.3, s("Soldat"));
    assert_eq!(b.5, s("count:soldat@usa"));
    let p1 = one("das Ziel, 2% der Wirtschaftsleistung auszugeben");
    let p2 = one("mindestens zwei Prozent des BIP investieren");
    assert_eq!(p1.4, p2.4);
    assert_eq!(p1.4, s("percent:2:%"));
    assert_eq!(p1.5, s("percent:bip"));
    assert_eq!(p1.5, p2.5);
    assert_eq!(p2.0, "zwei Prozent");
    let keys: Vec<Option<String>> = [
        "eine Organisation von 30 Mitgliedstaaten",
        "was alle dreißig NATO-Mitgliedsländer verhindern wollen",
        "Zu den 30 Mitgliedern der NATO gehören",
        "Die Alliierten aus den 30 Mitgliedsländern werden",
        "die 30-köpfige Allianz",
    ]
    .iter()
    .map(|t| one(t).4)
    .collect();
    assert!(
        keys.iter().all(|k| *k == s("count:30:mitglied")),
        "{keys:?}"
    );
    assert_eq!(
        one("Zu den 30 Mitgliedern der NATO").5,
        s("count:mitglied@nato")
    );
    assert_eq!(
        one("dreißig NATO-Mitgliedsländer").5,
        s("count:mitglied@nato")
    );
    // unrelated members do not share the topic
    assert_eq!(
        one("wies die NATO acht Mitglieder der russischen Mission aus").5,
        s("count:mitglied@missio")
    );
}

#[test]
fn number_words() {
    assert_eq!(one("nur zwei, die USA und Kanada").1, "2");
    assert_eq!(one("alle dreißig Staaten").1, "30");
    let r = one("Zehn NATO-Verbündete erfüllen das Ziel");
    assert_eq!((r.0.as_str(), r.1.as_str()), ("Zehn", "10"));
    assert_eq!(r.3, s("Verbündete"));
    assert_eq!(one("die NATO wies acht Mitglieder aus").1, "8");
    assert_eq!(one("zweiundzwanzig Panzer").1, "22");
    assert_eq!(one("hundert Menschen").1, "100");
    assert_eq!(one("tausend Menschen").1, "1000");
    // articles and homographs
    assert!(figs("Ein US-Senator sagte, ein Angebot und eine Chance.").is_empty());
    assert!(figs("Man muss das außer Acht lassen. Gib acht!").is_empty());
    assert!(figs("Wir sieben das Mehl.").is_empty());
    assert!(figs("Die Elf gewann.").is_empty());
    assert_eq!(one("eine Million Dollar").1, "1000000");
    assert_eq!(one("um ein Prozent").1, "1");
}

#[test]
fn scales_and_approximations() {
    let v = figs("seit 2014 um 260 Milliarden Dollar erhöht");
    let (r, r2) = (&v[0], &v[1]);
    assert_eq!(r.2, "year");
    assert_eq!(r2.0, "260 Milliarden Dollar");
    assert_eq!(r2.1, "260000000000");
    assert_eq!(r2.2, "money");
    assert_eq!(r2.3, s("USD"));
    assert_eq!(r2.4, s("money:260000000000:usd"));
    let _ = r;
    assert_eq!(one("2,5 Millionen Menschen").1, "2500000");
    assert_eq!(one("5 Mio. Euro").0, "5 Mio. Euro");
    assert_eq!(one("3 Mrd. Euro").1, "3000000000");
    let a =
        one("Schon jetzt sind mehrere Hunderttausend NATO-Soldaten in erhöhter Alarmbereitschaft.");
    assert_eq!(a.0, "mehrere Hunderttausend");
    assert_eq!(a.1, "100000");
    assert_eq!(a.4, s("count:~100000:soldat"));
    let b = one("mehrere hunderttausend Soldaten aus den Bündnisstaaten");
    assert_eq!(a.4, b.4);
    let z = one("trainieren die Alliierten zigtausende ukrainische Soldaten");
    assert_eq!((z.0.as_str(), z.1.as_str()), ("zigtausende", "10000"));
    assert_eq!(z.3, s("Soldat"));
    let t = one("Tausende Menschen flohen");
    assert_eq!(t.1, "1000");
    let tk = tokenize("Tausende Menschen flohen");
    assert!(is_approximate(
        &find_figures("Tausende Menschen flohen", &tk)[0]
    ));
    let tk = tokenize("100 Menschen flohen");
    assert!(!is_approximate(
        &find_figures("100 Menschen flohen", &tk)[0]
    ));
}

#[test]
fn percentages() {
    let r = one("2% der Wirtschaftsleistung");
    assert_eq!((r.0.as_str(), r.2, r.3.clone()), ("2%", "percent", s("%")));
    assert_eq!(one("um 2 % gestiegen").0, "2 %");
    let pp = one("um 1,5 Prozentpunkte gesunken");
    assert_eq!(pp.3, s("Prozentpunkt"));
    assert_eq!(pp.4, s("percent:1.5:pp"));
    let both = figs("zwischen 10 bis 20 Prozent");
    assert_eq!(both.len(), 2);
    assert_eq!(both[0].0, "10");
    assert_eq!(both[0].2, "percent");
    assert_eq!(both[1].0, "20 Prozent");
}

#[test]
fn money() {
    let e = one("kostet 5 Euro");
    assert_eq!((e.0.as_str(), e.3.clone()), ("5 Euro", s("EUR")));
    assert_eq!(one("kostet 5 €").3, s("EUR"));
    assert_eq!(one("10 US-Dollar").3, s("USD"));
    let d = one("kostet $5 mehr");
    assert_eq!((d.0.as_str(), d.2, d.3.clone()), ("$5", "money", s("USD")));
    let r = figs("zwei bis drei Millionen Euro");
    assert_eq!((r[0].1.as_str(), r[0].2), ("2000000", "money"));
    assert_eq!((r[1].0.as_str(), r[1].2), ("drei Millionen Euro", "money"));
}

#[test]
fn years() {
    let r = figs("Die russische Annexion im Jahr 2014 und seit 2014 und die 1949 gegründete NATO.");
    assert_eq!(
        r.iter().map(|x| x.2).collect::<Vec<_>>(),
        vec!["year", "year", "year"]
    );
    assert_eq!(r[0].4, s("year:2014"));
    assert_eq!(figs("2014 waren es nur drei")[0].2, "year");
    assert_eq!(figs("2014 waren es nur drei")[1].2, "count");
    assert_eq!(one("Ende 2022. Dann").2, "year");
    assert_eq!(one("die Bundeswehr schickt 2000 Soldaten").2, "count");
    assert_eq!(one("Im Jahr 1748 gelangte das Dorf").2, "year");
    assert_eq!(one("1919 wurde Gagra per Dekret").2, "year");
    assert_eq!(one("mit 1500 Soldaten").2, "count");
    assert_eq!(one("Nachdem er 1937 Generaldirektor wurde").2, "year");
    assert_eq!(
        one("die Kolonie wurde 1664 von England übernommen").2,
        "year"
    );
    assert_eq!(one("hatte 2000 Mitarbeiter").2, "count");
    assert_eq!(one("in den 1990er Jahren").2, "year");
    let r = figs("von 2013 bis 2015 Präsident und 2014–2022 Kanzlerin");
    assert!(r.iter().all(|x| x.2 == "year"), "{r:?}");
    assert_eq!(r.len(), 4);
}

#[test]
fn dates() {
    assert_eq!(one("Stand: 16.02.2022").1, "2022-02-16");
    assert_eq!(one("Stand: 16.02.2022").2, "date");
    let r = one("am 24. Februar 2022 begann");
    assert_eq!(
        (r.0.as_str(), r.1.as_str()),
        ("24. Februar 2022", "2022-02-24")
    );
    let r = one("Noch im Juli 2018 drohte");
    assert_eq!((r.0.as_str(), r.1.as_str()), ("Juli 2018", "2018-07"));
    assert_eq!(one("seit April 2014 und").1, "2014-04");
    assert_eq!(one("date 2022-02 NATO").1, "2022-02");
    assert_eq!(one("am 24. Februar wurde").1, "--02-24");
    assert_eq!(one("am 16.02. wurde").1, "--02-16");
    assert_eq!(one("am 1. Feb. 2022").1, "2022-02-01");
    let r = figs("vom 8. bis 12. November 2010 teil");
    assert_eq!((r[0].0.as_str(), r[0].1.as_str()), ("8.", "2010-11-08"));
    assert_eq!(
        (r[1].0.as_str(), r[1].1.as_str()),
        ("12. November 2010", "2010-11-12")
    );
    let r = one("im August, den");
    assert_eq!(
        (r.0.as_str(), r.1.as_str(), r.4.clone()),
        ("August", "--08", None)
    );
    assert!(figs("Mai sagte, August Bebel").is_empty());
}

#[test]
fn times() {
    let v = figs("Stand: 16.02.2022 04:24 Uhr");
    assert_eq!(v.len(), 2);
    assert_eq!(
        (v[1].0.as_str(), v[1].1.as_str(), v[1].2),
        ("04:24 Uhr", "04:24", "time")
    );
    assert_eq!(figs("Stand: 16.03.2022 03:36 Uhr")[1].1, "03:36");
    assert_eq!(one("um 20 Uhr").1, "20:00");
    assert_eq!(one("um 20.30 Uhr").1, "20:30");
    let r = figs("zwischen 8.30 und 8.45 Uhr");
    assert_eq!((r[0].1.as_str(), r[1].1.as_str()), ("08:30", "08:45"));
}

#[test]
fn ordinals() {
    let r = one("auf Kiew am 21. Tag des Kriegs");
    assert_eq!((r.0.as_str(), r.1.as_str(), r.2), ("21.", "21", "ordinal"));
    assert_eq!(r.3, s("Tag"));
    assert_eq!(r.4, s("ordinal:21:tag@krieg"));
    let r = one("zum zweiten Mal");
    assert_eq!(
        (r.0.as_str(), r.1.as_str(), r.2),
        ("zweiten", "2", "ordinal")
    );
    assert_eq!(r.3, s("Mal"));
    assert!(figs("Sie müssen darauf achten.").is_empty());
    // a cardinal at the end of a sentence is no ordinal
    let r = one("Es waren 30. Die anderen kamen nicht.");
    assert_eq!(r.2, "count");
    assert_eq!(one("Er kam auf Platz 3. Danach ging er.").2, "ordinal");
}

#[test]
fn compounds_durations_measures() {
    let r = one("die 30-köpfige Allianz");
    assert_eq!(
        (r.0.as_str(), r.1.as_str(), r.2),
        ("30-köpfige", "30", "count")
    );
    assert_eq!(r.3, s("Mitglied"));
    assert_eq!(r.5, s("count:mitglied@allianz"));
    let d = one("seit drei Wochen");
    assert_eq!(
        (d.0.as_str(), d.2, d.3.clone()),
        ("drei Wochen", "duration", s("Woche"))
    );
    assert_eq!(d.4, s("duration:3:woche"));
    let m = one("eine 400 Kilometer lange Grenze");
    assert_eq!(
        (m.1.as_str(), m.2, m.3.clone()),
        ("400", "measure", s("km"))
    );
    assert_eq!(one("das 2-Prozent-Ziel").2, "percent");
    let r = one("das Zwei-Prozent-Ziel der NATO");
    assert_eq!(
        (r.0.as_str(), r.1.as_str(), r.2),
        ("Zwei-Prozent-Ziel", "2", "percent")
    );
    assert_eq!(one("ein Drei-Sterne-General").4, s("count:3:ster"));
    assert_eq!(one("eine 20-jährige Frau").3, s("Jahr"));
    assert_eq!(one("ein 2jähriger Bub").2, "duration");
    let r = one("Die fünftägige Kreuzfahrt");
    assert_eq!((r.1.as_str(), r.3.clone()), ("5", s("Tag")));
    assert_eq!(one("elf Prozent der Belegschaft").2, "percent");
    assert_eq!(one("des Zusammenstoßes zweier Personenzüge").1, "2");
    let r = figs("von 10-20 Soldaten");
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].0.as_str(), r[1].0.as_str()), ("10", "20"));
}

#[test]
fn no_figures_inside_words_urls_names() {
    assert!(
        figs("https://www.reuters.com/world/europe/belarus-says-joint-drills-2022-01-18")
            .is_empty()
    );
    assert!(figs("G7 und COVID-19 und F-16 und B52").is_empty());
    assert!(figs("Reuters/1234 und #3").is_empty());
    let r = one("eine Boeing 747 landete");
    assert_eq!((r.2, r.4.clone()), ("count", None));
    assert!(one("Telefon 030 und 12345 Berlin").1 == "12345" || figs("030").is_empty());
}

#[test]
fn bare_numbers_are_not_linked() {
    let r = one("Es waren 3.");
    assert_eq!(r.4, None);
    assert_eq!(r.5, None);
    assert_eq!(one("zum zweiten Mal").4, None);
}

#[test]
fn never_panics_and_stays_sorted() {
    let odd = [
        "",
        "1",
        "1.",
        "1,",
        ",1",
        "1.000.",
        "1-",
        "-1",
        "−5 Prozent",
        "0:0",
        "99:99",
        "31.13.2020",
        "00.00.0000",
        "1.2.3.4.5",
        "2022-13",
        "2022-12-99",
        "€",
        "$",
        "€ 5",
        "5 €",
        "eine",
        "ein paar",
        "mehrere",
        "mehrere Tausende",
        "Hunderte",
        "minus",
        "minus 3",
        "100 000 000",
        "1e5",
        "١٢٣",
        "½",
        "5½",
        "zweiundzwanzigsten",
        "Mio.",
        "3 Mio.",
        "3 Mio",
        "zwei-",
        "30-",
        "30--köpfige",
        "1990er-Jahre",
        "24. Februar",
        "24.",
        "Juli",
        "Juli 2018",
        "04:24 Uhr Uhr",
        "😀 5 😀",
        "9999999999999999999999999999999999",
        "1,99999999999999999999999",
        "a-1",
        "3 t",
        "5 m",
        "am 1. 2. 3.",
        "10 bis",
        "10 bis 20",
        "10 bis zwanzig Prozent",
        "\u{ad}5",
        "dreitausendvierhundertsiebenundsechzigtausend",
        "tausendtausend",
        "hunderthundert",
    ];
    for t in odd {
        let tk = tokenize(t);
        let fs = find_figures(t, &tk);
        let mut last = 0;
        for f in &fs {
            assert!(
                f.span().start >= last && f.span().start < f.span().end,
                "{t}: {fs:?}"
            );
            assert!(
                t.is_char_boundary(f.span().start as usize)
                    && t.is_char_boundary(f.span().end as usize)
            );
            last = f.span().end;
        }
    }
    // pseudo-random strings from a small alphabet of tricky pieces
    let pieces = [
        "1",
        "2",
        "0",
        ".",
        ",",
        ":",
        "-",
        " ",
        "%",
        "€",
        "$",
        "Uhr",
        "Juli",
        "Prozent",
        "ein",
        "zwei",
        "Mio",
        "tausend",
        "Tausende",
        "mehrere",
        "\n",
        "2022",
        "köpfige",
        "der",
        "NATO",
        "Soldaten",
        "am",
        "bis",
        "24",
        "ä",
        "ß",
        "😀",
        "https://x.de/1",
    ];
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for _ in 0..3000 {
        let mut t = String::new();
        let n = (x % 12) as usize + 1;
        for _ in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.push_str(pieces[(x % pieces.len() as u64) as usize]);
        }
        let tk = tokenize(&t);
        let fs = find_figures(&t, &tk);
        let mut last = 0;
        for f in &fs {
            assert!(
                f.span().start >= last && f.span().start < f.span().end,
                "{t:?}: {fs:?}"
            );
            last = f.span().end;
        }
    }
}

proptest::proptest! {
    #[test]
    fn no_panic_on_arbitrary_text(t in "\\PC{0,60}") {
        let tk = tokenize(&t);
        let fs = find_figures(&t, &tk);
        let mut last = 0;
        for f in &fs {
            proptest::prop_assert!(f.span().start >= last && f.span().start < f.span().end);
            proptest::prop_assert!(t.is_char_boundary(f.span().start as usize) && t.is_char_boundary(f.span().end as usize));
            last = f.span().end;
        }
    }

    #[test]
    fn no_panic_on_numeric_text(t in "[0-9.,:%€$ \\-–a-zäöüßA-Z\n]{0,40}") {
        let tk = tokenize(&t);
        let fs = find_figures(&t, &tk);
        let mut last = 0;
        for f in &fs {
            proptest::prop_assert!(f.span().start >= last && f.span().start < f.span().end);
            last = f.span().end;
        }
    }
}

// ---------------------------------------------------------------------------
// Issue #14: figures that hold on unseen news.

fn approx_of(text: &str) -> Vec<(String, bool)> {
    let tk = tokenize(text);
    find_figures(text, &tk)
        .into_iter()
        .map(|f| (text[f.span().range()].to_string(), is_approximate(&f)))
        .collect()
}

fn texts(text: &str) -> Vec<String> {
    figs(text).into_iter().map(|r| r.0).collect()
}

#[test]
fn model_and_version_numbers_are_not_figures() {
    for t in [
        "Microsoft stellt Windows 11 vor.",
        "Samsung bringt das Galaxy S24 auf den Markt.",
        "Der VW Golf 8 ist da.",
        "Python 3.12 ist erschienen.",
        "Jetzt kommt Python 3.12.",
        "Apple veröffentlicht iOS 17.2.",
        "Die Episode VII lief im Kino.",
        "Die Version 2.0 bringt Neuerungen.",
        "Die Version 2.1. Dann kam mehr.",
        "Das Release 4.1.2 behebt Fehler.",
        "Das iPhone 15 Pro ist teuer.",
        "Er wohnt in der Hauptstraße 5.",
    ] {
        assert!(figs(t).is_empty(), "{t}: {:?}", figs(t));
    }
    // The rest of the sentence keeps its figures.
    assert_eq!(
        texts("Das neue iPhone 15 kostet 999 Euro."),
        vec!["999 Euro"]
    );
    let r = figs("Sony verkauft die Playstation 5 seit 2020.");
    assert_eq!((r.len(), r[0].2), (1, "year"));
    // A unit or a counted noun after the number makes it a figure again.
    assert_eq!(one("Das sind zum Teil 30 Prozent.").2, "percent");
    assert_eq!(one("Weitere 30 Soldaten kamen.").3, s("Soldat"));
    assert_eq!(one("Gut 30 Menschen kamen.").3, s("Mensch"));
    // Longer numbers after a name stay bare, unlinked counts.
    let r = one("Eine Boeing 747 landete.");
    assert_eq!((r.2, r.3.clone(), r.4.clone()), ("count", None, None));
}

#[test]
fn identifiers_are_not_figures() {
    for t in [
        "Artikel 5 des NATO-Vertrags.",
        "Das regelt Artikel 146 des Grundgesetzes.",
        "Nach § 5 ist das verboten.",
        "Nach Paragraf 219a ist das verboten.",
        "Er trägt die Nummer fünf.",
        "Er trug die Nr. 10 im Team.",
        "Die Aktie (ISIN DE0007164600, WKN 716460) stieg.",
        "Die Aktie (WKN: 716460) stieg.",
        "Der Bus der Linie 42 fiel aus.",
        "Es gilt Warnstufe 3.",
    ] {
        assert!(figs(t).is_empty(), "{t}: {:?}", figs(t));
    }
}

#[test]
fn ranks_minutes_and_scores() {
    // Ranks: ordinals of the rank word, never linked.
    for (t, unit) in [
        ("Er landete auf Platz drei.", "Platz"),
        ("Sie kam auf Rang 5.", "Rang"),
        ("Er kam auf Platz 3 der Weltrangliste.", "Platz"),
        ("Er fuhr von Startplatz 15 nach vorn.", "Startplatz"),
    ] {
        let r = one(t);
        assert_eq!(
            (r.2, r.3.clone(), r.4.clone(), r.5.clone()),
            ("ordinal", s(unit), None, None),
            "{t}"
        );
    }
    // Ranks in results: "wurde Dritter", "als Zweite"; not a name or title
    // ("Zweiter Weltkrieg") nor third parties ("an Dritte").
    for (t, text, v) in [
        ("Hülkenberg wurde Siebter, Vettel Zwölfter.", "Siebter", "7"),
        ("Sie kam als Zweite ins Ziel.", "Zweite", "2"),
    ] {
        let r = &figs(t)[0];
        assert_eq!(
            (r.0.as_str(), r.1.as_str(), r.2),
            (text, v, "ordinal"),
            "{t}"
        );
    }
    for t in ["Im Zweiter Weltkrieg-Museum.", "Daten gehen an Dritte."] {
        assert!(figs(t).is_empty(), "{t}: {:?}", figs(t));
    }
    // Goal minutes in brackets; the half-time score after the final one.
    let r = one("Ragnar Ache (58.) traf.");
    assert_eq!(
        (r.0.as_str(), r.1.as_str(), r.2, r.3.clone()),
        ("58.", "58", "ordinal", s("Minute"))
    );
    for t in [
        "Guirassy (38./71. Minute) traf.",
        "Guirassy (38., 71.) traf.",
        "Guirassy (38./71.) traf.",
    ] {
        let r = figs(t);
        assert_eq!(
            r.iter()
                .map(|x| (x.0.as_str(), x.2, x.3.clone()))
                .collect::<Vec<_>>(),
            vec![
                ("38.", "ordinal", s("Minute")),
                ("71.", "ordinal", s("Minute"))
            ],
            "{t}"
        );
    }
    // Unclosed at the end of the text: no minutes, no panic.
    for t in [
        "Tor (38./71. Minute",
        "Tor (38./71. Min",
        "Tor (38./",
        "Tor (38.",
    ] {
        assert!(
            figs(t).iter().all(|x| x.3.as_deref() != Some("Minute")),
            "{t}"
        );
    }
    // Not minutes: a list in brackets that holds more.
    assert!(figs("Er wurde (3. Liga) Meister.")
        .iter()
        .all(|x| x.3.as_deref() != Some("Minute")));
    let r = figs("Kiel gewann mit 31:29 (15:15) gegen Flensburg.");
    assert_eq!(
        r.iter().map(|x| (x.1.as_str(), x.2)).collect::<Vec<_>>(),
        vec![("31:29", "score"), ("15:15", "score")]
    );
    let r = one("Er traf in der 89. Minute.");
    assert_eq!(
        (r.0.as_str(), r.2, r.3.clone()),
        ("89.", "ordinal", s("Minute"))
    );
    // Scores: their own category, the score as text, no key; not a time.
    for (t, span, v) in [
        ("Bayern gewann 2:1 gegen Dortmund.", "2:1", "2:1"),
        ("Nach dem 3:0-Sieg jubelten die Fans.", "3:0", "3:0"),
        ("Der 2:0-Erfolg war verdient.", "2:0", "2:0"),
        ("Das Spiel endete 1:1.", "1:1", "1:1"),
        ("Die Handballer siegten mit 20:18.", "20:18", "20:18"),
        ("Es steht 24:22 für Kiel.", "24:22", "24:22"),
        (
            "Die Kieler gewannen 28:24 gegen Flensburg.",
            "28:24",
            "28:24",
        ),
        ("Endstand: 21:19 für Kiel.", "21:19", "21:19"),
    ] {
        let r = one(t);
        assert_eq!((r.0.as_str(), r.1.as_str(), r.2), (span, v, "score"), "{t}");
        assert_eq!(
            (r.3.clone(), r.4.clone(), r.5.clone()),
            (None, None, None),
            "{t}"
        );
    }
    let r = figs("Das Ergebnis: 3:1 (1:0).");
    assert_eq!(
        r.iter().map(|x| x.2).collect::<Vec<_>>(),
        vec!["score", "score"]
    );
    // Times stay times.
    for (t, v) in [
        ("Um 20:15 beginnt der Film.", "20:15"),
        ("Der Film beginnt 20:15 Uhr.", "20:15"),
        ("Der Zug kommt ab 9:30.", "09:30"),
        ("Stand: 16.02.2022 04:24", "04:24"),
    ] {
        let r = figs(t);
        let last = r.last().unwrap();
        assert_eq!((last.1.as_str(), last.2), (v, "time"), "{t}");
    }
    // Ratios are neither.
    assert!(figs("Sie tauschten im Verhältnis 1:1.").is_empty());
}

#[test]
fn parenthesis_inside_an_amount() {
    let r = figs("Der Umsatz stieg auf 6,3 (2023: 4,9) Millionen Euro.");
    let got: Vec<(&str, &str, &str, Option<String>)> = r
        .iter()
        .map(|x| (x.0.as_str(), x.1.as_str(), x.2, x.3.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("6,3", "6300000", "money", s("EUR")),
            ("2023", "2023", "year", None),
            ("4,9", "4900000", "money", s("EUR")),
        ]
    );
    assert_eq!(r[0].4, s("money:6300000:eur"));
    let r = figs("Der Umsatz lag bei 6,3 Mio. (Vorjahr: 4,9) Euro.");
    assert_eq!(
        r.iter().map(|x| (x.1.as_str(), x.2)).collect::<Vec<_>>(),
        vec![("6300000", "money"), ("4900000", "money")]
    );
    let r = figs("Die Quote lag bei 6,3 (5,1) Prozent.");
    assert_eq!(
        r.iter().map(|x| (x.1.as_str(), x.2)).collect::<Vec<_>>(),
        vec![("6.3", "percent"), ("5.1", "percent")]
    );
    let r = figs("Es kamen 2,1 (Vj.: 1,8) Millionen Besucher.");
    assert_eq!(
        r.iter()
            .map(|x| (x.1.as_str(), x.3.clone()))
            .collect::<Vec<_>>(),
        vec![("2100000", s("Besucher")), ("1800000", s("Besucher"))]
    );
    // A parenthesis without a scale or unit after it changes nothing.
    let r = figs("Es kamen 300 (2022: 250) und mehr.");
    assert_eq!(
        r.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
        vec!["300", "2022", "250"]
    );
}

#[test]
fn vague_quantities_are_approximate() {
    for (t, span) in [
        ("Es kamen mehrere Millionen Menschen.", "mehrere Millionen"),
        ("Einige Tausend Menschen demonstrierten.", "Einige Tausend"),
        ("Hunderte Menschen flohen.", "Hunderte"),
        ("Dutzende Häuser brannten.", "Dutzende"),
        ("Es waren rund 100 Polizisten.", "100"),
        ("Knapp 50 Menschen starben.", "50"),
        ("Mehr als 200 Soldaten wurden verletzt.", "200"),
        ("Über 1.000 Menschen kamen.", "1.000"),
        ("Es waren ca. 100 Menschen.", "100"),
        ("Das kostet etwa 5 Mio. Euro.", "5 Mio. Euro"),
        ("Rund zwei Millionen Menschen kamen.", "zwei Millionen"),
        ("Es waren weniger als 5 Prozent.", "5 Prozent"),
        ("Das sind rund 40 Prozent der Befragten.", "40 Prozent"),
    ] {
        assert_eq!(approx_of(t), vec![(span.to_string(), true)], "{t}");
    }
    // Stated exactly, or as a limit: not approximate.
    for t in [
        "Es kamen 100 Polizisten.",
        "mindestens zwei Prozent des BIP",
        "Bis zu 500 Euro Strafe.",
        "um 2,5 Prozent gestiegen",
    ] {
        assert!(
            approx_of(t).iter().all(|(_, a)| !a),
            "{t}: {:?}",
            approx_of(t)
        );
    }
    // A hedged number keeps its key and links with the plain one; a
    // magnitude without a number is keyed with "~".
    assert_eq!(one("rund 100.000 Soldaten").4, one("100.000 Soldaten").4);
    assert_eq!(one("Hunderte Soldaten").4, s("count:~100:soldat"));
    // Years, dates and times are never approximate.
    assert_eq!(
        approx_of("um die 20 Uhr"),
        vec![("20 Uhr".to_string(), false)]
    );
    assert_eq!(
        approx_of("rund 2015 gegründet"),
        vec![("2015".to_string(), false)]
    );
}

#[test]
fn values_are_exact_decimals() {
    let cases = [
        ("Der Konzern verdiente 8,2 Milliarden Euro.", "8200000000"),
        ("Das sind 1,3 Mio. Euro.", "1300000"),
        ("Die Inflation lag bei 0,1 Prozent.", "0.1"),
        ("Die Kosten betragen 2,5 Billionen Euro.", "2500000000000"),
        ("Es waren 4,7 Millionen Menschen.", "4700000"),
        ("Das kostet 0,3 Mrd. Euro.", "300000000"),
        ("Das kostet 1,15 Mrd. Euro.", "1150000000"),
        ("Es geht um 9,99 Euro.", "9.99"),
        ("Kosten von 1.234,56 Metern", "1234.56"),
        ("ein 5-Milliarden-Dollar-Paket", "5000000000"),
        ("zweieinhalb Millionen Menschen", "2500000"),
        ("die 100 000 Einwohner", "100000"),
    ];
    for (t, v) in cases {
        let tk = tokenize(t);
        let f = find_figures(t, &tk).into_iter().next().unwrap();
        assert_eq!(f.value.to_string(), v, "{t}");
        assert_eq!(
            f.value,
            FigureValue::Number(Decimal::parse(v).unwrap()),
            "{t}"
        );
    }
    assert_eq!(
        one("Der Konzern verdiente 8,2 Milliarden Euro.").4,
        s("money:8200000000:eur")
    );
    // Too many digits for an exact value: no figure rather than a rounded one.
    assert!(figs("9999999999999999999999999999999999 Soldaten").is_empty());
}

#[test]
fn other_news_failure_modes() {
    // Phone numbers and postcodes.
    for t in [
        "Rufen Sie an unter 089 123456 oder 0171/1234567.",
        "Das Telefon: +49 89 1234567.",
        "Tel. 030 1234567",
        "80331 München",
        "Die Adresse ist Marienplatz 1, 80331 München.",
    ] {
        assert!(figs(t).is_empty(), "{t}: {:?}", figs(t));
    }
    // "Tempo 30" is a speed.
    let r = one("In der Stadt gilt Tempo 30.");
    assert_eq!(
        (r.0.as_str(), r.1.as_str(), r.2, r.3.clone()),
        ("Tempo 30", "30", "measure", s("km/h"))
    );
    // Years are not quantities; counted years are.
    assert_eq!(one("Im Jahr 2015 stieg der Umsatz.").2, "year");
    assert_eq!(one("2015 stieg der Umsatz.").2, "year");
    assert_eq!(one("2015 Flüchtlinge kamen.").2, "count");
    // Times with a dot, percentage points, currencies before and after.
    assert_eq!(one("Das Treffen beginnt um 15.30 Uhr.").1, "15:30");
    let r = one("Die Quote sank um 5,5 Prozentpunkte.");
    assert_eq!(
        (r.1.as_str(), r.3.clone(), r.4.clone()),
        ("5.5", s("Prozentpunkt"), s("percent:5.5:pp"))
    );
    for (t, span, v, c) in [
        ("Das kostet $5 Mio.", "$5 Mio.", "5000000", "USD"),
        (
            "Es geht um 5 Mio. US-Dollar.",
            "5 Mio. US-Dollar",
            "5000000",
            "USD",
        ),
        (
            "Das Volumen beträgt EUR 3,2 Mrd.",
            "EUR 3,2 Mrd.",
            "3200000000",
            "EUR",
        ),
        (
            "Der Verlust: 1,5 Milliarden US-Dollar",
            "1,5 Milliarden US-Dollar",
            "1500000000",
            "USD",
        ),
    ] {
        let r = one(t);
        assert_eq!(
            (r.0.as_str(), r.1.as_str(), r.2, r.3.clone()),
            (span, v, "money", s(c)),
            "{t}"
        );
    }
    assert!(figs("Sitz in der Leopoldstraße 12 in 80807 München.").is_empty());
    assert!(figs("Es gilt die Corona-Warnstufe 2.").is_empty());
    // Speeds, and a plus sign before a percentage or an amount.
    let r = one("Der Wind erreichte 250 km/h.");
    assert_eq!((r.0.as_str(), r.3.clone()), ("250 km/h", s("km/h")));
    assert_eq!(one("Der Wind erreichte 30 m/s.").3, s("m/s"));
    let r = figs("Die Aktie notierte bei 45,30 Euro (+2,3 %).");
    assert_eq!(
        (r[1].0.as_str(), r[1].1.as_str(), r[1].2),
        ("2,3 %", "2.3", "percent")
    );
    // A plain five-digit number elsewhere is still a count.
    assert_eq!(one("Es kamen 12345 Besucher.").2, "count");
}

#[test]
fn a_day_with_a_leading_zero() {
    let t = "Seit dem 01. Januar 2016 gilt die Regel, ab 09. März auch in Bayern.";
    let dates: Vec<(String, String)> = figs(t)
        .into_iter()
        .filter(|r| r.2 == "date")
        .map(|r| (r.0, r.1))
        .collect();
    assert_eq!(
        dates,
        [
            ("01. Januar 2016".to_string(), "2016-01-01".to_string()),
            ("09. März".to_string(), "--03-09".to_string())
        ]
    );
}

#[test]
fn one_year_in_words_is_a_duration() {
    for (t, text, value) in [
        ("Seit ein Jahr vergangen ist", "ein Jahr", "1"),
        ("Das dauert eine Stunde.", "eine Stunde", "1"),
        ("Ein halbes Jahr später", "Ein halbes Jahr", "0.5"),
    ] {
        let r = one(t);
        assert_eq!(
            (r.0.as_str(), r.1.as_str(), r.2),
            (text, value, "duration"),
            "{t}"
        );
    }
    assert!(figs("Eines Tages kam er.").is_empty());
    assert!(figs("Ein Mann und eine Frau").is_empty());
}

#[test]
fn how_often_ranks_among_and_ages() {
    for (t, text, v, cat, unit) in [
        ("Er traf zweimal ins Tor.", "zweimal", "2", "count", None),
        ("Neunmal gewann sie.", "Neunmal", "9", "count", None),
        (
            "der drittgrößte Rückversicherer",
            "drittgrößte",
            "3",
            "ordinal",
            s("Rückversicherer"),
        ),
        (
            "Aksoy, 34, hat studiert.",
            "34",
            "34",
            "duration",
            s("Jahr"),
        ),
        (
            "nach einem Kilometer",
            "einem Kilometer",
            "1",
            "measure",
            s("km"),
        ),
        (
            "mit 130 Kilometern pro Stunde",
            "130 Kilometern pro Stunde",
            "130",
            "measure",
            s("km/h"),
        ),
        ("bei 34 Grad", "34 Grad", "34", "measure", s("°C")),
        (
            "gut 3.100 Höhenmeter",
            "3.100 Höhenmeter",
            "3100",
            "measure",
            s("m"),
        ),
        (
            "rund 1900 deutsche Soldatinnen",
            "1900",
            "1900",
            "count",
            s("Soldatin"),
        ),
    ] {
        let r = one(t);
        assert_eq!(
            (r.0.as_str(), r.1.as_str(), r.2, r.3.clone()),
            (text, v, cat, unit),
            "{t}"
        );
    }
    assert!(figs("Das war einmal.").is_empty());
    // Every ordinal stem from 2 to 12, and none outside.
    for (w, v) in [
        ("zweitgrößte", 2),
        ("drittbesten", 3),
        ("viertstärkster", 4),
        ("fünftwichtigstes", 5),
        ("sechsthöchstem", 6),
        ("siebtälteste", 7),
        ("achtgrößte", 8),
        ("neuntreichsten", 9),
        ("zehnthäufigste", 10),
        ("elftgrößte", 11),
        ("zwölftgrößte", 12),
    ] {
        assert_eq!(
            super::ordinal_superlative(w),
            Some(Decimal::from_int(v)),
            "{w}"
        );
    }
    for w in [
        "erstbeste",
        "dreizehntgrößte",
        "drittgrößtem_",
        "größte",
        "drittgrößt",
    ] {
        assert_eq!(super::ordinal_superlative(w), None, "{w}");
    }
    let r = &figs("Vogt landete auf Platz 19. Romed Baumann fiel.")[0];
    assert_eq!(
        (r.0.as_str(), r.2, r.3.clone()),
        ("19", "ordinal", s("Platz"))
    );
    let r = one("der Doppelhaushalt 2027/2028 am Mittwoch");
    assert_eq!(
        (r.0.as_str(), r.1.as_str(), r.2),
        ("2027/2028", "2027", "year")
    );
    assert_eq!(one("die Saison 2015/16 lief").1, "2015");
    assert_eq!(one("Er fuhr auf Rang sieben vor.").2, "ordinal");
    assert_eq!(one("Um sieben Uhr ging es los.").1, "07:00");
    // Verbs after a year: still the year.
    assert_eq!(one("2008 erreichte Vollmer die Wahl.").2, "year");
    assert_eq!(one("2008 wurde Vollmer gewählt.").2, "year");
    // Not an age: a list of numbers, a number without a name before it.
    assert_eq!(one("Es waren, 34, nicht mehr.").2, "count");
}

#[test]
fn a_bare_number_between_percentages() {
    let r =
        figs("Die SPD käme auf neun Prozent, die Grünen auf sieben, die Linke auf sechs Prozent.");
    assert_eq!(
        r.iter().map(|x| (x.0.as_str(), x.2)).collect::<Vec<_>>(),
        vec![
            ("neun Prozent", "percent"),
            ("sieben", "percent"),
            ("sechs Prozent", "percent")
        ]
    );
    // Not across sentences, not a counted noun.
    let r = figs("Es waren 30 Prozent. Dann kamen 12. Später 40 Prozent.");
    assert_eq!(r[1].2, "count");
    let r = figs("Rund 30 Prozent, also 12 Menschen, und 40 Prozent der Gäste.");
    assert_eq!(r[1].2, "count");
}

/// (span text, value, category, unit) of every figure.
fn brief(text: &str) -> Vec<(String, String, &'static str, Option<String>)> {
    figs(text)
        .into_iter()
        .map(|r| (r.0, r.1, r.2, r.3))
        .collect()
}

#[test]
fn race_times_are_durations_in_seconds() {
    let got = brief(
        "Odermatt siegte in 1:52,31 Minuten vor Meillard (+0,35 Sekunden). \
         Kipchoge lief 2:01:09 Stunden, die Staffel 3:05:12,4.",
    );
    let want = [
        ("1:52,31 Minuten", "112.31"),
        ("0,35 Sekunden", "0.35"),
        ("2:01:09 Stunden", "7269"),
        ("3:05:12,4", "11112.4"),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((t, v, c, u), (wt, wv)) in got.iter().zip(want) {
        assert_eq!((t.as_str(), v.as_str(), *c), (wt, wv, "duration"));
        assert_eq!(u.as_deref(), Some("Sekunde"));
    }
    // A score, a time of day and one with seconds stay what they are.
    assert_eq!(brief("Es endete 2:1.")[0].2, "score");
    assert_eq!(brief("Um 12:30 Uhr begann es.")[0].2, "time");
    assert!(brief("Um 12:30:15 Uhr begann es.").is_empty());
    // The sentence's full stop is no part of the unit.
    assert_eq!(brief("Sie lief 1:52,31 Minuten.")[0].0, "1:52,31 Minuten");
}

#[test]
fn gaps_in_a_results_list_are_seconds() {
    let got = brief("Ergebnis\nHofstätter 2:08,41\nPedranzini +0,37\nLindgren +1,14\n");
    let gaps: Vec<_> = got
        .iter()
        .filter(|(t, ..)| !t.contains(':'))
        .map(|(t, v, c, u)| (t.as_str(), v.as_str(), *c, u.as_deref()))
        .collect();
    assert_eq!(
        gaps,
        [
            ("0,37", "0.37", "duration", Some("Sekunde")),
            ("1,14", "1.14", "duration", Some("Sekunde"))
        ]
    );
    // Without a race time above, a signed number is no gap.
    assert!(brief("Ergebnis\nHofstätter 12\nPedranzini +0,37\n")
        .iter()
        .all(|f| f.2 != "duration"));
}

#[test]
fn a_change_from_one_amount_to_another_shares_its_unit() {
    let got = brief("Der Umsatz stieg von 3,9 auf 4,2 Milliarden Euro.");
    assert_eq!(
        got[0],
        ("3,9".into(), "3900000000".into(), "money", s("EUR"))
    );
    assert_eq!(got[1].1, "4200000000");
    let got = brief("Die Quote fiel von 12 auf 10 Prozent.");
    assert_eq!((got[0].2, got[1].2), ("percent", "percent"));
    // years stay years
    let got = brief("Die Zahl stieg von 2019 auf 2020 kaum.");
    assert!(got.iter().all(|r| r.2 == "year"), "{got:?}");
}

#[test]
fn a_bare_amount_after_money_is_money() {
    let got = brief("Der Umsatz lag bei 4,2 Milliarden Euro nach 3,9 Milliarden im Vorjahr.");
    assert_eq!(
        got[1],
        (
            "3,9 Milliarden".into(),
            "3900000000".into(),
            "money",
            s("EUR")
        )
    );
    // another sentence, or no scale word: a count
    let got = brief("Es kostete 4 Millionen Euro. Es kamen 3 Millionen.");
    assert_eq!(got[1].2, "count");
    let got = brief("Er zahlte 20.000 Euro, sie 15.000.");
    assert_eq!(got[1].2, "count");
}

#[test]
fn quarters_parts_of_a_whole_and_votes() {
    // Every quarter after the final score is a score, not a time.
    let r = figs("Halle siegte 91:86 (19:22, 24:17, 16:21, 17:16, 15:10).");
    assert!(r.iter().all(|x| x.2 == "score"), "{r:?}");
    assert_eq!(r.len(), 6);
    // A part of a whole counts what the whole counts.
    let units = |t: &str| figs(t).into_iter().map(|x| x.3).collect::<Vec<_>>();
    assert_eq!(
        units("Sie will 1.200 ihrer 7.400 Stellen streichen."),
        vec![s("Stellen"), s("Stellen")]
    );
    assert_eq!(
        units("Er erzielte zwölf seiner 22 Punkte."),
        vec![s("Punkt"), s("Punkt")]
    );
    // A vote: both sides count the votes.
    assert_eq!(
        units("Mit 38 zu 23 Stimmen."),
        vec![s("Stimmen"), s("Stimmen")]
    );
    // Units in the dative plural.
    assert_eq!(one("um bis zu 15 Zentimetern").3, s("cm"));
}

#[test]
fn measures_per_unit_scales_and_signs() {
    let r = one("Es fielen 90 Liter pro Quadratmeter.");
    assert_eq!(
        (r.0.as_str(), r.3.clone()),
        ("90 Liter pro Quadratmeter", s("l/m²"))
    );
    let r = one("Die Pumpen schaffen 15.000 Liter je Minute.");
    assert_eq!((r.1.as_str(), r.3.clone()), ("15000", s("l/min")));
    let r = one("Der Most hatte 88 Grad Oechsle.");
    assert_eq!((r.0.as_str(), r.3.clone()), ("88 Grad Oechsle", s("°Oe")));
    let r = one("Nachts sank die Temperatur auf minus vier Grad.");
    assert_eq!((r.0.as_str(), r.1.as_str()), ("minus vier Grad", "-4"));
}

#[test]
fn cents_are_money_in_euros() {
    let r = one("Der Liter kostet 78 Cent.");
    assert_eq!(
        (r.1.as_str(), r.2, r.3.clone()),
        ("0.78", "money", s("EUR"))
    );
}

#[test]
fn working_days_are_durations() {
    let r = one("Die Lieferung dauert fünf Werktage.");
    assert_eq!((r.2, r.3.clone()), ("duration", s("Werktag")));
}

#[test]
fn a_time_after_a_word_that_names_things() {
    let r = one("Es bleibt ein Flug: 6.45 Uhr nach Palma.");
    assert_eq!((r.1.as_str(), r.2), ("06:45", "time"));
}

#[test]
fn an_ordinal_counts_the_noun_not_a_name_or_an_adjective() {
    let r = one("Ein zweiter Kieler Antrag scheiterte.");
    assert_eq!(r.3, s("Antrag"));
    let v = figs("Tabelle:\n1. TSG Rhön Fulda\n2. VfB Bautzen");
    assert!(v.iter().all(|r| r.2 == "ordinal" && r.3.is_none()), "{v:?}");
    // A hyphenated noun is a noun: "Lufthansa-Flugbegleiter".
    assert_eq!(
        one("Es streiken 19.000 Lufthansa-Flugbegleiter.").3,
        s("Flugbegleiter")
    );
}

#[test]
fn a_numbered_row_counts_no_noun() {
    let v = figs("Ergebnis:\n1. Jonas Vingegaard\n2. Mads Pedersen\nDer 3. Platz ging an Rot.");
    let units: Vec<_> = v.iter().map(|r| (r.0.as_str(), r.3.clone())).collect();
    assert_eq!(units, [("1.", None), ("2.", None), ("3.", s("Platz"))]);
}

#[test]
fn a_time_unit_after_an_adjective_is_a_duration() {
    let r = one("Die Beschäftigten erhalten fünf freie Tage.");
    assert_eq!((r.2, r.3.clone()), ("duration", s("Tag")));
}

#[test]
fn swiss_francs_abbreviated() {
    let got = brief("Die Bank zahlte 12 Mio. Fr. und 500 Fr. Busse.");
    let money: Vec<_> = got
        .iter()
        .map(|(_, v, c, u)| (v.as_str(), *c, u.as_deref()))
        .collect();
    assert_eq!(
        money,
        [
            ("12000000", "money", Some("CHF")),
            ("500", "money", Some("CHF"))
        ]
    );
}
