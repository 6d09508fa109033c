//! The detail pane's layout as plain data: the selected review wrapped to the pane's width,
//! each line's text with the role of each part of it (title, rating, search match...), and
//! where the search matches are. Built once per review, width, search and reveal state, not
//! per frame; the renderer gives each role its style, so moving between matches keeps it.

use std::ops::Range;
use std::time::Instant;

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
///
/// The lines around the body (title, facts, the permalink) are held as text; the body's
/// lines only as where they lie in the body, so a review of hundreds of megabytes costs a
/// few bytes per line, not a copy. The body is laid out as far as the pane needs, a piece at
/// a time, and so are its search matches: nothing waits on the whole body at once.
#[derive(Debug, Clone)]
pub struct DetailLayout {
    review: usize,
    width: u16,
    hidden: bool,
    search: Search,
    /// The lines before the body (or before the spoiler notice, which is one of them).
    head: Vec<DetailLine>,
    /// Each body line, as a range of the body.
    body: Vec<Range<usize>>,
    /// The body's search matches found so far, in order, as ranges of the body.
    body_matches: Vec<Range<usize>>,
    /// The lines after the body (the permalink): shown once the body is all laid out.
    tail: Vec<DetailLine>,
    /// How many matches the head holds: the body's are numbered after them.
    head_matches: usize,
    /// For each search match found, in reading order, the line it starts on.
    match_lines: Vec<usize>,
    /// Where in the body the text not laid out yet starts; `None` once it is all laid out.
    next: Option<usize>,
    /// The body's length, for the share laid out.
    body_len: usize,
    /// The body, when it had to be read (from its file): read once for the layout, not
    /// for every frame (a body of 60 MB read three times a frame made the pane crawl).
    /// A body held in memory is borrowed each time instead.
    text: Option<std::sync::Arc<String>>,
}

/// How much of a body is wrapped at a time, at least (to the end of the line it reaches).
const PIECE: usize = 64 << 10;

/// How many lines a new layout holds at once: all of any ordinary review.
const FIRST_LINES: usize = 1000;

/// How far past a piece's end its search looks, for a match that a cut inside a paragraph
/// would split: no word the search looks for is longer.
const MATCH_OVERLAP: usize = 1024;

/// The body a layout is of: the copy read for it (`text`), or review `review`'s in `doc`.
fn body_of<'a>(
    text: Option<&'a str>,
    doc: &'a Document,
    review: usize,
) -> std::borrow::Cow<'a, str> {
    match text {
        Some(text) => std::borrow::Cow::Borrowed(text),
        None => doc
            .reviews
            .get(review)
            .map(|r| doc.body(r))
            .unwrap_or_default(),
    }
}

impl DetailLayout {
    /// Lays out review `index` of `doc` for a pane `width` columns wide; `hidden` puts the
    /// spoiler notice in place of the body.
    #[must_use]
    pub fn new(doc: &Document, index: usize, width: u16, hidden: bool, search: &Search) -> Self {
        let mut layout = Self {
            review: index,
            width,
            hidden,
            search: search.clone(),
            head: Vec::new(),
            body: Vec::new(),
            body_matches: Vec::new(),
            tail: Vec::new(),
            head_matches: 0,
            match_lines: Vec::new(),
            next: None,
            body_len: 0,
            text: None,
        };
        if let Some(review) = doc.reviews.get(index) {
            layout.lay_out(doc, review, usize::from(width).max(1), search);
        }
        layout.extend(doc, FIRST_LINES, None);
        layout
    }

