//! The `deckhand` binary: parse the command line, run the chosen command. No logic lives here.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use deckhand::cli::{Cli, Command};
use deckhand::commands;
use deckhand::tui::screens::study::StudyOptions;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        None => commands::app(&cli, None),
        Some(Command::Study { topic, cram }) => commands::app(
            &cli,
            Some(StudyOptions {
                topic: topic.clone(),
                cram: *cram,
            }),
        ),
        Some(Command::Validate { dir }) => commands::validate(&cli, dir.as_deref()),
        Some(Command::Stats { json }) => commands::stats(&cli, *json),
        Some(Command::Optimize) => commands::optimize(&cli),
        Some(Command::Quiz { .. }) => commands::not_yet("quiz"),
        Some(Command::Search { .. }) => commands::not_yet("search"),
        Some(Command::Export) => commands::not_yet("export"),
        Some(Command::Import { .. }) => commands::not_yet("import"),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "deckhand",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}
