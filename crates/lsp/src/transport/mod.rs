//! The server's main loop: one reader, one dispatch, one writer around
//! tower-lsp-server's typed service (`LspService`) and its `Client`.
//!
//! * [`read`] frames the input itself and answers malformed frames with the
//!   JSON-RPC error the specification asks for; the session goes on.
//! * The dispatch hands each message to the service in the order read. A
//!   notification is applied before the next message is read, so edits
//!   and requests see each other in the client's order by construction. A
//!   request runs here as far as its handler goes without waiting (ours all
//!   answer at once) and, if it waits, on in a task of its own. Panics are
//!   contained: a request is answered with `InternalError`, a notification
//!   dropped. Methods with huge results can be answered as JSON bytes
//!   ([`RawHandler`]).
//! * [`write`] writes responses ahead of the server's own messages.

pub mod read;
pub mod stdio;
mod write;

pub use write::{Destination, Pipe};

use futures::future::BoxFuture;
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

/// Answers some requests with JSON bytes (the `result` member's value).
pub trait RawHandler: Send + Sync {
    /// Does this handler answer `method` now? (`false`, say before
    /// `initialize`, leaves the request to the service.)
    fn handles(&self, method: &str) -> bool;
    /// The result as JSON, in segments to be written one after another;
    /// parts of it may go ahead through `partial`.
    fn handle(&self, params: Value, partial: &Partial) -> Result<Vec<Vec<u8>>, Error>;
}

/// Partial results of the request being answered: `$/progress`
/// notifications with the client's `partialResultToken`, written in order
/// and ahead of the request's response.
pub struct Partial {
    outbox: Outbox,
    sent: AtomicBool,
}

impl Partial {
    /// Sends `value` (JSON in segments) as a partial result for `token`.
    pub fn send(&self, token: &Value, value: Vec<Vec<u8>>) {
        self.sent.store(true, Ordering::SeqCst);
        self.outbox.queue(Frame::progress(token, value));
    }
}

/// Serves `service` over `input` and `output` until `exit` or the end of
/// input. Returns true when a `shutdown` request was answered first.
pub async fn serve<I, O, S>(
    input: I,
    output: Destination<O>,
    service: S,
    socket: ClientSocket,
    raw: Arc<dyn RawHandler>,
) -> bool
where
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
    let shutdown = Arc::new(AtomicBool::new(false));
    let mut dispatch = Dispatch {
        service,
        responses,
        outbox,
        raw,
        shutdown: shutdown.clone(),
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
    shutdown.load(Ordering::SeqCst)
}

struct Dispatch<S> {
    service: S,
    /// Where the client's responses (to the server's requests) go.
    responses: <ClientSocket as Loopback>::ResponseSink,
    outbox: Outbox,
    raw: Arc<dyn RawHandler>,
    shutdown: Arc<AtomicBool>,
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
                answer_panic(&method, None, p);
            }
        }
    }

    /// Answers a request: here as far as its handler goes without waiting,
    /// the rest in a task of its own.
    async fn request(&mut self, req: Request) {
        let (method, id) = (
            req.method().to_string(),
            req.id().cloned().unwrap_or(Id::Null),
        );
        let trip = Trip::begin(&id, &method);
        // Background jobs pause while a request is answered.
        let foreground = crate::background::Foreground::begin();
        if self.raw.handles(&method) {
            let params = req.into_parts().2.unwrap_or(Value::Null);
            return self.answer_raw(&method, id, params, trip);
        }
        let Some(answer) = self.call(req).await else {
            return;
        };
        let (outbox, shutdown) = (self.outbox.clone(), self.shutdown.clone());
        let mut task = Box::pin(async move {
            let resp = answer
                .await
                .unwrap_or_else(|p| answer_panic(&method, Some(id), p));
            if method == "shutdown" && resp.as_ref().is_some_and(Response::is_ok) {
                shutdown.store(true, Ordering::SeqCst);
            }
            if let Some(resp) = resp {
                outbox.send(Frame::response(&resp).timed(trip));
            }
            drop(foreground);
        });
        if task.as_mut().now_or_never().is_none() {
            tokio::spawn(task);
        }
    }

    /// Answers a request of [`RawHandler`]'s with JSON bytes.
    fn answer_raw(&self, method: &str, id: Id, params: Value, trip: Option<Trip>) {
        let partial = Partial {
            outbox: self.outbox.clone(),
            sent: AtomicBool::new(false),
        };
        // Off the runtime's worker (which hands its other tasks to a new
        // one): the writer keeps writing partial results meanwhile.
        let handle = || self.raw.handle(params, &partial);
        let multi_thread = tokio::runtime::Handle::current().runtime_flavor()
            == tokio::runtime::RuntimeFlavor::MultiThread;
        let answer = std::panic::catch_unwind(AssertUnwindSafe(|| match multi_thread {
            true => tokio::task::block_in_place(handle),
            false => handle(),
        }));
        let frame = match answer {
            Ok(Ok(json)) => Frame::result(&id, json),
            Ok(Err(e)) => Frame::response(&Response::from_error(id, e)),
            Err(p) => Frame::response(&answer_panic(method, Some(id), p).expect("an id")),
        };
        // After partial results, in the same queue, so it follows them.
        match partial.sent.load(Ordering::SeqCst) {
            true => self.outbox.queue(frame.timed(trip)),
            false => self.outbox.send(frame.timed(trip)),
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
        let called = std::panic::catch_unwind(AssertUnwindSafe(|| {
            assert!(!debug_panic, "debug panic requested by the client");
            self.service.call(req)
        }));
        Some(match called {
            Ok(f) => AssertUnwindSafe(f.map(|r| {
                r.unwrap_or_else(|e| {
                    tracing::debug!("the service ended: {e}");
                    None
                })
            }))
            .catch_unwind()
            .boxed(),
            Err(p) => futures::future::ready(Err(p)).boxed(),
        })
    }
}

/// A service's answer, a panic inside it (or in making it) as `Err`.
type Answer = BoxFuture<'static, std::thread::Result<Option<Response>>>;

/// Logs a handler's panic; the `InternalError` response for a request.
fn answer_panic(
    method: &str,
    id: Option<Id>,
    p: Box<dyn std::any::Any + Send>,
) -> Option<Response> {
    let msg = gazette_core::analysis::panic_message(&*p).unwrap_or_else(|| "unknown panic".into());
    tracing::error!("panic while handling {method}: {msg}");
    let mut err = Error::internal_error();
    err.message = format!("gazette: internal error while handling {method}: {msg}").into();
    Some(Response::from_error(id?, err))
}
