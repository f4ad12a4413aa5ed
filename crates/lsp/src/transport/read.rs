//! The client's messages off the byte stream: one tolerant frame reader.
//!
//! A malformed frame (no or a bad `Content-Length`, over [`MAX_MESSAGE_BYTES`], a body that
//! is not JSON or not a JSON-RPC message) is read as [`Incoming::Bad`] with the error the
//! specification asks for, and reading goes on: garbage between frames is skipped, oversized
//! bodies are discarded as they stream. Only the end of input (or an I/O error) ends it.

use serde::Deserialize;
use serde_json::Value;
use std::io::Result;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// Largest message accepted (a `didOpen` carries a whole document; the
/// corpus size limit is far below this).
pub const MAX_MESSAGE_BYTES: usize = 512 << 20;
/// Longest header line kept; the rest of a longer one is skipped.
const MAX_HEADER_LINE: u64 = 4096;

/// Standard input: read directly where it is a pipe (as editors start
/// servers), on the runtime's own threads; tokio's `stdin()`, which hands
/// every read to its blocking pool, otherwise (a file, a terminal).
pub fn stdin() -> Box<dyn tokio::io::AsyncRead + Unpin + Send> {
    #[cfg(unix)]
    if let Ok(fd) = std::os::fd::AsFd::as_fd(&std::io::stdin()).try_clone_to_owned() {
        if let Ok(pipe) = tokio::net::unix::pipe::Receiver::from_owned_fd(fd) {
            return Box::new(pipe);
        }
    }
    Box::new(tokio::io::stdin())
}

/// One message from the client.
#[derive(Debug)]
pub enum Incoming {
    Request(Request),
    Response(Response),
    /// A malformed frame: the error to answer, with the id it had if any.
    Bad(Error, Id),
}

/// The next message; `None` at the end of input (also inside a frame).
pub async fn next<R: AsyncBufRead + Unpin>(r: &mut R, max: usize) -> Result<Option<Incoming>> {
    Ok(read_frame(r, max).await?.map(|body| match body {
        Ok(body) => parse(&lone_surrogates_replaced(body)),
        Err(e) => Incoming::Bad(e, Id::Null),
    }))
}

/// What was read, or the error to answer it with; `None` at the end of input.
type Read<T> = Option<std::result::Result<T, Error>>;

fn error(code: ErrorCode, message: String) -> Error {
    Error {
        message: message.into(),
        ..Error::new(code)
    }
}

/// One frame's body.
async fn read_frame<R: AsyncBufRead + Unpin>(r: &mut R, max: usize) -> Result<Read<Vec<u8>>> {
    let len = match content_length(r).await? {
        None => return Ok(None),
        Some(Err(e)) => return Ok(Some(Err(e))),
        Some(Ok(len)) => len,
    };
    let mut rest = r.take(len as u64);
    if len > max {
        let n = tokio::io::copy(&mut rest, &mut tokio::io::sink()).await? as usize;
        let message = format!("gazette: message of {len} bytes is over the limit of {max}");
        return Ok((n == len).then(|| Err(error(ErrorCode::InvalidRequest, message))));
    }
    // The length is known: one allocation, not a doubling from empty (a
    // profile of hovers after indexing showed frames' reallocations). Up to
    // 1 MiB only: a header may promise what never comes, and the body then
    // grows only as bytes arrive.
    let mut body = Vec::with_capacity(len.min(1 << 20));
    Ok((rest.read_to_end(&mut body).await? == len).then_some(Ok(body)))
}

/// A header's `Content-Length`, garbage before it skipped.
async fn content_length<R: AsyncBufRead + Unpin>(r: &mut R) -> Result<Read<usize>> {
    let missing = "gazette: message without a Content-Length header";
    let mut len = Err(error(ErrorCode::ParseError, missing.into()));
    let mut saw_header = false;
    while let Some(line) = header_line(r).await? {
        let Ok(line) = std::str::from_utf8(&line).map(str::trim) else {
            tracing::warn!("skipping a header line that is not UTF-8");
            continue;
        };
        match line.split_once(':') {
            // A blank line ends the header (or is a stray one between frames).
            None if line.is_empty() && saw_header => return Ok(Some(len)),
            None if line.is_empty() => {}
            None => tracing::warn!("skipping garbage before a message: {line:.80}"),
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                saw_header = true;
                len = value.trim().parse().map_err(|e| {
                    let value = value.trim();
                    let message = format!("invalid Content-Length {value:.40}: {e}");
                    error(ErrorCode::ParseError, message)
                });
            }
            Some(_) => saw_header = true,
        }
    }
    Ok(None)
}

