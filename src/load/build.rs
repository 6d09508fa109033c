//! The one review builder every loader of field-shaped data (JSON, JSON Lines, CSV) calls:
//! raw values by [`Field`] in, a [`Review`] out. It reads each value by the field's kind,
//! warns about a bad one in one wording whatever the format, keeps the text where it lies
//! in the document (no copy) unless it had to change, and gives each film its own source.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Warning, normalize_body, parse_count, shifted};
use crate::model::schema::{Field, Kind};
use crate::model::{Date, Document, Extra, Review, Source, Store, TextRef};
use crate::sanitize::sanitize;

/// One raw value, as a reader found it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Raw<'t> {
    /// Absent, or null.
    #[default]
    Missing,
    Text(&'t str),
    /// A whole number, as JSON gives it (wide enough for any `u64` or `i64`).
    Int(i128),
    Flag(bool),
}

/// The raw values of one review, by field, and where each text lies in the document's text
/// when it does (see [`Extra::keep`]), so that it is kept there and not copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawReview<'t> {
    values: [Raw<'t>; Field::COUNT],
    places: [Option<usize>; Field::COUNT],
}

impl<'t> RawReview<'t> {
    pub fn set(&mut self, field: Field, value: Raw<'t>) {
        self.values[field as usize] = value;
    }

    /// Sets a text value that lies at `place` in the document's text, if it does.
    pub fn set_text(&mut self, field: Field, text: &'t str, place: Option<usize>) {
        self.values[field as usize] = Raw::Text(text);
        self.places[field as usize] = place;
    }

    /// The values, by field, without where they lie (for comparing two readings).
    #[cfg(test)]
    #[must_use]
    pub fn values(&self) -> &[Raw<'t>; Field::COUNT] {
        &self.values
    }

    #[must_use]
    pub fn get(&self, field: Field) -> Raw<'t> {
        self.values[field as usize]
    }
}

/// Reviews built so far, their warnings, and the films they name.
#[derive(Debug, Default)]
pub struct ReviewBuilder {
    pub reviews: Vec<Review>,
    /// Warnings without a line: the reader knows where the review was and adds it.
    pub warnings: Vec<Warning>,
    films: Films,
    /// A film named on a review is its title, not only a label (CSV: an export of one
    /// document writes the film's title there).
    film_is_title: bool,
}

impl ReviewBuilder {
    /// A builder; `film_is_title` says whether a film a review names is that film's title.
    #[must_use]
    pub fn new(film_is_title: bool) -> Self {
        Self {
            film_is_title,
            ..Self::default()
        }
    }

    /// Records a warning about the review being read; its reader adds where it was.
    pub fn warn(&mut self, message: String) {
        self.warnings.push(Warning {
            line: None,
            message,
        });
    }

    /// Adds the review `raw` holds.
    pub fn add(&mut self, extra: &mut Extra, raw: &RawReview<'_>) {
        // Read in the order of the fields, so warnings come in the order of the columns.
        let rating = self.read(raw, Field::Rating).map(|n| n as u8);
        let date = self.read_date(raw);
        let spoiler = self.read(raw, Field::Spoiler) == Some(1);
        let helpful = self.read(raw, Field::Helpful).unwrap_or(0);
        let not_helpful = self.read(raw, Field::NotHelpful).unwrap_or(0);
        let film = match raw.get(Field::Film) {
            Raw::Text(text) => Some(text),
            _ => None,
        };
        let source = self.films.source_for(film);
        let year = self.read(raw, Field::FilmYear).map(|n| n as u16);
        let review_count = self.read(raw, Field::FilmReviewCount);
        let film = self.films.source_mut(source);
        if self.film_is_title && source != 0 && film.title.is_none() {
            film.title = Some(film.label.clone());
        }
        // Every row of a film repeats its year and count; the first row that gives one wins.
        film.year = film.year.or(year);
        film.review_count = film.review_count.or(review_count);

        let text = |field: Field, extra: &mut Extra| {
            let place = raw.places[field as usize];
            match (raw.get(field), field.kind()) {
                (Raw::Text(t), Kind::Body) => keep_body(extra, t, place),
                (Raw::Text(t), _) => keep_line(extra, t, place),
                _ => TextRef::EMPTY,
            }
        };
        let review = Review {
            rating,
            spoiler,
            source,
            date,
            helpful,
            not_helpful,
            title: text(Field::Title, extra),
            author: text(Field::Author, extra),
            body: text(Field::Body, extra),
            permalink: text(Field::Permalink, extra),
        };
        self.reviews.push(review);
    }

    /// A number-like value of `field` read by its kind: a rating (1 to 10), a flag (0 or
    /// 1), a count or a year; `None` when absent, or when bad, with a warning.
    fn read(&mut self, raw: &RawReview<'_>, field: Field) -> Option<u64> {
        let kind = field.kind();
        let value = match raw.get(field) {
            Raw::Missing => return None,
            Raw::Flag(flag) if kind == Kind::Flag => return Some(u64::from(flag)),
            Raw::Flag(_) => None,
            Raw::Int(n) => u64::try_from(n).ok(),
            Raw::Text(text) => {
                let text = text.trim();
                if text.is_empty() {
                    return None;
                }
                match kind {
                    Kind::Rating => text.strip_suffix("/10").unwrap_or(text).parse().ok(),
                    Kind::Flag => flag_word(text),
                    Kind::Year => text.parse::<u16>().ok().map(u64::from),
                    _ => parse_count(text).and_then(|(n, overflow)| (!overflow).then_some(n)),
                }
            }
        };
        let (valid, problem) = match kind {
            Kind::Rating => (
                value.filter(|n| (1..=10).contains(n)),
                "is not from 1 to 10; left empty",
            ),
            Kind::Flag => (value, "is not true or false; read as false"),
            Kind::Year => (
                value.filter(|&n| u16::try_from(n).is_ok()),
                "is not a year; left empty",
            ),
            Kind::Count => (value, "is not a count; read as 0"),
            _ => (value, "is not a count; left empty"),
        };
        if valid.is_none() {
            // Only a bad value is written out: reading a good one allocates nothing.
            let shown = match raw.get(field) {
                Raw::Text(text) if kind == Kind::Flag => {
                    format!("{:?}", sanitize(&text.trim().to_ascii_lowercase()))
                }
                Raw::Text(text) => format!("{:?}", sanitize(text.trim())),
                Raw::Int(n) => n.to_string(),
                Raw::Flag(flag) => flag.to_string(),
                Raw::Missing => String::new(),
            };
            self.warn(format!("{} {shown} {problem}", field.name()));
        }
        valid
    }

