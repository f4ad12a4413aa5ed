//! Robustness at the protocol boundary, between the byte stream and the
//! handlers.
//!
//! Two layers wrap tower-lsp-server's `Server`:
//!
//! * **A framing pump** reads LSP frames from the real input itself and hands
//!   the server only well-formed JSON-RPC messages. tower-lsp's reader stops
//!   serving at the first undecodable frame (tokio-util's `FramedRead` ends
//!   the stream after a decoder error), so a single malformed message from an
//!   editor would silently end the session. Instead a malformed frame
//!   (invalid JSON, invalid UTF-8, not a JSON-RPC message, missing
//!   `Content-Length`, over [`MAX_MESSAGE_BYTES`]) is replaced by a private
//!   notification that the guard answers with the JSON-RPC error the
//!   specification asks for (`ParseError` with a null id, or `InvalidRequest`
//!   with the message's id), and the session goes on. Garbage between frames
//!   is skipped. Oversized bodies are discarded while streaming, never
//!   buffered.
//! * **A panic guard** around the service: a handler that panics is logged
//!   and answered with `InternalError` (requests) or dropped (notifications);
//!   the panic never reaches the transport, which would otherwise end the
//!   process. The guard also records whether `shutdown` succeeded, which
//!   decides the exit code (0 after `shutdown`, 1 otherwise).

use super::output::{Destination, Outbox, Output, RawHandler, Reply};
use super::wire_clock::WireClock;
use serde_json::Value;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt,
};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::{ClientSocket, Server};

/// Largest message accepted (a `didOpen` carries a whole document; the
/// corpus size limit is far below this). Bigger frames are discarded unread.
pub const MAX_MESSAGE_BYTES: usize = 512 << 20;
/// Longest header line kept; longer lines are garbage and skipped.
const MAX_HEADER_LINE: usize = 4096;
/// The private method a malformed frame is turned into.
const MALFORMED: &str = "$/gazette/malformed";
/// Test hook: with `GAZETTE_DEBUG_PANIC` set, this method panics inside the
/// guard, to prove panics are contained (the tests use it).
pub const DEBUG_PANIC: &str = "$/gazette/debugPanic";

/// Serves `service` over `input`/`output` until `exit` or the end of input.
/// Returns true when a `shutdown` request was answered first. `raw` answers
/// the methods it handles with JSON bytes (see [`super::output`]).
pub async fn serve<I, O, S>(
    input: I,
    output: Destination<O>,
    service: S,
    socket: ClientSocket,
    raw: Option<Arc<dyn RawHandler>>,
) -> bool
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin,
    S: Service<Request, Response = Option<Response>> + Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
    S::Future: Send + 'static,
{
    let shutdown = Arc::new(AtomicBool::new(false));
    let clock = WireClock::if_debugging();
    let (replies, output) = Output::new(output, clock.clone());
    let guard = Guard {
        inner: service,
        shutdown: shutdown.clone(),
        raw,
        replies,
        clock: clock.clone(),
    };
    let (clean_rx, clean_tx) = tokio::io::duplex(1 << 16);
    let pump = tokio::spawn(pump(input, clean_tx, clock.clone()));
    let (out_rx, out_tx) = tokio::io::duplex(1 << 16);
    // The server (and the handlers it polls) runs on the runtime's workers,
    // the writer here: a response is not held up while notifications are
    // being encoded, nor a request while output is being written.
    let server = tokio::spawn(Server::new(clean_rx, out_tx, socket).serve(guard));
    output.run(out_rx).await;
    if let Err(e) = server.await {
        tracing::error!("the server task failed: {e}");
    }
    pump.abort();
    shutdown.load(Ordering::SeqCst)
}

