//! Code actions: add a name to the knowledge base, mark a surface as not a
//! name, use the canonical spelling (one mention or all in the file).

use super::diagnostics::{diagnostics, DiagCode};
use super::rename::split_inflection;
use super::TextSource;
use gazette_core::corpus::{Corpus, DocId, ItemRef};
use gazette_core::kb::{self, KnowledgeBase};
use gazette_core::linking;
use gazette_core::model::{EntityKind, Span};

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Replace `span` of document `doc`.
    Doc {
        doc: DocId,
        span: Span,
        text: String,
    },
    /// Insert into the knowledge base at byte `offset`; `create` when the
    /// file does not exist yet.
    Kb {
        create: bool,
        offset: usize,
        text: String,
    },
    /// Replace `span` of the annotation store's text; `create` when the
    /// file does not exist yet.
    Store {
        create: bool,
        span: Span,
        text: String,
    },
}

/// What an annotation action writes, so that clients can ask for one by
/// kind (the LSP edge makes it the code action kind
/// `refactor.annotate.<as_str>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Annotate {
    /// Mark the mention or selection with a label (`not-a-name` included).
    Label(gazette_core::annotations::Label),
    /// Confirm the machine's mention as it is.
    Confirm,
    /// Split the mention out of its entity: a different one of its name.
    Different,
    /// Link the mention to another entity (one action per candidate).
    SameAs,
}

impl Annotate {
    /// Every kind of annotation action, in the order they are offered.
    pub const ALL: [Annotate; 8] = {
        use gazette_core::annotations::Label as L;
        [
            Annotate::Label(L::Person),
            Annotate::Label(L::Place),
            Annotate::Label(L::Organisation),
            Annotate::Label(L::Other),
            Annotate::Label(L::NotAName),
            Annotate::Confirm,
            Annotate::Different,
            Annotate::SameAs,
        ]
    };

    /// `person`, `place`, `organisation`, `other`, `not-a-name` (the
    /// store's labels), `confirm`, `different`, `same-as`.
    pub fn as_str(self) -> &'static str {
        match self {
            Annotate::Label(l) => l.as_str(),
            Annotate::Confirm => "confirm",
            Annotate::Different => "different",
            Annotate::SameAs => "same-as",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub title: String,
    pub quick_fix: bool,
    pub preferred: bool,
    /// The diagnostic code the action fixes, if any.
    pub fixes: Option<DiagCode>,
    /// For an action on the annotation store: what it writes.
    pub annotate: Option<Annotate>,
    pub edits: Vec<Edit>,
}

/// The knowledge base as the actions see it: its current text (`None` when
/// the file does not exist) and the last good parse.
pub struct KbView<'a> {
    pub text: Option<&'a str>,
    pub kb: Option<&'a KnowledgeBase>,
}

/// The capitalised word run around `offset` ("Jamie Shea"), or `None`.
fn capitalised_run(text: &str, offset: usize) -> Option<Span> {
    let is_w = |c: char| c.is_alphanumeric() || c == '-';
    let offset = gazette_core::text::position::floor_char_boundary(text, offset.min(text.len()));
    let a = text[..offset]
        .rfind(|c: char| !is_w(c))
        .map_or(0, |i| i + 1);
    let b = text[offset..]
        .find(|c: char| !is_w(c))
        .map_or(text.len(), |i| offset + i);
    let word = &text[a..b];
    if !word.chars().next()?.is_uppercase() {
        return None;
    }
    let (mut s, mut e) = (a, b);
    // Extend over neighbouring capitalised words on the same line.
    loop {
        let before = &text[..s];
        let Some(prev_end) = before.strip_suffix(' ').map(|t| t.len()) else {
            break;
        };
        let ps = text[..prev_end]
            .rfind(|c: char| !is_w(c))
            .map_or(0, |i| i + 1);
        let w = &text[ps..prev_end];
        // Hyphenated compounds ("NATO-Beamte") are descriptions, not names.
        if w.is_empty() || !w.chars().next().unwrap().is_uppercase() || w.contains('-') {
            break;
        }
        // A sentence start is not part of a name.
        if ps == 0 || text[..ps].trim_end().ends_with(['.', '!', '?', ':']) {
            break;
        }
        s = ps;
    }
    loop {
        let after = &text[e..];
        let Some(rest) = after.strip_prefix(' ') else {
            break;
        };
        let len = rest.find(|c: char| !is_w(c)).unwrap_or(rest.len());
        let w = &rest[..len];
        if w.is_empty() || !w.chars().next().unwrap().is_uppercase() {
            break;
        }
        e = e + 1 + len;
    }
    Some(Span::new(s, e))
}

