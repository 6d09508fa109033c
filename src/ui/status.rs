//! The status bar (counts, order, filters, warnings, messages, the search prompt) and the
//! key-hint line under it.

use ratatui::buffer::Buffer;
use ratatui::layout::Position;
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
    ranked_parts(app)
        .into_iter()
        .map(|(part, _)| part)
        .collect()
}

/// How much a part of the status bar matters: when the bar is too narrow, the parts of the
/// lowest rank shrink first (cut with `…`), then go.
type Rank = u8;
/// The count of reviews: never cut.
const KEEP: Rank = 0;
/// What filters the list, and the search: the user's own choices, which explain the count.
const FILTER: Rank = 1;
/// Loading, failures and warnings, and passing messages.
const NEWS: Rank = 2;
/// The order, the page's count, the spoilers left out of a search.
const CONTEXT: Rank = 3;
/// The documents list.
const EXTRA: Rank = 4;

/// [`status_parts`] with their ranks.
fn ranked_parts(app: &App) -> Vec<(String, Rank)> {
    let doc = app.document();
    let query = app.query();
    let total = doc.reviews.len();
    let shown = app.view().len();
    let noun = if total == 1 { "review" } else { "reviews" };
    let mut parts = vec![(
        if shown == total && !query.is_filtered() {
            format!("{total} {noun}")
        } else {
            format!("{shown} of {total} {noun}")
        },
        KEEP,
    )];
    if let Some(progress) = app.progress() {
        let read = crate::read::describe_size(progress.bytes);
        let loading = match (progress.percent(), progress.size) {
            (Some(percent), Some(size)) => format!(
                "loading {percent}% ({read} of {})",
                crate::read::describe_size(size)
            ),
            _ => format!("loading ({read} read)"),
        };
        parts.push((loading, NEWS));
    } else if app.following() {
        parts.push(("following".into(), NEWS));
    }
    let claimed = doc.claimed_reviews();
    if let Some(claimed) = claimed
        && claimed != total as u64
    {
        parts.push((format!("page lists {claimed}"), CONTEXT));
    }
    if !app.failures().is_empty() {
        let n = app.failures().len();
        let what = if n == 1 { "document" } else { "documents" };
        parts.push((format!("{n} {what} not opened (w)"), NEWS));
    }
    if !app.warnings().is_empty() {
        let n = app.warnings().len();
        let s = if n == 1 { "" } else { "s" };
        parts.push((format!("{n} warning{s} (w)"), NEWS));
    }
    let copies = doc.duplicates().count();
    if copies > 0 && !query.dedupe {
        let s = if copies == 1 { "" } else { "s" };
        parts.push((format!("{copies} duplicate{s} (D hides)"), CONTEXT));
    }
    parts.push((format!("sort {}", app.sort_label()), CONTEXT));
    if !query.ratings.is_empty() {
        parts.push((format!("rating {}", query.ratings), FILTER));
    }
    if query.hide_spoilers {
        parts.push(("spoilers hidden".into(), FILTER));
    }
    if let Some(film) = &query.film {
        parts.push((format!("film {film}"), FILTER));
    }
    if let Some(verdict) = query.verdict {
        parts.push((format!("verdict {}", verdict.name()), FILTER));
    }
    if query.dedupe {
        parts.push((format!("{copies} duplicates hidden"), FILTER));
    }
    if query.marked {
        parts.push(("marked only".into(), FILTER));
    }
    if let Some(label) = &query.label {
        parts.push((format!("label {label}"), FILTER));
    }
    if !query.search.is_empty() && app.mode() != Mode::Search {
        parts.push((format!("search \"{}\"", query.search.text()), FILTER));
    }
    if !query.search.is_empty() && app.unsearched() > 0 {
        let n = app.unsearched();
        let spoilers = if n == 1 { "spoiler" } else { "spoilers" };
        parts.push((format!("{n} {spoilers} not searched"), CONTEXT));
    }
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
            let what = plural(noun);
            let listed = format!("{} {what}: {}", doc.sources.len(), docs.join(", "));
            parts.push((listed, EXTRA));
        } else {
            parts.push((format!("{} {}", doc.sources.len(), plural(noun)), EXTRA));
        }
    }
    parts
}

