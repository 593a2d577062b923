//! The numbers of `deckhand stats`: what is due, how many cards are in each state, true retention
//! and the streak, for the cards of the current content (progress of removed cards is kept but
//! not counted).

use serde::Serialize;

use super::Store;
use crate::schedule::{Now, Phase};

/// Cards of the content by where they are in their life; suspended cards count only as suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ByState {
    pub new: usize,
    pub learning: usize,
    pub review: usize,
    pub relearning: usize,
    pub suspended: usize,
}

/// Field names are the JSON keys of `deckhand stats --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Review cards due today (before the daily review limit) plus (re)learning cards due today.
    pub due_today: usize,
    /// New cards that today's new-card limit still lets in.
    pub new_available: usize,
    /// Cards in Learning or Relearning.
    pub learning: usize,
    /// Answers given today, cram included.
    pub reviews_today: u32,
    pub by_state: ByState,
    /// True retention over the last 30 study days; `null` before any review of a Review card.
    pub retention_30d: Option<f64>,
    pub desired_retention: f64,
    pub streak_days: u32,
}

impl Stats {
    /// `card_ids` are the content's cards in content order.
    pub fn compute(store: &Store, card_ids: &[&str], now: Now) -> Stats {
        let mut by_state = ByState::default();
        let mut queue_cards = Vec::with_capacity(card_ids.len());
        for &id in card_ids {
            let card = store.queue_card(id, id, now);
            let count = match (card.flags.suspended, card.state.phase) {
                (true, _) => &mut by_state.suspended,
                (false, Phase::New) => &mut by_state.new,
                (false, Phase::Learning) => &mut by_state.learning,
                (false, Phase::Review) => &mut by_state.review,
                (false, Phase::Relearning) => &mut by_state.relearning,
            };
            *count += 1;
            queue_cards.push(card);
        }
        let config = store.config();
        let counts = store.daily_queue(&queue_cards, now).counts;
        Stats {
            due_today: counts.reviews_due + counts.learning_now + counts.learning_later_today,
            new_available: counts.new_queued,
            learning: by_state.learning + by_state.relearning,
            reviews_today: store.today(now).all_reviews(),
            by_state,
            retention_30d: store.true_retention(now, 30),
            // Through the shortest decimal form, so 0.9f32 prints as 0.9 and not 0.899999976.
            desired_retention: config
                .desired_retention
                .to_string()
                .parse()
                .unwrap_or(f64::from(config.desired_retention)),
            streak_days: store.streak(now),
        }
    }

    pub fn to_json(&self) -> String {
        // Serializing plain numbers and strings cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The text report, one figure a line.
    pub fn to_text(&self) -> String {
        let retention = match self.retention_30d {
            Some(r) => format!("{:.1}%", r * 100.0),
            None => "no reviews of learnt cards yet".to_owned(),
        };
        let s = &self.by_state;
        format!(
            "Due today        {}\nNew available    {}\nLearning         {}\nReviews today    {}\n\
             Streak           {} day{}\nRetention (30 d) {retention} (desired {:.0}%)\n\
             Cards            {} new, {} learning, {} review, {} relearning, {} suspended\n",
            self.due_today,
            self.new_available,
            self.learning,
            self.reviews_today,
            self.streak_days,
            if self.streak_days == 1 { "" } else { "s" },
            self.desired_retention * 100.0,
            s.new,
            s.learning,
            s.review,
            s.relearning,
            s.suspended,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Grade, Timestamp};
    use crate::store::Source;

    fn at(ms: i64) -> Now {
        Now {
            at: Timestamp(1_795_435_200_000 + ms),
            utc_offset_secs: 0,
        }
    }

    #[test]
    fn stats_count_the_content_cards() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path(), at(0)).unwrap();
        store
            .record_review("a", Grade::Good, at(0), 1_000, Source::Study)
            .unwrap();
        store
            .record_review("b", Grade::Easy, at(0), 1_000, Source::Study)
            .unwrap();
        store.set_suspended("c", true, at(0)).unwrap();
        store
            .record_review(
                "gone-from-content",
                Grade::Good,
                at(0),
                1_000,
                Source::Study,
            )
            .unwrap();
        let stats = Stats::compute(&store, &["a", "b", "c", "d", "e"], at(1_000));
        assert_eq!(
            stats.by_state,
            ByState {
                new: 2,
                learning: 1,
                review: 1,
                relearning: 0,
                suspended: 1
            }
        );
        assert_eq!(stats.learning, 1);
        assert_eq!(stats.reviews_today, 3);
        // "a" waits for its 10-minute step later today; two new cards fit today's limit of 20.
        assert_eq!(stats.due_today, 1);
        assert_eq!(stats.new_available, 2);
        assert_eq!(stats.retention_30d, None);
        assert_eq!(stats.streak_days, 1);
        let json = stats.to_json();
        for key in [
            "\"due_today\": 1",
            "\"new_available\": 2",
            "\"learning\": 1",
            "\"reviews_today\": 3",
            "\"by_state\"",
            "\"retention_30d\": null",
            "\"desired_retention\": 0.9",
            "\"streak_days\": 1",
        ] {
            assert!(json.contains(key), "{key} missing from {json}");
        }
        assert!(stats.to_text().contains("Streak           1 day\n"));
    }
}
