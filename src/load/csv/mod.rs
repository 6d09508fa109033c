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

use super::build::{Raw, RawReview, ReviewBuilder};
use super::map::{self, Explained, Options, Target};
use super::{Format, LoadError, Loaded, rewrite_fields};

mod pieces;
use crate::model::formula;
use crate::model::schema::{Field, Kind};
use crate::model::{Extra, Source, StoreBuilder};
pub use pieces::Chunked;

/// Whether `line` is the header of a review CSV: at least three review column names, and
/// more known names than unknown ones (so a copied review titled "Title, author, date" does
/// not pass for one by accident twice over).
pub(super) fn is_header(line: &str) -> bool {
    let cells: Vec<&str> = line.split(',').collect();
    let known = cells
        .iter()
        .filter(|c| Field::from_header(c).is_some())
        .count();
    known >= 3 && known * 2 > cells.len()
}

/// Whether `text` starts like a CSV file of review data from elsewhere: a header of two or
/// more short names, and a first row of as many cells; or one name, then quoted cells that
/// hold reviews copied from an IMDb page.
pub(super) fn looks_like_csv(text: &str) -> bool {
    // The header and the first row, however long (thousands of columns), within a bound.
    let end = super::second_line_end(text.as_bytes(), super::MAX_HEAD)
        .map_or(0, |end| end + 1)
        .max(crate::tuning::SNIFF_BYTES);
    let head = &text[..crate::model::truncate_to_boundary(text, end).len()];
    let mut records = reader(head.as_bytes(), false, Dialect::sniff(head)).into_records();
    let Some(Ok(header)) = records.next() else {
        return false;
    };
    let name_like = |cell: &str| {
        let cell = cell.trim();
        cell.chars().count() <= 60
            && !cell.contains(". ")
            && cell.chars().all(|c| {
                c.is_alphanumeric()
                    || matches!(c, ' ' | '_' | '-' | '.' | '#' | '(' | ')' | ':' | '/')
            })
    };
    if !header.iter().all(name_like) || header.iter().all(|c| c.trim().is_empty()) {
        return false;
    }
    let first = records.next().and_then(Result::ok);
    match (header.len(), first) {
        // One column: reviews copied from IMDb pages, or a quick scrape's `Review` column.
        (1, Some(row)) => {
            row.len() == 1
                && (super::uncleaned::is_copied_review(&row[0]) || names_review_text(&header[0]))
        }
        (n, Some(row)) => n >= 2 && row.len() == n,
        _ => false,
    }
}

