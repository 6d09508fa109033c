//! Loader for revue's own CSV (`--format csv`, FORMATS.md §3): a header row naming review
//! fields, then one row per review, so that CSV round-trips like JSON.
//!
//! Columns are found by their header names, in any order and any case; any of them may be
//! missing, and unknown ones are ignored. A bad value or a ragged row costs a warning with its
//! line number, never the rest of the file. The `film`, `film_year` and `film_review_count`
//! columns revue writes after the review ones give each film its own source again, with the
//! title, year and review count that a JSON document keeps in its envelope; a CSV without
//! them (older exports, spreadsheets) loads as one source that says nothing about its film.

use std::borrow::Cow;

use super::{Films, LoadError, Loaded, Warning, normalize_body, parse_count};
use crate::model::{Date, Review, Source, StoreBuilder, TextRef};
use crate::sanitize::sanitize;

/// The columns revue writes: [`crate::export::CSV_HEADER`] and
/// [`crate::export::CSV_FILM_COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
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
    FilmYear,
    FilmReviewCount,
}

impl Column {
    const ALL: [Self; 12] = [
        Self::Rating,
        Self::Title,
        Self::Author,
        Self::Date,
        Self::Spoiler,
        Self::Helpful,
        Self::NotHelpful,
        Self::Body,
        Self::Permalink,
        Self::Film,
        Self::FilmYear,
        Self::FilmReviewCount,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Rating => "rating",
            Self::Title => "title",
            Self::Author => "author",
            Self::Date => "date",
            Self::Spoiler => "spoiler",
            Self::Helpful => "helpful",
            Self::NotHelpful => "not_helpful",
            Self::Body => "body",
            Self::Permalink => "permalink",
            Self::Film => "film",
            Self::FilmYear => "film_year",
            Self::FilmReviewCount => "film_review_count",
        }
    }

    /// The column a header cell names: any case, surrounding space and quotes ignored, and
    /// `not helpful` or `not-helpful` read as `not_helpful`.
    fn from_header(cell: &str) -> Option<Self> {
        let name = cell
            .trim()
            .trim_matches('"')
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Whether `line` is the header of a review CSV: at least three review column names, and
/// more known names than unknown ones (so a copied review titled "Title, author, date" does
/// not pass for one by accident twice over).
pub(super) fn is_header(line: &str) -> bool {
    let cells: Vec<&str> = line.split(',').collect();
    let known = cells
        .iter()
        .filter(|c| Column::from_header(c).is_some())
        .count();
    known >= 3 && known * 2 > cells.len()
}

/// Parses a CSV document.
///
/// # Errors
/// When the header names none of the review columns.
pub fn load(store: StoreBuilder, label: &str) -> Result<Loaded, LoadError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(store.base().as_bytes());
    let header = reader.headers().map_err(|err| syntax(&err))?.clone();
    let mut columns = [None; Column::ALL.len()];
    for (i, cell) in header.iter().enumerate() {
        if let Some(column) = Column::from_header(cell) {
            // The first of two columns with one name wins.
            columns[column as usize].get_or_insert(i);
        }
    }
    if columns.iter().all(Option::is_none) {
        let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
        return Err(LoadError::Syntax {
            line: 1,
            message: format!(
                "the CSV header names none of the review columns ({})",
                names.join(", ")
            ),
        });
    }
    // Fields are unquoted copies anyway, so the document keeps only them, not the file.
    let mut rows = Rows {
        columns,
        width: header.len(),
        store: StoreBuilder::new(String::new()),
        reviews: Vec::new(),
        warnings: Vec::new(),
        films: Films::default(),
    };
    for record in reader.records() {
        match record {
            Ok(record) => rows.add(&record),
            Err(err) => {
                let line = err.position().map(|p| p.line() as usize);
                rows.warnings.push(Warning {
                    line,
                    message: format!("unreadable row: {err}; skipped"),
                });
            }
        }
    }
    // Every field was copied out: the file's text can go before the document is built.
    drop(reader);
    drop(store);
    let source = Source {
        label: label.to_string(),
        ..Source::default()
    };
    Ok(Loaded {
        document: rows
            .films
            .into_document(source, rows.reviews, rows.store.finish()),
        warnings: rows.warnings,
    })
}

fn syntax(err: &::csv::Error) -> LoadError {
    LoadError::Syntax {
        line: err.position().map_or(1, |p| p.line() as usize),
        message: format!("invalid CSV: {err}"),
    }
}

/// The rows read so far.
struct Rows {
    /// Where each [`Column`] is in a row, by `Column as usize`.
    columns: [Option<usize>; Column::ALL.len()],
    /// How many cells the header has.
    width: usize,
    store: StoreBuilder,
    reviews: Vec<Review>,
    warnings: Vec<Warning>,
    films: Films,
}

