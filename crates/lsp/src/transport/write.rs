//! The one writer of the server's output.
//!
//! **Responses go first.** A response is written before any message of the
//! server's own still waiting (diagnostics, progress, requests to the
//! client), and those wait while a request is being answered or the client
//! has more than [`MAX_UNREAD`] bytes left to read: after indexing, the
//! diagnostics of 20,000 articles would otherwise keep a hover's response
//! milliseconds behind them. LSP orders neither against responses; each
//! stream keeps its own order (diagnostics stay in version order).
//!
//! **The answering thread writes.** To a pipe (standard output, as editors
//! start servers) [`Outbox::send`] writes a response at once, from the
//! thread that answered, when no other frame is half-written; the writer
//! task finishes what did not fit. Frames are written whole or not begun,
//! under one lock, so they never interleave. The pipe is written with
//! plain system calls when tokio has not seen room in it yet (its readiness
//! is updated only when a worker is free to poll for events).
//!
//! **Results are spliced in.** A frame is a list of segments: a large
//! result serialised in parts on several cores is written as it is, never
//! concatenated and never turned into a `serde_json::Value`.

use futures::{FutureExt, Stream, StreamExt};
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::io::{ErrorKind, IoSlice};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};

/// The server's own messages wait while the client has more than this left
/// to read: a response written now would wait behind it in the pipe.
const MAX_UNREAD: usize = 8 << 10;
/// Messages written with one system call, at most (while under [`MAX_UNREAD`]).
const BATCH: usize = 32;
/// Round trips longer than this are in the debug log.
const SLOW: Duration = Duration::from_millis(2);
/// Frames written so far (the debug log counts those a response waited for).
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// A message on its way out: its body in segments.
pub struct Frame {
    segments: Vec<Vec<u8>>,
    trip: Option<Trip>,
}

/// A request's way through the server, for the debug log.
pub struct Trip {
    method: String,
    id: Id,
    read: Instant,
    answered: Instant,
    written_before: u64,
}

impl Trip {
    /// Request `id` was read (`None` unless the debug log is on).
    pub fn begin(id: &Id, method: &str) -> Option<Trip> {
        tracing::enabled!(tracing::Level::DEBUG).then(|| Trip {
            method: method.to_string(),
            id: id.clone(),
            read: Instant::now(),
            answered: Instant::now(),
            written_before: WRITTEN.load(Ordering::Relaxed),
        })
    }

    fn written(self) {
        let took = self.read.elapsed();
        if took > SLOW {
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            tracing::debug!(
                "round trip {} {}: {:.1} ms from read to written (handler {:.1} ms, to the output {:.1} ms), \
                 {} messages written meanwhile",
                self.method,
                self.id,
                ms(took),
                ms(self.answered - self.read),
                ms(self.answered.elapsed()),
                WRITTEN.load(Ordering::Relaxed) - self.written_before - 1
            );
        }
    }
}

impl Frame {
    /// A response built with tower-lsp's types.
    pub fn response(resp: &Response) -> Frame {
        let body = serde_json::to_vec(resp).unwrap_or_else(|e| {
            // A result that does not serialise (a map with non-string keys,
            // say) is a bug; the client still gets an answer.
            let mut err = Error::internal_error();
            err.message = format!("gazette: cannot serialise the result: {e}").into();
            let resp = Response::from_error(resp.id().clone(), err);
            serde_json::to_vec(&resp).unwrap_or_default()
        });
        Frame::of(vec![body])
    }

    /// A successful response whose result is `result`, JSON in segments.
    pub fn result(id: &Id, result: Vec<Vec<u8>>) -> Frame {
        Frame::spliced(
            r#"{"jsonrpc":"2.0","id":"#,
            id,
            r#","result":"#,
            result,
            "}",
        )
    }

