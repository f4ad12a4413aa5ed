//! Computes a fingerprint of everything that decides analysis results (the
//! engine's source and its data files), so the persistent index can tell
//! that it was written by a different engine and must be rebuilt.

use std::hash::Hasher;
use std::path::Path;

/// FNV-1a, 64 bit: a build script needs no cryptographic hash.
struct Fnv(u64);
impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, files);
        } else {
            files.push(p);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for d in ["src", "../../data"] {
        println!("cargo:rerun-if-changed={d}");
        walk(Path::new(d), &mut files);
    }
    files.sort();
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    for f in files {
        h.write(f.to_string_lossy().as_bytes());
        if let Ok(bytes) = std::fs::read(&f) {
            h.write(&bytes);
        }
    }
    println!("cargo:rustc-env=GAZETTE_ENGINE_HASH={:016x}", h.finish());
}
