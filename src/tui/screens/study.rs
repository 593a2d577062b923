//! Study: the day's queue, one card at a time. Front, `Space` reveals, `1`-`4` grade; choice
//! questions are answered with the number keys and graded from the answer.
//!
//! Rules worth knowing:
//! - Every review is saved (appended and fsync'd by the store) the moment it is graded.
//! - A choice question answered wrongly suggests Again, answered rightly Good; `Space`/`Enter`
//!   accepts the suggestion and `1`-`4` override it (you guessed right: press 2 for Hard).
//! - A (re)learning card that comes due again later today waits in the session and is shown as
//!   soon as it is due, before the rest of the queue; when only waiting cards are left the
//!   summary says when the next one comes and brings it up by itself when it is due (`Enter`
//!   shows it early).
//! - Cram (`--cram`) walks every card of the selection, least remembered first; reviews are
//!   logged as Cram and never move the schedule, a card graded Again comes back at the end.
//! - Time per card is counted up to two minutes, so a card left on screen during a break does not
//!   distort the log.
//! - `u` takes back the last review (or suspension) of this session: the card and the session's
//!   counters return to what they were before it.

use std::collections::VecDeque;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::content::{Card, CardBody, ClozeSegment, Question};
use crate::schedule::{
    CardState, DailyQueue, Grade, Now, Phase, QueueCard, Timestamp, format_interval,
    start_of_next_day,
};
use crate::store::Source;
use crate::tui::app::{Env, Outcome};
use crate::tui::keymap::{Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::gauge::bar;
use crate::tui::widgets::pane;
use crate::tui::widgets::text::{markup, render_lines, wrap};

/// Longest time one answer counts for.
pub const MAX_ANSWER_MS: i64 = 2 * Timestamp::MINUTE;

/// The widest the study screen gets, in columns.
const MAX_CARD_WIDTH: u16 = 100;

/// The card box's smallest height, borders included.
const MIN_CARD_ROWS: u16 = 12;

static NEW_CARD: CardState = CardState::new();

/// The fuzz draw that lands in the middle of every fuzz range, so a grade button shows the
/// interval before fuzz (as Anki does); the review itself gets its own draw from the store and
/// may land a few days either side. (SplitMix64 maps this seed to exactly 2^63.)
const MIDDLE_OF_FUZZ_SEED: u64 = 0x2fed_f1ef_ce1d_5545;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudyOptions {
    /// Only cards of this topic or its subtopics.
    pub topic: Option<String>,
    /// Review without changing the schedule.
    pub cram: bool,
}

/// The cards of the selection (all, or one topic's), in study order (see
/// `ContentIndex::study_order`), with their state and flags, as the scheduler's queue builders
/// take them.
pub fn eligible<'a>(env: &'a Env, topic: Option<&str>, now: Now) -> Vec<QueueCard<'a, usize>> {
    // The index holds each topic's cards (subtopics included) in content order; study order
    // comes from `study_order`, so the topic's cards are marked and then walked in that order.
    let selected: Option<Vec<bool>> = topic.map(|t| {
        let mut selected = vec![false; env.content.cards.len()];
        if let Some(position) = env.content.topics.iter().position(|topic| topic.id == t) {
            for &i in &env.index.topic_cards[position] {
                selected[i] = true;
            }
        }
        selected
    });
    env.index
        .study_order
        .iter()
        .filter(|&&i| selected.as_ref().is_none_or(|selected| selected[i]))
        .map(|&i| env.store.queue_card(i, &env.content.cards[i].id, now))
        .collect()
}

/// Today's queue for the selection.
pub fn daily_queue(env: &Env, topic: Option<&str>, now: Now) -> DailyQueue<usize> {
    env.store.daily_queue(&eligible(env, topic, now), now)
}

/// Where the learner is with the card on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// Question shown, answer hidden.
    Front,
    Revealed,
    /// A choice question waiting for its answer; `picked` per option.
    Choosing {
        picked: Vec<bool>,
    },
    /// A choice question answered.
    Answered {
        picked: Vec<bool>,
        correct: bool,
    },
}