    fn lay_out(&mut self, doc: &Document, review: &Review, w: usize, search: &Search) {
        self.push_highlighted(&doc.title(review), w, Role::Title, search);

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
        // Only what the review has, with one separator between each: data from elsewhere
        // often has no author or date.
        let author = doc.author(review);
        if !author.is_empty() {
            if !meta.is_empty() {
                meta.push((" · ".into(), Role::Plain));
            }
            meta.push((author.to_string(), Role::Plain));
        }
        if let Some(date) = review.date {
            let sep = if meta.is_empty() { "" } else { " · " };
            meta.push((format!("{sep}{date}"), Role::Plain));
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
        // A source without votes says nothing of them ("no one marked it helpful" would
        // be wrong: nobody could).
        if !doc.source_of(review).is_some_and(|s| s.no_votes) {
            self.head.push(DetailLine::one(votes, Role::Dim));
        }
        if doc.sources.len() > 1
            && let Some(source) = doc.source_of(review)
        {
            let noun = source.subject.unwrap_or("film");
            self.push_wrapped_parts(&[(format!("{noun}: {}", source.label), Role::Dim)], w);
        }
        if review.spoiler {
            self.head
                .push(DetailLine::one("Warning: Spoilers", Role::SpoilerMark));
        }
        let tags = doc.labels().get(self.review);
        if !tags.is_empty() {
            let names = doc.labels().names_in(tags);
            let mut said = Vec::new();
            if tags.marked {
                said.push("● marked".to_string());
            }
            if !names.is_empty() {
                said.push(format!("labels: {}", names.join(", ")));
            }
            self.push_wrapped_parts(&[(said.join(" · "), Role::Dim)], w);
        }
        self.head.push(DetailLine::default());
        self.head_matches = self.match_lines.len();

        if self.hidden {
            for range in wrap(SPOILER_NOTICE, w) {
                self.head
                    .push(DetailLine::one(&SPOILER_NOTICE[range], Role::SpoilerNotice));
            }
        } else {
            let body = doc.body(review);
            self.body_len = body.len();
            if let std::borrow::Cow::Owned(text) = body {
                // Kept as read: an `Arc<str>` would copy it.
                self.text = Some(std::sync::Arc::new(text));
            }
            self.next = Some(0);
        }
        let reply = doc.reply(review).filter(|_| !self.hidden);
        if reply.is_some() || doc.permalink(review).is_some() {
            let head = std::mem::take(&mut self.head);
            if let Some((text, date)) = reply {
                self.head.push(DetailLine::default());
                let said = match date {
                    Some(date) => format!("Reply · {date}"),
                    None => "Reply".to_string(),
                };
                self.push_wrapped_parts(&[(said, Role::Dim)], w);
                for line in text.split('\n') {
                    self.push_wrapped_parts(&[(line.to_string(), Role::Plain)], w);
                }
            }
            if let Some(link) = doc.permalink(review) {
                self.head.push(DetailLine::default());
                self.push_wrapped_parts(&[(link.to_string(), Role::Dim)], w);
            }
            self.tail = std::mem::replace(&mut self.head, head);
        }
    }

    /// Lays out more of the body, if some is left, until the layout holds `lines` lines, or
    /// all of it, or `deadline` passes (after at least one piece). Wrapping stops at the end
    /// of a line of the text, so pieces join exactly; each piece's matches are found with
    /// it. Returns whether the layout now holds `lines` lines (or all there are).
    pub fn extend(&mut self, doc: &Document, lines: usize, deadline: Option<Instant>) -> bool {
        let text = self.text.clone();
        let body = body_of(text.as_deref().map(String::as_str), doc, self.review);
        let width = usize::from(self.width).max(1);
        while self.len() < lines {
            let Some(from) = self.next else {
                return true;
            };
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return false;
            }
            if from > body.len() {
                self.next = None;
                return self.len() >= lines;
            }
            let reach = (from + PIECE).min(body.len());
            let bound = (reach + 16 * PIECE).min(body.len());
            let line_end = memchr::memchr(b'\n', &body.as_bytes()[reach..bound]).map(|i| reach + i);
            let (end, next) = if let Some(end) = line_end.or((bound == body.len()).then_some(bound))
            {
                // Past the line break the piece ended at (past the end, after the last one).
                (end, end + 1)
            } else {
                // A paragraph longer than the bound: wrap up to it, keep every line but the
                // last (which the rest of the paragraph may continue), and go on from there.
                let mut cut = bound;
                while !body.is_char_boundary(cut) {
                    cut -= 1;
                }
                let wrapped = wrap(&body[from..cut], width);
                let keep = wrapped.len().saturating_sub(1).max(1).min(wrapped.len());
                let next = wrapped.get(keep).map_or(cut, |last| from + last.start);
                (
                    from + wrapped.get(keep - 1).map_or(cut - from, |l| l.end),
                    next,
                )
            };
            self.lay_out_body(&body, from, end, next, width);
            self.next = Some(next);
        }
        true
    }

