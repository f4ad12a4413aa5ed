//! The `gazette` binary: the language server and its command-line twins.

use clap::{Parser, Subcommand};
use gazette_core::text::position::PositionEncoding;
use gazette_ide::Severity;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gazette",
    version,
    about = "People, places, organisations and figures across a corpus of news articles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server on stdin/stdout.
    Lsp,
    /// Export the entities and figures found in files or folders.
    Entities {
        /// Output format.
        #[arg(long, default_value = "table", value_parser = ["json", "table"])]
        format: String,
        /// Unit of the `character` column in JSON output.
        #[arg(long, default_value = "utf-16", value_parser = ["utf-8", "utf-16", "utf-32"])]
        position_encoding: String,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print diagnostics like a linter; exit code 1 when any reaches --fail-on.
    Check {
        /// Lowest severity that fails the run.
        #[arg(long, default_value = "warning", value_parser = ["error", "warning", "info", "hint"])]
        fail_on: String,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// The review queue: the machine's mentions not reviewed yet, least
    /// certain first (path, byte span, text, label, score), and the progress.
    Review {
        /// json: an array in queue order (progress on stderr); table: for reading.
        #[arg(long, default_value = "table", value_parser = ["json", "table"])]
        format: String,
        /// Print only the first N items.
        #[arg(long)]
        limit: Option<usize>,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write the corpus map (who appears with whom, when, which figures
    /// disagree) as one self-contained HTML page.
    Report(gazette::cli::report::ReportArgs),
    /// Write the corpus's annotated articles for brat, INCEpTION, spaCy/Prodigy or CoNLL tools.
    Export {
        /// brat: a standoff `.ann` beside each `.txt`; webanno-tsv: WebAnno TSV 3.3 per
        /// article; xmi: UIMA CAS XMI per article (DKPro Core NamedEntity) and TypeSystem.xml;
        /// conll: CoNLL/GermEval BIO; jsonl: spaCy/Prodigy JSON Lines.
        #[arg(long, value_parser = ["brat", "webanno-tsv", "xmi", "conll", "jsonl"])]
        format: String,
        /// machine: the machine's mentions; annotations: the annotation store's only;
        /// both: the analysis with the annotations in force.
        #[arg(long, default_value = "both", value_parser = ["machine", "annotations", "both"])]
        include: String,
        /// Output: a folder for brat, webanno-tsv and xmi (each article's text is copied
        /// there), a file for conll and jsonl. Default: beside each article / stdout.
        #[arg(short = 'o', long = "output")]
        out: Option<PathBuf>,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Read annotated articles and write them to the annotation store of their corpus.
    Import {
        #[arg(long, value_parser = ["brat", "webanno-tsv", "xmi", "conll", "jsonl"])]
        format: String,
        /// Only the spans given: machine mentions the import does not cover stay
        /// (by default each imported article counts as fully annotated).
        #[arg(long)]
        partial: bool,
        /// Files or folders (brat: each `.ann` beside its `.txt`).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Train the NER model from the annotated corpora.
    Train(gazette::cli::tagger::TrainArgs),
    /// Tag a GermEval/CoNLL token file: each token line gets the predicted label appended.
    Tag(gazette::cli::tagger::TagArgs),
    /// Evaluate the tagger on a GermEval/CoNLL file (exact spans, outer level), or the
    /// whole product on a folder of hand-annotated articles (`NN.txt` + `NN.gold`).
    Eval(gazette::cli::tagger::EvalArgs),
    /// Analyse articles given as JSON lines on stdin (`{"path": …, "text": …}` or
    /// `{"path": …, "base64": …}`) and write their rows (documents, mentions,
    /// figures) as JSON lines on stdout: the editor's analysis, for batch jobs.
    Analyze {
        /// JSON lines in and out (the only format).
        #[arg(long, required = true)]
        jsonl: bool,
        /// A knowledge base (`gazette.toml`) whose names the analysis uses.
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// The shared archive on PostgreSQL.
    #[command(subcommand)]
    Archive(ArchiveCommand),
    /// Generate a reproducible synthetic news corpus for benchmarks.
    BenchCorpus {
        /// Number of articles.
        #[arg(long, default_value_t = 1000)]
        articles: u64,
        /// Random seed: the same seed gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output folder.
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ArchiveCommand {
    /// Analyse a folder, link it as one corpus and replace the archive's
    /// tables with it (bulk loads with COPY). The password comes from
    /// PGPASSWORD or ~/.pgpass, as with libpq.
    Build {
        /// The folder of articles.
        dir: PathBuf,
        /// postgresql://user@host:port/database (no password here).
        #[arg(long)]
        database: String,
    },
    /// Print the archive's schema (tables, then `-- indexes` and the indexes).
    Schema,
}

fn init_logging(to_stderr: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GAZETTE_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(if to_stderr { "warn" } else { "error" })
    });
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .with_ansi(false)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(true);
    // The model and the gazetteers load on threads of their own while the
    // client shakes hands or the files are listed (the server's allocator is
    // set up first: before any other thread exists).
    let preload = || drop(std::thread::spawn(gazette_core::analysis::load_models));
    if matches!(
        cli.command,
        Command::Entities { .. } | Command::Check { .. } | Command::Review { .. }
    ) {
        preload();
    }
    let result = match cli.command {
        Command::Lsp => {
            gazette_lsp::memory::configure_for_server();
            preload();
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("tokio runtime");
            let shutdown_first = rt.block_on(gazette_lsp::run_stdio());
            // Do not wait for background work (indexing, watchers): the
            // client has gone. 0 after `shutdown`, 1 otherwise (LSP `exit`).
            rt.shutdown_timeout(std::time::Duration::from_millis(200));
            // Except the persistent index being written: a restart would
            // index the whole corpus again without it.
            gazette_lsp::background::finish_lasting(std::time::Duration::from_secs(60));
            Ok(if shutdown_first { 0 } else { 1 })
        }
        Command::Entities {
            format,
            position_encoding,
            paths,
        } => gazette::cli::entities::run(
            &paths,
            &format,
            PositionEncoding::parse(&position_encoding).unwrap_or_default(),
        ),
        Command::Check { fail_on, paths } => {
            let sev = match fail_on.as_str() {
                "error" => Severity::Error,
                "info" => Severity::Information,
                "hint" => Severity::Hint,
                _ => Severity::Warning,
            };
            gazette::cli::check::run(&paths, sev)
        }
        Command::Review {
            format,
            limit,
            paths,
        } => gazette::cli::review::run(&paths, &format, limit),
        Command::Report(a) => gazette::cli::report::run(&a),
        Command::Export {
            format,
            include,
            out,
            paths,
        } => gazette::cli::interchange::export(&paths, &format, &include, out.as_deref()),
        Command::Import {
            format,
            partial,
            paths,
        } => gazette::cli::interchange::import(&paths, &format, partial),
        Command::Train(a) => gazette::cli::tagger::train(a).map(|_| 0),
        Command::Tag(a) => gazette::cli::tagger::tag(a).map(|_| 0),
        Command::Eval(a) => gazette::cli::tagger::eval(a).map(|_| 0),
        Command::Analyze { jsonl: _, kb } => gazette::cli::archive::analyze(kb.as_deref()),
        Command::Archive(ArchiveCommand::Build { dir, database }) => {
            gazette::cli::archive::build(&dir, &database)
        }
        Command::Archive(ArchiveCommand::Schema) => {
            println!(
                "{}\n-- indexes\n{}",
                gazette_archive::load::schema_sql(),
                gazette_archive::load::index_sql()
            );
            Ok(0)
        }
        Command::BenchCorpus {
            articles,
            seed,
            out,
        } => {
            let t = std::time::Instant::now();
            gazette_core::benchgen::generate(&out, articles, seed).map(|bytes| {
                eprintln!(
                    "gazette: wrote {articles} articles, {:.1} MB, to {} in {:.1} s",
                    bytes as f64 / 1e6,
                    out.display(),
                    t.elapsed().as_secs_f64()
                );
                0
            })
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!(
                "gazette: {}",
                gazette_core::text::escape::line(&format!("{e:#}"))
            );
            ExitCode::from(2)
        }
    }
}
