//! Server state: the corpus, open documents (ropes) and settings.

#[cfg(test)]
use gazette_core::analysis::analyze;
use gazette_core::analysis::{analyze_at, DocAnalysis};
use gazette_core::corpus::{Corpus, DocId};
use gazette_core::kb::{self, KbError, KnowledgeBase, Level};
use gazette_core::recognize::Overrides;
use gazette_core::text::position::{rope_offset, LineIndex, LinePos, PositionEncoding};
use gazette_core::workspace::{read_text, FileFilter, WorkspaceConfig};
use gazette_ide::{DiagCode, Severity, TextSource};
use ropey::Rope;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

pub struct OpenDoc {
    pub uri: Uri,
    pub rope: Rope,
    pub version: i32,
}

/// The knowledge base (`gazette.toml` at the root): its current text and
/// the last version that parsed, which stays in force while the file is broken.
#[derive(Default)]
pub struct KbState {
    pub path: Option<PathBuf>,
    /// The current text (editor buffer or disk); `None` when there is no file.
    pub text: Option<String>,
    /// The line index of `text`.
    pub line_index: Option<Arc<LineIndex>>,
    pub good: Option<Arc<KnowledgeBase>>,
    pub errors: Vec<KbError>,
    /// Bumped whenever what the recognizer must know changes.
    pub generation: u64,
    /// Whether diagnostics are currently shown for the file.
    pub published: bool,
    /// Set when the file's `[settings]` changed which files are articles.
    pub files_changed: bool,
    /// [`KnowledgeBase::recognition_key`] of `good`.
    pub key: Option<u64>,
    /// Bumped for every new text taken off the lock ([`prepare_kb`]): a
    /// prepared text is installed only if no newer one was taken since.
    pub ticket: u64,
    /// Whether `good`, `errors` and `line_index` are those of `text` (no
    /// newer text is being prepared, and it parsed): only then can a
    /// keystroke update them in place ([`State::edit_kb`]).
    pub current: bool,
}

/// A change of an open document in bytes: `range` of the text before it
/// replaced by the string (`None`: the whole text).
pub type Splice = (Option<std::ops::Range<usize>>, String);

/// The most entries a run of keystrokes patches the recognizer's overrides
/// for ([`Overrides::replace_entry`] compiles all of them again each time)
/// before one takes the full path, which compiles every entry afresh.
const MAX_PATCHED_ENTRIES: usize = 256;

/// A text of the knowledge base, parsed and made ready without the state
/// lock: with 10^5 entries parsing, the pseudo-document and the compiled
/// overrides take a while, and requests must not wait for them.
/// A knowledge base that parsed: itself, its pseudo-document, its
/// recognition key and the pseudo-document's mentions that are entries'
/// names.
type ParsedKb = (Arc<KnowledgeBase>, Arc<DocAnalysis>, u64, Vec<u32>);

pub struct PreparedKb {
    text: Option<String>,
    errors: Vec<KbError>,
    parsed: Option<ParsedKb>,
    /// Line index of `text`, for positions of the file's diagnostics.
    line_index: Option<Arc<LineIndex>>,
    /// The recognizer's overrides, built when the key differs from the one
    /// in force when preparing began.
    overrides: Option<Overrides>,
}

/// Parses `text` (`None`: the file is gone) into what [`State::install_kb`]
/// swaps in; `installed_key` is the recognition key in force, to skip
/// building overrides that would not change ([`State::overrides_key`]).
pub fn prepare_kb(text: Option<String>, installed_key: Option<u64>) -> PreparedKb {
    let Some(t) = &text else {
        return PreparedKb {
            text,
            errors: Vec::new(),
            parsed: None,
            line_index: None,
            overrides: (installed_key.is_some()).then(Overrides::default),
        };
    };
    let (parsed, errors) = kb::parse(t);
    let parsed = parsed.map(|k| {
        let analysis = Arc::new(k.analysis(t));
        let key = k.recognition_key();
        let names = gazette_core::corpus::kb_name_mentions(&analysis, &k);
        (Arc::new(k), analysis, key, names)
    });
    let overrides = match &parsed {
        Some((k, _, key, _)) if Some(*key) != installed_key => Some(k.overrides()),
        _ => None,
    };
    PreparedKb {
        line_index: Some(Arc::new(LineIndex::new(t))),
        text,
        errors,
        parsed,
        overrides,
    }
}

