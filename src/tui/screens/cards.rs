//! The cards of one topic (from Notes): front, kind, and where each card is in its life. Rows are
//! computed when the list opens; a frame draws the visible ones.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::content::{Card, CardBody, CardKind, ClozeSegment};
use crate::schedule::{Now, Phase, Timestamp, day_number, format_interval};
use crate::store::Store;
use crate::tui::app::{Env, Outcome};
use crate::tui::keymap::Action;
use crate::tui::widgets::text::{count, fit, row};
use crate::tui::widgets::{keep_in_view, pane};

struct Row {
    front: String,
    kind: String,
    state: String,
}

pub struct CardList {
    topic: usize,
    title: String,
    rows: Vec<Row>,
    selected: usize,
    offset: usize,
    visible: usize,
}

impl CardList {
    pub fn new(env: &Env, topic: usize) -> CardList {
        let title = env
            .content
            .topics
            .get(topic)
            .map_or_else(String::new, |t| format!("Cards: {}", t.title));
        let mut list = CardList {
            topic,
            title,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            visible: 10,
        };
        list.refresh(env);
        list
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// How many cards the list shows.
    pub fn card_count(&self) -> usize {
        self.rows.len()
    }

    fn refresh(&mut self, env: &Env) {
        let now = env.now();
        self.rows = env.index.topic_cards[self.topic]
            .iter()
            .map(|&i| {
                let card = &env.content.cards[i];
                Row {
                    front: front_text(card),
                    kind: kind_label(card),
                    state: state_label(&env.store, &card.id, now),
                }
            })
            .collect();
    }

    pub fn handle(&mut self, action: Action) -> Outcome {
        let last = self.rows.len().saturating_sub(1);
        let page = self.visible.saturating_sub(1).max(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::Back => return Outcome::Pop,
            _ => self.selected,
        };
        Outcome::Stay
    }

    pub fn draw(&mut self, area: Rect, buf: &mut Buffer, env: &Env) {
        let theme = &env.theme;
        let inner = pane(count(self.rows.len(), "card"), true, area, buf, theme);
        if self.rows.is_empty() {
            Line::styled(" No cards on this topic yet.", theme.dim).render(inner, buf);
            return;
        }
        let width = usize::from(inner.width);
        let kind_width = 10;
        let state_width = 22;
        let front_width = width.saturating_sub(kind_width + state_width + 4);
        let header = format!(
            " {:<front_width$} {:<kind_width$} {:<state_width$}",
            "Front", "Kind", "State"
        );
        Line::styled(header, theme.strong).render(row(inner, 0), buf);
        let body_height = usize::from(inner.height.saturating_sub(1));
        self.visible = body_height;
        self.offset = keep_in_view(self.selected, self.offset, body_height);
        for (index, (i, card)) in self
            .rows
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(body_height)
            .enumerate()
        {
            let text = format!(
                " {:<front_width$} {:<kind_width$} {:<state_width$}",
                fit(&card.front, front_width),
                card.kind,
                fit(&card.state, state_width),
            );
            let style = if i == self.selected {
                theme.selected
            } else {
                ratatui::style::Style::new()
            };
            Line::styled(text, style).render(row(inner, index + 1), buf);
        }
    }
}

/// A card's question on one line: the front, the stem, or the cloze with its blanks.
pub fn front_text(card: &Card) -> String {
    match &card.body {
        CardBody::Basic { front, .. } => front.clone(),
        CardBody::Cloze(cloze) => cloze
            .segments
            .iter()
            .map(|segment| match segment {
                ClozeSegment::Text(text) => text.as_str(),
                ClozeSegment::Hidden { .. } => "[...]",
            })
            .collect(),
        CardBody::Choice(question) => question.stem.clone(),
    }
}

/// The card's kind as a learner reads it: "basic", "cloze", "choice", "select 2".
pub fn kind_label(card: &Card) -> String {
    match &card.body {
        CardBody::Choice(question) if card.kind() == CardKind::MultipleResponse => {
            format!("select {}", question.select)
        }
        _ => match card.kind() {
            CardKind::Basic => "basic",
            CardKind::Cloze => "cloze",
            CardKind::MultipleChoice | CardKind::MultipleResponse => "choice",
        }
        .to_string(),
    }
}

/// The phase as the learner reads it, in card titles and the card list.
pub fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::New => "new",
        Phase::Learning => "learning",
        Phase::Review => "review",
        Phase::Relearning => "relearning",
    }
}

/// Where the card is: new, learning and when, due in N days, suspended, buried; flagged marked.
fn state_label(store: &Store, card_id: &str, now: Now) -> String {
    let flags = store.queue_flags(card_id, now);
    let mut label = if flags.suspended {
        "suspended".to_string()
    } else if flags.buried {
        "buried until tomorrow".to_string()
    } else {
        match store.card_state(card_id) {
            None => "new".to_string(),
            Some(state) => {
                let phase = phase_name(state.phase);
                // Review cards come due by study day (as the daily queue takes them), so their
                // wait counts day boundaries; (re)learning cards wait to the minute.
                let wait = if state.phase == Phase::Review {
                    let due_day = day_number(
                        state.due,
                        now.utc_offset_secs,
                        store.config().day_starts_at_hour,
                    );
                    (due_day - store.day_of(now)) * Timestamp::DAY
                } else {
                    state.due.0 - now.at.0
                };
                if wait <= 0 {
                    format!("{phase}, due now")
                } else {
                    format!("{phase}, due in {}", format_interval(wait))
                }
            }
        }
    };
    if flags.flagged {
        label.push_str(" ⚑");
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Grade, start_of_day};
    use crate::store::Source;

    #[test]
    fn review_waits_count_study_days_not_24_hour_spans() {
        let dir = tempfile::tempdir().unwrap();
        let now = Now {
            at: Timestamp(1_795_428_000_000),
            utc_offset_secs: 3600,
        };
        let mut store = Store::open(dir.path(), now).unwrap();
        store
            .record_review("c1", Grade::Easy, now, 5_000, Source::Study)
            .unwrap();
        let due = store.card_state("c1").unwrap().due;
        let hour = store.config().day_starts_at_hour;
        // Summer time began since the review: its due day started at 04:00 of the old offset,
        // which is 05:00 now.
        let summer = 7200;
        let at = |at: Timestamp| Now {
            at,
            utc_offset_secs: summer,
        };
        let due_day = day_number(due, summer, hour);
        let day_start = start_of_day(due_day, summer, hour);
        assert_eq!(due.0 - day_start.0, Timestamp::HOUR);
        // From the start of its due day the card is in the queue, though an hour is left.
        assert_eq!(state_label(&store, "c1", at(day_start)), "review, due now");
        // A moment before that day begins it is a day away, even with more than 24 hours to go.
        let before = Timestamp(day_start.0 - 1);
        assert_eq!(state_label(&store, "c1", at(before)), "review, due in 1d");
        let two_days_before = Timestamp(day_start.0 - Timestamp::DAY - 1);
        assert_eq!(
            state_label(&store, "c1", at(two_days_before)),
            "review, due in 2d"
        );
    }
}
