//! The `deckhand` binary: parse the command line, run the chosen command. No logic lives here.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use deckhand::cli::{Cli, Command};
use deckhand::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        None => commands::app(&cli, None, false),
        Some(Command::Study { topic, cram }) => commands::app(&cli, topic.as_deref(), *cram),
        Some(Command::Validate { dir }) => commands::validate(&cli, dir.as_deref()),
        Some(Command::Stats { json }) => commands::stats(&cli, *json),
        Some(Command::Optimize) => commands::optimize(&cli),
        Some(Command::Quiz { .. }) => commands::later("quiz"),
        Some(Command::Search { .. }) => commands::later("search"),
        Some(Command::Export) => commands::later("export"),
        Some(Command::Import { .. }) => commands::later("import"),
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