/// Copies frames from `input` to `out`, replacing malformed ones; closes
/// `out` at the end of input so the server sees it.
async fn pump<I: AsyncRead + Unpin, W: AsyncWrite + Unpin>(
    input: I,
    mut out: W,
    clock: Option<Arc<WireClock>>,
) {
    let mut r = tokio::io::BufReader::with_capacity(1 << 16, input);
    loop {
        let frame = match read_frame(&mut r, MAX_MESSAGE_BYTES).await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!("reading the client's messages failed: {e}");
                break;
            }
        };
        let body = match frame {
            Frame::Body(b) => {
                let b = lone_surrogates_replaced(b);
                match check_message(&b) {
                    Ok(()) => b,
                    Err((err, id)) => malformed(err, id),
                }
            }
            Frame::Bad(err) => malformed(err, Id::Null),
        };
        if let Some(c) = &clock {
            c.read(&body);
        }
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if out.write_all(header.as_bytes()).await.is_err() || out.write_all(&body).await.is_err() {
            // The server stopped reading (after `exit`).
            return;
        }
    }
    let _ = out.shutdown().await;
}

#[derive(Debug)]
pub enum Frame {
    Body(Vec<u8>),
    /// A frame that could not be read; the error to answer with.
    Bad(Error),
}

fn error(code: ErrorCode, message: String) -> Error {
    Error {
        code,
        message: message.into(),
        data: None,
    }
}

/// Reads one frame. `Ok(None)` at the end of input (also inside a frame).
/// Frames over `max` bytes are discarded as they stream and answered with an error.
pub async fn read_frame<R: AsyncBufRead + Unpin>(
    r: &mut R,
    max: usize,
) -> std::io::Result<Option<Frame>> {
    let mut content_len: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let Some(line) = read_line_limited(r).await? else {
            return Ok(None);
        };
        let line = match std::str::from_utf8(&line) {
            Ok(l) => l.trim(),
            Err(_) => {
                tracing::warn!("skipping a header line that is not UTF-8");
                continue;
            }
        };
        if line.is_empty() {
            if !saw_header {
                continue; // stray blank line between frames
            }
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            tracing::warn!("skipping garbage before a message: {line:.80}");
            continue;
        };
        saw_header = true;
        if name.trim().eq_ignore_ascii_case("content-length") {
            content_len = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|e| format!("invalid Content-Length {:.40}: {e}", value.trim())),
            );
        }
    }
    let len = match content_len {
        None => {
            return Ok(Some(Frame::Bad(error(
                ErrorCode::ParseError,
                "gazette: message without a Content-Length header".into(),
            ))))
        }
        Some(Err(e)) => return Ok(Some(Frame::Bad(error(ErrorCode::ParseError, e)))),
        Some(Ok(n)) => n,
    };
    if len > max {
        let skipped = tokio::io::copy(&mut r.take(len as u64), &mut tokio::io::sink()).await?;
        if (skipped as usize) < len {
            return Ok(None);
        }
        return Ok(Some(Frame::Bad(error(
            ErrorCode::InvalidRequest,
            format!("gazette: message of {len} bytes is over the limit of {max}"),
        ))));
    }
    let mut body = Vec::new();
    let n = r.take(len as u64).read_to_end(&mut body).await?;
    if n < len {
        return Ok(None);
    }
    Ok(Some(Frame::Body(body)))
}

/// One header line without its terminator; lines over the limit are cut.
async fn read_line_limited<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut any = false;
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(if any { Some(line) } else { None });
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        let room = MAX_HEADER_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = done.unwrap_or(buf.len());
        r.consume(used);
        if done.is_some() {
            return Ok(Some(line));
        }
    }
}

