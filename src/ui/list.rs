//! The review list: a header and the rows visible in the window, nothing more, so a frame
//! costs the same for 25 reviews or a million.

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::theme::Theme;
use crate::app::{App, Focus};
use crate::model::{Document, Review};
use crate::wrap::fit;

/// Column widths of a list row for a given width. Narrow lists drop the less important
/// columns rather than squeezing the title to nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    rating: usize,
    title: usize,
    film: usize,
    author: usize,
    date: usize,
    helpful: usize,
}

const RATING: usize = 5;
const DATE: usize = 10;
const HELPFUL: usize = 10;

impl Columns {
    fn new(width: usize, with_film: bool) -> Self {
        let mut c = Self {
            rating: RATING,
            title: 0,
            film: if with_film { 12 } else { 0 },
            author: 13,
            date: DATE,
            helpful: HELPFUL,
        };
        // Each column past the first is preceded by one space.
        let fixed = |c: &Self| {
            [c.film, c.author, c.date, c.helpful]
                .iter()
                .filter(|&&w| w > 0)
                .map(|w| w + 1)
                .sum::<usize>()
                + c.rating
                + 1
        };
        // Give the title at least this much before dropping columns, least useful first.
        let min_title = 16;
        for drop in [
            |c: &mut Self| c.film = c.film.min(8),
            |c: &mut Self| c.author = 10,
            |c: &mut Self| c.helpful = 0,
            |c: &mut Self| c.film = 0,
            |c: &mut Self| c.date = 0,
            |c: &mut Self| c.author = 0,
        ] {
            if width >= fixed(&c) + min_title {
                break;
            }
            drop(&mut c);
        }
        c.title = width.saturating_sub(fixed(&c));
        c
    }
}

/// Each source's name as the film column shows it in `width` columns: cut at the end, or in
/// the middle where two names would be cut to the same text (`Pusher II`, `Pusher III`).
/// Empty (each row fits its own) for a dataset of more films than are worth comparing on
/// every frame.
fn film_column(doc: &crate::model::Document, width: usize) -> Vec<String> {
    const MOST: usize = 2000;
    if width == 0 || doc.sources.len() < 2 || doc.sources.len() > MOST {
        return Vec::new();
    }
    let cut: Vec<String> = doc
        .sources
        .iter()
        .map(|s| fit(&s.label, width, false))
        .collect();
    // Per short form, the first name cut to it, and whether another name is too.
    let mut seen: std::collections::HashMap<&str, (&str, bool)> = std::collections::HashMap::new();
    for (source, short) in doc.sources.iter().zip(&cut) {
        seen.entry(short.as_str())
            .and_modify(|(first, clash)| *clash |= *first != source.label)
            .or_insert((source.label.as_str(), false));
    }
    doc.sources
        .iter()
        .zip(&cut)
        .map(|(source, short)| {
            if seen.get(short.as_str()).is_some_and(|&(_, clash)| clash) {
                crate::wrap::fit_middle(&source.label, width)
            } else {
                short.clone()
            }
        })
        .collect()
}

/// "87% of 62": the share of voters who found a review helpful.
#[must_use]
pub fn helpful_share(review: &Review) -> String {
    if review.not_helpful().is_none() {
        // Up-votes only: there is no share to give.
        return format!("↑ {}", review.helpful);
    }
    let total = review.total_votes();
    if total == 0 {
        return "no votes".into();
    }
    // Rounded to the nearest (15 of 19 is 79%, not the 78% cutting off gave).
    let (helpful, total_votes) = (u128::from(review.helpful.min(total)), u128::from(total));
    let percent = (helpful * 200 + total_votes) / (2 * total_votes);
    format!("{percent}% of {total}")
}

/// What the film column is headed: `film`, or what the documents' reviews are about
/// (`product`, `app`), or `subject` for a mix.
#[must_use]
pub fn subject_noun(doc: &crate::model::Document) -> &'static str {
    let mut nouns = doc.sources.iter().map(|s| s.subject.unwrap_or("film"));
    let first = nouns.next().unwrap_or("film");
    if nouns.all(|n| n == first) {
        first
    } else {
        "subject"
    }
}

