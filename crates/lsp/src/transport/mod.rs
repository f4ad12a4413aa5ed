//! The server's main loop: one reader, one dispatch, one writer around
//! tower-lsp-server's typed service (`LspService`) and its `Client`.
//!
//! * [`read`] frames the input and answers malformed frames itself; the session goes on.
//! * The dispatch hands each message to the service in the order read. A notification is
//!   applied before the next message is read, so edits and requests see each other in the
//!   client's order by construction. A request runs here as far as its handler goes without
//!   waiting (ours all answer at once) and, if it waits, on in a task of its own. Panics are
//!   contained: a request is answered with `InternalError`, a notification dropped. A
//!   [`RawHandler`] answers methods with huge results as JSON bytes, past the service.
//! * [`write`] writes responses ahead of the server's own messages.

pub mod read;
pub mod stdio;
mod write;

pub use write::{Destination, Pipe};

use crate::background::Foreground;
use futures::{FutureExt, SinkExt};
use read::Incoming;
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::{ClientSocket, Loopback};
use write::{Frame, Outbox, Trip};

/// Test hook: with `GAZETTE_DEBUG_PANIC` set, this method panics, to prove
/// panics are contained (the tests use it).
pub const DEBUG_PANIC: &str = "$/gazette/debugPanic";

/// Answers some requests past the service, with JSON bytes.
pub trait RawHandler: Send + Sync {
    /// Does this handler answer `method` now? (`false`, say before
    /// `initialize`, leaves the request to the service.)
    fn handles(&self, method: &str) -> bool;
    /// Answers through `reply`, on the runtime's worker (it may block).
    fn handle(&self, params: Value, reply: Reply);
}

/// The answer to a request on its way: partial results, then the response.
pub struct Reply {
    id: Id,
    outbox: Outbox,
    trip: Option<Trip>,
    partial: AtomicBool,
    /// Background jobs pause while a request is answered.
    _foreground: Foreground,
}

impl Reply {
    fn new(outbox: &Outbox, id: Id, method: &str) -> Reply {
        let trip = Trip::begin(&id, method);
        let (outbox, partial) = (outbox.clone(), AtomicBool::new(false));
        let _foreground = Foreground::begin();
        Reply {
            id,
            outbox,
            trip,
            partial,
            _foreground,
        }
    }

    /// Sends `value` (JSON in segments) as a partial result for `token`:
    /// a `$/progress` notification, ahead of the response.
    pub fn partial(&self, token: &Value, value: Vec<Vec<u8>>) {
        self.partial.store(true, Ordering::SeqCst);
        self.outbox.queue(Frame::progress(token, value));
    }

    /// Sends the response whose result is `json`, in segments.
    pub fn result(self, json: Vec<Vec<u8>>) {
        let frame = Frame::result(&self.id, json);
        self.send(frame)
    }

    pub fn error(self, e: Error) {
        let frame = Frame::response(&Response::from_error(self.id.clone(), e));
        self.send(frame)
    }

    fn send(self, frame: Frame) {
        let frame = frame.timed(self.trip);
        // After partial results, in the same queue, so it follows them.
        match self.partial.into_inner() {
            true => self.outbox.queue(frame),
            false => self.outbox.send(frame),
        }
    }
}

/// Serves `service` over `input` and `output` until `exit` or the end of input.
pub async fn serve<I, O, S>(
    input: I,
    output: Destination<O>,
    service: S,
    socket: ClientSocket,
    raw: Arc<dyn RawHandler>,
) where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite,
    S: Service<Request, Response = Option<Response>> + Send + 'static,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    let (outbox, writer) = write::output(output);
    let (messages, responses) = Loopback::split(socket);
    // The server's messages end with the input (as tower-lsp's loop does):
    // a task still publishing must not keep the session open.
    let (messages, end_of_input) = futures::stream::abortable(messages);
    let mut dispatch = Dispatch {
        service,
        responses,
        outbox,
        raw,
    };
    // Reading and handling run on the runtime's workers, the writer here.
    let reading = tokio::spawn(async move {
        dispatch.run(input).await;
        end_of_input.abort();
    });
    writer.run(messages).await;
    if let Err(e) = reading.await {
        tracing::error!("the server task failed: {e}");
    }
}