    fn read_date(&mut self, raw: &RawReview<'_>) -> Option<Date> {
        let text = match raw.get(Field::Date) {
            Raw::Missing => return None,
            Raw::Text(text) => text.trim(),
            Raw::Int(_) | Raw::Flag(_) => "",
        };
        if text.is_empty() {
            return None;
        }
        let date = Date::parse_iso(text);
        if date.is_none() {
            self.warn(format!(
                "date {:?} is not YYYY-MM-DD; left empty",
                sanitize(text)
            ));
        }
        date
    }

    /// The document: the reviews, with `own` as the source of those that name no film.
    #[must_use]
    pub fn into_document(self, own: Source, store: Store) -> (Document, Vec<Warning>) {
        (
            self.films.into_document(own, self.reviews, store),
            self.warnings,
        )
    }
}

/// A spoiler flag written as a word: `true`, `yes` or `1`, or `false`, `no` or `0`.
fn flag_word(text: &str) -> Option<u64> {
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if is("false") || is("no") || is("0") {
        Some(0)
    } else if is("true") || is("yes") || is("1") {
        Some(1)
    } else {
        None
    }
}

/// The sources of a document whose reviews may name their film (the `film` field revue
/// writes when several documents were open, and always in CSV): one source per distinct film,
/// in order of first appearance, plus the document's own source for reviews that name none.
/// Loading such an export back therefore gives the same per-film view it was written from.
#[derive(Debug, Default)]
pub(super) struct Films {
    /// The films named so far: `named[i]` is source index `i + 1`.
    named: Vec<Source>,
    index: HashMap<String, u16>,
    /// Whether any review named no film and so belongs to the document's own source.
    own_used: bool,
    /// What the reviews said about the document's own film (a CSV's film columns on rows that
    /// name no film), for what the document itself does not say.
    own: Source,
}

impl Films {
    /// The source index for a review naming `film`, counting the document's own source as 0;
    /// [`Films::into_document`] renumbers when that one turns out unused. A review naming no
    /// film (or more films than a source index can count) belongs to the document's own.
    pub(super) fn source_for(&mut self, film: Option<&str>) -> u16 {
        let film = film.map(str::trim).unwrap_or_default();
        if film.is_empty() {
            self.own_used = true;
            return 0;
        }
        let label = sanitize(film);
        if let Some(&i) = self.index.get(label.as_ref()) {
            return i;
        }
        match u16::try_from(self.named.len() + 1) {
            Ok(i) if i < u16::MAX => {
                self.named.push(Source {
                    label: label.to_string(),
                    ..Source::default()
                });
                self.index.insert(label.into_owned(), i);
                i
            }
            _ => {
                self.own_used = true;
                0
            }
        }
    }

    /// The source at `index` from [`Films::source_for`], for a loader to record what the
    /// reviews say about that film (0 is what they say about the document's own).
    pub(super) fn source_mut(&mut self, index: u16) -> &mut Source {
        match index
            .checked_sub(1)
            .and_then(|i| self.named.get_mut(usize::from(i)))
        {
            Some(source) => source,
            None => &mut self.own,
        }
    }

    /// The document, with `own` as its only source when no review named a film.
    pub(super) fn into_document(
        self,
        mut own: Source,
        mut reviews: Vec<Review>,
        store: Store,
    ) -> Document {
        // The document's own word on its film comes first; the reviews' fills the gaps.
        own.title = own.title.or(self.own.title);
        own.year = own.year.or(self.own.year);
        own.review_count = own.review_count.or(self.own.review_count);
        if self.named.is_empty() {
            return Document::new(own, reviews, store);
        }
        let mut sources = Vec::with_capacity(self.named.len() + 1);
        if self.own_used {
            sources.push(own);
        } else {
            for review in &mut reviews {
                review.source = review.source.saturating_sub(1);
            }
        }
        sources.extend(self.named);
        let mut document = Document::new(Source::default(), reviews, store);
        document.sources = sources;
        document
    }
}

/// A one-line field read by a loader that borrows from its input: trimmed and sanitized,
/// referenced where it lies in the input (`at`, see [`Extra::keep`]) when that changed
/// nothing, else copied into `extra`.
pub(crate) fn keep_line(extra: &mut Extra, text: &str, at: Option<usize>) -> TextRef {
    match sanitize(text.trim()) {
        Cow::Borrowed(clean) => extra.keep(shifted(at, text, clean), clean),
        Cow::Owned(clean) => extra.push(&clean),
    }
}

/// A body read the same way: sanitized and normalized, referenced in place when unchanged.
pub(crate) fn keep_body(extra: &mut Extra, text: &str, at: Option<usize>) -> TextRef {
    let clean = sanitize(text);
    match (&clean, normalize_body(&clean)) {
        (Cow::Borrowed(_), Cow::Borrowed(normal)) => extra.keep(shifted(at, text, normal), normal),
        (_, normal) => extra.push(&normal),
    }
}
