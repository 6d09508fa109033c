//! The stats view (`i`): the figures of the reviews shown, and jumps from it to the longest
//! and the most helpful review. What a hidden spoiler's body is stays out of it, as it does
//! everywhere: its length makes no review "the longest".

use super::{App, Focus, Mode};
use crate::query::stats::Stats;

impl App {
    /// Opens the stats view with the figures of the view as it is, or closes it.
    pub(super) fn toggle_stats(&mut self) {
        if self.mode == Mode::Stats {
            self.mode = Mode::Browse;
            return;
        }
        let stats = Stats::without_bodies(&self.doc, &self.view, |i| self.is_hidden(i));
        self.stats = Some(stats);
        self.overlay_scroll = 0;
        self.mode = Mode::Stats;
    }

    /// The figures the stats view shows, while it is open.
    #[must_use]
    pub fn stats(&self) -> Option<&Stats> {
        self.stats.as_ref().filter(|_| self.mode == Mode::Stats)
    }

    /// Selects the longest (`longest`) or the most helpful review of the stats view and
    /// shows it in the detail pane.
    pub(super) fn jump_from_stats(&mut self, longest: bool) {
        let Some(stats) = self.stats() else { return };
        let target = if longest {
            stats.longest
        } else {
            stats.most_helpful
        };
        let Some(index) = target else {
            self.message = Some(if longest {
                "no review with a body to read".into()
            } else {
                "no review has helpful votes".into()
            });
            return;
        };
        if let Some(position) = self.view.iter().position(|&i| i == index) {
            self.mode = Mode::Browse;
            self.select_position(position);
            self.focus = Focus::Detail;
            self.message = Some(if longest {
                "the longest review".into()
            } else {
                "the most helpful review".into()
            });
        }
    }
}

/// Block characters of a sparkline, lowest first.
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// `values` as a sparkline, one character each, scaled to the largest.
fn sparkline(values: impl Iterator<Item = usize> + Clone) -> String {
    let top = values.clone().max().unwrap_or(0).max(1);
    values
        .map(|v| {
            if v == 0 {
                ' '
            } else {
                SPARKS[(v * (SPARKS.len() - 1)).div_ceil(top).min(SPARKS.len() - 1)]
            }
        })
        .collect()
}

impl App {
    /// The stats view's lines as (label, text), for a window `width` columns wide: plain
    /// data, which the renderer styles and the scrolling counts.
    #[must_use]
    pub fn stats_lines(&self, width: usize) -> Vec<(String, String)> {
        let Some(stats) = self.stats() else {
            return Vec::new();
        };
        let doc = &self.doc;
        let mut lines = Vec::new();
        let mut line = |label: &str, text: String| lines.push((label.to_string(), text));
        let loaded = if stats.shown == stats.loaded {
            format!("{} reviews", stats.shown)
        } else {
            format!("{} of {} reviews", stats.shown, stats.loaded)
        };
        let pages = if doc.sources.len() == 1 {
            "the page lists"
        } else {
            "the pages list"
        };
        let claimed = stats
            .claimed
            .map(|n| format!("; {pages} {n}"))
            .unwrap_or_default();
        line("shown", format!("{loaded}{claimed}"));
        let scale = stats.scale;
        line(
            "ratings",
            match (stats.mean, stats.median) {
                (Some(mean), Some(median)) => {
                    let whose = if self.is_imdb() {
                        "the loaded reviews, not IMDb's score"
                    } else {
                        "the loaded reviews' own ratings"
                    };
                    format!("mean {mean:.2}, median {median} of {scale} ({whose})")
                }
                _ => "none rated".into(),
            },
        );
        for bar in histogram_bars(&stats.histogram, scale, width) {
            line("", bar);
        }
        line("", format!("unrated  {}", stats.histogram[0]));
        if stats.positive + stats.negative > 0 {
            line(
                "verdicts",
                format!(
                    "{} positive, {} negative, {} without",
                    stats.positive,
                    stats.negative,
                    stats.shown - stats.positive - stats.negative
                ),
            );
        }
        let share = |n: usize| n * 100 / stats.shown.max(1);
        line(
            "spoilers",
            format!(
                "{} of {} ({}%)",
                stats.spoilers,
                stats.shown,
                share(stats.spoilers)
            ),
        );
        if stats.helpful_share.iter().any(|&n| n > 0) {
            line(
                "votes",
                format!(
                    "0% {} 100% found it helpful; {} without votes",
                    sparkline(stats.helpful_share.iter().copied()),
                    stats.unvoted
                ),
            );
        }
        if let (Some(first), Some(last)) = (stats.per_year.first(), stats.per_year.last()) {
            // Many years are summed into as many groups as the window has room for.
            let room = width.saturating_sub(14 + 12).max(1);
            let group = stats.per_year.len().div_ceil(room);
            let counts: Vec<usize> = stats
                .per_year
                .chunks(group)
                .map(|years| years.iter().map(|&(_, n)| n).sum())
                .collect();
            line(
                "per year",
                format!("{} {} {}", first.0, sparkline(counts.into_iter()), last.0),
            );
        }
        self.review_lines(stats, &mut lines);
        self.note_lines(stats, &mut lines);
        wrap_text(lines, width)
    }

