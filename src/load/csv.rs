//! Loader for revue's own CSV (`--format csv`, FORMATS.md §3): a header row naming review
//! fields, then one row per review, so that CSV round-trips like JSON.
//!
//! Columns are found by their header names, in any order and any case; any of them may be
//! missing, and unknown ones are ignored. A bad value or a ragged row costs a warning with its
//! line number, never the rest of the file. The `film`, `film_year` and `film_review_count`
//! columns revue writes after the review ones give each film its own source again, with the
//! title, year and review count that a JSON document keeps in its envelope; a CSV without
//! them (older exports, spreadsheets) loads as one source that says nothing about its film.

use std::ops::Range;

use super::{Films, LoadError, Loaded, Warning, keep_body, keep_line, parse_count, rewrite_fields};
use crate::model::{Date, Extra, Review, Source, StoreBuilder};
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
/// Rows in the shape revue writes (cells unquoted, or quoted with `""` inside) are read here
/// directly, and their cells are referenced in the file's own text (cells with `""` as they
/// will be once made single in place), so a loaded CSV holds one copy of its text. Any
/// other row (a quote inside an unquoted cell, text after a closing quote, a quote never
/// closed) is read by the `csv` crate, exactly as the whole file was before, so odd files
/// load as they always did.
///
/// # Errors
/// When the header names none of the review columns.
pub fn load(store: StoreBuilder, label: &str) -> Result<Loaded, LoadError> {
    let (text, mut extra) = store.into_parts();
    let (header, start) = {
        let mut reader = reader(text.as_bytes(), true);
        let header = reader.headers().map_err(|err| syntax(&err))?.clone();
        (header, Start::of(&reader, text.len()))
    };
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
    let mut rows = Rows {
        columns,
        width: header.len(),
        reviews: Vec::new(),
        warnings: Vec::new(),
        films: Films::default(),
    };
    let doubled = each_row(&text, start, |row, line| {
        let before = rows.warnings.len();
        match row {
            Ok(cells) => rows.add(&mut extra, cells),
            Err(err) => rows.warnings.push(Warning {
                line: None,
                message: format!("unreadable row: {err}; skipped"),
            }),
        }
        // Counting lines costs a pass over the text, so only rows with a warning do.
        if rows.warnings.len() > before {
            let line = line();
            for warning in &mut rows.warnings[before..] {
                warning.line = Some(line);
            }
        }
    });
    let source = Source {
        label: label.to_string(),
        ..Source::default()
    };
    let store = StoreBuilder::from_parts(rewrite_fields(text, &doubled, make_single), extra);
    Ok(Loaded {
        document: rows
            .films
            .into_document(source, rows.reviews, store.finish()),
        warnings: rows.warnings,
    })
}

/// The `csv` crate's reader of `text`, flexible about row lengths; `header` when `text`
/// starts with the header row.
fn reader(text: &[u8], header: bool) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .has_headers(header)
        .flexible(true)
        .from_reader(text)
}

/// Where the rows after the header start, and the line the `csv` crate gives that point.
#[derive(Debug, Clone, Copy)]
struct Start {
    at: usize,
    line: usize,
}

impl Start {
    fn of(reader: &::csv::Reader<&[u8]>, len: usize) -> Self {
        let position = reader.position();
        Self {
            at: usize::try_from(position.byte()).unwrap_or(len),
            line: usize::try_from(position.line()).unwrap_or(usize::MAX),
        }
    }
}