pub struct State {
    pub encoding: PositionEncoding,
    pub root: Option<PathBuf>,
    pub config: WorkspaceConfig,
    pub filter: FileFilter,
    pub overrides: Overrides,
    pub corpus: Corpus,
    pub open: HashMap<PathBuf, OpenDoc>,
    /// A fingerprint of the diagnostics last published per document (only
    /// documents with some), to publish only changes; a hash rather than the
    /// diagnostics themselves keeps this small for 10^5 documents. Behind
    /// its own lock, so background diagnostics commit under the read lock
    /// and never hold requests up.
    pub published: parking_lot::Mutex<HashMap<PathBuf, u64>>,
    pub indexing_done: bool,
    /// `initialize` was answered / `shutdown` was received.
    pub initialized: bool,
    pub shutdown: bool,
    pub kb: KbState,
    /// Diagnostic levels set in the editor (`gazette.diagnostics.*`), by group.
    pub client_levels: HashMap<String, Level>,
    /// Whether the editor set include / exclude / maxFileSize (they then win
    /// over the knowledge base's `[settings]`).
    pub client_files: (bool, bool, bool),
    /// Where the persistent index lives (`None`: disabled).
    pub cache_file: Option<PathBuf>,
    /// Counts didChange notifications (debounces cross-document diagnostics).
    pub edit_generation: u64,
    /// The annotation store (`gazette.annotations.jsonl` at the root).
    pub store: StoreState,
    /// The shared archive (`archive` setting), if any.
    pub archive: Option<std::sync::Arc<gazette_archive::query::Archive>>,
}

/// The annotation store as the server knows it; the parsed annotations
/// are in force in [`State::overrides`].
#[derive(Default)]
pub struct StoreState {
    pub path: Option<PathBuf>,
    /// Its text now (the open buffer, else the file; empty when absent).
    pub text: String,
    /// Whether diagnostics are published for it (so that clearing them
    /// is published once).
    pub published: bool,
    /// Whether the file exists on disk (as last read).
    pub exists: bool,
    /// Review mode (`gazette.review.enable`): unreviewed machine mentions
    /// carry the `unreviewed` semantic-token modifier.
    pub review: bool,
}

impl State {
    pub fn new() -> State {
        let config = WorkspaceConfig::default();
        State {
            encoding: PositionEncoding::Utf16,
            root: None,
            filter: FileFilter::new(&config),
            config,
            overrides: Overrides::default(),
            corpus: Corpus::new(),
            open: HashMap::new(),
            published: Default::default(),
            indexing_done: false,
            initialized: false,
            shutdown: false,
            kb: KbState::default(),
            client_levels: HashMap::new(),
            client_files: (false, false, false),
            cache_file: None,
            edit_generation: 0,
            store: StoreState::default(),
            archive: None,
        }
    }

    pub fn is_store_path(&self, path: &Path) -> bool {
        self.store.path.as_deref() == Some(path)
    }

