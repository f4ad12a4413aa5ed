//! Names listed in the embedded gazetteers (places, organisations, persons:
//! `data/gazetteers/`), matched as phrases.

use super::phrases::match_phrases;
use super::{Context, Rule};
use crate::model::Source;
use crate::recognize::Cand;

pub(super) struct Gazetteer;

impl Rule for Gazetteer {
    fn name(&self) -> &'static str {
        "gazetteer"
    }

    fn apply(&self, cx: &Context<'_>, out: &mut Vec<Cand>) {
        match_phrases(cx.r, cx.toks, &cx.r.d.names, Source::Gazetteer, out);
    }
}
