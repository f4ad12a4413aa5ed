//! Robustness at the protocol level (issue 7): whatever the editor sends,
//! the server answers with a proper JSON-RPC error and keeps running, and it
//! exits with the right code. Each test drives the real binary over stdio.

mod common;
use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ARTICLE: &str =
    "Die NATO tagte in Brüssel.\nDer russische Präsident Wladimir Putin sprach über die NATO.\n";

fn workspace() -> tempfile::TempDir {
    folder_with(&[("a.txt", ARTICLE)])
}

/// A started server with ARTICLE open as `a.txt`: the folder (to keep),
/// the article, the client.
fn opened() -> (tempfile::TempDir, PathBuf, Client) {
    let ws = workspace();
    let path = ws.path().join("a.txt");
    let mut c = started(ws.path());
    c.open(&path);
    (ws, path, c)
}

/// The server still answers a real query on `path` (opened with ARTICLE).
fn assert_alive(c: &mut Client, path: &Path) {
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(path)}, "position": pos_of(ARTICLE, "NATO", 0, 1)}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|s| s.contains("NATO")),
        "server stopped answering hovers: {hover}"
    );
}

/// `exit`: the server exits with `code`.
fn exits_with(c: &mut Client, code: i32) {
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(Duration::from_secs(10)), Some(code));
}

/// [`assert_alive`], then a clean shutdown (exit code 0).
fn assert_alive_then_shut_down(mut c: Client, path: &Path) {
    assert_alive(&mut c, path);
    assert_eq!(c.shutdown(), 0);
}

