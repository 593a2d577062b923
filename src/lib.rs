//! deckhand: a terminal study and exam-revision app for the AWS containers material.
//!
//! Domain modules (`content`, `schedule`, `store`) know nothing of the terminal; only `tui` draws,
//! and only `store` writes user data. `commands` holds one function per subcommand; the binary in
//! `main.rs` only parses the command line and calls them.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod content;
pub mod fsio;
pub mod hash;
pub mod schedule;
pub mod store;
pub mod tui;