struct Dispatch<S> {
    service: S,
    /// Where the client's responses (to the server's requests) go.
    responses: <ClientSocket as Loopback>::ResponseSink,
    outbox: Outbox,
    raw: Arc<dyn RawHandler>,
}

impl<S> Dispatch<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    async fn run<I: AsyncRead + Unpin>(&mut self, input: I) {
        let mut input = tokio::io::BufReader::with_capacity(1 << 16, input);
        loop {
            let message = match read::next(&mut input, read::MAX_MESSAGE_BYTES).await {
                Ok(Some(m)) => m,
                Ok(None) => return,
                Err(e) => return tracing::warn!("reading the client's messages failed: {e}"),
            };
            match message {
                Incoming::Request(req) if req.method() == "exit" => return self.notify(req).await,
                Incoming::Request(req) if req.id().is_none() => self.notify(req).await,
                Incoming::Request(req) => self.request(req).await,
                Incoming::Response(resp) => drop(self.responses.send(resp).await),
                Incoming::Bad(e, id) => {
                    tracing::warn!("malformed message from the client: {}", e.message);
                    self.outbox
                        .send(Frame::response(&Response::from_error(id, e)));
                }
            }
        }
    }

    /// Applies a notification before anything after it is read.
    async fn notify(&mut self, req: Request) {
        let method = req.method().to_string();
        if let Some(answer) = self.call(req).await {
            if let Err(p) = answer.await {
                internal_error(&method, p);
            }
        }
    }

    /// Answers a request: here as far as its handler goes without waiting,
    /// the rest in a task of its own.
    async fn request(&mut self, req: Request) {
        let method = req.method().to_string();
        let reply = Reply::new(&self.outbox, req.id().cloned().unwrap_or(Id::Null), &method);
        if self.raw.handles(&method) {
            return self
                .raw
                .handle(req.into_parts().2.unwrap_or(Value::Null), reply);
        }
        let Some(answer) = self.call(req).await else {
            return;
        };
        let mut task = Box::pin(async move {
            match answer.await {
                Ok(Some(resp)) => reply.send(Frame::response(&resp)),
                Ok(None) => {}
                Err(p) => reply.error(internal_error(&method, p)),
            }
        });
        if task.as_mut().now_or_never().is_none() {
            tokio::spawn(task);
        }
    }

    /// The service's answer to `req`, a panic (while calling or polling)
    /// as `Err`; `None` once the service has exited.
    async fn call(&mut self, req: Request) -> Option<Answer> {
        if let Err(e) = std::future::poll_fn(|cx| self.service.poll_ready(cx)).await {
            tracing::debug!("{} after the service ended: {e}", req.method());
            return None;
        }
        let debug_panic =
            req.method() == DEBUG_PANIC && std::env::var_os("GAZETTE_DEBUG_PANIC").is_some();
        let called = std::panic::catch_unwind(AssertUnwindSafe(|| self.service.call(req)));
        let answer = async move {
            assert!(!debug_panic, "debug panic requested by the client");
            let answer = called
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
                .await;
            answer.unwrap_or_else(|e| {
                tracing::debug!("the service ended: {e}");
                None
            })
        };
        Some(AssertUnwindSafe(answer).catch_unwind().boxed())
    }
}

/// A service's answer, a panic inside it (or in making it) as `Err`.
type Answer = futures::future::BoxFuture<'static, std::thread::Result<Option<Response>>>;

/// Logs a panic in `what` (a handler, a query); the `InternalError` to
/// answer its request with.
pub fn internal_error(what: &str, panic: Box<dyn std::any::Any + Send>) -> Error {
    let msg =
        gazette_core::analysis::panic_message(&*panic).unwrap_or_else(|| "unknown panic".into());
    tracing::error!("panic in {what}: {msg}");
    let message = format!("gazette: internal error in {what}: {msg}").into();
    Error {
        message,
        ..Error::internal_error()
    }
}
