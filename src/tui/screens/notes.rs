//! Notes: the topic tree on the left, the topic's note on the right with headings, bullets and
//! tables laid out (never raw RON). The note is wrapped once per (topic, width) and cached; a frame
//! copies only the visible lines.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Screen;
use super::cards::CardList;
use crate::content::Block as NoteBlock;
use crate::tui::app::{Env, Outcome};
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{count, fit, markup, render_lines, row, table, wrap};
use crate::tui::widgets::{keep_in_view, pane};

/// The widest a note's lines get, in columns.
const MAX_TEXT_WIDTH: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Note,
}

struct Rendered {
    topic: usize,
    width: u16,
    lines: Vec<Line<'static>>,
}

pub struct Notes {
    selected: usize,
    focus: Focus,
    scroll: usize,
    tree_offset: usize,
    /// Rows of the note pane at the last draw, for paging.
    visible: usize,
    rendered: Option<Rendered>,
}

impl Notes {
    pub fn new(env: &Env) -> Notes {
        // Start on the first topic that has a note, so the right pane is not empty.
        let selected = env
            .index
            .topic_notes
            .iter()
            .position(|notes| !notes.is_empty())
            .unwrap_or(0);
        Notes {
            selected,
            focus: Focus::Tree,
            scroll: 0,
            tree_offset: 0,
            visible: 10,
            rendered: None,
        }
    }

