//! The review model: `Review`, `Document`, and the text store their strings live in.
//!
//! A million reviews must fit in about 1.3× the size of the file they came from, so a review
//! holds no heap strings of its own. Its text fields are [`TextRef`]s into a [`Store`]: a list
//! of large chunks, usually the loaded file itself plus one chunk for the few strings the
//! sanitizer had to rewrite. Numbers are stored unpacked; everything here is plain data with
//! no I/O and no terminal types.

pub mod backing;
mod duplicates;
pub mod formula;
mod join;
mod labels;
pub mod schema;
mod store;

pub use duplicates::{Duplicates, NO_KEY, body_key, keys_of};
pub use join::SourceSet;
pub use labels::{Labels, MAX_LABELS, Tags, review_key};
pub use store::{
    Chunk, Extra, MAX_FIELD_BYTES, Rewritten, Store, StoreBuilder, TextRef, place_in,
    truncate_to_boundary,
};

use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU16;

/// A calendar date, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// English month names as IMDb writes them, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// A date, if `day` exists in that month of that year, and the year has four digits:
    /// a date is written `YYYY-MM-DD` and must read back (a Unix time of the year 51649 is
    /// a broken value, found by the fuzzer).
    #[must_use]
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        (year <= 9999 && day >= 1 && day <= days_in_month(year, month)).then_some(Self {
            year,
            month,
            day,
        })
    }

    /// Parses ISO `YYYY-MM-DD`.
    #[must_use]
    pub fn parse_iso(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = text.get(0..4)?.parse().ok()?;
        let month = text.get(5..7)?.parse().ok()?;
        let day = text.get(8..10)?.parse().ok()?;
        if !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        {
            return None;
        }
        Self::new(year, month, day)
    }

    #[must_use]
    pub fn year(self) -> u16 {
        self.year
    }

    #[must_use]
    pub fn month(self) -> u8 {
        self.month
    }

    #[must_use]
    pub fn day(self) -> u8 {
        self.day
    }
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
#[must_use]
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A rating on its own scale: `8/10` from IMDb, `4/5` or `3.5/5` from five-star data. The
/// value is kept in tenths, so half stars and one-decimal scores stay as the source gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rating {
    tenths: NonZeroU16,
    scale: u8,
}

/// The scale of a rating that does not say its own: IMDb's.
pub const DEFAULT_SCALE: u8 = 10;

impl Rating {
    /// `value` out of `scale`, if it is a rating on that scale: above zero (at least 1 on
    /// scales of 10 and more, at least a half star below) and at most `scale`. The value is
    /// rounded to tenths.
    #[must_use]
    pub fn new(value: f64, scale: u8) -> Option<Self> {
        let (low, high) = Self::range(scale);
        if !(value >= low && value <= f64::from(high)) {
            return None;
        }
        // In range, so the product is at most 2550 and fits.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let tenths = (value * 10.0).round() as u16;
        Some(Self {
            tenths: NonZeroU16::new(tenths)?,
            scale,
        })
    }

    /// The whole rating `n` on `scale`, if it is one (no float arithmetic: the loaders'
    /// common case).
    #[must_use]
    pub fn of_whole(n: u8, scale: u8) -> Option<Self> {
        if n == 0 || n > scale || scale > Self::MAX_SCALE {
            return None;
        }
        Some(Self {
            tenths: NonZeroU16::new(u16::from(n) * 10)?,
            scale,
        })
    }

    /// A whole rating out of 10, as IMDb gives them.
    #[must_use]
    pub fn of_ten(n: u8) -> Option<Self> {
        Self::of_whole(n, DEFAULT_SCALE)
    }

    /// The largest scale revue reads ratings on.
    pub const MAX_SCALE: u8 = 100;

    /// The lowest and highest rating on `scale` (none for a scale of 0 or above
    /// [`Rating::MAX_SCALE`]).
    #[must_use]
    pub fn range(scale: u8) -> (f64, u8) {
        match scale {
            0 | 101..=u8::MAX => (f64::INFINITY, 0),
            1..=9 => (0.5, scale),
            _ => (1.0, scale),
        }
    }

    /// The value, on its scale.
    #[must_use]
    pub fn value(self) -> f64 {
        f64::from(self.tenths.get()) / 10.0
    }

    /// The top of the scale: 10 for IMDb, 5 for five-star sources.
    #[must_use]
    pub fn scale(self) -> u8 {
        self.scale
    }

