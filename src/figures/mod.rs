//! PLACEHOLDER (replaced by the figures branch): API only.
use crate::model::Figure;
use crate::text::tokenize::Tokenized;
pub fn find_figures(_text: &str, _tok: &Tokenized) -> Vec<Figure> {
    Vec::new()
}