    pub fn selected_topic(&self) -> usize {
        self.selected
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn scroll(&self) -> usize {
        self.scroll
    }

    pub fn handle(&mut self, action: Action, env: &mut Env) -> Outcome {
        let topics = env.content.topics.len();
        let page = self.visible.saturating_sub(2).max(1);
        match (action, self.focus) {
            (Action::Up, Focus::Tree) => self.select(self.selected.saturating_sub(1)),
            (Action::Down, Focus::Tree) => {
                self.select((self.selected + 1).min(topics.saturating_sub(1)));
            }
            (Action::Up, Focus::Note) => self.scroll = self.scroll.saturating_sub(1),
            (Action::Down, Focus::Note) => self.scroll += 1,
            (Action::PageUp, _) => self.scroll = self.scroll.saturating_sub(page),
            (Action::PageDown, _) => self.scroll += page,
            (Action::Top, _) => self.scroll = 0,
            (Action::Bottom, _) => self.scroll = usize::MAX,
            (Action::FocusNext, Focus::Tree) => self.focus = Focus::Note,
            (Action::FocusNext, Focus::Note) => self.focus = Focus::Tree,
            (Action::Open, _) if topics > 0 => {
                return Outcome::Push(Screen::Cards(CardList::new(env, self.selected)));
            }
            (Action::Back, _) => return Outcome::Pop,
            _ => {}
        }
        self.clamp_scroll();
        Outcome::Stay
    }

    fn select(&mut self, topic: usize) {
        if topic != self.selected {
            self.selected = topic;
            self.scroll = 0;
        }
    }

    fn clamp_scroll(&mut self) {
        if let Some(rendered) = &self.rendered {
            let max = rendered.lines.len().saturating_sub(self.visible);
            self.scroll = self.scroll.min(max);
        }
    }

    pub fn draw(&mut self, area: Rect, buf: &mut Buffer, env: &Env) {
        let theme = &env.theme;
        let tree_width = (area.width / 3).clamp(26, 40);
        let [tree, note] = area.layout(&Layout::horizontal([
            Constraint::Length(tree_width),
            Constraint::Fill(1),
        ]));
        self.draw_tree(tree, buf, env);

        let focused = self.focus == Focus::Note;
        let inner = pane("Note", focused, note, buf, theme).inner(Margin::new(1, 0));

        let stale = self
            .rendered
            .as_ref()
            .is_none_or(|r| r.topic != self.selected || r.width != inner.width);
        if stale {
            self.rendered = Some(Rendered {
                topic: self.selected,
                width: inner.width,
                lines: note_lines(env, self.selected, usize::from(inner.width), theme),
            });
        }
        self.visible = usize::from(inner.height);
        self.clamp_scroll();
        let Some(rendered) = &self.rendered else {
            return;
        };
        render_lines(&rendered.lines, self.scroll, inner, buf);
        // Say where we are when the note is longer than the pane.
        let total = rendered.lines.len();
        if total > self.visible {
            let shown_to = (self.scroll + self.visible).min(total);
            let position = format!(" {}-{} of {} ", self.scroll + 1, shown_to, total);
            let x = note.right().saturating_sub(position.len() as u16 + 1);
            buf.set_string(x, note.bottom() - 1, position, theme.dim);
        }
    }

    fn draw_tree(&mut self, area: Rect, buf: &mut Buffer, env: &Env) {
        let theme = &env.theme;
        let inner = pane("Topics", self.focus == Focus::Tree, area, buf, theme);
        let height = usize::from(inner.height);
        self.tree_offset = keep_in_view(self.selected, self.tree_offset, height);
        let width = usize::from(inner.width);
        for (index, (i, topic)) in env
            .content
            .topics
            .iter()
            .enumerate()
            .skip(self.tree_offset)
            .take(height)
            .enumerate()
        {
            let indent = 2 * topic.depth();
            let has_note = !env.index.topic_notes[i].is_empty();
            let title = fit(&topic.title, width.saturating_sub(indent + 2));
            let text = format!(
                " {:indent$}{title:<w$} ",
                "",
                w = width.saturating_sub(indent + 2)
            );
            let style = match (i == self.selected, has_note) {
                (true, _) => theme.selected,
                (false, true) => Style::new(),
                (false, false) => theme.dim,
            };
            Line::styled(text, style).render(row(inner, index), buf);
        }
    }
}

/// The note pane's lines for a topic: title, description, then each note's blocks. Text wraps at
/// 100 columns at most (longer lines are hard to read); tables may use the whole pane.
fn note_lines(env: &Env, topic: usize, pane_width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let width = pane_width.min(MAX_TEXT_WIDTH);
    let mut lines = Vec::new();
    let Some(topic_def) = env.content.topics.get(topic) else {
        return lines;
    };
    let plain = |text: &str| markup(text, Style::new(), theme);
    let none = || Span::raw("");
    lines.extend(wrap(
        &[Span::styled(topic_def.title.clone(), theme.title)],
        width,
        none(),
        none(),
    ));
    if !topic_def.description.is_empty() {
        lines.extend(wrap(
            &markup(&topic_def.description, theme.dim, theme),
            width,
            none(),
            none(),
        ));
    }
    let notes = &env.index.topic_notes[topic];
    if notes.is_empty() {
        blank(&mut lines);
        lines.push(Line::styled("No note for this topic yet.", theme.dim));
    }
    for &n in notes {
        let note = &env.content.notes[n];
        blank(&mut lines);
        if notes.len() > 1 || note.title != topic_def.title {
            lines.extend(wrap(
                &[Span::styled(note.title.clone(), theme.strong)],
                width,
                none(),
                none(),
            ));
        }
        for block in &note.blocks {
            match block {
                NoteBlock::Heading(text) => {
                    blank(&mut lines);
                    lines.extend(wrap(
                        &markup(text, theme.title, theme),
                        width,
                        none(),
                        none(),
                    ));
                }
                NoteBlock::Text(text) => {
                    lines.extend(wrap(&plain(text), width, none(), none()));
                }
                NoteBlock::Bullets(items) => {
                    for item in items {
                        lines.extend(wrap(
                            &plain(item),
                            width,
                            Span::styled("• ", theme.accent),
                            Span::raw("  "),
                        ));
                    }
                }
                NoteBlock::Table { header, rows } => {
                    blank(&mut lines);
                    lines.extend(table(header, rows, pane_width, theme));
                    blank(&mut lines);
                }
            }
        }
    }
    let cards = env.index.topic_cards[topic].len();
    blank(&mut lines);
    lines.push(Line::styled(
        format!("{} on this topic: Enter lists them.", count(cards, "card")),
        theme.dim,
    ));
    lines
}

/// Adds an empty line, unless the last line is empty already (a table followed by a heading).
fn blank(lines: &mut Vec<Line<'static>>) {
    if lines.last().is_some_and(|l| l.width() > 0) {
        lines.push(Line::raw(""));
    }
}
