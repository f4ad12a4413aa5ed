//! `gazette export` and `gazette import`: annotated articles to and from
//! brat, WebAnno TSV, UIMA CAS XMI, CoNLL and spaCy/Prodigy JSON Lines
//! (the codecs are `gazette_core::annotations::formats`).

use gazette_core::analysis::analyze_at;
use gazette_core::annotations::formats::{self, Doc, DocSpan, Format};
use gazette_core::annotations::{self, anchor_all, Annotation, Annotations, Label, Status};
use gazette_core::text::escape;
use gazette_core::workspace::{read_text, write_atomic, WorkspaceConfig};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What an export holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Include {
    /// The machine's mentions, as if there were no annotations.
    Machine,
    /// The store's annotations only (those with an entity label).
    Annotations,
    /// The analysis with the annotations applied (they win).
    Both,
}

impl Include {
    pub fn parse(s: &str) -> Option<Include> {
        match s {
            "machine" => Some(Include::Machine),
            "annotations" => Some(Include::Annotations),
            "both" => Some(Include::Both),
            _ => None,
        }
    }
}

fn parse_format(f: &str) -> anyhow::Result<Format> {
    Format::parse(f).ok_or_else(|| anyhow::anyhow!("unknown format {f:?}"))
}

/// The articles of `paths` as interchange documents.
fn documents(paths: &[PathBuf], include: Include) -> anyhow::Result<(PathBuf, Vec<Doc>)> {
    let (results, _, store) = super::load_with(paths, include != Include::Machine)?;
    let store = store.ok_or_else(|| anyhow::anyhow!("no corpus folder"))?;
    let root = store
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut docs = Vec::new();
    for r in results {
        let Ok((decoded, analysis)) = r.outcome else {
            continue;
        };
        let Some(rel) = store.annotations.rel_path(&r.path) else {
            anyhow::bail!(
                "{} is outside the corpus root {}",
                escape::path(&r.path),
                escape::path(&root)
            );
        };
        let text = decoded.text;
        let spans: Vec<DocSpan> = match include {
            Include::Annotations => {
                let anns = store.annotations.for_path(&r.path);
                let (placed, _) = anchor_all(&text, anns);
                placed
                    .into_iter()
                    .filter_map(|(i, span)| {
                        let a = &anns[i].1;
                        Some(DocSpan {
                            span,
                            kind: a.label.kind()?,
                            entity: a.entity.clone(),
                        })
                    })
                    .collect()
            }
            _ => {
                // An annotation's entity, where one is in force.
                let anns = store.annotations.for_path(&r.path);
                let (placed, _) = if include == Include::Both {
                    anchor_all(&text, anns)
                } else {
                    Default::default()
                };
                analysis
                    .mentions
                    .iter()
                    .map(|m| DocSpan {
                        span: m.span(),
                        kind: m.kind,
                        entity: placed
                            .iter()
                            .find(|(_, s)| *s == m.span())
                            .and_then(|(i, _)| anns[*i].1.entity.clone()),
                    })
                    .collect()
            }
        };
        docs.push(Doc {
            path: rel,
            text,
            spans,
        });
    }
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((root, docs))
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_atomic(path, text.as_bytes()).map_err(|e| anyhow::anyhow!("{}: {e}", escape::path(path)))
}

/// The file of an article in a per-article format: `a.txt` → `a.ann`.
fn beside(article: &Path, f: Format) -> PathBuf {
    article.with_extension(f.extension())
}