fn kb_insert_ignore(view: &KbView, surface: &str) -> Edit {
    let q = kb::quote(surface);
    match (view.text, view.kb.and_then(|k| k.ignore_array)) {
        (Some(text), Some(arr)) if text.get(arr.range()).is_some_and(|s| s.ends_with(']')) => {
            let inner = &text[arr.start as usize + 1..arr.end as usize - 1];
            let sep = if inner.trim().trim_end_matches(',').is_empty() {
                ""
            } else if inner.trim_end().ends_with(',') {
                " "
            } else {
                ", "
            };
            Edit::Kb {
                create: false,
                offset: arr.end as usize - 1,
                text: format!("{sep}{q}"),
            }
        }
        (text, _) => Edit::Kb {
            create: text.is_none(),
            offset: 0,
            text: format!("ignore = [{q}]\n{}", if text.is_some() { "\n" } else { "" }),
        },
    }
}

fn kb_append_entry(view: &KbView, name: &str, kind: EntityKind) -> Edit {
    let entry = kb::entry_text(name, kind);
    match view.text {
        None => Edit::Kb {
            create: true,
            offset: 0,
            text: entry,
        },
        Some(t) => Edit::Kb {
            create: false,
            offset: t.len(),
            text: format!(
                "{}{entry}",
                if t.is_empty() || t.ends_with("\n\n") {
                    ""
                } else if t.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                }
            ),
        },
    }
}

/// The annotation store as the actions see it: its current text (`None`
/// when the file does not exist) and its parsed annotations.
pub struct StoreView<'a> {
    pub text: Option<&'a str>,
    pub annotations: &'a gazette_core::annotations::Annotations,
}

/// Byte ranges of the store's lines (with their line ends).
fn store_lines(text: &str) -> Vec<Span> {
    let mut at = 0;
    text.split_inclusive('\n')
        .map(|l| {
            let s = Span::new(at, at + l.len());
            at += l.len();
            s
        })
        .collect()
}

/// The edits that put `new` into the store: replacing the lines of the
/// annotations of the same article it overlaps, else inserted in order.
fn store_edits(
    store: &StoreView,
    article_text: &str,
    path: &std::path::Path,
    new: &gazette_core::annotations::Annotation,
) -> Vec<Edit> {
    use gazette_core::annotations::anchor;
    let text = store.text.unwrap_or("");
    let create = store.text.is_none();
    let lines = store_lines(text);
    let mut line_text = new.to_line();
    line_text.push('\n');
    let span = Span::new(new.start as usize, new.end as usize);
    let overlapping: Vec<Span> = store
        .annotations
        .for_path(path)
        .iter()
        .filter(|(_, a)| anchor(article_text, a).is_some_and(|s| s.overlaps(span)))
        .filter_map(|(l, _)| lines.get(*l as usize).copied())
        .collect();
    if let Some((first, rest)) = overlapping.split_first() {
        let mut out = vec![Edit::Store {
            create,
            span: *first,
            text: line_text,
        }];
        out.extend(rest.iter().map(|&s| Edit::Store {
            create: false,
            span: s,
            text: String::new(),
        }));
        return out;
    }
    // Before the first annotation that sorts after it.
    let key = new.sort_key();
    let at = store
        .annotations
        .iter()
        .filter(|(_, a)| a.sort_key() > key)
        .filter_map(|(l, _)| lines.get(*l as usize))
        .map(|s| s.start as usize)
        .min()
        .unwrap_or(text.len());
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        line_text.insert(0, '\n');
    }
    vec![Edit::Store {
        create,
        span: Span::new(at, at),
        text: line_text,
    }]
}

