//! Robustness against what corpora contain (issue 7): bad encodings, binary
//! files, huge files, odd line endings, links, unreadable and vanishing
//! files. Through `gazette check` and the language server.

mod common;
use common::*;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const ARTICLE: &str =
    "Die NATO tagte in Brüssel.\nDer russische Präsident Wladimir Putin sprach über die NATO.\n";

struct Check {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(args: &[&Path]) -> Check {
    let out = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("check")
        .arg("--fail-on")
        .arg("error")
        .args(args)
        .output()
        .unwrap();
    Check {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Files (by name) that a references request on the first "NATO" of the
/// open document `path` (with text `text`) returns.
fn nato_files(c: &mut Client, path: &Path, text: &str) -> Vec<String> {
    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(path)}, "position": pos_of(text, "NATO", 0, 1),
               "context": {"includeDeclaration": true}}),
    );
    let mut v: Vec<String> = r.as_array().unwrap().iter().map(file_of).collect();
    v.sort();
    v.dedup();
    v
}

fn log_messages(c: &Client) -> Vec<String> {
    c.notifications
        .iter()
        .filter(|n| n["method"] == "window/logMessage")
        .map(|n| n["params"]["message"].as_str().unwrap().to_string())
        .collect()
}

/// Waits until the server's post-indexing log names `needle`.
fn wait_log(c: &mut Client, needle: &str) -> String {
    let n = c.wait_notification("window/logMessage", |p| {
        p["message"].as_str().is_some_and(|m| m.contains(needle))
    });
    n["params"]["message"].as_str().unwrap().to_string()
}

#[test]
fn windows_1252_files_are_decoded_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    // "Größe ... NATO" in Windows-1252: ö = F6, ß = DF, „ = 84, “ = 93.
    let bytes = b"Die Gr\xF6\xDFe der \x84NATO\x93 w\xE4chst.\n";
    let p = dir.path().join("latin.txt");
    std::fs::write(&p, bytes).unwrap();
    let out = check(&[dir.path()]);
    assert!(
        out.stdout
            .contains("latin.txt:1:1: info[encoding-fallback]"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("not valid UTF-8"), "{}", out.stderr);
    assert_eq!(out.code, 0, "information does not fail the run");

    // The server publishes it as a diagnostic on the closed file.
    let mut c = started_with(dir.path(), Value::Null);
    let u = uri(&p);
    let d = c.wait_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == u.as_str()
    });
    let list = d["params"]["diagnostics"].as_array().unwrap();
    let fb = list
        .iter()
        .find(|d| d["code"] == "encoding-fallback")
        .unwrap_or_else(|| panic!("{list:?}"));
    assert_eq!(fb["severity"], 3);
    assert!(
        fb["message"].as_str().unwrap().contains("windows-1252"),
        "{fb}"
    );
    // Positions refer to the decoded text: "NATO" is at UTF-16 column 15.
    let other = dir.path().join("b.txt");
    std::fs::write(&other, ARTICLE).unwrap();
    c.open(&other);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&other)}, "position": pos_of(ARTICLE, "NATO", 0, 1),
               "context": {"includeDeclaration": true}}),
    );
    let in_latin: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["uri"] == u.as_str())
        .collect();
    assert_eq!(in_latin.len(), 1, "{refs}");
    assert_eq!(
        in_latin[0]["range"]["start"],
        json!({"line": 0, "character": 15})
    );
    c.shutdown();
}

