//! The one review builder every loader of field-shaped data (JSON, JSON Lines, CSV) calls:
//! raw values by [`Field`] in, a [`Review`] out. It reads each value by the field's kind,
//! warns about a bad one in one wording whatever the format, keeps the text where it lies
//! in the document (no copy) unless it had to change, and gives each film its own source.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Warning, WarningLog, convert, normalize_body, parse_count, shifted};
use crate::model::schema::{Field, Kind};
use crate::model::{
    DEFAULT_SCALE, Date, Document, Extra, Rating, Reply, Review, Source, Store, TextRef, Verdict,
};
use crate::sanitize::{sanitize, sanitize_line};

/// One raw value, as a reader found it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Raw<'t> {
    /// Absent, or null.
    #[default]
    Missing,
    Text(&'t str),
    /// A whole number, as JSON gives it.
    Int(i64),
    /// A whole number above `i64::MAX` (a `u64` count). Apart from [`Raw::Int`] so that a
    /// raw value stays 24 bytes: a review's raw values are written for every record read.
    Large(u64),
    /// A number with a fraction (`3.5`, `4.0`).
    Float(f64),
    /// A point in time in Unix seconds, as a column typed as a time holds it (Parquet's
    /// timestamps and dates): a date whatever its digits, where a plain number is read by
    /// the rule its digits follow as text (see `read_date`). Anywhere else, a number.
    Time(i64),
    Flag(bool),
    /// Two whole numbers in a list: Amazon's `"helpful": [helpful, total]`.
    Pair(i64, i64),
}

/// The raw values of one review, by field, and where each text lies in the document's text
/// when it does (see [`Extra::keep`]), so that it is kept there and not copied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawReview<'t> {
    values: [Raw<'t>; Field::COUNT],
    /// [`NOWHERE`] for text that lies nowhere in the document's text.
    places: [usize; Field::COUNT],
}

/// The place of text that is not in the document's text.
const NOWHERE: usize = usize::MAX;

impl Default for RawReview<'_> {
    fn default() -> Self {
        Self {
            values: [Raw::Missing; Field::COUNT],
            places: [NOWHERE; Field::COUNT],
        }
    }
}

impl<'t> RawReview<'t> {
    pub fn set(&mut self, field: Field, value: Raw<'t>) {
        self.values[field as usize] = value;
    }

    /// Sets a text value that lies at `place` in the document's text, if it does.
    pub fn set_text(&mut self, field: Field, text: &'t str, place: Option<usize>) {
        self.values[field as usize] = Raw::Text(text);
        self.places[field as usize] = place.unwrap_or(NOWHERE);
    }

    /// Sets the reply to the review.
    pub fn set_reply(&mut self, text: &'t str) {
        self.set_text(Field::Reply, text, None);
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

/// How the values of a document are read: revue's own, or data from elsewhere (whose
/// bodies may hold HTML or bytes literals, whose ratings may be on another scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Data from elsewhere, read through a mapping (FORMATS.md §4).
    pub foreign: bool,
    /// The scale of ratings that do not say theirs.
    pub scale: u8,
    /// Nothing says the scale: ratings are read on [`GUESS_SCALE`], and the scale is the
    /// smallest usual one (5, 10, 100) that holds them all once the document is read.
    pub guess: bool,
    /// What the reviews are about, when not films (see [`Source::subject`]).
    pub subject: Option<&'static str>,
    /// The scale guessed for the pieces of the document read before (0: none yet), which
    /// a later piece keeps to unless its ratings go past it: a piece whose ratings all
    /// happen to be 5 or below must not put them out of 5 when the document's are out of
    /// 10 (see [`ReviewBuilder::settle_scale`]).
    pub floor: u8,
}

/// The scale ratings are read on while their scale is being guessed.
const GUESS_SCALE: u8 = 100;

impl Default for Reading {
    fn default() -> Self {
        Self {
            foreign: false,
            scale: DEFAULT_SCALE,
            guess: false,
            subject: None,
            floor: 0,
        }
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
    reading: Reading,
    /// Records that held nothing of a review (no text, title, rating or verdict), skipped;
    /// the reader places each with [`ReviewBuilder::note_empty`].
    pub empty: usize,
    /// What was wrong with the first of them, and whether the reader has placed it.
    first_problem: Option<Warning>,
    problem_placed: bool,
    /// Keeps the warnings of millions of bad records bounded (see [`WarningLog`]).
    log: WarningLog,
    /// The replies read, each with its review's body (see [`Document::reply`]).
    replies: Vec<(TextRef, Reply)>,
    /// The sources (by index, as [`Films`] numbers them) of which some review has votes.
    voted: std::collections::HashSet<u16>,
    /// The marks and labels of revue's own exports read back: review, labels, marked.
    notes: Vec<(usize, Vec<String>, bool)>,
}

impl ReviewBuilder {
    /// A builder; `film_is_title` says whether a film a review names is that film's title (a
    /// CSV's or JSON Lines' `film` column: a film's name, as revue writes it for one document
    /// and as people's own files hold it; a document with no title of its own, exported with
    /// others, is named there by its file name, which then reads back as its title).
    #[must_use]
    pub fn new(film_is_title: bool) -> Self {
        Self {
            film_is_title,
            ..Self::default()
        }
    }