#[derive(Debug, Clone)]
struct Current {
    card: usize,
    shown_at: Timestamp,
    view: View,
    /// Phase before this review, for the card's title.
    phase: Phase,
    /// The wait each grade would give, formatted; None in cram.
    intervals: Option<[String; 4]>,
    /// How many options a choice question wants (1 for other cards).
    select: usize,
}

/// Where a graded card went back into the session, so undo can take it out again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Requeued {
    No,
    Waiting,
    QueueEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UndoStep {
    Review {
        card: usize,
        grade: Grade,
        duration_ms: u32,
        requeued: Requeued,
    },
    Suspend {
        card: usize,
    },
}

/// The numbers of this session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionCounts {
    pub done: u32,
    pub again: u32,
    pub spent_ms: u64,
}

struct Rendered {
    version: u64,
    width: u16,
    lines: Vec<Line<'static>>,
}

pub struct Study {
    options: StudyOptions,
    title: String,
    queue: VecDeque<usize>,
    /// Learning cards due later today: (due, card).
    waiting: Vec<(Timestamp, usize)>,
    current: Option<Current>,
    counts: SessionCounts,
    undo: Vec<UndoStep>,
    /// Cards due at the start of tomorrow, computed when the summary appears.
    due_tomorrow: Option<usize>,
    scroll: usize,
    visible: usize,
    version: u64,
    rendered: Option<Rendered>,
}

