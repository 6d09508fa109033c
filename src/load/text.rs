//! Loader for an IMDb "User Reviews" page copied as text (FORMATS.md §1).
//!
//! The page is read one review block at a time: a block ends at a `Permalink` line, and the
//! lines of the block get their meaning from their position (rating, title, author+date,
//! spoiler marker, body, votes), never from their look alone, so a body line reading `9/10`
//! stays body text. Only the current block is held, which keeps memory flat on huge files.

use std::borrow::Cow;
use std::ops::Range;

use super::{Loaded, Warning, normalize_body};
use crate::model::{Date, Document, MONTHS, Review, Source, StoreBuilder, TextRef};
use crate::sanitize::sanitize;

/// One line of the input: its byte range without the line break, and its 1-based number.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    number: usize,
}

impl Line {
    fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// Parses copied page text. Never fails: a text with no reviews gives an empty document,
/// which the caller reports.
#[must_use]
pub fn load(store: StoreBuilder, label: &str) -> Loaded {
    let mut parser = Parser {
        store,
        reviews: Vec::new(),
        warnings: Vec::new(),
        source: Source {
            label: label.to_string(),
            ..Source::default()
        },
        seen_block: false,
    };
    let mut block: Vec<Line> = Vec::new();
    let base_len = parser.store.base().len();
    let mut offset = 0;
    let mut number = 0;
    while offset < base_len {
        let rest = &parser.store.base()[offset..];
        let line_len = rest.find('\n').unwrap_or(rest.len());
        let mut end = offset + line_len;
        if parser.store.base().as_bytes()[offset..end].last() == Some(&b'\r') {
            end -= 1;
        }
        number += 1;
        let line = Line {
            start: offset,
            end,
            number,
        };
        offset += line_len + 1;
        if is_permalink(parser.text(line)) {
            parser.finish_block(&block, number, true);
            block.clear();
        } else {
            block.push(line);
        }
    }
    parser.finish_block(&block, number, false);
    parser.finish()
}

struct Parser {
    store: StoreBuilder,
    reviews: Vec<Review>,
    warnings: Vec<Warning>,
    source: Source,
    /// Whether a block has been read already: only the first one can hold the page header.
    seen_block: bool,
}

impl Parser {
    fn text(&self, line: Line) -> &str {
        &self.store.base()[line.range()]
    }