#[test]
fn binary_files_are_skipped_with_a_reason() {
    let dir = folder_with(&[("a.txt", ARTICLE)]);
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    png.extend((0..4000u32).map(|i| (i * 7 % 256) as u8));
    std::fs::write(dir.path().join("image.txt"), &png).unwrap();
    std::fs::write(
        dir.path().join("utf16.txt"),
        "NATO"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let out = check(&[dir.path()]);
    assert!(
        out.stdout
            .contains("image.txt:1:1: warning[skipped-file] skipped: binary file"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("utf16.txt:1:1: warning[skipped-file]"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("a.txt:1:1: warning[skipped-file]"),
        "{}",
        out.stdout
    );

    let mut c = started_with(dir.path(), Value::Null);
    let msg = wait_log(&mut c, "image.txt");
    assert!(msg.contains("binary"), "{msg}");
    let a = dir.path().join("a.txt");
    c.open(&a);
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt"]);
    c.shutdown();
}

#[test]
fn a_100_mb_file_is_skipped_by_the_size_limit_and_the_limit_is_configurable() {
    let (dir, a) = folder_with_file("a.txt", ARTICLE);
    // 100 MB (sparse: the limit is checked before anything is read).
    let huge = std::fs::File::create(dir.path().join("huge.txt")).unwrap();
    huge.set_len(100 * 1024 * 1024).unwrap();
    drop(huge);
    // 2 KB, over a configured limit of 1000 bytes.
    std::fs::write(dir.path().join("mid.txt"), ARTICLE.repeat(20)).unwrap();

    let t = Instant::now();
    let out = check(&[dir.path()]);
    assert!(
        out.stdout.contains(
            "huge.txt:1:1: warning[skipped-file] skipped: 104857600 bytes is over the limit"
        ),
        "{}",
        out.stdout
    );
    assert!(t.elapsed() < Duration::from_secs(20));

    let t = Instant::now();
    let mut c = started_with(dir.path(), json!({"maxFileSize": 1000}));
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "indexing took {:?}",
        t.elapsed()
    );
    let msg = wait_log(&mut c, "huge.txt");
    assert!(msg.contains("over the limit of 1000 bytes"), "{msg}");
    wait_log(&mut c, "mid.txt");
    c.open(&a);
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt"]);

    // An open buffer over the limit stays in sync but is not analysed.
    let big_text = ARTICLE.repeat(40);
    let big = dir.path().join("mid.txt");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&big), "languageId": "plaintext", "version": 1, "text": big_text}}),
    );
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&big)}, "position": pos_of(&big_text, "NATO", 0, 1)}),
    );
    assert!(r.is_null(), "{r}");
    let t = c.request("gazette/documentText", json!({"uri": uri(&big)}));
    assert_eq!(t["text"].as_str().unwrap().len(), big_text.len());
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt"]);
    c.shutdown();
}

#[test]
fn empty_files_are_fine() {
    let (dir, e) = folder_with_file("empty.txt", "");
    let out = check(&[dir.path()]);
    assert_eq!(out.code, 0, "{} {}", out.stdout, out.stderr);
    assert!(!out.stdout.contains("skipped"), "{}", out.stdout);
    let mut c = started_with(dir.path(), Value::Null);
    c.open(&e);
    for pos in [
        json!({"line": 0, "character": 0}),
        json!({"line": 3, "character": 7}),
    ] {
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&e)}, "position": pos}),
        );
        assert!(r.is_null());
    }
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&e), "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "NATO"}]}),
    );
    let r = c.request("gazette/documentText", json!({"uri": uri(&e)}));
    assert_eq!(r["text"], "NATO");
    c.shutdown();
}

#[test]
fn crlf_lone_cr_bom_and_nul_keep_positions_right() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "Zeile eins\r\nDie NATO tagte.\rDann sprach die NATO\nund die NATO\u{0}schwieg. NATO.\r\n";
    let mixed = dir.path().join("mixed.txt");
    std::fs::write(&mixed, text).unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice("Ärger bei der NATO.\r\n".as_bytes());
    let bomp = dir.path().join("bom.txt");
    std::fs::write(&bomp, &bom).unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, ARTICLE).unwrap();

    // Expected (line, UTF-16 column) of each NATO, lines split at \r\n, \r, \n.
    let want_mixed = [(1, 4), (2, 16), (3, 8), (3, 22)];
    let want_bom = [(0, 14)];

    let mut c = started_with(dir.path(), Value::Null);
    c.open(&a);
    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&a)}, "position": pos_of(ARTICLE, "NATO", 0, 1),
               "context": {"includeDeclaration": true}}),
    );
    let at = |name: &str| -> Vec<(u64, u64)> {
        let mut v: Vec<(u64, u64)> = r
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["uri"].as_str().unwrap().ends_with(name))
            .map(|l| {
                (
                    l["range"]["start"]["line"].as_u64().unwrap(),
                    l["range"]["start"]["character"].as_u64().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        at("/mixed.txt"),
        want_mixed.to_vec(),
        "closed file, from disk"
    );
    assert_eq!(at("/bom.txt"), want_bom.to_vec(), "BOM is not a character");
    // Open the mixed file as an editor would (same text, no BOM): hover ranges agree.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&mixed), "languageId": "plaintext", "version": 1, "text": text}}),
    );
    for &(line, ch) in &want_mixed {
        let h = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&mixed)}, "position": {"line": line, "character": ch + 1}}),
        );
        assert_eq!(
            h["range"]["start"],
            json!({"line": line, "character": ch}),
            "{h}"
        );
        assert_eq!(
            h["range"]["end"],
            json!({"line": line, "character": ch + 4}),
            "{h}"
        );
    }
    c.shutdown();

    // gazette check prints 1-based line:column on the same lines.
    let out = check(&[dir.path()]);
    assert!(
        !out.stdout.contains("skipped"),
        "NUL bytes do not make a text binary: {}",
        out.stdout
    );
}