    /// The whole rating on its own scale that the rating keys, filters and histogram count
    /// it under: the nearest, halves up (3.5 stars count as 4, half a star as 1).
    #[must_use]
    pub fn whole(self) -> u8 {
        u8::try_from(((self.tenths.get() + 5) / 10).max(1)).unwrap_or(u8::MAX)
    }

    /// The rating as a whole number out of 10, for colouring it the same on every scale.
    #[must_use]
    pub fn out_of_ten(self) -> u8 {
        let tenths = u32::from(self.tenths.get()) * 10 / u32::from(self.scale.max(1));
        u8::try_from((tenths + 5) / 10).unwrap_or(10).clamp(1, 10)
    }

    /// A key that orders ratings on different scales by the share of their scale they give.
    #[must_use]
    pub fn share_key(self) -> u64 {
        // 2520 is divisible by every scale up to 10, so ratings on the usual scales that are
        // equal shares get equal keys.
        u64::from(self.tenths.get()) * 2520 * 100 / u64::from(self.scale.max(1))
    }
}

impl fmt::Display for Rating {
    /// The value alone: `8`, `3.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, tenth) = (self.tenths.get() / 10, self.tenths.get() % 10);
        // Padded as a whole, so that `{:>2}` lines ratings up in a column.
        if tenth == 0 {
            f.pad(&whole.to_string())
        } else {
            f.pad(&format!("{whole}.{tenth}"))
        }
    }
}

/// A thumbs up or down: Steam's recommendation, a dataset's sentiment label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Positive,
    Negative,
}

impl Verdict {
    /// The word revue writes: `positive`, `negative`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Positive => "positive",
            Self::Negative => "negative",
        }
    }
}

/// One user review. All text fields point into the owning document's [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Review {
    /// The rating on its own scale, or `None` when the reviewer gave none.
    pub rating: Option<Rating>,
    /// A thumbs up or down, where the source gives one.
    pub verdict: Option<Verdict>,
    /// The review gives away the plot; its body stays hidden until the reader asks.
    pub spoiler: bool,
    /// Whether the source counts the people who did not find it helpful; sources with
    /// up-votes only do not, and `not_helpful` is then 0 but unknown.
    pub down_votes_known: bool,
    /// Index of the [`Source`] this review came from.
    pub source: u16,
    pub date: Option<Date>,
    /// People who found it helpful.
    pub helpful: u64,
    /// People who voted and did not find it helpful.
    pub not_helpful: u64,
    pub title: TextRef,
    pub author: TextRef,
    /// Paragraphs joined by `\n\n`, lines within a paragraph by `\n`, no outer white space.
    pub body: TextRef,
    /// Absolute URL; empty when the document gives none (copied text never does).
    pub permalink: TextRef,
}

impl Review {
    /// Everyone who voted.
    #[must_use]
    pub fn total_votes(&self) -> u64 {
        self.helpful.saturating_add(self.not_helpful)
    }

    /// The down-votes, where the source counts them.
    #[must_use]
    pub fn not_helpful(&self) -> Option<u64> {
        self.down_votes_known.then_some(self.not_helpful)
    }
}

/// What one loaded document says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// How the document is named on screen: the film title where known, else the file name.
    pub label: String,
    /// The film's title, where the document names it.
    pub title: Option<String>,
    pub year: Option<u16>,
    /// How many reviews the page says the film has (the page itself may hold fewer).
    pub review_count: Option<u64>,
    /// What the reviews are about when it is not a film (`product`, `business`, `app`,
    /// `game`, `subject`); `None` for a film.
    pub subject: Option<&'static str>,
    /// The source has no votes at all (the Stanford data, Letterboxd): no vote count is
    /// shown for its reviews, where 0 would say that nobody found them helpful.
    pub no_votes: bool,
    /// The source is data from elsewhere (a dataset, a scrape), not an IMDb page or
    /// revue's own export of one: its ratings are not to be told apart from IMDb's score.
    pub elsewhere: bool,
}

/// A reply to a review (an app developer's, a business owner's): never part of the
/// review's body, which is the user's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub text: TextRef,
    pub date: Option<Date>,
}

/// What is known of a document's reviews beyond their fields.
#[derive(Debug, Clone, Default)]
struct Notes {
    /// The body keys ([`body_key`]) of the first reviews, hashed in the background once
    /// they are loaded (hashing them in the loader made a load half again as long), and
    /// the duplicates they tell.
    duplicates: Duplicates,
    /// The user's marks and labels.
    labels: Labels,
}

