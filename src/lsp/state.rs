//! Server state: the corpus, open documents (ropes) and settings.

use crate::analysis::analyze;
use crate::corpus::{Corpus, DocId};
use crate::ide::{Diagnostic, TextSource};
use crate::recognize::Overrides;
use crate::text::position::{rope_offset, LinePos, PositionEncoding};
use crate::workspace::{read_text, FileFilter, WorkspaceConfig};
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

pub struct State {
    pub encoding: PositionEncoding,
    pub root: Option<PathBuf>,
    pub config: WorkspaceConfig,
    pub filter: FileFilter,
    pub overrides: Overrides,
    pub corpus: Corpus,
    pub open: HashMap<PathBuf, OpenDoc>,
    /// Diagnostics last published per document, to publish only changes.
    pub published: HashMap<PathBuf, Vec<Diagnostic>>,
    pub indexing_done: bool,
    pub shutdown: bool,
}

impl State {
    pub fn new() -> State {
        let config = WorkspaceConfig::default();
        State {
            encoding: PositionEncoding::Utf16,
            root: None,
            filter: FileFilter::new(&config).expect("default globs compile"),
            config,
            overrides: Overrides::default(),
            corpus: Corpus::new(),
            open: HashMap::new(),
            published: HashMap::new(),
            indexing_done: false,
            shutdown: false,
        }
    }

    /// Re-analyses an open document from its rope.
    pub fn reanalyze_open(&mut self, path: &Path) -> Option<DocId> {
        let doc = self.open.get(path)?;
        // Guard: a buffer over the size limit stays in sync but is not
        // analysed (it would stall every keystroke).
        if doc.rope.len_bytes() as u64 > self.config.max_file_size {
            tracing::warn!(
                "{}: open buffer over maxFileSize, not analysed",
                path.display()
            );
            self.corpus.remove_document(path);
            return None;
        }
        let text = doc.rope.to_string();
        let analysis = analyze(&text, &self.overrides);
        Some(
            self.corpus
                .set_document(path.to_path_buf(), Arc::new(analysis)),
        )
    }

    /// Applies LSP content changes to an open document's rope. Ranges out of
    /// bounds are clamped; a change without a range replaces the whole text.
    pub fn apply_changes(
        &mut self,
        path: &Path,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        let enc = self.encoding;
        let Some(doc) = self.open.get_mut(path) else {
            return false;
        };
        if version <= doc.version {
            tracing::warn!(
                "didChange for {} with stale version {version} (have {})",
                path.display(),
                doc.version
            );
        }
        for change in changes {
            match change.range {
                None => doc.rope = Rope::from_str(&change.text),
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
                }
            }
        }
        doc.version = version;
        true
    }

    /// The text of a document: the editor's buffer when open, else the file.
    pub fn doc_text(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(d) = self.open.get(path) {
            return Some(Arc::from(d.rope.to_string()));
        }
        read_text(path, self.config.max_file_size)
            .ok()
            .map(|d| Arc::from(d.text))
    }

    pub fn in_workspace(&self, path: &Path) -> bool {
        match &self.root {
            Some(root) => {
                path.starts_with(root)
                    && self.filter.matches(root, path)
                    && !crate::workspace::leaves_root(root, path)
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
