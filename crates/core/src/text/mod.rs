//! Text primitives: positions and tokens. Knows nothing of entities or LSP.
pub mod escape;
pub mod position;
pub mod tokenize;
pub mod words;
