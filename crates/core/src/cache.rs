//! The persistent index: every document's analysis on disk, so that a
//! restart with an unchanged corpus does not re-analyse anything.
//!
//! One file per corpus root, `<cache dir>/gazette/<hash of root>/index.bin`
//! (the OS cache folder by default; `cacheDir` setting or `GAZETTE_CACHE_DIR`
//! to move it). It holds a header — format version, a fingerprint of the
//! engine that wrote it (source and data files, computed by `build.rs`), a
//! fingerprint of the user's overrides — and, per file, its path, a
//! [`FileStamp`] (size, modification and change times, inode, and a hash
//! of the content that was analysed) and analysis. A file whose stamp
//! differs is analysed again; the others are taken as they are.
//!
//! Format: bincode 2 (serde) — compact, fast, and the whole file is read in
//! one pass, so a simple versioned blob beats a database here (see
//! ARCHITECTURE.md). Entries are encoded in blocks of 512, each prefixed
//! with its length, so a restart decodes them on all cores and inserts them
//! while the next are decoded ([`load_each`]). A block starts with a table
//! of the distinct interned strings in it (names, roles, figure keys);
//! its entries refer to them by number ([`crate::model::sym_table`]), so
//! each is decoded and interned once per block, not once per mention. Writes go to a temporary
//! file in the same folder, are flushed and then renamed over the old file:
//! a crash mid-write leaves the previous index intact. A file that is corrupt, from another format
//! version or another engine is ignored with a log line and rewritten; every
//! length in it is checked against the bytes there are before anything is
//! allocated for it ([`decode_bounded`]), so a damaged file cannot make the
//! server allocate without bound (a string claiming 2^50 bytes aborted the
//! process at every start). A value damaged in place can still decode: each
//! analysis read back is checked ([`DocAnalysis::check`]: line index, spans
//! in order within the text, decimals and dates as the engine makes them),
//! and one that fails is damage like any other.

use crate::analysis::DocAnalysis;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

const FORMAT: u32 = 7;
const MAGIC: &[u8; 8] = b"GAZIDX\0\x05";
pub const ENGINE: &str = env!("GAZETTE_ENGINE_HASH");

/// What identifies the content of a file an analysis was made from.
///
/// Size and modification time alone are not enough: a file rewritten with
/// the same size and its old mtime (tools that preserve times, `touch -d`,
/// a restore) looked unchanged, and its stale analysis was served after a
/// restart. The change time (`ctime`, which no user can set back) and the
/// inode catch rewrites and replacements. Where they cannot be trusted —
/// the file was changed so shortly before it was read that a later write
/// could carry the same times (file systems store times in coarse ticks),
/// or the platform has no change time — the content hash decides, as git
/// does for "racily clean" files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub size: u64,
    /// Times are nanoseconds since the epoch in 64 bits (until 2262): a
    /// stamp is kept per article, so its size counts at 10^6 articles.
    pub mtime_ns: i64,
    /// Change time in nanoseconds since the epoch (`None` where the platform
    /// has none: then the hash is always compared).
    pub ctime_ns: Option<i64>,
    pub dev: u64,
    pub ino: u64,
    /// Hash of the bytes the analysis was made from ([`content_hash`]).
    pub hash: u64,
    /// When the metadata was taken (ns since the epoch).
    pub seen_ns: i64,
}

/// A change this close before the stamp was taken leaves it in doubt: the
/// content hash is compared (covers coarse time stamps: FAT's 2 s, the
/// kernel's clock tick, network file systems' skew).
const RACY_NS: i64 = 3_000_000_000;

/// The metadata part of a stamp: (size, mtime, ctime, dev, inode).
type MetaKey = (u64, i64, Option<i64>, u64, u64);

fn meta_key(meta: &std::fs::Metadata) -> Option<MetaKey> {
    let mtime_ns = epoch_ns(meta.modified().ok()?)?;
    #[cfg(unix)]
    let (ctime_ns, dev, ino) = {
        use std::os::unix::fs::MetadataExt;
        (
            meta.ctime()
                .checked_mul(1_000_000_000)
                .and_then(|s| s.checked_add(meta.ctime_nsec())),
            meta.dev(),
            meta.ino(),
        )
    };
    #[cfg(not(unix))]
    let (ctime_ns, dev, ino) = (None, 0, 0);
    Some((meta.len(), mtime_ns, ctime_ns, dev, ino))
}

