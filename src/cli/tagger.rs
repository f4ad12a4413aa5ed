//! `gazette train | tag | eval`.

use anyhow::Context;
use gazette_core::tagger::data::{self, Format, TokenFile};
use gazette_core::tagger::train::{self, Config};
use gazette_core::tagger::Tagger;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Data directory (with ner/, lexicon/, gazetteers/).
    #[arg(long, default_value_t = format!("{REPO}/../shared/data"))]
    pub data: String,
    /// Where to write the model.
    #[arg(long, default_value_t = format!("{REPO}/data/model/de-ner.bin"))]
    pub out: String,
    #[arg(long, default_value_t = Config::default().epochs)]
    pub epochs: usize,
    /// log2 of the weight table rows.
    #[arg(long, default_value_t = Config::default().bits)]
    pub bits: u32,
    #[arg(long, default_value_t = Config::default().top_k)]
    pub clusters: usize,
    /// Capitalised words among this many most frequent also get their cluster.
    #[arg(long, default_value_t = Config::default().top_cap)]
    pub clusters_cap: usize,
    #[arg(long, default_value_t = Config::default().germeval_copies)]
    pub germeval_copies: usize,
    /// Seed of the shuffle between epochs.
    #[arg(long, default_value_t = Config::default().seed)]
    pub seed: u64,
    /// Train on the validation split too (the final model).
    #[arg(long)]
    pub include_validation: bool,
    /// Also train on the (noisy OCR, 19th/20th-century) Europeana newspapers
    /// (off by default: -0.9 micro F1 in 5-fold cross-validation).
    #[arg(long)]
    pub europeana: bool,
    /// Leave out the SmartData corpus.
    #[arg(long)]
    pub no_smartdata: bool,
    /// Percentage of SmartData sentences without mentions to keep.
    #[arg(long, default_value_t = Config::default().smartdata_empty_pct)]
    pub smartdata_empty_pct: usize,
    /// No domain-specific feature copies for SmartData/Europeana.
    #[arg(long)]
    pub no_domain_features: bool,
    /// Leave out Universal NER (German PUD).
    #[arg(long)]
    pub no_uner: bool,
    /// Hand-annotated news articles written for the project (`*.gold` in
    /// this folder and below), trained on as a domain of their own.
    #[arg(long, default_value_t = format!("{REPO}/data/train/written-news"))]
    pub written: String,
    /// Leave out the written articles.
    #[arg(long)]
    pub no_written: bool,
    /// Copies of the written articles' sentences.
    #[arg(long, default_value_t = Config::default().written_copies)]
    pub written_copies: usize,
    /// Also write the validation split (GermEval TSV) to this file.
    #[arg(long)]
    pub write_validation: Option<String>,
    /// K-fold cross-validation over GermEval dev (fold = sentence index % K)
    /// instead of training the model: reports per-fold and mean scores,
    /// writes no model.
    #[arg(long)]
    pub folds: Option<usize>,
}

#[derive(clap::Args, Debug)]
pub struct TagArgs {
    /// Input layout: germeval (idx, token, …) or conll (token … tag); guessed when absent.
    #[arg(long)]
    pub format: Option<String>,
    /// `tagger`: the statistical tagger alone (the default: it scores best on
    /// GermEval-style data); `pipeline`: gazette's whole recognizer (tagger +
    /// rules + gazetteers, what the language server runs).
    #[arg(long, default_value = "tagger", value_parser = ["pipeline", "tagger"])]
    pub engine: String,
    /// Use this model file instead of the embedded one.
    #[arg(long)]
    pub model: Option<String>,
    pub file: String,
}

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Token files: germeval or conll (guessed when absent). For a folder of
    /// hand-annotated articles (`NN.txt` + `NN.gold`): `table` (default) or `json`.
    #[arg(long)]
    pub format: Option<String>,
    /// For a folder of annotated articles: also list every error, the wrong
    /// merges and the splits.
    #[arg(long)]
    pub errors: bool,
    /// `tagger` (the statistical tagger alone, default) or `pipeline` (the product's recognizer).
    #[arg(long, default_value = "tagger", value_parser = ["pipeline", "tagger"])]
    pub engine: String,
    /// Use this model file instead of the embedded one (for a folder of
    /// annotated articles: in the whole product's analysis).
    #[arg(long)]
    pub model: Option<String>,
    pub file: String,
}

fn read_model(p: &str) -> anyhow::Result<Tagger> {
    let bytes = gazette_core::workspace::read_file(std::path::Path::new(p), u64::MAX, None)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("reading {p}"))?
        .bytes;
    Tagger::from_bytes(&bytes)
}

fn load_tagger(model: &Option<String>) -> anyhow::Result<&'static Tagger> {
    Ok(match model {
        Some(p) => Box::leak(Box::new(read_model(p)?)),
        None => Tagger::global(),
    })
}

fn parse_format(f: &Option<String>, text: &str) -> anyhow::Result<Format> {
    Ok(match f.as_deref() {
        None => data::detect_format(text),
        Some("germeval") => Format::GermEval,
        Some("conll") | Some("iob2") | Some("bio") => Format::Conll,
        Some(x) => anyhow::bail!("unknown format {x:?} (germeval, conll)"),
    })
}