#[test]
fn very_long_lines_are_indexed_and_answer_quickly() {
    let dir = tempfile::tempdir().unwrap();
    // One 1 MB line with the name at its very end.
    let mut line = "wort ".repeat(200_000);
    line.push_str("ä NATO");
    let p = dir.path().join("long.txt");
    std::fs::write(&p, &line).unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, ARTICLE).unwrap();
    let mut c = started_with(dir.path(), Value::Null);
    c.open(&a);
    let t = Instant::now();
    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&a)}, "position": pos_of(ARTICLE, "NATO", 0, 1),
               "context": {"includeDeclaration": true}}),
    );
    let l = r
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["uri"].as_str().unwrap().ends_with("/long.txt"))
        .unwrap_or_else(|| panic!("{r}"))
        .clone();
    assert_eq!(
        l["range"]["start"],
        json!({"line": 0, "character": 1_000_002})
    );
    assert!(t.elapsed() < Duration::from_secs(5));
    c.shutdown();
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_leaving_the_workspace_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), ARTICLE).unwrap();
    let (dir, a) = folder_with_file("a.txt", ARTICLE);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/b.txt"), ARTICLE).unwrap();
    use std::os::unix::fs::symlink;
    symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    symlink(dir.path().join("sub"), dir.path().join("sub/loop2")).unwrap();
    symlink(outside.path(), dir.path().join("outdir")).unwrap();
    symlink(
        outside.path().join("secret.txt"),
        dir.path().join("link.txt"),
    )
    .unwrap();

    let t = Instant::now();
    let out = check(&[dir.path()]);
    assert!(t.elapsed() < Duration::from_secs(20));
    assert!(
        !out.stdout.contains("secret") && !out.stdout.contains("link.txt"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("in 2 files"), "{}", out.stderr);

    let mut c = started_with(dir.path(), Value::Null);
    c.open(&a);
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt", "b.txt"]);
    // A watcher event naming the link (as an editor's watcher may send) does
    // not pull the outside file in either.
    // (uri() would resolve the links; name the link paths literally.)
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let events: Vec<Value> = ["link.txt", "outdir/secret.txt", "sub/loop/a.txt"]
        .iter()
        .map(|n| json!({"uri": format!("file://{}/{n}", root.display()), "type": 1}))
        .collect();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": events}),
    );
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt", "b.txt"]);
    c.shutdown();
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_skipped_with_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    std::fs::set_permissions(
        dir.path().join("a.txt"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let locked = dir.path().join("locked.txt");
    std::fs::write(&locked, ARTICLE).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads anything: run gazette as an unprivileged user then, from a
    // copy of the binary that user can reach (the checkout may sit in a
    // folder only root can enter; the binary embeds its data).
    let bin_dir = tempfile::tempdir().unwrap();
    // SAFETY: geteuid has no preconditions.
    let as_root = unsafe { libc_geteuid() } == 0;
    let bin = if as_root {
        std::fs::set_permissions(bin_dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let b = bin_dir.path().join("gazette");
        if std::fs::hard_link(env!("CARGO_BIN_EXE_gazette"), &b).is_err() {
            std::fs::copy(env!("CARGO_BIN_EXE_gazette"), &b).unwrap();
        }
        b
    } else {
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_gazette"))
    };
    let mut cmd = Command::new(&bin);
    cmd.arg("check").arg(dir.path());
    if as_root {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("locked.txt:1:1: warning[skipped-file] skipped: Permission denied"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("in 1 files"),
        "the readable file is still checked: {stderr}"
    );
}

extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

#[test]
fn files_deleted_or_renamed_while_indexing_leave_a_consistent_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let n = 600;
    for i in 0..n {
        std::fs::write(dir.path().join(format!("f{i:04}.txt")), ARTICLE.repeat(8)).unwrap();
    }
    let keep = dir.path().join("f0000.txt");
    let mut c = Client::spawn();
    c.initialize(dir.path(), &["utf-16"]);
    // While the server indexes: delete a third, rename a third.
    let mut events = Vec::new();
    for i in 1..n {
        let p = dir.path().join(format!("f{i:04}.txt"));
        if i % 3 == 1 {
            std::fs::remove_file(&p).unwrap();
            events.push(json!({"uri": uri(&p), "type": 3}));
        } else if i % 3 == 2 {
            let q = dir.path().join(format!("r{i:04}.txt"));
            let u_old = uri(&p);
            std::fs::rename(&p, &q).unwrap();
            events.push(json!({"uri": u_old, "type": 3}));
            events.push(json!({"uri": uri(&q), "type": 1}));
        }
    }
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": events}),
    );
    c.wait_indexed();
    let text = c.open(&keep);
    let files = nato_files(&mut c, &keep, &text);
    let mut want: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    want.sort();
    assert_eq!(
        files.len(),
        want.len(),
        "{} indexed, {} on disk",
        files.len(),
        want.len()
    );
    assert_eq!(files, want);
    assert!(log_messages(&c)
        .iter()
        .all(|m| !m.contains("f0001.txt: skipped")));
    c.shutdown();
}

/// The code (not the tests) of every source file of every crate (`src/`,
/// `crates/*/src/`), by path
/// relative to the repository: `#[cfg(test)]` modules and what follows a
/// file's first `#[cfg(test)]` are left out.
fn sources_without_tests() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo().join("src"), &mut files);
    for krate in std::fs::read_dir(repo().join("crates")).unwrap() {
        walk(&krate.unwrap().path().join("src"), &mut files);
    }
    // Modules declared under #[cfg(test)] (`#[cfg(test)] mod eval;`) are tests.
    let mut test_modules = std::collections::HashSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let stem = f.file_stem().unwrap().to_string_lossy();
        let dir = if ["mod", "lib", "main"].contains(&stem.as_ref()) {
            f.parent().unwrap().to_path_buf()
        } else {
            f.parent().unwrap().join(stem.as_ref())
        };
        for part in text.split("#[cfg(test)]").skip(1) {
            if let Some(name) = part
                .trim_start()
                .strip_prefix("mod ")
                .and_then(|r| r.split(';').next())
                .filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_'))
            {
                test_modules.insert(dir.join(format!("{name}.rs")));
                test_modules.insert(dir.join(name).join("mod.rs"));
            }
        }
    }
    let mut out = Vec::new();
    for f in files {
        if test_modules.contains(&f) {
            continue;
        }
        let name = f
            .strip_prefix(repo())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&f).unwrap();
        // Only the code, not its tests.
        let code = text.split("#[cfg(test)]").next().unwrap().to_string();
        out.push((name, code));
    }
    assert!(out.len() > 60, "sources not found");
    out
}