    /// Reads values the way `reading` says.
    #[must_use]
    pub fn reading(mut self, reading: Reading) -> Self {
        self.reading = reading;
        self
    }

    /// Bounds the warnings kept so far; the reader calls it between records, once it has
    /// placed their warnings.
    pub fn bound_warnings(&mut self) {
        self.log.bound(&mut self.warnings);
    }

    /// Records a warning about the review being read; its reader adds where it was.
    pub fn warn(&mut self, message: String) {
        self.warnings.push(Warning {
            line: None,
            message,
        });
    }

    /// Adds the review `raw` holds; false when it held nothing of a review and was skipped
    /// (counted in [`ReviewBuilder::empty`]).
    pub fn add(&mut self, extra: &mut Extra, raw: &RawReview<'_>) -> bool {
        let before = self.warnings.len();
        // Read in the order of the fields, so warnings come in the order of the columns.
        let rating = self.read_rating(raw);
        let verdict = match raw.get(Field::Verdict) {
            Raw::Missing => None,
            _ => self.read_verdict(raw),
        };
        let date = self.read_date(raw);
        let spoiler = self.read(raw, Field::Spoiler) == Some(1);
        let (helpful, not_helpful) = self.read_votes(raw);
        let film = match raw.get(Field::Film) {
            Raw::Text(text) => Some(text),
            _ => None,
        };
        let year = self.read(raw, Field::FilmYear).map(|n| n as u16);
        self.warn_about_text_that_is_not(raw);
        let text =
            |field: Field| matches!(raw.get(field), Raw::Text(_)) && has_value(raw.get(field));
        // Data from elsewhere: a record with nothing of a review. revue's own data keeps
        // every review it wrote, whatever it lacks (a round trip gives back what was
        // written, and revue always writes `spoiler` and `helpful`), but a record with none
        // of its fields at all (`{}`, `{"x": 1}`) is not one.
        let nothing = if self.reading.foreign {
            rating.is_none() && verdict.is_none() && !text(Field::Title) && !text(Field::Body)
        } else {
            Field::ALL.iter().all(|&f| raw.get(f) == Raw::Missing)
        };
        if nothing {
            // Not a review: counted once, not one warning per record; the first one's
            // problem is kept, as the reason when no record at all is a review.
            if self.first_problem.is_none() && self.warnings.len() > before {
                self.first_problem = Some(self.warnings.swap_remove(before));
            }
            self.warnings.truncate(before);
            self.empty += 1;
            return false;
        }
        let review_count = self.read(raw, Field::FilmReviewCount);
        let source = self.film_of(film, year, review_count);
        if has_value(raw.get(Field::Helpful)) || has_value(raw.get(Field::NotHelpful)) {
            self.voted.insert(source);
        }
        let foreign = self.reading.foreign;

        let text = |field: Field, extra: &mut Extra| {
            let place = Some(raw.places[field as usize]).filter(|&p| p != NOWHERE);
            let Raw::Text(t) = raw.get(field) else {
                return TextRef::EMPTY;
            };
            if !foreign {
                return match field {
                    Field::Body => keep_body(extra, t, place),
                    _ => keep_line(extra, t, place),
                };
            }
            let converted = match field {
                Field::Title | Field::Body if foreign => convert::body(t),
                _ => Cow::Borrowed(t),
            };
            let (t, place) = match &converted {
                Cow::Borrowed(t) => (*t, place),
                Cow::Owned(t) => (t.as_str(), None),
            };
            match field.kind() {
                Kind::Body => keep_body(extra, t, place),
                _ => keep_line(extra, t, place),
            }
        };
        let reply = self.read_reply(raw, extra);
        let mut body = text(Field::Body, extra);
        if reply.is_some() && body.is_empty() {
            body = extra.unique_empty();
        }
        if let Some(reply) = reply {
            self.replies.push((body, reply));
        }
        let review = Review {
            rating,
            verdict,
            spoiler,
            down_votes_known: not_helpful.is_some(),
            source,
            date,
            helpful,
            not_helpful: not_helpful.unwrap_or(0),
            title: text(Field::Title, extra),
            author: text(Field::Author, extra),
            body,
            permalink: text(Field::Permalink, extra),
        };
        self.reviews.push(review);
        true
    }

