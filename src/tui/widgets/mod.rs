//! Drawing pieces shared by screens: styled and wrapped text, tables, bars, bordered panes.

pub mod gauge;
pub mod text;

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Widget};

use super::theme::Theme;

/// Draws a bordered pane titled ` title ` (the border brighter when it has the focus) and returns
/// the area inside it.
pub fn pane<'a>(
    title: impl Into<Cow<'a, str>>,
    focused: bool,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) -> Rect {
    let title: Cow<'a, str> = title.into();
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), theme.title))
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        });
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// The first row to draw of a list `height` rows tall, scrolled as little as possible from
/// `offset` so that row `selected` is in view.
pub fn keep_in_view(selected: usize, offset: usize, height: usize) -> usize {
    if selected < offset {
        selected
    } else if height > 0 && selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