    /// Adds the body lines of `body[from..end]` and the search matches that start before
    /// `next`, where the next piece starts.
    fn lay_out_body(&mut self, body: &str, from: usize, end: usize, next: usize, width: usize) {
        let first_line = self.head.len() + self.body.len();
        let first_new = self.body.len();
        self.body.extend(
            wrap(&body[from..end], width)
                .into_iter()
                .map(|r| from + r.start..from + r.end),
        );
        if self.search.is_empty() {
            return;
        }
        let mut look = (next.max(end) + MATCH_OVERLAP).min(body.len());
        while !body.is_char_boundary(look) {
            look -= 1;
        }
        let found = self.search.ranges(&body[from..look]);
        let mut on_line = first_new;
        for m in found {
            let mut m = from + m.start..from + m.end;
            if m.start >= next {
                break;
            }
            // A word cut by a hard wrap, where a piece ended: its match was the last piece's.
            if let Some(last) = self.body_matches.last() {
                if m.end <= last.end {
                    continue;
                }
                m.start = m.start.max(last.end);
            }
            while on_line + 1 < self.body.len() && self.body[on_line + 1].start <= m.start {
                on_line += 1;
            }
            self.match_lines.push(first_line + (on_line - first_new));
            self.body_matches.push(m);
        }
    }