    /// The votes: a `[helpful, total]` pair (Amazon's, also as a CSV writes it), Steam's
    /// sentence (`2 of 3 people (67%) found this review helpful`), or counts.
    fn read_votes(&mut self, raw: &RawReview<'_>) -> (u64, Option<u64>) {
        match raw.get(Field::Helpful) {
            Raw::Pair(up, total) => self.read_pair(up, total),
            Raw::Text(text) if let Some((up, total)) = convert::pair_text(text) => {
                self.read_pair(up, total)
            }
            Raw::Text(text) if convert::no_votes_text(text) => (0, Some(0)),
            _ => (
                self.read(raw, Field::Helpful).unwrap_or(0),
                self.read(raw, Field::NotHelpful),
            ),
        }
    }

    /// revue's own readers give text fields text; data from elsewhere may not.
    fn warn_about_text_that_is_not(&mut self, raw: &RawReview<'_>) {
        if !self.reading.foreign {
            return;
        }
        for field in [Field::Title, Field::Author, Field::Body, Field::Permalink] {
            if let value @ (Raw::Int(_)
            | Raw::Time(_)
            | Raw::Large(_)
            | Raw::Float(_)
            | Raw::Flag(_)
            | Raw::Pair(..)) = raw.get(field)
            {
                let shown = shown(value, false);
                self.warn(format!("{} {shown} is not text; left empty", field.name()));
            }
        }
    }

    /// The source of a review naming `film` (of `year`, whose page counts `review_count`
    /// reviews), with what the review says of the film kept in it.
    fn film_of(&mut self, film: Option<&str>, year: Option<u16>, review_count: Option<u64>) -> u16 {
        let foreign = self.reading.foreign;
        let source = match (film, year) {
            // Data from elsewhere names a film with its year apart (Letterboxd): two films
            // of one name are two films.
            (Some(name), Some(year)) if foreign && !name.trim().is_empty() => self
                .films
                .source_for(Some(&format!("{} ({year})", name.trim()))),
            _ => self.films.source_for(film),
        };
        let film = self.films.source_mut(source);
        if (self.film_is_title || foreign) && source != 0 && film.title.is_none() {
            film.title = Some(match (foreign, year) {
                (true, Some(_)) => film
                    .label
                    .rsplit_once(" (")
                    .map_or_else(|| film.label.clone(), |(title, _)| title.to_string()),
                _ => film.label.clone(),
            });
        }
        if source != 0 {
            film.subject = self.reading.subject;
        }
        // Every row of a film repeats its year and count; the first row that gives one wins.
        film.year = film.year.or(year);
        film.review_count = film.review_count.or(review_count);
        source
    }

