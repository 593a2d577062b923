//! Text as the course writes it: inline `` `code` `` and `**bold**` turned into styled spans, and
//! word wrapping of styled spans to a width. Notes and card lists are wrapped once per width and
//! cached by their screens, so frames only copy lines to the buffer.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::theme::Theme;

/// Splits `text` into spans: `` `code` `` in the code style, `**bold**` in the strong style, the
/// rest in `base`. An unclosed marker is shown as written.
pub fn markup(text: &str, base: Style, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let code = rest.find('`');
        let bold = rest.find("**");
        let (start, marker, style) = match (code, bold) {
            (Some(c), Some(b)) if b < c => (b, "**", base.patch(theme.strong)),
            (Some(c), _) => (c, "`", base.patch(theme.code)),
            (None, Some(b)) => (b, "**", base.patch(theme.strong)),
            (None, None) => break,
        };
        let inner_start = start + marker.len();
        let Some(len) = rest[inner_start..].find(marker) else {
            break;
        };
        if start > 0 {
            spans.push(Span::styled(rest[..start].to_string(), base));
        }
        spans.push(Span::styled(
            rest[inner_start..inner_start + len].to_string(),
            style,
        ));
        rest = &rest[inner_start + len + marker.len()..];
    }
    if !rest.is_empty() {
        spans.push(Span::styled(rest.to_string(), base));
    }
    spans
}

/// The display width of `text` in terminal cells.
pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

/// Word-wraps styled spans to `width` cells. The first line starts with `first` and the others
/// with `rest` (a bullet and its hanging indent); both count towards the width. A word longer
/// than a line is cut.
pub fn wrap(
    spans: &[Span<'static>],
    width: usize,
    first: Span<'static>,
    rest: Span<'static>,
) -> Vec<Line<'static>> {
    let indent = rest.width();
    let mut lines = Vec::new();
    let mut start = first.width();
    let mut used = start;
    let mut line: Vec<Span<'static>> = vec![first];
    // A space seen since the last word, and the style it had.
    let mut pending_space: Option<Style> = None;
    for span in spans {
        for (i, word) in span.content.split(' ').enumerate() {
            if i > 0 {
                pending_space = Some(pending_space.unwrap_or(span.style));
            }
            if word.is_empty() {
                continue;
            }
            let at_start = used == start;
            let space = pending_space.filter(|_| !at_start);
            let space_width = usize::from(space.is_some());
            if !at_start && used + space_width + self::width(word) > width {
                lines.push(Line::from(std::mem::replace(&mut line, vec![rest.clone()])));
                start = indent;
                used = indent;
            } else if let Some(style) = space {
                push_text(&mut line, " ", style);
                used += 1;
            }
            pending_space = None;
            let mut word = word;
            // Cut words that cannot fit on a line of their own.
            while used + self::width(word) > width && width > used {
                let cut = cut_at_width(word, width - used);
                if cut == 0 {
                    break;
                }
                push_text(&mut line, &word[..cut], span.style);
                lines.push(Line::from(std::mem::replace(&mut line, vec![rest.clone()])));
                start = indent;
                used = indent;
                word = &word[cut..];
            }
            push_text(&mut line, word, span.style);
            used += self::width(word);
        }
    }
    lines.push(Line::from(line));
    lines
}

/// Appends text to the line, merging with the last span when the style is the same.
fn push_text(line: &mut Vec<Span<'static>>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = line.last_mut()
        && last.style == style
    {
        last.content.to_mut().push_str(text);
        return;
    }
    line.push(Span::styled(text.to_string(), style));
}

/// "1 card", "3 cards".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `text` cut to `cells` with an ellipsis when longer.
pub fn fit(text: &str, cells: usize) -> String {
    if width(text) <= cells {
        return text.to_string();
    }
    let cut = cut_at_width(text, cells.saturating_sub(1));
    format!("{}…", &text[..cut])
}