impl Rows {
    fn add(&mut self, record: &::csv::StringRecord) {
        let line = record.position().map(|p| p.line() as usize);
        let mut warn = |message: String| {
            self.warnings.push(Warning { line, message });
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            return;
        }
        // A long row has a comma too many somewhere, so no cell after it can be trusted; a
        // short one (a cut-off file) still has its first cells right.
        if record.len() > self.width {
            warn(format!(
                "row has {} fields but the header has {}; skipped",
                record.len(),
                self.width
            ));
            return;
        }
        if record.len() < self.width {
            warn(format!(
                "row has {} fields but the header has {}; the missing ones are left empty",
                record.len(),
                self.width
            ));
        }
        let cell = |column: Column| {
            self.columns[column as usize]
                .and_then(|i| record.get(i))
                .unwrap_or_default()
        };

        let rating = match cell(Column::Rating).trim() {
            "" => None,
            text => {
                let rating = text
                    .strip_suffix("/10")
                    .unwrap_or(text)
                    .parse::<u8>()
                    .ok()
                    .filter(|r| (1..=10).contains(r));
                if rating.is_none() {
                    warn(format!(
                        "rating {:?} is not from 1 to 10; left empty",
                        sanitize(text)
                    ));
                }
                rating
            }
        };
        let date = match cell(Column::Date).trim() {
            "" => None,
            text => {
                let date = Date::parse_iso(text);
                if date.is_none() {
                    warn(format!(
                        "date {:?} is not YYYY-MM-DD; left empty",
                        sanitize(text)
                    ));
                }
                date
            }
        };
        let spoiler = match cell(Column::Spoiler).trim().to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                warn(format!(
                    "spoiler {:?} is not true or false; read as false",
                    sanitize(other)
                ));
                false
            }
        };
        let mut count = |column: Column| match cell(column).trim() {
            "" => 0,
            text => {
                if let Some((n, false)) = parse_count(text) {
                    return n;
                }
                warn(format!(
                    "{} {:?} is not a count; read as 0",
                    column.name(),
                    sanitize(text)
                ));
                0
            }
        };
        let helpful = count(Column::Helpful);
        let not_helpful = count(Column::NotHelpful);

        let film = self.columns[Column::Film as usize].and_then(|i| record.get(i));
        let source = self.films.source_for(film);
        let year = match cell(Column::FilmYear).trim() {
            "" => None,
            text => {
                let year = text.parse::<u16>().ok();
                if year.is_none() {
                    warn(format!(
                        "film_year {:?} is not a year; left empty",
                        sanitize(text)
                    ));
                }
                year
            }
        };
        let review_count = match cell(Column::FilmReviewCount).trim() {
            "" => None,
            text => {
                if let Some((n, false)) = parse_count(text) {
                    Some(n)
                } else {
                    warn(format!(
                        "film_review_count {:?} is not a count; left empty",
                        sanitize(text)
                    ));
                    None
                }
            }
        };
        let film = self.films.source_mut(source);
        // A film named in the CSV is its title: that is what an export of one document writes
        // there (with several it is their label, which is the title wherever a page names one).
        if source != 0 && film.title.is_none() {
            film.title = Some(film.label.clone());
        }
        // Every row of a film repeats its year and count; the first row that gives one wins.
        film.year = film.year.or(year);
        film.review_count = film.review_count.or(review_count);
        let review = Review {
            rating,
            spoiler,
            source,
            date,
            helpful,
            not_helpful,
            title: push_line(&mut self.store, cell(Column::Title)),
            author: push_line(&mut self.store, cell(Column::Author)),
            body: push_body(&mut self.store, cell(Column::Body)),
            permalink: push_line(&mut self.store, cell(Column::Permalink)),
        };
        self.reviews.push(review);
    }
}

/// A one-line field: trimmed and sanitized.
fn push_line(store: &mut StoreBuilder, text: &str) -> TextRef {
    store.push(&sanitize(text.trim()))
}

/// A body: sanitized and normalized.
fn push_body(store: &mut StoreBuilder, text: &str) -> TextRef {
    let clean = sanitize(text);
    let normal: Cow<'_, str> = normalize_body(&clean);
    store.push(&normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_any_case_and_spelling() {
        assert_eq!(
            Column::from_header(" \"Not Helpful\" "),
            Some(Column::NotHelpful)
        );
        assert_eq!(Column::from_header("RATING"), Some(Column::Rating));
        assert_eq!(Column::from_header("score"), None);
        assert!(is_header(
            "rating,title,author,date,spoiler,helpful,not_helpful,body,permalink"
        ));
        assert!(is_header(
            "rating,title,author,date,spoiler,helpful,not_helpful,body,permalink,film,film_year,\
             film_review_count"
        ));
        assert_eq!(Column::from_header("Film Year"), Some(Column::FilmYear));
        assert!(is_header("Title,Author,Body,id"));
        assert!(!is_header("Title, author, and body"));
        assert!(!is_header("title,author,date,a,b,c"));
    }
}
