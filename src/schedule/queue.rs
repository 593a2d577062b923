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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::schedule::{Memory, SchedulerConfig, start_of_day};

    /// 2022-11-29 12:30 UTC.
    const NOW: Now = Now {
        at: Timestamp(1_669_725_000_000),
        utc_offset_secs: 0,
    };
    const MIN: i64 = Timestamp::MINUTE;
    const DAY: i64 = Timestamp::DAY;
    const BURIED: CardFlags = CardFlags {
        suspended: false,
        buried: true,
        flagged: false,
    };
    const SUSPENDED: CardFlags = CardFlags {
        suspended: true,
        buried: false,
        flagged: false,
    };

    fn scheduler() -> Scheduler {
        Scheduler::new(SchedulerConfig::default()).unwrap()
    }

    fn learning(due: Timestamp) -> CardState {
        CardState {
            phase: Phase::Learning,
            memory: Some(Memory {
                stability: 1.0,
                difficulty: 5.0,
            }),
            last_review: Some(NOW.at.plus_millis(-10 * MIN)),
            due,
            ..CardState::new()
        }
    }

    /// A Review card last seen `days_ago` with stability `stability`, due at the start of `due_day`.
    fn review(days_ago: i64, stability: f32, due_day: i64) -> CardState {
        CardState {
            phase: Phase::Review,
            memory: Some(Memory {
                stability,
                difficulty: 5.0,
            }),
            last_review: Some(NOW.at.plus_millis(-days_ago * DAY)),
            due: start_of_day(due_day, 0, 4),
            scheduled_days: 1,
            ..CardState::new()
        }
    }

    fn cards<'a>(
        states: &'a [(&'static str, CardState, CardFlags)],
    ) -> Vec<QueueCard<'a, &'static str>> {
        states
            .iter()
            .map(|(id, state, flags)| QueueCard {
                id: *id,
                state,
                flags: *flags,
            })
            .collect()
    }

    #[test]
    fn learning_then_most_forgotten_reviews_then_new_in_content_order() {
        let today = day_number(NOW.at, 0, 4);
        let states = [
            ("new-b", CardState::new(), CardFlags::default()),
            ("review-fresh", review(1, 30.0, today), CardFlags::default()),
            (
                "learn-late",
                learning(NOW.at.plus_millis(-MIN)),
                CardFlags::default(),
            ),
            (
                "review-old",
                review(20, 3.0, today - 10),
                CardFlags::default(),
            ),
            (
                "review-tomorrow",
                review(1, 3.0, today + 1),
                CardFlags::default(),
            ),
            (
                "learn-early",
                learning(NOW.at.plus_millis(-5 * MIN)),
                CardFlags::default(),
            ),
            (
                "learn-soon",
                learning(NOW.at.plus_millis(4 * MIN)),
                CardFlags::default(),
            ),
            ("new-a", CardState::new(), CardFlags::default()),
            ("new-buried", CardState::new(), BURIED),
        ];
        let queue = scheduler().daily_queue(
            &cards(&states),
            NOW,
            DailyLimits::default(),
            DoneToday::default(),
        );
        let ids: Vec<_> = queue.entries.iter().map(|entry| entry.id).collect();
        assert_eq!(
            ids,
            [
                "learn-early",
                "learn-late",
                "review-old",
                "review-fresh",
                "new-b",
                "new-a"
            ]
        );
        assert_eq!(queue.next_learning_due, Some(NOW.at.plus_millis(4 * MIN)));
        assert_eq!(
            queue.counts,
            DayCounts {
                learning_now: 2,
                learning_later_today: 1,
                reviews_due: 2,
                reviews_queued: 2,
                new_available: 2,
                new_queued: 2,
            }
        );
    }

    #[test]
    fn new_cards_share_the_review_limit_after_the_reviews() {
        let today = day_number(NOW.at, 0, 4);
        let states: Vec<_> = (0..5)
            .map(|i| {
                (
                    "review",
                    review(3, 1.0 + i as f32, today),
                    CardFlags::default(),
                )
            })
            .chain((0..5).map(|_| ("new", CardState::new(), CardFlags::default())))
            .collect();
        let limits = DailyLimits {
            new_per_day: 4,
            max_reviews_per_day: 10,
        };
        let done = DoneToday {
            new_introduced: 1,
            reviews_done: 2,
        };
        let queue = scheduler().daily_queue(&cards(&states), NOW, limits, done);
        // Room for 10 - 2 - 1 = 7: all 5 reviews, then 2 of the 3 new cards still allowed.
        assert_eq!(
            (queue.counts.reviews_queued, queue.counts.new_queued),
            (5, 2)
        );
    }

    #[test]
    fn cram_orders_everything_by_recall_and_skips_suspended() {
        let today = day_number(NOW.at, 0, 4);
        let states = [
            ("new", CardState::new(), CardFlags::default()),
            ("strong", review(1, 100.0, today + 50), CardFlags::default()),
            ("weak", review(5, 2.0, today + 1), CardFlags::default()),
            ("gone", review(5, 1.0, today), SUSPENDED),
        ];
        assert_eq!(
            scheduler().cram_queue(&cards(&states), NOW),
            ["weak", "strong", "new"]
        );
    }

    fn random_card() -> impl Strategy<Value = (CardState, CardFlags)> {
        let phase = prop_oneof![
            Just(Phase::New),
            Just(Phase::Learning),
            Just(Phase::Review),
            Just(Phase::Relearning)
        ];
        (
            phase,
            -3 * DAY..3 * DAY,
            0.1f32..100.0,
            0i64..30,
            any::<(bool, bool, bool)>(),
        )
            .prop_map(
                |(phase, due_offset, stability, days_ago, (suspended, buried, flagged))| {
                    let state = CardState {
                        phase,
                        memory: (phase != Phase::New).then_some(Memory {
                            stability,
                            difficulty: 5.0,
                        }),
                        last_review: (phase != Phase::New)
                            .then(|| NOW.at.plus_millis(-days_ago * DAY)),
                        due: NOW.at.plus_millis(due_offset),
                        ..CardState::new()
                    };
                    (
                        state,
                        CardFlags {
                            suspended,
                            buried,
                            flagged,
                        },
                    )
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn the_queue_respects_limits_and_skips_suspended_and_buried(
            cards in prop::collection::vec(random_card(), 0..60),
            new_per_day in 0u32..20,
            max_reviews_per_day in 0u32..40,
            new_introduced in 0u32..25,
            reviews_done in 0u32..45,
        ) {
            let scheduler = scheduler();
            let input: Vec<_> = cards
                .iter()
                .enumerate()
                .map(|(id, (state, flags))| QueueCard { id, state, flags: *flags })
                .collect();
            let limits = DailyLimits { new_per_day, max_reviews_per_day };
            let done = DoneToday { new_introduced, reviews_done };
            let queue = scheduler.daily_queue(&input, NOW, limits, done);
            let count = |kind| queue.entries.iter().filter(|entry| entry.kind == kind).count() as u32;
            let (new, reviews) = (count(QueueKind::New), count(QueueKind::Review));
            prop_assert!(new == 0 || new + new_introduced <= new_per_day);
            prop_assert!(new + reviews == 0 || new + reviews + new_introduced + reviews_done <= max_reviews_per_day);
            let mut seen = std::collections::HashSet::new();
            let mut last_recall = f32::MIN;
            for entry in &queue.entries {
                let (state, flags) = &cards[entry.id];
                prop_assert!(seen.insert(entry.id));
                prop_assert!(!flags.suspended && !flags.buried);
                match entry.kind {
                    QueueKind::Learning => prop_assert!(state.due <= NOW.at),
                    QueueKind::Review => {
                        let recall = scheduler.retrievability(state, NOW.at).unwrap();
                        prop_assert!(recall >= last_recall);
                        last_recall = recall;
                    }
                    QueueKind::New => prop_assert_eq!(state.phase, Phase::New),
                }
            }
            let cram = scheduler.cram_queue(&input, NOW);
            prop_assert!(cram.iter().all(|&id| !cards[id].1.suspended && !cards[id].1.buried));
        }
    }
}
