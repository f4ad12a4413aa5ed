//! The server's output (responses written by the thread that answered,
//! or by the writer ahead of notifications), and responses as JSON bytes.
//!
//! **Responses go first.** tower-lsp-server writes responses and the
//! server's own notifications (diagnostics, progress) through one stream,
//! in turn: after indexing, when the diagnostics of 20,000 articles are
//! being published, a hover's response waited behind tens of notifications
//! being encoded and written (2–6 ms of a 0.3 ms hover, measured with the
//! debug log's round trips, see `wire_clock.rs`). So the guard layer takes
//! every response from its handler and hands it to the [`Outbox`] (the
//! handler runs in the request's future, so it is still ordered after
//! earlier edits); tower-lsp writes only notifications and requests to the
//! client, which the writer copies out when no response is waiting. LSP
//! orders neither against responses, and each stream keeps its own order
//! (diagnostics stay in version order).
//!
//! **The answering thread writes.** A response handed to a writer thread
//! waited for that thread to get a core again (4–5 ms on two busy vCPUs),
//! so [`Outbox::send`] writes it to the pipe at once when no other frame is
//! half-written; the writer finishes what did not fit. Frames are written
//! whole or not begun, under one lock, so they never interleave.
//!
//! **Large results bypass `serde_json::Value`.** tower-lsp turns every
//! handler result into a `Value` before writing it (`to_value`, `to_vec`,
//! then dropping the tree): for the references of an entity named 130,000
//! times that is ~250 ms to build, ~100 ms to write and ~200 ms to free,
//! against ~30 ms to write the same JSON directly. A few methods with
//! potentially huge results ([`RawHandler::handles`]) are answered with JSON
//! bytes in segments (parts made on several cores, never concatenated).

use super::wire_clock::WireClock;
use parking_lot::Mutex;
use serde_json::Value;
use std::collections::VecDeque;
use std::future::Future;
use std::io::IoSlice;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, Notify};
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

/// Where the server's output goes.
pub enum Destination<O> {
    /// A pipe (standard output, as editors start servers): written without
    /// a relay, a response straight from the thread that answered it.
    #[cfg(unix)]
    Pipe(Pipe),
    /// Anything else (a file, a socket, an in-memory stream in tests):
    /// written by a relay from a small in-memory buffer.
    Stream(O),
}

/// Something frames are written to without blocking, from any thread.
trait Sink: Send + Sync {
    /// Writes what it can now; `WouldBlock` when nothing fits.
    fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize>;
    /// Resolves when a write may succeed.
    fn writable(&self) -> Pin<Box<dyn Future<Output = std::io::Result<()>> + Send + '_>>;
    /// Bytes written that the client has not read yet (0 where unknown).
    fn unread(&self) -> usize;
    /// The client closed its end: nothing written will ever be read.
    fn reader_gone(&self) -> bool;
    /// No more frames: what is buffered is delivered, then the output ends.
    fn close(&self) {}
}

/// A pipe written without waiting for the runtime: tokio's view of whether
/// the pipe has room is updated by its I/O driver, which runs only when a
/// worker is free (after indexing, both are busy for seconds). A response
/// is written whenever the pipe has room, seen or not.
#[cfg(unix)]
pub struct Pipe {
    tokio: tokio::net::unix::pipe::Sender,
    /// The same pipe, written with plain system calls.
    fd: std::fs::File,
}

#[cfg(unix)]
impl Pipe {
    pub fn new(tokio: tokio::net::unix::pipe::Sender) -> std::io::Result<Pipe> {
        use std::os::fd::AsFd;
        let fd = std::fs::File::from(tokio.as_fd().try_clone_to_owned()?);
        Ok(Pipe { tokio, fd })
    }
}