    /// A `$/progress` notification for `token` whose value is `value`,
    /// JSON in segments.
    pub fn progress(token: &serde_json::Value, value: Vec<Vec<u8>>) -> Frame {
        let head = r#"{"jsonrpc":"2.0","method":"$/progress","params":{"token":"#;
        Frame::spliced(head, token, r#","value":"#, value, "}}")
    }

    /// `head`, `key` as JSON, `mid`, `body` and `tail`, one after another.
    fn spliced(
        head: &str,
        key: &impl serde::Serialize,
        mid: &str,
        body: Vec<Vec<u8>>,
        tail: &str,
    ) -> Frame {
        let mut first = head.as_bytes().to_vec();
        // An id or a progress token (a number, a string or null) serialises.
        serde_json::to_writer(&mut first, key).expect("an id or token serialises");
        first.extend_from_slice(mid.as_bytes());
        let segments = std::iter::once(first).chain(body).chain([tail.into()]);
        Frame::of(segments.collect())
    }

    fn of(segments: Vec<Vec<u8>>) -> Frame {
        Frame {
            segments,
            trip: None,
        }
    }

    /// The frame of a response to the request of `trip`, answered now.
    pub fn timed(mut self, trip: Option<Trip>) -> Frame {
        self.trip = trip.map(|t| Trip {
            answered: Instant::now(),
            ..t
        });
        self
    }
}

/// Frames begun, or about to be: what is left of them, in segments.
#[derive(Default)]
struct Pending {
    /// Never empty segments; `at` bytes of the first are written.
    parts: VecDeque<Vec<u8>>,
    at: usize,
    frames: u64,
    len: usize,
    trips: Vec<Trip>,
}

impl Pending {
    fn of(frame: Frame) -> Pending {
        let mut p = Pending::default();
        p.push(frame);
        p
    }

    fn push(&mut self, frame: Frame) {
        let len: usize = frame.segments.iter().map(Vec::len).sum();
        let head = format!("Content-Length: {len}\r\n\r\n").into_bytes();
        let segments = std::iter::once(head).chain(frame.segments);
        self.parts.extend(segments.filter(|s| !s.is_empty()));
        (self.len, self.frames) = (self.len + len, self.frames + 1);
        self.trips.extend(frame.trip);
    }

    fn slices(&self) -> Vec<IoSlice<'_>> {
        /// Slices per system call (under every system's IOV_MAX).
        const SLICES: usize = 64;
        let rest = self.parts.iter().skip(1).map(|p| IoSlice::new(p));
        let first = self.parts.front().map(|p| IoSlice::new(&p[self.at..]));
        first.into_iter().chain(rest).take(SLICES).collect()
    }

    fn advance(&mut self, mut n: usize) {
        while let Some(first) = self.parts.front().filter(|_| n > 0) {
            let step = n.min(first.len() - self.at);
            (n, self.at) = (n - step, self.at + step);
            if self.at == first.len() {
                self.parts.pop_front();
                self.at = 0;
            }
        }
    }

    /// Bookkeeping once all of it is written.
    fn finished(self, started: Instant) {
        WRITTEN.fetch_add(self.frames, Ordering::Relaxed);
        self.trips.into_iter().for_each(Trip::written);
        if self.len > 1 << 20 {
            let (mb, ms) = (self.len as f64 / 1e6, started.elapsed().as_secs_f64() * 1e3);
            tracing::debug!("wrote {mb:.1} MB in {ms:.1} ms");
        }
    }
}

/// Where the output goes.
pub enum Destination<O> {
    /// A pipe (standard output, as editors start servers): responses are
    /// written by the threads that answered them.
    #[cfg(unix)]
    Pipe(Pipe),
    /// Anything else (a file, a terminal, an in-memory stream in tests):
    /// written by the writer task.
    Stream(O),
}

/// A pipe written without waiting for the runtime.
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

    /// Writes what fits now of `p`: true once nothing is left.
    fn write_some(&self, p: &mut Pending) -> std::io::Result<bool> {
        use std::io::Write;
        while !p.parts.is_empty() {
            // Through tokio first, which keeps its readiness right; when it
            // has not seen room yet, the pipe itself.
            let written = match self.tokio.try_io(|| (&self.fd).write_vectored(&p.slices())) {
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    (&self.fd).write_vectored(&p.slices())
                }
                r => r,
            };
            match written {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => p.advance(n),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    /// Bytes written that the client has not read yet (0 where the system
    /// cannot tell: FIONREAD works on either end of a pipe on Linux).
    fn unread(&self) -> usize {
        rustix::io::ioctl_fionread(&self.fd).map_or(0, |n| n as usize)
    }

    /// The client closed its end: nothing written will ever be read (such
    /// a pipe polls as POLLERR).
    fn reader_gone(&self) -> bool {
        use rustix::event::{poll, PollFd, PollFlags, Timespec};
        let mut fds = [PollFd::new(&self.fd, PollFlags::OUT)];
        let now = Timespec::default();
        let polled = poll(&mut fds, Some(&now)).unwrap_or(0);
        polled == 1 && fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP)
    }
}

