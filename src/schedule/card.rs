//! `CardState` and the `Scheduler` that moves it: the card's life (learning steps, graduation,
//! lapses, relearning) around the FSRS-6 memory model of the `fsrs` crate.
//!
//! Conventions (those of py-fsrs and Anki, see docs in `SchedulerConfig` and fsrs.md):
//! - (Re)learning steps are exact minutes from the review.
//! - Review intervals are whole study days: a Review card is due at the start of the study day
//!   `interval` days after the day of its review, computed with the review's UTC offset.
//! - The elapsed time t the model sees is in study days (today's day number minus the day number of
//!   the last review), so a same-day review (t = 0) uses FSRS-6 short-term stability.
//! - Fuzz: one draw per review from the seed, the same for every grade; since the fuzzed interval
//!   grows with the unfuzzed one, a better grade never waits less, fuzz or not.

use serde::{Deserialize, Serialize};

use super::config::{ScheduleError, SchedulerConfig};
use super::day::{day_number, start_of_day};
use super::fuzz::fuzzed_interval;
use super::{Grade, Now, Phase, Timestamp};

/// The FSRS memory of a card that has been reviewed at least once.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// Days until retrievability falls to 90%.
    pub stability: f32,
    /// 1 (easy) ..= 10 (hard).
    pub difficulty: f32,
}

/// Everything the scheduler knows about one card; derived from the review log by replaying it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    pub phase: Phase,
    /// Index of the current (re)learning step; 0 in New and Review.
    pub step: u16,
    /// None while the card is New.
    pub memory: Option<Memory>,
    /// When the card should next be shown. For Review cards this is the start of a study day.
    pub due: Timestamp,
    pub last_review: Option<Timestamp>,
    /// Number of reviews, all phases.
    pub reps: u32,
    /// Number of times a Review card was forgotten (Again in Review).
    pub lapses: u32,
    /// The current review interval in study days; 0 while New or in (re)learning steps.
    pub scheduled_days: u32,
}

impl Default for CardState {
    fn default() -> Self {
        CardState::new()
    }
}

impl CardState {
    /// A card never studied.
    pub const fn new() -> CardState {
        CardState {
            phase: Phase::New,
            step: 0,
            memory: None,
            due: Timestamp(0),
            last_review: None,
            reps: 0,
            lapses: 0,
            scheduled_days: 0,
        }
    }

    /// The wait to show on a grade button for this (next) state: whole days for a Review card,
    /// the exact time until due otherwise. Format it with `format_interval`.
    pub fn interval_for_display_ms(&self, now: Timestamp) -> i64 {
        match self.phase {
            Phase::Review => i64::from(self.scheduled_days) * Timestamp::DAY,
            _ => self.due.0.saturating_sub(now.0),
        }
    }
}

/// What each grade would do to a card, in grade order (Again, Hard, Good, Easy).
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub again: CardState,
    pub hard: CardState,
    pub good: CardState,
    pub easy: CardState,
}

impl Preview {
    pub fn for_grade(&self, grade: Grade) -> &CardState {
        match grade {
            Grade::Again => &self.again,
            Grade::Hard => &self.hard,
            Grade::Good => &self.good,
            Grade::Easy => &self.easy,
        }
    }
}

/// The validated config and the FSRS model built from it, once. Cheap to share by reference.
#[derive(Debug, Clone)]
pub struct Scheduler {
    config: SchedulerConfig,
    model: fsrs::FSRS,
    /// w20, the forgetting curve's decay; validated to lie where the crate does not clamp it.
    decay: f32,
}

/// Where a (re)learning card goes next.
enum StepOutcome {
    Step { index: u16, wait_ms: i64 },
    Graduate,
}

