//! Writers for the scripting output: JSON, JSON Lines, CSV and Markdown of a query's view.
//!
//! All text in the model is already sanitized, so nothing written here can carry a control
//! sequence to a terminal; JSON and CSV quoting are left to serde_json and csv.
//!
//! Every format carries the same film data for each review: its film, the film's year and
//! the review count its page states. JSON with one document says them once, in its envelope
//! (the shape of FORMATS.md §3); JSON with several, JSON Lines and CSV, which have no
//! envelope for them, write them on every review, so that a round trip keeps "44 reviews on
//! the page" and loads the reviews back into the same documents. `film` is the film's title
//! with one document, and its label (the title, or the file name) with several.

pub mod clipboard;
pub mod file;
pub mod keywords;

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::model::formula;
use crate::model::schema::{Belongs, Field, Kind, Value, film_value};
use crate::model::{DEFAULT_SCALE, Document, Rating, Review, Source, Verdict};

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
    write_reviews(out, doc, indices, format)?;
    // Text read back from a file that changed meanwhile reads as a notice: written out, it
    // would pass for the reviews' text. An error instead (a file written whole is then not
    // written at all).
    match doc.text_changed() {
        Some(name) => Err(io::Error::other(format!(
            "{name} changed on disk while it was read; read it again"
        ))),
        None => Ok(()),
    }
}

/// [`write`], without the check.
fn write_reviews(
    out: &mut dyn Write,
    doc: &Document,
    indices: &[usize],
    format: OutputFormat,
) -> io::Result<()> {
    let _bulk = crate::model::backing::in_bulk();
    let reviews = indices
        .iter()
        .filter_map(|&i| doc.reviews.get(i).map(|r| (i, r)));
    match format {
        OutputFormat::Json => write_json(out, doc, indices),
        OutputFormat::Jsonl => {
            // JSON Lines has no envelope: each review names its film, year and count.
            let columns = &Columns::of(doc, reviews.clone());
            for (index, review) in reviews {
                let review = ReviewOut {
                    doc,
                    index,
                    review,
                    columns,
                    films: true,
                };
                serde_json::to_writer(&mut *out, &review)?;
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

/// The value of one of the film's fields for a review of `source`, the same in every format:
/// `film` is the title with one document (none when the page names none) and the label with
/// several, so that documents stay apart when read back.
fn film_field<'a>(doc: &Document, source: Option<&'a Source>, field: Field) -> Value<'a> {
    match field {
        Field::Film if !has_films(doc) => source
            .and_then(|s| s.title.as_deref())
            .map_or(Value::None, |t| Value::Text(t.into())),
        _ => film_value(source, field),
    }
}

/// The review fields written for a set of reviews: every field revue always writes, and
/// an optional one where any of the reviews has it (a rating scale other than 10, a
/// verdict), so that revue's own data keeps exactly the shape of FORMATS.md §3.
#[derive(Debug, Clone)]
struct Columns(Vec<Field>, bool);

impl Columns {
    /// The columns of `reviews`; the user's marks and labels (FORMATS.md §6) are written
    /// where any of them has some.
    fn of<'a>(doc: &Document, reviews: impl Iterator<Item = (usize, &'a Review)> + Clone) -> Self {
        let notes = doc.labels().any()
            && reviews
                .clone()
                .any(|(i, _)| !doc.labels().get(i).is_empty());
        let (mut scale, mut verdict) = (false, false);
        let (mut reply, mut reply_date) = (false, false);
        let replies = doc.has_replies();
        for (_, r) in reviews {
            scale |= r.rating.is_some_and(|r| r.scale() != DEFAULT_SCALE);
            verdict |= r.verdict.is_some();
            if replies && let Some((_, date)) = doc.reply(r) {
                reply = true;
                reply_date |= date.is_some();
            }
            if scale && verdict && reply_date == replies {
                break;
            }
        }
        Self(
            Field::review_fields()
                .filter(|f| match f {
                    Field::RatingScale => scale,
                    Field::Verdict => verdict,
                    Field::Reply => reply,
                    Field::ReplyDate => reply_date,
                    _ => true,
                })
                .collect(),
            notes,
        )
    }
}

/// The names of the columns of the user's notes.
pub const NOTES_COLUMNS: [&str; 2] = ["labels", "marked"];

/// A rating as a JSON number: whole where it is (`8`), else with its fraction (`3.5`).
struct RatingOut(Rating);