/// Checks that a body is a JSON-RPC message tower-lsp will accept; else the
/// error to answer and the id to answer it with.
/// `body` with every unpaired UTF-16 surrogate escape (`\\ud800` without
/// its low half, or a low half alone) replaced by `\\ufffd`.
///
/// JavaScript strings may hold lone surrogates (an editor's buffer in the
/// middle of an edit, a pasted half of an emoji), and clients send them as
/// JSON escapes; serde_json refuses them, which would drop the whole
/// message — a `didChange` lost makes the server's text diverge from the
/// editor's for the rest of the session. U+FFFD is one UTF-16 unit like the
/// lone surrogate, so every later position in the document stays right.
/// Escapes only occur inside JSON strings, where `\\\\` is the only other
/// escape that could precede a `u`; both are walked as escapes.
pub fn lone_surrogates_replaced(body: Vec<u8>) -> Vec<u8> {
    fn unit_at(b: &[u8], i: usize) -> Option<u16> {
        if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
            return None;
        }
        let hex = std::str::from_utf8(b.get(i + 2..i + 6)?).ok()?;
        u16::from_str_radix(hex, 16).ok()
    }
    const HIGH: std::ops::RangeInclusive<u16> = 0xD800..=0xDBFF;
    const LOW: std::ops::RangeInclusive<u16> = 0xDC00..=0xDFFF;
    let mut lone = Vec::new();
    let mut i = 0;
    while let Some(at) = body[i..].iter().position(|&c| c == b'\\') {
        i += at;
        match unit_at(&body, i) {
            Some(u) if HIGH.contains(&u) => {
                if unit_at(&body, i + 6).is_some_and(|l| LOW.contains(&l)) {
                    i += 12;
                } else {
                    lone.push(i);
                    i += 6;
                }
            }
            Some(u) if LOW.contains(&u) => {
                lone.push(i);
                i += 6;
            }
            Some(_) => i += 6,
            None => i += 2,
        }
        if i >= body.len() {
            break;
        }
    }
    if lone.is_empty() {
        return body;
    }
    let mut body = body;
    for at in lone {
        body[at + 2..at + 6].copy_from_slice(b"fffd");
    }
    body
}

pub fn check_message(body: &[u8]) -> Result<(), (Error, Id)> {
    let text = std::str::from_utf8(body).map_err(|e| {
        (
            error(
                ErrorCode::ParseError,
                format!("gazette: message is not UTF-8: {e}"),
            ),
            Id::Null,
        )
    })?;
    if serde_json::from_str::<Request>(text).is_ok()
        || serde_json::from_str::<Response>(text).is_ok()
    {
        return Ok(());
    }
    match serde_json::from_str::<Value>(text) {
        Err(e) => Err((
            error(ErrorCode::ParseError, format!("gazette: invalid JSON: {e}")),
            Id::Null,
        )),
        Ok(v) => {
            let id = v
                .get("id")
                .and_then(|id| serde_json::from_value::<Id>(id.clone()).ok())
                .unwrap_or(Id::Null);
            Err((
                error(
                    ErrorCode::InvalidRequest,
                    "gazette: not a JSON-RPC 2.0 request, notification or response".into(),
                ),
                id,
            ))
        }
    }
}

fn malformed(err: Error, id: Id) -> Vec<u8> {
    tracing::warn!("malformed message from the client: {}", err.message);
    serde_json::json!({
        "jsonrpc": "2.0",
        "method": MALFORMED,
        "params": { "code": err.code.code(), "message": err.message, "id": id },
    })
    .to_string()
    .into_bytes()
}

/// The service wrapper: answers malformed frames, contains panics, records
/// `shutdown`.
pub struct Guard<S> {
    inner: S,
    shutdown: Arc<AtomicBool>,
    raw: Option<Arc<dyn RawHandler>>,
    /// Responses go straight to the output writer (see `output.rs`).
    replies: Outbox,
    clock: Option<Arc<WireClock>>,
}

type BoxFut<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

impl<S> Service<Request> for Guard<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFut<Option<Response>, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let replies = self.replies.clone();
        let clock = self.clock.clone();
        let answer = self.answer(req);
        Box::pin(async move {
            if let Some(reply) = answer.await? {
                if let Some(c) = &clock {
                    c.answered(&reply.id);
                }
                replies.send(reply);
            }
            // tower-lsp has nothing left to write for this request.
            Ok(None)
        })
    }
}