/// Nanoseconds since the epoch (`None` before it or after 2262).
fn epoch_ns(t: std::time::SystemTime) -> Option<i64> {
    i64::try_from(t.duration_since(UNIX_EPOCH).ok()?.as_nanos()).ok()
}

/// A hash of a file's bytes: the standard library's SipHash with its fixed
/// keys (`DefaultHasher::new`), the same in every run of a build. Should a
/// later Rust release change it, stamps in doubt only cause re-analysis.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

impl FileStamp {
    /// The stamp of a file read (`workspace::read_file`): its metadata as
    /// of opening it, and the bytes that were read and analysed.
    pub fn new(file: &crate::workspace::FileBytes) -> Option<FileStamp> {
        let (size, mtime_ns, ctime_ns, dev, ino) = meta_key(&file.meta)?;
        let seen_ns = epoch_ns(file.seen)?;
        let bytes = &file.bytes;
        Some(FileStamp {
            size,
            mtime_ns,
            ctime_ns,
            dev,
            ino,
            hash: content_hash(bytes),
            seen_ns,
        })
    }

    fn meta_key(&self) -> MetaKey {
        (self.size, self.mtime_ns, self.ctime_ns, self.dev, self.ino)
    }

    /// Whether the metadata alone cannot tell a later rewrite apart.
    fn in_doubt(&self) -> bool {
        let Some(ctime) = self.ctime_ns else {
            return true;
        };
        let changed = ctime.max(self.mtime_ns);
        changed > self.seen_ns.saturating_sub(RACY_NS)
    }

    /// Whether `path` still holds the content this stamp was taken of.
    /// `read` reads the file (through `workspace::read_file`, with the
    /// caller's limits) when the metadata leaves it in doubt.
    pub fn matches(&self, path: &Path, read: impl FnOnce(&Path) -> Option<Vec<u8>>) -> bool {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return false;
        };
        if !meta.is_file() || meta_key(&meta) != Some(self.meta_key()) {
            return false;
        }
        !self.in_doubt() || read(path).is_some_and(|b| content_hash(&b) == self.hash)
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    engine: String,
    overrides: u64,
    root: PathBuf,
}

#[derive(Serialize, Deserialize)]
pub struct Entry {
    pub path: PathBuf,
    pub stamp: FileStamp,
    pub analysis: DocAnalysis,
}

/// The cache file for a corpus root.
pub fn cache_file(root: &Path, cache_dir: Option<&Path>) -> Option<PathBuf> {
    let base = match cache_dir {
        Some(d) => d.to_path_buf(),
        None => match std::env::var_os("GAZETTE_CACHE_DIR") {
            Some(d) => PathBuf::from(d),
            None => dirs::cache_dir()?.join("gazette"),
        },
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut h);
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Some(
        base.join(format!("{}-{:016x}", sanitize(&name), h.finish()))
            .join("index.bin"),
    )
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect()
}

/// A fingerprint of the overrides (knowledge base) the analyses were made with.
pub fn overrides_fingerprint(overrides: &impl std::fmt::Debug) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{overrides:?}").hash(&mut h);
    h.finish()
}

/// Entries per independently encoded block: blocks are decoded in parallel.
const BLOCK: usize = 512;

/// What [`load_each`] read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Entries handed over.
    pub kept: usize,
    /// Entries `keep` turned down (files gone or changed).
    pub dropped: usize,
}

