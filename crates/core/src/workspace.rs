//! Finding a corpus's files and reading them safely.
//!
//! A workspace root is a corpus: every file under it matching the include
//! globs (default `**/*.txt`, `**/*.md`), minus the exclude globs, skipping
//! hidden folders, `.git`, `target`, `node_modules` and whatever `.gitignore`
//! ignores (the `ignore` crate, as ripgrep does). Symbolic links are not
//! followed, so a link can neither loop nor lead out of the workspace.
//!
//! Reading never fails on bad bytes: UTF-8 is tried first (a BOM is
//! stripped); text that is not UTF-8 is decoded as Windows-1252 (the usual
//! encoding of older German news archives, a superset of Latin-1 for
//! printable text) and the fallback is reported. Binary files (NUL bytes or
//! many control characters in the first 8 KiB) and files over the size limit
//! are skipped with a reason.
//!
//! Every file gazette reads from user data (articles, `gazette.toml`,
//! command-line arguments) goes through [`read_file`]: regular files only
//! (a FIFO is never opened for reading in blocking mode, a device never
//! read), the size limit checked before reading and enforced while reading,
//! and, under a workspace root, no leaving the root through links.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

pub const DEFAULT_INCLUDE: &[&str] = &["**/*.txt", "**/*.md"];
/// Files larger than this are skipped (configurable): a single 100 MB file
/// would make every keystroke in it slow for no benefit to a news corpus.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The largest file gazette analyses whatever the settings say: offsets
/// in a document's line index are 30-bit (`text::position::LineIndex`).
pub const MAX_ANALYSABLE: u64 = (1 << 30) - 1;

/// The size limit a `maxFileSize` setting means, wherever it is set (editor
/// settings, `initializationOptions`, `gazette.toml`): a number of bytes,
/// and `0` for no limit of the user's (as the VS Code extension has always
/// documented) — which is still [`MAX_ANALYSABLE`].
pub fn size_limit(setting: u64) -> u64 {
    if setting == 0 {
        MAX_ANALYSABLE
    } else {
        setting.min(MAX_ANALYSABLE)
    }
}
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", ".git"];

#[derive(Clone, Debug)]
pub struct WorkspaceConfig {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// In bytes; "no limit" is `u64::MAX` (see [`size_limit`]).
    pub max_file_size: u64,
}

impl Default for WorkspaceConfig {
    fn default() -> Self {
        WorkspaceConfig {
            include: DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect(),
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Compiled include/exclude globs, matched against paths relative to the root.
#[derive(Clone, Debug)]
pub struct FileFilter {
    include: GlobSet,
    exclude: GlobSet,
    /// The globs that did not compile and were left out, with the reason.
    problems: Vec<String>,
}

/// Whether `glob` compiles; the error says which glob and why.
pub fn check_glob(glob: &str) -> Result<(), String> {
    parse_glob(glob).map(drop)
}

fn parse_glob(glob: &str) -> Result<Glob, String> {
    Glob::new(glob).map_err(|e| format!("invalid glob {glob:?}: {}", e.kind()))
}

/// The globs that compile, as one set; the others are reported in
/// `problems` and left out, so one bad glob costs only itself.
fn globset(what: &str, globs: &[String], problems: &mut Vec<String>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        match parse_glob(g) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => problems.push(format!("{what}: {e}")),
        }
    }
    b.build().unwrap_or_else(|e| {
        problems.push(format!("{what}: {e}"));
        GlobSet::empty()
    })
}

impl FileFilter {
    /// The filter of `cfg`. Never fails: a glob that does not compile is
    /// left out (see [`Self::problems`]) and the others still apply — an
    /// invalid exclude glob once emptied the whole corpus.
    pub fn new(cfg: &WorkspaceConfig) -> FileFilter {
        let mut problems = Vec::new();
        let include = globset("include", &cfg.include, &mut problems);
        let exclude = globset("exclude", &cfg.exclude, &mut problems);
        FileFilter {
            include,
            exclude,
            problems,
        }
    }

    /// The globs left out because they do not compile, with the reason.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Does `path` (absolute or relative to `root`) belong to the corpus?
    pub fn matches(&self, root: &Path, path: &Path) -> bool {
        let rel = path.strip_prefix(root).unwrap_or(path);
        !in_skipped_folder(rel) && self.include.is_match(rel) && !self.exclude.is_match(rel)
    }
}

/// Whether a path (relative to the root) runs through a folder discovery
/// skips: hidden ones, `.git`, `target`, `node_modules`.
fn in_skipped_folder(rel: &Path) -> bool {
    rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        (s.starts_with('.') && s != "." && s != "..") || SKIPPED_DIRS.contains(&s.as_ref())
    })
}

