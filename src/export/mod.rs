//! Writers for the scripting output: JSON, JSON Lines, CSV and Markdown of a query's view.
//!
//! All text in the model is already sanitized, so nothing written here can carry a control
//! sequence to a terminal; JSON and CSV quoting are left to serde_json and csv.
//!
//! With several documents open, each review also carries its `film` (its document's label),
//! so that the output says where every review came from and loads back into the same
//! documents. With one document JSON and JSON Lines are exactly the shapes of FORMATS.md §3.
//! CSV always ends its rows with three columns about the review's film (title, year, review
//! count), because a CSV has no envelope to say them in and a round trip must keep them.

pub mod file;

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::model::schema::{Belongs, Field, Value, film_value};
use crate::model::{Document, Review};

/// The output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// revue's JSON document (FORMATS.md §3), readable by revue.
    Json,
    /// One review object per line, readable by revue.
    Jsonl,
    /// A header row and one row per review (RFC 4180).
    Csv,
    /// A readable page: a heading per review, then its paragraphs.
    Markdown,
}

/// Writes the reviews at `indices`, in that order.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(
    out: &mut dyn Write,
    doc: &Document,
    indices: &[usize],
    format: OutputFormat,
) -> io::Result<()> {
    let reviews = indices.iter().filter_map(|&i| doc.reviews.get(i));
    match format {
        OutputFormat::Json => write_json(out, doc, indices),
        OutputFormat::Jsonl => {
            let films = has_films(doc);
            for review in reviews {
                serde_json::to_writer(&mut *out, &ReviewOut { doc, review, films })?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        OutputFormat::Csv => write_csv(out, doc, reviews),
        OutputFormat::Markdown => write_markdown(out, doc, reviews),
    }
}

/// Whether reviews name their film: only when they come from several documents.
fn has_films(doc: &Document) -> bool {
    doc.sources.len() > 1
}

/// One review in the shape of FORMATS.md §3: the schema's review fields in order, plus its
/// film when there are several.
struct ReviewOut<'a> {
    doc: &'a Document,
    review: &'a Review,
    films: bool,
}

impl Serialize for ReviewOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        let mut date = String::new();
        let fields = Field::review_fields().chain(self.films.then_some(Field::Film));
        for field in fields {
            match self.doc.value(self.review, field, &mut date) {
                Value::None => map.serialize_entry(field.name(), &())?,
                Value::Text(text) => map.serialize_entry(field.name(), text)?,
                Value::Number(n) => map.serialize_entry(field.name(), &n)?,
                Value::Flag(flag) => map.serialize_entry(field.name(), &flag)?,
            }
        }
        map.end()
    }
}

/// The names of `N` fields from `Field::ALL[from]` on: the CSV header is derived from the
/// schema at compile time.
const fn names<const N: usize>(from: usize) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = Field::ALL[from + i].name();
        i += 1;
    }
    names
}

/// How many of the schema's fields are the review's own; the film's come after them.
const REVIEW_COLUMNS: usize = {
    let mut n = 0;
    while n < Field::COUNT && matches!(Field::ALL[n].belongs(), Belongs::Review) {
        n += 1;
    }
    n
};

/// The CSV header's review columns: the schema's review fields in order. Every row then
/// ends with the [`CSV_FILM_COLUMNS`].
pub const CSV_HEADER: [&str; REVIEW_COLUMNS] = names(0);

/// The CSV columns written after [`CSV_HEADER`]: the review's film, its year and how many
/// reviews its page says it has. They stand in for the JSON envelope, so that loading the CSV
/// back gives the same documents. `film` is the film title when one document is open (empty
/// if the page named none) and the document's label when several are, as the `film` of JSON
/// and JSON Lines.
pub const CSV_FILM_COLUMNS: [&str; Field::COUNT - REVIEW_COLUMNS] = names(REVIEW_COLUMNS);

/// The first of the [`CSV_FILM_COLUMNS`], the one that names the film.
pub const CSV_FILM: &str = CSV_FILM_COLUMNS[0];

fn write_json(out: &mut dyn Write, doc: &Document, indices: &[usize]) -> io::Result<()> {
    #[derive(Serialize)]
    struct Envelope<'a> {
        title: Option<&'a str>,
        year: Option<u16>,
        review_count: Option<u64>,
        reviews: Reviews<'a>,
    }
    struct Reviews<'a> {
        doc: &'a Document,
        indices: &'a [usize],
    }
    impl Serialize for Reviews<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let films = has_films(self.doc);
            s.collect_seq(
                self.indices
                    .iter()
                    .filter_map(|&i| self.doc.reviews.get(i))
                    .map(|review| ReviewOut {
                        doc: self.doc,
                        review,
                        films,
                    }),
            )
        }
    }
    // The envelope describes one film; with several documents open it names none.
    let source = match doc.sources.as_slice() {
        [one] => Some(one),
        _ => None,
    };
    let envelope = Envelope {
        title: source.and_then(|s| s.title.as_deref()),
        year: source.and_then(|s| s.year),
        review_count: source.and_then(|s| s.review_count),
        reviews: Reviews { doc, indices },
    };
    serde_json::to_writer_pretty(&mut *out, &envelope)?;
    out.write_all(b"\n")
}