/// Streams the index for `root`: entries are decoded a few blocks at a time
/// on all cores, filtered by `keep` (also on all cores: it may look at the
/// file on disk), and handed to `each` batch by batch while the next
/// blocks are decoded, so a caller inserting them into the corpus works
/// beside the decoding. `each` returning `false` stops the load.
///
/// `Err` says why the index (or the rest of it) cannot be used. A damaged
/// block ends the load: the entries of the blocks before it have been handed
/// over (each block decodes on its own), the rest must be analysed again.
pub fn load_each(
    file: &Path,
    root: &Path,
    overrides: u64,
    keep: impl Fn(&Entry) -> bool + Sync,
    mut each: impl FnMut(Vec<Entry>) -> bool,
) -> Result<Loaded, String> {
    use rayon::prelude::*;
    use std::io::Read;
    // Not a regular file (a FIFO would block, a device never end): no index.
    let (f, meta) = crate::workspace::open_regular(file, false)
        .map_err(|e| format!("no index at {}: {e}", file.display()))?;
    let size = meta.len();
    let mut r = std::io::BufReader::with_capacity(1 << 20, f);
    let corrupt = |e: &dyn std::fmt::Display| format!("index {} is corrupt: {e}", file.display());
    let mut magic = [0u8; MAGIC.len()];
    if r.read_exact(&mut magic).is_err() || magic != *MAGIC {
        return Err(format!(
            "index {} is not a gazette index (or another format)",
            file.display()
        ));
    }
    // The header is small (a hash and a path): a length claiming more than
    // the limit is damage, not a reason to allocate.
    let header: Header = bincode::serde::decode_from_std_read(
        &mut r,
        bincode::config::standard().with_limit::<HEADER_LIMIT>(),
    )
    .map_err(|e| corrupt(&e))?;
    if header.format != FORMAT || header.engine != ENGINE {
        return Err(format!(
            "index {} was written by another gazette version; rebuilding",
            file.display()
        ));
    }
    if header.root != root || header.overrides != overrides {
        return Err(format!(
            "index {} is for other settings; rebuilding",
            file.display()
        ));
    }
    // Blocks: u64 length (little-endian), then that many bytes. Read a few
    // at a time, so the file's bytes are never all in memory beside what
    // they decode to (that doubled the peak of a warm start).
    let batch = 4 * rayon::current_num_threads().max(1);
    let mut loaded = Loaded::default();
    loop {
        let mut blocks: Vec<Vec<u8>> = Vec::with_capacity(batch);
        let mut damaged = None;
        while blocks.len() < batch {
            let mut len = [0u8; 8];
            match r.read(&mut len[..1]) {
                Ok(0) => break,
                Ok(_) => {
                    if r.read_exact(&mut len[1..]).is_err() {
                        damaged = Some(corrupt(&"truncated block header"));
                        break;
                    }
                }
                Err(e) => {
                    damaged = Some(corrupt(&e));
                    break;
                }
            }
            let len = u64::from_le_bytes(len);
            // Never more than the file holds (a damaged length could claim
            // exabytes).
            if len > size {
                damaged = Some(corrupt(&"truncated block"));
                break;
            }
            let mut block = Vec::new();
            if (&mut r).take(len).read_to_end(&mut block).is_err() || block.len() as u64 != len {
                damaged = Some(corrupt(&"truncated block"));
                break;
            }
            blocks.push(block);
        }
        if blocks.is_empty() {
            return damaged.map_or(Ok(loaded), Err);
        }
        let decoded: Vec<Result<(Vec<Entry>, usize), String>> = blocks
            .par_iter()
            .map(|b| {
                let v = decode_block(b).map_err(|e| corrupt(&e))?;
                let n = v.len();
                let kept: Vec<Entry> = v.into_iter().filter(|e| keep(e)).collect();
                let dropped = n - kept.len();
                Ok((kept, dropped))
            })
            .collect();
        drop(blocks);
        let mut out = Vec::new();
        for d in decoded {
            match d {
                Ok((kept, dropped)) => {
                    loaded.dropped += dropped;
                    out.extend(kept);
                }
                // The blocks after a damaged one are not used either.
                Err(e) => {
                    damaged = Some(e);
                    break;
                }
            }
        }
        loaded.kept += out.len();
        if !out.is_empty() && !each(out) {
            return Ok(loaded);
        }
        if let Some(e) = damaged {
            return Err(e);
        }
    }
}

/// The most a header may claim to decode (it is a hash and a path).
const HEADER_LIMIT: usize = 1 << 20;

/// Decodes one block: its table of strings, then its entries, which refer
/// to the table by number (a number past it is an error).
fn decode_block(bytes: &[u8]) -> Result<Vec<Entry>, bincode::error::DecodeError> {
    use crate::model::sym_table::{with_table, Table};
    let (strings, n): (Vec<crate::model::Sym>, usize) = decode_bounded(bytes)?;
    let rest = bytes.get(n..).unwrap_or_default();
    let entries: Vec<Entry> = with_table(Table::Read(strings), || {
        decode_bounded(rest).map(|(v, _)| v)
    })
    .0?;
    // A damaged value can still decode (a bit flipped in a span): every
    // query would trust it, so it is damage like any other.
    for e in &entries {
        e.analysis.check().map_err(|why| {
            bincode::error::DecodeError::OtherString(format!(
                "the analysis of {} is inconsistent: {why}",
                e.path.display()
            ))
        })?;
    }
    Ok(entries)
}

