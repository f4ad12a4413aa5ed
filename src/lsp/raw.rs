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
    /// The result as JSON, in segments to be written one after another
    /// (parts made on several cores need not be copied into one buffer).
    fn handle(&self, method: &str, params: Value) -> Result<Vec<Vec<u8>>, Error>;
}

/// Parked results, waiting for the output pump.
pub struct Parked {
    nonce: u64,
    next: AtomicU64,
    pending: Mutex<HashMap<u64, Vec<Vec<u8>>>>,
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
    pub fn park(&self, json: Vec<Vec<u8>>) -> Value {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.pending.lock().insert(n, json);
        Value::String(format!("\u{0}gazette-raw:{:x}:{n}", self.nonce))
    }

    /// The message to write for `body`, in segments: `body` itself, or
    /// with its marker replaced by the parked JSON (not copied again).
    pub fn splice(&self, body: Vec<u8>) -> Vec<Vec<u8>> {
        match self.marker(&body) {
            Some((start, end, json)) => {
                let mut out = Vec::with_capacity(json.len() + 2);
                out.push(body[..start].to_vec());
                out.extend(json);
                out.push(body[end..].to_vec());
                out
            }
            None => vec![body],
        }
    }

    /// Where `body` holds one of this process's markers, and its JSON.
    fn marker(&self, body: &[u8]) -> Option<(usize, usize, Vec<Vec<u8>>)> {
        // Marker responses are tiny: `{"jsonrpc":"2.0","result":"…","id":…}`.
        if body.len() > 256 || self.pending.lock().is_empty() {
            return None;
        }
        let start = find(body, PREFIX)?;
        let rest = &body[start + PREFIX.len()..];
        let len = rest.iter().position(|&b| b == b'"')?;
        let tag = std::str::from_utf8(&rest[..len]).ok()?;
        let (nonce, n) = tag.split_once(':')?;
        if u64::from_str_radix(nonce, 16) != Ok(self.nonce) {
            return None;
        }
        let json = self.pending.lock().remove(&n.parse::<u64>().ok()?)?;
        Some((start, start + PREFIX.len() + len + 1, json))
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
        let segments = parked.splice(body);
        let t = std::time::Instant::now();
        let len: usize = segments.iter().map(Vec::len).sum();
        let header = format!("Content-Length: {len}\r\n\r\n");
        let mut failed = out.write_all(header.as_bytes()).await.is_err();
        for s in &segments {
            failed = failed || out.write_all(s).await.is_err();
        }
        if failed || out.flush().await.is_err() {
            break;
        }
        if len > 1 << 20 {
            tracing::debug!(
                "wrote a {:.1} MB message in {:.1} ms",
                len as f64 / 1e6,
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
        let marker = p.park(vec![br#"[{"a":1},"#.to_vec(), br#"{"b":2}]"#.to_vec()]);
        let resp = Response::from_ok(Id::Number(7), marker.clone());
        let body = serde_json::to_vec(&resp).unwrap();
        let out = p.splice(body).concat();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"], serde_json::json!([{"a": 1}, {"b": 2}]));
        assert_eq!(v["id"], 7);
        // Taken once: the same marker again is left alone.
        let again = serde_json::to_vec(&Response::from_ok(Id::Number(8), marker)).unwrap();
        assert_eq!(p.splice(again.clone()), vec![again]);
        // Another process's marker (other nonce) is left alone.
        let other = Parked::new();
        let m2 = other.park(vec![b"1".to_vec()]);
        p.park(vec![b"2".to_vec()]);
        let b2 = serde_json::to_vec(&Response::from_ok(Id::Number(9), m2)).unwrap();
        if other.nonce != p.nonce {
            assert_eq!(p.splice(b2.clone()), vec![b2]);
        }
        // Ordinary results pass through untouched.
        let plain =
            serde_json::to_vec(&Response::from_ok(Id::Number(1), Value::from("text"))).unwrap();
        assert_eq!(p.splice(plain.clone()), vec![plain]);
    }
}