/// Calls `on_row` with each row after the header and a way to learn the line the `csv`
/// crate gives that row, in order. Gives back where the quoted cells with doubled quotes
/// of the rows read by [`parse_row`] are: the store references those cells as they will be
/// once [`make_single`] has made their quotes single in place, at the end.
fn each_row(
    text: &str,
    start: Start,
    mut on_row: impl FnMut(Result<&dyn Cells, ::csv::Error>, &mut dyn FnMut() -> usize),
) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // The line of a row is that of the point just after the previous row's terminating
    // byte: the crate counts `\n`s up to there, so a row after blank lines or a CR LF keeps
    // it, and the warnings keep their numbers.
    let mut counted = (start.at, start.line);
    let mut line_at = |at: usize| {
        let (from, line) = &mut counted;
        *line += memchr::memchr_iter(b'\n', &bytes[*from..at]).count();
        *from = at;
        *line
    };
    let mut doubled = Vec::new();
    let mut at = start.at;
    let mut row = FastRow {
        text,
        scratch: String::new(),
        spans: Vec::new(),
    };
    let mut record = ::csv::StringRecord::new();
    while at < bytes.len() {
        let end = match parse_row(at, &mut row) {
            Step::End => break,
            Step::Row { end } => {
                doubled.extend(row.spans.iter().filter_map(|span| match span {
                    Span::Text(..) => None,
                    Span::Scratch { raw, .. } => Some(raw.clone()),
                }));
                on_row(Ok(&row), &mut || line_at(at));
                end
            }
            Step::Unusual => {
                // Read from one byte early, the previous row's terminator, which the crate
                // skips like a blank line: that keeps it from taking a byte-order mark at
                // the start of this row for one at the start of a file.
                let from = at - 1;
                let mut reader = reader(&bytes[from..], false);
                let read = reader.read_record(&mut record);
                let next = usize::try_from(reader.position().byte())
                    .map_or(bytes.len(), |n| from.saturating_add(n));
                match read {
                    Ok(true) => on_row(Ok(&record), &mut || line_at(at)),
                    Ok(false) => break,
                    Err(err) => on_row(Err(err), &mut || line_at(at)),
                }
                if next <= at {
                    break;
                }
                next
            }
        };
        at = end;
    }
    doubled
}

/// Makes the doubled quotes of a quoted cell's contents single, in place: the text after
/// each one moves back over it, and the freed bytes at the cell's end become spaces.
fn make_single(cell: &mut [u8]) {
    let mut write = 0;
    let mut read = 0;
    while let Some(q) = memchr::memchr(b'"', &cell[read..]).map(|q| read + q) {
        // Keep this quote, drop its double.
        cell.copy_within(read..=q, write);
        write += q + 1 - read;
        read = q + 2;
    }
    if read < cell.len() {
        cell.copy_within(read.., write);
        write += cell.len() - read;
    }
    cell[write..].fill(b' ');
}

fn syntax(err: &::csv::Error) -> LoadError {
    LoadError::Syntax {
        line: err.position().map_or(1, |p| p.line() as usize),
        message: format!("invalid CSV: {err}"),
    }
}

/// What [`parse_row`] found.
enum Step {
    /// A row, its cells in the spans; the next one starts at `end`.
    Row { end: usize },
    /// Only blank lines were left.
    End,
    /// A row this parser leaves to the `csv` crate.
    Unusual,
}

/// Where one cell of a [`FastRow`] is.
#[derive(Debug, Clone)]
enum Span {
    /// `text[start..end]`, as it is in the file.
    Text(usize, usize),
    /// `scratch[start..end]`: the quoted cell at `text[raw]` with its `""`s made single.
    Scratch {
        start: usize,
        end: usize,
        raw: Range<usize>,
    },
}

/// One row read by [`parse_row`]; its cells mostly point into the file.
struct FastRow<'a> {
    text: &'a str,
    scratch: String,
    spans: Vec<Span>,
}

/// The cells of one row, however it was read.
trait Cells {
    fn len(&self) -> usize;
    fn get(&self, i: usize) -> Option<&str>;
    /// Where cell `i` lies in the text (see [`Extra::keep`]), if it does.
    fn place(&self, i: usize) -> Option<usize>;
}

impl Cells for FastRow<'_> {
    fn len(&self) -> usize {
        self.spans.len()
    }

    fn get(&self, i: usize) -> Option<&str> {
        match *self.spans.get(i)? {
            Span::Text(start, end) => self.text.get(start..end),
            Span::Scratch { start, end, .. } => self.scratch.get(start..end),
        }
    }

    fn place(&self, i: usize) -> Option<usize> {
        match self.spans.get(i)? {
            Span::Text(start, _) => Some(*start),
            Span::Scratch { raw, .. } => Some(raw.start),
        }
    }
}

impl Cells for ::csv::StringRecord {
    fn len(&self) -> usize {
        ::csv::StringRecord::len(self)
    }

    fn get(&self, i: usize) -> Option<&str> {
        ::csv::StringRecord::get(self, i)
    }

    fn place(&self, _: usize) -> Option<usize> {
        None
    }
}

