//! Turning bytes into a [`Document`]: decoding, format detection from the content, and the
//! shared helpers of the per-format loaders in `load/`.

pub(crate) mod build;
pub mod convert;
mod csv;
mod encoding;
mod html;
mod json;
pub mod map;
pub mod parquet;
pub mod stanford;
mod text;
#[cfg(test)]
pub(crate) use text::tests as text_tests;
mod uncleaned;
pub(crate) mod votes;
mod warnings;

use std::borrow::Cow;

use crate::model::{Document, StoreBuilder};
use crate::sanitize::sanitize_line;

pub use map::{Explained, Keep, MapSpec, Mapping, Options};
pub use warnings::{REPEATS_SHOWN, Warning, WarningLog, shift, summarize};

pub use text::{parse_rating, split_author_date};

pub(crate) use encoding::{decode, decode_piece, decode_utf8, decode_with, has_lone_cr};

/// A loaded document and what was wrong with it.
#[derive(Debug)]
pub struct Loaded {
    pub document: Document,
    pub warnings: Vec<Warning>,
    /// What was read and how: the format, and for field-shaped data the mapping of its
    /// fields. [`load_bytes`] always fills it in.
    pub explained: Option<Box<Explained>>,
    /// How many C1 controls the text held, shown as the Windows-1252 punctuation they
    /// stand for (see [`crate::sanitize`]).
    pub repaired: usize,
}

impl Loaded {
    /// A loaded document that says nothing yet about how it was read.
    #[must_use]
    pub fn new(document: Document, warnings: Vec<Warning>) -> Self {
        Self {
            document,
            warnings,
            explained: None,
            repaired: 0,
        }
    }
}

/// The input formats revue reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An IMDb user-reviews page copied as text.
    Text,
    /// revue's JSON document.
    Json,
    /// revue's JSON Lines, one review per line.
    Jsonl,
    /// An IMDb user-reviews page saved as HTML (either layout), or a fragment of one.
    Html,
    /// revue's CSV: a header row naming the review fields, then one row per review.
    Csv,
}

impl Format {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "copied IMDb page text",
            Self::Json => "JSON",
            Self::Jsonl => "JSON Lines",
            Self::Html => "HTML page",
            Self::Csv => "CSV file",
        }
    }
}

/// A format that can be read in pieces as its bytes arrive: it says where a record may be
/// cut and parses one piece after another. The reading side ([`crate::read::stream`]) cuts
/// and schedules the pieces without knowing any format.
pub trait PieceReader: Clone + Send + Sync + 'static {
    /// Whether a piece is rewritten in place as it is parsed (JSON's escapes), so is read
    /// into memory that becomes its text without a copy.
    const REWRITES: bool = false;

    /// Whether a document of this format is of one film, which every piece goes on with
    /// (copied page text); otherwise a piece's films are matched to those before by name.
    const ONE_SOURCE: bool = true;

    /// Whether a record's end can be found from any place in a document
    /// ([`Self::first_record_end`]), so a file can be cut into pieces that every thread reads
    /// at once; otherwise (CSV, whose quotes carry their meaning from the start of the file)
    /// one thread reads the pieces in order and cuts each after the last record it holds,
    /// while the others parse them.
    const CUT_ANYWHERE: bool = true;

    /// Where the last whole record of `buf` ends, if `buf` holds one; `buf` starts where a
    /// record starts.
    fn last_record_end(&self, buf: &[u8]) -> Option<usize>;

    /// Where the first record to end in `buf` after its first line ends, if any; `buf`
    /// starts anywhere in a document, so its first line may be a part of one. Only asked
    /// of a format that can be [cut anywhere](Self::CUT_ANYWHERE).
    fn first_record_end(&self, _buf: &[u8]) -> Option<usize> {
        None
    }

    /// Whether `tail`, what follows the last record end of a file being followed, is
    /// nothing or a record already whole (a last JSON line without its line break), to be
    /// read now rather than when more is written.
    fn is_whole(&self, tail: &[u8]) -> bool {
        tail.iter().all(u8::is_ascii_whitespace)
    }

    /// Parses the next piece, which ends at a record's end unless it is the `last`.
    fn parse(&mut self, store: StoreBuilder, last: bool) -> Loaded;

    /// Lines parsed so far, to number the next piece's warnings.
    fn lines_read(&self) -> usize;

    /// Makes this reader (a copy of one that has read the first piece) read a piece that
    /// starts after `lines_before` lines, so pieces can be parsed side by side.
    fn continue_at(&mut self, lines_before: usize);
}