#[cfg(unix)]
impl Sink for Pipe {
    fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize> {
        use std::io::Write;
        // Through tokio first, which keeps its readiness right (a failed
        // write makes `writable` wait for the client to read) ...
        match self.tokio.try_io(|| (&self.fd).write_vectored(bufs)) {
            // ... and when tokio has not seen room yet, the pipe itself.
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => (&self.fd).write_vectored(bufs),
            r => r,
        }
    }
    fn writable(&self) -> Pin<Box<dyn Future<Output = std::io::Result<()>> + Send + '_>> {
        Box::pin(self.tokio.writable())
    }
    #[cfg(target_os = "linux")]
    fn unread(&self) -> usize {
        use std::os::fd::AsRawFd;
        let mut n: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int through the pointer, which points
        // at a live local; the descriptor is open while `self` is. FIONREAD
        // works on either end of a pipe on Linux.
        let rc = unsafe { libc::ioctl(self.fd.as_raw_fd(), libc::FIONREAD, &mut n) };
        if rc == 0 {
            n.max(0) as usize
        } else {
            0
        }
    }
    #[cfg(not(target_os = "linux"))]
    fn unread(&self) -> usize {
        0
    }
    fn reader_gone(&self) -> bool {
        use std::os::fd::AsRawFd;
        let mut p = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLOUT,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a zero timeout; the descriptor is open
        // while `self` is. A pipe whose reader is gone polls as POLLERR.
        let n = unsafe { libc::poll(&mut p, 1, 0) };
        n == 1 && p.revents & (libc::POLLERR | libc::POLLHUP) != 0
    }
}

/// An in-memory pipe in front of any writer: [`relay`] copies it out.
struct Buffer {
    bytes: Mutex<Vec<u8>>,
    /// The relay took bytes (room for more).
    taken: Notify,
    /// Bytes (or the end) arrived for the relay.
    filled: Notify,
    closed: AtomicBool,
}

impl Buffer {
    /// As much as a pipe holds: a client that does not read stops the writer.
    const CAPACITY: usize = 64 << 10;
}

impl Sink for Arc<Buffer> {
    fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize> {
        if self.closed.load(Ordering::SeqCst) {
            // The relay stopped: the client is gone.
            return Err(std::io::ErrorKind::BrokenPipe.into());
        }
        let mut b = self.bytes.lock();
        let mut room = Buffer::CAPACITY.saturating_sub(b.len());
        if room == 0 {
            return Err(std::io::ErrorKind::WouldBlock.into());
        }
        let mut n = 0;
        for s in bufs {
            let take = s.len().min(room);
            b.extend_from_slice(&s[..take]);
            (n, room) = (n + take, room - take);
            if room == 0 {
                break;
            }
        }
        drop(b);
        self.filled.notify_one();
        Ok(n)
    }
    fn writable(&self) -> Pin<Box<dyn Future<Output = std::io::Result<()>> + Send + '_>> {
        Box::pin(async move {
            while self.bytes.lock().len() >= Buffer::CAPACITY {
                if self.closed.load(Ordering::SeqCst) {
                    return Err(std::io::ErrorKind::BrokenPipe.into());
                }
                self.taken.notified().await;
            }
            Ok(())
        })
    }
    fn unread(&self) -> usize {
        self.bytes.lock().len()
    }
    fn reader_gone(&self) -> bool {
        // Set by the relay when the output failed (or by `close`, after
        // which nothing is written).
        self.closed.load(Ordering::SeqCst)
    }
    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.filled.notify_one();
    }
}

/// Copies `buf` to `out` until `buf` is closed and empty (or `out` fails).
async fn relay<O: AsyncWrite + Unpin>(buf: &Buffer, mut out: O) {
    loop {
        let bytes = std::mem::take(&mut *buf.bytes.lock());
        if bytes.is_empty() {
            if buf.closed.load(Ordering::SeqCst) {
                break;
            }
            buf.filled.notified().await;
            continue;
        }
        buf.taken.notify_one();
        if out.write_all(&bytes).await.is_err() || out.flush().await.is_err() {
            // The client is gone: writers get an error from now on.
            buf.closed.store(true, Ordering::SeqCst);
            buf.taken.notify_one();
            return;
        }
    }
    let _ = out.shutdown().await;
}

