//! The detail pane: the selected review laid out for the pane's width, built once per review,
//! width, search and reveal state (not per frame), and drawn a screenful at a time.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use crate::app::{App, Focus};
use crate::query::Search;
use crate::theme::Theme;
use crate::wrap::wrap;

/// What stands in for a hidden spoiler. It says nothing about the text, not even its length.
pub const SPOILER_NOTICE: &str = "This review contains spoilers — press x to reveal";

/// One review laid out as lines of the detail pane.
#[derive(Debug, Clone)]
pub struct DetailText {
    review: usize,
    width: u16,
    hidden: bool,
    search: String,
    current_match: Option<usize>,
    lines: Vec<Line<'static>>,
    /// For each visible search match, in reading order, the line it starts on.
    match_lines: Vec<usize>,
}

impl DetailText {
    /// Lays out review `index` of the app's document for a pane `width` columns wide.
    #[must_use]
    pub fn new(app: &App, index: usize, width: u16, hidden: bool) -> Self {
        let mut text = Self {
            review: index,
            width,
            hidden,
            search: app.query.search.text().to_string(),
            current_match: app.current_match,
            lines: Vec::new(),
            match_lines: Vec::new(),
        };
        let Some(review) = app.doc.reviews.get(index) else {
            return text;
        };
        let doc = &app.doc;
        let theme = app.theme;
        let w = usize::from(width).max(1);
        let search = &app.query.search;

        text.push_highlighted(doc.title(review), w, theme.title(), search, theme);

        let mut meta = vec![match review.rating {
            Some(n) => Span::styled(format!("★ {n}/10"), theme.rating(Some(n))),
            None => Span::styled("no rating", theme.dim()),
        }];
        meta.push(Span::raw(" · "));
        meta.push(Span::raw(doc.author(review).to_string()));
        if let Some(date) = review.date {
            meta.push(Span::raw(format!(" · {date}")));
        }
        text.push_wrapped_spans(&meta, w);
        let votes = if review.total_votes() == 0 {
            "no votes yet".to_string()
        } else {
            format!(
                "{} of {} found this helpful",
                review.helpful,
                review.total_votes()
            )
        };
        text.lines.push(Line::styled(votes, theme.dim()));
        if doc.sources.len() > 1
            && let Some(source) = doc.source_of(review)
        {
            text.push_wrapped_spans(
                &[Span::styled(format!("film: {}", source.label), theme.dim())],
                w,
            );
        }
        if review.spoiler {
            text.lines
                .push(Line::styled("Warning: Spoilers", theme.spoiler_mark()));
        }
        text.lines.push(Line::default());

        if hidden {
            for range in wrap(SPOILER_NOTICE, w) {
                text.lines.push(Line::styled(
                    SPOILER_NOTICE[range].to_string(),
                    theme.spoiler_notice(),
                ));
            }
        } else {
            text.push_highlighted(doc.body(review), w, Style::new(), search, theme);
        }
        if let Some(link) = doc.permalink(review) {
            text.lines.push(Line::default());
            text.push_wrapped_spans(&[Span::styled(link.to_string(), theme.dim())], w);
        }
        text
    }

    /// Whether this layout is still right for the review, width, reveal state and search.
    #[must_use]
    pub fn is_for(&self, review: usize, width: u16, hidden: bool, search: &Search) -> bool {
        self.review == review
            && self.width == width
            && self.hidden == hidden
            && self.search == search.text()
    }

    /// Number of lines.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// For each search match shown, the line it is on.
    #[must_use]
    pub fn match_lines(&self) -> &[usize] {
        &self.match_lines
    }

    /// The lines, for tests and rendering.
    #[must_use]
    pub fn lines(&self) -> &[Line<'static>] {
        &self.lines
    }

