//! deckhand: a terminal study and exam-revision app for the AWS containers material.
//!
//! Domain modules (`content`, `schedule`, `store`, `search`, `quiz`) know nothing of the terminal;
//! only `tui` draws, and only `store` writes user data. The binary in `main.rs` wires them up.

pub mod cli;
pub mod content;
pub mod schedule;
