//! Loader for revue's own JSON document and JSON Lines (FORMATS.md §3).
//!
//! Strings are kept in the input wherever they need no sanitizing: those without escapes
//! as they are, those with escapes (a body's `\n`, a title's `\"`) unescaped in place, over
//! their own escaped form, which is never shorter. A loaded JSON document so points into
//! the file's own bytes, with no second copy of its text. The review array is read one
//! element at a time, never collected first.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

mod fast;
mod lines;
mod mapped;

pub use lines::Lines;

use super::build::{Raw, RawReview, ReviewBuilder};
use super::map::{self, Explained, Options};
use super::{Format, LoadError, Loaded};
use crate::model::schema::{Field, Kind};
use crate::model::{Extra, Source, StoreBuilder, place_in};
use crate::sanitize::sanitize_line;
use fast::Fast;
use mapped::Mapped;

/// One review as serde_json reads it: each key the schema names, its value of the JSON type
/// of the field's kind (a field given twice is an error, as serde's derive makes it);
/// other keys are ignored so that newer files load.
#[derive(Default)]
struct SerdeReview<'a> {
    values: [SerdeValue<'a>; Field::COUNT],
    /// The marks and labels a revue export wrote (FORMATS.md §6); the fast reader leaves
    /// a review with them to this one.
    labels: Vec<Cow<'a, str>>,
    marked: bool,
}

#[derive(Default)]
enum SerdeValue<'a> {
    #[default]
    Missing,
    Text(Cow<'a, str>),
    Int(i128),
    Float(f64),
    Flag(bool),
}

impl<'de> Deserialize<'de> for SerdeReview<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ReviewVisitor;
        impl<'de> Visitor<'de> for ReviewVisitor {
            type Value = SerdeReview<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a review object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut review = SerdeReview::default();
                let mut seen = [false; Field::COUNT];
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    let Some(field) = Field::from_name(key.as_bytes()) else {
                        match &*key {
                            // Read loosely: another tool's `labels` of another shape
                            // must not fail a file that loaded before they were read.
                            "labels" => {
                                review.labels = match map.next_value::<serde_json::Value>()? {
                                    serde_json::Value::Array(items) => items
                                        .into_iter()
                                        .filter_map(|v| match v {
                                            serde_json::Value::String(s) => Some(Cow::Owned(s)),
                                            _ => None,
                                        })
                                        .collect(),
                                    _ => Vec::new(),
                                };
                            }
                            "marked" => {
                                review.marked = map.next_value::<serde_json::Value>()?
                                    == serde_json::Value::Bool(true);
                            }
                            _ => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                        continue;
                    };
                    if std::mem::replace(&mut seen[field as usize], true) {
                        return Err(de::Error::duplicate_field(field.name()));
                    }
                    let nullable = field.is_nullable();
                    review.values[field as usize] = match field.kind() {
                        Kind::Rating => match map.next_value::<Option<serde_json::Number>>()? {
                            None => SerdeValue::Missing,
                            Some(n) => match n.as_i64() {
                                Some(n) => SerdeValue::Int(n.into()),
                                None => SerdeValue::Float(n.as_f64().unwrap_or(f64::NAN)),
                            },
                        },
                        Kind::Line | Kind::Body | Kind::Date | Kind::Verdict if nullable => map
                            .next_value::<Option<BorrowedText<'de>>>()?
                            .map_or(SerdeValue::Missing, |t| SerdeValue::Text(t.0)),
                        Kind::Line | Kind::Body | Kind::Date | Kind::Verdict => {
                            SerdeValue::Text(map.next_value::<BorrowedText<'de>>()?.0)
                        }
                        Kind::Flag => SerdeValue::Flag(map.next_value()?),
                        Kind::Count if !nullable => {
                            SerdeValue::Int(map.next_value::<u64>()?.into())
                        }
                        Kind::Count | Kind::Year | Kind::OptionalCount | Kind::Scale => map
                            .next_value::<Option<u64>>()?
                            .map_or(SerdeValue::Missing, |n| SerdeValue::Int(n.into())),
                    };
                }
                Ok(review)
            }
        }
        d.deserialize_map(ReviewVisitor)
    }
}