/// A pipe shared by the writer task and the threads that answer requests.
#[cfg(unix)]
struct Shared {
    pipe: Pipe,
    /// Frames begun and not finished: nothing else may be written meanwhile.
    begun: Mutex<Option<(Pending, Instant)>>,
}

#[cfg(unix)]
impl Shared {
    /// Writes what fits of what was begun: true once nothing is left.
    fn write_begun(&self, begun: &mut Option<(Pending, Instant)>) -> std::io::Result<bool> {
        let Some((p, _)) = begun.as_mut() else {
            return Ok(true);
        };
        let done = self.pipe.write_some(p)?;
        if done {
            let (p, started) = begun.take().expect("begun");
            p.finished(started);
        }
        Ok(done)
    }

    /// Finishes what was begun, waiting for the client to read.
    async fn finish(&self) -> std::io::Result<()> {
        loop {
            let done = self.write_begun(&mut self.begun.lock())?;
            if done {
                return Ok(());
            }
            self.pipe.tokio.writable().await?;
        }
    }

    /// Writes `p` after what was begun.
    async fn write(&self, p: Pending) -> std::io::Result<()> {
        let mut p = Some(p);
        while p.is_some() {
            self.finish().await?;
            let mut begun = self.begun.lock();
            if begun.is_none() {
                *begun = p.take().map(|p| (p, Instant::now()));
            }
        }
        self.finish().await
    }
}

/// Where responses are sent from the threads that answer requests.
#[derive(Clone)]
pub struct Outbox {
    #[cfg(unix)]
    pipe: Option<Arc<Shared>>,
    /// To the writer: a frame to write, or `None`: finish what was begun.
    tx: mpsc::UnboundedSender<Option<Frame>>,
}

impl Outbox {
    /// Writes a response now if the output is a free pipe, else has the
    /// writer write it before any message still waiting.
    pub fn send(&self, frame: Frame) {
        #[cfg(unix)]
        if let Some(shared) = &self.pipe {
            let mut begun = shared.begun.lock();
            if begun.is_none() {
                *begun = Some((Pending::of(frame), Instant::now()));
                match shared.write_begun(&mut begun) {
                    Ok(true) => {}
                    // The client has to read first: the writer finishes it.
                    Ok(false) => drop(self.tx.send(None)),
                    // The client is gone.
                    Err(_) => *begun = None,
                }
                return;
            }
        }
        self.queue(frame);
    }

    /// Has the writer write `frame` after every frame queued before it.
    pub fn queue(&self, frame: Frame) {
        // The writer is gone only when the session is over.
        let _ = self.tx.send(Some(frame));
    }
}

enum Out<O> {
    #[cfg(unix)]
    Pipe(Arc<Shared>),
    Stream(Pin<Box<O>>),
}

/// The output's writer task (see [`Writer::run`]).
pub struct Writer<O> {
    out: Out<O>,
    replies: mpsc::UnboundedReceiver<Option<Frame>>,
}

/// The output, as an [`Outbox`] for responses and its [`Writer`].
pub fn output<O: AsyncWrite>(dest: Destination<O>) -> (Outbox, Writer<O>) {
    let (tx, replies) = mpsc::unbounded_channel();
    let (out, outbox) = match dest {
        #[cfg(unix)]
        Destination::Pipe(pipe) => {
            let shared = Arc::new(Shared {
                pipe,
                begun: Mutex::new(None),
            });
            let outbox = Outbox {
                pipe: Some(shared.clone()),
                tx,
            };
            (Out::Pipe(shared), outbox)
        }
        #[cfg(unix)]
        Destination::Stream(o) => (Out::Stream(Box::pin(o)), Outbox { pipe: None, tx }),
        #[cfg(not(unix))]
        Destination::Stream(o) => (Out::Stream(Box::pin(o)), Outbox { tx }),
    };
    (outbox, Writer { out, replies })
}

/// What the writer does next.
enum Next {
    Reply(Option<Option<Frame>>),
    Message(Option<Request>),
    Wait,
}

impl<O: AsyncWrite> Writer<O> {
    /// Writes responses, and `messages` (the server's notifications and
    /// requests to the client) when no response is waiting, until every
    /// [`Outbox`] is dropped and `messages` ends, or the client is gone.
    pub async fn run(mut self, mut messages: impl Stream<Item = Request> + Unpin) {
        if let Err(e) = self.write_until_done(&mut messages).await {
            tracing::debug!("the client stopped reading: {e}");
        }
        if let Out::Stream(o) = &mut self.out {
            let _ = o.shutdown().await;
        }
    }