    /// Reads the annotation store from disk (through `read_text`: a
    /// regular file in the root, within the size limit); empty when there
    /// is none or it cannot be read (logged).
    pub fn read_store_file(&mut self) -> String {
        self.store.exists = self
            .store
            .path
            .as_ref()
            .is_some_and(|p| std::fs::symlink_metadata(p).is_ok());
        let Some(path) = &self.store.path else {
            return String::new();
        };
        match read_text(
            path,
            gazette_core::annotations::MAX_FILE_SIZE,
            self.root.as_deref(),
        ) {
            Ok(d) => d.text,
            Err(gazette_core::workspace::SkipReason::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound =>
            {
                String::new()
            }
            Err(e) => {
                tracing::warn!("{}: {e}", path.display());
                String::new()
            }
        }
    }

    /// Takes a new text of the annotation store: its annotations are in
    /// force from now on, and the articles whose annotations changed are
    /// analysed again (open ones from their buffer, closed ones from
    /// disk). Returns those articles.
    pub fn set_store_text(&mut self, text: String) -> Vec<PathBuf> {
        let new = Arc::new(gazette_core::annotations::Annotations::parse(
            self.root.as_deref(),
            &text,
        ));
        let changed = self.overrides.annotations().changed_paths(&new);
        self.overrides = self.overrides.clone().with_annotations(new);
        self.store.text = text;
        let Some(root) = self.root.clone() else {
            return Vec::new();
        };
        let paths: Vec<PathBuf> = changed.iter().map(|r| root.join(r)).collect();
        for p in &paths {
            if self.is_kb_path(p) || self.is_store_path(p) {
                continue;
            }
            if self.open.contains_key(p) {
                self.reanalyze_open(p);
            } else if self.corpus.doc_id(p).is_some() {
                match read_text(p, self.config.max_file_size, Some(&root)) {
                    Ok(d) => {
                        let a = gazette_core::analysis::analyze_decoded_at(p, &d, &self.overrides);
                        self.set_file_analysis(p.clone(), a);
                    }
                    Err(e) => tracing::warn!("{}: {e}", p.display()),
                }
            }
        }
        paths
    }

    pub fn is_kb_path(&self, path: &Path) -> bool {
        self.kb.path.as_deref() == Some(path)
    }

    /// Takes a new text of the knowledge base (`None`: the file is gone),
    /// parsing it under the lock: for start-up and tests; the server's
    /// handlers prepare the text off the lock ([`prepare_kb`]).
    /// Returns true when the recognizer's overrides changed, so every
    /// article must be analysed again.
    pub fn set_kb_text(&mut self, text: Option<String>) -> bool {
        self.kb.ticket += 1;
        let prepared = prepare_kb(text, self.overrides_key());
        self.install_kb(prepared)
    }

    /// The recognition key the recognizer's overrides were compiled for, as
    /// [`prepare_kb`] takes it: `None` when keystrokes patched them
    /// ([`Self::edit_kb`]), so that a text prepared in full compiles them
    /// afresh even where it tells the recognizer nothing new.
    pub fn overrides_key(&self) -> Option<u64> {
        self.kb
            .key
            .filter(|_| self.overrides.patched_entries() == 0)
    }

    /// Swaps in a prepared text of the knowledge base (cheap: what takes
    /// time was done by [`prepare_kb`]). Returns true when the
    /// recognizer's overrides changed, so every article must be analysed again.
    pub fn install_kb(&mut self, prepared: PreparedKb) -> bool {
        let Some(path) = self.kb.path.clone() else {
            return false;
        };
        let before = self.kb.key;
        // What the new knowledge base replaces is freed off the lock: with
        // 10^5 entries, dropping the old entries and phrase table took
        // 150–280 ms, and every request waited for it.
        let mut old: (Option<Arc<KnowledgeBase>>, Vec<Overrides>) = (None, Vec::new());
        let PreparedKb {
            text,
            errors,
            parsed,
            overrides,
            line_index,
        } = prepared;
        self.kb.line_index = line_index;
        self.kb.current = text.is_some() && parsed.is_some();
        match &text {
            None => {
                self.kb.errors.clear();
                old.0 = self.kb.good.take();
                self.kb.key = None;
                self.corpus.remove_document(&path);
            }
            Some(_) => {
                self.kb.errors = errors;
                if let Some((k, analysis, key, names)) = parsed {
                    self.corpus.set_knowledge_base_prepared(
                        path.clone(),
                        analysis,
                        k.clone(),
                        &names,
                    );
                    old.0 = self.kb.good.replace(k);
                    self.kb.key = Some(key);
                }
            }
        }
        self.kb.text = text;
        let files = (
            self.config.include.clone(),
            self.config.exclude.clone(),
            self.config.max_file_size,
        );
        self.apply_kb_settings();
        if files
            != (
                self.config.include.clone(),
                self.config.exclude.clone(),
                self.config.max_file_size,
            )
        {
            self.kb.files_changed = true;
        }
        let after = self.kb.key;
        let changed = before != after;
        if changed {
            // Built off the lock, unless the knowledge base in force changed
            // while this text was prepared.
            let new = match (overrides, &self.kb.good) {
                (o, None) => {
                    old.1.extend(o);
                    Overrides::default()
                }
                (Some(o), Some(_)) => o,
                (None, Some(k)) => k.overrides(),
            };
            // The annotations stay: they are the store's, not gazette.toml's.
            let new = new
                .with_annotations(self.overrides.annotations().clone())
                .with_tagger(self.overrides.adapted_tagger());
            old.1.push(std::mem::replace(&mut self.overrides, new));
            self.kb.generation += 1;
        } else {
            match (overrides, &self.kb.good) {
                // The same names, compiled afresh instead of patched.
                (Some(o), Some(_)) if self.overrides.patched_entries() > 0 => {
                    let o = o
                        .with_annotations(self.overrides.annotations().clone())
                        .with_tagger(self.overrides.adapted_tagger());
                    old.1.push(std::mem::replace(&mut self.overrides, o));
                }
                (o, _) => old.1.extend(o),
            }
        }
        crate::background::spawn("free the previous knowledge base", move || {
            let mut pause = crate::background::yield_to_requests;
            if let Some(k) = old.0.and_then(|k| Arc::try_unwrap(k).ok()) {
                k.free_in_steps(&mut pause);
            }
            for o in old.1 {
                o.free_in_steps(&mut pause);
            }
        });
        changed
    }

    /// Takes keystrokes in the knowledge base's open file (`splices`, as
    /// [`Self::apply_changes`] made them) in place when each stays inside
    /// one entry ([`KnowledgeBase::edit`]): that entry is parsed again, its
    /// mentions in the corpus and its names in the recognizer's overrides
    /// replaced, everything after it shifted. With 10^5 entries, parsing,
    /// compiling and freeing the whole file for every keystroke stalled
    /// requests (allocator locks, both cores busy) for up to 270 ms.
    /// `Some(true)` when what the recognizer knows changed (articles must
    /// be analysed again); `None` when a splice cannot be taken in place:
    /// then the caller prepares the whole text ([`prepare_kb`]).
    pub fn edit_kb(&mut self, splices: &[Splice]) -> Option<bool> {
        let taken = self.edit_kb_in_place(splices);
        if taken.is_none() {
            self.kb.current = false;
        }
        taken
    }

    fn edit_kb_in_place(&mut self, splices: &[Splice]) -> Option<bool> {
        if !self.kb.current
            || splices.is_empty()
            || self.overrides.patched_entries() >= MAX_PATCHED_ENTRIES
        {
            return None;
        }
        let path = self.kb.path.clone()?;
        let mut recognition = false;
        for (range, inserted) in splices {
            let range = range.clone()?;
            let text = self.kb.text.as_mut()?;
            if range.start > range.end
                || !text.is_char_boundary(range.start)
                || !text.is_char_boundary(range.end)
            {
                return None;
            }
            text.replace_range(range.clone(), inserted);
            // The corpus holds the knowledge base too: edited alone.
            let mut k = self.kb.good.take()?;
            drop(self.corpus.take_kb(&path));
            let edit = Arc::get_mut(&mut k)
                .and_then(|kb| kb.edit(&mut self.kb.errors, range.clone(), inserted.len(), text));
            let Some(edit) = edit else {
                self.corpus.put_kb(&path, k.clone());
                self.kb.good = Some(k);
                return None;
            };
            let applied = self.corpus.edit_kb_entry(&path, k.clone(), &edit, text);
            if let Some(li) = &mut self.kb.line_index {
                Arc::make_mut(li).splice(range, text);
            }
            if edit.recognition_changed {
                self.overrides = self
                    .overrides
                    .replace_entry(edit.entry as u32, k.entry_overrides(edit.entry));
                recognition = true;
            }
            self.kb.key = Some(k.recognition_key());
            self.kb.good = Some(k);
            if !applied {
                return None;
            }
        }
        // A text being prepared from before is not installed over this one.
        self.kb.ticket += 1;
        if recognition {
            self.kb.generation += 1;
        }
        Some(recognition)
    }

    /// The knowledge base's `[settings]` for file selection, where the editor
    /// did not set them.
    fn apply_kb_settings(&mut self) {
        let Some(k) = self.kb.good.clone() else {
            return;
        };
        let st = &k.settings;
        if let (Some(inc), false) = (&st.include, self.client_files.0) {
            self.config.include = inc.clone();
        }
        if let (Some(exc), false) = (&st.exclude, self.client_files.1) {
            self.config.exclude = exc.clone();
        }
        if let (Some(m), false) = (st.max_file_size, self.client_files.2) {
            self.config.max_file_size = gazette_core::workspace::size_limit(m);
        }
        // Globs of the file that do not compile were reported and left out
        // by the parser; the editor's own are reported when they are set.
        self.filter = FileFilter::new(&self.config);
    }

    /// The level a diagnostic code is shown at: the editor's setting, else
    /// the knowledge base's, else the code's default.
    pub fn level(&self, code: DiagCode) -> Option<Severity> {
        let g = code.group();
        let level = self.client_levels.get(g).copied().or_else(|| {
            self.kb
                .good
                .as_ref()
                .and_then(|k| k.settings.diagnostics.get(g).copied())
        });
        match level {
            None => Some(code.default_severity()),
            Some(Level::Off) => None,
            Some(Level::Hint) => Some(Severity::Hint),
            Some(Level::Information) => Some(Severity::Information),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Error) => Some(Severity::Error),
        }
    }

