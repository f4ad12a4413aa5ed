//! Returning freed memory to the operating system.
//!
//! Indexing analyses files on every core; each worker thread's allocator
//! arena grows with the texts and token lists it handles and glibc keeps
//! that freed memory mapped. After indexing, the resident size would then
//! count tens of megabytes the index does not use.

/// Releases free heap memory back to the OS where the allocator supports it
/// (glibc's `malloc_trim`); a no-op elsewhere.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it has
    // no preconditions and is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Arenas for glibc's allocator. Its default (eight per core) gives every
/// thread that ever allocated — tokio workers, rayon workers, background
/// jobs — its own heap, each keeping the memory it freed; a long-lived
/// index built by a few threads fragments across all of them. Two arenas
/// per core keeps allocation uncontended on a laptop.
const ARENAS_PER_CORE: usize = 2;

/// Sets up the allocator for a long-running server; call before starting
/// threads. A no-op where the allocator is not glibc's.
pub fn configure_for_server() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = (cores * ARENAS_PER_CORE).clamp(2, 64) as libc::c_int;
        // SAFETY: mallopt only changes allocator parameters; it is called
        // before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
            // No fastbins: freed small chunks go straight to the bins
            // (tcache still serves each thread's small allocations). With
            // fastbins, freeing 10^5 knowledge-base entries left that many
            // chunks for the next large free to consolidate while holding
            // the arena's lock, and a hover allocating in that arena waited
            // up to a quarter of a second (name keystrokes in a 100k-entity
            // gazette.toml: hover max 21–201 ms before; after, 19–35 ms in 8
            // runs of 12 and 58–131 ms in 4; scripts/kb_keystroke_latency.py).
            // The 100k-article scale bench is unchanged within its noise.
            libc::mallopt(libc::M_MXFAST, 0);
        }
    }
}

/// The allocator's view of the heap, for the debug log: bytes in use and
/// bytes held free (fragmentation), where the allocator can tell.
pub fn heap_summary() -> Option<String> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 only reads the allocator's statistics.
        let m = unsafe { libc::mallinfo2() };
        let mb = |n: usize| n as f64 / 1048576.0;
        Some(format!(
            "allocator: {:.1} MB in use, {:.1} MB free in the heap, {:.1} MB mapped separately",
            mb(m.uordblks + m.hblkhd),
            mb(m.fordblks),
            mb(m.hblkhd)
        ))
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    None
}