/// Decodes one block of the index with a limit on what it may claim.
///
/// bincode claims the memory a value needs before allocating it (a
/// string's length, 16 bytes for a `u128`, ...) and checks each claim
/// against the configured limit; with no limit, a damaged length was
/// allocated as it stood: a string claiming 2^50 bytes aborted the process
/// ("memory allocation of 1125899906842624 bytes failed"), at every start.
/// A valid encoding claims at most 16 bytes per byte of input (a varint
/// `u128` takes one byte at the least; a string's bytes are claimed one for
/// one; serde's sequences preallocate at most 1 MiB and claim nothing), so
/// the limit is that, rounded up to a power of 4 — a const generic in
/// bincode, hence the dispatch over a few sizes. A damaged length is then an
/// error, and nothing over 64 times the block's size is ever allocated for
/// it.
/// Gives the value and the number of bytes it took.
fn decode_bounded<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<(T, usize), bincode::error::DecodeError> {
    let need = bytes.len().saturating_mul(16);
    macro_rules! within {
        ($($bits:literal)*) => {$(
            if need <= 1usize << $bits {
                let cfg = bincode::config::standard().with_limit::<{ 1usize << $bits }>();
                return bincode::serde::decode_from_slice(bytes, cfg);
            }
        )*};
    }
    within!(20 22 24 26 28 30);
    #[cfg(target_pointer_width = "64")]
    within!(32 34 36 38 40 42);
    Err(bincode::error::DecodeError::LimitExceeded)
}

/// Name prefix of an index being written.
const PARTIAL: &str = "index.bin.partial-";

/// Removes indexes whose writer was killed before it finished (they would
/// pile up, each as large as the index). One written in the last hour may
/// belong to another running server on the same corpus, so it stays.
fn remove_abandoned(dir: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if old && e.file_name().to_string_lossy().starts_with(PARTIAL) {
            match std::fs::remove_file(e.path()) {
                Ok(()) => tracing::info!("removed an unfinished index {}", e.path().display()),
                Err(err) => tracing::debug!("cannot remove {}: {err}", e.path().display()),
            }
        }
    }
}