/// What is open, for the head of the list: the film and its year (or how many films the
/// filter lets through), and how much of what the pages list was loaded: `Pusher II (2004) ·
/// 25 of the page's 44 reviews`. A count the pages do not state is given alone.
#[must_use]
pub fn heading(app: &App) -> String {
    let doc = app.document();
    let kept = app.query().sources_kept(doc);
    let counts = app.source_counts();
    let shown: Vec<usize> = (0..doc.sources.len()).filter(|&i| kept[i]).collect();
    let loaded: usize = shown
        .iter()
        .map(|&i| counts.get(i).copied().unwrap_or(0))
        .sum();
    let noun = subject_noun(doc);
    // One film opened twice (two copies of its page) is one film, whose page lists its
    // reviews once.
    let mut distinct: Vec<usize> = Vec::with_capacity(shown.len());
    for &i in &shown {
        if !distinct
            .iter()
            .any(|&d| doc.sources[d].label == doc.sources[i].label)
        {
            distinct.push(i);
        }
    }
    let what = match distinct.as_slice() {
        [one] => {
            let source = &doc.sources[*one];
            match (&source.title, source.year) {
                (Some(title), Some(year)) => format!("{title} ({year})"),
                (Some(title), None) => title.clone(),
                _ => source.label.clone(),
            }
        }
        many => format!("{} {}", many.len(), super::status::plural(noun)),
    };
    let claimed = distinct.iter().try_fold(0u64, |sum, &i| {
        let label = &doc.sources[i].label;
        let most = shown
            .iter()
            .filter(|&&j| doc.sources[j].label == *label)
            .filter_map(|&j| doc.sources[j].review_count)
            .max();
        most.map(|n| sum.saturating_add(n))
    });
    let reviews = if loaded == 1 { "review" } else { "reviews" };
    let complete = match (claimed, distinct.len()) {
        (Some(claimed), 1) if claimed != loaded as u64 => {
            format!("{loaded} of the page's {claimed} reviews")
        }
        (Some(claimed), _) if claimed != loaded as u64 => {
            format!("{loaded} of the pages' {claimed} reviews")
        }
        _ => format!("{loaded} {reviews}"),
    };
    format!(" {what} · {complete} ")
}

/// Draws the list pane.
pub fn render(app: &App, theme: Theme, buf: &mut Buffer) {
    let focused = app.focus() == Focus::List;
    let layout = app.layout();
    let doc = app.document();
    // The heading is cut (with its ellipsis) to the pane, corners kept.
    let room = usize::from(layout.list.width.saturating_sub(2));
    let heading = heading(app);
    let heading = fit(&heading, crate::wrap::width(&heading).min(room), false);
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Span::styled(heading, theme.title()))
        .render(layout.list, buf);

    let with_film = doc.sources.len() > 1;
    let width = usize::from(layout.rows.width);
    let mut cols = Columns::new(width, with_film);
    // Data without votes (the Stanford set, Letterboxd) has no helpful column to show.
    if doc.sources.iter().all(|s| s.no_votes) {
        cols.title += cols.helpful + usize::from(cols.helpful > 0);
        cols.helpful = 0;
    }
    let header = row_line(
        &cols,
        [
            ("rate", theme.header()),
            ("title", theme.header()),
            (subject_noun(doc), theme.header()),
            ("author", theme.header()),
            ("date", theme.header()),
            ("helpful", theme.header()),
        ],
    );
    header.render(layout.header, buf);

    let film_names = film_column(doc, cols.film);
    if app.view().is_empty() {
        let y = layout.rows.y;
        if layout.rows.height > 0 {
            let empty = if app.document().reviews.is_empty() && app.progress().is_some() {
                "  (loading)"
            } else {
                "  (no reviews match)"
            };
            buf.set_stringn(layout.rows.x, y, empty, width, theme.dim());
        }
        return;
    }
    let rows = layout.rows;
    let visible = app
        .view()
        .iter()
        .enumerate()
        .skip(app.list_offset())
        .take(usize::from(rows.height));
    for ((position, &index), y) in visible.zip(rows.top()..rows.bottom()) {
        let Some(review) = doc.reviews.get(index) else {
            continue;
        };
        let film = film_names
            .get(usize::from(review.source))
            .map(String::as_str);
        let notes = app.notes_text(index);
        let mut line = review_line(doc, review, &cols, film, notes.as_deref(), theme);
        if position == app.cursor() {
            let style = if focused {
                theme.selected()
            } else {
                theme.selected_unfocused()
            };
            line = line.patch_style(style);
        }
        line.render(ratatui::layout::Rect::new(rows.x, y, rows.width, 1), buf);
        if position == app.cursor() {
            // Fill the whole row, including what the spans did not cover.
            let style = if focused {
                theme.selected()
            } else {
                theme.selected_unfocused()
            };
            buf.set_style(ratatui::layout::Rect::new(rows.x, y, rows.width, 1), style);
        }
    }
}

