//! Work that runs beside requests (diagnostics of every article after
//! indexing, writing the persistent index): each job gets its own thread at
//! a lower CPU priority, so on a two-core laptop a hover or an edit is
//! scheduled ahead of it instead of sharing a core with it. Priority alone
//! does not free a core's caches and memory bandwidth (or its hyperthread
//! sibling), so jobs also pause between steps while a request is being
//! answered ([`Foreground`], [`yield_to_requests`]).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The requests being answered, as background work sees them. The server
/// has one ([`REQUESTS`], behind the free functions below); tests make their
/// own, so that tests running in parallel do not see each other's requests.
pub struct Requests {
    /// Requests being answered now.
    in_flight: AtomicUsize,
    /// When the last request was answered, in microseconds since [`epoch`].
    last_answered_us: AtomicU64,
}

static REQUESTS: Requests = Requests::new();

fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_us() -> u64 {
    epoch().elapsed().as_micros() as u64
}

/// The longest a job waits at one step for requests to finish, so that a
/// stream of requests (or a slow one) cannot starve it.
const MAX_PAUSE: Duration = Duration::from_millis(50);

/// After a request is answered, its response still has to be written: work
/// on the runtime's own threads leaves it this long.
const AFTER_ANSWER: Duration = Duration::from_millis(2);

