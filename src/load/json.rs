//! Loader for revue's own JSON document and JSON Lines (FORMATS.md §3).
//!
//! Strings are kept in the input wherever they need no sanitizing: those without escapes
//! as they are, those with escapes (a body's `\n`, a title's `\"`) unescaped in place, over
//! their own escaped form, which is never shorter. A loaded JSON document so points into
//! the file's own bytes, with no second copy of its text. The review array is read one
//! element at a time, never collected first.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Films, LoadError, Loaded, Warning, keep_body, keep_line, rewrite_fields};
use crate::model::{Date, Extra, Review, Source, StoreBuilder, TextRef, place_in};
use crate::sanitize::sanitize;

/// One review as revue writes it. Unknown fields are ignored so that newer files load.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawReview<'a> {
    rating: Option<i64>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    author: Cow<'a, str>,
    #[serde(borrow)]
    date: Option<Cow<'a, str>>,
    spoiler: bool,
    helpful: u64,
    not_helpful: u64,
    #[serde(borrow)]
    body: Cow<'a, str>,
    #[serde(borrow)]
    permalink: Option<Cow<'a, str>>,
    /// Written when several documents were open: each film becomes a source again.
    #[serde(borrow)]
    film: Option<Cow<'a, str>>,
}

impl RawReview<'_> {
    fn fields(&self) -> Fields<'_> {
        Fields {
            rating: self.rating,
            title: &self.title,
            author: &self.author,
            date: self.date.as_deref(),
            spoiler: self.spoiler,
            helpful: self.helpful,
            not_helpful: self.not_helpful,
            body: &self.body,
            permalink: self.permalink.as_deref(),
            film: self.film.as_deref(),
        }
    }
}

/// One review's fields as read, however they were read: what [`Sink::add`] takes.
#[derive(Debug, PartialEq, Eq)]
struct Fields<'t> {
    rating: Option<i64>,
    title: &'t str,
    author: &'t str,
    date: Option<&'t str>,
    spoiler: bool,
    helpful: u64,
    not_helpful: u64,
    body: &'t str,
    permalink: Option<&'t str>,
    film: Option<&'t str>,
}

/// Parses a JSON document (`{...}` envelope or a bare `[...]` array of reviews) or JSON Lines.
///
/// Documents and lines in the shape revue writes are read by [`Fast`]; anything else (an
/// unknown field, a value of another type, bad JSON) by serde_json, as before, so that odd
/// input loads and fails exactly as it always did.
///
/// # Errors
/// A JSON document that is not valid JSON of that shape; JSON Lines only warn per bad line.
pub fn load(store: StoreBuilder, label: &str) -> Result<Loaded, LoadError> {
    let mut sink = Sink::new(label);
    let (text, mut extra) = store.into_parts();
    let lines = is_json_lines(&text);
    let mut fast = Fast::new(text);
    let text = if lines {
        let mut start = 0;
        let mut number = 0;
        while start <= fast.text.len() {
            let at = start;
            number += 1;
            // A line the fast reader reads needs no other pass to find where it ends.
            if let Some((review, next)) = fast.line(at) {
                start = next;
                sink.line = Some(number);
                sink.add(&mut extra, &fast.fields(&review), &|s| {
                    fast.place(&review, s)
                });
                continue;
            }
            let text = fast.text.as_bytes();
            let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
            start = end + 1;
            if is_blank(&text[at..end]) {
                continue;
            }
            sink.line = Some(number);
            match serde_json::from_slice::<RawReview<'_>>(&text[at..end]) {
                Ok(raw) => sink.add(&mut extra, &raw.fields(), &|s| place_in(text, s)),
                Err(err) => sink.warn(format!("not a review: {}", error_text(&err))),
            }
        }
        fast.into_text()
    } else if fast.document(&mut sink, &mut extra).is_some() {
        fast.into_text()
    } else {
        // Start again with serde_json, which reads this document or says what is wrong
        // with it; what the fast reader kept so far goes. It has not changed the text.
        sink = Sink::new(label);
        extra = Extra::default();
        let text = fast.text;
        let mut de = serde_json::Deserializer::from_str(&text);
        let seed = DocumentSeed {
            sink: &mut sink,
            base: text.as_bytes(),
            extra: &mut extra,
        };
        seed.deserialize(&mut de)
            .and_then(|()| de.end())
            .map_err(|err| LoadError::Syntax {
                line: err.line(),
                message: format!("invalid JSON: {}", error_text(&err)),
            })?;
        text
    };
    let store = StoreBuilder::from_parts(text, extra);
    Ok(Loaded {
        document: sink
            .films
            .into_document(sink.source, sink.reviews, store.finish()),
        warnings: sink.warnings,
    })
}

