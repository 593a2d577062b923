//! The card's life around the FSRS-6 memory model: states, learning steps, fuzz, due dates, the
//! day boundary and the daily queue. The only user of the `fsrs` crate.
//!
//! Time is always passed in (`Timestamp`, `Now`); nothing here reads the clock, so tests control it.
//!
//! - `config`: `SchedulerConfig` (what `config.ron` holds) and its validation.
//! - `card`: `CardState` and `Scheduler::review` / `preview` / `retrievability`.
//! - `fuzz`: the deterministic spread of long review intervals.
//! - `day`: study days (the day starts at 4 am local) and interval labels for buttons.
//! - `queue`: the day's study queue, its counts, and cram order.
//! - `fit`: fitting the learner's own parameters to their review history.

mod card;
mod config;
mod day;
mod fit;
mod fuzz;
mod queue;

pub use card::{CardState, Memory, Preview, Scheduler};

/// The FSRS-6 default parameters (w0..w20) of the pinned `fsrs` crate.
pub const DEFAULT_PARAMETERS: [f32; 21] = fsrs::DEFAULT_PARAMETERS;
pub use config::{RETENTION_RANGE, ScheduleError, SchedulerConfig};
pub(crate) use config::{day_start_hour_allowed, retention_allowed, step_allowed};
pub use day::{day_number, format_interval, start_of_day, start_of_next_day};
pub use fit::{FitError, FitReport, LoggedReview, MIN_REVIEWS_TO_FIT, fit_parameters};
pub use fuzz::{fuzz_delta, fuzz_range, fuzzed_interval};
pub use queue::{
    CardFlags, DailyLimits, DailyQueue, DayCounts, DoneToday, QueueCard, QueueEntry, QueueKind,
};

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const MINUTE: i64 = 60_000;
    pub const HOUR: i64 = 60 * Self::MINUTE;
    pub const DAY: i64 = 24 * Self::HOUR;

    pub fn plus_millis(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }
}

/// The present moment with the local UTC offset, which the day boundary (4 am local) needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub at: Timestamp,
    /// Local offset from UTC in seconds at `at` (e.g. 3600 for UTC+1).
    pub utc_offset_secs: i32,
}

/// The learner's answer to "how well did you remember?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    pub fn from_number(n: u8) -> Option<Grade> {
        match n {
            1 => Some(Grade::Again),
            2 => Some(Grade::Hard),
            3 => Some(Grade::Good),
            4 => Some(Grade::Easy),
            _ => None,
        }
    }

    pub fn number(self) -> u8 {
        self as u8
    }
}

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Phase {
    #[default]
    New,
    Learning,
    Review,
    Relearning,
}

#[cfg(test)]
mod tests;