impl<S> Guard<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    /// The response to `req` (none for a notification), contained: a panic
    /// becomes an `InternalError` response.
    fn answer(&mut self, req: Request) -> BoxFut<Option<Reply>, S::Error> {
        let typed = |r: Option<Response>| r.as_ref().map(Reply::of);
        let method = req.method().to_string();
        let id = req.id().cloned();
        if method == MALFORMED {
            let (_, _, params) = req.into_parts();
            let params = params.unwrap_or_default();
            let code = params["code"].as_i64().unwrap_or(-32700);
            let err = error(
                ErrorCode::from(code),
                params["message"]
                    .as_str()
                    .unwrap_or("malformed message")
                    .to_string(),
            );
            let id = serde_json::from_value::<Id>(params["id"].clone()).unwrap_or(Id::Null);
            return Box::pin(std::future::ready(Ok(typed(Some(Response::from_error(
                id, err,
            ))))));
        }
        if method == DEBUG_PANIC && std::env::var_os("GAZETTE_DEBUG_PANIC").is_some() {
            let fut: Pin<Box<dyn Future<Output = ()> + Send>> =
                Box::pin(async { panic!("debug panic requested by the client") });
            return Box::pin(
                async move { Ok(typed(contain(&method, id, CatchUnwind(fut)).await)) },
            );
        }
        // Background jobs pause while a request is answered.
        let foreground = id.is_some().then(crate::background::Foreground::begin);
        if let (Some(c), Some(id)) = (&self.clock, &id) {
            c.called(id);
        }
        if let (Some(h), Some(id)) = (self.raw.as_ref().filter(|h| h.handles(&method)), &id) {
            let (h, id) = (h.clone(), id.clone());
            let (_, _, params) = req.into_parts();
            return Box::pin(async move {
                let _foreground = foreground;
                let answer = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    h.handle(&method, params.unwrap_or(Value::Null))
                }));
                Ok(match answer {
                    Ok(Ok(json)) => Some(Reply::raw(id, json)),
                    Ok(Err(e)) => typed(Some(Response::from_error(id, e))),
                    Err(p) => typed(answer_panic(&method, Some(id), p)),
                })
            });
        }
        let fut = match std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(req))) {
            Ok(f) => f,
            Err(p) => {
                let resp = answer_panic(&method, id, p);
                return Box::pin(std::future::ready(Ok(typed(resp))));
            }
        };
        let shutdown = self.shutdown.clone();
        Box::pin(async move {
            let _foreground = foreground;
            match CatchUnwind(Box::pin(fut)).await {
                Ok(Ok(resp)) => {
                    if method == "shutdown" && resp.as_ref().is_some_and(Response::is_ok) {
                        shutdown.store(true, Ordering::SeqCst);
                    }
                    Ok(typed(resp))
                }
                Ok(Err(e)) => Err(e),
                Err(p) => Ok(typed(answer_panic(&method, id, p))),
            }
        })
    }
}

async fn contain(
    method: &str,
    id: Option<Id>,
    fut: CatchUnwind<Pin<Box<dyn Future<Output = ()> + Send>>>,
) -> Option<Response> {
    match fut.await {
        Ok(()) => None,
        Err(p) => answer_panic(method, id, p),
    }
}

fn answer_panic(
    method: &str,
    id: Option<Id>,
    p: Box<dyn std::any::Any + Send>,
) -> Option<Response> {
    let msg = gazette_core::analysis::panic_message(&*p).unwrap_or_else(|| "unknown panic".into());
    tracing::error!("panic while handling {method}: {msg}");
    let id = id?;
    let mut err = Error::internal_error();
    err.message = format!("gazette: internal error while handling {method}: {msg}").into();
    Some(Response::from_error(id, err))
}

