//! gazette: recognise and link people, places, organisations and figures
//! across a corpus of news articles, and serve them over LSP.
//!
//! See ARCHITECTURE.md for the map of modules.
pub mod model;
pub mod tagger;
pub mod text;
