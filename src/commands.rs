//! One function per subcommand: what `main` calls after parsing the command line.
//! Each takes the parsed CLI and returns the process exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::Cli;
use crate::content::{self, CardKind, Content};

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

/// The platform's data directory for deckhand (`~/.local/share/deckhand` on Linux), if the
/// platform has one.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "deckhand").map(|dirs| dirs.data_dir().to_path_buf())
}

/// Where progress and the user's own decks live: `--data-dir` / `DECKHAND_DATA_DIR`, else the
/// platform default.
pub fn data_dir(cli: &Cli) -> Option<PathBuf> {
    cli.data_dir.clone().or_else(default_data_dir)
}

/// The extra content directories for this run: every `--content DIR`, then the data dir if it
/// holds decks/, notes/ or scenarios/.
pub fn extra_content_dirs(cli: &Cli) -> Vec<PathBuf> {
    content::user_content_dirs(&cli.content, data_dir(cli).as_deref())
}

/// `deckhand validate [DIR]`: DIR alone, or the bundled course with the user's own content.
pub fn validate(cli: &Cli, dir: Option<&Path>) -> ExitCode {
    let loaded = match dir {
        Some(dir) => content::load_dir(dir),
        None => content::load_course(&extra_content_dirs(cli)),
    };
    match loaded {
        Ok(content) => {
            println!("ok: {}", content_summary(&content));
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

/// `21 topics, 240 cards (120 basic, ...), 21 notes, 12 scenarios`
fn content_summary(content: &Content) -> String {
    let count = |kind: CardKind| content.cards.iter().filter(|c| c.kind() == kind).count();
    let counted = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {} ({} basic, {} cloze, {} multiple choice, {} multiple response), {}, {}",
        counted(content.topics.len(), "topic"),
        counted(content.cards.len(), "card"),
        count(CardKind::Basic),
        count(CardKind::Cloze),
        count(CardKind::MultipleChoice),
        count(CardKind::MultipleResponse),
        counted(content.notes.len(), "note"),
        counted(content.scenarios.len(), "scenario"),
    )
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