/// Whether a lone column's name says it holds review text (`Review`, `review_text`,
/// `Text`, `Content`), as the mapping would read it.
fn names_review_text(name: &str) -> bool {
    let names = [name.trim().to_string()];
    super::map::Mapping::resolve(&names, &Options::default()).fills(Field::Body)
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
pub fn load(store: StoreBuilder, label: &str, options: &Options) -> Result<Loaded, LoadError> {
    let (text, mut extra) = store.into_parts();
    let dialect = Dialect::sniff(&text);
    let (names, start) = header(&text, dialect)?;
    if names.len() == 1 && options.map.0.is_empty() && copied_cells(&text, start.at, dialect) {
        let mut loaded = super::uncleaned::load(&text, start.at, label);
        loaded.explained = Some(Explained::plain(
            "CSV file of reviews copied from IMDb pages, one per cell",
        ));
        return Ok(loaded);
    }
    let table = Table::new(&names, dialect, options)?;
    let mut rows = table.rows(true);
    let doubled = rows.read(&text, start, dialect, &mut extra);
    Ok(table.finish(rows, text, extra, doubled, label))
}

/// The names in the header row of `text`, and where the rows after it start.
fn header(text: &str, dialect: Dialect) -> Result<(Vec<String>, Start), LoadError> {
    let mut reader = reader(text.as_bytes(), true, dialect);
    let header = reader.headers().map_err(|err| syntax(&err))?;
    let names = header.iter().map(str::to_string).collect();
    Ok((names, Start::of(&reader, text.len())))
}

/// How the rows of one CSV file are read: its dialect, and the mapping its header chose.
#[derive(Debug, Clone)]
struct Table {
    dialect: Dialect,
    mapping: std::sync::Arc<map::Mapping>,
    reading: super::build::Reading,
    /// What each column fills, and its rank among the columns that fill the same field.
    targets: Vec<Option<(Target, u8)>>,
    /// Written by revue (see [`written_by_revue`]): its text cells carry the spreadsheet
    /// guard, taken off as they are read.
    guarded: bool,
    /// In a CSV revue wrote, the columns of the user's labels and mark (FORMATS.md §6).
    notes: Option<(usize, usize)>,
}

/// Whether a header is one revue writes: each name exactly a field's as revue writes it,
/// ending with the film columns. Only such a file's text cells carry the spreadsheet guard
/// ([`formula`]): a file of someone else's whose columns happen to bear revue's names keeps
/// a `'` its cells start with.
fn written_by_revue(names: &[String]) -> bool {
    let film = crate::export::CSV_FILM_COLUMNS;
    names.len() > film.len()
        && names.ends_with(&film.map(String::from))
        && names.iter().all(|n| {
            Field::ALL.iter().any(|f| f.name() == n)
                || crate::export::NOTES_COLUMNS.contains(&n.as_str())
        })
}

impl Table {
    /// The table whose header holds `names`, read as `options` say.
    fn new(names: &[String], dialect: Dialect, options: &Options) -> Result<Self, LoadError> {
        let (mapping, reading) = map::choose(names, options, Format::Csv.name())?;
        Ok(Self {
            dialect,
            targets: names
                .iter()
                .map(|n| mapping.target(&map::normalize(n)))
                .collect(),
            mapping: std::sync::Arc::new(mapping),
            reading,
            guarded: written_by_revue(names),
            notes: written_by_revue(names)
                .then(|| {
                    let at = |name: &str| names.iter().position(|n| n == name);
                    at(crate::export::NOTES_COLUMNS[0]).zip(at(crate::export::NOTES_COLUMNS[1]))
                })
                .flatten(),
        })
    }

    /// An empty set of rows to read into; `first` for the rows right after the header,
    /// which carry what the mapping has to say.
    fn rows(&self, first: bool) -> Rows {
        let mut rows = Rows {
            targets: self.targets.clone(),
            width: self.targets.len(),
            builder: ReviewBuilder::new(true).reading(self.reading),
            own: self.guarded,
            notes: self.notes,
        };
        if first {
            for note in self.mapping.notes() {
                rows.builder.warn(note);
            }
        }
        rows
    }

    /// The reviews `rows` read from `text`, whose quoted cells at `doubled` have `""`s yet
    /// to be made single.
    fn finish(
        &self,
        mut rows: Rows,
        text: String,
        extra: Extra,
        doubled: Vec<Range<usize>>,
        label: &str,
    ) -> Loaded {
        let source = Source {
            label: label.to_string(),
            ..Source::default()
        };
        let store = StoreBuilder::from_parts(rewrite_fields(text, &doubled, make_single), extra)
            .rewritten(doubled, make_single);
        let scale = rows.builder.settle_scale().unwrap_or(self.mapping.scale);
        let (document, warnings) = rows.builder.into_document(source, store.finish());
        Loaded {
            document,
            warnings,
            repaired: 0,
            explained: Some(Box::new(Explained {
                format: match self.dialect.delimiter {
                    b'\t' => "CSV file, tab-separated".into(),
                    b';' => "CSV file, semicolon-separated".into(),
                    _ => Format::Csv.name().into(),
                },
                mapping: Some((*self.mapping).clone()),
                scale: Some(scale),
                ..Explained::default()
            })),
        }
    }
}

/// The `csv` crate's reader of `text`, flexible about row lengths; `header` when `text`
/// starts with the header row.
fn reader(text: &[u8], header: bool, dialect: Dialect) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .has_headers(header)
        .flexible(true)
        .delimiter(dialect.delimiter)
        .escape(dialect.backslash.then_some(b'\\'))
        .from_reader(text)
}

