//! The command line: clap definitions only. Turning these raw arguments into validated settings
//! happens where they are used, so this file stays a plain description of the interface.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Revise the AWS containers material (Docker, ECS, Fargate, ECR, EKS, App Runner, Copilot)
/// in the terminal: spaced-repetition flashcards, timed exam quizzes, architecture scenarios and
/// searchable notes. Without a command, opens the app.
#[derive(Debug, Parser)]
#[command(name = "deckhand", version, about, long_about = None)]
pub struct Cli {
    /// Where progress is kept [default: the platform's data directory for deckhand]
    #[arg(long, global = true, value_name = "DIR", env = "DECKHAND_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// An extra content directory (decks/, notes/, scenarios/) loaded beside the bundled course
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Study the cards due today
    Study {
        /// Only cards of this topic (and its subtopics), e.g. ecs/iam
        #[arg(long, value_name = "TOPIC")]
        topic: Option<String>,
        /// Study ahead / cram: review cards that are not due, without touching the schedule
        #[arg(long)]
        cram: bool,
    },
    /// Take a timed quiz of exam-style questions
    Quiz {
        /// saa, dva, soa (65 questions / 130 min), clf (65 / 90), or short10, short20, short30
        #[arg(long, value_name = "PRESET")]
        preset: Option<String>,
        /// Only questions of this topic (and its subtopics)
        #[arg(long, value_name = "TOPIC")]
        topic: Option<String>,
    },
    /// Search the notes, cards and scenarios and print the hits
    Search {
        /// A few letters or words, e.g. "fargte efs"
        query: String,
        /// Only hits of this topic (and its subtopics)
        #[arg(long, value_name = "TOPIC")]
        topic: Option<String>,
        /// At most this many hits
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Show progress: due today, new, learning, retention
    Stats {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Check content files and report every problem with its file, line and column
    Validate {
        /// A content directory (topics.ron, decks/, notes/, scenarios/) [default: the bundled
        /// course plus your own decks]
        dir: Option<PathBuf>,
    },
    /// Write all cards as Anki-importable TSV to standard output
    Export,
    /// Turn an Anki/TSV export into a RON deck
    Import {
        /// The TSV file to read
        file: PathBuf,
    },
    /// Fit the scheduler's parameters to your own review history
    Optimize,
    /// Print a shell completion script
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
}
