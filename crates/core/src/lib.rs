//! gazette's engine: recognise and link people, places, organisations and
//! figures across a corpus of news articles. Plain data in and out: no
//! editor protocol, no async runtime, no command line (see ARCHITECTURE.md).
pub mod analysis;
pub mod annotations;
pub mod benchgen;
pub mod cache;
pub mod corpus;
pub mod dates;
pub mod decimal;
pub mod figures;
pub mod gold;
pub mod kb;
pub mod learn;
pub mod linking;
pub mod model;
pub mod recognize;
pub mod review;
pub mod tagger;
pub mod text;
pub mod workspace;