/// `gazette export`: writes the articles of `paths` in format `f`.
/// Per-article formats go beside each article, or with `out` under that
/// folder (each article's text copied there, as `.txt`, beside its file);
/// the others to `out` as one file, or to stdout.
pub fn export(
    paths: &[PathBuf],
    format: &str,
    include: &str,
    out: Option<&Path>,
) -> anyhow::Result<i32> {
    let f = parse_format(format)?;
    let include =
        Include::parse(include).ok_or_else(|| anyhow::anyhow!("unknown --include {include:?}"))?;
    let (root, docs) = documents(paths, include)?;
    let spans: usize = docs.iter().map(|d| d.spans.len()).sum();
    if f.per_article() {
        for d in &docs {
            let article = match out {
                Some(o) => o.join(&d.path).with_extension("txt"),
                None => root.join(&d.path),
            };
            if out.is_some() {
                write(&article, &d.text)?;
            }
            let body = match f {
                Format::Brat => formats::render_brat(d),
                Format::WebannoTsv => formats::render_webanno(d),
                Format::Xmi => formats::render_xmi(d)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", escape::line(&d.path)))?,
                _ => unreachable!("per-article formats"),
            };
            write(&beside(&article, f), &body)?;
        }
        if f == Format::Xmi {
            write(
                &out.unwrap_or(&root).join("TypeSystem.xml"),
                formats::TYPESYSTEM_XML,
            )?;
        }
    } else {
        let body = match f {
            Format::Jsonl => formats::render_jsonl(&docs),
            _ => formats::render_conll(&docs),
        };
        match out {
            Some(o) => write(o, &body)?,
            None => {
                use std::io::Write;
                std::io::stdout().write_all(body.as_bytes())?;
            }
        }
    }
    eprintln!(
        "gazette: exported {spans} spans of {} articles as {}",
        docs.len(),
        f.as_str()
    );
    Ok(0)
}

/// Import files are read like articles: regular files, this size limit.
const MAX_IMPORT_SIZE: u64 = 256 << 20;

/// The article a per-article file belongs to: `a.ann` → `a.txt` (or `a.md`).
fn article_of(file: &Path) -> Option<PathBuf> {
    ["txt", "md"]
        .iter()
        .map(|e| file.with_extension(e))
        .find(|p| p.is_file())
}

