//! The `?` overlay: every key of every context, generated from the keymap that dispatches them,
//! the current context first.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use super::keymap::{Action, Context, Keymap, group};
use super::theme::Theme;
use super::widgets::pane;
use super::widgets::text::render_lines;

pub struct Help {
    lines: Vec<Line<'static>>,
    scroll: usize,
    /// Rows shown at the last draw, for paging and clamping.
    visible: usize,
}

impl Help {
    pub fn new(keymap: &Keymap, current: Context, theme: &Theme) -> Help {
        let order = std::iter::once(current)
            .chain(std::iter::once(Context::Global))
            .chain(
                Context::ALL
                    .into_iter()
                    .filter(|&c| c != current && c != Context::Global),
            );
        let mut lines = Vec::new();
        for context in order {
            if !lines.is_empty() {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(context.title(), theme.title));
            for (keys, description) in group(keymap.bindings(context)) {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<16}"), theme.key),
                    Span::raw(description),
                ]));
            }
        }
        Help {
            lines,
            scroll: 0,
            visible: 1,
        }
    }

    pub fn scroll(&mut self, action: Action) {
        let page = self.visible.saturating_sub(1).max(1);
        self.scroll = match action {
            Action::Up => self.scroll.saturating_sub(1),
            Action::Down => self.scroll + 1,
            Action::PageUp => self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll + page,
            _ => self.scroll,
        };
        self.clamp();
    }

    fn clamp(&mut self) {
        self.scroll = self
            .scroll
            .min(self.lines.len().saturating_sub(self.visible));
    }

    /// Draws the list in a box over the middle of `area`.
    pub fn draw(&mut self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let popup = area.centered(Constraint::Max(64), Constraint::Percentage(100));
        Clear.render(popup, buf);
        let more = self.lines.len() > usize::from(popup.height.saturating_sub(2));
        let title = if more {
            "Keys (↑↓ PgUp PgDn scroll)"
        } else {
            "Keys"
        };
        let inner = pane(title, true, popup, buf, theme);
        self.visible = usize::from(inner.height);
        self.clamp();
        render_lines(&self.lines, self.scroll, inner, buf);
    }
}