    /// The reply to a review, where it has one: its text (the `body` of an app-store-scraper
    /// dict, HTML made plain) and its date (the reply's own field, or the dict's
    /// `modified`).
    fn read_reply(&mut self, raw: &RawReview<'_>, extra: &mut Extra) -> Option<Reply> {
        let Raw::Text(text) = raw.get(Field::Reply) else {
            return None;
        };
        let clean = if self.reading.foreign {
            convert::reply(text)
        } else {
            Cow::Borrowed(text)
        };
        if clean.trim().is_empty() {
            return None;
        }
        let date = match raw.get(Field::ReplyDate) {
            Raw::Missing => {
                convert::reply_date(text).and_then(|d| convert::date_text(&d).ok().flatten())
            }
            Raw::Text(d) => {
                if let Ok(date) = convert::date_text(d) {
                    date
                } else {
                    self.warn(format!(
                        "reply_date {} is not a date; left empty",
                        shown(Raw::Text(d), true)
                    ));
                    None
                }
            }
            // One rule for a number and its text (see `read_date`).
            Raw::Int(n) => convert::date_text(&n.to_string()).ok().flatten(),
            Raw::Time(seconds) => convert::unix_date(seconds),
            _ => None,
        };
        let place = Some(raw.places[Field::Reply as usize]).filter(|&p| p != NOWHERE);
        let text = match &clean {
            Cow::Borrowed(t) => keep_body(extra, t, place),
            Cow::Owned(t) => keep_body(extra, t, None),
        };
        Some(Reply { text, date })
    }

    /// A rating on its scale: the review's own scale where it gives one, else the
    /// document's; a bad one is left empty with a warning.
    fn read_rating(&mut self, raw: &RawReview<'_>) -> Option<Rating> {
        // revue's own data, the common case: a whole number on the document's scale.
        if let (Raw::Missing, false) = (raw.get(Field::RatingScale), self.reading.guess) {
            let whole = match raw.get(Field::Rating) {
                Raw::Missing => return None,
                Raw::Int(n) => u8::try_from(n).ok(),
                Raw::Text(text) => text.parse::<u8>().ok(),
                _ => None,
            };
            if let Some(rating) = whole.and_then(|n| Rating::of_whole(n, self.reading.scale)) {
                return Some(rating);
            }
        }
        self.read_any_rating(raw)
    }

    /// [`ReviewBuilder::read_rating`] for any value and scale.
    #[cold]
    fn read_any_rating(&mut self, raw: &RawReview<'_>) -> Option<Rating> {
        let explicit = self
            .read(raw, Field::RatingScale)
            .and_then(|n| u8::try_from(n).ok());
        let guess = self.reading.guess && explicit.is_none();
        let scale = match explicit {
            Some(scale) => scale,
            None if guess => GUESS_SCALE,
            None => self.reading.scale,
        };
        #[allow(clippy::cast_precision_loss)]
        let read = match raw.get(Field::Rating) {
            Raw::Missing => return None,
            Raw::Int(n) | Raw::Time(n) => convert::rating_number(n as f64, scale).map(Some),
            Raw::Large(n) => convert::rating_number(n as f64, scale).map(Some),
            Raw::Float(x) => convert::rating_number(x, scale).map(Some),
            Raw::Text(text) => convert::rating_text(text, scale),
            Raw::Flag(_) | Raw::Pair(..) => Err(scale),
        };
        // Half a star is no rating out of 100, but is one out of 5.
        #[allow(clippy::cast_precision_loss)]
        let read = match (read, raw.get(Field::Rating)) {
            (Err(_), Raw::Float(x)) if guess && (x - 0.5).abs() < f64::EPSILON => {
                Ok(Rating::new(x, 5))
            }
            (Err(_), Raw::Text(t)) if guess && t.trim() == "0.5" => Ok(Rating::new(0.5, 5)),
            (read, _) => read,
        };
        read.unwrap_or_else(|scale| {
            let (low, high) = Rating::range(scale);
            let value = raw.get(Field::Rating);
            let numeric = match value {
                Raw::Text(t) => {
                    let t = t.trim();
                    t.contains('/') || t.replace(',', ".").parse::<f64>().is_ok()
                }
                Raw::Int(_) | Raw::Time(_) | Raw::Large(_) | Raw::Float(_) => true,
                _ => false,
            };
            let shown = shown(value, false);
            self.warn(if numeric {
                format!("rating {shown} is not from {low} to {high}; left empty")
            } else {
                format!("rating {shown} is not a rating; left empty")
            });
            None
        })
    }