impl Study {
    pub fn new(env: &Env, options: StudyOptions) -> Study {
        let now = env.now();
        let topic = options.topic.as_deref();
        let mut waiting = Vec::new();
        let cards = eligible(env, topic, now);
        let queue: VecDeque<usize> = if options.cram {
            env.store.scheduler().cram_queue(&cards, now).into()
        } else {
            let tomorrow = start_of_next_day_at(env, now);
            for card in &cards {
                let state = card.state;
                let learning = matches!(state.phase, Phase::Learning | Phase::Relearning);
                if learning
                    && !card.flags.suspended
                    && !card.flags.buried
                    && state.due > now.at
                    && state.due < tomorrow
                {
                    waiting.push((state.due, card.id));
                }
            }
            env.store
                .daily_queue(&cards, now)
                .entries
                .into_iter()
                .map(|entry| entry.id)
                .collect()
        };
        let title = match (options.cram, topic) {
            (false, None) => "Study".to_string(),
            (false, Some(t)) => format!("Study: {t}"),
            (true, None) => "Cram".to_string(),
            (true, Some(t)) => format!("Cram: {t}"),
        };
        let mut study = Study {
            options,
            title,
            queue,
            waiting,
            current: None,
            counts: SessionCounts::default(),
            undo: Vec::new(),
            due_tomorrow: None,
            scroll: 0,
            visible: 10,
            version: 0,
            rendered: None,
        };
        study.next_card(env);
        study
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn counts(&self) -> SessionCounts {
        self.counts
    }

    /// The content index of the card on screen; None once the session is over.
    pub fn current_card(&self) -> Option<usize> {
        self.current.as_ref().map(|c| c.card)
    }

    pub fn view(&self) -> Option<&View> {
        self.current.as_ref().map(|c| &c.view)
    }

    /// Cards still to come (not counting the one on screen), waiting learning cards included.
    pub fn remaining(&self) -> usize {
        self.queue.len() + self.waiting.len()
    }

    pub fn context(&self) -> Context {
        match self.current.as_ref().map(|c| &c.view) {
            None => Context::StudySummary,
            Some(View::Front) => Context::StudyFront,
            Some(View::Revealed) => Context::StudyRevealed,
            Some(View::Choosing { .. }) if self.select_count() > 1 => Context::StudyMultiChoice,
            Some(View::Choosing { .. }) => Context::StudyChoice,
            Some(View::Answered { .. }) => Context::StudyAnswered,
        }
    }

    fn select_count(&self) -> usize {
        self.current.as_ref().map_or(1, |c| c.select)
    }

    pub fn handle(&mut self, action: Action, env: &mut Env) -> Outcome {
        let Some(current) = &self.current else {
            return match action {
                Action::Undo => self.undo(env),
                Action::Open => {
                    self.take_waiting_early(env);
                    Outcome::Stay
                }
                Action::Back => Outcome::Pop,
                _ => Outcome::Stay,
            };
        };
        match (action, &current.view) {
            (Action::Reveal, View::Front) => {
                if let Some(current) = &mut self.current {
                    current.view = View::Revealed;
                }
                self.changed();
            }
            (Action::Grade(n), View::Revealed | View::Answered { .. }) => {
                if let Some(grade) = Grade::from_number(n) {
                    return self.grade(grade, env);
                }
            }
            (Action::AcceptGrade, View::Answered { correct, .. }) => {
                let grade = if *correct { Grade::Good } else { Grade::Again };
                return self.grade(grade, env);
            }
            (Action::Choose(n), View::Choosing { .. }) => self.choose(usize::from(n), env),
            (Action::Confirm, View::Choosing { picked }) => {
                // As in the exam: exactly as many picks as the question asks for.
                let count = picked.iter().filter(|&&p| p).count();
                if count != current.select {
                    return Outcome::Message(format!(
                        "Pick {} options with the number keys ({count} picked), then press Enter.",
                        current.select
                    ));
                }
                self.answer(env);
            }
            (Action::Up, _) => self.scroll = self.scroll.saturating_sub(1),
            (Action::Down, _) => self.scroll += 1,
            (Action::Undo, _) => return self.undo(env),
            (Action::Bury, _) => return self.bury(env),
            (Action::Suspend, _) => return self.suspend(env),
            (Action::Flag, _) => return self.flag(env),
            (Action::Back, _) => return Outcome::Pop,
            _ => {}
        }
        Outcome::Stay
    }

    fn choose(&mut self, option: usize, env: &Env) {
        let Some(current) = &mut self.current else {
            return;
        };
        let select = current.select;
        let View::Choosing { picked } = &mut current.view else {
            return;
        };
        if option >= picked.len() {
            return;
        }
        if select == 1 {
            picked[option] = true;
            self.answer(env);
        } else {
            picked[option] = !picked[option];
            self.changed();
        }
    }

    /// A learning card may have come due while the summary is on screen.
    pub fn tick(&mut self, env: &mut Env) -> bool {
        if self.current.is_some() {
            return false;
        }
        let now = env.now();
        if self.waiting.iter().any(|&(due, _)| due <= now.at) {
            self.next_card(env);
        }
        // The summary's "next card in Nm" moves with the clock.
        !self.waiting.is_empty()
    }

    fn changed(&mut self) {
        self.version += 1;
    }

    /// Shows the next card: a waiting learning card that is now due, else the queue's next.
    fn next_card(&mut self, env: &Env) {
        let now = env.now();
        let due_waiting = self
            .waiting
            .iter()
            .enumerate()
            .filter(|(_, (due, _))| *due <= now.at)
            .min_by_key(|(_, (due, _))| *due)
            .map(|(i, _)| i);
        let next = match due_waiting {
            Some(i) => Some(self.waiting.remove(i).1),
            None => self.queue.pop_front(),
        };
        match next {
            Some(card) => self.show(card, env, now),
            None => {
                self.current = None;
                self.due_tomorrow = Some(self.count_due_tomorrow(env, now));
                self.changed();
            }
        }
    }

    fn take_waiting_early(&mut self, env: &Env) {
        let Some(i) = (0..self.waiting.len()).min_by_key(|&i| self.waiting[i].0) else {
            return;
        };
        let card = self.waiting.remove(i).1;
        self.show(card, env, env.now());
    }

    fn show(&mut self, card: usize, env: &Env, now: Now) {
        let content_card = &env.content.cards[card];
        let state = env.store.card_state(&content_card.id).unwrap_or(&NEW_CARD);
        let intervals = (!self.options.cram).then(|| {
            let preview = env
                .store
                .scheduler()
                .preview(state, now, MIDDLE_OF_FUZZ_SEED);
            Grade::ALL
                .map(|g| format_interval(preview.for_grade(g).interval_for_display_ms(now.at)))
        });
        let (view, select) = match &content_card.body {
            CardBody::Choice(question) => (
                View::Choosing {
                    picked: vec![false; question.options.len()],
                },
                question.select,
            ),
            _ => (View::Front, 1),
        };
        self.current = Some(Current {
            card,
            shown_at: now.at,
            view,
            phase: state.phase,
            intervals,
            select,
        });
        self.scroll = 0;
        self.changed();
    }

    fn answer(&mut self, env: &Env) {
        let Some(current) = &mut self.current else {
            return;
        };
        let View::Choosing { picked } = &current.view else {
            return;
        };
        let CardBody::Choice(question) = &env.content.cards[current.card].body else {
            return;
        };
        let correct = question
            .options
            .iter()
            .zip(picked)
            .all(|(option, &picked)| option.correct == picked);
        current.view = View::Answered {
            picked: picked.clone(),
            correct,
        };
        self.changed();
    }

    fn grade(&mut self, grade: Grade, env: &mut Env) -> Outcome {
        let Some(current) = &self.current else {
            return Outcome::Stay;
        };
        let card = current.card;
        let now = env.now();
        let duration_ms = (now.at.0 - current.shown_at.0).clamp(0, MAX_ANSWER_MS) as u32;
        let source = if self.options.cram {
            Source::Cram
        } else {
            Source::Study
        };
        let card_id = &env.content.cards[card].id;
        if let Err(err) = env
            .store
            .record_review(card_id, grade, now, duration_ms, source)
        {
            return Outcome::Message(format!("Could not save this review: {err}"));
        }
        self.counts.done += 1;
        self.counts.again += u32::from(grade == Grade::Again);
        self.counts.spent_ms += u64::from(duration_ms);
        let requeued = if self.options.cram {
            if grade == Grade::Again {
                self.queue.push_back(card);
                Requeued::QueueEnd
            } else {
                Requeued::No
            }
        } else {
            match env.store.card_state(card_id) {
                Some(state)
                    if matches!(state.phase, Phase::Learning | Phase::Relearning)
                        && state.due < start_of_next_day_at(env, now) =>
                {
                    self.waiting.push((state.due, card));
                    Requeued::Waiting
                }
                _ => Requeued::No,
            }
        };
        self.undo.push(UndoStep::Review {
            card,
            grade,
            duration_ms,
            requeued,
        });
        self.next_card(env);
        Outcome::Stay
    }

    fn undo(&mut self, env: &mut Env) -> Outcome {
        let Some(step) = self.undo.pop() else {
            return Outcome::Message("Nothing to undo in this session.".to_string());
        };
        let now = env.now();
        let card = match step {
            UndoStep::Review {
                card,
                grade,
                duration_ms,
                requeued,
            } => {
                match env.store.undo_last_review(now) {
                    Ok(Some(_)) => {}
                    Ok(None) => return Outcome::Message("Nothing to undo.".to_string()),
                    Err(err) => {
                        self.undo.push(step);
                        return Outcome::Message(format!("Could not undo: {err}"));
                    }
                }
                self.counts.done -= 1;
                self.counts.again -= u32::from(grade == Grade::Again);
                self.counts.spent_ms -= u64::from(duration_ms);
                match requeued {
                    Requeued::No => {}
                    Requeued::Waiting => {
                        if let Some(i) = self.waiting.iter().rposition(|&(_, c)| c == card) {
                            self.waiting.remove(i);
                        }
                    }
                    Requeued::QueueEnd => {
                        if let Some(i) = self.queue.iter().rposition(|&c| c == card) {
                            self.queue.remove(i);
                        }
                    }
                }
                card
            }
            UndoStep::Suspend { card } => {
                let card_id = &env.content.cards[card].id;
                if let Err(err) = env.store.set_suspended(card_id, false, now) {
                    self.undo.push(step);
                    return Outcome::Message(format!("Could not undo: {err}"));
                }
                card
            }
        };
        // The card on screen goes back to the front; the undone card is shown again.
        if let Some(current) = self.current.take() {
            self.queue.push_front(current.card);
        }
        self.show(card, env, now);
        Outcome::Message("Undone.".to_string())
    }

    fn bury(&mut self, env: &mut Env) -> Outcome {
        let Some(current) = &self.current else {
            return Outcome::Stay;
        };
        let card_id = &env.content.cards[current.card].id;
        if let Err(err) = env.store.set_buried(card_id, env.clock.now()) {
            return Outcome::Message(format!("Could not bury: {err}"));
        }
        self.next_card(env);
        Outcome::Message("Buried until tomorrow.".to_string())
    }

    fn suspend(&mut self, env: &mut Env) -> Outcome {
        let Some(current) = &self.current else {
            return Outcome::Stay;
        };
        let card = current.card;
        let card_id = &env.content.cards[card].id;
        if let Err(err) = env.store.set_suspended(card_id, true, env.clock.now()) {
            return Outcome::Message(format!("Could not suspend: {err}"));
        }
        self.undo.push(UndoStep::Suspend { card });
        self.next_card(env);
        Outcome::Message("Suspended: it will not be scheduled (u brings it back).".to_string())
    }

    fn flag(&mut self, env: &mut Env) -> Outcome {
        let Some(current) = &self.current else {
            return Outcome::Stay;
        };
        let card_id = &env.content.cards[current.card].id;
        let flagged = !env.store.flags(card_id).flagged;
        if let Err(err) = env.store.set_flagged(card_id, flagged, env.clock.now()) {
            return Outcome::Message(format!("Could not flag: {err}"));
        }
        self.changed();
        Outcome::Message(if flagged { "Flagged." } else { "Flag removed." }.to_string())
    }

    fn count_due_tomorrow(&self, env: &Env, now: Now) -> usize {
        let tomorrow = Now {
            at: start_of_next_day_at(env, now),
            utc_offset_secs: now.utc_offset_secs,
        };
        let counts = daily_queue(env, self.options.topic.as_deref(), tomorrow).counts;
        counts.reviews_due + counts.learning_now
    }

    pub fn draw(&mut self, area: Rect, buf: &mut Buffer, env: &Env) {
        let theme = &env.theme;
        // Lines longer than about 100 columns are hard to read: wide terminals get a centred card.
        let area = area.centered_horizontally(Constraint::Max(MAX_CARD_WIDTH));
        let [progress, _, body] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        self.draw_progress(progress, buf, theme);
        let Some(current) = &self.current else {
            self.draw_summary(body, buf, env);
            return;
        };
        // The card box is as tall as the card (at least MIN_CARD_ROWS, so revealing rarely moves
        // the buttons), the buttons right under it.
        let content_card = &env.content.cards[current.card];
        let title = card_title(
            content_card,
            current.phase,
            env.store.flags(&content_card.id).flagged,
        );
        let text_width = body.width.saturating_sub(4);
        let wanted = self.card_lines(text_width, env).len() + 2;
        let height = u16::try_from(wanted)
            .unwrap_or(u16::MAX)
            .max(MIN_CARD_ROWS)
            .min(body.height.saturating_sub(2));
        let [card, _, buttons] = body.layout(&Layout::vertical([
            Constraint::Length(height),
            Constraint::Length(1),
            Constraint::Length(1),
        ]));
        let inner = pane(title, false, card, buf, theme).inner(Margin::new(1, 0));
        self.draw_card(inner, buf, env);
        self.draw_buttons(buttons, buf, theme);
    }

    fn draw_progress(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let on_screen = usize::from(self.current.is_some());
        let done = self.counts.done as usize;
        let total = done + on_screen + self.remaining();
        let left = format!(" {done}/{total} ");
        let cram = if self.options.cram {
            "cram, schedule unchanged · "
        } else {
            ""
        };
        let right = format!(
            " {cram}again {} · {} ",
            self.counts.again,
            format_duration(self.counts.spent_ms)
        );
        let bar_width = usize::from(area.width).saturating_sub(left.len() + right.chars().count());
        let mut spans = vec![Span::styled(left, theme.strong)];
        spans.extend(bar(done, total, bar_width, theme));
        spans.push(Span::styled(right, theme.dim));
        Line::from(spans).render(area, buf);
    }

    /// The card's lines for the current view at this width, wrapped once per change.
    fn card_lines(&mut self, width: u16, env: &Env) -> &[Line<'static>] {
        let stale = self
            .rendered
            .as_ref()
            .is_none_or(|r| r.version != self.version || r.width != width);
        if stale && let Some(current) = &self.current {
            let card = &env.content.cards[current.card];
            self.rendered = Some(Rendered {
                version: self.version,
                width,
                lines: card_lines(card, &current.view, usize::from(width), &env.theme),
            });
        }
        self.rendered.as_ref().map_or(&[], |r| r.lines.as_slice())
    }

    fn draw_card(&mut self, area: Rect, buf: &mut Buffer, env: &Env) {
        self.visible = usize::from(area.height);
        let visible = self.visible;
        let lines = self.card_lines(area.width, env).len();
        self.scroll = self.scroll.min(lines.saturating_sub(visible));
        let Some(rendered) = &self.rendered else {
            return;
        };
        render_lines(&rendered.lines, self.scroll, area, buf);
        if lines > self.scroll + visible {
            let more = " ↓ more (j/↓) ";
            let x = area.right().saturating_sub(more.chars().count() as u16);
            buf.set_string(x, area.bottom(), more, env.theme.dim);
        }
    }

    /// The grade buttons with their intervals, or what to press before grading.
    fn draw_buttons(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let Some(current) = &self.current else {
            return;
        };
        let suggested = match &current.view {
            View::Front => {
                Line::from(vec![
                    Span::styled("Space", theme.key),
                    Span::styled(" show the answer", theme.dim),
                ])
                .centered()
                .render(area, buf);
                return;
            }
            View::Choosing { picked } => {
                let hint = if self.context() == Context::StudyMultiChoice {
                    format!(" pick {} options, then Enter", self.select_count())
                } else {
                    " pick your answer".to_string()
                };
                Line::from(vec![
                    Span::styled(format!("1-{}", picked.len()), theme.key),
                    Span::styled(hint, theme.dim),
                ])
                .centered()
                .render(area, buf);
                return;
            }
            View::Revealed => None,
            View::Answered { correct: true, .. } => Some(Grade::Good),
            View::Answered { correct: false, .. } => Some(Grade::Again),
        };
        let cells = area.layout::<4>(&Layout::horizontal([Constraint::Fill(1); 4]));
        for (i, grade) in Grade::ALL.into_iter().enumerate() {
            let name = match grade {
                Grade::Again => "Again",
                Grade::Hard => "Hard",
                Grade::Good => "Good",
                Grade::Easy => "Easy",
            };
            let interval = current
                .intervals
                .as_ref()
                .map_or(String::new(), |all| format!(" {}", all[i]));
            let name_style = if suggested == Some(grade) {
                theme.selected
            } else if grade == Grade::Again {
                theme.bad
            } else {
                theme.strong
            };
            Line::from(vec![
                Span::styled(format!("{} ", grade.number()), theme.key),
                Span::styled(name, name_style),
                Span::styled(interval, theme.accent),
            ])
            .centered()
            .render(cells[i], buf);
        }
    }

    fn draw_summary(&self, area: Rect, buf: &mut Buffer, env: &Env) {
        let theme = &env.theme;
        let counts = self.counts;
        let mut lines = Vec::new();
        if counts.done == 0 {
            lines.push(Line::styled("Nothing to study right now.", theme.strong));
        } else {
            lines.push(Line::styled(
                "Well done: nothing left for now.",
                theme.strong,
            ));
        }
        lines.push(Line::raw(""));
        let again_rate = (counts.again * 100 + counts.done / 2)
            .checked_div(counts.done)
            .unwrap_or(0);
        let stat = |label: &'static str, value: String| {
            Line::from(vec![
                Span::styled(format!("{label:<16}"), theme.dim),
                Span::styled(value, theme.accent),
            ])
        };
        lines.push(stat("Cards done", counts.done.to_string()));
        lines.push(stat("Again", format!("{} ({again_rate}%)", counts.again)));
        lines.push(stat("Time spent", format_duration(counts.spent_ms)));
        if !self.options.cram {
            lines.push(stat(
                "Due tomorrow",
                self.due_tomorrow.unwrap_or(0).to_string(),
            ));
        }
        let now = env.now();
        if let Some(next) = self.waiting.iter().map(|&(due, _)| due).min() {
            lines.push(Line::raw(""));
            let wait = format_interval((next.0 - now.at.0).max(0));
            lines.push(Line::from(vec![
                Span::raw("Next learning card in "),
                Span::styled(wait, theme.accent),
                Span::raw(": it comes up here when due ("),
                Span::styled("Enter", theme.key),
                Span::raw(" shows it now)."),
            ]));
        }
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled("q", theme.key),
            Span::raw(" back to Home"),
        ]));
        let text_width = usize::from(area.width.saturating_sub(6)).max(1);
        let rows: usize = lines
            .iter()
            .map(|l| l.width().div_ceil(text_width).max(1))
            .sum();
        // Borders and a margin of one row above and below.
        let height = u16::try_from(rows + 4).unwrap_or(u16::MAX).min(area.height);
        let box_area = Rect { height, ..area };
        let inner = pane("Session summary", true, box_area, buf, theme).inner(Margin::new(2, 1));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