/// What is left to write of a frame (or a batch of notification frames)
/// that was begun: nothing else may be written until it is finished.
struct Rest {
    parts: VecDeque<Vec<u8>>,
    /// Bytes of `parts[0]` already written.
    at: usize,
    /// The response's id, or none for notifications.
    answered: Option<Id>,
    /// Notification frames in `parts`.
    notifications: usize,
    len: usize,
    begun: std::time::Instant,
}

impl Rest {
    fn new(answered: Option<Id>) -> Rest {
        Rest {
            parts: VecDeque::new(),
            at: 0,
            answered,
            notifications: 0,
            len: 0,
            begun: std::time::Instant::now(),
        }
    }

    /// A response's frame.
    fn reply(reply: Reply) -> Rest {
        let mut r = Rest::new(Some(reply.id));
        r.push_frame(reply.body);
        r
    }

    /// Adds one frame: its header, then its body in segments.
    fn push_frame(&mut self, body: Vec<Vec<u8>>) {
        let len: usize = body.iter().map(Vec::len).sum();
        self.parts
            .push_back(format!("Content-Length: {len}\r\n\r\n").into_bytes());
        self.parts.extend(body);
        self.len += len;
    }
}

/// The output shared by the writer and the threads that answer requests.
struct Shared {
    sink: Box<dyn Sink>,
    /// A frame begun but not finished.
    rest: Mutex<Option<Rest>>,
    clock: Option<Arc<WireClock>>,
}