fn tag_file(tagger: &Tagger, file: &TokenFile, engine: &str) -> Vec<String> {
    let mut labels = Vec::new();
    for s in file.sentences() {
        let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
        if engine == "pipeline" {
            labels.extend(gazette_core::tagger::pipeline::tag_sentence(&words));
        } else {
            labels.extend(
                tagger
                    .tag(&words)
                    .into_iter()
                    .map(|l| l.as_str().to_string()),
            );
        }
    }
    labels
}

pub fn train(args: TrainArgs) -> anyhow::Result<()> {
    let cfg = Config {
        bits: args.bits,
        epochs: args.epochs,
        top_k: args.clusters,
        top_cap: args.clusters_cap,
        germeval_copies: args.germeval_copies,
        include_validation: args.include_validation,
        europeana: args.europeana,
        smartdata: !args.no_smartdata,
        uner: !args.no_uner,
        domain_features: !args.no_domain_features,
        smartdata_empty_pct: args.smartdata_empty_pct,
        seed: args.seed,
        written: (!args.no_written).then(|| PathBuf::from(&args.written)),
        written_copies: args.written_copies,
    };
    let data_dir = PathBuf::from(&args.data);
    let t0 = Instant::now();
    if let Some(k) = args.folds {
        let evals = train::cross_validate(&data_dir, &cfg, k, &mut |l| eprintln!("{l}"))?;
        println!(
            "{k}-fold cross-validation over GermEval dev ({cfg:?}):\n{}",
            train::cv_report(&evals)
        );
        return Ok(());
    }
    let (model, ev) = train::run(&data_dir, &cfg, &mut |l| eprintln!("{l}"))?;
    let bytes = model.encode()?;
    gazette_core::workspace::write_atomic(std::path::Path::new(&args.out), &bytes)
        .with_context(|| format!("writing {}", args.out))?;
    eprintln!(
        "wrote {} ({:.2} MB) in {:.1}s total",
        args.out,
        bytes.len() as f64 / 1e6,
        t0.elapsed().as_secs_f32()
    );
    if let Some(p) = &args.write_validation {
        let corpora = train::load_corpora(
            &data_dir,
            &Config {
                europeana: false,
                ..cfg.clone()
            },
        )?;
        let mut out = String::new();
        for s in &corpora.validation {
            for (i, (w, t)) in s.words.iter().zip(&s.tags).enumerate() {
                out.push_str(&format!("{}\t{}\t{}\tO\n", i + 1, w, t));
            }
            out.push('\n');
        }
        gazette_core::workspace::write_atomic(std::path::Path::new(p), out.as_bytes())?;
    }
    println!(
        "validation (GermEval dev, every 5th sentence{}):\n{}",
        if cfg.include_validation {
            ", TRAINED ON"
        } else {
            ", held out"
        },
        ev.report()
    );
    Ok(())
}

pub fn tag(args: TagArgs) -> anyhow::Result<()> {
    let text = data::read_text(args.file.as_ref())?;
    let file = TokenFile::parse(&text, parse_format(&args.format, &text)?);
    let tagger = load_tagger(&args.model)?;
    let labels = tag_file(tagger, &file, &args.engine);
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let written = out
        .write_all(file.write_tagged(&labels).as_bytes())
        .and_then(|_| out.flush());
    match written {
        // `gazette tag … | head` is fine.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

pub fn eval(args: EvalArgs) -> anyhow::Result<()> {
    let path = std::path::Path::new(&args.file);
    let t0 = Instant::now();
    if let Some(m) = &args.model {
        // The whole analysis (`--engine pipeline`, a folder) runs with this
        // model in place of the shipped one.
        read_model(m)?.install_global()?;
    }
    if path.is_dir() {
        // Hand-annotated articles: the whole product, as `gazette entities` runs it.
        let report = crate::cli::score::score_dir(path)?;
        match args.format.as_deref() {
            None | Some("table") => print!("{}", crate::cli::score::table(&report, args.errors)),
            Some("json") => println!("{}", serde_json::to_string_pretty(&report)?),
            Some(x) => anyhow::bail!("unknown format {x:?} for a folder (table, json)"),
        }
        return Ok(());
    }
    let text = data::read_text(args.file.as_ref())?;
    let file = TokenFile::parse(&text, parse_format(&args.format, &text)?);
    let tagger = Tagger::global();
    let load = t0.elapsed();
    let t1 = Instant::now();
    let sents = file.sentences();
    let ev = if args.engine == "pipeline" {
        let labels = tag_file(tagger, &file, "pipeline");
        let mut ev = gazette_core::tagger::eval::Evaluation::default();
        let mut k = 0;
        for s in &sents {
            ev.add(&s.tags, &labels[k..k + s.words.len()]);
            k += s.words.len();
        }
        ev
    } else {
        train::evaluate(tagger, &sents)
    };
    let tokens: usize = sents.iter().map(|s| s.words.len()).sum();
    print!("{}", ev.report());
    eprintln!(
        "{} sentences, {} tokens; model load {:.0} ms, tagging {:.0} ms",
        sents.len(),
        tokens,
        load.as_secs_f64() * 1e3,
        t1.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}
