//! Names from the user's knowledge base (gazette.toml): the most
//! authoritative candidates, matched like gazetteer phrases.

use super::phrases::match_phrases;
use super::{Context, Rule};
use crate::model::Source;
use crate::recognize::Cand;

pub(super) struct KnowledgeBase;

impl Rule for KnowledgeBase {
    fn name(&self) -> &'static str {
        "knowledge-base"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        if !cx.overrides.names.is_empty() {
            match_phrases(
                cx.r,
                cx.toks,
                &cx.overrides.table,
                Source::KnowledgeBase,
                out,
            );
        }
    }
}
