//! The detail pane's layout as plain data: the selected review wrapped to the pane's width,
//! each line's text with the role of each part of it (title, rating, search match...), and
//! where the search matches are. Built once per review, width, search and reveal state, not
//! per frame; the renderer gives each role its style, so moving between matches keeps it.

use std::ops::Range;

use crate::model::{Document, Rating, Review, Verdict};
use crate::query::Search;
use crate::wrap::wrap;

/// What stands in for a hidden spoiler. It says nothing about the text, not even its length.
pub const SPOILER_NOTICE: &str = "This review contains spoilers — press x to reveal";

/// What a part of a line is, for the renderer to style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Plain,
    Title,
    /// The rating, or its absence.
    Rating(Option<Rating>),
    /// A thumbs up or down.
    Verdict(Verdict),
    /// Secondary facts: votes, film, permalink.
    Dim,
    /// The "Warning: Spoilers" line.
    SpoilerMark,
    /// The notice shown instead of a hidden body.
    SpoilerNotice,
    /// Search match number `n` of the review, in reading order.
    Match(usize),
}

/// One line of the pane: its text and the parts it is made of, in order, covering it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailLine {
    pub text: String,
    pub parts: Vec<(Range<usize>, Role)>,
}

impl DetailLine {
    fn one(text: impl Into<String>, role: Role) -> Self {
        let text = text.into();
        let parts = if text.is_empty() {
            Vec::new()
        } else {
            vec![(0..text.len(), role)]
        };
        Self { text, parts }
    }

    /// Each part's text with its role.
    pub fn pieces(&self) -> impl Iterator<Item = (&str, Role)> {
        self.parts
            .iter()
            .map(|(range, role)| (self.text.get(range.clone()).unwrap_or_default(), *role))
    }
}

/// One review laid out as lines of the detail pane.
#[derive(Debug, Clone)]
pub struct DetailLayout {
    review: usize,
    width: u16,
    hidden: bool,
    search: String,
    lines: Vec<DetailLine>,
    /// For each visible search match, in reading order, the line it starts on.
    match_lines: Vec<usize>,
    /// The part of the body not laid out yet, when there is one.
    pending: Option<Pending>,
}

/// A body laid out only as far as the pane has been scrolled: a review of hundreds of
/// megabytes is wrapped a piece at a time, never whole when it is selected.
#[derive(Debug, Clone)]
struct Pending {
    /// Where in the body the text not laid out yet starts.
    next: usize,
    width: usize,
    /// The lines after the body (the permalink), added once the body is all laid out.
    tail: Vec<DetailLine>,
}

/// How much of a body is wrapped at a time, at least (to the end of the line it reaches).
const PIECE: usize = 64 << 10;

/// How many lines a new layout holds at once: all of any ordinary review.
const FIRST_LINES: usize = 1000;

impl DetailLayout {
    /// Lays out review `index` of `doc` for a pane `width` columns wide; `hidden` puts the
    /// spoiler notice in place of the body.
    #[must_use]
    pub fn new(doc: &Document, index: usize, width: u16, hidden: bool, search: &Search) -> Self {
        let mut layout = Self {
            review: index,
            width,
            hidden,
            search: search.text().to_string(),
            lines: Vec::new(),
            match_lines: Vec::new(),
            pending: None,
        };
        if let Some(review) = doc.reviews.get(index) {
            layout.lay_out(doc, review, usize::from(width).max(1), search);
        }
        layout.extend(doc, FIRST_LINES);
        layout
    }