/// The parts cut to fit `room` columns with their `" · "` separators and a leading space:
/// the lowest rank first, each part down to a few characters and an ellipsis, then left out;
/// a part is never cut without the ellipsis saying so.
fn fit_parts(mut parts: Vec<(String, Rank)>, room: usize) -> Vec<String> {
    /// The fewest columns a cut part keeps: a word and the ellipsis.
    const SHORTEST: usize = 6;
    let total = |parts: &[(String, Rank)]| -> usize {
        parts
            .iter()
            .map(|(p, _)| width(p) + 3)
            .sum::<usize>()
            .saturating_sub(2)
    };
    for rank in (KEEP + 1..=EXTRA).rev() {
        // Shrink the parts of this rank, the last first, then drop them.
        for i in (0..parts.len()).rev() {
            let over = total(&parts).saturating_sub(room);
            if over == 0 {
                return parts.into_iter().map(|(p, _)| p).collect();
            }
            if parts[i].1 != rank {
                continue;
            }
            let now = width(&parts[i].0);
            if now > SHORTEST {
                let keep = now.saturating_sub(over).max(SHORTEST);
                parts[i].0 = crate::wrap::fit(&parts[i].0, keep, false);
            }
        }
        while total(&parts) > room {
            let Some(i) = parts.iter().rposition(|(_, r)| *r == rank) else {
                break;
            };
            parts.remove(i);
        }
    }
    parts.into_iter().map(|(p, _)| p).collect()
}

/// A prompt on the status bar: its label, the end of what is typed (as much as fits beside
/// `after`: a pasted paragraph must not push the count off the bar), then `after`; and the
/// place of the terminal's cursor, just after the text, where screen readers follow it.
fn prompt(
    label: &'static str,
    input: &str,
    after: &str,
    area: ratatui::layout::Rect,
    theme: Theme,
) -> (Line<'static>, Position) {
    let room = usize::from(area.width)
        .saturating_sub(width(label) + 1 + width(after).min(usize::from(area.width) / 2));
    let input = sanitize(input);
    let shown = if width(&input) > room {
        let keep = crate::wrap::take_width_from_end(&input, room.saturating_sub(1));
        format!("…{}", &input[input.len() - keep..])
    } else {
        input.into_owned()
    };
    let mut line = Line::default();
    line.push_span(Span::styled(label, theme.key()));
    line.push_span(Span::raw(shown));
    let cursor = Position::new(area.x + u16::try_from(line.width()).unwrap_or(0), area.y);
    line.push_span(Span::raw(" "));
    line.push_span(Span::raw(sanitize(after).into_owned()));
    (line, cursor)
}