/// Whether a JSON Lines line holds nothing but white space.
fn is_blank(line: &[u8]) -> bool {
    let rest = line.trim_ascii();
    rest.is_empty()
        || (!rest.is_ascii() && std::str::from_utf8(rest).is_ok_and(|l| l.trim().is_empty()))
}

/// serde_json's message without its trailing " at line L column C" (we give the line).
fn error_text(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// JSON Lines: the first line is a whole object and is a review, not an envelope.
fn is_json_lines(text: &str) -> bool {
    let first = text.trim_start();
    if !first.starts_with('{') {
        return false;
    }
    let line = first.split('\n').next().unwrap_or_default();
    let mut stream = serde_json::Deserializer::from_str(line).into_iter::<KeysOnly>();
    match stream.next() {
        Some(Ok(keys)) => !keys.has_reviews,
        _ => false,
    }
}

/// Reads an object's keys and skips its values: enough to tell an envelope from a review.
struct KeysOnly {
    has_reviews: bool,
}

impl<'de> Deserialize<'de> for KeysOnly {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = KeysOnly;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeysOnly, A::Error> {
                let mut has_reviews = false;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    has_reviews |= key == "reviews";
                    map.next_value::<IgnoredAny>()?;
                }
                Ok(KeysOnly { has_reviews })
            }
        }
        d.deserialize_map(KeysVisitor)
    }
}

struct Sink {
    reviews: Vec<Review>,
    warnings: Vec<Warning>,
    source: Source,
    /// The JSON Lines line being read; `None` inside a JSON document.
    line: Option<usize>,
    films: Films,
}

impl Sink {
    fn new(label: &str) -> Self {
        Self {
            reviews: Vec::new(),
            warnings: Vec::new(),
            source: Source {
                label: label.to_string(),
                ..Source::default()
            },
            line: None,
            films: Films::default(),
        }
    }

    fn warn(&mut self, message: String) {
        let message = match self.line {
            Some(_) => message,
            None => format!("review {}: {message}", self.reviews.len() + 1),
        };
        self.warnings.push(Warning {
            line: self.line,
            message,
        });
    }

    /// Adds a review; `place` says where a field's text lies in the document's text (see
    /// [`Extra::keep`]), if it does.
    fn add(&mut self, extra: &mut Extra, raw: &Fields<'_>, place: &dyn Fn(&str) -> Option<usize>) {
        let rating = match raw.rating {
            None => None,
            Some(n) => {
                let valid = u8::try_from(n).ok().filter(|r| (1..=10).contains(r));
                if valid.is_none() {
                    self.warn(format!("rating {n} is not between 1 and 10; ignored"));
                }
                valid
            }
        };
        let date = match raw.date.map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                let date = Date::parse_iso(text);
                if date.is_none() {
                    let shown = sanitize(text).into_owned();
                    self.warn(format!("date {shown:?} is not YYYY-MM-DD; ignored"));
                }
                date
            }
        };
        let permalink = raw
            .permalink
            .map_or(TextRef::EMPTY, |p| keep_line(extra, p, place(p)));
        self.reviews.push(Review {
            rating,
            spoiler: raw.spoiler,
            source: self.films.source_for(raw.film),
            date,
            helpful: raw.helpful,
            not_helpful: raw.not_helpful,
            title: keep_line(extra, raw.title, place(raw.title)),
            author: keep_line(extra, raw.author, place(raw.author)),
            body: keep_body(extra, raw.body, place(raw.body)),
            permalink,
        });
    }
}

