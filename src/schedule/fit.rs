//! Fitting the learner's own FSRS parameters to their review history (`deckhand optimize`):
//! reviews grouped by card into FSRS items, the fit, and the log loss of defaults and fit on the
//! same items. Lives here because `schedule` is the only user of the `fsrs` crate.

use std::collections::HashMap;

use super::{Grade, Timestamp, day_number};

/// Below this many reviews made a day or more after the previous review of the same card, a fit
/// says more about chance than about the learner (and the fsrs crate itself only adjusts the
/// initial stabilities below 64), so `optimize` declines.
pub const MIN_REVIEWS_TO_FIT: usize = 400;

/// One review that counts: not undone, not cram.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedReview {
    pub card_id: String,
    pub at: Timestamp,
    pub utc_offset_secs: i32,
    pub grade: Grade,
}

/// The outcome of a fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FitReport {
    pub parameters: Vec<f32>,
    /// Reviews that were a day or more after the previous review of their card: what was fitted.
    pub reviews_used: usize,
    pub log_loss_default: f32,
    pub log_loss_fitted: f32,
}

#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error(
        "not enough history to fit parameters yet: {have} reviews made a day or more after the \
         previous review of the same card, and at least {need} are needed; keep studying with \
         the defaults and run `deckhand optimize` again later"
    )]
    NotEnough { have: usize, need: usize },
    #[error("fitting the parameters failed ({0}); the default parameters stay in use")]
    Fsrs(String),
}

/// Groups `reviews` by card into FSRS items (one per review made a day or more after the
/// previous one, holding the card's history up to it), fits parameters and evaluates the
/// defaults and the fit on the same items.
pub fn fit_parameters(
    reviews: &[LoggedReview],
    day_start_hour: u8,
    relearning_steps: usize,
) -> Result<FitReport, FitError> {
    let mut by_card: HashMap<&str, Vec<&LoggedReview>> = HashMap::new();
    let mut card_order = Vec::new();
    for review in reviews {
        by_card
            .entry(&review.card_id)
            .or_insert_with(|| {
                card_order.push(review.card_id.as_str());
                Vec::new()
            })
            .push(review);
    }
    let mut items = Vec::new();
    let mut card_ids = Vec::new();
    for (index, card) in card_order.iter().enumerate() {
        let history = &by_card[card];
        let mut fsrs_reviews = Vec::with_capacity(history.len());
        let mut previous_day = None;
        for review in history {
            let day = day_number(review.at, review.utc_offset_secs, day_start_hour);
            let delta_t = previous_day.map_or(0, |p: i64| (day - p).clamp(0, i64::from(u32::MAX)));
            previous_day = Some(day);
            fsrs_reviews.push(fsrs::FSRSReview {
                rating: u32::from(review.grade.number()),
                delta_t: delta_t as u32,
            });
            if delta_t > 0 {
                items.push(fsrs::FSRSItem {
                    reviews: fsrs_reviews.clone(),
                });
                card_ids.push(index as i64);
            }
        }
    }
    if items.len() < MIN_REVIEWS_TO_FIT {
        return Err(FitError::NotEnough {
            have: items.len(),
            need: MIN_REVIEWS_TO_FIT,
        });
    }
    let fsrs_error = |e: fsrs::FSRSError| FitError::Fsrs(e.to_string());
    let parameters = fsrs::compute_parameters(fsrs::ComputeParametersInput {
        train_set: items.clone(),
        card_ids: Some(card_ids.clone()),
        enable_short_term: true,
        num_relearning_steps: Some(relearning_steps),
        ..Default::default()
    })
    .map_err(fsrs_error)?;
    let loss = |parameters: &[f32]| -> Result<f32, FitError> {
        let model = fsrs::FSRS::new(parameters).map_err(fsrs_error)?;
        model
            .evaluate_with_card_ids(items.clone(), card_ids.clone(), |_| true)
            .map(|e| e.log_loss)
            .map_err(fsrs_error)
    };
    Ok(FitReport {
        log_loss_default: loss(&fsrs::DEFAULT_PARAMETERS)?,
        log_loss_fitted: loss(&parameters)?,
        reviews_used: items.len(),
        parameters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cards` cards, each reviewed on days 0, 1, 3, 7, 15, 31 (plus a same-day review after
    /// the first), with a lapse now and then.
    fn history(cards: usize) -> Vec<LoggedReview> {
        let mut reviews = Vec::new();
        let mut rng: u64 = 0x853c_49e6_748f_ea9b;
        for day_offset in [0i64, 0, 1, 3, 7, 15, 31] {
            for card in 0..cards {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let grade = match rng % 10 {
                    0 | 1 => Grade::Again,
                    2 => Grade::Hard,
                    9 => Grade::Easy,
                    _ => Grade::Good,
                };
                reviews.push(LoggedReview {
                    card_id: format!("card-{card}"),
                    at: Timestamp(1_700_000_000_000 + day_offset * Timestamp::DAY + card as i64),
                    utc_offset_secs: 0,
                    grade,
                });
            }
        }
        reviews.sort_by_key(|r| r.at);
        reviews
    }

    #[test]
    fn too_little_history_is_declined_with_the_numbers() {
        let err = fit_parameters(&history(60), 4, 1).unwrap_err().to_string();
        // 60 cards x 5 reviews a day or more after the previous one.
        assert!(err.contains("300 reviews made a day or more"), "{err}");
        assert!(err.contains("at least 400"), "{err}");
    }

    #[test]
    fn a_fit_reports_both_losses_on_the_same_reviews() {
        let report = fit_parameters(&history(100), 4, 1).unwrap();
        assert_eq!(report.reviews_used, 500);
        assert_eq!(report.parameters.len(), 21);
        assert!(report.parameters.iter().all(|w| w.is_finite()));
        assert!(report.log_loss_default > 0.0 && report.log_loss_fitted > 0.0);
        assert_ne!(report.parameters, fsrs::DEFAULT_PARAMETERS.to_vec());
    }
}
