//! The fast reader of the JSON revue writes: strings without escapes are kept where they
//! are in the input, the others are unescaped in place over their escaped form; anything
//! unusual makes it give up, and serde_json reads the document instead.

use std::ops::Range;

use super::Sink;
use crate::load::build::{Raw, RawReview};
use crate::load::rewrite_fields;
use crate::model::schema::{Field, Kind};
use crate::model::{Extra, StoreBuilder};
use crate::sanitize::sanitize_line;

/// Where one string value read by [`Fast`] is.
#[derive(Debug, Clone, Copy, Default)]
pub(super) enum Str {
    /// A field that was not there.
    #[default]
    Empty,
    /// `text[start..end]`, as it is in the input (it had no escapes).
    Text(usize, usize),
    /// `scratch[start..end]`: unescaped, from `text[raw.0..raw.1]`, the escaped form
    /// between the quotes, where [`Fast::into_store`] writes it in the end.
    Scratch {
        start: usize,
        end: usize,
        raw: (usize, usize),
    },
}

/// One value read by [`Fast`].
#[derive(Debug, Clone, Copy, Default)]
enum Value {
    /// Not there, or `null`.
    #[default]
    Missing,
    Str(Str),
    Int(i64),
    Flag(bool),
}

/// A review read by [`Fast`], by field, its strings still to be looked up with
/// [`Fast::fields`].
#[derive(Debug, Default)]
pub(super) struct FastReview {
    values: [Value; Field::COUNT],
}

impl FastReview {
    /// The strings the review keeps as text of the document (the others are read as
    /// values): those with escapes are unescaped in place.
    fn kept(&self) -> impl Iterator<Item = Str> + '_ {
        Field::STORED_TEXT
            .into_iter()
            .filter_map(|f| match self.values[f as usize] {
                Value::Str(s) => Some(s),
                _ => None,
            })
    }
}

/// The member names [`Fast`] reads: the schema's review fields and the envelope's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Field(Field),
    Year,
    ReviewCount,
    Reviews,
    Other,
}

/// A reader for the JSON revue writes: the schema's fields with values of their kinds' own
/// types, the envelope's `title`, `year`, `review_count` and `reviews`, strings without lone
/// surrogates. It gives up (`None`) on anything else, which serde_json then reads. Strings
/// without escapes are given as where they are in the input, so they are kept there; the
/// others are unescaped into one scratch buffer that each review reuses, and kept where
/// their escaped form is: once the whole text is read, [`Fast::into_store`] writes them
/// there. Until then the text is as it was, for serde_json to read if the reader gives up.
pub(super) struct Fast {
    pub(super) text: String,
    pub(super) pos: usize,
    /// Reading one JSON Lines line, where a line break ends the line.
    pub(super) in_line: bool,
    pub(super) scratch: String,
    /// Where the escaped strings of the reviews read are, to be unescaped in place.
    pub(super) escaped: Vec<Range<usize>>,
    /// Reading data from elsewhere: a lone surrogate is U+FFFD, not a reason to give up.
    pub(super) lenient: bool,
}

impl Fast {
    pub(super) fn new(text: String) -> Self {
        Self {
            text,
            pos: 0,
            in_line: false,
            scratch: String::new(),
            escaped: Vec::new(),
            lenient: false,
        }
    }

    pub(super) fn get(&self, s: Str) -> &str {
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

    /// Where a string read lies in the text once [`Fast::into_store`] has unescaped the
    /// kept strings in place; `None` for an escaped one that is not kept.
    pub(super) fn place_of(s: Str, kept: bool) -> Option<usize> {
        match s {
            Str::Empty => None,
            Str::Text(start, _) => Some(start),
            Str::Scratch { raw: (from, _), .. } => kept.then_some(from),
        }
    }

    /// The text with every kept escaped string written unescaped over its escaped form,
    /// padded with spaces (unescaping never lengthens a string: `\n` is one byte, `\u00e9`
    /// two), as the base of a store whose other strings are in `extra`; the store is told
    /// what was rewritten, so that the text can be left in its file and unescaped again
    /// when read.
    pub(super) fn into_store(self, extra: Extra) -> StoreBuilder {
        let text = rewrite_fields(self.text, &self.escaped, unescape_in_place);
        StoreBuilder::from_parts(text, extra).rewritten(self.escaped, unescape_in_place)
    }

    /// The raw review to build, its strings looked up.
    pub(super) fn fields(&self, r: &FastReview) -> RawReview<'_> {
        let mut raw = RawReview::default();
        for field in Field::ALL {
            match r.values[field as usize] {
                Value::Missing => {}
                Value::Str(s) => {
                    raw.set_text(
                        field,
                        self.get(s),
                        Self::place_of(s, field.is_stored_text()),
                    );
                }
                Value::Int(n) => raw.set(field, Raw::Int(n)),
                Value::Flag(flag) => raw.set(field, Raw::Flag(flag)),
            }
        }
        raw
    }

