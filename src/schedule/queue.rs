//! The day's study queue, pure: which cards to show now and in what order, the counts Home shows,
//! and the cram order (study ahead without touching the schedule).
//!
//! Order: (re)learning cards due now, earliest first; then Review cards due today (by study day),
//! least likely to be remembered first; then New cards in the order the caller gives them (content
//! order). Limits, as in Anki: at most `new_per_day` new cards a day, and `max_reviews_per_day`
//! caps Review cards and new cards together (reviews first). (Re)learning steps are never capped:
//! a card already started must be finished.

use serde::{Deserialize, Serialize};

use super::card::{CardState, Scheduler};
use super::day::day_number;
use super::{Now, Phase, Timestamp};

/// What the user did to a card outside the schedule. Suspended and buried cards are never queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CardFlags {
    pub suspended: bool,
    /// Buried until the next study day; the caller clears it when that day starts.
    pub buried: bool,
    /// Marked for later attention; no effect on the queue.
    pub flagged: bool,
}

/// One eligible card as the caller sees it (already filtered by topic), in content order.
#[derive(Debug, Clone)]
pub struct QueueCard<'a, Id> {
    pub id: Id,
    pub state: &'a CardState,
    pub flags: CardFlags,
}

/// The daily limits of `config.ron`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DailyLimits {
    pub new_per_day: u32,
    /// Caps Review cards and new cards together.
    pub max_reviews_per_day: u32,
}

impl Default for DailyLimits {
    fn default() -> Self {
        DailyLimits {
            new_per_day: 20,
            max_reviews_per_day: 200,
        }
    }
}

/// What was already studied in the current study day (the store counts it from the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DoneToday {
    /// New cards seen for the first time today.
    pub new_introduced: u32,
    /// Answers given to cards that were in Review (not learning steps, not first sights).
    pub reviews_done: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueueKind {
    /// Learning or Relearning, due now.
    Learning,
    Review,
    New,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry<Id> {
    pub id: Id,
    pub kind: QueueKind,
}

/// Counts for Home and the Study header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayCounts {
    /// (Re)learning cards due now.
    pub learning_now: usize,
    /// (Re)learning cards due later in this study day.
    pub learning_later_today: usize,
    /// Review cards due today, before the daily limit.
    pub reviews_due: usize,
    /// Review cards in the queue (after the limit).
    pub reviews_queued: usize,
    /// New cards not suspended or buried, before the daily limit.
    pub new_available: usize,
    /// New cards in the queue (after the limits).
    pub new_queued: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DailyQueue<Id> {
    pub entries: Vec<QueueEntry<Id>>,
    /// When the next (re)learning card due later today comes due ("next card in 4m").
    pub next_learning_due: Option<Timestamp>,
    pub counts: DayCounts,
}

impl Scheduler {
    /// The queue to study now. `cards` are the eligible cards in content order; the result never
    /// holds a suspended or buried card and never goes beyond `limits` given `done`.
    pub fn daily_queue<Id: Clone>(
        &self,
        cards: &[QueueCard<'_, Id>],
        now: Now,
        limits: DailyLimits,
        done: DoneToday,
    ) -> DailyQueue<Id> {
        let hour = self.config().day_start_hour;
        let today = day_number(now.at, now.utc_offset_secs, hour);
        let mut learning: Vec<(Timestamp, &QueueCard<'_, Id>)> = Vec::new();
        let mut reviews: Vec<(f32, Timestamp, &QueueCard<'_, Id>)> = Vec::new();
        let mut new = Vec::new();
        let mut counts = DayCounts::default();
        let mut next_learning_due: Option<Timestamp> = None;
        for card in cards.iter().filter(|card| is_studyable(card.flags)) {
            let state = card.state;
            match state.phase {
                Phase::Learning | Phase::Relearning if state.due <= now.at => {
                    learning.push((state.due, card));
                }
                Phase::Learning | Phase::Relearning => {
                    if day_number(state.due, now.utc_offset_secs, hour) <= today {
                        counts.learning_later_today += 1;
                        next_learning_due =
                            Some(next_learning_due.map_or(state.due, |next| next.min(state.due)));
                    }
                }
                Phase::Review => {
                    if day_number(state.due, now.utc_offset_secs, hour) <= today {
                        let recall = self.retrievability(state, now.at).unwrap_or(0.0);
                        reviews.push((recall, state.due, card));
                    }
                }
                Phase::New => new.push(card),
            }
        }
        // Stable sorts keep content order among equals, so the queue is deterministic.
        learning.sort_by_key(|&(due, _)| due);
        reviews.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));

        let room = to_usize(
            limits
                .max_reviews_per_day
                .saturating_sub(done.reviews_done)
                .saturating_sub(done.new_introduced),
        );
        let reviews_queued = reviews.len().min(room);
        let new_room = to_usize(limits.new_per_day.saturating_sub(done.new_introduced));
        let new_queued = new.len().min(new_room).min(room - reviews_queued);
        counts.learning_now = learning.len();
        counts.reviews_due = reviews.len();
        counts.reviews_queued = reviews_queued;
        counts.new_available = new.len();
        counts.new_queued = new_queued;

        let entry = |card: &QueueCard<'_, Id>, kind| QueueEntry {
            id: card.id.clone(),
            kind,
        };
        let entries = learning
            .iter()
            .map(|&(_, card)| entry(card, QueueKind::Learning))
            .chain(
                reviews[..reviews_queued]
                    .iter()
                    .map(|&(_, _, card)| entry(card, QueueKind::Review)),
            )
            .chain(
                new[..new_queued]
                    .iter()
                    .map(|card| entry(card, QueueKind::New)),
            )
            .collect();
        DailyQueue {
            entries,
            next_learning_due,
            counts,
        }
    }

    /// Cram / study ahead: every studied card that is not suspended or buried, least likely to be
    /// remembered first, due or not, then the New cards in content order. The caller shows them
    /// without saving schedule changes.
    pub fn cram_queue<Id: Clone>(&self, cards: &[QueueCard<'_, Id>], now: Now) -> Vec<Id> {
        let mut seen: Vec<(f32, &QueueCard<'_, Id>)> = Vec::new();
        let mut new = Vec::new();
        for card in cards.iter().filter(|card| is_studyable(card.flags)) {
            match self.retrievability(card.state, now.at) {
                Some(recall) => seen.push((recall, card)),
                None => new.push(card),
            }
        }
        seen.sort_by(|a, b| a.0.total_cmp(&b.0));
        seen.iter()
            .map(|(_, card)| card.id.clone())
            .chain(new.iter().map(|card| card.id.clone()))
            .collect()
    }
}

fn is_studyable(flags: CardFlags) -> bool {
    !flags.suspended && !flags.buried
}

fn to_usize(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