/// Reads the top level: an envelope object, or a bare array of reviews.
struct DocumentSeed<'s, 'de> {
    sink: &'s mut Sink,
    base: &'de [u8],
    extra: &'s mut Extra,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a revue document: an object with \"reviews\", or an array of reviews")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        ReviewsSeed {
            sink: self.sink,
            base: self.base,
            extra: self.extra,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut saw_reviews = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "title" => {
                    let title: Option<Cow<'de, str>> = map.next_value()?;
                    if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
                        let clean = sanitize(title.trim()).into_owned();
                        self.sink.source.label.clone_from(&clean);
                        self.sink.source.title = Some(clean);
                    }
                }
                "year" => self.sink.source.year = map.next_value()?,
                "review_count" => self.sink.source.review_count = map.next_value()?,
                "reviews" => {
                    saw_reviews = true;
                    map.next_value_seed(ReviewsSeed {
                        sink: self.sink,
                        base: self.base,
                        extra: self.extra,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if saw_reviews {
            Ok(())
        } else {
            Err(de::Error::missing_field("reviews"))
        }
    }
}

/// Reads the array of reviews element by element into the sink.
struct ReviewsSeed<'s, 'de> {
    sink: &'s mut Sink,
    base: &'de [u8],
    extra: &'s mut Extra,
}

impl<'de> DeserializeSeed<'de> for ReviewsSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ReviewsSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of reviews")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<RawReview<'de>>()? {
            let base = self.base;
            self.sink
                .add(self.extra, &raw.fields(), &|s| place_in(base, s));
        }
        Ok(())
    }
}

/// Where one string value read by [`Fast`] is.
#[derive(Debug, Clone, Copy, Default)]
enum Str {
    /// A field that was not there.
    #[default]
    Empty,
    /// `text[start..end]`, as it is in the input (it had no escapes).
    Text(usize, usize),
    /// `scratch[start..end]`: unescaped, from `text[raw.0..raw.1]`, the escaped form
    /// between the quotes, where [`Fast::into_text`] writes it in the end.
    Scratch {
        start: usize,
        end: usize,
        raw: (usize, usize),
    },
}

/// A review read by [`Fast`], its strings still to be looked up with [`Fast::fields`].
#[derive(Debug, Default)]
struct FastReview {
    rating: Option<i64>,
    title: Str,
    author: Str,
    date: Option<Str>,
    spoiler: bool,
    helpful: u64,
    not_helpful: u64,
    body: Str,
    permalink: Option<Str>,
    film: Option<Str>,
}

impl FastReview {
    /// The strings the review keeps as text of the document (the others are read as
    /// values): those with escapes are unescaped in place.
    fn kept(&self) -> impl Iterator<Item = Str> {
        [self.title, self.author, self.body]
            .into_iter()
            .chain(self.permalink)
    }
}

/// The member names [`Fast`] reads: a review's fields and the envelope's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Rating,
    Title,
    Author,
    Date,
    Spoiler,
    Helpful,
    NotHelpful,
    Body,
    Permalink,
    Film,
    Year,
    ReviewCount,
    Reviews,
    Other,
}

/// A reader for the JSON revue writes: the fields of [`RawReview`] with values of their own
/// types, the envelope's `title`, `year`, `review_count` and `reviews`, strings without lone
/// surrogates. It gives up (`None`) on anything else, which serde_json then reads. Strings
/// without escapes are given as where they are in the input, so they are kept there; the
/// others are unescaped into one scratch buffer that each review reuses, and kept where
/// their escaped form is: once the whole text is read, [`Fast::into_text`] writes them
/// there. Until then the text is as it was, for serde_json to read if the reader gives up.
struct Fast {
    text: String,
    pos: usize,
    /// Reading one JSON Lines line, where a line break ends the line.
    in_line: bool,
    scratch: String,
    /// Where the escaped strings of the reviews read are, to be unescaped in place.
    escaped: Vec<Range<usize>>,
}

impl Fast {
    fn new(text: String) -> Self {
        Self {
            text,
            pos: 0,
            in_line: false,
            scratch: String::new(),
            escaped: Vec::new(),
        }
    }

    fn get(&self, s: Str) -> &str {
        match s {
            Str::Empty => "",
            Str::Text(start, end) => self.text.get(start..end).unwrap_or_default(),
            Str::Scratch { start, end, .. } => self.scratch.get(start..end).unwrap_or_default(),
        }
    }

    /// Notes that the escaped strings a review keeps (title, author, body, permalink) are to
    /// be unescaped in place; only once the whole review has been read, so that a JSON
    /// Lines line the reader gives up on is left as it was.
    fn settle(&mut self, review: &FastReview) {
        for field in review.kept() {
            if let Str::Scratch {
                raw: (from, to), ..
            } = field
            {
                self.escaped.push(from..to);
            }
        }
    }

