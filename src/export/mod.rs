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
use serde::ser::Serializer;

use crate::model::{Document, Review};

/// The output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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
                serde_json::to_writer(&mut *out, &ReviewOut::new(doc, review, films))?;
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

/// The film a review belongs to: its document's label.
fn film<'a>(doc: &'a Document, review: &Review) -> &'a str {
    doc.source_of(review).map_or("", |s| s.label.as_str())
}

/// One review in the shape of FORMATS.md §3, plus its film when there are several.
#[derive(Serialize)]
struct ReviewOut<'a> {
    rating: Option<u8>,
    title: &'a str,
    author: &'a str,
    date: Option<String>,
    spoiler: bool,
    helpful: u64,
    not_helpful: u64,
    body: &'a str,
    permalink: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    film: Option<&'a str>,
}

impl<'a> ReviewOut<'a> {
    fn new(doc: &'a Document, r: &Review, films: bool) -> Self {
        Self {
            rating: r.rating,
            title: doc.title(r),
            author: doc.author(r),
            date: r.date.map(|d| d.to_string()),
            spoiler: r.spoiler,
            helpful: r.helpful,
            not_helpful: r.not_helpful,
            body: doc.body(r),
            permalink: doc.permalink(r),
            film: films.then(|| film(doc, r)),
        }
    }
}

/// The CSV header's review columns: the review fields of FORMATS.md §3 in order. Every row
/// then ends with the [`CSV_FILM_COLUMNS`].
pub const CSV_HEADER: [&str; 9] = [
    "rating",
    "title",
    "author",
    "date",
    "spoiler",
    "helpful",
    "not_helpful",
    "body",
    "permalink",
];

/// The CSV columns written after [`CSV_HEADER`]: the review's film, its year and how many
/// reviews its page says it has. They stand in for the JSON envelope, so that loading the CSV
/// back gives the same documents. `film` is the film title when one document is open (empty
/// if the page named none) and the document's label when several are, as the `film` of JSON
/// and JSON Lines.
pub const CSV_FILM_COLUMNS: [&str; 3] = ["film", "film_year", "film_review_count"];

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
                    .map(|r| ReviewOut::new(self.doc, r, films)),
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
    // per row.
    let film_cells: Vec<[String; 3]> = doc
        .sources
        .iter()
        .map(|s| {
            let film = if films {
                s.label.clone()
            } else {
                s.title.clone().unwrap_or_default()
            };
            let year = s.year.map(|y| y.to_string()).unwrap_or_default();
            let count = s.review_count.map(|n| n.to_string()).unwrap_or_default();
            [film, year, count]
        })
        .collect();
    let no_film: [String; 3] = Default::default();
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER.iter().chain(&CSV_FILM_COLUMNS))?;
    for r in reviews {
        let rating = r.rating.map(|n| n.to_string()).unwrap_or_default();
        let date = r.date.map(|d| d.to_string()).unwrap_or_default();
        let helpful = r.helpful.to_string();
        let not_helpful = r.not_helpful.to_string();
        let fields = [
            rating.as_str(),
            doc.title(r),
            doc.author(r),
            date.as_str(),
            if r.spoiler { "true" } else { "false" },
            &helpful,
            &not_helpful,
            doc.body(r),
            doc.permalink(r).unwrap_or_default(),
        ];
        let film = film_cells.get(usize::from(r.source)).unwrap_or(&no_film);
        w.write_record(fields.into_iter().chain(film.iter().map(String::as_str)))?;
    }
    w.flush()
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
            byline.push(markdown_escape(film(doc, r)));
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

    #[test]
    fn markdown_escapes_markup() {
        assert_eq!(markdown_escape("*bold* <b>"), "\\*bold\\* \\<b\\>");
        assert_eq!(markdown_escape("# not a heading"), "\\# not a heading");
        assert_eq!(markdown_escape("a # b"), "a # b");
        assert_eq!(markdown_escape("Tom & Jerry"), "Tom &amp; Jerry");
    }
}