impl Scheduler {
    pub fn new(config: SchedulerConfig) -> Result<Scheduler, ScheduleError> {
        config.validate()?;
        let model =
            fsrs::FSRS::new(&config.parameters).map_err(|_| ScheduleError::ParameterCount {
                found: config.parameters.len(),
            })?;
        let decay = config.parameters[20];
        Ok(Scheduler {
            config,
            model,
            decay,
        })
    }

    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// The state after answering `card` with `grade` at `now`. Pure: the same arguments always give
    /// the same state (`fuzz_seed` picks the fuzz; the store derives it from the review id).
    /// Steps the model for this grade only, which makes replaying a log about 3x cheaper than
    /// `preview`; both give identical states.
    pub fn review(&self, card: &CardState, grade: Grade, now: Now, fuzz_seed: u64) -> CardState {
        let elapsed_days = self.elapsed_days(card, now);
        let reviews = vec![fsrs::FSRSReview {
            rating: u32::from(grade.number()),
            delta_t: elapsed_days,
        }];
        let memory = self
            .model
            .memory_state(fsrs::FSRSItem { reviews }, usable_memory(card.memory))
            .map_or_else(|_| self.initial_memory(grade), memory_from);
        self.next_state(card, grade, now, memory, fuzz_seed)
    }

    /// The state each grade would give, for the grade buttons. With the `fuzz_seed` the review
    /// will use, each entry equals what `review` returns for that grade.
    pub fn preview(&self, card: &CardState, now: Now, fuzz_seed: u64) -> Preview {
        let elapsed_days = self.elapsed_days(card, now);
        let next = self.model.next_states(
            usable_memory(card.memory),
            self.config.desired_retention,
            elapsed_days,
        );
        let state = |grade: Grade| {
            let memory = match &next {
                Ok(next) => memory_from(match grade {
                    Grade::Again => next.again.memory,
                    Grade::Hard => next.hard.memory,
                    Grade::Good => next.good.memory,
                    Grade::Easy => next.easy.memory,
                }),
                Err(_) => self.initial_memory(grade),
            };
            self.next_state(card, grade, now, memory, fuzz_seed)
        };
        Preview {
            again: state(Grade::Again),
            hard: state(Grade::Hard),
            good: state(Grade::Good),
            easy: state(Grade::Easy),
        }
    }

    /// Probability of recalling the card at `at` (None for a New card). Uses the exact time since
    /// the last review, so it falls smoothly through the day.
    pub fn retrievability(&self, card: &CardState, at: Timestamp) -> Option<f32> {
        let memory = card.memory?;
        let last = card.last_review?;
        let elapsed_days = (at.0.saturating_sub(last.0)).max(0) as f32 / Timestamp::DAY as f32;
        let state = fsrs::MemoryState {
            stability: memory.stability,
            difficulty: memory.difficulty,
        };
        Some(fsrs::current_retrievability(
            state,
            elapsed_days,
            self.decay,
        ))
    }

    /// t for the model: study days between the last review and now.
    fn elapsed_days(&self, card: &CardState, now: Now) -> u32 {
        card.last_review.map_or(0, |last| {
            let hour = self.config.day_start_hour;
            let days = day_number(now.at, now.utc_offset_secs, hour)
                - day_number(last, now.utc_offset_secs, hour);
            // A review logged before the previous one (clock set back) counts as the same day.
            days.clamp(0, i64::from(u32::MAX)) as u32
        })
    }

    /// The first-review memory of FSRS-6 (S0, D0). Only reached if the model returned NaN, which
    /// validated parameters rule out (the crate clamps S and D); it keeps a card usable instead
    /// of panicking.
    fn initial_memory(&self, grade: Grade) -> Memory {
        let w = &self.config.parameters;
        let g = f32::from(grade.number());
        Memory {
            stability: w[usize::from(grade.number() - 1)],
            difficulty: (w[4] - (w[5] * (g - 1.0)).exp() + 1.0).clamp(1.0, 10.0),
        }
    }

    /// I(r, S) in whole days within [1, maximum], fuzzed. With one draw per review the fuzzed
    /// interval still grows with S, so Hard <= Good <= Easy holds after fuzz too.
    fn review_interval(&self, stability: f32, fuzz_seed: u64) -> u32 {
        let maximum = self.config.maximum_interval_days;
        let days = self
            .model
            .next_interval(Some(stability), self.config.desired_retention, 0);
        let days = if days.is_finite() {
            days.round()
        } else {
            f32::MAX
        };
        let days = days.max(1.0).min(maximum as f32) as u32;
        if self.config.fuzz {
            fuzzed_interval(days, maximum, fuzz_seed)
        } else {
            days
        }
    }