fn error_code(resp: &Value) -> i64 {
    resp["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("expected an error response, got {resp}"))
}

#[test]
fn malformed_messages_get_json_rpc_errors_and_the_session_goes_on() {
    let (_ws, path, mut c) = opened();

    // Invalid JSON: ParseError with a null id.
    c.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": ");
    let r = c.next_response();
    assert_eq!(error_code(&r), -32700, "{r}");
    assert_eq!(r["id"], Value::Null, "{r}");
    assert_alive(&mut c, &path);

    // Valid JSON that is not a JSON-RPC message: InvalidRequest, with its id.
    c.send_raw(r#"{"jsonrpc":"2.0","id":77,"method":12}"#);
    let r = c.next_response();
    assert_eq!(error_code(&r), -32600, "{r}");
    assert_eq!(r["id"], 77, "{r}");
    c.send_raw(r#"[1, 2, 3]"#);
    assert_eq!(error_code(&c.next_response()), -32600);

    // A body that is not UTF-8.
    c.send_bytes(b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc");
    assert_eq!(error_code(&c.next_response()), -32700);

    // A frame without Content-Length, garbage between frames, a bad length.
    c.send_bytes(b"X-Whatever: 1\r\n\r\n");
    assert_eq!(error_code(&c.next_response()), -32700);
    c.send_bytes(b"this is not a header\r\n");
    c.send_bytes(b"Content-Length: twelve\r\n\r\n");
    assert_eq!(error_code(&c.next_response()), -32700);
    // Lower-case header names and extra headers are accepted.
    let body = r#"{"jsonrpc":"2.0","id":900,"method":"shutdown_not"}"#;
    c.send_bytes(
        format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    let r = c.wait_response(900);
    assert_eq!(error_code(&r), -32601, "{r}");

    assert_alive_then_shut_down(c, &path);
}

#[test]
fn unknown_methods_are_method_not_found_and_unknown_notifications_ignored() {
    let (_ws, path, mut c) = opened();
    let r = c.request_full("gazette/noSuchMethod", json!({"x": 1}));
    assert_eq!(error_code(&r), -32601, "{r}");
    let r = c.request_full("textDocument/noSuchThing", json!(null));
    assert_eq!(error_code(&r), -32601, "{r}");
    // Notifications never get a response, known or not.
    c.notify("gazette/unknownNotification", json!({"a": [1, 2]}));
    c.notify("$/unknownDollarNotification", json!(null));
    // Known method, wrong parameters: InvalidParams, still alive.
    let r = c.request_full("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(error_code(&r), -32602, "{r}");
    assert_alive_then_shut_down(c, &path);
}

#[test]
fn requests_before_initialize_are_refused_then_initialize_works() {
    let ws = workspace();
    let path = ws.path().join("a.txt");
    let mut c = Client::spawn();
    let r = c.request_full(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&path)}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(error_code(&r), -32002, "ServerNotInitialized expected: {r}");
    c.initialize(ws.path(), &["utf-16"]);
    c.wait_indexed();
    c.open(&path);
    assert_alive_then_shut_down(c, &path);
}

#[test]
fn positions_past_the_end_of_a_line_or_document_do_not_fail() {
    let (_ws, path, mut c) = opened();
    let u = uri(&path);
    for (line, character) in [
        (0, 10_000),
        (1, u32::MAX),
        (10_000, 0),
        (u32::MAX, u32::MAX),
    ] {
        let pos = json!({"line": line, "character": character});
        for (method, extra) in [
            ("textDocument/hover", json!({})),
            ("textDocument/definition", json!({})),
            ("textDocument/documentHighlight", json!({})),
            (
                "textDocument/references",
                json!({"context": {"includeDeclaration": true}}),
            ),
        ] {
            let mut params = json!({"textDocument": {"uri": u}, "position": pos});
            params
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            let r = c.request_full(method, params);
            assert!(r.get("error").is_none(), "{method} at {pos}: {r}");
        }
    }
    // A character past the end of line 0 clamps to its end ("Brüssel."), so
    // the hover there is empty, not on line 1.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 500}}),
    );
    assert!(r.is_null(), "{r}");
    // Queries on documents the server does not know answer null.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere/x.txt"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.is_null(), "{r}");
    assert_alive_then_shut_down(c, &path);
}

#[test]
fn stale_versions_and_out_of_bounds_ranges_in_did_change_are_applied_clamped() {
    let (ws, path, mut c) = opened();
    let u = uri(&path);
    let change = |c: &mut Client, version: i32, range: Value, text: &str| {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version},
                   "contentChanges": [{"range": range, "text": text}]}),
        );
    };
    for (version, (l0, c0), (l1, c1), text) in [
        // Past the end of line 0: clamps to the line end (before "\n").
        (2, (0, 999), (0, 999), " Ende."),
        // Past the end of the document: clamps to the end.
        (3, (99, 0), (120, 5), "Schluss"),
        // Reversed range (end before start): treated as the ordered range.
        (4, (0, 8), (0, 4), ""),
        // A stale version (lower than the current one) is still applied in order.
        (2, (0, 0), (0, 0), "X"),
    ] {
        let range =
            json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}});
        change(&mut c, version, range, text);
    }
    let want = "XDie  tagte in Brüssel. Ende.\nDer russische Präsident Wladimir Putin sprach über die NATO.\nSchluss";
    let got = c.request("gazette/documentText", json!({"uri": u}));
    assert_eq!(got["text"], want);
    assert_eq!(got["version"], 2);
    // didChange for a document that is not open is ignored.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&ws.path().join("closed.txt")), "version": 9},
               "contentChanges": [{"text": "whatever"}]}),
    );
    let r = c.request_full(
        "gazette/documentText",
        json!({"uri": uri(&ws.path().join("closed.txt"))}),
    );
    assert_eq!(error_code(&r), -32602, "{r}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn lone_surrogates_in_did_change_are_applied_as_replacement_characters() {
    let (_ws, path, mut c) = opened();
    let u = uri(&path);
    // serde_json::json! cannot hold a lone surrogate: the raw message as an
    // editor sends it. "\ud800" replaces "NATO" (line 0, characters 4..8),
    // then a lone low half goes in before "Brüssel".
    let change = |c: &mut Client, version: u32, start: u32, end: u32, text: &str| {
        c.send_raw(&format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{u}","version":{version}}},"contentChanges":[{{"range":{{"start":{{"line":0,"character":{start}}},"end":{{"line":0,"character":{end}}}}},"text":"{text}"}}]}}}}"#
        ));
    };
    change(&mut c, 2, 4, 8, r"\ud800");
    change(&mut c, 3, 15, 15, r"\udc00");
    // Positions after the replacement characters are still the editor's:
    // one UTF-16 unit each.
    change(&mut c, 4, 16, 23, "Berlin");
    let got = c.request("gazette/documentText", json!({"uri": u}));
    assert_eq!(
        got["text"],
        "Die \u{FFFD} tagte in \u{FFFD}Berlin.\nDer russische Präsident Wladimir Putin sprach über die NATO.\n"
    );
    assert_eq!(got["version"], 4);
    let text = got["text"].as_str().unwrap();
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos_of(text, "NATO", 0, 1)}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|s| s.contains("NATO")),
        "{hover}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn did_open_outside_the_workspace_is_served_and_forgotten_on_close() {
    let ws = workspace();
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere.path().join("notes.txt");
    std::fs::write(&outside, ARTICLE).unwrap();
    let before = std::fs::read(&outside).unwrap();
    let inside = ws.path().join("a.txt");
    let mut c = started(ws.path());
    c.open(&inside);
    c.open(&outside);
    assert_alive(&mut c, &outside);
    let refs_of = |c: &mut Client| {
        let r = c.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri(&inside)}, "position": pos_of(ARTICLE, "NATO", 0, 1),
                   "context": {"includeDeclaration": true}}),
        );
        r.as_array()
            .unwrap()
            .iter()
            .filter(|l| l["uri"] == uri(&outside).as_str())
            .count()
    };
    assert!(
        refs_of(&mut c) > 0,
        "the open outside file takes part while open"
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri(&outside)}}),
    );
    assert_eq!(
        refs_of(&mut c),
        0,
        "a closed outside file is not kept in the corpus"
    );
    assert_eq!(std::fs::read(&outside).unwrap(), before, "never written");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn cancel_request_leaves_exactly_one_answer_per_request() {
    let (_ws, path, mut c) = opened();
    let mut ids = Vec::new();
    for i in 0..40 {
        let id = c.request_async(
            "textDocument/references",
            json!({"textDocument": {"uri": uri(&path)}, "position": pos_of(ARTICLE, "NATO", i % 2, 1),
                   "context": {"includeDeclaration": true}}),
        );
        c.notify("$/cancelRequest", json!({"id": id}));
        ids.push(id);
    }
    // Cancelling unknown or finished requests is harmless.
    c.notify("$/cancelRequest", json!({"id": 123_456}));
    c.notify("$/cancelRequest", json!({"id": "no-such-id"}));
    for id in ids {
        let r = c.wait_response(id);
        // Either answered (our handlers do not wait) or RequestCancelled.
        if let Some(e) = r.get("error") {
            assert_eq!(e["code"], -32800, "{r}");
        } else {
            assert!(r["result"].is_array(), "{r}");
        }
    }
    assert_alive_then_shut_down(c, &path);
}

