//! The one writer of the server's output, and responses as JSON bytes.
//!
//! **Responses go first.** tower-lsp-server writes responses and the
//! server's own notifications (diagnostics, progress) through one stream,
//! in turn: after indexing, when the diagnostics of 20,000 articles are
//! being published, a hover's response waited behind tens of notifications
//! being encoded and written (2–6 ms of a 0.3 ms hover, measured with the
//! debug log's round trips, see `wire_clock.rs`). So the guard layer takes
//! every response from its handler and hands it to this writer itself (the
//! handler runs in the request's future, so it is still ordered after
//! earlier edits, see `lsp/mod.rs`); tower-lsp writes only notifications
//! and requests to the client, which this writer copies out when no
//! response is waiting. LSP orders neither against responses, and each
//! stream keeps its own order (diagnostics stay in version order).
//!
//! **Large results bypass `serde_json::Value`.** tower-lsp turns every
//! handler result into a `Value` before writing it (`to_value`, `to_vec`,
//! then dropping the tree): for the references of an entity named 130,000
//! times that is ~250 ms to build, ~100 ms to write and ~200 ms to free,
//! against ~30 ms to write the same JSON directly. A few methods with
//! potentially huge results ([`RawHandler::handles`]) are answered with JSON
//! bytes in segments (parts made on several cores, never concatenated).

use super::wire_clock::WireClock;
use serde_json::Value;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Id, Response};

/// Answers some methods with JSON bytes (the `result` member's value).
pub trait RawHandler: Send + Sync + 'static {
    /// Does this handler answer `method` now? (Asked when the request is
    /// dispatched; `false` — say before `initialize` or after `shutdown` —
    /// sends it through tower-lsp as usual.)
    fn handles(&self, method: &str) -> bool;
    /// The result as JSON, in segments to be written one after another.
    fn handle(&self, method: &str, params: Value) -> Result<Vec<Vec<u8>>, Error>;
}

/// A response on its way to the writer: its id (for the debug log's round
/// trips) and its body in segments.
pub struct Reply {
    pub id: Id,
    pub body: Vec<Vec<u8>>,
}

impl Reply {
    /// A response built by tower-lsp's types.
    pub fn of(resp: &Response) -> Reply {
        let id = resp.id().clone();
        let body = serde_json::to_vec(resp).unwrap_or_else(|e| {
            // A result that does not serialise (a map with non-string
            // keys, say) is a bug; the client still gets an answer.
            let mut err = Error::internal_error();
            err.message = format!("gazette: cannot serialise the result: {e}").into();
            serde_json::to_vec(&Response::from_error(id.clone(), err)).unwrap_or_default()
        });
        Reply {
            id,
            body: vec![body],
        }
    }