    /// Puts the analysis of a file as read from disk into the corpus. An
    /// article no editor has open keeps only its linked figures
    /// ([`DocAnalysis::keep_linked_figures`]); an open one is the buffer's
    /// ([`Self::reanalyze_open`]).
    pub fn set_file_analysis(&mut self, path: PathBuf, mut analysis: DocAnalysis) -> DocId {
        if !self.open.contains_key(&path) {
            analysis.keep_linked_figures();
        }
        self.put_analysis(path, analysis).0
    }

    /// Puts `analysis` into the corpus as document `path`'s; whether the
    /// names or linked figures changed (what other articles see). The same
    /// names and linked figures (an article opened or closed as it was
    /// indexed, an edit that moved no name) keep every name's summary, but
    /// the cards that show a line of this article.
    fn put_analysis(&mut self, path: PathBuf, analysis: DocAnalysis) -> (DocId, bool) {
        let held = self.corpus.doc_id(&path).and_then(|id| {
            let d = self.corpus.doc(id)?;
            let same = d.kb.is_none() && analysis.same_but_unlinked_figures(&d.analysis);
            // All else compared already: equal when the figures are.
            same.then(|| (id, d.analysis.figures == analysis.figures))
        });
        match held {
            Some((id, equal)) => {
                if !equal {
                    self.corpus.set_unlinked_figures(id, Arc::new(analysis));
                }
                self.corpus.text_changed(id);
                (id, false)
            }
            None => (self.corpus.set_document(path, Arc::new(analysis)), true),
        }
    }