/// A string borrowed from the input where it has no escapes.
struct BorrowedText<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for BorrowedText<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Borrowing<'a>(#[serde(borrow)] Cow<'a, str>);
        Borrowing::deserialize(d).map(|b| Self(b.0))
    }
}

impl<'a> SerdeReview<'a> {
    /// The raw review; `base` is the document's text, where unescaped strings lie.
    fn raw(&'a self, base: &[u8]) -> RawReview<'a> {
        let mut raw = RawReview::default();
        for field in Field::ALL {
            match &self.values[field as usize] {
                SerdeValue::Missing => {}
                SerdeValue::Text(text) => raw.set_text(field, text, place_in(base, text)),
                SerdeValue::Int(n) => raw.set(
                    field,
                    match (i64::try_from(*n), u64::try_from(*n)) {
                        (Ok(n), _) => Raw::Int(n),
                        (_, Ok(n)) => Raw::Large(n),
                        // Read from an `i64` or a `u64`, so one of them holds it.
                        _ => Raw::Missing,
                    },
                ),
                SerdeValue::Float(x) => raw.set(field, Raw::Float(*x)),
                SerdeValue::Flag(flag) => raw.set(field, Raw::Flag(*flag)),
            }
        }
        raw
    }
}

/// Parses a JSON document (`{...}` envelope or a bare `[...]` array of reviews) or JSON Lines.
///
/// Documents and lines in the shape revue writes are read by [`Fast`]; anything else (an
/// unknown field, a value of another type, bad JSON) by serde_json, as before, so that odd
/// input loads and fails exactly as it always did.
///
/// # Errors
/// A JSON document that is not valid JSON of that shape; JSON Lines only warn per bad line.
pub fn load(store: StoreBuilder, label: &str, options: &Options) -> Result<Loaded, LoadError> {
    let (text, extra) = store.into_parts();
    let lines = is_json_lines(&text);
    let format = if lines { Format::Jsonl } else { Format::Json };
    let mut fast = Fast::new(text);
    let names = mapped::sample_names(&mut fast, lines);
    let (mapping, reading) = map::choose(&names, options, format.name())?;
    load_chosen(fast, extra, lines, label, mapping, reading)
}

/// [`load`] once the mapping is known.
fn load_chosen(
    mut fast: Fast,
    mut extra: Extra,
    lines: bool,
    label: &str,
    mapping: map::Mapping,
    reading: crate::load::build::Reading,
) -> Result<Loaded, LoadError> {
    let format = if lines { Format::Jsonl } else { Format::Json };
    let mut sink = Sink::new(label, lines);
    for note in mapping.notes() {
        sink.builder.warn(note);
    }
    if !mapping.own {
        sink.builder = std::mem::take(&mut sink.builder).reading(reading);
        fast.lenient = true;
        let mut reader = Mapped::new(&mapping);
        if lines {
            reader.lines(&mut fast, &mut sink, &mut extra);
        } else if reader.document(&mut fast, &mut sink, &mut extra).is_none() {
            let err = serde_json::from_str::<IgnoredAny>(&fast.text).err();
            return Err(LoadError::Syntax {
                line: err.as_ref().map_or(1, serde_json::Error::line),
                message: match err {
                    Some(err) => format!("invalid JSON: {}", error_text(&err)),
                    None => "JSON nested too deeply to be review data".into(),
                },
            });
        }
        let later = (!reader.unlisted.is_empty()).then(|| {
            format!(
                "later records have fields that are not used: {}",
                reader.unlisted.join(", ")
            )
        });
        let scale = sink.builder.settle_scale().unwrap_or(mapping.scale);
        let store = fast.into_store(extra);
        let (document, warnings) = sink.builder.into_document(sink.source, store.finish());
        return Ok(Loaded {
            document,
            warnings,
            repaired: 0,
            explained: Some(Box::new(Explained {
                format: format.name().into(),
                mapping: Some(mapping),
                scale: Some(scale),
                notes: later.into_iter().collect(),
                ..Explained::default()
            })),
        });
    }
    let store = if lines {
        let mut start = 0;
        let mut number = 0;
        while start <= fast.text.len() {
            let at = start;
            number += 1;
            // A line the fast reader reads needs no other pass to find where it ends.
            if let Some((review, next)) = fast.line(at) {
                start = next;
                sink.line = Some(number);
                sink.add(&mut extra, &fast.fields(&review));
                continue;
            }
            let text = fast.text.as_bytes();
            let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
            start = end + 1;
            if is_blank(&text[at..end]) {
                continue;
            }
            sink.line = Some(number);
            match serde_json::from_slice::<SerdeReview<'_>>(
                &text[after_bom(text, at).min(end)..end],
            ) {
                Ok(review) => sink.add_noted(&mut extra, &review, text),
                Err(err) => sink.warn(format!("not a review: {}", error_text(&err))),
            }
        }
        fast.into_store(extra)
    } else if fast.document(&mut sink, &mut extra).is_some() {
        fast.into_store(extra)
    } else {
        // Start again with serde_json, which reads this document or says what is wrong
        // with it; what the fast reader kept so far goes. It has not changed the text.
        sink = Sink::new(label, false);
        for note in mapping.notes() {
            sink.builder.warn(note);
        }
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
        StoreBuilder::from_parts(text, extra)
    };
    let (document, warnings) = sink.builder.into_document(sink.source, store.finish());
    Ok(Loaded {
        document,
        warnings,
        repaired: 0,
        explained: Some(Box::new(Explained {
            format: format.name().into(),
            mapping: Some(mapping),
            scale: Some(crate::model::DEFAULT_SCALE),
            ..Explained::default()
        })),
    })
}