    fn read_verdict(&mut self, raw: &RawReview<'_>) -> Option<Verdict> {
        let read = match raw.get(Field::Verdict) {
            Raw::Missing => return None,
            Raw::Flag(flag) => Ok(Some(if flag {
                Verdict::Positive
            } else {
                Verdict::Negative
            })),
            Raw::Int(n) | Raw::Time(n) => convert::verdict_number(n).map(Some),
            Raw::Text(text) => convert::verdict_text(text),
            Raw::Large(_) | Raw::Float(_) | Raw::Pair(..) => Err(convert::Unreadable),
        };
        read.unwrap_or_else(|convert::Unreadable| {
            let shown = shown(raw.get(Field::Verdict), false);
            self.warn(format!(
                "verdict {shown} is not positive or negative; left empty"
            ));
            None
        })
    }

    /// Votes given as `[helpful, total]`.
    fn read_pair(&mut self, up: i64, total: i64) -> (u64, Option<u64>) {
        match (u64::try_from(up), u64::try_from(total)) {
            (Ok(up), Ok(total)) if up <= total => (up, Some(total - up)),
            _ => {
                self.warn(format!(
                    "helpful [{up}, {total}] is not [helpful, total] votes; read as 0"
                ));
                (0, None)
            }
        }
    }

    /// A number-like value of `field` read by its kind: a flag (0 or 1), a count, a year or
    /// a scale; `None` when absent, or when bad, with a warning.
    fn read(&mut self, raw: &RawReview<'_>, field: Field) -> Option<u64> {
        let kind = field.kind();
        let value = match raw.get(field) {
            Raw::Missing => return None,
            Raw::Flag(flag) if kind == Kind::Flag => return Some(u64::from(flag)),
            Raw::Flag(_) | Raw::Pair(..) => None,
            Raw::Int(n) | Raw::Time(n) => u64::try_from(n).ok(),
            Raw::Large(n) => Some(n),
            // `12.0` as a count; anything else with a fraction is no count.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Raw::Float(x) => (x >= 0.0 && x.fract() == 0.0 && x < 1e18).then_some(x as u64),
            Raw::Text(text) => {
                let text = text.trim();
                if text.is_empty() {
                    return None;
                }
                match kind {
                    Kind::Flag => flag_word(text),
                    Kind::Year | Kind::Scale => text.parse::<u16>().ok().map(u64::from),
                    _ if self.reading.foreign => convert::count_text(text),
                    _ => parse_count(text).and_then(|(n, overflow)| (!overflow).then_some(n)),
                }
            }
        };
        let (valid, problem) = match kind {
            Kind::Flag => (value, "is not true or false; read as false"),
            Kind::Year => (
                value.filter(|&n| u16::try_from(n).is_ok()),
                "is not a year; left empty",
            ),
            Kind::Scale => (
                value.filter(|n| (1..=100).contains(n)),
                "is not a rating scale from 1 to 100; ignored",
            ),
            Kind::Count => (value, "is not a count; read as 0"),
            _ => (value, "is not a count; left empty"),
        };
        if valid.is_none() {
            // Only a bad value is written out: reading a good one allocates nothing.
            let shown = shown(raw.get(field), kind == Kind::Flag);
            self.warn(format!("{} {shown} {problem}", field.name()));
        }
        valid
    }

    fn read_date(&mut self, raw: &RawReview<'_>) -> Option<Date> {
        let read = match raw.get(Field::Date) {
            Raw::Missing => return None,
            Raw::Text(text) => match Date::parse_iso(text.trim()) {
                Some(date) => Ok(Some(date)),
                None => convert::date_text(text),
            },
            // A number is read as its digits are as text: `20170203` a day, nine digits or
            // more a Unix time, fewer (a year alone, `0`) no date, warned about.
            Raw::Int(n) => convert::date_text(&n.to_string()),
            Raw::Time(seconds) => convert::unix_date(seconds)
                .map(Some)
                .ok_or(convert::Unreadable),
            // Unix seconds as a float, as Python's `time.time()` and pandas write them.
            #[allow(clippy::cast_possible_truncation)]
            Raw::Float(x) if x.is_finite() && (1e8..1e15).contains(&x.abs()) => {
                convert::unix_date(x.floor() as i64)
                    .map(Some)
                    .ok_or(convert::Unreadable)
            }
            Raw::Large(_) | Raw::Float(_) | Raw::Flag(_) | Raw::Pair(..) => {
                Err(convert::Unreadable)
            }
        };
        read.unwrap_or_else(|convert::Unreadable| {
            let shown = shown(raw.get(Field::Date), false);
            self.warn(format!(
                "date {shown} is not a date like 2020-02-03 or 3 February 2020; left empty"
            ));
            None
        })
    }

