//! Colours and emphasis. One palette built from the terminal's own ANSI colours, which every
//! terminal theme tunes to be readable on its background (dark or light); no fixed RGB, no white
//! or black text. With `NO_COLOR` set, no colour at all: bold, reverse and dim carry the emphasis.

use ratatui::style::{Color, Modifier, Style};

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
    /// The colour palette.
    pub fn colour() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            title: Style::new().fg(Color::Cyan).add_modifier(bold),
            dim: Style::new().add_modifier(Modifier::DIM),
            key: Style::new().fg(Color::Cyan).add_modifier(bold),
            selected: Style::new().add_modifier(Modifier::REVERSED | bold),
            good: Style::new().fg(Color::Green).add_modifier(bold),
            bad: Style::new().fg(Color::Red).add_modifier(bold),
            accent: Style::new().fg(Color::Yellow).add_modifier(bold),
            code: Style::new().fg(Color::Magenta),
            strong: Style::new().add_modifier(bold),
            gauge_filled: Style::new().fg(Color::Green),
            gauge_empty: Style::new().add_modifier(Modifier::DIM),
            border: Style::new().add_modifier(Modifier::DIM),
            border_focus: Style::new().fg(Color::Cyan),
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

    /// The theme for this environment: monochrome when `NO_COLOR` is set to anything non-empty
    /// (<https://no-color.org>), or when the config asks for it.
    pub fn from_env(no_color_var: Option<&std::ffi::OsStr>, config_theme: Option<&str>) -> Theme {
        let no_color = no_color_var.is_some_and(|v| !v.is_empty());
        let wants_mono = config_theme.is_some_and(|t| t.eq_ignore_ascii_case("monochrome"));
        if no_color || wants_mono {
            Theme::monochrome()
        } else {
            Theme::colour()
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

    #[test]
    fn no_color_means_no_colour_at_all() {
        let theme = Theme::from_env(Some(std::ffi::OsStr::new("1")), None);
        for style in styles(&theme) {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        // Empty NO_COLOR does not count, per the convention.
        let theme = Theme::from_env(Some(std::ffi::OsStr::new("")), None);
        assert_eq!(theme, Theme::colour());
    }

    #[test]
    fn palette_never_paints_fixed_black_or_white() {
        for style in styles(&Theme::colour()) {
            for colour in [style.fg, style.bg].into_iter().flatten() {
                assert!(!matches!(
                    colour,
                    Color::Black | Color::White | Color::Gray | Color::DarkGray | Color::Rgb(..)
                ));
            }
        }
    }
}