/// Reads the row starting at `at` the way the `csv` crate would (blank lines and lone `\r`s
/// before it skipped; `,` between cells; `\n`, `\r` or the end of the text after the last),
/// as long as each cell is unquoted without a quote in it, or quoted with nothing after the
/// closing quote. The `csv` crate reads anything else in its own, lenient way.
fn parse_row(mut at: usize, row: &mut FastRow<'_>) -> Step {
    let bytes = row.text.as_bytes();
    row.spans.clear();
    row.scratch.clear();
    while matches!(bytes.get(at), Some(b'\n' | b'\r')) {
        at += 1;
    }
    if at >= bytes.len() {
        return Step::End;
    }
    loop {
        if bytes.get(at) == Some(&b'"') {
            let start = at + 1;
            // Text from `copied` on is not yet in the scratch (once a `""` sent it there).
            let mut copied = start;
            let mut unquoted = None;
            let mut pos = start;
            let close = loop {
                let Some(q) = memchr::memchr(b'"', &bytes[pos..]).map(|q| pos + q) else {
                    return Step::Unusual;
                };
                if bytes.get(q + 1) != Some(&b'"') {
                    break q;
                }
                unquoted.get_or_insert(row.scratch.len());
                row.scratch.push_str(&row.text[copied..=q]);
                copied = q + 2;
                pos = q + 2;
            };
            row.spans.push(match unquoted {
                None => Span::Text(start, close),
                Some(from) => {
                    row.scratch.push_str(&row.text[copied..close]);
                    Span::Scratch {
                        start: from,
                        end: row.scratch.len(),
                        raw: start..close,
                    }
                }
            });
            at = close + 1;
            match bytes.get(at) {
                None => return Step::Row { end: at },
                Some(b',') => at += 1,
                Some(b'\n' | b'\r') => return Step::Row { end: at + 1 },
                Some(_) => return Step::Unusual,
            }
        } else {
            let start = at;
            while let Some(&b) = bytes.get(at) {
                if matches!(b, b',' | b'\n' | b'\r' | b'"') {
                    break;
                }
                at += 1;
            }
            row.spans.push(Span::Text(start, at));
            match bytes.get(at) {
                None => return Step::Row { end: at },
                Some(b',') => at += 1,
                Some(b'"') => return Step::Unusual,
                Some(_) => return Step::Row { end: at + 1 },
            }
        }
    }
}

/// The rows read so far.
struct Rows {
    /// Where each [`Column`] is in a row, by `Column as usize`.
    columns: [Option<usize>; Column::ALL.len()],
    /// How many cells the header has.
    width: usize,
    reviews: Vec<Review>,
    warnings: Vec<Warning>,
    films: Films,
}

impl Rows {
    /// Adds the review a row holds; its warnings are left without a line, for the caller.
    fn add(&mut self, extra: &mut Extra, record: &dyn Cells) {
        let mut warn = |message: String| {
            self.warnings.push(Warning {
                line: None,
                message,
            });
        };
        let len = record.len();
        if (0..len).all(|i| record.get(i).unwrap_or_default().trim().is_empty()) {
            return;
        }
        // A long row has a comma too many somewhere, so no cell after it can be trusted; a
        // short one (a cut-off file) still has its first cells right.
        if len > self.width {
            warn(format!(
                "row has {len} fields but the header has {}; skipped",
                self.width
            ));
            return;
        }
        if len < self.width {
            warn(format!(
                "row has {len} fields but the header has {}; the missing ones are left empty",
                self.width
            ));
        }
        let cell = |column: Column| {
            self.columns[column as usize]
                .and_then(|i| record.get(i))
                .unwrap_or_default()
        };
        let place = |column: Column| self.columns[column as usize].and_then(|i| record.place(i));

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
        let spoiler = cell(Column::Spoiler).trim();
        let is = |word: &str| spoiler.eq_ignore_ascii_case(word);
        let spoiler = if spoiler.is_empty() || is("false") || is("no") || is("0") {
            false
        } else if is("true") || is("yes") || is("1") {
            true
        } else {
            warn(format!(
                "spoiler {:?} is not true or false; read as false",
                sanitize(&spoiler.to_ascii_lowercase())
            ));
            false
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
            title: keep_line(extra, cell(Column::Title), place(Column::Title)),
            author: keep_line(extra, cell(Column::Author), place(Column::Author)),
            body: keep_body(extra, cell(Column::Body), place(Column::Body)),
            permalink: keep_line(extra, cell(Column::Permalink), place(Column::Permalink)),
        };
        self.reviews.push(review);
    }
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