#[test]
fn shutdown_then_exit_is_exit_code_0() {
    let ws = workspace();
    let c = started(ws.path());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let ws = workspace();
    let mut c = started(ws.path());
    exits_with(&mut c, 1);
}

#[test]
fn requests_after_shutdown_are_refused() {
    let ws = workspace();
    let mut c = started(ws.path());
    c.request("shutdown", Value::Null);
    let r = c.request_full(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri(&ws.path().join("a.txt"))}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(error_code(&r), -32600, "{r}");
    exits_with(&mut c, 0);
}

#[test]
fn closed_stdin_ends_the_server_promptly() {
    // Without shutdown: exit code 1 (like `exit` without `shutdown`).
    let ws = workspace();
    let mut c = started(ws.path());
    let t = Instant::now();
    c.close_stdin();
    assert_eq!(c.wait_exit(Duration::from_secs(10)), Some(1));
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());

    // After shutdown, an editor that just closes the pipe gets 0.
    let mut c = started(ws.path());
    c.request("shutdown", Value::Null);
    c.close_stdin();
    assert_eq!(c.wait_exit(Duration::from_secs(10)), Some(0));

    // Even while indexing a larger workspace is still running.
    let big = tempfile::tempdir().unwrap();
    for i in 0..400 {
        std::fs::write(big.path().join(format!("{i:04}.txt")), ARTICLE.repeat(20)).unwrap();
    }
    let mut c = Client::spawn();
    c.initialize(big.path(), &["utf-16"]);
    c.close_stdin();
    assert!(
        c.wait_exit(Duration::from_secs(10)).is_some(),
        "server kept running after its client went away"
    );
}

#[test]
fn a_panicking_handler_is_answered_with_internal_error_and_contained() {
    let ws = workspace();
    let path = ws.path().join("a.txt");
    let mut c = Client::spawn_with_env(&[("GAZETTE_DEBUG_PANIC", "1")]);
    c.initialize(ws.path(), &["utf-16"]);
    c.wait_indexed();
    c.open(&path);
    let r = c.request_full("$/gazette/debugPanic", json!(null));
    assert_eq!(error_code(&r), -32603, "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("internal error"),
        "{r}"
    );
    // A panicking notification gets no answer and harms nothing.
    c.notify("$/gazette/debugPanic", json!(null));
    assert_alive_then_shut_down(c, &path);
}