/// Whether `dir` is a folder of the workspace under `root` that discovery
/// would walk: inside the root, not through a link, not a skipped folder.
/// A watcher event naming any other folder must not start a walk (one for
/// `/usr` took seconds and held up every request behind it).
pub fn is_workspace_folder(root: &Path, dir: &Path) -> bool {
    match dir.strip_prefix(root) {
        Ok(rel) => !in_skipped_folder(rel) && !leaves_root(root, dir),
        Err(_) => false,
    }
}

/// Every corpus file under `root`, sorted.
pub fn discover(root: &Path, cfg: &WorkspaceConfig) -> anyhow::Result<Vec<PathBuf>> {
    let filter = FileFilter::new(cfg);
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .follow_links(false)
        .git_ignore(true)
        .git_global(false)
        .require_git(false)
        .filter_entry(|e| !SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        .build();
    for entry in walker {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_some_and(|t| t.is_file()) && filter.matches(root, entry.path()) {
            out.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}

/// Expands command-line arguments (files or folders) into corpus files.
/// A named argument that is neither a folder nor a regular file (a FIFO, a
/// device, a socket) is an error: it is never opened.
pub fn expand_args(args: &[PathBuf], cfg: &WorkspaceConfig) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for a in args {
        match std::fs::metadata(a) {
            Ok(m) if m.is_dir() => out.extend(discover(a, cfg)?),
            Ok(m) if m.is_file() => out.push(a.clone()),
            Ok(m) => anyhow::bail!(
                "{}: not a regular file ({}); gazette reads text files and folders",
                a.display(),
                kind_of(&m.file_type())
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                anyhow::bail!("{}: no such file or directory", a.display())
            }
            Err(e) => anyhow::bail!("{}: {e}", a.display()),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Whether `path` (under `root`) really lives outside it: a symbolic link,
/// or a path whose canonical form leaves `root` (a link in a parent folder).
/// Such files are never read by the server, so a link cannot pull files from
/// elsewhere on the disk into the corpus.
pub fn leaves_root(root: &Path, path: &Path) -> bool {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return true;
    }
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(r), Ok(p)) => !p.starts_with(r),
        // A path that does not exist (deleted) leaves nothing to read.
        _ => false,
    }
}

/// Writes a file atomically: a temporary file in the same folder, flushed
/// to disk, then renamed over the target. Readers see the old or the new
/// content, never a torn write; a failure leaves the old file untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("write_atomic: path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Why a file was not read.
#[derive(Debug)]
pub enum SkipReason {
    TooLarge {
        size: u64,
        limit: u64,
    },
    Binary,
    /// A FIFO, a device, a socket or a folder: never read (a FIFO would
    /// block the reader forever, `/dev/zero` would fill the memory).
    NotAFile(&'static str),
    /// A link (or a path through a linked folder) that leads out of the
    /// workspace root, to `target`.
    LeavesRoot {
        target: PathBuf,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::TooLarge { size, limit } if *limit >= MAX_ANALYSABLE => write!(
                f,
                "skipped: {size} bytes is over the largest file gazette analyses ({MAX_ANALYSABLE} bytes)"
            ),
            SkipReason::TooLarge { size, limit } => {
                write!(f, "skipped: {size} bytes is over the limit of {limit} bytes (setting maxFileSize)")
            }
            SkipReason::Binary => write!(f, "skipped: binary file"),
            SkipReason::NotAFile(kind) => write!(f, "skipped: not a regular file ({kind})"),
            SkipReason::LeavesRoot { target } => write!(
                f,
                "skipped: a link leading out of the workspace (to {})",
                target.display()
            ),
            SkipReason::Io(e) => write!(f, "skipped: {e}"),
        }
    }
}

/// What a file system entry is, in words (for messages).
pub fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// A file's bytes, with its metadata as of opening it (`fstat` on the open
/// file, so it describes the file that was read, not whatever the path names
/// now).
#[derive(Debug)]
pub struct FileBytes {
    pub bytes: Vec<u8>,
    pub meta: std::fs::Metadata,
    /// The time just before the file was opened: a change after it is not
    /// in `bytes` (see `cache::FileStamp`).
    pub seen: std::time::SystemTime,
}

/// Reads a file gazette was given: the one function for every file read
/// from user data (articles, `gazette.toml`, command-line arguments; a test
/// fails when another reading call appears in `src/`).
///
/// - Only regular files: anything else (FIFO, device, socket, folder) is
///   refused from its metadata, before opening. The file is then opened
///   non-blocking (a FIFO swapped in meanwhile cannot block the open) and
///   its metadata checked again on the open file.
/// - `max_size` (bytes; `u64::MAX` for none) is checked before reading, and
///   at most `max_size + 1` bytes are read, so a file growing meanwhile
///   cannot make the read unbounded.
/// - With a `root`, the path must stay under it once links are resolved:
///   a link leading out of the root is refused; links inside it are fine.
pub fn read_file(path: &Path, max_size: u64, root: Option<&Path>) -> Result<FileBytes, SkipReason> {
    use std::io::Read;
    let target = match root {
        Some(root) => {
            let real = std::fs::canonicalize(path).map_err(SkipReason::Io)?;
            // A canonical path under `root` as given proves `root` canonical
            // too (no link, no "..": it is a prefix of one); only otherwise
            // is the root resolved (a server reads under one root often).
            if !real.starts_with(root) {
                let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
                if !real.starts_with(&real_root) {
                    return Err(SkipReason::LeavesRoot { target: real });
                }
            }
            real
        }
        None => path.to_path_buf(),
    };
    let meta = std::fs::metadata(&target).map_err(SkipReason::Io)?;
    if !meta.is_file() {
        return Err(SkipReason::NotAFile(kind_of(&meta.file_type())));
    }
    if meta.len() > max_size {
        return Err(SkipReason::TooLarge {
            size: meta.len(),
            limit: max_size,
        });
    }
    let seen = std::time::SystemTime::now();
    let (file, meta) = open_regular(&target, root.is_some())?;
    if meta.len() > max_size {
        return Err(SkipReason::TooLarge {
            size: meta.len(),
            limit: max_size,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(SkipReason::Io)?;
    if bytes.len() as u64 > max_size {
        return Err(SkipReason::TooLarge {
            size: bytes.len() as u64,
            limit: max_size,
        });
    }
    Ok(FileBytes { bytes, meta, seen })
}

/// A decoded text file.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// Set when the bytes were not UTF-8 and were decoded as Windows-1252.
    pub fallback_encoding: Option<&'static str>,
}

/// Opens a regular file for reading, without blocking: non-blocking, so a
/// FIFO swapped in since its metadata was checked cannot block the open, and
/// checked again on the open file (`fstat`), so whatever was opened is a
/// regular file. With `no_follow`, a link in the last component is refused.
/// For [`read_file`], and for gazette's own files read as a stream (the
/// persistent index).
pub fn open_regular(
    path: &Path,
    no_follow: bool,
) -> Result<(std::fs::File, std::fs::Metadata), SkipReason> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK;
        if no_follow {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    #[cfg(not(unix))]
    let _ = no_follow;
    let file = options.open(path).map_err(SkipReason::Io)?;
    let meta = file.metadata().map_err(SkipReason::Io)?;
    if !meta.is_file() {
        return Err(SkipReason::NotAFile(kind_of(&meta.file_type())));
    }
    Ok((file, meta))
}

/// Reads ([`read_file`]) and decodes a text file.
pub fn read_text(path: &Path, max_size: u64, root: Option<&Path>) -> Result<Decoded, SkipReason> {
    decode_owned(read_file(path, max_size, root)?.bytes)
}

/// Decodes file bytes: UTF-8 (BOM stripped) or Windows-1252; binary is
/// refused. [`decode_owned`] on a copy.
pub fn decode(bytes: &[u8]) -> Result<Decoded, SkipReason> {
    decode_owned(bytes.to_vec())
}

/// [`decode`] taking the bytes: UTF-8 without a BOM (most files) becomes
/// the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, SkipReason> {
    if looks_binary(&bytes) {
        return Err(SkipReason::Binary);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(match std::str::from_utf8(rest) {
            Ok(s) => Decoded {
                text: s.to_string(),
                fallback_encoding: None,
            },
            // A BOM promised UTF-8: keep what is valid, replace the rest.
            Err(_) => Decoded {
                text: String::from_utf8_lossy(rest).into_owned(),
                fallback_encoding: Some("UTF-8 (repaired)"),
            },
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            fallback_encoding: None,
        }),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            Ok(Decoded {
                text: text.into_owned(),
                fallback_encoding: Some("windows-1252"),
            })
        }
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(b"\xEF\xBB\xBF") {
        return false;
    }
    // UTF-16 text is binary to us unless it has a BOM; we do not read UTF-16.
    // One pass: NULs and other control characters (tab, line ends and
    // form feed are text).
    let (mut nul, mut ctrl) = (0usize, 0usize);
    for &b in head {
        nul += usize::from(b == 0);
        ctrl += usize::from(b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c));
    }
    // A few stray NULs in a text do not make it binary (they are kept and
    // analysed as separators); many NULs or control characters do.
    nul > 8 || ctrl * 10 > head.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_latin1() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFGr\xC3\xB6\xC3\x9Fe").unwrap().text,
            "Größe"
        );
        let d = decode(b"Gr\xF6\xDFe \x84Zitat\x93").unwrap();
        assert_eq!(d.text, "Größe „Zitat“");
        assert_eq!(d.fallback_encoding, Some("windows-1252"));
        assert!(matches!(
            decode(b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\0\0"),
            Err(SkipReason::Binary)
        ));
        // UTF-16 without a BOM is binary to us (half its bytes are NUL).
        assert!(matches!(decode(b"N\0A\0T\0O\0"), Err(SkipReason::Binary)));
        // A stray NUL in a text file does not make it binary.
        assert!(
            decode(b"Hallo\0Welt, eine ganz normale Zeile Text mit vielen Woertern darin.").is_ok()
        );
    }

    #[test]
    fn decoding_owned_bytes() {
        let d = |b: &[u8]| decode_owned(b.to_vec()).map(|d| (d.text, d.fallback_encoding));
        assert_eq!(d(b"Gr\xC3\xB6\xC3\x9Fe").unwrap(), ("Größe".into(), None));
        assert_eq!(
            d(b"\xEF\xBB\xBFGr\xC3\xB6\xC3\x9Fe").unwrap(),
            ("Größe".into(), None)
        );
        assert_eq!(
            d(b"\xEF\xBB\xBFGr\xF6\xDFe").unwrap(),
            ("Gr\u{FFFD}\u{FFFD}e".into(), Some("UTF-8 (repaired)"))
        );
        assert_eq!(
            d(b"Gr\xF6\xDFe \x84Zitat\x93").unwrap(),
            ("Größe „Zitat“".into(), Some("windows-1252"))
        );
        assert!(matches!(d(b"N\0A\0T\0O\0"), Err(SkipReason::Binary)));
        assert_eq!(d(b"").unwrap(), (String::new(), None));
    }

    #[test]
    fn write_atomic_replaces_whole_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("gazette.toml");
        write_atomic(&p, b"a = 1\n").unwrap();
        write_atomic(&p, b"b = 2\n").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"b = 2\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "temporary files left behind");
        // A failed write (target is a folder) keeps nothing half-written.
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("x"), b"keep").unwrap();
        assert!(write_atomic(&sub, b"zzz").is_err());
        assert_eq!(std::fs::read(sub.join("x")).unwrap(), b"keep");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn links_leaving_the_root_are_detected() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        std::fs::write(root.path().join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.path().join("l.txt"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("d")).unwrap();
        assert!(!leaves_root(root.path(), &root.path().join("a.txt")));
        assert!(leaves_root(root.path(), &root.path().join("l.txt")));
        assert!(leaves_root(root.path(), &root.path().join("d/secret.txt")));
        assert!(!leaves_root(root.path(), &root.path().join("gone.txt")));
    }

    #[cfg(unix)]
    #[test]
    fn read_file_takes_regular_files_only_within_the_limit_and_the_root() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        std::fs::write(outside.path().join("secret.txt"), "geheim").unwrap();
        std::fs::write(r.join("a.txt"), "Hallo Welt").unwrap();
        let fifo = r.join("fifo.txt");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        symlink("/dev/zero", r.join("zero.txt")).unwrap();
        symlink(&fifo, r.join("to-fifo.txt")).unwrap();
        symlink(outside.path().join("secret.txt"), r.join("out.txt")).unwrap();
        symlink(r.join("a.txt"), r.join("in.txt")).unwrap();
        symlink(outside.path(), r.join("outdir")).unwrap();

        let t = std::time::Instant::now();
        let fails =
            |p: &str, root: Option<&Path>| read_file(&r.join(p), 1 << 20, root).unwrap_err();
        // Special files are refused, with or without a root, never read:
        // a FIFO does not block, /dev/zero does not fill the memory.
        for root in [None, Some(r)] {
            assert!(matches!(
                fails("fifo.txt", root),
                SkipReason::NotAFile("a FIFO")
            ));
            assert!(matches!(
                fails("to-fifo.txt", root),
                SkipReason::NotAFile("a FIFO")
            ));
            assert!(matches!(fails(".", root), SkipReason::NotAFile("a folder")));
        }
        assert!(matches!(
            fails("zero.txt", None),
            SkipReason::NotAFile("a character device")
        ));
        assert!(matches!(
            read_file(Path::new("/dev/zero"), u64::MAX, None),
            Err(SkipReason::NotAFile("a character device"))
        ));
        // Under a root, links leading out of it are refused (whatever they
        // name); links inside it are followed.
        for p in ["zero.txt", "out.txt", "outdir/secret.txt"] {
            let e = fails(p, Some(r));
            assert!(matches!(e, SkipReason::LeavesRoot { .. }), "{p}: {e}");
            assert!(
                e.to_string().contains("leading out of the workspace"),
                "{e}"
            );
        }
        assert_eq!(
            read_file(&r.join("in.txt"), 100, Some(r)).unwrap().bytes,
            b"Hallo Welt"
        );
        // A root given through a link, or with "..", is resolved where a
        // path is not under it as given: the same answers.
        let alias = outside.path().join("alias");
        symlink(r, &alias).unwrap();
        std::fs::create_dir(r.join("sub")).unwrap();
        let dotted = r.join("sub").join("..");
        for root in [alias.as_path(), dotted.as_path()] {
            let read = |p: &str| read_file(&root.join(p), 100, Some(root));
            assert_eq!(read("a.txt").unwrap().bytes, b"Hallo Welt");
            assert_eq!(read("in.txt").unwrap().bytes, b"Hallo Welt");
            for p in ["out.txt", "outdir/secret.txt"] {
                assert!(
                    matches!(read(p), Err(SkipReason::LeavesRoot { .. })),
                    "{p} under {root:?}"
                );
            }
        }
        // Without a root (a command-line argument) a link to a file is fine.
        assert_eq!(
            read_file(&r.join("out.txt"), 100, None).unwrap().bytes,
            b"geheim"
        );
        // The size limit, checked before reading.
        assert!(matches!(
            read_file(&r.join("a.txt"), 5, Some(r)),
            Err(SkipReason::TooLarge { size: 10, limit: 5 })
        ));
        assert!(read_file(&r.join("a.txt"), 10, Some(r)).is_ok());
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(
            SkipReason::NotAFile("a FIFO").to_string(),
            "skipped: not a regular file (a FIFO)"
        );
    }

    #[test]
    fn max_file_size_zero_means_no_limit() {
        assert_eq!(size_limit(u64::MAX), MAX_ANALYSABLE);
        assert!(SkipReason::TooLarge {
            size: 1 << 31,
            limit: size_limit(0)
        }
        .to_string()
        .contains("largest file gazette analyses"));
        assert_eq!(size_limit(0), MAX_ANALYSABLE);
        assert_eq!(size_limit(1000), 1000);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "Hallo").unwrap();
        assert_eq!(read_text(&p, size_limit(0), None).unwrap().text, "Hallo");
    }

    #[cfg(unix)]
    #[test]
    fn only_folders_of_the_workspace_are_walked() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        std::fs::create_dir_all(r.join("news/2024")).unwrap();
        std::fs::create_dir_all(r.join("node_modules/x")).unwrap();
        std::fs::create_dir_all(r.join(".git")).unwrap();
        std::os::unix::fs::symlink(outside.path(), r.join("linked")).unwrap();
        assert!(is_workspace_folder(r, r));
        assert!(is_workspace_folder(r, &r.join("news/2024")));
        assert!(!is_workspace_folder(r, Path::new("/usr")));
        assert!(!is_workspace_folder(r, outside.path()));
        assert!(!is_workspace_folder(r, &r.join("linked")));
        assert!(!is_workspace_folder(r, &r.join("node_modules/x")));
        assert!(!is_workspace_folder(r, &r.join(".git")));
    }

    #[test]
    fn filter_skips_hidden_and_build_dirs() {
        let f = FileFilter::new(&WorkspaceConfig::default());
        assert!(f.problems().is_empty());
        let root = Path::new("/c");
        assert!(f.matches(root, Path::new("/c/a/b.txt")));
        assert!(f.matches(root, Path::new("/c/b.md")));
        assert!(!f.matches(root, Path::new("/c/.git/b.txt")));
        assert!(!f.matches(root, Path::new("/c/node_modules/x/b.txt")));
        assert!(!f.matches(root, Path::new("/c/b.rs")));
    }
}