/// The files of format `f` among `paths` (folders are searched).
fn import_files(paths: &[PathBuf], f: Format) -> anyhow::Result<Vec<PathBuf>> {
    let cfg = WorkspaceConfig {
        include: vec![format!("**/*.{}", f.extension())],
        exclude: Vec::new(),
        max_file_size: MAX_IMPORT_SIZE,
    };
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(gazette_core::workspace::discover(p, &cfg)?);
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn read(path: &Path) -> anyhow::Result<String> {
    read_text(path, MAX_IMPORT_SIZE, None)
        .map(|d| d.text)
        .map_err(|e| anyhow::anyhow!("{}: {}", escape::path(path), escape::line(&e.to_string())))
}

/// `gazette import`: reads annotated articles in format `f` and writes
/// them to the annotation store of the corpus each article belongs to.
/// Each imported article is taken as fully annotated: its spans become
/// annotations (confirmed where the machine agrees, corrected where it
/// found something else there, added where it found nothing), and,
/// unless `partial`, every machine mention the import does not cover is
/// annotated `not-a-name`. Its previous annotations are replaced.
pub fn import(paths: &[PathBuf], format: &str, partial: bool) -> anyhow::Result<i32> {
    let f = parse_format(format)?;
    // (article path, spans)
    let mut articles: Vec<(PathBuf, Vec<DocSpan>)> = Vec::new();
    for file in import_files(paths, f)? {
        let body = read(&file)?;
        let ctx = |e: String| anyhow::anyhow!("{}: {}", escape::path(&file), escape::line(&e));
        if f.per_article() {
            let article = article_of(&file).ok_or_else(|| {
                ctx("no article (.txt or .md) beside it with the same name".into())
            })?;
            let text = read(&article)?;
            let spans = match f {
                Format::Brat => formats::parse_brat(&text, &body),
                Format::WebannoTsv => formats::parse_webanno(&text, &body),
                _ => formats::parse_xmi(&body).and_then(|(t, s)| {
                    if t == text {
                        Ok(s)
                    } else {
                        Err(format!(
                            "its text differs from the article {}",
                            escape::path(&article)
                        ))
                    }
                }),
            }
            .map_err(ctx)?;
            articles.push((article, spans));
            continue;
        }
        let root = super::corpus_root(std::slice::from_ref(&file))
            .ok_or_else(|| ctx("no corpus folder".into()))?;
        let resolve = |p: &str| -> anyhow::Result<PathBuf> {
            let rel = Path::new(p);
            if rel.is_absolute() || rel.components().any(|c| c.as_os_str() == "..") {
                return Err(ctx(format!("article path {p:?} is not inside the corpus")));
            }
            Ok(root.join(rel))
        };
        match f {
            Format::Jsonl => {
                for d in formats::parse_jsonl(&body).map_err(ctx)? {
                    let article = resolve(&d.path)?;
                    if read(&article)? != d.text {
                        return Err(ctx(format!(
                            "the text of {:?} differs from the article",
                            d.path
                        )));
                    }
                    articles.push((article, d.spans));
                }
            }
            _ => {
                for (p, tokens) in formats::parse_conll(&body).map_err(ctx)? {
                    let article = resolve(&p)?;
                    let text = read(&article)?;
                    let spans = formats::align_conll(&text, &tokens)
                        .map_err(|e| ctx(format!("{p}: {e}")))?;
                    articles.push((article, spans));
                }
            }
        }
    }
    if articles.is_empty() {
        anyhow::bail!(
            "no {} files under {}",
            f.as_str(),
            super::display_list(paths)
        );
    }
    // Per corpus: the store, and the machine's analysis to compare with.
    let mut by_root: BTreeMap<PathBuf, Vec<(PathBuf, Vec<DocSpan>)>> = BTreeMap::new();
    for (a, s) in articles {
        let root = super::corpus_root(std::slice::from_ref(&a))
            .ok_or_else(|| anyhow::anyhow!("{}: no corpus folder", escape::path(&a)))?;
        by_root.entry(root).or_default().push((a, s));
    }
    for (root, arts) in by_root {
        let store_path = root.join(annotations::FILE_NAME);
        let old = super::find_store(std::slice::from_ref(&root))?
            .map(|s| s.text)
            .unwrap_or_default();
        let parsed = Annotations::parse(Some(&root), &old);
        let overrides = super::find_kb(std::slice::from_ref(&root))
            .and_then(|k| k.kb.map(|k| k.overrides()))
            .unwrap_or_default()
            .with_annotations(Arc::new(Annotations::default()));
        let mut remove: Vec<u32> = Vec::new();
        let mut add: Vec<Annotation> = Vec::new();
        for (article, spans) in &arts {
            let text = read(article)?;
            let rel = parsed.rel_path(article).ok_or_else(|| {
                anyhow::anyhow!(
                    "{} is outside {}",
                    escape::path(article),
                    escape::path(&root)
                )
            })?;
            remove.extend(parsed.for_path(article).iter().map(|(l, _)| *l));
            let machine = analyze_at(article, &text, &overrides).mentions;
            for s in spans {
                let same = machine.iter().find(|m| m.span() == s.span);
                let status = match same {
                    Some(m)
                        if m.kind == s.kind
                            && s.entity.as_deref().is_none_or(|e| e == m.norm.as_str()) =>
                    {
                        Status::Confirmed
                    }
                    _ if machine.iter().any(|m| m.span().overlaps(s.span)) => Status::Corrected,
                    _ => Status::Added,
                };
                add.push(Annotation::new(
                    &rel,
                    &text,
                    s.span,
                    Label::from_kind(s.kind),
                    s.entity.clone(),
                    status,
                ));
            }
            if !partial {
                for m in &machine {
                    if !spans.iter().any(|s| s.span.overlaps(m.span())) {
                        add.push(Annotation::new(
                            &rel,
                            &text,
                            m.span(),
                            Label::NotAName,
                            None,
                            Status::Corrected,
                        ));
                    }
                }
            }
        }
        add.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let new = annotations::edit_text(&old, &remove, &add);
        write(&store_path, &new)?;
        eprintln!(
            "gazette: {} annotations of {} articles written to {}",
            add.len(),
            arts.len(),
            escape::path(&store_path)
        );
    }
    Ok(0)
}