/// When the next study day begins: a (re)learning card due before then is due later today.
fn start_of_next_day_at(env: &Env, now: Now) -> Timestamp {
    start_of_next_day(
        now.at,
        now.utc_offset_secs,
        env.store.config().day_starts_at_hour,
    )
}

/// The card box's title: topic, kind, where the card is, and the flag.
fn card_title(card: &Card, phase: Phase, flagged: bool) -> String {
    let topic = card.topics.first().map_or("", String::as_str);
    let phase = super::cards::phase_name(phase);
    let kind = super::cards::kind_label(card);
    let flag = if flagged { " · ⚑ flagged" } else { "" };
    format!("{topic} · {kind} · {phase}{flag}")
}

/// "1", "1 and 2", "1, 3 and 4".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "45s", "4m 12s", "1h 05m".
pub fn format_duration(ms: u64) -> String {
    let secs = ms / 1000;
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

/// The card's lines for the current view, wrapped to `width`.
fn card_lines(card: &Card, view: &View, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let none = || Span::raw("");
    let text = |t: &str, style: Style| markup(t, style, theme);
    let mut lines = Vec::new();
    let revealed = !matches!(view, View::Front | View::Choosing { .. });
    match &card.body {
        CardBody::Basic { front, back } => {
            lines.extend(wrap(&text(front, theme.strong), width, none(), none()));
            if revealed {
                lines.push(Line::raw(""));
                lines.push(Line::styled("─".repeat(width.min(40)), theme.dim));
                lines.push(Line::raw(""));
                lines.extend(wrap(&text(back, Style::new()), width, none(), none()));
            }
        }
        CardBody::Cloze(cloze) => {
            let mut spans = Vec::new();
            for segment in &cloze.segments {
                match segment {
                    ClozeSegment::Text(t) => spans.extend(text(t, Style::new())),
                    ClozeSegment::Hidden { answer, .. } if revealed => spans.push(Span::styled(
                        answer.clone(),
                        theme.good.add_modifier(Modifier::UNDERLINED),
                    )),
                    ClozeSegment::Hidden { hint, .. } => spans.push(Span::styled(
                        format!("[{}]", hint.as_deref().unwrap_or("...")),
                        theme.accent,
                    )),
                }
            }
            lines.extend(wrap(&spans, width, none(), none()));
        }
        CardBody::Choice(question) => {
            choice_lines(question, view, width, theme, &mut lines);
        }
    }
    if revealed && let Some(extra) = &card.extra {
        lines.push(Line::raw(""));
        lines.extend(wrap(
            &text(extra, theme.dim),
            width,
            Span::styled("Note: ", theme.strong),
            Span::raw("      "),
        ));
    }
    lines
}

fn choice_lines(
    question: &Question,
    view: &View,
    width: usize,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    let none = || Span::raw("");
    let mut stem = markup(&question.stem, theme.strong, theme);
    let stem_says_how_many = ["select", "choose"]
        .iter()
        .any(|word| question.stem.to_lowercase().contains(word));
    if question.select > 1 && !stem_says_how_many {
        stem.push(Span::styled(
            format!(" (choose {})", question.select),
            theme.accent,
        ));
    }
    lines.extend(wrap(&stem, width, none(), none()));
    lines.push(Line::raw(""));
    match view {
        View::Answered { picked, correct } => {
            let verdict = if *correct {
                Line::styled("✓ Right", theme.good)
            } else {
                let answer: Vec<String> = question
                    .correct_indices()
                    .iter()
                    .map(|i| (i + 1).to_string())
                    .collect();
                Line::styled(
                    format!("✗ Wrong: the answer is {}", and_list(&answer)),
                    theme.bad,
                )
            };
            lines.push(verdict);
            lines.push(Line::raw(""));
            for (i, option) in question.options.iter().enumerate() {
                let (mark, style) = match (option.correct, picked[i]) {
                    (true, _) => ("✓", theme.good),
                    (false, true) => ("✗", theme.bad),
                    (false, false) => (" ", Style::new()),
                };
                let mut spans = markup(&option.text, style, theme);
                if picked[i] {
                    spans.push(Span::styled(" (your answer)", theme.dim));
                }
                lines.extend(wrap(
                    &spans,
                    width,
                    Span::styled(format!("{mark} {}. ", i + 1), style),
                    Span::raw("     "),
                ));
                lines.extend(wrap(
                    &markup(&option.why, theme.dim, theme),
                    width,
                    Span::raw("     "),
                    Span::raw("     "),
                ));
            }
        }
        View::Choosing { picked } => {
            for (i, option) in question.options.iter().enumerate() {
                let style = if picked[i] {
                    theme.selected
                } else {
                    Style::new()
                };
                let marker = match (question.select > 1, picked[i]) {
                    (true, true) => "[x] ",
                    (true, false) => "[ ] ",
                    (false, _) => "",
                };
                let prefix = format!("{marker}{}. ", i + 1);
                let indent = " ".repeat(prefix.chars().count());
                lines.extend(wrap(
                    &markup(&option.text, style, theme),
                    width,
                    Span::styled(prefix, theme.key),
                    Span::raw(indent),
                ));
            }
        }
        View::Front | View::Revealed => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{fuzz_range, fuzzed_interval};

    #[test]
    fn the_button_seed_picks_the_middle_of_the_fuzz_range() {
        for interval in [3, 7, 11, 20, 45, 100, 365] {
            let Some((low, high)) = fuzz_range(interval, 36_500) else {
                panic!("{interval} days should be fuzzed");
            };
            let shown = fuzzed_interval(interval, 36_500, MIDDLE_OF_FUZZ_SEED);
            // pick = floor(choices / 2), with choices = high - low + 1.
            assert_eq!(shown, low + (high - low).div_ceil(2), "{interval} days");
            assert!(
                shown.abs_diff(interval) <= 1,
                "{interval} days shown as {shown}"
            );
        }
    }

    #[test]
    fn answers_are_listed_as_people_write_them() {
        let list =
            |items: &[&str]| and_list(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(list(&["2"]), "2");
        assert_eq!(list(&["2", "4"]), "2 and 4");
        assert_eq!(list(&["2", "4", "5"]), "2, 4 and 5");
    }
}
