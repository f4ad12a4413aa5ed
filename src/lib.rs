//! gazette: recognise and link people, places, organisations and figures
//! across a corpus of news articles, and serve them over LSP.
//!
//! See ARCHITECTURE.md for the map of modules.
pub mod analysis;
pub mod background;
pub mod benchgen;
pub mod cache;
pub mod cli;
pub mod corpus;
pub mod decimal;
pub mod figures;
pub mod ide;
pub mod kb;
pub mod lsp;
pub mod memory;
pub mod model;
pub mod recognize;
pub mod tagger;
pub mod text;
pub mod workspace;