    /// Notes where a record [`ReviewBuilder::add`] skipped was, in a warning of its own that
    /// the log counts with the others like it (and the pieces of a document read on their
    /// own are counted together). `lines` says whether `at` is a line (else a record's
    /// number).
    pub fn note_empty(&mut self, at: usize, lines: bool) {
        const SKIPPED: &str = "no text, title, rating or verdict: not a review; skipped";
        self.warnings.push(if lines {
            Warning {
                line: Some(at),
                message: SKIPPED.into(),
            }
        } else {
            Warning {
                line: None,
                message: format!("review {at}: {SKIPPED}"),
            }
        });
        if let Some(problem) = self.first_problem.as_mut().filter(|_| !self.problem_placed) {
            if lines {
                problem.line = Some(at);
            } else {
                problem.message = format!("record {at}: {}", problem.message);
            }
            self.problem_placed = true;
        }
    }

    /// The scale of the ratings read while guessing it: the smallest usual scale that holds
    /// them all; the ratings are put on it. `None` when the scale was not guessed.
    pub fn settle_scale(&mut self) -> Option<u8> {
        if !self.reading.guess {
            return None;
        }
        let guessed = |r: &Review| r.rating.filter(|r| r.scale() == GUESS_SCALE);
        let top = self
            .reviews
            .iter()
            .filter_map(guessed)
            .map(Rating::value)
            .fold(0.0, f64::max);
        let fits = if top <= 5.0 {
            5
        } else if top <= 10.0 {
            10
        } else {
            GUESS_SCALE
        };
        let floor = self.reading.floor;
        if floor > 0 && fits > floor {
            // The pieces before put their ratings on a smaller scale: they and these now
            // disagree, which only the user can settle.
            self.warnings.push(Warning {
                line: None,
                message: format!(
                    "ratings further on go up to {top}, past the scale of {floor} guessed \
                     from the ratings before them; set --rating-scale to read them all alike"
                ),
            });
        }
        let scale = fits.max(floor);
        for review in &mut self.reviews {
            if let Some(rating) = guessed(review) {
                review.rating = Rating::new(rating.value(), scale).or(Some(rating));
            }
        }
        Some(scale)
    }

    /// Gives the review added last the marks and labels a revue export wrote for it
    /// (FORMATS.md §6); label names are sanitized as all text is, and cut to a line.
    pub fn note(&mut self, labels: &[&str], marked: bool) {
        let Some(i) = self.reviews.len().checked_sub(1) else {
            return;
        };
        let labels: Vec<String> = labels
            .iter()
            .map(|l| crate::sanitize::sanitize_line(l.trim()).into_owned())
            .filter(|l| !l.is_empty())
            .map(|l| crate::model::truncate_to_boundary(&l, 200).to_string())
            .collect();
        if marked || !labels.is_empty() {
            self.notes.push((i, labels, marked));
        }
    }

