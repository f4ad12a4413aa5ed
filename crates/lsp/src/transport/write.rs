//! The one writer of the server's output (docs/performance.md has the measurements).
//!
//! **Responses go first.** A response is written before any of the server's own messages
//! still waiting (diagnostics, progress, requests to the client), and those wait while a
//! request is being answered or the client has more than [`MAX_UNREAD`] bytes unread: a
//! hover's response would otherwise wait behind the diagnostics of a whole corpus. LSP orders
//! neither against responses; each stream keeps its own order.
//!
//! **The answering thread writes.** To a pipe (standard output, as editors start servers)
//! [`Outbox::send`] writes a response from the thread that answered when no other frame is
//! half-written (frames are written whole or not begun, under one lock); the writer task
//! finishes what did not fit. When tokio has not seen room in the pipe yet (it looks only when
//! a worker is free to poll for events), a plain system call writes.
//!
//! **Frames are segments**, written as they are: a large result serialised in parts on
//! several cores is never concatenated nor turned into a `serde_json::Value`.

use futures::{FutureExt, Stream, StreamExt};
use parking_lot::Mutex;
use serde_json::Value;
use std::collections::VecDeque;
use std::io::{ErrorKind, IoSlice, Result};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Id, Request, Response};

/// The server's own messages wait while the client has more than this left
/// to read: a response written now would wait behind it in the pipe.
const MAX_UNREAD: usize = 8 << 10;
/// Messages written with one system call, at most (while under [`MAX_UNREAD`]).
const BATCH: u64 = 32;
/// Frames written so far (the debug log counts those a response waited for).
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// A request's round trip (read, answered, written), for the debug log.
pub struct Trip {
    method: String,
    id: Id,
    read: Instant,
    answered: Instant,
    written_before: u64,
}

impl Trip {
    /// Request `id` was read now (`None` unless the debug log is on).
    pub fn begin(id: &Id, method: &str) -> Option<Trip> {
        tracing::enabled!(tracing::Level::DEBUG).then(|| Trip {
            method: method.to_string(),
            id: id.clone(),
            read: Instant::now(),
            answered: Instant::now(),
            written_before: WRITTEN.load(Ordering::Relaxed),
        })
    }

    /// Logs a round trip over 2 ms, by stage.
    fn written(self) {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        if self.read.elapsed() > Duration::from_millis(2) {
            tracing::debug!(
                "round trip {} {}: {:.1} ms from read to written (handler {:.1} ms, to the output {:.1} ms), \
                 {} messages written meanwhile",
                self.method,
                self.id,
                ms(self.read.elapsed()),
                ms(self.answered - self.read),
                ms(self.answered.elapsed()),
                WRITTEN.load(Ordering::Relaxed) - self.written_before - 1
            );
        }
    }
}

/// A message on its way out: its body in segments.
pub struct Frame {
    segments: Vec<Vec<u8>>,
    trip: Option<Trip>,
}

impl Frame {
    /// A response built with tower-lsp's types.
    pub fn response(resp: &Response) -> Frame {
        let body = serde_json::to_vec(resp).expect("a JSON value serialises");
        Frame::of(vec![body])
    }