/// Annotation actions (`gazette.annotations.jsonl`) for the selection
/// `range` of article `doc` (text `text`, at `path`): on a mention, mark it
/// as another kind, not a name, confirmed, a different entity of its name,
/// or the same as another entity; on a selection that is no mention,
/// annotate it as a name.
pub fn annotation_actions(
    corpus: &Corpus,
    doc: DocId,
    path: &std::path::Path,
    text: &str,
    range: Span,
    store: &StoreView,
) -> Vec<Action> {
    use gazette_core::annotations::{Annotation, Label, Status};
    let mut out = Vec::new();
    let Some(entry) = corpus.doc(doc) else {
        return out;
    };
    if entry.kb.is_some() || !text_fits_doc(entry, text) {
        return out;
    }
    let Some(rel) = store.annotations.rel_path(path) else {
        return out;
    };
    let action = |title: String, what: Annotate, a: Annotation| Action {
        title,
        quick_fix: false,
        preferred: false,
        fixes: None,
        annotate: Some(what),
        edits: store_edits(store, text, path, &a),
    };
    let names = [
        (Label::Person, "person"),
        (Label::Place, "place"),
        (Label::Organisation, "organisation"),
        (Label::Other, "other name"),
    ];
    if let Some(i) = entry.analysis.mention_at(range.start as usize) {
        let m = &entry.analysis.mentions[i];
        let span = m.span();
        if text.get(span.range()).is_none() {
            return out;
        }
        for (label, name) in names {
            if Some(m.kind) != label.kind() {
                out.push(action(
                    format!("Annotate: {name} here"),
                    Annotate::Label(label),
                    Annotation::new(&rel, text, span, label, None, Status::Corrected),
                ));
            }
        }
        out.push(action(
            "Annotate: not a name here".into(),
            Annotate::Label(Label::NotAName),
            Annotation::new(&rel, text, span, Label::NotAName, None, Status::Corrected),
        ));
        let label = Label::from_kind(m.kind);
        if m.source != gazette_core::model::Source::Annotation {
            out.push(action(
                format!("Annotate: confirm as {}", label.as_str()),
                Annotate::Confirm,
                Annotation::new(&rel, text, span, label, None, Status::Confirmed),
            ));
        }
        // A name no annotation uses yet: "Maria (2)", "Maria (3)", …
        let taken: std::collections::HashSet<&str> = store
            .annotations
            .iter()
            .filter_map(|(_, a)| a.entity.as_deref())
            .collect();
        let base = split_base(m.norm.as_str());
        let other = (2..)
            .map(|n| format!("{base} ({n})"))
            .find(|n| !taken.contains(n.as_str()))
            .expect("a free name");
        out.push(action(
            format!("Annotate: a different {base}"),
            Annotate::Different,
            Annotation::new(&rel, text, span, label, Some(other), Status::Corrected),
        ));
        let r = ItemRef { doc, idx: i as u32 };
        for name in same_as_candidates(corpus, r) {
            out.push(action(
                format!("Annotate: same as «{name}»"),
                Annotate::SameAs,
                Annotation::new(&rel, text, span, label, Some(name), Status::Corrected),
            ));
        }
        return out;
    }
    // A selection that is not a mention.
    let (a, b) = (range.start as usize, range.end as usize);
    let Some(sel) = text.get(a..b) else {
        return out;
    };
    let trimmed = sel.trim();
    if trimmed.is_empty() || trimmed.contains('\n') || trimmed.len() > 200 {
        return out;
    }
    let a = a + (sel.len() - sel.trim_start().len());
    let span = Span::new(a, a + trimmed.len());
    for (label, name) in names {
        out.push(action(
            format!("Annotate «{}» as {name}", trimmed),
            Annotate::Label(label),
            Annotation::new(&rel, text, span, label, None, Status::Added),
        ));
    }
    out
}

/// The name a "different" entity was split from: "Maria (2)" → "Maria".
fn split_base(norm: &str) -> &str {
    let Some(open) = norm.strip_suffix(')').and_then(|s| s.rfind(" (")) else {
        return norm;
    };
    let digits = &norm[open + 2..norm.len() - 1];
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        &norm[..open]
    } else {
        norm
    }
}

/// At most this many "same as …" actions on one mention.
const MAX_SAME_AS: usize = 5;

/// The entities mention `r` could be the same as, by name (what to write as
/// the annotation's `entity`), most mentioned first: entities of its kind
/// whose name has its last word ("Maria": "Maria Müller"; "Putin":
/// "Wladimir Putin"), named in the same article or, for persons, full
/// names the corpus knows ending in it; and the name a "different" mention
/// was split from. Never the entity it belongs to now. Cheap: it looks at
/// the article's mentions and one index entry, not at the whole corpus.
fn same_as_candidates(corpus: &Corpus, r: ItemRef) -> Vec<String> {
    let m = corpus.mention(r);
    let kind = m.kind;
    let base = split_base(m.norm.as_str());
    let Some(word) = linking::name_words(base).last().map(|w| w.to_lowercase()) else {
        return Vec::new();
    };
    let own = corpus.entity_of(r);
    let own_key = corpus.key_of(r);
    let has_word = |k: gazette_core::corpus::KeyId| {
        let (spelling, _, _) = corpus.key_profile(k);
        linking::name_words(spelling)
            .iter()
            .any(|w| w.to_lowercase() == word)
    };
    let mut cands: Vec<gazette_core::corpus::KeyId> = Vec::new();
    if let Some(entry) = corpus.doc(r.doc) {
        for (j, other) in entry.analysis.mentions.iter().enumerate() {
            if other.kind == kind && j as u32 != r.idx {
                cands.push(corpus.entity_of(ItemRef {
                    doc: r.doc,
                    idx: j as u32,
                }));
            }
        }
    }
    let key_of_name = |name: &str| corpus.key_id(&linking::link_key(name, kind));
    if kind == EntityKind::Person {
        if let Some(lw) = key_of_name(&word) {
            cands.extend(corpus.full_names_ending_in(lw));
        }
    }
    let split_from = (base != m.norm.as_str())
        .then(|| key_of_name(base))
        .flatten();
    cands.extend(split_from);
    cands.sort_unstable();
    cands.dedup();
    let mut named: Vec<(u32, String)> = cands
        .into_iter()
        .filter(|&k| k != own && k != own_key && corpus.key_total(k) > 0)
        .filter(|&k| corpus.key_profile(k).2 == kind)
        .filter(|&k| Some(k) == split_from || has_word(k))
        .map(|k| {
            let kb = corpus
                .first_mention_of_key(k)
                .and_then(|f| corpus.kb_name(f).map(str::to_string));
            let name = kb.unwrap_or_else(|| corpus.key_profile(k).0.to_string());
            (corpus.key_total(k), name)
        })
        .collect();
    named.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut seen = std::collections::HashSet::new();
    named.retain(|(_, n)| seen.insert(n.clone()));
    named
        .into_iter()
        .take(MAX_SAME_AS)
        .map(|(_, n)| n)
        .collect()
}

