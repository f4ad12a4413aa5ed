//! The command line: `gazette check` exit codes and output, `gazette entities` JSON contract,
//! `gazette tag` pass-through.

mod common;
use common::folder_with;
use std::path::PathBuf;
use std::process::Command;

fn gazette(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn seeds() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn check_prints_linter_lines_and_fails_on_the_chosen_severity() {
    let (code, out, _) = gazette(&["check", &seeds()]);
    assert_eq!(code, 0, "only information diagnostics on the seeds:\n{out}");
    let line = out
        .lines()
        .find(|l| l.contains("name-variant") && l.contains("Vladimir Putin"))
        .expect(&out);
    // file:line:col: severity[code] message
    let parts: Vec<&str> = line.splitn(4, ':').collect();
    assert!(parts[0].ends_with("004_5dd8000065fe1fc0.txt"), "{line}");
    assert!(
        parts[1].parse::<u32>().is_ok() && parts[2].parse::<u32>().is_ok(),
        "{line}"
    );
    assert!(
        parts[3].trim_start().starts_with("info[name-variant]"),
        "{line}"
    );
    let (code, _, _) = gazette(&["check", "--fail-on", "info", &seeds()]);
    assert_eq!(code, 1);
}

#[test]
fn a_broken_knowledge_base_is_an_error_in_check() {
    let dir = folder_with(&[
        ("a.txt", "NATO-Generalsekretär Jens Stoltenberg sprach.\n"),
        (
            "gazette.toml",
            "[[entity]]\nname = \"X\"\nkind = \"planet\"\n",
        ),
    ]);
    let (code, out, _) = gazette(&["check", &dir.path().to_string_lossy()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("gazette.toml:3:") && out.contains("[kb-unknown-kind]"),
        "{out}"
    );
}

#[test]
fn entities_json_follows_the_contract() {
    let (code, out, _) = gazette(&["entities", "--format", "json", &seeds()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ents = v["entities"].as_array().unwrap();
    let stol = ents
        .iter()
        .find(|e| e["name"] == "Jens Stoltenberg")
        .expect("Jens Stoltenberg");
    assert_eq!(stol["kind"], "person");
    for m in stol["mentions"].as_array().unwrap() {
        let path = m["path"].as_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let (a, b) = (
            m["byte_start"].as_u64().unwrap() as usize,
            m["byte_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[a..b], m["text"].as_str().unwrap());
        assert!(m["line"].is_u64() && m["character"].is_u64());
        assert!(
            !path.ends_with("gazette.toml"),
            "knowledge-base entries are not mentions"
        );
    }
    let figs = v["figures"].as_array().unwrap();
    let f = figs
        .iter()
        .find(|f| f["text"] == "zwei Prozent")
        .expect("zwei Prozent");
    assert_eq!(f["value"], 2);
    assert_eq!(f["category"], "percent");
    assert!(f["same_as"].is_string());
}

#[test]
fn tag_passes_every_line_through_and_appends_a_tag() {
    let dir = tempfile::tempdir().unwrap();
    let input = "#\tsource\t[2014]\t\n1\tJens\n2\tStoltenberg\n3\tsprach\n4\tin\n5\tBrüssel\n6\t.\n\n1\tDie\n2\tNATO\n";
    let p = dir.path().join("t.tsv");
    std::fs::write(&p, input.replace('\n', "\r\n")).unwrap();
    let (code, out, _) = gazette(&["tag", "--format", "germeval", &p.to_string_lossy()]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    let want: Vec<&str> = input.lines().collect();
    assert_eq!(lines.len(), want.len());
    for (got, w) in lines.iter().zip(&want) {
        if w.is_empty() || w.starts_with('#') {
            assert_eq!(got, w);
        } else {
            let (prefix, tag) = got.rsplit_once('\t').unwrap();
            assert_eq!(prefix, *w);
            assert!(
                tag == "O" || tag.starts_with("B-") || tag.starts_with("I-"),
                "{got}"
            );
        }
    }
    assert!(
        lines[1].ends_with("B-PER") && lines[2].ends_with("I-PER"),
        "{out}"
    );
    assert!(lines[5].ends_with("B-LOC"), "{out}");
}

/// Raw output bytes (the lossy conversion above would hide what a terminal
/// receives).
fn gazette_raw(args: &[&std::ffi::OsStr]) -> (i32, Vec<u8>, Vec<u8>) {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, out.stderr)
}

#[cfg(unix)]
#[test]
fn file_names_cannot_forge_lines_or_reach_the_terminal() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let article = "Der russische Präsident Vladimir Putin traf Wladimir Putin.\n";
    // Binary files, so that a skipped-file line names each: a name that
    // forges an error line, one with an escape sequence and a bidirectional
    // override, one that is not UTF-8. And an article whose name is not
    // UTF-8 for the JSON output.
    let binary = [0u8; 64];
    let forged = "a.txt:1:1: error[fake] injected\nb.txt";
    std::fs::write(dir.path().join(forged), binary).unwrap();
    std::fs::write(dir.path().join("\u{1b}[2Jrot\u{202E}.txt"), binary).unwrap();
    std::fs::write(dir.path().join(OsStr::from_bytes(b"bin\xe9.txt")), binary).unwrap();
    let latin1 = dir.path().join(OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&latin1, article).unwrap();

    let (code, out, err) = gazette_raw(&[OsStr::new("check"), dir.path().as_os_str()]);
    // 1: the skipped file is a warning.
    assert_eq!(code, 1, "{}", String::from_utf8_lossy(&err));
    for stream in [&out, &err] {
        assert!(
            !stream.contains(&0x1b),
            "an escape sequence reached the terminal"
        );
        let text = String::from_utf8(stream.clone()).expect("output is UTF-8");
        assert!(!text.contains('\u{202E}'), "{text}");
    }
    let out = String::from_utf8(out).unwrap();
    for line in out.lines() {
        // Every line is a real diagnostic of a real file of the corpus.
        assert!(
            line.starts_with(&*dir.path().to_string_lossy()),
            "forged line: {line}"
        );
        assert!(
            !line.contains("error[fake]") || line.contains("\\nb.txt"),
            "{line}"
        );
    }
    assert!(
        out.contains("injected\\nb.txt:1:1: warning[skipped-file]"),
        "{out}"
    );
    assert!(
        out.contains("bin\\xe9.txt:1:1: warning[skipped-file]"),
        "{out}"
    );
    assert!(
        out.contains("/\\u{1b}[2Jrot\\u{202e}.txt:1:1: warning[skipped-file]"),
        "{out}"
    );

    // JSON keeps names that are not UTF-8 byte for byte.
    let (code, out, _) = gazette_raw(&[
        OsStr::new("entities"),
        OsStr::new("--format"),
        OsStr::new("json"),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let want: Vec<serde_json::Value> = latin1
        .as_os_str()
        .as_bytes()
        .iter()
        .map(|&b| b.into())
        .collect();
    let mentions = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["mentions"].as_array().unwrap().to_vec());
    let mut found = false;
    for m in mentions {
        match m.get("path_bytes") {
            Some(b) => {
                assert_eq!(b.as_array().unwrap(), &want);
                found = true;
            }
            None => assert!(!m["path"].as_str().unwrap().contains('\u{FFFD}'), "{m}"),
        }
    }
    assert!(found, "no mention in the file whose name is not UTF-8");
}

/// A one-letter alias made `check` and `entities` panic (exit code 101) in
/// the inflection code; an invalid `[settings]` glob is a warning on stderr
/// and a diagnostic in `check`.
#[test]
fn a_one_letter_alias_and_a_bad_glob_are_handled_by_check_and_entities() {
    let dir = folder_with(&[("a.txt", "Europa und die Welt: e e. Europas Zukunft.\n"), ("gazette.toml", "[[entity]]\nname = \"Europa\"\nkind = \"place\"\naliases = [\"e\", \"é\"]\n\n[settings]\nexclude = [\"a{b\"]\n")]);
    let root = dir.path().to_string_lossy().to_string();
    let (code, out, err) = gazette(&["check", &root]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("gazette.toml:7:") && out.contains("[kb-invalid]"),
        "{out}"
    );
    assert!(err.contains("warning") && err.contains("a{b"), "{err}");
    let (code, out, err) = gazette(&["entities", "--format", "json", &root]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["name"] == "Europa"));
}

/// 40,000 knowledge-base entries: `entities` scanned every entry per mention
/// (quadratic: ~45 s in a debug build; 100,000 entries did not finish in
/// 120 s even in release). Now ~3 s in debug; the bound leaves room for a
/// busy machine.
#[test]
fn check_with_a_large_knowledge_base_finishes_promptly() {
    let dir = folder_with(&[("a.txt", "Vorname7 Nachname7 sprach mit VN8.\n")]);
    let mut kb = String::new();
    for i in 0..40_000 {
        kb.push_str(&format!(
            "[[entity]]\nname = \"Vorname{i} Nachname{i}\"\nkind = \"person\"\naliases = [\"VN{i}\", \"Nachname{i}-Alias\"]\n\n"
        ));
    }
    std::fs::write(dir.path().join("gazette.toml"), kb).unwrap();
    let t = std::time::Instant::now();
    let (code, out, err) = gazette(&[
        "entities",
        "--format",
        "json",
        &dir.path().to_string_lossy(),
    ]);
    let took = t.elapsed();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Vorname8 Nachname8"), "{out}");
    assert!(took < std::time::Duration::from_secs(15), "took {took:?}");
}

/// The data block of a report page and the page around it.
fn report_parts(html: &str) -> (serde_json::Value, String) {
    let open = r#"<script type="application/json" id="gazette-data">"#;
    let a = html.find(open).expect("data block") + open.len();
    let b = a + html[a..].find("</script>").expect("end of the data block");
    let data = &html[a..b];
    assert!(
        !data.contains('<') && !data.contains('>') && !data.contains('&'),
        "raw markup characters in the data block"
    );
    let page = format!("{}{}", &html[..a], &html[b..]);
    (serde_json::from_str(data).expect("JSON data"), page)
}

#[test]
fn report_of_the_seeds_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let (code, _, err) = gazette(&["report", &seeds(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    let (data, page) = report_parts(&html);
    // Nothing is loaded from elsewhere; only the page's own scripts run.
    for remote in ["src=", "href=", "@import", "url("] {
        let outside_libs = page.split("<script>").next().unwrap();
        assert!(!outside_libs.contains(remote), "{remote} in the page head");
    }
    // The data block, then cytoscape, uPlot, the shared panels and the app.
    assert_eq!(page.matches("<script").count(), 5);
    let csp = page
        .split(r#"http-equiv="Content-Security-Policy" content=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a CSP meta tag");
    assert!(
        csp.starts_with("default-src 'none'; script-src 'sha256-"),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'none'") && !csp.contains("unsafe"),
        "{csp}"
    );
    // Every script that runs, and the style, has its hash in the policy.
    assert_eq!(csp.matches("'sha256-").count(), 5, "{csp}");
    let names: Vec<&str> = data["map"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    for want in ["Jens Stoltenberg", "NATO", "Russland", "Ukraine"] {
        assert!(names.contains(&want), "{want} not in {names:?}");
    }
    assert_eq!(
        data["map"]["buckets"],
        serde_json::json!(["2022-01-20", "2022-02-16", "2022-03-16"])
    );
    assert_eq!(
        (
            data["map"]["articles"].as_u64(),
            data["map"]["dated"].as_u64()
        ),
        (Some(5), Some(3))
    );
    let keys: Vec<&str> = data["map"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"count:30:mitglied") && keys.contains(&"percent:2:%"),
        "{keys:?}"
    );
}

#[test]
fn report_keeps_hostile_text_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "</script><img src=x onerror=alert(1)>";
    let name = format!("{}.txt", hostile.replace('/', ""));
    std::fs::write(
        dir.path().join(&name),
        format!("Jens Stoltenberg sagte {hostile} in Brüssel, die NATO habe 30 Mitglieder.\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Jens Stoltenberg traf die NATO in Brüssel. Die NATO hat 30 Mitglieder.\n",
    )
    .unwrap();
    let out = dir.path().join("r.html");
    let (code, _, err) = gazette(&[
        "report",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<img"), "markup from an article in the page");
    let (data, page) = report_parts(&html);
    assert!(!page.contains("onerror"));
    // The text is there, as data: in a card's context line (Markdown-escaped
    // as in a hover) and in a file name (as it is).
    let nato = data["map"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "Jens Stoltenberg")
        .expect("a node");
    assert!(
        nato["card"].as_str().unwrap().contains("onerror=alert(1)"),
        "{}",
        nato["card"]
    );
    let paths: Vec<&str> = nato["article_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert!(paths.iter().any(|p| p.ends_with(&name)), "{paths:?}");
}

#[test]
fn report_rejects_bad_arguments() {
    let (code, _, err) = gazette(&["report", &seeds(), "--from", "2022-02-30"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a day"), "{err}");
    let (code, _, err) = gazette(&[
        "report",
        &seeds(),
        "--top",
        "0",
        "-o",
        "/nonexistent/x.html",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--top"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = gazette(&[
        "report",
        &seeds(),
        "-o",
        dir.path().join("no/such/dir/r.html").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot write"), "{err}");
}