    /// Wraps `text` and adds it with its search matches highlighted.
    fn push_highlighted(
        &mut self,
        text: &str,
        width: usize,
        style: Style,
        search: &Search,
        theme: Theme,
    ) {
        let matches = search.ranges(text);
        let lines = wrap(text, width);
        let first_line = self.lines.len();
        let first_match = self.match_lines.len();
        let mut on_line = 0;
        for m in &matches {
            while on_line + 1 < lines.len() && lines[on_line + 1].start <= m.start {
                on_line += 1;
            }
            self.match_lines.push(first_line + on_line);
        }
        let mut next_match = 0;
        for line in lines {
            let mut spans = Vec::new();
            let mut at = line.start;
            while next_match < matches.len() && matches[next_match].end <= line.start {
                next_match += 1;
            }
            for (m, found) in matches.iter().enumerate().skip(next_match) {
                if found.start >= line.end {
                    break;
                }
                let Range { start, end } = found.start.max(line.start)..found.end.min(line.end);
                if start > at {
                    spans.push(Span::styled(text[at..start].to_string(), style));
                }
                let highlight = if self.current_match == Some(first_match + m) {
                    theme.current_match()
                } else {
                    theme.highlight()
                };
                spans.push(Span::styled(text[start..end].to_string(), highlight));
                at = end;
            }
            if at < line.end {
                spans.push(Span::styled(text[at..line.end].to_string(), style));
            }
            self.lines.push(Line::from(spans));
        }
    }

    /// Adds spans as one logical line, wrapped at the pane's width with each span's style.
    fn push_wrapped_spans(&mut self, spans: &[Span<'static>], width: usize) {
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        let mut bounds = Vec::with_capacity(spans.len());
        let mut at = 0;
        for span in spans {
            bounds.push((at..at + span.content.len(), span.style));
            at += span.content.len();
        }
        for line in wrap(&text, width) {
            let pieces = bounds
                .iter()
                .filter_map(|(range, style)| {
                    let start = range.start.max(line.start);
                    let end = range.end.min(line.end);
                    (start < end).then(|| Span::styled(text[start..end].to_string(), *style))
                })
                .collect::<Vec<_>>();
            self.lines.push(Line::from(pieces));
        }
    }
}

/// Draws the detail pane.
pub fn render(app: &App, buf: &mut Buffer) {
    let area = app.layout.detail;
    let theme = app.theme;
    let title = match app.selected {
        Some(_) => format!(" {} of {} ", app.cursor + 1, app.view.len()),
        None => " no review ".to_string(),
    };
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border(app.focus == Focus::Detail))
        .title(title)
        .render(area, buf);
    let text_area = app.layout.detail_text;
    let Some(detail) = &app.detail else {
        let notice = if app.view.is_empty() {
            "No review matches the filters. Press c to clear them."
        } else {
            ""
        };
        render_lines(&wrap_plain(notice, text_area.width), text_area, buf);
        return;
    };
    let shown: Vec<Line<'_>> = detail
        .lines
        .iter()
        .skip(app.detail_scroll)
        .take(usize::from(text_area.height))
        .cloned()
        .collect();
    render_lines(&shown, text_area, buf);
    // A scroll position in the border tells how much text is left.
    let total = detail.len();
    let height = usize::from(text_area.height);
    if total > height && area.height > 2 && area.width > 12 {
        let percent = (app.detail_scroll + height).min(total) * 100 / total;
        let label = format!(" {percent}% ");
        let x = area
            .right()
            .saturating_sub(u16::try_from(label.len()).unwrap_or(0) + 1);
        buf.set_string(
            x,
            area.bottom() - 1,
            label,
            theme.border(app.focus == Focus::Detail),
        );
    }
}

fn wrap_plain(text: &str, width: u16) -> Vec<Line<'static>> {
    wrap(text, usize::from(width).max(1))
        .into_iter()
        .map(|r| Line::raw(text[r].to_string()))
        .collect()
}

/// Draws lines top-down into `area`, one per row, cut at its width.
fn render_lines(lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        line.render(Rect::new(area.x, y, area.width, 1), buf);
    }
}
