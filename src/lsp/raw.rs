//! Large results written as JSON bytes, bypassing `serde_json::Value`.
//!
//! tower-lsp-server turns every handler result into a `serde_json::Value`
//! before writing it (`serde_json::to_value`, then `to_vec`, then dropping the
//! tree). For the references of an entity named 130,000 times that is
//! ~250 ms to build the tree, ~100 ms to write it and ~200 ms to free it,
//! against ~30 ms to write the same JSON directly.
//!
//! So a few methods with potentially huge results (see
//! [`RawHandler::handles`]) are answered by the guard layer itself: the
//! handler runs in the request's future (so it is ordered after earlier
//! edits exactly like a normal handler, see `lsp/mod.rs`), writes its result
//! as JSON bytes and parks them here; the response that travels through
//! tower-lsp carries only a marker string, and the output pump between
//! tower-lsp and the real output replaces the marker with the parked bytes.
//! The marker contains a per-process random nonce and a NUL character, so
//! no other result (say, a document's text) can be mistaken for one.

use parking_lot::Mutex;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::Error;

/// Answers some methods with JSON bytes (the `result` member's value).
pub trait RawHandler: Send + Sync + 'static {
    /// Does this handler answer `method` now? (Asked when the request is
    /// dispatched; `false` — say before `initialize` or after `shutdown` —
    /// sends it through tower-lsp as usual.)
    fn handles(&self, method: &str) -> bool;
    /// The result as JSON bytes.
    fn handle(&self, method: &str, params: Value) -> Result<Vec<u8>, Error>;
}

/// Parked results, waiting for the output pump.
pub struct Parked {
    nonce: u64,
    next: AtomicU64,
    pending: Mutex<HashMap<u64, Vec<u8>>>,
}

const PREFIX: &[u8] = b"\"\\u0000gazette-raw:";

impl Default for Parked {
    fn default() -> Self {
        Self::new()
    }
}

impl Parked {
    pub fn new() -> Parked {
        // Any per-process unpredictable value will do.
        let nonce = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u32(std::process::id());
            h.finish()
        };
        Parked {
            nonce,
            next: AtomicU64::new(0),
            pending: Mutex::new(HashMap::new()),
        }
    }

    /// Parks `json` and returns the marker to send through tower-lsp instead.
    pub fn park(&self, json: Vec<u8>) -> Value {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.pending.lock().insert(n, json);
        Value::String(format!("\u{0}gazette-raw:{:x}:{n}", self.nonce))
    }

    /// A response body with its marker replaced by the parked bytes (the
    /// body unchanged when it carries no marker of ours).
    pub fn splice(&self, body: Vec<u8>) -> Vec<u8> {
        // Marker responses are tiny: `{"jsonrpc":"2.0","result":"…","id":…}`.
        if body.len() > 256 || self.pending.lock().is_empty() {
            return body;
        }
        let Some(start) = find(&body, PREFIX) else {
            return body;
        };
        let rest = &body[start + PREFIX.len()..];
        let Some(len) = rest.iter().position(|&b| b == b'"') else {
            return body;
        };
        let Ok(tag) = std::str::from_utf8(&rest[..len]) else {
            return body;
        };
        let Some((nonce, n)) = tag.split_once(':') else {
            return body;
        };
        if u64::from_str_radix(nonce, 16) != Ok(self.nonce) {
            return body;
        }
        let Some(json) = n
            .parse::<u64>()
            .ok()
            .and_then(|n| self.pending.lock().remove(&n))
        else {
            return body;
        };
        let end = start + PREFIX.len() + len + 1;
        let mut out = Vec::with_capacity(body.len() + json.len());
        out.extend_from_slice(&body[..start]);
        out.extend_from_slice(&json);
        out.extend_from_slice(&body[end..]);
        out
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Copies tower-lsp's output frames to `out`, splicing parked results in.
pub async fn output_pump<R, W>(from: R, mut out: W, parked: std::sync::Arc<Parked>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = tokio::io::BufReader::with_capacity(1 << 16, from);
    loop {
        let body = match super::guard::read_frame(&mut r, usize::MAX).await {
            Ok(Some(super::guard::Frame::Body(b))) => b,
            Ok(Some(super::guard::Frame::Bad(_))) => continue,
            Ok(None) | Err(_) => break,
        };
        let body = parked.splice(body);
        let t = std::time::Instant::now();
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if out.write_all(header.as_bytes()).await.is_err()
            || out.write_all(&body).await.is_err()
            || out.flush().await.is_err()
        {
            break;
        }
        if body.len() > 1 << 20 {
            tracing::debug!(
                "wrote a {:.1} MB message in {:.1} ms",
                body.len() as f64 / 1e6,
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
    let _ = out.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::jsonrpc::{Id, Response};

    #[test]
    fn splices_parked_results_only() {
        let p = Parked::new();
        let marker = p.park(br#"[{"a":1}]"#.to_vec());
        let resp = Response::from_ok(Id::Number(7), marker.clone());
        let body = serde_json::to_vec(&resp).unwrap();
        let out = p.splice(body);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"], serde_json::json!([{"a": 1}]));
        assert_eq!(v["id"], 7);
        // Taken once: the same marker again is left alone.
        let again = serde_json::to_vec(&Response::from_ok(Id::Number(8), marker)).unwrap();
        assert_eq!(p.splice(again.clone()), again);
        // Another process's marker (other nonce) is left alone.
        let other = Parked::new();
        let m2 = other.park(b"1".to_vec());
        p.park(b"2".to_vec());
        let b2 = serde_json::to_vec(&Response::from_ok(Id::Number(9), m2)).unwrap();
        if other.nonce != p.nonce {
            assert_eq!(p.splice(b2.clone()), b2);
        }
        // Ordinary results pass through untouched.
        let plain =
            serde_json::to_vec(&Response::from_ok(Id::Number(1), Value::from("text"))).unwrap();
        assert_eq!(p.splice(plain.clone()), plain);
    }
}