/// Writes the index atomically (temporary file + rename).
/// `entries` may be produced lazily: only a block of them is held at a time.
pub fn save<P, A>(
    file: &Path,
    root: &Path,
    overrides: u64,
    entries: impl Iterator<Item = (P, FileStamp, A)>,
) -> std::io::Result<()>
where
    P: AsRef<Path>,
    A: std::borrow::Borrow<DocAnalysis>,
{
    #[derive(Serialize)]
    struct EntryRef<'a> {
        path: &'a Path,
        stamp: FileStamp,
        analysis: &'a DocAnalysis,
    }
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    remove_abandoned(dir);
    let tmp = tempfile::Builder::new().prefix(PARTIAL).tempfile_in(dir)?;
    {
        let mut w = BufWriter::with_capacity(1 << 20, tmp.as_file());
        w.write_all(MAGIC)?;
        let cfg = bincode::config::standard();
        let header = Header {
            format: FORMAT,
            engine: ENGINE.to_string(),
            overrides,
            root: root.to_path_buf(),
        };
        let err = |e: bincode::error::EncodeError| std::io::Error::other(e.to_string());
        bincode::serde::encode_into_std_write(&header, &mut w, cfg).map_err(err)?;
        let mut block: Vec<(P, FileStamp, A)> = Vec::with_capacity(BLOCK);
        // The same two buffers for every block (its table of strings, its
        // entries): a fresh ~2 MB allocation per block was mapped and
        // unmapped each time, which interrupts the threads answering
        // requests meanwhile (TLB shootdowns).
        let (mut table_bytes, mut entries_bytes): (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
        let mut flush = |block: &mut Vec<(P, FileStamp, A)>, w: &mut BufWriter<&std::fs::File>| {
            use crate::model::sym_table::{with_table, Table};
            table_bytes.clear();
            entries_bytes.clear();
            let refs: Vec<EntryRef> = block
                .iter()
                .map(|(path, stamp, analysis)| EntryRef {
                    path: path.as_ref(),
                    stamp: *stamp,
                    analysis: analysis.borrow(),
                })
                .collect();
            // The entries, numbering their strings, then the table first.
            let (done, table) = with_table(Table::write(), || {
                bincode::serde::encode_into_std_write(&refs, &mut entries_bytes, cfg)
            });
            done.map_err(err)?;
            drop(refs);
            bincode::serde::encode_into_std_write(table.strings(), &mut table_bytes, cfg)
                .map_err(err)?;
            // The block's length, then its two parts as they are.
            let len = table_bytes.len() + entries_bytes.len();
            w.write_all(&(len as u64).to_le_bytes())?;
            w.write_all(&table_bytes)?;
            w.write_all(&entries_bytes)?;
            block.clear();
            Ok::<(), std::io::Error>(())
        };
        for entry in entries {
            block.push(entry);
            if block.len() == BLOCK {
                flush(&mut block, &mut w)?;
            }
        }
        if !block.is_empty() {
            flush(&mut block, &mut w)?;
        }
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::recognize::Overrides;
    use std::collections::HashMap;

    /// The whole index as a map (the server streams it with [`load_each`]).
    fn load(
        file: &Path,
        root: &Path,
        overrides: u64,
    ) -> Result<HashMap<PathBuf, (FileStamp, DocAnalysis)>, String> {
        let mut out = HashMap::new();
        load_each(
            file,
            root,
            overrides,
            |_| true,
            |batch| {
                out.extend(batch.into_iter().map(|e| (e.path, (e.stamp, e.analysis))));
                true
            },
        )?;
        Ok(out)
    }

    fn test_stamp() -> FileStamp {
        FileStamp {
            size: 0,
            mtime_ns: 0,
            ctime_ns: Some(0),
            dev: 1,
            ino: 2,
            hash: 3,
            seen_ns: 4,
        }
    }

    /// An index with a valid header followed by `block`.
    fn index_with_block(file: &Path, root: &Path, block: &[u8]) {
        let mut bytes = MAGIC.to_vec();
        let header = Header {
            format: FORMAT,
            engine: ENGINE.to_string(),
            overrides: 7,
            root: root.to_path_buf(),
        };
        bytes.extend(bincode::serde::encode_to_vec(&header, bincode::config::standard()).unwrap());
        bytes.extend((block.len() as u64).to_le_bytes());
        bytes.extend(block);
        std::fs::write(file, bytes).unwrap();
    }

    /// Where the first block of an index file starts (after its magic and
    /// header).
    fn blocks_at(index: &[u8]) -> usize {
        let header = &index[MAGIC.len()..];
        let cfg = bincode::config::standard();
        MAGIC.len()
            + bincode::serde::decode_from_slice::<Header, _>(header, cfg)
                .unwrap()
                .1
    }

    /// bincode's varint for a u64 over u32::MAX: 253, then 8 bytes.
    fn varint_u64(n: u64) -> Vec<u8> {
        let mut v = vec![253u8];
        v.extend(n.to_le_bytes());
        v
    }

    #[test]
    fn lengths_claiming_more_than_the_file_holds_are_errors_not_allocations() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index.bin");
        let root = Path::new("/corpus");
        // One entry whose path claims 2^50 bytes (this aborted the process:
        // "memory allocation of 1125899906842624 bytes failed"), after an
        // empty table of strings; then a table whose string claims it.
        for table in [&[0u8, 1][..], &[1]] {
            let mut block = table.to_vec();
            block.extend(varint_u64(1 << 50));
            block.extend(b"/corpus/a.txt and then some more bytes");
            index_with_block(&file, root, &block);
            let err = load(&file, root, 7).unwrap_err();
            assert!(err.contains("corrupt"), "{err}");
        }
        // The same in the header (the engine string).
        let mut bytes = MAGIC.to_vec();
        bytes.push(FORMAT as u8);
        bytes.extend(varint_u64(1 << 50));
        bytes.extend(b"0123456789abcdef");
        std::fs::write(&file, bytes).unwrap();
        assert!(load(&file, root, 7).unwrap_err().contains("corrupt"));
        // A block length claiming more than the file.
        index_with_block(&file, root, b"");
        let mut bytes = std::fs::read(&file).unwrap();
        let at = bytes.len() - 8;
        bytes[at..].copy_from_slice(&(1u64 << 50).to_le_bytes());
        std::fs::write(&file, &bytes).unwrap();
        assert!(load(&file, root, 7).unwrap_err().contains("truncated"));
        // A valid index of the same entries still loads.
        let a = analyze("Olaf Scholz traf Emmanuel Macron.", &Overrides::default());
        let p = PathBuf::from("/corpus/a.txt");
        save(
            &file,
            root,
            7,
            std::iter::once((p.as_path(), test_stamp(), &a)),
        )
        .unwrap();
        assert_eq!(load(&file, root, 7).unwrap()[&p], (test_stamp(), a));
    }

    /// A small valid index: a few articles with names, roles and figures.
    fn small_index(file: &Path, root: &Path) -> Vec<(PathBuf, DocAnalysis)> {
        let texts = [
            "NATO-Generalsekretär Jens Stoltenberg sagte am 16.02.2022: „100.000 Soldaten“.",
            "Olaf Scholz traf Emmanuel Macron in Paris. Scholz sprach von 2 Prozent.",
            "Jens Stoltenberg und Olaf Scholz: 100.000 Soldaten der NATO.",
        ];
        let docs: Vec<(PathBuf, DocAnalysis)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let p = root.join(format!("{i}.txt"));
                (p, analyze(t, &Overrides::default()))
            })
            .collect();
        let entries = docs.iter().map(|(p, a)| (p.as_path(), test_stamp(), a));
        save(file, root, 7, entries).unwrap();
        docs
    }

    #[test]
    fn blocks_carry_each_string_once_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let (file, root) = (dir.path().join("index.bin"), Path::new("/corpus"));
        let docs = small_index(&file, root);
        let loaded = load(&file, root, 7).unwrap();
        for (p, a) in &docs {
            assert_eq!(loaded[p], (test_stamp(), a.clone()));
        }
        // Names mentioned in two articles: their bytes once in the file.
        let bytes = std::fs::read(&file).unwrap();
        let count = |s: &str| {
            bytes
                .windows(s.len())
                .filter(|w| *w == s.as_bytes())
                .count()
        };
        for name in ["Olaf Scholz", "Jens Stoltenberg"] {
            let in_docs = docs
                .iter()
                .filter(|(_, a)| a.mentions.iter().any(|m| m.norm == name));
            assert_eq!(in_docs.count(), 2, "{name}");
            assert_eq!(count(name), 1, "{name}");
        }
    }

    #[test]
    fn a_string_number_past_the_table_is_damage_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let (file, root) = (dir.path().join("index.bin"), Path::new("/corpus"));
        let docs = small_index(&file, root);
        // The same entries, encoded against a table of one string.
        let cfg = bincode::config::standard();
        let (entries, table) =
            crate::model::sym_table::with_table(crate::model::sym_table::Table::write(), || {
                let e: Vec<Entry> = docs
                    .iter()
                    .map(|(p, a)| Entry {
                        path: p.clone(),
                        stamp: test_stamp(),
                        analysis: a.clone(),
                    })
                    .collect();
                bincode::serde::encode_to_vec(&e, cfg).unwrap()
            });
        assert!(table.strings().len() > 1);
        let mut block = bincode::serde::encode_to_vec(&table.strings()[..1], cfg).unwrap();
        block.extend(entries);
        index_with_block(&file, root, &block);
        let err = load(&file, root, 7).unwrap_err();
        assert!(err.contains("not in the block's table"), "{err}");
    }

    #[test]
    fn every_damaged_byte_or_cut_gives_an_error_or_entries_never_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let (file, root) = (dir.path().join("index.bin"), Path::new("/corpus"));
        small_index(&file, root);
        let good = std::fs::read(&file).unwrap();
        let at = blocks_at(&good);
        let damaged = dir.path().join("damaged.bin");
        for i in 0..good.len() {
            for v in [0u8, 0xfd, 0xff, good[i] ^ 1] {
                let mut bytes = good.clone();
                bytes[i] = v;
                std::fs::write(&damaged, &bytes).unwrap();
                // What loads is consistent (a damaged span is an error).
                for (_, (_, a)) in load(&damaged, root, 7).unwrap_or_default() {
                    assert_eq!(a.check(), Ok(()), "{i}");
                }
            }
            // Cut: an error, except right after the header (no blocks).
            std::fs::write(&damaged, &good[..i]).unwrap();
            assert!(i == at || load(&damaged, root, 7).is_err(), "{i}");
        }
    }

    #[test]
    fn an_analysis_that_decodes_but_is_inconsistent_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let (file, root) = (dir.path().join("index.bin"), Path::new("/corpus"));
        let text = "Olaf Scholz traf Emmanuel Macron in Paris.";
        let good = analyze(text, &Overrides::default());
        let p = PathBuf::from("/corpus/a.txt");
        // No line starts (`line_of` underflowed on the first position), and
        // a mention past the end of the text.
        let mut no_lines = good.clone();
        no_lines.line_index = Default::default();
        let mut past_the_end = good.clone();
        past_the_end.line_index = crate::text::position::LineIndex::new("Olaf");
        for a in [&no_lines, &past_the_end] {
            save(
                &file,
                root,
                7,
                std::iter::once((p.as_path(), test_stamp(), a)),
            )
            .unwrap();
            let err = load(&file, root, 7).unwrap_err();
            assert!(err.contains("inconsistent"), "{err}");
        }
        save(
            &file,
            root,
            7,
            std::iter::once((p.as_path(), test_stamp(), &good)),
        )
        .unwrap();
        assert_eq!(load(&file, root, 7).unwrap()[&p], (test_stamp(), good));
    }

    #[test]
    fn an_index_of_the_previous_format_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let (file, root) = (dir.path().join("index.bin"), Path::new("/corpus"));
        small_index(&file, root);
        let mut bytes = MAGIC.to_vec();
        let header = Header {
            format: FORMAT - 1,
            engine: ENGINE.to_string(),
            overrides: 7,
            root: root.to_path_buf(),
        };
        bytes.extend(bincode::serde::encode_to_vec(&header, bincode::config::standard()).unwrap());
        let old = std::fs::read(&file).unwrap();
        // The blocks as they are (strings by number, which format 6 did
        // not have): the header alone turns the file down.
        bytes.extend(&old[blocks_at(&old)..]);
        std::fs::write(&file, bytes).unwrap();
        let err = load(&file, root, 7).unwrap_err();
        assert!(err.contains("another gazette version"), "{err}");
    }

    #[test]
    fn the_decode_limit_is_never_hit_by_valid_blocks() {
        // Many small values (varints claim up to 16 bytes per byte read):
        // the worst ratio of claims to input a valid block can have.
        let stamps: Vec<FileStamp> = vec![test_stamp(); 5000];
        let bytes = bincode::serde::encode_to_vec(&stamps, bincode::config::standard()).unwrap();
        let back: Vec<FileStamp> = decode_bounded(&bytes).unwrap().0;
        assert_eq!(back, stamps);
        let empty =
            bincode::serde::encode_to_vec(Vec::<FileStamp>::new(), bincode::config::standard())
                .unwrap();
        assert!(decode_bounded::<Vec<FileStamp>>(&empty)
            .unwrap()
            .0
            .is_empty());
    }

    /// Reads a file as the server does.
    fn read(p: &Path) -> Option<Vec<u8>> {
        crate::workspace::read_file(p, u64::MAX, None)
            .ok()
            .map(|f| f.bytes)
    }

    fn rewrite_keeping_size_and_mtime(p: &Path, text: &str) {
        let mtime = std::fs::metadata(p).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(30));
        std::fs::write(p, text).unwrap();
        let f = std::fs::File::options().write(true).open(p).unwrap();
        f.set_modified(mtime).unwrap();
    }

    #[test]
    fn a_rewrite_with_the_same_size_and_mtime_changes_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "Olaf Scholz traf Macron.").unwrap();
        let stamp =
            FileStamp::new(&crate::workspace::read_file(&p, 1 << 20, None).unwrap()).unwrap();
        // Unchanged: the same.
        assert!(stamp.matches(&p, read));
        // Just written, so in doubt: the content decides.
        assert!(stamp.in_doubt());
        rewrite_keeping_size_and_mtime(&p, "Anna Lena traf Merkel.  ");
        assert_eq!(std::fs::metadata(&p).unwrap().len(), stamp.size);
        assert!(!stamp.matches(&p, read));
        // Not in doubt (read long after the last change): the change time
        // and inode decide, without reading.
        let fresh =
            FileStamp::new(&crate::workspace::read_file(&p, 1 << 20, None).unwrap()).unwrap();
        let old = FileStamp {
            seen_ns: fresh.seen_ns + 10 * RACY_NS,
            ..fresh
        };
        assert!(!old.in_doubt());
        assert!(old.matches(&p, |_| panic!("read although not in doubt")));
        rewrite_keeping_size_and_mtime(&p, "Olaf Scholz traf Macron.");
        assert!(!old.matches(&p, |_| panic!("read although the change time differs")));
        // Replaced by another file (another inode), same size and times.
        let q = dir.path().join("b.txt");
        std::fs::write(&q, "Olaf Scholz traf Macron.").unwrap();
        let fresh =
            FileStamp::new(&crate::workspace::read_file(&p, 1 << 20, None).unwrap()).unwrap();
        std::fs::rename(&q, &p).unwrap();
        assert!(!fresh.matches(&p, read));
        // Gone: not the same.
        std::fs::remove_file(&p).unwrap();
        assert!(!fresh.matches(&p, read));
    }

    #[test]
    fn roundtrip_and_rejects_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x").join("index.bin");
        let root = Path::new("/corpus");
        let a = analyze(
            "NATO-Generalsekretär Jens Stoltenberg sagte am 16.02.2022: „100.000 Soldaten“.",
            &Overrides::default(),
        );
        let stamp = FileStamp {
            size: 10,
            mtime_ns: 42,
            ..test_stamp()
        };
        let p = PathBuf::from("/corpus/a.txt");
        // The article's date is part of what is stored.
        assert_eq!(
            a.date.map(|d| d.date.to_string()).as_deref(),
            Some("2022-02-16")
        );
        save(&file, root, 7, std::iter::once((p.as_path(), stamp, &a))).unwrap();
        let loaded = load(&file, root, 7).unwrap();
        assert_eq!(loaded[&p], (stamp, a.clone()));
        // Other overrides or another root: not used.
        assert!(load(&file, root, 8).is_err());
        assert!(load(&file, Path::new("/other"), 7).is_err());
        // Truncated: an error, not a panic.
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        assert!(load(&file, root, 7).is_err());
        std::fs::write(&file, b"garbage").unwrap();
        assert!(load(&file, root, 7).is_err());
        // A save over a corrupt file replaces it.
        save(&file, root, 7, std::iter::once((p.as_path(), stamp, &a))).unwrap();
        assert!(load(&file, root, 7).is_ok());
        // No temporary files left behind.
        assert_eq!(
            std::fs::read_dir(file.parent().unwrap()).unwrap().count(),
            1
        );
    }

    #[test]
    fn unfinished_indexes_of_killed_writers_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index.bin");
        let stale = dir.path().join(format!("{PARTIAL}abc"));
        let recent = dir.path().join(format!("{PARTIAL}def"));
        let other = dir.path().join("notes.txt");
        for p in [&stale, &recent, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for p in [&stale, &other] {
            let f = std::fs::File::options().write(true).open(p).unwrap();
            f.set_modified(two_hours_ago).unwrap();
        }
        save(
            &file,
            Path::new("/corpus"),
            1,
            std::iter::empty::<(&Path, FileStamp, &DocAnalysis)>(),
        )
        .unwrap();
        assert!(!stale.exists());
        assert!(recent.exists() && other.exists() && file.exists());
    }

    #[test]
    fn many_blocks_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index.bin");
        let root = Path::new("/corpus");
        let a = analyze(
            "Olaf Scholz traf Emmanuel Macron in Paris.",
            &Overrides::default(),
        );
        let stamp = FileStamp {
            size: 1,
            mtime_ns: 2,
            ..test_stamp()
        };
        let paths: Vec<PathBuf> = (0..BLOCK * 2 + 7)
            .map(|i| PathBuf::from(format!("/corpus/{i:05}.txt")))
            .collect();
        save(
            &file,
            root,
            1,
            paths.iter().map(|p| (p.as_path(), stamp, &a)),
        )
        .unwrap();
        let loaded = load(&file, root, 1).unwrap();
        assert_eq!(loaded.len(), paths.len());
        assert!(paths.iter().all(|p| loaded[p] == (stamp, a.clone())));
        // Streamed and filtered: the entries `keep` turns down are counted.
        let mut seen = 0;
        let loaded = load_each(
            &file,
            root,
            1,
            |e| !e.path.ends_with("00003.txt"),
            |batch| {
                seen += batch.len();
                true
            },
        )
        .unwrap();
        assert_eq!(
            (loaded.kept, loaded.dropped, seen),
            (paths.len() - 1, 1, paths.len() - 1)
        );
        // Cut inside the last block: an error, after the whole blocks
        // before it were handed over.
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 3]).unwrap();
        assert!(load(&file, root, 1).is_err());
        let mut got = Vec::new();
        let err = load_each(
            &file,
            root,
            1,
            |_| true,
            |b| {
                got.extend(b.into_iter().map(|e| e.path));
                true
            },
        );
        assert!(err.is_err());
        assert_eq!(got, paths[..BLOCK * 2]);
    }
}