    /// The stats lines that name reviews: the longest, the most helpful.
    fn review_lines(&self, stats: &Stats, lines: &mut Vec<(String, String)>) {
        let doc = &self.doc;
        let mut line = |label: &str, text: String| lines.push((label.to_string(), text));
        let name = |i: usize| review_name(doc, i, self.is_hidden(i));
        if let Some(i) = stats.longest {
            let chars = stats.longest_chars;
            line("longest (l)", format!("{} ({chars} characters)", name(i)));
        }
        if let Some(i) = stats
            .most_helpful
            .filter(|&i| !doc.source_of(&doc.reviews[i]).is_some_and(|s| s.no_votes))
        {
            let r = &doc.reviews[i];
            let votes = match r.not_helpful() {
                Some(_) => format!("{} of {}", r.helpful, r.total_votes()),
                None => format!("{} votes", r.helpful),
            };
            line("helpful (h)", format!("{} ({votes})", name(i)));
        }
    }

    /// The stats lines of what is known beyond the fields: marks and labels, duplicates.
    fn note_lines(&self, stats: &Stats, lines: &mut Vec<(String, String)>) {
        let mut line = |label: &str, text: String| lines.push((label.to_string(), text));
        if stats.marked > 0 || !stats.labels.is_empty() {
            line("marked (')", stats.marked.to_string());
            for (k, (name, n)) in stats.labels.iter().enumerate() {
                line(
                    if k == 0 { "labels (\")" } else { "" },
                    format!("{name} {n}"),
                );
            }
        }
        if stats.duplicates > 0 || !stats.most_repeated.is_empty() {
            let hint = if self.query.dedupe {
                "hidden by D"
            } else {
                "D hides them"
            };
            line(
                "duplicates",
                format!("{} of the loaded ({hint})", stats.duplicates),
            );
            for (k, &(i, times)) in stats.most_repeated.iter().enumerate() {
                let label = if k == 0 { "repeated" } else { "" };
                line(
                    label,
                    format!(
                        "{times}× {}",
                        repeated_text(&self.doc, i, self.is_hidden(i))
                    ),
                );
            }
        }
    }
}

/// The stats' lines with each text wrapped at words to what `width` leaves beside the
/// label column: a line too long goes on under its label, never cut mid-word at the border.
fn wrap_text(lines: Vec<(String, String)>, width: usize) -> Vec<(String, String)> {
    // The label column and the space before it, as the window draws them.
    const LABEL: usize = 14;
    let room = width.saturating_sub(LABEL).max(10);
    let mut out = Vec::with_capacity(lines.len());
    for (label, text) in lines {
        // The rating bars are drawn to fit already, and have no words to break at.
        if crate::wrap::width(&text) <= room {
            out.push((label, text));
            continue;
        }
        for (k, range) in crate::wrap::wrap(&text, room).into_iter().enumerate() {
            let part = text[range].trim_end().to_string();
            out.push((if k == 0 { label.clone() } else { String::new() }, part));
        }
    }
    out
}

/// How the stats view names review `i`: by title and author where it has them (data from
/// elsewhere mostly has no titles, often no authors), else by how its text starts — but
/// never the text of a spoiler not revealed (`hidden`).
fn review_name(doc: &crate::model::Document, i: usize, hidden: bool) -> String {
    let r = &doc.reviews[i];
    let (title, author) = (doc.title(r), doc.author(r));
    match (title.is_empty(), author.is_empty()) {
        (false, false) => format!("“{title}” by {author}"),
        (false, true) => format!("“{title}”"),
        (true, false) => format!("an untitled review by {author}"),
        (true, true) if hidden => "an untitled spoiler review (hidden: x reveals)".into(),
        (true, true) => {
            let start: String = doc.body(r).chars().take(30).collect();
            format!("the review starting “{}…”", start.trim())
        }
    }
}

/// How the stats view shows a body repeated: how it starts, quoted; a hidden spoiler's
/// by its author only.
fn repeated_text(doc: &crate::model::Document, i: usize, hidden: bool) -> String {
    let r = &doc.reviews[i];
    if hidden {
        return format!("a spoiler review by {} (hidden: x reveals)", doc.author(r));
    }
    let body = doc.body(r);
    let start: String = body.chars().take(50).collect();
    let more = if body.chars().nth(50).is_some() {
        "…"
    } else {
        ""
    };
    format!("“{}{more}”", start.replace('\n', " ").trim())
}

/// The stats view's rating bars, highest rating first, scaled to `width`.
fn histogram_bars(histogram: &[usize], scale: u8, width: usize) -> Vec<String> {
    let widest = histogram.iter().skip(1).copied().max().unwrap_or(0).max(1);
    // The label column, `10/10 `, and room for the count after the bar.
    let room = width.saturating_sub(14 + 9 + 8).max(1);
    (1..histogram.len())
        .rev()
        .map(|rating| {
            let n = histogram[rating];
            let bar = "█".repeat((n * room).div_ceil(widest));
            format!("{rating:>3}/{scale:<3} {bar} {n}")
        })
        .collect()
}

#[cfg(test)]
mod wrapping {
    #[test]
    fn long_stats_lines_go_on_under_their_label_at_a_word() {
        let lines = vec![
            ("shown".to_string(), "25 reviews".to_string()),
            (
                "longest (l)".to_string(),
                "“Family, friends and gangsters in one long title” by someone (3314 characters)"
                    .to_string(),
            ),
        ];
        let wrapped = super::wrap_text(lines, 14 + 30);
        assert_eq!(wrapped[0], ("shown".to_string(), "25 reviews".to_string()));
        assert_eq!(wrapped[1].0, "longest (l)");
        assert!(wrapped.len() > 3);
        for (label, text) in &wrapped[2..] {
            assert!(label.is_empty());
            assert!(crate::wrap::width(text) <= 30, "{text}");
        }
        let joined: Vec<&str> = wrapped[1..].iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            joined.join(" "),
            "“Family, friends and gangsters in one long title” by someone (3314 characters)"
        );
    }
}