/// Draws the status bar and the hint line; gives where the cursor of a prompt is.
pub fn render(app: &App, theme: Theme, buf: &mut Buffer) -> Option<Position> {
    let area = app.layout().status;
    buf.set_style(area, theme.status());
    let mut line = Line::default();
    let mut cursor = None;
    if app.mode() == Mode::Export {
        let n = app.view().len();
        // What Tab found, or why Enter did not write, in place of the hints.
        let after = if let Some(message) = app.message() {
            format!("  {message}")
        } else {
            // An export is data: it holds spoilers whole, and says so beforehand.
            let hidden = match app.hidden_in_view() {
                0 => String::new(),
                h => format!(
                    ", {h} hidden spoiler{} in full",
                    if h == 1 { "" } else { "s" }
                ),
            };
            format!(
                "  {n} review{}{hidden} · Tab completes · Enter writes · Esc cancels",
                if n == 1 { "" } else { "s" }
            )
        };
        let (prompt, at) = prompt(" export to ", app.export_input(), &after, area, theme);
        line = prompt;
        cursor = Some(at);
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
        let (prompt, at) = prompt(" / ", app.search_input(), &after, area, theme);
        line = prompt;
        cursor = Some(at);
    } else {
        // The passing message takes the right end, and is a part like the others: at most
        // half the bar when the facts need the rest.
        let message_width = app.message().map_or(0, |m| width(&sanitize(m)));
        let facts_room = usize::from(area.width)
            .saturating_sub(message_width.min(usize::from(area.width) / 2) + 3);
        let parts: Vec<(String, Rank)> = ranked_parts(app)
            .into_iter()
            .map(|(part, rank)| (sanitize(&part).into_owned(), rank))
            .collect();
        for (i, part) in fit_parts(parts, facts_room).into_iter().enumerate() {
            line.push_span(Span::raw(if i == 0 { " " } else { " · " }));
            let style = if part.contains("warning") || part.contains("not opened") {
                theme.warning()
            } else {
                ratatui::style::Style::new()
            };
            // Parts quote the command line and file names: text from outside, like a
            // document's, so they pass the sanitizer too.
            line.push_span(Span::styled(part, style));
        }
    }
    if let Some(message) = app.message().filter(|_| app.mode() != Mode::Export) {
        let message = &*sanitize(message);
        let used = line.width();
        let room = usize::from(area.width).saturating_sub(used + 3);
        let msg = crate::wrap::fit_words(message, room);
        if !msg.is_empty() {
            let gap = usize::from(area.width) - used - width(&msg) - 1;
            line.push_span(Span::raw(" ".repeat(gap)));
            line.push_span(Span::styled(msg, theme.warning()));
        }
    }
    line.patch_style(theme.status()).render(area, buf);

    // Only whole hints: a cut-off word reads worse than one hint fewer. The way to help and
    // out always has its place at the end.
    let all: Vec<(String, String)> = keymap::hints(app.context())
        .map(|(keys, word)| (format!(" {keys}"), format!(" {word} ")))
        .collect();
    let essential = |word: &str| matches!(word.trim(), "help" | "quit");
    let needed: usize = all
        .iter()
        .filter(|(_, w)| essential(w))
        .map(|(k, w)| width(k) + width(w))
        .sum();
    let room = usize::from(app.layout().hints.width);
    let mut used = 0;
    let mut hints = Line::default();
    for (keys, word) in &all {
        let cost = width(keys) + width(word);
        let fits = if essential(word) {
            used + cost <= room
        } else {
            used + cost + needed <= room
        };
        if !fits {
            continue;
        }
        used += cost;
        hints.push_span(Span::styled(keys.clone(), theme.key()));
        hints.push_span(Span::styled(word.clone(), theme.dim()));
    }
    hints.render(app.layout().hints, buf);
    cursor
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(list: &[(&str, Rank)]) -> Vec<(String, Rank)> {
        list.iter().map(|(p, r)| ((*p).to_string(), *r)).collect()
    }

    #[test]
    fn the_least_needed_parts_shrink_first_and_say_so() {
        let all = parts(&[
            ("7 of 25 reviews", KEEP),
            ("page lists 44", CONTEXT),
            ("sort helpful ↓", CONTEXT),
            ("rating 9,10", FILTER),
            ("search \"baseball bat\"", FILTER),
            ("2 documents: pusher.txt 25, worlds-end.html 12", EXTRA),
        ]);
        let joined = |v: Vec<String>| format!(" {}", v.join(" · "));
        // Room for all: nothing changes.
        assert_eq!(fit_parts(all.clone(), 200).len(), 6);
        // At 80 columns the count, the filters and the search stay whole.
        let fitted = joined(fit_parts(all.clone(), 77));
        assert!(width(&fitted) <= 78, "{fitted}");
        for whole in ["7 of 25 reviews", "rating 9,10", "search \"baseball bat\""] {
            assert!(fitted.contains(whole), "{fitted}");
        }
        assert!(fitted.contains('…'), "a cut says so: {fitted}");
        // Very narrow: only what must stay.
        let fitted = fit_parts(all, 20);
        assert_eq!(fitted[0], "7 of 25 reviews");
        assert!(fitted.iter().all(|p| !p.contains("documents")));
    }
}