    fn next_state(
        &self,
        card: &CardState,
        grade: Grade,
        now: Now,
        memory: Memory,
        fuzz_seed: u64,
    ) -> CardState {
        let mut next = CardState {
            memory: Some(memory),
            last_review: Some(now.at),
            reps: card.reps.saturating_add(1),
            ..card.clone()
        };
        let outcome = match card.phase {
            Phase::New => self.step_outcome(&self.config.learning_steps, 0, grade),
            Phase::Learning => self.step_outcome(&self.config.learning_steps, card.step, grade),
            Phase::Relearning => self.step_outcome(&self.config.relearning_steps, card.step, grade),
            Phase::Review if grade == Grade::Again => {
                next.lapses = card.lapses.saturating_add(1);
                match self.config.relearning_steps.first() {
                    Some(&minutes) => StepOutcome::Step {
                        index: 0,
                        wait_ms: i64::from(minutes) * Timestamp::MINUTE,
                    },
                    None => StepOutcome::Graduate,
                }
            }
            Phase::Review => StepOutcome::Graduate,
        };
        match outcome {
            StepOutcome::Step { index, wait_ms } => {
                next.phase = match card.phase {
                    Phase::New | Phase::Learning => Phase::Learning,
                    Phase::Review | Phase::Relearning => Phase::Relearning,
                };
                next.step = index;
                next.scheduled_days = 0;
                next.due = now.at.plus_millis(wait_ms);
            }
            StepOutcome::Graduate => {
                let hour = self.config.day_start_hour;
                let today = day_number(now.at, now.utc_offset_secs, hour);
                let days = self.review_interval(memory.stability, fuzz_seed);
                next.phase = Phase::Review;
                next.step = 0;
                next.scheduled_days = days;
                next.due = start_of_day(today + i64::from(days), now.utc_offset_secs, hour);
            }
        }
        next
    }

    /// The (re)learning rule: Again back to the first step; Hard repeats the step (the mean of the
    /// first two steps on the first, 1.5x when there is only one); Good moves on or graduates
    /// after the last step; Easy graduates at once. No steps at all means graduating at once.
    fn step_outcome(&self, steps: &[u32], step: u16, grade: Grade) -> StepOutcome {
        let minutes = |i: usize| i64::from(steps[i]) * Timestamp::MINUTE;
        let current = usize::from(step);
        // A card left past the end of the steps (the config lost steps since) graduates on a pass.
        if steps.is_empty() || (current >= steps.len() && grade != Grade::Again) {
            return StepOutcome::Graduate;
        }
        match grade {
            Grade::Again => StepOutcome::Step {
                index: 0,
                wait_ms: minutes(0),
            },
            Grade::Hard => {
                let wait_ms = match (current, steps.len()) {
                    (0, 1) => minutes(0) * 3 / 2,
                    (0, _) => (minutes(0) + minutes(1)) / 2,
                    _ => minutes(current),
                };
                StepOutcome::Step {
                    index: step,
                    wait_ms,
                }
            }
            Grade::Good if current + 1 < steps.len() => StepOutcome::Step {
                index: step.saturating_add(1),
                wait_ms: minutes(current + 1),
            },
            Grade::Good | Grade::Easy => StepOutcome::Graduate,
        }
    }
}

/// The card's memory as the crate takes it; a state with NaN or infinity (a damaged snapshot)
/// cannot be continued, so the card starts afresh from this answer.
fn usable_memory(memory: Option<Memory>) -> Option<fsrs::MemoryState> {
    memory
        .filter(|m| m.stability.is_finite() && m.difficulty.is_finite() && m.stability > 0.0)
        .map(|m| fsrs::MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        })
}

fn memory_from(state: fsrs::MemoryState) -> Memory {
    Memory {
        stability: state.stability,
        difficulty: state.difficulty,
    }
}