    async fn write_until_done(
        &mut self,
        messages: &mut (impl Stream<Item = Request> + Unpin),
    ) -> std::io::Result<()> {
        let (mut replies_open, mut messages_open) = (true, true);
        while replies_open || messages_open {
            self.finish().await?;
            let hold = crate::background::requests_in_flight() || self.unread() > MAX_UNREAD;
            if hold && self.reader_gone() {
                return Ok(());
            }
            let next = tokio::select! {
                biased;
                r = self.replies.recv(), if replies_open => Next::Reply(r),
                m = messages.next(), if messages_open && !hold => Next::Message(m),
                _ = tokio::time::sleep(Duration::from_millis(1)), if messages_open && hold => Next::Wait,
            };
            match next {
                Next::Reply(Some(Some(frame))) => self.write(Pending::of(frame)).await?,
                Next::Reply(Some(None)) | Next::Wait => {}
                Next::Reply(None) => replies_open = false,
                Next::Message(Some(first)) => self.write(batch(first, messages)).await?,
                Next::Message(None) => messages_open = false,
            }
        }
        self.finish().await
    }

    async fn finish(&mut self) -> std::io::Result<()> {
        match &mut self.out {
            #[cfg(unix)]
            Out::Pipe(shared) => shared.finish().await,
            Out::Stream(_) => Ok(()),
        }
    }

    async fn write(&mut self, mut p: Pending) -> std::io::Result<()> {
        let o = match &mut self.out {
            #[cfg(unix)]
            Out::Pipe(shared) => return shared.write(p).await,
            Out::Stream(o) => o,
        };
        let started = Instant::now();
        while !p.parts.is_empty() {
            match o.write_vectored(&p.slices()).await? {
                0 => return Err(ErrorKind::WriteZero.into()),
                n => p.advance(n),
            }
        }
        o.flush().await?;
        p.finished(started);
        Ok(())
    }

    fn unread(&self) -> usize {
        match &self.out {
            #[cfg(unix)]
            Out::Pipe(shared) => shared.pipe.unread(),
            Out::Stream(_) => 0,
        }
    }

    fn reader_gone(&self) -> bool {
        match &self.out {
            #[cfg(unix)]
            Out::Pipe(shared) => shared.pipe.reader_gone(),
            Out::Stream(_) => false,
        }
    }
}

