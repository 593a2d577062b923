//! The review history as the store reads it for fitting (`deckhand optimize`): every effective
//! review of the log (not undone, not cram), in log order.

use std::path::Path;

use super::error::StoreError;
use super::fsio::{self, DirLock};
use super::log::{EventKind, Source};
use super::replay;
use super::{Config, DataPaths, FittedParameters};
use crate::schedule::LoggedReview;

/// The config and the review history, read under the data dir's lock, which is held until this
/// is dropped: `deckhand optimize` fits on it and saves the parameters without another deckhand
/// appending in between, and without rebuilding the progress it does not need.
#[derive(Debug)]
pub struct LockedHistory {
    pub config: Config,
    pub reviews: Vec<LoggedReview>,
    paths: DataPaths,
    _lock: Option<DirLock>,
}

impl LockedHistory {
    /// Saves fitted parameters atomically; they take effect at the next open.
    pub fn save_parameters(&self, fitted: &FittedParameters) -> Result<(), StoreError> {
        fitted.save(&self.paths.parameters())
    }
}

/// Reads the config, checks the saved parameters, locks the data dir and reads the history. A
/// data dir that does not exist yet has no history (and is not created).
pub fn read_history(paths: &DataPaths) -> Result<LockedHistory, StoreError> {
    let config = Config::load(&paths.config_file)?;
    // Refuse to replace a parameters file this build cannot read (e.g. a newer schema).
    FittedParameters::load(&paths.parameters())?;
    let lock = if paths.data_dir.is_dir() {
        Some(fsio::lock_dir(&paths.data_dir)?)
    } else {
        None
    };
    Ok(LockedHistory {
        config,
        reviews: read(&paths.log())?,
        paths: paths.clone(),
        _lock: lock,
    })
}

/// Reads every effective review of the log at `path`.
pub(crate) fn read(path: &Path) -> Result<Vec<LoggedReview>, StoreError> {
    let Some(mut file) = replay::open_log(path, false)? else {
        return Ok(Vec::new());
    };
    let header_len = replay::check_header(&mut file, path)?;
    let all = replay::read_all(&mut file, path)?;
    replay::verify_all(&all, header_len, path)?;
    let mut reviews = Vec::new();
    replay::walk_effective(&all, header_len, path, |event| {
        if let EventKind::Review {
            card_id,
            utc_offset_secs,
            grade,
            source,
            ..
        } = event.kind
            && source != Source::Cram
        {
            reviews.push(LoggedReview {
                card_id: card_id.to_owned(),
                at: event.at,
                utc_offset_secs,
                grade,
            });
        }
    })?;
    Ok(reviews)
}
