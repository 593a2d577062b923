//! The `deckhand` binary: parse the command line, run the chosen command. No logic lives here.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use deckhand::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "deckhand",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Some(other) => not_yet(&other),
        None => not_yet(&"the app"),
    }
}

fn not_yet(what: &dyn std::fmt::Debug) -> ExitCode {
    eprintln!("deckhand: {what:?} is not yet available in this build");
    ExitCode::from(2)
}
