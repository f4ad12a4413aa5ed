//! gazette's shared archive (issue 18, part B): the rows of the batch
//! analysis (`gazette analyze --jsonl`), the corpus-level steps that turn
//! them into tables, the PostgreSQL schema and its bulk load
//! (`gazette archive build`), and the queries a language server makes.
//! The core knows nothing of this crate or of any database.

pub mod connect;
pub mod load;
pub mod query;
pub mod rows;
pub mod tables;
