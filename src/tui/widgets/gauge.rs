//! A progress bar as spans, readable without colour: `█` for the done part, `░` for the rest.

use ratatui::text::Span;

use crate::tui::theme::Theme;

/// `part` of `total` as a bar `width` cells wide.
pub fn bar(part: usize, total: usize, width: usize, theme: &Theme) -> [Span<'static>; 2] {
    let filled = (width * part.min(total) + total / 2)
        .checked_div(total)
        .unwrap_or(0);
    [
        Span::styled("█".repeat(filled), theme.gauge_filled),
        Span::styled("░".repeat(width - filled), theme.gauge_empty),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_rounds_and_never_overflows() {
        let theme = Theme::colour(crate::tui::theme::Palette::Dark);
        let [done, rest] = bar(1, 3, 10, &theme);
        assert_eq!(
            (done.content.chars().count(), rest.content.chars().count()),
            (3, 7)
        );
        let [done, rest] = bar(5, 3, 10, &theme);
        assert_eq!(
            (done.content.chars().count(), rest.content.chars().count()),
            (10, 0)
        );
        let [done, _] = bar(0, 0, 10, &theme);
        assert_eq!(done.content, "");
    }
}
