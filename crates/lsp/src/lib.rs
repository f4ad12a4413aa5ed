//! The language server: a thin layer that turns LSP requests into
//! [`gazette_ide`] queries over a shared [`State`](state::State).
//!
//! Ordering rules (see ARCHITECTURE.md): the main loop ([`transport`])
//! applies notifications one after another, in the order the client sent
//! them, and every handler answers without waiting (requests to the
//! client run in spawned tasks); no lock is held across an `.await`;
//! diagnostics go through one ordered channel to a single publisher task,
//! so they reach the client in version order.

pub mod background;
pub mod body;
mod convert;
pub mod memory;
mod panics;
mod server;
mod state;
pub mod transport;

pub use server::{run_stdio, serve};