    /// [`Self::set_file_analysis`] for many files at once (their ids, in
    /// order): the corpus brings what they change up to date once
    /// ([`gazette_core::corpus::Corpus::set_documents`]).
    pub fn set_file_analyses(&mut self, docs: Vec<(PathBuf, DocAnalysis)>) -> Vec<DocId> {
        let docs: Vec<(PathBuf, Arc<DocAnalysis>)> = docs
            .into_iter()
            .map(|(path, mut analysis)| {
                if !self.open.contains_key(&path) {
                    analysis.keep_linked_figures();
                }
                (path, Arc::new(analysis))
            })
            .collect();
        self.corpus.set_documents(docs)
    }

    /// Re-analyses an open document from its rope into the corpus; `false`
    /// when the names and linked figures are those the corpus already holds
    /// (say, a file opened as it was indexed): then nothing changed for
    /// other articles.
    pub fn reanalyze_open(&mut self, path: &Path) -> bool {
        let Some(doc) = self.open.get(path) else {
            return false;
        };
        // Guard: a buffer over the size limit stays in sync but is not
        // analysed (it would stall every keystroke).
        if doc.rope.len_bytes() as u64 > self.config.max_file_size {
            tracing::warn!(
                "{}: open buffer over maxFileSize, not analysed",
                path.display()
            );
            return self.corpus.remove_document(path).is_some();
        }
        let analysis = analyze_at(path, &doc.rope.to_string(), &self.overrides);
        self.put_analysis(path.to_path_buf(), analysis).1
    }

