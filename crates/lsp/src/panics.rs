//! A panic in a handler or a query, as the error its request is answered
//! with (the dispatch and the handlers contain panics alike).

use tower_lsp_server::jsonrpc::Error;

/// Logs a panic in `what` (a handler, a query); the `InternalError` to
/// answer its request with.
pub fn internal_error(what: &str, panic: Box<dyn std::any::Any + Send>) -> Error {
    let msg =
        gazette_core::analysis::panic_message(&*panic).unwrap_or_else(|| "unknown panic".into());
    tracing::error!("panic in {what}: {msg}");
    let mut e = Error::internal_error();
    e.message = format!("gazette: internal error in {what}: {msg}").into();
    e
}
