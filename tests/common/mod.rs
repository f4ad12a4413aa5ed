//! A small LSP client that drives the real `gazette lsp` binary over stdio.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(60);

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seeds() -> PathBuf {
    repo().join("seeds")
}

/// The seed article whose file name starts with `prefix`.
pub fn seed(prefix: &str) -> PathBuf {
    seed_in(&seeds(), prefix)
}

/// A server over the seed corpus with the seed article `prefix` open: the
/// client, the article and its text.
pub fn seed_open(prefix: &str) -> (Client, PathBuf, String) {
    let mut c = started(&seeds());
    let path = seed(prefix);
    let text = c.open(&path);
    (c, path, text)
}

/// The file in `dir` whose name starts with `prefix` (a seed in a copy).
pub fn seed_in(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no file {prefix}* in {}", dir.display()))
}

/// A server on `root`, UTF-16 positions, its indexing done.
pub fn started(root: &Path) -> Client {
    started_with(root, Value::Null)
}

/// [`started`] with `initializationOptions` (settings).
pub fn started_with(root: &Path, options: Value) -> Client {
    let mut c = Client::spawn();
    c.initialize_with(root, &["utf-16"], options);
    c.wait_indexed();
    c
}

pub fn uri(path: &Path) -> String {
    let p = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s
}

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet consumed.
    pub notifications: Vec<Value>,
    /// Which notifications to keep (default: all). A benchmark over 10^6
    /// articles drops the diagnostics of closed articles, 10^5 of them.
    pub keep: fn(&Value) -> bool,
    /// Responses received and not yet asked for (a server may answer
    /// requests in any order).
    responses: Vec<Value>,
    /// When the last message over 1 MB had fully arrived (before it was
    /// parsed), and its size: for timing large responses on the wire.
    pub last_big_frame: Arc<Mutex<Option<(Instant, usize)>>>,
}

fn read_message(r: &mut impl BufRead, big: &Mutex<Option<(Instant, usize)>>) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    if buf.len() > 1 << 20 {
        *big.lock().unwrap() = Some((Instant::now(), buf.len()));
    }
    serde_json::from_slice(&buf).ok()
}

impl Client {
    pub fn spawn() -> Client {
        Client::spawn_with_env(&[])
    }

    /// Starts the server with extra environment variables.
    pub fn spawn_with_env(envs: &[(&str, &str)]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .arg("lsp")
            // Tests do not write a persistent index unless they ask for one.
            .env("GAZETTE_CACHE_DIR", "off")
            .envs(envs.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // GAZETTE_TEST_STDERR=FILE keeps the server's log (with GAZETTE_LOG).
            .stderr(match std::env::var_os("GAZETTE_TEST_STDERR") {
                Some(f) => std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(f)
                    .map_or(Stdio::null(), Stdio::from),
                None => Stdio::null(),
            })
            .spawn()
            .expect("start gazette lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        let last_big_frame = Arc::new(Mutex::new(None));
        let big = last_big_frame.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r, &big) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin: Some(stdin),
            rx,
            next_id: 1,
            notifications: Vec::new(),
            keep: |_| true,
            responses: Vec::new(),
            last_big_frame,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn send_raw(&mut self, body: &str) {
        self.send_bytes(format!("Content-Length: {}\r\n\r\n{}", body.len(), body).as_bytes());
    }

    /// Writes raw bytes to the server's stdin (headers included, if any).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is closed");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// Closes the server's stdin (the editor went away).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Resident memory of the server in KiB (Linux).
    pub fn rss_kib(&self) -> Option<u64> {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        s.lines()
            .find(|l| l.starts_with("VmRSS:"))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }

    /// Waits up to `timeout` for the server to exit; its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status.code().unwrap_or(-1));
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The next message from the server that is a response (to any id).
    pub fn next_response(&mut self) -> Value {
        self.take_response("no response arrived", |_| true)
    }

    /// The first response, already here or arriving in time, that `pick`
    /// takes; panics with `missing` when none does.
    fn take_response(&mut self, missing: &str, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self.responses.iter().position(&pick) {
                return self.responses.remove(i);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => self.handle(msg),
                Err(RecvTimeoutError::Timeout) => panic!("{missing}"),
                Err(RecvTimeoutError::Disconnected) => panic!("server closed the connection"),
            }
        }
    }

    /// Sends a request and returns the whole response (result or error).
    pub fn request_full(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        self.wait_response(id)
    }

    pub fn send(&mut self, msg: &Value) {
        self.send_raw(&msg.to_string());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Handles one incoming message: answers server requests, stores
    /// notifications and responses.
    fn handle(&mut self, msg: Value) {
        if msg.get("method").is_some() {
            if let Some(id) = msg.get("id") {
                // A server→client request: answer like a plain editor.
                let result = match msg["method"].as_str().unwrap() {
                    "workspace/configuration" => {
                        let n = msg["params"]["items"].as_array().map_or(1, |a| a.len());
                        Value::Array(vec![Value::Null; n])
                    }
                    _ => Value::Null,
                };
                let reply = json!({"jsonrpc": "2.0", "id": id, "result": result});
                self.send(&reply);
            } else if (self.keep)(&msg) {
                self.notifications.push(msg);
            }
            return;
        }
        self.responses.push(msg);
    }

    pub fn wait_response(&mut self, id: i64) -> Value {
        self.take_response(&format!("no response to request {id}"), |r| {
            r["id"] == json!(id)
        })
    }

    /// Sends a request and returns its `result` (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        let resp = self.wait_response(id);
        if let Some(err) = resp.get("error") {
            panic!("{method} failed: {err}");
        }
        resp["result"].clone()
    }

    /// Waits for a notification matching `pred` (consuming it).
    pub fn wait_notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_notification_within(method, pred, TIMEOUT)
    }