/// A reader of a format read in pieces.
#[derive(Debug, Clone)]
pub enum Pieces {
    /// Copied page text, cut after a `Permalink` line.
    Text(text::Chunked),
    /// JSON Lines, cut after any line.
    Lines(json::Lines),
    /// CSV, cut after a row's end, found in order from the start of the file.
    Csv(self::csv::Chunked),
}

/// The piece reader for `format`, when that format is read in pieces (copied page text,
/// JSON Lines, CSV, whose first lines `head` are); the others are read whole.
///
/// # Errors
/// When the first lines of JSON Lines cannot be read as reviews.
pub fn piece_reader(
    format: Format,
    label: &str,
    head: &str,
    options: &Options,
) -> Result<Option<Pieces>, LoadError> {
    Ok(match format {
        Format::Text => Some(Pieces::Text(text::Chunked::new(label))),
        Format::Json | Format::Jsonl => json::Lines::new(head, label, options)?.map(Pieces::Lines),
        Format::Csv => self::csv::Chunked::new(head, label, options)?.map(Pieces::Csv),
        Format::Html => None,
    })
}

/// What every loader was expecting, for the "no reviews" message.
pub const EXPECTED: &str = "expected an IMDb user-reviews page (copied as text or saved as \
    HTML), or revue's JSON, JSON Lines or CSV";

/// Why a document could not be loaded at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoadError {
    #[error("the file is empty ({EXPECTED})")]
    Empty,
    #[error("binary data (a NUL byte at offset {offset}), not a review document ({EXPECTED})")]
    Binary { offset: usize },
    #[error("no reviews found in this {}{} ({EXPECTED})", .format.name(), match .reason {
        Some(reason) => format!(": the first problem was {reason}"),
        None => String::new(),
    })]
    NoReviews {
        format: Format,
        /// The first warning, which usually says why nothing loaded.
        reason: Option<String>,
    },
    /// Field-shaped data whose fields revue cannot map onto a review, or a `--map` that
    /// names a field the data does not have.
    #[error("{0}")]
    Map(String),
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
}

/// Loads a document from raw bytes. `label` names it on screen until the document names its
/// film; `format` overrides detection.
///
/// # Errors
/// When the bytes are not a review document, or hold no review.
pub fn load_bytes(
    bytes: Vec<u8>,
    label: &str,
    format: Option<Format>,
) -> Result<Loaded, LoadError> {
    load_with(bytes, label, format, &Options::default())
}

/// [`load_bytes`], reading field-shaped data the way `options` says (`--map`,
/// `--rating-scale`).
///
/// # Errors
/// When the bytes are not a review document, or hold no review.
pub fn load_with(
    bytes: Vec<u8>,
    label: &str,
    format: Option<Format>,
    options: &Options,
) -> Result<Loaded, LoadError> {
    let repaired = crate::sanitize::count_c1(&bytes);
    let (text, mut warnings, encoding) = decode_with(bytes, options.encoding)?;
    let format = format.unwrap_or_else(|| detect(&text));
    let store = StoreBuilder::new(text);
    // The label is a file name, which is as untrusted as the text: it names the document on
    // screen and in exports.
    let label = &*sanitize_line(label);
    let mut loaded = match format {
        Format::Text => text::load(store, label),
        Format::Json | Format::Jsonl => json::load(store, label, options)?,
        Format::Html => html::load(store, label),
        Format::Csv => self::csv::load(store, label, options)?,
    };
    loaded.repaired = repaired;
    let explained = loaded
        .explained
        .get_or_insert_with(|| Explained::plain(format.name()));
    explained.encoding = encoding;
    if loaded.document.reviews.is_empty() {
        let reason = warnings.iter().chain(&loaded.warnings).next();
        return Err(LoadError::NoReviews {
            format: match explained.format.as_str() {
                "JSON Lines" => Format::Jsonl,
                _ => format,
            },
            reason: reason.map(|w| match w.line {
                Some(line) => format!("line {line}: {}", w.message),
                None => w.message.clone(),
            }),
        });
    }
    warnings.append(&mut loaded.warnings);
    loaded.warnings = warnings;
    Ok(loaded)
}