/// Reviews and the text they point into, from one or more loaded documents.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub sources: Vec<Source>,
    pub reviews: Vec<Review>,
    store: Store,
    /// The replies, by where their review's body lies: few reviews have one, so a review
    /// does not carry room for it (see [`Document::reply`]).
    replies: std::collections::HashMap<(u32, u64), Reply>,
    /// The characters of each review's body, counted while the text was in memory, where
    /// it was then left in its file (sorting by length would read every body again);
    /// empty when all the text is in memory.
    lengths: Vec<u32>,
    /// What is known of the reviews beyond their fields. Boxed: a document travels in
    /// every loaded piece, which is kept small.
    notes: Box<Notes>,
}

impl Document {
    /// A document of one source.
    #[must_use]
    pub fn new(source: Source, reviews: Vec<Review>, store: Store) -> Self {
        Self {
            sources: vec![source],
            reviews,
            store,
            replies: std::collections::HashMap::new(),
            lengths: Vec::new(),
            notes: Box::default(),
        }
    }

    /// The reviews whose bodies are not hashed for their duplicates yet: the first's index
    /// and where each body lies (for [`keys_of`] to hash in the background).
    #[must_use]
    pub fn unkeyed(&self) -> (usize, Vec<TextRef>) {
        let from = self.notes.duplicates.keyed().min(self.reviews.len());
        (from, self.reviews[from..].iter().map(|r| r.body).collect())
    }

    /// Takes in the body keys of the reviews from `from` on, as [`keys_of`] gave them for
    /// [`Document::unkeyed`]; keys for another stretch (the document was read again since)
    /// are dropped.
    pub fn add_keys(&mut self, from: usize, keys: &[u64]) {
        if from + keys.len() <= self.reviews.len() {
            self.notes.duplicates.add(from, keys);
        }
    }

    /// Hashes every body not hashed yet, on every core, and takes them into the duplicates.
    pub fn count_duplicates(&mut self) {
        let (from, bodies) = self.unkeyed();
        let never = std::sync::atomic::AtomicBool::new(false);
        if let Some(keys) = keys_of(&self.store, &bodies, &never) {
            self.add_keys(from, &keys);
        }
    }

    /// The reviews that repeat an earlier review's body.
    #[must_use]
    pub fn duplicates(&self) -> &Duplicates {
        &self.notes.duplicates
    }

    /// The reviews' marks and labels.
    #[must_use]
    pub fn labels(&self) -> &Labels {
        &self.notes.labels
    }

    pub fn labels_mut(&mut self) -> &mut Labels {
        &mut self.notes.labels
    }

    /// Review `i`'s body key ([`body_key`]).
    #[must_use]
    pub fn body_key(&self, i: usize) -> u64 {
        self.notes.duplicates.key(i)
    }

    /// How many characters review `i`'s body has.
    #[must_use]
    pub fn body_chars(&self, i: usize) -> u64 {
        match self.lengths.get(i) {
            Some(&n) => u64::from(n),
            None => self
                .reviews
                .get(i)
                .map_or(0, |r| self.body(r).chars().count() as u64),
        }
    }

    /// Leaves the text a loader just read (the store's chunk 0) in its file, at `place`,
    /// counting the characters of the bodies first. Returns the memory the text was in;
    /// `None` when it cannot be left there and stays.
    pub fn keep_text_in(&mut self, place: backing::Place) -> Option<bytestring::ByteString> {
        let counted = self.counted_lengths(0);
        let memory = self.store.keep_base_in(place)?;
        self.lengths = counted;
        Some(memory)
    }

    /// The body lengths of reviews `from` on, counted.
    fn counted_lengths(&self, from: usize) -> Vec<u32> {
        self.reviews
            .get(from..)
            .unwrap_or_default()
            .iter()
            .map(|r| u32::try_from(self.body(r).chars().count()).unwrap_or(u32::MAX))
            .collect()
    }

    /// Takes the body lengths of `other`, whose reviews are about to follow these, so that
    /// either both documents have them or neither.
    fn absorb_lengths(&mut self, other: &mut Document) {
        if self.lengths.is_empty() && other.lengths.is_empty() {
            return;
        }
        if self.lengths.len() < self.reviews.len() {
            let more = self.counted_lengths(self.lengths.len());
            self.lengths.extend(more);
        }
        if other.lengths.len() < other.reviews.len() {
            let more = other.counted_lengths(other.lengths.len());
            other.lengths.extend(more);
        }
        self.lengths.append(&mut other.lengths);
    }