/// Polls a future, turning a panic during a poll into `Err`.
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = Pin::new(&mut self.0);
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(p) => Poll::Ready(Err(p)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<Frame> {
        let mut r = tokio::io::BufReader::new(input);
        let mut out = Vec::new();
        while let Some(f) = read_frame(&mut r, 1000).await.unwrap() {
            out.push(f);
        }
        out
    }

    #[tokio::test]
    async fn reads_frames_and_skips_garbage() {
        let input = b"garbage line\r\n\r\nContent-Length: 2\r\n\r\n{}\
                      content-length:3\r\nContent-Type: x\r\n\r\n[1]\
                      Content-Length: zz\r\n\r\nContent-Length: 1\r\n\r\n";
        let f = frames(input).await;
        assert!(matches!(&f[0], Frame::Body(b) if b == b"{}"), "{f:?}");
        assert!(matches!(&f[1], Frame::Body(b) if b == b"[1]"), "{f:?}");
        assert!(
            matches!(&f[2], Frame::Bad(e) if e.code == ErrorCode::ParseError),
            "{f:?}"
        );
        // The last frame is cut off by the end of input.
        assert_eq!(f.len(), 3, "{f:?}");
    }

    #[tokio::test]
    async fn oversized_frames_are_discarded_and_reading_goes_on() {
        let mut input = b"Content-Length: 5000\r\n\r\n".to_vec();
        input.resize(input.len() + 5000, b'x');
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
        let f = frames(&input).await;
        assert!(matches!(&f[0], Frame::Bad(e) if e.code == ErrorCode::InvalidRequest));
        assert!(matches!(&f[1], Frame::Body(b) if b == b"{}"));
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let fix = |s: &str| String::from_utf8(lone_surrogates_replaced(s.into())).unwrap();
        // Lone high, lone low, high at the end, and one at the end of input.
        assert_eq!(fix(r#"{"t":"a\ud800b"}"#), r#"{"t":"a\ufffdb"}"#);
        assert_eq!(fix(r#"{"t":"\uDC00"}"#), r#"{"t":"\ufffd"}"#);
        assert_eq!(fix(r#"{"t":"\ud800\u0041"}"#), r#"{"t":"\ufffd\u0041"}"#);
        assert_eq!(fix(r#""\ud83d"#), r#""\ufffd"#);
        // Pairs, escaped backslashes and other escapes are left alone.
        for ok in [
            r#"{"t":"\ud83d\ude00"}"#,
            r#"{"t":"\\ud800"}"#,
            r#"{"t":"\n\"\\\u00e4"}"#,
            r#"{"t":"\"#,
            r#"{"t":"\u12"}"#,
        ] {
            assert_eq!(fix(ok), ok);
        }
    }

    proptest::proptest! {
        /// Any UTF-16 sequence sent as escapes decodes as std's lossy UTF-16
        /// decoder would (a lone surrogate is one U+FFFD), unit for unit.
        #[test]
        fn any_utf16_escapes_decode_like_decode_utf16(
            units in proptest::collection::vec(
                proptest::prop_oneof![0xD7F0u16..0xE010, proptest::num::u16::ANY], 0..24)
        ) {
            let mut json = String::from("{\"t\":\"");
            for u in &units {
                json.push_str(&format!("\\u{u:04x}"));
            }
            json.push_str("\"}");
            let fixed = lone_surrogates_replaced(json.into_bytes());
            let v: serde_json::Value = serde_json::from_slice(&fixed).unwrap();
            let want: String = char::decode_utf16(units.iter().copied())
                .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            proptest::prop_assert_eq!(v["t"].as_str().unwrap(), want.as_str());
            proptest::prop_assert_eq!(want.encode_utf16().count(), units.len());
        }
    }

    #[test]
    fn classifies_bodies() {
        assert!(check_message(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#).is_ok());
        assert!(check_message(br#"{"jsonrpc":"2.0","method":"x","params":[]}"#).is_ok());
        assert!(check_message(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_ok());
        let (e, id) = check_message(b"{nope").unwrap_err();
        assert_eq!((e.code, id), (ErrorCode::ParseError, Id::Null));
        let (e, id) = check_message(br#"{"jsonrpc":"2.0","id":7,"method":5}"#).unwrap_err();
        assert_eq!((e.code, id), (ErrorCode::InvalidRequest, Id::Number(7)));
        let (e, _) = check_message(b"\xff\xfe").unwrap_err();
        assert_eq!(e.code, ErrorCode::ParseError);
    }
}