    fn is_blank(&self, line: Line) -> bool {
        self.text(line).trim().is_empty()
    }

    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line: Some(line),
            message: message.into(),
        });
    }

    /// Handles the lines up to a `Permalink` (or, with `closed` false, up to the end of the
    /// document, where they are the page trailer unless they hold a cut-off review).
    fn finish_block(&mut self, lines: &[Line], permalink_line: usize, closed: bool) {
        // A review whose Permalink line went missing leaves two reviews in one block; split
        // after each full votes line that is followed by more text.
        let mut from = 0;
        for (i, &line) in lines.iter().enumerate() {
            let is_inner_votes = i + 1 < lines.len()
                && is_full_votes_line(self.text(line))
                && lines[i + 1..].iter().any(|&l| !self.is_blank(l));
            if is_inner_votes {
                self.warn(
                    line.number + 1,
                    "expected a `Permalink` line after the votes",
                );
                self.read_block(&lines[from..=i], true);
                from = i + 1;
            }
        }
        let rest = &lines[from..];
        if closed {
            if rest.iter().all(|&l| self.is_blank(l)) {
                self.warn(permalink_line, "`Permalink` line with no review before it");
            } else {
                self.read_block(rest, true);
            }
        } else {
            self.read_block(rest, false);
        }
    }

    /// Reads one review block. `closed` is false for the text after the last `Permalink`.
    fn read_block(&mut self, all_lines: &[Line], closed: bool) {
        let lines: Vec<Line> = all_lines
            .iter()
            .copied()
            .filter(|&l| !self.is_blank(l))
            .collect();
        let first_block = !self.seen_block;
        self.seen_block = true;
        let Some(&last) = lines.last() else { return };

        // Votes close the block.
        let mut votes = None;
        let mut body_end = lines.len();
        if let Some(parsed) = parse_votes(self.text(last)) {
            body_end -= 1;
            match parsed {
                Ok(v) => votes = Some(v),
                Err(message) => {
                    self.warn(last.number, message);
                    votes = Some((0, 0));
                }
            }
        }

        let Some(author_at) = self.find_author_line(&lines[..body_end]) else {
            if !closed {
                // The page trailer ("See also", ...), or a copy that stops inside a review's
                // opening lines: nothing readable either way.
                if votes.is_some() {
                    self.warn(
                        lines[0].number,
                        "text after the last review has no author line; skipped",
                    );
                }
                return;
            }
            if first_block {
                if votes.is_some() {
                    self.warn(
                        lines[0].number,
                        "text before the first review has no author line; skipped",
                    );
                } else {
                    self.read_header(&lines);
                }
                return;
            }
            self.read_headless_block(&lines[..body_end], votes);
            return;
        };

        let title_at = author_at - 1;
        let rating_at = title_at
            .checked_sub(1)
            .filter(|&i| parse_rating(self.text(lines[i])).is_some());
        let stray_end = rating_at.unwrap_or(title_at);
        if first_block {
            self.read_header(&lines[..stray_end]);
        } else if stray_end > 0 {
            let n = stray_end;
            self.warn(
                lines[0].number,
                format!("{n} unexpected line{} before a review; skipped", plural(n)),
            );
        }

        let author_line = lines[author_at];
        let (author_len, date) = split_author_date(self.text(author_line))
            .unwrap_or((author_line.end - author_line.start, None));
        let author = self.field(author_line.start..author_line.start + author_len);

        let mut body_start = author_at + 1;
        let spoiler = lines
            .get(body_start)
            .is_some_and(|&l| body_end > body_start && self.text(l).trim() == "Warning: Spoilers");
        if spoiler {
            body_start += 1;
        }
        let body = if body_start < body_end {
            self.body(lines[body_start].start..lines[body_end - 1].end)
        } else {
            TextRef::EMPTY
        };
        if votes.is_none() {
            let message = if closed {
                "review has no votes line (\"X out of Y found this helpful\")"
            } else {
                "review has no votes line and no `Permalink`: the copy may be cut off"
            };
            self.warn(lines[author_at].number, message);
        }
        let (helpful, not_helpful) = votes.unwrap_or((0, 0));
        let title = self.field(lines[title_at].range());
        self.reviews.push(Review {
            rating: rating_at.and_then(|i| parse_rating(self.text(lines[i]))),
            spoiler,
            source: 0,
            date,
            helpful,
            not_helpful,
            title,
            author,
            body,
            permalink: TextRef::EMPTY,
        });
    }

    /// A block with no author/date line: keep its rating, title and body and say so.
    fn read_headless_block(&mut self, lines: &[Line], votes: Option<(u64, u64)>) {
        let Some(&first) = lines.first() else {
            self.warn(0, "a votes line with no review before it");
            return;
        };
        let rating = parse_rating(self.text(first));
        let title_at = usize::from(rating.is_some());
        self.warn(first.number, "review has no author/date line");
        let title = lines
            .get(title_at)
            .map_or(TextRef::EMPTY, |&l| self.field(l.range()));
        let body = match lines.get(title_at + 1..) {
            Some([a, .., b]) => self.body(a.start..b.end),
            Some([a]) => self.body(a.range()),
            _ => TextRef::EMPTY,
        };
        let (helpful, not_helpful) = votes.unwrap_or((0, 0));
        self.reviews.push(Review {
            rating,
            spoiler: false,
            source: 0,
            date: None,
            helpful,
            not_helpful,
            title,
            author: TextRef::EMPTY,
            body,
            permalink: TextRef::EMPTY,
        });
    }

    /// The first line that reads as author+date and has a title line before it.
    fn find_author_line(&self, lines: &[Line]) -> Option<usize> {
        (1..lines.len()).find(|&i| {
            split_author_date(self.text(lines[i])).is_some_and(|(_, date)| date.is_some())
                && parse_rating(self.text(lines[i - 1])).is_none()
        })
    }

    /// Film title, year and review count from the lines before the first review.
    fn read_header(&mut self, lines: &[Line]) {
        for &line in lines {
            let text = self.text(line).trim();
            if let Some((title, year)) = parse_title_year(text) {
                if self.source.title.is_none() && !title.is_empty() {
                    let clean = sanitize(title).into_owned();
                    self.source.label.clone_from(&clean);
                    self.source.title = Some(clean);
                }
                self.source.year = self.source.year.or(Some(year));
            } else if let Some(count) = parse_review_count(text) {
                self.source.review_count = Some(count);
            }
        }
    }

    /// A one-line field, trimmed and sanitized.
    fn field(&mut self, range: Range<usize>) -> TextRef {
        let raw = &self.store.base()[range.clone()];
        let trimmed = raw.trim();
        let start = range.start + (raw.len() - raw.trim_start().len());
        let range = start..start + trimmed.len();
        let rewritten = match sanitize(trimmed) {
            Cow::Borrowed(_) => None,
            Cow::Owned(text) => Some(text),
        };
        match rewritten {
            None => self.store.reference(range),
            Some(text) => self.store.push(&text),
        }
    }

    /// Body paragraphs, sanitized and normalized; references the input when already clean.
    fn body(&mut self, range: Range<usize>) -> TextRef {
        let raw = &self.store.base()[range.clone()];
        let clean = sanitize(raw);
        let normal = normalize_body(&clean);
        if matches!(clean, Cow::Borrowed(_))
            && let Cow::Borrowed(n) = normal
        {
            // Unchanged apart from trimming: point into the input.
            let start = range.start + (n.as_ptr() as usize - raw.as_ptr() as usize);
            return self.store.reference(start..start + n.len());
        }
        let owned = normal.into_owned();
        self.store.push(&owned)
    }

    fn finish(self) -> Loaded {
        Loaded {
            document: Document::new(self.source, self.reviews, self.store.finish()),
            warnings: self.warnings,
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A `Permalink` line; a copy may leave stray characters after the word.
fn is_permalink(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("Permalink")
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
}

/// A line that is exactly `N/10` with N from 1 to 10.
#[must_use]
pub fn parse_rating(line: &str) -> Option<u8> {
    let n: u8 = line.trim().strip_suffix("/10")?.parse().ok()?;
    ((1..=10).contains(&n) && !line.trim().starts_with('+')).then_some(n)
}

/// Parses a count with optional thousands separators: `1,413`. Saturates instead of
/// overflowing; `None` if it is not a count at all.
#[must_use]
pub fn parse_count(text: &str) -> Option<(u64, bool)> {
    let text = text.trim();
    if text.is_empty() || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut value: u64 = 0;
    let mut overflow = false;
    for c in text.chars() {
        match c {
            '0'..='9' => {
                let digit = u64::from(c as u8 - b'0');
                if let Some(v) = value.checked_mul(10).and_then(|v| v.checked_add(digit)) {
                    value = v;
                } else {
                    value = u64::MAX;
                    overflow = true;
                }
            }
            ',' => {}
            _ => return None,
        }
    }
    Some((value, overflow))
}

/// The votes line: `X out of Y found this helpful. Was this review helpful? Sign in to vote.`
///
/// `None` when the line is not a votes line; `Some(Err)` when it is one with impossible
/// numbers (the review keeps its other fields).
fn parse_votes(line: &str) -> Option<Result<(u64, u64), String>> {
    let rest = line.trim_start();
    let (helpful, rest) = rest.split_once(" out of ")?;
    let (total, _) = rest.split_once(" found this helpful")?;
    let (helpful, o1) = parse_count(helpful)?;
    let (total, o2) = parse_count(total)?;
    if o1 || o2 {
        return Some(Err("vote count too large; votes ignored".into()));
    }
    if helpful > total {
        return Some(Err(format!(
            "{helpful} out of {total} found this helpful: more helpful votes than votes; votes ignored"
        )));
    }
    Some(Ok((helpful, total - helpful)))
}

/// The full votes line, as IMDb prints it, used to split blocks that lost their `Permalink`.
fn is_full_votes_line(line: &str) -> bool {
    line.contains("Was this review helpful?") && parse_votes(line).is_some()
}

/// Splits `UlrikSander11 March 2006` into the author's length in bytes and the date.
///
/// Returns `None` when the line does not end in ` Month YYYY` at all, and `Some((len, None))`
/// when it does but no valid day can be read. The day is glued to the user name, which may
/// itself end in digits; FORMATS.md §1 gives the rule: take two digits when they make a day
/// 10–31 valid for that month, do not start with `0`, and leave a name that does not end in
/// `-`; otherwise take one digit.
#[must_use]
pub fn split_author_date(line: &str) -> Option<(usize, Option<Date>)> {
    let line = line.trim_end();
    let (rest, year) = line.rsplit_once(' ')?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = year.parse().ok()?;
    let (glued, month_name) = rest.rsplit_once(' ')?;
    let month = u8::try_from(MONTHS.iter().position(|m| *m == month_name)? + 1).ok()?;
    let bytes = glued.as_bytes();
    let digit = |i: usize| {
        bytes
            .get(i)
            .filter(|b| b.is_ascii_digit())
            .map(|b| b - b'0')
    };
    let n = bytes.len();
    if n >= 2
        && let (Some(tens), Some(ones)) = (digit(n - 2), digit(n - 1))
        && tens != 0
        && !glued[..n - 2].ends_with('-')
        && let Some(date) = Date::new(year, month, tens * 10 + ones)
    {
        return Some((n - 2, Some(date)));
    }
    if n >= 1
        && let Some(ones) = digit(n - 1)
        && let Some(date) = Date::new(year, month, ones)
    {
        return Some((n - 1, Some(date)));
    }
    Some((line.len(), None))
}

/// `Pusher II (2004) Poster` or `Pusher II (2004)`: the film title and year.
fn parse_title_year(line: &str) -> Option<(&str, u16)> {
    let line = line.strip_suffix(" Poster").unwrap_or(line).trim_end();
    let inner = line.strip_suffix(')')?;
    let (title, year) = inner.rsplit_once('(')?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((title.trim(), year.parse().ok()?))
}

/// `44 Reviews`: how many reviews the site has for the film.
fn parse_review_count(line: &str) -> Option<u64> {
    let count = line
        .strip_suffix(" Reviews")
        .or_else(|| line.strip_suffix(" reviews"))
        .or_else(|| line.strip_suffix(" Review"))
        .or_else(|| line.strip_suffix(" review"))?;
    match parse_count(count)? {
        (n, false) => Some(n),
        (_, true) => None,
    }
}