/// gazette never writes a user's document, and whatever it writes itself
/// goes through `workspace::write_atomic`: no other file-writing call may
/// appear in the sources. (`benchgen.rs` creates a new synthetic corpus in an
/// empty output folder and is the one exception.)
#[test]
fn all_file_writes_go_through_write_atomic() {
    let allowed = [
        "crates/core/src/workspace.rs",
        "crates/core/src/benchgen.rs",
    ];
    let needles = [
        "fs::write(",
        "File::create(",
        "OpenOptions::new(",
        "fs::rename(",
    ];
    let offenders = sources_using(&needles, &allowed);
    assert!(
        offenders.is_empty(),
        "write files with workspace::write_atomic: {offenders:?}"
    );
}

/// Every file gazette reads goes through `workspace::read_file` (regular
/// files only, the size limit before reading, no leaving the root through
/// links): no other call that opens or reads a file may appear in the
/// sources. (The persistent index, gazette's own file, is streamed through
/// `workspace::open_regular`; reading folders and metadata is fine.)
#[test]
fn all_file_reads_go_through_read_file() {
    let needles = [
        "fs::read(",
        "fs::read_to_string(",
        "File::open(",
        "OpenOptions::new(",
        "File::options(",
        "tokio::fs::",
        "mmap",
    ];
    let offenders = sources_using(&needles, &["crates/core/src/workspace.rs"]);
    assert!(
        offenders.is_empty(),
        "read files with workspace::read_file: {offenders:?}"
    );
}