/// Whether `text` is the text the document was analysed from.
fn text_fits_doc(entry: &gazette_core::corpus::DocEntry, text: &str) -> bool {
    entry.analysis.len() == text.len()
}

/// Edits replacing, in every article, each mention of the same name spelled
/// like the one at `span` of `doc` by `fix` (inflection kept).
fn variant_everywhere(
    corpus: &Corpus,
    texts: &dyn TextSource,
    doc: DocId,
    span: Span,
    fix: &str,
) -> Vec<Edit> {
    let Some(i) = corpus
        .doc(doc)
        .and_then(|e| e.analysis.mention_at(span.start as usize))
    else {
        return Vec::new();
    };
    let r = ItemRef { doc, idx: i as u32 };
    let key = corpus.key_of(r);
    let mine = linking::spelling(&corpus.mention(r).norm);
    let mut out = Vec::new();
    let mut text_of: std::collections::HashMap<DocId, Option<std::sync::Arc<str>>> =
        Default::default();
    for m in corpus.entity_mentions(corpus.entity_of(r)) {
        let mm = corpus.mention(m);
        if corpus.is_kb_doc(m.doc) || corpus.key_of(m) != key || linking::spelling(&mm.norm) != mine
        {
            continue;
        }
        let Some(t) = text_of
            .entry(m.doc)
            .or_insert_with(|| texts.text(corpus, m.doc))
            .clone()
        else {
            continue;
        };
        let Some(surface) = t.get(mm.span().range()) else {
            continue;
        };
        let (stem, _) = split_inflection(surface, &mm.norm);
        out.push(Edit::Doc {
            doc: m.doc,
            span: Span::new(
                mm.span().start as usize,
                mm.span().start as usize + stem.len(),
            ),
            text: fix.to_string(),
        });
    }
    out
}