/// Held while a request is answered (see [`yield_to_requests`]).
pub struct Foreground(&'static Requests);

impl Foreground {
    pub fn begin() -> Foreground {
        REQUESTS.begin()
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        self.0.last_answered_us.store(now_us(), Ordering::SeqCst);
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Requests {
    pub const fn new() -> Requests {
        Requests {
            in_flight: AtomicUsize::new(0),
            last_answered_us: AtomicU64::new(0),
        }
    }

    pub fn begin(&'static self) -> Foreground {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        Foreground(self)
    }

    pub fn in_flight(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) > 0
    }

    /// See [`leave_room_for_requests`].
    pub async fn leave_room(&self, limit: Duration) {
        let start = Instant::now();
        while start.elapsed() < limit {
            let since = now_us().saturating_sub(self.last_answered_us.load(Ordering::SeqCst));
            if !self.in_flight() && since >= AFTER_ANSWER.as_micros() as u64 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// See [`yield_to_requests`].
    pub fn yield_to(&self) {
        let start = Instant::now();
        while self.in_flight() && start.elapsed() < MAX_PAUSE {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

impl Default for Requests {
    fn default() -> Self {
        Requests::new()
    }
}

/// For tasks on the runtime that do work a client does not wait for
/// (publishing the diagnostics of closed articles): waits while a request
/// is being answered and for [`AFTER_ANSWER`] after one was, at most
/// `limit`.
pub async fn leave_room_for_requests(limit: Duration) {
    REQUESTS.leave_room(limit).await
}

/// Whether a request is being answered now.
pub fn requests_in_flight() -> bool {
    REQUESTS.in_flight()
}

/// Called by background jobs between steps: waits while requests are being
/// answered, at most [`MAX_PAUSE`].
pub fn yield_to_requests() {
    REQUESTS.yield_to()
}

/// How much lower than the server's own threads (a `nice` increment).
const NICENESS: i32 = 10;

/// Runs `job` on a new thread named `name`, at a lower priority. If no
/// thread can be started, says so in the log and runs `job` here.
pub fn spawn(name: &str, job: impl FnOnce() + Send + 'static) {
    start(name, job);
}

/// Jobs whose work is lost if the process ends before they finish.
static LASTING: parking_lot::Mutex<Vec<std::thread::JoinHandle<()>>> =
    parking_lot::Mutex::new(Vec::new());

/// As [`spawn`], for a job the process waits for before it exits (see
/// [`finish_lasting`]): writing the persistent index, which a restart
/// would otherwise redo from scratch.
pub fn spawn_lasting(name: &str, job: impl FnOnce() + Send + 'static) {
    if let Some(h) = start(name, job) {
        let mut jobs = LASTING.lock();
        jobs.retain(|h| !h.is_finished());
        jobs.push(h);
    }
}

/// Waits for the jobs started by [`spawn_lasting`], at most `limit` in all;
/// false if some were still running.
pub fn finish_lasting(limit: Duration) -> bool {
    let start = Instant::now();
    let jobs = std::mem::take(&mut *LASTING.lock());
    if jobs.iter().any(|h| !h.is_finished()) {
        tracing::info!("waiting for background work to finish (at most {limit:?})");
    }
    while jobs.iter().any(|h| !h.is_finished()) {
        if start.elapsed() >= limit {
            tracing::warn!("background work did not finish in {limit:?}; exiting anyway");
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

fn start(name: &str, job: impl FnOnce() + Send + 'static) -> Option<std::thread::JoinHandle<()>> {
    let job = std::sync::Arc::new(parking_lot::Mutex::new(Some(job)));
    let theirs = job.clone();
    let started = std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            lower_priority();
            if let Some(job) = theirs.lock().take() {
                job();
            }
        });
    match started {
        Ok(h) => Some(h),
        Err(e) => {
            tracing::warn!("cannot start a thread for {name} ({e}); running it now");
            if let Some(job) = job.lock().take() {
                job();
            }
            None
        }
    }
}

/// A thread pool for parallel background work (analysing every article
/// again after `gazette.toml` changed what the recognizer knows): as many
/// threads as cores, all at the lower priority, so it uses idle cores but
/// gives them up to requests. Work run on it with `install` stays there.
pub fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("background {i}"))
            .start_handler(|_| lower_priority())
            .build()
            .map_err(|e| tracing::warn!("no background thread pool ({e})"))
            .ok()
    })
    .as_ref()
}

/// Runs `work` on the background [`pool`] (here, if it has none).
pub fn in_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match pool() {
        Some(p) => p.install(work),
        None => work(),
    }
}

/// Lowers the calling thread's priority (Linux keeps a nice value per
/// thread; elsewhere this does nothing).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority has no memory-safety preconditions; `who == 0`
    // names the calling thread, and failure only leaves the priority as is.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS as _, 0, NICENESS);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_the_job() {
        let (tx, rx) = std::sync::mpsc::channel();
        super::spawn("test job", move || tx.send(7).unwrap());
        assert_eq!(rx.recv().unwrap(), 7);
    }

    // Each test has its own requests: the server's are process-global, and
    // tests run in parallel (these two raced on them before).

    #[test]
    fn jobs_wait_for_requests_but_not_forever() {
        use std::time::{Duration, Instant};
        static REQUESTS: super::Requests = super::Requests::new();
        let t = Instant::now();
        REQUESTS.yield_to();
        assert!(t.elapsed() < Duration::from_millis(20));
        let held = REQUESTS.begin();
        let t = Instant::now();
        REQUESTS.yield_to();
        assert!(t.elapsed() >= super::MAX_PAUSE);
        drop(held);
    }

    #[tokio::test]
    async fn runtime_work_leaves_room_for_a_request_and_its_response() {
        use std::time::{Duration, Instant};
        static REQUESTS: super::Requests = super::Requests::new();
        let held = REQUESTS.begin();
        let t = Instant::now();
        REQUESTS.leave_room(Duration::from_millis(30)).await;
        assert!(t.elapsed() >= Duration::from_millis(30), "did not wait");
        drop(held);
        // Answered just now: waits for the response to be written, not longer.
        let t = Instant::now();
        REQUESTS.leave_room(Duration::from_secs(5)).await;
        assert!(t.elapsed() >= super::AFTER_ANSWER);
        assert!(t.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn lasting_jobs_are_waited_for() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        use std::time::Duration;
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        super::spawn_lasting("test job", move || {
            std::thread::sleep(Duration::from_millis(100));
            d.store(true, Ordering::SeqCst);
        });
        assert!(super::finish_lasting(Duration::from_secs(10)));
        assert!(done.load(Ordering::SeqCst));
        // A job over the limit is left running.
        super::spawn_lasting("slow job", || {
            std::thread::sleep(Duration::from_millis(500))
        });
        assert!(!super::finish_lasting(Duration::from_millis(20)));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_pool_runs_at_lower_priority() {
        use rayon::prelude::*;
        let here = unsafe { libc::getpriority(libc::PRIO_PROCESS as _, 0) };
        let seen: Vec<i32> = super::in_pool(|| {
            (0..64)
                .into_par_iter()
                .map(|_| unsafe { libc::getpriority(libc::PRIO_PROCESS as _, 0) })
                .collect()
        });
        assert!(
            seen.iter().all(|&p| p == (here + super::NICENESS).min(19)),
            "{seen:?}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn job_runs_at_lower_priority() {
        let (tx, rx) = std::sync::mpsc::channel();
        let here = unsafe { libc::getpriority(libc::PRIO_PROCESS as _, 0) };
        super::spawn("test job", move || {
            tx.send(unsafe { libc::getpriority(libc::PRIO_PROCESS as _, 0) })
                .unwrap()
        });
        assert_eq!(rx.recv().unwrap(), (here + super::NICENESS).min(19));
    }
}
