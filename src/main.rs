use clap::{Parser, Subcommand};
use gazette::tagger;

/// gazette: people, places, organisations and figures across a news corpus.
#[derive(Parser)]
#[command(name = "gazette", version)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Train the NER model from the annotated corpora.
    Train(tagger::cli::TrainArgs),
    /// Tag a GermEval/CoNLL token file: each token line gets the predicted label appended.
    Tag(tagger::cli::TagArgs),
    /// Evaluate the tagger on a GermEval/CoNLL file (exact spans, outer level).
    Eval(tagger::cli::EvalArgs),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().cmd {
        Cmd::Train(a) => tagger::cli::train(a),
        Cmd::Tag(a) => tagger::cli::tag(a),
        Cmd::Eval(a) => tagger::cli::eval(a),
    }
}