    /// A successful response to `id` whose result is `result`, JSON in segments.
    pub fn result(id: &Id, result: Vec<Vec<u8>>) -> Frame {
        let id = serde_json::to_string(id).expect("an id serialises");
        Frame::spliced(
            format!(r#"{{"jsonrpc":"2.0","id":{id},"result":"#),
            result,
            "}",
        )
    }

    /// A `$/progress` notification for `token` whose value is `value`, JSON in segments.
    pub fn progress(token: &Value, value: Vec<Vec<u8>>) -> Frame {
        let head = r#"{"jsonrpc":"2.0","method":"$/progress","params":{"token":"#;
        Frame::spliced(format!(r#"{head}{token},"value":"#), value, "}}")
    }

    fn spliced(head: String, body: Vec<Vec<u8>>, tail: &str) -> Frame {
        let segments = std::iter::once(head.into_bytes()).chain(body);
        Frame::of(segments.chain([tail.into()]).collect())
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

/// Frames begun, or about to be: what is left of them.
struct Pending {
    /// Never empty segments; `at` bytes of the first are written.
    parts: VecDeque<Vec<u8>>,
    at: usize,
    frames: u64,
    len: usize,
    trips: Vec<Trip>,
    started: Instant,
}

impl Pending {
    fn new() -> Pending {
        let (parts, trips, started) = (VecDeque::new(), Vec::new(), Instant::now());
        Pending {
            parts,
            at: 0,
            frames: 0,
            len: 0,
            trips,
            started,
        }
    }

    fn of(frame: Frame) -> Pending {
        let mut p = Pending::new();
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

    /// What is left, as the slices of one system call (at most 64: under
    /// every system's IOV_MAX).
    fn slices(&self) -> Vec<IoSlice<'_>> {
        let rest = self.parts.iter().skip(1).map(|p| IoSlice::new(p));
        let first = self.parts.front().map(|p| IoSlice::new(&p[self.at..]));
        first.into_iter().chain(rest).take(64).collect()
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
    fn finished(self) {
        WRITTEN.fetch_add(self.frames, Ordering::Relaxed);
        self.trips.into_iter().for_each(Trip::written);
        if self.len > 1 << 20 {
            let (mb, ms) = (
                self.len as f64 / 1e6,
                self.started.elapsed().as_secs_f64() * 1e3,
            );
            tracing::debug!("wrote {mb:.1} MB in {ms:.1} ms");
        }
    }
}

/// Where the output goes.
pub enum Destination<O> {
    /// A pipe (standard output, as editors start servers): responses are
    /// written by the threads that answered them.
    Pipe(Arc<Pipe>),
    /// Anything else (a file, a terminal, an in-memory stream in tests):
    /// written by the writer task.
    Stream(O),
}

/// A pipe written without waiting for the runtime, by the writer task and
/// the threads that answer requests.
#[cfg(unix)]
pub struct Pipe {
    tokio: tokio::net::unix::pipe::Sender,
    /// The same pipe, written with plain system calls.
    fd: std::fs::File,
    /// Frames begun and not finished: nothing else may be written meanwhile.
    begun: Mutex<Option<Pending>>,
}

#[cfg(unix)]
impl Pipe {
    pub fn new(tokio: tokio::net::unix::pipe::Sender) -> Result<Arc<Pipe>> {
        use std::os::fd::AsFd;
        let fd = std::fs::File::from(tokio.as_fd().try_clone_to_owned()?);
        let begun = Mutex::new(None);
        Ok(Arc::new(Pipe { tokio, fd, begun }))
    }

    /// Begins `p` unless other frames are half-written (`p` back then) and
    /// writes what fits of it now: true once nothing is left.
    fn begin(&self, p: Pending) -> std::result::Result<Result<bool>, Pending> {
        let mut begun = self.begun.lock();
        if begun.is_some() {
            return Err(p);
        }
        *begun = Some(Pending {
            started: Instant::now(),
            ..p
        });
        let written = self.write_begun(&mut begun);
        if written.is_err() {
            *begun = None; // The client is gone.
        }
        Ok(written)
    }

    /// Writes what fits now of what was begun: true once nothing is left.
    fn write_begun(&self, begun: &mut Option<Pending>) -> Result<bool> {
        use std::io::Write;
        let Some(p) = begun.as_mut() else {
            return Ok(true);
        };
        while !p.parts.is_empty() {
            let write = || (&self.fd).write_vectored(&p.slices());
            // Through tokio first, which keeps its readiness right; when it
            // has not seen room yet, the pipe itself.
            match self.tokio.try_io(write).or_else(|e| match e.kind() {
                ErrorKind::WouldBlock => write(),
                _ => Err(e),
            }) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => p.advance(n),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() != ErrorKind::Interrupted => return Err(e),
                Err(_) => {}
            }
        }
        begun.take().expect("begun").finished();
        Ok(true)
    }

    /// Finishes what was begun, waiting for the client to read.
    async fn finish(&self) -> Result<()> {
        while !self.write_begun(&mut self.begun.lock())? {
            self.tokio.writable().await?;
        }
        Ok(())
    }

    /// Writes `p` after what was begun.
    async fn write(&self, mut p: Pending) -> Result<()> {
        loop {
            self.finish().await?;
            match self.begin(p) {
                Err(back) => p = back,
                Ok(written) => {
                    written?;
                    return self.finish().await;
                }
            }
        }
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
        let polled = poll(&mut fds, Some(&Timespec::default())).unwrap_or(0);
        polled == 1 && fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP)
    }
}

/// Elsewhere every output is a stream, written by the writer task.
#[cfg(not(unix))]
pub enum Pipe {}

#[cfg(not(unix))]
impl Pipe {
    fn begin(&self, _: Pending) -> std::result::Result<Result<bool>, Pending> {
        match *self {}
    }
    async fn finish(&self) -> Result<()> {
        match *self {}
    }
    async fn write(&self, _: Pending) -> Result<()> {
        match *self {}
    }
    fn unread(&self) -> usize {
        match *self {}
    }
    fn reader_gone(&self) -> bool {
        match *self {}
    }
}

/// Where responses are sent from the threads that answer requests.
#[derive(Clone)]
pub struct Outbox {
    pipe: Option<Arc<Pipe>>,
    /// To the writer: frames to write, or `None`: finish what was begun.
    tx: mpsc::UnboundedSender<Option<Pending>>,
}

impl Outbox {
    /// Writes a response now if the output is a free pipe, else has the
    /// writer write it before any message still waiting.
    pub fn send(&self, frame: Frame) {
        let p = Pending::of(frame);
        let begun = match &self.pipe {
            Some(pipe) => pipe.begin(p),
            None => Err(p),
        };
        match begun {
            Err(p) => drop(self.tx.send(Some(p))),
            // The client has to read first: the writer finishes it.
            Ok(Ok(false)) => drop(self.tx.send(None)),
            // Written, or the client is gone.
            Ok(_) => {}
        }
    }

    /// Has the writer write `frame` after every frame queued before it.
    pub fn queue(&self, frame: Frame) {
        // The writer is gone only when the session is over.
        let _ = self.tx.send(Some(Pending::of(frame)));
    }
}

/// The output's writer task (see [`Writer::run`]).
pub struct Writer<O> {
    out: Destination<Pin<Box<O>>>,
    replies: mpsc::UnboundedReceiver<Option<Pending>>,
}

/// The output, as an [`Outbox`] for responses and its [`Writer`].
pub fn output<O: AsyncWrite>(dest: Destination<O>) -> (Outbox, Writer<O>) {
    let (tx, replies) = mpsc::unbounded_channel();
    let (out, pipe) = match dest {
        Destination::Pipe(pipe) => (Destination::Pipe(pipe.clone()), Some(pipe)),
        Destination::Stream(o) => (Destination::Stream(Box::pin(o)), None),
    };
    (Outbox { pipe, tx }, Writer { out, replies })
}

impl<O: AsyncWrite> Writer<O> {
    /// Writes responses, and `messages` (the server's notifications and
    /// requests to the client) when no response is waiting, until every
    /// [`Outbox`] is dropped and `messages` ends, or the client is gone.
    pub async fn run(mut self, mut messages: impl Stream<Item = Request> + Unpin) {
        if let Err(e) = self.write_until_done(&mut messages).await {
            tracing::debug!("the client stopped reading: {e}");
        }
        if let Destination::Stream(o) = &mut self.out {
            let _ = o.shutdown().await;
        }
    }

    async fn write_until_done(
        &mut self,
        messages: &mut (impl Stream<Item = Request> + Unpin),
    ) -> Result<()> {
        let (mut replies_open, mut messages_open) = (true, true);
        while replies_open || messages_open {
            self.finish().await?;
            let behind = self.pipe().is_some_and(|p| p.unread() > MAX_UNREAD);
            let hold = behind || crate::background::requests_in_flight();
            if hold && self.pipe().is_some_and(Pipe::reader_gone) {
                return Ok(());
            }
            tokio::select! {
                biased;
                r = self.replies.recv(), if replies_open => match r {
                    Some(Some(p)) => self.write(p).await?,
                    Some(None) => {}
                    None => replies_open = false,
                },
                m = messages.next(), if messages_open && !hold => match m {
                    Some(first) => self.write(batch(first, messages)).await?,
                    None => messages_open = false,
                },
                _ = tokio::time::sleep(Duration::from_millis(1)), if messages_open && hold => {}
            }
        }
        self.finish().await
    }

    fn pipe(&self) -> Option<&Pipe> {
        match &self.out {
            Destination::Pipe(pipe) => Some(pipe),
            Destination::Stream(_) => None,
        }
    }

    async fn finish(&self) -> Result<()> {
        match self.pipe() {
            Some(pipe) => pipe.finish().await,
            None => Ok(()),
        }
    }

    async fn write(&mut self, mut p: Pending) -> Result<()> {
        let o = match &mut self.out {
            Destination::Pipe(pipe) => return pipe.write(p).await,
            Destination::Stream(o) => o,
        };
        while !p.parts.is_empty() {
            match o.write_vectored(&p.slices()).await? {
                0 => return Err(ErrorKind::WriteZero.into()),
                n => p.advance(n),
            }
        }
        o.flush().await?;
        p.finished();
        Ok(())
    }
}

/// `first` and the messages waiting behind it, as one write.
fn batch(first: Request, messages: &mut (impl Stream<Item = Request> + Unpin)) -> Pending {
    let mut p = Pending::new();
    let mut next = Some(first);
    while let Some(m) = next.take() {
        p.push(Frame::of(vec![
            serde_json::to_vec(&m).expect("a JSON value serialises")
        ]));
        if p.frames < BATCH && p.len < MAX_UNREAD {
            next = messages.next().now_or_never().flatten();
        }
    }
    p
}

#[cfg(test)]
mod tests;