    /// Each row as its cells and line, read by [`each_row`].
    fn fast_rows(text: &str) -> Vec<(Vec<String>, usize)> {
        fast_rows_asking(text, 1)
    }

    /// The same, asking for the line of every `every`th row only (0 for the others).
    fn fast_rows_asking(text: &str, every: usize) -> Vec<(Vec<String>, usize)> {
        let start = {
            let mut reader = reader(text.as_bytes(), true);
            reader.headers().expect("header");
            Start::of(&reader, text.len())
        };
        let mut rows = Vec::new();
        each_row(text, start, |row, line| {
            let row = row.expect("readable");
            let cells = (0..row.len())
                .map(|i| row.get(i).unwrap_or_default().to_string())
                .collect();
            let line = if rows.len() % every == 0 { line() } else { 0 };
            rows.push((cells, line));
        });
        rows
    }

    /// Each row as its cells and line, read by the `csv` crate alone.
    fn crate_rows(text: &str) -> Vec<(Vec<String>, usize)> {
        let mut reader = reader(text.as_bytes(), true);
        reader
            .records()
            .map(|r| {
                let r = r.expect("readable");
                let line = r.position().map_or(0, |p| p.line() as usize);
                (r.iter().map(str::to_string).collect(), line)
            })
            .collect()
    }

    #[test]
    fn rows_read_as_the_csv_crate_reads_them() {
        for text in [
            "h\na,b\n\"c\"\"d\",\"e,f\ng\"\n",
            "h\r\na,b\r\n\r\n\"x\"\r\n",
            "h\n\n\n,\n",
            "h\na\"b,c\n\"q\"x,y\nz\n",
            "h\n\"unclosed,\nrow\n",
            "h\n\"a\"\n\u{feff}\"b\"x\n",
            "h\na\rb\r\"c\"",
            "h",
            "h\n",
            "h\na,",
        ] {
            assert_eq!(fast_rows(text), crate_rows(text), "{text:?}");
        }
        // Random text over the bytes that matter to CSV.
        let pieces = [
            "a", "bc", ",", "\"", "\"\"", "\n", "\r", "\r\n", " ", "é", "\u{feff}",
        ];
        let mut next = crate::load::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut texts = std::collections::HashSet::new();
        for _ in 0..5_000 {
            let mut text = String::from("h,i\n");
            for _ in 0..next() % 24 {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            texts.insert(text.clone());
            assert_eq!(fast_rows(&text), crate_rows(&text), "{text:?}");
            let some_lines = crate_rows(&text)
                .into_iter()
                .enumerate()
                .map(|(i, (cells, line))| (cells, if i % 3 == 0 { line } else { 0 }))
                .collect::<Vec<_>>();
            assert_eq!(fast_rows_asking(&text, 3), some_lines, "{text:?}");
        }
        // The texts really vary (a generator stuck at one state would test one text).
        assert!(texts.len() > 4_000, "{} texts", texts.len());
    }

    #[test]
    fn doubled_quotes_are_made_single_in_place_with_no_copy() {
        let text = "title,author,body,permalink\n\
                    \"A \"\"good\"\" one\",me,\"one\n\ntwo \"\"é\"\"\",https://x/y\n\
                    \"x\"y,odd,\"kept \"\"as\"\" is\",\n\
                    \"\"\"\"\"\",b,rating\n";
        let loaded = load(StoreBuilder::new(text), "x").expect("loads");
        let doc = &loaded.document;
        let titles: Vec<&str> = doc.reviews.iter().map(|r| doc.title(r)).collect();
        assert_eq!(titles, ["A \"good\" one", "xy", "\"\""]);
        let r = &doc.reviews[0];
        assert_eq!(doc.body(r), "one\n\ntwo \"é\"");
        assert_eq!(doc.permalink(r), Some("https://x/y"));
        // Everything lies in the document's own text: nothing went to the extra chunk.
        for t in [r.title, r.author, r.body, r.permalink] {
            assert_eq!(t.place().0, 0);
        }
        // The row the `csv` crate read is as it would read it in the text as it was.
        assert_eq!(doc.body(&doc.reviews[1]), "kept \"as\" is");
        assert_eq!(doc.chunks()[0].len(), text.len());
        // Lines are counted over the rewritten text, and come out as in the original.
        let lines: Vec<_> = loaded.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(6)], "{:?}", loaded.warnings);
    }
}