    /// Where `text`, a field of `review` as [`Fast::fields`] gives it, lies in the text
    /// once [`Fast::into_text`] has unescaped the strings in place.
    fn place(&self, review: &FastReview, text: &str) -> Option<usize> {
        if let Some(at) = place_in(self.text.as_bytes(), text) {
            return Some(at);
        }
        let at = place_in(self.scratch.as_bytes(), text)?;
        review.kept().find_map(|field| match field {
            Str::Scratch {
                start,
                end,
                raw: (from, _),
            } if (start..=end).contains(&at) && at + text.len() <= end => Some(from + (at - start)),
            _ => None,
        })
    }

    /// The text with every kept escaped string written unescaped over its escaped form,
    /// padded with spaces (unescaping never lengthens a string: `\n` is one byte, `\u00e9`
    /// two).
    fn into_text(self) -> String {
        rewrite_fields(self.text, &self.escaped, unescape_in_place)
    }

    fn fields(&self, r: &FastReview) -> Fields<'_> {
        Fields {
            rating: r.rating,
            title: self.get(r.title),
            author: self.get(r.author),
            date: r.date.map(|s| self.get(s)),
            spoiler: r.spoiler,
            helpful: r.helpful,
            not_helpful: r.not_helpful,
            body: self.get(r.body),
            permalink: r.permalink.map(|s| self.get(s)),
            film: r.film.map(|s| self.get(s)),
        }
    }

    /// The review that the JSON Lines line starting at `start` holds, and where the next
    /// line starts. Line breaks are not white space inside a line, so the line ends where
    /// the review does, with only spaces after it.
    fn line(&mut self, start: usize) -> Option<(FastReview, usize)> {
        self.scratch.clear();
        self.pos = start;
        self.in_line = true;
        let review = self.review()?;
        self.space();
        let next = match self.peek() {
            None => self.text.len() + 1,
            Some(b'\n') => self.pos + 1,
            Some(_) => return None,
        };
        self.settle(&review);
        Some((review, next))
    }

    fn document(&mut self, sink: &mut Sink, extra: &mut Extra) -> Option<()> {
        self.pos = 0;
        self.in_line = false;
        self.space();
        match self.peek()? {
            b'[' => self.reviews(sink, extra)?,
            b'{' => {
                self.pos += 1;
                self.space();
                let mut saw_reviews = false;
                loop {
                    match self.key()? {
                        Key::Title => {
                            self.scratch.clear();
                            if let Some(title) = self.optional(Self::string)? {
                                let title = self.get(title).trim();
                                if !title.is_empty() {
                                    let clean = sanitize(title).into_owned();
                                    sink.source.label.clone_from(&clean);
                                    sink.source.title = Some(clean);
                                }
                            }
                        }
                        Key::Year => {
                            sink.source.year = match self.optional(Self::unsigned)? {
                                Some(year) => Some(u16::try_from(year).ok()?),
                                None => None,
                            };
                        }
                        Key::ReviewCount => {
                            sink.source.review_count = self.optional(Self::unsigned)?;
                        }
                        Key::Reviews => {
                            saw_reviews = true;
                            self.reviews(sink, extra)?;
                        }
                        _ => return None,
                    }
                    if !self.next_member(b'}')? {
                        break;
                    }
                }
                if !saw_reviews {
                    return None;
                }
            }
            _ => return None,
        }
        self.space();
        (self.pos == self.text.len()).then_some(())
    }

    /// An array of reviews, each added to `sink` as soon as it is read.
    fn reviews(&mut self, sink: &mut Sink, extra: &mut Extra) -> Option<()> {
        self.expect(b'[')?;
        self.space();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.scratch.clear();
            let review = self.review()?;
            self.settle(&review);
            sink.add(extra, &self.fields(&review), &|s| self.place(&review, s));
            self.space();
            match self.bump()? {
                b',' => self.space(),
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// One review object; a field given twice makes serde_json's error, so it gives up.
    fn review(&mut self) -> Option<FastReview> {
        self.space();
        self.expect(b'{')?;
        self.space();
        let mut review = FastReview::default();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(review);
        }
        let mut seen = 0u16;
        loop {
            let field = match self.key()? {
                Key::Rating => {
                    review.rating = self.optional(Self::signed)?;
                    0
                }
                Key::Title => {
                    review.title = self.string()?;
                    1
                }
                Key::Author => {
                    review.author = self.string()?;
                    2
                }
                Key::Date => {
                    review.date = self.optional(Self::string)?;
                    3
                }
                Key::Spoiler => {
                    review.spoiler = self.boolean()?;
                    4
                }
                Key::Helpful => {
                    review.helpful = self.unsigned()?;
                    5
                }
                Key::NotHelpful => {
                    review.not_helpful = self.unsigned()?;
                    6
                }
                Key::Body => {
                    review.body = self.string()?;
                    7
                }
                Key::Permalink => {
                    review.permalink = self.optional(Self::string)?;
                    8
                }
                Key::Film => {
                    review.film = self.optional(Self::string)?;
                    9
                }
                _ => return None,
            };
            if seen & (1 << field) != 0 {
                return None;
            }
            seen |= 1 << field;
            if !self.next_member(b'}')? {
                return Some(review);
            }
        }
    }

    /// After a member's value: true at `,` (and the space after it), false at `close`.
    fn next_member(&mut self, close: u8) -> Option<bool> {
        self.space();
        match self.bump()? {
            b',' => {
                self.space();
                Some(true)
            }
            b if b == close => Some(false),
            _ => None,
        }
    }

    /// A member's key and the `:` after it; keys with escapes are left to serde_json.
    fn key(&mut self) -> Option<Key> {
        let Str::Text(start, end) = self.string()? else {
            return None;
        };
        let key = match &self.text.as_bytes()[start..end] {
            b"rating" => Key::Rating,
            b"title" => Key::Title,
            b"author" => Key::Author,
            b"date" => Key::Date,
            b"spoiler" => Key::Spoiler,
            b"helpful" => Key::Helpful,
            b"not_helpful" => Key::NotHelpful,
            b"body" => Key::Body,
            b"permalink" => Key::Permalink,
            b"film" => Key::Film,
            b"year" => Key::Year,
            b"review_count" => Key::ReviewCount,
            b"reviews" => Key::Reviews,
            _ => Key::Other,
        };
        self.space();
        self.expect(b':')?;
        self.space();
        Some(key)
    }

    /// A string, unescaped into the scratch buffer if it has escapes.
    fn string(&mut self) -> Option<Str> {
        self.expect(b'"')?;
        let text = &self.text;
        let bytes = text.as_bytes();
        let start = self.pos;
        // Input from `copied` on is not yet in the scratch (once an escape sent it there).
        let mut copied = start;
        let mut unescaped = None;
        loop {
            let at = special(bytes, self.pos)?;
            match bytes[at] {
                b'"' => {
                    self.pos = at + 1;
                    return Some(match unescaped {
                        None => Str::Text(start, at),
                        Some(from) => {
                            self.scratch.push_str(text.get(copied..at)?);
                            Str::Scratch {
                                start: from,
                                end: self.scratch.len(),
                                raw: (start, at),
                            }
                        }
                    });
                }
                b'\\' => {
                    unescaped.get_or_insert(self.scratch.len());
                    self.scratch.push_str(text.get(copied..at)?);
                    let (c, len) = escape(bytes, at)?;
                    self.scratch.push(c);
                    self.pos = at + len;
                    copied = self.pos;
                }
                // A raw control character, which JSON does not allow in a string.
                _ => return None,
            }
        }
    }

    /// `null`, or what `read` reads; the outer `None` is giving up, as everywhere here.
    #[expect(clippy::option_option, reason = "giving up differs from reading null")]
    fn optional<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.literal(b"null") {
            Some(None)
        } else {
            read(self).map(Some)
        }
    }

    fn boolean(&mut self) -> Option<bool> {
        if self.literal(b"true") {
            Some(true)
        } else if self.literal(b"false") {
            Some(false)
        } else {
            None
        }
    }

    /// An integer of up to 18 digits, without a leading zero; what follows it is checked by
    /// the caller, so `1.5` or `1e3` give up there.
    fn unsigned(&mut self) -> Option<u64> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut n: u64 = 0;
        while let Some(&b) = bytes.get(self.pos).filter(|b| b.is_ascii_digit()) {
            if self.pos - start == 18 {
                return None;
            }
            n = n * 10 + u64::from(b - b'0');
            self.pos += 1;
        }
        let len = self.pos - start;
        (len == 1 || (len > 1 && bytes[start] != b'0')).then_some(n)
    }

    fn signed(&mut self) -> Option<i64> {
        let negative = self.peek()? == b'-';
        self.pos += usize::from(negative);
        let n = i64::try_from(self.unsigned()?).ok()?;
        // serde_json reads `-0` as a float, to keep its sign.
        match (negative, n) {
            (true, 0) => None,
            (true, n) => Some(-n),
            (false, n) => Some(n),
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        let found = self
            .text
            .as_bytes()
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word));
        if found {
            self.pos += word.len();
        }
        found
    }

    /// JSON's white space, but for line breaks inside a JSON Lines line.
    fn space(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\r' | b'\t') && (b != b'\n' || self.in_line) {
                break;
            }
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.bump()? == b).then_some(())
    }
}