/// `first` and the messages waiting behind it, as one write.
fn batch(first: Request, messages: &mut (impl Stream<Item = Request> + Unpin)) -> Pending {
    let frame = |m: &Request| serde_json::to_vec(m).map(|b| Frame::of(vec![b]));
    let mut p = Pending::default();
    let mut next = Some(first);
    while let Some(m) = next.take() {
        match frame(&m) {
            Ok(f) => p.push(f),
            Err(e) => tracing::error!("cannot serialise a message to the client: {e}"),
        }
        if p.frames < BATCH as u64 && p.len < MAX_UNREAD {
            next = messages.next().now_or_never().flatten();
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn notification(params: Value) -> Request {
        Request::build("n").params(params).finish()
    }

    fn notifications(
        params: impl IntoIterator<Item = Value>,
    ) -> impl Stream<Item = Request> + Unpin {
        futures::stream::iter(params.into_iter().map(notification).collect::<Vec<_>>())
    }

    fn reply(id: i64) -> Frame {
        Frame::result(&Id::Number(id), vec![b"true".to_vec()])
    }

    /// The messages in `out`, as "r<id>" (responses) and "n<params>".
    async fn messages(out: &[u8]) -> Vec<String> {
        let mut r = tokio::io::BufReader::new(out);
        let mut seen = Vec::new();
        while let Some(m) = super::super::read::next(&mut r, usize::MAX).await.unwrap() {
            seen.push(match m {
                super::super::read::Incoming::Response(r) => format!("r{}", r.id()),
                super::super::read::Incoming::Request(n) => format!("n{}", n.params().unwrap()),
                bad => panic!("{bad:?}"),
            });
        }
        seen
    }

    #[test]
    fn results_are_spliced_into_json_rpc_responses() {
        let segments = vec![br#"[{"a":1},"#.to_vec(), br#"{"b":2}]"#.to_vec()];
        let v: Value =
            serde_json::from_slice(&Frame::result(&Id::Number(7), segments).segments.concat())
                .unwrap();
        assert_eq!(
            v,
            json!({"jsonrpc": "2.0", "id": 7, "result": [{"a": 1}, {"b": 2}]})
        );
        let r = Frame::result(&Id::String("x\"y".into()), vec![b"null".to_vec()]);
        let v: Value = serde_json::from_slice(&r.segments.concat()).unwrap();
        assert_eq!((&v["id"], &v["result"]), (&"x\"y".into(), &Value::Null));
    }

    /// Responses overtake messages still waiting; each keeps its order.
    #[tokio::test]
    async fn responses_go_before_waiting_notifications() {
        let mut out = Vec::new();
        let (outbox, writer) = output(Destination::Stream(&mut out));
        outbox.send(reply(0));
        outbox.send(reply(1));
        drop(outbox);
        writer.run(notifications((0..3).map(|i| json!(i)))).await;
        assert_eq!(messages(&out).await, ["r0", "r1", "n0", "n1", "n2"]);
    }

    /// A response is written by the thread that answered, without the
    /// writer; one larger than the pipe is finished by the writer before
    /// anything else is written.
    #[cfg(unix)]
    #[tokio::test]
    async fn responses_are_written_by_the_answering_thread() {
        use tokio::io::AsyncReadExt;
        let (tx, mut client) = tokio::net::unix::pipe::pipe().unwrap();
        let (outbox, writer) = output::<tokio::io::Sink>(Destination::Pipe(Pipe::new(tx).unwrap()));
        outbox.send(reply(1));
        let mut got = vec![0u8; 4096];
        let n = client.read(&mut got).await.unwrap();
        assert_eq!(messages(&got[..n]).await, ["r1"]);
        let huge = format!("[{}]", vec!["1"; 200_000].join(","));
        outbox.send(Frame::result(&Id::Number(2), vec![huge.into_bytes()]));
        drop(outbox);
        let writer = tokio::spawn(writer.run(notifications([json!(3)])));
        let mut all = Vec::new();
        client.read_to_end(&mut all).await.unwrap();
        assert_eq!(messages(&all).await, ["r2", "n3"]);
        writer.await.unwrap();
    }

    /// Messages wait while the client has much left to read; responses do not.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn notifications_wait_for_a_client_that_is_behind() {
        use tokio::io::AsyncReadExt;
        let (tx, mut client) = tokio::net::unix::pipe::pipe().unwrap();
        let (outbox, writer) = output::<tokio::io::Sink>(Destination::Pipe(Pipe::new(tx).unwrap()));
        let big = "x".repeat(20_000);
        let writer = tokio::spawn(writer.run(notifications([json!(big), json!(1)])));
        tokio::time::sleep(Duration::from_millis(50)).await;
        outbox.send(reply(1));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut got = vec![0u8; 1 << 16];
        let n = client.read(&mut got).await.unwrap();
        assert_eq!(
            messages(&got[..n]).await,
            [format!("n\"{big}\""), "r1".into()]
        );
        // The client caught up: the second message follows.
        drop(outbox);
        let mut rest = Vec::new();
        client.read_to_end(&mut rest).await.unwrap();
        assert_eq!(messages(&rest).await, ["n1"]);
        writer.await.unwrap();
    }

    /// A client that goes away with output unread does not keep the writer
    /// waiting for it, nor does an output that fails.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_client_gone_ends_the_writer() {
        let (tx, client) = tokio::net::unix::pipe::pipe().unwrap();
        let (outbox, writer) = output::<tokio::io::Sink>(Destination::Pipe(Pipe::new(tx).unwrap()));
        let writer = tokio::spawn(writer.run(notifications([json!("x".repeat(20_000)), json!(1)])));
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(client);
        let ended = tokio::time::timeout(Duration::from_secs(5), writer).await;
        ended.expect("the writer ended").unwrap();
        drop(outbox);

        struct Gone;
        impl AsyncWrite for Gone {
            fn poll_write(
                self: Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
                _: &[u8],
            ) -> std::task::Poll<std::io::Result<usize>> {
                std::task::Poll::Ready(Err(ErrorKind::BrokenPipe.into()))
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
        // A response keeps the queue open; the failed output ends it anyway.
        let (outbox, writer) = output(Destination::Stream(Gone));
        let run = writer.run(notifications((0..100).map(|i| json!(i))));
        tokio::time::timeout(Duration::from_secs(5), run)
            .await
            .expect("the writer ended");
        drop(outbox);
    }
}
