//! The server's one output (docs/performance.md has the measurements).
//!
//! **Responses go first.** The thread that answered a request writes its response at once,
//! never behind the server's own messages (a hover would wait behind a corpus's diagnostics).
//! [`Output::run`] writes those (notifications, requests to the client) in batches, while no
//! request is being answered and the client has at most [`MAX_UNREAD`] bytes unread. Frames
//! are written whole, under one lock; each stream keeps its order (LSP orders no other).
//!
//! **Frames are segments**, written as they are: a large result converted in parts on
//! several cores is never concatenated nor turned into a `serde_json::Value`, and a
//! deferred segment ([`crate::body`]) is made into JSON only as it is written.

use futures::{FutureExt, Stream, StreamExt};
use parking_lot::Mutex;
use serde_json::Value;
use std::fs::File;
use std::io::{BufWriter, Result, Write};
use std::sync::Arc;
use std::time::Duration;
use tower_lsp_server::jsonrpc::{Id, Request};

use crate::body::Segment;

/// The server's own messages wait while the client has more than this left
/// to read: a response written now would wait behind it in the pipe.
const MAX_UNREAD: usize = 8 << 10;
/// Messages written at once, at most (while under [`MAX_UNREAD`] bytes).
const BATCH: usize = 32;

/// A message on its way out: its body in segments.
pub struct Frame(Vec<Segment>);

impl Frame {
    /// A message built with tower-lsp's types.
    pub fn json(m: &impl serde::Serialize) -> Frame {
        Frame(vec![serde_json::to_vec(m)
            .expect("a message serialises")
            .into()])
    }

    /// A successful response to `id` whose result is `result`, JSON in segments.
    pub fn result(id: &Id, result: Vec<Segment>) -> Frame {
        let id = serde_json::to_string(id).expect("an id serialises");
        let head = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":"#);
        Frame::spliced(head, result, "}")
    }

    /// A `$/progress` notification for `token` whose value is `value`, JSON in segments.
    pub fn progress(token: &Value, value: Vec<Segment>) -> Frame {
        let head = r#"{"jsonrpc":"2.0","method":"$/progress","params":{"token":"#;
        Frame::spliced(format!(r#"{head}{token},"value":"#), value, "}}")
    }

    fn spliced(head: String, body: Vec<Segment>, tail: &str) -> Frame {
        let segments = std::iter::once(head.into_bytes().into()).chain(body);
        Frame(segments.chain([tail.as_bytes().to_vec().into()]).collect())
    }

    fn len(&self) -> usize {
        self.0.iter().map(Segment::byte_len).sum()
    }
}

/// Where the server's messages go, shared by the threads that answer
/// requests and [`Output::run`].
#[derive(Clone)]
pub struct Output {
    out: Arc<Mutex<BufWriter<Box<dyn Write + Send>>>>,
    /// The output as a file (a pipe), to see what the client has not read.
    file: Option<Arc<File>>,
}

impl Output {
    /// Standard output, written with plain system calls: tokio's `stdout()`
    /// would hand every write to its blocking pool and wait for it.
    pub fn stdout() -> Output {
        #[cfg(unix)]
        if let Ok(fd) = std::os::fd::AsFd::as_fd(&std::io::stdout()).try_clone_to_owned() {
            return Output::file(File::from(fd));
        }
        Output::writer(std::io::stdout())
    }

    /// A file or pipe.
    pub fn file(f: File) -> Output {
        Output::new(f.try_clone().ok(), f)
    }

    /// Any writer (tests and fuzzing use in-memory ones).
    pub fn writer(w: impl Write + Send + 'static) -> Output {
        Output::new(None, w)
    }

    fn new(file: Option<File>, w: impl Write + Send + 'static) -> Output {
        let w: Box<dyn Write + Send> = Box::new(w);
        let (out, file) = (BufWriter::with_capacity(1 << 16, w), file.map(Arc::new));
        let out = Arc::new(Mutex::new(out));
        Output { out, file }
    }

    /// Writes `frames` now, each whole: waits only for frames another
    /// thread is writing and for the client to read.
    pub fn write(&self, frames: impl IntoIterator<Item = Frame>) -> Result<()> {
        let mut out = self.out.lock();
        for frame in frames {
            write!(out, "Content-Length: {}\r\n\r\n", frame.len())?;
            frame.0.iter().try_for_each(|s| s.write_to(&mut *out))?;
        }
        out.flush()
    }

    /// Writes `frame` now; once the client is gone, nothing is read anyway.
    pub fn send(&self, frame: Frame) {
        if let Err(e) = self.write([frame]) {
            tracing::debug!("the client stopped reading: {e}");
        }
    }

    /// Writes `messages` (the server's notifications and requests to the
    /// client) in batches, when no request is being answered and the client
    /// has read what it was sent, until they end or the client is gone.
    pub async fn run(&self, mut messages: impl Stream<Item = Request> + Unpin) {
        while let Some(first) = messages.next().await {
            while crate::background::requests_in_flight() || self.unread() > MAX_UNREAD {
                if self.reader_gone() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let mut batch = vec![Frame::json(&first)];
            while batch.len() < BATCH && batch.iter().map(Frame::len).sum::<usize>() < MAX_UNREAD {
                match messages.next().now_or_never().flatten() {
                    Some(m) => batch.push(Frame::json(&m)),
                    None => break,
                }
            }
            if let Err(e) = self.write(batch) {
                return tracing::debug!("the client stopped reading: {e}");
            }
        }
    }

    /// Bytes written that the client has not read yet (0 where the system
    /// cannot tell: FIONREAD works on either end of a pipe on Linux).
    fn unread(&self) -> usize {
        #[cfg(unix)]
        if let Some(f) = &self.file {
            return rustix::io::ioctl_fionread(f).map_or(0, |n| n as usize);
        }
        0
    }

    /// The client closed its end: nothing written will ever be read (such
    /// a pipe polls as POLLERR).
    fn reader_gone(&self) -> bool {
        #[cfg(unix)]
        if let Some(f) = &self.file {
            use rustix::event::{poll, PollFd, PollFlags, Timespec};
            let mut fds = [PollFd::new(f, PollFlags::OUT)];
            let polled = poll(&mut fds, Some(&Timespec::default())).unwrap_or(0);
            return polled == 1 && fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP);
        }
        false
    }
}

#[cfg(test)]
mod tests;
