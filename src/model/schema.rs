//! The one schema of review fields: their names, kinds and order, as revue reads and writes
//! them. CSV header detection, JSON key matching, the review builder, the JSON, JSON Lines
//! and CSV writers and the CSV header all derive from [`Field::ALL`]; adding a field to revue
//! is an entry here and its parsing in the builder.

use super::{DEFAULT_SCALE, Document, Rating, Review, Source};

/// A field revue reads and writes for each review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Rating,
    /// The top of the rating's scale: 10 for IMDb, 5 for five-star sources.
    RatingScale,
    /// A thumbs up or down: `positive`, `negative`, or none.
    Verdict,
    Title,
    Author,
    Date,
    Spoiler,
    Helpful,
    NotHelpful,
    Body,
    Permalink,
    /// A reply to the review (an app developer's, an owner's), never part of its body.
    Reply,
    /// When the reply was written.
    ReplyDate,
    /// The film (or other subject) the review is about: its document's label.
    Film,
    /// The film's year, as its document states it.
    FilmYear,
    /// How many reviews the film's page says it has.
    FilmReviewCount,
}

/// What kind of value a field holds, which says how a raw value is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A rating on its scale (`8`, `3.5`), or none.
    Rating,
    /// The top of a rating scale.
    Scale,
    /// `positive` or `negative`, or none.
    Verdict,
    /// One line of text.
    Line,
    /// Paragraphs of text.
    Body,
    /// A calendar date, `YYYY-MM-DD`, or none.
    Date,
    /// True or false.
    Flag,
    /// A count of people, 0 when absent.
    Count,
    /// A year, or none.
    Year,
    /// A count that may be unknown.
    OptionalCount,
}

/// Whether a field belongs to the review itself or to the film it is about. A CSV writes the
/// film's fields on every row; JSON states the film's year and count once, in its
/// envelope, and names the film on each review only when several films are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Belongs {
    Review,
    Film,
}

impl Field {
    /// Every field, in the order revue writes them: the review's own, then its film's.
    pub const ALL: [Self; 16] = [
        Self::Rating,
        Self::RatingScale,
        Self::Verdict,
        Self::Title,
        Self::Author,
        Self::Date,
        Self::Spoiler,
        Self::Helpful,
        Self::NotHelpful,
        Self::Body,
        Self::Permalink,
        Self::Reply,
        Self::ReplyDate,
        Self::Film,
        Self::FilmYear,
        Self::FilmReviewCount,
    ];

    /// How many fields there are: the size of a table indexed by `field as usize`.
    pub const COUNT: usize = Self::ALL.len();