/// Where a JSON Lines line starting at `at` starts its record: after a byte-order mark, as
/// files joined from many others (one per line) hold at the start of each line.
pub(super) fn after_bom(bytes: &[u8], at: usize) -> usize {
    if bytes
        .get(at..)
        .is_some_and(|b| b.starts_with(b"\xef\xbb\xbf"))
    {
        at + 3
    } else {
        at
    }
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
    let first = text.trim_start().trim_start_matches('\u{feff}');
    if !first.starts_with('{') {
        return false;
    }
    let (line, rest) = first.split_once('\n').unwrap_or((first, ""));
    let mut stream = serde_json::Deserializer::from_str(line).into_iter::<KeysOnly>();
    match stream.next() {
        Some(Ok(keys)) => !keys.has_reviews,
        // A first line that is no JSON of its own (Python's `NaN` in it, a broken record)
        // still starts JSON Lines when the next line starts a record too; a document
        // printed over several lines goes on with a key or a value instead.
        _ => {
            line.trim_end().ends_with('}')
                && rest
                    .trim_start()
                    .trim_start_matches('\u{feff}')
                    .starts_with('{')
        }
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

/// Where the reviews read go: the one review builder, and what the envelope says.
struct Sink {
    builder: ReviewBuilder,
    source: Source,
    /// The JSON Lines line being read; `None` inside a JSON document.
    line: Option<usize>,
}

impl Sink {
    /// `lines`: JSON Lines, which has no envelope, so the `film` of its reviews is the film's
    /// title (as revue writes it for one document, and CSV too); in a JSON document with
    /// several films it is their labels, which may be file names.
    fn new(label: &str, lines: bool) -> Self {
        Self {
            builder: ReviewBuilder::new(lines),
            source: Source {
                label: label.to_string(),
                ..Source::default()
            },
            line: None,
        }
    }

    /// Where a warning about the review read next is: its line in JSON Lines, its number
    /// in a JSON document.
    fn place_warnings(&mut self, from: usize, review: usize) {
        let line = self.line;
        for warning in &mut self.builder.warnings[from..] {
            match line {
                Some(_) => warning.line = line,
                None => warning.message = format!("review {review}: {}", warning.message),
            }
        }
    }

    fn warn(&mut self, message: String) {
        let from = self.builder.warnings.len();
        self.builder.warn(message);
        self.place_warnings(from, self.builder.reviews.len() + 1);
        self.builder.bound_warnings();
    }

    /// Adds a review serde_json read, with its marks and labels.
    fn add_noted(&mut self, extra: &mut Extra, review: &SerdeReview<'_>, base: &[u8]) {
        let before = self.builder.reviews.len();
        self.add(extra, &review.raw(base));
        if self.builder.reviews.len() > before && (review.marked || !review.labels.is_empty()) {
            let labels: Vec<&str> = review.labels.iter().map(|l| &**l).collect();
            self.builder.note(&labels, review.marked);
        }
    }

    /// Adds a review.
    fn add(&mut self, extra: &mut Extra, raw: &RawReview<'_>) {
        let from = self.builder.warnings.len();
        let record = self.builder.reviews.len() + self.builder.empty + 1;
        if !self.builder.add(extra, raw) {
            self.builder
                .note_empty(self.line.unwrap_or(record), self.line.is_some());
        }
        self.place_warnings(from, self.builder.reviews.len());
        self.builder.bound_warnings();
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
                        let clean = sanitize_line(title.trim()).into_owned();
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
        while let Some(review) = seq.next_element::<SerdeReview<'de>>()? {
            self.sink.add_noted(self.extra, &review, self.base);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::fast::unescape_in_place;
    use super::*;

    /// What the fast reader makes of the first JSON Lines line of `text`, if it reads it,
    /// and where that line ends.
    fn fast_line(text: &str) -> Option<(String, usize)> {
        let mut fast = Fast::new(text.to_string());
        let (review, next) = fast.line(0)?;
        Some((format!("{:?}", fast.fields(&review).values()), next - 1))
    }

    fn fast_fields(line: &str) -> Option<String> {
        fast_line(line).map(|(fields, _)| fields)
    }

    /// What serde_json makes of it.
    fn serde_fields(line: &str) -> Option<String> {
        let review = serde_json::from_str::<SerdeReview<'_>>(line).ok()?;
        Some(format!("{:?}", review.raw(line.as_bytes()).values()))
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
        // A surrogate pair, as Python writes an emoji, is one character.
        let emoji = r#"{"title":"\ud83d\ude00 \uD83C\uDFAC"}"#;
        assert!(fast_fields(emoji).is_some_and(|f| f.contains("😀 🎬")));
        agrees(emoji);
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
            let text = crate::load::mangle(line, &pieces, &mut next);
            agrees(&text);
        }
    }

    /// Whether serde_json reads `text` as a document, and what it reads.
    fn serde_only(text: &str) -> (bool, String) {
        let mut store = StoreBuilder::new(text);
        let mut sink = Sink::new("x", false);
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
        let mut sink = Sink::new("x", false);
        let mut fast = Fast::new(text);
        let ok = fast.document(&mut sink, &mut extra).is_some();
        let store = fast.into_store(extra);
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
        let loaded = load(StoreBuilder::new(text), "x", &Options::default()).expect("loads");
        let doc = &loaded.document;
        let r = &doc.reviews[0];
        assert_eq!(doc.title(r), "A \"good\" one");
        assert_eq!(doc.body(r), "one\n\ntwo é/");
        assert_eq!(doc.permalink(r).as_deref(), Some("https://x/y"));
        // Everything lies in the document's own text: nothing went to the extra chunk.
        for t in [r.title, r.author, r.body, r.permalink] {
            assert_eq!(t.place().0, 0);
        }
        assert_eq!(doc.text_bytes(), text.len(), "the extra chunk is empty");
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
        let loaded = load(StoreBuilder::new(text), "x", &Options::default()).expect("loads");
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
        let err = load(StoreBuilder::new(broken), "x", &Options::default()).expect_err("bad JSON");
        assert!(matches!(err, LoadError::Syntax { line: 3, .. }), "{err}");
    }

    /// Reviews, warnings and source of a sink, as text.
    fn describe(sink: &Sink, store: &crate::model::Store) -> String {
        let reviews: Vec<String> = sink
            .builder
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
        format!("{reviews:?} {:?} {:?}", sink.builder.warnings, sink.source)
    }
}