/// One header line, cut at [`MAX_HEADER_LINE`] bytes (the rest of a longer
/// one is skipped); `None` at the end of input.
async fn header_line<R: AsyncBufRead + Unpin>(r: &mut R) -> Result<Option<Vec<u8>>> {
    let (mut line, mut skipped) = (Vec::new(), Vec::new());
    let mut n = line_part(r, &mut line).await?;
    if n == 0 {
        return Ok(None);
    }
    while n > 0 && !line.ends_with(b"\n") && !skipped.ends_with(b"\n") {
        skipped.clear();
        n = line_part(r, &mut skipped).await?;
    }
    Ok(Some(line))
}

/// Reads to the end of a line, [`MAX_HEADER_LINE`] bytes at most: how many.
async fn line_part<R: AsyncBufRead + Unpin>(r: &mut R, buf: &mut Vec<u8>) -> Result<usize> {
    (&mut *r).take(MAX_HEADER_LINE).read_until(b'\n', buf).await
}

/// A body as a request (or notification), a response, or the error to
/// answer it with.
pub fn parse(body: &[u8]) -> Incoming {
    // A request's `method` defaults to "" when missing: a body without one
    // is a response if it reads as one (as tower-lsp reads messages).
    match serde_json::from_slice::<Request>(body) {
        Ok(req) if !req.method().is_empty() => Incoming::Request(req),
        req => match (serde_json::from_slice::<Response>(body), req) {
            (Ok(resp), _) => Incoming::Response(resp),
            (_, Ok(req)) => Incoming::Request(req),
            _ => invalid(body),
        },
    }
}

/// The error a body that is no JSON-RPC message is answered with.
fn invalid(body: &[u8]) -> Incoming {
    let (code, message, id) = match serde_json::from_slice::<Value>(body) {
        Err(e) => (ErrorCode::ParseError, format!("invalid JSON: {e}"), None),
        Ok(v) => {
            let message = "not a JSON-RPC 2.0 request, notification or response";
            let id = v.get("id").and_then(|id| Id::deserialize(id).ok());
            (ErrorCode::InvalidRequest, message.into(), id)
        }
    };
    let e = error(code, format!("gazette: {message}"));
    Incoming::Bad(e, id.unwrap_or(Id::Null))
}

/// `body` with every unpaired UTF-16 surrogate escape (`\\ud800` without
/// its low half, or a low half alone) replaced by `\\ufffd`.
///
/// Editors' strings may hold lone surrogates (a buffer mid-edit, half a
/// pasted emoji), which serde_json refuses: a `didChange` dropped for it
/// would leave the server's text diverged for the rest of the session.
/// U+FFFD is one UTF-16 unit too, so later positions stay right. Escapes
/// occur only inside JSON strings, where `\\\\` is the only other escape
/// that could precede a `u`; both are walked as escapes.
pub fn lone_surrogates_replaced(mut body: Vec<u8>) -> Vec<u8> {
    let unit = |b: &[u8], i: usize| {
        let hex = b.get(i..i + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let (high, low) = (0xD800u16..=0xDBFF, 0xDC00u16..=0xDFFF);
    let mut i = 0;
    while let Some(at) = body
        .get(i..)
        .and_then(|b| b.iter().position(|&c| c == b'\\'))
    {
        i += at;
        let paired = |u| high.contains(&u) && unit(&body, i + 6).is_some_and(|l| low.contains(&l));
        i += match unit(&body, i) {
            Some(u) if paired(u) => 12,
            Some(u) if high.contains(&u) || low.contains(&u) => {
                body[i + 2..i + 6].copy_from_slice(b"fffd");
                6
            }
            Some(_) => 6,
            None => 2,
        };
    }
    body
}

#[cfg(test)]
mod tests;