/// "file: needle" for every source file but the `allowed` ones whose code
/// (tests aside) contains one of the `needles`.
fn sources_using(needles: &[&str], allowed: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, code) in sources_without_tests() {
        if allowed.contains(&name.as_str()) {
            continue;
        }
        let used = needles.iter().filter(|n| code.contains(*n));
        found.extend(used.map(|n| format!("{name}: {n}")));
    }
    found
}

/// Makes a FIFO (named pipe) at `p`.
#[cfg(unix)]
fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo {}", p.display());
}

fn hover_at(c: &mut Client, path: &Path, text: &str, needle: &str) -> String {
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(path)}, "position": pos_of(text, needle, 0, 1)}),
    );
    h["contents"]["value"].as_str().unwrap_or("").to_string()
}

const SECRET_KB: &str =
    "[[entity]]\nname = \"Wladimir Putin\"\nkind = \"person\"\ndescription = \"GEHEIM-4711\"\n";

/// gazette.toml and articles that are links to /dev/zero, FIFOs or files
/// outside the root, in the server and on the command line: never read
/// (before: `initialize` read /dev/zero until memory ran out, waited forever
/// on a FIFO, and a hover did the same for an article replaced while the
/// server ran; a knowledge base outside the root was shown in hovers).
#[cfg(unix)]
#[test]
fn special_files_and_links_leaving_the_root_are_never_read() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("gazette.toml"), SECRET_KB).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, ARTICLE).unwrap();
    std::fs::write(&b, ARTICLE).unwrap();
    let kb = dir.path().join("gazette.toml");

    type Make<'a> = &'a dyn Fn(&Path);
    let kinds: [(&str, Make); 3] = [
        ("leading out of the workspace", &|p| {
            symlink("/dev/zero", p).unwrap()
        }),
        ("not a regular file (a FIFO)", &|p| mkfifo(p)),
        ("leading out of the workspace", &|p| {
            symlink(outside.path().join("gazette.toml"), p).unwrap()
        }),
    ];
    for (why, make) in kinds {
        let _ = std::fs::remove_file(&kb);
        make(&kb);
        let t = Instant::now();
        let mut c = started_with(dir.path(), Value::Null);
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "{why}: {:?}",
            t.elapsed()
        );
        let n = c.wait_notification("window/showMessage", |p| {
            p["message"]
                .as_str()
                .is_some_and(|m| m.contains("gazette.toml"))
        });
        let msg = n["params"]["message"].as_str().unwrap();
        assert!(msg.contains(why), "{why}: {msg}");
        c.open(&a);
        let h = hover_at(&mut c, &a, ARTICLE, "Putin");
        assert!(h.contains("Putin") && !h.contains("GEHEIM"), "{h}");
        c.shutdown();
    }
    std::fs::remove_file(&kb).unwrap();

    // Articles replaced while the server runs: a hover reading their
    // context from disk answers at once, and so do later requests.
    let mut c = started_with(dir.path(), Value::Null);
    c.open(&a);
    assert!(hover_at(&mut c, &a, ARTICLE, "Putin").contains("b.txt"));
    let replacements: [&dyn Fn(&Path); 2] =
        [&|p: &Path| symlink("/dev/zero", p).unwrap(), &|p: &Path| {
            mkfifo(p)
        }];
    for make in replacements {
        std::fs::remove_file(&b).unwrap();
        make(&b);
        let t = Instant::now();
        let h = hover_at(&mut c, &a, ARTICLE, "Putin");
        assert!(h.contains("Putin"), "{h}");
        let h = hover_at(&mut c, &a, ARTICLE, "NATO");
        assert!(h.contains("NATO"), "{h}");
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    }
    c.shutdown();

    // The command line: a clear error, at once, and a non-zero exit code.
    let fifo = dir.path().join("pipe.txt");
    mkfifo(&fifo);
    for (arg, what) in [
        (
            Path::new("/dev/zero"),
            "not a regular file (a character device)",
        ),
        (fifo.as_path(), "not a regular file (a FIFO)"),
    ] {
        let t = Instant::now();
        let out = check(&[arg]);
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{arg:?}: {:?}",
            t.elapsed()
        );
        assert_eq!(out.code, 2, "{arg:?}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains(what), "{}", out.stderr);
    }
    // A folder with a FIFO article and a FIFO gazette.toml: both passed over.
    mkfifo(&kb);
    let t = Instant::now();
    let out = check(&[dir.path()]);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    assert!(
        out.stderr
            .contains("gazette.toml: skipped: not a regular file (a FIFO)"),
        "{}",
        out.stderr
    );
}

