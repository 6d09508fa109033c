//! Loader for revue's own JSON document and JSON Lines (FORMATS.md §3).
//!
//! Strings are borrowed from the input wherever they need no unescaping or sanitizing, so a
//! loaded JSON document mostly points into the file's own bytes. The review array is read
//! one element at a time, never collected first.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Films, LoadError, Loaded, Warning, normalize_body};
use crate::model::{Date, Extra, Review, Source, StoreBuilder, TextRef};
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

/// Parses a JSON document (`{...}` envelope or a bare `[...]` array of reviews) or JSON Lines.
///
/// # Errors
/// A JSON document that is not valid JSON of that shape; JSON Lines only warn per bad line.
pub fn load(mut store: StoreBuilder, label: &str) -> Result<Loaded, LoadError> {
    let mut sink = Sink {
        reviews: Vec::new(),
        warnings: Vec::new(),
        source: Source {
            label: label.to_string(),
            ..Source::default()
        },
        line: None,
        films: Films::default(),
    };
    let (base, extra) = store.parts();
    if is_json_lines(base) {
        for (i, line) in base.split('\n').enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            sink.line = Some(i + 1);
            match serde_json::from_str::<RawReview<'_>>(line) {
                Ok(raw) => sink.add(base, extra, &raw),
                Err(err) => sink.warn(format!("not a review: {}", error_text(&err))),
            }
        }
    } else {
        let mut de = serde_json::Deserializer::from_str(base);
        let seed = DocumentSeed {
            sink: &mut sink,
            base,
            extra,
        };
        seed.deserialize(&mut de)
            .and_then(|()| de.end())
            .map_err(|err| LoadError::Syntax {
                line: err.line(),
                message: format!("invalid JSON: {}", error_text(&err)),
            })?;
    }
    Ok(Loaded {
        document: sink
            .films
            .into_document(sink.source, sink.reviews, store.finish()),
        warnings: sink.warnings,
    })
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

    fn add(&mut self, base: &str, extra: &mut Extra, raw: &RawReview<'_>) {
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
        let date = match raw.date.as_deref().map(str::trim) {
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
            .as_ref()
            .map_or(TextRef::EMPTY, |p| keep_line(base, extra, p));
        self.reviews.push(Review {
            rating,
            spoiler: raw.spoiler,
            source: self.films.source_for(raw.film.as_deref()),
            date,
            helpful: raw.helpful,
            not_helpful: raw.not_helpful,
            title: keep_line(base, extra, &raw.title),
            author: keep_line(base, extra, &raw.author),
            body: keep_body(base, extra, &raw.body),
            permalink,
        });
    }
}

/// A one-line field: trimmed, sanitized, referenced in place when unchanged.
fn keep_line(base: &str, extra: &mut Extra, text: &str) -> TextRef {
    let text = text.trim();
    match sanitize(text) {
        Cow::Borrowed(clean) => extra.keep(base, clean),
        Cow::Owned(clean) => extra.push(&clean),
    }
}

/// A body: sanitized and normalized, referenced in place when unchanged.
fn keep_body(base: &str, extra: &mut Extra, text: &str) -> TextRef {
    let clean = sanitize(text);
    match (&clean, normalize_body(&clean)) {
        (Cow::Borrowed(_), Cow::Borrowed(normal)) => extra.keep(base, normal),
        (_, normal) => extra.push(&normal),
    }
}

/// Reads the top level: an envelope object, or a bare array of reviews.
struct DocumentSeed<'s, 'de> {
    sink: &'s mut Sink,
    base: &'de str,
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
    base: &'de str,
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
            self.sink.add(self.base, self.extra, &raw);
        }
        Ok(())
    }
}