/// Actions for the selection `range` of document `doc` (text `text`).
pub fn code_actions(
    corpus: &Corpus,
    texts: &dyn TextSource,
    doc: DocId,
    text: &str,
    range: Span,
    view: &KbView,
) -> Vec<Action> {
    let mut out = Vec::new();
    let Some(entry) = corpus.doc(doc) else {
        return out;
    };
    if entry.kb.is_some() {
        return out;
    }
    // Fixes for diagnostics under the selection.
    let diags = diagnostics(corpus, doc);
    for d in &diags {
        if !(d.span.overlaps(range) || d.span.contains_cursor(range.start as usize)) {
            continue;
        }
        let Some(fix) = &d.fix else { continue };
        let stem_edit = |span: Span| -> Option<Edit> {
            let m = entry.analysis.mention_at(span.start as usize)?;
            let norm = &entry.analysis.mentions[m].norm;
            let surface = text.get(span.range())?;
            let (stem, _) = split_inflection(surface, norm);
            Some(Edit::Doc {
                doc,
                span: Span::new(span.start as usize, span.start as usize + stem.len()),
                text: fix.clone(),
            })
        };
        let Some(one) = stem_edit(d.span) else {
            continue;
        };
        let title = match d.code {
            DiagCode::UnknownName => format!("Change to «{fix}»"),
            _ => format!("Use the canonical spelling «{fix}»"),
        };
        out.push(Action {
            title,
            quick_fix: true,
            preferred: true,
            fixes: Some(d.code),
            annotate: None,
            edits: vec![one],
        });
        let same: Vec<Edit> = diags
            .iter()
            .filter(|o| o.code == d.code && o.fix.as_ref() == Some(fix))
            .filter_map(|o| stem_edit(o.span))
            .collect();
        let in_file = same.len();
        if in_file > 1 {
            out.push(Action {
                title: format!("Use «{fix}» everywhere in this file ({in_file}×)"),
                quick_fix: true,
                preferred: false,
                fixes: Some(d.code),
                annotate: None,
                edits: same,
            });
        }
        if d.code == DiagCode::NameVariant {
            let everywhere = variant_everywhere(corpus, texts, doc, d.span, fix);
            if everywhere.len() > in_file {
                out.push(Action {
                    title: format!(
                        "Use «{fix}» everywhere in the corpus ({}×)",
                        everywhere.len()
                    ),
                    quick_fix: true,
                    preferred: false,
                    fixes: Some(d.code),
                    annotate: None,
                    edits: everywhere,
                });
            }
        }
    }
    // The name under the cursor (or the selection).
    let mention = entry
        .analysis
        .mention_at(range.start as usize)
        .map(|i| ItemRef { doc, idx: i as u32 });
    let selected = (!range.is_empty())
        .then(|| text.get(range.range()).map(str::trim))
        .flatten()
        .filter(|s| !s.is_empty() && !s.contains('\n') && s.chars().count() <= 80);
    let (name, surface, kind) = match (selected, mention) {
        (Some(s), m) => (
            s.to_string(),
            s.to_string(),
            m.map_or(EntityKind::Other, |m| corpus.mention(m).kind),
        ),
        (None, Some(m)) => {
            let mm = corpus.mention(m);
            let surface = text.get(mm.span().range()).unwrap_or(&mm.norm);
            let (stem, _) = split_inflection(surface, &mm.norm);
            (mm.norm.to_string(), stem.to_string(), mm.kind)
        }
        (None, None) => match capitalised_run(text, range.start as usize) {
            Some(span) => {
                let s = text[span.range()].to_string();
                let kind = if s.contains(' ') {
                    EntityKind::Person
                } else {
                    EntityKind::Other
                };
                (s.clone(), s, kind)
            }
            None => return out,
        },
    };
    let defined = view.kb.is_some_and(|kb| {
        kb.entities
            .iter()
            .any(|e| e.name == name || e.aliases.iter().any(|a| *a == name || *a == surface))
    });
    if !defined {
        out.push(Action {
            title: format!("Add «{name}» to gazette.toml"),
            quick_fix: false,
            preferred: false,
            fixes: None,
            annotate: None,
            edits: vec![kb_append_entry(view, &name, kind)],
        });
    }
    let ignored = view
        .kb
        .is_some_and(|kb| kb.ignore.iter().any(|i| i.eq_ignore_ascii_case(&surface)));
    if !ignored && mention.is_some() {
        out.push(Action {
            title: format!("Mark «{surface}» as not a name"),
            quick_fix: false,
            preferred: false,
            fixes: None,
            annotate: None,
            edits: vec![kb_insert_ignore(view, &surface)],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use insta::assert_snapshot;

    /// The actions at the cursor (or for the selection): title, flags, and
    /// what each edited file reads after them.
    fn check(fixture: &str) -> String {
        let f = Fixture::parse(fixture);
        let kb = f.kb();
        let view = KbView {
            text: f.kb_text.as_deref(),
            kb: kb.as_deref(),
        };
        let actions = code_actions(&f.corpus, &f.texts, f.doc, f.cursor_text(), f.range, &view);
        let mut out = String::new();
        for a in &actions {
            let flags: Vec<&str> = [(a.quick_fix, "quick fix"), (a.preferred, "preferred")]
                .iter()
                .filter(|x| x.0)
                .map(|x| x.1)
                .collect();
            out += &format!("## {} [{}]\n", a.title, flags.join(", "));
            let docs: Vec<(DocId, Span, &str)> = a
                .edits
                .iter()
                .filter_map(|e| match e {
                    Edit::Doc { doc, span, text } => Some((*doc, *span, text.as_str())),
                    Edit::Kb { .. } | Edit::Store { .. } => None,
                })
                .collect();
            out += &f.apply(&docs);
            for e in &a.edits {
                if let Edit::Kb {
                    create,
                    offset,
                    text,
                } = e
                {
                    let mut kb = f.kb_text.clone().unwrap_or_default();
                    kb.insert_str(*offset, text);
                    let how = if *create { " (created)" } else { "" };
                    out += &format!("//- gazette.toml{how}\n{kb}");
                }
            }
        }
        if out.is_empty() {
            out = "none".into();
        }
        out
    }

    #[test]
    fn a_variant_in_one_place_in_the_file_or_everywhere() {
        assert_snapshot!(check(r#"
            //- a.txt
            Die Nato$0 tagte in Brüssel. Die Nato will mehr Geld.
            //- b.txt
            Die NATO wartet. Die NATO zahlt. Die NATO tagt. Die NATO plant. Die Nato tagt nicht.
            "#), @r#"
            ## Use the canonical spelling «NATO» [quick fix, preferred]
            //- a.txt
            Die NATO tagte in Brüssel. Die Nato will mehr Geld.
            ## Use «NATO» everywhere in this file (2×) [quick fix]
            //- a.txt
            Die NATO tagte in Brüssel. Die NATO will mehr Geld.
            ## Use «NATO» everywhere in the corpus (3×) [quick fix]
            //- a.txt
            Die NATO tagte in Brüssel. Die NATO will mehr Geld.
            //- b.txt
            Die NATO wartet. Die NATO zahlt. Die NATO tagt. Die NATO plant. Die NATO tagt nicht.
            ## Add «Nato» to gazette.toml []
            //- gazette.toml (created)
            [[entity]]
            name = "Nato"
            kind = "org"
            ## Mark «Nato» as not a name []
            //- gazette.toml (created)
            ignore = ["Nato"]
        "#);
    }

    #[test]
    fn an_unknown_name_changed_to_the_frequent_one() {
        assert_snapshot!(check(r#"
            //- a.txt
            Der Generalsekretär Jens Stoltenburg$0 sagte am Montag, die Allianz sei bereit.
            //- b.txt
            Jens Stoltenberg sprach. Danach sagte Jens Stoltenberg mehr. Jens Stoltenberg ging.
            //- gazette.toml
            ignore = ["Allianz"]
            "#), @r#"
            ## Change to «Jens Stoltenberg» [quick fix, preferred]
            //- a.txt
            Der Generalsekretär Jens Stoltenberg sagte am Montag, die Allianz sei bereit.
            ## Add «Jens Stoltenburg» to gazette.toml []
            //- gazette.toml
            ignore = ["Allianz"]

            [[entity]]
            name = "Jens Stoltenburg"
            kind = "person"
            ## Mark «Jens Stoltenburg» as not a name []
            //- gazette.toml
            ignore = ["Allianz", "Jens Stoltenburg"]
        "#);
    }

    #[test]
    fn a_capitalised_run_that_is_no_name_yet() {
        assert_snapshot!(check(r#"
            Das sagte der frühere NATO-Beamte Jamie Sh$0ea gestern.
            "#), @r#"
            ## Add «Jamie Shea» to gazette.toml []
            //- gazette.toml (created)
            [[entity]]
            name = "Jamie Shea"
            kind = "person"
            ## Mark «Jamie Shea» as not a name []
            //- gazette.toml (created)
            ignore = ["Jamie Shea"]
        "#);
    }

    #[test]
    fn a_name_the_knowledge_base_defines() {
        assert_snapshot!(check(r#"
            //- a.txt
            Der ukrainische Präsident Zelensky$0 traf in Kiew Selenskyj-Berater.
            //- gazette.toml
            ignore = ["Drohen"]

            [[entity]]
            name = "Wolodymyr Selenskyj"
            kind = "person"
            aliases = ["Selenskyj", "Zelensky"]
            "#), @r#"
            ## Mark «Zelensky» as not a name []
            //- gazette.toml
            ignore = ["Drohen", "Zelensky"]

            [[entity]]
            name = "Wolodymyr Selenskyj"
            kind = "person"
            aliases = ["Selenskyj", "Zelensky"]
        "#);
    }

    #[test]
    fn a_selection_and_nothing() {
        assert_snapshot!(check(r#"
            Am Montag sprach $0Olaf Scholz$0 in Berlin.
            "#), @r#"
            ## Add «Olaf Scholz» to gazette.toml []
            //- gazette.toml (created)
            [[entity]]
            name = "Olaf Scholz"
            kind = "person"
            ## Mark «Olaf Scholz» as not a name []
            //- gazette.toml (created)
            ignore = ["Olaf Scholz"]
        "#);
        assert_snapshot!(check(r#"
            Am Montag sprach Olaf Scholz $0in Berlin.
            "#), @"none");
        assert_snapshot!(check(r#"
            //- a.txt
            Olaf Scholz sprach.
            //- gazette.toml
            [[entity]]
            name = "Olaf Scholz$0"
            kind = "person"
            "#), @"none");
    }

    /// The annotation actions at the cursor (or for the selection), with
    /// no store yet: title, kind, and the line each writes (quote, label,
    /// entity, status).
    fn check_annotations(fixture: &str) -> String {
        use gazette_core::annotations::{Annotation, Annotations};
        let f = Fixture::parse(fixture);
        let root = f.corpus.path(f.doc).parent().unwrap().to_path_buf();
        let anns = Annotations::parse(Some(root.as_path()), "");
        let store = StoreView {
            text: None,
            annotations: &anns,
        };
        let path = f.corpus.path(f.doc).to_path_buf();
        let actions = annotation_actions(&f.corpus, f.doc, &path, f.cursor_text(), f.range, &store);
        let mut out = String::new();
        for a in &actions {
            let kind = a.annotate.map_or("-", Annotate::as_str);
            out += &format!("## {} [{kind}]\n", a.title);
            for e in &a.edits {
                let Edit::Store { create, text, .. } = e else {
                    panic!("not a store edit: {e:?}");
                };
                assert!(*create, "no store yet: the edit creates it");
                let parsed = Annotations::parse(None, text);
                assert!(parsed.errors.is_empty(), "{text}");
                for (_, a) in parsed.iter() {
                    let a: Annotation = a.clone();
                    let entity = a.entity.map(|e| format!(" → {e}")).unwrap_or_default();
                    out += &format!(
                        "{:?}: {}{entity} ({})\n",
                        a.exact,
                        a.label.as_str(),
                        a.status.as_str()
                    );
                }
            }
        }
        if out.is_empty() {
            out = "none".into();
        }
        out
    }

    #[test]
    fn annotation_actions_on_a_mention_each_with_its_kind() {
        assert_snapshot!(check_annotations(r#"
            Am Montag sprach Olaf Scholz in Ber$0lin.
            "#), @r#"
        ## Annotate: person here [person]
        "Berlin": person (corrected)
        ## Annotate: organisation here [organisation]
        "Berlin": organisation (corrected)
        ## Annotate: other name here [other]
        "Berlin": other (corrected)
        ## Annotate: not a name here [not-a-name]
        "Berlin": not-a-name (corrected)
        ## Annotate: confirm as place [confirm]
        "Berlin": place (confirmed)
        ## Annotate: a different Berlin [different]
        "Berlin": place → Berlin (2) (corrected)
        "#);
    }

    #[test]
    fn same_as_the_names_of_the_article() {
        assert_snapshot!(check_annotations(r#"
            //- a.txt
            Maria Müller traf Maria Schmidt in Berlin. Danach sprach Maria$0 lange mit Maria Müller.
            //- b.txt
            Maria Weber kam nicht.
            "#), @r#"
        ## Annotate: place here [place]
        "Maria": place (corrected)
        ## Annotate: organisation here [organisation]
        "Maria": organisation (corrected)
        ## Annotate: other name here [other]
        "Maria": other (corrected)
        ## Annotate: not a name here [not-a-name]
        "Maria": not-a-name (corrected)
        ## Annotate: confirm as person [confirm]
        "Maria": person (confirmed)
        ## Annotate: a different Maria [different]
        "Maria": person → Maria (2) (corrected)
        ## Annotate: same as «Maria Müller» [same-as]
        "Maria": person → Maria Müller (corrected)
        ## Annotate: same as «Maria Schmidt» [same-as]
        "Maria": person → Maria Schmidt (corrected)
        "#);
    }

    #[test]
    fn same_as_the_full_names_of_the_corpus() {
        assert_snapshot!(check_annotations(r#"
            //- a.txt
            Der russische Präsident Wladimir Putin sprach in Moskau.
            //- b.txt
            Ljudmila Putin reiste nach Paris. Ljudmila Putin blieb dort.
            //- c.txt
            Am Abend sagte Putin$0 nichts mehr.
            "#), @r#"
        ## Annotate: place here [place]
        "Putin": place (corrected)
        ## Annotate: organisation here [organisation]
        "Putin": organisation (corrected)
        ## Annotate: other name here [other]
        "Putin": other (corrected)
        ## Annotate: not a name here [not-a-name]
        "Putin": not-a-name (corrected)
        ## Annotate: confirm as person [confirm]
        "Putin": person (confirmed)
        ## Annotate: a different Putin [different]
        "Putin": person → Putin (2) (corrected)
        ## Annotate: same as «Ljudmila Putin» [same-as]
        "Putin": person → Ljudmila Putin (corrected)
        ## Annotate: same as «Wladimir Putin» [same-as]
        "Putin": person → Wladimir Putin (corrected)
        "#);
    }

    #[test]
    fn annotation_actions_on_a_selection_and_nowhere() {
        assert_snapshot!(check_annotations(r#"
            Am Montag $0sprach$0 Olaf Scholz in Berlin.
            "#), @r#"
        ## Annotate «sprach» as person [person]
        "sprach": person (added)
        ## Annotate «sprach» as place [place]
        "sprach": place (added)
        ## Annotate «sprach» as organisation [organisation]
        "sprach": organisation (added)
        ## Annotate «sprach» as other name [other]
        "sprach": other (added)
        "#);
        assert_snapshot!(check_annotations(r#"
            Am Montag sprach Olaf Scholz $0in Berlin.
            "#), @"none");
    }

    #[test]
    fn split_names() {
        assert_eq!(split_base("Maria (2)"), "Maria");
        assert_eq!(split_base("Maria Müller (12)"), "Maria Müller");
        assert_eq!(split_base("Maria"), "Maria");
        assert_eq!(split_base("Partei (Die Linke)"), "Partei (Die Linke)");
        assert_eq!(split_base("()"), "()");
        assert_eq!(split_base(" ()"), " ()");
    }

    #[test]
    fn annotation_kinds_are_distinct() {
        let names: std::collections::HashSet<&str> =
            Annotate::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names.len(), Annotate::ALL.len());
    }

    #[test]
    fn capitalised_runs() {
        let t = "Das sagte der frühere NATO-Beamte Jamie Shea gestern.";
        let off = t.find("Shea").unwrap() + 1;
        let s = capitalised_run(t, off).unwrap();
        assert_eq!(&t[s.range()], "Jamie Shea");
        assert!(capitalised_run(t, t.find("sagte").unwrap()).is_none());
        let t2 = "Jamie Shea sagte.";
        assert_eq!(&t2[capitalised_run(t2, 2).unwrap().range()], "Jamie Shea");
    }

    #[test]
    fn ignore_insertion() {
        let text = "ignore = [\"Drohen\"]\n";
        let (kb, _) = kb::parse(text);
        let kb = kb.unwrap();
        let view = KbView {
            text: Some(text),
            kb: Some(&kb),
        };
        let Edit::Kb {
            offset, text: ins, ..
        } = kb_insert_ignore(&view, "Kreml")
        else {
            panic!()
        };
        let mut t = text.to_string();
        t.insert_str(offset, &ins);
        assert_eq!(t, "ignore = [\"Drohen\", \"Kreml\"]\n");
        let empty = KbView {
            text: None,
            kb: None,
        };
        assert_eq!(
            kb_insert_ignore(&empty, "X"),
            Edit::Kb {
                create: true,
                offset: 0,
                text: "ignore = [\"X\"]\n".into()
            }
        );
    }

    #[test]
    fn store_edits_keep_the_order_and_replace_what_they_overlap() {
        use gazette_core::annotations::{edit_text, Annotation, Annotations, Label, Status};
        let art = "Anna traf Berta und Clara.";
        let root = std::path::Path::new("/c");
        let path = root.join("a.txt");
        let mk = |w: &str, l: Label| {
            let s = art.find(w).unwrap();
            Annotation::new(
                "a.txt",
                art,
                Span::new(s, s + w.len()),
                l,
                None,
                Status::Added,
            )
        };
        let text = edit_text(
            "",
            &[],
            &[mk("Anna", Label::Person), mk("Clara", Label::Person)],
        );
        let anns = Annotations::parse(Some(root), &text);
        let view = StoreView {
            text: Some(&text),
            annotations: &anns,
        };
        let apply = |edits: Vec<Edit>| {
            let mut t = text.clone();
            for e in edits.iter().rev() {
                if let Edit::Store { span, text: x, .. } = e {
                    t.replace_range(span.range(), x);
                }
            }
            t
        };
        let exacts = |t: &str| -> Vec<String> {
            Annotations::parse(Some(root), t)
                .iter()
                .map(|(_, a)| format!("{}:{}", a.exact, a.label.as_str()))
                .collect()
        };
        let t = apply(store_edits(&view, art, &path, &mk("Berta", Label::Place)));
        assert_eq!(exacts(&t), ["Anna:person", "Berta:place", "Clara:person"]);
        let t = apply(store_edits(
            &view,
            art,
            &path,
            &mk("Clara", Label::NotAName),
        ));
        assert_eq!(exacts(&t), ["Anna:person", "Clara:not-a-name"]);
        // A line that does not parse stays; no store yet: it is created.
        let broken = format!("{text}{{oops\n");
        let anns2 = Annotations::parse(Some(root), &broken);
        let view2 = StoreView {
            text: Some(&broken),
            annotations: &anns2,
        };
        let e = store_edits(&view2, art, &path, &mk("Berta", Label::Place));
        assert!(matches!(e[0], Edit::Store { create: false, .. }));
        let empty = Annotations::default();
        let e = store_edits(
            &StoreView {
                text: None,
                annotations: &empty,
            },
            art,
            &path,
            &mk("Anna", Label::Person),
        );
        assert!(matches!(&e[0], Edit::Store { create: true, span, .. } if span.is_empty()));
    }
}