fn write_csv<'a>(
    out: &mut dyn Write,
    doc: &Document,
    reviews: impl Iterator<Item = &'a Review>,
) -> io::Result<()> {
    let films = has_films(doc);
    // The film cells are the same for every review of a source: made once per source, not
    // per row. `film` is the title when one document is open, the label when several are.
    let film_cells: Vec<Vec<String>> = doc
        .sources
        .iter()
        .map(|s| {
            Field::ALL[REVIEW_COLUMNS..]
                .iter()
                .map(|&field| match field {
                    Field::Film if !films => s.title.clone().unwrap_or_default(),
                    _ => film_value(Some(s), field).to_text().into_owned(),
                })
                .collect()
        })
        .collect();
    let no_film = vec![String::new(); CSV_FILM_COLUMNS.len()];
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER.iter().chain(&CSV_FILM_COLUMNS))
        .map_err(io_error)?;
    let mut date = String::new();
    for r in reviews {
        for &field in &Field::ALL[..REVIEW_COLUMNS] {
            w.write_field(doc.value(r, field, &mut date).to_text().as_bytes())
                .map_err(io_error)?;
        }
        let film = film_cells.get(usize::from(r.source)).unwrap_or(&no_film);
        w.write_record(film).map_err(io_error)?;
    }
    w.flush()
}

/// The I/O error inside a CSV error, kind and all: a closed pipe must stay a closed pipe
/// (`revue --format csv | head` is not an error), which the plain conversion loses.
fn io_error(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn write_markdown<'a>(
    out: &mut dyn Write,
    doc: &Document,
    reviews: impl Iterator<Item = &'a Review>,
) -> io::Result<()> {
    if let [source] = doc.sources.as_slice()
        && let Some(title) = &source.title
    {
        let year = source.year.map(|y| format!(" ({y})")).unwrap_or_default();
        writeln!(out, "# {}{year}\n", markdown_escape(title))?;
    }
    let films = has_films(doc);
    for r in reviews {
        let rating = r.rating.map(|n| format!("{n}/10 · ")).unwrap_or_default();
        writeln!(out, "## {rating}{}\n", markdown_escape(doc.title(r)))?;
        let mut byline = Vec::new();
        if films {
            let film = film_value(doc.source_of(r), Field::Film).to_text();
            byline.push(markdown_escape(&film));
        }
        byline.push(format!("by {}", markdown_escape(doc.author(r))));
        if let Some(date) = r.date {
            byline.push(date.to_string());
        }
        byline.push(format!(
            "{} of {} found this helpful",
            r.helpful,
            r.total_votes()
        ));
        writeln!(out, "*{}*\n", byline.join(" · "))?;
        if r.spoiler {
            writeln!(out, "**Warning: Spoilers**\n")?;
        }
        for paragraph in doc.body(r).split("\n\n") {
            // A single newline inside a paragraph becomes a Markdown hard break.
            let lines: Vec<String> = paragraph.lines().map(markdown_escape).collect();
            writeln!(out, "{}\n", lines.join("  \n"))?;
        }
        if let Some(link) = doc.permalink(r) {
            writeln!(out, "<{link}>\n")?;
        }
    }
    Ok(())
}

/// Escapes the characters that would turn review text into Markdown or HTML markup.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let line_start = i == 0;
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' if line_start => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that has gone away: every write is a broken pipe.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_stays_a_closed_pipe_in_every_format() {
        let doc = crate::load::sample_document();
        let all: Vec<usize> = (0..doc.reviews.len()).collect();
        for format in [
            OutputFormat::Json,
            OutputFormat::Jsonl,
            OutputFormat::Csv,
            OutputFormat::Markdown,
        ] {
            let err = write(&mut ClosedPipe, &doc, &all, format).expect_err("nothing is read");
            assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{format:?}: {err}");
        }
    }

    #[test]
    fn markdown_escapes_markup() {
        assert_eq!(markdown_escape("*bold* <b>"), "\\*bold\\* \\<b\\>");
        assert_eq!(markdown_escape("# not a heading"), "\\# not a heading");
        assert_eq!(markdown_escape("a # b"), "a # b");
        assert_eq!(markdown_escape("Tom & Jerry"), "Tom &amp; Jerry");
    }
}
