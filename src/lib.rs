//! The `gazette` command line: the same analyses the language server
//! serves, over files and folders (see ARCHITECTURE.md for the crates).
pub mod cli;