/// Waits for the persistent index under `cache` to be (re)written after
/// `since` and returns its path.
fn index_written(cache: &Path, since: Option<std::time::SystemTime>) -> std::path::PathBuf {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        for d in std::fs::read_dir(cache).into_iter().flatten().flatten() {
            let f = d.path().join("index.bin");
            let m = std::fs::metadata(&f).and_then(|m| m.modified());
            if m.is_ok_and(|m| since.is_none_or(|s| m > s)) {
                return f;
            }
        }
        assert!(Instant::now() < deadline, "no index written");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn started_with_cache(root: &Path, cache: &Path, options: Value) -> Client {
    let mut c = Client::spawn_with_env(&[("GAZETTE_CACHE_DIR", &cache.to_string_lossy())]);
    c.initialize_with(root, &["utf-16"], options);
    c.wait_indexed();
    c
}

/// A persistent index with a valid header and then an entry whose path
/// claims 2^50 bytes: the server starts, answers and rewrites the index
/// (before: "memory allocation of 1125899906842624 bytes failed", SIGABRT at
/// every start, the file never replaced).
#[test]
fn a_damaged_index_claiming_2_pow_50_bytes_is_ignored_and_rewritten() {
    let (dir, a) = folder_with_file("a.txt", ARTICLE);
    let cache = tempfile::tempdir().unwrap();
    started_with_cache(dir.path(), cache.path(), Value::Null).shutdown();
    let file = index_written(cache.path(), None);
    // Keep the header (magic, then the bincode header), replace the blocks.
    let bytes = std::fs::read(&file).unwrap();
    type Header = (u32, String, u64, std::path::PathBuf);
    let (_, n): (Header, usize) =
        bincode::serde::decode_from_slice(&bytes[8..], bincode::config::standard()).unwrap();
    let mut bad = bytes[..8 + n].to_vec();
    let mut block = vec![1u8, 253];
    block.extend((1u64 << 50).to_le_bytes());
    block.extend(b"/a.txt and more");
    bad.extend((block.len() as u64).to_le_bytes());
    bad.extend(&block);
    std::fs::write(&file, &bad).unwrap();
    let damaged_at = std::fs::metadata(&file).unwrap().modified().unwrap();
    for _ in 0..2 {
        let mut c = started_with_cache(dir.path(), cache.path(), Value::Null);
        c.open(&a);
        assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt"]);
        assert_eq!(c.shutdown(), 0);
    }
    index_written(cache.path(), Some(damaged_at));
    let now = std::fs::read(&file).unwrap();
    assert_ne!(now, bad, "the damaged index was not replaced");
    assert!(now.len() > bad.len());
}

/// An article rewritten with the same size and modification time is
/// analysed again after a restart, not served from the index with names no
/// longer in it.
#[test]
fn an_article_rewritten_with_the_same_size_and_mtime_is_analysed_again() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let before = "Olaf Scholz traf Emmanuel Macron in Paris.\n";
    let after = "Angela Merkel traf Nicolas Sarkozy in Rom.\n";
    assert_eq!(before.len(), after.len());
    std::fs::write(&a, before).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let names = |c: &mut Client, q: &str| -> usize {
        c.request("workspace/symbol", json!({"query": q}))
            .as_array()
            .map_or(0, Vec::len)
    };
    let mut c = started_with_cache(dir.path(), cache.path(), Value::Null);
    assert!(names(&mut c, "Scholz") > 0);
    c.shutdown();
    let file = index_written(cache.path(), None);
    let written = std::fs::metadata(&file).unwrap().modified().unwrap();
    let mtime = std::fs::metadata(&a).unwrap().modified().unwrap();
    std::fs::write(&a, after).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let mut c = started_with_cache(dir.path(), cache.path(), Value::Null);
    assert_eq!(names(&mut c, "Scholz"), 0, "served from the stale index");
    assert!(names(&mut c, "Merkel") > 0);
    c.shutdown();
    index_written(cache.path(), Some(written));
}