    /// The field's name in revue's JSON keys and CSV header.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Rating => "rating",
            Self::RatingScale => "rating_scale",
            Self::Verdict => "verdict",
            Self::Title => "title",
            Self::Author => "author",
            Self::Date => "date",
            Self::Spoiler => "spoiler",
            Self::Helpful => "helpful",
            Self::NotHelpful => "not_helpful",
            Self::Body => "body",
            Self::Permalink => "permalink",
            Self::Reply => "reply",
            Self::ReplyDate => "reply_date",
            Self::Film => "film",
            Self::FilmYear => "film_year",
            Self::FilmReviewCount => "film_review_count",
        }
    }

    #[must_use]
    pub const fn kind(self) -> Kind {
        match self {
            Self::Rating => Kind::Rating,
            Self::RatingScale => Kind::Scale,
            Self::Verdict => Kind::Verdict,
            Self::Title | Self::Author | Self::Permalink | Self::Film => Kind::Line,
            Self::Body | Self::Reply => Kind::Body,
            Self::Date | Self::ReplyDate => Kind::Date,
            Self::Spoiler => Kind::Flag,
            Self::Helpful | Self::NotHelpful => Kind::Count,
            Self::FilmYear => Kind::Year,
            Self::FilmReviewCount => Kind::OptionalCount,
        }
    }

    /// Whether the field is the review's or its film's.
    #[must_use]
    pub const fn belongs(self) -> Belongs {
        match self {
            Self::Film | Self::FilmYear | Self::FilmReviewCount => Belongs::Film,
            _ => Belongs::Review,
        }
    }

    /// Whether a review keeps this field's text in the document's store (the others are
    /// read as values: a date, the name of a film).
    #[must_use]
    pub const fn is_stored_text(self) -> bool {
        matches!(
            self,
            Self::Title | Self::Author | Self::Body | Self::Permalink
        )
    }

    /// Whether revue's JSON may give this field as `null` (a missing value); the others
    /// must be of their type when present.
    #[must_use]
    pub const fn is_nullable(self) -> bool {
        // `helpful` is null for a source without votes (FORMATS.md §4: nothing added).
        !matches!(
            self,
            Self::Title | Self::Author | Self::Body | Self::Spoiler
        )
    }

    /// Whether writers leave the field out when no review written has it, so that revue's
    /// own data is written exactly in the shape of FORMATS.md §3: a rating scale other than
    /// 10, a verdict, a reply.
    #[must_use]
    pub const fn is_optional_column(self) -> bool {
        matches!(
            self,
            Self::RatingScale | Self::Verdict | Self::Reply | Self::ReplyDate
        )
    }

    /// The fields whose text a review keeps in the document's store.
    pub const STORED_TEXT: [Self; 4] = [Self::Title, Self::Author, Self::Body, Self::Permalink];

    /// The field named exactly `name` (a JSON key). Written out by length, matching whole
    /// arrays: it runs for every key of every review the JSON reader reads, and a search of
    /// the fourteen names through `memcmp` cost a tenth of loading. A test checks it
    /// against [`Field::name`] for every field.
    #[must_use]
    pub fn from_name(name: &[u8]) -> Option<Self> {
        fn exactly<const N: usize>(name: &[u8]) -> Option<&[u8; N]> {
            name.try_into().ok()
        }
        Some(match name.len() {
            4 => match exactly::<4>(name)? {
                b"date" => Self::Date,
                b"body" => Self::Body,
                b"film" => Self::Film,
                _ => return None,
            },
            5 => match exactly::<5>(name)? {
                b"title" => Self::Title,
                b"reply" => Self::Reply,
                _ => return None,
            },
            6 => match exactly::<6>(name)? {
                b"rating" => Self::Rating,
                b"author" => Self::Author,
                _ => return None,
            },
            7 => match exactly::<7>(name)? {
                b"spoiler" => Self::Spoiler,
                b"helpful" => Self::Helpful,
                b"verdict" => Self::Verdict,
                _ => return None,
            },
            9 => match exactly::<9>(name)? {
                b"permalink" => Self::Permalink,
                b"film_year" => Self::FilmYear,
                _ => return None,
            },
            10 => match exactly::<10>(name)? {
                b"reply_date" => Self::ReplyDate,
                _ => return None,
            },
            11 => match exactly::<11>(name)? {
                b"not_helpful" => Self::NotHelpful,
                _ => return None,
            },
            12 => match exactly::<12>(name)? {
                b"rating_scale" => Self::RatingScale,
                _ => return None,
            },
            17 => match exactly::<17>(name)? {
                b"film_review_count" => Self::FilmReviewCount,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The field a header cell names, loosely: any case, surrounding space and quotes
    /// ignored, and spaces or `-` read as `_` (`Not Helpful`, `not-helpful`).
    #[must_use]
    pub fn from_header(cell: &str) -> Option<Self> {
        let name = cell
            .trim()
            .trim_matches('"')
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_");
        Self::from_name(name.as_bytes())
    }

    /// The review's own fields, in order: what every review carries in JSON and JSON Lines
    /// (which add `film` only when several documents are open, and give the film's other
    /// facts once, in the envelope).
    pub fn review_fields() -> impl Iterator<Item = Self> {
        Self::ALL
            .into_iter()
            .filter(|f| matches!(f.belongs(), Belongs::Review))
    }
}

/// One field's value of a review as a writer puts it out.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// No value: JSON `null`, an empty CSV cell.
    None,
    Text(std::borrow::Cow<'a, str>),
    Number(u64),
    /// A rating's value (`8`, `3.5`), written as a whole number where it is one.
    Rating(Rating),
    Flag(bool),
}

impl<'a> Value<'a> {
    /// The value as a CSV cell or plain text: empty for none.
    #[must_use]
    pub fn to_text(self) -> std::borrow::Cow<'a, str> {
        match self {
            Self::None => "".into(),
            Self::Text(text) => text,
            Self::Number(n) => n.to_string().into(),
            Self::Rating(r) => r.to_string().into(),
            Self::Flag(flag) => if flag { "true" } else { "false" }.into(),
        }
    }
}

impl Document {
    /// The value of `field` for `review`. Dates are written `YYYY-MM-DD`, so they come back
    /// as text in `date`; `film` is the review's document label.
    #[must_use]
    pub fn value<'a>(&'a self, review: &Review, field: Field, date: &'a mut String) -> Value<'a> {
        let source = self.source_of(review);
        match field {
            Field::Rating => review.rating.map_or(Value::None, Value::Rating),
            Field::RatingScale => {
                Value::Number(review.rating.map_or(DEFAULT_SCALE, Rating::scale).into())
            }
            Field::Verdict => review
                .verdict
                .map_or(Value::None, |v| Value::Text(v.name().into())),
            Field::Title => Value::Text(self.title(review)),
            Field::Author => Value::Text(self.author(review)),
            Field::Date => match review.date {
                Some(d) => {
                    *date = d.to_string();
                    Value::Text(date.as_str().into())
                }
                None => Value::None,
            },
            Field::Spoiler => Value::Flag(review.spoiler),
            // A source without votes has no count to write: 0 would be a count nobody gave.
            Field::Helpful if source.is_some_and(|s| s.no_votes) => Value::None,
            Field::Helpful => Value::Number(review.helpful),
            Field::NotHelpful => review.not_helpful().map_or(Value::None, Value::Number),
            Field::Body => Value::Text(self.body(review)),
            Field::Permalink => self.permalink(review).map_or(Value::None, Value::Text),
            Field::Reply => self
                .reply(review)
                .map_or(Value::None, |(text, _)| Value::Text(text)),
            Field::ReplyDate => match self.reply(review).and_then(|(_, d)| d) {
                Some(d) => {
                    *date = d.to_string();
                    Value::Text(date.as_str().into())
                }
                None => Value::None,
            },
            Field::Film | Field::FilmYear | Field::FilmReviewCount => film_value(source, field),
        }
    }
}

/// The value of one of the film's fields (`film` is the document's label), which every
/// review of that film shares; [`Value::None`] for a review field.
#[must_use]
pub fn film_value(source: Option<&Source>, field: Field) -> Value<'_> {
    match field {
        Field::Film => Value::Text(source.map_or("", |s| s.label.as_str()).into()),
        Field::FilmYear => source
            .and_then(|s| s.year)
            .map_or(Value::None, |y| Value::Number(y.into())),
        Field::FilmReviewCount => source
            .and_then(|s| s.review_count)
            .map_or(Value::None, Value::Number),
        _ => Value::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_read_back() {
        for field in Field::ALL {
            assert_eq!(Field::from_name(field.name().as_bytes()), Some(field));
            assert_eq!(
                Field::ALL[field as usize],
                field,
                "ALL is in declaration order"
            );
        }
        let mut names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Field::COUNT);
    }

    #[test]
    fn stored_text_is_what_the_schema_says() {
        let stored: Vec<Field> = Field::ALL
            .into_iter()
            .filter(|f| f.is_stored_text())
            .collect();
        assert_eq!(stored, Field::STORED_TEXT);
    }

    #[test]
    fn headers_match_loosely() {
        assert_eq!(
            Field::from_header(" \"Not Helpful\" "),
            Some(Field::NotHelpful)
        );
        assert_eq!(Field::from_header("not-helpful"), Some(Field::NotHelpful));
        assert_eq!(Field::from_header("RATING"), Some(Field::Rating));
        assert_eq!(Field::from_header("stars"), None);
    }

    #[test]
    fn reviews_carry_their_own_fields_and_the_film_facts_stay_apart() {
        let review: Vec<&str> = Field::review_fields().map(Field::name).collect();
        assert_eq!(
            review,
            [
                "rating",
                "rating_scale",
                "verdict",
                "title",
                "author",
                "date",
                "spoiler",
                "helpful",
                "not_helpful",
                "body",
                "permalink",
                "reply",
                "reply_date"
            ]
        );
    }
}
