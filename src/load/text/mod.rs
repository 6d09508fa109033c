//! Loader for an IMDb "User Reviews" page copied as text (FORMATS.md §1).
//!
//! The page is read one review block at a time: a block ends at a `Permalink` line, and the
//! lines of the block get their meaning from their position (rating, title, author+date,
//! spoiler marker, body, votes), never from their look alone, so a body line reading `9/10`
//! stays body text. Only the current block is held, which keeps memory flat on huge files.

use std::borrow::Cow;
use std::ops::Range;

use super::votes::{is_full_votes_line, is_vote_prompt, parse_votes};
use super::{Loaded, Warning, WarningLog, ends_clean, normalize_body, parse_count};
use crate::model::{Date, Document, MONTHS, Rating, Review, Source, StoreBuilder, TextRef};
use crate::sanitize::{is_clean, sanitize, sanitize_line};

mod pieces;
pub use pieces::Chunked;

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
    Chunked::new(label).parse(store, true)
}

/// Whether the next block may be the rest of a spoiler review whose block ended early, at a
/// `Permalink` line or a votes line in its text: its text must then not be shown in the
/// clear, whatever it looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hiding {
    /// The review before was no spoiler.
    No,
    /// The review before was a spoiler: a block after it with no review head of its own is
    /// the rest of its text.
    AfterSpoiler,
    /// The review before was a spoiler whose block ended at a `Permalink` line with no
    /// votes before it, as a `Permalink` line in its text ends it (or what came before is
    /// not known, in a piece read on its own): the next block is hidden whatever it holds.
    Cut,
}

/// Length of the line at the start of `bytes`, up to its `\n` or the end.
fn memchr_newline(bytes: &[u8]) -> usize {
    memchr::memchr(b'\n', bytes).unwrap_or(bytes.len())
}

/// Cheap first test for a `Permalink` line, before the exact one.
fn starts_like_permalink(line: &[u8]) -> bool {
    matches!(line.iter().find(|b| !b.is_ascii_whitespace()), Some(b'P'))
}

/// Where a block's text ends, the line that ends it, and the votes that close it.
#[derive(Debug, Clone, Copy)]
struct BlockEnd {
    body_end: usize,
    last: Line,
    votes: Option<(u64, u64)>,
}

/// Where a block's author line is, and its title line (missing in a damaged block).
#[derive(Debug, Clone, Copy)]
struct AuthorLine {
    at: usize,
    title_at: Option<usize>,
    /// The author line read by [`split_author_date`], where it could be.
    split: Option<(usize, Option<Date>)>,
}

struct Parser {
    store: StoreBuilder,
    reviews: Vec<Review>,
    warnings: Vec<Warning>,
    /// Keeps the warnings of a page of millions of broken blocks bounded.
    log: WarningLog,
    source: Source,
    /// Whether a block has been read already: only the first one can hold the page header.
    seen_block: bool,
    /// The non-blank lines of the block being read, in memory every block reuses.
    nonblank: Vec<Line>,
    /// What the review before leaves the next block (see [`Hiding`]).
    hiding: Hiding,
}

impl Parser {
    fn text(&self, line: Line) -> &str {
        &self.store.base()[line.range()]
    }