    fn lay_out(&mut self, doc: &Document, review: &Review, w: usize, search: &Search) {
        self.push_highlighted(doc.title(review), w, Role::Title, search);

        // A thumbs up or down stands for the rating where there is none.
        let mut meta = match (review.rating, review.verdict) {
            (Some(r), _) => vec![(format!("★ {r}/{}", r.scale()), Role::Rating(Some(r)))],
            (None, Some(_)) => Vec::new(),
            (None, None) => vec![("no rating".to_string(), Role::Rating(None))],
        };
        if let Some(verdict) = review.verdict {
            if !meta.is_empty() {
                meta.push((" ".into(), Role::Plain));
            }
            meta.push((verdict.name().into(), Role::Verdict(verdict)));
        }
        meta.push((" · ".into(), Role::Plain));
        meta.push((doc.author(review).to_string(), Role::Plain));
        if let Some(date) = review.date {
            meta.push((format!(" · {date}"), Role::Plain));
        }
        self.push_wrapped_parts(&meta, w);
        let votes = if review.not_helpful().is_none() {
            // The source counts up-votes only.
            match review.helpful {
                0 => "no one marked it helpful yet".to_string(),
                1 => "1 person found this helpful".to_string(),
                n => format!("{n} people found this helpful"),
            }
        } else if review.total_votes() == 0 {
            "no votes yet".to_string()
        } else {
            format!(
                "{} of {} found this helpful",
                review.helpful,
                review.total_votes()
            )
        };
        self.lines.push(DetailLine::one(votes, Role::Dim));
        if doc.sources.len() > 1
            && let Some(source) = doc.source_of(review)
        {
            let noun = source.subject.unwrap_or("film");
            self.push_wrapped_parts(&[(format!("{noun}: {}", source.label), Role::Dim)], w);
        }
        if review.spoiler {
            self.lines
                .push(DetailLine::one("Warning: Spoilers", Role::SpoilerMark));
        }
        self.lines.push(DetailLine::default());

        if self.hidden {
            for range in wrap(SPOILER_NOTICE, w) {
                self.lines
                    .push(DetailLine::one(&SPOILER_NOTICE[range], Role::SpoilerNotice));
            }
        } else if search.is_empty() {
            // Laid out as it is scrolled to (see `extend`); what follows it waits.
            let head = self.lines.len();
            if let Some(link) = doc.permalink(review) {
                self.lines.push(DetailLine::default());
                self.push_wrapped_parts(&[(link.to_string(), Role::Dim)], w);
            }
            let tail = self.lines.split_off(head);
            self.pending = Some(Pending {
                next: 0,
                width: w,
                tail,
            });
            return;
        } else {
            // Every match is found and numbered at once, for `n` and `N`.
            self.push_highlighted(doc.body(review), w, Role::Plain, search);
        }
        if let Some(link) = doc.permalink(review) {
            self.lines.push(DetailLine::default());
            self.push_wrapped_parts(&[(link.to_string(), Role::Dim)], w);
        }
    }

    /// Lays out more of the body, if some is left, until the layout holds `lines` lines or
    /// all of it. Wrapping stops at the end of a line of the text, so pieces join exactly.
    pub fn extend(&mut self, doc: &Document, lines: usize) {
        let body = doc.reviews.get(self.review).map_or("", |r| doc.body(r));
        while self.lines.len() < lines {
            let Some(pending) = &mut self.pending else {
                return;
            };
            if pending.next > body.len() {
                let tail = std::mem::take(&mut pending.tail);
                self.pending = None;
                self.lines.extend(tail);
                return;
            }
            let from = pending.next;
            let reach = (from + PIECE).min(body.len());
            let bound = (reach + 16 * PIECE).min(body.len());
            let line_end = memchr::memchr(b'\n', &body.as_bytes()[reach..bound]).map(|i| reach + i);
            let Some(end) = line_end.or((bound == body.len()).then_some(bound)) else {
                // A paragraph longer than the bound: wrap up to it, keep every line but the
                // last (which the rest of the paragraph may continue), and go on from there.
                let mut cut = bound;
                while !body.is_char_boundary(cut) {
                    cut -= 1;
                }
                let lines = wrap(&body[from..cut], pending.width);
                let keep = lines.len().saturating_sub(1).max(1).min(lines.len());
                for range in &lines[..keep] {
                    let text = &body[from + range.start..from + range.end];
                    self.lines.push(DetailLine::one(text, Role::Plain));
                }
                pending.next = lines.get(keep).map_or(cut, |last| from + last.start);
                continue;
            };
            for range in wrap(&body[from..end], pending.width) {
                let text = &body[from + range.start..from + range.end];
                self.lines.push(DetailLine::one(text, Role::Plain));
            }
            // Past the line break the piece ended at (past the end, after the last piece).
            pending.next = end + 1;
        }
    }

    /// Whether the whole review is laid out.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.pending.is_none()
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

    /// The lines, top to bottom.
    #[must_use]
    pub fn lines(&self) -> &[DetailLine] {
        &self.lines
    }

