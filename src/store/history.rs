//! The review history as the store reads it for fitting (`deckhand optimize`): every effective
//! review of the log (not undone, not cram), in log order.

use std::path::Path;

use super::error::StoreError;
use super::log::{EventKind, Source};
use super::replay;
use crate::schedule::LoggedReview;

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
