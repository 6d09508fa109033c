//! Windows drawn over the app: the help (generated from the key table) and the load warnings.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::app::App;
use crate::keymap;
use crate::wrap::fit;

/// Draws the help window: two columns when one would not fit and the screen is wide.
pub fn render_help(app: &App, buf: &mut Buffer) {
    let theme = app.theme;
    let rows: Vec<(String, &str)> = keymap::help_rows().collect();
    let key_width = rows
        .iter()
        .map(|(k, _)| crate::wrap::width(k))
        .max()
        .unwrap_or(0)
        .min(24);
    let cell = |(keys, help): &(String, &'static str), width: usize| -> Vec<Span<'static>> {
        vec![
            Span::styled(format!(" {} ", fit(keys, key_width, false)), theme.key()),
            Span::raw(fit(help, width.saturating_sub(key_width + 2), false)),
        ]
    };
    let area = app.layout.overlay;
    let inner_height = usize::from(area.height.saturating_sub(2)).saturating_sub(2);
    let inner_width = usize::from(area.width.saturating_sub(2));
    let two_columns = rows.len() > inner_height && inner_width >= 2 * (key_width + 30);
    let mut lines: Vec<Line<'_>> = vec![
        Line::styled(" Keys (Esc or ? closes; j/k scroll)", theme.header()),
        Line::default(),
    ];
    if two_columns {
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
    window(area, app, " Help ", lines, buf);
}

/// Draws the list of load warnings.
pub fn render_warnings(app: &App, buf: &mut Buffer) {
    let lines: Vec<Line<'_>> = app
        .warnings
        .iter()
        .map(|w| {
            let place = match w.warning.line {
                Some(line) => format!("{}:{line}", w.document),
                None => w.document.clone(),
            };
            Line::from(vec![
                Span::styled(format!(" {place}: "), app.theme.warning()),
                Span::raw(w.warning.message.as_str()),
            ])
        })
        .collect();
    let title = format!(" {} warnings (Esc closes) ", app.warnings.len());
    window(app.layout.overlay, app, &title, lines, buf);
}

fn window(area: Rect, app: &App, title: &str, lines: Vec<Line<'_>>, buf: &mut Buffer) {
    // As tall as the text, at most the space there is.
    let height = u16::try_from(lines.len() + 2).map_or(area.height, |h| h.min(area.height));
    let area = Rect { height, ..area };
    Clear.render(area, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(app.theme.border(true))
        .title(title.to_string());
    let shown: Vec<Line<'_>> = lines.into_iter().skip(app.overlay_scroll).collect();
    Paragraph::new(shown).block(block).render(area, buf);
}
