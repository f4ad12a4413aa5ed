//! The language server: a thin layer that turns LSP requests into
//! [`gazette_ide`] queries over a shared [`State`].
//!
//! Ordering rules (tower-lsp runs up to 4 handlers at once, see
//! ARCHITECTURE.md): every handler that changes text applies its change
//! synchronously, under the state lock, before its first `.await`; no lock is
//! held across an `.await`; no handler awaits a request to the client
//! (those run in spawned tasks); diagnostics go through one ordered channel
//! to a single publisher task, so they reach the client in version order.

pub mod background;
mod convert;
pub mod guard;
pub mod memory;
mod output;
mod server;
mod state;
mod wire_clock;

pub use server::{run_stdio, serve};
