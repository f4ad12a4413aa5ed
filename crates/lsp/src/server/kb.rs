//! The knowledge base (`gazette.toml`) changing: each new text is prepared
//! off the state lock and swapped in by ticket (the newest text wins); when
//! what the recognizer must know changed, articles are analysed again.

use super::publish::{self, PublishQueue};
use crate::state::{prepare_kb, PreparedKb, State};
use gazette_core::corpus::build::{analyze_files, FileResult};
use gazette_core::recognize::Overrides;
use gazette_core::workspace::{discover, WorkspaceConfig};
use parking_lot::RwLock;
use std::path::PathBuf;
use std::sync::Arc;

/// Takes a new text of the knowledge base (state locked): its ticket and
/// the recognition key the overrides in force were compiled for, for
/// [`prepare_kb`] ([`State::overrides_key`]).
pub(super) fn kb_ticket(s: &mut State) -> (u64, Option<u64>) {
    s.kb.ticket += 1;
    // Until that text is installed, keystrokes cannot be taken in place.
    s.kb.current = false;
    (s.kb.ticket, s.overrides_key())
}

/// Installs a knowledge base prepared off the lock, unless a newer text
/// was taken meanwhile (that one is installed instead).
pub(super) fn install_kb(
    state: &Arc<RwLock<State>>,
    tx: &PublishQueue,
    ticket: u64,
    prepared: PreparedKb,
) {
    let mut s = state.write();
    if s.kb.ticket != ticket {
        return;
    }
    let changed = s.install_kb(prepared);
    kb_changed(state, &mut s, tx, changed);
}

/// A new text of the knowledge base (an edit, open, close, a change on
/// disk; `text` makes it, off the lock): parsed and
/// prepared on a blocking thread while requests go on with the previous
/// knowledge base, then swapped in (with 10^5 entries parsing under the
/// state lock held every request up for seconds per keystroke).
///
/// Not awaited by the notification that brought the text: messages are
/// handled in order, and parsing 10^5 entries (~250 ms) would hold up
/// every request behind the keystroke.
pub(super) fn update_kb(
    state: &Arc<RwLock<State>>,
    tx: &PublishQueue,
    (ticket, key): (u64, Option<u64>),
    text: impl FnOnce() -> Option<String> + Send + 'static,
) {
    let (state, tx) = (state.clone(), tx.clone());
    tokio::spawn(async move {
        let Ok(prepared) = tokio::task::spawn_blocking(move || prepare_kb(text(), key)).await
        else {
            return;
        };
        install_kb(&state, &tx, ticket, prepared);
    });
}

/// After the knowledge base's text changed (state locked): publish its
/// diagnostics and, when what the recognizer must know changed, analyse
/// open articles again now and closed ones in the background.
pub(super) fn kb_changed(
    state_arc: &Arc<RwLock<State>>,
    s: &mut State,
    tx: &PublishQueue,
    recognition_changed: bool,
) {
    publish::queue_kb_diagnostics(s, tx);
    let mut all = publish::all_paths(s);
    all.retain(|p| !s.is_kb_path(p));
    let rediscover = std::mem::take(&mut s.kb.files_changed) && s.indexing_done;
    if !recognition_changed && !rediscover {
        publish::refresh_diagnostics_later(state_arc.clone(), tx.clone(), all, None, false);
        return;
    }
    let open: Vec<PathBuf> = s
        .open
        .keys()
        .filter(|p| !s.is_kb_path(p))
        .cloned()
        .collect();
    for p in &open {
        s.reanalyze_open(p);
    }
    let again = Reanalysis::of_closed(s, &all, rediscover);
    all.retain(|p| s.open.contains_key(p));
    publish::queue_diagnostics(s, tx, &all);
    again.spawn(state_arc.clone(), tx.clone());
}

/// The closed articles analysed again for a new knowledge base.
struct Reanalysis {
    /// The knowledge base's generation they are analysed for.
    generation: u64,
    overrides: Overrides,
    max: u64,
    root: Option<PathBuf>,
    closed: Vec<PathBuf>,
    /// Where to list the articles again (the knowledge base's [settings]
    /// changed the file selection), instead of taking `closed`.
    discover_in: Option<(PathBuf, WorkspaceConfig)>,
}

impl Reanalysis {
    /// The closed articles among `all`, for the knowledge base of `s`; with
    /// `rediscover`, the articles listed again instead.
    fn of_closed(s: &State, all: &[PathBuf], rediscover: bool) -> Reanalysis {
        let closed = all.iter().filter(|p| !s.open.contains_key(*p)).cloned();
        let listing = || s.root.clone().map(|r| (r, s.config.clone()));
        Reanalysis {
            generation: s.kb.generation,
            overrides: s.overrides.clone(),
            max: s.config.max_file_size,
            root: s.root.clone(),
            closed: closed.collect(),
            discover_in: rediscover.then(listing).flatten(),
        }
    }

    /// Analyses in the background (lower priority, see `background`: it
    /// must not slow the requests that follow a keystroke in
    /// gazette.toml), then puts the analyses in unless a newer knowledge
    /// base is being applied meanwhile.
    fn spawn(self, state: Arc<RwLock<State>>, tx: PublishQueue) {
        let generation = self.generation;
        tokio::spawn(async move {
            let (done, result) = tokio::sync::oneshot::channel();
            crate::background::spawn("analyse articles for a new knowledge base", move || {
                let _ = done.send(self.analyse());
            });
            let Ok((results, listed)) = result.await else {
                return;
            };
            let mut s = state.write();
            if s.kb.generation != generation {
                return; // a newer knowledge base is being applied
            }
            put_in(&mut s, &tx, results, listed);
            let paths = publish::all_paths(&s);
            drop(s);
            publish::refresh_diagnostics_later(state.clone(), tx, paths, None, false);
        });
    }

    /// The analyses, and the articles listed again if they were.
    fn analyse(self) -> (Vec<FileResult>, Option<Vec<PathBuf>>) {
        let (paths, listed) = match self.discover_in {
            Some((root, cfg)) => {
                let l = discover(&root, &cfg).unwrap_or_default();
                (l.clone(), Some(l))
            }
            None => (self.closed, None),
        };
        let (max, root, overrides) = (self.max, self.root.as_deref(), &self.overrides);
        let results = crate::background::in_pool(|| analyze_files(&paths, max, root, overrides));
        (results, listed)
    }
}

/// Puts the analyses for a new knowledge base in (not of open documents,
/// nor of the knowledge base itself), after dropping the articles no
/// longer `listed` when they were listed again.
fn put_in(
    s: &mut State,
    tx: &PublishQueue,
    results: Vec<FileResult>,
    listed: Option<Vec<PathBuf>>,
) {
    if let Some(listed) = listed {
        publish::drop_unlisted(s, tx, &listed);
    }
    for r in results {
        if s.open.contains_key(&r.path) || s.is_kb_path(&r.path) {
            continue;
        }
        match r.outcome {
            Ok((_, a)) => drop(s.set_file_analysis(r.path, a)),
            Err(_) => drop(s.corpus.remove_document(&r.path)),
        }
    }
}