impl Serialize for RatingOut {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let value = self.0.value();
        if value.fract() == 0.0 {
            // A rating is at most 255, so this is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            s.serialize_u64(value as u64)
        } else {
            s.serialize_f64(value)
        }
    }
}

/// One review in the shape of FORMATS.md §3: the schema's review fields in order, then its
/// film's fields where there is no envelope to hold them.
struct ReviewOut<'a> {
    doc: &'a Document,
    index: usize,
    review: &'a Review,
    columns: &'a Columns,
    films: bool,
}

impl Serialize for ReviewOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        let mut date = String::new();
        let film_fields = Field::ALL
            .into_iter()
            .filter(|f| self.films && matches!(f.belongs(), Belongs::Film));
        for field in self.columns.0.iter().copied().chain(film_fields) {
            let value = match field.belongs() {
                Belongs::Review => self.doc.value(self.review, field, &mut date),
                Belongs::Film => film_field(self.doc, self.doc.source_of(self.review), field),
            };
            match value {
                // A reply is written only where a review has one (FORMATS.md §4).
                Value::None if matches!(field, Field::Reply | Field::ReplyDate) => {}
                Value::None => map.serialize_entry(field.name(), &())?,
                Value::Text(text) => map.serialize_entry(field.name(), &*text)?,
                Value::Number(n) => map.serialize_entry(field.name(), &n)?,
                Value::Rating(r) => map.serialize_entry(field.name(), &RatingOut(r))?,
                Value::Flag(flag) => map.serialize_entry(field.name(), &flag)?,
            }
            // The notes follow the review's own fields, before its film's.
            if field == Field::Permalink && self.columns.1 {
                let labels = self.doc.labels();
                let tags = labels.get(self.index);
                map.serialize_entry(NOTES_COLUMNS[0], &labels.names_in(tags))?;
                map.serialize_entry(NOTES_COLUMNS[1], &tags.marked)?;
            }
        }
        map.end()
    }
}

/// The names of the first `N` fields of the schema that `keep` keeps, in order: the CSV
/// header is derived from the schema at compile time.
const fn names<const N: usize>(review: bool) -> [&'static str; N] {
    let mut names = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < Field::COUNT && n < N {
        let field = Field::ALL[i];
        let is_review = matches!(field.belongs(), Belongs::Review);
        if is_review == review && !field.is_optional_column() {
            names[n] = field.name();
            n += 1;
        }
        i += 1;
    }
    names
}

