//! Progress derived from the log: per-card scheduler state and flags, per-day counters and the
//! undo stack. Built only by applying log events in order, so the same log always gives the same
//! progress (the fuzz seed of each review comes from its id).

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::log::{Event, EventId, EventKind, Source};
use crate::hash::IdMap;
use crate::schedule::{CardState, Grade, Now, Phase, Scheduler, Timestamp, day_number};

/// How many reviews `undo_last_review` can reach back.
pub const UNDO_DEPTH: usize = 100;

/// The learner's marks on a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CardFlags {
    pub suspended: bool,
    pub flagged: bool,
    /// The card is hidden until this study day begins (see `schedule::day_number`).
    pub buried_until_day: Option<i64>,
}

/// Counters of one study day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DayActivity {
    /// Reviews that moved the schedule (study, quiz, scenario; not cram).
    pub reviews_done: u32,
    /// Of those, reviews of a card that was new: what the daily new-card limit counts.
    pub new_introduced: u32,
    /// Of those, reviews graded Again.
    pub again_count: u32,
    /// Time spent on all reviews of the day, cram included.
    pub time_spent_ms: u64,
    /// Cram reviews (logged, but the schedule ignores them).
    pub cram_done: u32,
    /// Reviews of cards that were in Review: the tests of memory that true retention counts.
    pub recall_tests: u32,
    /// Of those, the ones not graded Again.
    pub recall_passed: u32,
}

/// The counters of the current study day, for the study screen.
pub type TodayCounts = DayActivity;

impl DayActivity {
    /// All reviews of the day, cram included: the heatmap's value.
    pub fn all_reviews(&self) -> u32 {
        self.reviews_done + self.cram_done
    }

    /// Adds another tally of the same day (e.g. of other cards). Counters only ever grow in a
    /// replay, so saturating sums in any order give what counting one review at a time gives.
    pub(crate) fn add(&mut self, other: &DayActivity) {
        self.reviews_done = self.reviews_done.saturating_add(other.reviews_done);
        self.new_introduced = self.new_introduced.saturating_add(other.new_introduced);
        self.again_count = self.again_count.saturating_add(other.again_count);
        self.time_spent_ms = self.time_spent_ms.saturating_add(other.time_spent_ms);
        self.cram_done = self.cram_done.saturating_add(other.cram_done);
        self.recall_tests = self.recall_tests.saturating_add(other.recall_tests);
        self.recall_passed = self.recall_passed.saturating_add(other.recall_passed);
    }

    fn count(&mut self, review: &UndoneReview, sign: i32) {
        let add = |n: &mut u32, yes: bool| {
            if yes {
                *n = n.saturating_add_signed(sign);
            }
        };
        let cram = review.source == Source::Cram;
        add(&mut self.cram_done, cram);
        add(&mut self.reviews_done, !cram);
        add(
            &mut self.new_introduced,
            !cram && review.previous.phase == Phase::New,
        );
        add(&mut self.again_count, !cram && review.grade == Grade::Again);
        let recall = !cram && review.previous.phase == Phase::Review;
        add(&mut self.recall_tests, recall);
        add(
            &mut self.recall_passed,
            recall && review.grade != Grade::Again,
        );
        let ms = u64::from(review.duration_ms);
        self.time_spent_ms = if sign > 0 {
            self.time_spent_ms.saturating_add(ms)
        } else {
            self.time_spent_ms.saturating_sub(ms)
        };
    }
}

/// A card's derived state.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct CardProgress {
    pub state: CardState,
    pub flags: CardFlags,
}

/// A review that can still be undone (or just was), with the card's state before it.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoneReview {
    pub id: EventId,
    pub card_id: String,
    pub at: Timestamp,
    pub utc_offset_secs: i32,
    pub grade: Grade,
    pub duration_ms: u32,
    pub source: Source,
    pub previous: CardState,
}

/// What an undo event needs that the progress cannot give: the review it names is not the last
/// one still undoable (the log was merged or edited), so only a full replay gets it right.
#[derive(Debug)]
pub(crate) struct NeedsFullReplay;

pub(crate) type CardMap = IdMap<String, CardProgress>;

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Progress {
    pub cards: CardMap,
    pub days: BTreeMap<i64, DayActivity>,
    pub undo: VecDeque<UndoneReview>,
}

impl Progress {
    fn card_mut(&mut self, card_id: &str) -> &mut CardProgress {
        // Look up by &str first so the common case (a known card) allocates nothing.
        if !self.cards.contains_key(card_id) {
            self.cards
                .insert(card_id.to_owned(), CardProgress::default());
        }
        self.cards
            .get_mut(card_id)
            .unwrap_or_else(|| unreachable!("inserted above"))
    }

    /// Applies one event. Undo events must name the newest undoable review.
    pub fn apply(
        &mut self,
        event: &Event<'_>,
        scheduler: &Scheduler,
    ) -> Result<(), NeedsFullReplay> {
        let day_start_hour = scheduler.config().day_start_hour;
        match event.kind {
            EventKind::Review {
                card_id,
                utc_offset_secs,
                grade,
                duration_ms,
                source,
            } => {
                let card = self.card_mut(card_id);
                let previous = card.state.clone();
                if source != Source::Cram {
                    let now = Now {
                        at: event.at,
                        utc_offset_secs,
                    };
                    card.state = scheduler.review(&previous, grade, now, event.id.fuzz_seed());
                }
                // Reuse the oldest entry's allocation once the stack is full.
                let mut entry_card_id = match self.undo.len() {
                    UNDO_DEPTH.. => self.undo.pop_front().map(|e| e.card_id).unwrap_or_default(),
                    _ => String::new(),
                };
                entry_card_id.clear();
                entry_card_id.push_str(card_id);
                let entry = UndoneReview {
                    id: event.id,
                    card_id: entry_card_id,
                    at: event.at,
                    utc_offset_secs,
                    grade,
                    duration_ms,
                    source,
                    previous,
                };
                let day = day_number(event.at, utc_offset_secs, day_start_hour);
                self.days.entry(day).or_default().count(&entry, 1);
                self.undo.push_back(entry);
            }
            EventKind::Undo { review } => {
                if self.undo.back().map(|e| e.id) != Some(review) {
                    return Err(NeedsFullReplay);
                }
                self.undo_newest(day_start_hour);
            }
            EventKind::Bury { card_id, until_day } => {
                self.card_mut(card_id).flags.buried_until_day = Some(until_day);
            }
            EventKind::Suspend { card_id } => self.card_mut(card_id).flags.suspended = true,
            EventKind::Unsuspend { card_id } => self.card_mut(card_id).flags.suspended = false,
            EventKind::Flag { card_id } => self.card_mut(card_id).flags.flagged = true,
            EventKind::Unflag { card_id } => self.card_mut(card_id).flags.flagged = false,
        }
        Ok(())
    }

    /// Takes back the newest undoable review: the card's whole previous state and the counters.
    pub fn undo_newest(&mut self, day_start_hour: u8) -> Option<UndoneReview> {
        let entry = self.undo.pop_back()?;
        if let Some(card) = self.cards.get_mut(&entry.card_id) {
            card.state = entry.previous.clone();
        }
        let day = day_number(entry.at, entry.utc_offset_secs, day_start_hour);
        if let Some(counts) = self.days.get_mut(&day) {
            counts.count(&entry, -1);
            if *counts == DayActivity::default() {
                self.days.remove(&day);
            }
        }
        Some(entry)
    }
}