/// The character that the escape at `bytes[at]` (a `\\`) stands for, and its length;
/// `None` for escapes serde_json reads or rejects: surrogates, pairs or lone, are no char.
fn escape(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    Some(match *bytes.get(at + 1)? {
        b'"' => ('"', 2),
        b'\\' => ('\\', 2),
        b'/' => ('/', 2),
        b'b' => ('\u{8}', 2),
        b'f' => ('\u{c}', 2),
        b'n' => ('\n', 2),
        b'r' => ('\r', 2),
        b't' => ('\t', 2),
        b'u' => {
            let hex = bytes.get(at + 2..at + 6)?;
            let mut n = 0;
            for &b in hex {
                n = n * 16 + char::from(b).to_digit(16)?;
            }
            (char::from_u32(n)?, 6)
        }
        _ => return None,
    })
}

/// Writes the contents of a JSON string, which [`Fast`] has read, unescaped over
/// themselves, and spaces after them. Had an escape no meaning, the rest is made spaces.
fn unescape_in_place(place: &mut [u8]) {
    let mut write = 0;
    let mut read = 0;
    while let Some(at) = memchr::memchr(b'\\', &place[read..]).map(|i| read + i) {
        place.copy_within(read..at, write);
        write += at - read;
        let Some((c, len)) = escape(place, at) else {
            read = place.len();
            break;
        };
        let mut buf = [0; 4];
        let c = c.encode_utf8(&mut buf).as_bytes();
        place[write..write + c.len()].copy_from_slice(c);
        write += c.len();
        read = at + len;
    }
    place.copy_within(read.., write);
    write += place.len() - read;
    place[write..].fill(b' ');
}