    /// The review that the JSON Lines line starting at `start` holds, and where the next
    /// line starts. Line breaks are not white space inside a line, so the line ends where
    /// the review does, with only spaces after it.
    pub(super) fn line(&mut self, start: usize) -> Option<(FastReview, usize)> {
        self.scratch.clear();
        self.pos = super::after_bom(self.text.as_bytes(), start);
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

    pub(super) fn document(&mut self, sink: &mut Sink, extra: &mut Extra) -> Option<()> {
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
                        Key::Field(Field::Title) => {
                            self.scratch.clear();
                            if let Some(title) = self.optional(Self::string)? {
                                let title = self.get(title).trim();
                                if !title.is_empty() {
                                    let clean = sanitize_line(title).into_owned();
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
            sink.add(extra, &self.fields(&review));
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
            let Key::Field(field) = self.key()? else {
                return None;
            };
            let nullable = field.is_nullable();
            let value = match field.kind() {
                Kind::Rating => self
                    .optional(Self::signed)?
                    .map_or(Value::Missing, Value::Int),
                Kind::Line | Kind::Body | Kind::Date | Kind::Verdict if nullable => self
                    .optional(Self::string)?
                    .map_or(Value::Missing, Value::Str),
                Kind::Line | Kind::Body | Kind::Date | Kind::Verdict => Value::Str(self.string()?),
                Kind::Flag => Value::Flag(self.boolean()?),
                Kind::Count if !nullable => Value::Int(i64::try_from(self.unsigned()?).ok()?),
                Kind::Count | Kind::Year | Kind::OptionalCount | Kind::Scale => {
                    match self.optional(Self::unsigned)? {
                        Some(n) => Value::Int(i64::try_from(n).ok()?),
                        None => Value::Missing,
                    }
                }
            };
            // A field given twice makes serde_json's error, so it gives up.
            let bit = 1u16 << (field as usize);
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            review.values[field as usize] = value;
            if !self.next_member(b'}')? {
                return Some(review);
            }
        }
    }

    /// After a member's value: true at `,` (and the space after it), false at `close`.
    pub(super) fn next_member(&mut self, close: u8) -> Option<bool> {
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
            b"year" => Key::Year,
            b"review_count" => Key::ReviewCount,
            b"reviews" => Key::Reviews,
            name => Field::from_name(name).map_or(Key::Other, Key::Field),
        };
        self.space();
        self.expect(b':')?;
        self.space();
        Some(key)
    }

    /// A string, unescaped into the scratch buffer if it has escapes.
    pub(super) fn string(&mut self) -> Option<Str> {
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
                    let (c, len) = match escape(bytes, at) {
                        Some(escaped) => escaped,
                        // Data from elsewhere may hold a lone surrogate (serde_json skips
                        // them in values it ignores): shown as U+FFFD, six bytes in place.
                        None if self.lenient && lone_surrogate(bytes, at) => ('\u{fffd}', 6),
                        None => return None,
                    };
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
    pub(super) fn optional<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if self.literal(b"null") {
            Some(None)
        } else {
            read(self).map(Some)
        }
    }

    pub(super) fn boolean(&mut self) -> Option<bool> {
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
    pub(super) fn unsigned(&mut self) -> Option<u64> {
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

    pub(super) fn signed(&mut self) -> Option<i64> {
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

    pub(super) fn literal(&mut self, word: &[u8]) -> bool {
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
    pub(super) fn space(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\r' | b'\t') && (b != b'\n' || self.in_line) {
                break;
            }
            self.pos += 1;
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    pub(super) fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    pub(super) fn expect(&mut self, b: u8) -> Option<()> {
        (self.bump()? == b).then_some(())
    }
}

/// The character that the escape at `bytes[at]` (a `\\`) stands for, and its length;
/// `None` for escapes serde_json rejects: a lone surrogate is no char.
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
            let n = hex4(bytes, at + 2)?;
            match n {
                // A surrogate pair, as Python's json writes any character outside the
                // basic plane: one character from twelve bytes.
                0xd800..=0xdbff => {
                    if bytes.get(at + 6..at + 8)? != b"\\u" {
                        return None;
                    }
                    let low = hex4(bytes, at + 8).filter(|low| (0xdc00..=0xdfff).contains(low))?;
                    (
                        char::from_u32(0x10000 + ((n - 0xd800) << 10) + (low - 0xdc00))?,
                        12,
                    )
                }
                _ => (char::from_u32(n)?, 6),
            }
        }
        _ => return None,
    })
}

/// Whether the escape at `bytes[at]` is `\uXXXX` of a surrogate with no partner.
fn lone_surrogate(bytes: &[u8], at: usize) -> bool {
    bytes.get(at + 1) == Some(&b'u')
        && hex4(bytes, at + 2).is_some_and(|n| (0xd800..=0xdfff).contains(&n))
}

/// The four hex digits at `bytes[at..]`.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let mut n = 0;
    for &b in bytes.get(at..at + 4)? {
        n = n * 16 + char::from(b).to_digit(16)?;
    }
    Some(n)
}

/// Writes the contents of a JSON string, which [`Fast`] has read, unescaped over
/// themselves, and spaces after them. Had an escape no meaning, the rest is made spaces.
pub(super) fn unescape_in_place(place: &mut [u8]) {
    let mut write = 0;
    let mut read = 0;
    while let Some(at) = memchr::memchr(b'\\', &place[read..]).map(|i| read + i) {
        place.copy_within(read..at, write);
        write += at - read;
        let escaped =
            escape(place, at).or_else(|| lone_surrogate(place, at).then_some(('\u{fffd}', 6)));
        let Some((c, len)) = escaped else {
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