/// The largest char boundary of `word` whose prefix fits in `cells`.
fn cut_at_width(word: &str, cells: usize) -> usize {
    let mut used = 0;
    for (i, c) in word.char_indices() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w > cells {
            return i;
        }
        used += w;
    }
    word.len()
}

/// The one-row area `index` rows below the top of `area`.
pub fn row(area: Rect, index: usize) -> Rect {
    let y = area
        .y
        .saturating_add(u16::try_from(index).unwrap_or(u16::MAX));
    Rect {
        y,
        height: u16::from(y < area.bottom()),
        ..area
    }
}

/// Draws `lines` from line `skip` on, one per row, as many as fit in `area`.
pub fn render_lines(lines: &[Line<'_>], skip: usize, area: Rect, buf: &mut Buffer) {
    for (index, line) in lines
        .iter()
        .skip(skip)
        .take(usize::from(area.height))
        .enumerate()
    {
        line.render(row(area, index), buf);
    }
}

/// Lays out a table in `width` cells: columns as wide as their content when it fits, otherwise
/// the widest columns shrink and their cells wrap. Header in the strong style, a rule under it,
/// columns separated by `│`.
pub fn table(
    header: &[String],
    rows: &[Vec<String>],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    const SEPARATOR: &str = " │ ";
    let columns = header.len();
    if columns == 0 {
        return Vec::new();
    }
    let natural: Vec<usize> = (0..columns)
        .map(|c| {
            std::iter::once(header)
                .chain(rows.iter().map(Vec::as_slice))
                .filter_map(|row| row.get(c))
                .map(|cell| plain_width(cell))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let available = width
        .saturating_sub(self::width(SEPARATOR) * (columns - 1))
        .max(columns);
    // Three or more squeezed columns wrap into towers of two-word lines: lay them out as
    // records instead, one per row, each cell under its column's name.
    if columns > 2 && natural.iter().sum::<usize>() > available {
        return records(header, rows, width, theme);
    }
    let widths = fit_columns(&natural, available);

    let mut lines = Vec::new();
    let header_style = theme.strong;
    push_row(&mut lines, header, &widths, header_style, theme, SEPARATOR);
    let rule: String = widths
        .iter()
        .map(|&w| "─".repeat(w))
        .collect::<Vec<_>>()
        .join("─┼─");
    lines.push(Line::styled(rule, theme.dim));
    for row in rows {
        push_row(&mut lines, row, &widths, Style::new(), theme, SEPARATOR);
    }
    lines
}

/// A table too wide for `width` as records: the row's first cell as a title, then each other
/// cell as `Column: text` with a hanging indent.
fn records(
    header: &[String],
    rows: &[Vec<String>],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        let title = row.first().map_or("", String::as_str);
        lines.extend(wrap(
            &markup(title, theme.strong, theme),
            width,
            Span::raw(""),
            Span::raw(""),
        ));
        for (name, cell) in header.iter().zip(row).skip(1) {
            let label = if name.is_empty() {
                Span::raw("  ")
            } else {
                Span::styled(format!("  {name}: "), theme.dim)
            };
            lines.extend(wrap(
                &markup(cell, Style::new(), theme),
                width,
                label,
                Span::raw("    "),
            ));
        }
    }
    lines
}

/// Width of a cell once its markup markers are gone.
fn plain_width(cell: &str) -> usize {
    width(cell) - cell.matches('`').count() - 2 * cell.matches("**").count()
}

/// Shrinks the widest columns until the total fits `available`.
fn fit_columns(natural: &[usize], available: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    while widths.iter().sum::<usize>() > available {
        let Some((widest, &w)) = widths.iter().enumerate().max_by_key(|&(_, w)| *w) else {
            break;
        };
        if w <= 4 {
            break;
        }
        widths[widest] = w - 1;
    }
    widths
}

fn push_row(
    lines: &mut Vec<Line<'static>>,
    row: &[String],
    widths: &[usize],
    style: Style,
    theme: &Theme,
    separator: &'static str,
) {
    let cells: Vec<Vec<Line<'static>>> = widths
        .iter()
        .enumerate()
        .map(|(c, &w)| {
            let text = row.get(c).map_or("", String::as_str);
            wrap(&markup(text, style, theme), w, Span::raw(""), Span::raw(""))
        })
        .collect();
    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
    for i in 0..height {
        let mut spans = Vec::new();
        for (c, cell) in cells.iter().enumerate() {
            if c > 0 {
                spans.push(Span::styled(separator, theme.dim));
            }
            let mut used = 0;
            if let Some(line) = cell.get(i) {
                used = line.width();
                spans.extend(line.spans.iter().filter(|s| !s.content.is_empty()).cloned());
            }
            // The last column needs no padding.
            if c + 1 < cells.len() && used < widths[c] {
                spans.push(Span::raw(" ".repeat(widths[c] - used)));
            }
        }
        lines.push(Line::from(spans));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn markup_styles_code_and_bold_and_keeps_unclosed_markers() {
        let theme = Theme::colour(crate::tui::theme::Palette::Dark);
        let spans = markup("Set `taskRoleArn` in **the task**.", Style::new(), &theme);
        let texts: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["Set ", "taskRoleArn", " in ", "the task", "."]);
        assert_eq!(spans[1].style, theme.code);
        assert_eq!(spans[3].style, theme.strong);
        let spans = markup("a `b", Style::new(), &theme);
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].content, "a `b");
    }

    #[test]
    fn wraps_words_with_a_hanging_indent() {
        let spans = [Span::raw("one two three four five")];
        let lines = wrap(&spans, 10, Span::raw("• "), Span::raw("  "));
        assert_eq!(plain(&lines), ["• one two", "  three", "  four", "  five"]);
        for line in &lines {
            assert!(line.width() <= 10);
        }
    }

    #[test]
    fn cuts_words_longer_than_a_line() {
        let spans = [Span::raw("abcdefghijkl xy")];
        let lines = wrap(&spans, 5, Span::raw(""), Span::raw(""));
        assert_eq!(plain(&lines), ["abcde", "fghij", "kl xy"]);
    }

    #[test]
    fn squeezed_tables_of_three_columns_become_records() {
        let theme = Theme::colour(crate::tui::theme::Palette::Dark);
        let header = vec![
            "Service".to_string(),
            "What".to_string(),
            "When".to_string(),
        ];
        let rows = vec![
            vec![
                "Amazon ECS".to_string(),
                "AWS's own container orchestrator".to_string(),
                "You want the simplest AWS-integrated orchestrator".to_string(),
            ],
            vec![
                "EKS".to_string(),
                "Managed Kubernetes".to_string(),
                "Portability".to_string(),
            ],
        ];
        let text = plain(&table(&header, &rows, 40, &theme));
        assert_eq!(
            text,
            [
                "Amazon ECS",
                "  What: AWS's own container orchestrator",
                "  When: You want the simplest",
                "    AWS-integrated orchestrator",
                "",
                "EKS",
                "  What: Managed Kubernetes",
                "  When: Portability",
            ]
        );
        // With room, the same table stays a grid.
        assert!(plain(&table(&header, &rows, 120, &theme))[1].contains("┼"));
    }

    #[test]
    fn table_fits_the_width_and_wraps_cells() {
        let theme = Theme::colour(crate::tui::theme::Palette::Dark);
        let header = vec!["".to_string(), "Task role".to_string()];
        let rows = vec![vec![
            "Used by".to_string(),
            "The application in the containers of the task".to_string(),
        ]];
        let lines = table(&header, &rows, 30, &theme);
        for line in &lines {
            assert!(line.width() <= 30, "{line}");
        }
        let text = plain(&lines);
        assert_eq!(text[0].trim_end(), "        │ Task role");
        assert!(text[1].starts_with("────────┼─"));
        assert!(text[2].starts_with("Used by │ The application in"));
        assert!(text.len() > 3);
    }
}
