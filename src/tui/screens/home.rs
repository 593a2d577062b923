//! Home: today's numbers, how much of each topic is learnt, and the menu.
//!
//! A topic's gauge is the share of its cards (its subtopics' included) that are *learnt*: in the
//! Review phase with a stability of at least 21 days, i.e. the model expects them to still be
//! recalled with 90% probability three weeks after the last review (Anki calls such cards
//! "mature"). The numbers are computed when Home opens and whenever it is back on top, never per
//! frame.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::Screen;
use super::notes::Notes;
use super::study::{self, Study, StudyOptions};
use crate::schedule::{DayCounts, Phase};
use crate::tui::app::{Env, Outcome};
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use crate::tui::widgets::gauge::bar;
use crate::tui::widgets::pane;
use crate::tui::widgets::text::{count, fit, render_lines, row, width};

/// The widest Home gets, in columns.
const MAX_WIDTH: u16 = 120;

/// Stability (days) from which a Review card counts as learnt.
pub const LEARNT_STABILITY_DAYS: f32 = 21.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItem {
    Study,
    Quiz,
    Scenarios,
    Notes,
    Search,
    Stats,
}

impl MenuItem {
    pub const ALL: [MenuItem; 6] = [
        MenuItem::Study,
        MenuItem::Quiz,
        MenuItem::Scenarios,
        MenuItem::Notes,
        MenuItem::Search,
        MenuItem::Stats,
    ];

    pub fn label(self) -> &'static str {
        match self {
            MenuItem::Study => "Study",
            MenuItem::Quiz => "Quiz",
            MenuItem::Scenarios => "Scenarios",
            MenuItem::Notes => "Notes",
            MenuItem::Search => "Search",
            MenuItem::Stats => "Stats",
        }
    }

    /// Whether this build has the screen. The others are listed, dimmed, so the learner knows
    /// they are coming; choosing one says so instead of opening a fake.
    pub fn available(self) -> bool {
        matches!(self, MenuItem::Study | MenuItem::Notes)
    }

    fn description(self) -> &'static str {
        match self {
            MenuItem::Study => "Today's cards: reveal, then grade how well you remembered.",
            MenuItem::Quiz => "Timed exam-style quizzes. Not in this build yet.",
            MenuItem::Scenarios => {
                "Architecture walk-throughs with diagrams. Not in this build yet."
            }
            MenuItem::Notes => "Browse the topic notes and the cards of each topic.",
            MenuItem::Search => {
                "Fuzzy search of notes, cards and scenarios. Not in this build yet."
            }
            MenuItem::Stats => "Heatmap, forecast and retention. Not in this build yet.",
        }
    }
}

/// How much of one topic is learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicGauge {
    /// Index into `Content::topics`.
    pub topic: usize,
    pub learnt: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeStats {
    pub counts: DayCounts,
    /// Cards in today's study queue, after the daily limits.
    pub queued: usize,
    /// Learnt cards and all cards of the course.
    pub learnt: usize,
    pub cards: usize,
    pub streak: u32,
    pub topics: Vec<TopicGauge>,
}

impl HomeStats {
    pub fn compute(env: &Env) -> HomeStats {
        let now = env.now();
        let queue = study::daily_queue(env, None, now);
        let topics = (0..env.content.topics.len())
            .map(|topic| {
                let cards = &env.index.topic_cards[topic];
                let learnt = cards
                    .iter()
                    .filter(|&&i| is_learnt(env, &env.content.cards[i].id))
                    .count();
                TopicGauge {
                    topic,
                    learnt,
                    total: cards.len(),
                }
            })
            .collect();
        let learnt = env
            .content
            .cards
            .iter()
            .filter(|card| is_learnt(env, &card.id))
            .count();
        HomeStats {
            counts: queue.counts,
            queued: queue.entries.len(),
            learnt,
            cards: env.content.cards.len(),
            streak: env.store.streak(now),
            topics,
        }
    }
}