/// How the cells of a file are written: the delimiter its header line uses most (a comma,
/// a tab or a semicolon), and, in a tab-separated file, quotes escaped with a backslash
/// inside quoted cells (as Kaggle's `labeledTrainData.tsv` of IMDb reviews writes them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dialect {
    delimiter: u8,
    backslash: bool,
}

impl Dialect {
    fn sniff(text: &str) -> Self {
        let line = text.lines().next().unwrap_or_default().as_bytes();
        let count = |b: u8| line.iter().filter(|&&c| c == b).count();
        let (commas, tabs, semicolons) = (count(b','), count(b'\t'), count(b';'));
        let delimiter = if tabs > 0 && tabs >= commas && tabs >= semicolons {
            b'\t'
        } else if semicolons > commas {
            b';'
        } else {
            b','
        };
        Self {
            delimiter,
            backslash: delimiter == b'\t',
        }
    }
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
    dialect: Dialect,
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
        dialect,
    };
    let mut record = ::csv::StringRecord::new();
    let parse: fn(usize, &mut FastRow<'_>) -> Step = match dialect.delimiter {
        b'\t' => parse_row::<b'\t'>,
        b';' => parse_row::<b';'>,
        _ => parse_row::<b','>,
    };
    while at < bytes.len() {
        let end = match parse(at, &mut row) {
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
                // (A piece read on its own starts with a row and has no byte before it.)
                let from = at.saturating_sub(1);
                let mut reader = reader(&bytes[from..], false, row.dialect);
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
    dialect: Dialect,
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
fn parse_row<const DELIMITER: u8>(mut at: usize, row: &mut FastRow<'_>) -> Step {
    let bytes = row.text.as_bytes();
    // A constant, so that the scan over every byte of a cell compares with immediates.
    let delimiter = DELIMITER;
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
                Some(&b) if b == delimiter => at += 1,
                Some(b'\n' | b'\r') => return Step::Row { end: at + 1 },
                Some(_) => return Step::Unusual,
            }
        } else {
            let start = at;
            while let Some(&b) = bytes.get(at) {
                if b == delimiter || matches!(b, b'\n' | b'\r' | b'"') {
                    break;
                }
                at += 1;
            }
            row.spans.push(Span::Text(start, at));
            match bytes.get(at) {
                None => return Step::Row { end: at },
                Some(&b) if b == delimiter => at += 1,
                Some(b'"') => return Step::Unusual,
                Some(_) => return Step::Row { end: at + 1 },
            }
        }
    }
}

/// The rows read so far.
struct Rows {
    /// What each column fills, and its rank among the columns that fill the same field.
    targets: Vec<Option<(Target, u8)>>,
    /// How many cells the header has.
    width: usize,
    builder: ReviewBuilder,
    /// A CSV revue wrote, whose text cells carry the spreadsheet guard ([`formula`]).
    own: bool,
    /// The columns of the user's labels and mark, in a CSV revue wrote.
    notes: Option<(usize, usize)>,
}

impl Rows {
    /// Reads the rows of `text` from `start` on. Gives back where the quoted cells with
    /// `""`s are (see [`each_row`]).
    fn read(
        &mut self,
        text: &str,
        start: Start,
        dialect: Dialect,
        extra: &mut Extra,
    ) -> Vec<Range<usize>> {
        each_row(text, start, dialect, |row, line| {
            let before = self.builder.warnings.len();
            match row {
                Ok(cells) => {
                    if !self.add(extra, cells) {
                        self.builder.note_empty(line(), true);
                    }
                }
                Err(err) => self.builder.warn(format!("unreadable row: {err}; skipped")),
            }
            // Counting lines costs a pass over the text, so only rows with a warning do.
            if self.builder.warnings.len() > before {
                let line = line();
                for warning in &mut self.builder.warnings[before..] {
                    warning.line = Some(line);
                }
                self.builder.bound_warnings();
            }
        })
    }