/// How many bytes [`special`] looks at one by one before searching with vectors.
const SHORT: usize = 16;

/// The first `"`, `\` or control byte in `bytes[from..]`: where a string ends, has an escape,
/// or is not JSON. memchr finds the quote or backslash (with the widest vector compares the
/// processor has); the control bytes before it are looked for in a loop without early exit,
/// which the compiler vectorizes too. This runs over nearly every byte of a JSON document.
fn special(bytes: &[u8], from: usize) -> Option<usize> {
    // Keys, names and dates end within a few bytes, which a plain loop finds sooner than a
    // vector search is set up.
    let head = bytes.get(from..)?;
    let head = &head[..head.len().min(SHORT)];
    if let Some(i) = head
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
    {
        return Some(from + i);
    }
    let from = from + head.len();
    let rest = bytes.get(from..)?;
    let stop = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
    let before = &rest[..stop];
    if before
        .iter()
        .fold(0u8, |found, &b| found | u8::from(b < 0x20))
        != 0
    {
        return before.iter().position(|&b| b < 0x20).map(|i| from + i);
    }
    (stop < rest.len()).then_some(from + stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the fast reader makes of the first JSON Lines line of `text`, if it reads it,
    /// and where that line ends.
    fn fast_line(text: &str) -> Option<(String, usize)> {
        let mut fast = Fast::new(text.to_string());
        let (review, next) = fast.line(0)?;
        Some((format!("{:?}", fast.fields(&review)), next - 1))
    }

    fn fast_fields(line: &str) -> Option<String> {
        fast_line(line).map(|(fields, _)| fields)
    }

    /// What serde_json makes of it.
    fn serde_fields(line: &str) -> Option<String> {
        let raw = serde_json::from_str::<RawReview<'_>>(line).ok()?;
        Some(format!("{:?}", raw.fields()))
    }

    /// The fast reader reads nothing serde_json would not, and reads it the same; and the
    /// line it reads ends at the first line break.
    fn agrees(text: &str) {
        if let Some((fast, end)) = fast_line(text) {
            assert_eq!(end, text.find('\n').unwrap_or(text.len()), "{text:?}");
            assert_eq!(Some(fast), serde_fields(&text[..end]), "{text:?}");
        }
    }

    #[test]
    fn fast_reader_reads_revues_own_lines() {
        let line = r#"{"rating":8,"title":"A \"good\" one","author":"me","date":"2020-01-02","spoiler":false,"helpful":3,"not_helpful":0,"body":"x\ny\u00e9\u001b\\/","permalink":null,"film":"F"}"#;
        assert!(fast_fields(line).is_some());
        agrees(line);
        assert!(fast_fields("{}").is_some());
        assert!(fast_fields(" { \"rating\" : -3 } \r").is_some());
        for odd in [
            r#"{"rating":8.0}"#,
            r#"{"rating":01}"#,
            r#"{"rating":1e1}"#,
            r#"{"helpful":-1}"#,
            r#"{"rating":-0}"#,
            r#"{"rating":1234567890123456789}"#,
            r#"{"title":null}"#,
            r#"{"title":"a","title":"b"}"#,
            r#"{"unknown":1}"#,
            r#"{"ti\u0074le":"x"}"#,
            r#"{"title":"\ud83d\ude00"}"#,
            r#"{"title":"\ud83d"}"#,
            "{\"title\":\"tab\there\"}",
            r#"{"title":"x",}"#,
            r#"{"title":"x"} x"#,
            r#"{"spoiler":null}"#,
            r#"{"title":"\x"}"#,
            r"[1]",
        ] {
            assert!(fast_fields(odd).is_none(), "{odd}");
        }
    }

    #[test]
    fn fast_reader_agrees_with_serde_on_mangled_lines() {
        let line = r#"{"rating":10,"title":"T","author":"a b","date":null,"spoiler":true,"helpful":12,"not_helpful":0,"body":"one\n\ntwo \"q\" \u0007","permalink":"https://x/y","film":null}"#;
        let pieces = [
            "\"", "\\", "\\u00", "0", "1", "-", ".", "e", ",", ":", "{", "}", "null", " ", "\t",
            "\n", "\r", "\u{1}", "é", "true", "a",
        ];
        let mut next = crate::load::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let mut text = line.to_string();
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
            agrees(&text);
        }
    }

    /// Whether serde_json reads `text` as a document, and what it reads.
    fn serde_only(text: &str) -> (bool, String) {
        let mut store = StoreBuilder::new(text);
        let mut sink = Sink::new("x");
        let (base, extra) = store.parts();
        let mut de = serde_json::Deserializer::from_str(base);
        let seed = DocumentSeed {
            sink: &mut sink,
            base: base.as_bytes(),
            extra,
        };
        let ok = seed.deserialize(&mut de).and_then(|()| de.end()).is_ok();
        (ok, describe(&sink, &store.finish()))
    }

    /// Whether the fast reader reads `text` as a document, and what it reads.
    fn fast(text: &str) -> (bool, String) {
        let (text, mut extra) = StoreBuilder::new(text).into_parts();
        let mut sink = Sink::new("x");
        let mut fast = Fast::new(text);
        let ok = fast.document(&mut sink, &mut extra).is_some();
        let store = StoreBuilder::from_parts(fast.into_text(), extra);
        (ok, describe(&sink, &store.finish()))
    }

    #[test]
    fn fast_documents_load_as_serde_loads_them() {
        for text in [
            r#"{"title":" Film ","year":2001,"review_count":7,"reviews":[{"rating":11,"title":"t","body":"b\n\n\nc","date":"bad"},{}]}"#,
            r#"[{"title":"t"},{"title":"u","film":"F"}]"#,
            r#"{"reviews":[]}"#,
            r#"{"title":null,"year":null,"review_count":null,"reviews":[]}"#,
        ] {
            let (ok, shown) = fast(text);
            assert!(ok, "{text}");
            assert_eq!((ok, shown), serde_only(text), "{text}");
        }
        for odd in [
            r#"{"year":70000,"reviews":[]}"#,
            r#"{"title":"t"}"#,
            r#"{"reviews":[]} x"#,
            r#"{"reviews":[{"x":1}]}"#,
        ] {
            assert!(!fast(odd).0, "{odd}");
        }
    }

    #[test]
    fn escaped_strings_are_unescaped_in_place_with_no_copy() {
        let text = r#"[{"title":"A \"good\" one","author":"me","body":"one\n\ntwo \u00e9\/","permalink":"https:\/\/x\/y"}]"#;
        let loaded = load(StoreBuilder::new(text), "x").expect("loads");
        let doc = &loaded.document;
        let r = &doc.reviews[0];
        assert_eq!(doc.title(r), "A \"good\" one");
        assert_eq!(doc.body(r), "one\n\ntwo é/");
        assert_eq!(doc.permalink(r), Some("https://x/y"));
        // Everything lies in the document's own text: nothing went to the extra chunk.
        for t in [r.title, r.author, r.body, r.permalink] {
            assert_eq!(t.place().0, 0);
        }
        assert_eq!(doc.chunks()[1].len(), 0);
        assert_eq!(doc.chunks()[0].len(), text.len());
    }

    #[test]
    fn unescaping_in_place_gives_the_value_then_spaces() {
        for value in [
            "",
            "plain",
            "q\"uote\\ and / slash",
            "one\n\ntwo\r\t\u{8}\u{c}\u{1}\u{1b}",
            "é ü 漢字 🎬 \u{7f}\u{2028}",
        ] {
            for json in [
                serde_json::to_string(value).expect("a string"),
                // Every character escaped as \uXXXX where it fits in one.
                format!(
                    "\"{}\"",
                    value
                        .chars()
                        .map(|c| match u16::try_from(u32::from(c)) {
                            Ok(unit) => format!("\\u{unit:04x}"),
                            Err(_) => c.to_string(),
                        })
                        .collect::<String>()
                ),
            ] {
                let mut place = json.as_bytes()[1..json.len() - 1].to_vec();
                unescape_in_place(&mut place);
                let (head, tail) = place.split_at(value.len());
                assert_eq!(std::str::from_utf8(head), Ok(value), "{json}");
                assert!(tail.iter().all(|&b| b == b' '), "{json}");
            }
        }
    }

    #[test]
    fn giving_up_after_rewriting_reads_the_text_as_it_was() {
        // The fast reader rewrites the first review's strings, then meets a field it does
        // not know in the second and gives up: serde_json must read the original values.
        let text = concat!(
            r#"{"reviews":[{"title":"q\"uote\\","body":"a\nb\u0007\u00e9\/ \t","author":"x"},"#,
            "\n",
            r#"{"title":"t","extra":[1,{"n":null}]}]}"#
        );
        assert!(!fast(text).0);
        assert!(serde_only(text).0);
        let loaded = load(StoreBuilder::new(text), "x").expect("loads");
        let doc = &loaded.document;
        assert_eq!(doc.reviews.len(), 2);
        let r = &doc.reviews[0];
        assert_eq!(doc.title(r), "q\"uote\\");
        // The bell is shown as its picture; the tab, trailing, is trimmed off the body.
        assert_eq!(doc.body(r), "a\nb\u{2407}é/");
        assert_eq!(doc.author(r), "x");
        assert_eq!(doc.title(&doc.reviews[1]), "t");
        // A syntax error after rewritten strings is reported on its own line.
        let broken = concat!(
            r#"{"reviews":[{"title":"a\nb","body":"c\"d"},"#,
            "\n\n",
            r#"{"title":"t",}]}"#
        );
        let err = load(StoreBuilder::new(broken), "x").expect_err("bad JSON");
        assert!(matches!(err, LoadError::Syntax { line: 3, .. }), "{err}");
    }

    /// Reviews, warnings and source of a sink, as text.
    fn describe(sink: &Sink, store: &crate::model::Store) -> String {
        let reviews: Vec<String> = sink
            .reviews
            .iter()
            .map(|r| {
                let text = |t| store.get(t).to_string();
                format!(
                    "{:?} {:?} {:?} {} {} {} {:?} {:?} {:?} {:?} {}",
                    r.rating,
                    r.date,
                    r.spoiler,
                    r.helpful,
                    r.not_helpful,
                    r.source,
                    text(r.title),
                    text(r.author),
                    text(r.body),
                    text(r.permalink),
                    r.permalink.is_empty()
                )
            })
            .collect();
        format!("{reviews:?} {:?} {:?}", sink.warnings, sink.source)
    }
}