    /// The document: the reviews, with `own` as the source of those that name no film.
    #[must_use]
    pub fn into_document(mut self, own: Source, store: Store) -> (Document, Vec<Warning>) {
        if self.films.overflowed {
            self.warnings.push(Warning {
                line: None,
                message: format!(
                    "more than {} films, products or other subjects: the reviews of the rest \
                     are counted under the file's own name",
                    u16::MAX - 1
                ),
            });
        }
        if self.reviews.is_empty()
            && let Some(problem) = self.first_problem.take()
        {
            self.warnings.insert(0, problem);
        }
        let warnings = self.log.finish(self.warnings);
        // A source none of whose reviews has a vote count has none to show (revue's own
        // writes `helpful: null` for such a source, and reads it back so).
        let any = !self.reviews.is_empty();
        for index in 0..=self.films.named_count() {
            let index = u16::try_from(index).unwrap_or(u16::MAX);
            let source = self.films.source_mut(index);
            source.no_votes = any && !self.voted.contains(&index);
            source.elsewhere |= self.reading.foreign;
        }
        let own = Source {
            no_votes: !self.reviews.is_empty() && !self.voted.contains(&0),
            elsewhere: own.elsewhere || self.reading.foreign,
            ..own
        };
        let mut document = self.films.into_document(own, self.reviews, store);
        document.set_replies(self.replies);
        for (i, labels, marked) in self.notes {
            document.labels_mut().set_named(i, &labels, marked);
        }
        (document, warnings)
    }
}

/// A raw value as a warning shows it: text quoted, sanitized and cut to
/// [`MAX_VALUE_SHOWN`] characters (a flag's lower-cased): a 50 MB cell is not a 50 MB line.
fn shown(raw: Raw<'_>, lower: bool) -> String {
    match raw {
        Raw::Text(text) => {
            let text = text.trim();
            let cut = text
                .char_indices()
                .nth(MAX_VALUE_SHOWN)
                .map_or(text.len(), |(i, _)| i);
            let more = if cut < text.len() { "…" } else { "" };
            let text = sanitize_line(&text[..cut]);
            if lower {
                format!("{:?}", format!("{}{more}", text.to_ascii_lowercase()))
            } else {
                format!("{:?}", format!("{text}{more}"))
            }
        }
        Raw::Int(n) | Raw::Time(n) => n.to_string(),
        Raw::Large(n) => n.to_string(),
        Raw::Float(x) => format!("{x:?}"),
        Raw::Flag(flag) => flag.to_string(),
        Raw::Pair(a, b) => format!("[{a}, {b}]"),
        Raw::Missing => String::new(),
    }
}

/// The most characters of a bad value a warning quotes.
const MAX_VALUE_SHOWN: usize = 80;

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
    /// Whether more films were named than a source index counts.
    overflowed: bool,
    /// What the reviews said about the document's own film (a CSV's film columns on rows that
    /// name no film), for what the document itself does not say.
    own: Source,
}

impl Films {
    /// How many films reviews named.
    pub(super) fn named_count(&self) -> usize {
        self.named.len()
    }

    /// The source index for a review naming `film`, counting the document's own source as 0;
    /// [`Films::into_document`] renumbers when that one turns out unused. A review naming no
    /// film (or more films than a source index can count) belongs to the document's own.
    pub(super) fn source_for(&mut self, film: Option<&str>) -> u16 {
        let film = film.map(str::trim).unwrap_or_default();
        if film.is_empty() {
            self.own_used = true;
            return 0;
        }
        // Most names need no sanitizing: looked up as they are first (a name that did is
        // stored sanitized, so it misses here and is found below).
        if let Some(&i) = self.index.get(film) {
            return i;
        }
        let label = sanitize_line(film);
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
                self.overflowed = true;
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

/// Whether a raw value holds something: not missing, and not blank text.
fn has_value(value: Raw<'_>) -> bool {
    match value {
        Raw::Missing => false,
        Raw::Text(t) => !t.trim().is_empty(),
        _ => true,
    }
}

/// A one-line field read by a loader that borrows from its input: trimmed and sanitized,
/// referenced where it lies in the input (`at`, see [`Extra::keep`]) when that changed
/// nothing, else copied into `extra`.
#[inline]
pub(crate) fn keep_line(extra: &mut Extra, text: &str, at: Option<usize>) -> TextRef {
    match sanitize_line(text.trim()) {
        Cow::Borrowed(clean) => extra.keep(shifted(at, text, clean), clean),
        Cow::Owned(clean) => extra.push(&clean),
    }
}

/// A body read the same way: sanitized and normalized, referenced in place when unchanged.
#[inline]
pub(crate) fn keep_body(extra: &mut Extra, text: &str, at: Option<usize>) -> TextRef {
    let clean = sanitize(text);
    match (&clean, normalize_body(&clean)) {
        (Cow::Borrowed(_), Cow::Borrowed(normal)) => extra.keep(shifted(at, text, normal), normal),
        (_, normal) => extra.push(&normal),
    }
}