    /// As [`Client::wait_notification`] with another time limit.
    pub fn wait_notification_within(
        &mut self,
        method: &str,
        pred: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(i) = self
                .notifications
                .iter()
                .position(|n| n["method"] == method && pred(&n["params"]))
            {
                return self.notifications.remove(i);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => {
                    self.handle(msg);
                }
                Err(_) => panic!("no {method} notification arrived"),
            }
        }
    }

    /// Takes the server's messages as they come for `d`, as an editor
    /// does while its user reads (a client that only sleeps finds them all
    /// queued at its next request, and times their handling as that
    /// request's).
    pub fn pump(&mut self, d: Duration) {
        let deadline = Instant::now() + d;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(msg) => self.handle(msg),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => panic!("server closed the connection"),
            }
        }
    }

    /// initialize + initialized with a workspace root; waits until indexing ends.
    pub fn initialize(&mut self, root: &Path, encodings: &[&str]) -> Value {
        self.initialize_with(root, encodings, Value::Null)
    }

    /// initialize + initialized with `initializationOptions` (settings).
    pub fn initialize_with(&mut self, root: &Path, encodings: &[&str], options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "corpus"}],
                "initializationOptions": options,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "window": {"workDoneProgress": true},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                    "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}
                }
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// Waits for the end of the indexing progress.
    pub fn wait_indexed(&mut self) {
        self.wait_notification("$/progress", |p| p["value"]["kind"] == "end");
    }

    pub fn open(&mut self, path: &Path) -> String {
        let text = std::fs::read_to_string(path).unwrap();
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "plaintext", "version": 1, "text": text}}),
        );
        text
    }

    pub fn shutdown(mut self) -> i32 {
        let id = self.request_async("shutdown", Value::Null);
        self.wait_response(id);
        self.notify("exit", Value::Null);
        match self.wait_exit(Duration::from_secs(10)) {
            Some(code) => code,
            None => panic!("server did not exit after shutdown/exit"),
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The file name of a location's URI.
pub fn file_of(loc: &Value) -> String {
    loc["uri"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

/// (start, content end) of each line, split at "\r\n", "\r", "\n" (the LSP
/// rules).
pub fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, b.len()));
    out
}

/// Byte offset of an LSP position (UTF-16 columns), with the LSP clamping:
/// a character past the line end is the line end, a line past the end the
/// document end, inside a surrogate pair rounds down.
pub fn utf16_offset(text: &str, line: u32, ch: u32) -> usize {
    let ls = lines(text);
    let Some(&(start, end)) = ls.get(line as usize) else {
        return text.len();
    };
    let mut units = 0u64;
    for (i, c) in text[start..end].char_indices() {
        let next = units + c.len_utf16() as u64;
        if next > ch as u64 {
            return start + i;
        }
        units = next;
    }
    end
}

/// UTF-16 position (line, character) of byte offset `off` in `text`.
pub fn utf16_pos(text: &str, off: usize) -> (u32, u32) {
    let ls = lines(text);
    let line = ls.iter().rposition(|&(s, _)| s <= off).unwrap();
    let (s, e) = ls[line];
    let col: usize = text[s..off.min(e)].chars().map(char::len_utf16).sum();
    (line as u32, col as u32)
}

/// [`utf16_pos`] as LSP JSON.
pub fn lsp_pos(text: &str, off: usize) -> Value {
    let (line, character) = utf16_pos(text, off);
    json!({"line": line, "character": character})
}

/// The text an LSP range (UTF-16 positions) covers.
pub fn range_text(text: &str, r: &Value) -> String {
    let off = |p: &Value| {
        utf16_offset(
            text,
            p["line"].as_u64().unwrap() as u32,
            p["character"].as_u64().unwrap() as u32,
        )
    };
    text[off(&r["start"])..off(&r["end"])].to_string()
}

/// What a location (URI and range) covers in its file, read from disk.
pub fn location_text(loc: &Value) -> String {
    let path = loc["uri"]
        .as_str()
        .unwrap()
        .strip_prefix("file://")
        .unwrap();
    let path = percent_decode(path);
    range_text(&std::fs::read_to_string(path).unwrap(), &loc["range"])
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Applies LSP text edits (UTF-16 ranges) to a text.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let off = |p: &Value| {
        utf16_offset(
            text,
            p["line"].as_u64().unwrap() as u32,
            p["character"].as_u64().unwrap() as u32,
        )
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                off(&e["range"]["start"]),
                off(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (a, b, t) in edits {
        out.replace_range(a..b, t);
    }
    out
}

/// Retries `f` until it returns Some (the server re-analyses in the
/// background), for at most 30 seconds.
pub fn eventually<T>(mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "condition never became true");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Position of the `nth` occurrence of `needle` (plus `extra` bytes) as LSP JSON.
pub fn pos_of(text: &str, needle: &str, nth: usize, extra: usize) -> Value {
    let off = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not found"))
        .0
        + extra;
    lsp_pos(text, off)
}

/// Deterministic pseudo-random numbers (a linear congruential generator: no
/// extra dependency, the same sequence on every machine).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

/// The seed articles (`seeds/*.txt`) with their texts, sorted by path.
pub fn seed_texts() -> Vec<(PathBuf, String)> {
    let mut v: Vec<_> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .collect();
    v.sort();
    v
}

/// The line naming entity `e`'s definition (`  def path span`), if any,
/// for comparing corpora.
pub fn definition_line(
    c: &gazette_core::corpus::Corpus,
    e: &gazette_core::corpus::EntityInfo,
) -> String {
    c.definition(e).map_or_else(String::new, |d| {
        format!(
            "  def {} {:?}\n",
            c.path(d.doc).display(),
            c.mention(d).span()
        )
    })
}

/// A document's diagnostics, one a line (`D path span code message`), for
/// comparing corpora.
pub fn diagnostics_listing(
    c: &gazette_core::corpus::Corpus,
    doc: gazette_core::corpus::DocId,
) -> String {
    gazette_ide::diagnostics(c, doc)
        .iter()
        .map(|d| {
            format!(
                "D {} {:?} {} {}\n",
                c.path(doc).display(),
                d.span,
                d.code.as_str(),
                d.message
            )
        })
        .collect()
}

/// A temporary folder holding `files` (name, text; a name may have folders).
pub fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A temporary folder holding one file `name` with `text`, and its path.
pub fn folder_with_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = folder_with(&[(name, text)]);
    let path = dir.path().join(name);
    (dir, path)
}
