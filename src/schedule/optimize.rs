//! Fitting the 21 FSRS-6 weights to the user's own review history (`deckhand optimize`), through
//! the crate's `compute_parameters`. Kept here because this module is the only user of `fsrs`.
//!
//! The history is turned into the crate's training items the way fsrs-rs converts Anki's log: for
//! each card, one item per review after the first, holding every answer up to it with t in study
//! days; items whose last answer came the same study day as the one before are left out (the model
//! learns long-term recall from them only through the short-term weights in earlier positions).

use super::config::{PARAMETER_BOUNDS, ScheduleError};
use super::day::day_number;
use super::{Grade, Timestamp};

/// Fewer long-term reviews than this and the crate gives back its defaults; we say so instead.
pub const MIN_REVIEWS_TO_FIT: usize = 8;

/// The fitted weights, ready for `SchedulerConfig::parameters`.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedParameters {
    pub parameters: Vec<f32>,
    /// Reviews made a study day or more after the card's previous one: what the fit learnt from.
    pub reviews_used: usize,
}

/// Fits the weights to `histories`: for each card, its study answers in time order from its first
/// sight (cram answers, which do not change the schedule, must be left out by the caller). Day
/// boundaries use `utc_offset_secs` and `day_start_hour` like the scheduler. Takes seconds for a
/// large log; run it from the command, never while drawing.
pub fn fit_parameters(
    histories: &[Vec<(Timestamp, Grade)>],
    utc_offset_secs: i32,
    day_start_hour: u8,
) -> Result<FittedParameters, ScheduleError> {
    let mut train_set = Vec::new();
    let mut card_ids = Vec::new();
    for (card, history) in histories.iter().enumerate() {
        let mut reviews: Vec<fsrs::FSRSReview> = Vec::with_capacity(history.len());
        let mut previous_day: Option<i64> = None;
        for &(at, grade) in history {
            let day = day_number(at, utc_offset_secs, day_start_hour);
            let delta_t = previous_day.map_or(0, |previous| {
                (day - previous).clamp(0, i64::from(u32::MAX)) as u32
            });
            previous_day = Some(day);
            reviews.push(fsrs::FSRSReview {
                rating: u32::from(grade.number()),
                delta_t,
            });
            if reviews.len() > 1 && delta_t > 0 {
                train_set.push(fsrs::FSRSItem {
                    reviews: reviews.clone(),
                });
                card_ids.push(i64::try_from(card).unwrap_or(i64::MAX));
            }
        }
    }
    let reviews_used = train_set.len();
    if reviews_used < MIN_REVIEWS_TO_FIT {
        return Err(ScheduleError::NotEnoughReviews {
            found: reviews_used,
            needed: MIN_REVIEWS_TO_FIT,
        });
    }
    let input = fsrs::ComputeParametersInput {
        train_set,
        card_ids: Some(card_ids),
        ..fsrs::ComputeParametersInput::default()
    };
    let fitted = fsrs::compute_parameters(input)
        .map_err(|error| ScheduleError::FitFailed(format!("{error:?}")))?;
    if fitted.len() != PARAMETER_BOUNDS.len() {
        return Err(ScheduleError::FitFailed(format!(
            "the optimizer returned {} weights instead of 21",
            fitted.len()
        )));
    }
    // The crate clamps to these bounds when it builds a model; doing it here keeps what is written
    // to config.ron exactly what the model will use, so `Scheduler::new` accepts it.
    let parameters = fitted
        .iter()
        .zip(&PARAMETER_BOUNDS)
        .map(|(&value, &(low, high))| value.clamp(low, high))
        .collect();
    Ok(FittedParameters {
        parameters,
        reviews_used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::fuzz::splitmix64;
    use crate::schedule::{CardState, Now, Scheduler, SchedulerConfig};

    /// A simulated learner who remembers with the retrievability of a model whose stabilities are
    /// twice the defaults' (w0..w3 doubled), answering each card at its due time.
    fn simulated_histories(cards: u64, reviews_per_card: usize) -> Vec<Vec<(Timestamp, Grade)>> {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let mut truth = SchedulerConfig::default();
        for w in &mut truth.parameters[..4] {
            *w *= 2.0;
        }
        let truth = Scheduler::new(truth).unwrap();
        (0..cards)
            .map(|card| {
                let mut state = CardState::new();
                let mut true_state = CardState::new();
                let mut at = Timestamp(1_669_725_000_000 + card as i64 * 1000);
                let mut history = Vec::new();
                for review in 0..reviews_per_card {
                    let recall = truth.retrievability(&true_state, at).unwrap_or(0.0);
                    let draw =
                        (splitmix64(card * 100 + review as u64) >> 11) as f32 / (1u64 << 53) as f32;
                    let grade = if draw < recall || review == 0 {
                        Grade::Good
                    } else {
                        Grade::Again
                    };
                    let now = Now {
                        at,
                        utc_offset_secs: 0,
                    };
                    state = scheduler.review(&state, grade, now, card);
                    true_state = truth.review(&true_state, grade, now, card);
                    history.push((at, grade));
                    at = state.due;
                }
                history
            })
            .collect()
    }

    #[test]
    fn too_little_history_is_reported() {
        let histories = simulated_histories(2, 3);
        let error = fit_parameters(&histories, 0, 4).unwrap_err();
        assert!(
            matches!(error, ScheduleError::NotEnoughReviews { needed: 8, .. }),
            "{error}"
        );
    }

    #[test]
    fn a_fit_learns_that_this_learner_forgets_slower_than_the_defaults() {
        let histories = simulated_histories(300, 6);
        let fitted = fit_parameters(&histories, 0, 4).unwrap();
        assert!(fitted.reviews_used > 300);
        let config = SchedulerConfig {
            parameters: fitted.parameters.clone(),
            ..SchedulerConfig::default()
        };
        assert!(Scheduler::new(config).is_ok());
        // The learner remembers better than the defaults predict: the fit must see that.
        assert!(
            fitted.parameters[2] > fsrs::DEFAULT_PARAMETERS[2],
            "{fitted:?}"
        );
    }
}