    /// Applies LSP content changes to an open document's rope. Ranges out of
    /// bounds are clamped; a change without a range replaces the whole text.
    /// `None` when the document is not open; else, for the knowledge base,
    /// the changes in bytes (for [`Self::edit_kb`]; none for others).
    pub fn apply_changes(
        &mut self,
        path: &Path,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<Vec<Splice>> {
        let enc = self.encoding;
        let record = self.is_kb_path(path);
        let mut splices = Vec::new();
        let doc = self.open.get_mut(path)?;
        if version <= doc.version {
            tracing::warn!(
                "didChange for {} with stale version {version} (have {})",
                path.display(),
                doc.version
            );
        }
        for change in changes {
            match change.range {
                None => {
                    doc.rope = Rope::from_str(&change.text);
                    if record {
                        splices.push((None, String::new()));
                    }
                }
                Some(range) => {
                    let rope = &mut doc.rope;
                    let a = rope_offset(
                        rope,
                        LinePos {
                            line: range.start.line,
                            character: range.start.character,
                        },
                        enc,
                    );
                    let b = rope_offset(
                        rope,
                        LinePos {
                            line: range.end.line,
                            character: range.end.character,
                        },
                        enc,
                    );
                    let (a, b) = if a <= b { (a, b) } else { (b, a) };
                    let (ca, cb) = (rope.byte_to_char(a), rope.byte_to_char(b));
                    rope.remove(ca..cb);
                    rope.insert(ca, &change.text);
                    if record {
                        // Offsets of positions are on character boundaries.
                        splices.push((Some(a..b), change.text));
                    }
                }
            }
        }
        doc.version = version;
        Some(splices)
    }

    /// The text of a document: the editor's buffer when open, else the file.
    pub fn doc_text(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(d) = self.open.get(path) {
            return Some(Arc::from(d.rope.to_string()));
        }
        read_text(path, self.config.max_file_size, self.root.as_deref())
            .ok()
            .map(|d| Arc::from(d.text))
    }

    /// The analysis of the workspace file `path` as it is on disk (`None`:
    /// not a workspace file, or unreadable).
    pub fn analysis_on_disk(&self, path: &Path) -> Option<DocAnalysis> {
        if !self.in_workspace(path) {
            return None;
        }
        let text = read_text(path, self.config.max_file_size, self.root.as_deref()).ok()?;
        let analysis = gazette_core::analysis::analyze_decoded_at(path, &text, &self.overrides);
        Some(analysis)
    }

    /// Reads the knowledge base file from disk (`None`: there is none, or
    /// it cannot be used: not a regular file, over the size limit, a link
    /// leading out of the root — logged, and returned as the second value).
    pub fn read_kb_file(&self) -> (Option<String>, Option<String>) {
        let Some(path) = &self.kb.path else {
            return (None, None);
        };
        match read_text(path, kb::MAX_FILE_SIZE, self.root.as_deref()) {
            Ok(d) => (Some(d.text), None),
            Err(gazette_core::workspace::SkipReason::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound =>
            {
                (None, None)
            }
            Err(e) => {
                let why = format!("{}: {e}", path.display());
                tracing::warn!("{why}");
                (None, Some(why))
            }
        }
    }

    pub fn in_workspace(&self, path: &Path) -> bool {
        if self.is_kb_path(path) || self.is_store_path(path) {
            return false;
        }
        match &self.root {
            Some(root) => {
                path.starts_with(root)
                    && self.filter.matches(root, path)
                    && !gazette_core::workspace::leaves_root(root, path)
            }
            None => false,
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

impl TextSource for State {
    fn text(&self, corpus: &Corpus, doc: DocId) -> Option<Arc<str>> {
        let path = corpus.path(doc);
        let text = self.doc_text(path)?;
        // A file changed on disk since it was indexed would give wrong context.
        (text.len() == corpus.doc(doc)?.analysis.len()).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    const ARTICLE: &str = "Jens Stoltenberg traf Wladimir Putin. Stoltenberg sprach.\n";

    fn kb_text(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "[[entity]]\nname = \"Vorname{i} Nachname{i}\"\nkind = \"person\"\naliases = [\"Nachname{i}\"]\ndescription = \"Person {i}\"\n\n"
                )
            })
            .collect::<String>()
            + "[[entity]]\nname = \"Jens Stoltenberg\"\nkind = \"person\"\n"
    }

    /// A state with `text` as the open knowledge base and one article.
    fn state(text: &str) -> State {
        let mut s = State::new();
        let path = PathBuf::from("/corpus/gazette.toml");
        s.kb.path = Some(path.clone());
        s.set_kb_text(Some(text.to_string()));
        s.open.insert(
            path,
            OpenDoc {
                uri: "file:///corpus/gazette.toml".parse().unwrap(),
                rope: Rope::from_str(text),
                version: 1,
            },
        );
        s.reanalyze_article();
        s
    }

    impl State {
        fn reanalyze_article(&mut self) {
            let a = analyze(ARTICLE, &self.overrides);
            self.corpus
                .set_document(PathBuf::from("/corpus/a.txt"), Arc::new(a));
        }

        /// Types `insert` at `line`:`character` of the open knowledge base.
        fn type_at(&mut self, line: u32, character: u32, insert: &str) -> Option<bool> {
            let at = Position { line, character };
            let change = TextDocumentContentChangeEvent {
                range: Some(Range { start: at, end: at }),
                range_length: None,
                text: insert.to_string(),
            };
            let path = self.kb.path.clone().unwrap();
            let splices = self.apply_changes(&path, 2, vec![change]).unwrap();
            self.edit_kb(&splices)
        }
    }

    /// What a state built from the knowledge base's text says of it.
    fn same_as_fresh(s: &State) {
        let text = s.kb.text.clone().unwrap();
        let rope = &s.open[s.kb.path.as_ref().unwrap()].rope;
        assert_eq!(rope.to_string(), text);
        let fresh = state(&text);
        assert_eq!(s.kb.good, fresh.kb.good);
        assert_eq!(s.kb.errors, fresh.kb.errors);
        assert_eq!(s.kb.key, fresh.kb.key);
        assert_eq!(s.kb.line_index, fresh.kb.line_index);
        let names = |s: &State| {
            let n = s.overrides.names();
            n.into_iter()
                .map(|n| (n.surface, n.kind, n.canonical))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(s), names(&fresh));
        let doc = |s: &State| {
            let c = &s.corpus;
            let d = c.doc_id(s.kb.path.as_ref().unwrap()).unwrap();
            c.doc(d).unwrap().analysis.clone()
        };
        assert_eq!(doc(s), doc(&fresh));
        assert_eq!(
            analyze(ARTICLE, &s.overrides),
            analyze(ARTICLE, &fresh.overrides)
        );
    }

    #[test]
    fn keystrokes_in_an_entry_are_taken_in_place() {
        let mut s = state(&kb_text(3));
        assert!(s.kb.current);
        let generation = s.kb.generation;
        // "Person 1" -> "Person 1x": nothing the recognizer is told.
        assert_eq!(s.type_at(10, 23, "x"), Some(false));
        assert_eq!(s.kb.generation, generation);
        same_as_fresh(&s);
        // "Jens Stoltenberg" -> "Jens Stoltenbergs": the articles must be
        // analysed again, with the patched overrides.
        assert_eq!(s.type_at(19, 24, "s"), Some(true));
        assert_eq!(s.kb.generation, generation + 1);
        assert_eq!(s.overrides.patched_entries(), 1);
        s.reanalyze_article();
        same_as_fresh(&s);
        // Typing ä into the first name (a multi-byte character).
        assert_eq!(s.type_at(1, 15, "ä"), Some(true));
        same_as_fresh(&s);
    }

    #[test]
    fn an_edit_outside_an_entry_takes_the_full_path_until_installed() {
        let mut s = state(&kb_text(2));
        // A comment line before the first entry.
        assert_eq!(s.type_at(0, 0, "# x\n"), None);
        assert!(!s.kb.current);
        // Nothing is taken in place until the whole text is installed.
        assert_eq!(s.type_at(2, 17, "y"), None);
        let text = s.open[s.kb.path.as_ref().unwrap()].rope.to_string();
        s.set_kb_text(Some(text));
        assert!(s.kb.current);
        assert_eq!(s.type_at(2, 18, "z"), Some(true));
        same_as_fresh(&s);
    }

    #[test]
    fn many_patched_entries_are_compiled_afresh_by_the_full_path() {
        let mut s = state(&kb_text(MAX_PATCHED_ENTRIES + 1));
        for i in 0..MAX_PATCHED_ENTRIES as u32 {
            assert_eq!(s.type_at(i * 6 + 1, 15, "q"), Some(true), "entry {i}");
        }
        assert_eq!(s.overrides.patched_entries(), MAX_PATCHED_ENTRIES);
        // The patch is full: even a description takes the full path, which
        // compiles the same names afresh.
        let line = MAX_PATCHED_ENTRIES as u32 * 6 + 4;
        assert_eq!(s.type_at(line, 23, "q"), None);
        assert_eq!(s.overrides_key(), None, "prepare compiles the overrides");
        let text = s.open[s.kb.path.as_ref().unwrap()].rope.to_string();
        let (key, generation) = (s.kb.key, s.kb.generation);
        s.set_kb_text(Some(text));
        assert_eq!((s.kb.key, s.kb.generation), (key, generation));
        assert_eq!(s.overrides.patched_entries(), 0);
        s.reanalyze_article();
        same_as_fresh(&s);
    }
}
