//! The server's main loop around tower-lsp-server's typed service (`LspService`) and its
//! `Client`: [`read`] frames the input (a malformed frame is answered, and reading goes on);
//! the dispatch hands messages to the service in the order read, applying each notification
//! before the next message is read (ordered text sync by construction), and contains panics;
//! [`write`] writes each response from the thread that answered it, ahead of the server's own
//! messages. A [`RawHandler`] answers methods with huge results as JSON bytes, past the service.

pub mod read;
mod write;

use crate::body::Segment;
pub use write::Output;

use crate::background::Foreground;
use crate::panics::internal_error;
use futures::{FutureExt, SinkExt};
use read::Incoming;
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;
use tokio::io::AsyncRead;
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::{ClientSocket, Loopback};
use write::Frame;

/// Test hook: panics when `GAZETTE_DEBUG_PANIC` is set, to prove panics are contained.
pub const DEBUG_PANIC: &str = "$/gazette/debugPanic";

/// Answers some requests past the service, with JSON bytes.
pub trait RawHandler: Send + Sync {
    /// Does this handler answer `method` now? (`false`, say before
    /// `initialize`, leaves the request to the service.)
    fn handles(&self, method: &str) -> bool;
    /// Answers through `reply`, on the runtime's worker (it may block).
    fn handle(&self, params: Value, reply: Reply);
}

/// The answer to a request on its way: partial results, then the response,
/// written by the thread that makes them (so in that order).
pub struct Reply {
    id: Id,
    output: Output,
    /// The method and when it was read, for the debug log's round trips.
    trip: Option<(String, Instant)>,
    /// Background jobs pause while a request is answered.
    _foreground: Foreground,
}

impl Reply {
    fn new(output: &Output, id: Id, method: &str) -> Reply {
        let debug = tracing::enabled!(tracing::Level::DEBUG);
        let trip = debug.then(|| (method.to_string(), Instant::now()));
        let (output, _foreground) = (output.clone(), Foreground::begin());
        Reply {
            id,
            output,
            trip,
            _foreground,
        }
    }

    /// Sends `value` (JSON in segments) as a partial result for `token`:
    /// a `$/progress` notification, ahead of the response.
    pub fn partial(&self, token: &Value, value: Vec<Segment>) {
        self.output.send(Frame::progress(token, value));
    }

    /// Sends the response whose result is `json`, in segments.
    pub fn result(self, json: Vec<Segment>) {
        self.send(Frame::result(&self.id, json))
    }

    pub fn error(self, e: Error) {
        self.send(Frame::json(&Response::from_error(self.id.clone(), e)))
    }

    /// Writes the response; logs a round trip over 2 ms (read, answered, written).
    fn send(&self, frame: Frame) {
        let answered = self.trip.as_ref().map(|(_, read)| read.elapsed());
        self.output.send(frame);
        if let (Some((method, read)), Some(a)) = (&self.trip, answered) {
            let (ms, id) = (read.elapsed().as_secs_f64() * 1e3, &self.id);
            if ms > 2.0 {
                tracing::debug!("round trip {method} {id}: {ms:.1} ms, answered at {a:.1?}");
            }
        }
    }
}

/// Serves `service` over `input` and `output` until `exit` or the end of input.
pub async fn serve<I, S>(
    input: I,
    output: Output,
    service: S,
    socket: ClientSocket,
    raw: Arc<dyn RawHandler>,
) where
    I: AsyncRead + Unpin + Send + 'static,
    S: Service<Request, Response = Option<Response>> + Send + 'static,
    S::Error: std::fmt::Display,
    S::Future: Send + 'static,
{
    let (messages, responses) = Loopback::split(socket);
    // The server's messages end with the input (as tower-lsp's loop does):
    // a task still publishing must not keep the session open.
    let (messages, end_of_input) = futures::stream::abortable(messages);
    let mut dispatch = Dispatch {
        service,
        responses,
        output: output.clone(),
        raw,
    };
    // Reading and handling run on the runtime's workers, the server's own messages here.
    let reading = tokio::spawn(async move {
        dispatch.run(input).await;
        end_of_input.abort();
    });
    output.run(messages).await;
    if let Err(e) = reading.await {
        tracing::error!("the server task failed: {e}");
    }
}

struct Dispatch<S> {
    service: S,
    /// Where the client's responses (to the server's requests) go.
    responses: <ClientSocket as Loopback>::ResponseSink,
    output: Output,
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
                    self.output.send(Frame::json(&Response::from_error(id, e)));
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
        let reply = Reply::new(&self.output, req.id().cloned().unwrap_or(Id::Null), &method);
        if self.raw.handles(&method) {
            let params = req.into_parts().2.unwrap_or(Value::Null);
            return self.raw.handle(params, reply);
        }
        let Some(answer) = self.call(req).await else {
            return;
        };
        let mut task = Box::pin(async move {
            match answer.await {
                Ok(Some(resp)) => reply.send(Frame::json(&resp)),
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
            let called = called.unwrap_or_else(|p| std::panic::resume_unwind(p));
            called.await.unwrap_or_else(|e| {
                tracing::debug!("the service ended: {e}");
                None
            })
        };
        Some(AssertUnwindSafe(answer).catch_unwind().boxed())
    }
}

/// A service's answer, a panic inside it (or in making it) as `Err`.
type Answer = futures::future::BoxFuture<'static, std::thread::Result<Option<Response>>>;