impl Shared {
    /// Writes what it can of `r`: `Ok(true)` once all of it is written,
    /// `Ok(false)` when the client must read first.
    fn write_some(&self, r: &mut Rest) -> std::io::Result<bool> {
        /// Slices per system call (under every system's IOV_MAX).
        const SLICES: usize = 64;
        loop {
            while r.parts.front().is_some_and(|p| r.at >= p.len()) {
                r.parts.pop_front();
                r.at = 0;
            }
            let Some(first) = r.parts.front() else {
                return Ok(true);
            };
            let mut slices = Vec::with_capacity(r.parts.len().min(SLICES));
            slices.push(IoSlice::new(&first[r.at..]));
            slices.extend(
                r.parts
                    .iter()
                    .skip(1)
                    .take(SLICES - 1)
                    .map(|p| IoSlice::new(p)),
            );
            match self.sink.try_write_vectored(&slices) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(mut n) => {
                    while n > 0 {
                        let left = r.parts[0].len() - r.at;
                        if n >= left {
                            n -= left;
                            r.parts.pop_front();
                            r.at = 0;
                        } else {
                            r.at += n;
                            n = 0;
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Writes what it can of the frame begun in `slot`: the frame, taken
    /// out of `slot`, once all of it is written; `None` while the client
    /// must read first, or when nothing is begun.
    fn advance(&self, slot: &mut Option<Rest>) -> std::io::Result<Option<Rest>> {
        match slot.as_mut().map(|r| self.write_some(r)).transpose()? {
            Some(true) => Ok(slot.take()),
            _ => Ok(None),
        }
    }

    /// Bookkeeping for a finished frame (the debug log's round trips).
    fn finished(&self, r: Rest) {
        if let Some(c) = &self.clock {
            for _ in 0..r.notifications {
                c.written(None);
            }
            if r.answered.is_some() {
                c.written(r.answered);
            }
        }
        if r.len > 1 << 20 {
            tracing::debug!(
                "wrote a {:.1} MB message in {:.1} ms",
                r.len as f64 / 1e6,
                r.begun.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}

/// Where the guard sends responses: written at once by the thread that
/// answered when nothing else is being written (so a response does not
/// wait for the writer's thread to get a core again), otherwise queued for
/// the writer, which writes responses before notifications.
#[derive(Clone)]
pub struct Outbox {
    shared: Arc<Shared>,
    replies: mpsc::UnboundedSender<ToWriter>,
}

/// What the writer is told.
enum ToWriter {
    /// A response to write.
    Reply(Reply),
    /// A response was begun and must be finished.
    Begun,
}

impl Outbox {
    pub fn send(&self, reply: Reply) {
        let mut rest = self.shared.rest.lock();
        if rest.is_some() {
            drop(rest);
            // The writer is gone only when the session is over.
            let _ = self.replies.send(ToWriter::Reply(reply));
            return;
        }
        *rest = Some(Rest::reply(reply));
        match self.shared.advance(&mut rest) {
            Ok(Some(done)) => {
                drop(rest);
                self.shared.finished(done);
            }
            // The client has to read first: the writer finishes it.
            Ok(None) => {
                drop(rest);
                let _ = self.replies.send(ToWriter::Begun);
            }
            // The client is gone.
            Err(_) => *rest = None,
        }
    }
}

/// Notifications wait while the client has more than this left to read:
/// a response written now would wait behind it in the pipe (the client
/// parses what comes first), and after indexing the diagnostics of 20,000
/// articles would otherwise keep the pipe full.
const MAX_UNREAD: usize = 8 << 10;

/// Notification frames written with one system call, at most (and only
/// while the batch is under [`MAX_UNREAD`]).
const BATCH: usize = 32;

/// The server's output: the [`Outbox`] for responses, and [`Output::run`],
/// which writes them and the frames tower-lsp writes (notifications,
/// requests to the client).
pub struct Output<O> {
    shared: Arc<Shared>,
    replies: mpsc::UnboundedReceiver<ToWriter>,
    relay: Option<(Arc<Buffer>, O)>,
}

impl<O: AsyncWrite + Unpin> Output<O> {
    pub fn new(dest: Destination<O>, clock: Option<Arc<WireClock>>) -> (Outbox, Output<O>) {
        let (sink, relay): (Box<dyn Sink>, _) = match dest {
            #[cfg(unix)]
            Destination::Pipe(p) => (Box::new(p), None),
            Destination::Stream(out) => {
                let buf = Arc::new(Buffer {
                    bytes: Mutex::new(Vec::new()),
                    taken: Notify::new(),
                    filled: Notify::new(),
                    closed: AtomicBool::new(false),
                });
                (Box::new(buf.clone()), Some((buf, out)))
            }
        };
        let shared = Arc::new(Shared {
            sink,
            rest: Mutex::new(None),
            clock,
        });
        let (tx, rx) = mpsc::unbounded_channel();
        (
            Outbox {
                shared: shared.clone(),
                replies: tx,
            },
            Output {
                shared,
                replies: rx,
                relay,
            },
        )
    }

    /// Writes until both `from` (tower-lsp's frames) and every [`Outbox`]
    /// are finished.
    pub async fn run<R: AsyncRead + Unpin>(self, from: R) {
        let Output {
            shared,
            replies,
            relay: relayed,
        } = self;
        match relayed {
            Some((buf, out)) => {
                let write = async {
                    write_frames(from, &shared, replies).await;
                    shared.sink.close();
                };
                tokio::join!(write, relay(&buf, out));
            }
            None => write_frames(from, &shared, replies).await,
        }
    }
}

/// The writer: finishes a begun frame first, then responses, then
/// notifications (held while a request is answered or the client is
/// behind). Each stream keeps its own order.
async fn write_frames<R: AsyncRead + Unpin>(
    from: R,
    shared: &Shared,
    mut replies: mpsc::UnboundedReceiver<ToWriter>,
) {
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
        // Taken from the queues, to be begun once the output is free.
        let mut next: Option<Rest> = None;
        let mut ended = false;
        loop {
            let unfinished = {
                let mut rest = shared.rest.lock();
                if rest.is_none() {
                    *rest = next.take();
                }
                match shared.advance(&mut rest) {
                    Ok(Some(done)) => {
                        drop(rest);
                        shared.finished(done);
                        continue;
                    }
                    Ok(None) => rest.is_some(),
                    Err(_) => return,
                }
            };
            if unfinished {
                if shared.sink.writable().await.is_err() {
                    return;
                }
                continue;
            }
            if ended {
                return;
            }
            // While a request is answered, or the client is behind,
            // notifications wait (briefly), so that a response does not
            // queue behind more of them in the pipe.
            let hold = crate::background::requests_in_flight() || shared.sink.unread() > MAX_UNREAD;
            // What a client that went away left unread stays in the pipe:
            // without this, notifications would wait for it forever (and
            // the session with them).
            if hold && shared.sink.reader_gone() {
                return;
            }
            tokio::select! {
                biased;
                Some(m) = replies.recv() => {
                    if let ToWriter::Reply(r) = m {
                        next = Some(Rest::reply(r));
                    }
                }
                Some(f) = frames.recv(), if !hold => {
                    let mut rest = Rest::new(None);
                    rest.push_frame(vec![f]);
                    rest.notifications = 1;
                    while rest.notifications < BATCH && rest.len < MAX_UNREAD {
                        let Ok(f) = frames.try_recv() else { break };
                        rest.push_frame(vec![f]);
                        rest.notifications += 1;
                    }
                    next = Some(rest);
                }
                _ = tokio::time::sleep(std::time::Duration::from_millis(1)), if hold => {}
                else => ended = true,
            }
        }
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

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// The messages in `out`, as "r<id>" (responses) and "n<params>".
    async fn messages(out: &[u8]) -> Vec<String> {
        let mut r = tokio::io::BufReader::new(out);
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
        seen
    }

    /// A 20 KB notification (more than [`MAX_UNREAD`]), then `params: 1`.
    fn big_then_small() -> Vec<u8> {
        let big = format!(
            r#"{{"jsonrpc":"2.0","method":"n","params":"{}"}}"#,
            "x".repeat(20_000)
        );
        let mut frames = frame(&big);
        frames.extend(frame(r#"{"jsonrpc":"2.0","method":"n","params":1}"#));
        frames
    }

    /// Notifications wait while the client has much left to read;
    /// responses do not.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn notifications_wait_for_a_client_that_is_behind() {
        use tokio::io::AsyncReadExt;
        let frames = big_then_small();
        let (tx, mut client) = tokio::net::unix::pipe::pipe().unwrap();
        let (outbox, output) =
            Output::<tokio::io::Sink>::new(Destination::Pipe(Pipe::new(tx).unwrap()), None);
        let writer = tokio::spawn(output.run(std::io::Cursor::new(frames)));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        outbox.send(Reply::raw(Id::Number(1), vec![b"true".to_vec()]));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let mut got = vec![0u8; 1 << 16];
        let n = client.read(&mut got).await.unwrap();
        assert_eq!(
            messages(&got[..n]).await,
            [format!("n\"{}\"", "x".repeat(20_000)), "r1".into()]
        );
        // The client caught up: the notification follows.
        drop(outbox);
        let mut rest = Vec::new();
        client.read_to_end(&mut rest).await.unwrap();
        assert_eq!(messages(&rest).await, ["n1"]);
        writer.await.unwrap();
    }

    /// A response is written by the thread that answered, without waiting
    /// for the writer; one larger than the pipe is finished by the writer,
    /// before anything else is written.
    #[cfg(unix)]
    #[tokio::test]
    async fn responses_are_written_by_the_answering_thread() {
        use tokio::io::AsyncReadExt;
        let (tx, mut client) = tokio::net::unix::pipe::pipe().unwrap();
        let (outbox, output) =
            Output::<tokio::io::Sink>::new(Destination::Pipe(Pipe::new(tx).unwrap()), None);
        // The writer is not running yet.
        outbox.send(Reply::raw(Id::Number(1), vec![b"true".to_vec()]));
        let mut got = vec![0u8; 4096];
        let n = client.read(&mut got).await.unwrap();
        assert_eq!(messages(&got[..n]).await, ["r1"]);
        // 400 KB does not fit in a pipe: begun here, finished by the writer,
        // and a notification waiting meanwhile comes after it, whole.
        let huge = format!("[{}]", vec!["1"; 200_000].join(","));
        outbox.send(Reply::raw(Id::Number(2), vec![huge.into_bytes()]));
        let frames = frame(r#"{"jsonrpc":"2.0","method":"n","params":3}"#);
        let writer = tokio::spawn(output.run(std::io::Cursor::new(frames)));
        drop(outbox);
        let mut all = Vec::new();
        client.read_to_end(&mut all).await.unwrap();
        assert_eq!(messages(&all).await, ["r2", "n3"]);
        writer.await.unwrap();
    }

    /// A client that goes away with more than [`MAX_UNREAD`] unread does
    /// not keep the writer waiting for it to catch up.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_client_gone_with_output_unread_ends_the_writer() {
        let frames = big_then_small();
        let (tx, client) = tokio::net::unix::pipe::pipe().unwrap();
        let (outbox, output) =
            Output::<tokio::io::Sink>::new(Destination::Pipe(Pipe::new(tx).unwrap()), None);
        let writer = tokio::spawn(output.run(std::io::Cursor::new(frames)));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        // 20 KB unread, the second notification held; the client leaves.
        drop(client);
        tokio::time::timeout(std::time::Duration::from_secs(5), writer)
            .await
            .expect("the writer ended")
            .unwrap();
        drop(outbox);
    }

    /// An output that fails (the client went away) ends the writer instead
    /// of leaving it waiting for room.
    #[tokio::test]
    async fn a_failed_output_ends_the_writer() {
        struct Gone;
        impl AsyncWrite for Gone {
            fn poll_write(
                self: Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
                _: &[u8],
            ) -> std::task::Poll<std::io::Result<usize>> {
                std::task::Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()))
            }
            fn poll_flush(
                self: Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::task::Poll::Ready(Ok(()))
            }
            fn poll_shutdown(
                self: Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::task::Poll::Ready(Ok(()))
            }
        }
        // More than the buffer holds, and a response that keeps the queue open.
        let mut frames = Vec::new();
        for _ in 0..100 {
            frames.extend(frame(&format!(
                r#"{{"jsonrpc":"2.0","method":"n","params":"{}"}}"#,
                "x".repeat(4000)
            )));
        }
        let (outbox, output) = Output::new(Destination::Stream(Gone), None);
        let run = output.run(&frames[..]);
        tokio::time::timeout(std::time::Duration::from_secs(5), run)
            .await
            .expect("the writer ended");
        drop(outbox);
    }

    /// Responses overtake notifications still waiting to be written; each
    /// stream keeps its own order (here through the relay of a non-pipe
    /// output).
    #[tokio::test]
    async fn responses_go_before_waiting_notifications() {
        let mut frames = Vec::new();
        for i in 0..3 {
            frames.extend(frame(&format!(
                r#"{{"jsonrpc":"2.0","method":"n","params":{i}}}"#
            )));
        }
        let mut out = Vec::new();
        let (outbox, output) = Output::new(Destination::Stream(&mut out), None);
        for i in 0..2 {
            outbox.send(Reply::raw(Id::Number(i), vec![b"true".to_vec()]));
        }
        drop(outbox);
        output.run(&frames[..]).await;
        assert_eq!(messages(&out).await, ["r0", "r1", "n0", "n1", "n2"]);
    }
}
