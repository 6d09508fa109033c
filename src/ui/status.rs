//! The status bar (counts, order, filters, warnings, messages, the search prompt) and the
//! key-hint line under it.

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::Theme;
use crate::app::{App, Mode};
use crate::keymap;
use crate::sanitize::sanitize;
use crate::wrap::width;

/// The plural of a subject noun (`film`, `product`, `business`…).
pub(super) fn plural(noun: &str) -> String {
    if noun.ends_with('s') {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

/// The most films the status bar names one by one.
const MAX_LISTED: usize = 8;

/// The facts the status bar states, left to right. Tests and timing scripts read these.
#[must_use]
pub fn status_parts(app: &App) -> Vec<String> {
    let doc = app.document();
    let query = app.query();
    let total = doc.reviews.len();
    let shown = app.view().len();
    let noun = if total == 1 { "review" } else { "reviews" };
    let mut parts = vec![if shown == total && !query.is_filtered() {
        format!("{total} {noun}")
    } else {
        format!("{shown} of {total} {noun}")
    }];
    if let Some(progress) = app.progress() {
        let read = crate::read::describe_size(progress.bytes);
        parts.push(match (progress.percent(), progress.size) {
            (Some(percent), Some(size)) => format!(
                "loading {percent}% ({read} of {})",
                crate::read::describe_size(size)
            ),
            _ => format!("loading ({read} read)"),
        });
    }
    let claimed = doc.claimed_reviews();
    if let Some(claimed) = claimed
        && claimed != total as u64
    {
        parts.push(format!("page lists {claimed}"));
    }
    if !app.failures().is_empty() {
        let n = app.failures().len();
        let what = if n == 1 { "document" } else { "documents" };
        parts.push(format!("{n} {what} not opened (w)"));
    }
    if !app.warnings().is_empty() {
        let n = app.warnings().len();
        parts.push(format!("{n} warning{} (w)", if n == 1 { "" } else { "s" }));
    }
    parts.push(format!("sort {}", app.sort_label()));
    if !query.ratings.is_empty() {
        parts.push(format!("rating {}", query.ratings));
    }
    if query.hide_spoilers {
        parts.push("spoilers hidden".into());
    }
    if let Some(film) = &query.film {
        parts.push(format!("film {film}"));
    }
    if let Some(verdict) = query.verdict {
        parts.push(format!("verdict {}", verdict.name()));
    }
    if !query.search.is_empty() && app.mode() != Mode::Search {
        parts.push(format!("search \"{}\"", query.search.text()));
    }
    if !query.search.is_empty() && app.unsearched() > 0 {
        let n = app.unsearched();
        let spoilers = if n == 1 { "spoiler" } else { "spoilers" };
        parts.push(format!("{n} {spoilers} not searched"));
    }
    // Long and least needed: last, so a narrow bar cuts it and not the facts before it.
    // A few documents are each named with their count; a dataset of thousands of products
    // is counted, not listed (and not formatted on every frame).
    if doc.sources.len() > 1 {
        let noun = super::list::subject_noun(doc);
        if doc.sources.len() <= MAX_LISTED {
            let docs: Vec<String> = doc
                .sources
                .iter()
                .zip(app.source_counts())
                .map(|(s, n)| format!("{} {n}", s.label))
                .collect();
            let what = if noun == "film" {
                "documents".to_string()
            } else {
                plural(noun)
            };
            parts.push(format!("{} {what}: {}", doc.sources.len(), docs.join(", ")));
        } else {
            parts.push(format!("{} {}", doc.sources.len(), plural(noun)));
        }
    }
    parts
}

/// Draws the status bar and the hint line.
pub fn render(app: &App, theme: Theme, buf: &mut Buffer) {
    let area = app.layout().status;
    buf.set_style(area, theme.status());
    let mut line = Line::default();
    if app.mode() == Mode::Export {
        let n = app.view().len();
        // What Tab found, or why Enter did not write, in place of the hints.
        let after = match app.message() {
            Some(message) => format!("  {message}"),
            None => format!(
                "  {n} review{} · Tab completes · Enter writes · Esc cancels",
                if n == 1 { "" } else { "s" }
            ),
        };
        let room = usize::from(area.width)
            .saturating_sub(12 + width(&after).min(usize::from(area.width) / 2));
        let input = sanitize(app.export_input());
        let shown = if width(&input) > room {
            let (_, tail) = input.split_at(
                input.len() - crate::wrap::take_width_from_end(&input, room.saturating_sub(1)),
            );
            format!("…{tail}")
        } else {
            input.into_owned()
        };
        line.push_span(Span::styled(" export to ", theme.key()));
        line.push_span(Span::raw(shown));
        line.push_span(Span::styled("█", theme.key()));
        line.push_span(Span::raw(sanitize(&after).into_owned()));
    } else if app.mode() == Mode::Search {
        let n = app.view().len();
        let after = if app.search_pending() {
            "  searching…  · Enter keep · Esc cancel".to_string()
        } else {
            let unsearched = match app.unsearched() {
                0 => String::new(),
                1 => " (1 spoiler not searched)".to_string(),
                n => format!(" ({n} spoilers not searched)"),
            };
            format!(
                "  {n} match{}{unsearched}  · Enter keep · Esc cancel",
                if n == 1 { "" } else { "es" }
            )
        };
        // The end of a long search is shown, where the cursor is, and the count after it
        // stays in view: a pasted paragraph must not push it off the bar.
        let room = usize::from(area.width)
            .saturating_sub(3 + 1 + width(&after).min(usize::from(area.width) / 2));
        let input = app.search_input();
        let shown = if width(input) > room {
            let tail: String = input
                .chars()
                .rev()
                .scan(0, |used, c| {
                    *used += width(&c.to_string());
                    (*used < room).then_some(c)
                })
                .collect::<Vec<char>>()
                .into_iter()
                .rev()
                .collect();
            format!("…{tail}")
        } else {
            input.to_string()
        };
        line.push_span(Span::styled(" / ", theme.key()));
        line.push_span(Span::raw(shown));
        line.push_span(Span::styled("█", theme.key()));
        line.push_span(Span::raw(after));
    } else {
        for (i, part) in status_parts(app).into_iter().enumerate() {
            line.push_span(Span::raw(if i == 0 { " " } else { " · " }));
            let style = if part.contains("warning") || part.contains("not opened") {
                theme.warning()
            } else {
                ratatui::style::Style::new()
            };
            // Parts quote the command line and file names: text from outside, like a
            // document's, so they pass the sanitizer too.
            line.push_span(Span::styled(sanitize(&part).into_owned(), style));
        }
    }
    if let Some(message) = app.message().filter(|_| app.mode() != Mode::Export) {
        let message = &*sanitize(message);
        let used = line.width();
        let room = usize::from(area.width).saturating_sub(used + 3);
        let msg = crate::wrap::fit(message, width(message).min(room), false);
        if !msg.is_empty() {
            let gap = usize::from(area.width) - used - width(&msg) - 1;
            line.push_span(Span::raw(" ".repeat(gap)));
            line.push_span(Span::styled(msg, theme.warning()));
        }
    }
    line.patch_style(theme.status()).render(area, buf);

    // Only whole hints: a cut-off word reads worse than one hint fewer.
    let mut hints = Line::default();
    let room = usize::from(app.layout().hints.width);
    for (keys, word) in keymap::hints() {
        let keys = format!(" {keys}");
        let word = format!(" {word} ");
        if hints.width() + width(&keys) + width(&word) > room {
            break;
        }
        hints.push_span(Span::styled(keys, theme.key()));
        hints.push_span(Span::styled(word, theme.dim()));
    }
    hints.render(app.layout().hints, buf);
}
