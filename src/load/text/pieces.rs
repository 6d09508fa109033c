//! Copied page text read in pieces (see [`crate::load::PieceReader`]): the parser state
//! that crosses pieces, and where a document may be cut (after a `Permalink` line with its
//! votes before it, so that no piece starts inside a review, a spoiler's text included).

use super::{Hiding, Line, Parser, is_permalink, memchr_newline, starts_like_permalink};
use crate::load::votes::{is_vote_prompt, parse_votes};
use crate::load::{Loaded, WarningLog};
use crate::model::{Source, StoreBuilder};

/// A parser fed a document in pieces, each ending just after a `Permalink` line (so no
/// review block is split) except the last. It carries what crosses pieces: whether the
/// header was seen, the line count for warnings, and the film the header named.
#[derive(Debug, Clone)]
pub struct Chunked {
    source: Source,
    seen_block: bool,
    lines_before: usize,
    /// What the block before the next piece leaves its first block (see [`Hiding`]).
    hiding: Hiding,
}

impl Chunked {
    #[must_use]
    pub fn new(label: &str) -> Self {
        Self {
            source: Source {
                label: label.to_string(),
                ..Source::default()
            },
            seen_block: false,
            lines_before: 0,
            hiding: Hiding::No,
        }
    }

    /// Makes this parser (a copy of one that has read the first piece) read a piece that
    /// starts after `lines_before` lines: pieces can then be parsed side by side.
    pub fn continue_at(&mut self, lines_before: usize) {
        self.lines_before = lines_before;
        self.seen_block = true;
        // The piece before may have ended inside a spoiler's text, at a `Permalink` line
        // in it: a first block with no head of its own is kept hidden.
        self.hiding = Hiding::AfterSpoiler;
    }

    /// Lines parsed so far, to number the warnings of the next piece.
    #[must_use]
    pub fn lines_read(&self) -> usize {
        self.lines_before
    }

    /// Parses the next piece. Its document's one source is the film as known so far.
    #[must_use]
    pub fn parse(&mut self, store: StoreBuilder, last: bool) -> Loaded {
        let mut parser = Parser {
            store,
            reviews: Vec::new(),
            warnings: Vec::new(),
            log: WarningLog::default(),
            source: std::mem::take(&mut self.source),
            seen_block: self.seen_block,
            nonblank: Vec::new(),
            hiding: self.hiding,
        };
        // A handle on the text (not a copy), so that the parser can be written to while
        // the text is read.
        let text = parser.store.shared_base();
        let base = text.as_bytes();
        let mut offset = 0;
        let mut number = self.lines_before;
        // The lines of the block being read: each block is read as soon as its Permalink
        // line is found, while its text is still in the cache.
        let mut block: Vec<Line> = Vec::new();
        while offset < base.len() {
            let line_len = memchr_newline(&base[offset..]);
            let mut end = offset + line_len;
            if base[offset..end].last() == Some(&b'\r') {
                end -= 1;
            }
            number += 1;
            let line = Line {
                start: offset,
                end,
                number,
            };
            offset += line_len + 1;
            if starts_like_permalink(&base[line.start..line.end])
                && is_permalink(&text[line.range()])
            {
                parser.finish_block(&block, number, true);
                block.clear();
            } else {
                block.push(line);
            }
        }
        if last {
            parser.finish_block(&block, number, false);
        }
        self.lines_before = number;
        self.seen_block = parser.seen_block;
        self.hiding = parser.hiding;
        self.source = parser.source.clone();
        parser.finish()
    }
}

impl crate::load::PieceReader for Chunked {
    fn last_record_end(&self, buf: &[u8]) -> Option<usize> {
        let mut end = buf.len();
        // The last line may be incomplete: only lines ending in `\n` count.
        while let Some(newline) = memchr::memrchr(b'\n', &buf[..end]) {
            let line_start = memchr::memrchr(b'\n', &buf[..newline]).map_or(0, |i| i + 1);
            if is_permalink_line(&buf[line_start..newline]) && votes_before(buf, line_start) {
                return Some(newline + 1);
            }
            end = line_start;
            if end == 0 {
                break;
            }
        }
        None
    }

    fn first_record_end(&self, buf: &[u8]) -> Option<usize> {
        let first_newline = memchr::memchr(b'\n', buf)?;
        let mut line_start = first_newline + 1;
        while let Some(len) = memchr::memchr(b'\n', &buf[line_start..]) {
            if is_permalink_line(&buf[line_start..line_start + len])
                && votes_before(buf, line_start)
            {
                return Some(line_start + len + 1);
            }
            line_start += len + 1;
        }
        None
    }

    fn parse(&mut self, store: StoreBuilder, last: bool) -> Loaded {
        Chunked::parse(self, store, last)
    }

    fn lines_read(&self) -> usize {
        Chunked::lines_read(self)
    }

    fn continue_at(&mut self, lines_before: usize) {
        Chunked::continue_at(self, lines_before);
    }
}

/// Whether the `Permalink` line starting at `line_start` in `buf` surely ends a review: its
/// votes line comes right before it (blank lines and IMDb's prompt aside). One without may
/// be a line of a review's text, a spoiler's among them: the document is not cut into
/// pieces there, so that no piece starts inside a spoiler's text (see `Hiding`).
fn votes_before(buf: &[u8], line_start: usize) -> bool {
    let mut end = line_start;
    let mut prompt_seen = false;
    while end > 0 {
        let line_end = end - 1;
        let start = memchr::memrchr(b'\n', &buf[..line_end]).map_or(0, |i| i + 1);
        let line = String::from_utf8_lossy(&buf[start..line_end]);
        let line = line.trim_end_matches('\r');
        end = start;
        if line.trim().is_empty() {
            continue;
        }
        if !prompt_seen && is_vote_prompt(line) {
            prompt_seen = true;
            continue;
        }
        return parse_votes(line).is_some();
    }
    false
}

/// Whether a line of raw input (without its `\n`) is a `Permalink` line: where a review
/// block ends, so where pieces are cut.
fn is_permalink_line(line: &[u8]) -> bool {
    let line = String::from_utf8_lossy(line);
    is_permalink(line.trim_end_matches('\r'))
}
