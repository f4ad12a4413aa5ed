//! Round trips as the server's own input and output see them (debug log
//! only): from reading a request off the input to writing its response to
//! the output, with the number of messages written in between. A request
//! that is slow here was slow inside the server (queued behind other work,
//! or behind earlier output); one that is slow only for the client lost its
//! time in the pipes or in the client itself.

use parking_lot::Mutex;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tower_lsp_server::jsonrpc::Id;

/// Round trips longer than this are logged.
const SLOW: Duration = Duration::from_millis(2);

struct Open {
    read: Instant,
    method: String,
    /// Messages written before it was read.
    written_before: u64,
    /// When the service was called with it, and when its handler answered.
    called: Option<Instant>,
    answered: Option<Instant>,
}

#[derive(Default)]
pub struct WireClock {
    /// Requests read and not yet answered: when, the method, and how many
    /// messages had been written by then.
    open: Mutex<HashMap<Id, Open>>,
    written: AtomicU64,
}

/// The members of a message the clock needs (the rest is skipped unread).
#[derive(Deserialize)]
struct Head {
    id: Option<Id>,
    method: Option<String>,
}

impl WireClock {
    /// A clock when the debug log is on, else none (no cost per message).
    pub fn if_debugging() -> Option<std::sync::Arc<WireClock>> {
        tracing::enabled!(tracing::Level::DEBUG).then(Default::default)
    }

    /// A message was read from the client.
    pub fn read(&self, body: &[u8]) {
        if let Ok(Head {
            id: Some(id),
            method: Some(method),
        }) = serde_json::from_slice::<Head>(body)
        {
            let open = Open {
                read: Instant::now(),
                method,
                written_before: self.written.load(Ordering::Relaxed),
                called: None,
                answered: None,
            };
            self.open.lock().insert(id, open);
        }
    }

    /// The service was called with request `id`.
    pub fn called(&self, id: &Id) {
        if let Some(o) = self.open.lock().get_mut(id) {
            o.called = Some(Instant::now());
        }
    }

    /// The handler of request `id` answered.
    pub fn answered(&self, id: &Id) {
        if let Some(o) = self.open.lock().get_mut(id) {
            o.answered = Some(Instant::now());
        }
    }

    /// A message was written to the client (the response to `answered`).
    pub fn written(&self, answered: Option<Id>) {
        let n = self.written.fetch_add(1, Ordering::Relaxed) + 1;
        let Some(id) = answered else {
            return;
        };
        let Some(o) = self.open.lock().remove(&id) else {
            return;
        };
        let took = o.read.elapsed();
        if took > SLOW {
            let ms = |a: Instant, b: Option<Instant>| {
                b.map_or("?".into(), |b| {
                    format!("{:.1}", (b - a).as_secs_f64() * 1e3)
                })
            };
            let called = o.called.unwrap_or(o.read);
            tracing::debug!(
                "round trip {} {id}: {:.1} ms from read to written (to the service {} ms, handler {} ms, \
                 to the output {} ms), {} messages written meanwhile",
                o.method,
                took.as_secs_f64() * 1e3,
                ms(o.read, o.called),
                ms(called, o.answered),
                o.answered.map_or("?".into(), |a| format!("{:.1}", a.elapsed().as_secs_f64() * 1e3)),
                n - o.written_before - 1
            );
        }
    }
}