/// How many of the schema's fields revue always writes for a review or for its film.
const fn count(review: bool) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < Field::COUNT {
        let field = Field::ALL[i];
        if matches!(field.belongs(), Belongs::Review) == review && !field.is_optional_column() {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The CSV header's review columns for revue's own data: the schema's review fields in
/// order, without the optional ones (`rating_scale`, `verdict`), which are written only when
/// a review has them ([`Columns`]). Every row then ends with the [`CSV_FILM_COLUMNS`].
pub const CSV_HEADER: [&str; count(true)] = names(true);

/// The CSV columns written after [`CSV_HEADER`]: the review's film, its year and how many
/// reviews its page says it has. They stand in for the JSON envelope, so that loading the CSV
/// back gives the same documents. `film` is the film title when one document is open (empty
/// if the page named none) and the document's label when several are, as the `film` of JSON
/// and JSON Lines.
pub const CSV_FILM_COLUMNS: [&str; count(false)] = names(false);

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
            let reviews = self
                .indices
                .iter()
                .filter_map(|&i| self.doc.reviews.get(i).map(|r| (i, r)));
            let columns = &Columns::of(self.doc, reviews.clone());
            s.collect_seq(reviews.map(|(index, review)| ReviewOut {
                doc: self.doc,
                index,
                review,
                columns,
                films,
            }))
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
    reviews: impl Iterator<Item = (usize, &'a Review)> + Clone,
) -> io::Result<()> {
    let columns = Columns::of(doc, reviews.clone());
    // The film cells are the same for every review of a source: made once per source, not
    // per row. `film` is the title when one document is open, the label when several are.
    let film_cells: Vec<Vec<String>> = doc
        .sources
        .iter()
        .map(|s| {
            Field::ALL
                .iter()
                .filter(|f| matches!(f.belongs(), Belongs::Film))
                .map(|&field| cell(field, &film_field(doc, Some(s), field).to_text()).into_owned())
                .collect()
        })
        .collect();
    let no_film = vec![String::new(); CSV_FILM_COLUMNS.len()];
    let mut w = csv::Writer::from_writer(out);
    let header = columns.0.iter().map(|f| f.name());
    let notes: &[&str] = if columns.1 { &NOTES_COLUMNS } else { &[] };
    w.write_record(header.chain(notes.iter().copied()).chain(CSV_FILM_COLUMNS))
        .map_err(io_error)?;
    let mut date = String::new();
    for (i, r) in reviews {
        for &field in &columns.0 {
            let value = doc.value(r, field, &mut date);
            w.write_field(cell(field, &value.to_text()).as_bytes())
                .map_err(io_error)?;
        }
        if columns.1 {
            // Labels `;`-joined (FORMATS.md §6), guarded as text is.
            let tags = doc.labels().get(i);
            let labels = doc.labels().names_in(tags).join(";");
            w.write_field(formula::guard(&labels).as_bytes())
                .map_err(io_error)?;
            w.write_field(if tags.marked { "true" } else { "false" })
                .map_err(io_error)?;
        }
        let film = film_cells.get(usize::from(r.source)).unwrap_or(&no_film);
        w.write_record(film).map_err(io_error)?;
    }
    w.flush()
}

/// A CSV cell: text fields carry the spreadsheet guard ([`formula`]), so that no review
/// runs as a formula in a spreadsheet; revue's CSV reader takes it off again.
fn cell(field: Field, text: &str) -> Cow<'_, str> {
    match field.kind() {
        Kind::Line | Kind::Body => formula::guard(text),
        _ => Cow::Borrowed(text),
    }
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
    reviews: impl Iterator<Item = (usize, &'a Review)>,
) -> io::Result<()> {
    if let [source] = doc.sources.as_slice()
        && let Some(title) = &source.title
    {
        let year = source.year.map(|y| format!(" ({y})")).unwrap_or_default();
        writeln!(out, "# {}{year}\n", markdown_escape(title))?;
    }
    let films = has_films(doc);
    for (i, r) in reviews {
        let mut rating = r
            .rating
            .map(|n| format!("{n}/{} · ", n.scale()))
            .unwrap_or_default();
        if let Some(verdict) = r.verdict {
            rating = format!(
                "{}{rating}",
                if verdict == Verdict::Positive {
                    "👍 "
                } else {
                    "👎 "
                }
            );
        }
        // Only what the review has: data from elsewhere often has no title, author or votes.
        let heading = format!("{rating}{}", markdown_escape(&doc.title(r)));
        let heading = heading.trim_end_matches(" · ").trim_end();
        writeln!(
            out,
            "## {}\n",
            if heading.is_empty() {
                "Review"
            } else {
                heading
            }
        )?;
        let mut byline = Vec::new();
        if films {
            let film = film_value(doc.source_of(r), Field::Film).to_text();
            byline.push(markdown_escape(&film));
        }
        if !doc.author(r).is_empty() {
            byline.push(format!("by {}", markdown_escape(&doc.author(r))));
        }
        if let Some(date) = r.date {
            byline.push(date.to_string());
        }
        if !doc.source_of(r).is_some_and(|s| s.no_votes) {
            byline.push(match r.not_helpful() {
                Some(_) => format!("{} of {} found this helpful", r.helpful, r.total_votes()),
                None => format!("{} found this helpful", r.helpful),
            });
        }
        if !byline.is_empty() {
            writeln!(out, "*{}*\n", byline.join(" · "))?;
        }
        let tags = doc.labels().get(i);
        if !tags.is_empty() {
            let mut notes = doc
                .labels()
                .names_in(tags)
                .iter()
                .map(|l| markdown_escape(l))
                .collect::<Vec<_>>();
            if tags.marked {
                notes.insert(0, "marked".into());
            }
            writeln!(out, "*Labels: {}*\n", notes.join(", "))?;
        }
        if r.spoiler {
            writeln!(out, "**Warning: Spoilers**\n")?;
        }
        for paragraph in doc.body(r).split("\n\n") {
            // A single newline inside a paragraph becomes a Markdown hard break.
            let lines: Vec<String> = paragraph.lines().map(markdown_escape).collect();
            writeln!(out, "{}\n", lines.join("  \n"))?;
        }
        if let Some((reply, date)) = doc.reply(r) {
            let when = date.map(|d| format!(" ({d})")).unwrap_or_default();
            writeln!(out, "**Reply{when}:**\n")?;
            for paragraph in reply.split("\n\n") {
                let lines: Vec<String> = paragraph.lines().map(markdown_escape).collect();
                writeln!(out, "> {}\n", lines.join("  \n> "))?;
            }
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