/// The format of a document, from its content: HTML by its markup, JSON by its first
/// character, CSV by a header row naming review fields, and otherwise copied page text (the
/// one format with no marker of its own).
#[must_use]
pub fn detect(text: &str) -> Format {
    // After a byte-order mark too (the decoder drops the file's own, but not a sniffed
    // head's, nor one a joined file holds at the start of each line).
    let start = text
        .trim_start()
        .trim_start_matches('\u{feff}')
        .trim_start();
    match start.as_bytes() {
        [b'{' | b'[', ..] => Format::Json,
        [b'<', next, ..] if next.is_ascii_alphabetic() || matches!(next, b'!' | b'?') => {
            Format::Html
        }
        _ if html::has_markup(start) => Format::Html,
        _ if self::csv::is_header(start.lines().next().unwrap_or_default()) => Format::Csv,
        _ if self::csv::looks_like_csv(start) => Format::Csv,
        _ => Format::Text,
    }
}

/// How many lines `text` holds, a last one without its line break included: what a piece
/// of a document read in pieces moves the next one's line numbers on by.
#[must_use]
pub fn lines_in(text: &str) -> usize {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// The most bytes of a document's first two lines looked at to tell its format.
pub const MAX_HEAD: usize = 4 << 20;

/// Where the second line of `bytes` ends (its `\n`), if within `limit` bytes: a CSV's
/// header and first row, which tell it apart, whatever their length.
#[must_use]
pub fn second_line_end(bytes: &[u8], limit: usize) -> Option<usize> {
    let bytes = &bytes[..bytes.len().min(limit)];
    let first = memchr::memchr(b'\n', bytes)?;
    memchr::memchr(b'\n', &bytes[first + 1..]).map(|i| first + 1 + i)
}

/// Parses a count with optional thousands separators: `1,413`. Saturates instead of
/// overflowing; `None` if it is not a count at all.
#[must_use]
#[inline]
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

/// `text` with each of the `fields` (byte ranges) rewritten in place by `rewrite`, which
/// writes whole characters over the field and spaces after them, as the JSON and CSV
/// loaders do once a document is read. The text is checked to be UTF-8 again in one fast
/// pass; as only whole characters were written, that never has to replace anything.
pub(crate) fn rewrite_fields(
    text: String,
    fields: &[std::ops::Range<usize>],
    rewrite: impl Fn(&mut [u8]),
) -> String {
    if fields.is_empty() {
        return text;
    }
    let mut bytes = text.into_bytes();
    for field in fields {
        if let Some(place) = bytes.get_mut(field.clone()) {
            rewrite(place);
        }
    }
    String::from_utf8(bytes)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

/// The built-in sample page loaded, for the unit tests of the stages after loading.
#[cfg(test)]
#[must_use]
pub(crate) fn sample_document() -> Document {
    load_bytes(
        crate::read::SAMPLE.as_bytes().to_vec(),
        "sample",
        Some(Format::Text),
    )
    .expect("the built-in sample loads")
    .document
}

/// `text` with one to three random places replaced by, or given before them, one of
/// `pieces`: the damaged documents the readers' agreement tests try.
#[cfg(test)]
pub(crate) fn mangle(text: &str, pieces: &[&str], next: &mut impl FnMut() -> u64) -> String {
    let mut text = text.to_string();
    for _ in 0..=next() % 3 {
        let mut at = (next() % text.len() as u64) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let piece = pieces[(next() % pieces.len() as u64) as usize];
        if next().is_multiple_of(2) {
            text.insert_str(at, piece);
        } else {
            let mut end = (at + 1).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, piece);
        }
    }
    text
}

/// Random-looking numbers from a seed, for tests that try many made-up inputs.
#[cfg(test)]
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Where `part`, a slice of `whole`, lies when `whole` lies at `at`.
pub(crate) fn shifted(at: Option<usize>, whole: &str, part: &str) -> Option<usize> {
    at.map(|at| at + (part.as_ptr() as usize - whole.as_ptr() as usize))
}

/// Puts sanitized body text in its stored form: paragraphs joined by one blank line, lines
/// without trailing white space, no blank lines at either end. Borrows when already so.
#[must_use]
pub fn normalize_body(text: &str) -> Cow<'_, str> {
    let trimmed = trim_blank_lines(text);
    if is_normal_body(trimmed) {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut pending_break = false;
    for line in trimmed.split('\n').map(str::trim_end) {
        if line.is_empty() {
            pending_break = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if pending_break { "\n\n" } else { "\n" });
        }
        pending_break = false;
        out.push_str(line);
    }
    Cow::Owned(out)
}

/// Whether trimmed body text is already in stored form: no line ends in white space and no
/// two blank lines follow each other. Runs over every body loaded, so it visits only the
/// line breaks (found with memchr) and the bytes around them.
fn is_normal_body(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut previous_blank = false;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for end in ends {
        let line = &text[start..end];
        let blank = line.is_empty();
        if !ends_clean(line) || (blank && previous_blank) {
            return false;
        }
        previous_blank = blank;
        start = end + 1;
    }
    true
}