fn is_learnt(env: &Env, card_id: &str) -> bool {
    env.store.card_state(card_id).is_some_and(|state| {
        state.phase == Phase::Review
            && state
                .memory
                .is_some_and(|m| m.stability >= LEARNT_STABILITY_DAYS)
    })
}

/// The topic rows laid out for one size of the pane.
struct Rendered {
    size: (u16, u16),
    lines: Vec<Line<'static>>,
    legend: String,
}

pub struct Home {
    selected: usize,
    stats: HomeStats,
    rendered: Option<Rendered>,
}

impl Home {
    pub fn new(env: &Env) -> Home {
        Home {
            selected: 0,
            stats: HomeStats::compute(env),
            rendered: None,
        }
    }

    pub fn stats(&self) -> &HomeStats {
        &self.stats
    }

    pub fn selected(&self) -> MenuItem {
        MenuItem::ALL[self.selected]
    }

    pub fn refresh(&mut self, env: &Env) {
        self.stats = HomeStats::compute(env);
        self.rendered = None;
    }

    pub fn handle(&mut self, action: Action, env: &mut Env) -> Outcome {
        let last = MenuItem::ALL.len() - 1;
        match action {
            Action::Up => self.selected = self.selected.checked_sub(1).unwrap_or(last),
            Action::Down => {
                self.selected = if self.selected == last {
                    0
                } else {
                    self.selected + 1
                }
            }
            Action::Open => return self.open(env),
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::Stay
    }

    fn open(&mut self, env: &Env) -> Outcome {
        match self.selected() {
            MenuItem::Study => Outcome::Push(Screen::Study(Box::new(Study::new(
                env,
                StudyOptions::default(),
            )))),
            MenuItem::Notes => Outcome::Push(Screen::Notes(Notes::new(env))),
            item => Outcome::Message(format!(
                "{} is not available in this build yet.",
                item.label()
            )),
        }
    }

    pub fn draw(&mut self, area: Rect, buf: &mut Buffer, env: &Env) {
        let theme = &env.theme;
        // On wide terminals Home stays a readable block in the middle.
        let area = area.centered_horizontally(Constraint::Max(MAX_WIDTH));
        let [today, main] = area.layout(&Layout::vertical([
            Constraint::Length(3),
            Constraint::Fill(1),
        ]));
        self.draw_today(today, buf, theme);
        let [menu, topics] = main.layout(&Layout::horizontal([
            Constraint::Length(30),
            Constraint::Fill(1),
        ]));
        self.draw_menu(menu, buf, theme);
        self.draw_topics(topics, buf, env);
    }

    fn draw_today(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let inner = pane("Today", false, area, buf, theme);
        let counts = &self.stats.counts;
        let days = if self.stats.streak == 1 {
            "day"
        } else {
            "days"
        };
        let mut spans = Vec::with_capacity(12);
        let mut item = |label: &'static str, value: String, extra: String| {
            spans.push(Span::styled(format!(" {label} "), theme.dim));
            spans.push(Span::styled(value, theme.accent));
            spans.push(Span::raw(extra));
        };
        item(
            "Due today",
            counts.reviews_due.to_string(),
            "   ".to_string(),
        );
        item(
            "New",
            counts.new_queued.to_string(),
            format!(" of {}   ", counts.new_available),
        );
        item(
            "Learning now",
            counts.learning_now.to_string(),
            if counts.learning_later_today > 0 {
                format!(" (+{} later)   ", counts.learning_later_today)
            } else {
                "   ".to_string()
            },
        );
        item("Streak", self.stats.streak.to_string(), format!(" {days}"));
        Line::from(spans).render(inner, buf);
    }

