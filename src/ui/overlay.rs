//! Windows drawn over the app: the help (generated from the key table), the load warnings,
//! and the stats view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::app::App;
use crate::keymap;
use crate::layout::help_layout;
use crate::wrap::fit;

/// Draws the help window: two columns when one would not fit and the screen is wide, as
/// [`help_layout`] decides for the app's scrolling too.
pub fn render_help(app: &App, theme: Theme, buf: &mut Buffer) {
    let rows: Vec<(String, &str)> = keymap::help_rows().collect();
    let area = app.layout().overlay;
    let help = help_layout(area, &rows);
    let key_width = help.key_width;
    let cell = |(keys, text): &(String, &str), width: usize| -> Vec<Span<'static>> {
        if keys.is_empty() {
            // A section's title.
            return vec![Span::styled(
                fit(&format!(" {text}"), width, false),
                theme.header(),
            )];
        }
        vec![
            Span::styled(format!(" {} ", fit(keys, key_width, false)), theme.key()),
            Span::raw(fit(text, width.saturating_sub(key_width + 2), false)),
        ]
    };
    let inner_width = usize::from(area.width.saturating_sub(2));
    let mut lines: Vec<Line<'_>> = vec![
        Line::styled(
            format!(
                " Keys (Esc or {} closes; j/k scroll)",
                crate::keymap::key_for(crate::keymap::Action::ToggleHelp)
                    .unwrap_or_else(|| "?".into())
            ),
            theme.header(),
        ),
        Line::default(),
    ];
    if help.two_columns {
        let half = rows.len().div_ceil(2);
        let column = inner_width / 2;
        for i in 0..half {
            let mut spans = cell(&rows[i], column);
            if let Some(right) = rows.get(i + half) {
                spans.extend(cell(right, column));
            }
            lines.push(Line::from(spans));
        }
    } else {
        lines.extend(rows.iter().map(|r| Line::from(cell(r, inner_width))));
    }
    debug_assert_eq!(lines.len(), help.lines);
    let total = lines.len();
    let shown = lines.into_iter().skip(app.overlay_scroll()).collect();
    window(area, theme, " Help ", shown, total, buf);
    more_below(area, theme, total, app.overlay_scroll(), buf);
}

/// Draws how the documents were read and their load warnings.
pub fn render_warnings(app: &App, theme: Theme, buf: &mut Buffer) {
    let lines: Vec<Line<'_>> = app
        .info()
        .iter()
        // Only the lines in the window are made: a document may have many warnings.
        .skip(app.overlay_scroll())
        .take(usize::from(app.layout().overlay.height))
        .map(|(place, text)| {
            if place.is_empty() {
                Line::from(format!(" {text}"))
            } else {
                Line::from(vec![
                    Span::styled(format!(" {place}: "), theme.warning()),
                    Span::raw(text.as_str()),
                ])
            }
        })
        .collect();
    let n = app.warnings().len();
    let title = format!(
        " How it was read · {n} warning{} (Esc closes) ",
        if n == 1 { "" } else { "s" }
    );
    window(
        app.layout().overlay,
        theme,
        &title,
        lines,
        app.info().len(),
        buf,
    );
}

/// Draws the stats view: the figures of the reviews shown.
pub fn render_stats(app: &App, theme: Theme, buf: &mut Buffer) {
    let area = app.layout().overlay;
    let lines = app.stats_lines(usize::from(area.width.saturating_sub(2)));
    let total = lines.len();
    let shown: Vec<Line<'_>> = lines
        .into_iter()
        .skip(app.overlay_scroll())
        .take(usize::from(area.height))
        .map(|(label, text)| {
            Line::from(vec![
                Span::styled(format!(" {label:<13}"), theme.header()),
                Span::raw(text),
            ])
        })
        .collect();
    window(
        area,
        theme,
        " Stats of the reviews shown (i or Esc closes) ",
        shown,
        total,
        buf,
    );
}

/// The keywords window: each side's terms with their z-scores and counts, the selected
/// one highlighted.
pub fn render_keywords(app: &App, theme: Theme, buf: &mut Buffer) {
    let area = app.layout().overlay;
    let (lines, _) = app.keywords_lines();
    let total = lines.len();
    let shown: Vec<Line<'_>> = lines
        .into_iter()
        .skip(app.overlay_scroll())
        .take(usize::from(area.height))
        .map(|(label, text, selected)| {
            let text = if selected {
                Span::styled(text, theme.selected())
            } else {
                Span::raw(text)
            };
            Line::from(vec![
                Span::styled(format!(" {label:<13}"), theme.header()),
                text,
            ])
        })
        .collect();
    window(area, theme, app.keywords_title(), shown, total, buf);
}

/// Says on the window's bottom border that it scrolls, when lines are below the window.
fn more_below(area: Rect, theme: Theme, total: usize, scroll: usize, buf: &mut Buffer) {
    let inside = usize::from(area.height.saturating_sub(2));
    if total > scroll + inside && area.width > 20 {
        let label = " more below, j ↓ ";
        let x = area
            .right()
            .saturating_sub(u16::try_from(label.chars().count()).unwrap_or(0) + 2);
        buf.set_string(x, area.bottom() - 1, label, theme.border(true));
    }
}

/// A bordered window over the screen, as tall as `total` lines of text need (at most the
/// space there is), showing `shown`: the lines from the scroll position on.
fn window(
    area: Rect,
    theme: Theme,
    title: &str,
    shown: Vec<Line<'_>>,
    total: usize,
    buf: &mut Buffer,
) {
    let height = u16::try_from(total + 2).map_or(area.height, |h| h.min(area.height));
    let area = Rect { height, ..area };
    Clear.render(area, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(title.to_string());
    Paragraph::new(shown).block(block).render(area, buf);
}