/// `maxFileSize` means the same everywhere (0: no limit, as the VS Code
/// extension documents it; before, 0 made the server skip every file), and
/// applies to articles taken from the persistent index (before, a lowered
/// limit was ignored for them) and on the command line (`gazette.toml`).
#[test]
fn max_file_size_applies_to_indexed_articles_and_zero_means_no_limit() {
    let (dir, a) = folder_with_file("a.txt", ARTICLE);
    let mid = dir.path().join("mid.txt");
    let mid_text = ARTICLE.repeat(20);
    std::fs::write(&mid, &mid_text).unwrap();
    let cache = tempfile::tempdir().unwrap();

    let mut c = started_with_cache(dir.path(), cache.path(), json!({"maxFileSize": 0}));
    c.open(&a);
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt", "mid.txt"]);
    c.shutdown();
    index_written(cache.path(), None);
    // Restarted with a limit under mid.txt's size: not taken from the index.
    let mut c = started_with_cache(dir.path(), cache.path(), json!({"maxFileSize": 1000}));
    let msg = wait_log(&mut c, "mid.txt");
    assert!(msg.contains("over the limit of 1000 bytes"), "{msg}");
    c.open(&a);
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt"]);
    c.shutdown();

    // gazette.toml: 0 is accepted (no limit) in the server and the CLI, and
    // a limit there applies to `gazette check` too.
    let kb = dir.path().join("gazette.toml");
    std::fs::write(&kb, "[settings]\nmaxFileSize = 0\n").unwrap();
    let mut c = started_with(dir.path(), Value::Null);
    c.open(&a);
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt", "mid.txt"]);
    c.shutdown();
    let out = check(&[dir.path()]);
    assert!(
        !out.stdout.contains("skipped") && !out.stdout.contains("kb"),
        "{}",
        out.stdout
    );
    // (The knowledge base counts as a file.)
    assert!(out.stderr.contains("in 3 files"), "{}", out.stderr);
    std::fs::write(&kb, "[settings]\nmaxFileSize = 1000\n").unwrap();
    let out = check(&[dir.path()]);
    assert!(
        out.stdout.contains("mid.txt:1:1: warning[skipped-file] skipped: 1820 bytes is over the limit of 1000 bytes"),
        "{}",
        out.stdout
    );
}

/// A watcher event naming a folder outside the root is not walked (one for
/// `/usr` held the next hover up for seconds).
#[test]
fn watcher_events_for_folders_outside_the_root_are_not_walked() {
    let (dir, a) = folder_with_file("a.txt", ARTICLE);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("o.txt"), ARTICLE).unwrap();
    let mut c = started_with(dir.path(), Value::Null);
    c.open(&a);
    let mut events = vec![json!({"uri": uri(outside.path()), "type": 1})];
    events.extend((0..10).map(|_| json!({"uri": "file:///usr", "type": 2})));
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": events}),
    );
    let t = Instant::now();
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt"]);
    assert!(
        t.elapsed() < Duration::from_millis(1500),
        "a request waited {:?} behind the walk",
        t.elapsed()
    );
    // A new folder inside the root is still looked into.
    std::fs::create_dir(dir.path().join("neu")).unwrap();
    std::fs::write(dir.path().join("neu/n.txt"), ARTICLE).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&dir.path().join("neu")), "type": 1}]}),
    );
    assert_eq!(nato_files(&mut c, &a, ARTICLE), vec!["a.txt", "n.txt"]);
    c.shutdown();
}