    fn draw_menu(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let inner = pane("Menu", true, area, buf, theme);
        let label_width = usize::from(inner.width).saturating_sub(2);
        for (index, item) in MenuItem::ALL.iter().enumerate() {
            let style = match (index == self.selected, item.available()) {
                (true, true) => theme.selected,
                (true, false) => theme.selected.patch(theme.dim),
                (false, true) => Style::new(),
                (false, false) => theme.dim,
            };
            let queued;
            let note = match item {
                MenuItem::Study => {
                    queued = count(self.stats.queued, "card");
                    queued.as_str()
                }
                _ if item.available() => "",
                _ => "later",
            };
            let text = format!(
                " {:<w$}{note} ",
                item.label(),
                w = label_width.saturating_sub(note.len())
            );
            Line::styled(text, style).render(row(inner, index), buf);
        }
        let below = MenuItem::ALL.len() as u16 + 1;
        if inner.height > below {
            let description = Rect {
                y: inner.y + below,
                height: inner.height - below,
                ..inner
            };
            Paragraph::new(self.selected().description())
                .style(theme.dim)
                .wrap(Wrap { trim: true })
                .render(description.inner(ratatui::layout::Margin::new(1, 0)), buf);
        }
    }

    /// One row per topic: all topics when they fit, otherwise the top-level ones only (each still
    /// counting its subtopics' cards), so nothing is cut off at 80x24. The rows are laid out once
    /// per size and numbers, not per frame.
    fn draw_topics(&mut self, area: Rect, buf: &mut Buffer, env: &Env) {
        let theme = &env.theme;
        let inner = pane("Learnt per topic", false, area, buf, theme)
            .inner(ratatui::layout::Margin::new(1, 0));
        // The last two rows explain the gauges.
        let [rows, legend] = inner.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(2),
        ]));
        let stale = self
            .rendered
            .as_ref()
            .is_none_or(|r| r.size != (rows.width, rows.height));
        if stale {
            self.rendered = Some(Rendered {
                size: (rows.width, rows.height),
                lines: topic_lines(&self.stats, rows, env),
                legend: format!(
                    "Learnt: {} of {} cards (in review, stability of 21 days or more)",
                    self.stats.learnt, self.stats.cards
                ),
            });
        }
        let Some(rendered) = &self.rendered else {
            return;
        };
        Paragraph::new(rendered.legend.as_str())
            .style(theme.dim)
            .wrap(Wrap { trim: true })
            .render(legend, buf);
        render_lines(&rendered.lines, 0, rows, buf);
    }
}

/// The topic gauges as lines for an area of this size.
fn topic_lines(stats: &HomeStats, area: Rect, env: &Env) -> Vec<Line<'static>> {
    let theme = &env.theme;
    let topics = &env.content.topics;
    let show_all = stats.topics.len() <= usize::from(area.height);
    let count_width = 9;
    let indent_of = |topic: usize| {
        if show_all {
            2 * topics[topic].depth()
        } else {
            0
        }
    };
    let shown = |g: &&TopicGauge| show_all || topics[g.topic].depth() == 0;
    let longest = stats
        .topics
        .iter()
        .filter(shown)
        .map(|g| width(&topics[g.topic].title) + indent_of(g.topic))
        .max()
        .unwrap_or(0);
    let name_width = longest.clamp(12, usize::from(area.width) / 2);
    let bar_width = usize::from(area.width).saturating_sub(name_width + count_width + 2);
    stats
        .topics
        .iter()
        .filter(shown)
        .map(|gauge| {
            let indent = indent_of(gauge.topic);
            let name_cells = name_width.saturating_sub(indent);
            let name = fit(&topics[gauge.topic].title, name_cells);
            let [filled, empty] = bar(gauge.learnt, gauge.total, bar_width, theme);
            let count = format!("{}/{}", gauge.learnt, gauge.total);
            Line::from(vec![
                Span::raw(format!("{:indent$}{name:<name_cells$} ", "")),
                filled,
                empty,
                Span::styled(format!(" {count:>w$}", w = count_width - 1), theme.dim),
            ])
        })
        .collect()
}