    /// Adds the review a row holds; false when the row held nothing of a review.
    fn add(&mut self, extra: &mut Extra, record: &dyn Cells) -> bool {
        let len = record.len();
        if (0..len).all(|i| record.get(i).unwrap_or_default().trim().is_empty()) {
            return true;
        }
        let mut warn = |message| self.builder.warn(message);
        // A long row has a comma too many somewhere, so no cell after it can be trusted; a
        // short one (a cut-off file) still has its first cells right.
        if len > self.width {
            warn(format!(
                "row has {len} fields but the header has {}; skipped",
                self.width
            ));
            return true;
        }
        if len < self.width {
            warn(format!(
                "row has {len} fields but the header has {}; the missing ones are left empty",
                self.width
            ));
        }
        let mut raw = RawReview::default();
        let mut ranks = [u8::MAX; Field::COUNT];
        for (i, target) in self.targets.iter().enumerate() {
            let (Some((target, rank)), Some(cell)) = (*target, record.get(i)) else {
                continue;
            };
            match target {
                Target::Reply => raw.set_reply(cell),
                Target::Field(field) => {
                    let f = field as usize;
                    if rank >= ranks[f] {
                        continue;
                    }
                    // The best-ranked column with a value fills the field. Most cells start
                    // with what they hold, so this looks at a byte or two.
                    let has_value = cell.bytes().any(|b| !b.is_ascii_whitespace());
                    if has_value || raw.get(field) == Raw::Missing {
                        let (cell, place) = match field.kind() {
                            Kind::Line | Kind::Body if self.own => {
                                let (text, cut) = formula::unguard(cell);
                                (text, record.place(i).map(|p| p + cut))
                            }
                            _ => (cell, record.place(i)),
                        };
                        raw.set_text(field, cell, place);
                        if has_value {
                            ranks[f] = rank;
                        }
                    }
                }
            }
        }
        let before = self.builder.reviews.len();
        let added = self.builder.add(extra, &raw);
        if let Some((labels, marked)) = self.notes
            && self.builder.reviews.len() > before
        {
            // Labels `;`-joined, guarded as text is (see the export).
            let cell = formula::unguard(record.get(labels).unwrap_or_default()).0;
            let labels: Vec<&str> = cell.split(';').collect();
            let marked = record.get(marked).is_some_and(|m| m.trim() == "true");
            self.builder.note(&labels, marked);
        }
        added
    }
}

/// Whether the rows after a one-name header hold reviews copied from IMDb pages.
fn copied_cells(text: &str, start: usize, dialect: Dialect) -> bool {
    let mut rows = reader(&text.as_bytes()[start..], false, dialect).into_records();
    rows.by_ref()
        .take(3)
        .filter_map(Result::ok)
        .any(|row| row.get(0).is_some_and(super::uncleaned::is_copied_review))
}

#[cfg(test)]
mod tests {
    use super::written_by_revue;

    #[test]
    fn revue_s_own_header_with_marks_and_labels_is_still_its_own() {
        let names = |list: &[&str]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
        let own: Vec<&str> = crate::export::CSV_HEADER
            .iter()
            .chain(&crate::export::NOTES_COLUMNS)
            .chain(&crate::export::CSV_FILM_COLUMNS)
            .copied()
            .collect();
        assert!(written_by_revue(&names(&own)));
        let mut foreign = own.clone();
        foreign[0] = "stars";
        assert!(!written_by_revue(&names(&foreign)));
    }
}