    /// The text behind a reference: borrowed where it is in memory, read where it was
    /// left in its file.
    #[must_use]
    pub fn text(&self, r: TextRef) -> Cow<'_, str> {
        self.store.get(r)
    }

    #[must_use]
    pub fn title(&self, review: &Review) -> Cow<'_, str> {
        self.text(review.title)
    }

    #[must_use]
    pub fn author(&self, review: &Review) -> Cow<'_, str> {
        self.text(review.author)
    }

    #[must_use]
    pub fn body(&self, review: &Review) -> Cow<'_, str> {
        self.text(review.body)
    }

    #[must_use]
    pub fn permalink(&self, review: &Review) -> Option<Cow<'_, str>> {
        (!review.permalink.is_empty()).then(|| self.text(review.permalink))
    }

    /// The source a review came from.
    #[must_use]
    pub fn source_of(&self, review: &Review) -> Option<&Source> {
        self.sources.get(usize::from(review.source))
    }

    /// How many reviews the documents say their films have, where every one says; a
    /// hostile count cannot overflow it.
    #[must_use]
    pub fn claimed_reviews(&self) -> Option<u64> {
        self.sources
            .iter()
            .try_fold(0u64, |sum, s| s.review_count.map(|n| sum.saturating_add(n)))
    }

    /// Where the text is: what [`TextRef::place`] indexes.
    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, to leave the text of a piece just read in its file.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Bytes of text held in memory, for memory accounting.
    #[must_use]
    pub fn text_bytes(&self) -> usize {
        self.store.bytes()
    }

    /// Whether a file the text is read from has changed since it was read (the app offers
    /// a reload).
    #[must_use]
    pub fn text_changed(&self) -> Option<String> {
        self.store
            .files()
            .iter()
            .find(|b| b.changed())
            .map(|b| b.name().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_validate_days_per_month() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2024, 4, 31).is_none());
        assert!(Date::new(2024, 13, 1).is_none());
        assert!(Date::new(2024, 1, 0).is_none());
    }

    #[test]
    fn iso_dates_round_trip() {
        let d = Date::parse_iso("2009-02-08").expect("valid date");
        assert_eq!(d.to_string(), "2009-02-08");
        assert_eq!(Date::parse_iso("2009-2-8"), None);
        assert_eq!(Date::parse_iso("2009-02-30"), None);
        assert_eq!(Date::parse_iso("+009-02-08"), None);
        assert_eq!(Date::parse_iso("2009-02-0８"), None);
    }

    #[test]
    fn review_is_small() {
        // Ten million reviews are indexed in memory: 80 bytes each.
        assert_eq!(std::mem::size_of::<TextRef>(), 12);
        assert!(
            std::mem::size_of::<Review>() <= 80,
            "{}",
            std::mem::size_of::<Review>()
        );
    }

    #[test]
    fn builder_references_base_when_unchanged_and_copies_otherwise() {
        let mut b = StoreBuilder::new("hello world");
        let (base, extra) = b.parts();
        let kept = extra.keep(place_in(base.as_bytes(), &base[6..8]), &base[6..8]);
        assert_eq!(kept.chunk(), 0);
        assert_eq!(place_in(base.as_bytes(), "elsewhere"), None);
        let copied = extra.keep(None, "elsewhere");
        assert_eq!(copied.chunk(), 1);
        let same = b.reference(0..5);
        let changed = b.push("WORLD");
        assert_eq!(same.chunk(), 0);
        assert_eq!(changed.chunk(), 1);
        let store = b.finish();
        assert_eq!(store.get(same), "hello");
        assert_eq!(store.get(changed), "WORLD");
        assert_eq!(store.get(TextRef::EMPTY), "");
        assert_eq!(store.get(kept), "wo");
        assert_eq!(store.get(copied), "elsewhere");
    }

    #[test]
    fn append_keeps_text_and_source_of_each_review() {
        let make = |label: &str, text: &str| {
            let mut b = StoreBuilder::new(String::new());
            let title = b.push(text);
            let review = Review {
                rating: None,
                verdict: None,
                spoiler: false,
                down_votes_known: true,
                source: 0,
                date: None,
                helpful: 0,
                not_helpful: 0,
                title,
                author: TextRef::EMPTY,
                body: TextRef::EMPTY,
                permalink: TextRef::EMPTY,
            };
            Document::new(
                Source {
                    label: label.into(),
                    ..Source::default()
                },
                vec![review],
                b.finish(),
            )
        };
        let mut doc = make("a", "first");
        doc.append(make("b", "second"));
        assert_eq!(doc.title(&doc.reviews[0]), "first");
        assert_eq!(doc.title(&doc.reviews[1]), "second");
        assert_eq!(
            doc.source_of(&doc.reviews[1]).map(|s| s.label.as_str()),
            Some("b")
        );
    }
}
