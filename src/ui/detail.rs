//! Draws the detail pane: a screenful of the selected review's layout (built by the app,
//! see [`crate::app::detail`]), each part styled by its role, with a scroll position in the
//! border.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::theme::Theme;
use crate::app::detail::{DetailLine, Role};
use crate::app::{App, Focus};
use crate::wrap::wrap;

/// Draws the detail pane.
pub fn render(app: &App, theme: Theme, buf: &mut Buffer) {
    let layout = app.layout();
    let area = layout.detail;
    let focused = app.focus() == Focus::Detail;
    let title = match app.selected() {
        Some(_) => format!(" {} of {} ", app.cursor() + 1, app.view().len()),
        None => " no review ".to_string(),
    };
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(title)
        .render(area, buf);
    let text_area = layout.detail_text;
    let Some(detail) = app.detail() else {
        let notice = if app.document().reviews.is_empty() && app.progress().is_some() {
            "Waiting for the first reviews. q quits."
        } else if app.view().is_empty() {
            "No review matches the filters. Press c to clear them."
        } else {
            ""
        };
        let lines: Vec<Line<'_>> = wrap(notice, usize::from(text_area.width).max(1))
            .into_iter()
            .map(|r| Line::raw(&notice[r]))
            .collect();
        render_lines(&lines, text_area, buf);
        return;
    };
    let scroll = app.detail_scroll();
    let lines = app.detail_lines(scroll..scroll + usize::from(text_area.height));
    let shown: Vec<Line<'_>> = lines
        .iter()
        .map(|line| styled(line, theme, app.current_match()))
        .collect();
    render_lines(&shown, text_area, buf);
    // A scroll position in the border tells how much text is left.
    let total = detail.len();
    let height = usize::from(text_area.height);
    if (total > height || !detail.is_complete()) && area.height > 2 && area.width > 12 {
        let percent = (app.detail_scroll() + height).min(total) * 100 / total;
        // A body not laid out to its end yet has no known length: it only says there is more.
        let label = if detail.is_complete() {
            format!(" {percent}% ")
        } else if app.going_to_bottom() {
            format!(" laying out {}% ", detail.percent_laid_out())
        } else {
            " more ↓ ".to_string()
        };
        let x = area
            .right()
            .saturating_sub(u16::try_from(crate::wrap::width(&label)).unwrap_or(0) + 1);
        buf.set_string(x, area.bottom() - 1, label, theme.border(focused));
    }
}

/// A line of the layout with each part in the style of its role.
fn styled(line: &DetailLine, theme: Theme, current_match: Option<usize>) -> Line<'_> {
    let mut spans = Vec::new();
    for (text, role) in line.pieces() {
        if let Role::Verdict(verdict) = role {
            // The thumb (or sign, without colour) the list shows, before the word.
            let (mark, style) = theme.verdict(verdict);
            spans.push(Span::styled(format!("{mark} "), style));
        }
        spans.push(Span::styled(text, style(role, theme, current_match)));
    }
    Line::from(spans)
}

fn style(role: Role, theme: Theme, current_match: Option<usize>) -> Style {
    match role {
        Role::Plain => Style::new(),
        Role::Title => theme.title(),
        Role::Rating(rating) => theme.rating(rating),
        Role::Verdict(verdict) => theme.verdict(verdict).1,
        Role::Dim => theme.dim(),
        Role::SpoilerMark => theme.spoiler_mark(),
        Role::SpoilerNotice => theme.spoiler_notice(),
        Role::Match(n) if current_match == Some(n) => theme.current_match(),
        Role::Match(_) => theme.highlight(),
    }
}

/// Draws lines top-down into `area`, one per row, cut at its width.
fn render_lines(lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        line.render(Rect::new(area.x, y, area.width, 1), buf);
    }
}