/// Whether a line does not end in white space (looking at its last byte only, when ASCII).
fn ends_clean(line: &str) -> bool {
    match line.as_bytes().last() {
        None => true,
        Some(b) if b.is_ascii() => !b.is_ascii_whitespace(),
        Some(_) => line.len() == line.trim_end().len(),
    }
}

/// `text` without leading and trailing lines that are empty or white space, and without
/// trailing white space on its last line.
fn trim_blank_lines(text: &str) -> &str {
    let start = text
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| i);
    // Back up to the start of that line, keeping its indentation.
    let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    text[start..].trim_end()
}

#[cfg(test)]
mod tests {
    use super::build::Films;
    use super::*;
    use crate::model::{Review, Source, Store};

    #[test]
    fn bodies_are_normalized() {
        assert_eq!(normalize_body("a\nb\n\nc"), "a\nb\n\nc");
        assert!(matches!(normalize_body("a\nb\n\nc"), Cow::Borrowed(_)));
        assert_eq!(normalize_body("\n\n  \na  \n\n\n \nb\n\n"), "a\n\nb");
        assert_eq!(normalize_body("  indented\nline"), "  indented\nline");
        assert_eq!(normalize_body(""), "");
    }

    #[test]
    fn detects_format_from_content() {
        assert_eq!(detect("  \n{\"reviews\": []}"), Format::Json);
        assert_eq!(detect("[]"), Format::Json);
        assert_eq!(detect("Pusher II (2004) Poster\n"), Format::Text);
        assert_eq!(detect("\n<section class=\"x\">"), Format::Html);
        assert_eq!(detect("<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(detect("saved by hand\n<html><body>"), Format::Html);
        assert_eq!(detect("<3 it\nLoved it\n"), Format::Text);
        assert_eq!(
            detect("rating,title,author,date,body\n8,x,y,,z\n"),
            Format::Csv
        );
        assert_eq!(detect("\"Rating\",\"Title\",\"Body\"\r\n"), Format::Csv);
        assert_eq!(detect("Title, author, and body\n"), Format::Text);
    }

    #[test]
    fn the_file_name_label_is_sanitized_too() {
        let csv = b"title,author,body\nt,a,b\n".to_vec();
        let loaded = load_bytes(csv, "ev\u{1b}[2Jil\u{202e}.csv", None).expect("loads");
        assert_eq!(
            loaded.document.sources[0].label,
            "ev\u{241b}[2Jil<U+202E>.csv"
        );
    }

    #[test]
    fn films_make_one_source_each_and_drop_an_unused_own_source() {
        let review = |source| Review {
            rating: None,
            verdict: None,
            spoiler: false,
            down_votes_known: true,
            source,
            date: None,
            helpful: 0,
            not_helpful: 0,
            title: crate::model::TextRef::EMPTY,
            author: crate::model::TextRef::EMPTY,
            body: crate::model::TextRef::EMPTY,
            permalink: crate::model::TextRef::EMPTY,
        };
        let own = Source {
            label: "stdin".into(),
            ..Source::default()
        };
        let mut films = Films::default();
        let reviews = ["A", "B", " A ", "B"]
            .map(|f| review(films.source_for(Some(f))))
            .to_vec();
        let doc = films.into_document(own.clone(), reviews, Store::default());
        let labels: Vec<_> = doc.sources.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["A", "B"]);
        let sources: Vec<_> = doc.reviews.iter().map(|r| r.source).collect();
        assert_eq!(sources, [0, 1, 0, 1]);

        let mut films = Films::default();
        let reviews = [Some("A"), None, Some("")]
            .map(|f| review(films.source_for(f)))
            .to_vec();
        let doc = films.into_document(own, reviews, Store::default());
        let labels: Vec<_> = doc.sources.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["stdin", "A"]);
        let sources: Vec<_> = doc.reviews.iter().map(|r| r.source).collect();
        assert_eq!(sources, [1, 0, 0]);
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"  \n".to_vec()), Err(LoadError::Empty));
        assert_eq!(
            decode(b"ab\0c".to_vec()),
            Err(LoadError::Binary { offset: 2 })
        );
        let (text, warnings) = decode(b"ok\nbad \xff here".to_vec()).expect("lossy");
        assert_eq!(text, "ok\nbad \u{fffd} here");
        assert_eq!(warnings[0].line, Some(2));
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(utf16).expect("utf16").0, "hé");
        assert_eq!(decode("\u{feff}x".into()).expect("bom").0, "x");
    }
}