    /// A successful response whose result is `result`, JSON in segments.
    pub fn raw(id: Id, result: Vec<Vec<u8>>) -> Reply {
        let mut head = br#"{"jsonrpc":"2.0","id":"#.to_vec();
        // An id is a number, a string or null: always serialisable.
        serde_json::to_writer(&mut head, &id).expect("a JSON-RPC id serialises");
        head.extend_from_slice(br#","result":"#);
        let mut body = Vec::with_capacity(result.len() + 2);
        body.push(head);
        body.extend(result);
        body.push(b"}".to_vec());
        Reply { id, body }
    }
}

/// Where the guard sends responses.
pub type Replies = mpsc::UnboundedSender<Reply>;

/// Bytes written that the client has not read yet (where the output can
/// tell: a pipe).
pub type Unread = Box<dyn Fn() -> usize + Send + Sync>;

/// Notifications wait while the client has more than this left to read:
/// a response written now would wait behind it in the pipe (the client
/// parses what comes first), and after indexing the diagnostics of 20,000
/// articles would otherwise keep the pipe full.
const MAX_UNREAD: usize = 8 << 10;

/// Writes the server's output: responses from `replies` first, then the
/// frames tower-lsp writes to `from` (notifications, requests to the
/// client). Ends when both are finished.
pub async fn write_all<R, W>(
    from: R,
    out: W,
    mut replies: mpsc::UnboundedReceiver<Reply>,
    clock: Option<Arc<WireClock>>,
    unread: Option<Unread>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    // tower-lsp's frames are read beside the writer (reading a frame is not
    // cancel-safe, receiving from a channel is).
    let (frames_tx, mut frames) = mpsc::channel::<Vec<u8>>(64);
    let read = async move {
        let mut r = tokio::io::BufReader::with_capacity(1 << 16, from);
        loop {
            match super::guard::read_frame(&mut r, usize::MAX).await {
                Ok(Some(super::guard::Frame::Body(b))) => {
                    if frames_tx.send(b).await.is_err() {
                        break;
                    }
                }
                Ok(Some(super::guard::Frame::Bad(_))) => continue,
                Ok(None) | Err(_) => break,
            }
        }
    };
    let write = async move {
        // Small: what waits here (and in the pipe) is written before a response
        // that arrives meanwhile.
        let mut out = tokio::io::BufWriter::with_capacity(1 << 14, out);
        loop {
            // While a request is answered, or the client is behind,
            // notifications wait (briefly), so that a response does not
            // queue behind more of them in the pipe.
            let hold = crate::background::requests_in_flight()
                || unread.as_ref().is_some_and(|u| u() > MAX_UNREAD);
            let (answered, body) = tokio::select! {
                biased;
                Some(r) = replies.recv() => (Some(r.id), r.body),
                Some(f) = frames.recv(), if !hold => (None, vec![f]),
                _ = tokio::time::sleep(std::time::Duration::from_millis(1)), if hold => continue,
                else => break,
            };
            let t = std::time::Instant::now();
            let len: usize = body.iter().map(Vec::len).sum();
            let header = format!("Content-Length: {len}\r\n\r\n");
            let mut failed = out.write_all(header.as_bytes()).await.is_err();
            for s in &body {
                failed = failed || out.write_all(s).await.is_err();
            }
            // A response goes out now; notifications may gather while
            // more are waiting.
            let more = replies.is_empty() && !frames.is_empty();
            if failed || (answered.is_some() || !more) && out.flush().await.is_err() {
                break;
            }
            if let Some(c) = &clock {
                c.written(answered);
            }
            if len > 1 << 20 {
                tracing::debug!(
                    "wrote a {:.1} MB message in {:.1} ms",
                    len as f64 / 1e6,
                    t.elapsed().as_secs_f64() * 1e3
                );
            }
        }
        let _ = out.flush().await;
    };
    tokio::join!(read, write);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_replies_are_json_rpc_responses() {
        let r = Reply::raw(
            Id::Number(7),
            vec![br#"[{"a":1},"#.to_vec(), br#"{"b":2}]"#.to_vec()],
        );
        let v: Value = serde_json::from_slice(&r.body.concat()).unwrap();
        assert_eq!(v["result"], serde_json::json!([{"a": 1}, {"b": 2}]));
        assert_eq!((&v["id"], &v["jsonrpc"]), (&7.into(), &"2.0".into()));
        let r = Reply::raw(Id::String("x\"y".into()), vec![b"null".to_vec()]);
        let v: Value = serde_json::from_slice(&r.body.concat()).unwrap();
        assert_eq!((&v["id"], &v["result"]), (&"x\"y".into(), &Value::Null));
        let typed = Reply::of(&Response::from_ok(Id::Number(1), "t".into()));
        let v: Value = serde_json::from_slice(&typed.body.concat()).unwrap();
        assert_eq!((&v["id"], &v["result"]), (&1.into(), &"t".into()));
    }

    /// Notifications wait while the client has much left to read;
    /// responses do not.
    #[tokio::test]
    async fn notifications_wait_for_a_client_that_is_behind() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tokio::io::AsyncReadExt;
        let body = r#"{"jsonrpc":"2.0","method":"n","params":1}"#;
        let frames = format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
        let behind = Arc::new(AtomicUsize::new(1 << 20));
        let b = behind.clone();
        let unread: Unread = Box::new(move || b.load(Ordering::SeqCst));
        let (tx, rx) = mpsc::unbounded_channel();
        tx.send(Reply::raw(Id::Number(1), vec![b"true".to_vec()]))
            .unwrap();
        let (mut client, server_out) = tokio::io::duplex(1 << 16);
        let writer = tokio::spawn(async move {
            write_all(&frames[..], server_out, rx, None, Some(unread)).await;
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let mut got = vec![0u8; 4096];
        let n = client.read(&mut got).await.unwrap();
        let seen = String::from_utf8_lossy(&got[..n]).to_string();
        assert!(
            seen.contains(r#""id":1"#) && !seen.contains(r#""method":"n""#),
            "{seen}"
        );
        // The client caught up: the notification follows.
        behind.store(0, Ordering::SeqCst);
        drop(tx);
        let mut rest = String::new();
        client.read_to_string(&mut rest).await.unwrap();
        assert!(rest.contains(r#""method":"n""#), "{rest}");
        writer.await.unwrap();
    }

    /// Responses overtake notifications still waiting to be written; each
    /// stream keeps its own order.
    #[tokio::test]
    async fn responses_go_before_waiting_notifications() {
        let mut frames = Vec::new();
        for i in 0..3 {
            let body = format!(r#"{{"jsonrpc":"2.0","method":"n","params":{i}}}"#);
            frames.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).bytes());
        }
        let (tx, rx) = mpsc::unbounded_channel();
        for i in 0..2 {
            tx.send(Reply::raw(Id::Number(i), vec![b"true".to_vec()]))
                .unwrap();
        }
        drop(tx);
        let mut out = Vec::new();
        write_all(&frames[..], &mut out, rx, None, None).await;
        let mut r = tokio::io::BufReader::new(&out[..]);
        let mut seen = Vec::new();
        while let Some(super::super::guard::Frame::Body(b)) =
            super::super::guard::read_frame(&mut r, usize::MAX)
                .await
                .unwrap()
        {
            let v: Value = serde_json::from_slice(&b).unwrap();
            seen.push(if v["id"].is_null() {
                format!("n{}", v["params"])
            } else {
                format!("r{}", v["id"])
            });
        }
        assert_eq!(seen, ["r0", "r1", "n0", "n1", "n2"]);
    }
}
