//! One function per subcommand: what `main` calls after parsing the command line.
//! Each takes the parsed CLI and returns the process exit code.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::Cli;

/// Exit code for a command that this build does not provide yet.
const NOT_YET: u8 = 2;

fn not_yet(what: &str) -> ExitCode {
    eprintln!("deckhand: {what} is not yet available in this build");
    ExitCode::from(NOT_YET)
}

/// `deckhand` with no subcommand, and `deckhand study`: the terminal app.
pub fn app(_cli: &Cli, _topic: Option<&str>, _cram: bool) -> ExitCode {
    not_yet("the terminal app")
}

/// `deckhand validate [DIR]`
pub fn validate(_cli: &Cli, _dir: Option<&Path>) -> ExitCode {
    not_yet("validate")
}

/// `deckhand stats [--json]`
pub fn stats(_cli: &Cli, _json: bool) -> ExitCode {
    not_yet("stats")
}

/// `deckhand optimize`
pub fn optimize(_cli: &Cli) -> ExitCode {
    not_yet("optimize")
}

/// Subcommands that later work provides: quiz, search, export, import.
pub fn later(name: &str) -> ExitCode {
    not_yet(name)
}
