//! `SchedulerConfig`: the scheduling settings of `config.ron`, their defaults, and the checks that
//! turn a bad value into a message naming the setting and the fix instead of a silent clamp.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Everything the card's life depends on. The store fills it from `config.ron` and the fitted
/// parameters; missing fields take the defaults, so an older file keeps working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SchedulerConfig {
    /// Probability of recall the review intervals aim for (0.70..=0.99).
    pub desired_retention: f32,
    /// Learning steps of a new card, in minutes.
    pub learning_steps: Vec<u32>,
    /// Relearning steps after a lapse, in minutes; empty sends a lapsed card straight back to Review.
    pub relearning_steps: Vec<u32>,
    /// Longest review interval, in days.
    pub maximum_interval_days: u32,
    /// Local hour (0..=23) at which a new study day begins.
    pub day_start_hour: u8,
    /// Spread review intervals of 3 days or more a little so cards learnt together drift apart.
    pub fuzz: bool,
    /// The 21 FSRS-6 model weights w0..w20 (the defaults, or fitted by `deckhand optimize`).
    pub parameters: Vec<f32>,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            desired_retention: 0.90,
            learning_steps: vec![1, 10],
            relearning_steps: vec![10],
            maximum_interval_days: 36_500,
            day_start_hour: 4,
            fuzz: true,
            parameters: fsrs::DEFAULT_PARAMETERS.to_vec(),
        }
    }
}

/// Lowest and highest desired retention accepted (Anki's range: outside it the workload or the
/// forgetting explodes).
pub const RETENTION_RANGE: (f32, f32) = (0.70, 0.99);

/// Whether `value` is a desired retention the scheduler accepts (false for NaN).
pub(crate) fn retention_allowed(value: f32) -> bool {
    let (low, high) = RETENTION_RANGE;
    (low..=high).contains(&value)
}

/// Whether `hour` is an hour of the day at which a study day can begin.
pub(crate) fn day_start_hour_allowed(hour: u8) -> bool {
    hour <= 23
}

/// Whether a learning or relearning step of `minutes` can be used: a 0-minute step would show
/// the card again at once, forever.
pub(crate) fn step_allowed(minutes: u32) -> bool {
    minutes > 0
}

/// The bounds fsrs 6.6.2 clamps each weight to (`parameter_clipper.rs`, one relearning step, no
/// short-term floor). We reject instead of letting the crate clamp silently, so what config.ron
/// says is what the model uses (and our own retrievability, which reads w20, agrees with it).
const PARAMETER_BOUNDS: [(f32, f32); 21] = [
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
];

/// A scheduling setting that cannot be used. Messages name the setting in words and the fix; the
/// caller adds the file it came from (config.ron, or the fitted parameters file).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScheduleError {
    #[error(
        "the FSRS parameters have {found} values but FSRS-6 needs 21; run `deckhand optimize` \
         again, or remove the parameters to use the defaults"
    )]
    ParameterCount { found: usize },
    #[error(
        "FSRS parameter w{index} is {value}, outside {low}..={high}; run `deckhand optimize` \
         again, or remove the parameters to use the defaults"
    )]
    ParameterOutOfRange {
        index: usize,
        value: f32,
        low: f32,
        high: f32,
    },
    #[error("desired retention is {value}; use a value from 0.70 to 0.99 (0.90 is the default)")]
    DesiredRetention { value: f32 },
    #[error(
        "{which} step {position} is 0 minutes; every step must be at least 1 minute \
         (the default is {default})"
    )]
    ZeroStep {
        which: &'static str,
        position: usize,
        default: &'static str,
    },
    #[error("the maximum interval is 0 days; use at least 1 (36500 is the default)")]
    MaximumInterval,
    #[error("the day start hour is {value}; use an hour from 0 to 23 (4 is the default)")]
    DayStartHour { value: u8 },
}

impl SchedulerConfig {
    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        if self.parameters.len() != PARAMETER_BOUNDS.len() {
            return Err(ScheduleError::ParameterCount {
                found: self.parameters.len(),
            });
        }
        for (index, (&value, &(low, high))) in
            self.parameters.iter().zip(&PARAMETER_BOUNDS).enumerate()
        {
            // `contains` is false for NaN, so non-finite values are caught here too.
            if !(low..=high).contains(&value) {
                return Err(ScheduleError::ParameterOutOfRange {
                    index,
                    value,
                    low,
                    high,
                });
            }
        }
        if !retention_allowed(self.desired_retention) {
            return Err(ScheduleError::DesiredRetention {
                value: self.desired_retention,
            });
        }
        check_steps("learning", &self.learning_steps, "1m 10m")?;
        check_steps("relearning", &self.relearning_steps, "10m")?;
        if self.maximum_interval_days == 0 {
            return Err(ScheduleError::MaximumInterval);
        }
        if !day_start_hour_allowed(self.day_start_hour) {
            return Err(ScheduleError::DayStartHour {
                value: self.day_start_hour,
            });
        }
        Ok(())
    }
}

fn check_steps(
    which: &'static str,
    steps: &[u32],
    default: &'static str,
) -> Result<(), ScheduleError> {
    match steps.iter().position(|&minutes| !step_allowed(minutes)) {
        Some(position) => Err(ScheduleError::ZeroStep {
            which,
            position: position + 1,
            default,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_match_the_crate() {
        let config = SchedulerConfig::default();
        assert_eq!(config.validate(), Ok(()));
        assert_eq!(config.parameters, fsrs::DEFAULT_PARAMETERS.to_vec());
    }

    #[test]
    fn defaults_round_trip_through_ron_and_missing_fields_default() {
        let config = SchedulerConfig::default();
        let text = ron::to_string(&config).unwrap();
        assert_eq!(ron::from_str::<SchedulerConfig>(&text).unwrap(), config);
        let partial: SchedulerConfig =
            ron::from_str("(desired_retention: 0.85, learning_steps: [5])").unwrap();
        assert_eq!(partial.desired_retention, 0.85);
        assert_eq!(partial.learning_steps, vec![5]);
        assert_eq!(partial.relearning_steps, vec![10]);
    }

    #[test]
    fn bad_values_are_reported_with_the_field() {
        let bad = |change: fn(&mut SchedulerConfig)| {
            let mut config = SchedulerConfig::default();
            change(&mut config);
            config.validate().unwrap_err().to_string()
        };
        assert!(bad(|c| c.parameters.truncate(19)).contains("have 19 values"));
        assert!(bad(|c| c.parameters[20] = 2.0).contains("w20 is 2,"));
        assert!(bad(|c| c.parameters[3] = f32::NAN).contains("w3 is NaN"));
        assert!(bad(|c| c.desired_retention = 1.0).contains("retention is 1;"));
        assert!(bad(|c| c.relearning_steps = vec![10, 0]).contains("relearning step 2 is 0"));
        assert!(bad(|c| c.maximum_interval_days = 0).contains("maximum interval is 0"));
        assert!(bad(|c| c.day_start_hour = 24).contains("hour is 24"));
    }
}
