//! The documents by path: a hash table of document ids that hashes and
//! compares the paths the documents already hold, so that each path is
//! stored once (at 10^6 articles a second copy of every path, with its
//! map entry, weighed ~100 MB).

use super::{DocEntry, DocId};
use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::path::Path;

#[derive(Default)]
pub(super) struct PathIndex {
    table: HashTable<DocId>,
}

type Docs = [Option<DocEntry>];

fn path_of(docs: &Docs, id: DocId) -> &Path {
    &docs[id as usize]
        .as_ref()
        .expect("an indexed path's document is live")
        .path
}

fn hash(path: &Path) -> u64 {
    fxhash::FxBuildHasher::default().hash_one(path)
}

impl PathIndex {
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn get(&self, docs: &Docs, path: &Path) -> Option<DocId> {
        let h = hash(path);
        self.table.find(h, |&id| path_of(docs, id) == path).copied()
    }

    /// Adds `id`, whose document (already in `docs`) is at a path not
    /// indexed yet.
    pub fn insert(&mut self, docs: &Docs, id: DocId) {
        let h = hash(path_of(docs, id));
        self.table
            .insert_unique(h, id, |&other| hash(path_of(docs, other)));
    }

    /// Removes `path` (its document still in `docs`); its id, if indexed.
    pub fn remove(&mut self, docs: &Docs, path: &Path) -> Option<DocId> {
        let h = hash(path);
        let entry = self.table.find_entry(h, |&id| path_of(docs, id) == path);
        entry.ok().map(|e| e.remove().0)
    }

    pub fn ids(&self) -> impl Iterator<Item = DocId> + '_ {
        self.table.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus::Corpus;
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    #[test]
    fn paths_find_their_documents_through_reuse_and_removal() {
        let mut c = Corpus::new();
        let a = Arc::new(crate::analysis::analyze(
            "Olaf Scholz in Berlin.",
            &Default::default(),
        ));
        let ids: Vec<_> = (0..100)
            .map(|i| c.set_document(PathBuf::from(format!("/c/{i}.txt")), a.clone()))
            .collect();
        for (i, &id) in ids.iter().enumerate() {
            assert_eq!(c.doc_id(Path::new(&format!("/c/{i}.txt"))), Some(id));
        }
        // Replacing keeps the id; removing frees it for the next path.
        assert_eq!(c.set_document(PathBuf::from("/c/7.txt"), a.clone()), ids[7]);
        assert_eq!(c.remove_document(Path::new("/c/7.txt")), Some(ids[7]));
        assert_eq!(c.doc_id(Path::new("/c/7.txt")), None);
        let new = c.set_document(PathBuf::from("/c/new.txt"), a);
        assert_eq!(new, ids[7]);
        assert_eq!(c.doc_id(Path::new("/c/new.txt")), Some(new));
        assert_eq!(c.doc_id(Path::new("/c/8.txt")), Some(ids[8]));
        assert_eq!(c.doc_count(), 100);
    }

    #[test]
    fn per_document_records_stay_small() {
        // Kept per article: at 10^6 articles every 8 bytes here is 8 MB.
        assert!(std::mem::size_of::<crate::cache::FileStamp>() <= 64);
        assert!(std::mem::size_of::<Option<super::DocEntry>>() <= 160);
    }
}
