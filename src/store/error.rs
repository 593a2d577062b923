//! The store's errors: every message names the file, the place and what the user can do, and
//! says that deckhand left the files as they were.

use std::io;
use std::path::PathBuf;

/// Everything that can stop the store. Each variant's message is complete and meant for the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} is not a directory, so deckhand cannot keep progress there; \
         point --data-dir (or DECKHAND_DATA_DIR) at a directory, or move that file away"
    )]
    NotADirectory { path: PathBuf },

    #[error(
        "cannot {action} {path}: {source}; check that the path exists and that you may read and \
         write it (deckhand changed no file)"
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("another deckhand is already using {dir}{pid}; close it first")]
    Locked { dir: PathBuf, pid: String },

    #[error(
        "{path}:{line}:{column}: {message}\n  fix the file (or delete it to go back to the \
         defaults); deckhand changed no file"
    )]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{path}:{line}: {problem}\n  deckhand changed no file. {fix}")]
    Damaged {
        path: PathBuf,
        line: usize,
        problem: String,
        fix: &'static str,
    },

    #[error(
        "{path} was written by a newer deckhand (schema {found}; this one reads up to {supported}); \
         update deckhand — no file was changed"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error(
        "{log} is missing but {snapshot} exists, so your review history is gone from this \
         directory; restore {log} from a backup, or delete {snapshot} to start with no progress \
         (deckhand changed no file)"
    )]
    LogMissing { log: PathBuf, snapshot: PathBuf },

    #[error(
        "card id {card_id:?} cannot be recorded: ids must be non-empty and contain no tab or \
         line break; fix the card's id in its deck"
    )]
    InvalidCardId { card_id: String },

    #[error("{path}: {message}")]
    Parameters { path: PathBuf, message: String },

    #[error("{path}: {message}; fix that setting (deckhand changed no file)")]
    Scheduler { path: PathBuf, message: String },

    #[error(
        "cannot find your home directory to keep progress in; pass --data-dir DIR or set \
         DECKHAND_DATA_DIR"
    )]
    NoHome,

    #[error(
        "progress in {dir} was opened read-only, so nothing can be recorded; this is a bug in \
         deckhand, please report it"
    )]
    ReadOnly { dir: PathBuf },
}

impl StoreError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        StoreError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// A problem the store got past on its own, for the app to show once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreWarning(pub String);

impl std::fmt::Display for StoreWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