    /// Wraps `text` and adds it with its search matches marked.
    fn push_highlighted(&mut self, text: &str, width: usize, role: Role, search: &Search) {
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
            let base = line.start;
            let mut parts = Vec::new();
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
                    parts.push((at - base..start - base, role));
                }
                parts.push((start - base..end - base, Role::Match(first_match + m)));
                at = end;
            }
            if at < line.end {
                parts.push((at - base..line.end - base, role));
            }
            self.lines.push(DetailLine {
                text: text[line].to_string(),
                parts,
            });
        }
    }

    /// Adds parts as one logical line, wrapped at the pane's width, each keeping its role.
    fn push_wrapped_parts(&mut self, parts: &[(String, Role)], width: usize) {
        let text: String = parts.iter().map(|(t, _)| t.as_str()).collect();
        let mut bounds = Vec::with_capacity(parts.len());
        let mut at = 0;
        for (part, role) in parts {
            bounds.push((at..at + part.len(), *role));
            at += part.len();
        }
        for line in wrap(&text, width) {
            let base = line.start;
            let parts = bounds
                .iter()
                .filter_map(|(range, role)| {
                    let start = range.start.max(line.start);
                    let end = range.end.min(line.end);
                    (start < end).then(|| (start - base..end - base, *role))
                })
                .collect();
            self.lines.push(DetailLine {
                text: text[line].to_string(),
                parts,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::sample_document as sample;

    /// A long body laid out piece by piece, as it is scrolled to, ends as the whole body
    /// laid out at once (which a search still does, to number every match).
    #[test]
    fn a_long_body_laid_out_in_pieces_is_the_body_laid_out_whole() {
        use crate::model::{Source, StoreBuilder};
        let paragraph = "A review line with some words to wrap at the pane's width, ".repeat(30);
        let body = vec![paragraph.trim(); 400].join("\n\n");
        let mut b = StoreBuilder::new(String::new());
        let review = Review {
            body: b.push(&body),
            permalink: b.push("https://www.imdb.com/review/rw1/"),
            ..Review::default()
        };
        let doc = Document::new(Source::default(), vec![review], b.finish());
        let mut lazy = DetailLayout::new(&doc, 0, 50, false, &Search::default());
        assert!(!lazy.is_complete(), "{} lines at first", lazy.len());
        assert!(lazy.len() >= FIRST_LINES);
        lazy.extend(&doc, usize::MAX);
        assert!(lazy.is_complete());
        let whole = DetailLayout::new(&doc, 0, 50, false, &Search::new("nowhere-in-it"));
        assert_eq!(lazy.lines(), whole.lines());
        // One paragraph longer than a piece's bound, with no line break to cut at.
        let body = "a paragraph that never breaks, ".repeat(120_000);
        let mut b = StoreBuilder::new(String::new());
        let review = Review {
            body: b.push(body.trim()),
            ..Review::default()
        };
        let doc = Document::new(Source::default(), vec![review], b.finish());
        let mut lazy = DetailLayout::new(&doc, 0, 37, false, &Search::default());
        assert!(!lazy.is_complete());
        lazy.extend(&doc, usize::MAX);
        let whole = DetailLayout::new(&doc, 0, 37, false, &Search::new("nowhere-in-it"));
        assert_eq!(lazy.lines(), whole.lines());
    }

    #[test]
    fn parts_cover_each_line_in_order() {
        let doc = sample();
        let search = Search::new("pusher the");
        for index in 0..doc.reviews.len() {
            for width in [1, 7, 40, 200] {
                let layout = DetailLayout::new(&doc, index, width, false, &search);
                for line in layout.lines() {
                    let mut at = 0;
                    for (range, _) in &line.parts {
                        assert_eq!(range.start, at, "{line:?}");
                        at = range.end;
                    }
                    assert_eq!(at, line.text.len(), "{line:?}");
                }
            }
        }
    }

    #[test]
    fn every_match_is_marked_on_the_line_it_starts() {
        let doc = sample();
        let search = Search::new("pusher");
        let layout = DetailLayout::new(&doc, 0, 30, false, &search);
        assert!(!layout.match_lines().is_empty());
        for (n, &line) in layout.match_lines().iter().enumerate() {
            let (first_line, first_text) = layout
                .lines()
                .iter()
                .enumerate()
                .find_map(|(i, l)| {
                    l.pieces()
                        .find(|&(_, role)| role == Role::Match(n))
                        .map(|(text, _)| (i, text.to_lowercase()))
                })
                .expect("every match is marked");
            assert_eq!(first_line, line, "match {n}");
            assert!(
                !first_text.is_empty() && "pusher".starts_with(&first_text),
                "match {n} starts with {first_text:?}"
            );
        }
    }

    #[test]
    fn a_hidden_body_is_neither_shown_nor_searched() {
        let doc = sample();
        let spoiler = doc
            .reviews
            .iter()
            .position(|r| r.spoiler)
            .expect("the sample has a spoiler review");
        let review = &doc.reviews[spoiler];
        let head = format!("{} {}", doc.title(review), doc.author(review)).to_lowercase();
        let word = doc
            .body(review)
            .split_whitespace()
            .filter(|w| w.len() > 6 && w.chars().all(char::is_alphabetic))
            .find(|w| !head.contains(&w.to_lowercase()))
            .expect("a word only in the body");
        let search = Search::new(word);
        let hidden = DetailLayout::new(&doc, spoiler, 60, true, &search);
        let shown: String = hidden.lines().iter().map(|l| l.text.as_str()).collect();
        assert!(shown.contains("This review contains spoilers"));
        assert!(
            !shown.to_lowercase().contains(&word.to_lowercase()),
            "{word}"
        );
        assert!(hidden.match_lines().is_empty());
        let revealed = DetailLayout::new(&doc, spoiler, 60, false, &search);
        assert!(!revealed.match_lines().is_empty());
    }
}
