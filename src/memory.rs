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