    fn is_blank(&self, line: Line) -> bool {
        let text = self.text(line);
        match text.as_bytes().first() {
            // Nearly every line starts with a letter: no need to trim it.
            Some(b) if b.is_ascii() && !b.is_ascii_whitespace() => false,
            _ => text.trim().is_empty(),
        }
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
        let last_text = lines.iter().rposition(|&l| !self.is_blank(l)).unwrap_or(0);
        // For each line, where the next votes line after it is: made only for a block that
        // holds more than one review, so that each look ahead stops at the next review and
        // a block of many votes lines is read in linear time.
        let mut next_votes: Option<Vec<usize>> = None;
        // Where the review being split off starts its spoiler text, if it is a spoiler: a
        // votes line in a spoiler's text is its text, not the end of its review.
        let mut in_spoiler = false;
        for (i, &line) in lines.iter().enumerate() {
            in_spoiler |= self.text(line).trim() == SPOILER_MARK;
            let is_inner_votes =
                !in_spoiler && i < last_text && is_full_votes_line(self.text(line));
            if is_inner_votes {
                let next = next_votes.get_or_insert_with(|| {
                    let mut next = vec![lines.len(); lines.len() + 1];
                    for j in (0..lines.len()).rev() {
                        next[j] = if parse_votes(self.text(lines[j])).is_some() {
                            j
                        } else {
                            next[j + 1]
                        };
                    }
                    next
                });
                // Stray lines between the votes and the Permalink are reported (and skipped)
                // when they are read; only a following review means the Permalink is missing.
                let end = (next[i + 1] + 1).min(lines.len());
                let rest = &lines[i + 1..end];
                if !closed || self.reads_as_review(rest) {
                    self.warn(
                        line.number + 1,
                        "expected a `Permalink` line after the votes",
                    );
                }
                self.read_block(&lines[from..=i], true);
                from = i + 1;
                in_spoiler = false;
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

    /// Whether lines (not the first block's) hold something of a review rather than stray
    /// text: a votes line, an author line, or a rating to start with.
    fn reads_as_review(&self, lines: &[Line]) -> bool {
        let lines: Vec<Line> = lines
            .iter()
            .copied()
            .filter(|&l| !self.is_blank(l))
            .collect();
        lines.iter().any(|&l| parse_votes(self.text(l)).is_some())
            || lines.first().is_some_and(|&l| is_rating_line(self.text(l)))
            || self.find_author_line(&lines, false).is_some()
    }

    /// Reads one review block. `closed` is false for the text after the last `Permalink`.
    fn read_block(&mut self, all_lines: &[Line], closed: bool) {
        let mut lines = std::mem::take(&mut self.nonblank);
        lines.clear();
        lines.extend(all_lines.iter().copied().filter(|&l| !self.is_blank(l)));
        self.read_nonblank(&lines, closed);
        self.nonblank = lines;
        self.log.bound(&mut self.warnings);
    }

    /// [`Parser::read_block`] once the blank lines are left out.
    fn read_nonblank(&mut self, lines: &[Line], closed: bool) {
        let first_block = !self.seen_block;
        self.seen_block = true;
        let Some(end) = self.block_end(lines) else {
            return;
        };
        let BlockEnd {
            body_end, votes, ..
        } = end;
        let Some(AuthorLine {
            at: author_at,
            title_at,
            split,
        }) = self.find_author_line(&lines[..body_end], first_block)
        else {
            self.read_without_author(lines, end, first_block, closed);
            return;
        };

        if self.hiding == Hiding::Cut && !first_block {
            self.read_hidden_block(&lines[..body_end], votes);
            return;
        }
        let head = title_at.unwrap_or(author_at);
        let rating_at = head
            .checked_sub(1)
            .filter(|&i| is_rating_line(self.text(lines[i])));
        let stray_end = rating_at.unwrap_or(head);
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
        let (author_len, date) = split.unwrap_or((author_line.end - author_line.start, None));
        let author = self.field(author_line.start..author_line.start + author_len);
        if title_at.is_none() {
            self.warn(author_line.number, "review has no title line");
        }
        if date.is_none() {
            self.warn(
                author_line.number,
                "no date could be read after the author's name",
            );
        }

        let mut body_start = author_at + 1;
        let spoiler = lines
            .get(body_start)
            .is_some_and(|&l| body_end > body_start && self.text(l).trim() == SPOILER_MARK);
        if spoiler {
            body_start += 1;
        }
        let body = self.body(lines.get(body_start..body_end).unwrap_or_default());
        if votes.is_none() {
            let message = if closed {
                "review has no votes line (\"X out of Y found this helpful\")"
            } else {
                "review has no votes line and no `Permalink`: the copy may be cut off"
            };
            self.warn(author_line.number, message);
        }
        self.hiding = match (spoiler, votes) {
            (false, _) => Hiding::No,
            (true, Some(_)) => Hiding::AfterSpoiler,
            (true, None) => Hiding::Cut,
        };
        let (helpful, not_helpful) = votes.unwrap_or((0, 0));
        let title = title_at.map_or(TextRef::EMPTY, |i| self.field(lines[i].range()));
        let rating = rating_at.and_then(|i| self.rating(lines[i]));
        self.reviews.push(Review {
            rating,
            verdict: None,
            spoiler,
            down_votes_known: true,
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

    /// Where a block's text ends: before its votes line (and IMDb's prompt after it, which
    /// some copies put on a line of its own), whose votes close the block. `None` for a
    /// block of no lines.
    fn block_end(&mut self, lines: &[Line]) -> Option<BlockEnd> {
        let &last = lines.last()?;
        let mut body_end = lines.len();
        let last = if lines.len() > 1 && is_vote_prompt(self.text(last)) {
            body_end -= 1;
            lines[body_end - 1]
        } else {
            last
        };
        let mut votes = None;
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
        Some(BlockEnd {
            body_end,
            last,
            votes,
        })
    }

    /// A block with no author line: the page's header (in the first block), a review that
    /// lost its head, or stray lines, each said; the page trailer otherwise.
    fn read_without_author(
        &mut self,
        lines: &[Line],
        end: BlockEnd,
        first_block: bool,
        closed: bool,
    ) {
        let BlockEnd {
            body_end,
            last,
            votes,
        } = end;
        let starts_rated = is_rating_line(self.text(lines[0]));
        if first_block && closed {
            if votes.is_some() {
                // A copy that starts inside a review: its head is missing.
                self.warn(
                    lines[0].number,
                    "text before the first review has no author line; skipped",
                );
            } else {
                self.read_header(lines);
            }
        } else if body_end == 0 {
            self.warn(
                last.number,
                "a votes line with no review before it; skipped",
            );
        } else if votes.is_some() || starts_rated {
            self.read_headless_block(&lines[..body_end], votes, closed);
        } else if closed {
            let n = lines.len();
            self.warn(
                lines[0].number,
                format!("{n} unexpected line{} between reviews; skipped", plural(n)),
            );
        }
        // Otherwise: the page trailer ("See also", ...), which holds no review.
    }

    /// The rating on a rating line; one out of range is left empty with a warning.
    fn rating(&mut self, line: Line) -> Option<Rating> {
        let text = self.text(line).trim();
        let rating = parse_rating(text).and_then(Rating::of_ten);
        if rating.is_none() {
            let shown = format!("{:?}", crate::sanitize::sanitize(text));
            self.warn(
                line.number,
                format!("rating {shown} is not from 1/10 to 10/10; left empty"),
            );
        }
        rating
    }

    /// A block with no author/date line but a rating or votes: keep its rating, title, body
    /// and votes, and say so. `lines` is not empty and holds no votes line.
    fn read_headless_block(&mut self, lines: &[Line], votes: Option<(u64, u64)>, closed: bool) {
        if self.hiding != Hiding::No {
            self.read_hidden_block(lines, votes);
            return;
        }
        let Some(&first) = lines.first() else { return };
        let rated = is_rating_line(self.text(first));
        let rating = if rated { self.rating(first) } else { None };
        let title_at = usize::from(rated);
        let message = if closed {
            "review has no author/date line"
        } else {
            "review has no author/date line and no `Permalink`: the copy may be cut off"
        };
        self.warn(first.number, message);
        let title = lines
            .get(title_at)
            .map_or(TextRef::EMPTY, |&l| self.field(l.range()));
        let body = self.body(lines.get(title_at + 1..).unwrap_or_default());
        let (helpful, not_helpful) = votes.unwrap_or((0, 0));
        self.reviews.push(Review {
            rating,
            verdict: None,
            spoiler: false,
            down_votes_known: true,
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

    /// A block that may be the rest of a spoiler's text (see [`Hiding`]): all of it is the
    /// body of a review marked as a spoiler, with no title, author or rating that would show
    /// some of it in the list, and a warning says why.
    fn read_hidden_block(&mut self, lines: &[Line], votes: Option<(u64, u64)>) {
        let Some(&first) = lines.first() else { return };
        self.warn(
            first.number,
            "text after a spoiler review's `Permalink` or votes line, perhaps the rest of its \
             spoiler text: kept hidden as a spoiler with no title (x reveals it)",
        );
        // A further block is hidden too while the question stays open (another `Permalink`
        // in the same text), unless it is a review of its own with its votes.
        self.hiding = if votes.is_some() {
            Hiding::AfterSpoiler
        } else {
            Hiding::Cut
        };
        let body = self.body(lines);
        let (helpful, not_helpful) = votes.unwrap_or((0, 0));
        self.reviews.push(Review {
            rating: None,
            verdict: None,
            spoiler: true,
            down_votes_known: true,
            source: 0,
            date: None,
            helpful,
            not_helpful,
            title: TextRef::EMPTY,
            author: TextRef::EMPTY,
            body,
            permalink: TextRef::EMPTY,
        });
    }

    /// Where the author line of a block (blank lines removed, votes line cut off) is, and
    /// the title line before it.
    ///
    /// Usually the first line that reads as author+date with a title line (not a rating)
    /// before it. Failing that, by position: the author line right at the start or after
    /// the rating (the title is missing), or an author line whose date cannot be read
    /// (`name0 March 2006`, a month not in English) right after the title. Positions mean
    /// nothing in the first block before a review starts, as the page header comes first.
    fn find_author_line(&self, lines: &[Line], first_block: bool) -> Option<AuthorLine> {
        let text = |i: usize| self.text(lines[i]);
        // The split of a dated line, kept: it is the author and date the review gets.
        let dated = |i: usize| split_author_date(text(i)).filter(|(_, d)| d.is_some());
        let rated = |i: usize| is_rating_line(text(i));
        if let Some((at, split)) = (1..lines.len())
            .filter_map(|i| dated(i).map(|split| (i, split)))
            .find(|&(i, _)| !rated(i - 1))
        {
            return Some(AuthorLine {
                at,
                title_at: Some(at - 1),
                split: Some(split),
            });
        }
        let slot = usize::from(!lines.is_empty() && rated(0));
        if slot < lines.len()
            && let Some(split) = dated(slot)
        {
            return Some(AuthorLine {
                at: slot,
                title_at: None,
                split: Some(split),
            });
        }
        let at = slot + 1;
        if at >= lines.len() || (slot != 1 && first_block) {
            return None;
        }
        let split = split_author_date(text(at));
        (split.is_some() || ends_like_foreign_date(text(at))).then_some(AuthorLine {
            at,
            title_at: Some(slot),
            split,
        })
    }

    /// Film title, year and review count from the lines before the first review.
    fn read_header(&mut self, lines: &[Line]) {
        for &line in lines {
            let text = self.text(line).trim();
            if let Some((title, year)) = parse_title_year(text) {
                if self.source.title.is_none() && !title.is_empty() {
                    let clean = sanitize_line(title).into_owned();
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
        // A line holds no line break (a lone CR became one before the text was split), so
        // the plain sanitizer keeps it one line.
        let rewritten = match sanitize(trimmed) {
            Cow::Borrowed(_) => None,
            Cow::Owned(text) => Some(text),
        };
        match rewritten {
            None => self.store.reference(range),
            Some(text) => self.store.push(&text),
        }
    }

    /// Body paragraphs from their non-blank lines, sanitized and normalized; references the
    /// input when already clean.
    fn body(&mut self, lines: &[Line]) -> TextRef {
        let (Some(&first), Some(&last)) = (lines.first(), lines.last()) else {
            return TextRef::EMPTY;
        };
        // Bodies are most of a document: when their lines already show it is in stored
        // form, nothing looks for its line breaks a second time.
        if self.in_stored_form(lines) && is_clean(&self.store.base()[first.start..last.end]) {
            let end = last.start + self.text(last).trim_end().len();
            return self.store.reference(first.start..end);
        }
        self.body_text(first.start..last.end)
    }

    /// Whether non-blank body lines are in the form [`normalize_body`] gives, but for the
    /// last line's trailing white space (cut off anyway): one line break or one empty line
    /// between them, and no line ending in white space.
    fn in_stored_form(&self, lines: &[Line]) -> bool {
        let base = self.store.base().as_bytes();
        lines.windows(2).all(|pair| {
            let (line, next) = (pair[0], pair[1]);
            let gap = base.get(line.end..next.start).unwrap_or_default();
            matches!(gap, b"\n" | b"\n\n") && ends_clean(self.text(line))
        })
    }

    /// Body text, sanitized and normalized; references the input when already clean.
    fn body_text(&mut self, range: Range<usize>) -> TextRef {
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
        Loaded::new(
            Document::new(self.source, self.reviews, self.store.finish()),
            self.log.finish(self.warnings),
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The line that marks a review's text as a spoiler, right after its author line.
const SPOILER_MARK: &str = "Warning: Spoilers";

/// A `Permalink` line; a copy may leave stray characters after the word.
pub(super) fn is_permalink(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("Permalink")
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
}

/// A line shaped like a rating, `N/10` with one to three digits, whether or not N is from 1
/// to 10: `77/10` is a rating gone wrong (said in a warning), not a line of text.
fn is_rating_line(line: &str) -> bool {
    line.trim()
        .strip_suffix("/10")
        .is_some_and(|n| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A line that is exactly `N/10` with N from 1 to 10.
#[must_use]
pub fn parse_rating(line: &str) -> Option<u8> {
    let n: u8 = line.trim().strip_suffix("/10")?.parse().ok()?;
    ((1..=10).contains(&n) && !line.trim().starts_with('+')).then_some(n)
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
    // Looked for from the end by hand: this runs on a line or two of every review, where
    // setting up a reverse search cost more than the few bytes it looks at.
    let n = line.len();
    let year = line.get(n.checked_sub(4)?..)?;
    if line.as_bytes().get(n.checked_sub(5)?) != Some(&b' ')
        || !year.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let year: u16 = year.parse().ok()?;
    let rest = &line[..n - 5];
    let space = rest.bytes().rposition(|b| b == b' ')?;
    let (glued, month_name) = (&rest[..space], &rest[space + 1..]);
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

/// `name11 März 2006`: a day, a month word and a year, the shape of an author line from a
/// page in another language. Only the shape is checked; such a date is not read.
fn ends_like_foreign_date(line: &str) -> bool {
    let mut words = line.trim_end().rsplitn(3, ' ');
    let (Some(year), Some(month), Some(glued)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let month = month.trim_end_matches('.');
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && !month.is_empty()
        && month.chars().all(char::is_alphabetic)
        && glued
            .trim_end_matches('.')
            .ends_with(|c: char| c.is_ascii_digit())
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rstest::rstest;

    const VOTES: &str = "found this helpful. Was this review helpful? Sign in to vote.";

    /// A parser over `text` and its non-blank lines, split as [`Chunked::parse`] splits.
    fn parser_over(text: &str) -> (Parser, Vec<Line>) {
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, line) in text.split('\n').enumerate() {
            let end = start + line.strip_suffix('\r').unwrap_or(line).len();
            lines.push(Line {
                start,
                end,
                number: i + 1,
            });
            start += line.len() + 1;
        }
        let parser = Parser {
            store: StoreBuilder::new(text.to_string()),
            reviews: Vec::new(),
            warnings: Vec::new(),
            log: WarningLog::default(),
            source: Source::default(),
            seen_block: true,
            nonblank: Vec::new(),
            hiding: Hiding::No,
        };
        let nonblank = lines.into_iter().filter(|&l| !parser.is_blank(l)).collect();
        (parser, nonblank)
    }

    #[test]
    fn bodies_read_from_their_lines_equal_bodies_read_from_their_text() {
        // Lines that are clean or not in every way the stored form cares about: white space
        // at their ends (ASCII and not), blank and white-space lines between them, CR, tab.
        let pieces = [
            "word",
            "two words",
            "  indented",
            "end ",
            "end\u{a0}",
            "",
            "",
            "   ",
            "\t",
            "x\r",
            "’quoted’",
            "é",
        ];
        let mut next = crate::load::xorshift(0x5eed_b0d1);
        let mut fast = 0;
        for _ in 0..20_000 {
            let n = 1 + next() % 6;
            let body: Vec<&str> = (0..n)
                .map(|_| pieces[usize::try_from(next() % pieces.len() as u64).unwrap_or(0)])
                .collect();
            let text = format!("{}\n", body.join("\n"));
            let (mut parser, lines) = parser_over(&text);
            if lines.is_empty() {
                continue;
            }
            let by_lines = parser.body(&lines);
            fast += usize::from(by_lines.place().0 == 0);
            let (first, last) = (lines[0], lines[lines.len() - 1]);
            let by_text = parser.body_text(first.start..last.end);
            let store = parser.store.finish();
            assert_eq!(store.get(by_lines), store.get(by_text), "{text:?}");
        }
        assert!(fast > 1000, "the line-based path was taken {fast} times");
    }

    fn parse(text: &str) -> Loaded {
        load(StoreBuilder::new(text), "test.txt")
    }

    /// Each review on one line: `rating|title|author|date|spoiler|helpful+not_helpful|body`.
    fn reviews(loaded: &Loaded) -> Vec<String> {
        let doc = &loaded.document;
        doc.reviews
            .iter()
            .map(|r| {
                format!(
                    "{}|{}|{}|{}|{}|{}+{}|{}",
                    r.rating.map_or_else(|| "-".into(), |n| n.to_string()),
                    doc.title(r),
                    doc.author(r),
                    r.date.map_or_else(|| "-".into(), |d| d.to_string()),
                    if r.spoiler { "spoiler" } else { "-" },
                    r.helpful,
                    r.not_helpful,
                    doc.body(r).replace('\n', "/"),
                )
            })
            .collect()
    }

    /// Each warning as `line: message`.
    fn warnings(loaded: &Loaded) -> Vec<String> {
        loaded.warnings.iter().map(ToString::to_string).collect()
    }

    /// A well-formed review block ending in its `Permalink` line (6 lines).
    fn block(rating: &str, title: &str, author: &str, body: &str, votes: &str) -> String {
        format!("{rating}\n{title}\n{author}\n{body}\n{votes} {VOTES}\nPermalink\n")
    }

    fn first() -> String {
        block(
            "8/10",
            "First",
            "alice11 March 2006",
            "Body one.",
            "3 out of 4",
        )
    }

    fn second() -> String {
        block("7/10", "Second", "bob5 May 2010", "Body two.", "1 out of 2")
    }

    const FIRST: &str = "8|First|alice|2006-03-11|-|3+1|Body one.";
    const SECOND: &str = "7|Second|bob|2010-05-05|-|1+1|Body two.";

    // ---- author and date ----

    #[rstest]
    // The examples of FORMATS.md §1.
    #[case::formats_plain("UlrikSander11 March 2006", "UlrikSander", "2006-03-11")]
    #[case::formats_digits_one_day("PAolo-108 February 2009", "PAolo-10", "2009-02-08")]
    #[case::formats_dash("alke-23 January 2005", "alke-2", "2005-01-03")]
    #[case::formats_digits_two_day("Uriah4330 March 2024", "Uriah43", "2024-03-30")]
    #[case::formats_invalid_two_day("peterroeder348 October 2014", "peterroeder34", "2014-10-08")]
    #[case::formats_long("Pjtaylor-96-13804426 April 2022", "Pjtaylor-96-138044", "2022-04-26")]
    // More from the sample page.
    #[case::one_digit_day("kristianbk6 January 2005", "kristianbk", "2005-01-06")]
    #[case::name_ends_in_zero_digit("slake0912 July 2008", "slake09", "2008-07-12")]
    #[case::two_digit_wins("robo829 July 2006", "robo8", "2006-07-29")]
    #[case::december("ivansv16 December 2004", "ivansv", "2004-12-16")]
    // Edge cases around the rule.
    #[case::day_ten("user10 May 2000", "user", "2000-05-10")]
    #[case::zero_padded_day_is_one_digit("user05 May 2000", "user0", "2000-05-05")]
    #[case::day_31_in_31_day_month("user31 May 2020", "user", "2020-05-31")]
    #[case::day_31_in_30_day_month("user31 April 2020", "user3", "2020-04-01")]
    #[case::day_32("user32 May 2020", "user3", "2020-05-02")]
    #[case::feb_29_leap_year("user29 February 2024", "user", "2024-02-29")]
    #[case::feb_29_non_leap_year("user29 February 2023", "user2", "2023-02-09")]
    #[case::feb_29_century("user29 February 1900", "user2", "1900-02-09")]
    #[case::feb_29_400_years("user29 February 2000", "user", "2000-02-29")]
    #[case::dash_before_two_digits("user-15 May 2000", "user-1", "2000-05-05")]
    #[case::dash_before_one_digit("user-5 May 2000", "user-", "2000-05-05")]
    #[case::empty_name_two_digits("11 March 2006", "", "2006-03-11")]
    #[case::empty_name_one_digit("7 March 2006", "", "2006-03-07")]
    #[case::name_with_spaces("John Smith11 March 2006", "John Smith", "2006-03-11")]
    #[case::name_with_space_before_day("John 11 March 2006", "John ", "2006-03-11")]
    #[case::non_ascii_name("Dänenfan11 March 2006", "Dänenfan", "2006-03-11")]
    #[case::trailing_space("user11 March 2006  ", "user", "2006-03-11")]
    fn splits_author_and_date(#[case] line: &str, #[case] author: &str, #[case] date: &str) {
        let (len, parsed) = split_author_date(line).expect("ends in a date");
        assert_eq!(&line[..len], author);
        assert_eq!(parsed.map(|d| d.to_string()).as_deref(), Some(date));
    }

    /// The year and month as `str::rsplit_once` finds them, which [`split_author_date`]
    /// does by hand.
    fn year_and_month_by_rsplit(line: &str) -> Option<(&str, &str, &str)> {
        let (rest, year) = line.trim_end().rsplit_once(' ')?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (glued, month) = rest.rsplit_once(' ')?;
        Some((glued, month, year))
    }

    #[test]
    fn finds_year_and_month_as_rsplit_does() {
        let pieces = [
            " ", "  ", "2006", " 2006", "200", "20061", " March", "Mai", "x", "é", "17", "-",
        ];
        let mut next = crate::load::xorshift(0x2545_f491_4f6c_dd1d);
        let mut dated = 0;
        for _ in 0..20_000 {
            let mut line = String::new();
            for _ in 0..next() % 7 {
                line.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let expected = year_and_month_by_rsplit(&line).and_then(|(glued, month, year)| {
                let month = MONTHS.iter().position(|m| *m == month)?;
                Some((glued.len(), month, year))
            });
            let got = split_author_date(&line);
            match expected {
                None => assert_eq!(got, None, "{line:?}"),
                Some((_, month, year)) => {
                    dated += 1;
                    let (_, date) = got.expect("a month and year");
                    if let Some(date) = date {
                        assert_eq!(date.to_string()[..4], *year, "{line:?}");
                        assert_eq!(date.to_string()[5..7], format!("{:02}", month + 1));
                    }
                }
            }
        }
        assert!(dated > 100, "only {dated} lines ended in a month and year");
    }

    #[rstest]
    #[case::day_zero("user0 May 2000")]
    #[case::day_double_zero("user00 May 2000")]
    #[case::day_30_in_february("user30 February 2024")]
    #[case::no_digits("username May 2000")]
    #[case::month_and_year_only("Seen in March 2006")]
    fn keeps_whole_line_as_author_when_no_day_is_valid(#[case] line: &str) {
        assert_eq!(split_author_date(line), Some((line.len(), None)));
    }

    #[rstest]
    #[case::german_month("user11 März 2006")]
    #[case::french_month("user11 mars 2006")]
    #[case::lowercase_month("user11 march 2006")]
    #[case::abbreviated_month("user11 Mar 2006")]
    #[case::two_digit_year("user11 March 06")]
    #[case::five_digit_year("user11 March 20061")]
    #[case::glued_year("user11 March2006")]
    #[case::iso_date("user 2006-03-11")]
    #[case::no_name_or_day("March 2006")]
    #[case::page_title("Pusher II (2004) Poster")]
    #[case::rating("8/10")]
    #[case::votes("54 out of 62 found this helpful. Was this review helpful? Sign in to vote.")]
    #[case::sentence("I saw this film in a cinema.")]
    #[case::empty("")]
    fn lines_that_are_not_author_lines(#[case] line: &str) {
        assert_eq!(split_author_date(line), None);
    }

    #[test]
    fn author_line_with_unreadable_date_becomes_author_without_date() {
        for line in [
            "alice0 March 2006",
            "alice11 März 2006",
            "alice11. mars 2006",
        ] {
            let text = format!(
                "{}{}{}",
                second(),
                block("8/10", "T", line, "Body.", "1 out of 1"),
                second()
            );
            let loaded = parse(&text);
            assert_eq!(
                reviews(&loaded),
                [SECOND, &format!("8|T|{line}|-|-|1+0|Body."), SECOND],
                "{line}"
            );
            assert_eq!(
                warnings(&loaded),
                ["9: no date could be read after the author's name"]
            );
        }
    }

    #[test]
    fn title_that_looks_like_a_date_line_stays_a_title() {
        let text = format!(
            "{}{}{}",
            block(
                "9/10",
                "Seen it 11 March 2006",
                "carol7 June 2007",
                "B.",
                "0 out of 0"
            ),
            "Seen it 11 March 2006\ndave8 June 2007\nB.\n0 out of 0 found this helpful.\nPermalink\n",
            second(),
        );
        let loaded = parse(&text);
        assert_eq!(
            reviews(&loaded),
            [
                "9|Seen it 11 March 2006|carol|2007-06-07|-|0+0|B.",
                "-|Seen it 11 March 2006|dave|2007-06-08|-|0+0|B.",
                SECOND
            ]
        );
        assert!(loaded.warnings.is_empty());
    }

    // ---- ratings and votes ----

    #[rstest]
    #[case("1/10", Some(1))]
    #[case("10/10", Some(10))]
    #[case(" 7/10 ", Some(7))]
    #[case("0/10", None)]
    #[case("11/10", None)]
    #[case("+8/10", None)]
    #[case("-8/10", None)]
    #[case("8/100", None)]
    #[case("8 / 10", None)]
    #[case("I gave it 7/10 stars.", None)]
    #[case("8/10 stars", None)]
    #[case("", None)]
    fn ratings(#[case] line: &str, #[case] expected: Option<u8>) {
        assert_eq!(parse_rating(line), expected);
    }

    #[rstest]
    #[case::sample("54 out of 62", Some(Ok((54, 8))))]
    #[case::thousands("1,413 out of 1,597", Some(Ok((1413, 184))))]
    #[case::millions("1,000,000 out of 2,000,001", Some(Ok((1_000_000, 1_000_001))))]
    #[case::no_votes("0 out of 0", Some(Ok((0, 0))))]
    #[case::all_helpful("5 out of 5", Some(Ok((5, 0))))]
    #[case::largest("18446744073709551615 out of 18446744073709551615", Some(Ok((u64::MAX, 0))))]
    #[case::twenty_digits(
        "99999999999999999999 out of 99999999999999999999",
        Some(Err("vote count too large; votes ignored".to_string()))
    )]
    #[case::more_helpful_than_votes(
        "7 out of 5",
        Some(Err("7 out of 5 found this helpful: more helpful votes than votes; votes ignored".to_string()))
    )]
    #[case::words("many out of lots", Some(Err("votes \"many out of lots\" are not counts; votes ignored".to_string())))]
    #[case::negative("-1 out of 5", Some(Err("votes \"-1 out of 5\" are not counts; votes ignored".to_string())))]
    #[case::missing_total("5 out of", None)]
    #[case::decimal_point("1.5 out of 3", Some(Err("votes \"1.5 out of 3\" are not counts; votes ignored".to_string())))]
    #[case::space_separator("1 413 out of 1 597", Some(Err("votes \"1 413 out of 1 597\" are not counts; votes ignored".to_string())))]
    fn votes_lines(#[case] counts: &str, #[case] expected: Option<Result<(u64, u64), String>>) {
        assert_eq!(parse_votes(&format!("{counts} {VOTES}")), expected);
    }

    #[test]
    fn a_sentence_about_votes_is_no_votes_line() {
        assert_eq!(
            parse_votes("Two out of three critics found this helpful, and so did I."),
            None
        );
        assert!(matches!(
            parse_votes("two out of three found this helpful."),
            Some(Err(_))
        ));
    }

    #[test]
    fn votes_line_needs_its_words() {
        assert_eq!(parse_votes("5 out of 6"), None);
        assert_eq!(parse_votes("5 of 6 found this helpful."), None);
        assert_eq!(
            parse_votes("5 out of 6 found this helpful."),
            Some(Ok((5, 1)))
        );
        assert!(!is_full_votes_line("5 out of 6 found this helpful."));
        assert!(is_full_votes_line(&format!("5 out of 6 {VOTES}")));
    }

    #[rstest]
    #[case("0", Some((0, false)))]
    #[case("1,413", Some((1413, false)))]
    #[case(" 44 ", Some((44, false)))]
    #[case("18446744073709551616", Some((u64::MAX, true)))]
    #[case("", None)]
    #[case(",5", None)]
    #[case("5x", None)]
    #[case("-5", None)]
    fn counts(#[case] text: &str, #[case] expected: Option<(u64, bool)>) {
        assert_eq!(parse_count(text), expected);
    }

    #[test]
    fn bad_votes_keep_the_review_and_warn_on_the_votes_line() {
        let text = format!(
            "{}{}{}{}",
            first(),
            block("6/10", "Too many", "erin2 May 2002", "Body.", "7 out of 5"),
            block(
                "6/10",
                "Huge",
                "fred2 May 2002",
                "Body.",
                "99999999999999999999 out of 99999999999999999999"
            ),
            second()
        );
        let loaded = parse(&text);
        assert_eq!(
            reviews(&loaded),
            [
                FIRST,
                "6|Too many|erin|2002-05-02|-|0+0|Body.",
                "6|Huge|fred|2002-05-02|-|0+0|Body.",
                SECOND
            ]
        );
        assert_eq!(
            warnings(&loaded),
            [
                "11: 7 out of 5 found this helpful: more helpful votes than votes; votes ignored",
                "17: vote count too large; votes ignored"
            ]
        );
    }

    #[test]
    fn a_votes_line_without_counts_is_a_warning_not_body_text() {
        let text = format!(
            "{}{}{}",
            first(),
            block("6/10", "T", "erin2 May 2002", "Body.", "many out of lots"),
            second()
        );
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded)[1], "6|T|erin|2002-05-02|-|0+0|Body.");
        assert_eq!(
            warnings(&loaded),
            ["11: votes \"many out of lots\" are not counts; votes ignored"]
        );
    }

    // ---- the page ----

    #[test]
    fn header_gives_title_year_and_count() {
        let text = format!(
            "Pusher II (2004) Poster\n\n(2004)\n\nUser Reviews\n\nReview this title\n1,234 Reviews\nSort by:\nFilter by Rating:\n{}",
            first()
        );
        let loaded = parse(&text);
        let source = &loaded.document.sources[0];
        assert_eq!(source.title.as_deref(), Some("Pusher II"));
        assert_eq!(source.label, "Pusher II");
        assert_eq!(source.year, Some(2004));
        assert_eq!(source.review_count, Some(1234));
        assert_eq!(reviews(&loaded), [FIRST]);
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn header_of_an_unrated_first_review() {
        let text = "Film (1999) Poster\n1 Review\nSort by:\nFilter by Rating:\nTitle\nuser3 May 2001\nBody.\n1 out of 1 found this helpful.\nPermalink\n";
        let loaded = parse(text);
        assert_eq!(reviews(&loaded), ["-|Title|user|2001-05-03|-|1+0|Body."]);
        assert_eq!(loaded.document.sources[0].review_count, Some(1));
        assert_eq!(loaded.document.sources[0].title.as_deref(), Some("Film"));
    }

    #[test]
    fn copy_starting_mid_page_has_no_header() {
        let loaded = parse(&format!("{}{}", second(), first()));
        assert_eq!(reviews(&loaded), [SECOND, FIRST]);
        let source = &loaded.document.sources[0];
        assert_eq!(source.title, None);
        assert_eq!(source.year, None);
        assert_eq!(source.review_count, None);
        assert_eq!(source.label, "test.txt");
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn copy_starting_inside_a_review_skips_its_tail() {
        let text = format!(
            "the end of a body\n\n5 out of 6 {VOTES}\nPermalink\n{}",
            first()
        );
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST]);
        assert_eq!(
            warnings(&loaded),
            ["1: text before the first review has no author line; skipped"]
        );
    }

    #[test]
    fn trailer_is_not_a_review() {
        let text = format!(
            "{}An error has occured. Please try again.\n\nSee also\n\nAwards | FAQ | User Ratings | External Reviews | Metacritic Reviews\n\n\nRecently Viewed",
            first()
        );
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST]);
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn permalink_may_carry_stray_characters() {
        let text = format!(
            "{}{}",
            first().replace("Permalink", "  Permalink »"),
            second().replace("Permalink", "Permalink\u{a0}")
        );
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST, SECOND]);
        assert!(loaded.warnings.is_empty());
    }

    /// Spoiler texts that hold what ends a review block: a bare `Permalink` line, a votes
    /// line, and a `Permalink` followed by a whole fake review head.
    pub(crate) fn spoilers_with_block_ends() -> Vec<String> {
        let spoiler = |body: &str| {
            block(
                "8/10",
                "S",
                "gina1 May 2001",
                &format!("Warning: Spoilers\nHe dies.\n{body}"),
                "1 out of 1",
            )
        };
        vec![
            spoiler("Permalink\nSECRET one: the twin did it.\nSECRET two."),
            spoiler(&format!("2 out of 3 {VOTES}\nSECRET three.\nSECRET four.")),
            spoiler("Permalink\n9/10\nSECRET title\nmallory2 June 2002\nSECRET five."),
            spoiler("Permalink\n\nPermalink\nSECRET six."),
        ]
    }

    /// Every review whose text holds `SECRET` is a spoiler, and no title, author or rating
    /// shows any of it.
    pub(crate) fn assert_secrets_hidden(doc: &crate::model::Document) {
        for r in &doc.reviews {
            let shown = format!("{}|{}", doc.title(r), doc.author(r));
            assert!(!shown.contains("SECRET"), "shown in the clear: {shown}");
            if doc.body(r).contains("SECRET") {
                assert!(r.spoiler, "not hidden: {}", doc.body(r));
            }
        }
    }

    #[test]
    fn spoiler_text_stays_hidden_whatever_ends_its_block() {
        for spoiler in spoilers_with_block_ends() {
            let text = format!("{}{spoiler}{}", first(), second());
            let loaded = parse(&text);
            assert_secrets_hidden(&loaded.document);
            let got = reviews(&loaded);
            // The reviews around it are read as they are.
            assert_eq!(got.first().map(String::as_str), Some(FIRST), "{got:?}");
            assert_eq!(got.last().map(String::as_str), Some(SECOND), "{got:?}");
            let secrets: usize = loaded
                .document
                .reviews
                .iter()
                .map(|r| loaded.document.body(r).matches("SECRET").count())
                .sum();
            let planted = spoiler.matches("SECRET").count();
            // Every secret is kept (hidden), none is dropped, but for a fake title, which
            // is no longer a title.
            assert!(secrets >= planted - 1, "{got:?}");
        }
    }

    #[test]
    fn spoiler_marker_only_right_after_the_author() {
        let text = format!(
            "{}{}",
            block(
                "8/10",
                "S",
                "gina1 May 2001",
                "Warning: Spoilers\nHe dies.",
                "1 out of 1"
            ),
            block(
                "8/10",
                "N",
                "hank1 May 2001",
                "Intro.\nWarning: Spoilers",
                "1 out of 1"
            ),
        );
        let loaded = parse(&text);
        assert_eq!(
            reviews(&loaded),
            [
                "8|S|gina|2001-05-01|spoiler|1+0|He dies.",
                "8|N|hank|2001-05-01|-|1+0|Intro./Warning: Spoilers"
            ]
        );
    }

    #[test]
    fn body_lines_that_look_like_ratings_or_votes_stay_body() {
        let body =
            "9/10\n\nI gave it 7/10 stars.\n10/10\n3 out of 4 found this helpful, I bet.\n\n1/10";
        let text = format!(
            "{}{}{}",
            first(),
            block("10/10", "Looks odd", "ivan1 May 2001", body, "2 out of 3"),
            second()
        );
        let loaded = parse(&text);
        assert_eq!(
            reviews(&loaded),
            [
                FIRST,
                "10|Looks odd|ivan|2001-05-01|-|2+1|9/10//I gave it 7/10 stars./10/10/3 out of 4 found this helpful, I bet.//1/10",
                SECOND
            ]
        );
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn paragraphs_are_normalized() {
        let body = "  \nFirst para\nsame para   \n\n\n\nSecond para\n  ";
        let loaded = parse(&block("8/10", "T", "jo1 May 2001", body, "1 out of 1"));
        assert_eq!(
            loaded.document.body(&loaded.document.reviews[0]),
            "First para\nsame para\n\nSecond para"
        );
    }

    // ---- malformed blocks ----

    #[test]
    fn review_without_votes_line_keeps_its_fields() {
        let text = format!(
            "{}8/10\nNo votes\nkate2 June 2003\nBody.\nPermalink\n{}",
            first(),
            second()
        );
        let loaded = parse(&text);
        assert_eq!(
            reviews(&loaded),
            [FIRST, "8|No votes|kate|2003-06-02|-|0+0|Body.", SECOND]
        );
        assert_eq!(
            warnings(&loaded),
            ["9: review has no votes line (\"X out of Y found this helpful\")"]
        );
    }

    #[test]
    fn review_without_title_keeps_author_and_date() {
        let text = format!(
            "{}8/10\nliam3 July 2004\nBody.\n2 out of 2 {VOTES}\nPermalink\nmia4 July 2004\nBody 2.\n1 out of 1 {VOTES}\nPermalink\n{}",
            first(),
            second()
        );
        let loaded = parse(&text);
        assert_eq!(
            reviews(&loaded),
            [
                FIRST,
                "8||liam|2004-07-03|-|2+0|Body.",
                "-||mia|2004-07-04|-|1+0|Body 2.",
                SECOND
            ]
        );
        assert_eq!(
            warnings(&loaded),
            [
                "8: review has no title line",
                "12: review has no title line"
            ]
        );
    }

    #[test]
    fn review_without_author_line_keeps_the_rest() {
        let text = format!(
            "{}8/10\nNo author\nBody.\n\nMore.\n2 out of 2 {VOTES}\nPermalink\n{}",
            first(),
            second()
        );
        let loaded = parse(&text);
        assert_eq!(
            reviews(&loaded),
            [FIRST, "8|No author||-|-|2+0|Body.//More.", SECOND]
        );
        assert_eq!(warnings(&loaded), ["7: review has no author/date line"]);
    }

    #[test]
    fn stray_lines_between_reviews_are_skipped() {
        let text = format!("{}stray line\n\nanother\n{}", first(), second());
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST, SECOND]);
        assert_eq!(
            warnings(&loaded),
            ["7: 2 unexpected lines before a review; skipped"]
        );
    }

    #[test]
    fn stray_line_before_permalink_is_not_a_review() {
        let text = format!(
            "{}{}",
            first().replace("Permalink", "stray\nPermalink"),
            second()
        );
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST, SECOND]);
        assert_eq!(
            warnings(&loaded),
            ["6: 1 unexpected line between reviews; skipped"]
        );
    }

    #[test]
    fn block_of_stray_lines_is_not_a_review() {
        let text = format!("{}Some text\nPermalink\n{}", first(), second());
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST, SECOND]);
        assert_eq!(
            warnings(&loaded),
            ["7: 1 unexpected line between reviews; skipped"]
        );
    }

    #[test]
    fn lone_votes_line_is_reported_at_its_line() {
        let text = format!("{}\n3 out of 3 {VOTES}\nPermalink\n{}", first(), second());
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST, SECOND]);
        assert_eq!(
            warnings(&loaded),
            ["8: a votes line with no review before it; skipped"]
        );
    }

    #[test]
    fn empty_block_is_reported_at_its_permalink() {
        let text = format!("{}\n\nPermalink\n{}", first(), second());
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST, SECOND]);
        assert_eq!(
            warnings(&loaded),
            ["9: `Permalink` line with no review before it"]
        );
    }

    #[test]
    fn missing_permalink_between_two_reviews_splits_them() {
        let text = format!(
            "{}{}{}",
            first().replace("Permalink\n", ""),
            second().replace("Permalink\n", "\n"),
            first()
        );
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST, SECOND, FIRST]);
        assert_eq!(
            warnings(&loaded),
            [
                "6: expected a `Permalink` line after the votes",
                "11: expected a `Permalink` line after the votes"
            ]
        );
    }

    #[test]
    fn text_cut_off_mid_body_keeps_the_review() {
        let text = format!(
            "{}8/10\nCut\nnina5 May 2005\nFirst paragraph.\n\nHalf a sen",
            first()
        );
        let loaded = parse(&text);
        assert_eq!(
            reviews(&loaded),
            [
                FIRST,
                "8|Cut|nina|2005-05-05|-|0+0|First paragraph.//Half a sen"
            ]
        );
        assert_eq!(
            warnings(&loaded),
            ["9: review has no votes line and no `Permalink`: the copy may be cut off"]
        );
    }

    #[test]
    fn text_cut_off_after_the_title_keeps_what_is_there() {
        let loaded = parse(&format!("{}6/10\nCut short", first()));
        assert_eq!(reviews(&loaded), [FIRST, "6|Cut short||-|-|0+0|"]);
        assert_eq!(
            warnings(&loaded),
            ["7: review has no author/date line and no `Permalink`: the copy may be cut off"]
        );
    }

    #[test]
    fn text_cut_off_after_the_votes_loses_nothing() {
        let loaded = parse(&format!(
            "{}{}",
            first(),
            second().replace("Permalink\n", "")
        ));
        assert_eq!(reviews(&loaded), [FIRST, SECOND]);
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn missing_last_permalink_before_trailer() {
        let text = format!(
            "{}{}An error has occured. Please try again.\n\nSee also\n",
            first(),
            second().replace("Permalink\n", "")
        );
        let loaded = parse(&text);
        assert_eq!(reviews(&loaded), [FIRST, SECOND]);
        assert_eq!(
            warnings(&loaded),
            ["12: expected a `Permalink` line after the votes"]
        );
    }

    #[test]
    fn nothing_readable_gives_no_reviews() {
        for text in [
            "",
            "\n\n",
            "Hello world\n",
            "Permalink\n",
            "See also\nRecently Viewed",
        ] {
            assert!(parse(text).document.reviews.is_empty(), "{text:?}");
        }
    }

    // ---- line endings ----

    #[test]
    fn crlf_gives_the_same_reviews_and_warnings_as_lf() {
        let lf = format!(
            "Film (2001) Poster\n\n3 Reviews\n{}stray\n{}8/10\nNo votes\nkate2 June 2003\nPara one.\n\nPara two.\nPermalink\n",
            first(),
            second()
        );
        let crlf = lf.replace('\n', "\r\n");
        assert!(crlf.contains("\r\n\r\n"));
        let (a, b) = (parse(&lf), parse(&crlf));
        assert_eq!(reviews(&a), reviews(&b));
        assert_eq!(warnings(&a), warnings(&b));
        assert_eq!(a.document.sources, b.document.sources);
        assert_eq!(
            reviews(&b)[2],
            "8|No votes|kate|2003-06-02|-|0+0|Para one.//Para two."
        );
        assert_eq!(a.document.sources[0].review_count, Some(3));
        assert!(!b.document.body(&b.document.reviews[2]).contains('\r'));
    }

    #[test]
    fn crlf_sample_gives_the_same_document() {
        let lf = include_str!("../../../tests/data/pusher-ii-reviews.txt");
        let crlf = lf.replace('\n', "\r\n");
        let (a, b) = (parse(lf), parse(&crlf));
        assert_eq!(a.document.reviews.len(), 25);
        assert_eq!(reviews(&a), reviews(&b));
        assert_eq!(a.document.sources, b.document.sources);
        assert!(a.warnings.is_empty() && b.warnings.is_empty());
    }
}

#[cfg(test)]
mod many_votes {
    use std::fmt::Write as _;

    use super::*;

    /// One block of fifty thousand votes lines: each looks ahead only to the next one (it
    /// used to copy and scan the rest of the block for each, quadratic in the lines).
    #[test]
    fn a_block_of_many_votes_lines_is_read_once_through() {
        let votes = "found this helpful. Was this review helpful? Sign in to vote.";
        let mut page = String::from("8/10\nTitle\nbob11 March 2006\nbody\n");
        for i in 0..50_000 {
            let _ = writeln!(page, "{i} out of {} {votes}", i + 1);
        }
        page.push_str("Permalink\n");
        let loaded = load(StoreBuilder::new(page), "x");
        assert_eq!(loaded.document.reviews.len(), 1);
        assert_eq!(loaded.document.reviews[0].helpful, 0);
        // One warning per stray votes line, kept as one line with their count.
        let stray: Vec<&str> = loaded
            .warnings
            .iter()
            .map(|w| w.message.as_str())
            .filter(|m| m.contains("expected a `Permalink` line"))
            .collect();
        assert_eq!(stray.len(), 1, "{stray:?}");
        assert!(stray[0].contains("[49999 times (lines "), "{stray:?}");
    }
}