/// One review's row: its rating (or verdict), spoiler mark, title (or, untitled, how its
/// body starts), film, author, date and helpful share, each fitted to its column; `film`
/// is the name the film column gives the review's source, where it has one.
fn review_line(
    doc: &Document,
    review: &Review,
    cols: &Columns,
    film: Option<&str>,
    notes: Option<&str>,
    theme: Theme,
) -> Line<'static> {
    let (rating, rating_style) = match (review.rating, review.verdict) {
        (Some(r), _) => (format!("{r:>2}/{}", r.scale()), theme.rating(review.rating)),
        // A thumbs up or down stands where there is no rating.
        (None, Some(verdict)) => {
            let (mark, style) = theme.verdict(verdict);
            (format!("  {mark}"), style)
        }
        (None, None) => ("  –".to_string(), theme.rating(None)),
    };
    let date = review.date.map(|d| d.to_string()).unwrap_or_default();
    let source = doc.source_of(review);
    let film = film.map_or_else(
        || source.map(|s| s.label.clone()).unwrap_or_default(),
        str::to_string,
    );
    let votes = if source.is_some_and(|s| s.no_votes) {
        String::new()
    } else {
        helpful_share(review)
    };
    let mut line = Line::default();
    line.push_span(Span::styled(fit(&rating, cols.rating, false), rating_style));
    line.push_span(Span::raw(" "));
    // The user's mark and labels, then the spoiler mark, come first in the title so a
    // narrow list never cuts them off.
    let mut title_width = cols.title;
    if let Some(notes) = notes {
        let text = format!("{notes} ");
        let mark = fit(
            &text,
            crate::wrap::width(&text).min(cols.title.min(24)),
            false,
        );
        title_width = title_width.saturating_sub(mark.chars().count());
        line.push_span(Span::styled(mark, theme.header()));
    }
    if review.spoiler {
        let mark = fit("[spoiler] ", title_width.min(10), false);
        title_width = title_width.saturating_sub(mark.chars().count());
        line.push_span(Span::styled(mark, theme.spoiler_mark()));
    }
    // An untitled review (most data from elsewhere has no titles) shows how its body
    // starts, dimmed; a spoiler's body stays hidden.
    let title = doc.title(review);
    let (title, title_style) = if title.is_empty() && !review.spoiler {
        let body = doc.body(review);
        let first = body.lines().next().unwrap_or_default().to_string();
        (first.into(), theme.dim())
    } else {
        (title, Style::new())
    };
    line.push_span(Span::styled(fit(&title, title_width, false), title_style));
    let author = doc.author(review);
    for (text, width, right) in [
        (film.as_str(), cols.film, false),
        (&*author, cols.author, false),
        (date.as_str(), cols.date, false),
        (votes.as_str(), cols.helpful, true),
    ] {
        if width > 0 {
            line.push_span(Span::raw(" "));
            line.push_span(Span::styled(fit(text, width, right), theme.dim()));
        }
    }
    line
}

/// A row of cells, one per column present.
fn row_line(cols: &Columns, cells: [(&str, Style); 6]) -> Line<'static> {
    let widths = [
        cols.rating,
        cols.title,
        cols.film,
        cols.author,
        cols.date,
        cols.helpful,
    ];
    let mut line = Line::default();
    for (i, ((text, style), width)) in cells.into_iter().zip(widths).enumerate() {
        if width == 0 {
            continue;
        }
        if i > 0 {
            line.push_span(Span::raw(" "));
        }
        line.push_span(Span::styled(fit(text, width, i == 5), style));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpful_shares_are_rounded_to_the_nearest() {
        let share = |helpful, not_helpful| {
            helpful_share(&Review {
                helpful,
                not_helpful,
                down_votes_known: true,
                ..Review::default()
            })
        };
        assert_eq!(share(15, 4), "79% of 19");
        assert_eq!(share(54, 8), "87% of 62");
        assert_eq!(share(1, 2), "33% of 3");
        assert_eq!(share(1, 1), "50% of 2");
        assert_eq!(share(199, 1), "100% of 200");
        assert_eq!(share(0, 3), "0% of 3");
    }

    #[test]
    fn columns_fill_the_width_and_drop_the_least_useful_first() {
        let wide = Columns::new(80, false);
        assert_eq!(wide.title, 38);
        assert_eq!(
            wide.rating + wide.title + wide.author + wide.date + wide.helpful + 4,
            80
        );
        let narrow = Columns::new(40, false);
        assert_eq!(narrow.helpful, 0);
        assert!(narrow.title >= 16);
        let tiny = Columns::new(20, true);
        assert_eq!((tiny.author, tiny.date, tiny.film), (0, 0, 0));
    }
}