    /// Whether the whole review is laid out.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.next.is_none()
    }

    /// How much of the body is laid out, in percent.
    #[must_use]
    pub fn percent_laid_out(&self) -> usize {
        match self.next {
            None => 100,
            Some(next) => next.min(self.body_len) * 100 / self.body_len.max(1),
        }
    }

    /// Whether this layout is still right for the review, width, reveal state and search.
    #[must_use]
    pub fn is_for(&self, review: usize, width: u16, hidden: bool, search: &Search) -> bool {
        self.review == review
            && self.width == width
            && self.hidden == hidden
            && self.search.text() == search.text()
    }

    /// Number of lines laid out.
    #[must_use]
    pub fn len(&self) -> usize {
        self.head.len()
            + self.body.len()
            + if self.is_complete() {
                self.tail.len()
            } else {
                0
            }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// For each search match found so far, the line it is on.
    #[must_use]
    pub fn match_lines(&self) -> &[usize] {
        &self.match_lines
    }

    /// The lines at `range` (as far as they are laid out), with their parts; `doc` holds the
    /// body the layout was made from.
    #[must_use]
    pub fn lines(&self, doc: &Document, range: Range<usize>) -> Vec<DetailLine> {
        let body = body_of(self.text.as_deref().map(String::as_str), doc, self.review);
        let end = range.end.min(self.len());
        (range.start.min(end)..end)
            .map(|i| {
                if let Some(line) = self.head.get(i) {
                    return line.clone();
                }
                let i = i - self.head.len();
                match self.body.get(i) {
                    Some(range) => self.body_line(&body, range.clone()),
                    None => self
                        .tail
                        .get(i - self.body.len())
                        .cloned()
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    /// A body line with its matches marked.
    fn body_line(&self, body: &str, line: Range<usize>) -> DetailLine {
        let text = body.get(line.clone()).unwrap_or_default().to_string();
        let mut parts = Vec::new();
        let mut at = line.start;
        let first = self.body_matches.partition_point(|m| m.end <= line.start);
        for (k, found) in self.body_matches.iter().enumerate().skip(first) {
            if found.start >= line.end {
                break;
            }
            let (start, end) = (found.start.max(line.start), found.end.min(line.end));
            if start > at {
                parts.push((at - line.start..start - line.start, Role::Plain));
            }
            parts.push((
                start - line.start..end - line.start,
                Role::Match(self.head_matches + k),
            ));
            at = end;
        }
        if at < line.end {
            parts.push((at - line.start..line.end - line.start, Role::Plain));
        }
        DetailLine { text, parts }
    }

    /// Wraps `text` and adds it with its search matches marked.
    fn push_highlighted(&mut self, text: &str, width: usize, role: Role, search: &Search) {
        let matches = search.ranges(text);
        let lines = wrap(text, width);
        let first_line = self.head.len();
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
            self.head.push(DetailLine {
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
            self.head.push(DetailLine {
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

    /// Review 0 of `doc` wrapped whole, as one text, the way a short review is.
    fn whole_layout(doc: &Document, width: u16) -> Vec<DetailLine> {
        let review = &doc.reviews[0];
        let mut layout = DetailLayout::new(doc, 0, width, false, &Search::default());
        let body = doc.body(review);
        let head = layout.head.len();
        let mut lines = layout.lines(doc, 0..head);
        lines.extend(
            wrap(&body, usize::from(width))
                .into_iter()
                .map(|r| DetailLine::one(&body[r], Role::Plain)),
        );
        layout.extend(doc, usize::MAX, None);
        lines.extend(layout.tail.iter().cloned());
        lines
    }

    /// A long body laid out piece by piece, as it is scrolled to, ends as the whole body
    /// laid out at once.
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
        lazy.extend(&doc, usize::MAX, None);
        assert!(lazy.is_complete());
        let whole = whole_layout(&doc, 50);
        assert_eq!(lazy.lines(&doc, 0..usize::MAX), whole);
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
        lazy.extend(&doc, usize::MAX, None);
        assert_eq!(lazy.lines(&doc, 0..usize::MAX), whole_layout(&doc, 37));
    }

    /// A paragraph longer than a piece with no break at all: its words are cut by the
    /// wrap where pieces end, and a match across such a cut is marked once, not twice.
    #[test]
    fn matches_across_piece_cuts_do_not_overlap() {
        use crate::model::{Source, StoreBuilder};
        let body = "x".repeat(2_100_000);
        let mut b = StoreBuilder::new(String::new());
        let review = Review {
            body: b.push(&body),
            ..Review::default()
        };
        let doc = Document::new(Source::default(), vec![review], b.finish());
        let mut layout = DetailLayout::new(&doc, 0, 37, false, &Search::new("xxxxx"));
        layout.extend(&doc, usize::MAX, None);
        let mut marked = 0;
        for line in layout.lines(&doc, 0..usize::MAX) {
            let mut at = 0;
            for (range, role) in &line.parts {
                assert_eq!(range.start, at, "{line:?}");
                at = range.end;
                if let Role::Match(_) = role {
                    marked += range.len();
                }
            }
            assert_eq!(at, line.text.len());
        }
        // Nearly every x: where a match was cut short at a piece's end, the next one counts
        // from there.
        assert!(marked > 2_099_000 && marked <= 2_100_000, "{marked}");
        let ends: Vec<usize> = layout.body_matches.iter().map(|m| m.end).collect();
        assert!(ends.windows(2).all(|w| w[0] < w[1]));
        assert!(
            layout
                .body_matches
                .windows(2)
                .all(|w| w[0].end <= w[1].start)
        );
    }

    #[test]
    fn parts_cover_each_line_in_order() {
        let doc = sample();
        let search = Search::new("pusher the");
        for index in 0..doc.reviews.len() {
            for width in [1, 7, 40, 200] {
                let layout = DetailLayout::new(&doc, index, width, false, &search);
                for line in layout.lines(&doc, 0..usize::MAX) {
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
                .lines(&doc, 0..usize::MAX)
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
        let body = doc.body(review);
        let word = body
            .split_whitespace()
            .filter(|w| w.len() > 6 && w.chars().all(char::is_alphabetic))
            .find(|w| !head.contains(&w.to_lowercase()))
            .expect("a word only in the body");
        let search = Search::new(word);
        let hidden = DetailLayout::new(&doc, spoiler, 60, true, &search);
        let shown: String = hidden
            .lines(&doc, 0..usize::MAX)
            .iter()
            .map(|l| l.text.clone())
            .collect();
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
