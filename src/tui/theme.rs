//! Colours and emphasis. Palettes built from the terminal's own ANSI colours, which every
//! terminal theme tunes to its background; no fixed RGB, no white or black text, no backgrounds.
//! With `NO_COLOR` set, no colour at all: bold, reverse, underline and dim carry the emphasis.

use ratatui::style::{Color, Modifier, Style};

/// The config's `theme`: which background the colours are chosen for.
pub use crate::store::Theme as Palette;

/// The styles screens use, by meaning rather than by colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Screen titles and headings.
    pub title: Style,
    /// Secondary text: descriptions, hints, unavailable menu items.
    pub dim: Style,
    /// Keys in the footer and the help list.
    pub key: Style,
    /// The selected row of a list.
    pub selected: Style,
    /// Right answers, revealed cloze spans, the "learnt" part of a gauge.
    pub good: Style,
    /// Wrong answers, the Again button.
    pub bad: Style,
    /// Numbers that need attention: due counts, intervals.
    pub accent: Style,
    /// Inline `code` in notes and cards.
    pub code: Style,
    /// Inline **bold** in notes and cards.
    pub strong: Style,
    /// The filled part of a gauge.
    pub gauge_filled: Style,
    /// The empty part of a gauge.
    pub gauge_empty: Style,
    /// Pane borders.
    pub border: Style,
    /// A border that has the focus.
    pub border_focus: Style,
}

impl Theme {
    /// The theme for the config's choice; monochrome when `no_color` (the `NO_COLOR` convention,
    /// <https://no-color.org>: set and not empty).
    pub fn new(palette: Palette, no_color: bool) -> Theme {
        if no_color {
            Theme::monochrome()
        } else {
            Theme::colour(palette)
        }
    }

    /// The colour palette. `Auto` keeps to colours that read on both dark and light backgrounds
    /// (no yellow, no blue; titles in the default colour, bold); `Dark` and `Light` use the colours
    /// that suit that background best.
    pub fn colour(palette: Palette) -> Theme {
        let bold = Modifier::BOLD;
        let (title, key, accent, code) = match palette {
            Palette::Auto => (
                Style::new().add_modifier(bold),
                Style::new().fg(Color::Magenta).add_modifier(bold),
                Style::new().fg(Color::Magenta).add_modifier(bold),
                Style::new().fg(Color::Cyan),
            ),
            Palette::Dark => (
                Style::new().fg(Color::Cyan).add_modifier(bold),
                Style::new().fg(Color::Cyan).add_modifier(bold),
                Style::new().fg(Color::Yellow).add_modifier(bold),
                Style::new().fg(Color::Magenta),
            ),
            Palette::Light => (
                Style::new().fg(Color::Blue).add_modifier(bold),
                Style::new().fg(Color::Blue).add_modifier(bold),
                Style::new().fg(Color::Magenta).add_modifier(bold),
                Style::new().fg(Color::Blue),
            ),
        };
        Theme {
            title,
            dim: Style::new().add_modifier(Modifier::DIM),
            key,
            selected: Style::new().add_modifier(Modifier::REVERSED | bold),
            good: Style::new().fg(Color::Green).add_modifier(bold),
            bad: Style::new().fg(Color::Red).add_modifier(bold),
            accent,
            code,
            strong: Style::new().add_modifier(bold),
            gauge_filled: Style::new().fg(Color::Green),
            gauge_empty: Style::new().add_modifier(Modifier::DIM),
            border: Style::new().add_modifier(Modifier::DIM),
            border_focus: key.remove_modifier(bold),
        }
    }

    /// No colour anywhere (`NO_COLOR`): only bold, reverse, underline and dim.
    pub fn monochrome() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            title: Style::new().add_modifier(bold),
            dim: Style::new().add_modifier(Modifier::DIM),
            key: Style::new().add_modifier(bold),
            selected: Style::new().add_modifier(Modifier::REVERSED | bold),
            good: Style::new().add_modifier(bold | Modifier::UNDERLINED),
            bad: Style::new().add_modifier(bold | Modifier::REVERSED),
            accent: Style::new().add_modifier(bold),
            code: Style::new().add_modifier(Modifier::UNDERLINED),
            strong: Style::new().add_modifier(bold),
            gauge_filled: Style::new(),
            gauge_empty: Style::new().add_modifier(Modifier::DIM),
            border: Style::new(),
            border_focus: Style::new().add_modifier(bold),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(theme: &Theme) -> [Style; 13] {
        [
            theme.title,
            theme.dim,
            theme.key,
            theme.selected,
            theme.good,
            theme.bad,
            theme.accent,
            theme.code,
            theme.strong,
            theme.gauge_filled,
            theme.gauge_empty,
            theme.border,
            theme.border_focus,
        ]
    }

    const PALETTES: [Palette; 3] = [Palette::Auto, Palette::Dark, Palette::Light];

    #[test]
    fn no_color_means_no_colour_at_all() {
        for palette in PALETTES {
            for style in styles(&Theme::new(palette, true)) {
                assert_eq!(style.fg, None);
                assert_eq!(style.bg, None);
            }
        }
    }

    #[test]
    fn palettes_never_paint_fixed_black_or_white_or_backgrounds() {
        for palette in PALETTES {
            for style in styles(&Theme::new(palette, false)) {
                assert_eq!(style.bg, None, "backgrounds stay the terminal's own");
                assert!(!matches!(
                    style.fg,
                    Some(
                        Color::Black
                            | Color::White
                            | Color::Gray
                            | Color::DarkGray
                            | Color::Rgb(..)
                    )
                ));
            }
        }
    }

    #[test]
    fn auto_avoids_colours_that_vanish_on_one_background() {
        for style in styles(&Theme::new(Palette::Auto, false)) {
            assert!(!matches!(style.fg, Some(Color::Yellow | Color::Blue)));
        }
    }
}
